"""Template patching, shared by bench and scenario: a flow is encoded once into a frame list,
then per instance TIDs, subscriber, TSN, stream sequence, IP id/checksum and SCTP CRC32c are
patched.
"""


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
