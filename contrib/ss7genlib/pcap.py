"""Classic pcap file writer (one link type per file)."""

import struct
import sys


class PcapWriter:
    def __init__(self, path, snaplen=65535, linktype=1):
        self.f = sys.stdout.buffer if path == "-" else open(path, "wb")
        self.f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, snaplen, linktype))
        self.frames = 0

    def write(self, ts, frame):
        sec = int(ts)
        usec = int(round((ts - sec) * 1e6))
        if usec >= 1000000:
            sec, usec = sec + 1, usec - 1000000
        self.f.write(struct.pack("<IIII", sec, usec, len(frame), len(frame)) + frame)
        self.frames += 1
        return self.frames

    def close(self):
        if self.f is not sys.stdout.buffer:
            self.f.close()
        else:
            self.f.flush()
