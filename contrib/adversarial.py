#!/usr/bin/env python3
"""Adversarial traffic shapes for contrib/bench_adversarial.sh and tests/tracker.at: each
aims at one table keyed by values from the wire, with keys an attacker chooses.

usage: adversarial.py SHAPE N OUT.pcap

shapes:
  one-otid-many-gts   N Begins with the same OTID, each from another calling GT (one bucket
                      of the result->invoke pairing and the dialogue tables)
  one-tid             N Begins with the same OTID from the same GT (one entry, again and again)
  sctp-fragments      N first fragments of SCTP user messages that never complete (each on
                      its own stream and TSN)
  xudt-segments       N first XUDT segments that never complete (each its own local reference)
  distinct-gts        N Begins, each from another calling GT (the GT table)
  distinct-subscribers N updateLocation for N IMSIs from one VLR (the subscriber table)
  day                 N messages spread over 24 hours of capture time, cycling through every
                      shape above with fresh keys (GTs, TIDs, IMSIs, references never reused):
                      a day of floods, for the memory a long run keeps

Frames are Ethernet / IPv4 / SCTP / M3UA DATA, one message each, 1 ms apart. After the
shape, one ordinary dialogue: an SRI-for-SM and its empty ReturnResultLast (no opcode), which
the pairing must still name (map.opcode_inferred 1): a full table keeps working.
"""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ss7genlib.gsm_map import map_sri_sm, map_update_location  # noqa: E402
from ss7genlib.m3ua import m3ua_data  # noqa: E402
from ss7genlib.pcap import PcapWriter  # noqa: E402
from ss7genlib.sccp import sccp_addr, sccp_udt, sccp_xudt  # noqa: E402
from ss7genlib.tcap import invoke, result_last, tcap_begin, tcap_end  # noqa: E402
from ss7genlib.transport import ether, ip4, ipv4, mac, sctp_data_chunk, sctp_packet  # noqa: E402

OP_UPDATE_LOCATION = 2
OP_SRI_FOR_SM = 45
SSN_HLR, SSN_VLR, SSN_MSC = 6, 7, 8
SCTP_FIRST_FRAGMENT = 0x02      # B flag only: more to come
PPID_M3UA = 3
HLR_GT = "447700900000"
SMSC_GT = "447700900100"


class Link:
    """One SCTP association carrying M3UA DATA: every message a frame of its own."""

    def __init__(self, path, step=0.001):
        self.out = PcapWriter(path)
        self.tsn = 1000
        self.t = 1_700_000_000.0
        self.step = step
        self.src, self.dst = mac("02:00:00:00:00:01"), mac("02:00:00:00:00:02")

    def frame(self, sctp_chunk):
        pkt = sctp_packet(2905, 2905, 0x1234, [sctp_chunk], crc=False)
        self.out.write(self.t, ether(self.dst, self.src, ipv4(ip4("10.0.0.1"), ip4("10.0.0.2"), pkt)))
        self.t += self.step

    def sccp(self, sccp_msg, stream=1):
        self.tsn += 1
        self.frame(sctp_data_chunk(self.tsn, stream, 0, m3ua_data(100, 200, sccp_msg), PPID_M3UA))

    def close(self):
        self.out.close()


def gt_of(i):
    return "33%010d" % i


def begin_from(link, otid, gt, param):
    called, calling = sccp_addr(gt=HLR_GT, ssn=SSN_HLR), sccp_addr(gt=gt, ssn=SSN_MSC)
    link.sccp(sccp_udt(called, calling, tcap_begin(otid, comps=[invoke(1, OP_SRI_FOR_SM, param)])))


def main():
    shape, n, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    link = Link(path, 86400.0 / n if shape == "day" else 0.001)
    sri = map_sri_sm("447700912345", SMSC_GT)
    if shape == "one-otid-many-gts":
        for i in range(n):
            begin_from(link, 0x0BADF00D, gt_of(i), sri)
    elif shape == "one-tid":
        for i in range(n):
            begin_from(link, 0x0BADF00D, SMSC_GT, sri)
    elif shape == "distinct-gts":
        for i in range(n):
            begin_from(link, 0x10000 + i, gt_of(i), sri)
    elif shape == "distinct-subscribers":
        for i in range(n):
            called, calling = sccp_addr(gt=HLR_GT, ssn=SSN_HLR), sccp_addr(gt="33612000001", ssn=SSN_VLR)
            ul = map_update_location("20801%010d" % i, "33612000002", "33612000001")
            link.sccp(sccp_udt(called, calling, tcap_begin(0x20000 + i, comps=[invoke(1, OP_UPDATE_LOCATION, ul)])))
    elif shape == "sctp-fragments":
        piece = m3ua_data(100, 200, b"\x00" * 64)
        for i in range(n):
            link.tsn += 1
            link.frame(sctp_data_chunk(link.tsn, i & 0xFFFF, i >> 16, piece, PPID_M3UA, flags=SCTP_FIRST_FRAGMENT))
    elif shape == "xudt-segments":
        called, calling = sccp_addr(gt=HLR_GT, ssn=SSN_HLR), sccp_addr(gt=SMSC_GT, ssn=SSN_MSC)
        for i in range(n):
            link.sccp(sccp_xudt(called, calling, b"\x62" * 200, segmentation=(True, 3, i & 0xFFFFFF)))
    elif shape == "day":
        called, calling = sccp_addr(gt=HLR_GT, ssn=SSN_HLR), sccp_addr(gt=SMSC_GT, ssn=SSN_MSC)
        for i in range(n):
            kind = i % 5
            if kind == 0:
                begin_from(link, 0x0BADF00D, gt_of(i), sri)
            elif kind == 1:
                begin_from(link, 0x10000000 + i, gt_of(1_000_000_000 + i), sri)
            elif kind == 2:
                ul = map_update_location("20801%010d" % i, "33612000002", "33612000001")
                link.sccp(sccp_udt(called, sccp_addr(gt="33612000001", ssn=SSN_VLR),
                                   tcap_begin(0x20000000 + i, comps=[invoke(1, OP_UPDATE_LOCATION, ul)])))
            elif kind == 3:
                link.sccp(sccp_xudt(called, calling, b"\x62" * 200, segmentation=(True, 3, i & 0xFFFFFF)))
            else:
                link.tsn += 1
                link.frame(sctp_data_chunk(link.tsn, i & 0xFFFF, i >> 16, m3ua_data(100, 200, b"\x00" * 64),
                                           PPID_M3UA, flags=SCTP_FIRST_FRAGMENT))
    else:
        sys.exit("adversarial.py: unknown shape %s" % shape)
    # the ordinary dialogue after the flood
    begin_from(link, 0x7E57, "447700900200", sri)
    hlr, smsc = sccp_addr(gt=HLR_GT, ssn=SSN_HLR), sccp_addr(gt="447700900200", ssn=SSN_MSC)
    link.sccp(sccp_udt(smsc, hlr, tcap_end(0x7E57, comps=[result_last(1)])))
    link.close()


if __name__ == "__main__":
    main()
