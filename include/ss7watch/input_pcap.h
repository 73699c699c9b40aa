/*! \file input_pcap.h
 *  pcap and pcapng input through libpcap: files (replay) and, later, live interfaces. */
#pragma once
#include <stddef.h>
#include <ss7watch/decode.h>

/*! Replay one capture file through dec; "-" reads standard input. Frame numbers restart at 1
 *  for every file, as Wireshark numbers them.
 *  \returns 0, or -1 with a one-line reason in err (file name included). */
int sw_pcap_replay(struct sw_decoder *dec, const char *path, char *err, size_t errlen);

/*! Ask a running replay to stop after the current frame (async-signal-safe). */
void sw_pcap_replay_stop(void);
