"""Subcommand attacks: one positive and one near-miss trace per rule, with expected alerts."""

import json
import sys

from .model import Node, PARTNER_CELLS
from .ber import ber_bitstring, ber_enum, ber_oid, ber_reencode, seq, tlv
from .ident import plmn_id, sms_deliver, sms_submit, tbcd
from .gsm_map import (
    isdn, map_acn_for, map_check_imei, map_check_imei_res, map_mo_fsm, map_mt_fsm, map_psi,
    map_psi_res, map_psl, map_psl_res, map_restore_data, map_restore_data_res, map_sai_res_v3,
    map_sai_v3, map_send_identification, map_send_identification_res, map_send_imsi,
    map_send_imsi_res, map_sri, map_sri_lcs, map_sri_lcs_res, map_sri_res_camel, map_sri_sm,
    map_sri_sm_res, map_ussd)
from .tcap import (
    aare, aarq, dialogue_portion, invoke, reject, result_last, return_error, tcap_begin, tcap_end)
from .flows_sms import sri_sm
from .pcap import PcapWriter
from .net import Net
from .flows import (
    FTN_HOME, Sub, flow_ati, flow_attach, flow_cancel, flow_check_imei, flow_dsd, flow_isd,
    flow_lcs, flow_location_update, flow_mt_call, flow_prn, flow_psi, flow_purge, flow_sai,
    flow_sms_direct, flow_sms_mo, flow_sms_mt, flow_ss, flow_ugl, flow_ussd, hlr_of, home_gsmscf,
    msc_of)


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
    """One subscriber asked about by origins that have no business asking (other networks'
    MSCs and VLRs, an unconfigured operator, +882), each GT once to stay under every per-GT
    limit. The subscribers roam in France, so the SRI-for-SM answers name a French MSC and no
    delivery crosses us (no sri-sm-without-delivery). Near miss: SMSCs doing their job - four
    partner SMSCs asking and delivering within minutes (a popular subscriber), and three
    non-SMSC origins within the window and a fourth after it."""
    net, h = T.net, T.h
    T.attach()
    a0, a1 = T.A[0], T.A[1]
    flow_sms_mt(net, a0, h.node("smsc"), info=T.lab)      # the detector learns a0's MSISDN
    T.background(6)
    if near:
        frames = []
        for sm in [T.p[k].node("smsc") for k in ("fr", "gb", "es", "ch")]:
            flow_sms_mt(net, T.H[0], sm, info=T.lab)
            T.gap(100)
            T.background(2)
        for k, node in enumerate((T.p["gb"].node("msc"), T.p["es"].node("vlr"), T.p["ch"].node("msc"),
                                  T.p["tr"].node("msc"))):
            if k == 3:
                T.gap(600)
            sri_sm(net, a0, node, 3, info=T.lab)
            T.gap(100)
            T.background(2)
        T.background(6)
        return
    rounds = [(a0, [T.p["gb"].node("msc"), T.p["es"].node("vlr"), T.p["ch"].node("msc"), T.p["tr"].node("vlr")],
               "one subscriber asked about by the MSC/VLR GTs of four networks in 6 minutes"),
              (a1, [T.o["fr2"].node("vlr"), T.p["us"].node("msc"), T.x.node("vlr"), T.p["gb"].node("vlr")],
               "one subscriber asked about by four GTs of no SMSC (an unknown operator, +882) in 6 minutes")]
    for sub, nodes, what in rounds:
        frames = []
        for node in nodes:
            f = T.mark()
            frames.append(f)
            sri_sm(net, sub, node, 3, info={"attack": "rotation"})
            if node.net.id in ("fr2", T.x.id):
                T.expect(f, "sri-sm-not-from-smsc", "recon", "SRI-for-SM from a network not configured")
            T.gap(100)
            T.background(2)
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
        # the fingerprint's evidence names the mismatch ("explains"): no second line
        T.expect(f, "attack-tool-fingerprint", "recon", "PSL under locationInfoRetrievalContext")
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
    """Every rule's positive and near-miss traces, then the realism traces of
    attacks_realism.py (only: the names to write; the 1.1M-frame GT flood only by name)."""
    import os
    from .attacks_realism import gen_realism
    os.makedirs(outdir, exist_ok=True)
    gen_realism(outdir, seed, only, AttackTrace)
    for k, (rule, fn) in enumerate(ATTACKS):
        if only and rule not in only:
            continue
        for near in (False, True):
            base = os.path.join(outdir, rule + (".near-miss" if near else ""))
            T = AttackTrace(base + ".pcap", seed=seed * 1000 + 2 * k + near)
            fn(T, near)
            T.close(None if near else os.path.join(outdir, rule + ".labels.jsonl"))
            sys.stderr.write("%s: %d frames, %d expected alerts\n" % (base + ".pcap", T.out.frames, len(T.exp)))
