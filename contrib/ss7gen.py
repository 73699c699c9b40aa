#!/usr/bin/env python3
"""ss7gen - synthetic SS7/MAP over SIGTRAN trace generator for ss7watch.

Writes classic pcap files (link type Ethernet) of Ethernet [802.1Q] / IPv4|IPv6 / SCTP
(CRC32c) / M3UA / SCCP (UDT, XUDT) / TCAP / GSM MAP, byte-correct for tshark.
Python 3 standard library only.

    ss7gen.py ops   [-o ops.pcap]  [--labels ops.jsonl]   every MAP operation, request+result
    ss7gen.py edge  [-o edge.pcap] [--labels edge.jsonl]  transport and encoding corner cases
    ss7gen.py demo  [-o demo.pcap] [--labels demo.jsonl]  benign mix + Circles-style attacks
    ss7gen.py bench -n 1000000 [-o bench.pcap]            fast template-based bulk traffic

The module is importable: layers are plain functions returning bytes (BER helpers, MAP
argument/result encoders, TCAP, SCCP, M3UA, SCTP, IP, Ethernet), and Net / Dialogue objects
keep the transport state (SCTP associations, TSNs, stream sequence numbers, TCAP TIDs,
timestamps, ground-truth labels). The network model is the NETWORK structure below; a
scenario generator only needs Net, the node look-ups and the map_* encoders.
"""

import argparse
import json
import random
import struct
import sys
import time

# =============================================================================================
# Network model (one place: home PLMN, roaming partners, non-partner origins, node roles)
# =============================================================================================
# Global titles are E.164 (CC + NDC + node). Point codes are ITU 14-bit integers. Each network
# reaches the home STP over one SCTP association (its "gw"); home core nodes share one more.
# Node roles: hlr, vlr (its MSC has the same index in msc), msc, smsc, gsmscf, sgsn, gmlc, eir.
# "cells" (home only): (MCC-MNC, LAC, CI, latitude, longitude) of real-looking city sites.

NETWORK = {
    "home": {
        "id": "home", "name": "HomeNet DE", "mcc": "262", "mnc": "01", "cc": "49",
        "gt_prefix": "4917", "msisdn_prefix": "49171", "msisdn_len": 12,
        "pc_gw": 0x0810, "ip": "10.49.0.1", "mac": "02:00:00:49:00:01",
        "nodes": {
            "hlr": ["491700000101", "491700000102"],
            "vlr": ["491700000201", "491700000202", "491700000203"],
            "msc": ["491700000211", "491700000212", "491700000213"],
            "smsc": ["491700000401"],
            "gsmscf": ["491700000501"],
            "sgsn": ["491700000601"],
            "gmlc": ["491700000701"],
            "eir": ["491700000801"],
            "ggsn": ["491700000901"],
        },
        "core": {"ip": "10.49.1.1", "mac": "02:00:00:49:01:01", "pc_base": 0x0900},
        "cells": [(0x0A11, 0x1F01, 52.5200, 13.4050), (0x0A11, 0x1F02, 52.5163, 13.3777),
                  (0x0B22, 0x2A10, 48.1372, 11.5756), (0x0C33, 0x3B07, 53.5511, 9.9937),
                  (0x0D44, 0x4C21, 50.1109, 8.6821)],
    },
    "partners": [
        {"id": "fr", "name": "Partner FR", "mcc": "208", "mnc": "01", "cc": "33",
         "gt_prefix": "3360", "msisdn_prefix": "33612", "msisdn_len": 11,
         "pc_gw": 0x1021, "ip": "10.33.0.1", "mac": "02:00:00:33:00:01",
         "nodes": {"hlr": ["33609000101"], "vlr": ["33609000201", "33609000202"],
                   "msc": ["33609000211", "33609000212"], "smsc": ["33609000401"],
                   "sgsn": ["33609000601"]}},
        {"id": "gb", "name": "Partner GB", "mcc": "234", "mnc": "15", "cc": "44",
         "gt_prefix": "4477", "msisdn_prefix": "447700", "msisdn_len": 12,
         "pc_gw": 0x1122, "ip": "10.44.0.1", "mac": "02:00:00:44:00:01",
         "nodes": {"hlr": ["447785000101"], "vlr": ["447785000201"],
                   "msc": ["447785000211"], "smsc": ["447785000401"],
                   "sgsn": ["447785000601"]}},
        {"id": "es", "name": "Partner ES", "mcc": "214", "mnc": "07", "cc": "34",
         "gt_prefix": "3460", "msisdn_prefix": "34609", "msisdn_len": 11,
         "pc_gw": 0x1223, "ip": "10.34.0.1", "mac": "02:00:00:34:00:01",
         "nodes": {"hlr": ["34609000101"], "vlr": ["34609000201"],
                   "msc": ["34609000211"], "smsc": ["34609000401"],
                   "sgsn": ["34609000601"]}},
        {"id": "us", "name": "Partner US", "mcc": "310", "mnc": "260", "cc": "1",
         "gt_prefix": "1206", "msisdn_prefix": "1206555", "msisdn_len": 11,
         "pc_gw": 0x1324, "ip": "10.1.0.1", "mac": "02:00:00:01:00:01",
         "nodes": {"hlr": ["12063130101"], "vlr": ["12063130201"],
                   "msc": ["12063130211"], "smsc": ["12063130401"],
                   "sgsn": ["12063130601"]}},
        {"id": "ch", "name": "Partner CH", "mcc": "228", "mnc": "01", "cc": "41",
         "gt_prefix": "4179", "msisdn_prefix": "41791", "msisdn_len": 11,
         "pc_gw": 0x1425, "ip": "10.41.0.1", "mac": "02:00:00:41:00:01",
         "nodes": {"hlr": ["41794990101"], "vlr": ["41794990201"],
                   "msc": ["41794990211"], "smsc": ["41794990401"],
                   "sgsn": ["41794990601"]}},
        {"id": "tr", "name": "Partner TR", "mcc": "286", "mnc": "01", "cc": "90",
         "gt_prefix": "90532", "msisdn_prefix": "90532", "msisdn_len": 12,
         "pc_gw": 0x1526, "ip": "10.90.0.1", "mac": "02:00:00:90:00:01",
         "nodes": {"hlr": ["905320000101"], "vlr": ["905320000201"],
                   "msc": ["905320000211"], "smsc": ["905320000401"],
                   "sgsn": ["905320000601"]}},
    ],
    # Origins without a roaming agreement (where a scenario's attacker sits). 882/901 are the
    # shared international ranges GT-leasing "SS7 clouds" are known to use.
    "foreign": [
        {"id": "xa", "name": "Intl carrier 882", "mcc": "901", "mnc": "88", "cc": "882",
         "gt_prefix": "88234", "msisdn_prefix": "88234", "msisdn_len": 12,
         "pc_gw": 0x1F31, "ip": "10.88.0.1", "mac": "02:00:00:88:00:01",
         "nodes": {"hlr": ["882340000101"], "vlr": ["882340000201"],
                   "msc": ["882340000211"], "smsc": ["882340000401"],
                   "gsmscf": ["882340000501"], "gmlc": ["882340000701"]}},
    ],
}

# point code of a home node: core pc_base + ROLE_PC[role] + index (an MSC/VLR shares its PC)
ROLE_PC = {"hlr": 0x20, "vlr": 0x30, "msc": 0x30, "smsc": 0x40, "gsmscf": 0x50, "sgsn": 0x60,
           "gmlc": 0x70, "eir": 0x80, "ggsn": 0x90}

SSN = {"hlr": 6, "vlr": 7, "msc": 8, "smsc": 8, "eir": 9, "gsmscf": 147, "sgsn": 149,
       "gmlc": 145, "ggsn": 150}


class Network:
    """One operator: identity, transport end point and nodes."""

    def __init__(self, d, kind):
        self.__dict__.update(d)
        self.kind = kind                                  # home | partner | foreign
        self.mccmnc = self.mcc + self.mnc
        self.nodes = {role: [Node(self, role, gt, i) for i, gt in enumerate(gts)]
                      for role, gts in d["nodes"].items()}

    def node(self, role, i=0):
        lst = self.nodes[role]
        return lst[i % len(lst)]

    def imsi(self, n):
        w = 15 - len(self.mccmnc)
        return self.mccmnc + ("%0*d" % (w, n % (10 ** w)))

    def msisdn(self, n):
        w = self.msisdn_len - len(self.msisdn_prefix)
        return self.msisdn_prefix + "%0*d" % (w, n % (10 ** w))

    def __repr__(self):
        return "<Network %s>" % self.id


class Node:
    def __init__(self, net, role, gt, idx):
        self.net, self.role, self.gt, self.idx = net, role, gt, idx
        self.ssn = SSN[role]
        # foreign nodes are seen behind their network's international gateway point code
        self.pc = net.pc_gw if net.kind != "home" else net.core["pc_base"] + ROLE_PC[role] + idx

    def __repr__(self):
        return "<%s %s %s>" % (self.net.id, self.role, self.gt)


def load_model(model=None):
    model = model or NETWORK
    home = Network(model["home"], "home")
    partners = [Network(p, "partner") for p in model["partners"]]
    foreign = [Network(p, "foreign") for p in model["foreign"]]
    return home, partners, foreign


# =============================================================================================
# BER helpers
# =============================================================================================

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


# =============================================================================================
# Number and identity encodings
# =============================================================================================

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


# =============================================================================================
# MAP: operations, application contexts, argument and result encoders (TS 29.002)
# =============================================================================================

OPS = {
    2: "updateLocation", 3: "cancelLocation", 4: "provideRoamingNumber",
    7: "insertSubscriberData", 8: "deleteSubscriberData", 10: "registerSS", 11: "eraseSS",
    12: "activateSS", 13: "deactivateSS", 14: "interrogateSS", 22: "sendRoutingInfo",
    23: "updateGprsLocation", 24: "sendRoutingInfoForGprs", 37: "reset", 43: "checkIMEI",
    44: "mt-forwardSM", 45: "sendRoutingInfoForSM", 46: "mo-forwardSM",
    55: "sendIdentification", 56: "sendAuthenticationInfo", 57: "restoreData",
    58: "sendIMSI", 59: "processUnstructuredSS-Request", 60: "unstructuredSS-Request",
    67: "purgeMS", 70: "provideSubscriberInfo", 71: "anyTimeInterrogation",
    83: "provideSubscriberLocation", 85: "sendRoutingInfoForLCS",
}
OP = {v: k for k, v in OPS.items()}

# application context number (0.4.0.0.1.0.<n>.<version>) names
ACS = {
    "networkLocUp": 1, "locationCancellation": 2, "roamingNumberEnquiry": 3,
    "locationInfoRetrieval": 5, "reset": 10, "equipmentMngt": 13, "infoRetrieval": 14,
    "interVlrInfoRetrieval": 15, "subscriberDataMngt": 16, "networkFunctionalSs": 18,
    "networkUnstructuredSs": 19, "shortMsgGateway": 20, "shortMsgMO-Relay": 21,
    "shortMsgMT-Relay": 25, "imsiRetrieval": 26, "msPurging": 27,
    "subscriberInfoEnquiry": 28, "anyTimeInfoEnquiry": 29, "gprsLocationUpdate": 32,
    "gprsLocationInfoRetrieval": 33, "locationSvcGateway": 37, "locationSvcEnquiry": 38,
}

# opcode -> (application context, usual version)
OP_AC = {
    2: ("networkLocUp", 3), 3: ("locationCancellation", 3), 4: ("roamingNumberEnquiry", 3),
    7: ("subscriberDataMngt", 3), 8: ("subscriberDataMngt", 3), 10: ("networkFunctionalSs", 2),
    11: ("networkFunctionalSs", 2), 12: ("networkFunctionalSs", 2),
    13: ("networkFunctionalSs", 2), 14: ("networkFunctionalSs", 2),
    22: ("locationInfoRetrieval", 3), 23: ("gprsLocationUpdate", 3),
    24: ("gprsLocationInfoRetrieval", 3), 37: ("reset", 2), 43: ("equipmentMngt", 3),
    44: ("shortMsgMT-Relay", 3), 45: ("shortMsgGateway", 3), 46: ("shortMsgMO-Relay", 3),
    55: ("interVlrInfoRetrieval", 3), 56: ("infoRetrieval", 3), 57: ("networkLocUp", 3),
    58: ("imsiRetrieval", 2), 59: ("networkUnstructuredSs", 2),
    60: ("networkUnstructuredSs", 2), 67: ("msPurging", 3), 70: ("subscriberInfoEnquiry", 3),
    71: ("anyTimeInfoEnquiry", 3), 83: ("locationSvcEnquiry", 3),
    85: ("locationSvcGateway", 3),
}

ERRORS = {1: "unknownSubscriber", 6: "absentSubscriberSM", 8: "roamingNotAllowed",
          27: "absentSubscriber", 34: "systemFailure", 35: "dataMissing",
          36: "unexpectedDataValue", 49: "unauthorizedLCSClient"}


def map_acn(name, version):
    """Application context name OID contents (0.4.0.0.1.0.n.v)."""
    return ber_oid([0, 4, 0, 0, 1, 0, ACS[name], version])


def map_acn_for(opcode, version=None):
    name, v = OP_AC[opcode]
    return map_acn(name, version or v)


# ---- argument encoders. Tags: MAP modules use IMPLICIT TAGS; CHOICE tags are explicit. ----

def isdn(d):
    return addr_string(d)


def map_update_location(imsi, msc, vlr, lmsi=None, camel_phases=(0, 1, 2)):
    return seq(tlv(0x04, tbcd(imsi)), tlv(0x81, isdn(msc)), tlv(0x04, isdn(vlr)),
               tlv(0x8A, lmsi) if lmsi else b"",
               tlv(0xA6, ber_bitstring(camel_phases, 4, tag=0x80)))   # vlr-Capability


def map_update_location_res(hlr):
    return seq(tlv(0x04, isdn(hlr)))


def map_cancel_location_v3(imsi, lmsi=None, ctype=0):
    ident = seq(tlv(0x04, tbcd(imsi)), tlv(0x04, lmsi)) if lmsi else tlv(0x04, tbcd(imsi))
    return tlv(0xA3, cat(ident, ber_enum(ctype)))            # [3] IMPLICIT SEQUENCE


def map_cancel_location_v2(imsi, lmsi=None):
    """MAP v2 CancelLocationArg: CHOICE { imsi IMSI, imsi-WithLMSI IMSI-WithLMSI }."""
    return seq(tlv(0x04, tbcd(imsi)), tlv(0x04, lmsi)) if lmsi else tlv(0x04, tbcd(imsi))


def map_prn(imsi, msc, msisdn, gmsc, callref=None):
    return seq(tlv(0x80, tbcd(imsi)), tlv(0x81, isdn(msc)), tlv(0x82, isdn(msisdn)),
               tlv(0x88, isdn(gmsc)), tlv(0x89, callref) if callref else b"")


def map_prn_res(msrn):
    return seq(tlv(0x04, isdn(msrn)))


def map_o_csi(gsmscf, service_key=100):
    tdp = seq(ber_enum(2), ber_int(service_key), tlv(0x80, isdn(gsmscf)), tlv(0x81, b"\x00"))
    return cat(seq(tdp), tlv(0x80, b"\x02"))                  # camelCapabilityHandling 2


def map_isd(imsi=None, msisdn=None, gsmscf=None, category=0x0A, teleservices=(0x11, 0x22),
            cfu_ss=(0x21,), odb=False):
    parts = [tlv(0x80, tbcd(imsi)) if imsi else b""]
    if msisdn:
        parts.append(tlv(0x81, isdn(msisdn)))
        parts.append(tlv(0x82, bytes((category,))))
        parts.append(tlv(0x83, b"\x00"))                       # subscriberStatus serviceGranted
        parts.append(tlv(0xA6, cat(*[tlv(0x04, bytes((t,))) for t in teleservices])))
        # provisionedSS [7]: Ext-SS-Info CHOICE forwardingInfo [0] Ext-ForwInfo
        ss = []
        for code in cfu_ss:
            feat = seq(tlv(0x83, b"\x10"), tlv(0x84, b"\x04"))  # teleservice speech, ss-Status P
            ss.append(tlv(0xA0, cat(tlv(0x04, bytes((code,))), seq(feat))))
        parts.append(tlv(0xA7, cat(*ss)))
    if gsmscf:
        parts.append(tlv(0xAD, tlv(0xA0, map_o_csi(gsmscf))))  # vlrCamelSubscriptionInfo o-CSI
    return seq(*parts)


def map_isd_res(teleservices=None):
    return seq(tlv(0xA1, cat(*[tlv(0x04, bytes((t,))) for t in teleservices])) if teleservices else b"")


def map_dsd(imsi, ss_codes=(0x21,)):
    return seq(tlv(0x80, tbcd(imsi)), tlv(0xA2, cat(*[tlv(0x04, bytes((c,))) for c in ss_codes])))


def map_register_ss(ss_code, ftn, teleservice=0x10, noreply=None):
    return seq(tlv(0x04, bytes((ss_code,))), tlv(0x83, bytes((teleservice,))),
               tlv(0x84, isdn(ftn)), ber_int(noreply, 0x85) if noreply else b"")


def map_ss_for_bs(ss_code, teleservice=None):
    return seq(tlv(0x04, bytes((ss_code,))),
               tlv(0x83, bytes((teleservice,))) if teleservice else b"")


def map_forwarding_info(ss_code, ftn, status=0x07):
    """SS-Info CHOICE forwardingInfo [0] ForwardingInfo."""
    feat = seq(tlv(0x83, b"\x10"), tlv(0x84, bytes((status,))), tlv(0x85, isdn(ftn)))
    return tlv(0xA0, cat(tlv(0x04, bytes((ss_code,))), seq(feat)))


def map_interrogate_ss_res(ftn=None, status=0x05):
    if ftn:   # forwardingFeatureList [3]
        return tlv(0xA3, seq(tlv(0x83, b"\x10"), tlv(0x84, bytes((status,))), tlv(0x85, isdn(ftn))))
    return tlv(0x80, bytes((status,)))                         # ss-Status [0]


def map_sri(msisdn, gmsc, callref=None, itype=0):
    return seq(tlv(0x80, isdn(msisdn)), ber_enum(itype, 0x83), tlv(0x86, isdn(gmsc)),
               tlv(0x87, callref) if callref else b"")


def map_sri_res(imsi, msrn, vmsc):
    return tlv(0xA3, cat(tlv(0x89, tbcd(imsi)), tlv(0x04, isdn(msrn)), tlv(0x82, isdn(vmsc))))


def gsn_address_v4(ip):
    return b"\x04" + bytes(int(x) for x in ip.split("."))


def map_ugl(imsi, sgsn, sgsn_ip):
    return seq(tlv(0x04, tbcd(imsi)), tlv(0x04, isdn(sgsn)), tlv(0x04, gsn_address_v4(sgsn_ip)))


def map_ugl_res(hlr):
    return seq(tlv(0x04, isdn(hlr)))


def map_sri_gprs(imsi, ggsn_ip, ggsn_number):
    return seq(tlv(0x80, tbcd(imsi)), tlv(0x81, gsn_address_v4(ggsn_ip)), tlv(0x82, isdn(ggsn_number)))


def map_sri_gprs_res(sgsn_ip):
    return seq(tlv(0x80, gsn_address_v4(sgsn_ip)))


def map_mt_fsm(imsi, sca, tpdu, more=False):
    return seq(tlv(0x80, tbcd(imsi)), tlv(0x84, isdn(sca)), tlv(0x04, tpdu),
               ber_null() if more else b"")


def map_mo_fsm(sca, msisdn, tpdu, imsi=None):
    return seq(tlv(0x84, isdn(sca)), tlv(0x82, isdn(msisdn)), tlv(0x04, tpdu),
               tlv(0x04, tbcd(imsi)) if imsi else b"")


def map_sri_sm(msisdn, sca, pri=True):
    return seq(tlv(0x80, isdn(msisdn)), ber_bool(pri, 0x81), tlv(0x82, isdn(sca)))


def map_sri_sm_res(imsi, node, lmsi=None):
    return seq(tlv(0x04, tbcd(imsi)),
               tlv(0xA0, cat(tlv(0x81, isdn(node)), tlv(0x04, lmsi) if lmsi else b"")))


def map_sai_v3(imsi, nvec=5, node_type=0, plmn=None):
    return seq(tlv(0x80, tbcd(imsi)), ber_int(nvec), ber_enum(node_type, 0x83) if plmn else b"",
               tlv(0x84, plmn) if plmn else b"")


def map_sai_v2(imsi):
    return tlv(0x04, tbcd(imsi))


def map_quintuplets(rng, n):
    q = [seq(tlv(0x04, rng.randbytes(16)), tlv(0x04, rng.randbytes(8)), tlv(0x04, rng.randbytes(16)),
             tlv(0x04, rng.randbytes(16)), tlv(0x04, rng.randbytes(16))) for _ in range(n)]
    return tlv(0xA1, cat(*q))


def map_triplets_v2(rng, n):
    return seq(*[seq(tlv(0x04, rng.randbytes(16)), tlv(0x04, rng.randbytes(4)),
                     tlv(0x04, rng.randbytes(8))) for _ in range(n)])


def map_sai_res_v3(rng, n):
    return tlv(0xA3, map_quintuplets(rng, n))


def map_restore_data(imsi, lmsi=None):
    return seq(tlv(0x04, tbcd(imsi)), tlv(0x04, lmsi) if lmsi else b"",
               tlv(0xA6, ber_bitstring((0, 1, 2), 4, tag=0x80)))


def map_restore_data_res(hlr):
    return seq(tlv(0x04, isdn(hlr)))


def map_send_imsi(msisdn):
    return tlv(0x04, isdn(msisdn))


def map_send_imsi_res(imsi):
    return tlv(0x04, tbcd(imsi))


def map_ussd(text, msisdn=None, dcs=0x0F):
    _, packed = gsm7_pack(text, pad_cr=True)
    return seq(tlv(0x04, bytes((dcs,))), tlv(0x04, packed),
               tlv(0x80, isdn(msisdn)) if msisdn else b"")


def map_purge_ms(imsi, vlr):
    return tlv(0xA3, cat(tlv(0x04, tbcd(imsi)), tlv(0x80, isdn(vlr))))


def map_requested_info(location=True, state=True, current=False, imei=False, tag=0xA2):
    return tlv(tag, cat(ber_null(0x80) if location else b"", ber_null(0x81) if state else b"",
                        ber_null(0x83) if current else b"", ber_null(0x86) if imei else b""))


def map_psi(imsi, location=True, state=True, current=True, imei=True):
    return seq(tlv(0x80, tbcd(imsi)), map_requested_info(location, state, current, imei, 0xA2))


def map_location_information(cell, vlr, age=3, mcc="262", mnc="01", current=False):
    lac, ci, lat, lon = cell
    return tlv(0xA0, cat(ber_int(age), tlv(0x80, geo_info(lat, lon)), tlv(0x81, isdn(vlr)),
                         tlv(0xA3, tlv(0x80, cgi(mcc, mnc, lac, ci))),
                         ber_null(0x88) if current else b""))


def map_subscriber_info(cell, vlr, age=3, mcc="262", mnc="01", imei=None, current=False, state=0):
    st = {0: ber_null(0x80), 1: ber_null(0x81)}.get(state, ber_null(0x82))
    return seq(map_location_information(cell, vlr, age, mcc, mnc, current),
               tlv(0xA1, st), tlv(0x85, imei_tbcd(imei)) if imei else b"")


def map_psi_res(cell, vlr, **kw):
    return seq(map_subscriber_info(cell, vlr, **kw))


def map_ati(msisdn=None, imsi=None, gsmscf="", location=True, state=True, current=False, imei=False):
    ident = tlv(0x81, isdn(msisdn)) if msisdn else tlv(0x80, tbcd(imsi))
    return seq(tlv(0xA0, ident), map_requested_info(location, state, current, imei, 0xA1),
               tlv(0x83, isdn(gsmscf)))


def map_ati_res(cell, vlr, **kw):
    return seq(map_subscriber_info(cell, vlr, **kw))


def map_psl(mlc, imsi=None, msisdn=None, client_type=0, lcs_priority=None):
    return seq(seq(ber_enum(0, 0x80)), tlv(0x04, isdn(mlc)),
               tlv(0xA0, ber_enum(client_type, 0x80)),
               tlv(0x82, tbcd(imsi)) if imsi else b"", tlv(0x83, isdn(msisdn)) if msisdn else b"",
               tlv(0xA7, tlv(0xA3, ber_enum(1))))             # lcs-QoS responseTime delayTolerant


def map_psl_res(cell, age=5, mcc="262", mnc="01"):
    lac, ci, lat, lon = cell
    return seq(tlv(0x04, geo_info(lat, lon)), ber_int(age, 0x80),
               tlv(0xA6, tlv(0x80, cgi(mcc, mnc, lac, ci))))


def map_sri_lcs(mlc, msisdn=None, imsi=None):
    tgt = tlv(0x81, isdn(msisdn)) if msisdn else tlv(0x80, tbcd(imsi))
    return seq(tlv(0x80, isdn(mlc)), tlv(0xA1, tgt))


def map_sri_lcs_res(imsi, node):
    return seq(tlv(0xA0, tlv(0x80, tbcd(imsi))), tlv(0xA1, tlv(0x04, isdn(node))))


def map_send_identification(tmsi, nvec=None, msc=None):
    return seq(tlv(0x04, tmsi), ber_int(nvec) if nvec else b"", tlv(0x04, isdn(msc)) if msc else b"")


def map_send_identification_res(imsi, rng=None, nvec=0):
    return tlv(0xA3, cat(tlv(0x04, tbcd(imsi)), map_quintuplets(rng, nvec) if nvec else b""))


def map_reset(hlr, hlr_list=()):
    return seq(tlv(0x04, isdn(hlr)), seq(*[tlv(0x04, tbcd(p)) for p in hlr_list]) if hlr_list else b"")


def map_check_imei(imei):
    return seq(tlv(0x04, imei_tbcd(imei)), ber_bitstring((0,), 3))


def map_check_imei_res(status=0):
    return seq(ber_enum(status))


# =============================================================================================
# TCAP (ITU-T Q.773)
# =============================================================================================

DIALOGUE_AS = ber_oid([0, 0, 17, 773, 1, 1, 1])
MAP_DIALOGUE_AS = ber_oid([0, 4, 0, 0, 1, 1, 1, 1])


def map_open_info(dest_ref=None, orig_ref=None):
    def ref(tag, r):
        if not r:
            return b""
        if isinstance(r, tuple):           # (digits, npi): e.g. an IMSI with npi 6 (E.212)
            return tlv(tag, addr_string(r[0], 1, r[1]))
        return tlv(tag, isdn(r))
    inner = cat(ref(0x80, dest_ref), ref(0x81, orig_ref))
    return tlv(0xBE, tlv(0x28, cat(tlv(0x06, MAP_DIALOGUE_AS), tlv(0xA0, tlv(0xA0, inner)))))


def aarq(acn, dest_ref=None, orig_ref=None):
    ui = map_open_info(dest_ref, orig_ref) if (dest_ref or orig_ref) else b""
    return tlv(0x60, cat(tlv(0x80, b"\x07\x80"), tlv(0xA1, tlv(0x06, acn)), ui))


def aare(acn, result=0, diag=0):
    """result 0 accepted / 1 reject-permanent; diag (dialogue-service-user) 0 null,
    2 application-context-name-not-supported."""
    return tlv(0x61, cat(tlv(0x80, b"\x07\x80"), tlv(0xA1, tlv(0x06, acn)),
                         tlv(0xA2, ber_int(result)), tlv(0xA3, tlv(0xA1, ber_int(diag)))))


def abrt(source=0, map_user_abort=True):
    ui = b""
    if map_user_abort:   # MAP-DialoguePDU map-userAbort [4] { userSpecificReason [0] NULL }
        ui = tlv(0xBE, tlv(0x28, cat(tlv(0x06, MAP_DIALOGUE_AS), tlv(0xA0, tlv(0xA4, ber_null(0x80))))))
    return tlv(0x64, cat(tlv(0x80, bytes((source,))), ui))


def dialogue_portion(pdu):
    return tlv(0x6B, tlv(0x28, cat(tlv(0x06, DIALOGUE_AS), tlv(0xA0, pdu))))


def invoke(iid, opcode, param=b"", linked=None, global_oid=None):
    op = tlv(0x06, global_oid) if global_oid else ber_int(opcode)
    return tlv(0xA1, cat(ber_int(iid), ber_int(linked, 0x80) if linked is not None else b"", op, param))


def result_last(iid, opcode=None, param=b"", last=True):
    """ReturnResultLast (or NotLast); opcode None gives the empty form (no result sequence)."""
    body = ber_int(iid)
    if opcode is not None:
        body += seq(ber_int(opcode), param)
    return tlv(0xA2 if last else 0xA7, body)


def return_error(iid, code, param=b""):
    return tlv(0xA3, cat(ber_int(iid), ber_int(code), param))


def reject(iid, ptype, code):
    """ptype: 0 general, 1 invoke, 2 returnResult, 3 returnError. iid None -> NULL."""
    return tlv(0xA4, cat(ber_null() if iid is None else ber_int(iid), tlv(0x80 | ptype, bytes((code,)))))


def components(*comps):
    return tlv(0x6C, cat(*comps)) if comps else b""


def tid(v):
    return struct.pack(">I", v)


def tcap_begin(otid, dialogue=b"", comps=()):
    return tlv(0x62, cat(tlv(0x48, tid(otid)), dialogue, components(*comps)))


def tcap_continue(otid, dtid, dialogue=b"", comps=()):
    return tlv(0x65, cat(tlv(0x48, tid(otid)), tlv(0x49, tid(dtid)), dialogue, components(*comps)))


def tcap_end(dtid, dialogue=b"", comps=()):
    return tlv(0x64, cat(tlv(0x49, tid(dtid)), dialogue, components(*comps)))


def tcap_abort(dtid, p_cause=None, dialogue=b""):
    return tlv(0x67, cat(tlv(0x49, tid(dtid)),
                         tlv(0x4A, bytes((p_cause,))) if p_cause is not None else dialogue))


# =============================================================================================
# SCCP (ITU-T Q.713)
# =============================================================================================

def sccp_addr(gt=None, ssn=None, pc=None, route_on_ssn=False, tt=0, npi=1, nai=4):
    ai = (0x40 if route_on_ssn else 0) | (0x01 if pc is not None else 0) | (0x02 if ssn else 0)
    body = b""
    if pc is not None:
        body += struct.pack("<H", pc & 0x3FFF)
    if ssn:
        body += bytes((ssn,))
    if gt:
        ai |= 4 << 2                                    # GTI 4: TT, NP, ES, NAI
        es = 1 if len(gt) & 1 else 2
        body += bytes((tt, (npi << 4) | es, nai & 0x7F)) + tbcd(gt)
    return bytes((ai,)) + body


SCCP_MAX_UDT = 240       # longer TCAP messages go out as XUDT segments
SCCP_SEGMENT = 200


def sccp_udt(called, calling, data, pclass=0x81):
    p2 = 3 + len(called)
    p3 = p2 + len(calling)
    return bytes((0x09, pclass, 3, p2, p3, len(called))) + called + bytes((len(calling),)) + \
        calling + bytes((len(data),)) + data


def sccp_xudt(called, calling, data, pclass=0x81, hops=15, segmentation=None):
    """segmentation: (first, remaining, local_ref) -> optional Segmentation parameter."""
    p1 = 4
    p2 = p1 - 1 + 1 + len(called)
    p3 = p2 - 1 + 1 + len(calling)
    opt = b""
    if segmentation:
        first, remaining, lref = segmentation
        sb = (0x80 if first else 0) | (0x40 if pclass & 0x0F else 0) | (remaining & 0x0F)
        opt = bytes((0x10, 4, sb)) + lref.to_bytes(3, "big") + b"\x00"
    p4 = (p3 - 1 + 1 + len(data)) if opt else 0
    return bytes((0x11, pclass, hops, p1, p2, p3, p4, len(called))) + called + \
        bytes((len(calling),)) + calling + bytes((len(data),)) + data + opt


def sccp_xudt_segments(called, calling, data, nseg, lref, pclass=0x81):
    size = -(-len(data) // nseg)
    parts = [data[i:i + size] for i in range(0, len(data), size)]
    return [sccp_xudt(called, calling, p, pclass, segmentation=(i == 0, len(parts) - 1 - i, lref))
            for i, p in enumerate(parts)]


# =============================================================================================
# M3UA (RFC 4666)
# =============================================================================================

def m3ua_param(tag, value):
    ln = 4 + len(value)
    return struct.pack(">HH", tag, ln) + value + b"\x00" * (-ln % 4)


def m3ua_msg(mclass, mtype, *params):
    body = b"".join(params)
    return struct.pack(">BBBBI", 1, 0, mclass, mtype, 8 + len(body)) + body


def m3ua_data(opc, dpc, payload, si=3, ni=2, mp=0, sls=0, rc=None, na=None):
    prm = []
    if na is not None:
        prm.append(m3ua_param(0x0200, struct.pack(">I", na)))
    if rc is not None:
        prm.append(m3ua_param(0x0006, struct.pack(">I", rc)))
    prm.append(m3ua_param(0x0210, struct.pack(">IIBBBB", opc, dpc, si, ni, mp, sls) + payload))
    return m3ua_msg(1, 1, *prm)


def m3ua_aspup(asp_id=None):
    return m3ua_msg(3, 1, *([m3ua_param(0x0011, struct.pack(">I", asp_id))] if asp_id is not None else []))


def m3ua_aspup_ack():
    return m3ua_msg(3, 4)


def m3ua_aspac(rc=None, mode=2):
    prm = [m3ua_param(0x000B, struct.pack(">I", mode))]
    if rc is not None:
        prm.append(m3ua_param(0x0006, struct.pack(">I", rc)))
    return m3ua_msg(4, 1, *prm)


def m3ua_aspac_ack(rc=None, mode=2):
    prm = [m3ua_param(0x000B, struct.pack(">I", mode))]
    if rc is not None:
        prm.append(m3ua_param(0x0006, struct.pack(">I", rc)))
    return m3ua_msg(4, 3, *prm)


def m3ua_dava(pcs, rc=None):
    prm = []
    if rc is not None:
        prm.append(m3ua_param(0x0006, struct.pack(">I", rc)))
    prm.append(m3ua_param(0x0012, b"".join(struct.pack(">I", pc & 0xFFFFFF) for pc in pcs)))
    return m3ua_msg(2, 2, *prm)


def m3ua_duna(pcs, rc=None):
    prm = []
    if rc is not None:
        prm.append(m3ua_param(0x0006, struct.pack(">I", rc)))
    prm.append(m3ua_param(0x0012, b"".join(struct.pack(">I", pc & 0xFFFFFF) for pc in pcs)))
    return m3ua_msg(2, 1, *prm)


# =============================================================================================
# SCTP (RFC 4960) with CRC32c, IPv4/IPv6, Ethernet/802.1Q, pcap
# =============================================================================================

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


# =============================================================================================
# Transport state: associations between each network's gateway and the home STP
# =============================================================================================

class Assoc:
    """One SCTP association: peer (remote network gateway or home core) <-> home STP."""

    def __init__(self, key, peer_ip, peer_mac, stp_ip, stp_mac, rng, rc=None, v6=False, vlan=None):
        self.key = key
        self.ip = {"in": (peer_ip, stp_ip), "out": (stp_ip, peer_ip)}
        self.mac = {"in": (stp_mac, peer_mac), "out": (peer_mac, stp_mac)}   # (dst, src)
        self.vtag = {"in": rng.getrandbits(32) | 1, "out": rng.getrandbits(32) | 1}
        self.tsn = {"in": rng.getrandbits(31), "out": rng.getrandbits(31)}
        self.sseq = {}
        self.ipid = {"in": rng.getrandbits(16), "out": rng.getrandbits(16)}
        self.rc = rc
        self.v6 = v6
        self.vlan = vlan
        self.nstreams = 16

    def next_tsn(self, d):
        t = self.tsn[d]
        self.tsn[d] = (t + 1) & 0xFFFFFFFF
        return t

    def next_sseq(self, d, stream):
        k = (d, stream)
        s = self.sseq.get(k, 0)
        self.sseq[k] = (s + 1) & 0xFFFF
        return s

    def frame(self, d, chunks, crc=True):
        sctp = sctp_packet(2905, 2905, self.vtag[d], chunks, crc)
        src, dst = self.ip[d]
        if self.v6:
            l3 = ipv6(ip6_of(src), ip6_of(dst), sctp)
            et = 0x86DD
        else:
            self.ipid[d] = (self.ipid[d] + 1) & 0xFFFF
            l3 = ipv4(ip4(src), ip4(dst), sctp, self.ipid[d])
            et = 0x0800
        dmac, smac = self.mac[d]
        return ether(mac(dmac), mac(smac), l3, et, self.vlan)


class Net:
    """Network model + transport + pcap + labels. Nodes talk through the home STP, which is
    where the capture is taken; every message crosses one association."""

    def __init__(self, out, seed=1, labels=None, t0=1710234000.0, model=None, crc=True, rate=50.0):
        self.rng = random.Random(seed)
        self.home, self.partners, self.foreign = load_model(model)
        self.networks = [self.home] + self.partners + self.foreign
        self.by_id = {n.id: n for n in self.networks}
        self.out = out
        self.labels = labels
        self.t = t0
        self.rate = rate
        self.crc = crc
        self.assocs = {}
        h = NETWORK["home"] if model is None else model["home"]
        self.stp_ip, self.stp_mac, self.stp_pc = h["ip"], h["mac"], h["pc_gw"]
        for i, n in enumerate(self.networks):
            if n.kind == "home":
                c = h["core"]
                self.assocs["home"] = Assoc("home", c["ip"], c["mac"], self.stp_ip, self.stp_mac,
                                            self.rng, rc=100)
            else:
                self.assocs[n.id] = Assoc(n.id, n.ip, n.mac, self.stp_ip, self.stp_mac, self.rng,
                                          rc=200 + i if i % 2 else None)
        self.tids = set()
        self.lref = self.rng.getrandbits(24)

    # --- helpers -------------------------------------------------------------------------
    def new_tid(self):
        while True:
            v = self.rng.getrandbits(32)
            if v not in self.tids:
                self.tids.add(v)
                return v

    def new_lref(self):
        """SCCP segmentation local reference."""
        self.lref = (self.lref + 1) & 0xFFFFFF
        return self.lref

    def tick(self, mean=None):
        self.t += self.rng.expovariate(self.rate if mean is None else 1.0 / mean)
        return self.t

    def route(self, src, dst):
        """(assoc, direction, opc, dpc, ni) for a message src node -> dst node."""
        if src.net.kind != "home":
            a, d = self.assocs[src.net.id], "in"
            opc, dpc, ni = src.net.pc_gw, self.stp_pc, 0
        elif dst.net.kind != "home":
            a, d = self.assocs[dst.net.id], "out"
            opc, dpc, ni = self.stp_pc, dst.net.pc_gw, 0
        else:
            a, d = self.assocs["home"], ("in" if src.role in ("vlr", "msc", "smsc", "sgsn", "gmlc",
                                                               "gsmscf", "eir") else "out")
            opc, dpc, ni = src.pc, dst.pc, 2
        return a, d, opc, dpc, ni

    def sccp_for(self, src, dst, data, calling_gt=None, called_gt=None, route_on_ssn=None,
                 called_ssn=None, calling_ssn=None):
        ros = route_on_ssn if route_on_ssn is not None else False
        cd = sccp_addr(called_gt or dst.gt, called_ssn or dst.ssn,
                       pc=dst.pc if ros else None, route_on_ssn=ros)
        cg = sccp_addr(calling_gt or src.gt, calling_ssn or src.ssn)
        return cd, cg

    def emit(self, a, d, chunks, label=None, ts=None):
        frame = a.frame(d, chunks, self.crc)
        n = self.out.write(self.t if ts is None else ts, frame)
        if self.labels is not None and label is not None:
            rec = {"frame": n, "time": round(self.t, 3)}
            rec.update(label)
            self.labels.write(json.dumps(rec, separators=(",", ":")) + "\n")
        return n

    def send(self, src, dst, tcap, label=None, xudt=False, calling_gt=None, called_gt=None,
             route_on_ssn=None, called_ssn=None, calling_ssn=None, sls=None, dt=None, opc=None):
        """Send one TCAP message src -> dst in one SCCP UDT/XUDT, M3UA DATA, SCTP DATA."""
        if dt is None:
            self.tick()
        else:
            self.t += dt
        a, d, o, p, ni = self.route(src, dst)
        if opc is not None:
            o = opc
        cd, cg = self.sccp_for(src, dst, tcap, calling_gt, called_gt, route_on_ssn, called_ssn,
                               calling_ssn)
        if len(tcap) > SCCP_MAX_UDT:
            # too long for one UDT: XUDT segments (Q.714 segmentation), class 1
            nseg = -(-len(tcap) // SCCP_SEGMENT)
            sccps = sccp_xudt_segments(cd, cg, tcap, nseg, self.new_lref())
        else:
            sccps = [sccp_xudt(cd, cg, tcap) if xudt else sccp_udt(cd, cg, tcap)]
        sls = self.rng.randrange(16) if sls is None else sls
        stream = 1 + sls % (a.nstreams - 1)
        lab = dict(label or {})
        lab.setdefault("calling", calling_gt or src.gt)
        lab.setdefault("called", called_gt or dst.gt)
        lab.setdefault("src", "%s.%s" % (src.net.id, src.role))
        lab.setdefault("dst", "%s.%s" % (dst.net.id, dst.role))
        n = None
        for i, sccp in enumerate(sccps):
            m3 = m3ua_data(o, p, sccp, ni=ni, sls=sls, rc=a.rc)
            ch = sctp_data_chunk(a.next_tsn(d), stream, a.next_sseq(d, stream), m3)
            if i:
                self.t += 0.0002
            if i < len(sccps) - 1:
                sl = {"segment": "%d/%d" % (i + 1, len(sccps)), "calling": lab["calling"],
                      "called": lab["called"]}
                if "label" in lab:
                    sl["label"] = lab["label"]
                n = self.emit(a, d, [ch], sl)
            else:
                if len(sccps) > 1:
                    lab["segment"] = "%d/%d" % (i + 1, len(sccps))
                n = self.emit(a, d, [ch], lab)
        return n

    def raw(self, a, d, chunks, label=None, dt=None):
        if dt is None:
            self.tick()
        else:
            self.t += dt
        return self.emit(a, d, chunks, label)

    # --- dialogues -----------------------------------------------------------------------
    def dialogue(self, a, b, opcode=None, version=None, ac=None, **kw):
        return Dialogue(self, a, b, opcode, version, ac, **kw)


class Dialogue:
    """A TCAP dialogue between node a (initiator) and node b, with MAP helpers.
    Label fields common to every message of the dialogue go in self.info."""

    def __init__(self, net, a, b, opcode=None, version=None, ac=None, dest_ref=None, orig_ref=None,
                 no_dialogue=False, info=None, calling_gt=None, called_gt=None, called_ssn=None,
                 calling_ssn=None, route_on_ssn=None):
        self.net, self.a, self.b = net, a, b
        self.acn = None
        if not no_dialogue:
            if ac:
                self.acn = map_acn(ac[0], ac[1])
                self.acname = "%s-v%d" % ac
            else:
                name, v = OP_AC[opcode]
                self.acn = map_acn(name, version or v)
                self.acname = "%s-v%d" % (name, version or v)
        else:
            self.acname = None
        self.dest_ref, self.orig_ref = dest_ref, orig_ref
        self.otid = net.new_tid()
        self.dtid = None
        self.info = dict(info or {})
        self.a_opts = dict(calling_gt=calling_gt, called_gt=called_gt, called_ssn=called_ssn,
                           calling_ssn=calling_ssn, route_on_ssn=route_on_ssn)
        self.answered = False
        self.next_iid = 1

    def _send(self, fwd, tcap, lab, **kw):
        lab = dict(self.info, **lab)
        if self.acname:
            lab.setdefault("ac", self.acname)
        if fwd:
            opts = dict(self.a_opts)
            opts.update(kw)
            return self.net.send(self.a, self.b, tcap, lab, **opts)
        opts = {}
        if self.a_opts.get("calling_gt"):
            opts["called_gt"] = self.a_opts["calling_gt"]
        if self.a_opts.get("calling_ssn"):
            opts["called_ssn"] = self.a_opts["calling_ssn"]
        if self.a_opts.get("called_gt"):
            opts["calling_gt"] = self.a_opts["called_gt"]
        if self.a_opts.get("called_ssn"):
            opts["calling_ssn"] = self.a_opts["called_ssn"]
        opts.update(kw)
        return self.net.send(self.b, self.a, tcap, lab, **opts)

    def begin(self, comps, ops=None, lab=None, **kw):
        dlg = b"" if self.acn is None else dialogue_portion(aarq(self.acn, self.dest_ref, self.orig_ref))
        return self._send(True, tcap_begin(self.otid, dlg, comps),
                          dict({"tcap": "Begin", "dir": _dir(comps, "req")}, **_oplab(ops), **(lab or {})), **kw)

    def _resp_dialogue(self):
        if self.answered or self.acn is None:
            return b""
        self.answered = True
        return dialogue_portion(aare(self.acn))

    def cont_b(self, comps, ops=None, lab=None, **kw):
        """Continue from the responder b."""
        if self.dtid is None:
            self.dtid = self.net.new_tid()
        dlg = self._resp_dialogue()
        return self._send(False, tcap_continue(self.dtid, self.otid, dlg, comps),
                          dict({"tcap": "Continue", "dir": _dir(comps, "res")}, **_oplab(ops), **(lab or {})), **kw)

    def cont_a(self, comps, ops=None, lab=None, **kw):
        return self._send(True, tcap_continue(self.otid, self.dtid, b"", comps),
                          dict({"tcap": "Continue", "dir": _dir(comps, "req")}, **_oplab(ops), **(lab or {})), **kw)

    def end_b(self, comps, ops=None, lab=None, **kw):
        dlg = self._resp_dialogue()
        return self._send(False, tcap_end(self.otid, dlg, comps),
                          dict({"tcap": "End", "dir": _dir(comps, "res")}, **_oplab(ops), **(lab or {})), **kw)

    def end_a(self, comps, ops=None, lab=None, **kw):
        return self._send(True, tcap_end(self.dtid, b"", comps),
                          dict({"tcap": "End", "dir": _dir(comps, "req")}, **_oplab(ops), **(lab or {})), **kw)

    def abort_b(self, p_cause=None, user=False, lab=None, **kw):
        dlg = b""
        if user:
            dlg = dialogue_portion(abrt(0, True))
        return self._send(False, tcap_abort(self.otid, p_cause, dlg),
                          dict({"tcap": "Abort", "dir": "res",
                                "abort": "user" if user else "provider"}, **(lab or {})), **kw)

    # request / response in one call
    def request(self, opcode, arg, lab=None, iid=1, **kw):
        return self.begin([invoke(iid, opcode, arg)], [opcode], lab, **kw)

    def respond(self, opcode, res=None, lab=None, iid=1, with_opcode=True, **kw):
        comp = result_last(iid, opcode if (with_opcode and res is not None) else None, res or b"")
        return self.end_b([comp], [opcode], lab, **kw)


def _dir(comps, default):
    """Direction label from the first component: invoke req, result res, error err, reject rej."""
    if not comps:
        return default
    return {0xA1: "req", 0xA2: "res", 0xA7: "res", 0xA3: "err", 0xA4: "rej"}.get(comps[0][0], default)


def _oplab(ops):
    if not ops:
        return {}
    if len(ops) == 1:
        return {"op": OPS.get(ops[0], str(ops[0])), "opcode": ops[0]}
    return {"op": [OPS.get(o, str(o)) for o in ops], "opcode": list(ops)}


# =============================================================================================
# Subscribers
# =============================================================================================

def sub_numbers(net, n):
    """Subscriber n of a network: (IMSI, MSISDN), a fixed scrambled permutation of n."""
    x = (n * 2654435761 + 0x5BD1E995) % 4294967291
    return net.imsi(1_000_000_000 + x % 8_999_999_999), net.msisdn(x * 7 + 1_234_567)


class Sub:
    __slots__ = ("net", "imsi", "msisdn", "vlr", "sgsn", "cell", "imei", "tmsi", "n")

    def __init__(self, net, n, vlr, rng, cell=None):
        self.net, self.n = net, n
        self.imsi, self.msisdn = sub_numbers(net, n)
        self.vlr = vlr                      # serving VLR node (its MSC shares the index)
        self.sgsn = None
        self.cell = cell
        i14 = "35%06d%06d" % (rng.randrange(10 ** 6), rng.randrange(10 ** 6))
        self.imei = i14 + luhn(i14)
        self.tmsi = rng.randbytes(4)

    def lab(self):
        return {"imsi": self.imsi, "msisdn": self.msisdn}


def msc_of(vlr):
    return vlr.net.node("msc", vlr.idx)


def hlr_of(sub):
    return sub.net.node("hlr", int(sub.imsi[-1]) % len(sub.net.nodes["hlr"]))


# =============================================================================================
# Traffic building blocks (benign flows). Each returns nothing; frames go to net.
# =============================================================================================

SMS_TEXTS = ["See you at 8", "Your code is 482913", "Running late, sorry", "Call me back please",
             "Happy birthday!", "Meeting moved to 14:30", "OK", "Landed, taking a taxi now"]
USSD_CODES = ["*100#", "*101#", "*135#", "*106*2#"]


def flow_sms_mt(net, sub, smsc, text=None, pid=0, dcs=0, data=None, udh=None, info=None,
                error=False):
    """SRI-SM to the subscriber's HLR (routed on MSISDN) then MT-forwardSM to the serving MSC."""
    rng = net.rng
    hlr = hlr_of(sub)
    info = dict(sub.lab(), **(info or {}))
    d = net.dialogue(smsc, hlr, 45, info=info, called_gt=sub.msisdn)
    d.request(45, map_sri_sm(sub.msisdn, smsc.gt))
    if error:
        d.end_b([return_error(1, 6, seq(ber_int(1)))], [45], {"dir": "err", "error": "absentSubscriberSM"},
                dt=0.004)
        return
    msc = msc_of(sub.vlr)
    d.respond(45, map_sri_sm_res(sub.imsi, msc.gt), dt=0.004 + rng.random() * 0.01)
    sender = sub.net.msisdn(rng.randrange(10 ** 6)) if text is not None or data is None else smsc.gt
    tpdu = sms_deliver(sender, text if text is not None else rng.choice(SMS_TEXTS), net.t, pid, dcs,
                       data, udh)
    d2 = net.dialogue(smsc, msc, 44, info=info)
    d2.request(44, map_mt_fsm(sub.imsi, smsc.gt, tpdu), dt=0.02 + rng.random() * 0.05)
    d2.respond(44, None, dt=0.3 + rng.random())                # MT-ForwardSM-Res empty


def flow_location_update(net, sub, new_vlr, old_vlr=None, info=None, rogue=False):
    """updateLocation new VLR -> HLR; HLR cancelLocation to the old VLR; ISD to the new VLR."""
    rng = net.rng
    hlr = hlr_of(sub)
    info = dict(sub.lab(), **(info or {}))
    msc = msc_of(new_vlr)
    d = net.dialogue(new_vlr, hlr, 2, info=info, orig_ref=new_vlr.gt, dest_ref=(sub.imsi, 6))
    d.request(2, map_update_location(sub.imsi, msc.gt, new_vlr.gt))
    conseq = {"stage": "consequence", "rules": []} if "attack" in info else {}
    if old_vlr is not None and old_vlr is not new_vlr:
        c = net.dialogue(hlr, old_vlr, 3, info=dict(info, **conseq))
        c.request(3, map_cancel_location_v3(sub.imsi, ctype=0), dt=0.01)
        c.respond(3, None, dt=0.01)
    # ISD inside the UL dialogue: Continue from the HLR, result from the VLR
    d.cont_b([invoke(2, 7, map_isd(None, sub.msisdn, home_gsmscf(net) if sub.net.kind == "home" else None))],
             [7], conseq, dt=0.01)
    d.cont_a([result_last(2)], [7], conseq, dt=0.01)
    d.end_b([result_last(1, 2, map_update_location_res(hlr.gt))], [2], dt=0.01)
    sub.vlr = new_vlr


def home_gsmscf(net):
    return net.home.node("gsmscf").gt


def flow_sai(net, sub, vlr, nvec=2, info=None):
    hlr = hlr_of(sub)
    d = net.dialogue(vlr, hlr, 56, info=dict(sub.lab(), **(info or {})))
    d.request(56, map_sai_v3(sub.imsi, nvec, 0, plmn_id(vlr.net.mcc, vlr.net.mnc)))
    d.respond(56, map_sai_res_v3(net.rng, nvec), dt=0.02)


def flow_mt_call(net, sub, gmsc, info=None):
    """SRI from the GMSC -> HLR, PRN HLR -> serving VLR, results."""
    rng = net.rng
    hlr = hlr_of(sub)
    info = dict(sub.lab(), **(info or {}))
    msc = msc_of(sub.vlr)
    msrn = msc.net.cc + msc.gt[len(msc.net.cc):-4] + "9%03d" % rng.randrange(1000)
    d = net.dialogue(gmsc, hlr, 22, info=info, called_gt=sub.msisdn)
    callref = rng.randbytes(8)
    d.request(22, map_sri(sub.msisdn, gmsc.gt, callref))
    p = net.dialogue(hlr, sub.vlr, 4, info=info)
    p.request(4, map_prn(sub.imsi, msc.gt, sub.msisdn, gmsc.gt, callref), dt=0.005)
    p.respond(4, map_prn_res(msrn), dt=0.01)
    d.respond(22, map_sri_res(sub.imsi, msrn, msc.gt), dt=0.005)


def flow_psi_home(net, sub, info=None):
    """Legitimate PSI: home HLR -> serving VLR (location, state), e.g. for ATI/CAMEL."""
    hlr = hlr_of(sub)
    d = net.dialogue(hlr, sub.vlr, 70, info=dict(sub.lab(), **(info or {})))
    d.request(70, map_psi(sub.imsi, True, True, False, False))
    d.respond(70, map_psi_res(sub.cell, sub.vlr.gt, age=net.rng.randrange(1, 60)), dt=0.02)


def flow_ussd(net, sub, code=None, reply="Balance: 12.40 EUR. Valid until 31.12.", info=None):
    hlr = hlr_of(sub)
    d = net.dialogue(sub.vlr, hlr, 59, info=dict(sub.lab(), **(info or {})),
                     dest_ref=(sub.imsi, 6), orig_ref=sub.msisdn)
    d.request(59, map_ussd(code or net.rng.choice(USSD_CODES), sub.msisdn))
    d.respond(59, map_ussd(reply), dt=0.3 + net.rng.random())


def flow_sms_mo(net, sub, text=None, info=None):
    smsc = sub.net.node("smsc")
    msc = msc_of(sub.vlr)
    d = net.dialogue(msc, smsc, 46, info=dict(sub.lab(), **(info or {})))
    to = sub.net.msisdn(net.rng.randrange(10 ** 6))
    d.request(46, map_mo_fsm(smsc.gt, sub.msisdn, sms_submit(to, text or net.rng.choice(SMS_TEXTS),
                                                              mr=net.rng.randrange(256)), sub.imsi))
    d.respond(46, None, dt=0.1)


# =============================================================================================
# Subcommand: ops (every operation, request and result)
# =============================================================================================

def gen_ops(net):
    h = net.home
    fr, gb, es, us, ch = net.partners[:5]
    rng = net.rng
    hlr, hlr2 = h.node("hlr", 0), h.node("hlr", 1)
    vlr, vlr2 = h.node("vlr", 0), h.node("vlr", 1)
    msc = h.node("msc", 0)
    smsc, scf, sgsn, gmlc, eir = (h.node(r) for r in ("smsc", "gsmscf", "sgsn", "gmlc", "eir"))
    cells = h.cells
    subs = [Sub(h, i, vlr if i % 2 == 0 else vlr2, rng, cells[i % len(cells)]) for i in range(12)]
    roamer = Sub(fr, 3, vlr, rng, cells[0])
    s = subs[0]
    lab = {"label": "benign"}

    def D(a, b, op, sub, version=None, **kw):
        info = dict(sub.lab() if sub else {}, **lab)
        return net.dialogue(a, b, op, version, info=info, **kw)

    # 2 updateLocation (partner VLR for a home subscriber roaming in FR) + ISD in the dialogue
    frv = fr.node("vlr")
    d = D(frv, hlr, 2, s, orig_ref=frv.gt, dest_ref=(s.imsi, 6))
    d.request(2, map_update_location(s.imsi, fr.node("msc").gt, frv.gt, lmsi=b"\x00\x01\x02\x03"))
    d.cont_b([invoke(2, 7, map_isd(None, s.msisdn, scf.gt))], [7], dt=0.01)
    d.cont_a([result_last(2)], [7], dt=0.01)
    d.end_b([result_last(1, 2, map_update_location_res(hlr.gt))], [2], dt=0.01)
    # 3 cancelLocation v3 (to the old VLR) and v2 shape
    d = D(hlr, vlr, 3, s)
    d.request(3, map_cancel_location_v3(s.imsi, lmsi=b"\x00\x01\x02\x03", ctype=0))
    d.respond(3, seq(), dt=0.01)                                   # CancelLocationRes, empty SEQUENCE
    d = D(hlr, vlr2, 3, subs[1], version=2)
    d.request(3, map_cancel_location_v2(subs[1].imsi))
    d.respond(3, None, dt=0.01)                                     # v2: no result parameter
    # 4 provideRoamingNumber
    d = D(hlr, vlr, 4, s)
    d.request(4, map_prn(subs[2].imsi, msc.gt, subs[2].msisdn, msc.gt, rng.randbytes(8)))
    d.respond(4, map_prn_res("4917000009123"), dt=0.01)
    # 7 insertSubscriberData stand-alone (msisdn + CAMEL O-CSI gsmSCF)
    d = D(hlr, vlr, 7, subs[3])
    d.request(7, map_isd(subs[3].imsi, subs[3].msisdn, scf.gt))
    d.respond(7, map_isd_res((0x11, 0x22)), dt=0.01)
    d = D(hlr, vlr2, 7, subs[5])
    d.request(7, map_isd(subs[5].imsi, subs[5].msisdn))
    d.respond(7, None, dt=0.01)                                     # empty result, no opcode
    # 8 deleteSubscriberData
    d = D(hlr, vlr, 8, subs[3])
    d.request(8, map_dsd(subs[3].imsi, (0x21,)))
    d.respond(8, None, dt=0.01)
    # 10-14 supplementary services (VLR -> HLR, networkFunctionalSs v2)
    ftn = "4917199887766"
    d = D(vlr, hlr, 10, s)
    d.request(10, map_register_ss(0x21, ftn))
    d.respond(10, map_forwarding_info(0x21, ftn), dt=0.02)
    d = D(vlr, hlr, 11, s)
    d.request(11, map_ss_for_bs(0x21))
    d.respond(11, None, dt=0.02)
    d = D(vlr, hlr, 12, s)
    d.request(12, map_ss_for_bs(0x29, 0x10))
    d.respond(12, map_forwarding_info(0x29, ftn, 0x05), dt=0.02)
    d = D(vlr, hlr, 13, s)
    d.request(13, map_ss_for_bs(0x29))
    d.respond(13, None, dt=0.02)
    d = D(vlr, hlr, 14, s)
    d.request(14, map_ss_for_bs(0x21))
    d.respond(14, map_interrogate_ss_res(ftn, 0x07), dt=0.02)
    d = D(vlr, hlr, 14, subs[4])
    d.request(14, map_ss_for_bs(0x2A))
    d.respond(14, map_interrogate_ss_res(None, 0x04), dt=0.02)
    # 22 sendRoutingInfo (+ PRN inside flow_mt_call) routed on the MSISDN
    d = D(msc, hlr, 22, subs[2], called_gt=subs[2].msisdn)
    d.request(22, map_sri(subs[2].msisdn, msc.gt, rng.randbytes(8)))
    d.respond(22, map_sri_res(subs[2].imsi, "4917000009123", msc.gt), dt=0.02)
    # 23 updateGprsLocation, 24 sendRoutingInfoForGprs
    d = D(sgsn, hlr, 23, subs[6])
    d.request(23, map_ugl(subs[6].imsi, sgsn.gt, "10.49.2.10"))
    d.respond(23, map_ugl_res(hlr.gt), dt=0.02)
    ggsn = net.home.node("ggsn")
    d = D(ggsn, hlr, 24, subs[6])
    d.request(24, map_sri_gprs(subs[6].imsi, "10.49.3.1", ggsn.gt))
    d.respond(24, map_sri_gprs_res("10.49.2.10"), dt=0.02)
    # 45 sendRoutingInfoForSM + 44 mt-forwardSM (normal, silent SMS, SIM OTA)
    flow_sms_mt(net, s, smsc, info=lab)
    flow_sms_mt(net, subs[7], fr.node("smsc"), text="Hello from Paris", info=lab)
    d = D(smsc, msc_of(s.vlr), 44, s)
    d.request(44, map_mt_fsm(s.imsi, smsc.gt, sms_deliver(smsc.gt, "", net.t, pid=0x40, dcs=0xC0)))
    d.respond(44, None, dt=0.2)
    ota = bytes.fromhex("002d1516091111b00001000000000001") + rng.randbytes(24)   # 03.48 command packet
    d = D(smsc, msc_of(s.vlr), 44, s)
    d.request(44, map_mt_fsm(s.imsi, smsc.gt, sms_deliver(smsc.gt, None, net.t, pid=0x7F, dcs=0xF6,
                                                         data=ota, udh=b"\x70\x00")))
    d.respond(44, map_mt_fsm_res_ack(), dt=0.3)
    # 46 mo-forwardSM
    d = D(msc, smsc, 46, subs[8])
    d.request(46, map_mo_fsm(smsc.gt, subs[8].msisdn, sms_submit("4917112345678", "On my way", mr=7),
                             subs[8].imsi))
    d.respond(46, None, dt=0.1)
    # 56 sendAuthenticationInfo v3 (numberOfRequestedVectors) and v2 (plain IMSI)
    d = D(frv, hlr, 56, s)
    d.request(56, map_sai_v3(s.imsi, 2, 0, plmn_id(fr.mcc, fr.mnc)))
    d.respond(56, map_sai_res_v3(rng, 2), dt=0.02)
    d = D(vlr, gb.node("hlr"), 56, Sub(gb, 4, vlr, rng), version=2)
    d.request(56, map_sai_v2(gb.imsi(10004)))
    d.respond(56, map_triplets_v2(rng, 2), dt=0.05)
    # 57 restoreData
    d = D(vlr, hlr, 57, subs[9])
    d.request(57, map_restore_data(subs[9].imsi, b"\x00\x00\x00\x09"))
    d.respond(57, map_restore_data_res(hlr.gt), dt=0.02)
    # 58 sendIMSI
    d = D(vlr, hlr, 58, subs[9])
    d.request(58, map_send_imsi(subs[9].msisdn))
    d.respond(58, map_send_imsi_res(subs[9].imsi), dt=0.02)
    # 59 processUnstructuredSS-Request with a network 60 unstructuredSS-Request inside
    u = subs[10]
    d = D(u.vlr, hlr, 59, u, orig_ref=u.msisdn)
    d.request(59, map_ussd("*100#", u.msisdn))
    d.cont_b([invoke(2, 60, map_ussd("1 Balance 2 Bundles 3 Top up"), linked=1)], [60], dt=0.2)
    d.cont_a([result_last(2, 60, map_ussd("1"))], [60], dt=3.0)
    d.end_b([result_last(1, 59, map_ussd("Balance: 12.40 EUR"))], [59], dt=0.2)
    # 60 unstructuredSS-Request network-initiated, own dialogue
    d = D(hlr, u.vlr, 60, u)
    d.request(60, map_ussd("Reply 1 to confirm your top-up"))
    d.respond(60, map_ussd("1"), dt=4.0)
    # 67 purgeMS
    d = D(vlr2, hlr, 67, subs[11])
    d.request(67, map_purge_ms(subs[11].imsi, vlr2.gt))
    d.respond(67, None, dt=0.02)
    # 70 provideSubscriberInfo (currentLocation + IMEI)
    d = D(hlr, s.vlr, 70, s)
    d.request(70, map_psi(s.imsi, True, True, True, True))
    d.respond(70, map_psi_res(s.cell, s.vlr.gt, age=0, imei=s.imei, current=True), dt=0.8)
    # 71 anyTimeInterrogation (home gsmSCF -> HLR)
    d = D(scf, hlr, 71, subs[4], called_gt=subs[4].msisdn)
    d.request(71, map_ati(subs[4].msisdn, gsmscf=scf.gt))
    d.respond(71, map_ati_res(subs[4].cell, subs[4].vlr.gt, age=12), dt=0.05)
    # 85 sendRoutingInfoForLCS, 83 provideSubscriberLocation
    d = D(gmlc, hlr, 85, subs[4], called_gt=subs[4].msisdn)
    d.request(85, map_sri_lcs(gmlc.gt, msisdn=subs[4].msisdn))
    d.respond(85, map_sri_lcs_res(subs[4].imsi, msc_of(subs[4].vlr).gt), dt=0.02)
    d = D(gmlc, msc_of(subs[4].vlr), 83, subs[4])
    d.request(83, map_psl(gmlc.gt, subs[4].imsi, subs[4].msisdn, client_type=0))
    d.respond(83, map_psl_res(subs[4].cell, age=0), dt=2.5)
    # 55 sendIdentification (new VLR -> old VLR)
    d = D(vlr2, vlr, 55, subs[0])
    d.request(55, map_send_identification(subs[0].tmsi, 2, msc_of(vlr2).gt))
    d.respond(55, map_send_identification_res(subs[0].imsi, rng, 2), dt=0.02)
    # 37 reset (HLR restart) - no result; the VLR closes the dialogue
    d = D(hlr2, vlr, 37, None)
    d.request(37, map_reset(hlr2.gt, ("26201",)))
    d.end_b([], [37], {"dir": "res"}, dt=0.02)
    # 43 checkIMEI (MSC -> EIR)
    d = D(msc, eir, 43, subs[5])
    d.request(43, map_check_imei(subs[5].imei))
    d.respond(43, map_check_imei_res(0), dt=0.02)
    # inbound roamer: UL from a home VLR to the FR HLR, ISD with the roamer's MSISDN
    flow_location_update(net, roamer, vlr, None, info=lab)
    # returnError: unknownSubscriber for SRI-SM, absentSubscriberSM for MT-forwardSM
    ghost = Sub(h, 777, vlr, rng)
    d = D(fr.node("smsc"), hlr, 45, ghost, called_gt=ghost.msisdn)
    d.request(45, map_sri_sm(ghost.msisdn, fr.node("smsc").gt))
    d.end_b([return_error(1, 1, seq(ber_enum(0)))], [45], {"dir": "err", "error": "unknownSubscriber"},
            dt=0.01)
    d = D(smsc, msc_of(subs[7].vlr), 44, subs[7])
    d.request(44, map_mt_fsm(subs[7].imsi, smsc.gt, sms_deliver(smsc.gt, "Test", net.t)))
    d.end_b([return_error(1, 6, seq(ber_int(1)))], [44], {"dir": "err", "error": "absentSubscriberSM"},
            dt=2.0)
    # Reject (invoke problem mistypedParameter) in the End
    d = D(gb.node("vlr"), hlr, 56, s)
    d.request(56, map_sai_v3(s.imsi, 5))
    d.end_b([reject(1, 1, 2)], [56], {"dir": "rej", "reject": "mistypedParameter"}, dt=0.01)
    # TCAP P-Abort (unrecognizedTransactionID) and U-Abort (MAP userSpecificReason)
    d = D(es.node("vlr"), hlr, 56, subs[1])
    d.request(56, map_sai_v3(subs[1].imsi, 3))
    d.abort_b(p_cause=1, dt=0.01)
    d = D(us.node("smsc"), hlr, 45, subs[2], called_gt=subs[2].msisdn)
    d.request(45, map_sri_sm(subs[2].msisdn, us.node("smsc").gt))
    d.abort_b(user=True, dt=0.01)
    # Begin without dialogue portion (AC-less, MAP v1 style), answered without dialogue
    d = D(ch.node("smsc"), hlr, 45, subs[3], no_dialogue=True, called_gt=subs[3].msisdn)
    d.request(45, map_sri_sm(subs[3].msisdn, ch.node("smsc").gt))
    d.respond(45, map_sri_sm_res(subs[3].imsi, msc_of(subs[3].vlr).gt), dt=0.01)


def map_mt_fsm_res_ack():
    """MT-ForwardSM-Res with an SMS-DELIVER-REPORT in sm-RP-UI (SIM OTA PoR style)."""
    return seq(tlv(0x04, bytes.fromhex("000000")))


# =============================================================================================
# Subcommand: edge (transport and encoding corner cases)
# =============================================================================================

def gen_edge(net):
    h = net.home
    fr, gb = net.partners[0], net.partners[1]
    rng = net.rng
    hlr, vlr = h.node("hlr"), h.node("vlr")
    smsc = h.node("smsc")
    subs = [Sub(h, 100 + i, vlr, rng, h.cells[i % len(h.cells)]) for i in range(8)]
    A = net.assocs[fr.id]
    lab = {"label": "benign"}

    def L(kind, **kw):
        return dict({"edge": kind}, **kw)

    # M3UA management on the FR association: ASPUP/ACK, ASPAC/ACK, DAVA; SCTP HEARTBEAT
    net.raw(A, "in", [sctp_data_chunk(A.next_tsn("in"), 0, A.next_sseq("in", 0), m3ua_aspup(7))],
            L("m3ua-aspup"))
    net.raw(A, "out", [sctp_data_chunk(A.next_tsn("out"), 0, A.next_sseq("out", 0), m3ua_aspup_ack())],
            L("m3ua-aspup-ack"), dt=0.001)
    net.raw(A, "in", [sctp_data_chunk(A.next_tsn("in"), 0, A.next_sseq("in", 0), m3ua_aspac(A.rc))],
            L("m3ua-aspac"), dt=0.001)
    net.raw(A, "out", [sctp_data_chunk(A.next_tsn("out"), 0, A.next_sseq("out", 0), m3ua_aspac_ack(A.rc))],
            L("m3ua-aspac-ack"), dt=0.001)
    net.raw(A, "out", [sctp_data_chunk(A.next_tsn("out"), 0, A.next_sseq("out", 0),
                                       m3ua_dava([hlr.pc, vlr.pc], A.rc))], L("m3ua-dava"), dt=0.001)
    net.raw(A, "in", [sctp_sack(A.tsn["out"] - 1)], L("sctp-sack"), dt=0.001)
    net.raw(A, "out", [sctp_sack(A.tsn["in"] - 1)], L("sctp-sack"), dt=0.001)
    hb = struct.pack(">Q", 0x0102030405060708)
    net.raw(A, "in", [sctp_heartbeat(hb)], L("sctp-heartbeat"))
    net.raw(A, "out", [sctp_heartbeat(hb, ack=True)], L("sctp-heartbeat-ack"), dt=0.0005)

    def udt_chunk(src, dst, tcap, d, a=A, sls=3):
        _, _, opc, dpc, ni = net.route(src, dst)
        cd = sccp_addr(dst.gt, dst.ssn)
        cg = sccp_addr(src.gt, src.ssn)
        m3 = m3ua_data(opc, dpc, sccp_udt(cd, cg, tcap), ni=ni, sls=sls, rc=a.rc)
        st = 1 + sls % 15
        return sctp_data_chunk(a.next_tsn(d), st, a.next_sseq(d, st), m3)

    frv = fr.node("vlr")
    # multi-component Begin: 3 SAI invokes? MAP allows several invokes of one AC: use SS ops
    s = subs[0]
    d = net.dialogue(vlr, hlr, 10, info=dict(s.lab(), **lab))
    d.begin([invoke(1, 10, map_register_ss(0x21, "4930123456")),
             invoke(2, 12, map_ss_for_bs(0x21)),
             invoke(3, 14, map_ss_for_bs(0x21))], [10, 12, 14], L("multi-invoke-begin"))
    d.end_b([result_last(1, 10, map_forwarding_info(0x21, "4930123456")),
             result_last(2, 12, map_forwarding_info(0x21, "4930123456", 0x07)),
             result_last(3, 14, map_interrogate_ss_res("4930123456", 0x07))], [10, 12, 14],
            L("multi-result-end"), dt=0.02)
    # multi-component ISD from the HLR (3 invokes in one Begin)
    d = net.dialogue(hlr, vlr, 7, info=dict(subs[1].lab(), **lab))
    d.begin([invoke(1, 7, map_isd(subs[1].imsi, subs[1].msisdn)),
             invoke(2, 7, map_isd(None, None, home_gsmscf(net))),
             invoke(3, 8, map_dsd(subs[1].imsi, (0x2A,)))], [7, 7, 8], L("multi-invoke-begin"))
    d.end_b([result_last(1), result_last(2), result_last(3)], [7, 7, 8], L("multi-result-end"), dt=0.02)

    # bundled: three M3UA DATA (three SAI Begins from the FR VLR) in one SCTP packet
    chunks, tids = [], []
    for i in range(3):
        sb = subs[2 + i]
        otid = net.new_tid()
        tids.append((otid, sb))
        tc = tcap_begin(otid, dialogue_portion(aarq(map_acn_for(56))),
                        [invoke(1, 56, map_sai_v3(sb.imsi, 1, 0, plmn_id(fr.mcc, fr.mnc)))])
        chunks.append(udt_chunk(frv, hlr, tc, "in", sls=i))
    net.raw(A, "in", chunks, L("bundled-3-data", op="sendAuthenticationInfo", opcode=56, dir="req"))
    chunks = []
    for i, (otid, sb) in enumerate(tids):
        tc = tcap_end(otid, dialogue_portion(aare(map_acn_for(56))),
                      [result_last(1, 56, map_sai_res_v3(rng, 1))])
        chunks.append(udt_chunk(hlr, frv, tc, "out", sls=i))
    net.raw(A, "out", chunks[:2], L("bundled-2-data", op="sendAuthenticationInfo", opcode=56, dir="res"))
    net.raw(A, "out", chunks[2:] + [sctp_sack(A.tsn["in"] - 1)],
            L("data-plus-sack", op="sendAuthenticationInfo", opcode=56, dir="res"), dt=0.001)

    # one M3UA message fragmented over 3 SCTP DATA chunks (B / - / E), 3 packets
    sb = subs[5]
    otid = net.new_tid()
    tc = tcap_begin(otid, dialogue_portion(aarq(map_acn_for(7), None, None)),
                    [invoke(1, 7, map_isd(sb.imsi, sb.msisdn, home_gsmscf(net)))])
    _, _, opc, dpc, ni = net.route(hlr, frv)
    m3 = m3ua_data(opc, dpc, sccp_udt(sccp_addr(frv.gt, 7), sccp_addr(hlr.gt, 6), tc), ni=ni, sls=5,
                   rc=A.rc)
    n = -(-len(m3) // 3)
    parts = [m3[i:i + n] for i in range(0, len(m3), n)]
    sseq = A.next_sseq("out", 6)
    for i, p in enumerate(parts):
        fl = (0x02 if i == 0 else 0) | (0x01 if i == len(parts) - 1 else 0)
        lb = L("sctp-fragment-%d/3" % (i + 1))
        if i == len(parts) - 1:
            lb.update(sb.lab(), op="insertSubscriberData", opcode=7, dir="req", tcap="Begin")
        net.raw(A, "out", [sctp_data_chunk(A.next_tsn("out"), 6, sseq, p, flags=fl)], lb, dt=0.0002)
    tc = tcap_end(otid, dialogue_portion(aare(map_acn_for(7))), [result_last(1)])
    net.raw(A, "in", [udt_chunk(frv, hlr, tc, "in", sls=5)],
            L("reply-to-fragmented", op="insertSubscriberData", opcode=7, dir="res"), dt=0.01)

    # retransmission: the same DATA chunk (same TSN) twice
    sb = subs[6]
    otid = net.new_tid()
    tc = tcap_begin(otid, dialogue_portion(aarq(map_acn_for(45))),
                    [invoke(1, 45, map_sri_sm(sb.msisdn, fr.node("smsc").gt))])
    ch = udt_chunk(fr.node("smsc"), hlr, tc, "in", sls=7)
    base = dict(sb.lab(), op="sendRoutingInfoForSM", opcode=45, dir="req", tcap="Begin")
    net.raw(A, "in", [ch], dict(L("original"), **base))
    net.raw(A, "in", [ch], dict(L("retransmission"), retransmission=True, **base), dt=0.5)
    tc = tcap_end(otid, dialogue_portion(aare(map_acn_for(45))),
                  [result_last(1, 45, map_sri_sm_res(sb.imsi, msc_of(sb.vlr).gt))])
    net.raw(A, "out", [udt_chunk(hlr, fr.node("smsc"), tc, "out", sls=7)],
            dict(L("reply"), **dict(base, dir="res", tcap="End")), dt=0.01)

    # XUDT segmented in 3 SCCP segments (SAI result with 5 quintuplets) over the GB link
    B = net.assocs[gb.id]
    gbv = gb.node("vlr")
    sb = subs[7]
    otid = net.new_tid()
    tc = tcap_begin(otid, dialogue_portion(aarq(map_acn_for(56))),
                    [invoke(1, 56, map_sai_v3(sb.imsi, 5, 0, plmn_id(gb.mcc, gb.mnc)))])
    net.raw(B, "in", [udt_chunk(gbv, hlr, tc, "in", a=B, sls=2)],
            dict(L("sai-5-vectors"), **dict(sb.lab(), op="sendAuthenticationInfo", opcode=56,
                                            dir="req", tcap="Begin")))
    tc = tcap_end(otid, dialogue_portion(aare(map_acn_for(56))),
                  [result_last(1, 56, map_sai_res_v3(rng, 5))])
    segs = sccp_xudt_segments(sccp_addr(gbv.gt, 7), sccp_addr(hlr.gt, 6), tc, 3, net.new_lref())
    _, _, opc, dpc, ni = net.route(hlr, gbv)
    for i, sg in enumerate(segs):
        lb = L("xudt-segment-%d/3" % (i + 1))
        if i == 2:
            lb.update(sb.lab(), op="sendAuthenticationInfo", opcode=56, dir="res", tcap="End")
        m3 = m3ua_data(opc, dpc, sg, ni=ni, sls=2, rc=B.rc)
        net.raw(B, "out", [sctp_data_chunk(B.next_tsn("out"), 3, B.next_sseq("out", 3), m3)], lb,
                dt=0.0003)
    # unsegmented XUDT too
    s = subs[0]
    d = net.dialogue(fr.node("smsc"), hlr, 45, info=dict(s.lab(), **lab), called_gt=s.msisdn)
    d.request(45, map_sri_sm(s.msisdn, fr.node("smsc").gt), lab=L("xudt"), xudt=True)
    d.respond(45, map_sri_sm_res(s.imsi, msc_of(s.vlr).gt), lab=L("xudt"), xudt=True, dt=0.01)

    # indefinite-length and long-form BER (whole TCAP message re-encoded)
    for mode in ("indef", "long"):
        s = subs[1]
        otid = net.new_tid()
        tc = tcap_begin(otid, dialogue_portion(aarq(map_acn_for(70))),
                        [invoke(1, 70, map_psi(s.imsi, True, True, False, False))])
        net.send(hlr, s.vlr, ber_reencode(tc, mode),
                 dict(s.lab(), edge="ber-" + mode, op="provideSubscriberInfo", opcode=70, dir="req",
                      tcap="Begin", label="benign"))
        dt_ = net.new_tid()
        tc = tcap_end(otid, dialogue_portion(aare(map_acn_for(70))),
                      [result_last(1, 70, map_psi_res(s.cell, s.vlr.gt, age=7))])
        net.send(s.vlr, hlr, ber_reencode(tc, mode),
                 dict(s.lab(), edge="ber-" + mode, op="provideSubscriberInfo", opcode=70, dir="res",
                      tcap="End", label="benign"), dt=0.02)
        del dt_

    # global (OID) operation code, no parameter; answered with a Reject (unrecognizedOperation)
    s = subs[2]
    d = net.dialogue(fr.node("vlr"), hlr, 56, info=dict(s.lab(), **lab))
    d.begin([invoke(1, None, global_oid=ber_oid([1, 3, 12, 2, 1006, 53, 2, 1]))], None,
            dict(L("global-opcode"), op="global", opcode=None))
    d.end_b([reject(1, 1, 1)], None, dict(L("global-opcode-reject"), dir="rej"), dt=0.01)

    # route-on-SSN called party with point code (home internal)
    s = subs[3]
    d = net.dialogue(vlr, hlr, 56, info=dict(s.lab(), **lab), route_on_ssn=True)
    d.request(56, map_sai_v3(s.imsi, 1), lab=L("route-on-ssn"))
    d.respond(56, map_sai_res_v3(rng, 1), lab=L("route-on-ssn"), dt=0.01)

    # 802.1Q VLAN-tagged association, then IPv6 association
    for kind in ("vlan", "ipv6"):
        p = gb if kind == "vlan" else net.partners[2]
        a = net.assocs[p.id]
        if kind == "vlan":
            a.vlan = 301
        else:
            a.v6 = True
        s = subs[4]
        flow_sms_mt(net, s, p.node("smsc"), text="Via %s" % kind, info=dict(lab, edge=kind))
        if kind == "vlan":
            a.vlan = None
        else:
            a.v6 = False


# =============================================================================================
# Subcommand: demo (benign mixed traffic + Circles-style attack chain, rogue UL, external ATI)
# =============================================================================================

def make_population(net, n_home=40, n_roamers=12, n_out=10):
    rng = net.rng
    h = net.home
    home = []
    for i in range(n_home):
        v = h.node("vlr", i)
        home.append(Sub(h, i, v, rng, h.cells[i % len(h.cells)]))
    # outbound roamers: home subscribers served by a partner VLR
    for i, s in enumerate(home[:n_out]):
        s.vlr = net.partners[i % len(net.partners)].node("vlr", i)
        s.cell = None
    roamers = []
    for i in range(n_roamers):
        p = net.partners[i % len(net.partners)]
        roamers.append(Sub(p, 500 + i, h.node("vlr", i), rng, h.cells[i % len(h.cells)]))
    return home, roamers


def benign_step(net, home, roamers):
    rng = net.rng
    h = net.home
    r = rng.random()
    lab = {"label": "benign"}
    athome = [s for s in home if s.vlr.net is h]
    if r < 0.30:
        s = rng.choice(home)
        smsc = h.node("smsc") if rng.random() < 0.6 else rng.choice(net.partners).node("smsc")
        flow_sms_mt(net, s, smsc, info=lab, error=(rng.random() < 0.05))
    elif r < 0.40:
        s = rng.choice(athome)
        flow_mt_call(net, s, h.node("msc", rng.randrange(3)), info=lab)
    elif r < 0.55:
        s = rng.choice(home[:10])
        flow_sai(net, s, s.vlr, nvec=1, info=lab)
    elif r < 0.65:
        s = rng.choice(roamers)
        flow_sai(net, s, s.vlr, nvec=1, info=lab)
    elif r < 0.72:
        # home subscriber moving between two home VLRs
        s = rng.choice(athome)
        nv = h.node("vlr", (s.vlr.idx + 1) % 3)
        flow_location_update(net, s, nv, s.vlr, info=lab)
    elif r < 0.78:
        flow_psi_home(net, rng.choice(athome), info=lab)
    elif r < 0.86:
        flow_ussd(net, rng.choice(home), info=lab)
    else:
        s = rng.choice(home)
        flow_sms_mo(net, s, info=lab)


def gen_demo(net, n_benign=48):
    rng = net.rng
    h = net.home
    home, roamers = make_population(net)
    # initial attach of the roamers to the home VLRs
    for r in roamers[:4]:
        flow_location_update(net, r, r.vlr, None, info={"label": "benign"})
    for _ in range(n_benign // 3):
        benign_step(net, home, roamers)
    # ---- attack 1: Circles-style identify (SRI-SM) then locate (PSI, spoofed HLR GT) ----
    x = net.foreign[0]
    victim = home[20]
    att = "circles-1"
    sm = x.node("smsc")
    info = dict(victim.lab(), attack=att, label="locate-after-identify")
    d = net.dialogue(sm, hlr_of(victim), 45, called_gt=victim.msisdn,
                     info=dict(info, stage="identify",
                               rules=["locate-after-identify", "sri-sm-not-from-smsc",
                                      "sri-sm-without-delivery"]))
    d.request(45, map_sri_sm(victim.msisdn, sm.gt))
    d.respond(45, map_sri_sm_res(victim.imsi, msc_of(victim.vlr).gt), dt=0.02)
    for _ in range(4):
        benign_step(net, home, roamers)
    spoof = hlr_of(victim).gt
    d = net.dialogue(x.node("hlr"), victim.vlr, 70, calling_gt=spoof,
                     info=dict(info, stage="locate", spoofed_calling=spoof,
                               rules=["locate-after-identify", "psi-not-from-home-hlr",
                                      "cat2-home-imsi-external", "gt-transport-mismatch"]))
    net.t += 40.0
    d.request(70, map_psi(victim.imsi, True, True, True, True))
    d.respond(70, map_psi_res(victim.cell, victim.vlr.gt, age=0, imei=victim.imei, current=True),
              dt=1.2)
    for _ in range(n_benign // 3):
        benign_step(net, home, roamers)
    # ---- attack 2: rogue updateLocation from the 882 cloud for a subscriber in Berlin ----
    victim2 = home[21]
    info = dict(victim2.lab(), attack="rogue-ul-1", label="rogue-location-update",
                rules=["rogue-location-update"])
    old = victim2.vlr
    rv = x.node("vlr")
    net.t += 10.0
    flow_location_update(net, victim2, rv, old, info=info)
    for _ in range(4):
        benign_step(net, home, roamers)
    # the interception: an SMS for the victim now goes to the attacker's MSC
    flow_sms_mt(net, victim2, h.node("smsc"), text="Your code is 774201",
                info={"attack": "rogue-ul-1", "label": "rogue-location-update", "stage": "intercept",
                      "rules": []})
    # ---- attack 3: external anyTimeInterrogation (gsmSCF of the 882 cloud, on the MSISDN) ----
    victim3 = home[22]
    scf = x.node("gsmscf")
    d = net.dialogue(scf, hlr_of(victim3), 71, called_gt=victim3.msisdn,
                     info=dict(victim3.lab(), attack="ati-1", label="ati-external",
                               rules=["ati-external", "cat1-external"]))
    d.request(71, map_ati(victim3.msisdn, gsmscf=scf.gt, current=True, imei=True))
    d.respond(71, map_ati_res(victim3.cell, victim3.vlr.gt, age=2), dt=0.05)
    for _ in range(n_benign - 2 * (n_benign // 3)):
        benign_step(net, home, roamers)


# =============================================================================================
# Subcommand: bench (template patching, fast)
# =============================================================================================

class ListSink:
    def __init__(self):
        self.frames = []

    def write(self, ts, frame):
        self.frames.append(frame)
        return len(self.frames)


SENT_TIDS = [0xA55AC33C, 0x3CC35AA5, 0x5AA53CC3, 0xC33CA55A]
SENT_LREFS = [0xE1A5C3, 0xD2B6E4]


class BenchTemplates:
    """Flow templates built once with sentinel TIDs / IMSI / MSISDN; per message, patch the
    bytes, the TSN, stream sequence, IP id + checksum and the SCTP CRC32c (incrementally)."""

    def __init__(self, seed, crc=True):
        self.seed = seed
        self.crc = crc
        self.cp = CrcPatcher()
        self.cache = {}

    def build(self, key, fn):
        if key in self.cache:
            return self.cache[key]
        sink = ListSink()
        labs = ListSink()
        labs.write = labs.frames.append
        net = Net(sink, seed=self.seed, crc=self.crc, labels=labs)
        net.tids = set()
        tidq = list(SENT_TIDS)
        net.new_tid = lambda: tidq.pop(0)
        lrq = list(SENT_LREFS)
        net.new_lref = lambda: lrq.pop(0)
        subinfo = fn(net)      # returns (sub) used; frames appended to sink
        sub = subinfo
        rec = []
        routes = net._bench_routes
        for fi, fr in enumerate(sink.frames):
            patches = []   # (offset, field index, length)
            for k, t in enumerate(SENT_TIDS):
                tb = struct.pack(">I", t)
                patches += [(o, k, 4) for o in _find_all(fr, tb)]
            ib = tbcd(sub.imsi)
            patches += [(o, 4, len(ib)) for o in _find_all(fr, ib)]
            mb = tbcd(sub.msisdn)
            patches += [(o, 5, len(mb)) for o in _find_all(fr, mb)]
            for k, lr in enumerate(SENT_LREFS):
                lb = b"\x10\x04" + lr.to_bytes(4, "big")[1:]      # segmentation parameter
                patches += [(o + 3, 6 + k, 3) for o in _find_all(fr, lb[:2]) if fr[o + 3:o + 6] == lb[2:]]
            a, d = routes[fi]
            l2 = 14
            ipid = 18
            sctp0 = 34
            ip_sum = sum(struct.unpack(">10H", fr[l2:l2 + 20])) - fr[ipid] * 256 - fr[ipid + 1] \
                - struct.unpack(">H", fr[24:26])[0]
            sl = len(fr) - sctp0
            crcpos = []
            for (o, k, ln) in patches:
                crcpos.append((o, k, ln, [self.cp.tab(sl - 1 - (o - sctp0) - j) for j in range(ln)]))
            base_crc = struct.unpack("<I", fr[42:46])[0]
            stream = struct.unpack(">H", fr[54:56])[0]
            # ground-truth line without frame/time/subscriber: '"key": value, ...}'
            lab = json.loads(labs.frames[fi])
            for k in ("frame", "time", "imsi", "msisdn"):
                lab.pop(k, None)
            rest = json.dumps(lab)[1:]
            if sub.msisdn in rest:       # called GT routed on the MSISDN
                rest = rest.replace('"%s"' % sub.msisdn, '"@MSISDN@"')
            rec.append((fr, a, d, stream, ip_sum, base_crc, crcpos, rest))
        t = (rec, sub.net.kind, sub.net.id)
        self.cache[key] = t
        return t


def _find_all(buf, pat):
    out = []
    i = buf.find(pat)
    while i >= 0:
        out.append(i)
        i = buf.find(pat, i + 1)
    return out


def _record_routes(net):
    """Wrap net.emit to record (assoc key, direction) per frame."""
    net._bench_routes = []
    orig = net.emit

    def emit(a, d, chunks, label=None, ts=None):
        net._bench_routes.append((a.key, d))
        return orig(a, d, chunks, label, ts)
    net.emit = emit


def gen_bench(out, n, seed, crc=True, labels=None, progress=False):
    rng = random.Random(seed)
    bt = BenchTemplates(seed, crc)
    model_net = Net(ListSink(), seed=seed)
    h = model_net.home
    partners = model_net.partners
    n_home, n_roam = 20000, 5000
    # subscriber numbering: index -> (imsi tbcd, msisdn tbcd) per network
    nets = {n_.id: n_ for n_ in model_net.networks}

    def sub_ids(net_, i):
        imsi, msisdn = sub_numbers(net_, i)
        return tbcd(imsi), tbcd(msisdn), imsi, msisdn

    # flows: (weight, key builder) -> each template is a closure building frames with a
    # sentinel subscriber; instance fields: 4 TIDs, IMSI, MSISDN
    def sentinel_sub(net, netid, vlr_fn):
        nn = net.by_id[netid]
        s = Sub(nn, 0, vlr_fn(net), net.rng, net.home.cells[0])
        s.imsi = nn.mccmnc + "9" * (15 - len(nn.mccmnc) - 4) + "8642"
        w = nn.msisdn_len - len(nn.msisdn_prefix)
        s.msisdn = nn.msisdn_prefix + ("97531" * 4)[:w]
        return s

    def tmpl(kind, subnet, vidx, pidx, var):
        def fn(net):
            _record_routes(net)
            if subnet == "home":
                vf = (lambda nt: nt.home.node("vlr", vidx)) if pidx is None else \
                    (lambda nt: nt.partners[pidx].node("vlr", vidx))
            else:
                vf = lambda nt: nt.home.node("vlr", vidx)
            s = sentinel_sub(net, subnet, vf)
            lab = {"label": "benign"}
            if kind == "sms":
                smsc = net.home.node("smsc") if var < 2 else \
                    net.partners[(vidx + 3 * var + (pidx or 0)) % len(net.partners)].node("smsc")
                flow_sms_mt(net, s, smsc, info=lab)
            elif kind == "sms_err":
                flow_sms_mt(net, s, net.home.node("smsc"), info=lab, error=True)
            elif kind == "ul":
                nv = s.vlr
                s.vlr = net.home.node("vlr", (vidx + 1) % 3) if subnet == "home" and pidx is None else nv
                flow_location_update(net, s, nv, None if pidx is not None or subnet != "home" else s.vlr,
                                     info=lab)
            elif kind == "sai":
                flow_sai(net, s, s.vlr, nvec=1 + vidx % 3, info=lab)
            elif kind == "sri":
                flow_mt_call(net, s, net.home.node("msc", vidx), info=lab)
            elif kind == "psi":
                flow_psi_home(net, s, info=lab)
            elif kind == "ussd":
                flow_ussd(net, s, info=lab)
            elif kind == "mo":
                flow_sms_mo(net, s, info=lab)
            return s
        return fn

    kinds = []   # (weight, key)
    for v in range(3):
        kinds += [(30, ("sms", "home", v, None)), (2, ("sms_err", "home", v, None)),
                  (8, ("sri", "home", v, None)), (4, ("psi", "home", v, None)),
                  (5, ("ul", "home", v, None)), (5, ("ussd", "home", v, None)),
                  (8, ("mo", "home", v, None))]
    for p in range(len(partners)):
        kinds += [(3, ("ul", "home", 0, p)), (4, ("sai", "home", 0, p)),
                  (4, ("sms", "home", 0, p)), (1, ("ussd", "home", 0, p))]
        for v in range(3):
            kinds += [(2, ("sai", partners[p].id, v, None)), (1, ("ul", partners[p].id, v, None))]
    # variants: different SMS texts / call refs per template copy
    variants = 4
    keys = []
    weights = []
    for w, k in kinds:
        for var in range(variants):
            keys.append(k + (var,))
            weights.append(w)
    t0 = time.time()
    templates = []
    for k in keys:
        kind, subnet, vidx, pidx, var = k
        bt.seed = seed * 1000 + len(templates)
        rec, kindnet, netid = bt.build(k, tmpl(kind, subnet, vidx, pidx, var))
        templates.append((rec, netid))
    t_build = time.time() - t0
    # per-network subscriber pools (tbcd bytes)
    pools = {}
    for nid in {t[1] for t in templates}:
        cnt = n_home if nid == "home" else n_roam // len(partners)
        pools[nid] = [sub_ids(nets[nid], i) for i in range(cnt)]
    # association state (shared across templates, keyed by assoc key + direction)
    tsn, ipid, sseq = {}, {}, {}
    for k in list(model_net.assocs):
        for d in ("in", "out"):
            tsn[(k, d)] = rng.getrandbits(31)
            ipid[(k, d)] = rng.getrandbits(16)
    cum = []
    acc = 0
    for w in weights:
        acc += w
        cum.append(acc)
    import bisect
    K = 48
    active = [None] * K
    ts = 1710234000.0
    gaps = [rng.expovariate(2000.0) for _ in range(4096)]
    f = out.f
    pack_hdr = struct.Struct("<IIII").pack
    pack_i = struct.Struct(">I").pack
    pack_h = struct.Struct(">H").pack
    pack_crc = struct.Struct("<I").pack
    written = 0
    getrandbits = rng.getrandbits
    randrange = rng.randrange
    buf = []
    lab_out = labels
    tcount = len(templates)

    def new_instance():
        x = rng.random() * acc
        ti = bisect.bisect_right(cum, x)
        if ti >= tcount:
            ti = tcount - 1
        rec, nid = templates[ti]
        pool = pools[nid]
        imsi_b, msisdn_b, imsi_s, msisdn_s = pool[randrange(len(pool))]
        vals = [pack_i(getrandbits(32)), pack_i(getrandbits(32)), pack_i(getrandbits(32)),
                pack_i(getrandbits(32)), imsi_b, msisdn_b, pack_i(getrandbits(24))[1:],
                pack_i(getrandbits(24))[1:]]
        return [rec, 0, vals, ti, '"imsi": "%s", "msisdn": "%s", ' % (imsi_s, msisdn_s)]

    t1 = time.time()
    while written < n:
        slot = randrange(K)
        inst = active[slot]
        if inst is None:
            inst = active[slot] = new_instance()
        rec, i, vals, ti, sublab = inst
        fr, ak, d, stream, ip_sum, base_crc, crcpos, labrest = rec[i]
        frame = bytearray(fr)
        c = base_crc
        for (o, k, ln, tabs) in crcpos:
            v = vals[k]
            frame[o:o + ln] = v
            if crc:
                for j in range(ln):
                    x = fr[o + j] ^ v[j]
                    if x:
                        c ^= tabs[j][x]
        key = (ak, d)
        t = tsn[key]
        tsn[key] = (t + 1) & 0xFFFFFFFF
        tb = pack_i(t)
        if crc:
            for j in range(4):
                x = fr[50 + j] ^ tb[j]
                if x:
                    c ^= crc_tsn_tab(bt.cp, len(fr) - 34, j)[x]
        frame[50:54] = tb
        sk = (ak, d, stream)
        sq = sseq.get(sk, 0)
        sseq[sk] = (sq + 1) & 0xFFFF
        sb = pack_h(sq)
        if crc:
            for j in range(2):
                x = fr[56 + j] ^ sb[j]
                if x:
                    c ^= crc_tsn_tab(bt.cp, len(fr) - 34, 6 + j)[x]
        frame[56:58] = sb
        frame[42:46] = pack_crc(c) if crc else b"\x00\x00\x00\x00"
        ident = ipid[key] = (ipid[key] + 1) & 0xFFFF
        s = ip_sum + ident
        s = (s & 0xFFFF) + (s >> 16)
        s = (s & 0xFFFF) + (s >> 16)
        frame[18:20] = pack_h(ident)
        frame[24:26] = pack_h(~s & 0xFFFF)
        ts += gaps[written & 4095]
        sec = int(ts)
        buf.append(pack_hdr(sec, int((ts - sec) * 1e6), len(frame), len(frame)))
        buf.append(frame)
        written += 1
        if lab_out is not None:
            line = '{"frame": %d, "time": %.6f, "template": %d, %s%s\n' % (written, ts, ti, sublab, labrest)
            if "@MSISDN@" in labrest:
                line = line.replace("@MSISDN@", sublab[sublab.index('"msisdn": "') + 11:-3])
            lab_out.write(line)
        if len(buf) >= 8192:
            f.write(b"".join(buf))
            buf.clear()
            if progress:
                sys.stderr.write("\r%d" % written)
        i += 1
        if i >= len(rec):
            active[slot] = None
        else:
            inst[1] = i
    f.write(b"".join(buf))
    out.frames = written
    return {"templates": tcount, "build_s": t_build, "write_s": time.time() - t1}


_TSN_TABS = {}


def crc_tsn_tab(cp, sctp_len, j):
    """CRC table for byte j of the first DATA chunk header's TSN (j 0-3) or stream sequence
    (j 6-7): offset 16 + j inside the SCTP packet."""
    k = (sctp_len, j)
    t = _TSN_TABS.get(k)
    if t is None:
        t = _TSN_TABS[k] = cp.tab(sctp_len - 1 - (16 + j))
    return t


# =============================================================================================
# CLI
# =============================================================================================

def main(argv=None):
    ap = argparse.ArgumentParser(prog="ss7gen.py", description=__doc__.split("\n\n")[0])
    ap.add_argument("cmd", choices=["ops", "edge", "demo", "bench"])
    ap.add_argument("-o", "--output", default=None, help="pcap file (default <cmd>.pcap, - for stdout)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--labels", default=None, help="write JSON-lines ground truth here")
    ap.add_argument("-n", type=int, default=1000000, help="bench: number of messages (frames)")
    ap.add_argument("--no-crc", action="store_true", help="leave SCTP checksums zero (faster)")
    ap.add_argument("--benign", type=int, default=60, help="demo: number of benign flows")
    a = ap.parse_args(argv)
    path = a.output or "%s.pcap" % a.cmd
    out = PcapWriter(path)
    labels = open(a.labels, "w") if a.labels else None
    t0 = time.time()
    if a.cmd == "bench":
        st = gen_bench(out, a.n, a.seed, crc=not a.no_crc, labels=labels)
        dt = time.time() - t0
        sys.stderr.write("ss7gen bench: %d frames, %d templates (%.2f s), written in %.2f s, "
                         "%.0f frames/s total\n" % (out.frames, st["templates"], st["build_s"],
                                                    st["write_s"], out.frames / dt))
    else:
        net = Net(out, seed=a.seed, labels=labels, crc=not a.no_crc)
        {"ops": gen_ops, "edge": gen_edge, "demo": lambda n: gen_demo(n, a.benign)}[a.cmd](net)
        sys.stderr.write("ss7gen %s: %d frames to %s\n" % (a.cmd, out.frames, path))
    out.close()
    if labels:
        labels.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
