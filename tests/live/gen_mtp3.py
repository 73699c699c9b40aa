#!/usr/bin/env python3
"""Write a pcap (link type MTP3) of N MAP sendAuthenticationInfo invokes, one every INTERVAL
seconds, each in its own TCAP dialogue (otid = message number): a long, steady trace for the
live tests (kill the STP in the middle and see later messages arrive)."""
import struct
import sys

# SCCP UDT, called GT 4477... SSN 6 (HLR), calling GT 4912... SSN 147; TCAP Begin with an
# otid at OTID_AT, MAP SAI (opcode 56) for IMSI 234011234567890
SCCP = bytes.fromhex(
    "0900030e190b12060012044421436587090b12930012049471020000001e621c4804001400026c14a112"
    "020102020138300a800832141032547698f0")
OTID_AT = SCCP.index(bytes.fromhex("4804")) + 2


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: gen_mtp3.py OUT.pcap COUNT INTERVAL_S")
    out, count, interval = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    opc, dpc, ni = 100, 200, 2
    with open(out, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 141))
        for i in range(count):
            sccp = bytearray(SCCP)
            sccp[OTID_AT:OTID_AT + 4] = struct.pack(">I", i + 1)
            label = dpc | (opc << 14) | ((i & 0xf) << 28)
            msu = bytes([(ni << 6) | 3]) + struct.pack("<I", label) + sccp
            t = 1700000000 + i * interval
            sec = int(t)
            usec = int(round((t - sec) * 1e6))
            f.write(struct.pack("<IIII", sec, usec, len(msu), len(msu)) + msu)


if __name__ == "__main__":
    main()
