#!/bin/sh
# The public sigcorr captures (../shared/traces/sigcorr_*.pcap: synthetic SS7 attacks from
# sage-s11/sigcorr, one or two Begins each) against the config a CERT would write for them
# (sigcorr.cfg): every attack trace raises exactly its labelled alerts, the normal-traffic
# trace none. Exits 77 (skipped) when ../shared/traces is not beside the checkout.
#   check.sh SS7WATCH SRCDIR
set -u
ss7watch=$1
srcdir=$2
here="$srcdir/tests/detect/sigcorr"
traces="$srcdir/../shared/traces"
ls "$traces"/sigcorr_*.pcap >/dev/null 2>&1 || { echo "no $traces/sigcorr_*.pcap: skipped"; exit 77; }
rc=0
check() {
	python3 "$srcdir/tests/detect/check_alerts.py" --ss7watch "$ss7watch" --config "$here/sigcorr.cfg" "$@" \
		|| rc=1
}
for labels in "$here"/*.labels.jsonl; do
	name=$(basename "$labels" .labels.jsonl)
	check --labels "$labels" "$traces/$name.pcap"
done
check "$traces/sigcorr_normal_traffic.pcap"
# every attack trace of the folder has labels: a new capture must be reviewed, not ignored
for t in "$traces"/sigcorr_*.pcap; do
	name=$(basename "$t" .pcap)
	[ "$name" = sigcorr_normal_traffic ] || [ -f "$here/$name.labels.jsonl" ] \
		|| { echo "FAIL $t has no labels in $here"; rc=1; }
done
exit $rc
