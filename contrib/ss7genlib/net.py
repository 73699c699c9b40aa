"""Transport state: associations between each network's gateway and the home STP (Assoc), the
frame writer with its TSNs, sequence numbers, TIDs, clock and labels (Net) and the TCAP
dialogue (Dialogue).
"""

import json
import random

from .model import NETWORK, Network, load_model
from .gsm_map import OPS, OP_AC, map_acn
from .tcap import (
    aare, aarq, abrt, dialogue_portion, invoke, result_last, tcap_abort, tcap_begin, tcap_continue,
    tcap_end)
from .sccp import SCCP_MAX_UDT, SCCP_SEGMENT, sccp_addr, sccp_udt, sccp_xudt, sccp_xudt_segments
from .m3ua import m3ua_data
from .transport import ether, ip4, ip6_of, ipv4, ipv6, mac, sctp_data_chunk, sctp_packet


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
