"""Subcommand attacks, realism part (issue 9): one benign trace per interconnect behaviour of the
realistic scenario mix (tests/detect/traces/benign-*.pcap: no alert allowed) and one positive
trace per root cause of issue 9 (realism-*.pcap with its .labels.jsonl: every labelled alert
must be raised, nothing else). The GT-flood trace is 1.1 million frames: written only when
asked for by name (`attacks --only realism-scan-after-gt-flood`), as the test suite does.
"""

import struct
import sys

from .model import Node
from .ident import sms_deliver
from .gsm_map import map_sai_res_v3, map_sai_v3
from .ident import plmn_id
from .tcap import aarq, dialogue_portion, tcap_begin
from .gsm_map import map_acn
from .flows import (
    FTN_HOME, flow_attach, flow_cancel, flow_dsd, flow_isd, flow_location_update, flow_prn,
    flow_psi, flow_purge, flow_sms_mt, flow_ss, flow_ugl, flow_ussd, hlr_of)
from .flows_sms import (
    DIAG_NO_PAGING, SM_CAUSE_MEMORY_CAPACITY_EXCEEDED, deliver, flow_sms_absent_alert, flow_sms_cached_retry, flow_sms_mo_v,
    flow_sms_multi, flow_sms_mt_v, report_sm_delivery_status, sri_sm, tpdu_deliver)
from .flows_mobility import (
    flow_border, flow_partner_vlr_move, flow_subscription_change, flow_switch_off_fly,
    flow_visitor_gprs)
from .scenario_realism import LMSI, flight_s
from .templates import ListSink, frame_patcher, record_routes, template_frame
from .transport import CrcPatcher


# --- benign traces ----------------------------------------------------------------------------

def benign_v2_sms(T):
    """MAP v2 and v1 SMSCs: SRI-for-SM then forwardSM (46) under shortMsgMT-RelayContext-v2,
    with the IMSI or the LMSI (IMSI in the destinationReference) as SM-RP-DA; a v1 SMSC (no
    dialogue portion, shortMsgRelayContext-v1); visitors' short messages from our MSCs to
    their SMSCs as v2 / v1 forwardSM; our roamer's from the French MSC in v2; a partner's
    SMSC delivering in v2 to its own subscriber visiting us."""
    net, h, L = T.net, T.h, T.lab
    T.attach()
    T.background(6)
    fr0, fr1, gb1 = T.p["fr"].node("smsc", 0), T.p["fr"].node("smsc", 1), T.p["gb"].node("smsc", 1)
    flow_sms_mt_v(net, T.H[0], fr0, version=2, info=L)
    flow_sms_mt_v(net, T.H[1], fr0, version=2, lmsi=LMSI, info=L)
    flow_sms_mt_v(net, T.H[2], gb1, version=1, info=L)
    flow_sms_mt_v(net, T.H[3], T.p["es"].node("smsc"), version=2, info=L)
    flow_sms_mt_v(net, T.H[4], fr1, version=3, lmsi=LMSI, info=L)
    T.background(3)
    flow_sms_mo_v(net, T.V["fr"], 2, info=L)
    flow_sms_mo_v(net, T.V["gb"], 1, smsc=gb1, info=L)
    flow_sms_mo_v(net, T.V["ch"], 2, info=L)
    flow_sms_mo_v(net, T.A[0], 2, smsc=h.node("smsc"), info=L)           # roaming in France
    deliver(net, T.V["es"], T.p["es"].node("smsc"), 2, info=L)          # ES SMSC to its visitor
    deliver(net, T.V["gb"], gb1, 1, info=L)
    sri_sm(net, T.A[2], fr0, 2, info=L)          # roaming in Spain: only the SRI-for-SM crosses us
    T.background(6)


def benign_hub_pool(T):
    """The SMS hub asks with one GT of its pool and delivers with another."""
    net, L = T.net, T.lab
    T.attach()
    T.background(6)
    hub = T.o["hub"]
    for k, s in enumerate(T.H[:8]):
        flow_sms_mt_v(net, s, hub.node("smsc", k % 4), hub.node("smsc", (k + 1 + k // 4) % 4),
                      version=3 if k % 3 else 2, info=L)
        T.gap(20)
    T.background(6)


def benign_a2p_burst(T):
    """A2P campaigns through the hub: 70 subscribers within a minute from one GT of the pool,
    each asked for and delivered (a few absent, reported), then 120 within two minutes spread
    over the pool."""
    net, L = T.net, T.lab
    T.attach(subs=T.H[:90])
    T.background(4)
    hub = T.o["hub"]
    for burst, (subs, span, gts) in enumerate(((T.H[20:90], 55.0, (0,)), (T.H[:90], 110.0, (0, 1, 2, 3)))):
        t0 = net.t
        for k, s in enumerate(subs):
            net.t = t0 + span * k / len(subs)
            g = hub.node("smsc", gts[k % len(gts)])
            sri_sm(net, s, g, 3, info=L)
            tp = tpdu_deliver(net, s, sender="3197010", text="Your parcel arrives today 10-12")
            absent = DIAG_NO_PAGING if k % 17 == 5 else None
            deliver(net, s, g, 3, tpdu=tp, absent=absent, info=L, dt=0.03, rdt=0.4 if absent is None else 1.0)
            if absent is not None:
                report_sm_delivery_status(net, s, g, 3, 1, DIAG_NO_PAGING, info=L, dt=0.05)
        T.gap(600)
        T.background(4)


def benign_multi_smsc(T):
    """Several SMSCs deliver to one subscriber at the same time (a group message; a bank's code
    through the hub and a friend's text from France); a popular subscriber gets messages from
    six known SMSCs within eight minutes."""
    net, h, L = T.net, T.h, T.lab
    T.attach()
    T.background(6)
    hub, fr, gb, es, ch = T.o["hub"], T.p["fr"], T.p["gb"], T.p["es"], T.p["ch"]
    flow_sms_multi(net, T.H[0], [(h.node("smsc"), h.node("smsc"), 3), (hub.node("smsc", 0), hub.node("smsc", 1), 3),
                                 (fr.node("smsc"), fr.node("smsc"), 2)], info=L)
    T.gap(30)
    flow_sms_multi(net, T.H[1], [(hub.node("smsc", 2), hub.node("smsc", 2), 2), (gb.node("smsc"), gb.node("smsc"), 2)],
                   info=L)
    T.gap(30)
    for sc, v in ((fr.node("smsc", 1), 3), (hub.node("smsc", 3), 3), (gb.node("smsc"), 2),
                  (es.node("smsc"), 2), (ch.node("smsc"), 2), (h.node("smsc"), 3)):
        flow_sms_mt_v(net, T.H[2], sc, version=v, info=L)
        T.gap(60 + T.rng.random() * 30)
    T.background(6)


def benign_failed_delivery_retry(T):
    """absentSubscriberSM on the delivery (reportSM-DeliveryStatus) and on SRI-for-SM (MNRF set,
    informServiceCentre), readyForSM, alertServiceCentre to every waiting SMSC at once, their
    retries; an SMSC retrying from its cached routing after another SMSC asked."""
    net, h, L = T.net, T.h, T.lab
    T.attach()
    T.background(6)
    fr, gb, hub = T.p["fr"].node("smsc"), T.p["gb"].node("smsc", 1), T.o["hub"].node("smsc", 0)
    flow_sms_absent_alert(net, T.H[0], [h.node("smsc"), fr, gb], [3, 2, 1], "mt", 300.0, info=L)
    T.background(4)
    flow_sms_absent_alert(net, T.H[1], [fr, hub], [2, 3], "sri", 900.0, info=L)
    T.background(4)
    flow_sms_cached_retry(net, T.H[2], fr, hub, 2, 3, info=L)
    flow_sms_cached_retry(net, T.H[3], T.p["es"].node("smsc"), h.node("smsc"), 2, 3, retry=420.0, info=L)
    T.background(6)


def benign_switch_off_fly(T):
    """Phones switched off for a flight: messages and calls while the HLR still names the old
    VLR (answers 1-2 h before landing), then the registration far away."""
    net, h, L = T.net, T.h, T.lab
    T.attach()
    us, tr = T.p["us"], T.p["tr"]
    s = T.H[0]
    T.background(4)
    flow_switch_off_fly(net, s, us.node("vlr"), h.node("smsc"), T.p["fr"].node("smsc"), h.node("msc", 0),
                        flight_s(T.rng, "home", "us"), 3, info=L)
    T.background(4)
    # registered before the capture began: the first the monitor learns of where the phone is,
    # is the HLR's answer to an SRI-for-SM during the flight
    s = T.H[16]
    flow_switch_off_fly(net, s, us.node("vlr"), h.node("smsc"), None, h.node("msc", 1),
                        flight_s(T.rng, "home", "us"), 1, info=L)
    T.background(4)
    a = T.A[0]                                                     # roaming in France
    flow_switch_off_fly(net, a, tr.node("vlr"), h.node("smsc"), T.p["gb"].node("smsc"), h.node("msc", 1),
                        flight_s(T.rng, "fr", "tr"), 4, info=L)
    T.background(4)
    back = T.H[1]                                                  # flies home from the US
    flow_attach(net, back, us.node("vlr"), back.vlr, True, info=L)
    T.gap(3 * 86400)
    flow_switch_off_fly(net, back, h.node("vlr", 2), h.node("smsc"), None, h.node("msc", 2),
                        flight_s(T.rng, "us", "home"), 3, info=L)
    T.background(4)
    # a delivery the phone did not answer (absentSubscriberSM) proves nothing: registered in
    # the US three minutes later, measured from its registration at home days before
    s = T.H[5]
    deliver(net, s, h.node("smsc"), 3, absent=DIAG_NO_PAGING, info=L)
    T.gap(180)
    flow_location_update(net, s, us.node("vlr"), s.vlr, info=L)
    T.background(6)


def benign_neighbour_move(T):
    """Border areas: Irun/Hendaye (ES-FR) and Basel (DE-CH) within minutes; moves between the
    French partner's VLRs."""
    net, h, L = T.net, T.h, T.lab
    T.attach()
    T.background(6)
    flow_border(net, T.A[2], T.A[2].vlr, T.p["fr"].node("vlr", 1), flips=3, info=L)       # ES <-> FR
    flow_border(net, T.H[0], T.H[0].vlr, T.p["ch"].node("vlr"), flips=2, info=L)          # DE <-> CH
    flow_partner_vlr_move(net, T.A[0], T.p["fr"].node("vlr", 1), info=L)
    T.gap(1800)
    flow_partner_vlr_move(net, T.A[0], T.p["fr"].node("vlr", 0), info=L)
    T.background(6)


def benign_partner_hlr_ops(T):
    """Partner HLRs working on their own subscribers visiting us: PSI, PRN, ISD, DSD,
    cancelLocation (the US HLR through our IPX)."""
    net, h, L = T.net, T.h, T.lab
    T.attach()
    T.background(6)
    for pid in ("fr", "gb", "es", "ch", "tr", "us"):
        v = T.V[pid]
        net.via_ipx = {"us", "tr"}
        flow_psi(net, v, info=L)
        flow_prn(net, v, v.net.node("msc").gt, info=L)
        flow_isd(net, v, info=L)
        flow_dsd(net, v, info=L)
        T.background(2)
    for pid in ("fr", "us"):
        flow_cancel(net, T.V[pid], info=L)
    net.via_ipx = set()
    T.background(6)


def benign_home_isd_dsd(T):
    """Our HLR changes subscriptions outside an updateLocation: ISD / DSD to our VLRs and to
    the partners' VLRs serving our roamers."""
    net, L = T.net, T.lab
    T.attach()
    T.background(6)
    for s, kind in ((T.H[0], "isd"), (T.H[1], "dsd"), (T.A[0], "isd"), (T.A[1], "dsd"), (T.A[2], "isd"),
                    (T.H[2], "isd"), (T.A[0], "dsd")):
        flow_subscription_change(net, s, kind, info=L)
        T.background(1)
    T.background(6)


def benign_gprs(T):
    """GPRS registrations: our roamers at the partners' SGSNs (updateGprsLocation with the ISD
    in the dialogue), visitors at our SGSN (to their HLRs), their HLRs cancelling our SGSN."""
    net, h, L = T.net, T.h, T.lab
    T.attach()
    T.background(6)
    flow_ugl(net, T.H[3], h.node("sgsn"), info=L)
    flow_ugl(net, T.A[0], T.p["fr"].node("sgsn"), info=L)
    flow_ugl(net, T.A[2], T.p["es"].node("sgsn"), info=L)
    for pid in ("gb", "ch", "fr"):
        flow_visitor_gprs(net, T.V[pid], h.node("sgsn"), True, info=L)
    T.gap(1200)
    flow_visitor_gprs(net, T.V["gb"], h.node("sgsn"), False, info=L)
    T.background(6)


def benign_purge_inactive(T):
    """purgeMS after a long inactivity, from our VLR and from the partner VLR serving a roamer;
    the subscriber registers again later."""
    net, h, L = T.net, T.h, T.lab
    T.attach()
    T.background(6)
    T.gap(36 * 3600)
    flow_purge(net, T.H[4], info=L)
    flow_purge(net, T.A[2], info=L)
    T.gap(5 * 3600)
    flow_attach(net, T.H[4], T.H[4].vlr, None, True, info=L)
    T.background(6)


# --- positive traces --------------------------------------------------------------------------

def realism_v2_silent_sms(T):
    net, L = T.net, T.lab
    T.attach()
    T.background(6)
    fr0, gb1, es = T.p["fr"].node("smsc", 0), T.p["gb"].node("smsc", 1), T.p["es"].node("smsc")
    sri_sm(net, T.H[0], fr0, 2, info={"attack": "v2-silent-sms"})
    f = T.mark()
    deliver(net, T.H[0], fr0, 2, tpdu=tpdu_deliver(net, T.H[0], text="", pid=0x40, dcs=0xC0),
            info={"attack": "v2-silent-sms"}, dt=0.05)
    T.expect(f, "silent-sms-or-sim-ota", "location-tracking", "silent SMS (TP-PID 0x40) in a MAP v2 forwardSM")
    T.background(3)
    sri_sm(net, T.H[1], gb1, 1, info={"attack": "v1-silent-sms"})
    f = T.mark()
    deliver(net, T.H[1], gb1, 1, tpdu=tpdu_deliver(net, T.H[1], text="", pid=0x40, dcs=0x00),
            info={"attack": "v1-silent-sms"}, dt=0.05)
    T.expect(f, "silent-sms-or-sim-ota", "location-tracking", "silent SMS (TP-PID 0x40) in a MAP v1 forwardSM")
    T.background(3)
    sri_sm(net, T.H[2], es, 2, lmsi=LMSI, info={"attack": "v2-sim-ota"})
    f = T.mark()
    from .attacks import X_OTA
    deliver(net, T.H[2], es, 2, lmsi=LMSI, tpdu=sms_deliver(es.gt, "", net.t, 0x7F, 0xF6, X_OTA, b"\x70\x00"),
            info={"attack": "v2-sim-ota"}, dt=0.05)
    T.expect(f, "silent-sms-or-sim-ota", "interception", "SIM data download (TP-PID 0x7F) in a v2 forwardSM by LMSI")
    T.background(6)


def realism_v2_mtfsm_without_sri(T):
    net, L = T.net, T.lab
    T.attach()
    T.background(6)
    for s, sc, v, lm, what in ((T.H[0], T.p["fr"].node("smsc"), 2, None, "v2 forwardSM from a partner SMSC"),
                               (T.H[1], T.o["hub"].node("smsc", 3), 2, LMSI, "v2 forwardSM by LMSI from the hub"),
                               (T.H[2], T.x.node("smsc"), 2, None, "v2 forwardSM from +882"),
                               (T.H[3], T.p["gb"].node("smsc", 1), 1, None, "v1 forwardSM from a partner SMSC")):
        f = T.mark()
        deliver(net, s, sc, v, lmsi=lm, info={"attack": "mtfsm-without-sri-sm"})
        T.expect(f, "mt-forward-sm-without-sri-sm", "fraud", what + " that got no SRI-for-SM answer")
        T.background(2)
    T.background(6)


def realism_velocity_after_sms(T):
    """A delivered short message at home, then three minutes later an updateLocation from far
    away: the delivery proves the phone was at home then."""
    net, h, L = T.net, T.h, T.lab
    T.attach()
    T.background(6)
    T.gap(10 * 3600)
    T.background(4)
    s0, s1 = T.H[0], T.H[1]
    flow_sms_mt(net, s0, h.node("smsc"), info=L)
    T.gap(180)
    f = T.mark()
    flow_location_update(net, s0, T.p["us"].node("vlr"), s0.vlr, info={"attack": "velocity-after-sms"})
    T.expect(f, "rogue-location-update", "interception", "updateLocation from the US 3 min after a delivered SMS at home")
    T.background(3)
    flow_sms_mt_v(net, s1, T.p["fr"].node("smsc"), version=2, info=L)
    T.gap(170)
    f = T.mark()
    flow_location_update(net, s1, T.p["tr"].node("vlr"), s1.vlr, info={"attack": "velocity-after-v2-sms"})
    T.expect(f, "rogue-location-update", "interception",
             "updateLocation from Turkey 3 min after a delivered v2 forwardSM at home")
    T.background(3)
    s2 = T.H[2]
    deliver(net, s2, h.node("smsc"), 3, failure=SM_CAUSE_MEMORY_CAPACITY_EXCEEDED, info=L)
    T.gap(200)
    f = T.mark()
    flow_location_update(net, s2, T.p["us"].node("vlr"), s2.vlr, info={"attack": "velocity-after-refused-sms"})
    T.expect(f, "rogue-location-update", "interception",
             "updateLocation from the US 3 min after the handset refused a short message at home (memory full)")
    T.background(6)


def realism_cat3_no_agreement(T):
    """Category 3 operations for home subscribers no serving node is known for yet, from
    networks without a roaming agreement."""
    net, h, x, L = T.net, T.h, T.x, T.lab
    T.attach()
    T.background(6)
    s = T.H[12:16]
    s[0].vlr, s[1].vlr = x.node("vlr"), T.o["de02"].node("vlr")
    f = T.mark()
    flow_ussd(net, s[0], code="*100#", info={"attack": "ussd-882"})
    T.expect(f, "cat3-not-serving-node", "fraud", "processUnstructuredSS-Request from +882, no serving node known")
    f = T.mark()
    flow_ussd(net, s[1], code="*135#", info={"attack": "ussd-de02"})
    T.expect(f, "cat3-not-serving-node", "fraud",
             "processUnstructuredSS-Request from the national competitor (no roaming agreement)")
    f = T.mark()
    flow_ss(net, s[2], 10, 0x29, FTN_HOME, vlr=x.node("vlr"), info={"attack": "registerSS-882"})
    T.expect(f, "cat3-not-serving-node", "interception", "registerSS (CFB to a home number) from +882")
    f = T.mark()
    flow_purge(net, s[3], vlr=x.node("vlr"), info={"attack": "purge-882"})
    T.expect(f, "cancel-purge-dos", "dos", "purgeMS from +882, no serving node known")
    T.background(6)


def realism_sms_origins(T):
    """Several origins for one subscriber, each judged on its own: a partner SMSC's
    SRI-for-SM that no delivery follows is reported although another SMSC asked after it and
    delivered (one remembered origin hid the first); an SMSC delivering on another SMSC's
    SRI-for-SM is reported, and so is the SRI-for-SM it used."""
    net, L = T.net, T.lab
    T.attach()
    T.background(6)
    gb, fr = T.p["gb"].node("smsc"), T.p["fr"].node("smsc")
    f = T.mark()
    sri_sm(net, T.H[0], gb, 3, info={"attack": "sri-sm-recon-hidden"})
    T.expect(f, "sri-sm-without-delivery", "recon",
             "SRI-for-SM from the GB SMSC, no delivery; the FR SMSC asks after it and delivers")
    T.gap(20)
    flow_sms_mt_v(net, T.H[0], fr, version=2, info=L)
    T.background(3)
    f = T.mark()
    sri_sm(net, T.H[1], fr, 2, info={"attack": "delivery-on-another-origin"})
    T.expect(f, "sri-sm-without-delivery", "recon", "SRI-for-SM from the FR SMSC, the delivery comes from GB")
    T.gap(5)
    f = T.mark()
    deliver(net, T.H[1], gb, 3, info={"attack": "delivery-on-another-origin"})
    T.expect(f, "mt-forward-sm-without-sri-sm", "fraud", "mt-forwardSM from the GB SMSC, only FR asked")
    T.gap(400)
    T.background(6)


def realism_velocity_border(T):
    """A land border is not a shortcut: our roamer registered in Spain, ten minutes later an
    updateLocation from Germany (ES-DE share no border: 1868 km)."""
    net, h, L = T.net, T.h, T.lab
    T.attach()
    T.background(6)
    T.gap(600)
    f = T.mark()
    flow_location_update(net, T.A[2], h.node("vlr", 0), T.A[2].vlr, info={"attack": "velocity-es-de"})
    T.expect(f, "rogue-location-update", "interception", "updateLocation from Germany 10 min after Spain")
    T.background(6)


# --- the GT flood, then a scan ------------------------------------------------------------------

FLOOD_GTS = 1_100_000          # more than the 1,048,576 entries of ss7watch's calling-GT table
FLOOD_SPAN = 900.0


def realism_scan_after_gt_flood(T, n=FLOOD_GTS):
    """n componentless Begins (a dialogue portion only, as a TC-BEGIN awaiting the first
    component in a Continue) from n distinct spoofed +882 calling GTs over 15 minutes, then a
    scan: SAI for 60 home subscribers within 40 s from one British VLR GT never seen before."""
    net, h, L = T.net, T.h, T.lab
    T.attach(subs=T.H[:80], visitors=False)
    T.background(4)
    x = T.x
    sentinel_gt = "882349999997"
    src = Node(x, "vlr", sentinel_gt, 0)
    # one frame encoded with a sentinel TID and calling GT, then patched per frame
    sink, labs = ListSink(), []

    class _L:
        write = labs.append
    from .net import Net
    tnet = Net(sink, seed=T.rng.randrange(1 << 30), labels=_L, t0=0.0)
    record_routes(tnet)
    tid = 0x6A09E667
    tnet.new_tid = lambda: tid
    tc = tcap_begin(tid, dialogue_portion(aarq(map_acn("shortMsgGateway", 3))))
    tnet.send(src, h.node("hlr"), tc, {"label": "flood"}, sls=3)

    class _S:
        imsi, msisdn = "999999999999999", sentinel_gt
    cp = CrcPatcher()
    fr, ak, d, stream, ip_sum, base_crc, crcpos, _ = template_frame(cp, sink.frames[0], tnet._bench_routes[0],
                                                                    labs[0], _S, [tid], [])
    a = net.assocs[ak]
    tsn, ipid = {(ak, d): a.tsn[d]}, {(ak, d): a.ipid[d]}
    patch = frame_patcher(cp, True, tsn, ipid)
    from .ident import tbcd
    f = T.out.f
    hdr = struct.Struct("<IIII").pack
    rng = T.rng
    t0 = net.t
    buf = []
    for k in range(n):
        gt = "88234%07d" % ((k * 7919 + 13) % 10_000_000)
        frame = patch(fr, ak, d, stream, ip_sum, base_crc, crcpos,
                      [rng.getrandbits(32).to_bytes(4, "big"), b"", tbcd(gt)])
        ts = t0 + FLOOD_SPAN * k / n
        sec = int(ts)
        buf.append(hdr(sec, int((ts - sec) * 1e6), len(frame), len(frame)))
        buf.append(frame)
        if len(buf) >= 16384:
            f.write(b"".join(buf))
            buf.clear()
    f.write(b"".join(buf))
    T.out.frames += n
    a.tsn[d], a.ipid[d] = tsn[(ak, d)], ipid[(ak, d)]
    net.t = t0 + FLOOD_SPAN + 5.0
    T.background(4)
    gbv = Node(T.p["gb"], "vlr", "447785000299", 0)
    first = last = None
    for k, s in enumerate(T.H[20:80]):
        dd = net.dialogue(gbv, hlr_of(s), 56, info=dict(s.lab(), attack="scan-after-flood"))
        last = dd.request(56, map_sai_v3(s.imsi, 1, 0, plmn_id("234", "15")), dt=40.0 / 60)
        first = first or last
        dd.respond(56, map_sai_res_v3(rng, 1), dt=0.01)
    T.expect(first, "scan", "recon", "SAI for 60 subscribers in 40 s from one GB VLR GT, after a flood of "
             "%d spoofed calling GTs" % n, frame_min=first, frame_max=last)
    T.background(6)


BENIGN = [
    ("benign-v2-sms", benign_v2_sms), ("benign-hub-pool", benign_hub_pool),
    ("benign-a2p-burst", benign_a2p_burst), ("benign-multi-smsc", benign_multi_smsc),
    ("benign-failed-delivery-retry", benign_failed_delivery_retry),
    ("benign-switch-off-fly", benign_switch_off_fly), ("benign-neighbour-move", benign_neighbour_move),
    ("benign-partner-hlr-ops", benign_partner_hlr_ops), ("benign-home-isd-dsd", benign_home_isd_dsd),
    ("benign-gprs", benign_gprs), ("benign-purge-inactive", benign_purge_inactive),
]
POSITIVE = [
    ("realism-v2-silent-sms", realism_v2_silent_sms),
    ("realism-v2-mtfsm-without-sri-sm", realism_v2_mtfsm_without_sri),
    ("realism-velocity-after-sms", realism_velocity_after_sms),
    ("realism-cat3-no-agreement", realism_cat3_no_agreement),
    ("realism-sms-origins", realism_sms_origins),
    ("realism-velocity-border", realism_velocity_border),
]
BIG = [("realism-scan-after-gt-flood", realism_scan_after_gt_flood)]


def gen_realism(outdir, seed=1, only=None, trace_cls=None):
    import os
    for k, (name, fn) in enumerate(BENIGN + POSITIVE + BIG):
        if only and name not in only:
            continue
        if not only and (name, fn) in BIG:
            continue
        positive = (name, fn) not in BENIGN
        T = trace_cls(os.path.join(outdir, name + ".pcap"), seed=seed * 1000 + 500 + k)
        fn(T)
        T.close(os.path.join(outdir, name + ".labels.jsonl") if positive else None)
        sys.stderr.write("%s: %d frames, %d expected alerts\n" % (T.path, T.out.frames, len(T.exp)))
