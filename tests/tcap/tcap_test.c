/* TCAP test: message types, transaction ids, dialogue portions and components, including
 * what must be refused; the MAP application-context lookup; and the dialogue table that
 * gives results without opcode the opcode of the invoke they answer. */
#include <stdio.h>
#include <string.h>
#include <talloc.h>
#include <ss7watch/ber.h>
#include <ss7watch/tcap.h>
#include <ss7watch/map.h>
#include <ss7watch/counters.h>
#include <ss7watch/track_pairing.h>

struct tcap_case {
	const char *name;
	const uint8_t *data;
	unsigned len;
};

#define CASE(name, ...) { name, (const uint8_t[]){ __VA_ARGS__ }, sizeof((const uint8_t[]){ __VA_ARGS__ }) }

static const struct tcap_case cases[] = {
	/* timkam_test_continue.pcap frame 1: Continue, invoke sendAuthenticationInfo, no parameter */
	CASE("Continue with an invoke without parameter",
	     0x65, 0x16, 0x48, 0x04, 0xe1, 0x14, 0x0b, 0x71, 0x49, 0x04, 0x00, 0x00, 0x63, 0x65,
	     0x6c, 0x08, 0xa1, 0x06, 0x02, 0x01, 0x03, 0x02, 0x01, 0x38),
	CASE("Begin without OTID",
	     0x62, 0x0a, 0x6c, 0x08, 0xa1, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x38),
	CASE("Continue without DTID",
	     0x65, 0x06, 0x48, 0x04, 0x01, 0x02, 0x03, 0x04),
	CASE("End without DTID",
	     0x64, 0x00),
	CASE("Begin with a 5-octet OTID",
	     0x62, 0x07, 0x48, 0x05, 0x01, 0x02, 0x03, 0x04, 0x05),
	CASE("Begin with an empty OTID",
	     0x62, 0x02, 0x48, 0x00),
	CASE("Begin with a 1-octet OTID",
	     0x62, 0x03, 0x48, 0x01, 0x2a),
	CASE("ANSI TCAP Query (private class): not ITU",
	     0xe2, 0x03, 0xc7, 0x01, 0x00),
	CASE("[APPLICATION 3] is no TCAP message",
	     0x63, 0x03, 0x48, 0x01, 0x01),
	CASE("primitive [APPLICATION 2]",
	     0x42, 0x01, 0x00),
	CASE("unknown [APPLICATION 20] element inside a Begin is skipped",
	     0x62, 0x09, 0x48, 0x01, 0x01, 0x74, 0x01, 0x00, 0x54, 0x01, 0x00),
	CASE("unknown component type [5]",
	     0x64, 0x0b, 0x49, 0x01, 0x01, 0x6c, 0x06, 0xa5, 0x04, 0x02, 0x01, 0x01, 0x05, 0x00),
	CASE("invoke without opcode",
	     0x62, 0x0a, 0x48, 0x01, 0x01, 0x6c, 0x05, 0xa1, 0x03, 0x02, 0x01, 0x01),
	CASE("invoke with a negative opcode",
	     0x62, 0x0d, 0x48, 0x01, 0x01, 0x6c, 0x08, 0xa1, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0xff),
	CASE("invoke id of 3 octets",
	     0x62, 0x0f, 0x48, 0x01, 0x01, 0x6c, 0x0a, 0xa1, 0x08, 0x02, 0x03, 0x01, 0x00, 0x00, 0x02, 0x01, 0x02),
	CASE("returnResultLast whose result is not a SEQUENCE",
	     0x64, 0x0f, 0x49, 0x01, 0x01, 0x6c, 0x0a, 0xa2, 0x08, 0x02, 0x01, 0x01, 0x31, 0x03, 0x02, 0x01, 0x02),
	CASE("returnResult (not last) with opcode",
	     0x65, 0x12, 0x48, 0x01, 0x02, 0x49, 0x01, 0x01, 0x6c, 0x0a, 0xa7, 0x08, 0x02, 0x01, 0x01, 0x30, 0x03,
	     0x02, 0x01, 0x38),
	CASE("reject without problem",
	     0x64, 0x0a, 0x49, 0x01, 0x01, 0x6c, 0x05, 0xa4, 0x03, 0x02, 0x01, 0x01),
	CASE("reject returnError problem [3] unexpectedError",
	     0x64, 0x0d, 0x49, 0x01, 0x01, 0x6c, 0x08, 0xa4, 0x06, 0x02, 0x01, 0x01, 0x83, 0x01, 0x03),
	CASE("dialogue portion that is no EXTERNAL",
	     0x62, 0x0a, 0x48, 0x01, 0x01, 0x6b, 0x05, 0x30, 0x03, 0x06, 0x01, 0x00),
	CASE("dialogue PDU under an unknown abstract syntax",
	     0x62, 0x13, 0x48, 0x01, 0x01, 0x6b, 0x0e, 0x28, 0x0c, 0x06, 0x03, 0x2a, 0x03, 0x04,
	     0xa0, 0x05, 0x60, 0x03, 0x80, 0x01, 0x00),
	CASE("AARQ whose application-context-name is not an OID",
	     0x62, 0x19, 0x48, 0x01, 0x01, 0x6b, 0x14, 0x28, 0x12, 0x06, 0x07, 0x00, 0x11, 0x86, 0x05, 0x01, 0x01,
	     0x01, 0xa0, 0x07, 0x60, 0x05, 0xa1, 0x03, 0x04, 0x01, 0x00),
	CASE("AARQ with a vendor AC (not MAP)",
	     0x62, 0x1e, 0x48, 0x01, 0x01, 0x6b, 0x19, 0x28, 0x17, 0x06, 0x07, 0x00, 0x11, 0x86, 0x05, 0x01, 0x01,
	     0x01, 0xa0, 0x0c, 0x60, 0x0a, 0xa1, 0x08, 0x06, 0x06, 0x2a, 0x86, 0x3a, 0x00, 0x89, 0x61),
	CASE("AARQ with an unknown MAP context 30",
	     0x62, 0x1f, 0x48, 0x01, 0x01, 0x6b, 0x1a, 0x28, 0x18, 0x06, 0x07, 0x00, 0x11, 0x86, 0x05, 0x01, 0x01,
	     0x01, 0xa0, 0x0d, 0x60, 0x0b, 0xa1, 0x09, 0x06, 0x07, 0x04, 0x00, 0x00, 0x01, 0x00, 0x1e, 0x03),
	CASE("AARQ with anyTimeInfoEnquiryContext version 9 (impossible version)",
	     0x62, 0x1f, 0x48, 0x01, 0x01, 0x6b, 0x1a, 0x28, 0x18, 0x06, 0x07, 0x00, 0x11, 0x86, 0x05, 0x01, 0x01,
	     0x01, 0xa0, 0x0d, 0x60, 0x0b, 0xa1, 0x09, 0x06, 0x07, 0x04, 0x00, 0x00, 0x01, 0x00, 0x1d, 0x09),
	CASE("P-Abort cause of 2 octets",
	     0x67, 0x07, 0x49, 0x01, 0x01, 0x4a, 0x02, 0x00, 0x04),
	CASE("trailing bytes after the message are ignored",
	     0x64, 0x03, 0x49, 0x01, 0x01, 0x00, 0x00),
	CASE("Begin length longer than the data",
	     0x62, 0x10, 0x48, 0x01, 0x01),
	CASE("component portion truncated inside",
	     0x62, 0x0a, 0x48, 0x01, 0x01, 0x6c, 0x05, 0xa1, 0x07, 0x02, 0x01, 0x01),
};

static void print_tcap(const struct sw_tcap *t, int rc)
{
	printf("  %s", tcap_type_name(t->type));
	if (t->otid.len) {
		printf(" otid=");
		for (unsigned i = 0; i < t->otid.len; i++)
			printf("%02x", t->otid.b[i]);
	}
	if (t->dtid.len) {
		printf(" dtid=");
		for (unsigned i = 0; i < t->dtid.len; i++)
			printf("%02x", t->dtid.b[i]);
	}
	if (t->acn_len) {
		char oid[64];

		ber_oid_to_str(oid, sizeof(oid), t->acn, t->acn_len);
		printf(" acn=%s", oid);
		if (t->acn_info)
			printf(" (%s, version %d, max %u)", t->acn_info->name, t->acn_version, t->acn_info->max_version);
		else
			printf(" (not MAP)");
	}
	if (t->p_abort_cause >= 0)
		printf(" p-abort=%d", t->p_abort_cause);
	for (unsigned i = 0; i < t->n_comp; i++) {
		const struct sw_component *c = &t->comp[i];

		printf(" [%s", tcap_comp_type_name(c->type));
		if (c->has_invoke_id)
			printf(" id=%d", c->invoke_id);
		if (c->opcode >= 0)
			printf(" op=%d", c->opcode);
		if (c->reject_type >= 0)
			printf(" problem=%d/%d", c->reject_type, c->reject_problem);
		printf("]");
	}
	printf(" -> %s\n", rc < 0 ? sw_err_reason(-rc) : "ok");
}

static void test_cases(void)
{
	static struct sw_tcap t;

	printf("=== messages\n");
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = tcap_decode(&t, cases[i].data, cases[i].len);

		printf("%s:\n", cases[i].name);
		print_tcap(&t, rc);
	}
	printf("NULL data: %s\n", sw_err_reason(-tcap_decode(&t, NULL, 0)));
}

static void test_names(void)
{
	printf("=== names\n");
	for (int i = 0; i <= 6; i++)
		printf("type %d: %s\n", i, tcap_type_name(i));
	for (int i = 0; i <= 8; i++)
		printf("component %d: %s\n", i, tcap_comp_type_name(i));
}

static void test_acn(void)
{
	static const struct {
		const char *name;
		uint8_t len;
		uint8_t oid[9];
	} acns[] = {
		{ "networkLocUpContext-v3", 7, { 4, 0, 0, 1, 0, 1, 3 } },
		{ "shortMsgRelayContext-v1", 7, { 4, 0, 0, 1, 0, 21, 1 } },
		{ "vcsgLocationCancellationContext-v3", 7, { 4, 0, 0, 1, 0, 47, 3 } },
		{ "context 0", 7, { 4, 0, 0, 1, 0, 0, 3 } },
		{ "context 48", 7, { 4, 0, 0, 1, 0, 48, 3 } },
		{ "CAP v4 gsmSSF-scf", 7, { 4, 0, 0, 1, 21, 3, 4 } },
		{ "MAP AC without version", 6, { 4, 0, 0, 1, 0, 1 } },
		{ "MAP AC with one arc too many", 8, { 4, 0, 0, 1, 0, 1, 3, 1 } },
		{ "version arc of two octets", 8, { 4, 0, 0, 1, 0, 1, 0x81, 0x00 } },
	};

	printf("=== application contexts\n");
	for (unsigned i = 0; i < sizeof(acns) / sizeof(acns[0]); i++) {
		int ver = -1;
		const struct map_acn *a = map_acn_lookup(acns[i].oid, acns[i].len, &ver);

		printf("%s: ", acns[i].name);
		if (a)
			printf("%u %s version %d (max %u)\n", a->ctx, a->name, ver, a->max_version);
		else
			printf("not MAP\n");
	}
	{
		int ver;
		const struct map_acn *a = map_acn_lookup(acns[0].oid, 7, &ver);

		printf("networkLocUpContext allows updateLocation: %d, insertSubscriberData: %d, "
		       "provideSubscriberInfo: %d, -1: %d\n", map_acn_allows(a, 2), map_acn_allows(a, 7),
		       map_acn_allows(a, 70), map_acn_allows(a, -1));
		printf("NULL context allows nothing: %d\n", map_acn_allows(NULL, 2));
	}
}

/* --- opcode inference from the dialogue table --- */

static void set_gt(struct sw_sccp_addr *a, const char *digits)
{
	memset(a, 0, sizeof(*a));
	a->present = SW_SCCP_AI_GT | SW_SCCP_AI_SSN;
	a->n_digits = strlen(digits);
	memcpy(a->digits, digits, a->n_digits + 1);
}

static void set_tid(struct sw_tid *tid, uint32_t v)
{
	tid->len = 4;
	tid->b[0] = v >> 24;
	tid->b[1] = v >> 16;
	tid->b[2] = v >> 8;
	tid->b[3] = v;
}

/* A message from GT 'from' to GT 'to' with one component. */
static void mk(struct sw_msg *m, long ts, enum sw_tcap_type type, uint32_t otid, uint32_t dtid,
	       const char *from, const char *to, enum sw_comp_type ct, int invoke_id, int opcode)
{
	struct sw_component *c = &m->tcap.comp[0];

	memset(m, 0, sizeof(*m));
	m->meta.ts.tv_sec = ts;
	set_gt(&m->sccp.calling, from);
	set_gt(&m->sccp.called, to);
	m->tcap.type = type;
	if (otid)
		set_tid(&m->tcap.otid, otid);
	if (dtid)
		set_tid(&m->tcap.dtid, dtid);
	m->tcap.n_comp = ct ? 1 : 0;
	c->type = ct;
	c->has_invoke_id = true;
	c->invoke_id = invoke_id;
	c->opcode = opcode;
	c->error = -1;
	c->reject_type = -1;
}

static void step(struct track_pairing *ot, struct sw_msg *m, uint64_t *evicted, const char *what)
{
	unsigned n = track_pairing_infer(ot, m);

	track_pairing_learn(ot, m, evicted);
	printf("%s: inferred %u", what, n);
	if (m->tcap.n_comp)
		printf(", opcode %d%s", m->tcap.comp[0].opcode, m->tcap.comp[0].opcode_inferred ? " (inferred)" : "");
	printf(", evicted %llu\n", (unsigned long long)*evicted);
}

static void test_pairing(void)
{
	void *ctx = talloc_named_const(NULL, 0, "tcap_test");
	struct track_pairing *ot = track_pairing_alloc(ctx, 4, 60);
	static struct sw_msg m;
	uint64_t evicted = 0;
	const char *vlr = "4917012345", *hlr = "4917044444", *hlr_rewritten = "4917044999";

	printf("=== opcode inference\n");
	/* an updateLocation dialogue; the HLR's insertSubscriberData travels in a Continue */
	mk(&m, 100, SW_TCAP_BEGIN, 0xa1, 0, vlr, hlr, SW_COMP_INVOKE, 1, 2);
	step(ot, &m, &evicted, "Begin VLR->HLR invoke updateLocation id 1");
	mk(&m, 101, SW_TCAP_CONTINUE, 0xb1, 0xa1, hlr, vlr, SW_COMP_INVOKE, 1, 7);
	step(ot, &m, &evicted, "Continue HLR->VLR invoke insertSubscriberData id 1");
	mk(&m, 102, SW_TCAP_CONTINUE, 0xa1, 0xb1, vlr, hlr, SW_COMP_RESULT_LAST, 1, -1);
	step(ot, &m, &evicted, "Continue VLR->HLR returnResultLast id 1");
	mk(&m, 103, SW_TCAP_END, 0, 0xa1, hlr, vlr, SW_COMP_RESULT_LAST, 1, -1);
	step(ot, &m, &evicted, "End HLR->VLR returnResultLast id 1");
	mk(&m, 104, SW_TCAP_END, 0, 0xa1, hlr, vlr, SW_COMP_RESULT_LAST, 1, -1);
	step(ot, &m, &evicted, "the same End again (dialogue closed)");
	mk(&m, 104, SW_TCAP_CONTINUE, 0xa1, 0xb1, vlr, hlr, SW_COMP_RESULT_LAST, 1, -1);
	step(ot, &m, &evicted, "the HLR side is closed too");

	/* the answer arrives addressed to a rewritten GT: the TID alone finds it */
	mk(&m, 110, SW_TCAP_BEGIN, 0xa2, 0, vlr, hlr, SW_COMP_INVOKE, 5, 56);
	step(ot, &m, &evicted, "Begin invoke sendAuthenticationInfo id 5");
	mk(&m, 111, SW_TCAP_END, 0, 0xa2, hlr, "4917012399", SW_COMP_ERROR, 5, -1);
	step(ot, &m, &evicted, "End returnError id 5 to a rewritten GT");

	/* two dialogues with the same TID from different GTs: a rewritten GT is ambiguous */
	mk(&m, 120, SW_TCAP_BEGIN, 0xa3, 0, vlr, hlr, SW_COMP_INVOKE, 1, 70);
	step(ot, &m, &evicted, "Begin from VLR id 1 provideSubscriberInfo");
	mk(&m, 120, SW_TCAP_BEGIN, 0xa3, 0, "4917099999", hlr, SW_COMP_INVOKE, 1, 71);
	step(ot, &m, &evicted, "Begin from another GT, same TID, anyTimeInterrogation");
	mk(&m, 121, SW_TCAP_END, 0, 0xa3, hlr_rewritten, "4917000000", SW_COMP_RESULT_LAST, 1, -1);
	step(ot, &m, &evicted, "End to a third GT: ambiguous");
	mk(&m, 121, SW_TCAP_END, 0, 0xa3, hlr, "4917099999", SW_COMP_RESULT_LAST, 1, -1);
	step(ot, &m, &evicted, "End to the second GT");
	mk(&m, 121, SW_TCAP_END, 0, 0xa3, hlr, vlr, SW_COMP_RESULT_LAST, 1, -1);
	step(ot, &m, &evicted, "End to the VLR");

	/* expiry */
	mk(&m, 200, SW_TCAP_BEGIN, 0xa4, 0, vlr, hlr, SW_COMP_INVOKE, 1, 22);
	step(ot, &m, &evicted, "Begin sendRoutingInfo at t=200");
	mk(&m, 261, SW_TCAP_END, 0, 0xa4, hlr, vlr, SW_COMP_RESULT_LAST, 1, -1);
	step(ot, &m, &evicted, "End 61 s later (timeout 60 s)");

	/* eviction: 4 entries, 5 open dialogues */
	for (uint32_t i = 0; i < 5; i++) {
		char what[64];

		snprintf(what, sizeof(what), "Begin dialogue %u", i);
		mk(&m, 300 + i, SW_TCAP_BEGIN, 0xc0 + i, 0, vlr, hlr, SW_COMP_INVOKE, 1, 45);
		step(ot, &m, &evicted, what);
	}
	mk(&m, 310, SW_TCAP_END, 0, 0xc0, hlr, vlr, SW_COMP_RESULT_LAST, 1, -1);
	step(ot, &m, &evicted, "End of the evicted dialogue 0");
	mk(&m, 310, SW_TCAP_END, 0, 0xc4, hlr, vlr, SW_COMP_RESULT_LAST, 1, -1);
	step(ot, &m, &evicted, "End of dialogue 4");

	/* many dialogues through a small table: open, answer, close */
	{
		struct track_pairing *big = track_pairing_alloc(ctx, 1000, 60);
		unsigned inferred = 0;

		for (uint32_t i = 0; i < 100000; i++) {
			mk(&m, 1000 + i / 1000, SW_TCAP_BEGIN, (i + 1) * 2654435761u, 0, vlr, hlr, SW_COMP_INVOKE, 1, 56);
			track_pairing_infer(big, &m);
			track_pairing_learn(big, &m, &evicted);
			if (i >= 500) {
				uint32_t j = i - 500;

				mk(&m, 1000 + i / 1000, SW_TCAP_END, 0, (j + 1) * 2654435761u, hlr, vlr, SW_COMP_RESULT_LAST, 1, -1);
				inferred += track_pairing_infer(big, &m);
				track_pairing_learn(big, &m, &evicted);
			}
		}
		printf("100000 dialogues, 500 open at a time, 1000 entries: %u inferred, evicted %llu\n", inferred,
		       (unsigned long long)evicted);
	}
	printf("alloc of 0 entries: %s\n", track_pairing_alloc(ctx, 0, 60) ? "table" : "NULL");
	talloc_free(ctx);
}

int main(int argc, char **argv)
{
	test_cases();
	test_names();
	test_acn();
	test_pairing();
	return 0;
}
