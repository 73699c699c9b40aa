#!/usr/bin/env python3
"""Split a classic pcap into two sites by the M3UA/MTP3 SLS of each frame, as a mated pair
of STPs load-shares: even SLS to site a, odd SLS to site b (frames without an SLS, SCTP
control, go to site a). Each output keeps its frames in order (their frame numbers are the
site's own). Prints how many frames each site got and how many TCAP dialogues cross sites
(their Begin at one site, an answer at the other), from tshark's fields.

usage: split_sls.py IN.pcap A.pcap B.pcap
       split_sls.py --mirror IN.pcap OUT.pcap

--mirror writes one capture for a mirror port test instead (tests/cluster/live_sensor_test.sh):
every frame, its source MAC naming its site (02:00:00:00:00:0a or 0b: tcpprep --mac sends
each site out of its own interface), the gaps between frames brought into 2..20 ms so that
hours of capture replay in half a minute with the sites' order kept.
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


MAC = {"a": b"\x02\x00\x00\x00\x00\x0a", "b": b"\x02\x00\x00\x00\x00\x0b"}
GAP_MIN, GAP_MAX = 2000, 20000  # microseconds


def mirror(data, endian, site_of_frame, out):
    """the whole capture, each frame's source MAC its site's, its gaps brought into range"""
    res = bytearray(data[:24])
    off, frame, t_in, t_out = 24, 0, None, None
    while off + 16 <= len(data):
        sec, usec, incl = struct.unpack(endian + "III", data[off:off + 12])
        rec = bytearray(data[off:off + 16 + incl])
        off += 16 + incl
        frame += 1
        t = sec * 1000000 + usec
        t_out = t if t_out is None else t_out + min(max(t - t_in, GAP_MIN), GAP_MAX)
        t_in = t
        rec[0:8] = struct.pack(endian + "II", t_out // 1000000, t_out % 1000000)
        if incl >= 12:
            rec[16 + 6:16 + 12] = MAC[site_of_frame[frame]]
        res += rec
    with open(out, "wb") as f:
        f.write(res)


def main():
    is_mirror = sys.argv[1] == "--mirror"
    if is_mirror:
        src, out_m = sys.argv[2:4]
    else:
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
    if is_mirror:
        mirror(data, endian, site_of_frame, out_m)
    else:
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
