"""The self-contained HTML report: one file, styles inline, plots as inline SVG, no script."""
import datetime
import os

import jinja2
from markupsafe import Markup

from . import plots

TEMPLATES = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'templates')


def render(agg, tables, title, home_name, inputs_given):
	by_id = {t.id: t for t in tables}
	env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES),
				 autoescape=True, trim_blocks=True, lstrip_blocks=True,
				 undefined=jinja2.StrictUndefined)
	figures = {
		'timeline': plots.timeline(agg),
		'matrix': plots.heatmap(by_id['matrix']),
		'countries': plots.countries(by_id['countries']),
		'incidents': plots.incident_timeline(agg),
		'trend': plots.partner_trend(agg, [r[0] for r in by_id['partners'].rows]),
	}
	return env.get_template('report.html.j2').render(
		title=title, home=home_name, t=by_id, tables=tables,
		fig={k: Markup(v) if v else None for k, v in figures.items()},
		stats=agg.stats_lines > 0, incidents=agg.incident_lines > 0,
		pseudonymised=agg.pseudonymised, alerts=agg.alert_lines,
		files=inputs_given,
		generated=datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC'))

