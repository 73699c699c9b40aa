#!/bin/sh
# Command 1 of the README: install, build, and run ss7watch on the bundled demo trace with
# the bundled example config. Alerts go to standard output, the summary to standard error.
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
contrib/install-deps.sh
[ -x configure ] || autoreconf -fi >/dev/null
mkdir -p build
cd build
# no -Werror here: a new compiler's new warning must not keep a user from the demo
[ -f Makefile ] || ../configure >/dev/null
make -s -j"$(nproc)" >/dev/null
./src/ss7watch -c ../doc/examples/ss7watch.cfg -o - --summary -r ../traces/demo.pcap
