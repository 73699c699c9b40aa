"""Template patching, shared by bench and scenario: a flow is encoded once into a frame list,
then per instance TIDs, subscriber, TSN, stream sequence, IP id/checksum and SCTP CRC32c are
patched.
"""

import json
import struct

from .ident import tbcd


class ListSink:
    def __init__(self):
        self.frames = []

    def write(self, ts, frame):
        self.frames.append(frame)
        return len(self.frames)


def find_all(buf, pat):
    out = []
    i = buf.find(pat)
    while i >= 0:
        out.append(i)
        i = buf.find(pat, i + 1)
    return out


def record_routes(net):
    """Wrap net.emit to record (assoc key, direction) per frame."""
    net._bench_routes = []
    orig = net.emit

    def emit(a, d, chunks, label=None, ts=None):
        net._bench_routes.append((a.key, d))
        return orig(a, d, chunks, label, ts)
    net.emit = emit


_TSN_TABS = {}


def crc_tsn_tab(cp, sctp_len, j):
    """CRC table for byte j of the first DATA chunk header's TSN (j 0-3) or stream sequence
    (j 6-7): offset 16 + j inside the SCTP packet."""
    k = (sctp_len, j)
    t = _TSN_TABS.get(k)
    if t is None:
        t = _TSN_TABS[k] = cp.tab(sctp_len - 1 - (16 + j))
    return t


def template_frame(cp, fr, route, label, sub, tids, lrefs):
    """One frame of a template, built with the sentinel TIDs tids, segmentation references
    lrefs and subscriber sub (None: no subscriber to patch): (frame, association key,
    direction, stream, IP header sum without id and checksum, SCTP CRC32c, patches, ground
    truth line without frame/time/subscriber: '"key": value, ...}'). A patch is (offset,
    field, length, CRC tables of its bytes); the fields are numbered TIDs first, then IMSI and
    MSISDN, then the references."""
    patches = []   # (offset, field index, length)
    for k, t in enumerate(tids):
        patches += [(o, k, 4) for o in find_all(fr, struct.pack(">I", t))]
    n = len(tids)
    if sub is not None:
        ib = tbcd(sub.imsi)
        patches += [(o, n, len(ib)) for o in find_all(fr, ib)]
        mb = tbcd(sub.msisdn)
        patches += [(o, n + 1, len(mb)) for o in find_all(fr, mb)]
    for k, lr in enumerate(lrefs):
        lb = b"\x10\x04" + lr.to_bytes(4, "big")[1:]      # segmentation parameter
        patches += [(o + 3, n + 2 + k, 3) for o in find_all(fr, lb[:2]) if fr[o + 3:o + 6] == lb[2:]]
    a, d = route
    l2 = 14
    ipid = 18
    sctp0 = 34
    ip_sum = sum(struct.unpack(">10H", fr[l2:l2 + 20])) - fr[ipid] * 256 - fr[ipid + 1] \
        - struct.unpack(">H", fr[24:26])[0]
    sl = len(fr) - sctp0
    crcpos = [(o, k, ln, [cp.tab(sl - 1 - (o - sctp0) - j) for j in range(ln)])
              for (o, k, ln) in patches]
    base_crc = struct.unpack("<I", fr[42:46])[0]
    stream = struct.unpack(">H", fr[54:56])[0]
    lab = json.loads(label)
    for k in ("frame", "time", "imsi", "msisdn"):
        lab.pop(k, None)
    rest = json.dumps(lab)[1:]
    if sub is not None and sub.msisdn in rest:       # called GT routed on the MSISDN
        rest = rest.replace('"%s"' % sub.msisdn, '"@MSISDN@"')
    return fr, a, d, stream, ip_sum, base_crc, crcpos, rest


def frame_patcher(cp, crc, tsn, ipid):
    """patch(fr, assoc key, direction, stream, ip_sum, base_crc, crcpos, vals) -> the frame of
    one instance: the patch fields set to vals, the association's next TSN, stream sequence
    and IP id (tsn and ipid: their start values per (assoc key, direction)), the IP checksum
    and the SCTP CRC32c (incrementally, from the template's, unless crc is false: zero)."""
    sseq = {}
    pack_i = struct.Struct(">I").pack
    pack_h = struct.Struct(">H").pack
    pack_crc = struct.Struct("<I").pack

    def patch(fr, ak, d, stream, ip_sum, base_crc, crcpos, vals):
        frame = bytearray(fr)
        c = base_crc
        for (o, k, ln, tabs) in crcpos:
            v = vals[k]
            frame[o:o + ln] = v
            if crc:
                for j in range(ln):
                    x = fr[o + j] ^ v[j]
                    if x:
                        c ^= tabs[j][x]
        key = (ak, d)
        t = tsn[key]
        tsn[key] = (t + 1) & 0xFFFFFFFF
        tb = pack_i(t)
        if crc:
            for j in range(4):
                x = fr[50 + j] ^ tb[j]
                if x:
                    c ^= crc_tsn_tab(cp, len(fr) - 34, j)[x]
        frame[50:54] = tb
        sk = (ak, d, stream)
        sq = sseq.get(sk, 0)
        sseq[sk] = (sq + 1) & 0xFFFF
        sb = pack_h(sq)
        if crc:
            for j in range(2):
                x = fr[56 + j] ^ sb[j]
                if x:
                    c ^= crc_tsn_tab(cp, len(fr) - 34, 6 + j)[x]
        frame[56:58] = sb
        frame[42:46] = pack_crc(c) if crc else b"\x00\x00\x00\x00"
        ident = ipid[key] = (ipid[key] + 1) & 0xFFFF
        s = ip_sum + ident
        s = (s & 0xFFFF) + (s >> 16)
        s = (s & 0xFFFF) + (s >> 16)
        frame[18:20] = pack_h(ident)
        frame[24:26] = pack_h(~s & 0xFFFF)
        return frame
    return patch
