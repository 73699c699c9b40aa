# shellcheck shell=bash disable=SC2034  # (sets what its callers use)
# Shared by contrib/bench.sh and contrib/bench_live.sh (bash): their options, the checkout
# and the binaries under test. Sourced, then bench_args DEFAULT_N "$@".

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# die MESSAGE: "SCRIPT: MESSAGE", exit 1
die() {
	echo "$(basename "$0"): $*"
	exit 1
}

# bench_args DEFAULT_N [-n MESSAGES] [-b BUILD_DIR]: sets n (messages per run), build (default
# $top/build) and bin, its ss7watch
bench_args() {
	local o OPTIND=1
	n=$1
	shift
	build="$top/build"
	while getopts "n:b:" o; do
		case $o in
		n) n=$OPTARG ;;
		b) build=$OPTARG ;;
		*) echo "usage: $0 [-n MESSAGES] [-b BUILD_DIR]"; exit 2 ;;
		esac
	done
	bin="$build/src/ss7watch"
}

# need_tool CMD [HINT]: die unless CMD is on the PATH
need_tool() {
	command -v "$1" >/dev/null || die "$1 missing${2:+ $2}"
}
