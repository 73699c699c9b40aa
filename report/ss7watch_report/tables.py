"""The report's tables, built once from the aggregate: the HTML shows them, --csv writes them,
so the two always hold the same figures.
"""
import hashlib

from .aggregate import fmt_ts, FS11, DIRECTIONS, SEVERITIES, ORIGINS_PER_COUNTRY
from .bounded import width_name


class Table:
	def __init__(self, tid, title, columns, rows, note=''):
		self.id = tid
		self.title = title
		self.columns = columns
		self.rows = rows
		self.note = note


def _rate(part, whole):
	return '%.2f%%' % (100.0 * part / whole) if whole else ''


def _sev(s):
	return s if s in (1, 2, 3) else ''


def _duration(a, b):
	if a is None or b is None:
		return ''
	s = int(round(b - a))
	return '%dh%02dm%02ds' % (s // 3600, s // 60 % 60, s % 60) if s >= 3600 else \
		'%dm%02ds' % (s // 60, s % 60)


def _top_names(counter, n=3):
	items = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
	return ', '.join('%s (%d)' % kv for kv in items[:n]) + (' ...' if len(items) > n else '')


def coverage(agg, rs):
	dec = agg.decoder_totals()
	err = agg.error_totals()
	wr = agg.writer_totals()
	rows = [
		['Capture start', fmt_ts(agg.span.first)],
		['Capture end', fmt_ts(agg.span.last)],
		['Span', _duration(agg.span.first, agg.span.last)],
		['Inputs', len(agg.inputs)],
		['Lines read', rs.lines],
		['Lines not read (not JSON, too long)', rs.bad()],
	]
	for et in sorted(rs.by_type):
		rows.append(['Events "%s"' % et, rs.by_type[et]])
	if agg.stats_lines:
		rows += [
			['Stats events', agg.stats_lines],
			['Stats interval lengths (s)',
			 ', '.join(str(s) for s in sorted(agg.interval_seconds))],
			['Frames read', dec.get('frames', 0)],
			['Bytes read', dec.get('bytes', 0)],
			['TCAP messages', dec.get('tcap.messages', 0)],
			['MAP components', dec.get('map.components', 0)],
			['Messages in traffic cells', agg.traffic_total[0]],
			['Decode errors', sum(err.values())],
			['Decode error rate (of frames)', _rate(sum(err.values()), dec.get('frames', 0))],
			['Alert lines written (stats)', wr['written']],
			['Alerts the filters held back (stats)', wr['suppressed']],
			['Alert lines the writer queue dropped, severity 1', wr['1']],
			['Alert lines the writer queue dropped, severity 2', wr['2']],
			['Alert lines the writer queue dropped, severity 3', wr['3']],
		]
	else:
		rows.append(['Stats', 'no stats events in input: messages, decode errors and '
			     'writer drops unknown; coverage from alerts and incidents only'])
	rows += [
		['Alert lines', agg.alert_lines],
		['Alerts held back by thresholds (suppressed counts of alert lines)',
		 agg.alert_suppressed],
		['Incidents', agg.incident_lines],
		['Alerts raised (incidents)', agg.incident_alerts],
		['Pseudonymised alert lines', agg.pseudonymised],
	]
	return Table('coverage', 'Coverage', ['item', 'value'], rows)


def inputs(agg):
	rows = [[r['name'], r['events'], fmt_ts(r['span'].first), fmt_ts(r['span'].last)]
		for r in agg.inputs.top(len(agg.inputs))]
	return Table('inputs', 'Inputs', ['input', 'events', 'first', 'last'], rows,
		     'pcap_filename (replays) or in_iface (live) of the events')


def decode_errors(agg):
	rows = []
	for k, v in sorted(agg.error_totals().items()):
		layer, _, reason = k.partition('.')
		rows.append([layer, reason, v])
	return Table('decode-errors', 'Decode errors by layer and reason',
		     ['layer', 'reason', 'count'], rows,
		     '' if agg.stats_lines else 'no stats events in input')


def decoder_counters(agg):
	rows = [[k, v] for k, v in agg.decoder_totals().items()]
	return Table('decoder', 'Decoder counters (as ss7watch --stats prints them)',
		     ['counter', 'value'], rows,
		     'summed over runs' if agg.stats_lines else 'no stats events in input')


def checked(agg, home, networks, catalogue):
	rows = []
	if home:
		rows.append(['Home network', home['name'] + (' (%s)' % home['description']
							     if home['description'] else '')])
		rows.append(['Home PLMNs', ' '.join(home['plmn'])])
		rows.append(['Home GT prefixes', ' '.join(home['gt_prefix'])])
		rows.append(['Other networks configured', len(networks)])
	else:
		h = agg.home_network()
		rows.append(['Home network', (h + ' (from the alerts: network of home subscribers\' '
					      'HLR)') if h else 'not known (no --config)'])
	if catalogue:
		fp = hashlib.sha256(''.join('%s:%d:%d\n' % (k, v['sid'], v['rev'])
					    for k, v in sorted(catalogue.items())).encode()).hexdigest()
		rows.append(['Rule catalogue', '%d rules, %d enabled (fingerprint %s)' % (
			len(catalogue), sum(1 for v in catalogue.values() if v['enabled'] == 'yes'),
			fp[:16])])
	else:
		rows.append(['Rule catalogue', 'the revisions of the rules that alerted (no --rules)'])
	return Table('checked', 'What was checked', ['item', 'value'], rows)


def rules(agg, catalogue):
	rows = []
	names = set(agg.rules) | set(catalogue or ())
	for name in sorted(names, key=lambda r: (-agg.rules.get(r, {}).get('lines', 0), r)):
		r = agg.rules.get(name, {})
		c = (catalogue or {}).get(name, {})
		rows.append([name, r.get('sid') or c.get('sid', ''), r.get('rev') or c.get('rev', ''),
			     r.get('category') or c.get('category', ''),
			     r.get('threat') or c.get('threat', ''),
			     c.get('enabled', ''), r.get('lines', 0), r.get('raised', 0),
			     r.get('signature') or c.get('signature', '')])
	return Table('rules', 'Alerts by rule',
		     ['rule', 'sid', 'rev', 'category', 'threat', 'enabled', 'alert lines',
		      'alerts raised (incidents)', 'signature'], rows,
		     'alerts raised counts what the filters held back too (from incident lines)')


def threats(agg):
	rows = sorted(([k, v] for k, v in agg.threats.counts.items()), key=lambda r: (-r[1], r[0]))
	return Table('threats', 'Alert lines by threat', ['threat', 'alert lines'], rows)


def partners(agg):
	rows = []
	has_stats = agg.stats_lines > 0
	for p in agg.partners.top(agg.top * 2):
		seen = sum(p.seen.values())
		alerted = p.alerted
		raised = sum(p.alerts.values())
		row = [p.key]
		if has_stats:
			row += [p.seen[c] for c in FS11 + DIRECTIONS[1:]] + [seen, alerted,
									      _rate(alerted, seen)]
		row += [p.incidents, raised] + [p.alerts.get(c, 0) for c in
					       ('cat1', 'cat2', 'cat3', 'correlation', 'anomaly')]
		rows.append(row)
	cols = ['partner']
	if has_stats:
		cols += ['inbound ' + c for c in FS11] + list(DIRECTIONS[1:]) + \
			['seen', 'violations', 'violation rate']
	cols += ['incidents', 'alerts raised'] + ['alerts ' + c for c in
						  ('cat1', 'cat2', 'cat3', 'correlation', 'anomaly')]
	note = 'partner: the origin network, else the origin country. ' + (
		'messages (MAP components) seen by direction, inbound ones by FS.11 category, and '
		'violations (those that raised an alert) from the stats events; '
		if has_stats else 'no stats events in input: messages seen per partner unknown; ')
	note += 'incidents and alerts raised from the incident events'
	return Table('partners', 'Per partner / origin network', cols, rows, note)


def networks_table(networks):
	rows = [[n, v['description'], ' '.join(v['plmn']), ' '.join(v['gt_prefix'])]
		for n, v in sorted((networks or {}).items())]
	return Table('networks', 'Networks of the configuration', ['network', 'description',
		     'PLMNs', 'GT prefixes'], rows, '' if networks else 'no --config')


def partner_trend(agg):
	rows = []
	if agg.partner_time:
		names = [p.key for p in agg.partners.top(agg.top * 2) if p.key in agg.partner_time]
		for name in names:
			b = agg.partner_time[name]
			for k in sorted(b.data):
				seen = b.data[k].get('seen', 0)
				al = b.data[k].get('alerted', 0)
				rows.append([name, fmt_ts(b.start(k)), width_name(b.width), seen, al,
					     _rate(al, seen)])
	return Table('partner-trend', 'Partner trend', ['partner', 'from', 'bucket', 'seen',
							'violations', 'violation rate'], rows,
		     '' if rows else 'no stats events in input: no traffic per interval')


def origins(agg):
	rows = []
	for o in agg.origins.top(agg.top, key=lambda o: (4 - o.severity, o.alerts, o.subscribers)):
		rows.append([o.gt or '', o.network or '', o.country or '',
			     'yes' if o.spoofed else '', _sev(o.severity), o.incidents, o.alerts,
			     o.written, o.subscribers, fmt_ts(o.span.first), fmt_ts(o.span.last),
			     _top_names(o.rules.counts)])
	note = 'ranked by severity, then alerts raised; subscribers targeted: summed over the ' \
		'origin\'s incidents'
	if agg.origins.dropped_keys:
		note += '; %d lighter origins were dropped while reading (bounded memory)' % \
			agg.origins.dropped_keys
	return Table('origins', 'Top offending origins',
		     ['origin GT', 'network', 'country', 'spoofed', 'max severity', 'incidents',
		      'alerts raised', 'alert lines', 'subscribers targeted', 'first seen',
		      'last seen', 'rules'], rows, note)


def alert_origins(agg):
	"""Origins from alert lines alone (input without incident lines)."""
	rows = []
	for o in agg.alert_origins.top(agg.top, key=lambda o: (4 - o['severity'], o['alerts'])):
		rows.append([o['gt'], _sev(o['severity']), o['alerts'],
			     ('>=%d' if o['subs_capped'] else '%d') % len(o['subs']),
			     fmt_ts(o['span'].first), fmt_ts(o['span'].last),
			     _top_names(o['rules'].counts)])
	return Table('origins', 'Top offending origins (from alert lines)',
		     ['origin GT', 'max severity', 'alert lines', 'subscribers targeted',
		      'first seen', 'last seen', 'rules'], rows,
		     'no incident events in input: origins are the calling GTs of the alert lines')


def countries(agg):
	rows = [[c['country'], ('>=%d' if len(c['origins']) >= ORIGINS_PER_COUNTRY else '%d') %
		 len(c['origins']), c['incidents'], c['alerts']]
		for c in agg.countries.top(agg.top * 4)]
	return Table('countries', 'Alerts by origin country',
		     ['country', 'origins', 'incidents', 'alerts raised'], rows,
		     '' if agg.incident_lines else 'no incident events in input: countries unknown')


def matrix(agg):
	if agg.traffic:
		ops = sorted({op for op, _ in agg.traffic})
		rows = []
		for op in ops:
			row = [op]
			for c in FS11:
				cell = agg.traffic.get((op, c))
				row += [cell[0] if cell else 0, cell[1] if cell else 0]
			rows.append(row)
		cols = ['operation']
		for c in FS11:
			cols += ['seen ' + c, 'violations ' + c]
		return Table('matrix', 'Operations by FS.11 category', cols, rows,
			     'messages per MAP operation and FS.11 category (stats events)')
	cats = sorted({c for _, c in agg.alert_ops})
	ops = sorted({op for op, _ in agg.alert_ops})
	rows = [[op] + [agg.alert_ops.get((op, c), 0) for c in cats] for op in ops]
	return Table('matrix', 'Alert lines by operation and rule category', ['operation'] + cats,
		     rows, 'no stats events in input: alert lines only, by the category of the rule')


def incidents(agg):
	rows = []
	if agg.incident_lines:
		shown = agg.incidents.top(agg.incidents_shown)
		for i in sorted(shown, key=lambda i: (i.first or 0, i.id or 0)):
			rows.append([i.id if i.id is not None else '', i.origin or '', i.network or '',
				     i.country or '', fmt_ts(i.first), fmt_ts(i.last),
				     _duration(i.first, i.last), _sev(i.severity), i.alerts,
				     i.written, i.subscribers, _top_names(i.rules),
				     _top_names(i.threats), i.closed_by])
		note = '%d incidents' % agg.incident_lines
		if agg.incident_lines > len(rows):
			note += '; the %d most severe (then largest) shown' % len(rows)
		return Table('incidents', 'Incident timeline',
			     ['incident', 'origin GT', 'network', 'country', 'first', 'last',
			      'duration', 'max severity', 'alerts', 'alert lines', 'subscribers',
			      'rules', 'threats', 'closed by'], rows, note)
	shown = agg.alert_incidents.top(agg.incidents_shown,
					key=lambda g: (4 - g['severity'], g['alerts']))
	for g in sorted(shown, key=lambda g: (g['span'].first or 0, g['id'])):
		rows.append([g['id'], g['origin'] or '', fmt_ts(g['span'].first),
			     fmt_ts(g['span'].last), _duration(g['span'].first, g['span'].last),
			     _sev(g['severity']), g['alerts'],
			     ('>=%d' if g['subs_capped'] else '%d') % len(g['subs']),
			     _top_names(g['rules'].counts), _top_names(g['threats'].counts)])
	return Table('incidents', 'Incident timeline (grouped from alert lines)',
		     ['incident', 'origin GT', 'first', 'last', 'duration', 'max severity',
		      'alert lines', 'subscribers', 'rules', 'threats'], rows,
		     'no incident events in input: alert lines grouped by their incident_id')


def timeseries(agg):
	b = agg.time
	series = b.series()
	rows = [[fmt_ts(b.start(k))] + [b.data[k].get(s, 0) for s in series] for k in sorted(b.data)]
	return Table('timeseries', 'Traffic and alerts over time (per %s)' % width_name(b.width),
		     ['from'] + series, rows,
		     'messages and alerted: stats events; alerts:THREAT: alert lines')


def severities(agg):
	rows = [[s, agg.severity.counts.get(s, 0), agg.incidents_by_severity.counts.get(s, 0)]
		for s in SEVERITIES]
	return Table('severity', 'By severity', ['severity', 'alert lines', 'incidents'], rows,
		     '1 high, 2 medium, 3 low')


def build(agg, rs, home=None, networks=None, catalogue=None):
	return [
		coverage(agg, rs), checked(agg, home, networks, catalogue), inputs(agg),
		decode_errors(agg), severities(agg), rules(agg, catalogue), threats(agg),
		partners(agg), partner_trend(agg), networks_table(networks),
		origins(agg) if agg.incident_lines else alert_origins(agg), countries(agg),
		matrix(agg), incidents(agg), timeseries(agg), decoder_counters(agg),
	]
