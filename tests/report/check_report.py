#!/usr/bin/env python3
"""Checks ss7watch-report's outputs against figures computed here from the EVE file.

  check_report.py html EVE REPORT.html [CSVDIR]   tables: rules, threats, origins,
                                                  countries, incidents; CSV = HTML tables
  check_report.py misp EVE MISP.json TEMPLATE     one ss7-attack object per incident (per
                                                  alert line without incidents), template names
  check_report.py clean CLEAR_EVE FILE...         no subscriber identity of CLEAR_EVE in FILEs
  check_report.py stats EVE REPORT.html           coverage and partners from the stats lines
  check_report.py many EVE N OUT                  OUT: the alert and incident lines of EVE
                                                  again and again, N distinct origin GTs

Prints what it checked; exits 1 with the first difference.
"""
import collections
import csv
import html.parser
import json
import os
import re
import sys


def fail(msg):
	print('FAIL: ' + msg)
	sys.exit(1)


def events(path, kind):
	with open(path) as f:
		for line in f:
			ev = json.loads(line)
			if ev.get('event_type') == kind:
				yield ev


class Tables(html.parser.HTMLParser):
	"""Every <table id=...> of the page: {id: [header, row, ...]}; checks the nesting."""

	VOID = {'meta', 'br', 'img', 'hr', 'link', 'input', 'path', 'rect', 'use', 'stop',
		'circle', 'ellipse', 'line', 'polyline', 'polygon'}

	def __init__(self):
		super().__init__()
		self.tables = {}
		self.cur = None
		self.cell = None
		self.stack = []

	def handle_starttag(self, tag, attrs):
		if tag not in self.VOID:
			self.stack.append(tag)
		a = dict(attrs)
		if tag == 'table':
			self.cur = self.tables.setdefault(a.get('id', ''), [])
		elif tag == 'tr' and self.cur is not None:
			self.cur.append([])
		elif tag in ('td', 'th') and self.cur is not None:
			self.cell = ''

	def handle_startendtag(self, tag, attrs):
		pass

	def handle_endtag(self, tag):
		if tag in self.VOID:
			return
		if not self.stack or self.stack[-1] != tag:
			fail('HTML: </%s> closes <%s>' % (tag, self.stack[-1] if self.stack else ''))
		self.stack.pop()
		if tag in ('td', 'th') and self.cur is not None:
			self.cur[-1].append(self.cell.strip())
			self.cell = None
		elif tag == 'table':
			self.cur = None

	def handle_data(self, data):
		if self.cell is not None:
			self.cell += data


def parse_html(path):
	p = Tables()
	with open(path, encoding='utf-8') as f:
		text = f.read()
	# self-contained: nothing to load (the SVG namespaces are names, not loads)
	m = re.search(r'''(?:\b(?:src|href)\s*=\s*["']?|url\(\s*["']?|@import\s*["']?)(?:[a-z]+:)?//''',
		      text, re.I)
	if m:
		fail('the report loads from elsewhere: %s' % text[m.start():m.start() + 80])
	p.feed(text)
	p.close()
	if p.stack:
		fail('HTML: unclosed %s' % p.stack)
	return p.tables


def table(tables, tid):
	t = tables.get('t-' + tid)
	if not t:
		fail('no table t-%s (tables: %s)' % (tid, sorted(tables)))
	return t[0], [dict(zip(t[0], r)) for r in t[1:]]


def equal(what, got, want):
	if str(got) != str(want):
		fail('%s: report %r, EVE %r' % (what, got, want))


def check_html(eve, report, csvdir=None):
	tables = parse_html(report)
	alerts = list(events(eve, 'alert'))
	incidents = list(events(eve, 'incident'))

	per_rule = collections.Counter(a['alert']['rule'] for a in alerts)
	_, rows = table(tables, 'rules')
	got = {r['rule']: int(r['alert lines']) for r in rows if int(r['alert lines'])}
	equal('alert lines per rule', sorted(got.items()), sorted(per_rule.items()))

	per_threat = collections.Counter(a['alert']['threat'] for a in alerts)
	_, rows = table(tables, 'threats')
	equal('alert lines per threat', sorted((r['threat'], int(r['alert lines'])) for r in rows),
	      sorted(per_threat.items()))

	_, rows = table(tables, 'coverage')
	cov = {r['item']: r['value'] for r in rows}
	equal('alert lines', cov['Alert lines'], len(alerts))
	equal('incidents', cov['Incidents'], len(incidents))

	if incidents:
		org = {}
		for i in incidents:
			o = i['incident']['origin']
			k = o.get('gt') or 'network:' + o['network']
			e = org.setdefault(k, {'incidents': 0, 'alerts': 0, 'subs': 0, 'written': 0})
			e['incidents'] += 1
			e['alerts'] += i['incident']['alerts']
			e['written'] += i['incident']['written']
			e['subs'] += i['incident']['subscribers']['count']
		_, rows = table(tables, 'origins')
		equal('origins shown', len(rows), min(25, len(org)))
		for r in rows:
			e = org.get(r['origin GT'])
			if e is None:
				fail('origin %s is in no incident line' % r['origin GT'])
			for col, k in (('incidents', 'incidents'), ('alerts raised', 'alerts'),
				       ('alert lines', 'written'), ('subscribers targeted', 'subs')):
				equal('origin %s %s' % (r['origin GT'], col), r[col], e[k])
		# the most alerts of a severity-1 origin: ranked first
		sev1 = [i['incident']['origin'].get('gt') for i in incidents
			if i['incident']['max_severity'] == 1]
		if sev1 and rows[0]['max severity'] != '1':
			fail('the first origin is not of severity 1')

		per_cc = collections.Counter()
		for i in incidents:
			per_cc[i['incident']['origin'].get('country', '(unknown)')] += \
				i['incident']['alerts']
		_, rows = table(tables, 'countries')
		equal('alerts per country', sorted((r['country'], int(r['alerts raised']))
			for r in rows), sorted(per_cc.items()))

		_, rows = table(tables, 'incidents')
		equal('incident rows', len(rows), min(60, len(incidents)))
		byid = {i['incident_id']: i for i in incidents}
		for r in rows:
			i = byid[int(r['incident'])]['incident']
			equal('incident %s alerts' % r['incident'], r['alerts'], i['alerts'])
			equal('incident %s subscribers' % r['incident'], r['subscribers'],
			      i['subscribers']['count'])
		print('html: %d rules, %d threats, %d origins, %d countries, %d incidents agree' % (
			len(per_rule), len(per_threat), len(org), len(per_cc), len(incidents)))
	else:
		per_gt = collections.Counter()
		subs = collections.defaultdict(set)
		for a in alerts:
			gt = a.get('sccp', {}).get('calling', {}).get('gt')
			if gt is None and a.get('related'):
				gt = a['related'][0].get('calling_gt')
			gt = gt or a.get('evidence', {}).get('origin') or '(unknown)'
			per_gt[gt] += 1
			s = a.get('subscriber', {})
			if s.get('msisdn') or s.get('imsi'):
				subs[gt].add(s.get('msisdn') or s.get('imsi'))
		_, rows = table(tables, 'origins')
		equal('origins shown', len(rows), min(25, len(per_gt)))
		for r in rows:
			equal('origin %s alert lines' % r['origin GT'], r['alert lines'],
			      per_gt[r['origin GT']])
			equal('origin %s subscribers' % r['origin GT'], r['subscribers targeted'],
			      len(subs[r['origin GT']]))
		ids = {a['incident_id'] for a in alerts}
		_, rows = table(tables, 'incidents')
		equal('incident groups', len(rows), min(60, len(ids)))
		print('html (no incident lines): %d rules, %d origins, %d incident groups agree' % (
			len(per_rule), len(per_gt), len(ids)))

	if csvdir:
		n = 0
		for tid, t in tables.items():
			path = os.path.join(csvdir, tid[2:] + '.csv')
			if not os.path.exists(path):
				fail('no %s for table %s' % (path, tid))
			with open(path, newline='', encoding='utf-8') as f:
				rows = list(csv.reader(f))
			equal('%s: CSV = HTML' % path, rows, t)
			n += 1
		names = {f[:-4] for f in os.listdir(csvdir) if f.endswith('.csv')}
		# a table without rows is a note in the HTML; its CSV has the header only
		for name in names - {t[2:] for t in tables}:
			with open(os.path.join(csvdir, name + '.csv'), newline='') as f:
				if len(list(csv.reader(f))) != 1:
					fail('%s.csv has rows the HTML does not show' % name)
		print('csv: %d tables equal to the HTML, %d files' % (n, len(names)))


def check_misp(eve, path, template_path):
	with open(template_path) as f:
		tpl = json.load(f)
	with open(path) as f:
		doc = json.load(f)
	ev = doc['Event']
	for k in ('info', 'date', 'threat_level_id', 'analysis', 'distribution', 'Object'):
		if k not in ev:
			fail('Event has no %s' % k)
	incidents = list(events(eve, 'incident'))
	alerts = list(events(eve, 'alert'))
	want = len(incidents) if incidents else len(alerts)
	equal('objects', len(ev['Object']), want)
	types = {k: v['misp-attribute'] for k, v in tpl['attributes'].items()}
	for o in ev['Object']:
		equal('object name', o['name'], tpl['name'])
		equal('template_uuid', o['template_uuid'], tpl['uuid'])
		equal('template_version', o['template_version'], tpl['version'])
		equal('meta-category', o['meta-category'], tpl['meta-category'])
		rels = set()
		for a in o['Attribute']:
			r = a['object_relation']
			if r not in types:
				fail('object_relation %s is not in the template' % r)
			equal('type of ' + r, a['type'], types[r])
			if a['category'] != 'Other':
				fail('%s: category %s' % (r, a['category']))
			if r in rels and not tpl['attributes'][r].get('multiple'):
				fail('%s twice in one object, not multiple in the template' % r)
			rels.add(r)
		for r in tpl.get('requiredOneOf', []):
			if r in rels:
				break
		else:
			fail('an object has none of %s' % tpl.get('requiredOneOf'))
	if incidents:
		gts = sorted(i['incident']['origin'].get('gt', '') for i in incidents)
		got = sorted(next((a['value'] for a in o['Attribute']
				   if a['object_relation'] == 'SccpCgGT'), '') for o in ev['Object'])
		equal('SccpCgGT of the objects', got, gts)
	print('misp: %d ss7-attack objects (%s), every relation in the template' % (
		len(ev['Object']), 'incidents' if incidents else 'alert lines'))


def identities(eve):
	ids = set()
	for kind in ('alert', 'incident'):
		for ev in events(eve, kind):
			s = ev.get('subscriber', {})
			m = ev.get('map', {})
			for v in (s.get('imsi'), s.get('msisdn'), m.get('imsi'), m.get('msisdn')):
				if v:
					ids.add(v)
			ids.update(ev.get('incident', {}).get('subscribers', {}).get('list', []))
	return ids


def check_clean(eve, files):
	ids = identities(eve)
	if not ids:
		fail('no identities in %s' % eve)
	for path in files:
		with open(path, encoding='utf-8') as f:
			text = f.read()
		for i in ids:
			if i in text:
				fail('%s shows the identity %s' % (path, i))
	print('clean: none of %d identities in %d files' % (len(ids), len(files)))


def check_stats(eve, report):
	tables = parse_html(report)
	stats = list(events(eve, 'stats'))
	if not stats:
		fail('no stats lines in %s' % eve)
	# every run ends with one final line; its counters are the run's
	final = [s['stats'] for s in stats if s['stats']['interval']['final']]
	_, rows = table(tables, 'coverage')
	cov = {r['item']: r['value'] for r in rows}
	equal('frames', cov['Frames read'], sum(f['decoder']['frames'] for f in final))
	equal('decode errors', cov['Decode errors'], sum(sum(f['errors'].values()) for f in final))
	seen = sum(s['stats']['traffic_total']['seen'] for s in stats)
	equal('messages in traffic cells', cov['Messages in traffic cells'], seen)
	per = collections.Counter()
	alerted = collections.Counter()
	for s in stats:
		for c in s['stats']['traffic']:
			k = c['network'] or c['country'] or '(unknown)'
			per[k] += c['seen']
			alerted[k] += c['alerted']
		if s['stats']['traffic_other']['seen']:
			per['(beyond stats-cells)'] += s['stats']['traffic_other']['seen']
			alerted['(beyond stats-cells)'] += s['stats']['traffic_other']['alerted']
	_, rows = table(tables, 'partners')
	for r in rows:
		equal('partner %s seen' % r['partner'], r['seen'], per[r['partner']])
		equal('partner %s violations' % r['partner'], r['violations'], alerted[r['partner']])
	print('stats: %d lines of %d runs; frames, decode errors and %d partners agree' % (
		len(stats), len(final), len(rows)))


def many(eve, n, out):
	"""A long input from a real one: each copy of its lines under another origin GT."""
	alerts = list(events(eve, 'alert'))
	incidents = list(events(eve, 'incident'))
	iid = 0
	with open(out, 'w') as f:
		for k in range(int(n)):
			gt = '99%010d' % k
			a = alerts[k % len(alerts)]
			a['sccp'] = {'calling': {'gt': gt}}
			i = incidents[k % len(incidents)]
			i['incident']['origin']['gt'] = gt
			iid += 1
			a['incident_id'] = i['incident_id'] = iid
			f.write(json.dumps(a) + '\n' + json.dumps(i) + '\n')


if __name__ == '__main__':
	cmd = sys.argv[1] if len(sys.argv) > 1 else ''
	if cmd == 'html' and len(sys.argv) in (4, 5):
		check_html(*sys.argv[2:])
	elif cmd == 'misp' and len(sys.argv) == 5:
		check_misp(*sys.argv[2:])
	elif cmd == 'clean' and len(sys.argv) >= 4:
		check_clean(sys.argv[2], sys.argv[3:])
	elif cmd == 'stats' and len(sys.argv) == 4:
		check_stats(*sys.argv[2:])
	elif cmd == 'many' and len(sys.argv) == 5:
		many(*sys.argv[2:])
	else:
		print(__doc__, file=sys.stderr)
		sys.exit(2)
