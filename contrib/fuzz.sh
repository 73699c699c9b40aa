#!/bin/sh
# Build the libFuzzer harnesses with clang and run each for a while.
#   contrib/fuzz.sh [SECONDS_PER_HARNESS]   (default 60; CI runs a short pass)
# Harnesses: tests/fuzz/fuzz_frames.c (link layer to MAP, several frames per input, so SCTP
# and XUDT reassembly are fuzzed), tests/fuzz/fuzz_sccp.c (SCCP and up, the live path).
# Seeds come from every committed trace. Crashes are left as crash-* files in fuzz-out/.
set -e
secs=${1:-60}
top=$(cd "$(dirname "$0")/.." && pwd)
out=${FUZZ_OUT:-$top/fuzz-out}
mkdir -p "$out"
CC=${FUZZ_CC:-clang}
command -v "$CC" >/dev/null || { echo "fuzz.sh: $CC not found (apt-get install clang)"; exit 1; }

srcs=$(sed -n '/^libss7watch_la_SOURCES/,/\$(NULL)/p' "$top/src/Makefile.am" | grep '\.c' | tr -d '\\\t ' | sed "s|^|$top/src/|")
flags="-g -O1 -std=gnu11 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -I$top/include -DPACKAGE_VERSION=\"fuzz\""
libs=$(pkg-config --cflags --libs libosmocore libosmogsm libosmovty libosmoctrl libosmo-sigtran libosmo-netif jansson talloc libpcap nettle)

traces=$(ls "$top"/traces/*.pcap "$top"/traces/gen/*.pcap 2>/dev/null; \
	[ -d "$top/../shared/traces" ] && ls "$top"/../shared/traces/*.pcap "$top"/../shared/traces/derived/*.pcap 2>/dev/null; true)
rm -rf "$out/seeds"
python3 "$top/tests/fuzz/make_corpus.py" "$out/seeds" $traces

for h in fuzz_frames fuzz_sccp; do
	echo "fuzz.sh: building $h"
	# shellcheck disable=SC2086
	$CC $flags -o "$out/$h" "$top/tests/fuzz/$h.c" $srcs $libs -lm
	seeds="$out/seeds/frames"
	[ "$h" = fuzz_sccp ] && seeds="$out/seeds/sccp"
	mkdir -p "$out/corpus-$h" "$seeds"
	echo "fuzz.sh: running $h for ${secs}s"
	rc=0
	(cd "$out" && ASAN_OPTIONS=detect_leaks=1 "./$h" -max_total_time="$secs" -max_len=8192 \
		-rss_limit_mb=2048 -timeout=10 -print_final_stats=1 "corpus-$h" "$seeds" \
		>"$out/$h.log" 2>&1) || rc=$?
	tail -n 8 "$out/$h.log"
	if [ $rc -ne 0 ]; then
		echo "fuzz.sh: $h FAILED (exit $rc); see $out/$h.log and the crash-* file in $out"
		exit 1
	fi
done
echo "fuzz.sh: no crash"
