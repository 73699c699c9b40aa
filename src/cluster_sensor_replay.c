/* The cluster sensor replaying captures (--site NAME -r FILE ...): the decode chain up to
 * SCCP over every file (a directory: its pcap and pcapng files), each SCCP message handed to
 * the publishing core (cluster_sensor.c). Frame numbers go on from one file to the next. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <talloc.h>
#include <ss7watch/cluster_priv.h>
#include <ss7watch/decode.h>
#include <ss7watch/input_pcap.h>
#include <ss7watch/output_stats.h>

/* Replay the files of -r, one after the other. \returns 0, or 1 after printing why. */
static int replay_files(void *ctx, struct sw_decoder *dec, const struct sw_cluster_opts *o)
{
	char err[512];

	for (unsigned i = 0; i < o->n_files && !cl_stop_requested; i++) {
		char **files = NULL;
		struct stat st;
		int n = 1;

		if (strcmp(o->files[i], "-") && stat(o->files[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			n = sw_pcap_dir_list(ctx, o->files[i], &files, err, sizeof(err));
			if (n <= 0) {
				fprintf(stderr, "ss7watch: %s\n", n ? err : "no pcap or pcapng file in the directory");
				return 1;
			}
		}
		for (int f = 0; f < n; f++) {
			const char *file = files ? files[f] : o->files[i];

			/* a replayed file's batch boundaries depend on its events only (a re-run
			 * publishes the same ids); a pipe may be a live capture: batch-ms too,
			 * checked when the next event comes */
			cl_sensor_timed(!strcmp(file, "-") ? fstat(0, &st) == 0 && !S_ISREG(st.st_mode) :
					stat(file, &st) == 0 && !S_ISREG(st.st_mode));
			dec->frame = 0;
			if (sw_pcap_replay(dec, file, o->filter, err, sizeof(err)) < 0) {
				fprintf(stderr, "ss7watch: %s\n", err);
				return 1;
			}
			/* frame numbers of the next file go on after this one's: ids stay unique */
			cl_sensor_frame_base(dec->frame);
		}
	}
	return 0;
}

int cl_run_sensor(void *ctx, const struct sw_cluster_opts *o)
{
	struct sw_decoder_cfg dcfg = { .pc_format = o->pc_format };
	struct sw_decoder *dec;
	int rc;

	if (!o->n_files) {
		fprintf(stderr, "ss7watch: --site publishes captures: give -r FILE\n");
		return 2;
	}
	if (cl_sensor_open(ctx, o->site, false) < 0)
		return 1;
	if (cl_sensor_counters(ctx, true) < 0) {
		cl_sensor_close();
		return 1;
	}
	dec = sw_decoder_alloc(ctx, &dcfg, cl_sensor_on_msg, NULL);
	if (!dec) {
		fprintf(stderr, "ss7watch: out of memory allocating the decoder\n");
		return 1;
	}
	dec->on_sccp = cl_sensor_on_sccp;
	cl_install_signals();
	rc = replay_files(ctx, dec, o);
	if (cl_sensor_close())
		rc = 1;
	if (o->stats_only || o->verbose)
		sw_stats_print(o->stats_only ? stdout : stderr, &dec->st);
	sw_decoder_free(dec);
	return rc;
}
