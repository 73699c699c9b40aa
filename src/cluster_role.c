/* The role of a cluster process (cluster.h): the site names of --site and `site`, and the
 * `role` line of the cluster section, parsed by the VTY when the config is read and found
 * before that by main.c, since the role decides which loader reads the file. Without libnats
 * too: the config check refuses a bad role the same way. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <talloc.h>
#include <ss7watch/cluster.h>
#include <ss7watch/config.h>

bool sw_cluster_config_ok(const struct sw_config *cfg, const char *file, const char *mode)
{
	if (cfg->cluster.present && cfg->cluster.n_servers)
		return true;
	fprintf(stderr, "ss7watch: %s: %s needs a 'cluster' section with at least one 'server URL' (doc/cluster.md)\n",
		file, mode);
	return false;
}

bool sw_cluster_site_valid(const char *s)
{
	size_t n = strlen(s);

	return n >= 1 && n <= SW_EVENT_SITE_MAX &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") == n;
}

bool sw_cluster_role_parse(struct sw_cluster_role *r, const char *kind, const char *arg, char *err, size_t errlen)
{
	memset(r, 0, sizeof(*r));
	if (!strcmp(kind, "sensor")) {
		if (!sw_cluster_site_valid(arg)) {
			snprintf(err, errlen, "role sensor: '%s' is not a site name (1-63 letters, digits, '_' or '-')", arg);
			return false;
		}
		r->site = arg;
		return true;
	}
	if (!strcmp(kind, "worker")) {
		char *end;
		long n = strtol(arg, &end, 10);

		if (!*arg || *end || n < 1 || n > 999 || strspn(arg, "0123456789") != strlen(arg)) {
			snprintf(err, errlen, "role worker: '%s' is not a worker number (1-999)", arg);
			return false;
		}
		r->worker = (int)n;
		return true;
	}
	if (!strcmp(kind, "collector")) {
		if (!*arg) {
			snprintf(err, errlen, "role collector needs the file the alerts go to");
			return false;
		}
		r->collect = arg;
		return true;
	}
	snprintf(err, errlen, "role '%s' is not sensor NAME, worker N or collector FILE", kind);
	return false;
}

bool sw_cluster_role_peek(void *ctx, const char *path, struct sw_cluster_role *r)
{
	char line[1024], kind[32], arg[1024], err[256], extra;
	bool in_cluster = false, found = false;
	FILE *f = fopen(path, "r");

	memset(r, 0, sizeof(*r));
	if (!f)
		return false;
	/* the VTY's syntax: a section at column 0, its commands indented, '!' comments */
	while (fgets(line, sizeof(line), f)) {
		const char *p = line + strspn(line, " \t");

		if (*p == '!' || *p == '#' || *p == '\n' || !*p)
			continue;
		if (p == line) {
			in_cluster = !strncmp(p, "cluster", 7) && strspn(p + 7, " \t\r\n") == strlen(p + 7);
			continue;
		}
		if (!in_cluster || strncmp(p, "role", 4) || !strchr(" \t", p[4]))
			continue;
		found = sscanf(p, "role %31s %1023s %c", kind, arg, &extra) == 2 &&
			sw_cluster_role_parse(r, kind, arg, err, sizeof(err));
		break;
	}
	fclose(f);
	if (!found)
		return false;
	if (r->site)
		r->site = talloc_strdup(ctx, r->site);
	if (r->collect)
		r->collect = talloc_strdup(ctx, r->collect);
	return true;
}
