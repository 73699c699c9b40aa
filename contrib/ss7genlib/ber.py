"""BER helpers: TLV, INTEGER, NULL, BOOLEAN, ENUMERATED, OBJECT IDENTIFIER, BIT STRING, and a
re-encoder to indefinite or long-form lengths.
"""


def ber_len(n):
    if n < 0x80:
        return bytes((n,))
    if n < 0x100:
        return bytes((0x81, n))
    if n < 0x10000:
        return bytes((0x82, n >> 8, n & 0xFF))
    return b"\x83" + n.to_bytes(3, "big")


def tlv(tag, value=b""):
    """tag: int (one octet) or bytes (multi-octet tag)."""
    t = bytes((tag,)) if isinstance(tag, int) else tag
    return t + ber_len(len(value)) + value


def cat(*parts):
    return b"".join(p for p in parts if p)


def seq(*parts):
    return tlv(0x30, cat(*parts))


def ber_int_bytes(v):
    n = 1
    while True:
        try:
            return v.to_bytes(n, "big", signed=True)
        except OverflowError:
            n += 1


def ber_int(v, tag=0x02):
    return tlv(tag, ber_int_bytes(v))


def ber_null(tag=0x05):
    return tlv(tag, b"")


def ber_bool(v, tag=0x01):
    return tlv(tag, b"\xff" if v else b"\x00")


def ber_enum(v, tag=0x0A):
    return tlv(tag, ber_int_bytes(v))


def ber_oid(arcs):
    out = bytearray((arcs[0] * 40 + arcs[1],))
    for a in arcs[2:]:
        enc = [a & 0x7F]
        a >>= 7
        while a:
            enc.append(0x80 | (a & 0x7F))
            a >>= 7
        out += bytes(reversed(enc))
    return bytes(out)


def ber_bitstring(bits, nbits, tag=0x03):
    """bits: iterable of bit numbers (0 = most significant) set in an nbits-long string."""
    nbytes = (nbits + 7) // 8
    v = bytearray(nbytes)
    for b in bits:
        v[b // 8] |= 0x80 >> (b % 8)
    return tlv(tag, bytes((nbytes * 8 - nbits,)) + bytes(v))


def ber_walk(data, pos=0, end=None):
    """Yield (tag bytes, constructed, content start, content end) for the definite-length
    BER elements of data[pos:end]."""
    end = len(data) if end is None else end
    while pos < end:
        t0 = pos
        first = data[pos]
        pos += 1
        if first & 0x1F == 0x1F:
            while data[pos] & 0x80:
                pos += 1
            pos += 1
        tag = bytes(data[t0:pos])
        ln = data[pos]
        pos += 1
        if ln == 0x80:
            raise ValueError("indefinite length not supported by ber_walk")
        if ln & 0x80:
            k = ln & 0x7F
            ln = int.from_bytes(data[pos:pos + k], "big")
            pos += k
        yield tag, bool(first & 0x20), pos, pos + ln
        pos += ln


def ber_reencode(data, mode):
    """Re-encode a BER stream: mode 'indef' gives every constructed element an indefinite
    length, 'long' writes every length in long form (0x81 nn or more)."""
    out = bytearray()
    for tag, cons, cs, ce in ber_walk(data):
        content = data[cs:ce]
        if cons:
            content = ber_reencode(content, mode)
        if mode == "indef" and cons:
            out += tag + b"\x80" + content + b"\x00\x00"
        elif mode == "long":
            n = len(content)
            out += tag + (bytes((0x81, n)) if n < 0x100 else ber_len(n)) + content
        else:
            out += tag + ber_len(len(content)) + content
    return bytes(out)
