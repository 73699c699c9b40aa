"""Subcommand campaign: one trace of an attack campaign as a CERT sees it - the single attacks
of the per-rule traces one after the other, and the bursts that flood an analyst: an SRI-for-SM
scan of 150 subscribers, one subscriber located every 30 s for ten minutes, authentication
vectors harvested for 40 subscribers, and the same origin locating several subscribers (which
must stay apart). Labels: one line per (attack, rule) that an alert line must name, with
frame_min/frame_max for a burst (any alert of the rule on a frame of the burst finds it)."""

import sys

from .attacks import (
    AttackTrace, _D, atk_ati, atk_cancel_purge, atk_cf_hijack, atk_circles, atk_isd, atk_psi,
    atk_rogue_ul, atk_silent_sms, atk_tool)
from .flows import Sub, flow_ati, flow_sai, hlr_of, msc_of
from .gsm_map import map_sri_sm, map_sri_sm_res

# quiet time between the parts: longer than the example config's threshold windows (600 s),
# so that each part is judged on its own, as a CERT replaying a day of captures would see it
PAUSE_S = 700


def burst_sri_sm(T, n):
    """One +882 SMSC GT asks SRI-for-SM for n subscribers in about 100 s; nothing is delivered."""
    h, sm = T.h, T.x.node("smsc")
    subs = [Sub(h, 4000 + i, h.node("vlr", i % 3), T.rng, h.cells[i % len(h.cells)]) for i in range(n)]
    first = last = None
    for s in subs:
        d = _D(T, sm, hlr_of(s), 45, s, called_gt=s.msisdn, info={"attack": "sri-sm-scan"})
        last = d.request(45, map_sri_sm(s.msisdn, sm.gt), dt=100.0 / n)
        first = first or last
        d.respond(45, map_sri_sm_res(s.imsi, msc_of(s.vlr).gt), dt=0.01)
    name = "SRI-for-SM scan of %d subscribers from one +882 GT" % n
    T.expect(first, "scan", "recon", name, frame_min=first, frame_max=last)
    T.expect(first, "sri-sm-not-from-smsc", "recon", name, frame_min=first, frame_max=last)


def burst_ati_tracking(T, s, n, every_s):
    """One subscriber located n times, every every_s seconds, by the same +882 gsmSCF."""
    scf, first, last = T.x.node("gsmscf"), None, None
    for _ in range(n):
        last = T.mark()
        flow_ati(T.net, s, scf, current=True, info={"attack": "ati-tracking"})
        first = first or last
        T.gap(every_s)
    T.expect(first, "ati-external", "location-tracking",
             "one subscriber located every %d s for %d min" % (every_s, n * every_s // 60),
             frame_min=first, frame_max=last)


def ati_several(T, subs):
    """The same +882 gsmSCF locates several subscribers once each: one attack per victim."""
    scf = T.x.node("gsmscf")
    for k, s in enumerate(subs):
        f = T.mark()
        flow_ati(T.net, s, scf, current=True, imei=True, info={"attack": "ati-victim-%d" % k})
        T.expect(f, "ati-external", "location-tracking", "ATI victim %d of the same +882 gsmSCF" % k)
        T.gap(20)


def burst_sai(T, n):
    """An unknown +882 VLR harvests authentication vectors for n subscribers in about a minute."""
    h, vlr, first, last = T.h, T.x.node("vlr"), None, None
    subs = [Sub(h, 4500 + i, h.node("vlr", i % 3), T.rng, h.cells[i % len(h.cells)]) for i in range(n)]
    for s in subs:
        last = T.mark()
        flow_sai(T.net, s, vlr, nvec=3, info={"attack": "sai-harvest"})
        first = first or last
        T.gap(60.0 / n)
    T.expect(first, "auth-vector-harvesting", "fraud", "vectors for %d subscribers from one +882 VLR" % n,
             frame_min=first, frame_max=last)


def gen_campaign(path, labels_path, seed=1):
    T = AttackTrace(path, seed=seed)
    T.attach()
    T.background(10)
    parts = [
        lambda: burst_sri_sm(T, 150),
        lambda: burst_ati_tracking(T, T.H[95], 20, 30),
        lambda: ati_several(T, T.H[60:65]),
        lambda: burst_sai(T, 40),
        lambda: atk_cf_hijack(T, False),
        lambda: atk_cancel_purge(T, False),
        lambda: atk_circles(T, False),
        lambda: atk_psi(T, False),
        lambda: atk_ati(T, False),
        lambda: atk_isd(T, False),
        lambda: atk_silent_sms(T, False),
        lambda: atk_tool(T, False),
        # last: the registrations of the other parts would move its victims back
        lambda: atk_rogue_ul(T, False),
    ]
    for part in parts:
        part()
        T.gap(PAUSE_S)
        T.background(4)
    # across parts: the tool's PSL locates a subscriber the same +882 origin identified in an
    # earlier part (within the chain's hour), which the per-rule traces cannot show
    for e in list(T.exp):
        if e["attack"] == "PSL under locationInfoRetrievalContext" and e["rule"] == "attack-tool-fingerprint":
            T.expect(e["frame"], "locate-after-identify", "location-tracking", e["attack"])
    T.close(labels_path)
    attacks = len(set(e["attack"] for e in T.exp))
    sys.stderr.write("%s: %d frames, %d attacks, %d expected (attack, rule) pairs\n"
                     % (path, T.out.frames, attacks, len(T.exp)))
