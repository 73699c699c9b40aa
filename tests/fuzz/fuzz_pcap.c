/* libFuzzer harness: the classic pcap file reader against libpcap (pcap_diff.h). Input: a
 * pcap file. Any difference in what the two read, or in how they fail, aborts. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stddef.h>
#include "pcap_diff.h"

static uint8_t rbuf[SW_PCAP_CLASSIC_BUF];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pcap_diff(data, size, rbuf);
	return 0;
}
