"""Mobility as subscribers really move: switched off on a plane while the HLR still names the
old VLR, landing far away hours later, moves between the VLRs of one partner, flapping
between the networks of two neighbouring countries at a border, GPRS registrations of
visitors, subscription changes pushed by the HLR outside a location update.

Sources: TS 23.012 (location management: updateLocation, cancelLocation, insertSubscriberData
in the updateLocation dialogue, purgeMS after implicit detach), TS 23.018 and TS 29.002
clause 21 (a call to an absent subscriber: sendRoutingInfo, provideRoamingNumber answered
absentSubscriber), TS 23.040 clause 10 and TS 29.002 clause 23 (short messages to a detached
handset: the HLR answers from its record, the MSC finds the IMSI detached; MWD and the alert
on the next updateLocation), TS 23.060 and TS 29.002 clause 8 (updateGprsLocation, ISD and
cancelLocation for the SGSN), TS 29.002 8.8 (insertSubscriberData and deleteSubscriberData as
stand-alone procedures when the subscription changes).
"""

from .ber import ber_enum, seq
from .gsm_map import (
    map_cancel_location_v3, map_dsd, map_isd, map_prn, map_sri, map_ugl, map_ugl_res)
from .tcap import invoke, result_last, return_error
from .flows import flow_attach, flow_sai, flow_sms_mo, hlr_of, home_gsmscf, msc_of
from .flows_sms import (
    DIAG_IMSI_DETACHED, alert_service_centres, deliver, report_sm_delivery_status, sri_sm)

ERR_ABSENT_SUBSCRIBER = 27


def call_to_absent(net, sub, gmsc, info=None, dt=None):
    """A call while the phone is off: SRI from the GMSC, PRN from the HLR to the VLR it has on
    record, answered absentSubscriber (IMSI detached), and the SRI answered so."""
    rng = net.rng
    hlr = hlr_of(sub)
    info = dict(sub.lab(), **(info or {}))
    d = net.dialogue(gmsc, hlr, 22, info=info, called_gt=sub.msisdn)
    callref = rng.randbytes(8)
    d.begin([invoke(1, 22, map_sri(sub.msisdn, gmsc.gt, callref))], [22], dt=dt)
    p = net.dialogue(hlr, sub.vlr, 4, info=info)
    p.request(4, map_prn(sub.imsi, msc_of(sub.vlr).gt, sub.msisdn, gmsc.gt, callref), dt=0.005)
    # AbsentSubscriberParam ::= SEQUENCE { extensionContainer OPTIONAL, absentSubscriberReason
    # [0] ENUMERATED { imsiDetach (0), restrictedArea, noPageResponse, purgedMS, mtRoamingRetry } }
    err = [return_error(1, ERR_ABSENT_SUBSCRIBER, seq(ber_enum(0, 0x80)))]
    p.end_b(err, [4], {"dir": "err", "error": "absentSubscriber"}, dt=0.01)
    d.end_b(err, [22], {"dir": "err", "error": "absentSubscriber"}, dt=0.005)


def flow_switch_off_fly(net, sub, new_vlr, home_smsc, partner_smsc, gmsc, flight_s, n_events=3,
                        new_sgsn=None, old_sgsn=None, info=None):
    """The subscriber sends a last short message at the gate and switches the phone off (an
    IMSI detach: nothing crosses the interconnect). While it is off, short messages and calls
    come in: the HLR answers SRI-for-SM from its record (the old MSC), the MSC finds the IMSI
    detached; a partner SMSC gets absentSubscriberSM with informServiceCentre; a caller's SRI
    ends in absentSubscriber. flight_s after the last message, the phone comes on at the far
    VLR: SAI, updateLocation (cancelLocation to the old VLR, ISD), updateGprsLocation for a
    data user; the HLR alerts the SMSCs of the MWD list and they deliver."""
    rng = net.rng
    old_vlr = sub.vlr
    flow_sms_mo(net, sub, info=info)
    start = net.t
    times = sorted(rng.random() for _ in range(n_events))
    # the last event comes late in the flight: an hour or two before landing
    times[-1] = 0.8 + 0.15 * rng.random()
    waiting = []
    for k, f in enumerate(times):
        net.t = max(net.t + 1.0, start + f * flight_s)
        kind = k % 3
        if kind == 0:
            sri_sm(net, sub, home_smsc, 3, info=info)
            deliver(net, sub, home_smsc, 3, absent=DIAG_IMSI_DETACHED, info=info, dt=0.02)
            report_sm_delivery_status(net, sub, home_smsc, 3, 1, DIAG_IMSI_DETACHED, info=info, dt=0.05)
            if home_smsc not in waiting:
                waiting.append(home_smsc)
        elif kind == 1 and partner_smsc is not None:
            sri_sm(net, sub, partner_smsc, 2, absent=DIAG_IMSI_DETACHED, inform=True, info=info)
            if partner_smsc not in waiting:
                waiting.append(partner_smsc)
        else:
            call_to_absent(net, sub, gmsc, info=info)
    net.t = max(net.t + 60.0, start + flight_s)
    flow_attach(net, sub, new_vlr, old_vlr, True, new_sgsn, old_sgsn, info=info)
    sub.vlr = new_vlr
    if waiting:
        alert_service_centres(net, sub, waiting, info=info, dt=0.5 + rng.random())
        for sc in waiting:
            sri_sm(net, sub, sc, 3 if sc is home_smsc else 2, info=info, dt=0.1 + rng.random() * 0.5)
            if sc is home_smsc or sc.net is new_vlr.net:
                # our SMSC delivers across the interconnect; a partner SMSC whose subscriber
                # is now in the partner's own network delivers inside it
                if sc is home_smsc:
                    deliver(net, sub, sc, 3, info=info, dt=0.05)
                    report_sm_delivery_status(net, sub, sc, 3, 2, info=info, dt=0.05)


def flow_border(net, sub, vlr_a, vlr_b, flips=2, info=None):
    """A subscriber at a border (Irun/Hendaye, Basel, Geneva): the phone camps on the
    neighbouring country's network and back within minutes, each time a location update from
    the other VLR (with SAI), the HLR cancelling the one before, a short message in between."""
    rng = net.rng
    cur, other = vlr_a, vlr_b
    for _ in range(flips):
        net.t += 120.0 + rng.random() * 600.0
        flow_attach(net, sub, other, cur, True, info=info, nvec=2)
        sub.vlr = other
        net.t += 5.0 + rng.random() * 60.0
        flow_sms_mo(net, sub, info=info)
        cur, other = other, cur


def flow_subscription_change(net, sub, kind, info=None):
    """Our HLR changes the subscription at the serving VLR outside any location update:
    insertSubscriberData (a new service: CAMEL O-CSI with our gsmSCF, call barring) or
    deleteSubscriberData (a withdrawn supplementary service), TS 23.012 / 29.002 8.8."""
    hlr = hlr_of(sub)
    info = dict(sub.lab(), **(info or {}))
    d = net.dialogue(hlr, sub.vlr, 7 if kind == "isd" else 8, info=info)
    if kind == "isd":
        d.request(7, map_isd(sub.imsi, sub.msisdn, home_gsmscf(net) if net.rng.random() < 0.5 else None))
    else:
        d.request(8, map_dsd(sub.imsi, (0x21, 0x2A) if net.rng.random() < 0.5 else (0x92,)))
    d.respond(7 if kind == "isd" else 8, None, dt=0.02 + net.rng.random() * 0.05)


def flow_visitor_gprs(net, sub, sgsn, attach=True, info=None):
    """A visitor's data session at our SGSN: SAI, updateGprsLocation to its home HLR with the
    GPRS subscription in an ISD inside the dialogue; or its home HLR cancelling our SGSN when
    the visitor has registered elsewhere (cancellationType updateProcedure)."""
    rng = net.rng
    hlr = hlr_of(sub)
    info = dict(sub.lab(), **(info or {}))
    if attach:
        flow_sai(net, sub, sgsn, nvec=2, info=info)
        net.t += 0.3 + rng.random()
        ip = "10.%d.2.%d" % (int(sgsn.net.cc) % 250, 10 + sgsn.idx)
        d = net.dialogue(sgsn, hlr, 23, info=info)
        d.request(23, map_ugl(sub.imsi, sgsn.gt, ip))
        d.cont_b([invoke(2, 7, map_isd(None, sub.msisdn))], [7], dt=0.02)
        d.cont_a([result_last(2)], [7], dt=0.01)
        d.end_b([result_last(1, 23, map_ugl_res(hlr.gt))], [23], dt=0.01)
    else:
        c = net.dialogue(hlr, sgsn, 3, info=info)
        c.request(3, map_cancel_location_v3(sub.imsi, ctype=0))
        c.respond(3, None, dt=0.02)


def flow_partner_vlr_move(net, sub, new_vlr, new_sgsn=None, old_sgsn=None, info=None):
    """A roaming subscriber moves between two VLRs of the visited network (Paris to Lyon):
    SAI and updateLocation from the new VLR, cancelLocation to the old one."""
    old = sub.vlr
    flow_attach(net, sub, new_vlr, old, True, new_sgsn, old_sgsn, info=info, nvec=2)
    sub.vlr = new_vlr

