"""SCTP (RFC 4960) with CRC32c, IPv4/IPv6, Ethernet/802.1Q."""

import struct


def _crc32c_table():
    tab = []
    for n in range(256):
        c = n
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        tab.append(c)
    return tab


CRC32C_TABLE = _crc32c_table()


def crc32c(data, crc=0):
    t = CRC32C_TABLE
    c = crc ^ 0xFFFFFFFF
    for b in data:
        c = t[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


class CrcPatcher:
    """CRC32c is affine: for equal-length messages crc(a) ^ crc(b) = L(a ^ b), L linear.
    tab(d)[v] is L of a byte v followed by d zero bytes, so patching byte i of an n-byte
    message from x to y changes the CRC by tab(n - 1 - i)[x ^ y]."""

    def __init__(self):
        self.tabs = [list(CRC32C_TABLE)]

    def tab(self, d):
        tabs = self.tabs
        t = CRC32C_TABLE
        while len(tabs) <= d:
            prev = tabs[-1]
            tabs.append([t[s & 0xFF] ^ (s >> 8) for s in prev])
        return tabs[d]


SCTP_DATA_FLAGS = {"B": 0x02, "E": 0x01, "U": 0x04}


def sctp_data_chunk(tsn, stream, sseq, data, ppid=3, flags=0x03):
    ln = 16 + len(data)
    return struct.pack(">BBHIHHI", 0, flags, ln, tsn, stream, sseq, ppid) + data + b"\x00" * (-ln % 4)


def sctp_sack(cum_tsn, a_rwnd=106496, gaps=(), dups=()):
    body = struct.pack(">IIHH", cum_tsn, a_rwnd, len(gaps), len(dups))
    body += b"".join(struct.pack(">HH", s, e) for s, e in gaps)
    body += b"".join(struct.pack(">I", d) for d in dups)
    return struct.pack(">BBH", 3, 0, 4 + len(body)) + body


def sctp_heartbeat(info, ack=False):
    prm = struct.pack(">HH", 1, 4 + len(info)) + info
    ln = 4 + len(prm)
    return struct.pack(">BBH", 5 if ack else 4, 0, ln) + prm + b"\x00" * (-ln % 4)


def sctp_packet(sport, dport, vtag, chunks, crc=True):
    pkt = bytearray(struct.pack(">HHII", sport, dport, vtag, 0) + b"".join(chunks))
    if crc:
        pkt[8:12] = struct.pack("<I", crc32c(pkt))
    return bytes(pkt)


def ip_checksum(hdr):
    s = sum(struct.unpack(">%dH" % (len(hdr) // 2), hdr))
    s = (s & 0xFFFF) + (s >> 16)
    s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ipv4(src, dst, payload, ident=0, proto=132, ttl=64):
    hdr = bytearray(struct.pack(">BBHHHBBH4s4s", 0x45, 0x02, 20 + len(payload), ident & 0xFFFF,
                                0x4000, ttl, proto, 0, bytes(src), bytes(dst)))
    hdr[10:12] = struct.pack(">H", ip_checksum(hdr))
    return bytes(hdr) + payload


def ipv6(src, dst, payload, nh=132, hops=64):
    return struct.pack(">IHBB16s16s", 0x60000000, len(payload), nh, hops, bytes(src), bytes(dst)) + payload


def mac(s):
    return bytes(int(x, 16) for x in s.split(":"))


def ip4(s):
    return bytes(int(x) for x in s.split("."))


def ip6_of(v4s):
    """Documentation-prefix IPv6 address derived from an IPv4 one (2001:db8::a.b.c.d)."""
    return bytes.fromhex("20010db8000000000000000000000000")[:12] + ip4(v4s)


def ether(dst, src, payload, ethertype=0x0800, vlan=None):
    if vlan is not None:
        return dst + src + struct.pack(">HHH", 0x8100, vlan & 0x0FFF, ethertype) + payload
    return dst + src + struct.pack(">H", ethertype) + payload
