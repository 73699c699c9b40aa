#!/usr/bin/env python3
"""Dump and alert lines in one EVE stream, as an operator gets them with --dump and -o:
every dump line starts with timestamp, event_type "map", pcap_cnt; every alert line with
timestamp, event_type "alert", pcap_cnt, and its alert object has gid 1 and the rev that
--list-rules gives its rule; every incident line with timestamp, event_type "incident",
incident_id, and every alert's incident_id names one of them; every stats line with
timestamp, event_type "stats", pcap_filename, and the last line of the run is the final one.

  event_types.py --ss7watch BIN --config CFG TRACE
"""
import argparse
import json
import subprocess
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--ss7watch', required=True)
    ap.add_argument('--config', required=True)
    ap.add_argument('trace')
    a = ap.parse_args()

    run = lambda *args: subprocess.run([a.ss7watch] + list(args), check=True, capture_output=True,
                                       text=True).stdout.splitlines()
    rev = {l.split()[0]: int(l.split()[2]) for l in run('--list-rules')[1:]}
    lines = run('--dump', '-r', a.trace) + run('-c', a.config, '-o', '-', '-r', a.trace)
    count = {'map': 0, 'alert': 0, 'incident': 0, 'stats': 0}
    ids = set()
    bad = 0
    for line in lines:
        o = json.loads(line)
        head = list(o)[:3]
        et = o.get('event_type')
        # an incident names no frame of its own: its incident_id comes third; a stats line
        # names the input
        third = {'incident': 'incident_id', 'stats': 'pcap_filename'}.get(et, 'pcap_cnt')
        if head != ['timestamp', 'event_type', third] or et not in count:
            print('bad head %s: %s' % (head, line[:120]))
            bad += 1
            continue
        count[et] += 1
        if et == 'stats':
            if 'stats' not in o:
                print('event_type stats without a stats object')
                bad += 1
            continue
        if et == 'incident':
            ids.add(o['incident_id'])
            if 'incident' not in o:
                print('event_type incident without an incident object')
                bad += 1
            continue
        if (et == 'alert') != ('alert' in o):
            print('event_type %s with%s an alert object' % (et, '' if 'alert' in o else 'out'))
            bad += 1
        if et == 'alert':
            al = o['alert']
            if al.get('gid') != 1 or al.get('rev') != rev.get(al.get('rule')):
                print('alert %s: gid %s rev %s, --list-rules rev %s' % (al.get('rule'), al.get('gid'),
                                                                     al.get('rev'), rev.get(al.get('rule'))))
                bad += 1
    unnamed = [o for o in map(json.loads, lines) if o.get('event_type') == 'alert' and o.get('incident_id') not in ids]
    if unnamed:
        print('%d alert lines whose incident_id names no incident line' % len(unnamed))
        bad += 1
    if not json.loads(lines[-1]).get('stats', {}).get('interval', {}).get('final'):
        print('the last line of the run is not the final stats line')
        bad += 1
    print('%d map lines, %d alert lines, %d incident lines, %d stats lines, %d bad' % (
        count['map'], count['alert'], count['incident'], count['stats'], bad))
    return 1 if bad or not count['map'] or not count['alert'] or not count['incident'] else 0


if __name__ == '__main__':
    sys.exit(main())
