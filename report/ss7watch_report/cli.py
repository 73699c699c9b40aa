"""ss7watch-report command line."""
import argparse
import os
import sys

from . import eve, tables
from .aggregate import Aggregate
from .config import ConfigError, read_config, read_rules

PROG = 'ss7watch-report'


def _args(argv):
	p = argparse.ArgumentParser(prog=PROG, description='Audit report (one self-contained '
				    'HTML file), CSV tables or a MISP event from ss7watch EVE JSON files.')
	p.add_argument('inputs', nargs='+', metavar='EVE.json',
		       help='EVE JSON files (.json.gz too; - for standard input)')
	p.add_argument('-o', '--output', metavar='FILE',
		       help='the report (default report.html; with --misp: misp-event.json); - for '
		       'standard output')
	p.add_argument('--csv', metavar='DIR', help='also write every table as DIR/TABLE.csv')
	p.add_argument('--title', default=None, help='title of the report or of the MISP event')
	p.add_argument('--config', metavar='CFG', help='the ss7watch configuration: the home '
		       'network and the other networks\' descriptions')
	p.add_argument('--rules', metavar='FILE', help='the rule catalogue as `ss7watch '
		       '--list-rules` prints it (what was checked, with revisions)')
	p.add_argument('--top', type=int, default=25, metavar='N',
		       help='rows of the top-N tables (1..1000, default 25)')
	p.add_argument('--misp', action='store_true', help='write a MISP event (JSON) with one '
		       'ss7-attack object per incident instead of the HTML report')
	a = p.parse_args(argv)
	if not 1 <= a.top <= 1000:
		p.error('--top takes 1..1000')
	return a


def _open_out(path):
	if path == '-':
		return sys.stdout
	return open(path, 'w', encoding='utf-8')


def main(argv=None):
	a = _args(sys.argv[1:] if argv is None else argv)
	try:
		home, networks = read_config(a.config) if a.config else (None, {})
		catalogue = read_rules(a.rules) if a.rules else None
	except ConfigError as e:
		print('%s: %s' % (PROG, e), file=sys.stderr)
		return 2
	title = a.title or ('ss7watch MISP export' if a.misp else 'ss7watch interconnect audit')
	out = a.output or ('misp-event.json' if a.misp else 'report.html')
	rs = eve.ReadStats()
	agg = Aggregate(top=a.top)
	misp = None
	if a.misp:
		from .misp import Misp
		misp = Misp()
	try:
		for path, ev in eve.events(a.inputs, rs):
			if misp:
				misp.feed(ev)
			if not a.misp or a.csv:
				agg.feed(path, ev)
	except eve.InputError as e:
		print('%s: %s' % (PROG, e), file=sys.stderr)
		return 1
	if rs.bad():
		print('%s: %d of %d lines were not EVE JSON objects (skipped)' % (PROG, rs.bad(),
		      rs.lines), file=sys.stderr)
	home_name = home['name'] if home else (agg.home_network() or 'not known (no --config)')
	try:
		built = None
		if a.csv or not a.misp:
			built = tables.build(agg, rs, home, networks, catalogue)
		if a.csv:
			from . import csvout
			csvout.write(built, a.csv)
		if a.misp:
			with _open_out(out) as f:
				kind, n = misp.write(f, title)
			if misp.evicted:
				print('%s: %d incidents had more open at once than the %d followed: their '
				      'objects lack the alert details' % (PROG, misp.evicted,
				      len(misp.pending)), file=sys.stderr)
			print('%s: %s: %d ss7-attack objects (one per %s)' % (PROG, out, n, kind),
			      file=sys.stderr)
		else:
			from . import html
			text = html.render(agg, built, title, home_name,
					   [os.path.basename(p) if p != '-' else '(stdin)'
					    for p in a.inputs])
			with _open_out(out) as f:
				f.write(text)
	except OSError as e:
		print('%s: %s: %s' % (PROG, getattr(e, 'filename', None) or out,
		      e.strerror or e), file=sys.stderr)
		return 1
	return 0
