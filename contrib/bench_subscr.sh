#!/bin/sh
# Subscriber table benchmark: builds contrib/bench_subscr.c against the table sources with
# -O2 (outside the autotools build, so it never runs in 'make check') and runs it.
# Usage: contrib/bench_subscr.sh [subscribers [capacity]]  (default 10M, capacity = count)
set -e
top="$(cd "$(dirname "$0")/.." && pwd)"
out="${TMPDIR:-/tmp}/ss7watch_bench_subscr.$$"
trap 'rm -f "$out"' EXIT
gcc -std=gnu11 -O2 -march=native -DNDEBUG -I"$top/include" $(pkg-config --cflags talloc) \
	"$top/contrib/bench_subscr.c" "$top/src/track_subscr.c" "$top/src/track_gt.c" "$top/src/track_mem.c" \
	"$top/src/hash.c" "$top/src/decode_digits.c" \
	-o "$out" $(pkg-config --libs talloc)
"$out" "$@"
