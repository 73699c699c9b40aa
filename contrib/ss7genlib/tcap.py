"""TCAP (ITU-T Q.773): dialogue portion (AARQ, AARE, ABRT), components and the messages."""

import struct

from .ber import ber_int, ber_null, ber_oid, cat, seq, tlv
from .ident import addr_string
from .gsm_map import isdn


DIALOGUE_AS = ber_oid([0, 0, 17, 773, 1, 1, 1])
MAP_DIALOGUE_AS = ber_oid([0, 4, 0, 0, 1, 1, 1, 1])


def map_open_info(dest_ref=None, orig_ref=None):
    def ref(tag, r):
        if not r:
            return b""
        if isinstance(r, tuple):           # (digits, npi): e.g. an IMSI with npi 6 (E.212)
            return tlv(tag, addr_string(r[0], 1, r[1]))
        return tlv(tag, isdn(r))
    inner = cat(ref(0x80, dest_ref), ref(0x81, orig_ref))
    return tlv(0xBE, tlv(0x28, cat(tlv(0x06, MAP_DIALOGUE_AS), tlv(0xA0, tlv(0xA0, inner)))))


def aarq(acn, dest_ref=None, orig_ref=None):
    ui = map_open_info(dest_ref, orig_ref) if (dest_ref or orig_ref) else b""
    return tlv(0x60, cat(tlv(0x80, b"\x07\x80"), tlv(0xA1, tlv(0x06, acn)), ui))


def aare(acn, result=0, diag=0):
    """result 0 accepted / 1 reject-permanent; diag (dialogue-service-user) 0 null,
    2 application-context-name-not-supported."""
    return tlv(0x61, cat(tlv(0x80, b"\x07\x80"), tlv(0xA1, tlv(0x06, acn)),
                         tlv(0xA2, ber_int(result)), tlv(0xA3, tlv(0xA1, ber_int(diag)))))


def abrt(source=0, map_user_abort=True):
    ui = b""
    if map_user_abort:   # MAP-DialoguePDU map-userAbort [4] { userSpecificReason [0] NULL }
        ui = tlv(0xBE, tlv(0x28, cat(tlv(0x06, MAP_DIALOGUE_AS), tlv(0xA0, tlv(0xA4, ber_null(0x80))))))
    return tlv(0x64, cat(tlv(0x80, bytes((source,))), ui))


def dialogue_portion(pdu):
    return tlv(0x6B, tlv(0x28, cat(tlv(0x06, DIALOGUE_AS), tlv(0xA0, pdu))))


def invoke(iid, opcode, param=b"", linked=None, global_oid=None):
    op = tlv(0x06, global_oid) if global_oid else ber_int(opcode)
    return tlv(0xA1, cat(ber_int(iid), ber_int(linked, 0x80) if linked is not None else b"", op, param))


def result_last(iid, opcode=None, param=b"", last=True):
    """ReturnResultLast (or NotLast); opcode None gives the empty form (no result sequence)."""
    body = ber_int(iid)
    if opcode is not None:
        body += seq(ber_int(opcode), param)
    return tlv(0xA2 if last else 0xA7, body)


def return_error(iid, code, param=b""):
    return tlv(0xA3, cat(ber_int(iid), ber_int(code), param))


def reject(iid, ptype, code):
    """ptype: 0 general, 1 invoke, 2 returnResult, 3 returnError. iid None -> NULL."""
    return tlv(0xA4, cat(ber_null() if iid is None else ber_int(iid), tlv(0x80 | ptype, bytes((code,)))))


def components(*comps):
    return tlv(0x6C, cat(*comps)) if comps else b""


def tid(v):
    return struct.pack(">I", v)


def tcap_begin(otid, dialogue=b"", comps=()):
    return tlv(0x62, cat(tlv(0x48, tid(otid)), dialogue, components(*comps)))


def tcap_continue(otid, dtid, dialogue=b"", comps=()):
    return tlv(0x65, cat(tlv(0x48, tid(otid)), tlv(0x49, tid(dtid)), dialogue, components(*comps)))


def tcap_end(dtid, dialogue=b"", comps=()):
    return tlv(0x64, cat(tlv(0x49, tid(dtid)), dialogue, components(*comps)))


def tcap_abort(dtid, p_cause=None, dialogue=b""):
    return tlv(0x67, cat(tlv(0x49, tid(dtid)),
                         tlv(0x4A, bytes((p_cause,))) if p_cause is not None else dialogue))
