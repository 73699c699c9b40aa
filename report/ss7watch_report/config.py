"""What the report needs of an ss7watch configuration: the home network and the names of the
other networks. The file is the operator's VTY configuration; only its top-level nodes
`home-network` and `network NAME` and their `name`, `description`, `plmn` and `gt-prefix`
lines are read, the rest is ss7watch's business (ss7watch -T checks it).
"""


class ConfigError(Exception):
	"""FILE:LINE: reason."""


def read_config(path):
	try:
		with open(path, 'rb') as f:
			data = f.read(16 << 20)
	except OSError as e:
		raise ConfigError('%s: %s' % (path, e.strerror or e)) from e
	try:
		text = data.decode('utf-8')
	except UnicodeDecodeError as e:
		raise ConfigError('%s: not UTF-8 text (byte %d)' % (path, e.start)) from e
	home = None
	networks = {}
	node = None
	for n, raw in enumerate(text.splitlines(), 1):
		line = raw.rstrip()
		if not line.strip() or line.lstrip().startswith('!'):
			continue
		words = line.split()
		if not line[0].isspace():
			node = None
			if words[0] == 'home-network':
				if home is not None:
					raise ConfigError('%s:%d: a second home-network node' % (path, n))
				home = node = {'line': n, 'name': None, 'description': '', 'plmn': [],
					       'gt_prefix': []}
			elif words[0] == 'network':
				if len(words) != 2:
					raise ConfigError('%s:%d: network takes one NAME' % (path, n))
				node = networks[words[1]] = {'line': n, 'name': words[1],
					'description': '', 'plmn': [], 'gt_prefix': []}
			continue
		if node is None:
			continue
		if words[0] == 'name' and len(words) == 2:
			node['name'] = words[1]
		elif words[0] == 'description':
			node['description'] = line.split(None, 1)[1] if len(words) > 1 else ''
		elif words[0] == 'plmn':
			if len(words) != 3 or not (words[1] + words[2]).isdigit():
				raise ConfigError('%s:%d: plmn takes MCC MNC digits' % (path, n))
			node['plmn'].append(words[1] + '-' + words[2])
		elif words[0] == 'gt-prefix':
			if len(words) != 2 or not words[1].isdigit():
				raise ConfigError('%s:%d: gt-prefix takes digits' % (path, n))
			node['gt_prefix'].append(words[1])
	if home is None:
		raise ConfigError('%s:1: no home-network node: the report says which network it audits'
				  % path)
	if not home['name']:
		raise ConfigError('%s:%d: home-network has no name' % (path, home['line']))
	return home, networks


def read_rules(path):
	"""The catalogue as `ss7watch --list-rules` prints it: {id: {sid, rev, ...}}."""
	try:
		with open(path, encoding='utf-8') as f:
			lines = f.read(4 << 20).splitlines()
	except (OSError, UnicodeDecodeError) as e:
		raise ConfigError('%s: %s' % (path, getattr(e, 'strerror', None) or e)) from e
	if not lines or lines[0].split()[:3] != ['ID', 'SID', 'REV']:
		raise ConfigError('%s:1: not the output of ss7watch --list-rules' % path)
	rules = {}
	for n, line in enumerate(lines[1:], 2):
		w = line.split(None, 7)
		if not w:
			continue
		if len(w) < 8 or not w[1].isdigit() or not w[2].isdigit():
			raise ConfigError('%s:%d: expected ID SID REV CATEGORY THREAT SEVERITY ENABLED NAME'
					  % (path, n))
		rules[w[0]] = {'sid': int(w[1]), 'rev': int(w[2]), 'category': w[3], 'threat': w[4],
			       'severity': w[5], 'enabled': w[6], 'signature': w[7]}
	return rules
