#!/usr/bin/env python3
"""vty_cmd.py PORT COMMAND: run one command on a telnet VTY on 127.0.0.1 and print its
answer (the daemon tests' VTY client)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "daemon"))
from vty_ctrl_test import Vty  # noqa: E402

if __name__ == "__main__":
    print(Vty(int(sys.argv[1])).cmd(sys.argv[2]))
