/*! \file input_pcap.h
 *  pcap and pcapng input through libpcap: files (replay) and, later, live interfaces. */
#pragma once
#include <stddef.h>
#include <ss7watch/decode.h>

/*! Replay one capture file through dec; "-" reads standard input. Frame numbers restart at 1
 *  for every file, as Wireshark numbers them.
 *  \param[in] filter BPF expression (pcap-filter(7) syntax), NULL for every frame. Frames it
 *  rejects are neither decoded nor counted, but keep their number: a frame number is still
 *  the one Wireshark shows for the file.
 *  \returns 0, or -1 with a one-line reason in err (file name included). */
int sw_pcap_replay(struct sw_decoder *dec, const char *path, const char *filter, char *err, size_t errlen);

/*! The captures of a directory, to replay them as one: every regular file that starts with a
 *  pcap or pcapng header (others, hidden files and subdirectories are skipped), in name order
 *  with numbers compared as numbers (tcpdump -C's trace, trace1, ..., trace10).
 *  \param[out] paths talloc array under ctx of "dir/name" strings (NULL when there are none).
 *  \returns how many, or -1 with a one-line reason in err when dir cannot be read. */
int sw_pcap_dir_list(void *ctx, const char *dir, char ***paths, char *err, size_t errlen);

/*! Ask a running replay to stop after the current frame (async-signal-safe). */
void sw_pcap_replay_stop(void);
