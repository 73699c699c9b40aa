#!/usr/bin/env python3
"""Seed corpora for the fuzz harnesses from pcap files (classic pcap only, as the project's
traces are): fuzz_frames gets [dlt selector][len][frame] per frame plus runs of consecutive
frames (reassembly); fuzz_sccp gets the SCCP part of M3UA-carried frames.
usage: make_corpus.py OUTDIR TRACE.pcap [...]"""
import os, struct, sys, hashlib

DLTS = [1, 113, 276, 12, 101, 228, 229, 139, 140, 141]


def frames(path):
    data = open(path, 'rb').read()
    if len(data) < 24:
        return None, []
    magic = struct.unpack('<I', data[:4])[0]
    if magic in (0xa1b2c3d4, 0xa1b23c4d):
        e = '<'
    elif magic in (0xd4c3b2a1, 0x4d3cb2a1):
        e = '>'
    else:
        return None, []
    dlt = struct.unpack(e + 'I', data[20:24])[0] & 0xffff
    out, off = [], 24
    while off + 16 <= len(data):
        incl = struct.unpack(e + 'I', data[off + 8:off + 12])[0]
        out.append(data[off + 16:off + 16 + incl])
        off += 16 + incl
    return dlt, out


def sccp_of(frame):
    """The SCCP bytes of an Ethernet/IPv4/SCTP/M3UA DATA frame, or None."""
    try:
        if frame[12:14] != b'\x08\x00':
            return None
        ihl = (frame[14] & 15) * 4
        if frame[14 + 9] != 132:
            return None
        p = 14 + ihl + 12
        if frame[p] != 0:
            return None
        m3ua = p + 16
        if frame[m3ua + 2:m3ua + 4] != b'\x01\x01':
            return None
        q = m3ua + 8
        while q + 4 <= len(frame):
            tag, ln = struct.unpack('>HH', frame[q:q + 4])
            if tag == 0x0210:
                return frame[q + 16:q + ln]
            q += (ln + 3) & ~3
    except IndexError:
        return None
    return None


def write(d, blob):
    os.makedirs(d, exist_ok=True)
    open(os.path.join(d, hashlib.sha1(blob).hexdigest()), 'wb').write(blob)


def main():
    outdir, paths = sys.argv[1], sys.argv[2:]
    for path in paths:
        dlt, fr = frames(path)
        if dlt not in DLTS:
            continue
        sel = bytes([DLTS.index(dlt) + (16 if '24bit' in path or 'ansi' in path else 0)])
        for i, f in enumerate(fr):
            write(os.path.join(outdir, 'frames'), sel + struct.pack('>H', len(f)) + f)
            s = sccp_of(f) if dlt == 1 else None
            if s:
                write(os.path.join(outdir, 'sccp'), s)
        for i in range(0, len(fr), 4):
            blob = sel + b''.join(struct.pack('>H', len(f)) + f for f in fr[i:i + 4])
            write(os.path.join(outdir, 'frames'), blob)


if __name__ == '__main__':
    main()
