"""Subcommand ops: every operation, request and result."""

from .ber import ber_enum, ber_int, seq
from .ident import plmn_id, sms_deliver, sms_submit
from .gsm_map import (
    map_ati, map_ati_res, map_cancel_location_v2, map_cancel_location_v3, map_check_imei,
    map_check_imei_res, map_dsd, map_forwarding_info, map_interrogate_ss_res, map_isd, map_isd_res,
    map_mo_fsm, map_mt_fsm, map_mt_fsm_res_ack, map_prn, map_prn_res, map_psi, map_psi_res,
    map_psl, map_psl_res, map_purge_ms, map_register_ss, map_reset, map_restore_data,
    map_restore_data_res, map_sai_res_v3, map_sai_v2, map_sai_v3, map_send_identification,
    map_send_identification_res, map_send_imsi, map_send_imsi_res, map_sri, map_sri_gprs,
    map_sri_gprs_res, map_sri_lcs, map_sri_lcs_res, map_sri_res, map_sri_sm, map_sri_sm_res,
    map_ss_for_bs, map_triplets_v2, map_ugl, map_ugl_res, map_update_location,
    map_update_location_res, map_ussd)
from .tcap import invoke, reject, result_last, return_error
from .flows import Sub, flow_location_update, flow_sms_mt, msc_of


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
