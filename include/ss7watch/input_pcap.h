/*! \file input_pcap.h
 *  pcap and pcapng input through libpcap: files (replay) and, later, live interfaces. */
#pragma once
#include <stddef.h>
#include <pcap/pcap.h>
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

/*! Open a capture file for reading like pcap_open_offline() ("-": standard input), through a
 *  large stdio buffer: libpcap reads a file with two fread() calls per frame, and the default
 *  4 KiB buffer made one read() system call per few frames.
 *  \param[out] buf the read buffer, to release with sw_pcap_close_file().
 *  \returns the handle, or NULL with the reason in perr (PCAP_ERRBUF_SIZE bytes). */
pcap_t *sw_pcap_open_file(const char *path, char **buf, char *perr);

/*! Close what sw_pcap_open_file() opened (p NULL allowed), then free its buffer. */
void sw_pcap_close_file(pcap_t *p, char *buf);

/*! Ask a running replay to stop after the current frame (async-signal-safe). */
void sw_pcap_replay_stop(void);
