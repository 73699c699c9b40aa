"""The report's plots as inline SVG (matplotlib, Agg backend: no display, no network).

Text is drawn as paths, so the SVG needs no font on the reader's machine.
"""
import datetime
import io

import matplotlib
matplotlib.use('Agg')
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from .aggregate import FS11  # noqa: E402
from .bounded import EPOCH, width_name  # noqa: E402

matplotlib.rcParams.update({
	'svg.fonttype': 'path',
	'svg.hashsalt': 'ss7watch-report',	# the same input gives the same SVG
	'font.size': 9,
	'axes.spines.top': False,
	'axes.spines.right': False,
})

THREAT_COLOURS = {
	'location-tracking': '#d62728', 'interception': '#9467bd', 'subscriber-info': '#ff7f0e',
	'fraud': '#8c564b', 'dos': '#e377c2', 'recon': '#1f77b4', 'anomaly': '#7f7f7f',
}
SEV_COLOURS = {1: '#d62728', 2: '#ff7f0e', 3: '#1f77b4'}


def _svg(fig):
	buf = io.StringIO()
	fig.savefig(buf, format='svg', bbox_inches='tight', metadata={'Date': None, 'Creator': None, 'Format': None, 'Type': None})
	plt.close(fig)
	s = buf.getvalue()
	# inline in HTML: drop the XML prolog and DOCTYPE, keep the <svg> element
	return s[s.index('<svg'):]


def _dt(t):
	return EPOCH + datetime.timedelta(seconds=t)


def timeline(agg):
	b = agg.time
	if not b.data:
		return None
	keys = sorted(b.data)
	x = [_dt(b.start(k)) for k in keys]
	width = b.width / 86400.0 * 0.9
	fig, ax = plt.subplots(figsize=(11, 3.6))
	bottom = [0] * len(keys)
	threats = [s for s in b.series() if s.startswith('alerts:')]
	for s in threats:
		y = [b.data[k].get(s, 0) for k in keys]
		name = s[len('alerts:'):]
		ax.bar(x, y, width=width, bottom=bottom, align='edge', label=name,
		       color=THREAT_COLOURS.get(name))
		bottom = [a + c for a, c in zip(bottom, y)]
	ax.set_ylabel('alert lines per %s' % width_name(b.width))
	if 'messages' in b.series():
		ax2 = ax.twinx()
		ax2.spines['right'].set_visible(True)
		ax2.plot(x, [b.data[k].get('messages', 0) for k in keys], color='#2ca02c',
			 drawstyle='steps-post', label='messages (stats)')
		ax2.plot(x, [b.data[k].get('alerted', 0) for k in keys], color='#000000',
			 linestyle=':', drawstyle='steps-post', label='alerted messages (stats)')
		ax2.set_ylabel('messages per %s' % width_name(b.width))
		ax2.legend(loc='upper right', frameon=False)
	if threats:
		# below the axes: above them it would cover the bars
		ax.legend(loc='upper center', bbox_to_anchor=(0.5, -0.12), frameon=False,
			  ncol=len(threats))
	ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
	ax.set_title('Traffic and alerts over time, by threat (UTC)')
	return _svg(fig)


def heatmap(table):
	if not table.rows:
		return None
	cols = table.columns[1:]
	if table.columns[1].startswith('seen '):
		# the seen columns only; the violations go into the cell labels
		idx = [i for i, c in enumerate(cols) if c.startswith('seen ')]
		labels = [cols[i][len('seen '):] for i in idx]
		data = [[r[1 + i] for i in idx] for r in table.rows]
		notes = [['%d/%d' % (r[2 + i], r[1 + i]) if r[1 + i] else '' for i in idx]
			 for r in table.rows]
		title = 'Messages by operation and FS.11 category (cell: violations/seen)'
	else:
		labels = cols
		data = [r[1:] for r in table.rows]
		notes = [[str(v) if v else '' for v in r] for r in data]
		title = 'Alert lines by operation and rule category'
	ops = [r[0] for r in table.rows]
	fig, ax = plt.subplots(figsize=(2.2 + 1.3 * len(labels), 1.2 + 0.28 * len(ops)))
	peak = max(max(r) for r in data) or 1
	im = ax.imshow([[v / peak for v in r] for r in data], cmap='YlOrRd', aspect='auto',
		       vmin=0, vmax=1)
	ax.set_xticks(range(len(labels)), labels)
	ax.set_yticks(range(len(ops)), ops)
	for y, r in enumerate(notes):
		for x, s in enumerate(r):
			if s:
				ax.text(x, y, s, ha='center', va='center', fontsize=7,
					color='white' if data[y][x] > peak * 0.6 else 'black')
	ax.set_title(title)
	fig.colorbar(im, ax=ax, fraction=0.04, label='share of the largest cell')
	return _svg(fig)


def countries(table):
	rows = [r for r in table.rows if r[3]]
	if not rows:
		return None
	rows = rows[:30]
	fig, ax = plt.subplots(figsize=(8, 0.8 + 0.3 * len(rows)))
	ax.barh([r[0] for r in rows][::-1], [r[3] for r in rows][::-1], color='#d62728')
	ax.set_xlabel('alerts raised')
	ax.set_title('Alerts by origin country')
	return _svg(fig)


def incident_timeline(agg):
	if not agg.incident_lines:
		return None
	shown = [i for i in agg.incidents.top(40) if i.first is not None]
	if not shown:
		return None
	shown.sort(key=lambda i: (i.first, i.id or 0))
	fig, ax = plt.subplots(figsize=(11, 0.9 + 0.24 * len(shown)))
	span = max((i.last or i.first) for i in shown) - min(i.first for i in shown)
	minw = max(span / 400.0, 1.0) / 86400.0
	for y, i in enumerate(shown):
		w = max(((i.last or i.first) - i.first) / 86400.0, minw)
		ax.barh(y, w, left=mdates.date2num(_dt(i.first)), height=0.7,
			color=SEV_COLOURS.get(i.severity, '#7f7f7f'))
	ax.set_yticks(range(len(shown)), ['#%s %s' % (i.id if i.id is not None else '?',
						       i.origin or i.network or '') for i in shown])
	ax.invert_yaxis()
	ax.xaxis_date()
	ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
	ax.legend(handles=[Patch(color=c, label='severity %d' % sev)
			   for sev, c in SEV_COLOURS.items()], loc='lower right', frameon=False)
	ax.set_title('Incidents, first to last alert (UTC; the %d most severe)' % len(shown))
	return _svg(fig)


def partner_trend(agg, names):
	"""Messages and violations per bucket of the heaviest partners, one line each."""
	names = [n for n in names if n in agg.partner_time][:8]
	if not names:
		return None
	fig, (a1, a2) = plt.subplots(1, 2, figsize=(11, 3.4))
	for n in names:
		b = agg.partner_time[n]
		keys = sorted(b.data)
		x = [_dt(b.start(k)) for k in keys]
		a1.plot(x, [b.data[k].get('seen', 0) for k in keys], drawstyle='steps-post', label=n)
		a2.plot(x, [b.data[k].get('alerted', 0) for k in keys], drawstyle='steps-post',
			label=n)
	width = width_name(agg.partner_time[names[0]].width)
	a1.set_title('Messages per %s, by partner' % width)
	a2.set_title('Violations per %s, by partner' % width)
	for a in (a1, a2):
		a.xaxis.set_major_formatter(mdates.ConciseDateFormatter(a.xaxis.get_major_locator()))
	a2.legend(loc='upper left', bbox_to_anchor=(1.0, 1.0), frameon=False)
	return _svg(fig)
