"""--misp: a MISP event with one `ss7-attack` object per incident (per alert line when the
input has no incident lines), after the public misp-objects template
objects/ss7-attack/definition.json (name, uuid, version and attribute names below are
that template's; tests/report/ss7-attack.json is a copy the tests compare against).

Values are what the input has: pseudonymised input gives pseudonymised objects. Objects are
spooled to a temporary file as they are made, so memory stays bounded however long the input.
"""
import collections
import datetime
import json
import tempfile
import uuid

from .aggregate import parse_ts, fmt_ts, _s, _obj, _i
from .bounded import EPOCH

TEMPLATE_NAME = 'ss7-attack'
TEMPLATE_UUID = 'f3493d8b-a7ab-48d0-a775-046c4d64d782'
TEMPLATE_VERSION = 5
META_CATEGORY = 'network'

# object_relation -> (MISP type, disable_correlation) as in the template. The category is
# MISP's default for the type (describeTypes: text and datetime -> Other).
RELATIONS = {
	'Category': ('text', True), 'MapVersion': ('text', True), 'SccpCgGT': ('text', False),
	'SccpCdGT': ('text', False), 'SccpCgPC': ('text', False), 'SccpCdPC': ('text', False),
	'SccpCgSSN': ('text', True), 'SccpCdSSN': ('text', True), 'MapOpCode': ('text', True),
	'MapApplicationContext': ('text', True), 'MapImsi': ('text', False),
	'MapMsisdn': ('text', False), 'MapMscGT': ('text', False), 'MapGsmscfGT': ('text', False),
	'MapVlrGT': ('text', False), 'MapGmlc': ('text', False), 'MapSmscGT': ('text', False),
	'MapSmsTP-OA': ('text', False), 'MapSmsTP-PID': ('text', True),
	'MapSmsTP-DCS': ('text', True), 'MapUssdContent': ('text', False),
	'SccpCgGT-CountryISO2': ('text', False), 'SccpCgGT-OperatorName': ('text', False),
	'text': ('text', True), 'first-seen': ('datetime', True),
}
CATEGORY = 'Other'

# MAP parameters of the alert line -> object_relation
MAP_PARAMS = (
	('msc_number', 'MapMscGT'), ('vlr_number', 'MapVlrGT'), ('gsmscf_address', 'MapGsmscfGT'),
	('mlc_number', 'MapGmlc'), ('service_centre_address', 'MapSmscGT'),
	('tp_originating_address', 'MapSmsTP-OA'), ('tp_pid', 'MapSmsTP-PID'),
	('tp_dcs', 'MapSmsTP-DCS'), ('ussd_string', 'MapUssdContent'),
)
# the ss7watch rule category -> the template's Category vocabulary; FS.11's sub-categories
# (Cat2.1, Cat3.2, ...) are not in ss7watch's classification, so the main number is given
FS11_CATEGORY = {'cat1': 'Cat1', 'cat2': 'Cat2', 'cat3': 'Cat3'}
SMS_RULES = ('sri-sm-not-from-smsc', 'sri-sm-without-delivery', 'mt-forward-sm-without-sri-sm',
	     'silent-sms-or-sim-ota')
SPOOF_RULES = ('gt-transport-mismatch',)
MAX_PENDING = 65536
MAX_IDS = 10


def _iso(t):
	return (EPOCH + datetime.timedelta(seconds=t)).isoformat() if t is not None else None


def _str(v):
	if isinstance(v, bool):
		return None
	if isinstance(v, (int, float)):
		return str(v)
	return _s(v, 1024)


class Details:
	"""What an incident's alert lines say that its incident line does not."""

	__slots__ = ('first', 'imsi', 'msisdn', 'categories')

	def __init__(self, first):
		self.first = first
		self.imsi = []
		self.msisdn = []
		self.categories = set()


def _categories(rule, category):
	out = set()
	if category in FS11_CATEGORY:
		out.add(FS11_CATEGORY[category])
	if rule in SMS_RULES:
		out.add('CatSMS')
	if rule in SPOOF_RULES:
		out.add('CatSpoofing')
	return out


def _message_attrs(ev):
	"""(relation, value) pairs of the triggering message of an alert line."""
	out = []
	sccp = _obj(ev.get('sccp'))
	for side, rel in (('calling', 'Cg'), ('called', 'Cd')):
		a = _obj(sccp.get(side))
		for key, suffix in (('gt', 'GT'), ('pc', 'PC'), ('ssn', 'SSN')):
			v = _str(a.get(key))
			if v is not None:
				out.append(('Sccp%s%s' % (rel, suffix), v))
	comp = _obj(ev.get('component'))
	if isinstance(comp.get('opcode'), int):
		out.append(('MapOpCode', str(comp['opcode'])))
	tcap = _obj(ev.get('tcap'))
	if _s(tcap.get('acn')):
		out.append(('MapApplicationContext', tcap['acn'] + (' - ' + tcap['acn_name'] if
			    _s(tcap.get('acn_name')) else '')))
	if isinstance(tcap.get('acn_version'), int):
		out.append(('MapVersion', str(tcap['acn_version'])))
	m = _obj(ev.get('map'))
	for key, rel in MAP_PARAMS:
		v = _str(m.get(key))
		if v is not None:
			out.append((rel, v))
	return out


def _subscriber_ids(ev):
	sub = _obj(ev.get('subscriber'))
	m = _obj(ev.get('map'))
	return (_s(sub.get('imsi')) or _s(m.get('imsi')), _s(sub.get('msisdn')) or _s(m.get('msisdn')))


class Misp:
	def __init__(self):
		self.pending = collections.OrderedDict()	# incident_id -> Details
		self.evicted = 0
		self.rule_category = {}
		self.alert_spool = tempfile.TemporaryFile('w+', encoding='utf-8')
		self.incident_spool = tempfile.TemporaryFile('w+', encoding='utf-8')
		self.alert_objects = 0
		self.incident_objects = 0
		self.severity = {'alert': 9, 'incident': 9}
		self.first = {'alert': None, 'incident': None}

	def _object(self, attrs, comment, kind, t, sev):
		seen = set()
		out = []
		for rel, value in attrs:
			if value is None or (rel, value) in seen:
				continue
			seen.add((rel, value))
			typ, nocorr = RELATIONS[rel]
			out.append({'uuid': str(uuid.uuid4()), 'object_relation': rel, 'type': typ,
				    'category': CATEGORY, 'value': value, 'to_ids': False,
				    'disable_correlation': nocorr, 'distribution': '5',
				    'comment': ''})
		obj = {'uuid': str(uuid.uuid4()), 'name': TEMPLATE_NAME,
		       'meta-category': META_CATEGORY, 'description':
		       'SS7 object of an attack seen on a GSM, UMTS or LTE network via SS7 logging.',
		       'template_uuid': TEMPLATE_UUID, 'template_version': str(TEMPLATE_VERSION),
		       'distribution': '5', 'sharing_group_id': '0', 'comment': comment,
		       'deleted': False, 'Attribute': out}
		spool = self.alert_spool if kind == 'alert' else self.incident_spool
		spool.write(json.dumps(obj, separators=(',', ':')) + '\n')
		self.severity[kind] = min(self.severity[kind], sev)
		if t is not None and (self.first[kind] is None or t < self.first[kind]):
			self.first[kind] = t

	def feed(self, ev):
		et = ev.get('event_type')
		if et == 'alert':
			self._alert(ev)
		elif et == 'incident':
			self._incident(ev)

	def _alert(self, ev):
		a = _obj(ev.get('alert'))
		rule = _s(a.get('rule')) or ''
		cat = _s(a.get('category'), 32) or ''
		if rule and (rule in self.rule_category or len(self.rule_category) < 1024):
			self.rule_category[rule] = cat
		sev = a.get('severity') if a.get('severity') in (1, 2, 3) else 9
		t = parse_ts(ev.get('timestamp'))
		imsi, msisdn = _subscriber_ids(ev)
		cats = _categories(rule, cat)
		iid = ev.get('incident_id')
		if isinstance(iid, int) and not isinstance(iid, bool):
			d = self.pending.get(iid)
			if d is None:
				if len(self.pending) >= MAX_PENDING:
					self.pending.popitem(last=False)
					self.evicted += 1
				d = self.pending[iid] = Details(_message_attrs(ev))
			for lst, v in ((d.imsi, imsi), (d.msisdn, msisdn)):
				if v and v not in lst and len(lst) < MAX_IDS:
					lst.append(v)
			d.categories |= cats
		# the per-alert object, used when the input has no incident lines
		attrs = [('Category', c) for c in sorted(cats)] + _message_attrs(ev)
		attrs += [('MapImsi', imsi), ('MapMsisdn', msisdn), ('first-seen', _iso(t))]
		attrs.append(('text', 'ss7watch alert %s (sid %s rev %s, %s, threat %s, severity %s): '
			      '%s; frame %s of %s' % (
				      rule, a.get('signature_id'), a.get('rev'), cat, a.get('threat'),
				      a.get('severity'), _s(a.get('signature'), 200) or '',
				      ev.get('pcap_cnt'), _s(ev.get('pcap_filename'), 512) or
				      _s(ev.get('in_iface'), 64) or '?')))
		self._object(attrs, 'alert %s at %s' % (rule, fmt_ts(t)), 'alert', t, sev)
		self.alert_objects += 1

	def _incident(self, ev):
		inc = _obj(ev.get('incident'))
		org = _obj(inc.get('origin'))
		iid = ev.get('incident_id')
		d = self.pending.pop(iid, None) if isinstance(iid, int) else None
		rules = _obj(inc.get('rules'))
		cats = set(d.categories) if d else set()
		for r in list(rules)[:64]:
			cats |= _categories(r, self.rule_category.get(r, ''))
		if org.get('spoofed') is True:
			cats.add('CatSpoofing')
		attrs = [('Category', c) for c in sorted(cats)]
		gt = _s(org.get('gt'), 32)
		msg = d.first if d else []
		# the origin of the incident first: its GT is what the template's CgGT is for
		attrs += [('SccpCgGT', gt), ('SccpCgGT-CountryISO2', _s(org.get('country'), 8)),
			  ('SccpCgGT-OperatorName', _s(org.get('network')))]
		attrs += [(rel, v) for rel, v in msg if rel != 'SccpCgGT' or gt is None]
		if d:
			attrs += [('MapImsi', v) for v in d.imsi] + [('MapMsisdn', v) for v in d.msisdn]
		first = parse_ts(inc.get('first_timestamp'))
		attrs.append(('first-seen', _iso(first)))
		subs = _obj(inc.get('subscribers'))
		sev = inc.get('max_severity') if inc.get('max_severity') in (1, 2, 3) else 9
		frames = inc.get('pcap_cnt') if isinstance(inc.get('pcap_cnt'), list) else []
		text = ('ss7watch incident %s: origin %s%s%s; %s to %s; %d alerts (%d written); '
			'rules: %s; threats: %s; %d subscribers targeted; max severity %s; closed by %s; '
			'first frames %s of %s' % (
				iid, gt or _s(org.get('network')) or '?',
				' network %s' % org['network'] if _s(org.get('network')) else '',
				' country %s' % org['country'] if _s(org.get('country'), 8) else '',
				fmt_ts(first), fmt_ts(parse_ts(inc.get('last_timestamp'))),
				_i(inc.get('alerts')), _i(inc.get('written')),
				', '.join('%s %d' % (k[:64], _i(v)) for k, v in list(rules.items())[:16]),
				', '.join('%s %d' % (k[:32], _i(v)) for k, v in
					  list(_obj(inc.get('threats')).items())[:8]),
				_i(subs.get('count')), sev if sev != 9 else '?',
				_s(inc.get('closed_by'), 16) or '?',
				','.join(str(f) for f in frames[:8] if isinstance(f, int)),
				_s(ev.get('pcap_filename'), 512) or _s(ev.get('in_iface'), 64) or '?'))
		attrs.append(('text', text))
		self._object(attrs, 'incident %s' % iid, 'incident', first, sev)
		self.incident_objects += 1

	def write(self, out, title):
		kind = 'incident' if self.incident_objects else 'alert'
		spool = self.incident_spool if kind == 'incident' else self.alert_spool
		n = self.incident_objects if kind == 'incident' else self.alert_objects
		sev = self.severity[kind]
		first = self.first[kind]
		now = datetime.datetime.now(datetime.timezone.utc)
		date = (EPOCH + datetime.timedelta(seconds=first)).date() if first is not None \
			else now.date()
		head = {
			'uuid': str(uuid.uuid4()),
			'info': '%s: %d %s%s' % (title, n, kind, 's' if n != 1 else ''),
			'date': date.isoformat(),
			# MISP: 1 high, 2 medium, 3 low, 4 undefined; ss7watch: 1 high .. 3 low
			'threat_level_id': str(sev if sev in (1, 2, 3) else 4),
			'analysis': '0',		# initial: machine output nobody reviewed yet
			'distribution': '0',		# your organisation only, until someone shares it
			'published': False,
			'timestamp': str(int(now.timestamp())),
			'Attribute': [],
		}
		body = json.dumps({'Event': head}, indent=1)
		# the objects go in streamed from the spool: "Object" is the last key of Event
		cut = body.rindex('}', 0, body.rindex('}'))
		out.write(body[:cut].rstrip() + ',\n  "Object": [')
		spool.seek(0)
		for k, line in enumerate(spool):
			out.write((',\n   ' if k else '\n   ') + line.rstrip('\n'))
		out.write('\n  ]\n }\n}\n')
		return kind, n
