"""One pass over the events: every figure of the report, in bounded memory.

Alert lines give rules, threats, operations and the time series; incident lines give origins
(GT, network, country), subscribers targeted and the timeline; stats lines give coverage
(decoder and error counters, writer drops) and traffic per partner. Each part works without
the others and the report says what was missing.
"""
import datetime

from .bounded import TopTable, Counter, Buckets, EPOCH

SEVERITIES = ('1', '2', '3')
SUBS = 256			# distinct subscribers counted exactly per origin of alert lines
ORIGINS_PER_COUNTRY = 10000	# distinct origins counted exactly per country
FS11 = ('cat1', 'cat2', 'cat3', 'none')
DIRECTIONS = ('inbound', 'outbound', 'transit')


def parse_ts(s):
	"""Seconds since the epoch of an EVE timestamp, None when it is not one."""
	if not isinstance(s, str) or len(s) > 40:
		return None
	try:
		d = datetime.datetime.fromisoformat(s[:-1] + '+00:00' if s.endswith('Z') else s)
	except ValueError:
		return None
	if d.tzinfo is None:
		d = d.replace(tzinfo=datetime.timezone.utc)
	return (d - EPOCH).total_seconds()


def fmt_ts(t):
	if t is None:
		return ''
	d = EPOCH + datetime.timedelta(seconds=t)
	return d.strftime('%Y-%m-%d %H:%M:%S')


def _s(v, limit=128):
	"""A string value of the input, bounded; anything else is None."""
	return v[:limit] if isinstance(v, str) and v else None


def _i(v):
	return v if isinstance(v, int) and not isinstance(v, bool) and v >= 0 else 0


def _obj(v):
	return v if isinstance(v, dict) else {}


class Span:
	def __init__(self):
		self.first = None
		self.last = None

	def add(self, t):
		if t is None:
			return
		if self.first is None or t < self.first:
			self.first = t
		if self.last is None or t > self.last:
			self.last = t


class Origin:
	"""An origin as incidents key it: its calling GT, else its network."""

	__slots__ = ('key', 'gt', 'network', 'country', 'spoofed', 'incidents', 'alerts',
		     'written', 'subscribers', 'severity', 'span', 'rules')

	def __init__(self, key):
		self.key = key
		self.gt = self.network = self.country = None
		self.spoofed = False
		self.incidents = self.alerts = self.written = self.subscribers = 0
		self.severity = 9
		self.span = Span()
		self.rules = Counter(64)


class Partner:
	"""A network (or, without a configured network, a country) as a source of traffic."""

	__slots__ = ('key', 'seen', 'alerted', 'alerts', 'incidents')

	def __init__(self, key):
		self.key = key
		# inbound messages by FS.11 category, the other directions in all
		self.seen = dict.fromkeys(FS11 + DIRECTIONS[1:], 0)
		self.alerted = 0
		self.alerts = {}	# alerts raised by rule category (from incidents)
		self.incidents = 0


class Incident:
	__slots__ = ('id', 'origin', 'network', 'country', 'first', 'last', 'severity', 'alerts',
		     'written', 'subscribers', 'rules', 'threats', 'closed_by', 'spoofed')


class StatsRun:
	"""The latest stats line of one run of ss7watch over one input (counters are cumulative)."""

	def __init__(self):
		self.decoder = {}
		self.errors = {}
		self.alerts = {}
		self.final = False
		self.first = None


class Aggregate:
	def __init__(self, top=25, capacity=10000, incidents_shown=60):
		self.top = top
		self.incidents_shown = incidents_shown
		self.span = Span()
		self.inputs = TopTable(256, lambda k: {'name': k, 'events': 0, 'span': Span()},
				       lambda r: r['events'])
		# alerts
		self.alert_lines = 0
		self.alert_suppressed = 0	# the `suppressed` of threshold lines
		self.pseudonymised = 0
		self.rules = {}			# rule -> {sid, rev, category, threat, signature, lines}
		self.rule_other = 0
		self.threats = Counter(64)
		self.severity = Counter(8)
		self.alert_ops = {}		# (op, category) -> alert lines
		# origins and incident groups of alert lines keep up to SUBS subscribers each
		self.alert_origins = TopTable(capacity // 5, self._alert_origin, lambda r: r['alerts'])
		self.time = Buckets(width=1)
		# incidents
		self.incident_lines = 0
		self.origins = TopTable(capacity, Origin, lambda o: o.alerts)
		self.countries = TopTable(1024, lambda k: {'country': k, 'incidents': 0,
			'alerts': 0, 'origins': set()}, lambda r: r['alerts'])
		self.partners = TopTable(1024, Partner, lambda p: sum(p.seen.values()) +
					 sum(p.alerts.values()))
		self.incidents = TopTable(incidents_shown * 4, lambda k: Incident(),
					  lambda i: (4 - i.severity) * 10 ** 15 + i.alerts)
		self.incidents_by_severity = Counter(8)
		self.incident_alerts = 0
		# alerts without incident lines fall back on incident_id groups of alert lines
		self.alert_incidents = TopTable(capacity // 5, self._alert_incident,
						lambda r: r['alerts'])
		# stats
		self.stats_lines = 0
		self.stats_runs = {}		# first frame of a run -> [StatsRun, ...]
		self.stats_span = Span()
		self.interval_seconds = set()
		self.traffic = {}		# (op, category) -> [seen, alerted]
		self.traffic_total = [0, 0]
		self.traffic_other = [0, 0]
		self.partner_time = {}		# partner -> Buckets of seen/alerted
		self.home = {}			# from the data (subscriber state of home HLRs)
		self.home_votes = Counter(64)

	@staticmethod
	def _alert_origin(key):
		return {'gt': key, 'alerts': 0, 'span': Span(), 'subs': set(), 'subs_capped': False,
			'rules': Counter(64), 'severity': 9}

	@staticmethod
	def _alert_incident(key):
		return {'id': key, 'origin': None, 'alerts': 0, 'span': Span(), 'severity': 9,
			'subs': set(), 'subs_capped': False, 'rules': Counter(64),
			'threats': Counter(16)}

	# -- events ---------------------------------------------------------------------------

	def feed(self, path, ev):
		et = ev.get('event_type')
		t = parse_ts(ev.get('timestamp'))
		name = _s(ev.get('pcap_filename'), 512) or _s(ev.get('in_iface'), 512) or \
			('(stdin)' if path == '-' else path)
		if et == 'alert':
			self._alert(ev, t)
		elif et == 'incident':
			self._incident(ev, t)
		elif et == 'stats':
			self._stats(ev, t, name)
		else:
			return
		self.span.add(t)
		inp = self.inputs.get(name)
		inp['events'] += 1
		inp['span'].add(t)

	def _alert(self, ev, t):
		a = _obj(ev.get('alert'))
		self.alert_lines += 1
		if ev.get('pseudonymised') is True:
			self.pseudonymised += 1
		rule = _s(a.get('rule')) or '(none)'
		cat = _s(a.get('category'), 32) or '(none)'
		threat = _s(a.get('threat'), 32) or '(none)'
		sev = a.get('severity')
		sev = str(sev) if sev in (1, 2, 3) else '?'
		r = self.rules.get(rule)
		if r is None:
			if len(self.rules) >= 1024:
				self.rule_other += 1
				rule = '(other)'
				r = self.rules.get(rule)
			if r is None:
				r = self.rules[rule] = {'rule': rule, 'sid': _i(a.get('signature_id')),
					'rev': _i(a.get('rev')), 'category': cat, 'threat': threat,
					'signature': _s(a.get('signature'), 200) or '', 'lines': 0,
					'raised': 0}
		r['lines'] += 1
		self.alert_suppressed += _i(a.get('suppressed'))
		self.threats.add(threat)
		self.severity.add(sev)
		comp = _obj(ev.get('component'))
		op = _s(comp.get('op'), 64)
		if op is None:
			rel = ev.get('related')
			if isinstance(rel, list) and rel and isinstance(rel[0], dict):
				op = _s(rel[0].get('op'), 64)
		op = op or '(none)'
		k = (op, cat)
		if k in self.alert_ops or len(self.alert_ops) < 4096:
			self.alert_ops[k] = self.alert_ops.get(k, 0) + 1
		if t is not None:
			self.time.add(t, 'alerts:' + threat)
		sub = _obj(ev.get('subscriber'))
		subid = _s(sub.get('msisdn')) or _s(sub.get('imsi'))
		# origin of the alert line: its calling GT, or the related message's
		gt = _s(_obj(_obj(ev.get('sccp')).get('calling')).get('gt'), 32)
		if gt is None:
			rel = ev.get('related')
			if isinstance(rel, list) and rel and isinstance(rel[0], dict):
				gt = _s(rel[0].get('calling_gt'), 32)
		gt = gt or _s(_obj(ev.get('evidence')).get('origin'), 32) or '(unknown)'
		o = self.alert_origins.get(gt)
		o['alerts'] += 1
		o['span'].add(t)
		o['rules'].add(rule)
		o['severity'] = min(o['severity'], int(sev) if sev != '?' else 9)
		if subid is not None:
			if len(o['subs']) < SUBS:
				o['subs'].add(subid)
			elif subid not in o['subs']:
				o['subs_capped'] = True
		iid = ev.get('incident_id')
		if isinstance(iid, int) and not isinstance(iid, bool):
			g = self.alert_incidents.get(iid)
			g['alerts'] += 1
			g['origin'] = g['origin'] or gt
			g['span'].add(t)
			g['severity'] = min(g['severity'], int(sev) if sev != '?' else 9)
			g['rules'].add(rule)
			g['threats'].add(threat)
			if subid is not None:
				if len(g['subs']) < SUBS:
					g['subs'].add(subid)
				elif subid not in g['subs']:
					g['subs_capped'] = True
		# the home network as the data shows it: the network of home subscribers' HLR
		st = _obj(sub.get('state'))
		if sub.get('home') is True and st.get('node_kind') == 'hlr':
			n = _s(st.get('network'))
			if n:
				self.home_votes.add(n)

	def _incident(self, ev, t):
		inc = _obj(ev.get('incident'))
		org = _obj(inc.get('origin'))
		self.incident_lines += 1
		gt = _s(org.get('gt'), 32)
		net = _s(org.get('network'))
		cc = _s(org.get('country'), 8)
		key = gt or ('network:' + net if net else '(unknown)')
		alerts = _i(inc.get('alerts'))
		written = _i(inc.get('written'))
		subs = _i(_obj(inc.get('subscribers')).get('count'))
		sev = inc.get('max_severity')
		sev = sev if sev in (1, 2, 3) else 9
		first = parse_ts(inc.get('first_timestamp'))
		last = parse_ts(inc.get('last_timestamp'))
		rules = {k[:128]: _i(v) for k, v in list(_obj(inc.get('rules')).items())[:64]}
		threats = {k[:32]: _i(v) for k, v in list(_obj(inc.get('threats')).items())[:16]}
		self.incident_alerts += alerts
		self.incidents_by_severity.add(str(sev) if sev != 9 else '?')

		o = self.origins.get(key)
		o.gt, o.network, o.country = gt, net or o.network, cc or o.country
		o.spoofed = o.spoofed or org.get('spoofed') is True
		o.incidents += 1
		o.alerts += alerts
		o.written += written
		o.subscribers += subs
		o.severity = min(o.severity, sev)
		o.span.add(first)
		o.span.add(last)
		for r, n in rules.items():
			o.rules.add(r, n)
			if r in self.rules:
				self.rules[r]['raised'] += n

		c = self.countries.get(cc or '(unknown)')
		c['incidents'] += 1
		c['alerts'] += alerts
		if len(c['origins']) < ORIGINS_PER_COUNTRY:
			c['origins'].add(key)

		p = self.partners.get(net or cc or '(unknown)')
		p.incidents += 1
		for r, n in rules.items():
			rc = self.rules[r]['category'] if r in self.rules else '(unknown)'
			p.alerts[rc] = p.alerts.get(rc, 0) + n

		iid = ev.get('incident_id')
		i = self.incidents.get(iid if isinstance(iid, int) else ('line', self.incident_lines))
		i.id = iid if isinstance(iid, int) else None
		i.origin, i.network, i.country = gt, net, cc
		i.spoofed = org.get('spoofed') is True
		i.first, i.last = first, last if last is not None else t
		i.severity, i.alerts, i.written, i.subscribers = sev, alerts, written, subs
		i.rules, i.threats = rules, threats
		i.closed_by = _s(inc.get('closed_by'), 16) or ''

	def _stats(self, ev, t, name):
		s = _obj(ev.get('stats'))
		self.stats_lines += 1
		iv = _obj(s.get('interval'))
		start = parse_ts(iv.get('start'))
		end = parse_ts(iv.get('end')) or t
		secs = iv.get('seconds')
		if isinstance(secs, (int, float)) and 0 < secs < 10 ** 9 and len(self.interval_seconds) < 16:
			self.interval_seconds.add(int(secs))
		self.stats_span.add(start)
		self.stats_span.add(end)
		up = _obj(s.get('uptime'))
		decoder = {k[:128]: _i(v) for k, v in list(_obj(s.get('decoder')).items())[:2048]}
		# One run of ss7watch: the same first frame (uptime.first), whatever file of a
		# directory it is replaying now (its counters count them all). Its counters only
		# grow: a smaller frame count, or a line after a final one, starts another run.
		key = _s(up.get('first'), 40) or name
		if key not in self.stats_runs and len(self.stats_runs) >= 4096:
			key = '(other)'
		runs = self.stats_runs.setdefault(key, [])
		run = runs[-1] if runs else None
		if run is None or run.final or decoder.get('frames', 0) < run.decoder.get('frames', 0):
			if len(runs) < 4096:
				run = StatsRun()
				runs.append(run)
			run.first = parse_ts(up.get('first'))
		run.decoder = decoder
		run.errors = {k[:128]: _i(v) for k, v in list(_obj(s.get('errors')).items())[:1024]}
		run.alerts = _obj(s.get('alerts'))
		run.final = iv.get('final') is True
		self.span.add(run.first)

		# traffic of this interval only
		when = start if start is not None else end
		cells = s.get('traffic')
		for c in cells[:100000] if isinstance(cells, list) else ():
			if not isinstance(c, dict):
				continue
			seen, alerted = _i(c.get('seen')), _i(c.get('alerted'))
			cat = c.get('category') if c.get('category') in FS11 else 'none'
			op = _s(c.get('operation'), 64) or '(none)'
			partner = _s(c.get('network')) or _s(c.get('country'), 8) or '(unknown)'
			d = c.get('direction')
			p = self.partners.get(partner)
			p.seen[d if d in DIRECTIONS[1:] else cat] += seen
			p.alerted += alerted
			k = (op, cat)
			if k in self.traffic or len(self.traffic) < 4096:
				cell = self.traffic.setdefault(k, [0, 0])
				cell[0] += seen
				cell[1] += alerted
			if when is not None and (partner in self.partner_time or
						 len(self.partner_time) < 256):
				b = self.partner_time.get(partner)
				if b is None:
					b = self.partner_time[partner] = Buckets(max_buckets=60, width=300)
				b.add(when, 'seen', seen)
				b.add(when, 'alerted', alerted)
		tot = _obj(s.get('traffic_total'))
		oth = _obj(s.get('traffic_other'))
		self.traffic_total[0] += _i(tot.get('seen'))
		self.traffic_total[1] += _i(tot.get('alerted'))
		self.traffic_other[0] += _i(oth.get('seen'))
		self.traffic_other[1] += _i(oth.get('alerted'))
		if _i(oth.get('seen')):
			p = self.partners.get('(beyond stats-cells)')
			p.seen['none'] += _i(oth.get('seen'))
			p.alerted += _i(oth.get('alerted'))
		if when is not None:
			if isinstance(secs, (int, float)) and secs > 0:
				self.time.set_width_at_least(int(secs))
			self.time.add(when, 'messages', _i(tot.get('seen')))
			self.time.add(when, 'alerted', _i(tot.get('alerted')))

	# -- results --------------------------------------------------------------------------

	def runs(self):
		for name, runs in self.stats_runs.items():
			for r in runs:
				yield name, r

	def _run_totals(self, part):
		tot = {}
		for _, r in self.runs():
			for k, v in getattr(r, part).items():
				tot[k] = tot.get(k, 0) + v
		return tot

	def decoder_totals(self):
		return self._run_totals('decoder')

	def error_totals(self):
		return self._run_totals('errors')

	def writer_totals(self):
		tot = {'written': 0, 'suppressed': 0, 'incidents': 0, '1': 0, '2': 0, '3': 0}
		for _, r in self.runs():
			for k in ('written', 'suppressed', 'incidents'):
				tot[k] += _i(r.alerts.get(k))
			d = _obj(r.alerts.get('dropped'))
			for k in SEVERITIES:
				tot[k] += _i(d.get(k))
		return tot

	def home_network(self):
		if self.home_votes.counts:
			return max(self.home_votes.counts.items(), key=lambda kv: kv[1])[0]
		return None
