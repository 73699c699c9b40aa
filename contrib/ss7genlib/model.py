"""The network model: home PLMN, roaming partners, non-partner origins and node roles (one
place; a scenario only needs Net, these look-ups and the map_* encoders).
"""


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
                   "msc": ["33609000211", "33609000212"], "smsc": ["33609000401", "33609000402"],
                   "sgsn": ["33609000601"]}},
        {"id": "gb", "name": "Partner GB", "mcc": "234", "mnc": "15", "cc": "44",
         "gt_prefix": "4477", "msisdn_prefix": "447700", "msisdn_len": 12,
         "pc_gw": 0x1122, "ip": "10.44.0.1", "mac": "02:00:00:44:00:01",
         "nodes": {"hlr": ["447785000101"], "vlr": ["447785000201"],
                   "msc": ["447785000211"], "smsc": ["447785000401", "447785000402"],
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
         "nodes": {"smsc": ["31658990401", "31658990402", "31658990403", "31658990404"]}},
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
