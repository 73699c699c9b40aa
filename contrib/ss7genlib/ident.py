"""Number and identity encodings: TBCD, AddressString, PLMN, CGI, geographical information,
IMEI, GSM 7-bit packing and the SMS TPDUs (TS 23.040).
"""

import struct
import time


def tbcd(digits):
    """TBCD / BCD, first digit in the low nibble, F filler."""
    ds = [int(c, 16) if c not in "*#" else (0xA if c == "*" else 0xB) for c in digits]
    if len(ds) & 1:
        ds.append(0xF)
    return bytes(ds[i] | (ds[i + 1] << 4) for i in range(0, len(ds), 2))


def addr_string(digits, nai=1, npi=1):
    """AddressString / ISDN-AddressString: ext=1, nature of address, numbering plan."""
    return bytes((0x80 | (nai << 4) | npi,)) + tbcd(digits)


def plmn_id(mcc, mnc):
    """3-octet MCC/MNC as in 24.008 (CGI, LAI, PLMN-Id)."""
    m3 = mnc[2] if len(mnc) == 3 else "F"
    return bytes((int(mcc[1]) << 4 | int(mcc[0]),
                  int(m3, 16) << 4 | int(mcc[2]),
                  int(mnc[1]) << 4 | int(mnc[0])))


def cgi(mcc, mnc, lac, ci):
    return plmn_id(mcc, mnc) + struct.pack(">HH", lac, ci)


def geo_info(lat, lon, unc=0x12):
    """GeographicalInformation: ellipsoid point with uncertainty circle (8 octets)."""
    la = int(round(abs(lat) / 90.0 * (1 << 23)))
    la = min(la, (1 << 23) - 1) | (0x800000 if lat < 0 else 0)
    lo = int(round(lon / 360.0 * (1 << 24))) & 0xFFFFFF
    return bytes((0x10,)) + la.to_bytes(3, "big") + lo.to_bytes(3, "big") + bytes((unc,))


def luhn(digits):
    tot = 0
    for i, c in enumerate(reversed(digits)):
        d = int(c) * (2 if i % 2 == 0 else 1)
        tot += d - 9 if d > 9 else d
    return str(-tot % 10)


def imei_tbcd(imei):
    """MAP IMEI (8 TBCD octets): TAC + SNR (14 digits), then spare digit 0 and a filler
    (29.002); a 16-digit IMEISV is taken as is."""
    return tbcd(imei if len(imei) == 16 else imei[:14] + "0")


GSM7_OK = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 .,!?:;'-()+/%&*#=<>\"\n\r")


def gsm7_pack(text, pad_cr=False):
    """Pack 7-bit GSM default alphabet (ASCII subset that maps 1:1). Returns (septets, bytes)."""
    for c in text:
        if c not in GSM7_OK:
            raise ValueError("character %r not in the GSM 7-bit subset" % c)
    sept = [ord(c) for c in text]
    if pad_cr and len(sept) % 8 == 7:
        sept.append(0x0D)              # USSD: 7 spare bits would read as '@' (23.038)
    out = bytearray()
    acc = nbits = 0
    for s in sept:
        acc |= s << nbits
        nbits += 7
        while nbits >= 8:
            out.append(acc & 0xFF)
            acc >>= 8
            nbits -= 8
    if nbits:
        out.append(acc & 0xFF)
    return len(sept), bytes(out)


# --- SMS TPDUs (TS 23.040) -------------------------------------------------------------------

def tp_address(digits, ton_npi=0x91):
    return bytes((len(digits), ton_npi)) + tbcd(digits)


def tp_scts(t, tz_quarters=4):
    tm = time.gmtime(t)
    vals = (tm.tm_year % 100, tm.tm_mon, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, tz_quarters)
    return bytes(((v % 10) << 4) | (v // 10) for v in vals)


def sms_deliver(oa, text="", t=0, pid=0x00, dcs=0x00, data=None, udh=None, mms=True):
    """SMS-DELIVER. text: 7-bit (dcs 0x00 / 0xC0 / 0xF0..); data: raw 8-bit user data."""
    fo = 0x00 | (0x04 if mms else 0) | (0x40 if udh else 0)
    if data is None:
        if udh:
            raise ValueError("UDH only with 8-bit data here")
        udl, ud = gsm7_pack(text)
    else:
        ud = (bytes((len(udh),)) + udh if udh else b"") + data
        udl = len(ud)
    return bytes((fo,)) + tp_address(oa) + bytes((pid, dcs)) + tp_scts(t) + bytes((udl,)) + ud


def sms_submit(da, text, mr=0, pid=0x00, dcs=0x00, vp=0xA7):
    udl, ud = gsm7_pack(text)
    return bytes((0x11, mr & 0xFF)) + tp_address(da) + bytes((pid, dcs, vp, udl)) + ud
