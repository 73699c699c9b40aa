"""SCCP (ITU-T Q.713): addresses, UDT, XUDT and XUDT segmentation."""

import struct

from .ident import tbcd


def sccp_addr(gt=None, ssn=None, pc=None, route_on_ssn=False, tt=0, npi=1, nai=4):
    ai = (0x40 if route_on_ssn else 0) | (0x01 if pc is not None else 0) | (0x02 if ssn else 0)
    body = b""
    if pc is not None:
        body += struct.pack("<H", pc & 0x3FFF)
    if ssn:
        body += bytes((ssn,))
    if gt:
        ai |= 4 << 2                                    # GTI 4: TT, NP, ES, NAI
        es = 1 if len(gt) & 1 else 2
        body += bytes((tt, (npi << 4) | es, nai & 0x7F)) + tbcd(gt)
    return bytes((ai,)) + body


SCCP_MAX_UDT = 240       # longer TCAP messages go out as XUDT segments
SCCP_SEGMENT = 200


def sccp_udt(called, calling, data, pclass=0x81):
    p2 = 3 + len(called)
    p3 = p2 + len(calling)
    return bytes((0x09, pclass, 3, p2, p3, len(called))) + called + bytes((len(calling),)) + \
        calling + bytes((len(data),)) + data


def sccp_xudt(called, calling, data, pclass=0x81, hops=15, segmentation=None):
    """segmentation: (first, remaining, local_ref) -> optional Segmentation parameter."""
    p1 = 4
    p2 = p1 - 1 + 1 + len(called)
    p3 = p2 - 1 + 1 + len(calling)
    opt = b""
    if segmentation:
        first, remaining, lref = segmentation
        sb = (0x80 if first else 0) | (0x40 if pclass & 0x0F else 0) | (remaining & 0x0F)
        opt = bytes((0x10, 4, sb)) + lref.to_bytes(3, "big") + b"\x00"
    p4 = (p3 - 1 + 1 + len(data)) if opt else 0
    return bytes((0x11, pclass, hops, p1, p2, p3, p4, len(called))) + called + \
        bytes((len(calling),)) + calling + bytes((len(data),)) + data + opt


def sccp_xudt_segments(called, calling, data, nseg, lref, pclass=0x81):
    size = -(-len(data) // nseg)
    parts = [data[i:i + size] for i in range(0, len(data), size)]
    return [sccp_xudt(called, calling, p, pclass, segmentation=(i == 0, len(parts) - 1 - i, lref))
            for i, p in enumerate(parts)]
