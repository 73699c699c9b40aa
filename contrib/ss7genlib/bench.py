"""Subcommand bench: fast template-based bulk traffic."""

import random
import struct
import sys
import time

from .ident import tbcd
from .transport import CrcPatcher
from .net import Net
from .flows import (
    Sub, flow_location_update, flow_mt_call, flow_psi_home, flow_sai, flow_sms_mo, flow_sms_mt,
    flow_ussd, sub_numbers)
from .templates import ListSink, frame_patcher, record_routes, template_frame


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
        sub = fn(net)      # the subscriber used; frames appended to sink
        rec = [template_frame(self.cp, fr, net._bench_routes[fi], labs.frames[fi], sub, SENT_TIDS,
                              SENT_LREFS) for fi, fr in enumerate(sink.frames)]
        t = (rec, sub.net.kind, sub.net.id)
        self.cache[key] = t
        return t


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
            record_routes(net)
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
    tsn, ipid = {}, {}
    for k in [k for k in model_net.assocs if k not in {o.id for o in model_net.others}]:
        for d in ("in", "out"):
            tsn[(k, d)] = rng.getrandbits(31)
            ipid[(k, d)] = rng.getrandbits(16)
    patch = frame_patcher(bt.cp, crc, tsn, ipid)
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
        frame = patch(fr, ak, d, stream, ip_sum, base_crc, crcpos, vals)
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
