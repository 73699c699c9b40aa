"""Short messages as a real interconnect carries them: MAP v1, v2 and v3 relay, SMS hubs with
GT pools, failed deliveries and the message-waiting procedures, several SMSCs at once.

Sources: TS 23.040 clause 10 (SM MT transfer, SM alert: MWD, MNRF, alertServiceCentre),
TS 29.002 clause 12 (the SMS operations and their versions), clause 23 (the SMS procedures:
sendRoutingInfoForSM, forwardSM / mt-forwardSM, reportSM-DeliveryStatus, informServiceCentre,
readyForSM, alertServiceCentre), clause 15 (dialogue handling: a MAP v1 dialogue carries no
dialogue portion, so its application context name never goes on the wire), and the MAP
ASN.1 of the three versions:
  - v3: mt-forwardSM (44) under shortMsgMT-RelayContext-v3, mo-forwardSM (46) under
    shortMsgMO-RelayContext-v3;
  - v2: forwardSM (46) under shortMsgMT-RelayContext-v2 (0.4.0.0.1.0.25.2) and
    shortMsgMO-RelayContext-v2 (0.4.0.0.1.0.21.2), both directions with one argument
    ForwardSM-Arg { sm-RP-DA, sm-RP-OA, sm-RP-UI, moreMessagesToSend };
  - v1: forwardSM (46) of shortMsgRelayContext-v1 (0.4.0.0.1.0.21.1), both directions, in a
    TCAP Begin without dialogue portion.
Mobile terminated: SM-RP-DA imsi [0] (or lmsi [1], then the IMSI travels in the MAP-OPEN
destinationReference), SM-RP-OA serviceCentreAddressOA [4]. Mobile originated: SM-RP-DA
serviceCentreAddressDA [4], SM-RP-OA msisdn [2].
"""

from .ber import tlv
from .ident import sms_deliver, sms_submit
from .gsm_map import (
    OPS, OPS_V12, isdn, map_absent_sm_param, map_alert_sc, map_forward_sm, map_inform_sc,
    map_mo_fsm, map_mt_fsm, map_ready_for_sm, map_report_smds, map_report_smds_res, map_sri_sm,
    map_sri_sm_res)
from .tcap import invoke, result_last, return_error
from .flows import SMS_TEXTS, hlr_of, msc_of

ERR_ABSENT_SM, ERR_ABSENT = 6, 27          # absentSubscriberSM (v2, v3), absentSubscriber (v1)
ERR_SM_DELIVERY_FAILURE = 32
# SM-EnumeratedDeliveryFailureCause (TS 29.002 17.7.6): the handset itself refused
SM_CAUSE_MEMORY_CAPACITY_EXCEEDED = 0
DIAG_NO_PAGING, DIAG_IMSI_DETACHED = 0, 1  # absentSubscriberDiagnosticSM
OTP_TEXTS = ["Your bank code: 482913. Do not share it.", "Login code 771203", "Code 5521 for your parcel",
             "Your verification code is 309918"]


def _opl(opcode, version, **kw):
    name = OPS_V12.get(opcode) if version < 3 else None
    d = {"op": name or OPS[opcode], "opcode": opcode}
    d.update(kw)
    return d


def dialogue(net, a, b, version, ac, info, **kw):
    """A dialogue a -> b under AC ac of the given MAP version; v1: no dialogue portion (the
    label keeps the AC name the dialogue stands for)."""
    if version == 1:
        return net.dialogue(a, b, no_dialogue=True, info=dict(info, ac="%s-v1" % ac, map_version=1), **kw)
    return net.dialogue(a, b, ac=(ac, version), info=info, **kw)


def _info(sub, info):
    return dict(sub.lab(), **(info or {}))


def sri_sm(net, sub, smsc, version=3, absent=None, inform=False, lmsi=None, msc=None, pri=False,
           info=None, dt=None, rdt=None, **kw):
    """sendRoutingInfoForSM smsc -> the subscriber's HLR (routed on the MSISDN). absent: the
    absentSubscriberDiagnosticSM of an absentSubscriberSM error (v1: absentSubscriber) instead
    of the routing information; inform: informServiceCentre (mw-Status mnrf-Set) in the same
    End, as the HLR sends it when the SC address went into the MWD list. The answer names the
    MSC the HLR has on record (msc, default the serving VLR's MSC). Returns the dialogue."""
    hlr = hlr_of(sub)
    info = _info(sub, info)
    d = dialogue(net, smsc, hlr, version, "shortMsgGateway", info, called_gt=sub.msisdn, **kw)
    d.begin([invoke(1, 45, map_sri_sm(sub.msisdn, smsc.gt, pri))], None, _opl(45, version), dt=dt)
    rdt = 0.004 + net.rng.random() * 0.012 if rdt is None else rdt
    if absent is not None:
        comps = [invoke(2, 63, map_inform_sc(sub.msisdn))] if inform and version >= 2 else []
        if version == 1:
            comps.append(return_error(1, ERR_ABSENT))
        else:
            comps.append(return_error(1, ERR_ABSENT_SM, map_absent_sm_param(absent)))
        d.end_b(comps, None, _opl(45, version, dir="err", error="absentSubscriber" + ("SM" if version > 1 else "")),
                dt=rdt)
        return d
    node = msc or msc_of(sub.vlr)
    d.end_b([result_last(1, 45, map_sri_sm_res(sub.imsi, node.gt, lmsi))], None, _opl(45, version), dt=rdt)
    return d


def tpdu_deliver(net, sub, sender=None, text=None, pid=0, dcs=0, data=None, udh=None):
    if sender is None:
        sender = sub.net.msisdn(net.rng.randrange(10 ** 6))
    if text is None and data is None:
        text = net.rng.choice(SMS_TEXTS)
    return sms_deliver(sender, text if text is not None else "", net.t, pid, dcs, data, udh)


def deliver(net, sub, smsc, version=3, msc=None, absent=None, lmsi=None, tpdu=None, info=None, dt=None,
            rdt=None, failure=None, **kw):
    """The delivery smsc -> the MSC: v3 mt-forwardSM (44), v2 / v1 forwardSM (46) with
    SM-RP-DA imsi (or lmsi, the IMSI then in the destinationReference) and SM-RP-OA the
    service centre. absent: the handset did not answer (absentSubscriberSM with this
    diagnostic, v1 absentSubscriber); failure: the handset answered and refused
    (sm-DeliveryFailure with this cause: SM-DeliveryFailureCause, v1 the bare ENUMERATED);
    else an empty result: delivered."""
    rng = net.rng
    msc = msc or msc_of(sub.vlr)
    info = _info(sub, info)
    tpdu = tpdu or tpdu_deliver(net, sub)
    if lmsi and version >= 2:
        kw.setdefault("dest_ref", (sub.imsi, 6))
    if version == 3:
        op, arg = 44, map_mt_fsm(sub.imsi, smsc.gt, tpdu)
    else:
        op = 46
        arg = map_forward_sm(tpdu, imsi=None if (lmsi and version >= 2) else sub.imsi,
                             lmsi=lmsi if version >= 2 else None, oa_sca=smsc.gt)
    d = dialogue(net, smsc, msc, version, "shortMsgMT-Relay" if version > 1 else "shortMsgRelay", info, **kw)
    d.begin([invoke(1, op, arg)], None, _opl(op, version, sm_direction="mt"), dt=dt)
    if failure is not None:
        cause = tlv(0x0A, bytes([failure]))
        d.end_b([return_error(1, ERR_SM_DELIVERY_FAILURE, cause if version == 1 else tlv(0x30, cause))], None,
                _opl(op, version, dir="err", error="sm-DeliveryFailure"), dt=0.5 if rdt is None else rdt)
    elif absent is not None:
        # no paging response: the MSC gives up after its paging timers; IMSI detached: at once
        wait = (5.0 + rng.random() * 4.0) if absent == DIAG_NO_PAGING else (0.03 + rng.random() * 0.05)
        err = return_error(1, ERR_ABSENT) if version == 1 else \
            return_error(1, ERR_ABSENT_SM, map_absent_sm_param(absent))
        d.end_b([err], None, _opl(op, version, dir="err", error="absentSubscriber" + ("SM" if version > 1 else "")),
                dt=wait if rdt is None else rdt)
    else:
        d.end_b([result_last(1)], None, _opl(op, version), dt=(0.4 + rng.random() * 2.0) if rdt is None else rdt)
    return d


def report_sm_delivery_status(net, sub, smsc, version=3, outcome=1, diag=None, info=None, dt=None, **kw):
    """reportSM-DeliveryStatus smsc -> HLR after a failed delivery (outcome absentSubscriber:
    the HLR sets MNRF and puts the SC address in the MWD list) or a successful one after an
    alert (successfulTransfer: the SC address leaves the list)."""
    hlr = hlr_of(sub)
    d = dialogue(net, smsc, hlr, max(version, 2), "shortMsgGateway", _info(sub, info), called_gt=sub.msisdn, **kw)
    d.begin([invoke(1, 47, map_report_smds(sub.msisdn, smsc.gt, outcome, diag if version >= 3 else None))],
            None, _opl(47, version), dt=dt)
    res = map_report_smds_res(sub.msisdn) if version >= 3 else None
    d.end_b([result_last(1, 47, res) if res else result_last(1)], None, _opl(47, version),
            dt=0.005 + net.rng.random() * 0.01)
    return d


def ready_for_sm(net, sub, vlr=None, info=None, dt=None, **kw):
    """readyForSM VLR -> HLR (mwdMngtContext-v3, alertReason ms-Present): the handset that
    did not answer paging is back in touch with its VLR."""
    v = vlr or sub.vlr
    d = net.dialogue(v, hlr_of(sub), 66, info=_info(sub, info), **kw)
    d.begin([invoke(1, 66, map_ready_for_sm(sub.imsi, 0))], [66], dt=dt)
    d.end_b([result_last(1)], [66], dt=0.01 + net.rng.random() * 0.02)
    return d


def alert_service_centres(net, sub, smscs, info=None, dt=None, **kw):
    """alertServiceCentre (v2, shortMsgAlertContext-v2) from the HLR to every SC address in
    the subscriber's MWD list, one dialogue each, sent within milliseconds of each other."""
    hlr = hlr_of(sub)
    info = _info(sub, info)
    ds = []
    for k, sc in enumerate(smscs):
        d = net.dialogue(hlr, sc, 64, version=2, info=info, **kw)
        d.begin([invoke(1, 64, map_alert_sc(sub.msisdn, sc.gt))], [64],
                dt=dt if (k == 0 and dt is not None) else 0.002 + net.rng.random() * 0.01)
        ds.append(d)
    for d in ds:
        d.end_b([result_last(1)], [64], dt=0.01 + net.rng.random() * 0.05)
    return ds


def forward_sm_mo(net, sub, smsc, version=2, msc=None, to=None, text=None, info=None, dt=None, **kw):
    """A mobile originated short message from the MSC serving sub to its home SMSC: v3
    mo-forwardSM (46, the sender's IMSI at the end), v2 / v1 forwardSM (46, SM-RP-DA the
    service centre, SM-RP-OA the sender's MSISDN)."""
    rng = net.rng
    msc = msc or msc_of(sub.vlr)
    to = to or sub.net.msisdn(rng.randrange(10 ** 6))
    tpdu = sms_submit(to, text or rng.choice(SMS_TEXTS), mr=rng.randrange(256))
    if version == 3:
        arg = map_mo_fsm(smsc.gt, sub.msisdn, tpdu, sub.imsi)
    else:
        arg = map_forward_sm(tpdu, da_sca=smsc.gt, oa_msisdn=sub.msisdn)
    d = dialogue(net, msc, smsc, version, "shortMsgMO-Relay" if version > 1 else "shortMsgRelay",
                 _info(sub, info), **kw)
    d.begin([invoke(1, 46, arg)], None, _opl(46, version, sm_direction="mo"), dt=dt)
    d.end_b([result_last(1)], None, _opl(46, version), dt=0.08 + rng.random() * 0.3)
    return d


# --- composite flows (one subscriber each: a scenario template) ---------------------------

def flow_sms_mt_v(net, sub, sri_smsc, dlv_smsc=None, version=2, lmsi=None, tpdu=None, info=None, **kw):
    """SRI-for-SM then the delivery, in one MAP version; a hub asks with one GT of its pool
    and delivers with another (dlv_smsc)."""
    rng = net.rng
    sri_sm(net, sub, sri_smsc, version, lmsi=lmsi, info=info, **kw)
    deliver(net, sub, dlv_smsc or sri_smsc, version, lmsi=lmsi, tpdu=tpdu, info=info,
            dt=0.02 + rng.random() * 0.08, **kw)


def flow_sms_multi(net, sub, senders, info=None):
    """Several SMSCs deliver to one subscriber at the same time (a group message, a bank's
    one-time code and a friend's text): senders [(sri_smsc, dlv_smsc, version)], the
    SRI-for-SMs within a second, then the deliveries interleaved."""
    rng = net.rng
    for k, (a, b, v) in enumerate(senders):
        sri_sm(net, sub, a, v, info=info, dt=None if k == 0 else 0.05 + rng.random() * 0.5)
    for k, (a, b, v) in enumerate(senders):
        tpdu = tpdu_deliver(net, sub, text=OTP_TEXTS[k % len(OTP_TEXTS)] if b.net.kind == "hub" else None)
        deliver(net, sub, b or a, v, tpdu=tpdu, info=info, dt=0.02 + rng.random() * 0.3)


def flow_sms_absent_alert(net, sub, smscs, versions, mode="mt", gap=600.0, info=None, vlr_alert=True):
    """Failed deliveries and the alert (TS 23.040 10.1, 10.3): each SMSC of smscs asks the HLR;
    mode "mt": the HLR answers, the MSC finds the handset absent (no paging response), the
    SMSC reports absentSubscriber (reportSM-DeliveryStatus: MWD, MNRF); mode "sri": MNRF is
    already set, the HLR answers absentSubscriberSM with informServiceCentre at once.
    gap seconds later the handset is back: readyForSM from the VLR (vlr_alert), then the HLR
    alerts every SMSC in the MWD list at once and each delivers (SRI-for-SM, delivery,
    reportSM-DeliveryStatus successfulTransfer for v3 SMSCs)."""
    rng = net.rng
    for k, (sc, v) in enumerate(zip(smscs, versions)):
        if k:
            net.t += 20.0 + rng.random() * 200.0
        if mode == "mt":
            sri_sm(net, sub, sc, v, info=info)
            deliver(net, sub, sc, v, absent=DIAG_NO_PAGING, info=info, dt=0.02 + rng.random() * 0.05)
            if v >= 2:
                report_sm_delivery_status(net, sub, sc, v, 1, DIAG_NO_PAGING, info=info, dt=0.05 + rng.random() * 0.2)
        else:
            sri_sm(net, sub, sc, v, absent=DIAG_NO_PAGING, inform=True, info=info)
    net.t += gap * (0.6 + rng.random() * 0.8)
    if vlr_alert:
        ready_for_sm(net, sub, info=info)
    alert_service_centres(net, sub, [sc for sc, v in zip(smscs, versions) if v >= 2], info=info,
                          dt=0.01 + rng.random() * 0.02)
    for sc, v in zip(smscs, versions):
        if v < 2:
            net.t += 300.0 + rng.random() * 300.0    # a v1 SMSC is not alerted: it retries on its timer
        sri_sm(net, sub, sc, v, info=info, dt=0.05 + rng.random() * 0.4)
        deliver(net, sub, sc, v, info=info, dt=0.02 + rng.random() * 0.05)
        if v >= 3:
            report_sm_delivery_status(net, sub, sc, v, 2, info=info, dt=0.05 + rng.random() * 0.1)


def flow_sms_cached_retry(net, sub, first, other, v_first=2, v_other=3, retry=240.0, info=None):
    """An SMSC (first) asks, the handset does not answer paging; meanwhile another SMSC (other)
    asks and delivers; minutes later the first retries the delivery from its cached routing
    information (IMSI and MSC of its earlier answer) without asking the HLR again."""
    rng = net.rng
    sri_sm(net, sub, first, v_first, info=info)
    deliver(net, sub, first, v_first, absent=DIAG_NO_PAGING, info=info, dt=0.02 + rng.random() * 0.05)
    net.t += 30.0 + rng.random() * 60.0
    sri_sm(net, sub, other, v_other, info=info)
    deliver(net, sub, other, v_other, info=info, dt=0.02 + rng.random() * 0.05)
    net.t += retry * (0.7 + rng.random() * 0.6)
    deliver(net, sub, first, v_first, info=info)


def flow_sms_mo_v(net, sub, version=2, smsc=None, info=None):
    """A visitor's (or a roaming subscriber's) short message to its home SMSC."""
    forward_sm_mo(net, sub, smsc or sub.net.node("smsc"), version, info=info)


def isdn_tlv(digits):
    return tlv(0x04, isdn(digits))
