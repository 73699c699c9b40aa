#!/usr/bin/env python3
"""Seed corpora for the fuzz harnesses from pcap files (classic pcap only, as the project's
traces are) and config files:
  frames/    [dlt selector][len][frame] per frame, and runs of 4 consecutive frames
             (reassembly); fuzz_frames
  pipeline/  runs of consecutive frames up to 2000 bytes, so that the detector sees
             dialogues and their answers; fuzz_pipeline (the frames/ format)
  sccp/      [len][SCCP] of M3UA-carried frames, one and runs of 4; fuzz_sccp
  event/     [len][cluster event] of M3UA-carried frames, as a sensor publishes them (sites
             a and b, one and runs of 4), and [len][batch] of 4 events (one and two in a row;
             one followed by its run's end; one of a live sensor);
             fuzz_event
  pcap/      the first 4 KiB of each classic pcap file (header and first records); fuzz_pcap
  config/    the sections of every *.cfg given, alone and in pairs (a small file whole);
             fuzz_config
usage: make_corpus.py OUTDIR FILE.pcap|FILE.cfg [...]"""
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


def event(sccp, site, n, flags=0):
    """a version 1 cluster event (src/cluster_event.c, doc/cluster.md) of SCCP bytes; flags 1:
    a live sensor's (its ids include the run)"""
    site = site.encode()
    hdr = struct.pack('>BBBBBBBBBBHHHHHIIIIQQI16s16sIQ', 1, len(site), 4, 3, 1, 3, 2, 0, n % 16, flags, 0,
                      2905, 2905, 1, len(sccp), 0x1234, 2384, 2336, 100, n, 1700000000 + n, 0,
                      bytes([10, 0, 0, 1]) + bytes(12), bytes([10, 0, 0, 2]) + bytes(12), 7, n)
    assert len(hdr) == 100
    return hdr + site + sccp


def batch(sccps, site, first, flags=0):
    """a version 2 batch (doc/cluster.md): header, then [len][event] with counters from first"""
    hdr = struct.pack('>BBHIQ', 2, len(site), len(sccps), 7, first) + site.encode()
    return hdr + b''.join(lv(event(s, site, first + k, flags)) for k, s in enumerate(sccps))


def run_end(site, last):
    """a version 3 end of run (doc/cluster.md): site, run, the counter of its last event"""
    return struct.pack('>BBHIQ', 3, len(site), 0, 7, last) + site.encode()


def write(d, blob):
    os.makedirs(d, exist_ok=True)
    open(os.path.join(d, hashlib.sha1(blob).hexdigest()), 'wb').write(blob)


def lv(blob):
    return struct.pack('>H', len(blob)) + blob


def main():
    outdir, paths = sys.argv[1], sys.argv[2:]
    for d in ('frames', 'pipeline', 'sccp', 'config', 'pcap', 'event'):
        os.makedirs(os.path.join(outdir, d), exist_ok=True)
    for path in paths:
        if path.endswith('.cfg'):
            # each section alone and with the next: small inputs run fast and mutate
            # into each other's; the whole file when it is small
            text = open(path, 'rb').read()
            if len(text) <= 4096:
                write(os.path.join(outdir, 'config'), text)
            blocks, cur = [], b''
            for line in text.splitlines(keepends=True):
                if line.startswith(b'!'):
                    continue
                if line[:1] not in (b' ', b'\t', b'') and cur:
                    blocks.append(cur)
                    cur = b''
                cur += line
            if cur:
                blocks.append(cur)
            for i, b in enumerate(blocks):
                write(os.path.join(outdir, 'config'), b)
                if i + 1 < len(blocks):
                    write(os.path.join(outdir, 'config'), b + blocks[i + 1])
            continue
        head = open(path, 'rb').read(4096)
        if head[:4] in (b'\xd4\xc3\xb2\xa1', b'\xa1\xb2\xc3\xd4', b'\x4d\x3c\xb2\xa1', b'\xa1\xb2\x3c\x4d'):
            write(os.path.join(outdir, 'pcap'), head)
        dlt, fr = frames(path)
        if dlt not in DLTS:
            continue
        sel = bytes([DLTS.index(dlt) + (16 if '24bit' in path or 'ansi' in path else 0)])
        sccp = []
        for f in fr:
            write(os.path.join(outdir, 'frames'), sel + lv(f))
            s = sccp_of(f) if dlt == 1 else None
            if s:
                write(os.path.join(outdir, 'sccp'), lv(s))
                sccp.append(s)
        for i in range(0, len(fr), 4):
            write(os.path.join(outdir, 'frames'), sel + b''.join(lv(f) for f in fr[i:i + 4]))
        for i in range(0, len(sccp), 4):
            write(os.path.join(outdir, 'sccp'), b''.join(lv(s) for s in sccp[i:i + 4]))
        evs = [event(s, 'ab'[i % 2], i + 1) for i, s in enumerate(sccp)]
        for i in range(0, len(evs), 4):
            write(os.path.join(outdir, 'event'), lv(evs[i]))
            write(os.path.join(outdir, 'event'), b''.join(lv(e) for e in evs[i:i + 4]))
        # batches as sensors publish them: one message, then two of one site in a row
        for i in range(0, len(sccp), 8):
            b1 = batch(sccp[i:i + 4], 'a', i + 1)
            write(os.path.join(outdir, 'event'), lv(b1))
            if i + 4 < len(sccp):
                write(os.path.join(outdir, 'event'), lv(b1) + lv(batch(sccp[i + 4:i + 8], 'a', i + 5)))
            # the run's end after its last batch
            write(os.path.join(outdir, 'event'), lv(b1) + lv(run_end('a', i + 4)))
            # a live sensor's batch: the same records with the live flag
            write(os.path.join(outdir, 'event'), lv(batch(sccp[i:i + 4], 'b', i + 1, 1)))
        run = b''
        for f in fr:
            if run and len(run) + len(f) + 2 > 2000:
                write(os.path.join(outdir, 'pipeline'), sel + run)
                run = b''
            run += lv(f)
        if run:
            write(os.path.join(outdir, 'pipeline'), sel + run)


if __name__ == '__main__':
    main()
