#!/bin/sh
# Record what a build of ss7watch prints for every trace the project knows, so that a change
# meant to alter no behaviour can be checked byte for byte:
#   contrib/regress.sh BUILD-A/src/ss7watch /tmp/a
#   contrib/regress.sh BUILD-B/src/ss7watch /tmp/b
#   diff -r /tmp/a /tmp/b && echo identical
# For each trace: --dump, --stats, and the alerts and --summary with the example config (the
# sigcorr captures with their own config). Also a generated 200,000-message benign scenario.
set -eu
# the seed the test suite uses: two builds hash alike, so their outputs compare
export SS7WATCH_HASH_SEED=${SS7WATCH_HASH_SEED:-0}
bin=$1
out=$2
top=$(cd "$(dirname "$0")/.." && pwd)
shared="$top/../shared/traces"
cfg="$top/doc/examples/ss7watch.cfg"
mkdir -p "$out"
# inputs made here live outside OUT, so that diff -r compares outputs only
work=${TMPDIR:-/tmp}/ss7watch-regress
mkdir -p "$work"
scen="$work/scenario-200k-seed7.pcap"
[ -f "$scen" ] || python3 "$top/contrib/ss7gen.py" scenario -n 200000 --seed 7 -o "$scen" >/dev/null 2>&1
run() {	# name trace config
	"$bin" --dump -r "$2" >"$out/$1.dump" 2>/dev/null || echo "exit $?" >>"$out/$1.dump"
	"$bin" --stats -r "$2" >"$out/$1.stats" 2>&1 || echo "exit $?" >>"$out/$1.stats"
	rm -f "$out/$1.alerts"
	"$bin" -c "$3" -o "$out/$1.alerts" --summary -r "$2" >/dev/null 2>"$out/$1.summary" \
		|| echo "exit $?" >>"$out/$1.summary"
}
for t in "$top"/traces/*.pcap "$top"/traces/gen/*.pcap* "$top"/tests/detect/traces/*.pcap \
	"$top"/tests/traces/*.pcap "$scen"; do
	run "$(basename "$t")" "$t" "$cfg"
done
if ls "$shared"/*.pcap >/dev/null 2>&1; then
	for t in "$shared"/*.pcap "$shared"/derived/*.pcap*; do
		[ -f "$t" ] || continue
		case $(basename "$t") in
		sigcorr_*) run "shared-$(basename "$t")" "$t" "$top/tests/detect/sigcorr/sigcorr.cfg" ;;
		*) run "shared-$(basename "$t")" "$t" "$cfg" ;;
		esac
	done
fi
# the pseudonymising alert path, on the demo trace
pcfg="$work/pseudonymise.cfg"
sed 's/^ *! pseudonymise key/ pseudonymise key/' "$cfg" >"$pcfg"
grep -q '^ pseudonymise key' "$pcfg" || { echo "regress: no pseudonymise line in $cfg" >&2; exit 1; }
run demo-pseudonymised "$top/traces/demo.pcap" "$pcfg"
echo "regress: $(ls "$out" | wc -l) files in $out"
