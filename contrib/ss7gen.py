#!/usr/bin/env python3
"""ss7gen - synthetic SS7/MAP over SIGTRAN trace generator for ss7watch.

Writes classic pcap files (link type Ethernet) of Ethernet [802.1Q] / IPv4|IPv6 / SCTP
(CRC32c) / M3UA / SCCP (UDT, XUDT) / TCAP / GSM MAP, byte-correct for tshark.
Python 3 standard library only.

    ss7gen.py ops   [-o ops.pcap]  [--labels ops.jsonl]   every MAP operation, request+result
    ss7gen.py edge  [-o edge.pcap] [--labels edge.jsonl]  transport and encoding corner cases
    ss7gen.py demo  [-o demo.pcap] [--labels demo.jsonl]  benign mix + Circles-style attacks
    ss7gen.py bench -n 1000000 [-o bench.pcap]            fast template-based bulk traffic
    ss7gen.py scenario -n 1000000 [-o scen.pcap]          realistic benign traffic (planner)
    ss7gen.py attacks [--dir tests/detect/traces]         per-rule positive/near-miss traces

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
    # Other known networks without roaming agreement (ss7watch.cfg: national-de02, smshub-nl,
    # ipx-be). Their transport state uses a separate random stream so that adding them did
    # not change the bytes of the ops/edge/demo/bench traces.
    "others": [
        {"id": "de02", "kind": "national", "name": "National DE02 (number portability)",
         "mcc": "262", "mnc": "02", "cc": "49", "gt_prefix": "49172", "msisdn_prefix": "49152",
         "msisdn_len": 12, "pc_gw": 0x0828, "ip": "10.49.2.1", "mac": "02:00:00:49:02:01",
         "nodes": {"hlr": ["491720000101"], "vlr": ["491720000201"], "msc": ["491720000211"],
                   "smsc": ["491720000401"]}},
        {"id": "hub", "kind": "hub", "name": "SMS hub NL", "mcc": "204", "mnc": "99", "cc": "31",
         "gt_prefix": "3165899", "msisdn_prefix": "3165899", "msisdn_len": 11,
         "pc_gw": 0x1641, "ip": "10.31.0.1", "mac": "02:00:00:31:00:01",
         "nodes": {"smsc": ["31658990401", "31658990402"]}},
        {"id": "ipx", "kind": "ipx", "name": "IPX BE", "mcc": "206", "mnc": "99", "cc": "32",
         "gt_prefix": "3247999", "msisdn_prefix": "3247999", "msisdn_len": 11,
         "pc_gw": 0x1691, "ip": "10.32.0.1", "mac": "02:00:00:32:00:01",
         "nodes": {"stp": ["32479990001"]}},
        # a French operator the config does not describe (its GTs are only "+33, France")
        {"id": "fr2", "kind": "unknown", "name": "Operator FR 208-10 (not configured)",
         "mcc": "208", "mnc": "10", "cc": "33", "gt_prefix": "33661", "msisdn_prefix": "33661",
         "msisdn_len": 11, "pc_gw": 0x1029, "ip": "10.33.10.1", "mac": "02:00:00:33:10:01",
         "nodes": {"hlr": ["33661000101"], "vlr": ["33661000201"], "msc": ["33661000211"],
                   "smsc": ["33661000401"]}},
    ],
}

# Representative positions (the capitals, as ss7watch's geo table) and one radio cell
# (LAC, CI, latitude, longitude) per visited network, for location answers and travel times.
POSITIONS = {"home": ("DE", 52.52, 13.40), "fr": ("FR", 48.86, 2.35), "gb": ("GB", 51.51, -0.13),
             "es": ("ES", 40.42, -3.70), "us": ("US", 38.90, -77.04), "ch": ("CH", 46.95, 7.45),
             "tr": ("TR", 39.93, 32.86), "de02": ("DE", 52.52, 13.40), "hub": ("NL", 52.37, 4.90),
             "ipx": ("BE", 50.85, 4.35)}
PARTNER_CELLS = {"fr": (0x7501, 0x0A21, 48.8566, 2.3522), "gb": (0x0B01, 0x1C44, 51.5072, -0.1276),
                 "es": (0x2801, 0x3D12, 40.4168, -3.7038), "us": (0x0206, 0x4E03, 47.6062, -122.3321),
                 "ch": (0x0301, 0x5F09, 47.3769, 8.5417), "tr": (0x0601, 0x6A31, 41.0082, 28.9784)}

# point code of a home node: core pc_base + ROLE_PC[role] + index (an MSC/VLR shares its PC)
ROLE_PC = {"hlr": 0x20, "vlr": 0x30, "msc": 0x30, "smsc": 0x40, "gsmscf": 0x50, "sgsn": 0x60,
           "gmlc": 0x70, "eir": 0x80, "ggsn": 0x90}

SSN = {"hlr": 6, "vlr": 7, "msc": 8, "smsc": 8, "eir": 9, "gsmscf": 147, "sgsn": 149,
       "gmlc": 145, "ggsn": 150, "stp": 0}


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


def map_sri_res_camel(imsi, vmsc, t_scf=None, o_scf=None):
    """v3 result with extendedRoutingInfo camelRoutingInfo [8] { gmscCamelSubscriptionInfo [0]
    { t-CSI [0], o-CSI [1] } }: the gsmSCFs the GMSC hands the call to."""
    csi = b""
    if t_scf:   # termAttemptAuthorized (12), service key 200
        csi += tlv(0xA0, seq(seq(ber_enum(12), ber_int(200), tlv(0x80, isdn(t_scf)))))
    if o_scf:   # collectedInfo (2), service key 100
        csi += tlv(0xA1, seq(seq(ber_enum(2), ber_int(100), tlv(0x80, isdn(o_scf)))))
    return tlv(0xA3, cat(tlv(0x89, tbcd(imsi)), tlv(0xA8, tlv(0xA0, csi)), tlv(0x82, isdn(vmsc))))


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
        # the other known networks (national, SMS hub, IPX): own random stream (see NETWORK)
        orng = random.Random(seed * 7919 + 17)
        self.others = [Network(o, o["kind"]) for o in (model or NETWORK).get("others", [])]
        for o in self.others:
            self.by_id[o.id] = o
            self.assocs[o.id] = Assoc(o.id, o.ip, o.mac, self.stp_ip, self.stp_mac, orng)
        self.via_ipx = set()          # ids of networks whose traffic reaches us through the IPX
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
            gw = self.by_id["ipx"] if src.net.id in self.via_ipx else src.net
            a, d = self.assocs[gw.id], "in"
            opc, dpc, ni = gw.pc_gw, self.stp_pc, 0
        elif dst.net.kind != "home":
            gw = self.by_id["ipx"] if dst.net.id in self.via_ipx else dst.net
            a, d = self.assocs[gw.id], "out"
            opc, dpc, ni = self.stp_pc, gw.pc_gw, 0
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
    __slots__ = ("net", "imsi", "msisdn", "vlr", "sgsn", "cell", "imei", "tmsi", "n", "hlr_idx")

    def __init__(self, net, n, vlr, rng, cell=None):
        self.net, self.n = net, n
        self.hlr_idx = None                 # None: the HLR follows from the IMSI
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
    if sub.hlr_idx is not None:
        return sub.net.node("hlr", sub.hlr_idx)
    return sub.net.node("hlr", hlr_index(sub.net, sub.imsi))


def hlr_index(net, imsi):
    return int(imsi[-1]) % len(net.nodes["hlr"])


# =============================================================================================
# Traffic building blocks (benign flows). Each returns nothing; frames go to net.
# =============================================================================================

SMS_TEXTS = ["See you at 8", "Your code is 482913", "Running late, sorry", "Call me back please",
             "Happy birthday!", "Meeting moved to 14:30", "OK", "Landed, taking a taxi now"]
USSD_CODES = ["*100#", "*101#", "*135#", "*106*2#"]


def flow_sms_mt(net, sub, smsc, text=None, pid=0, dcs=0, data=None, udh=None, info=None,
                error=False, **kw):
    """SRI-SM to the subscriber's HLR (routed on MSISDN) then MT-forwardSM to the serving MSC.
    kw (calling_gt ...) go to both dialogues."""
    rng = net.rng
    hlr = hlr_of(sub)
    info = dict(sub.lab(), **(info or {}))
    d = net.dialogue(smsc, hlr, 45, info=info, called_gt=sub.msisdn, **kw)
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
    d2 = net.dialogue(smsc, msc, 44, info=info, **kw)
    d2.request(44, map_mt_fsm(sub.imsi, smsc.gt, tpdu), dt=0.02 + rng.random() * 0.05)
    d2.respond(44, None, dt=0.3 + rng.random())                # MT-ForwardSM-Res empty


def flow_location_update(net, sub, new_vlr, old_vlr=None, info=None, rogue=False, vlr_number=None,
                         msc_number=None, arg=None, ul_lab=None, **kw):
    """updateLocation new VLR -> HLR; HLR cancelLocation to the old VLR; ISD to the new VLR.
    vlr_number / msc_number: the MAP node numbers when they are not the new VLR's own."""
    rng = net.rng
    hlr = hlr_of(sub)
    info = dict(sub.lab(), **(info or {}))
    msc = msc_of(new_vlr)
    d = net.dialogue(new_vlr, hlr, 2, info=info, orig_ref=new_vlr.gt, dest_ref=(sub.imsi, 6), **kw)
    d.request(2, arg or map_update_location(sub.imsi, msc_number or msc.gt, vlr_number or new_vlr.gt),
              lab=ul_lab)
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
    # "rules": what ss7watch must raise on the frame ("expect": with the threat class); the
    # trace ends before the 300 s of sri-sm-without-delivery have passed
    d = net.dialogue(sm, hlr_of(victim), 45, called_gt=victim.msisdn,
                     info=dict(info, stage="identify", rules=["sri-sm-not-from-smsc"]))
    d.request(45, map_sri_sm(victim.msisdn, sm.gt),
              lab={"expect": [{"rule": "sri-sm-not-from-smsc", "threat": "recon"}]})
    d.respond(45, map_sri_sm_res(victim.imsi, msc_of(victim.vlr).gt), dt=0.02)
    for _ in range(4):
        benign_step(net, home, roamers)
    spoof = hlr_of(victim).gt
    d = net.dialogue(x.node("hlr"), victim.vlr, 70, calling_gt=spoof,
                     info=dict(info, stage="locate", spoofed_calling=spoof,
                               rules=["locate-after-identify", "psi-not-from-home-hlr",
                                      "gt-transport-mismatch"]))
    net.t += 40.0
    d.request(70, map_psi(victim.imsi, True, True, True, True),
              lab={"expect": [{"rule": "locate-after-identify", "threat": "location-tracking"},
                              {"rule": "psi-not-from-home-hlr", "threat": "location-tracking"},
                              {"rule": "gt-transport-mismatch", "threat": "anomaly"}]})
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
    flow_location_update(net, victim2, rv, old, info=info,
                         ul_lab={"expect": [{"rule": "rogue-location-update", "threat": "interception"}]})
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
                               rules=["ati-external"]))
    d.request(71, map_ati(victim3.msisdn, gsmscf=scf.gt, current=True, imei=True),
              lab={"expect": [{"rule": "ati-external", "threat": "location-tracking"}]})
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
    for k in [k for k in model_net.assocs if k not in {o.id for o in model_net.others}]:
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
# Subcommand: scenario (realistic benign traffic from the network model, template patching)
# =============================================================================================
# Every flow below is encoded once per (kind, nodes, variant) with a sentinel subscriber and
# sentinel TIDs (as bench does); per instance the TIDs, IMSI, MSISDN, SCCP segmentation
# references, TSN, stream sequence, IP id/checksum and SCTP CRC32c are patched. A planner
# starts flows at Poisson times and keeps a model of the population (where each subscriber
# is, what a detector watching the capture has learnt) so that the traffic stays benign by
# the definitions of doc/rules.md:
#   - travel: an updateLocation from another country only when the subscriber has been idle
#     for longer than the flight at 900 km/h between the countries' capitals (+300 s);
#   - an outside origin asks about fewer than SCAN_CAP distinct subscribers per minute and a
#     subscriber is asked about by at most ROT_CAP distinct outside GTs in 10 minutes;
#   - an SRI-for-SM from outside is always followed by the mt-forwardSM of the same SMSC
#     (partner SMSCs deliver only to subscribers at home: without SMS home routing the
#     delivery to a roaming subscriber does not cross the home network);
#   - no home locate step (gsmSCF ATI, GMLC PSL / SRI-for-LCS) within an hour after an
#     outside identify step (partner SRI-for-SM, portability SRI) for the same subscriber;
#   - category 3 operations of a roaming subscriber come from the network that serves it,
#     and one subscriber has one flow at a time.

SCN_TIDS = [0x9E3779B1, 0x7F4A7C15, 0xF39CC060, 0x5CEDC834, 0xB5297A4D, 0x68E31DA4,
            0x1B56C4E9, 0xD1B54A32, 0x2545F491, 0xC6A4A793]
SCN_LREFS = [0xA1B2C3, 0xB2C3D4, 0xC3D4E5]
SCAN_CAP, SCAN_WIN = 30, 65.0            # rule scan: 50 distinct / 60 s
ROT_CAP, ROT_WIN = 2, 610.0              # rule identity-rotation: 4 GTs / 600 s
LOCATE_QUIET = 3700.0                    # rule locate-after-identify: 3600 s
TRAVEL_MARGIN = 300.0
MAX_KMH = 900.0


def haversine_km(a, b):
    import math
    r, rad = 6371.0088, math.pi / 180.0
    la1, lo1 = a
    la2, lo2 = b
    h = math.sin((la2 - la1) * rad / 2) ** 2 + \
        math.cos(la1 * rad) * math.cos(la2 * rad) * math.sin((lo2 - lo1) * rad / 2) ** 2
    return 2 * r * math.asin(math.sqrt(min(h, 1.0)))


def travel_s(neta, netb):
    """Seconds a flight between the capitals of two networks' countries takes at 900 km/h."""
    ca, cb = POSITIONS[neta], POSITIONS[netb]
    if ca[0] == cb[0]:
        return 0.0
    return haversine_km(ca[1:], cb[1:]) / MAX_KMH * 3600.0


def cell_of(vlr):
    if vlr.net.kind == "home":
        return vlr.net.cells[vlr.idx % len(vlr.net.cells)]
    return PARTNER_CELLS.get(vlr.net.id, (0x0001, 0x0001, 0.0, 0.0))


def flow_psi(net, sub, hlr=None, current=False, imei=False, info=None, **kw):
    """provideSubscriberInfo HLR -> serving VLR, answered with the location."""
    rng = net.rng
    hlr = hlr or hlr_of(sub)
    v = sub.vlr
    d = net.dialogue(hlr, v, 70, info=dict(sub.lab(), **(info or {})), **kw)
    d.request(70, map_psi(sub.imsi, True, True, current, imei))
    d.respond(70, map_psi_res(sub.cell or cell_of(v), v.gt, age=0 if current else rng.randrange(1, 60),
                              mcc=v.net.mcc, mnc=v.net.mnc, current=current,
                              imei=sub.imei if imei else None), dt=0.02 + rng.random() * 0.3)
    return d


def flow_ati(net, sub, scf, current=False, imei=False, info=None, **kw):
    """anyTimeInterrogation gsmSCF -> HLR (routed on the MSISDN)."""
    v = sub.vlr
    d = net.dialogue(scf, hlr_of(sub), 71, info=dict(sub.lab(), **(info or {})),
                     called_gt=sub.msisdn, **kw)
    d.request(71, map_ati(sub.msisdn, gsmscf=scf.gt, current=current, imei=imei))
    d.respond(71, map_ati_res(sub.cell or cell_of(v), v.gt, age=net.rng.randrange(0, 30),
                              mcc=v.net.mcc, mnc=v.net.mnc, imei=sub.imei if imei else None), dt=0.05)
    return d


def flow_lcs(net, sub, gmlc, info=None, psl_ac=None, sri_lcs=True):
    """sendRoutingInfoForLCS GMLC -> HLR, then provideSubscriberLocation GMLC -> MSC."""
    rng = net.rng
    info = dict(sub.lab(), **(info or {}))
    msc = msc_of(sub.vlr)
    v = sub.vlr
    if sri_lcs:
        d = net.dialogue(gmlc, hlr_of(sub), 85, info=info, called_gt=sub.msisdn)
        d.request(85, map_sri_lcs(gmlc.gt, msisdn=sub.msisdn))
        d.respond(85, map_sri_lcs_res(sub.imsi, msc.gt), dt=0.02)
    d = net.dialogue(gmlc, msc, 83, info=info, ac=psl_ac)
    d.request(83, map_psl(gmlc.gt, sub.imsi, sub.msisdn), dt=0.05 if sri_lcs else None)
    d.respond(83, map_psl_res(sub.cell or cell_of(v), age=0, mcc=v.net.mcc, mnc=v.net.mnc),
              dt=1.5 + rng.random())
    return d


def flow_ss(net, sub, op, code, ftn=None, vlr=None, info=None, **kw):
    """Supplementary service operation VLR -> HLR; the IMSI is in the destinationReference."""
    v = vlr or sub.vlr
    d = net.dialogue(v, hlr_of(sub), op, info=dict(sub.lab(), **(info or {})),
                     dest_ref=(sub.imsi, 6), orig_ref=v.gt, **kw)
    if op == 10:
        d.request(10, map_register_ss(code, ftn, noreply=20 if code == 0x2A else None))
        d.respond(10, map_forwarding_info(code, ftn), dt=0.05)
    elif op == 14:
        d.request(14, map_ss_for_bs(code))
        d.respond(14, map_interrogate_ss_res(ftn, 0x07) if ftn else map_interrogate_ss_res(None, 0x04),
                  dt=0.05)
    elif op == 12:
        d.request(12, map_ss_for_bs(code, 0x10))
        d.respond(12, map_forwarding_info(code, ftn, 0x07) if ftn else None, dt=0.05)
    else:
        d.request(op, map_ss_for_bs(code))
        d.respond(op, None, dt=0.05)
    return d


def flow_ugl(net, sub, sgsn, old=None, info=None, sgsn_number=None, **kw):
    """updateGprsLocation SGSN -> HLR, cancelLocation to the old SGSN, ISD in the dialogue."""
    hlr = hlr_of(sub)
    info = dict(sub.lab(), **(info or {}))
    ip = "10.%d.2.%d" % (int(sgsn.net.cc) % 250, 10 + sgsn.idx)
    d = net.dialogue(sgsn, hlr, 23, info=info, **kw)
    d.request(23, map_ugl(sub.imsi, sgsn_number or sgsn.gt, ip))
    if old is not None and old is not sgsn:
        c = net.dialogue(hlr, old, 3, info=info)
        c.request(3, map_cancel_location_v3(sub.imsi, ctype=0), dt=0.01)
        c.respond(3, None, dt=0.01)
    d.cont_b([invoke(2, 7, map_isd(None, sub.msisdn))], [7], dt=0.01)
    d.cont_a([result_last(2)], [7], dt=0.01)
    d.end_b([result_last(1, 23, map_ugl_res(hlr.gt))], [23], dt=0.01)
    sub.sgsn = sgsn
    return d


def flow_isd(net, sub, hlr=None, gsmscf=None, info=None, **kw):
    """Stand-alone insertSubscriberData (profile change) HLR -> serving VLR."""
    hlr = hlr or hlr_of(sub)
    d = net.dialogue(hlr, sub.vlr, 7, info=dict(sub.lab(), **(info or {})), **kw)
    d.request(7, map_isd(sub.imsi, sub.msisdn, gsmscf))
    d.respond(7, None, dt=0.02)
    return d


def flow_dsd(net, sub, hlr=None, info=None, **kw):
    hlr = hlr or hlr_of(sub)
    d = net.dialogue(hlr, sub.vlr, 8, info=dict(sub.lab(), **(info or {})), **kw)
    d.request(8, map_dsd(sub.imsi, (0x2A,)))
    d.respond(8, None, dt=0.02)
    return d


def flow_purge(net, sub, vlr=None, info=None, **kw):
    v = vlr or sub.vlr
    d = net.dialogue(v, hlr_of(sub), 67, info=dict(sub.lab(), **(info or {})), **kw)
    d.request(67, map_purge_ms(sub.imsi, v.gt))
    d.respond(67, None, dt=0.02)
    return d


def flow_cancel(net, sub, vlr=None, hlr=None, ctype=0, info=None, **kw):
    v = vlr or sub.vlr
    d = net.dialogue(hlr or hlr_of(sub), v, 3, info=dict(sub.lab(), **(info or {})), **kw)
    d.request(3, map_cancel_location_v3(sub.imsi, ctype=ctype))
    d.respond(3, None, dt=0.02)
    return d


def flow_prn(net, sub, gmsc_gt, hlr=None, info=None, **kw):
    """provideRoamingNumber HLR -> serving VLR (a call to a visitor, or by an attacker)."""
    msc = msc_of(sub.vlr)
    msrn = msc.net.cc + msc.gt[len(msc.net.cc):-4] + "9%03d" % net.rng.randrange(1000)
    d = net.dialogue(hlr or hlr_of(sub), sub.vlr, 4, info=dict(sub.lab(), **(info or {})), **kw)
    d.request(4, map_prn(sub.imsi, msc.gt, sub.msisdn, gmsc_gt, net.rng.randbytes(8)))
    d.respond(4, map_prn_res(msrn), dt=0.01)
    return d


def flow_sms_direct(net, sub, smsc, pid=0, dcs=0, text=None, data=None, udh=None, info=None, **kw):
    """mt-forwardSM SMSC -> serving MSC without an SRI-for-SM crossing the capture point."""
    rng = net.rng
    msc = msc_of(sub.vlr)
    sender = smsc.net.msisdn(rng.randrange(10 ** 6))
    tpdu = sms_deliver(sender, text if text is not None else ("" if data is not None else rng.choice(SMS_TEXTS)),
                       net.t, pid, dcs, data, udh)
    d = net.dialogue(smsc, msc, 44, info=dict(sub.lab(), **(info or {})), **kw)
    d.request(44, map_mt_fsm(sub.imsi, smsc.gt, tpdu))
    d.respond(44, None, dt=0.3 + rng.random())
    return d


def flow_check_imei(net, msc, eir, imei, info=None):
    d = net.dialogue(msc, eir, 43, info=dict(info or {}))
    d.request(43, map_check_imei(imei))
    d.respond(43, map_check_imei_res(0), dt=0.02)
    return d


def flow_attach(net, sub, new_vlr, old_vlr=None, sai=True, new_sgsn=None, old_sgsn=None, info=None,
                nvec=3):
    """A subscriber arrives at a VLR: SAI from the new VLR, updateLocation (the HLR cancels the
    old VLR), and for a data user updateGprsLocation from the new SGSN."""
    if sai:
        flow_sai(net, sub, new_vlr, nvec=nvec, info=info)
        net.t += 0.2 + net.rng.random()
    flow_location_update(net, sub, new_vlr, old_vlr, info=info)
    if new_sgsn is not None:
        net.t += 1.0 + net.rng.random() * 2
        flow_ugl(net, sub, new_sgsn, old_sgsn, info=info)


# --- templates ---------------------------------------------------------------------------

def _node(net, ref, role):
    return net.by_id[ref[0]].node(role, ref[1])


def _sentinel(net, netid, vlr, hlr_idx=0):
    nn = net.by_id[netid]
    s = Sub(nn, 0, vlr, net.rng, cell_of(vlr) if vlr is not None else None)
    s.imsi = nn.mccmnc + "9" * (15 - len(nn.mccmnc) - 4) + "8642"
    w = nn.msisdn_len - len(nn.msisdn_prefix)
    s.msisdn = nn.msisdn_prefix + ("97531" * 4)[:w]
    s.hlr_idx = hlr_idx
    return s


FTN_HOME = "4917155501234"


def scenario_flow(net, key):
    """Build one flow template (frames go to net) with a sentinel subscriber; return it."""
    kind = key[0]
    lab = {"label": "benign", "flow": kind}
    h = net.home
    if kind == "imei":
        flow_check_imei(net, h.node("msc", key[1]), h.node("eir"), "35209900176148" + luhn("35209900176148"),
                        info=lab)
        return None
    subnet, hidx, vref = key[1], key[2], key[3]
    s = _sentinel(net, subnet, _node(net, vref, "vlr"), hidx)
    if kind == "sms":                       # (sms, subnet, hidx, vlr, smsc_ref, var, err)
        flow_sms_mt(net, s, _node(net, key[4], "smsc"), info=lab, error=key[6],
                    text=SMS_TEXTS[key[5] % len(SMS_TEXTS)])
    elif kind == "sms_direct":              # (.., smsc_ref, var)
        flow_sms_direct(net, s, _node(net, key[4], "smsc"), text=SMS_TEXTS[(key[5] + 3) % len(SMS_TEXTS)],
                        info=lab)
    elif kind == "mo":                      # (.., var)
        flow_sms_mo(net, s, text=SMS_TEXTS[(key[4] + 5) % len(SMS_TEXTS)], info=lab)
    elif kind == "call":                    # (.., gmsc_ref)
        flow_mt_call(net, s, _node(net, key[4], "msc"), info=lab)
    elif kind == "prn":                     # visitor: its HLR asks our VLR for a roaming number
        flow_prn(net, s, s.net.node("msc").gt, info=lab)
    elif kind == "psi":
        flow_psi(net, s, info=lab)
    elif kind == "ati":
        flow_ati(net, s, h.node("gsmscf"), info=lab)
    elif kind == "lcs":
        flow_lcs(net, s, h.node("gmlc"), info=lab)
    elif kind == "ussd":                    # (.., var)
        flow_ussd(net, s, code=USSD_CODES[key[4] % len(USSD_CODES)], info=lab)
    elif kind == "ss":                      # (.., op, code, ftn)
        flow_ss(net, s, key[4], key[5], key[6], info=lab)
    elif kind == "sai":                     # (.., nvec)
        flow_sai(net, s, s.vlr, nvec=key[4], info=lab)
    elif kind == "attach":                  # (.., old_vlr, sai, new_sgsn, old_sgsn)
        old = _node(net, key[4], "vlr") if key[4] else None
        ns = _node(net, key[6], "sgsn") if key[6] else None
        os_ = _node(net, key[7], "sgsn") if key[7] else None
        flow_attach(net, s, s.vlr, old, key[5], ns, os_, info=lab)
    elif kind == "ugl":                     # (.., sgsn, old_sgsn)
        flow_ugl(net, s, _node(net, key[4], "sgsn"), _node(net, key[5], "sgsn") if key[5] else None,
                 info=lab)
    elif kind == "isd":
        flow_isd(net, s, gsmscf=home_gsmscf(net) if subnet == "home" else None, info=lab)
    elif kind == "dsd":
        flow_dsd(net, s, info=lab)
    elif kind == "purge":
        flow_purge(net, s, info=lab)
    elif kind == "cancel":
        flow_cancel(net, s, info=lab)
    else:
        raise ValueError("unknown flow %r" % (key,))
    return s


class TimedSink(ListSink):
    def __init__(self):
        ListSink.__init__(self)
        self.times = []

    def write(self, ts, frame):
        self.times.append(ts)
        return ListSink.write(self, ts, frame)


class ScenarioTemplates:
    """Flow templates with per-frame patch tables (TIDs, IMSI, MSISDN, LREFs) and times."""

    def __init__(self, seed, crc=True, via_ipx=()):
        self.seed, self.crc, self.via_ipx = seed, crc, set(via_ipx)
        self.cp = CrcPatcher()
        self.cache = {}

    def get(self, key):
        t = self.cache.get(key)
        if t is None:
            t = self.cache[key] = self._build(key)
        return t

    def _build(self, key):
        sink = TimedSink()
        labs = []

        class _L:
            write = labs.append
        net = Net(sink, seed=self.seed * 100003 + len(self.cache), crc=self.crc, labels=_L, t0=0.0)
        net.via_ipx = self.via_ipx
        tidq = list(SCN_TIDS)
        net.new_tid = lambda: tidq.pop(0)
        lrq = list(SCN_LREFS)
        net.new_lref = lambda: lrq.pop(0)
        _record_routes(net)
        sub = scenario_flow(net, key)
        t0 = sink.times[0]
        frames = []
        for fi, fr in enumerate(sink.frames):
            patches = []
            for k, t in enumerate(SCN_TIDS):
                patches += [(o, k, 4) for o in _find_all(fr, struct.pack(">I", t))]
            if sub is not None:
                ib = tbcd(sub.imsi)
                patches += [(o, 10, len(ib)) for o in _find_all(fr, ib)]
                mb = tbcd(sub.msisdn)
                patches += [(o, 11, len(mb)) for o in _find_all(fr, mb)]
            for k, lr in enumerate(SCN_LREFS):
                lb = b"\x10\x04" + lr.to_bytes(4, "big")[1:]
                patches += [(o + 3, 12 + k, 3) for o in _find_all(fr, lb[:2]) if fr[o + 3:o + 6] == lb[2:]]
            a, d = net._bench_routes[fi]
            ip_sum = sum(struct.unpack(">10H", fr[14:34])) - fr[18] * 256 - fr[19] \
                - struct.unpack(">H", fr[24:26])[0]
            sl = len(fr) - 34
            crcpos = [(o, k, ln, [self.cp.tab(sl - 1 - (o - 34) - j) for j in range(ln)])
                      for (o, k, ln) in patches]
            base_crc = struct.unpack("<I", fr[42:46])[0]
            stream = struct.unpack(">H", fr[54:56])[0]
            lab = json.loads(labs[fi])
            for k in ("frame", "time", "imsi", "msisdn"):
                lab.pop(k, None)
            rest = json.dumps(lab)[1:]
            if sub is not None and sub.msisdn in rest:
                rest = rest.replace('"%s"' % sub.msisdn, '"@MSISDN@"')
            frames.append((fr, a, d, stream, ip_sum, base_crc, crcpos, sink.times[fi] - t0, rest))
        return frames


class Scenario:
    """Population model + flow planner + frame writer (see the comment above SCN_TIDS)."""

    OUT_DEST = {"fr": 3.0, "gb": 2.0, "es": 2.0, "ch": 1.5, "tr": 1.0, "us": 1.0}

    def __init__(self, out, n, seed=1, rate=12.0, labels=None, crc=True, n_home=20000,
                 n_roamers=3000, abroad=0.04, t0=1710234000.0, via_ipx=("us", "tr")):
        self.out, self.n, self.rate, self.labels, self.crc = out, n, rate, labels, crc
        self.rng = rng = random.Random(seed)
        self.tpl = ScenarioTemplates(seed, crc, via_ipx)
        self.model = m = Net(ListSink(), seed=seed)
        self.t0 = t0
        self.partners = [p.id for p in m.partners]
        self.vlrs = {p.id: len(p.nodes["vlr"]) for p in m.partners}
        self.vlrs["home"] = len(m.home.nodes["vlr"])
        self.gt = {}                          # (netid, role, idx) -> GT digits
        for nt in m.networks + m.others:
            for role, lst in nt.nodes.items():
                for i, nd in enumerate(lst):
                    self.gt[(nt.id, role, i)] = nd.gt
        # home subscribers
        self.H = n_home
        h = m.home
        self.h_ids = []
        for i in range(n_home):
            imsi, msisdn = sub_numbers(h, i)
            self.h_ids.append((tbcd(imsi), tbcd(msisdn), imsi, msisdn, hlr_index(h, imsi)))
        self.loc = []            # serving VLR (netid, idx)
        self.sgsn = []           # serving SGSN (netid, 0) or None (not a data user)
        for i in range(n_home):
            if rng.random() < abroad:
                p = self._pick_dest(None)
                v = (p, rng.randrange(self.vlrs[p]))
            else:
                v = ("home", rng.randrange(self.vlrs["home"]))
            self.loc.append(v)
            self.sgsn.append((v[0], 0) if i % 3 == 0 else None)
        self.trk_vlr = [None] * n_home     # what ss7watch knows (None: nothing)
        self.trk_since = [0.0] * n_home
        self.last = [t0 - rng.random() * 86400.0 for _ in range(n_home)]
        self.busy = [0.0] * n_home
        self.ident = [-1e12] * n_home      # last outside identify step
        self.detached = [False] * n_home
        self.detached_list = []
        self.abroad = set(i for i in range(n_home) if self.loc[i][0] != "home")
        # visitors: subscribers of the partners, present at one of our VLRs or away
        self.R = n_roamers
        self.r_ids, self.r_net, self.r_vlr, self.r_busy = [], [], [], [0.0] * n_roamers
        for j in range(n_roamers):
            p = m.partners[j % len(m.partners)]
            imsi, msisdn = sub_numbers(p, 500 + j)
            self.r_ids.append((tbcd(imsi), tbcd(msisdn), imsi, msisdn, 0))
            self.r_net.append(p.id)
            self.r_vlr.append(("home", rng.randrange(self.vlrs["home"])) if rng.random() < 0.4 else None)
        self.scan = {}                     # outside GT -> [deque of (t, key), counts]
        self.rot = {}                      # subscriber key -> [(t, gt)]
        self.stats = {}
        self.flows = [
            (22.0, self.f_sms_home), (8.0, self.f_sms_partner), (14.0, self.f_mo), (14.0, self.f_call),
            (1.5, self.f_mnp), (4.0, self.f_psi), (1.5, self.f_ati), (0.5, self.f_lcs),
            (4.0, self.f_ussd), (1.5, self.f_ss), (4.0, self.f_move_home), (5.0, self.f_sai),
            (2.0, self.f_ugl_home), (2.0, self.f_imei), (1.0, self.f_isd), (0.4, self.f_purge),
            (0.4, self.f_reattach), (2.0, self.f_trip),
            (1.0, self.f_r_arrive), (0.8, self.f_r_depart), (0.7, self.f_r_move), (2.0, self.f_r_sai),
            (2.0, self.f_r_prn), (1.0, self.f_r_call), (0.7, self.f_r_psi), (3.0, self.f_r_sms_mt),
            (1.5, self.f_r_sms_home), (2.5, self.f_r_mo), (0.4, self.f_r_ussd), (0.3, self.f_r_isd),
        ]
        acc = 0.0
        self.cum = []
        for w, _ in self.flows:
            acc += w
            self.cum.append(acc)
        self.wsum = acc

    # --- constraints ---
    def _pick_dest(self, exclude):
        ds = [(d, w) for d, w in self.OUT_DEST.items() if d != exclude]
        x = self.rng.random() * sum(w for _, w in ds)
        for d, w in ds:
            x -= w
            if x <= 0:
                return d
        return ds[-1][0]

    def scan_ok(self, gt, key, t):
        e = self.scan.get(gt)
        if e is None:
            return True
        q, cnt = e
        while q and q[0][0] < t - SCAN_WIN:
            _, k = q.popleft()
            cnt[k] -= 1
            if not cnt[k]:
                del cnt[k]
        return key in cnt or len(cnt) < SCAN_CAP

    def scan_add(self, gt, key, t):
        import collections
        e = self.scan.get(gt)
        if e is None:
            e = self.scan[gt] = (collections.deque(), {})
        e[0].append((t, key))
        e[1][key] = e[1].get(key, 0) + 1

    def rot_ok(self, key, gt, t):
        lst = self.rot.get(key)
        if not lst:
            return True
        lst[:] = [x for x in lst if x[0] >= t - ROT_WIN]
        gts = set(g for _, g in lst)
        return gt in gts or len(gts) < ROT_CAP

    def rot_add(self, key, gt, t):
        self.rot.setdefault(key, []).append((t, gt))

    def outside_query(self, gt, key, t, check_only=False):
        if not (self.scan_ok(gt, key, t) and self.rot_ok(key, gt, t)):
            return False
        if not check_only:
            self.scan_add(gt, key, t)
            self.rot_add(key, gt, t)
        return True

    def pick_home(self, t, pred=None, tries=12):
        rng = self.rng
        for _ in range(tries):
            i = rng.randrange(self.H)
            if self.busy[i] > t or self.detached[i]:
                continue
            if pred is None or pred(i):
                return i
        return None

    def pick_roamer(self, t, present=True, tries=12):
        rng = self.rng
        for _ in range(tries):
            j = rng.randrange(self.R)
            if self.r_busy[j] > t or (self.r_vlr[j] is not None) != present:
                continue
            return j
        return None

    def learn_from_answer(self, i, t):
        """A PSI / ATI answer names the VLR: learnt when nothing was known."""
        if self.trk_vlr[i] is None:
            self.trk_vlr[i], self.trk_since[i] = self.loc[i], t

    # --- flows: each returns (template key, ('h'|'r', index)) or None ---
    def f_sms_home(self, t):
        i = self.pick_home(t)
        if i is None:
            return None
        v = self.rng.randrange(3)
        return ("sms", "home", self.h_ids[i][4], self.loc[i], ("home", 0), v, self.rng.random() < 0.04), ("h", i)

    def f_sms_partner(self, t):
        i = self.pick_home(t, lambda i: self.loc[i][0] == "home")
        if i is None:
            return None
        rng = self.rng
        if rng.random() < 0.3:
            sref = ("hub", rng.randrange(2))
        else:
            sref = (rng.choice(self.partners), 0)
        gt = self.gt[(sref[0], "smsc", sref[1])]
        if not self.outside_query(gt, i, t):
            return None
        err = rng.random() < 0.03
        if not err:
            self.ident[i] = t
        return ("sms", "home", self.h_ids[i][4], self.loc[i], sref, rng.randrange(3), err), ("h", i)

    def f_mo(self, t):
        i = self.pick_home(t)
        if i is None:
            return None
        return ("mo", "home", self.h_ids[i][4], self.loc[i], self.rng.randrange(3)), ("h", i)

    def f_call(self, t):
        i = self.pick_home(t)
        if i is None:
            return None
        return ("call", "home", self.h_ids[i][4], self.loc[i], ("home", self.rng.randrange(3))), ("h", i)

    def f_mnp(self, t):
        """The national portability partner's gateway MSC asks our HLR (allowed operation)."""
        i = self.pick_home(t)
        if i is None or not self.outside_query(self.gt[("de02", "msc", 0)], i, t):
            return None
        self.ident[i] = t
        return ("call", "home", self.h_ids[i][4], self.loc[i], ("de02", 0)), ("h", i)

    def f_psi(self, t):
        i = self.pick_home(t)
        if i is None:
            return None
        self.learn_from_answer(i, t)
        return ("psi", "home", self.h_ids[i][4], self.loc[i]), ("h", i)

    def f_ati(self, t):
        i = self.pick_home(t, lambda i: t - self.ident[i] > LOCATE_QUIET)
        if i is None:
            return None
        self.learn_from_answer(i, t)
        return ("ati", "home", self.h_ids[i][4], self.loc[i]), ("h", i)

    def f_lcs(self, t):
        i = self.pick_home(t, lambda i: t - self.ident[i] > LOCATE_QUIET and self.loc[i][0] == "home")
        if i is None:
            return None
        return ("lcs", "home", self.h_ids[i][4], self.loc[i]), ("h", i)

    def f_ussd(self, t):
        i = self.pick_home(t)
        if i is None:
            return None
        return ("ussd", "home", self.h_ids[i][4], self.loc[i], self.rng.randrange(4)), ("h", i)

    def f_ss(self, t):
        i = self.pick_home(t)
        if i is None:
            return None
        rng = self.rng
        x = rng.random()
        if x < 0.35:
            op, code, ftn = 10, rng.choice((0x21, 0x29, 0x2A, 0x2B)), FTN_HOME
            if self.loc[i][0] != "home" and self.trk_vlr[i] == self.loc[i] and rng.random() < 0.5:
                # forwarding to a number of the visited country, asked by the serving VLR
                p = self.model.by_id[self.loc[i][0]]
                ftn = p.msisdn(4242)
        elif x < 0.7:
            op, code, ftn = 14, rng.choice((0x21, 0x2A)), None
        elif x < 0.85:
            op, code, ftn = 12, 0x29, FTN_HOME
        else:
            op, code, ftn = 11, 0x2A, None
        return ("ss", "home", self.h_ids[i][4], self.loc[i], op, code, ftn), ("h", i)

    def f_move_home(self, t):
        i = self.pick_home(t, lambda i: self.loc[i][0] == "home")
        if i is None:
            return None
        old = self.loc[i]
        new = ("home", (old[1] + 1 + self.rng.randrange(2)) % 3)
        self.loc[i] = new
        self.trk_vlr[i], self.trk_since[i] = new, t
        return ("attach", "home", self.h_ids[i][4], new, old, True, None, None), ("h", i)

    def f_sai(self, t):
        i = self.pick_home(t)
        if i is None:
            return None
        v = self.loc[i]
        if v[0] != "home" and not self.outside_query(self.gt[(v[0], "vlr", v[1])], i, t):
            return None
        return ("sai", "home", self.h_ids[i][4], v, 1 + self.rng.randrange(3)), ("h", i)

    def f_ugl_home(self, t):
        i = self.pick_home(t, lambda i: self.loc[i][0] == "home" and self.sgsn[i] is not None)
        if i is None:
            return None
        old = self.sgsn[i]
        self.sgsn[i] = ("home", 0)
        return ("ugl", "home", self.h_ids[i][4], self.loc[i], ("home", 0),
                old if old != ("home", 0) else None), ("h", i)

    def f_imei(self, t):
        return ("imei", self.rng.randrange(3)), None

    def f_isd(self, t):
        i = self.pick_home(t)
        if i is None:
            return None
        return ("isd", "home", self.h_ids[i][4], self.loc[i]), ("h", i)

    def f_purge(self, t):
        i = self.pick_home(t, lambda i: self.loc[i][0] == "home" or self.trk_vlr[i] == self.loc[i])
        if i is None:
            return None
        if self.trk_vlr[i] == self.loc[i]:
            self.trk_vlr[i] = None
        self.detached[i] = True
        self.detached_list.append(i)
        return ("purge", "home", self.h_ids[i][4], self.loc[i]), ("h", i)

    def f_reattach(self, t):
        rng = self.rng
        for _ in range(4):
            if not self.detached_list:
                return None
            k = rng.randrange(len(self.detached_list))
            i = self.detached_list[k]
            if self.busy[i] > t or t - self.last[i] < 900:
                continue
            v = self.loc[i]
            if v[0] != "home" and not self.outside_query(self.gt[(v[0], "vlr", v[1])], i, t):
                continue
            self.detached_list[k] = self.detached_list[-1]
            self.detached_list.pop()
            self.detached[i] = False
            self.trk_vlr[i], self.trk_since[i] = v, t
            return ("attach", "home", self.h_ids[i][4], v, None, True, None, None), ("h", i)
        return None

    def f_trip(self, t):
        """A home subscriber lands in another country: SAI, updateLocation (cancel of the old
        VLR), updateGprsLocation for data users. Only after an idle time longer than the
        flight."""
        rng = self.rng
        frac = len(self.abroad) / float(self.H)
        out = rng.random() < min(0.9, max(0.1, 0.5 + (0.05 - frac) * 10))
        for _ in range(12):
            if out:
                i = self.pick_home(t, lambda i: self.loc[i][0] == "home", tries=1)
            else:
                if not self.abroad:
                    return None
                i = rng.choice(tuple(self.abroad)) if len(self.abroad) < 64 else \
                    self._any_abroad()
                if self.busy[i] > t or self.detached[i]:
                    continue
            if i is None:
                continue
            idle = t - self.last[i]
            cur = self.loc[i][0]
            if out or rng.random() < 0.15:
                dest = self._pick_dest(cur if cur != "home" else None)
            else:
                dest = "home"
            if idle < travel_s(cur, dest) + TRAVEL_MARGIN:
                continue
            nv = (dest, rng.randrange(self.vlrs[dest]))
            if dest != "home" and not self.outside_query(self.gt[(dest, "vlr", nv[1])], i, t):
                continue
            old = self.loc[i]
            ns = os_ = None
            if self.sgsn[i] is not None:
                os_ = self.sgsn[i]
                ns = (dest, 0)
                self.sgsn[i] = ns
            self.loc[i] = nv
            self.trk_vlr[i], self.trk_since[i] = nv, t
            if dest == "home":
                self.abroad.discard(i)
            else:
                self.abroad.add(i)
            self.stats["trips"] = self.stats.get("trips", 0) + 1
            return ("attach", "home", self.h_ids[i][4], nv, old, True, ns, os_), ("h", i)
        return None

    def _any_abroad(self):
        if not hasattr(self, "_abroad_list") or self._abroad_gen != len(self.abroad):
            self._abroad_list = list(self.abroad)
            self._abroad_gen = len(self.abroad)
        return self.rng.choice(self._abroad_list)

    # visitors
    def f_r_arrive(self, t):
        j = self.pick_roamer(t, present=False)
        if j is None:
            return None
        v = ("home", self.rng.randrange(3))
        self.r_vlr[j] = v
        return ("attach", self.r_net[j], 0, v, None, True, None, None), ("r", j)

    def f_r_depart(self, t):
        j = self.pick_roamer(t)
        if j is None:
            return None
        v = self.r_vlr[j]
        self.r_vlr[j] = None
        return ("cancel", self.r_net[j], 0, v), ("r", j)

    def f_r_move(self, t):
        j = self.pick_roamer(t)
        if j is None:
            return None
        old = self.r_vlr[j]
        new = ("home", (old[1] + 1) % 3)
        self.r_vlr[j] = new
        return ("attach", self.r_net[j], 0, new, old, False, None, None), ("r", j)

    def f_r_sai(self, t):
        j = self.pick_roamer(t)
        return None if j is None else (("sai", self.r_net[j], 0, self.r_vlr[j], 2), ("r", j))

    def f_r_prn(self, t):
        j = self.pick_roamer(t)
        return None if j is None else (("prn", self.r_net[j], 0, self.r_vlr[j]), ("r", j))

    def f_r_call(self, t):
        j = self.pick_roamer(t)
        return None if j is None else (("call", self.r_net[j], 0, self.r_vlr[j], ("home", self.rng.randrange(3))),
                                       ("r", j))

    def f_r_psi(self, t):
        j = self.pick_roamer(t)
        if j is None or not self.outside_query(self.gt[(self.r_net[j], "hlr", 0)], 1000000 + j, t):
            return None
        return ("psi", self.r_net[j], 0, self.r_vlr[j]), ("r", j)

    def f_r_sms_mt(self, t):
        j = self.pick_roamer(t)
        return None if j is None else (("sms_direct", self.r_net[j], 0, self.r_vlr[j], (self.r_net[j], 0),
                                        self.rng.randrange(3)), ("r", j))

    def f_r_sms_home(self, t):
        j = self.pick_roamer(t)
        return None if j is None else (("sms", self.r_net[j], 0, self.r_vlr[j], ("home", 0),
                                        self.rng.randrange(3), False), ("r", j))

    def f_r_mo(self, t):
        j = self.pick_roamer(t)
        return None if j is None else (("mo", self.r_net[j], 0, self.r_vlr[j], self.rng.randrange(3)), ("r", j))

    def f_r_ussd(self, t):
        j = self.pick_roamer(t)
        return None if j is None else (("ussd", self.r_net[j], 0, self.r_vlr[j], self.rng.randrange(4)),
                                       ("r", j))

    def f_r_isd(self, t):
        j = self.pick_roamer(t)
        return None if j is None else ((("isd" if self.rng.random() < 0.7 else "dsd"), self.r_net[j], 0,
                                        self.r_vlr[j]), ("r", j))

    # --- main loop ---
    def plan(self, t):
        import bisect
        rng = self.rng
        for _ in range(8):
            k = bisect.bisect_right(self.cum, rng.random() * self.wsum)
            w, fn = self.flows[min(k, len(self.flows) - 1)]
            r = fn(t)
            if r is not None:
                name = fn.__name__[2:]
                self.stats[name] = self.stats.get(name, 0) + 1
                return r
        return None

    def run(self):
        import heapq
        rng = self.rng
        crc = self.crc
        f = self.out.f
        pack_hdr = struct.Struct("<IIII").pack
        pack_i = struct.Struct(">I").pack
        pack_h = struct.Struct(">H").pack
        pack_crc = struct.Struct("<I").pack
        getrandbits = rng.getrandbits
        cp = self.tpl.cp
        tsn, ipid, sseq = {}, {}, {}
        for k in self.model.assocs:
            for d in ("in", "out"):
                tsn[(k, d)] = rng.getrandbits(31)
                ipid[(k, d)] = rng.getrandbits(16)
        heap = []
        seq_ = 0
        planned = written = 0
        avg = 4.5
        t_next = self.t0
        buf = []
        lab_out = self.labels
        n = self.n
        INF = float("inf")
        while True:
            limit = t_next if planned < n else INF
            while heap and heap[0][0] <= limit:
                ts, _, inst = heapq.heappop(heap)
                frames, i, vals, start, sublab = inst
                fr, ak, d, stream, ip_sum, base_crc, crcpos, rel, labrest = frames[i]
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
                tv = tsn[key]
                tsn[key] = (tv + 1) & 0xFFFFFFFF
                tb = pack_i(tv)
                if crc:
                    for j in range(4):
                        x = fr[50 + j] ^ tb[j]
                        if x:
                            c ^= crc_tsn_tab(cp, len(fr) - 34, j)[x]
                frame[50:54] = tb
                sk = (ak, d, stream)
                sq = sseq.get(sk, 0)
                sseq[sk] = (sq + 1) & 0xFFFF
                sb = pack_h(sq)
                if crc:
                    for j in range(2):
                        x = fr[56 + j] ^ sb[j]
                        if x:
                            c ^= crc_tsn_tab(cp, len(fr) - 34, 6 + j)[x]
                frame[56:58] = sb
                frame[42:46] = pack_crc(c) if crc else b"\x00\x00\x00\x00"
                ident = ipid[key] = (ipid[key] + 1) & 0xFFFF
                s = ip_sum + ident
                s = (s & 0xFFFF) + (s >> 16)
                s = (s & 0xFFFF) + (s >> 16)
                frame[18:20] = pack_h(ident)
                frame[24:26] = pack_h(~s & 0xFFFF)
                sec = int(ts)
                buf.append(pack_hdr(sec, int((ts - sec) * 1e6), len(frame), len(frame)))
                buf.append(frame)
                written += 1
                if lab_out is not None:
                    line = '{"frame": %d, "time": %.6f, %s%s\n' % (written, ts, sublab, labrest)
                    if "@MSISDN@" in labrest:
                        line = line.replace("@MSISDN@", sublab[sublab.index('"msisdn": "') + 11:-3])
                    lab_out.write(line)
                if len(buf) >= 8192:
                    f.write(b"".join(buf))
                    buf.clear()
                i += 1
                if i < len(frames):
                    inst[1] = i
                    seq_ += 1
                    heapq.heappush(heap, (start + frames[i][7], seq_, inst))
            if planned >= n:
                break
            t = t_next
            t_next += rng.expovariate(self.rate / avg)
            r = self.plan(t)
            if r is None:
                continue
            key, who = r
            frames = self.tpl.get(key)
            dur = frames[-1][7]
            if who is None:
                ids, sublab = (b"", b"", "", "", 0), ""
            elif who[0] == "h":
                i = who[1]
                ids = self.h_ids[i]
                self.busy[i] = t + dur + 2.0
                self.last[i] = t + dur
            else:
                j = who[1]
                ids = self.r_ids[j]
                self.r_busy[j] = t + dur + 2.0
            if who is not None:
                sublab = '"imsi": "%s", "msisdn": "%s", ' % (ids[2], ids[3])
            vals = [pack_i(getrandbits(32)) for _ in range(10)] + [ids[0], ids[1]] + \
                [pack_i(getrandbits(24))[1:] for _ in range(3)]
            seq_ += 1
            heapq.heappush(heap, (t, seq_, [frames, 0, vals, t, sublab]))
            planned += len(frames)
            avg += (len(frames) - avg) * 0.01
        f.write(b"".join(buf))
        self.out.frames = written
        return {"frames": written, "templates": len(self.tpl.cache), "duration_s": t_next - self.t0,
                "flows": dict(sorted(self.stats.items())), "abroad": len(self.abroad)}


# =============================================================================================
# Subcommand: attacks (one positive and one near-miss trace per rule, with expected alerts)
# =============================================================================================
# tests/detect/traces/<rule>.pcap: a little benign traffic that establishes state (where the
# subscribers are registered), then the injected attacks, then more benign traffic.
# <rule>.labels.jsonl: one line per alert ss7watch must raise: frame (the triggering message;
# for correlation and expiry alerts a frame that the alert's `related` list holds), rule,
# threat, attack name; "frame_min"/"frame_max" when the rule may fire anywhere in a burst.
# <rule>.near-miss.pcap: benign look-alikes of the same attacks: no alert at all.

X_OTA = bytes.fromhex("002d1516091111b00001000000000001") + bytes(range(24))
ATTACKER_NUMBER_GB = "447700900123"
SS7MAPER_CALLREF = bytes.fromhex("070001442809961f")


class AttackTrace:
    """A Net writing one trace, a fixed population and the expected alerts."""

    def __init__(self, path, seed=1):
        self.path = path
        self.out = PcapWriter(path)
        self.net = net = Net(self.out, seed=seed, t0=1710241200.0)
        self.rng = rng = net.rng
        self.exp = []
        h = net.home
        self.h = h
        self.p = {p.id: p for p in net.partners}
        self.x = net.foreign[0]
        self.o = {o.id: o for o in net.others}
        # home subscribers at home: 0-19 targets, 20-89 scan targets, 90-99 background
        self.H = [Sub(h, 3000 + i, h.node("vlr", i % 3), rng, h.cells[i % len(h.cells)]) for i in range(100)]
        # home subscribers roaming: A[0], A[1] in France (VLR 0, 1), A[2] in Spain
        self.A = [Sub(h, 5000, self.p["fr"].node("vlr", 0), rng, PARTNER_CELLS["fr"]),
                  Sub(h, 5001, self.p["fr"].node("vlr", 1), rng, PARTNER_CELLS["fr"]),
                  Sub(h, 5002, self.p["es"].node("vlr", 0), rng, PARTNER_CELLS["es"])]
        # visitors at our VLRs: one per partner, and one of the unconfigured FR operator
        self.V = {pid: Sub(p, 7000 + k, h.node("vlr", k % 3), rng, h.cells[k % len(h.cells)])
                  for k, (pid, p) in enumerate(sorted(self.p.items()))}
        self.V["fr2"] = Sub(self.o["fr2"], 7100, h.node("vlr", 1), rng, h.cells[1])
        self.lab = {"label": "benign"}

    def mark(self):
        return self.out.frames + 1

    def expect(self, frame, rule, threat, attack, **kw):
        e = {"frame": frame, "rule": rule, "threat": threat, "attack": attack}
        e.update(kw)
        self.exp.append(e)

    def gap(self, s):
        self.net.t += s

    # --- benign building blocks ---
    def attach(self, subs=None, abroad=True, visitors=True):
        """Registrations the detector learns from: SAI + updateLocation (+ result)."""
        for s in (self.H[:10] if subs is None else subs):
            flow_attach(self.net, s, s.vlr, None, True, info=self.lab, nvec=1)
        if abroad:
            for s in self.A:
                flow_attach(self.net, s, s.vlr, None, True, info=self.lab, nvec=1)
        if visitors:
            for s in self.V.values():
                if s.net.id != "fr2":
                    flow_attach(self.net, s, s.vlr, None, True, info=self.lab, nvec=1)

    def background(self, k=12):
        """Home-internal traffic of subscribers 90-99: SMS, calls, MO SMS, HLR PSI."""
        net, h, rng = self.net, self.h, self.rng
        for _ in range(k):
            s = self.H[90 + rng.randrange(10)]
            r = rng.random()
            if r < 0.35:
                flow_sms_mt(net, s, h.node("smsc"), info=self.lab)
            elif r < 0.6:
                flow_mt_call(net, s, h.node("msc", rng.randrange(3)), info=self.lab)
            elif r < 0.8:
                flow_sms_mo(net, s, info=self.lab)
            else:
                flow_psi(net, s, info=self.lab)

    def close(self, labels_path=None):
        self.out.close()
        if labels_path:
            with open(labels_path, "w") as f:
                for e in self.exp:
                    f.write(json.dumps(e, separators=(",", ":")) + "\n")
        elif self.exp:
            raise RuntimeError("%s: a near-miss trace with expected alerts" % self.path)


def _D(T, a, b, op, sub=None, **kw):
    info = dict(sub.lab() if sub else {}, **kw.pop("info", {}))
    return T.net.dialogue(a, b, op, info=info, **kw)


# --- cat1-external -------------------------------------------------------------------------

def atk_cat1_external(T, near):
    net, h, x, rng = T.net, T.h, T.x, T.rng
    T.attach()
    T.background(8)
    s0, s1, s2, s3, s4, s5 = T.H[:6]
    if not near:
        d = _D(T, x.node("vlr"), hlr_of(s0), 58, s0, called_gt=s0.msisdn)
        f = d.request(58, map_send_imsi(s0.msisdn))
        d.respond(58, map_send_imsi_res(s0.imsi), dt=0.02)
        T.expect(f, "cat1-external", "subscriber-info", "sendIMSI from an unknown +882 GT")
        T.background(3)
        d = _D(T, x.node("gmlc"), msc_of(s1.vlr), 83, s1)
        f = d.request(83, map_psl(x.node("gmlc").gt, s1.imsi, s1.msisdn))
        d.respond(83, map_psl_res(s1.cell, age=0), dt=2.0)
        T.expect(f, "cat1-external", "location-tracking", "provideSubscriberLocation from +882")
        d = _D(T, x.node("gmlc"), hlr_of(s2), 85, s2, called_gt=s2.msisdn)
        f = d.request(85, map_sri_lcs(x.node("gmlc").gt, msisdn=s2.msisdn))
        d.respond(85, map_sri_lcs_res(s2.imsi, msc_of(s2.vlr).gt), dt=0.02)
        T.expect(f, "cat1-external", "location-tracking", "sendRoutingInfoForLCS from +882")
        T.background(3)
        gbv = T.p["gb"].node("vlr")
        d = _D(T, gbv, s3.vlr, 55, None)
        f = d.request(55, map_send_identification(s3.tmsi, 2, msc_of(gbv).gt))
        d.respond(55, map_send_identification_res(s3.imsi, rng, 2), dt=0.02)
        T.expect(f, "cat1-external", "subscriber-info", "sendIdentification from a partner VLR (no agreement)")
        f = T.mark()
        flow_mt_call(net, s4, T.p["fr"].node("msc"), info={"attack": "sri-from-partner"})
        T.expect(f, "cat1-external", "subscriber-info", "sendRoutingInfo from a partner MSC (no portability agreement)")
        d = _D(T, x.node("msc"), h.node("eir"), 43, None)
        f = d.request(43, map_check_imei(s5.imei))
        d.respond(43, map_check_imei_res(0), dt=0.02)
        T.expect(f, "cat1-external", "fraud", "checkIMEI from +882")
    else:
        # the portability partner may ask sendRoutingInfo; home nodes ask everything
        flow_mt_call(net, s4, T.o["de02"].node("msc"), info=T.lab)
        d = _D(T, h.node("vlr", 1), hlr_of(s0), 58, s0, called_gt=s0.msisdn)
        d.request(58, map_send_imsi(s0.msisdn))
        d.respond(58, map_send_imsi_res(s0.imsi), dt=0.02)
        flow_lcs(net, s1, h.node("gmlc"), info=T.lab)
        d = _D(T, h.node("vlr", 1), s3.vlr, 55, None)
        d.request(55, map_send_identification(s3.tmsi, 2, h.node("msc", 1).gt))
        d.respond(55, map_send_identification_res(s3.imsi, rng, 2), dt=0.02)
        flow_mt_call(net, s2, h.node("msc", 0), info=T.lab)
        flow_check_imei(net, h.node("msc", 2), h.node("eir"), s5.imei, info=T.lab)
    T.background(6)


# --- anomaly-begin-without-ac ------------------------------------------------------------------

def atk_no_ac(T, near):
    net, h = T.net, T.h
    T.attach()
    T.background(6)
    s0, s1 = T.H[0], T.H[1]
    frs = T.p["fr"].node("smsc")
    d = _D(T, frs, hlr_of(s0), 45, s0, called_gt=s0.msisdn, no_dialogue=not near)
    f = d.request(45, map_sri_sm(s0.msisdn, frs.gt))
    d.respond(45, map_sri_sm_res(s0.imsi, msc_of(s0.vlr).gt), dt=0.01)
    flow_sms_direct(net, s0, frs, info=T.lab)
    if not near:
        T.expect(f, "anomaly-begin-without-ac", "anomaly", "AC-less SRI-for-SM from a partner SMSC")
    else:
        # an AC-less Begin inside the home network (old home nodes) is not screened
        d = _D(T, h.node("smsc"), hlr_of(s1), 45, s1, called_gt=s1.msisdn, no_dialogue=True)
        d.request(45, map_sri_sm(s1.msisdn, h.node("smsc").gt))
        d.respond(45, map_sri_sm_res(s1.imsi, msc_of(s1.vlr).gt), dt=0.01)
        flow_sms_direct(net, s1, h.node("smsc"), info=T.lab)
    T.background(6)


# --- anomaly-global-opcode ---------------------------------------------------------------------

def atk_global_opcode(T, near):
    net = T.net
    T.attach()
    T.background(6)
    a0 = T.A[0]
    frv = a0.vlr
    d = _D(T, frv, hlr_of(a0), 56, a0)
    if not near:
        f = d.begin([invoke(1, None, global_oid=ber_oid([1, 3, 12, 2, 1006, 53, 2, 1]))], None,
                    {"op": "global", "opcode": None})
        d.end_b([reject(1, 1, 1)], None, {"dir": "rej"}, dt=0.01)
        T.expect(f, "anomaly-global-opcode", "anomaly", "global (OID) operation code from a partner VLR")
    else:
        d.request(56, map_sai_v3(a0.imsi, 2, 0, plmn_id(frv.net.mcc, frv.net.mnc)))
        d.respond(56, map_sai_res_v3(T.rng, 2), dt=0.02)
    T.background(6)


# --- anomaly-malformed ---------------------------------------------------------------------------

def atk_malformed(T, near):
    net, h = T.net, T.h
    T.attach()
    T.background(6)
    s0, s1 = T.H[0], T.H[1]
    if not near:
        # MAP: updateLocation whose msc-Number is an AddressString without a digit
        nv = h.node("vlr", (s0.vlr.idx + 1) % 3)
        arg = seq(tlv(0x04, tbcd(s0.imsi)), tlv(0x81, b"\x91"), tlv(0x04, isdn(nv.gt)),
                  tlv(0xA6, ber_bitstring((0, 1, 2), 4, tag=0x80)))
        f = T.mark()
        flow_location_update(net, s0, nv, s0.vlr, info={"attack": "malformed-map"}, arg=arg)
        T.expect(f, "anomaly-malformed", "anomaly", "updateLocation with an empty msc-Number")
        # TCAP: a component whose opcode INTEGER claims 5 octets and has 1 (tshark: malformed)
        d = _D(T, T.p["gb"].node("vlr"), hlr_of(s1), 56, s1)
        tc = tcap_begin(d.otid, dialogue_portion(aarq(map_acn_for(56))),
                        [tlv(0xA1, b"\x02\x01\x01\x02\x05\x38")])
        f = net.send(d.a, d.b, tc, dict(s1.lab(), tcap="Begin", dir="req", malformed="tcap-component"))
        T.expect(f, "anomaly-malformed", "anomaly", "TCAP component with a broken length")
    else:
        # unusual but valid BER: indefinite and long-form lengths
        for mode in ("indef", "long"):
            otid = net.new_tid()
            tc = tcap_begin(otid, dialogue_portion(aarq(map_acn_for(70))),
                            [invoke(1, 70, map_psi(s0.imsi, True, True, False, False))])
            net.send(hlr_of(s0), s0.vlr, ber_reencode(tc, mode), dict(s0.lab(), edge="ber-" + mode))
            tc = tcap_end(otid, dialogue_portion(aare(map_acn_for(70))),
                          [result_last(1, 70, map_psi_res(s0.cell, s0.vlr.gt, age=7))])
            net.send(s0.vlr, hlr_of(s0), ber_reencode(tc, mode), dict(s0.lab(), edge="ber-" + mode), dt=0.02)
        flow_location_update(net, s1, h.node("vlr", (s1.vlr.idx + 1) % 3), s1.vlr, info=T.lab)
    T.background(6)


# --- ac-opcode-mismatch --------------------------------------------------------------------------

def atk_ac_mismatch(T, near):
    net, h, rng = T.net, T.h, T.rng
    T.attach()
    T.background(6)
    s0, a0 = T.H[0], T.A[0]
    d = _D(T, h.node("vlr", 2), hlr_of(s0), 58, s0, called_gt=s0.msisdn,
           ac=None if near else ("infoRetrieval", 3))
    f = d.request(58, map_send_imsi(s0.msisdn))
    d.respond(58, map_send_imsi_res(s0.imsi), dt=0.02)
    if not near:
        T.expect(f, "ac-opcode-mismatch", "anomaly", "sendIMSI under infoRetrievalContext")
    d = _D(T, a0.vlr, hlr_of(a0), 56, a0, ac=None if near else ("networkLocUp", 3))
    f = d.request(56, map_sai_v3(a0.imsi, 3, 0, plmn_id("208", "01")))
    d.respond(56, map_sai_res_v3(rng, 3), dt=0.02)
    if not near:
        T.expect(f, "ac-opcode-mismatch", "anomaly", "sendAuthenticationInfo under networkLocUpContext")
    else:
        # operations inside another operation's dialogue that the AC does allow
        flow_location_update(net, T.H[1], h.node("vlr", (T.H[1].vlr.idx + 1) % 3), T.H[1].vlr, info=T.lab)
        u = T.H[2]
        d = _D(T, u.vlr, hlr_of(u), 59, u, dest_ref=(u.imsi, 6), orig_ref=u.msisdn)
        d.request(59, map_ussd("*100#", u.msisdn))
        d.cont_b([invoke(2, 60, map_ussd("1 Balance 2 Bundles"), linked=1)], [60], dt=0.2)
        d.cont_a([result_last(2, 60, map_ussd("1"))], [60], dt=2.0)
        d.end_b([result_last(1, 59, map_ussd("Balance: 12.40 EUR"))], [59], dt=0.2)
        # MAP v2 forwardSM (opcode 46) for a mobile-terminated SMS under shortMsgMT-Relay v2
        s3 = T.H[3]
        d = _D(T, h.node("smsc"), msc_of(s3.vlr), 46, s3, ac=("shortMsgMT-Relay", 2))
        d.request(46, map_mt_fsm(s3.imsi, h.node("smsc").gt, sms_deliver("4917112345678", "Hi", net.t)))
        d.respond(46, None, dt=0.3)
    T.background(6)


# --- cat2-home-imsi-external ---------------------------------------------------------------------

def atk_cat2_home(T, near):
    net, h, x = T.net, T.h, T.x
    T.attach()
    T.background(6)
    s0, s1, s2, a0 = T.H[0], T.H[1], T.H[2], T.A[0]
    if not near:
        f = T.mark()
        flow_prn(net, s0, x.node("msc").gt, hlr=x.node("hlr"), info={"attack": "prn"})
        T.expect(f, "cat2-home-imsi-external", "interception", "provideRoamingNumber from +882")
        f = T.mark()
        flow_dsd(net, s1, hlr=T.p["gb"].node("hlr"), info={"attack": "dsd"})
        T.expect(f, "cat2-home-imsi-external", "dos", "deleteSubscriberData from a partner HLR")
        d = _D(T, x.node("hlr"), s2.vlr, 60, s2, dest_ref=(s2.imsi, 6))
        f = d.request(60, map_ussd("Your account is blocked. Reply with your PIN"))
        d.respond(60, map_ussd("1234"), dt=5.0)
        T.expect(f, "cat2-home-imsi-external", "fraud",
                 "unstructuredSS-Request from +882 (IMSI only in the destinationReference)")
    else:
        flow_prn(net, a0, h.node("msc", 0).gt, info=T.lab)          # to the FR VLR, for our roamer
        flow_dsd(net, s1, info=T.lab)
        d = _D(T, hlr_of(s2), s2.vlr, 60, s2, dest_ref=(s2.imsi, 6))
        d.request(60, map_ussd("Reply 1 to confirm your top-up"))
        d.respond(60, map_ussd("1"), dt=4.0)
        flow_prn(net, T.V["fr"], T.p["fr"].node("msc").gt, info=T.lab)  # visitor, its own HLR
    T.background(6)


# --- cat2-foreign-imsi-wrong-origin --------------------------------------------------------------

def atk_cat2_foreign(T, near):
    net, x = T.net, T.x
    T.attach()
    T.background(6)
    vfr, vgb, vus, vfr2 = T.V["fr"], T.V["gb"], T.V["us"], T.V["fr2"]
    gbh, frh, esh = T.p["gb"].node("hlr"), T.p["fr"].node("hlr"), T.p["es"].node("hlr")
    if not near:
        f = T.mark()
        flow_prn(net, vfr, gbh.gt, hlr=gbh, info={"attack": "prn"})
        T.expect(f, "cat2-foreign-imsi-wrong-origin", "interception", "PRN for a French visitor from the GB HLR")
        f = T.mark()
        flow_isd(net, vgb, hlr=x.node("hlr"), info={"attack": "isd"})
        T.expect(f, "cat2-foreign-imsi-wrong-origin", "interception", "ISD for a British visitor from +882")
        f = T.mark()
        flow_dsd(net, vus, hlr=frh, info={"attack": "dsd"})
        T.expect(f, "cat2-foreign-imsi-wrong-origin", "dos", "DSD for a US visitor (MNC 260) from the FR HLR")
        f = T.mark()
        flow_prn(net, vfr2, esh.gt, hlr=esh, info={"attack": "prn-unconfigured"})
        T.expect(f, "cat2-foreign-imsi-wrong-origin", "interception",
                 "PRN for a visitor of an unconfigured French operator from the ES HLR")
    else:
        flow_prn(net, vfr, T.p["fr"].node("msc").gt, info=T.lab)
        flow_isd(net, vgb, info=T.lab)
        net.via_ipx = {"us"}
        flow_dsd(net, vus, info=T.lab)                 # the US HLR through our IPX
        net.via_ipx = set()
        # an operator we do not know: its country must match the IMSI's (MCC 208, +33)
        flow_prn(net, vfr2, vfr2.net.node("msc").gt, info=T.lab)
    T.background(6)


# --- rogue-location-update -----------------------------------------------------------------------

def atk_rogue_ul(T, near):
    net, h, x, rng = T.net, T.h, T.x, T.rng
    T.attach()
    flow_ugl(net, T.H[3], h.node("sgsn"), info=T.lab)
    flow_ugl(net, T.H[6], h.node("sgsn"), info=T.lab)
    T.background(6)
    s0, s1, s2, s3 = T.H[:4]
    fr, gb, us, tr, es = (T.p[k] for k in ("fr", "gb", "us", "tr", "es"))
    if not near:
        T.gap(120)
        f = T.mark()
        flow_location_update(net, s0, x.node("vlr"), s0.vlr, info={"attack": "ul-882"})
        T.expect(f, "rogue-location-update", "interception", "updateLocation from +882 (no roaming agreement)")
        T.background(3)
        f = T.mark()
        flow_location_update(net, s1, gb.node("vlr"), s1.vlr, info={"attack": "ul-node-mismatch"},
                             vlr_number=fr.node("vlr").gt, msc_number=fr.node("msc").gt)
        T.expect(f, "rogue-location-update", "interception",
                 "updateLocation from a GB VLR naming a French VLR/MSC")
        T.gap(480)
        f = T.mark()
        flow_location_update(net, s2, us.node("vlr"), s2.vlr, info={"attack": "ul-impossible-travel"})
        T.expect(f, "rogue-location-update", "interception", "updateLocation from the US 10 min after Germany")
        T.gap(600)
        f = T.mark()
        flow_ugl(net, s3, tr.node("sgsn"), h.node("sgsn"), info={"attack": "ugl-impossible-travel"})
        T.expect(f, "rogue-location-update", "interception",
                 "updateGprsLocation from Turkey 20 min after a German SGSN")
    else:
        s4, s5, s6, s7 = T.H[4:8]
        T.gap(300)
        # France is 877 km from Germany: 58 min of flight, inside the hour of grace
        flow_attach(net, s4, fr.node("vlr", 1), s4.vlr, True, info=T.lab)
        T.gap(7 * 3600 + 600)
        # the US after 7 h 10 min (6711 km: 7 h 27 min at 900 km/h, minus the grace hour)
        flow_attach(net, s5, us.node("vlr"), s5.vlr, True, info=T.lab)
        # Spain by GPRS more than 7 h after the German SGSN (1868 km: 2 h 5 min)
        flow_ugl(net, s6, es.node("sgsn"), h.node("sgsn"), info=T.lab)
        # moving between our own VLRs; a visitor moving; a subscriber seen for the first time
        flow_attach(net, s7, h.node("vlr", (s7.vlr.idx + 1) % 3), s7.vlr, True, info=T.lab)
        flow_attach(net, T.V["gb"], h.node("vlr", (T.V["gb"].vlr.idx + 1) % 3), T.V["gb"].vlr, False,
                    info=T.lab)
        newcomer = Sub(h, 4444, us.node("vlr"), rng, PARTNER_CELLS["us"])
        flow_attach(net, newcomer, newcomer.vlr, None, True, info=T.lab)
    T.background(6)


# --- cat3-not-serving-node -----------------------------------------------------------------------

def atk_cat3(T, near):
    net, h, x = T.net, T.h, T.x
    T.attach()
    T.background(6)
    s0, s1, s2, s3 = T.H[:4]
    a0 = T.A[0]
    fr, gb = T.p["fr"], T.p["gb"]
    if not near:
        d = _D(T, gb.node("vlr"), hlr_of(s0), 59, s0, dest_ref=(s0.imsi, 6), orig_ref=s0.msisdn)
        f = d.request(59, map_ussd("*135#", s0.msisdn))
        d.respond(59, map_ussd("Your balance is 3.20 EUR"), dt=0.5)
        T.expect(f, "cat3-not-serving-node", "fraud",
                 "processUnstructuredSS-Request from a GB VLR for a subscriber served at home")
        d = _D(T, fr.node("msc"), h.node("smsc"), 46, s1)
        f = d.request(46, map_mo_fsm(h.node("smsc").gt, s1.msisdn,
                                     sms_submit("4917112345678", "Premium 5", mr=3), s1.imsi))
        d.respond(46, None, dt=0.1)
        T.expect(f, "cat3-not-serving-node", "fraud", "mo-forwardSM from a French MSC, subscriber at home")
        f = T.mark()
        flow_ss(net, s2, 14, 0x21, vlr=x.node("vlr"), info={"attack": "interrogateSS"})
        T.expect(f, "cat3-not-serving-node", "subscriber-info", "interrogateSS from +882 (IMSI in the destinationReference)")
        d = _D(T, gb.node("vlr"), hlr_of(s3), 57, s3)
        f = d.request(57, map_restore_data(s3.imsi))
        d.respond(57, map_restore_data_res(hlr_of(s3).gt), dt=0.02)
        T.expect(f, "cat3-not-serving-node", "subscriber-info", "restoreData from a GB VLR for a subscriber served at home")
    else:
        # the network serving our roamer in France asks: its VLR (USSD, SS, restoreData) ...
        flow_ussd(net, a0, code="*100#", info=T.lab)
        flow_ss(net, a0, 10, 0x21, FTN_HOME, info=T.lab)
        d = _D(T, a0.vlr, hlr_of(a0), 57, a0)
        d.request(57, map_restore_data(a0.imsi))
        d.respond(57, map_restore_data_res(hlr_of(a0).gt), dt=0.02)
        # ... and its MSC (mo-forwardSM is sent by the serving MSC, not by the VLR)
        flow_sms_mo(net, a0, text="Bonjour", info=T.lab)
        # a call to the roamer: the HLR's answer names the French MSC; then its VLR asks again
        flow_mt_call(net, a0, h.node("msc", 0), info=T.lab)
        flow_ussd(net, a0, code="*101#", info=T.lab)
        flow_sms_mo(net, a0, text="Merci", info=T.lab)
        # our own VLR; a subscriber the detector knows nothing about
        flow_ussd(net, s0, code="*100#", info=T.lab)
        stranger = Sub(h, 4321, fr.node("vlr", 1), T.rng, PARTNER_CELLS["fr"])
        flow_ussd(net, stranger, code="*100#", info=T.lab)
    T.background(6)


# --- call-forwarding-hijack ----------------------------------------------------------------------

def atk_cf_hijack(T, near):
    net, h, x = T.net, T.h, T.x
    T.attach()
    T.background(6)
    s0, s1, s2 = T.H[:3]
    a0 = T.A[0]
    if not near:
        f = T.mark()
        flow_ss(net, s0, 10, 0x21, ATTACKER_NUMBER_GB, vlr=x.node("vlr"), info={"attack": "cfu-882"})
        T.expect(f, "call-forwarding-hijack", "interception", "CFU to a GB number registered from +882")
        T.expect(f, "cat3-not-serving-node", "interception", "CFU to a GB number registered from +882")
        f = T.mark()
        flow_ss(net, s1, 10, 0x2B, "33612345678", info={"attack": "cfnrc-foreign"})
        T.expect(f, "call-forwarding-hijack", "interception",
                 "CFNRc to a French number for a subscriber at home (serving VLR)")
        f = T.mark()
        flow_ss(net, a0, 10, 0x21, ATTACKER_NUMBER_GB, info={"attack": "cfu-third-country"})
        T.expect(f, "call-forwarding-hijack", "interception",
                 "CFU to a GB number for a subscriber roaming in France (serving VLR)")
    else:
        flow_ss(net, s2, 10, 0x21, "4930123456", info=T.lab)           # German landline
        flow_ss(net, s2, 12, 0x21, "4930123456", info=T.lab)
        flow_ss(net, a0, 10, 0x29, "33612345678", info=T.lab)          # roaming in FR, FR number
        flow_ss(net, a0, 14, 0x29, None, info=T.lab)
        flow_ss(net, s1, 10, 0x2A, FTN_HOME, info=T.lab)
    T.background(6)


# --- isd-not-from-home-hlr -----------------------------------------------------------------------

def atk_isd(T, near):
    net, h, x = T.net, T.h, T.x
    T.attach()
    T.background(6)
    s0, s1, s2 = T.H[:3]
    if not near:
        f = T.mark()
        flow_isd(net, s0, hlr=x.node("hlr"), gsmscf=x.node("gsmscf").gt, info={"attack": "isd-882"})
        T.expect(f, "isd-not-from-home-hlr", "interception", "insertSubscriberData from +882")
        f = T.mark()
        flow_isd(net, s1, gsmscf=x.node("gsmscf").gt, info={"attack": "isd-foreign-gsmscf"})
        T.expect(f, "isd-not-from-home-hlr", "interception", "home HLR ISD carrying a +882 gsmSCF (CAMEL)")
        f = T.mark()
        flow_isd(net, s2, hlr=x.node("hlr"), gsmscf=home_gsmscf(net), calling_gt=hlr_of(s2).gt,
                 info={"attack": "isd-spoofed-hlr"})
        T.expect(f, "isd-not-from-home-hlr", "interception", "ISD under our HLR's GT on the +882 link")
        T.expect(f, "gt-transport-mismatch", "anomaly", "ISD under our HLR's GT on the +882 link")
    else:
        flow_isd(net, s0, gsmscf=home_gsmscf(net), info=T.lab)
        flow_isd(net, T.V["fr"], info=T.lab)
        flow_location_update(net, s1, h.node("vlr", (s1.vlr.idx + 1) % 3), s1.vlr, info=T.lab)
    T.background(6)


# --- sri-sm-without-delivery ---------------------------------------------------------------------

def atk_sri_sm_no_delivery(T, near):
    net, h = T.net, T.h
    T.attach()
    T.background(6)
    s0, s1, s2, s3 = T.H[:4]
    frs, ess, gbs = T.p["fr"].node("smsc"), T.p["es"].node("smsc"), T.p["gb"].node("smsc")
    if not near:
        d = _D(T, frs, hlr_of(s0), 45, s0, called_gt=s0.msisdn)
        f = d.request(45, map_sri_sm(s0.msisdn, frs.gt))
        d.respond(45, map_sri_sm_res(s0.imsi, msc_of(s0.vlr).gt), dt=0.01)
        T.expect(f, "sri-sm-without-delivery", "recon", "SRI-for-SM from a partner SMSC, never delivered")
        T.background(4)
        d = _D(T, ess, hlr_of(s1), 45, s1, called_gt=s1.msisdn)
        f = d.request(45, map_sri_sm(s1.msisdn, ess.gt))
        d.respond(45, map_sri_sm_res(s1.imsi, msc_of(s1.vlr).gt), dt=0.01)
        T.expect(f, "sri-sm-without-delivery", "recon", "SRI-for-SM answered, delivery only after the window")
        T.gap(320)
        T.background(4)
        T.gap(80)
        flow_sms_direct(net, s1, ess, info={"attack": "late-delivery"})
    else:
        flow_sms_mt(net, s0, frs, info=T.lab)
        flow_sms_mt(net, s1, T.o["hub"].node("smsc", 1), info=T.lab)
        flow_sms_mt(net, s2, gbs, info=T.lab, error=True)          # absentSubscriberSM: no IMSI
        d = _D(T, h.node("smsc"), hlr_of(s3), 45, s3, called_gt=s3.msisdn)   # home SMSC: not watched
        d.request(45, map_sri_sm(s3.msisdn, h.node("smsc").gt))
        d.respond(45, map_sri_sm_res(s3.imsi, msc_of(s3.vlr).gt), dt=0.01)
        T.gap(320)
        T.background(4)
        T.gap(80)
    T.background(6)


# --- sri-sm-not-from-smsc ------------------------------------------------------------------------

def atk_sri_sm_not_smsc(T, near):
    net, h, x = T.net, T.h, T.x
    T.attach()
    T.background(6)
    s0, s1, s2, s3 = T.H[:4]
    if not near:
        scf = h.node("gsmscf")
        d = _D(T, scf, hlr_of(s0), 45, s0, called_gt=s0.msisdn, calling_ssn=8)
        f = d.request(45, map_sri_sm(s0.msisdn, scf.gt))
        d.respond(45, map_sri_sm_res(s0.imsi, msc_of(s0.vlr).gt), dt=0.01)
        T.expect(f, "sri-sm-not-from-smsc", "recon", "SRI-for-SM from our gsmSCF's GT")
        f = T.mark()
        flow_sms_mt(net, s1, x.node("smsc"), info={"attack": "sri-sm-882"})
        T.expect(f, "sri-sm-not-from-smsc", "recon", "SRI-for-SM from an unknown +882 GT")
        f = T.mark()
        flow_sms_mt(net, s2, x.node("smsc"), info={"attack": "sri-sm-spoofed"}, calling_gt=h.node("smsc").gt)
        T.expect(f, "sri-sm-not-from-smsc", "recon", "SRI-for-SM under our SMSC's GT on the +882 link")
        T.expect(f, "gt-transport-mismatch", "anomaly", "SRI-for-SM under our SMSC's GT on the +882 link")
        T.expect(f + 2, "gt-transport-mismatch", "anomaly", "mt-forwardSM under our SMSC's GT on the +882 link")
    else:
        flow_sms_mt(net, s0, h.node("smsc"), info=T.lab)
        vas = Node(h, "smsc", "491700004901", 9)           # allowlisted in the rule
        flow_sms_mt(net, s1, vas, info=T.lab)
        flow_sms_mt(net, s2, T.p["tr"].node("smsc"), info=T.lab)
        flow_sms_mt(net, s3, T.o["hub"].node("smsc", 0), info=T.lab)
        flow_sms_mt(net, T.H[4], T.o["de02"].node("smsc"), info=T.lab)
    T.background(6)


# --- locate-after-identify -----------------------------------------------------------------------

def atk_circles(T, near):
    net, h, x = T.net, T.h, T.x
    T.attach()
    T.background(6)
    s = T.H
    if not near:
        # 1. SRI-for-SM from +882, then PSI with currentLocation from +882 to the serving VLR
        sm = x.node("smsc")
        d = _D(T, sm, hlr_of(s[0]), 45, s[0], called_gt=s[0].msisdn)
        f1 = d.request(45, map_sri_sm(s[0].msisdn, sm.gt))
        d.respond(45, map_sri_sm_res(s[0].imsi, msc_of(s[0].vlr).gt), dt=0.02)
        T.expect(f1, "sri-sm-not-from-smsc", "recon", "circles-1 identify")
        T.expect(f1, "sri-sm-without-delivery", "recon", "circles-1 identify")
        T.background(3)
        T.gap(40)
        f2 = T.mark()
        flow_psi(net, s[0], hlr=x.node("hlr"), current=True, imei=True)
        T.expect(f2, "locate-after-identify", "location-tracking", "circles-1 locate", related=[f1, f2])
        T.expect(f2, "psi-not-from-home-hlr", "location-tracking", "circles-1 locate")
        # 2. sendIMSI from +882, then ATI from a +882 gsmSCF
        d = _D(T, x.node("vlr"), hlr_of(s[1]), 58, s[1], called_gt=s[1].msisdn)
        f1 = d.request(58, map_send_imsi(s[1].msisdn))
        d.respond(58, map_send_imsi_res(s[1].imsi), dt=0.02)
        T.expect(f1, "cat1-external", "subscriber-info", "circles-2 identify")
        T.gap(90)
        f2 = T.mark()
        flow_ati(net, s[1], x.node("gsmscf"), current=True)
        T.expect(f2, "locate-after-identify", "location-tracking", "circles-2 locate", related=[f1, f2])
        T.expect(f2, "ati-external", "location-tracking", "circles-2 locate")
        # 3. sendRoutingInfo from a partner's MSC, then PSL from +882 to the serving MSC
        f1 = T.mark()
        flow_mt_call(net, s[2], T.p["gb"].node("msc"), info={"attack": "circles-3"})
        T.expect(f1, "cat1-external", "subscriber-info", "circles-3 identify")
        T.gap(600)
        f2 = T.mark()
        flow_lcs(net, s[2], x.node("gmlc"), sri_lcs=False)
        T.expect(f2, "locate-after-identify", "location-tracking", "circles-3 locate", related=[f1, f2])
        T.expect(f2, "cat1-external", "location-tracking", "circles-3 locate")
        # 4. a partner SMSC's SRI-for-SM (delivered), then PSI under our HLR's GT on the +882 link
        f1 = T.mark()
        flow_sms_mt(net, s[3], T.p["fr"].node("smsc"), info={"attack": "circles-4"})
        T.gap(30)
        f2 = T.mark()
        flow_psi(net, s[3], hlr=x.node("hlr"), current=True, calling_gt=hlr_of(s[3]).gt)
        T.expect(f2, "locate-after-identify", "location-tracking", "circles-4 locate (spoofed HLR)",
                 related=[f1, f2])
        T.expect(f2, "psi-not-from-home-hlr", "location-tracking", "circles-4 locate (spoofed HLR)")
        T.expect(f2, "gt-transport-mismatch", "anomaly", "circles-4 locate (spoofed HLR)")
        T.gap(300)
        T.background(4)
    else:
        # a partner SMS, then our HLR's PSI (call handling) for the same subscriber
        flow_sms_mt(net, s[4], T.p["fr"].node("smsc"), info=T.lab)
        flow_psi(net, s[4], info=T.lab)
        # portability SRI, then our HLR's PSI
        flow_mt_call(net, s[5], T.o["de02"].node("msc"), info=T.lab)
        flow_psi(net, s[5], current=True, info=T.lab)
        # our own SMSC's SRI-for-SM, then our gsmSCF's ATI and our GMLC's PSL
        flow_sms_mt(net, s[7], h.node("smsc"), info=T.lab)
        flow_ati(net, s[7], h.node("gsmscf"), info=T.lab)
        flow_lcs(net, s[7], h.node("gmlc"), info=T.lab)
        # a partner SMS, then our gsmSCF's ATI after the window (3600 s)
        flow_sms_mt(net, s[6], T.p["es"].node("smsc"), info=T.lab)
        T.gap(3700)
        T.background(3)
        flow_ati(net, s[6], h.node("gsmscf"), info=T.lab)
    T.background(6)


# --- psi-not-from-home-hlr -----------------------------------------------------------------------

def atk_psi(T, near):
    net, h, x = T.net, T.h, T.x
    T.attach()
    T.background(6)
    s0, s1, a0 = T.H[0], T.H[1], T.A[0]
    gbh = T.p["gb"].node("hlr")
    if not near:
        f = T.mark()
        flow_psi(net, s0, hlr=gbh, current=True)
        T.expect(f, "psi-not-from-home-hlr", "location-tracking", "PSI with currentLocation from the GB HLR")
        f = T.mark()
        flow_psi(net, T.V["fr"], hlr=gbh)
        T.expect(f, "psi-not-from-home-hlr", "location-tracking", "PSI for a French visitor from the GB HLR")
        f = T.mark()
        flow_psi(net, s1, hlr=x.node("hlr"))
        T.expect(f, "psi-not-from-home-hlr", "location-tracking", "PSI (no currentLocation) from +882")
    else:
        flow_psi(net, s0, current=True, info=T.lab)
        flow_psi(net, a0, info=T.lab)                         # our roamer in France
        flow_psi(net, T.V["fr"], info=T.lab)                  # a visitor, its own HLR
        net.via_ipx = {"us"}
        flow_psi(net, T.V["us"], info=T.lab)
        net.via_ipx = set()
    T.background(6)


# --- ati-external --------------------------------------------------------------------------------

def atk_ati(T, near):
    net, h, x = T.net, T.h, T.x
    T.attach()
    T.background(6)
    s0, s1, s2 = T.H[:3]
    if not near:
        f = T.mark()
        flow_ati(net, s0, x.node("gsmscf"), current=True, imei=True)
        T.expect(f, "ati-external", "location-tracking", "ATI with currentLocation and IMEI from +882")
        f = T.mark()
        flow_ati(net, s1, T.p["fr"].node("hlr"))
        T.expect(f, "ati-external", "location-tracking", "ATI from a French partner GT")
    else:
        flow_ati(net, s2, h.node("gsmscf"), current=True, imei=True, info=T.lab)
        flow_ati(net, T.A[0], h.node("gsmscf"), info=T.lab)
    T.background(6)


# --- auth-vector-harvesting ----------------------------------------------------------------------

def atk_sai(T, near):
    net, h, x = T.net, T.h, T.x
    T.attach()
    T.background(6)
    s0, s1, a0 = T.H[0], T.H[1], T.A[0]
    if not near:
        f = T.mark()
        flow_sai(net, a0, a0.vlr, nvec=10)
        T.expect(f, "auth-vector-harvesting", "fraud", "SAI asking for 10 vectors")
        f = T.mark()
        flow_sai(net, s0, x.node("vlr"), nvec=3)
        T.expect(f, "auth-vector-harvesting", "fraud", "SAI from +882 (no roaming agreement)")
        f = T.mark()
        flow_sai(net, s1, T.o["de02"].node("vlr"), nvec=2)
        T.expect(f, "auth-vector-harvesting", "fraud", "SAI from the national competitor (no roaming agreement)")
    else:
        flow_sai(net, a0, a0.vlr, nvec=5, info=T.lab)
        flow_sai(net, s0, s0.vlr, nvec=5, info=T.lab)
        flow_sai(net, T.V["gb"], T.V["gb"].vlr, nvec=4, info=T.lab)
        flow_sai(net, T.A[2], T.A[2].vlr, nvec=1, info=T.lab)
    T.background(6)


# --- scan ----------------------------------------------------------------------------------------

def atk_scan(T, near):
    net, h, rng = T.net, T.h, T.rng
    T.attach()
    T.background(6)
    gbv = T.p["gb"].node("vlr")
    targets = T.H[20:90]

    def burst(subs, span):
        first = None
        for k, s in enumerate(subs):
            d = _D(T, gbv, hlr_of(s), 56, s)
            fr_ = d.request(56, map_sai_v3(s.imsi, 1, 0, plmn_id("234", "15")), dt=span / len(subs))
            first = first or fr_
            if k % 7 == 3:
                d.end_b([return_error(1, 1, seq(ber_enum(0)))], [56], {"dir": "err"}, dt=0.01)
            else:
                d.respond(56, map_sai_res_v3(rng, 1), dt=0.01)
        return first, fr_
    if not near:
        first, last = burst(targets[:60], 40.0)
        T.expect(first, "scan", "recon", "SAI for 60 subscribers in 40 s from one GB VLR GT",
                 frame_min=first, frame_max=last)
    else:
        burst(targets[:40], 40.0)
        T.gap(30)
        burst(targets[30:70], 40.0)
        # our own SMSC asking about many subscribers is not a scan
        for s in T.H[20:75]:
            flow_sms_mt(net, s, h.node("smsc"), info=T.lab)
    T.background(6)


# --- identity-rotation ---------------------------------------------------------------------------

def atk_rotation(T, near):
    net, h = T.net, T.h
    T.attach()
    s0, s1 = T.H[0], T.H[1]
    flow_sms_mt(net, s0, h.node("smsc"), info=T.lab)      # the detector learns s0's MSISDN
    T.background(6)
    rounds = [(s0, [T.p[k].node("smsc") for k in ("fr", "gb", "es", "ch")],
               "one subscriber asked about by four partner SMSC GTs in 6 minutes")]
    if not near:
        # the same for a subscriber whose MSISDN the detector has not seen yet: the first
        # query names it by MSISDN only, the next ones are answered for a known IMSI
        rounds.append((s1, [T.p["tr"].node("smsc"), T.o["hub"].node("smsc", 0), T.p["us"].node("smsc"),
                            T.o["hub"].node("smsc", 1)],
                       "one subscriber (MSISDN not yet known) asked about by four SMSC GTs in 6 minutes"))
    for sub, smscs, what in rounds:
        frames = []
        for k, sm in enumerate(smscs):
            if near and k == 3:
                T.gap(600)
            frames.append(T.mark())
            flow_sms_mt(net, sub, sm, info={"attack": "rotation"} if not near else T.lab)
            T.gap(100)
            T.background(2)
        if not near:
            T.expect(frames[3], "identity-rotation", "location-tracking", what, related=frames)
    T.background(6)


# --- gt-transport-mismatch -----------------------------------------------------------------------

def atk_transport_fix(T, near):
    """gt-transport-mismatch with the French VLR's GT on the British link."""
    net, h, x = T.net, T.h, T.x
    T.attach()
    T.background(6)
    s0, a0 = T.H[0], T.A[0]
    gb = T.p["gb"]
    if not near:
        f = T.mark()
        flow_psi(net, s0, hlr=x.node("hlr"), calling_gt=hlr_of(s0).gt)
        T.expect(f, "gt-transport-mismatch", "anomaly", "PSI under our HLR's GT on the +882 link")
        T.expect(f, "psi-not-from-home-hlr", "location-tracking", "PSI under our HLR's GT on the +882 link")
        d = _D(T, gb.node("vlr"), hlr_of(a0), 56, a0, calling_gt=a0.vlr.gt)
        f = d.request(56, map_sai_v3(a0.imsi, 2, 0, plmn_id("208", "01")))
        d.respond(56, map_sai_res_v3(T.rng, 2), dt=0.02)
        T.expect(f, "gt-transport-mismatch", "anomaly", "SAI under a French VLR GT on the British link")
    else:
        net.via_ipx = {"fr", "us"}
        flow_sai(net, a0, a0.vlr, nvec=2, info=T.lab)
        flow_psi(net, T.V["us"], info=T.lab)
        net.via_ipx = set()
        flow_psi(net, s0, info=T.lab)
        flow_sms_mt(net, T.H[1], T.o["hub"].node("smsc", 0), info=T.lab)
    T.background(6)


# --- cancel-purge-dos ----------------------------------------------------------------------------

def atk_cancel_purge(T, near):
    net, h, x = T.net, T.h, T.x
    T.attach()
    T.background(6)
    s0, s1, s2, a0 = T.H[0], T.H[1], T.H[2], T.A[0]
    if not near:
        f = T.mark()
        flow_cancel(net, s0, hlr=x.node("hlr"), ctype=1)
        T.expect(f, "cancel-purge-dos", "dos", "cancelLocation from +882")
        f = T.mark()
        flow_cancel(net, T.V["fr"], hlr=T.p["gb"].node("hlr"))
        T.expect(f, "cancel-purge-dos", "dos", "cancelLocation for a French visitor from the GB HLR")
        f = T.mark()
        flow_purge(net, s1, vlr=T.p["gb"].node("vlr"))
        T.expect(f, "cancel-purge-dos", "dos", "purgeMS from a GB VLR for a subscriber served at home")
        f = T.mark()
        flow_cancel(net, s2, hlr=x.node("hlr"), calling_gt=hlr_of(s2).gt)
        T.expect(f, "cancel-purge-dos", "dos", "cancelLocation under our HLR's GT on the +882 link")
        T.expect(f, "gt-transport-mismatch", "anomaly", "cancelLocation under our HLR's GT on the +882 link")
    else:
        flow_location_update(net, s0, h.node("vlr", (s0.vlr.idx + 1) % 3), s0.vlr, info=T.lab)
        flow_purge(net, a0, info=T.lab)                       # the serving French VLR
        flow_cancel(net, T.V["fr"], info=T.lab)               # a visitor leaves: its own HLR
        flow_purge(net, s1, info=T.lab)                       # our own VLR
    T.background(6)


# --- silent-sms-or-sim-ota -----------------------------------------------------------------------

def atk_silent_sms(T, near):
    net, h = T.net, T.h
    T.attach()
    T.background(6)
    s0, s1, s2 = T.H[:3]
    frs, gbs, ess = (T.p[k].node("smsc") for k in ("fr", "gb", "es"))
    if not near:
        f = T.mark()
        flow_sms_mt(net, s0, frs, text="", pid=0x40, dcs=0xC0)
        T.expect(f + 2, "silent-sms-or-sim-ota", "location-tracking", "silent SMS (TP-PID 0x40)")
        f = T.mark()
        flow_sms_mt(net, s1, gbs, pid=0x7F, dcs=0xF6, data=X_OTA, udh=b"\x70\x00")
        T.expect(f + 2, "silent-sms-or-sim-ota", "interception", "SIM data download (TP-PID 0x7F)")
        f = T.mark()
        flow_sms_mt(net, s2, ess, pid=0x00, dcs=0x16, data=X_OTA)
        T.expect(f + 2, "silent-sms-or-sim-ota", "interception", "class 2 8-bit SMS (DCS 0x16)")
    else:
        flow_sms_mt(net, s0, frs, info=T.lab)
        flow_sms_mt(net, s1, h.node("smsc"), text="", pid=0x40, dcs=0xC0, info=T.lab)   # our own SMSC
        flow_sms_mt(net, s2, gbs, text="Stored on SIM", dcs=0xF2, info=T.lab)            # class 2, 7-bit
        flow_sms_mt(net, T.H[3], ess, text="Flash", dcs=0x10, info=T.lab)                # class 0, 7-bit
    T.background(6)


# --- mt-forward-sm-without-sri-sm ----------------------------------------------------------------

def atk_mtfsm(T, near):
    net, h, x = T.net, T.h, T.x
    T.attach()
    T.background(6)
    s0, s1 = T.H[0], T.H[1]
    if not near:
        f = T.mark()
        flow_sms_direct(net, s0, T.p["fr"].node("smsc"), info={"attack": "mtfsm-no-sri-sm"})
        T.expect(f, "mt-forward-sm-without-sri-sm", "fraud", "mt-forwardSM from a partner SMSC without SRI-for-SM")
        f = T.mark()
        flow_sms_direct(net, s1, x.node("smsc"), info={"attack": "mtfsm-882"})
        T.expect(f, "mt-forward-sm-without-sri-sm", "fraud", "mt-forwardSM from +882 without SRI-for-SM")
    else:
        flow_sms_mt(net, s0, T.p["fr"].node("smsc"), info=T.lab)
        flow_sms_direct(net, s1, h.node("smsc"), info=T.lab)
        flow_sms_direct(net, T.V["fr"], T.p["fr"].node("smsc"), info=T.lab)   # a visitor's SMSC
        flow_sms_mt(net, T.H[2], T.o["hub"].node("smsc", 1), info=T.lab)
    T.background(6)


# --- attack-tool-fingerprint ---------------------------------------------------------------------

def atk_tool(T, near):
    net, h, x = T.net, T.h, T.x
    T.attach()
    T.background(6)
    s0, s1, s2 = T.H[:3]
    if not near:
        d = _D(T, x.node("msc"), hlr_of(s0), 22, s0, called_gt=s0.msisdn)
        f = d.request(22, map_sri(s0.msisdn, x.node("msc").gt, SS7MAPER_CALLREF))
        d.end_b([return_error(1, 27, b"")], [22], {"dir": "err"}, dt=0.02)
        T.expect(f, "attack-tool-fingerprint", "recon", "ss7MAPer callReferenceNumber in SRI from +882")
        T.expect(f, "cat1-external", "subscriber-info", "ss7MAPer callReferenceNumber in SRI from +882")
        f = T.mark()
        flow_lcs(net, s1, x.node("gmlc"), sri_lcs=False, psl_ac=("locationInfoRetrieval", 3))
        T.expect(f, "attack-tool-fingerprint", "recon", "PSL under locationInfoRetrievalContext")
        T.expect(f, "ac-opcode-mismatch", "anomaly", "PSL under locationInfoRetrievalContext")
        T.expect(f, "cat1-external", "location-tracking", "PSL under locationInfoRetrievalContext")
        d = _D(T, h.node("msc", 1), hlr_of(s2), 22, s2, called_gt=s2.msisdn)
        f = d.request(22, map_sri(s2.msisdn, h.node("msc", 1).gt, SS7MAPER_CALLREF))
        d.end_b([return_error(1, 27, b"")], [22], {"dir": "err"}, dt=0.02)
        T.expect(f, "attack-tool-fingerprint", "recon", "ss7MAPer callReferenceNumber from inside")
    else:
        flow_mt_call(net, s0, h.node("msc", 1), info=T.lab)
        flow_lcs(net, s1, h.node("gmlc"), info=T.lab)
    T.background(6)


# --- camel-foreign-gsmscf ------------------------------------------------------------------------

def atk_camel_gsmscf(T, near):
    net, h, x = T.net, T.h, T.x
    T.attach()
    T.background(6)
    s0, s1, s2 = T.H[:3]
    gmsc = h.node("msc", 0)

    def mt_call(sub, lab, **csi):
        d = _D(T, gmsc, hlr_of(sub), 22, sub, called_gt=sub.msisdn, info=lab)
        d.request(22, map_sri(sub.msisdn, gmsc.gt, T.rng.randbytes(8)))
        return d.respond(22, map_sri_res_camel(sub.imsi, msc_of(sub.vlr).gt, **csi), dt=0.02)

    if not near:
        f = mt_call(s0, {"attack": "camel-o-csi-882"}, o_scf=x.node("gsmscf").gt)
        T.expect(f, "camel-foreign-gsmscf", "interception", "our HLR's O-CSI for a home subscriber names a +882 gsmSCF")
        T.background(3)
        f = mt_call(s1, {"attack": "camel-t-csi-gb"}, t_scf=home_gsmscf(net), o_scf=T.p["gb"].node("msc").gt)
        T.expect(f, "camel-foreign-gsmscf", "interception", "T-CSI ours, O-CSI a GB node")
    else:
        mt_call(s0, T.lab, o_scf=home_gsmscf(net))
        mt_call(s1, T.lab, t_scf=home_gsmscf(net), o_scf=home_gsmscf(net))
        mt_call(s2, T.lab)
    T.background(6)


ATTACKS = [
    ("cat1-external", atk_cat1_external), ("anomaly-begin-without-ac", atk_no_ac),
    ("anomaly-global-opcode", atk_global_opcode), ("anomaly-malformed", atk_malformed),
    ("ac-opcode-mismatch", atk_ac_mismatch), ("cat2-home-imsi-external", atk_cat2_home),
    ("cat2-foreign-imsi-wrong-origin", atk_cat2_foreign), ("rogue-location-update", atk_rogue_ul),
    ("cat3-not-serving-node", atk_cat3), ("call-forwarding-hijack", atk_cf_hijack),
    ("isd-not-from-home-hlr", atk_isd), ("sri-sm-without-delivery", atk_sri_sm_no_delivery),
    ("sri-sm-not-from-smsc", atk_sri_sm_not_smsc), ("locate-after-identify", atk_circles),
    ("psi-not-from-home-hlr", atk_psi), ("ati-external", atk_ati), ("auth-vector-harvesting", atk_sai),
    ("scan", atk_scan), ("identity-rotation", atk_rotation), ("gt-transport-mismatch", atk_transport_fix),
    ("cancel-purge-dos", atk_cancel_purge), ("silent-sms-or-sim-ota", atk_silent_sms),
    ("mt-forward-sm-without-sri-sm", atk_mtfsm), ("attack-tool-fingerprint", atk_tool),
    ("camel-foreign-gsmscf", atk_camel_gsmscf),
]


def gen_attacks(outdir, seed=1, only=None):
    import os
    os.makedirs(outdir, exist_ok=True)
    for k, (rule, fn) in enumerate(ATTACKS):
        if only and rule not in only:
            continue
        for near in (False, True):
            base = os.path.join(outdir, rule + (".near-miss" if near else ""))
            T = AttackTrace(base + ".pcap", seed=seed * 1000 + 2 * k + near)
            fn(T, near)
            T.close(None if near else os.path.join(outdir, rule + ".labels.jsonl"))
            sys.stderr.write("%s: %d frames, %d expected alerts\n" % (base + ".pcap", T.out.frames, len(T.exp)))


# =============================================================================================
# CLI
# =============================================================================================

def main(argv=None):
    ap = argparse.ArgumentParser(prog="ss7gen.py", description=__doc__.split("\n\n")[0])
    ap.add_argument("cmd", choices=["ops", "edge", "demo", "bench", "scenario", "attacks"])
    ap.add_argument("-o", "--output", default=None, help="pcap file (default <cmd>.pcap, - for stdout)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--labels", default=None, help="write JSON-lines ground truth here")
    ap.add_argument("-n", type=int, default=1000000, help="bench: number of messages (frames)")
    ap.add_argument("--no-crc", action="store_true", help="leave SCTP checksums zero (faster)")
    ap.add_argument("--benign", type=int, default=60, help="demo: number of benign flows")
    ap.add_argument("--rate", type=float, default=12.0,
                    help="scenario: mean messages per second of capture time (default 12: 1M "
                         "messages span about a day)")
    ap.add_argument("--home-subs", type=int, default=20000, help="scenario: home subscribers")
    ap.add_argument("--roamers", type=int, default=3000, help="scenario: visiting subscribers")
    ap.add_argument("--dir", default=None, help="attacks: output directory (default tests/detect/traces)")
    a = ap.parse_args(argv)
    if a.cmd == "attacks":
        import os
        d = a.dir or os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "detect", "traces"))
        gen_attacks(d, a.seed)
        return 0
    path = a.output or "%s.pcap" % a.cmd
    out = PcapWriter(path)
    labels = open(a.labels, "w") if a.labels else None
    t0 = time.time()
    if a.cmd == "scenario":
        sc = Scenario(out, a.n, seed=a.seed, rate=a.rate, labels=labels, crc=not a.no_crc,
                      n_home=a.home_subs, n_roamers=a.roamers)
        st = sc.run()
        dt = time.time() - t0
        sys.stderr.write("ss7gen scenario: %d frames in %.1f s of capture time, %d templates, "
                         "%d trips, %d subscribers abroad at the end, generated in %.1f s\n"
                         % (st["frames"], st["duration_s"], st["templates"], st["flows"].get("trips", 0),
                            st["abroad"], dt))
    elif a.cmd == "bench":
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
