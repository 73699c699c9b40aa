#!/usr/bin/env python3
"""statsd_listen.py PORT FILE: append every statsd datagram received on 127.0.0.1:PORT to
FILE, one metric a line, until killed. FILE exists once the port is bound."""
import socket
import sys

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", int(sys.argv[1])))
with open(sys.argv[2], "a") as f:
    while True:
        data, _ = s.recvfrom(65536)
        f.write(data.decode(errors="replace").rstrip("\n") + "\n")
        f.flush()
