"""The interconnect behaviours the first scenario mix left out (issue 9), as planner flows of
`scenario`: MAP v1/v2 SMSCs, SMS hubs with GT pools and A2P bursts, failed deliveries with the
message-waiting procedures, SMSCs retrying from cached routing, several SMSCs per subscriber,
subscribers who switch off and fly, moves inside a partner network and across a border,
visitors' GPRS registrations, subscription changes from our HLR.

These flows are modelled on the specifications and on how networks behave (see flows_sms.py
and flows_mobility.py for the clauses), not on what a detector expects: unlike the first mix's
planner they do not keep under the thresholds of doc/rules.md. A hub's A2P burst asks about
as many subscribers as the campaign has; a subscriber gets messages from as many SMSCs as
write to it; a flight takes as long as the flight takes, whatever the HLR said meanwhile.
What stays: one flow per subscriber at a time, the population's positions, and physics (a
subscriber reaches a far country only after the flight).
"""

from .model import POSITIONS
from .flows_sms import (
    DIAG_NO_PAGING, deliver, flow_sms_absent_alert, flow_sms_cached_retry, flow_sms_mo_v,
    flow_sms_multi, flow_sms_mt_v, report_sm_delivery_status, sri_sm, tpdu_deliver, OTP_TEXTS)
from .flows_mobility import (
    flow_border, flow_partner_vlr_move, flow_subscription_change, flow_switch_off_fly,
    flow_visitor_gprs)

HUB_POOL = 4                     # GTs of the SMS hub's pool (model.py, smshub-nl in the config)
LMSI = b"\x0a\x1b\x2c\x3d"        # the LMSI our VLRs hand out (in the HLR's SRI-for-SM answer)
# The MAP version each partner SMSC relays in (one per SMSC, as a real SMSC has it): most
# still speak v2, some v3, an old one v1 only; the hub's pool v3 and v2
SMSC_VERSION = {("fr", 0): 2, ("fr", 1): 3, ("gb", 0): 2, ("gb", 1): 1, ("es", 0): 2, ("us", 0): 3,
                ("ch", 0): 2, ("tr", 0): 2, ("home", 0): 3,
                ("hub", 0): 3, ("hub", 1): 3, ("hub", 2): 2, ("hub", 3): 3}
# the SMSCs other than ours that a subscriber's failed deliveries come from (one of each version)
ABSENT_OTHERS = (("hub", 0), ("fr", 0), ("gb", 1), ("us", 0))
POPULAR_SMSCS = (("home", 0), ("hub", 1), ("fr", 0), ("gb", 0), ("es", 0), ("ch", 0), ("tr", 0))
NEIGHBOURS = (("home", "ch"), ("es", "fr"), ("fr", "ch"), ("home", "fr"))


def _n(net, ref, role):
    return net.by_id[ref[0]].node(role, ref[1])


def realism_flow(net, key, s):
    """Build the template of a realism flow key for the sentinel subscriber s (frames to net).
    Returns False when the key is not one of these flows."""
    kind = key[0]
    lab = {"label": "benign", "flow": kind}
    if kind == "smsv":        # (.., sri_ref, dlv_ref, version, lmsi, sri_only)
        sri, dlv, v = _n(net, key[4], "smsc"), _n(net, key[5], "smsc"), key[6]
        if key[8]:
            sri_sm(net, s, sri, v, info=lab, lmsi=LMSI if key[7] else None)
        else:
            flow_sms_mt_v(net, s, sri, dlv, v, lmsi=LMSI if key[7] else None, info=lab)
    elif kind == "a2p":       # (.., sri_ref, dlv_ref, version, text, absent)
        sri, dlv, v = _n(net, key[4], "smsc"), _n(net, key[5], "smsc"), key[6]
        sri_sm(net, s, sri, v, info=lab)
        tp = tpdu_deliver(net, s, sender="3197010", text=OTP_TEXTS[key[7] % len(OTP_TEXTS)])
        deliver(net, s, dlv, v, tpdu=tp, absent=DIAG_NO_PAGING if key[8] else None, info=lab, dt=0.03)
        if key[8]:
            report_sm_delivery_status(net, s, dlv, v, 1, DIAG_NO_PAGING, info=lab, dt=0.05)
    elif kind == "smsmulti":  # (.., ((sri_ref, dlv_ref, version), ...))
        flow_sms_multi(net, s, [(_n(net, a, "smsc"), _n(net, b, "smsc"), v) for a, b, v in key[4]], info=lab)
    elif kind == "smspop":    # (.., ((smsc_ref, version), ...)): a popular subscriber
        for k, (r, v) in enumerate(key[4]):
            if k:
                net.t += 50.0 + net.rng.random() * 70.0
            sc = _n(net, r, "smsc")
            flow_sms_mt_v(net, s, sc, sc, v, info=lab)
    elif kind == "smsabsent":  # (.., smsc_refs, versions, mode, gap)
        flow_sms_absent_alert(net, s, [_n(net, r, "smsc") for r in key[4]], list(key[5]), key[6], key[7],
                              info=lab)
    elif kind == "smscache":  # (.., first_ref, v_first, other_ref, v_other)
        flow_sms_cached_retry(net, s, _n(net, key[4], "smsc"), _n(net, key[6], "smsc"), key[5], key[7],
                              info=lab)
    elif kind == "mov":       # visitor's MO short message to its home SMSC: (.., version, smsc idx)
        flow_sms_mo_v(net, s, key[4], smsc=s.net.node("smsc", key[5]), info=lab)
    elif kind == "r_smsv":    # visitor's home SMSC delivering straight to our MSC: (.., version, smsc idx)
        deliver(net, s, s.net.node("smsc", key[5]), key[4], info=lab)
    elif kind == "fly":       # (.., new_vlr_ref, old_sgsn, new_sgsn, partner_smsc_ref, gmsc_idx, flight_s, n)
        h = net.home
        flow_switch_off_fly(net, s, _n(net, key[4], "vlr"), h.node("smsc"),
                            _n(net, key[7], "smsc") if key[7] else None, h.node("msc", key[8]), key[9],
                            key[10], _n(net, key[6], "sgsn") if key[6] else None,
                            _n(net, key[5], "sgsn") if key[5] else None, info=lab)
    elif kind == "border":    # (.., other_vlr_ref, flips)
        flow_border(net, s, s.vlr, _n(net, key[4], "vlr"), key[5], info=lab)
    elif kind == "pmove":     # (.., new_vlr_ref)
        flow_partner_vlr_move(net, s, _n(net, key[4], "vlr"), info=lab)
    elif kind == "subchange":  # (.., isd|dsd)
        flow_subscription_change(net, s, key[4], info=lab)
    elif kind == "r_gprs":    # (.., attach)
        flow_visitor_gprs(net, s, net.home.node("sgsn"), key[4], info=lab)
    elif kind == "mo_home":   # home subscriber's MO SMS at a partner MSC, v2: (.., version)
        flow_sms_mo_v(net, s, key[4], smsc=net.home.node("smsc"), info=lab)
    else:
        return False
    return True


def flight_s(rng, a, b):
    """Door to door: the flight at a realistic 800 km/h plus airports."""
    from .scenario import haversine_km
    ca, cb = POSITIONS[a], POSITIONS[b]
    km = haversine_km(ca[1:], cb[1:]) if ca[0] != cb[0] else 300.0
    s = km / 800.0 * 3600.0 + 5400.0 + rng.random() * 5400.0
    return 1800.0 * int(s / 1800.0 + 1)        # in half hours: a bounded number of templates


class RealismMixin:
    """Planner flows of the realistic mix; self is a Scenario."""

    def realism_init(self):
        self.r_sgsn = [False] * self.R

    def realism_flows(self):
        return [
            (7.0, self.f_sms_partner_v), (4.0, self.f_sms_hub_pool), (0.03, self.f_a2p_burst),
            (1.5, self.f_sms_multi), (0.15, self.f_sms_popular), (2.0, self.f_sms_absent),
            (0.8, self.f_sms_cached),
            (1.5, self.f_r_mo_v), (1.2, self.f_r_sms_v), (0.6, self.f_mo_abroad_v),
            (0.35, self.f_fly), (0.5, self.f_partner_move), (0.3, self.f_border),
            (0.4, self.f_subchange), (0.8, self.f_r_gprs),
        ]

    def _partner_smsc(self):
        p = self.rng.choice(self.partners)
        ref = (p, self.rng.randrange(len(self.model.by_id[p].nodes["smsc"])))
        return ref, SMSC_VERSION[ref]

    def _hkey(self, kind, i, *rest):
        return (kind, "home", self.h_ids[i][4], self.loc[i]) + rest

    def f_sms_partner_v(self, t):
        """A partner SMSC (or the second SMSC of a partner's pool) in its MAP version; to a
        subscriber abroad only the SRI-for-SM crosses our network."""
        i = self.pick_home(t)
        if i is None:
            return None
        rng = self.rng
        ref, v = self._partner_smsc()
        lmsi = v >= 2 and rng.random() < 0.25
        return self._hkey("smsv", i, ref, ref, v, lmsi, self.loc[i][0] != "home"), ("h", i)

    def f_sms_hub_pool(self, t):
        """The hub asks with one GT of its pool and delivers with another."""
        i = self.pick_home(t, lambda i: self.loc[i][0] == "home")
        if i is None:
            return None
        rng = self.rng
        a = rng.randrange(HUB_POOL)
        b = (a + 1) % HUB_POOL if rng.random() < 0.7 else a
        return self._hkey("smsv", i, ("hub", a), ("hub", b), SMSC_VERSION[("hub", a)], False, False), ("h", i)

    def f_a2p_burst(self, t):
        """An A2P campaign (bank codes, delivery notices) through the hub: 40-160 subscribers
        within one or two minutes, each asked for and delivered, from the hub's pool."""
        rng = self.rng
        n = 40 + rng.randrange(121)
        span = 45.0 + rng.random() * 75.0
        text = rng.randrange(2)
        # half the campaigns leave through one GT of the pool, the others spread over it
        one = rng.randrange(HUB_POOL) if rng.random() < 0.5 else None
        out, seen = [], set()
        for _ in range(n * 2):
            if len(out) >= n:
                break
            i = self.pick_home(t, lambda i: self.loc[i][0] == "home" and i not in seen, tries=3)
            if i is None:
                continue
            seen.add(i)
            a = one if one is not None else rng.randrange(HUB_POOL)
            b = a if one is not None or rng.random() < 0.5 else (a + 1) % HUB_POOL
            key = self._hkey("a2p", i, ("hub", a), ("hub", b), SMSC_VERSION[("hub", a)], text, rng.random() < 0.07)
            out.append((key, ("h", i), rng.random() * span))
        self.stats["a2p_messages"] = self.stats.get("a2p_messages", 0) + len(out)
        return out or None

    def f_sms_multi(self, t):
        """Two or three SMSCs deliver to one subscriber at the same time."""
        i = self.pick_home(t, lambda i: self.loc[i][0] == "home")
        if i is None:
            return None
        rng = self.rng
        ref = rng.choice(ABSENT_OTHERS[1:])
        cands = [(("home", 0), ("home", 0), 3), (("hub", 0), ("hub", 1), 3), (ref, ref, SMSC_VERSION[ref])]
        drop = rng.randrange(3) if rng.random() >= 0.35 else None
        senders = tuple(c for k, c in enumerate(cands) if k != drop)
        return self._hkey("smsmulti", i, senders), ("h", i)

    def f_sms_popular(self, t):
        """A popular subscriber (a business line, a group organiser): short messages from
        four to six known SMSCs - ours, the hub's, partners' - within ten minutes."""
        i = self.pick_home(t, lambda i: self.loc[i][0] == "home")
        if i is None:
            return None
        rng = self.rng
        refs = list(POPULAR_SMSCS)
        rng.shuffle(refs)
        refs = refs[:4 + rng.randrange(3)]
        return self._hkey("smspop", i, tuple((r, SMSC_VERSION[r]) for r in refs)), ("h", i)

    def f_sms_absent(self, t):
        """Failed deliveries, reportSM-DeliveryStatus / informServiceCentre, then readyForSM
        and alertServiceCentre to every SMSC waiting, and their deliveries."""
        i = self.pick_home(t, lambda i: self.loc[i][0] == "home")
        if i is None:
            return None
        rng = self.rng
        x = rng.random()
        if x < 0.35:
            refs = [("home", 0)]
        elif x < 0.85:
            refs = [("home", 0), rng.choice(ABSENT_OTHERS)]
            if rng.random() < 0.5:
                refs.reverse()
        else:
            refs = [("fr", 0), ("home", 0), ("hub", 0)]
        vers = [SMSC_VERSION[r] for r in refs]
        mode, gap = rng.choice((("mt", 300.0), ("sri", 1800.0)))
        return self._hkey("smsabsent", i, tuple(refs), tuple(vers), mode, gap), ("h", i)

    def f_sms_cached(self, t):
        i = self.pick_home(t, lambda i: self.loc[i][0] == "home")
        if i is None:
            return None
        rng = self.rng
        ref, v = self._partner_smsc()
        other = ("home", 0) if rng.random() < 0.5 else ("hub", 0)
        return self._hkey("smscache", i, ref, v, other, 3), ("h", i)

    def _home_smsc_of(self, j):
        """One SMSC of visitor j's home network and the MAP version it relays in."""
        p = self.r_net[j]
        k = self.rng.randrange(len(self.model.by_id[p].nodes["smsc"]))
        return k, SMSC_VERSION[(p, k)]

    def f_r_mo_v(self, t):
        """A visitor's short message from our MSC to its home SMSC, in that SMSC's version."""
        j = self.pick_roamer(t)
        if j is None:
            return None
        k, v = self._home_smsc_of(j)
        return ("mov", self.r_net[j], 0, self.r_vlr[j], v, k), ("r", j)

    def f_r_sms_v(self, t):
        """A visitor's home SMSC delivers to it at our MSC (its own HLR answered inside its
        network: no SRI-for-SM crosses ours)."""
        j = self.pick_roamer(t)
        if j is None:
            return None
        k, v = self._home_smsc_of(j)
        return ("r_smsv", self.r_net[j], 0, self.r_vlr[j], v, k), ("r", j)

    def f_mo_abroad_v(self, t):
        """Our subscriber abroad sends a short message: the visited MSC relays it in v2 to
        our SMSC."""
        i = self.pick_home(t, lambda i: self.loc[i][0] != "home")
        if i is None:
            return None
        return self._hkey("mo_home", i, 2), ("h", i)

    def f_fly(self, t):
        """Switch off, fly, land far away (see flow_switch_off_fly)."""
        rng = self.rng
        i = self.pick_home(t, lambda i: self.loc[i][0] in ("home", "fr", "gb", "es"))
        if i is None:
            return None
        cur = self.loc[i][0]
        dest = rng.choice(("us", "tr")) if cur != "home" or rng.random() < 0.7 else "home"
        if dest == cur:
            dest = "us"
        nv = (dest, rng.randrange(self.vlrs[dest]))
        fs = flight_s(rng, cur, dest)
        os_ = self.sgsn[i]
        ns = (dest, 0) if os_ is not None else None
        p = rng.choice(("fr", "gb")) if rng.random() < 0.6 else None
        key = self._hkey("fly", i, nv, os_, ns, (p, 0) if p else None, 0, fs, 3)
        self._moved(i, nv, ns, t + fs)
        return key, ("h", i)

    def _moved(self, i, nv, ns, when):
        self.loc[i] = nv
        if ns is not None:
            self.sgsn[i] = ns
        self.trk_vlr[i], self.trk_since[i] = nv, when
        if nv[0] == "home":
            self.abroad.discard(i)
        else:
            self.abroad.add(i)

    def f_partner_move(self, t):
        i = self.pick_home(t, lambda i: self.loc[i][0] == "fr")
        if i is None:
            return None
        old = self.loc[i]
        nv = (old[0], (old[1] + 1) % self.vlrs[old[0]])
        key = self._hkey("pmove", i, nv)
        self._moved(i, nv, None, t)
        return key, ("h", i)

    def f_border(self, t):
        rng = self.rng
        a, b = rng.choice(NEIGHBOURS)
        if rng.random() < 0.5:
            a, b = b, a
        i = self.pick_home(t, lambda i: self.loc[i][0] == a)
        if i is None:
            return None
        flips = 1 + rng.randrange(3)
        other = (b, rng.randrange(self.vlrs[b]))
        key = self._hkey("border", i, other, flips)
        if flips % 2:
            self._moved(i, other, None, t)
        return key, ("h", i)

    def f_subchange(self, t):
        i = self.pick_home(t)
        if i is None:
            return None
        return self._hkey("subchange", i, "isd" if self.rng.random() < 0.6 else "dsd"), ("h", i)

    def f_r_gprs(self, t):
        j = self.pick_roamer(t)
        if j is None:
            return None
        att = not self.r_sgsn[j]
        self.r_sgsn[j] = att
        return ("r_gprs", self.r_net[j], 0, self.r_vlr[j], att), ("r", j)

