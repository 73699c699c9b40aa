#!/usr/bin/env python3
"""Generate map_test_data.c: TCAP/MAP messages for map_test.

Two sources: frames of the public traces in ../shared/traces (taken with tshark, byte exact;
the trace and frame are named in the comment), and messages built here, with the BER/TCAP
encoder of the trace generator (contrib/ss7genlib), for the operations no public trace holds.
Every message is also written into a pcap (MTP3 link type, SCCP UDT to SSN 6 from SSN 8) so
that `tshark -V` can decode it as the independent reference:

    ./map_test_gen.py --pcap /tmp/map_test.pcap > map_test_data.c
"""
import json, os, struct, subprocess, sys

TRACES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../shared/traces")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.realpath(__file__)), "..", "..", "contrib"))

from ss7genlib.ber import (  # noqa: E402  (needs the path above)
    ber_enum as enum, ber_int as integer, ber_null as null, ber_oid, cat, seq, tlv as ber_tlv)
from ss7genlib.ident import addr_string, tbcd  # noqa: E402
from ss7genlib.pcap import PcapWriter  # noqa: E402
from ss7genlib.sccp import sccp_addr, sccp_udt  # noqa: E402
from ss7genlib.tcap import (  # noqa: E402
    aare as tcap_aare, aarq as tcap_aarq, abrt, components as comps, dialogue_portion, invoke, reject,
    result_last as result, return_error, tcap_abort)

# (trace, frame, what tshark -V shows there)
TRACE_FRAMES = [
    ("gsm_map_with_ussd_string.pcap", 1, "processUnstructuredSS-Request v2, ussd *140*0761241377#, msisdn 27761485722"),
    ("pcapr_LU.pcap", 1, "updateLocation v3: imsi 001011356567851, msc 441122, vlr 441122"),
    ("pcapr_LU.pcap", 2, "insertSubscriberData in a Continue: msisdn 19786148973, ss-Data clir (0x12), colr (0x14)"),
    ("pcapr_LU.pcap", 3, "returnResultLast without opcode"),
    ("pcapr_LU.pcap", 4, "updateLocation result: hlr-Number 441354"),
    ("pcapr_dump.pcap", 10, "sendRoutingInfoForSM v2: msisdn 41792457333, sm-RP-PRI false, SC 41799797800"),
    ("pcapr_dump.pcap", 12, "sendRoutingInfoForSM result: imsi 228012120109856, msc-Number 41794947000"),
    ("pcapr_dump.pcap", 15, "forwardSM v2 (MT): imsi 228012120109856, SC 41799797800, SMS-DELIVER TP-OA 123456789012345, PID 0, DCS 0"),
    ("pcapr_gprs_ms_log.pcap", 4, "sendAuthenticationInfo v3: imsi 460004100000101, 2 vectors"),
    ("pcapr_gprs_ms_log.pcap", 5, "sendAuthenticationInfo result: quintupletList 1 item"),
    ("pcapr_gprs_ms_log.pcap", 10, "updateGprsLocation: imsi 460004100000101, sgsn-Number 861370800, sgsn-Address 04c0a96401"),
    ("pcapr_gprs_ms_log.pcap", 13, "updateGprsLocation result: hlr-Number 8615100406"),
    ("pcapr_test.pcap", 8, "anyTimeInterrogation: msisdn 918793714126, locationInformation, subscriberState, currentLocation, cs-Domain, gsmSCF 35699410525"),
    ("pcapr_test.pcap", 10, "anyTimeInterrogation result: age 2, vlr 919028055000, CGI 405-37 lac 7005 ci 31319, assumedIdle"),
    ("pcapr_test.pcap", 42, "sendIdentification v2: TMSI 70f0d55e"),
    ("pcapr_test.pcap", 44, "sendIdentification v2 result: imsi 405037027451342, 4 authentication sets"),
    ("pcapr_test.pcap", 65, "returnError roamingNotAllowed (8) with a parameter"),
    ("pcapr_tmp.pcap", 1, "insertSubscriberData v3: imsi 234157799310552, msisdn 447799310552, CFU (0x21) to 44786728001, 0x11"),
    ("pcapr_tmp.pcap", 20, "sendRoutingInfo v3: msisdn 447799119004, basicCall, gmsc 447785012100, callref 45f69b0079"),
    ("pcapr_tmp.pcap", 23, "returnError teleserviceNotProvisioned (11), no parameter"),
    ("sigcorr_atk006_subscriber_dos.pcap", 1, "cancelLocation v3 shape, no dialogue portion: imsi 234101234567890"),
    ("sigcorr_atk006_subscriber_dos.pcap", 2, "deleteSubscriberData: imsi 234101234567890"),
    ("timkam_test_long_length_in_dialogue.pcap", 1, "End with an AARE in indefinite lengths everywhere"),
    ("timkam_test_unknown_tcap_tag.pcap", 1, "Continue, long-form lengths, invoke id -41"),
]


# --- short names for the table below, on the BER/TCAP encoder of contrib/ss7genlib ---
def tlv(tag, *content):
    return ber_tlv(tag, cat(*content))


def h(tag, hexs):
    return ber_tlv(tag, bytes.fromhex(hexs))


def addr(tag, digits):
    return ber_tlv(tag, addr_string(digits))


def imsi(tag, digits):
    return ber_tlv(tag, tbcd(digits))


def map_ac(ctx, ver):
    """OID contents of the MAP application context 0.4.0.0.1.0.ctx.ver."""
    return ber_oid([0, 4, 0, 0, 1, 0, ctx, ver])


def acn(ctx, ver):
    return ber_tlv(0x06, map_ac(ctx, ver))


def aarq(ctx, ver, user_info=b""):
    """Dialogue portion with an AARQ; user_info (a MAP-OpenInfo) as the table writes it."""
    return dialogue_portion(tlv(0x60, h(0x80, "0780"), tlv(0xa1, acn(ctx, ver)), user_info))


def aare(ctx, ver, result=0):
    return dialogue_portion(tcap_aare(map_ac(ctx, ver), result))


def begin(otid, *parts):
    return tlv(0x62, h(0x48, otid), *parts)


def end(dtid, *parts):
    return tlv(0x64, h(0x49, dtid), *parts)


def cont(otid, dtid, *parts):
    return tlv(0x65, h(0x48, otid), h(0x49, dtid), *parts)


CGI = "42f020" + "1b5d" + "7a57"       # MCC 240 MNC 02, LAC 7005, CI 31319

# (name, bytes, comment) of messages built here; tshark's view is checked from the pcap
BUILT = [
    ("cancelLocation v3 arg [3] { imsi, cancellationType subscriptionWithdraw }",
     begin("01000001", aarq(2, 3), comps(invoke(1, 3, tlv(0xa3, imsi(0x04, "262019876543210"), enum(1)))))),
    ("cancelLocation v2 arg: a bare IMSI",
     begin("01000002", aarq(2, 2), comps(invoke(1, 3, imsi(0x04, "262019876543210"))))),
    ("cancelLocation v2 arg: IMSI-WithLMSI",
     begin("01000003", aarq(2, 2), comps(invoke(1, 3, seq(imsi(0x04, "262019876543210"), h(0x04, "01020304")))))),
    ("provideRoamingNumber v3 arg",
     begin("01000004", aarq(3, 3), comps(invoke(1, 4, seq(imsi(0x80, "262019876543210"), addr(0x81, "4917012345"),
                                                            addr(0x82, "4917699999"), addr(0x88, "4917011111"),
                                                            h(0x89, "0700014428099601")))))),
    ("provideRoamingNumber v3 result { roamingNumber }",
     end("01000004", aare(3, 3), comps(result(1, 4, seq(addr(0x04, "491709990001")))))),
    ("provideRoamingNumber v2 result: a bare roaming number",
     end("01000005", aare(3, 2), comps(result(1, 4, addr(0x04, "491709990002"))))),
    ("insertSubscriberData v3 with CAMEL: o-CSI, ss-CSI, mo-sms-CSI, vt-CSI, d-CSI; CFU to a foreign number",
     cont("02000001", "03000001", aare(1, 3), comps(invoke(2, 7, seq(
         imsi(0x80, "262019876543210"), addr(0x81, "4917699999"),
         tlv(0xa7, tlv(0xa0, h(0x04, "21"), seq(seq(h(0x83, "10"), h(0x84, "07"), addr(0x85, "79261234567"))))),
         tlv(0xad,
             tlv(0xa0, seq(seq(enum(2), integer(100), addr(0x80, "88269001")))),
             tlv(0xa2, seq(seq(h(0x04, "21")), addr(0x04, "88269002"))),
             tlv(0xa6, tlv(0xa0, seq(h(0x80, "01"), h(0x81, "05"), addr(0x82, "88269003")))),
             tlv(0xa7, seq(seq(enum(12), integer(7), addr(0x80, "88269004")))),
             tlv(0xa9, tlv(0xa0, seq(addr(0x04, "123"), integer(9), addr(0x04, "88269005"), enum(0)))))))))),
    ("deleteSubscriberData { imsi [0], ss-List [2] }",
     begin("01000006", aarq(16, 3), comps(invoke(1, 8, seq(imsi(0x80, "262019876543210"), tlv(0xa2, h(0x04, "21"), h(0x04, "92"))))))),
    ("registerSS: CFU (0x21) for telephony to 79261234567",
     begin("01000007", aarq(18, 2), comps(invoke(1, 10, seq(h(0x04, "21"), h(0x83, "10"), addr(0x84, "79261234567")))))),
    ("registerSS result: forwardingInfo { ss-Code, { { ss-Status, forwardedToNumber } } }",
     end("01000007", aare(18, 2), comps(result(1, 10, tlv(0xa0, h(0x04, "21"), seq(seq(h(0x83, "10"), h(0x84, "07"), addr(0x85, "79261234567")))))))),
    ("activateSS: CFB (0x29)",
     begin("01000008", aarq(18, 2), comps(invoke(1, 12, seq(h(0x04, "29")))))),
    ("activateSS result: ss-Data { ss-Code, ss-Status }",
     end("01000008", aare(18, 2), comps(result(1, 12, tlv(0xa3, h(0x04, "29"), h(0x84, "05")))))),
    ("deactivateSS: BAOC (0x92)",
     begin("01000009", aarq(18, 2), comps(invoke(1, 13, seq(h(0x04, "92")))))),
    ("deactivateSS result: callBarringInfo { ss-Code, { { ss-Status } } }",
     end("01000009", aare(18, 2), comps(result(1, 13, tlv(0xa1, h(0x04, "92"), seq(seq(h(0x84, "04")))))))),
    ("eraseSS: CFNRy (0x2a) for bearer service 0x1f",
     begin("0100000a", aarq(18, 2), comps(invoke(1, 11, seq(h(0x04, "2a"), h(0x82, "1f")))))),
    ("interrogateSS: CLIP (0x11)",
     begin("0100000b", aarq(18, 2), comps(invoke(1, 14, seq(h(0x04, "11")))))),
    ("interrogateSS result: ss-Status [0]",
     end("0100000b", aare(18, 2), comps(result(1, 14, h(0x80, "05"))))),
    ("interrogateSS result: forwardingFeatureList [3]",
     end("0100000c", aare(18, 2), comps(result(1, 14, tlv(0xa3, seq(h(0x83, "10"), h(0x84, "07"), addr(0x85, "79261234567"))))))),
    ("sendRoutingInfo v3 arg: ss7MAPer's fixed callReferenceNumber",
     begin("0100000d", aarq(5, 3), comps(invoke(1, 22, seq(addr(0x80, "4917699999"), enum(0) and h(0x83, "00"),
                                                             addr(0x86, "4917011111"), h(0x87, "070001442809961f")))))),
    ("sendRoutingInfo v3 result [3]: imsi, roaming number, subscriberInfo, vmsc",
     end("0100000d", aare(5, 3), comps(result(1, 22, tlv(0xa3, imsi(0x89, "262019876543210"), addr(0x04, "491709990003"),
                                                            tlv(0xa7, tlv(0xa0, integer(5), addr(0x81, "4917012345"), tlv(0xa3, h(0x80, CGI))),
                                                                tlv(0xa1, null(0x80))),
                                                            addr(0x82, "4917012345")))))),
    ("sendRoutingInfo v2 result: { imsi, roamingNumber }",
     end("0100000e", aare(5, 2), comps(result(1, 22, seq(imsi(0x04, "262019876543210"), addr(0x04, "491709990004")))))),
    ("sendRoutingInfoForGprs arg { imsi [0], ggsn-Address [1], ggsn-Number [2] }",
     begin("0100000f", aarq(33, 4), comps(invoke(1, 24, seq(imsi(0x80, "262019876543210"), h(0x81, "04c0a80001"), addr(0x82, "4917022222")))))),
    ("sendRoutingInfoForGprs result { sgsn-Address [0] }",
     end("0100000f", aare(33, 4), comps(result(1, 24, seq(h(0x80, "04c0a80002")))))),
    ("mt-forwardSM v3: silent SMS (TP-PID 0x40 short message type 0), DCS 0xf6 (class 2 SIM data)",
     begin("01000010", aarq(25, 3), comps(invoke(1, 44, seq(imsi(0x80, "262019876543210"), addr(0x84, "4917011234"),
                                                              h(0x04, "040b919471329476f540f6" + "52409061700500" + "00")))))),
    ("mo-forwardSM v3: SMS-SUBMIT to 4917612345, PID 0, DCS 0",
     begin("01000011", aarq(21, 3), comps(invoke(1, 46, seq(addr(0x84, "4917011234"), addr(0x82, "4917699999"),
                                                              h(0x04, "01050a81947106214300000548656c6c6f")))))),
    ("sendRoutingInfoForSM v3: sm-RP-PRI true (SigPloit)",
     begin("01000012", aarq(20, 3), comps(invoke(1, 45, seq(addr(0x80, "4917699999"), h(0x81, "ff"), addr(0x82, "4917011234")))))),
    ("sendRoutingInfoForSM v3 result: imsi, networkNode-Number, lmsi, additional sgsn-Number",
     end("01000012", aare(20, 3), comps(result(1, 45, seq(imsi(0x04, "262019876543210"),
                                                           tlv(0xa0, addr(0x81, "4917012345"), h(0x04, "0a0b0c0d"),
                                                               tlv(0xa6, addr(0x81, "4917033333")))))))),
    ("sendAuthenticationInfo v2 arg: a bare IMSI",
     begin("01000013", aarq(14, 2), comps(invoke(1, 56, imsi(0x04, "262019876543210"))))),
    ("sendAuthenticationInfo v3 arg: 5 vectors (as ss7MAPer asks)",
     begin("01000014", aarq(14, 3), comps(invoke(1, 56, seq(imsi(0x80, "262019876543210"), integer(5)))))),
    ("sendAuthenticationInfo v2 result: 2 triplets",
     end("01000013", aare(14, 2), comps(result(1, 56, seq(seq(h(0x04, "00" * 16), h(0x04, "11" * 4), h(0x04, "22" * 8)),
                                                           seq(h(0x04, "33" * 16), h(0x04, "44" * 4), h(0x04, "55" * 8))))))),
    ("restoreData arg { imsi, lmsi }",
     begin("01000015", aarq(1, 3), comps(invoke(1, 57, seq(imsi(0x04, "262019876543210"), h(0x04, "01020304")))))),
    ("restoreData result { hlr-Number }",
     end("01000015", aare(1, 3), comps(result(1, 57, seq(addr(0x04, "4917044444")))))),
    ("sendIMSI arg: a bare MSISDN",
     begin("01000016", aarq(26, 2), comps(invoke(1, 58, addr(0x04, "4917699999"))))),
    ("sendIMSI result: a bare IMSI",
     end("01000016", aare(26, 2), comps(result(1, 58, imsi(0x04, "262019876543210"))))),
    ("unstructuredSS-Request (network initiated) linked to invoke 1",
     cont("02000002", "03000002", comps(invoke(2, 60, seq(h(0x04, "0f"), h(0x04, "d4b21c"), addr(0x80, "4917699999")), linked=1)))),
    ("unstructuredSS-Notify",
     cont("02000003", "03000003", comps(invoke(3, 61, seq(h(0x04, "0f"), h(0x04, "d4b21c")))))),
    ("processUnstructuredSS-Request result",
     end("03000004", comps(result(1, 59, seq(h(0x04, "0f"), h(0x04, "d4b21c")))))),
    ("purgeMS v3 arg [3] { imsi, vlr-Number [0] }",
     begin("01000017", aarq(27, 3), comps(invoke(1, 67, tlv(0xa3, imsi(0x04, "262019876543210"), addr(0x80, "4917012345")))))),
    ("purgeMS v2 arg { imsi, vlr-Number }",
     begin("01000018", aarq(27, 2), comps(invoke(1, 67, seq(imsi(0x04, "262019876543210"), addr(0x04, "4917012345")))))),
    ("purgeMS result { freezeTMSI, freezeP-TMSI }",
     end("01000017", aare(27, 3), comps(result(1, 67, seq(null(0x80), null(0x81)))))),
    ("provideSubscriberInfo arg: SigPloit's requestedInfo (location, state, currentLocation, IMEI)",
     begin("01000019", aarq(28, 3), comps(invoke(1, 70, seq(imsi(0x80, "262019876543210"),
                                                              tlv(0xa2, null(0x80), null(0x81), null(0x83), null(0x86))))))),
    ("provideSubscriberInfo result: location, netDetNotReachable imsiDetached, IMEI",
     end("01000019", aare(28, 3), comps(result(1, 70, seq(seq(
         tlv(0xa0, integer(0), addr(0x81, "4917012345"), tlv(0xa3, h(0x81, CGI[:10]))),
         tlv(0xa1, enum(1)),
         imsi(0x85, "3534900698733190"))))))),
    ("anyTimeInterrogation arg by IMSI, requesting IMEI",
     begin("0100001a", aarq(29, 3), comps(invoke(1, 71, seq(tlv(0xa0, imsi(0x80, "262019876543210")),
                                                              tlv(0xa1, null(0x80), null(0x86)), addr(0x83, "4917055555")))))),
    ("provideSubscriberLocation arg: lawful intercept client, imsi and msisdn",
     begin("0100001b", aarq(38, 3), comps(invoke(1, 83, seq(seq(h(0x80, "00")), addr(0x04, "4917066666"), tlv(0xa0, h(0x80, "03")),
                                                              imsi(0x82, "262019876543210"), addr(0x83, "4917699999")))))),
    ("provideSubscriberLocation result: estimate, age, cell",
     end("0100001b", aare(38, 3), comps(result(1, 83, seq(h(0x04, "1026a2f72e03b1"), h(0x80, "0f"), tlv(0xa6, h(0x80, CGI))))))),
    ("sendRoutingInfoForLCS arg { mlcNumber [0], targetMS [1] msisdn }",
     begin("0100001c", aarq(37, 3), comps(invoke(1, 85, seq(addr(0x80, "4917066666"), tlv(0xa1, addr(0x81, "4917699999"))))))),
    ("sendRoutingInfoForLCS result { targetMS [0] imsi, lcsLocationInfo [1] }",
     end("0100001c", aare(37, 3), comps(result(1, 85, seq(tlv(0xa0, imsi(0x80, "262019876543210")),
                                                           tlv(0xa1, addr(0x04, "4917012345"), tlv(0xa3, addr(0x80, "4917012345")))))))),
    ("sendIdentification v3 arg { tmsi, numberOfRequestedVectors, msc-Number }",
     begin("0100001d", aarq(15, 3), comps(invoke(1, 55, seq(h(0x04, "70f0d55e"), integer(2), addr(0x04, "4917012345")))))),
    ("sendIdentification v3 result [3] { imsi }",
     end("0100001d", aare(15, 3), comps(result(1, 55, tlv(0xa3, imsi(0x04, "262019876543210")))))),
    ("reset arg { hlr-Number }",
     begin("0100001e", aarq(10, 2), comps(invoke(1, 37, seq(addr(0x04, "4917044444")))))),
    ("reset arg { hlr-Number, hlr-List { 26201, 2620198 } }",
     begin("01000028", aarq(10, 2), comps(invoke(1, 37, seq(addr(0x04, "4917044444"),
                                                             seq(imsi(0x04, "26201"), imsi(0x04, "2620198"))))))),
    ("mo-forwardSM v3 with the sender's IMSI after the extension container",
     begin("01000029", aarq(21, 3), comps(invoke(1, 46, seq(addr(0x84, "4917011234"), addr(0x82, "4917699999"),
                                                              h(0x04, "01050a81947106214300000548656c6c6f"),
                                                              seq(tlv(0xa0, seq(h(0x06, "2a03"))) ),
                                                              imsi(0x04, "262019876543210")))))),
    ("mt-forwardSM v3 with smDeliveryTimer and smDeliveryStartTime (not an IMSI)",
     begin("0100002a", aarq(25, 3), comps(invoke(1, 44, seq(imsi(0x80, "262019876543210"), addr(0x84, "4917011234"),
                                                              h(0x04, "040b919471329476f50000" + "52409061700500" + "00"),
                                                              integer(30), h(0x04, "65f1a2b3")))))),
    ("checkIMEI v3 arg { imei, requestedEquipmentInfo }",
     begin("0100001f", aarq(13, 3), comps(invoke(1, 43, seq(imsi(0x04, "3534900698733190"), h(0x03, "0680")))))),
    ("checkIMEI v2 arg: a bare IMEI",
     begin("01000020", aarq(13, 2), comps(invoke(1, 43, imsi(0x04, "3534900698733190"))))),
    ("checkIMEI v2 result: equipmentStatus blackListed",
     end("01000020", aare(13, 2), comps(result(1, 43, enum(1))))),
    ("checkIMEI v3 result { equipmentStatus greyListed }",
     end("0100001f", aare(13, 3), comps(result(1, 43, seq(enum(2)))))),
    ("readyForSM { imsi [0], alertReason memoryAvailable }",
     begin("01000021", aarq(24, 3), comps(invoke(1, 66, seq(imsi(0x80, "262019876543210"), enum(1)))))),
    ("reportSM-DeliveryStatus { msisdn, SC, absentSubscriber }",
     begin("01000022", aarq(20, 3), comps(invoke(1, 47, seq(addr(0x04, "4917699999"), addr(0x04, "4917011234"), enum(1)))))),
    ("subscriberLocationReport { mo-lr, client, location info, msisdn, imsi, estimate }",
     begin("01000023", aarq(38, 3), comps(invoke(1, 86, seq(enum(2), seq(h(0x80, "00")), seq(addr(0x04, "4917012345")),
                                                              addr(0x80, "4917699999"), imsi(0x81, "262019876543210"),
                                                              h(0x85, "1026a2f72e03b1")))))),
    ("Continue with two components: insertSubscriberData and activateTraceMode",
     cont("02000004", "03000004", comps(invoke(1, 7, seq(imsi(0x80, "262019876543210"), addr(0x81, "4917699999"))),
                                       invoke(2, 50, seq(imsi(0x80, "262019876543210"), h(0x81, "0102")))))),
    ("End with returnResultLast, returnError (unknownSubscriber) and reject (invoke, unrecognizedOperation)",
     end("03000005", comps(result(1, 2, seq(addr(0x04, "4917044444"))), return_error(2, 1), reject(3, 1, 1)))),
    ("Reject with a NULL invoke id, general problem mistypedComponent",
     end("03000006", comps(reject(None, 0, 1)))),
    ("invoke with a global (OID) opcode and returnError with a global error code",
     begin("01000024", comps(invoke(1, None, seq(imsi(0x04, "262019876543210")), global_oid=bytes.fromhex("04000001000102")),
                             tlv(0xa3, integer(2), h(0x06, "0400000101")))) ),
    ("Begin naming CAMEL phase 4 (not MAP): its opcode 0 is not decoded as MAP",
     begin("01000025", dialogue_portion(tcap_aarq(bytes.fromhex("04000001150304"))),
           comps(invoke(1, 0, seq(h(0x80, "0a")))))),
    ("AARQ with MAP-OpenInfo destinationReference (an IMSI) and originationReference",
     begin("01000026", aarq(19, 2, tlv(0xbe, tlv(0x28, h(0x06, "04000001010101"), tlv(0xa0, tlv(0xa0,
         imsi(0x80, "262019876543210") and tlv(0x80, bytes([0x11]) + tbcd("262019876543210")), addr(0x81, "4917011234")))))),
           comps(invoke(1, 59, seq(h(0x04, "0f"), h(0x04, "aa180da682dd6c31192d36bbdd46")))))),
    ("Abort with P-Abort cause resourceLimitation (4)",
     tcap_abort(0x01000001, p_cause=4)),
    ("Abort with a dialogue portion ABRT (user abort)",
     tcap_abort(0x01000002, dialogue=dialogue_portion(abrt(map_user_abort=False)))),
    ("Unidirectional with AUDT",
     tlv(0x61, tlv(0x6b, tlv(0x28, h(0x06, "00118605010201"), tlv(0xa0, tlv(0x60, tlv(0xa1, acn(23, 2)))))),
         comps(invoke(1, 64, seq(addr(0x04, "4917699999"), addr(0x04, "4917011234")))))),
    ("AARE rejecting the dialogue (result reject-permanent)",
     end("01000027", aare(29, 3, 1))),
    ("17 components: the 17th is beyond SW_MAX_COMPONENTS",
     cont("02000005", "03000007", comps(*[invoke(i, 61, seq(h(0x04, "0f"), h(0x04, "d4b21c"))) for i in range(17)]))),
    ("sendRoutingInfo v3 result [3] with camelRoutingInfo [8]: T-CSI gsmSCF 88269011, O-CSI gsmSCF 88269012",
     end("01000020", aare(5, 3), comps(result(1, 22, tlv(0xa3, imsi(0x89, "262019876543210"),
                                                            tlv(0xa8, tlv(0xa0,
                                                                tlv(0xa0, seq(seq(enum(12), integer(200), addr(0x80, "88269011")))),
                                                                tlv(0xa1, seq(seq(enum(2), integer(100), addr(0x80, "88269012")))))),
                                                            addr(0x82, "4917012345")))))),
    ("forwardSM v2 (MO) under shortMsgMO-RelayContext-v2: SM-RP-DA SC address, SM-RP-OA msisdn",
     begin("0100002b", aarq(21, 2), comps(invoke(1, 46, seq(addr(0x84, "4917011234"), addr(0x82, "4917699999"),
                                                              h(0x04, "01050a81947106214300000548656c6c6f")))))),
    ("forwardSM v1 (MT) without dialogue portion: SM-RP-DA lmsi, SM-RP-OA SC address",
     begin("0100002c", comps(invoke(1, 46, seq(h(0x81, "0a1b2c3d"), addr(0x84, "4917011234"),
                                              h(0x04, "040b919471329476f50000" + "52409061700500" + "00")))))),
    ("forwardSM v2 (MT) under shortMsgMT-RelayContext-v2: noSM-RP-DA, SM-RP-OA SC address",
     begin("0100002d", aarq(25, 2), comps(invoke(1, 46, seq(null(0x85), addr(0x84, "4917011234"),
                                                              h(0x04, "040b919471329476f50000" + "52409061700500" + "00")))))),
    ("forwardSM v2 (MO) under shortMsgMT-RelayContext-v2: the arguments, not the AC, say MO",
     begin("0100002e", aarq(25, 2), comps(invoke(1, 46, seq(addr(0x84, "4917011234"), addr(0x82, "4917699999"),
                                                              h(0x04, "01050a81947106214300000548656c6c6f")))))),
]


def trace_frames():
    out = []
    for trace, frame, what in TRACE_FRAMES:
        path = os.path.join(TRACES, trace)
        j = subprocess.run(["tshark", "-n", "-r", path, "-Y", "frame.number==%d" % frame, "-T", "json", "-x"],
                           capture_output=True, text=True).stdout
        raw = json.loads(j)[0]["_source"]["layers"]["tcap_raw"]
        if isinstance(raw[0], list):
            raw = raw[0]
        out.append(("%s frame %d: %s" % (trace, frame, what), bytes.fromhex(raw[0])))
    return out


def c_array(name, data, comment):
    lines = ["/* %s */" % comment, "static const uint8_t %s[] = {" % name]
    for i in range(0, len(data), 12):
        lines.append("\t" + " ".join("0x%02x," % b for b in data[i:i + 12]))
    lines.append("};")
    return "\n".join(lines)


def write_pcap(path, msgs):
    """MTP3 (DLT 141): SIO SCCP national, ITU label, then an SCCP UDT SSN 8 -> SSN 6."""
    out = PcapWriter(path, linktype=141)
    called, calling = sccp_addr(ssn=6, route_on_ssn=True), sccp_addr(ssn=8, route_on_ssn=True)
    for n, (_, tcap) in enumerate(msgs):
        if len(tcap) < 256:
            udt = sccp_udt(called, calling, tcap, pclass=0x00)
        else:
            # LUDT: 2-octet pointers and a 2-octet data length
            o_called = 11
            o_calling = o_called + 1 + len(called)
            o_data = o_calling + 1 + len(calling)
            udt = bytes([0x13, 0x00, 0x0f]) + struct.pack("<HHHH", o_called - 3, o_calling - 5, o_data - 7, 0)
            udt += bytes([len(called)]) + called + bytes([len(calling)]) + calling
            udt += struct.pack("<H", len(tcap)) + tcap
        out.write(n, bytes([0x83, 0x01, 0x40, 0x00, 0x00]) + udt)
    out.close()


def main():
    pcap = None
    if len(sys.argv) > 2 and sys.argv[1] == "--pcap":
        pcap = sys.argv[2]
    msgs = trace_frames() + [(c, b) for c, b in BUILT]
    if pcap:
        write_pcap(pcap, msgs)
    print("/* Generated by map_test_gen.py: public trace frames (byte exact, via tshark) and")
    print(" * messages built by its BER encoder. Each was decoded by tshark -V for reference. */")
    print("#include \"map_test.h\"\n")
    for i, (comment, data) in enumerate(msgs):
        print(c_array("msg%d" % i, data, comment))
        print()
    print("const struct test_msg map_test_msgs[] = {")
    for i, (comment, _) in enumerate(msgs):
        print('\t{ "%s", msg%d, sizeof(msg%d) },' % (comment.replace('"', "'"), i, i))
    print("};")
    print("")
    print("const unsigned map_test_n_msgs = sizeof(map_test_msgs) / sizeof(map_test_msgs[0]);")


if __name__ == "__main__":
    main()
