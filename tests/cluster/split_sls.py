#!/usr/bin/env python3
"""Split a classic pcap into two sites by the M3UA/MTP3 SLS of each frame, as a mated pair
of STPs load-shares: even SLS to site a, odd SLS to site b (frames without an SLS, SCTP
control, go to site a). Each output keeps its frames in order (their frame numbers are the
site's own). Prints how many frames each site got and how many TCAP dialogues cross sites
(their Begin at one site, an answer at the other), from tshark's fields.

usage: split_sls.py IN.pcap A.pcap B.pcap
"""
import struct
import subprocess
import sys


def sls_and_tids(path):
    """frame number -> (first SLS or None, otids, dtids) from tshark"""
    out = subprocess.run(
        ["tshark", "-r", path, "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=,",
         "-e", "frame.number", "-e", "m3ua.protocol_data_sls", "-e", "mtp3.sls",
         "-e", "tcap.otid", "-e", "tcap.dtid"],
        check=True, capture_output=True, text=True).stdout
    info = {}
    for line in out.splitlines():
        f = line.split("\t")
        f += [""] * (5 - len(f))
        sls = f[1] or f[2]
        info[int(f[0])] = (int(sls.split(",")[0]) if sls else None,
                           [t for t in f[3].split(",") if t], [t for t in f[4].split(",") if t])
    return info


def main():
    src, out_a, out_b = sys.argv[1:4]
    info = sls_and_tids(src)
    with open(src, "rb") as f:
        data = f.read()
    magic = data[:4]
    endian = "<" if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    if magic not in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        sys.exit("split_sls.py: not a classic pcap file: " + src)
    outs = {"a": bytearray(data[:24]), "b": bytearray(data[:24])}
    counts = {"a": 0, "b": 0}
    site_of_frame = {}
    off, frame = 24, 0
    while off + 16 <= len(data):
        incl = struct.unpack(endian + "I", data[off + 8:off + 12])[0]
        rec = data[off:off + 16 + incl]
        off += 16 + incl
        frame += 1
        sls = info.get(frame, (None, [], []))[0]
        site = "b" if sls is not None and sls % 2 else "a"
        outs[site] += rec
        counts[site] += 1
        site_of_frame[frame] = site
    for site, path in (("a", out_a), ("b", out_b)):
        with open(path, "wb") as f:
            f.write(outs[site])
    # a dialogue crosses when its Begin (otid X, no dtid) is at one site and a message that
    # answers it (dtid X) at the other
    begin_site = {}
    for fr, (_, otids, dtids) in info.items():
        if otids and not dtids:
            begin_site.setdefault(otids[0], site_of_frame.get(fr))
    crossing = set()
    for fr, (_, otids, dtids) in info.items():
        for d in dtids:
            if d in begin_site and begin_site[d] != site_of_frame.get(fr):
                crossing.add(d)
    print("frames a %d b %d dialogues %d crossing %d" % (counts["a"], counts["b"], len(begin_site), len(crossing)))


if __name__ == "__main__":
    main()
