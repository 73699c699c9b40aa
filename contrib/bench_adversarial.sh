#!/bin/bash
# Benchmark (not a test): the cost per message of traffic shaped against ss7watch's tables,
# at 8,000 and at 64,000 messages. A table whose lookups grow with what an attacker sends
# (one long probe chain, a walk over every partial message) shows as a cost per message that
# grows with the count; bounded buckets and indexes keep it flat. Issue 11's bound: within 2x.
#   contrib/bench_adversarial.sh [-b BUILD_DIR] [-r REPEATS]
# Each shape (contrib/adversarial.py) goes through the whole pipeline (decode, track, detect,
# alerts to /dev/null) with the example config, and through --stats (decode with the
# result->invoke pairing stage, which --dump and --stats run). Cost per message = (CPU seconds of N messages
# - CPU seconds of 1 message) / N, the best of REPEATS runs (3): startup and table allocation
# are not per message. Peak RSS is printed for each size, and tshark's cost per message on the
# same 64,000-message file for scale. Then a day of floods (every shape, fresh keys, 24 hours
# of capture time, DAY_N messages, default 3,000,000) is fed to the detector through a pipe: its
# RSS at every tenth of the day. Every table has a fixed maximum and the
# sparse ones (GTs, subscribers) fault pages in as keys arrive, so RSS may grow until those
# maxima and no further: the end must stay under DAY_MAX_RSS_MB (default 512, above what the
# example config's maxima can take). Exits 1 when a shape is over the bound or memory passes
# the ceiling.
set -e
# shellcheck source=SCRIPTDIR/bench_lib.sh
. "$(dirname "$0")/bench_lib.sh"
repeats=3
args=()
while [ $# -gt 0 ]; do
	case $1 in
	-r) repeats=$2; shift 2 ;;
	*) args+=("$1"); shift ;;
	esac
done
bench_args 0 "${args[@]}"
[ -x "$bin" ] || die "$bin not built (run contrib/demo.sh or make first)"
need_tool python3
data=$(mktemp -d "${TMPDIR:-/tmp}/ss7watch-adv.XXXXXX")
trap 'rm -rf "$data"' EXIT
cfg="$top/doc/examples/ss7watch.cfg"
shapes="one-otid-many-gts one-tid sctp-fragments xudt-segments distinct-gts distinct-subscribers"
sizes="1 8000 64000"

# cpu_rss MODE FILE: best CPU seconds (user+sys) of REPEATS runs over FILE, and the peak RSS
# (KB); MODE detect (the example config) or stats
cpu_rss() {
	local best="" rss=0 tf mode_args
	tf="$data/time"
	if [ "$1" = stats ]; then mode_args=(--stats); else mode_args=(-c "$cfg" -o /dev/null); fi
	for _ in $(seq "$repeats"); do
		/usr/bin/env time -f "%U %S %M" -o "$tf" "$bin" "${mode_args[@]}" -r "$2" >/dev/null 2>&1 ||
			die "ss7watch failed on $2"
		read -r u s m <"$tf"
		c=$(echo "$u + $s" | bc -l)
		if [ -z "$best" ] || [ "$(echo "$c < $best" | bc -l)" = 1 ]; then best=$c; fi
		[ "$m" -gt "$rss" ] && rss=$m
	done
	echo "$best $rss"
}

printf "%-22s %-6s %12s %12s %7s %10s %10s %13s\n" shape mode "ns/msg @8k" "ns/msg @64k" ratio \
	"RSS@8k MB" "RSS@64k MB" "tshark ns/msg"
fail=0
for shape in $shapes; do
	for n in $sizes; do
		python3 "$top/contrib/adversarial.py" "$shape" "$n" "$data/$shape-$n.pcap"
	done
	ts=""
	if command -v tshark >/dev/null; then
		t0=$(date +%s.%N)
		tshark -n -r "$data/$shape-64000.pcap" -T fields -e gsm_old.localValue >/dev/null 2>&1 || true
		t1=$(date +%s.%N)
		ts=$(printf "%.0f" "$(echo "($t1 - $t0) * 1000000000 / 64000" | bc -l)")
	fi
	for mode in detect stats; do
		declare -A cpu=() rss=()
		for n in $sizes; do
			read -r c m < <(cpu_rss "$mode" "$data/$shape-$n.pcap")
			cpu[$n]=$c
			rss[$n]=$m
		done
		per8=$(echo "(${cpu[8000]} - ${cpu[1]}) * 1000000000 / 8000" | bc -l)
		per64=$(echo "(${cpu[64000]} - ${cpu[1]}) * 1000000000 / 64000" | bc -l)
		# a cost below the clock's resolution (10 ms) at 8k is not a ratio's denominator
		floor=$(echo "0.01 * 1000000000 / 8000" | bc -l)
		den=$(echo "if ($per8 > $floor) $per8 else $floor" | bc -l)
		ratio=$(echo "$per64 / $den" | bc -l)
		verdict=ok
		if [ "$(echo "$ratio > 2" | bc -l)" = 1 ]; then verdict=OVER; fail=1; fi
		printf "%-22s %-6s %12.0f %12.0f %6.2fx %10.1f %10.1f %13s  %s\n" "$shape" "$mode" "$per8" \
			"$per64" "$ratio" "$(echo "${rss[8000]} / 1024" | bc -l)" \
			"$(echo "${rss[64000]} / 1024" | bc -l)" "$ts" "$verdict"
		unset cpu rss
	done
done
[ $fail = 0 ] && echo "every shape within 2x between 8,000 and 64,000 messages" ||
	echo "a shape costs more than 2x per message at 64,000 than at 8,000"

# 3 million: 1.2 million distinct calling GTs, past the GT table's 1,048,576, so the end of
# the day shows memory staying where the maxima put it
day_n=${DAY_N:-3000000}
python3 "$top/contrib/adversarial.py" day "$day_n" "$data/day.pcap"
python3 - "$bin" "$cfg" "$data/day.pcap" "$day_n" "${DAY_MAX_RSS_MB:-512}" <<'PY' || fail=1
import struct, subprocess, sys, time
binary, cfg, path, n, ceiling_mb = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
def rss_kb(pid):
    for line in open("/proc/%d/status" % pid):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
p = subprocess.Popen([binary, "-c", cfg, "-o", "/dev/null", "-r", "-"], stdin=subprocess.PIPE,
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
samples = []
with open(path, "rb") as f:
    p.stdin.write(f.read(24))
    for i in range(n + 3):
        hdr = f.read(16)
        if len(hdr) < 16:
            break
        p.stdin.write(hdr + f.read(struct.unpack("<IIII", hdr)[2]))
        if i and i % (n // 10) == 0:
            # the detector has read what was written: sample once it is idle
            p.stdin.flush()
            time.sleep(0.5)
            samples.append(rss_kb(p.pid))
    p.stdin.flush()
    time.sleep(1.0)
    samples.append(rss_kb(p.pid))
p.stdin.close()
p.wait()
first, last = samples[0], samples[-1]
half = samples[len(samples) // 2]
late = samples[-4]		# at seven tenths of the day
ok = last <= ceiling_mb * 1024
print("a day of floods (%d messages over 24 h of capture time), RSS (MB) at each tenth: %s"
      % (n, " ".join("%.0f" % (s / 1024) for s in samples)))
print("RSS %.1f MB after the first tenth, %.1f MB at half time, %.1f MB at seven tenths, %.1f MB at "
      "the end: %+.1f%% over the last three tenths (the sparse GT and subscriber tables fill up to "
      "their maxima, then stay); ceiling %d MB: %s"
      % (first / 1024, half / 1024, late / 1024, last / 1024, 100.0 * (last - late) / late,
         ceiling_mb, "ok" if ok else "OVER"))
sys.exit(0 if ok else 1)
PY
exit $fail
