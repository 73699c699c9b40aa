#!/usr/bin/env python3
"""Check ss7watch's decoding against tshark, an independent decoder, frame by frame.

usage: tshark_compare.py --ss7watch BIN [--verbose] TRACE [TRACE ...]

For every frame tshark decodes as GSM MAP without marking it malformed, ss7watch --dump must
report the same SCCP calling and called GT digits, the same MAP opcodes (none missing, none
that tshark does not show), every IMSI tshark shows (in a key named *imsi* or *reference*,
the dialogue's references may carry one), no IMSI in a key named *imsi* that tshark does not
show, and only MSISDNs that tshark also decodes as E.164 numbers.
Differences where tshark is the one that is wrong are listed in KNOWN_TSHARK_ERRORS with the
reason; they are reported, not hidden, and a listed difference that no longer occurs is
reported too so the list stays true.

A comparison that compares nothing has failed: tshark exiting non-zero (a field renamed by a
Wireshark upgrade makes it refuse the -e list), or tshark decoding fewer than MIN_COVERAGE of
the frames ss7watch decodes as MAP (malformed ones aside), stops the run with status 2.

Exit status: 0 all frames agree (or differ only as listed), 1 a mismatch, 2 cannot run or
compared too little.
"""
import json
import os
import subprocess
import sys
from collections import Counter, defaultdict

# (trace basename, frame) -> why tshark is wrong there. Keep this list short and true.
KNOWN_TSHARK_ERRORS = {
    # The XUDT to SSN 6 names an Ericsson IN application context (not MAP). tshark picks the
    # MAP dissector by SSN and reports an opcode that means something else in that context;
    # ss7watch reports the opcode but does not name it or decode it as MAP.
}

# tshark must give a verdict on at least this share of the frames ss7watch decodes as MAP
MIN_COVERAGE = 0.9

FIELDS = ["frame.number", "gsm_old.localValue", "e212.imsi", "e164.msisdn",
          "sccp.calling.digits", "sccp.called.digits", "_ws.malformed",
          "sua.source.global_title_digits", "sua.destination.global_title_digits",
          "gsm_map.old.Component", "tcap.begin_element", "tcap.oid"]


def split(s):
    return [x for x in s.split(",") if x]


def tshark_frames(path, extra_args):
    cmd = ["tshark", "-n", "-r", path] + extra_args + [
        "-Y", "gsm_map", "-T", "fields", "-E", "occurrence=a", "-E", "separator=\t",
        "-E", "aggregator=,"]
    for f in FIELDS:
        cmd += ["-e", f]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        raise CannotCompare("tshark exited with %d on %s: %s" % (p.returncode, path, p.stderr.strip()[:300]))
    frames, malformed = {}, set()
    for line in p.stdout.splitlines():
        cols = line.split("\t")
        cols += [""] * (len(FIELDS) - len(cols))
        if cols[6]:
            malformed.add(int(cols[0]))
            continue  # tshark could not decode this frame as MAP: no oracle here
        # gsm_old.localValue holds opcodes and error codes alike: drop the error codes of
        # returnError components (type 3) where the pairing is unambiguous
        vals, comps = [int(x) for x in split(cols[1])], [int(x) for x in split(cols[9])]
        if 3 not in comps:
            ops = Counter(vals)
        elif len(vals) == len(comps):
            ops = Counter(v for v, c in zip(vals, comps) if c != 3)
        else:
            ops = Counter()
        frames[int(cols[0])] = dict(ops=ops, imsi=set(split(cols[2])), e164=set(split(cols[3])),
                                    calling=split(cols[4]) or split(cols[7]),
                                    called=split(cols[5]) or split(cols[8]))
    return frames, malformed


class CannotCompare(Exception):
    pass


def walk(o, key=""):
    if isinstance(o, dict):
        for k, v in o.items():
            yield from walk(v, k)
    elif isinstance(o, list):
        for v in o:
            yield from walk(v, key)
    else:
        yield key, o


def ss7watch_frames(binary, path, extra_args):
    p = subprocess.run([binary, "--dump", "-r", path] + extra_args, capture_output=True, text=True)
    frames = defaultdict(lambda: dict(ops=Counter(), imsi=set(), imsi_only=set(), msisdn=set(),
                                      calling=set(), called=set()))
    for line in p.stdout.splitlines():
        j = json.loads(line)  # every line must be valid JSON: a parse error fails the test
        f = frames[j["pcap_cnt"]]
        comp = j.get("component") or {}
        if isinstance(comp.get("opcode"), int) and comp.get("type") != "returnError":
            f["ops"][comp["opcode"]] += 1
        sccp = j.get("sccp") or {}
        for side in ("calling", "called"):
            gt = (sccp.get(side) or {}).get("gt")
            if gt:
                f[side].add(str(gt))
        for k, v in walk(j):
            if not isinstance(v, str):
                continue
            if "imsi" in k or "reference" in k:
                f["imsi"].add(v)
            if "imsi" in k:
                f["imsi_only"].add(v)
            if k == "msisdn":
                f["msisdn"].add(v)
    return frames, p.returncode, p.stderr


def trace_options(path):
    """Per-trace decoder options, from a sidecar file TRACE.opts (one line of arguments for
    ss7watch, then optionally a line of tshark arguments)."""
    side = path + ".opts"
    if not os.path.exists(side):
        return [], []
    lines = open(side).read().splitlines() + ["", ""]
    return lines[0].split(), lines[1].split()


def compare(binary, path, verbose):
    ours_args, ts_args = trace_options(path)
    ts, ts_malformed = tshark_frames(path, ts_args)
    us, rc, err = ss7watch_frames(binary, path, ours_args)
    ours_map = [n for n, u in us.items() if u["ops"] and n not in ts_malformed]
    covered = sum(1 for n in ours_map if n in ts)
    if ours_map and covered < MIN_COVERAGE * len(ours_map):
        raise CannotCompare("%s: tshark decodes %d of the %d frames ss7watch decodes as MAP: "
                            "nothing to compare (a renamed field? a missing decode-as?)"
                            % (os.path.basename(path), covered, len(ours_map)))
    name = os.path.basename(path)
    bad = known = 0
    problems = []
    if rc != 0:
        problems.append("ss7watch exited with %d: %s" % (rc, err.strip()[:200]))
        bad += 1
    for n, t in sorted(ts.items()):
        u = us.get(n)
        why = []
        if u is None:
            why.append("no component reported")
        else:
            if t["calling"] and set(t["calling"]) != u["calling"]:
                why.append("calling GT %s vs %s" % (t["calling"], sorted(u["calling"])))
            if t["called"] and set(t["called"]) != u["called"]:
                why.append("called GT %s vs %s" % (t["called"], sorted(u["called"])))
            missing = t["ops"] - u["ops"]
            if missing:
                why.append("opcodes missing %s" % dict(missing))
            extra = u["ops"] - t["ops"]
            if extra and t["ops"]:
                why.append("opcodes tshark does not show %s" % dict(extra))
            if t["imsi"] - u["imsi"]:
                why.append("imsi missing %s" % sorted(t["imsi"] - u["imsi"]))
            if u["imsi_only"] - t["imsi"]:
                why.append("imsi tshark does not show %s" % sorted(u["imsi_only"] - t["imsi"]))
            if u["msisdn"] - t["e164"]:
                why.append("msisdn not in tshark %s" % sorted(u["msisdn"] - t["e164"]))
        reason = KNOWN_TSHARK_ERRORS.get((name, n))
        if why and reason:
            known += 1
            problems.append("frame %d: known tshark error (%s): %s" % (n, reason, "; ".join(why)))
        elif why:
            bad += 1
            problems.append("frame %d: MISMATCH %s" % (n, "; ".join(why)))
        elif reason:
            problems.append("frame %d: listed as a tshark error but now agrees: update the list" % n)
    print("%s: %d frames compared, %d mismatched, %d known tshark errors" % (name, len(ts), bad, known))
    if verbose or bad:
        for p in problems:
            print("  " + p)
    return len(ts), bad


def main():
    args = sys.argv[1:]
    binary, verbose = "ss7watch", False
    while args and args[0].startswith("--"):
        a = args.pop(0)
        if a == "--ss7watch":
            binary = args.pop(0)
        elif a == "--verbose":
            verbose = True
    if not args:
        print(__doc__)
        return 2
    total = bad = 0
    try:
        for path in args:
            n, b = compare(binary, path, verbose)
            total += n
            bad += b
    except CannotCompare as e:
        print("cannot compare: %s" % e)
        return 2
    print("total: %d frames compared with tshark, %d mismatched" % (total, bad))
    if total == 0:
        print("cannot compare: no frame compared")
        return 2
    return 0 if bad == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
