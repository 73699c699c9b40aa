"""Subcommand scenario: realistic benign traffic from the network model (template patching)."""

import random
import struct

from .model import POSITIONS
from .ident import luhn, tbcd
from .transport import CrcPatcher
from .net import Net
from .flows import (
    FTN_HOME, SMS_TEXTS, Sub, USSD_CODES, cell_of, flow_ati, flow_attach, flow_cancel,
    flow_check_imei, flow_dsd, flow_isd, flow_lcs, flow_mt_call, flow_prn, flow_psi, flow_purge,
    flow_sai, flow_sms_direct, flow_sms_mo, flow_sms_mt, flow_ss, flow_ugl, flow_ussd, hlr_index,
    home_gsmscf, sub_numbers)
from .templates import ListSink, frame_patcher, record_routes, template_frame
from .scenario_realism import RealismMixin, realism_flow


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
# long flows (a failed delivery and its alert, a flight) open dozens of dialogues: more
# sentinels, patched only in the templates that use them
SCN_TIDS_ALL = SCN_TIDS + [(((k + 11) * 0x9E3779B9) ^ 0x5A5A5A5A) & 0xFFFFFFFF for k in range(118)]
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
    elif not realism_flow(net, key, s):
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
        tidq = list(SCN_TIDS_ALL)
        net.new_tid = lambda: tidq.pop(0)
        lrq = list(SCN_LREFS)
        net.new_lref = lambda: lrq.pop(0)
        record_routes(net)
        sub = scenario_flow(net, key)
        t0 = sink.times[0]
        tids = SCN_TIDS_ALL[:max(len(SCN_TIDS), len(SCN_TIDS_ALL) - len(tidq))]
        # each frame record: template_frame()'s, then the time from the flow's start; and the
        # number of TIDs an instance draws
        return [template_frame(self.cp, fr, net._bench_routes[fi], labs[fi], sub, tids, SCN_LREFS)
                + (sink.times[fi] - t0,) for fi, fr in enumerate(sink.frames)], len(tids)


class Scenario(RealismMixin):
    """Population model + flow planner + frame writer (see the comment above SCN_TIDS; the
    realistic mix adds the flows of scenario_realism.py)."""

    OUT_DEST = {"fr": 3.0, "gb": 2.0, "es": 2.0, "ch": 1.5, "tr": 1.0, "us": 1.0}

    def __init__(self, out, n, seed=1, rate=12.0, labels=None, crc=True, n_home=20000,
                 n_roamers=3000, abroad=0.04, t0=1710234000.0, via_ipx=("us", "tr"), mix="realistic"):
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
        if mix == "realistic":
            self.realism_init()
            self.flows += self.realism_flows()
        elif mix != "classic":
            raise ValueError("unknown scenario mix %r" % mix)
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
        f = self.out.f
        pack_hdr = struct.Struct("<IIII").pack
        pack_i = struct.Struct(">I").pack
        getrandbits = rng.getrandbits
        tsn, ipid = {}, {}
        for k in self.model.assocs:
            for d in ("in", "out"):
                tsn[(k, d)] = rng.getrandbits(31)
                ipid[(k, d)] = rng.getrandbits(16)
        patch = frame_patcher(self.tpl.cp, self.crc, tsn, ipid)
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
                fr, ak, d, stream, ip_sum, base_crc, crcpos, labrest, rel = frames[i]
                frame = patch(fr, ak, d, stream, ip_sum, base_crc, crcpos, vals)
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
                    heapq.heappush(heap, (start + frames[i][8], seq_, inst))
            if planned >= n:
                break
            t = t_next
            t_next += rng.expovariate(self.rate / avg)
            r = self.plan(t)
            if r is None:
                continue
            # one flow (key, who) or a burst of them [(key, who, delay)]
            for key, who, delay in ([r + (0.0,)] if isinstance(r, tuple) else r):
                ts = t + delay
                frames, ntid = self.tpl.get(key)
                dur = frames[-1][8]
                if who is None:
                    ids, sublab = (b"", b"", "", "", 0), ""
                elif who[0] == "h":
                    i = who[1]
                    ids = self.h_ids[i]
                    self.busy[i] = ts + dur + 2.0
                    self.last[i] = ts + dur
                else:
                    j = who[1]
                    ids = self.r_ids[j]
                    self.r_busy[j] = ts + dur + 2.0
                if who is not None:
                    sublab = '"imsi": "%s", "msisdn": "%s", ' % (ids[2], ids[3])
                vals = [pack_i(getrandbits(32)) for _ in range(ntid)] + [ids[0], ids[1]] + \
                    [pack_i(getrandbits(24))[1:] for _ in range(3)]
                seq_ += 1
                heapq.heappush(heap, (ts, seq_, [frames, 0, vals, ts, sublab]))
                planned += len(frames)
                avg += (len(frames) - avg) * 0.01
        f.write(b"".join(buf))
        self.out.frames = written
        return {"frames": written, "templates": len(self.tpl.cache), "duration_s": t_next - self.t0,
                "flows": dict(sorted(self.stats.items())), "abroad": len(self.abroad)}
