"""Subscribers and the traffic building blocks (benign flows) the subcommands share. A flow
returns nothing or its dialogue; frames go to net.
"""

from .model import PARTNER_CELLS
from .ber import ber_int, seq
from .ident import luhn, plmn_id, sms_deliver, sms_submit
from .gsm_map import (
    map_ati, map_ati_res, map_cancel_location_v3, map_check_imei, map_check_imei_res, map_dsd,
    map_forwarding_info, map_interrogate_ss_res, map_isd, map_mo_fsm, map_mt_fsm, map_prn,
    map_prn_res, map_psi, map_psi_res, map_psl, map_psl_res, map_purge_ms, map_register_ss,
    map_sai_res_v3, map_sai_v3, map_sri, map_sri_lcs, map_sri_lcs_res, map_sri_res, map_sri_sm,
    map_sri_sm_res, map_ss_for_bs, map_ugl, map_ugl_res, map_update_location,
    map_update_location_res, map_ussd)
from .tcap import invoke, result_last, return_error


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


SMS_TEXTS = ["See you at 8", "Your code is 482913", "Running late, sorry", "Call me back please",
             "Happy birthday!", "Meeting moved to 14:30", "OK", "Landed, taking a taxi now"]
USSD_CODES = ["*100#", "*101#", "*135#", "*106*2#"]


FTN_HOME = "4917155501234"            # a home forwarded-to number (call forwarding)


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
