"""M3UA (RFC 4666): DATA and the ASP/SSNM management messages."""

import struct


def m3ua_param(tag, value):
    ln = 4 + len(value)
    return struct.pack(">HH", tag, ln) + value + b"\x00" * (-ln % 4)


def m3ua_msg(mclass, mtype, *params):
    body = b"".join(params)
    return struct.pack(">BBBBI", 1, 0, mclass, mtype, 8 + len(body)) + body


def m3ua_data(opc, dpc, payload, si=3, ni=2, mp=0, sls=0, rc=None, na=None):
    prm = []
    if na is not None:
        prm.append(m3ua_param(0x0200, struct.pack(">I", na)))
    if rc is not None:
        prm.append(m3ua_param(0x0006, struct.pack(">I", rc)))
    prm.append(m3ua_param(0x0210, struct.pack(">IIBBBB", opc, dpc, si, ni, mp, sls) + payload))
    return m3ua_msg(1, 1, *prm)


def m3ua_aspup(asp_id=None):
    return m3ua_msg(3, 1, *([m3ua_param(0x0011, struct.pack(">I", asp_id))] if asp_id is not None else []))


def m3ua_aspup_ack():
    return m3ua_msg(3, 4)


def m3ua_aspac(rc=None, mode=2):
    prm = [m3ua_param(0x000B, struct.pack(">I", mode))]
    if rc is not None:
        prm.append(m3ua_param(0x0006, struct.pack(">I", rc)))
    return m3ua_msg(4, 1, *prm)


def m3ua_aspac_ack(rc=None, mode=2):
    prm = [m3ua_param(0x000B, struct.pack(">I", mode))]
    if rc is not None:
        prm.append(m3ua_param(0x0006, struct.pack(">I", rc)))
    return m3ua_msg(4, 3, *prm)


def m3ua_dava(pcs, rc=None):
    prm = []
    if rc is not None:
        prm.append(m3ua_param(0x0006, struct.pack(">I", rc)))
    prm.append(m3ua_param(0x0012, b"".join(struct.pack(">I", pc & 0xFFFFFF) for pc in pcs)))
    return m3ua_msg(2, 2, *prm)


def m3ua_duna(pcs, rc=None):
    prm = []
    if rc is not None:
        prm.append(m3ua_param(0x0006, struct.pack(">I", rc)))
    prm.append(m3ua_param(0x0012, b"".join(struct.pack(">I", pc & 0xFFFFFF) for pc in pcs)))
    return m3ua_msg(2, 1, *prm)
