"""Subcommand edge: transport and encoding corner cases."""

import struct

from .ber import ber_oid, ber_reencode
from .ident import plmn_id
from .gsm_map import (
    map_acn_for, map_dsd, map_forwarding_info, map_interrogate_ss_res, map_isd, map_psi,
    map_psi_res, map_register_ss, map_sai_res_v3, map_sai_v3, map_sri_sm, map_sri_sm_res,
    map_ss_for_bs)
from .tcap import aare, aarq, dialogue_portion, invoke, reject, result_last, tcap_begin, tcap_end
from .sccp import sccp_addr, sccp_udt, sccp_xudt_segments
from .m3ua import m3ua_aspac, m3ua_aspac_ack, m3ua_aspup, m3ua_aspup_ack, m3ua_data, m3ua_dava
from .transport import sctp_data_chunk, sctp_heartbeat, sctp_sack
from .flows import Sub, flow_sms_mt, home_gsmscf, msc_of


def gen_edge(net):
    h = net.home
    fr, gb = net.partners[0], net.partners[1]
    rng = net.rng
    hlr, vlr = h.node("hlr"), h.node("vlr")
    smsc = h.node("smsc")
    subs = [Sub(h, 100 + i, vlr, rng, h.cells[i % len(h.cells)]) for i in range(8)]
    A = net.assocs[fr.id]
    lab = {"label": "benign"}

    def L(kind, **kw):
        return dict({"edge": kind}, **kw)

    # M3UA management on the FR association: ASPUP/ACK, ASPAC/ACK, DAVA; SCTP HEARTBEAT
    net.raw(A, "in", [sctp_data_chunk(A.next_tsn("in"), 0, A.next_sseq("in", 0), m3ua_aspup(7))],
            L("m3ua-aspup"))
    net.raw(A, "out", [sctp_data_chunk(A.next_tsn("out"), 0, A.next_sseq("out", 0), m3ua_aspup_ack())],
            L("m3ua-aspup-ack"), dt=0.001)
    net.raw(A, "in", [sctp_data_chunk(A.next_tsn("in"), 0, A.next_sseq("in", 0), m3ua_aspac(A.rc))],
            L("m3ua-aspac"), dt=0.001)
    net.raw(A, "out", [sctp_data_chunk(A.next_tsn("out"), 0, A.next_sseq("out", 0), m3ua_aspac_ack(A.rc))],
            L("m3ua-aspac-ack"), dt=0.001)
    net.raw(A, "out", [sctp_data_chunk(A.next_tsn("out"), 0, A.next_sseq("out", 0),
                                       m3ua_dava([hlr.pc, vlr.pc], A.rc))], L("m3ua-dava"), dt=0.001)
    net.raw(A, "in", [sctp_sack(A.tsn["out"] - 1)], L("sctp-sack"), dt=0.001)
    net.raw(A, "out", [sctp_sack(A.tsn["in"] - 1)], L("sctp-sack"), dt=0.001)
    hb = struct.pack(">Q", 0x0102030405060708)
    net.raw(A, "in", [sctp_heartbeat(hb)], L("sctp-heartbeat"))
    net.raw(A, "out", [sctp_heartbeat(hb, ack=True)], L("sctp-heartbeat-ack"), dt=0.0005)

    def udt_chunk(src, dst, tcap, d, a=A, sls=3):
        _, _, opc, dpc, ni = net.route(src, dst)
        cd = sccp_addr(dst.gt, dst.ssn)
        cg = sccp_addr(src.gt, src.ssn)
        m3 = m3ua_data(opc, dpc, sccp_udt(cd, cg, tcap), ni=ni, sls=sls, rc=a.rc)
        st = 1 + sls % 15
        return sctp_data_chunk(a.next_tsn(d), st, a.next_sseq(d, st), m3)

    frv = fr.node("vlr")
    # multi-component Begin: 3 SAI invokes? MAP allows several invokes of one AC: use SS ops
    s = subs[0]
    d = net.dialogue(vlr, hlr, 10, info=dict(s.lab(), **lab))
    d.begin([invoke(1, 10, map_register_ss(0x21, "4930123456")),
             invoke(2, 12, map_ss_for_bs(0x21)),
             invoke(3, 14, map_ss_for_bs(0x21))], [10, 12, 14], L("multi-invoke-begin"))
    d.end_b([result_last(1, 10, map_forwarding_info(0x21, "4930123456")),
             result_last(2, 12, map_forwarding_info(0x21, "4930123456", 0x07)),
             result_last(3, 14, map_interrogate_ss_res("4930123456", 0x07))], [10, 12, 14],
            L("multi-result-end"), dt=0.02)
    # multi-component ISD from the HLR (3 invokes in one Begin)
    d = net.dialogue(hlr, vlr, 7, info=dict(subs[1].lab(), **lab))
    d.begin([invoke(1, 7, map_isd(subs[1].imsi, subs[1].msisdn)),
             invoke(2, 7, map_isd(None, None, home_gsmscf(net))),
             invoke(3, 8, map_dsd(subs[1].imsi, (0x2A,)))], [7, 7, 8], L("multi-invoke-begin"))
    d.end_b([result_last(1), result_last(2), result_last(3)], [7, 7, 8], L("multi-result-end"), dt=0.02)

    # bundled: three M3UA DATA (three SAI Begins from the FR VLR) in one SCTP packet
    chunks, tids = [], []
    for i in range(3):
        sb = subs[2 + i]
        otid = net.new_tid()
        tids.append((otid, sb))
        tc = tcap_begin(otid, dialogue_portion(aarq(map_acn_for(56))),
                        [invoke(1, 56, map_sai_v3(sb.imsi, 1, 0, plmn_id(fr.mcc, fr.mnc)))])
        chunks.append(udt_chunk(frv, hlr, tc, "in", sls=i))
    net.raw(A, "in", chunks, L("bundled-3-data", op="sendAuthenticationInfo", opcode=56, dir="req"))
    chunks = []
    for i, (otid, sb) in enumerate(tids):
        tc = tcap_end(otid, dialogue_portion(aare(map_acn_for(56))),
                      [result_last(1, 56, map_sai_res_v3(rng, 1))])
        chunks.append(udt_chunk(hlr, frv, tc, "out", sls=i))
    net.raw(A, "out", chunks[:2], L("bundled-2-data", op="sendAuthenticationInfo", opcode=56, dir="res"))
    net.raw(A, "out", chunks[2:] + [sctp_sack(A.tsn["in"] - 1)],
            L("data-plus-sack", op="sendAuthenticationInfo", opcode=56, dir="res"), dt=0.001)

    # one M3UA message fragmented over 3 SCTP DATA chunks (B / - / E), 3 packets
    sb = subs[5]
    otid = net.new_tid()
    tc = tcap_begin(otid, dialogue_portion(aarq(map_acn_for(7), None, None)),
                    [invoke(1, 7, map_isd(sb.imsi, sb.msisdn, home_gsmscf(net)))])
    _, _, opc, dpc, ni = net.route(hlr, frv)
    m3 = m3ua_data(opc, dpc, sccp_udt(sccp_addr(frv.gt, 7), sccp_addr(hlr.gt, 6), tc), ni=ni, sls=5,
                   rc=A.rc)
    n = -(-len(m3) // 3)
    parts = [m3[i:i + n] for i in range(0, len(m3), n)]
    sseq = A.next_sseq("out", 6)
    for i, p in enumerate(parts):
        fl = (0x02 if i == 0 else 0) | (0x01 if i == len(parts) - 1 else 0)
        lb = L("sctp-fragment-%d/3" % (i + 1))
        if i == len(parts) - 1:
            lb.update(sb.lab(), op="insertSubscriberData", opcode=7, dir="req", tcap="Begin")
        net.raw(A, "out", [sctp_data_chunk(A.next_tsn("out"), 6, sseq, p, flags=fl)], lb, dt=0.0002)
    tc = tcap_end(otid, dialogue_portion(aare(map_acn_for(7))), [result_last(1)])
    net.raw(A, "in", [udt_chunk(frv, hlr, tc, "in", sls=5)],
            L("reply-to-fragmented", op="insertSubscriberData", opcode=7, dir="res"), dt=0.01)

    # retransmission: the same DATA chunk (same TSN) twice
    sb = subs[6]
    otid = net.new_tid()
    tc = tcap_begin(otid, dialogue_portion(aarq(map_acn_for(45))),
                    [invoke(1, 45, map_sri_sm(sb.msisdn, fr.node("smsc").gt))])
    ch = udt_chunk(fr.node("smsc"), hlr, tc, "in", sls=7)
    base = dict(sb.lab(), op="sendRoutingInfoForSM", opcode=45, dir="req", tcap="Begin")
    net.raw(A, "in", [ch], dict(L("original"), **base))
    net.raw(A, "in", [ch], dict(L("retransmission"), retransmission=True, **base), dt=0.5)
    tc = tcap_end(otid, dialogue_portion(aare(map_acn_for(45))),
                  [result_last(1, 45, map_sri_sm_res(sb.imsi, msc_of(sb.vlr).gt))])
    net.raw(A, "out", [udt_chunk(hlr, fr.node("smsc"), tc, "out", sls=7)],
            dict(L("reply"), **dict(base, dir="res", tcap="End")), dt=0.01)

    # XUDT segmented in 3 SCCP segments (SAI result with 5 quintuplets) over the GB link
    B = net.assocs[gb.id]
    gbv = gb.node("vlr")
    sb = subs[7]
    otid = net.new_tid()
    tc = tcap_begin(otid, dialogue_portion(aarq(map_acn_for(56))),
                    [invoke(1, 56, map_sai_v3(sb.imsi, 5, 0, plmn_id(gb.mcc, gb.mnc)))])
    net.raw(B, "in", [udt_chunk(gbv, hlr, tc, "in", a=B, sls=2)],
            dict(L("sai-5-vectors"), **dict(sb.lab(), op="sendAuthenticationInfo", opcode=56,
                                            dir="req", tcap="Begin")))
    tc = tcap_end(otid, dialogue_portion(aare(map_acn_for(56))),
                  [result_last(1, 56, map_sai_res_v3(rng, 5))])
    segs = sccp_xudt_segments(sccp_addr(gbv.gt, 7), sccp_addr(hlr.gt, 6), tc, 3, net.new_lref())
    _, _, opc, dpc, ni = net.route(hlr, gbv)
    for i, sg in enumerate(segs):
        lb = L("xudt-segment-%d/3" % (i + 1))
        if i == 2:
            lb.update(sb.lab(), op="sendAuthenticationInfo", opcode=56, dir="res", tcap="End")
        m3 = m3ua_data(opc, dpc, sg, ni=ni, sls=2, rc=B.rc)
        net.raw(B, "out", [sctp_data_chunk(B.next_tsn("out"), 3, B.next_sseq("out", 3), m3)], lb,
                dt=0.0003)
    # unsegmented XUDT too
    s = subs[0]
    d = net.dialogue(fr.node("smsc"), hlr, 45, info=dict(s.lab(), **lab), called_gt=s.msisdn)
    d.request(45, map_sri_sm(s.msisdn, fr.node("smsc").gt), lab=L("xudt"), xudt=True)
    d.respond(45, map_sri_sm_res(s.imsi, msc_of(s.vlr).gt), lab=L("xudt"), xudt=True, dt=0.01)

    # indefinite-length and long-form BER (whole TCAP message re-encoded)
    for mode in ("indef", "long"):
        s = subs[1]
        otid = net.new_tid()
        tc = tcap_begin(otid, dialogue_portion(aarq(map_acn_for(70))),
                        [invoke(1, 70, map_psi(s.imsi, True, True, False, False))])
        net.send(hlr, s.vlr, ber_reencode(tc, mode),
                 dict(s.lab(), edge="ber-" + mode, op="provideSubscriberInfo", opcode=70, dir="req",
                      tcap="Begin", label="benign"))
        dt_ = net.new_tid()
        tc = tcap_end(otid, dialogue_portion(aare(map_acn_for(70))),
                      [result_last(1, 70, map_psi_res(s.cell, s.vlr.gt, age=7))])
        net.send(s.vlr, hlr, ber_reencode(tc, mode),
                 dict(s.lab(), edge="ber-" + mode, op="provideSubscriberInfo", opcode=70, dir="res",
                      tcap="End", label="benign"), dt=0.02)
        del dt_

    # global (OID) operation code, no parameter; answered with a Reject (unrecognizedOperation)
    s = subs[2]
    d = net.dialogue(fr.node("vlr"), hlr, 56, info=dict(s.lab(), **lab))
    d.begin([invoke(1, None, global_oid=ber_oid([1, 3, 12, 2, 1006, 53, 2, 1]))], None,
            dict(L("global-opcode"), op="global", opcode=None))
    d.end_b([reject(1, 1, 1)], None, dict(L("global-opcode-reject"), dir="rej"), dt=0.01)

    # route-on-SSN called party with point code (home internal)
    s = subs[3]
    d = net.dialogue(vlr, hlr, 56, info=dict(s.lab(), **lab), route_on_ssn=True)
    d.request(56, map_sai_v3(s.imsi, 1), lab=L("route-on-ssn"))
    d.respond(56, map_sai_res_v3(rng, 1), lab=L("route-on-ssn"), dt=0.01)

    # 802.1Q VLAN-tagged association, then IPv6 association
    for kind in ("vlan", "ipv6"):
        p = gb if kind == "vlan" else net.partners[2]
        a = net.assocs[p.id]
        if kind == "vlan":
            a.vlan = 301
        else:
            a.v6 = True
        s = subs[4]
        flow_sms_mt(net, s, p.node("smsc"), text="Via %s" % kind, info=dict(lab, edge=kind))
        if kind == "vlan":
            a.vlan = None
        else:
            a.v6 = False
