#!/usr/bin/env python3
"""Write a capture whose messages make the longest --dump lines a frame can carry: LUDTs
with a processUnstructuredSS-Request whose USSD string is UCS-2 (printed as hex) and
thousands of octets long, several such components in one TCAP message. Q.713 keeps a LUDT
under 4 KB, but its 2-octet length lets a sender put up to 64 KB in one.

usage: long_ussd.py OUT.pcap       write the capture
       long_ussd.py --check DUMP   every USSD string of the capture in ss7watch's --dump
                                   output, whole (exit 1 otherwise)
"""
import json
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "contrib"))
from ss7genlib.ber import seq, tlv  # noqa: E402
from ss7genlib.gsm_map import isdn  # noqa: E402
from ss7genlib.pcap import PcapWriter  # noqa: E402
from ss7genlib.sccp import sccp_addr  # noqa: E402
from ss7genlib.tcap import invoke, tcap_begin  # noqa: E402

OP_PROCESS_USSD_REQUEST = 59
DCS_UCS2 = 0x48
SCCP_LUDT = 0x13
MTP3_SIO_SCCP_NATIONAL = 0x83


def ussd_ucs2(n_octets, msisdn="447700900123"):
    text = ("Ä" * (n_octets // 2)).encode("utf-16-be")
    return seq(tlv(0x04, bytes((DCS_UCS2,))), tlv(0x04, text), tlv(0x80, isdn(msisdn)))


def ludt(called, calling, data):
    # LUDT: type, class, hop counter, four 2-octet pointers (called, calling, data, optional)
    o_called = 11
    o_calling = o_called + 1 + len(called)
    o_data = o_calling + 1 + len(calling)
    return (bytes([SCCP_LUDT, 0x00, 0x0f]) +
            struct.pack("<HHHH", o_called - 3, o_calling - 5, o_data - 7, 0) +
            bytes([len(called)]) + called + bytes([len(calling)]) + calling +
            struct.pack("<H", len(data)) + data)


# USSD string octets of each component, per frame
FRAMES = [[3800], [12000], [9000, 9000], [30000]]


def check(dump):
    want = [ucs2_octets(s) for sizes in FRAMES for s in sizes]
    got = [len(json.loads(line)["map"]["ussd_string"]) // 2 for line in open(dump)]
    print("USSD octets in the dump: %s" % got)
    if got != want:
        print("expected %s" % want)
        return 1
    return 0


def ucs2_octets(n):
    return 2 * (n // 2)


def main():
    if sys.argv[1] == "--check":
        return check(sys.argv[2])
    out = PcapWriter(sys.argv[1], linktype=141)
    called = sccp_addr(gt="447700900000", ssn=6)
    calling = sccp_addr(gt="33612345678", ssn=8)
    for n, sizes in enumerate(FRAMES):
        comps = [invoke(i + 1, OP_PROCESS_USSD_REQUEST, ussd_ucs2(s)) for i, s in enumerate(sizes)]
        tcap = tcap_begin(0x100 + n, comps=comps)
        mtp3 = bytes([MTP3_SIO_SCCP_NATIONAL, 0x01, 0x40, 0x00, 0x00])
        out.write(n, mtp3 + ludt(called, calling, tcap))
    out.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
