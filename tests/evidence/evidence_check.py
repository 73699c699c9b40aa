#!/usr/bin/env python3
"""Evidence pcaps (--evidence-dir) against the alert lines and the original trace:

  * one file DIR/<incident_id>.pcap per incident that has written alerts, and no other; the
    incident line's "evidence" names it, with its frame count and cut 0;
  * `tshark -r FILE` reads every file (exit 0, as many frames as the file should hold);
  * the frames of a file are exactly, by timestamp and bytes, the trace frames (by pcap_cnt)
    its alert lines name (pcap_cnt and related[].pcap_cnt), plus their partners computed
    from --dump (the request of an alerted answer, the answers of an alerted invoke), in
    frame order, each once;
  * evidence-frames 1: each file holds one frame, the rest counted as cut (incident line and
    --summary); evidence-bytes 1024: the files hold 1024 bytes at most, the rest cut.

  evidence_check.py --ss7watch BIN --config CFG --workdir DIR TRACE

The daemon (its capture inputs read TRACE..., in the order of their `input` nodes) is checked
on what it wrote, without the limits part: each alert's frames are those of the trace its
pcap_filename names, a file holds them input by input in frame order, and the exit log's
"Evidence:" line counts the files and frames:

  evidence_check.py --ss7watch BIN --eve EVE --evidence-dir DIR --log DAEMON_LOG TRACE...

A live capture input is given as NAME=TRACE (its in_iface and the trace replayed onto its
interface): its frames are compared by bytes, their timestamps being those of the capture.
"""
import argparse
import datetime
import json
import os
import shutil
import struct
import subprocess
import sys

bad = 0


def fail(msg):
    global bad
    bad += 1
    print('FAIL: ' + msg)


def read_pcap(path):
    """[(ts_sec, ts_usec, bytes)] of a classic little/big-endian microsecond pcap."""
    with open(path, 'rb') as f:
        data = f.read()
    magic = data[:4]
    end = '<' if magic == b'\xd4\xc3\xb2\xa1' else '>'
    if struct.unpack(end + 'I', magic)[0] != 0xa1b2c3d4:
        raise ValueError('%s: not a microsecond pcap' % path)
    frames, off = [], 24
    while off + 16 <= len(data):
        sec, usec, caplen, _ = struct.unpack(end + 'IIII', data[off:off + 16])
        frames.append((sec, usec, data[off + 16:off + 16 + caplen]))
        off += 16 + caplen
    return frames, struct.unpack(end + 'I', data[20:24])[0]


def partners(dump):
    """pcap_cnt -> the frames that answer it / that it answers (same dialogue and invoke id)."""
    inv, res = {}, {}
    for o in dump:
        t, c, s = o.get('tcap', {}), o.get('component', {}), o.get('sccp', {})
        if 'invoke_id' not in c:
            continue
        if c['type'] == 'invoke' and 'otid' in t:
            inv.setdefault((t['otid'], s.get('calling', {}).get('gt', ''), c['invoke_id']), []).append(o['pcap_cnt'])
        elif c['type'] in ('returnResultLast', 'returnResult', 'returnError') and 'dtid' in t:
            res.setdefault((t['dtid'], s.get('called', {}).get('gt', ''), c['invoke_id']), []).append(o['pcap_cnt'])
    part = {}
    for k, ivs in inv.items():
        for i in ivs:
            # the answers after this invoke and before the next invoke of the same key
            later = [r for r in res.get(k, []) if r > i and not any(i < j < r for j in ivs)]
            part.setdefault(i, set()).update(later)
            for r in later:
                part.setdefault(r, set()).add(i)
    return part


def run(a, out, evdir, cfg=None, extra=()):
    if os.path.exists(out):
        os.unlink(out)
    shutil.rmtree(evdir, ignore_errors=True)
    os.makedirs(evdir)
    p = subprocess.run([a.ss7watch, '-c', cfg or a.config, '-r', a.trace, '-o', out, '--evidence-dir', evdir,
                        '--summary'] + list(extra), capture_output=True, text=True, check=True)
    with open(out) as f:
        return [json.loads(l) for l in f], p.stderr


class Trace:
    def __init__(self, ss7watch, arg):
        self.name, _, path = arg.rpartition('=')
        self.live = bool(self.name)
        self.name = self.name or path
        self.path = path
        self.frames, self.dlt = read_pcap(path)
        dump = [json.loads(l) for l in subprocess.run([ss7watch, '--dump', '-r', path], capture_output=True,
                                                      text=True, check=True).stdout.splitlines()]
        self.part = partners(dump)


def eve_time(ts):
    """(seconds, microseconds) of an EVE timestamp (UTC)."""
    d = datetime.datetime.strptime(ts, '%Y-%m-%dT%H:%M:%S.%fZ').replace(tzinfo=datetime.timezone.utc)
    return int(d.timestamp()), d.microsecond


def related_input(traces, i, n, ts):
    """The input of related frame n at time ts: the alert's own (i) when its frame n has that
    time, else the one that has (a window's alert names the input read when it expired, its
    frames may come from another); the detector keeps some times in whole seconds."""
    sec, usec = eve_time(ts)
    for j in [i] + [j for j in range(len(traces)) if j != i]:
        fr = traces[j].frames
        if len(traces) == 1 or (0 < n <= len(fr) and fr[n - 1][0] == sec and (not usec or fr[n - 1][1] == usec)):
            return j
    fail('related frame %d at %s is in no trace' % (n, ts))
    return i


def wanted(lines, traces):
    """incident_id -> {(input, pcap_cnt)} its file should hold; input: index in traces."""
    names = {t.name: i for i, t in enumerate(traces)}
    want = {}
    for o in lines:
        if o['event_type'] != 'alert':
            continue
        name = o.get('pcap_filename', o.get('in_iface'))
        if name not in names:
            fail('alert on %s, not one of the traces %s' % (name, sorted(names)))
            continue
        i = names[name]
        fr = want.setdefault(o['incident_id'], set())
        if 'component' in o:
            fr.add((i, o['pcap_cnt']))
        for r in o['alert'].get('related', []) + o.get('related', []):
            fr.add((related_input(traces, i, r['pcap_cnt'], r['timestamp']), r['pcap_cnt']))
        if 'component' in o:
            fr |= {(i, n) for n in traces[i].part.get(o['pcap_cnt'], set())}
    return want


def check_files(lines, evdir, want, traces, summary):
    """The files of evdir against want; \returns (files, frames)."""
    incidents = {o['incident_id']: o for o in lines if o['event_type'] == 'incident'}
    files = sorted(os.listdir(evdir))
    if files != sorted('%d.pcap' % i for i in want):
        fail('files %s, incidents with alert lines %s' % (files, sorted(want)))
    total = 0
    for iid, frames in sorted(want.items()):
        path = os.path.join(evdir, '%d.pcap' % iid)
        if not os.path.exists(path):
            continue
        got, fdlt = read_pcap(path)
        dlts = {traces[i].dlt for i, _ in frames}
        if dlts != {fdlt}:
            fail('%s: link type %d, the traces %s' % (path, fdlt, sorted(dlts)))
        expect = [traces[i].frames[n - 1] for i, n in sorted(frames)]
        # a live capture stamps arrival times: its frames are compared by their bytes
        live = [traces[i].live for i, _ in sorted(frames)]
        if len(got) == len(expect):
            got = [e[:2] + g[2:] if lv else g for g, e, lv in zip(got, expect, live)]
        if got != expect:
            fail('%s: %d frames, expected %d (frames %s)' % (path, len(got), len(expect), sorted(frames)))
        ev = incidents.get(iid, {}).get('incident', {}).get('evidence')
        if not ev or ev.get('file') != path or ev.get('frames') != len(expect) or ev.get('cut') != 0:
            fail('incident %d: evidence %s, expected %s with %d frames' % (iid, ev, path, len(expect)))
        ts = subprocess.run(['tshark', '-r', path], capture_output=True, text=True)
        if ts.returncode != 0 or len(ts.stdout.splitlines()) != len(expect):
            fail('tshark -r %s: exit %d, %d lines, %d frames expected: %s' % (
                path, ts.returncode, len(ts.stdout.splitlines()), len(expect), ts.stderr.strip()))
        total += len(expect)
    with_partner = sum(1 for frames in want.values() if any(traces[i].part.get(n) for i, n in frames))
    print('%d evidence files, %d frames, %d incidents with a request/answer partner' % (len(files), total,
                                                                                       with_partner))
    if not files:
        fail('no evidence file written')
    if not with_partner:
        fail('no incident has a partner frame: the check does not reach them')
    if 'Evidence: %d files, %d frames' % (len(files), total) not in summary:
        last = [l for l in summary.splitlines() if 'Evidence:' in l] or summary.splitlines()[-1:]
        fail('the summary does not say %d files, %d frames: %s' % (len(files), total, last))
    return files, total


def check_daemon(a):
    traces = [Trace(a.ss7watch, t) for t in a.trace]
    with open(a.eve) as f:
        lines = [json.loads(l) for l in f]
    with open(a.log) as f:
        summary = f.read()
    want = wanted(lines, traces)
    inputs = {i for frames in want.values() for i, _ in frames}
    print('alerts with evidence on %d of %d inputs' % (len(inputs), len(traces)))
    if len(inputs) != len(traces):
        fail('inputs without alerted frames: %s' % sorted(set(range(len(traces))) - inputs))
    check_files(lines, a.evidence_dir, want, traces, summary)
    print('%d bad' % bad)
    return 1 if bad else 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--ss7watch', required=True)
    ap.add_argument('--config')
    ap.add_argument('--workdir', default='.')
    ap.add_argument('--eve', help='the daemon: its alert file')
    ap.add_argument('--evidence-dir', help='the daemon: its evidence-directory')
    ap.add_argument('--log', help='the daemon: its log with the exit summary')
    ap.add_argument('trace', nargs='+')
    a = ap.parse_args()
    if a.eve:
        return check_daemon(a)
    if not a.config or len(a.trace) != 1:
        ap.error('replay: --config and one trace')
    traces = [Trace(a.ss7watch, a.trace[0])]
    a.trace = a.trace[0]
    evdir = os.path.join(a.workdir, 'evidence')
    lines, summary = run(a, os.path.join(a.workdir, 'ev.json'), evdir)
    want = wanted(lines, traces)
    check_files(lines, evdir, want, traces, summary)
    want = {iid: {n for _, n in frames} for iid, frames in want.items()}

    # limits: one frame an incident, then 1024 bytes for the run
    for name, setting, bound in (('frames', 'evidence-frames 1', None), ('bytes', 'evidence-bytes 1024', 1024)):
        cfg = os.path.join(a.workdir, 'limit-%s.cfg' % name)
        with open(a.config) as f, open(cfg, 'w') as g:
            g.write(f.read() + 'alerts\n %s\n' % setting)
        lines, summary = run(a, os.path.join(a.workdir, 'limit-%s.json' % name),
                             os.path.join(a.workdir, 'ev-' + name), cfg)
        written, cut = 0, 0
        for o in lines:
            ev = o.get('incident', {}).get('evidence')
            if o['event_type'] != 'incident' or not ev:
                continue
            n = len(want.get(o['incident_id'], ()))
            if ev['frames'] + ev['cut'] != n:
                fail('%s: incident %d: frames %d + cut %d != %d' % (setting, o['incident_id'], ev['frames'],
                                                                    ev['cut'], n))
            if ev['frames'] and os.path.exists(ev['file']):
                got, _ = read_pcap(ev['file'])
                if len(got) != ev['frames']:
                    fail('%s: %s holds %d frames, the line says %d' % (setting, ev['file'], len(got), ev['frames']))
                written += sum(len(g[2]) for g in got)
                if name == 'frames' and len(got) != 1:
                    fail('%s: %s holds %d frames' % (setting, ev['file'], len(got)))
            cut += ev['cut']
        if bound and written > bound:
            fail('%s: %d bytes written' % (setting, written))
        if not cut:
            fail('%s: nothing cut' % setting)
        if 'cut %d' % cut not in summary and '%d (evidence-bytes)' % cut not in summary:
            fail('%s: --summary does not count %d cut: %s' % (setting, cut, summary.splitlines()[-1]))
        print('%s: %d cut' % (setting, cut))
    print('%d bad' % bad)
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
