#!/bin/sh
# Build the libFuzzer harnesses with clang (ASan + UBSan) and run each for a while, one at a
# time; doc/fuzzing.md describes them, the figures of the long campaign and how to reproduce
# a crash.
#   contrib/fuzz.sh [SECONDS_PER_HARNESS [HARNESS ...]]   (default 60 s, every harness)
# Harnesses (tests/fuzz/): fuzz_frames (link layer to MAP, several frames per input: SCTP and
# XUDT reassembly), fuzz_sccp (SCCP and up, as the live M3UA/IPA input feeds it),
# fuzz_pipeline (decode -> track -> detect -> alert JSON, every line parsed), fuzz_config
# (the config loader, what it accepts written out and read back), fuzz_pcap (the classic pcap
# file reader against libpcap on the same bytes: any difference aborts), fuzz_event (the
# cluster worker's event records and what it feeds the decoder from them).
# Seeds come from every committed trace and config. The corpus each run grows is kept in
# fuzz-out/corpus-HARNESS and used again. Exits 1 when a harness fails, leaving the input in
# fuzz-out/crash-* (leak-*, timeout-*, oom-*); its log is fuzz-out/HARNESS.log.
# Environment: FUZZ_OUT (fuzz-out), FUZZ_CC (clang), FUZZ_JOBS (2: compiler processes),
# FUZZ_RUNS (run this many inputs per harness instead of SECONDS: a campaign),
# FUZZ_ARGS (more libFuzzer options).
set -e
secs=${1:-60}
[ $# -gt 0 ] && shift
harnesses=${*:-fuzz_frames fuzz_sccp fuzz_pipeline fuzz_config fuzz_pcap fuzz_event}
top=$(cd "$(dirname "$0")/.." && pwd)
out=${FUZZ_OUT:-$top/fuzz-out}
jobs=${FUZZ_JOBS:-2}
mkdir -p "$out/obj"
CC=${FUZZ_CC:-clang}
command -v "$CC" >/dev/null || { echo "fuzz.sh: $CC not found (apt-get install clang)"; exit 1; }

# the library's sources as src/Makefile.am lists them, built once for every harness
srcs=$(sed -n '/^libss7watch_la_SOURCES/,/\$(NULL)/p' "$top/src/Makefile.am" | grep '\.c' | tr -d '\\\t ')
san="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
cflags="-g -O1 -std=gnu11 $san -I$top/include -DPACKAGE_VERSION=\"fuzz\" \
	$(pkg-config --cflags libosmocore libosmogsm libosmovty libosmoctrl libosmo-sigtran libosmo-netif jansson talloc libpcap nettle)"
libs="$(pkg-config --libs libosmocore libosmogsm libosmovty libosmoctrl libosmo-sigtran libosmo-netif jansson talloc libpcap nettle) -lpthread -lm"
echo "fuzz.sh: building the library"
rm -f "$out"/obj/*.o
export CC cflags top out
# shellcheck disable=SC2016
printf '%s\n' $srcs | xargs -P "$jobs" -I{} sh -c \
	'$CC $cflags -fsanitize=fuzzer-no-link -c -o "$out/obj/$(basename {} .c).o" "$top/src/{}"'
for s in $srcs; do
	[ -f "$out/obj/$(basename "$s" .c).o" ] || { echo "fuzz.sh: $s did not build"; exit 1; }
done

traces=$(ls "$top"/traces/*.pcap "$top"/traces/gen/*.pcap "$top"/tests/*/traces/*.pcap 2>/dev/null; \
	[ -d "$top/../shared/traces" ] && ls "$top"/../shared/traces/*.pcap "$top"/../shared/traces/derived/*.pcap 2>/dev/null; true)
configs=$(ls "$top"/doc/examples/*.cfg "$top"/tests/*/*/*.cfg 2>/dev/null || true)
rm -rf "$out/seeds"
# shellcheck disable=SC2086
python3 "$top/tests/fuzz/make_corpus.py" "$out/seeds" $traces $configs

failed=
for h in $harnesses; do
	case $h in
	fuzz_frames) seeds=frames; max_len=8192 ;;
	fuzz_sccp) seeds=sccp; max_len=8192 ;;
	fuzz_pipeline) seeds=pipeline; max_len=1024 ;;
	fuzz_config) seeds=config; max_len=4096 ;;
	fuzz_pcap) seeds=pcap; max_len=8192 ;;
	fuzz_event) seeds=event; max_len=8192 ;;
	*) echo "fuzz.sh: no harness $h"; exit 2 ;;
	esac
	echo "fuzz.sh: building $h"
	# shellcheck disable=SC2086
	$CC $cflags -fsanitize=fuzzer -DFUZZ_CONFIG="\"$top/doc/examples/ss7watch.cfg\"" \
		-o "$out/$h" "$top/tests/fuzz/$h.c" "$out"/obj/*.o $libs
	mkdir -p "$out/corpus-$h"
	if [ -n "$FUZZ_RUNS" ]; then
		limit="-runs=$FUZZ_RUNS"
		echo "fuzz.sh: running $h for $FUZZ_RUNS inputs"
	else
		limit="-max_total_time=$secs"
		echo "fuzz.sh: running $h for ${secs}s"
	fi
	rc=0
	# shellcheck disable=SC2086
	# a 16 MB quarantine (a use after free is still caught while the block is among the last
	# 16 MB freed): the default 256 MB keeps cycling through pages the kernel must fault in
	(cd "$out" && ASAN_OPTIONS=detect_leaks=1:quarantine_size_mb=16 UBSAN_OPTIONS=print_stacktrace=1 "./$h" $limit \
		-max_len=$max_len -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 $FUZZ_ARGS \
		"corpus-$h" "seeds/$seeds" >"$out/$h.log" 2>&1) || rc=$?
	# the last status line (coverage, features, corpus, exec/s, rss) and the final stats
	grep -E '^#[0-9]+' "$out/$h.log" | tail -n 1
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$h.log")
	time_s=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$out/$h.log")
	rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$out/$h.log")
	if [ -n "$runs" ] && [ -n "$time_s" ] && [ "$time_s" -gt 0 ]; then
		echo "fuzz.sh: $h: $runs inputs in ${time_s}s, $((runs / time_s)) exec/s, peak RSS ${rss} MB"
	fi
	if [ $rc -ne 0 ]; then
		grep -E 'ERROR|runtime error|SUMMARY|abort|fuzz_' "$out/$h.log" | head -n 20
		echo "fuzz.sh: $h FAILED (exit $rc); see $out/$h.log and the crash-*/leak-*/timeout-* file in $out"
		failed="$failed $h"
	fi
done
if [ -n "$failed" ]; then
	echo "fuzz.sh: failed:$failed"
	exit 1
fi
echo "fuzz.sh: no crash"
