#!/usr/bin/env python3
"""The "stats" events of the EVE stream (doc/alert-schema.md) against what they count:

  * the final line's "decoder" is exactly what `ss7watch --stats` prints for the trace (every
    name, every value), and its "errors" the decode_error.* counters without the prefix;
  * in every line, per traffic cell and in total, allowed + alerted == seen, and the total is
    the cells plus traffic_other;
  * with no alert filter (the config's alert-threshold lines dropped, no fold-into-scan, so
    every alert raised is written), the sum of "alerted" over the run's lines is the number
    of distinct components (pcap_cnt, component type, invoke id) the alert lines name;
  * with --stats-interval 60 a line ends at every minute boundary that a message's capture
    time (from --dump) passes, and only there, then one final line;
  * with stats-cells 4 no line lists more than 4 cells, some traffic goes to traffic_other,
    and every interval's total is the same as without the bound.

  stats_check.py --ss7watch BIN --config CFG --workdir DIR TRACE...
"""
import argparse
import json
import os
import subprocess
import sys
from datetime import datetime, timezone

bad = 0


def fail(msg):
    global bad
    bad += 1
    print('FAIL: ' + msg)


def run(bin_, *args):
    return subprocess.run([bin_] + list(args), check=True, capture_output=True, text=True).stdout


def eve(bin_, cfg, trace, out, *extra):
    # -o appends: start from an empty file
    if os.path.exists(out):
        os.unlink(out)
    run(bin_, '-c', cfg, '-r', trace, '-o', out, *extra)
    with open(out) as f:
        return [json.loads(l) for l in f]


def ts(s):
    return datetime.strptime(s, '%Y-%m-%dT%H:%M:%S.%fZ').replace(tzinfo=timezone.utc).timestamp()


def stats_lines(lines):
    return [o for o in lines if o['event_type'] == 'stats']


def check_sums(name, st):
    total = {'seen': 0, 'alerted': 0, 'allowed': 0}
    for c in st['traffic'] + [st['traffic_other']]:
        if c['allowed'] + c['alerted'] != c['seen']:
            fail('%s: cell %s: allowed %d + alerted %d != seen %d' % (name, c, c['allowed'], c['alerted'], c['seen']))
        for k in total:
            total[k] += c[k]
    if total != st['traffic_total']:
        fail('%s: traffic_total %s, the cells and other add up to %s' % (name, st['traffic_total'], total))
    t = st['traffic_total']
    if t['allowed'] + t['alerted'] != t['seen']:
        fail('%s: traffic_total does not add up: %s' % (name, t))


def check_trace(a, trace):
    base = os.path.join(a.workdir, os.path.basename(trace))
    # 1. the final line's decoder counters are --stats
    want = {}
    for l in run(a.ss7watch, '--stats', '-r', trace).splitlines():
        f = l.split()
        want[f[0]] = int(f[1])
    lines = eve(a.ss7watch, a.config, trace, base + '.60.json', '--stats-interval', '60')
    sl = stats_lines(lines)
    if not sl:
        fail('%s: no stats line' % trace)
        return
    finals = [o for o in sl if o['stats']['interval']['final']]
    if len(finals) != 1 or sl[-1] is not finals[0]:
        fail('%s: %d final lines, the last stats line final: %s' % (trace, len(finals), sl[-1]['stats']['interval']))
    fin = sl[-1]['stats']
    got = fin['decoder']
    for k in sorted(set(want) | set(got)):
        if want.get(k) != got.get(k):
            fail('%s: decoder %s: --stats %s, stats event %s' % (trace, k, want.get(k), got.get(k)))
    errs = {k[len('decode_error.'):]: v for k, v in want.items() if k.startswith('decode_error.')}
    if errs != fin['errors']:
        fail('%s: errors %s, --stats %s' % (trace, fin['errors'], errs))
    if fin['uptime']['frames_total'] != want['frames']:
        fail('%s: frames_total %s, --stats frames %s' % (trace, fin['uptime']['frames_total'], want['frames']))
    written = sum(1 for o in lines if o['event_type'] == 'alert')
    if fin['alerts']['written'] != written:
        fail('%s: alerts.written %s, %d alert lines' % (trace, fin['alerts']['written'], written))
    incidents = sum(1 for o in lines if o['event_type'] == 'incident')
    if fin['alerts']['incidents'] != incidents:
        fail('%s: alerts.incidents %s, %d incident lines' % (trace, fin['alerts']['incidents'], incidents))
    for i, o in enumerate(sl):
        check_sums('%s line %d' % (trace, i), o['stats'])
        if o['timestamp'] != o['stats']['interval']['end']:
            fail('%s line %d: timestamp %s is not the interval end' % (trace, i, o['timestamp']))
        if o.get('pcap_filename') != trace:
            fail('%s line %d: pcap_filename %s' % (trace, i, o.get('pcap_filename')))

    # 2. interval lines at the minute boundaries the messages pass
    times = sorted(ts(json.loads(l)['timestamp']) for l in run(a.ss7watch, '--dump', '-r', trace).splitlines())
    expect, end = [], (int(times[0]) // 60 + 1) * 60
    for t in times:
        if t >= end:
            expect.append(end)
            end = int(t) // 60 * 60 + 60
    ends = [ts(o['stats']['interval']['end']) for o in sl[:-1]]
    if ends != expect:
        fail('%s: interval ends %s, expected %s' % (trace, ends, expect))
    if abs(ts(sl[-1]['stats']['interval']['end']) - times[-1]) > 1e-5:
        fail('%s: the final line ends at %s, the last message is at %s' % (trace, sl[-1]['stats']['interval']['end'],
                                                                          times[-1]))
    for prev, cur in zip(sl, sl[1:]):
        if ts(cur['stats']['interval']['start']) < ts(prev['stats']['interval']['end']):
            fail('%s: interval %s starts before the previous one ended' % (trace, cur['stats']['interval']))
    if len(sl) < 2:
        fail('%s: --stats-interval 60 wrote no interval line' % trace)

    # 3. alerted == distinct alerted components when every alert raised is written
    nofilter = base + '.nofilter.cfg'
    with open(a.config) as f, open(nofilter, 'w') as g:
        for l in f:
            if not l.lstrip().startswith('alert-threshold'):
                g.write(l)
        g.write('alerts\n no fold-into-scan\n')
    lines = eve(a.ss7watch, nofilter, trace, base + '.nofilter.json', '--stats-interval', '60')
    comps = {(o['pcap_cnt'], o['component']['type'], o['component'].get('invoke_id'))
             for o in lines if o['event_type'] == 'alert' and 'component' in o}
    sl = stats_lines(lines)
    alerted = sum(c['alerted'] for o in sl for c in o['stats']['traffic'] + [o['stats']['traffic_other']])
    if alerted != len(comps):
        fail('%s: sum of alerted %d, %d distinct components with an alert line' % (trace, alerted, len(comps)))
    if sl[-1]['stats']['alerts']['suppressed'] != 0:
        fail('%s: no filter, yet alerts.suppressed %s' % (trace, sl[-1]['stats']['alerts']['suppressed']))
    print('%s: %d stats lines, %d components alerted, %d counters' % (trace, len(sl), alerted, len(want)))
    seen60 = [o['stats']['traffic_total'] for o in sl]

    # 4. stats-cells 4: the rest in traffic_other, every interval's total unchanged
    small = base + '.cells4.cfg'
    with open(nofilter) as f, open(small, 'w') as g:
        g.write(f.read() + 'alerts\n stats-cells 4\n')
    sl = stats_lines(eve(a.ss7watch, small, trace, base + '.cells4.json', '--stats-interval', '60'))
    for i, o in enumerate(sl):
        check_sums('%s cells4 line %d' % (trace, i), o['stats'])
        if len(o['stats']['traffic']) > 4:
            fail('%s: stats-cells 4, line %d lists %d cells' % (trace, i, len(o['stats']['traffic'])))
    if not any(o['stats']['traffic_other']['seen'] for o in sl):
        fail('%s: stats-cells 4 put nothing in traffic_other' % trace)
    if [o['stats']['traffic_total'] for o in sl] != seen60:
        fail('%s: stats-cells 4 changed the interval totals' % trace)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--ss7watch', required=True)
    ap.add_argument('--config', required=True)
    ap.add_argument('--workdir', default='.')
    ap.add_argument('traces', nargs='+')
    a = ap.parse_args()
    for t in a.traces:
        check_trace(a, t)
    print('%d bad' % bad)
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
