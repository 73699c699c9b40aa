#!/bin/bash
# Benchmark (not a test, not run in CI): the false-positive budget of issue 9.
#   [FP_CHUNK=MESSAGES] [FP_MIX=realistic|classic] contrib/fp_budget.sh [-n MESSAGES] [-b BUILD_DIR]
# Streams MESSAGES (default 10,000,000) of benign traffic of the realistic interconnect mix
# (contrib/ss7gen.py scenario, see contrib/README.md) through ss7watch with the example
# config, FP_CHUNK messages (default 5,000,000) per generator run, each with its own seed and
# piped straight into `ss7watch -r -` (nothing is written to disk but the alerts), and prints
# the alerts per 10 million messages by rule, their total and the message count.
# Target (issue 9): 0, at most 1 per 10 million. Builds ss7watch in BUILD_DIR (default
# build/) when it is not there. The alerts are counted as they come; the first 20 of each
# rule stay in fp-budget/examples-SEED.json for a look at what fired.
set -e
# shellcheck source=SCRIPTDIR/bench_lib.sh
. "$(dirname "$0")/bench_lib.sh"
bench_args 10000000 "$@"
chunk=${FP_CHUNK:-5000000}
mix=${FP_MIX:-realistic}
need_tool python3
cfg="$top/doc/examples/ss7watch.cfg"
if [ ! -x "$bin" ]; then
	echo "building ss7watch in $build ..."
	(cd "$top" && { [ -x configure ] || autoreconf -fi >/dev/null 2>&1; } &&
		mkdir -p "$build" && cd "$build" && { [ -f Makefile ] || "$top/configure" >/dev/null; } &&
		make -s -j2 >/dev/null) || die "could not build $bin"
fi
out="$top/fp-budget"
rm -rf "$out"
mkdir -p "$out"

# alerts on standard input: counts by rule to $1, the first 20 of each rule to $2; the
# stats and incident lines that come with them are not alerts
count='
import json, sys
by, ex = {}, open(sys.argv[2], "w")
for line in sys.stdin:
    ev = json.loads(line)
    if ev.get("event_type") != "alert":
        continue
    r = ev["alert"]["rule"]
    by[r] = by.get(r, 0) + 1
    if by[r] <= 20:
        ex.write(line)
json.dump(by, open(sys.argv[1], "w"))
'
left=$n
seed=1
t0=$(date +%s)
while [ "$left" -gt 0 ]; do
	c=$((left < chunk ? left : chunk))
	echo "chunk $seed: $c messages of the $mix mix (seed $seed) ..." >&2
	python3 "$top/contrib/ss7gen.py" scenario --mix "$mix" -n "$c" --seed "$seed" -o - 2>"$out/gen-$seed.txt" |
		"$bin" -c "$cfg" -o - --summary -r - 2>"$out/summary-$seed.txt" |
		python3 -c "$count" "$out/counts-$seed.json" "$out/examples-$seed.json"
	left=$((left - c))
	seed=$((seed + 1))
done
echo "generated and checked in $(($(date +%s) - t0)) s" >&2

python3 - "$out" <<'EOF'
import glob, json, os, re, sys
out = sys.argv[1]
msgs = frames = 0
for p in sorted(glob.glob(os.path.join(out, "summary-*.txt"))):
    m = re.search(r"messages (\d+), components (\d+)", open(p).read())
    if not m:
        sys.exit("no summary in %s (did ss7watch fail?)" % p)
    msgs += int(m.group(1))
for p in sorted(glob.glob(os.path.join(out, "gen-*.txt"))):
    m = re.search(r"scenario: (\d+) frames", open(p).read())
    frames += int(m.group(1)) if m else 0
by = {}
for p in sorted(glob.glob(os.path.join(out, "counts-*.json"))):
    for r, k in json.load(open(p)).items():
        by[r] = by.get(r, 0) + k
total = sum(by.values())
per = lambda k: k * 1e7 / msgs if msgs else 0.0
print("messages %d (TCAP messages ss7watch decoded; %d frames generated)" % (msgs, frames))
print("%-32s %10s %16s" % ("rule", "alerts", "per 10M msgs"))
for r, k in sorted(by.items(), key=lambda x: -x[1]):
    print("%-32s %10d %16.1f" % (r, k, per(k)))
print("%-32s %10d %16.1f" % ("total", total, per(total)))
print("target: 0 (at most 1) per 10 million benign messages")
EOF
