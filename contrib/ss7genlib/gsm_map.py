"""MAP (TS 29.002): operations, application contexts, argument and result encoders."""

from .ber import ber_bitstring, ber_bool, ber_enum, ber_int, ber_null, ber_oid, cat, seq, tlv
from .ident import addr_string, cgi, geo_info, gsm7_pack, imei_tbcd, tbcd


OPS = {
    2: "updateLocation", 3: "cancelLocation", 4: "provideRoamingNumber",
    7: "insertSubscriberData", 8: "deleteSubscriberData", 10: "registerSS", 11: "eraseSS",
    12: "activateSS", 13: "deactivateSS", 14: "interrogateSS", 22: "sendRoutingInfo",
    23: "updateGprsLocation", 24: "sendRoutingInfoForGprs", 37: "reset", 43: "checkIMEI",
    44: "mt-forwardSM", 45: "sendRoutingInfoForSM", 46: "mo-forwardSM",
    55: "sendIdentification", 56: "sendAuthenticationInfo", 57: "restoreData",
    58: "sendIMSI", 59: "processUnstructuredSS-Request", 60: "unstructuredSS-Request",
    67: "purgeMS", 70: "provideSubscriberInfo", 71: "anyTimeInterrogation",
    83: "provideSubscriberLocation", 85: "sendRoutingInfoForLCS",
    47: "reportSM-DeliveryStatus", 63: "informServiceCentre", 64: "alertServiceCentre",
    66: "readyForSM",
}
# opcode 46 is forwardSM in MAP v1/v2 (shortMsgRelayContext-v1, shortMsgMO-RelayContext-v2,
# shortMsgMT-RelayContext-v2: mobile originated and terminated alike); mo-forwardSM in v3
OPS_V12 = {46: "forwardSM"}
OP = {v: k for k, v in OPS.items()}

# application context number (0.4.0.0.1.0.<n>.<version>) names
ACS = {
    "networkLocUp": 1, "locationCancellation": 2, "roamingNumberEnquiry": 3,
    "locationInfoRetrieval": 5, "reset": 10, "equipmentMngt": 13, "infoRetrieval": 14,
    "interVlrInfoRetrieval": 15, "subscriberDataMngt": 16, "networkFunctionalSs": 18,
    "networkUnstructuredSs": 19, "shortMsgGateway": 20, "shortMsgMO-Relay": 21,
    "shortMsgMT-Relay": 25, "imsiRetrieval": 26, "msPurging": 27,
    "subscriberInfoEnquiry": 28, "anyTimeInfoEnquiry": 29, "gprsLocationUpdate": 32,
    "gprsLocationInfoRetrieval": 33, "locationSvcGateway": 37, "locationSvcEnquiry": 38,
    "shortMsgAlert": 23, "mwdMngt": 24,
    "shortMsgRelay": 21,           # v1 name of AC 21 (shortMsgMO-Relay from v2 on)
}

# opcode -> (application context, usual version)
OP_AC = {
    2: ("networkLocUp", 3), 3: ("locationCancellation", 3), 4: ("roamingNumberEnquiry", 3),
    7: ("subscriberDataMngt", 3), 8: ("subscriberDataMngt", 3), 10: ("networkFunctionalSs", 2),
    11: ("networkFunctionalSs", 2), 12: ("networkFunctionalSs", 2),
    13: ("networkFunctionalSs", 2), 14: ("networkFunctionalSs", 2),
    22: ("locationInfoRetrieval", 3), 23: ("gprsLocationUpdate", 3),
    24: ("gprsLocationInfoRetrieval", 3), 37: ("reset", 2), 43: ("equipmentMngt", 3),
    44: ("shortMsgMT-Relay", 3), 45: ("shortMsgGateway", 3), 46: ("shortMsgMO-Relay", 3),
    55: ("interVlrInfoRetrieval", 3), 56: ("infoRetrieval", 3), 57: ("networkLocUp", 3),
    58: ("imsiRetrieval", 2), 59: ("networkUnstructuredSs", 2),
    60: ("networkUnstructuredSs", 2), 67: ("msPurging", 3), 70: ("subscriberInfoEnquiry", 3),
    71: ("anyTimeInfoEnquiry", 3), 83: ("locationSvcEnquiry", 3),
    85: ("locationSvcGateway", 3), 47: ("shortMsgGateway", 3), 64: ("shortMsgAlert", 2),
    66: ("mwdMngt", 3),
}

ERRORS = {1: "unknownSubscriber", 6: "absentSubscriberSM", 8: "roamingNotAllowed",
          27: "absentSubscriber", 34: "systemFailure", 35: "dataMissing",
          36: "unexpectedDataValue", 49: "unauthorizedLCSClient"}


def map_acn(name, version):
    """Application context name OID contents (0.4.0.0.1.0.n.v)."""
    return ber_oid([0, 4, 0, 0, 1, 0, ACS[name], version])


def map_acn_for(opcode, version=None):
    name, v = OP_AC[opcode]
    return map_acn(name, version or v)


# ---- argument encoders. Tags: MAP modules use IMPLICIT TAGS; CHOICE tags are explicit. ----

def isdn(d):
    return addr_string(d)


def map_update_location(imsi, msc, vlr, lmsi=None, camel_phases=(0, 1, 2)):
    return seq(tlv(0x04, tbcd(imsi)), tlv(0x81, isdn(msc)), tlv(0x04, isdn(vlr)),
               tlv(0x8A, lmsi) if lmsi else b"",
               tlv(0xA6, ber_bitstring(camel_phases, 4, tag=0x80)))   # vlr-Capability


def map_update_location_res(hlr):
    return seq(tlv(0x04, isdn(hlr)))


def map_cancel_location_v3(imsi, lmsi=None, ctype=0):
    ident = seq(tlv(0x04, tbcd(imsi)), tlv(0x04, lmsi)) if lmsi else tlv(0x04, tbcd(imsi))
    return tlv(0xA3, cat(ident, ber_enum(ctype)))            # [3] IMPLICIT SEQUENCE


def map_cancel_location_v2(imsi, lmsi=None):
    """MAP v2 CancelLocationArg: CHOICE { imsi IMSI, imsi-WithLMSI IMSI-WithLMSI }."""
    return seq(tlv(0x04, tbcd(imsi)), tlv(0x04, lmsi)) if lmsi else tlv(0x04, tbcd(imsi))


def map_prn(imsi, msc, msisdn, gmsc, callref=None):
    return seq(tlv(0x80, tbcd(imsi)), tlv(0x81, isdn(msc)), tlv(0x82, isdn(msisdn)),
               tlv(0x88, isdn(gmsc)), tlv(0x89, callref) if callref else b"")


def map_prn_res(msrn):
    return seq(tlv(0x04, isdn(msrn)))


def map_o_csi(gsmscf, service_key=100):
    tdp = seq(ber_enum(2), ber_int(service_key), tlv(0x80, isdn(gsmscf)), tlv(0x81, b"\x00"))
    return cat(seq(tdp), tlv(0x80, b"\x02"))                  # camelCapabilityHandling 2


def map_isd(imsi=None, msisdn=None, gsmscf=None, category=0x0A, teleservices=(0x11, 0x22),
            cfu_ss=(0x21,), odb=False):
    parts = [tlv(0x80, tbcd(imsi)) if imsi else b""]
    if msisdn:
        parts.append(tlv(0x81, isdn(msisdn)))
        parts.append(tlv(0x82, bytes((category,))))
        parts.append(tlv(0x83, b"\x00"))                       # subscriberStatus serviceGranted
        parts.append(tlv(0xA6, cat(*[tlv(0x04, bytes((t,))) for t in teleservices])))
        # provisionedSS [7]: Ext-SS-Info CHOICE forwardingInfo [0] Ext-ForwInfo
        ss = []
        for code in cfu_ss:
            feat = seq(tlv(0x83, b"\x10"), tlv(0x84, b"\x04"))  # teleservice speech, ss-Status P
            ss.append(tlv(0xA0, cat(tlv(0x04, bytes((code,))), seq(feat))))
        parts.append(tlv(0xA7, cat(*ss)))
    if gsmscf:
        parts.append(tlv(0xAD, tlv(0xA0, map_o_csi(gsmscf))))  # vlrCamelSubscriptionInfo o-CSI
    return seq(*parts)


def map_isd_res(teleservices=None):
    return seq(tlv(0xA1, cat(*[tlv(0x04, bytes((t,))) for t in teleservices])) if teleservices else b"")


def map_dsd(imsi, ss_codes=(0x21,)):
    return seq(tlv(0x80, tbcd(imsi)), tlv(0xA2, cat(*[tlv(0x04, bytes((c,))) for c in ss_codes])))


def map_register_ss(ss_code, ftn, teleservice=0x10, noreply=None):
    return seq(tlv(0x04, bytes((ss_code,))), tlv(0x83, bytes((teleservice,))),
               tlv(0x84, isdn(ftn)), ber_int(noreply, 0x85) if noreply else b"")


def map_ss_for_bs(ss_code, teleservice=None):
    return seq(tlv(0x04, bytes((ss_code,))),
               tlv(0x83, bytes((teleservice,))) if teleservice else b"")


def map_forwarding_info(ss_code, ftn, status=0x07):
    """SS-Info CHOICE forwardingInfo [0] ForwardingInfo."""
    feat = seq(tlv(0x83, b"\x10"), tlv(0x84, bytes((status,))), tlv(0x85, isdn(ftn)))
    return tlv(0xA0, cat(tlv(0x04, bytes((ss_code,))), seq(feat)))


def map_interrogate_ss_res(ftn=None, status=0x05):
    if ftn:   # forwardingFeatureList [3]
        return tlv(0xA3, seq(tlv(0x83, b"\x10"), tlv(0x84, bytes((status,))), tlv(0x85, isdn(ftn))))
    return tlv(0x80, bytes((status,)))                         # ss-Status [0]


def map_sri(msisdn, gmsc, callref=None, itype=0):
    return seq(tlv(0x80, isdn(msisdn)), ber_enum(itype, 0x83), tlv(0x86, isdn(gmsc)),
               tlv(0x87, callref) if callref else b"")


def map_sri_res(imsi, msrn, vmsc):
    return tlv(0xA3, cat(tlv(0x89, tbcd(imsi)), tlv(0x04, isdn(msrn)), tlv(0x82, isdn(vmsc))))


def map_sri_res_camel(imsi, vmsc, t_scf=None, o_scf=None):
    """v3 result with extendedRoutingInfo camelRoutingInfo [8] { gmscCamelSubscriptionInfo [0]
    { t-CSI [0], o-CSI [1] } }: the gsmSCFs the GMSC hands the call to."""
    csi = b""
    if t_scf:   # termAttemptAuthorized (12), service key 200
        csi += tlv(0xA0, seq(seq(ber_enum(12), ber_int(200), tlv(0x80, isdn(t_scf)))))
    if o_scf:   # collectedInfo (2), service key 100
        csi += tlv(0xA1, seq(seq(ber_enum(2), ber_int(100), tlv(0x80, isdn(o_scf)))))
    return tlv(0xA3, cat(tlv(0x89, tbcd(imsi)), tlv(0xA8, tlv(0xA0, csi)), tlv(0x82, isdn(vmsc))))


def gsn_address_v4(ip):
    return b"\x04" + bytes(int(x) for x in ip.split("."))


def map_ugl(imsi, sgsn, sgsn_ip):
    return seq(tlv(0x04, tbcd(imsi)), tlv(0x04, isdn(sgsn)), tlv(0x04, gsn_address_v4(sgsn_ip)))


def map_ugl_res(hlr):
    return seq(tlv(0x04, isdn(hlr)))


def map_sri_gprs(imsi, ggsn_ip, ggsn_number):
    return seq(tlv(0x80, tbcd(imsi)), tlv(0x81, gsn_address_v4(ggsn_ip)), tlv(0x82, isdn(ggsn_number)))


def map_sri_gprs_res(sgsn_ip):
    return seq(tlv(0x80, gsn_address_v4(sgsn_ip)))


def map_mt_fsm(imsi, sca, tpdu, more=False):
    return seq(tlv(0x80, tbcd(imsi)), tlv(0x84, isdn(sca)), tlv(0x04, tpdu),
               ber_null() if more else b"")


def map_mt_fsm_res_ack():
    """MT-ForwardSM-Res with an SMS-DELIVER-REPORT in sm-RP-UI (SIM OTA PoR style)."""
    return seq(tlv(0x04, bytes.fromhex("000000")))


def map_mo_fsm(sca, msisdn, tpdu, imsi=None):
    return seq(tlv(0x84, isdn(sca)), tlv(0x82, isdn(msisdn)), tlv(0x04, tpdu),
               tlv(0x04, tbcd(imsi)) if imsi else b"")


def map_sri_sm(msisdn, sca, pri=True):
    return seq(tlv(0x80, isdn(msisdn)), ber_bool(pri, 0x81), tlv(0x82, isdn(sca)))


def map_sri_sm_res(imsi, node, lmsi=None):
    return seq(tlv(0x04, tbcd(imsi)),
               tlv(0xA0, cat(tlv(0x81, isdn(node)), tlv(0x04, lmsi) if lmsi else b"")))


def map_sai_v3(imsi, nvec=5, node_type=0, plmn=None):
    return seq(tlv(0x80, tbcd(imsi)), ber_int(nvec), ber_enum(node_type, 0x83) if plmn else b"",
               tlv(0x84, plmn) if plmn else b"")


def map_sai_v2(imsi):
    return tlv(0x04, tbcd(imsi))


def map_quintuplets(rng, n):
    q = [seq(tlv(0x04, rng.randbytes(16)), tlv(0x04, rng.randbytes(8)), tlv(0x04, rng.randbytes(16)),
             tlv(0x04, rng.randbytes(16)), tlv(0x04, rng.randbytes(16))) for _ in range(n)]
    return tlv(0xA1, cat(*q))


def map_triplets_v2(rng, n):
    return seq(*[seq(tlv(0x04, rng.randbytes(16)), tlv(0x04, rng.randbytes(4)),
                     tlv(0x04, rng.randbytes(8))) for _ in range(n)])


def map_sai_res_v3(rng, n):
    return tlv(0xA3, map_quintuplets(rng, n))


def map_restore_data(imsi, lmsi=None):
    return seq(tlv(0x04, tbcd(imsi)), tlv(0x04, lmsi) if lmsi else b"",
               tlv(0xA6, ber_bitstring((0, 1, 2), 4, tag=0x80)))


def map_restore_data_res(hlr):
    return seq(tlv(0x04, isdn(hlr)))


def map_send_imsi(msisdn):
    return tlv(0x04, isdn(msisdn))


def map_send_imsi_res(imsi):
    return tlv(0x04, tbcd(imsi))


def map_ussd(text, msisdn=None, dcs=0x0F):
    _, packed = gsm7_pack(text, pad_cr=True)
    return seq(tlv(0x04, bytes((dcs,))), tlv(0x04, packed),
               tlv(0x80, isdn(msisdn)) if msisdn else b"")


def map_purge_ms(imsi, vlr):
    return tlv(0xA3, cat(tlv(0x04, tbcd(imsi)), tlv(0x80, isdn(vlr))))


def map_requested_info(location=True, state=True, current=False, imei=False, tag=0xA2):
    return tlv(tag, cat(ber_null(0x80) if location else b"", ber_null(0x81) if state else b"",
                        ber_null(0x83) if current else b"", ber_null(0x86) if imei else b""))


def map_psi(imsi, location=True, state=True, current=True, imei=True):
    return seq(tlv(0x80, tbcd(imsi)), map_requested_info(location, state, current, imei, 0xA2))


def map_location_information(cell, vlr, age=3, mcc="262", mnc="01", current=False):
    lac, ci, lat, lon = cell
    return tlv(0xA0, cat(ber_int(age), tlv(0x80, geo_info(lat, lon)), tlv(0x81, isdn(vlr)),
                         tlv(0xA3, tlv(0x80, cgi(mcc, mnc, lac, ci))),
                         ber_null(0x88) if current else b""))


def map_subscriber_info(cell, vlr, age=3, mcc="262", mnc="01", imei=None, current=False, state=0):
    st = {0: ber_null(0x80), 1: ber_null(0x81)}.get(state, ber_null(0x82))
    return seq(map_location_information(cell, vlr, age, mcc, mnc, current),
               tlv(0xA1, st), tlv(0x85, imei_tbcd(imei)) if imei else b"")


def map_psi_res(cell, vlr, **kw):
    return seq(map_subscriber_info(cell, vlr, **kw))


def map_ati(msisdn=None, imsi=None, gsmscf="", location=True, state=True, current=False, imei=False):
    ident = tlv(0x81, isdn(msisdn)) if msisdn else tlv(0x80, tbcd(imsi))
    return seq(tlv(0xA0, ident), map_requested_info(location, state, current, imei, 0xA1),
               tlv(0x83, isdn(gsmscf)))


def map_ati_res(cell, vlr, **kw):
    return seq(map_subscriber_info(cell, vlr, **kw))


def map_psl(mlc, imsi=None, msisdn=None, client_type=0, lcs_priority=None):
    return seq(seq(ber_enum(0, 0x80)), tlv(0x04, isdn(mlc)),
               tlv(0xA0, ber_enum(client_type, 0x80)),
               tlv(0x82, tbcd(imsi)) if imsi else b"", tlv(0x83, isdn(msisdn)) if msisdn else b"",
               tlv(0xA7, tlv(0xA3, ber_enum(1))))             # lcs-QoS responseTime delayTolerant


def map_psl_res(cell, age=5, mcc="262", mnc="01"):
    lac, ci, lat, lon = cell
    return seq(tlv(0x04, geo_info(lat, lon)), ber_int(age, 0x80),
               tlv(0xA6, tlv(0x80, cgi(mcc, mnc, lac, ci))))


def map_sri_lcs(mlc, msisdn=None, imsi=None):
    tgt = tlv(0x81, isdn(msisdn)) if msisdn else tlv(0x80, tbcd(imsi))
    return seq(tlv(0x80, isdn(mlc)), tlv(0xA1, tgt))


def map_sri_lcs_res(imsi, node):
    return seq(tlv(0xA0, tlv(0x80, tbcd(imsi))), tlv(0xA1, tlv(0x04, isdn(node))))


def map_send_identification(tmsi, nvec=None, msc=None):
    return seq(tlv(0x04, tmsi), ber_int(nvec) if nvec else b"", tlv(0x04, isdn(msc)) if msc else b"")


def map_send_identification_res(imsi, rng=None, nvec=0):
    return tlv(0xA3, cat(tlv(0x04, tbcd(imsi)), map_quintuplets(rng, nvec) if nvec else b""))


def map_reset(hlr, hlr_list=()):
    return seq(tlv(0x04, isdn(hlr)), seq(*[tlv(0x04, tbcd(p)) for p in hlr_list]) if hlr_list else b"")


def map_check_imei(imei):
    return seq(tlv(0x04, imei_tbcd(imei)), ber_bitstring((0,), 3))


def map_check_imei_res(status=0):
    return seq(ber_enum(status))


# ---- short message service, all versions (TS 29.002 clause 12 and MAP-SM-DataTypes) ----
# SM-RP-DA ::= CHOICE { imsi [0] IMSI, lmsi [1] LMSI, serviceCentreAddressDA [4] AddressString,
#                       noSM-RP-DA [5] NULL }          (v1 also: roamingNumber [3])
# SM-RP-OA ::= CHOICE { msisdn [2] ISDN-AddressString, serviceCentreAddressOA [4] AddressString,
#                       noSM-RP-OA [5] NULL }

def sm_rp_da(imsi=None, lmsi=None, sca=None):
    if imsi:
        return tlv(0x80, tbcd(imsi))
    if lmsi:
        return tlv(0x81, lmsi)
    return tlv(0x84, isdn(sca))


def sm_rp_oa(msisdn=None, sca=None):
    return tlv(0x82, isdn(msisdn)) if msisdn else tlv(0x84, isdn(sca))


def map_forward_sm(tpdu, imsi=None, lmsi=None, da_sca=None, oa_msisdn=None, oa_sca=None, more=False):
    """MAP v1/v2 ForwardSM-Arg ::= SEQUENCE { sm-RP-DA, sm-RP-OA, sm-RP-UI SignalInfo,
    moreMessagesToSend NULL OPTIONAL, ... }. Mobile terminated: DA imsi or lmsi, OA the
    service centre; mobile originated: DA the service centre, OA the sender's MSISDN."""
    return seq(sm_rp_da(imsi, lmsi, da_sca), sm_rp_oa(oa_msisdn, oa_sca), tlv(0x04, tpdu),
               ber_null() if more else b"")


def map_sri_sm_res_v1(imsi, msc, lmsi=None):
    """v1/v2 RoutingInfoForSM-Res: imsi, locationInfoWithLMSI [0] { locationInfo CHOICE
    { roamingNumber [0], msc-Number [1] } (networkNode-Number [1] from v2 on), lmsi }."""
    return map_sri_sm_res(imsi, msc, lmsi)


def map_absent_sm_param(diag=None):
    """AbsentSubscriberSM-Param ::= SEQUENCE { absentSubscriberDiagnosticSM INTEGER OPTIONAL,
    ... }: 0 no paging response, 1 IMSI detached, 2 roaming restriction, 3 deregistered, 4
    purged, 5 no paging response via the SGSN, 6 GPRS detached."""
    return seq(ber_int(diag) if diag is not None else b"")


def map_report_smds(msisdn, sca, outcome=1, diag=None):
    """ReportSM-DeliveryStatusArg ::= SEQUENCE { msisdn, serviceCentreAddress,
    sm-DeliveryOutcome ENUMERATED { memoryCapacityExceeded, absentSubscriber,
    successfulTransfer }, absentSubscriberDiagnosticSM [0] OPTIONAL, ... }"""
    return seq(tlv(0x04, isdn(msisdn)), tlv(0x04, isdn(sca)), ber_enum(outcome),
               ber_int(diag, 0x80) if diag is not None else b"")


def map_report_smds_res(msisdn=None):
    """v3 ReportSM-DeliveryStatusRes ::= SEQUENCE { storedMSISDN OPTIONAL, ... }"""
    return seq(tlv(0x04, isdn(msisdn)) if msisdn else b"")


def map_inform_sc(msisdn=None, mnrf=True, mcef=False):
    """InformServiceCentreArg ::= SEQUENCE { storedMSISDN OPTIONAL, mw-Status MW-Status
    OPTIONAL (BIT STRING { sc-AddressNotIncluded (0), mnrf-Set (1), mcef-Set (2),
    mnrg-Set (3) } SIZE (6..16)), ... }"""
    bits = [b for b, on in ((1, mnrf), (2, mcef)) if on]
    return seq(tlv(0x04, isdn(msisdn)) if msisdn else b"", ber_bitstring(bits, 6))


def map_alert_sc(msisdn, sca):
    """AlertServiceCentreArg ::= SEQUENCE { msisdn ISDN-AddressString, serviceCentreAddress
    AddressString, ... } (v2 alertServiceCentre, v1 alertServiceCentreWithoutResult)."""
    return seq(tlv(0x04, isdn(msisdn)), tlv(0x04, isdn(sca)))


def map_ready_for_sm(imsi, reason=0):
    """ReadyForSM-Arg ::= SEQUENCE { imsi [0] IMSI, alertReason ENUMERATED { ms-Present,
    memoryAvailable }, ... }"""
    return seq(tlv(0x80, tbcd(imsi)), ber_enum(reason))

