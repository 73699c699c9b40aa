#!/usr/bin/env python3
"""Minimal CTRL client (IPA framing, protocol 0xee, extension 0x04 ... not used by CTRL).

    ctrl.py [-p PORT] [-H HOST] GET VARIABLE...   print each value on its own line
    ctrl.py [-p PORT] [-H HOST] RAW TEXT          send TEXT as is, print the full reply

Exit status 1 when a reply is an ERROR (its text goes to stderr)."""
import argparse
import socket
import struct
import sys

IPAC_PROTO_OSMO = 0xee
IPAC_PROTO_EXT_CTRL = 0x00


def request(sock, text):
    data = bytes([IPAC_PROTO_EXT_CTRL]) + text.encode()
    sock.sendall(struct.pack(">HB", len(data), IPAC_PROTO_OSMO) + data)
    while True:
        hdr = recv_exact(sock, 3)
        length, proto = struct.unpack(">HB", hdr)
        body = recv_exact(sock, length)
        # skip TRAP messages and anything that is not CTRL
        if proto != IPAC_PROTO_OSMO or body[0] != IPAC_PROTO_EXT_CTRL:
            continue
        reply = body[1:].decode(errors="replace")
        if reply.startswith("TRAP "):
            continue
        return reply


def recv_exact(sock, n):
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise ConnectionError("CTRL connection closed")
        buf += chunk
    return buf


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-H", "--host", default="127.0.0.1")
    ap.add_argument("-p", "--port", type=int, default=4291)
    ap.add_argument("-t", "--timeout", type=float, default=5)
    ap.add_argument("verb", choices=["GET", "RAW"])
    ap.add_argument("args", nargs="+")
    a = ap.parse_args()
    sock = socket.create_connection((a.host, a.port), timeout=a.timeout)
    rc = 0
    if a.verb == "RAW":
        print(request(sock, " ".join(a.args)))
        return 0
    for i, var in enumerate(a.args, 1):
        reply = request(sock, "GET %d %s" % (i, var))
        parts = reply.split(" ", 3)
        if parts[0] == "GET_REPLY" and len(parts) == 4:
            print(parts[3])
        else:
            print(reply, file=sys.stderr)
            rc = 1
    return rc


if __name__ == "__main__":
    sys.exit(main())
