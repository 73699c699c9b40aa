#!/usr/bin/env python3
"""Write variants of a classic pcap file that exercise the reader: byte-swapped headers,
nanosecond timestamps, a snapshot length shorter than the frames, a file cut inside a record
header and one cut inside a frame, and a record claiming more than libpcap's maximum.
usage: pcap_variants.py IN.pcap OUTDIR"""
import os
import struct
import sys


def records(data):
    off = 24
    while off + 16 <= len(data):
        sec, usec, caplen, length = struct.unpack_from("<IIII", data, off)
        yield sec, usec, caplen, length, data[off + 16:off + 16 + caplen]
        off += 16 + caplen


def write(path, hdr_fmt, magic, snaplen, recs, tsmul=1):
    with open(path, "wb") as f:
        f.write(struct.pack(hdr_fmt + "IHHiIII", magic, 2, 4, 0, 0, snaplen, 1))
        for sec, usec, caplen, length, frame in recs:
            f.write(struct.pack(hdr_fmt + "IIII", sec, usec * tsmul, caplen, length) + frame)


def main():
    src, out = sys.argv[1], sys.argv[2]
    data = open(src, "rb").read()
    assert struct.unpack_from("<I", data)[0] == 0xa1b2c3d4, "a little-endian microsecond pcap"
    recs = list(records(data))
    os.makedirs(out, exist_ok=True)
    write(os.path.join(out, "swapped.pcap"), ">", 0xa1b2c3d4, 65535, recs)
    write(os.path.join(out, "nsec.pcap"), "<", 0xa1b23c4d, 65535, recs, 1000)
    write(os.path.join(out, "snap100.pcap"), "<", 0xa1b2c3d4, 100, recs)
    # records of the first 40 frames, then 10 bytes of the next record header
    cut = 24 + sum(16 + r[2] for r in recs[:40])
    open(os.path.join(out, "cut-header.pcap"), "wb").write(data[:cut + 10])
    open(os.path.join(out, "cut-frame.pcap"), "wb").write(data[:cut + 16 + 30])
    big = bytearray(data)
    struct.pack_into("<I", big, cut + 8, 300000)
    open(os.path.join(out, "huge-caplen.pcap"), "wb").write(bytes(big))


if __name__ == "__main__":
    main()
