"""--csv DIR: every table of the report as DIR/ID.csv, header row first."""
import csv
import os


def write(tables, outdir):
	os.makedirs(outdir, exist_ok=True)
	names = []
	for t in tables:
		path = os.path.join(outdir, t.id + '.csv')
		with open(path, 'w', newline='', encoding='utf-8') as f:
			w = csv.writer(f)
			w.writerow(t.columns)
			w.writerows(t.rows)
		names.append(path)
	return names
