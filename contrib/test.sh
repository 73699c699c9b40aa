#!/bin/sh
# Command 2 of the README (and of .ci/run): install, build with ASan+UBSan and -Werror, run
# the whole test suite, then a short libFuzzer pass over every harness.
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
contrib/install-deps.sh
autoreconf -fi >/dev/null 2>&1
rm -rf build-test
mkdir build-test
cd build-test
../configure --enable-sanitize --enable-werror >/dev/null
make -s -j"$(nproc)" >/dev/null
rc=0
make -s check TESTSUITEFLAGS="-j$(nproc)" >check.out 2>&1 || rc=$?
cat check.out
passed=$(grep -Ec '^ *[0-9]+: .* ok$' check.out || true)
failed=$(grep -Ec '^ *[0-9]+: .* FAILED' check.out || true)
skipped=$(grep -Ec '^ *[0-9]+: .* skipped \(' check.out || true)
if [ $rc -ne 0 ]; then
	[ -f tests/testsuite.log ] && tail -n 150 tests/testsuite.log
	echo "testsuite: $passed passed, $failed failed, $skipped skipped"
	exit $rc
fi
FUZZ_OUT="$top/build-test/fuzz-out" "$top/contrib/fuzz.sh" "${FUZZ_SECONDS:-30}"
echo "testsuite: $passed passed, $failed failed, $skipped skipped"
