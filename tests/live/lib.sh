# Shared by the live tests (tests/live, tests/daemon): bounded waits and a misbehaving peer.
# Sourced after the caller set WORK (its temporary directory), PIDS (background processes
# to stop on exit) and PORT_STP.

cleanup() {
	for p in $PIDS; do
		kill "$p" 2>/dev/null
	done
	for p in $PIDS; do
		wait "$p" 2>/dev/null
	done
	if [ -n "${SW_KEEP_WORK:-}" ]; then
		echo "kept $WORK" >&2
	else
		rm -rf "$WORK"
	fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM

fail() {
	echo "FAIL: $*" >&2
	for f in "$WORK"/*.log "$WORK"/*.err; do
		[ -f "$f" ] || continue
		echo "--- $f (last lines)" >&2
		tail -n 15 "$f" >&2
	done
	exit 1
}

# wait_for SECONDS WHAT COMMAND...: poll every 0.1 s
wait_for() {
	_t=$(($1 * 10))
	_what=$2
	shift 2
	while ! "$@" >/dev/null 2>&1; do
		_t=$((_t - 1))
		[ $_t -gt 0 ] || fail "timeout waiting for $_what"
		sleep 0.1
	done
}

lines() {
	if [ -f "$1" ]; then wc -l < "$1"; else echo 0; fi
}

port_listening() {
	python3 - "$1" <<'EOF'
import socket, sys
s = socket.socket()
s.settimeout(0.5)
sys.exit(s.connect_ex(("127.0.0.1", int(sys.argv[1]))))
EOF
}

# bad_peer ROLE PORT: garbage and half messages, as a server (fake STP) or as clients
bad_peer() {
	python3 - "$@" <<'EOF'
import os, socket, struct, sys, time
role, port = sys.argv[1], int(sys.argv[2])

def payloads():
    # valid IPA framing (proto 0xfd = SCCP) around bytes that are not SCCP
    yield struct.pack(">HB", 6, 0xfd) + bytes.fromhex("09ff03ffff01")
    yield struct.pack(">HB", 3, 0xfd) + bytes.fromhex("1100ff")
    # an IPA CCM of an unknown type, an ID_RESP with a unit name nobody knows
    yield struct.pack(">HB", 1, 0xfe) + b"\x7f"
    yield struct.pack(">HB", 12, 0xfe) + b"\x05\x00\x08\x01nobody\x00\x00"
    # random bytes: a nonsensical IPA header
    yield os.urandom(64)

def half():
    # a header promising 256 bytes, then the peer goes away
    return struct.pack(">HB", 256, 0xfd) + b"\x09\x00\x03"

if role == "server":
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", port))
    ls.listen(4)
    ls.settimeout(20)
    c, _ = ls.accept()
    for p in payloads():
        try:
            c.sendall(p)
        except OSError:
            break
        time.sleep(0.05)
    c.close()
    c, _ = ls.accept()
    c.sendall(half())
    time.sleep(0.1)
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    c.close()  # RST
    ls.close()
else:
    for i in range(20):
        c = socket.create_connection(("127.0.0.1", port), timeout=2)
        for j, p in enumerate(payloads()):
            if j > i % 5:
                break
            try:
                c.sendall(p)
            except OSError:
                break
        if i % 2:
            try:
                c.sendall(half())
            except OSError:
                pass
        c.close()
EOF
}

# the STP: one AS per peer (over IPA the AS name is the peer's unit name); ss7replay's
# traffic goes to the detector's AS, broadcast to all its ASPs
write_stp_cfg() {
	cat > "$WORK/stp.cfg" <<EOF
log stderr
 logging filter all 1
 logging color 0
 logging print category 1
 logging timestamp 1
 logging level set-all notice
line vty
 no login
 bind 127.0.0.1
cs7 instance 0
 point-code 0.23.1
 as ss7watch ipa
  routing-key 0 0.23.2
  traffic-mode broadcast
 as ss7replay ipa
  routing-key 0 0.23.3
  point-code override dpc 0.23.2
 route-table system
  update route 0.23.2 7.255.7 linkset ss7watch
 listen ipa $PORT_STP
  local-ip 127.0.0.1
  accept-asp-connections dynamic-permitted
EOF
}
