/* The `daemon` config node: who the daemon runs as, where CTRL listens, how often counters
 * are exported. */
#include <grp.h>
#include <pwd.h>
#include <string.h>
#include <talloc.h>
#include <osmocom/core/utils.h>
#include <osmocom/vty/command.h>
#include <osmocom/vty/vty.h>
#include <ss7watch/daemon.h>

#define DEFAULT_SYNC_MS	1000

static struct sw_daemon_cfg dcfg = {
	.counter_sync_ms = DEFAULT_SYNC_MS,
	.ctrl_port = SW_CTRL_PORT,
};

struct sw_daemon_cfg *sw_daemon_cfg(void)
{
	return &dcfg;
}

static struct cmd_node daemon_node = {
	SW_DAEMON_NODE,
	"%s(config-daemon)# ",
	1,
};

DEFUN(cfg_daemon, cfg_daemon_cmd, "daemon", "Configure how the daemon runs\n")
{
	vty->node = SW_DAEMON_NODE;
	return CMD_SUCCESS;
}

DEFUN(cfg_user, cfg_user_cmd, "user NAME",
      "After opening sockets and captures, run as this user\n" "User name\n")
{
	/* now, so a typo is reported with its line */
	if (!getpwnam(argv[0])) {
		vty_out(vty, "%% daemon user '%s': no such user%s", argv[0], VTY_NEWLINE);
		return CMD_WARNING;
	}
	osmo_talloc_replace_string(NULL, &dcfg.user, argv[0]);
	return CMD_SUCCESS;
}

DEFUN(cfg_no_user, cfg_no_user_cmd, "no user", NO_STR "Keep running as the starting user\n")
{
	TALLOC_FREE(dcfg.user);
	return CMD_SUCCESS;
}

DEFUN(cfg_group, cfg_group_cmd, "group NAME",
      "Run as this group (default: the user's primary group)\n" "Group name\n")
{
	if (!getgrnam(argv[0])) {
		vty_out(vty, "%% daemon group '%s': no such group%s", argv[0], VTY_NEWLINE);
		return CMD_WARNING;
	}
	osmo_talloc_replace_string(NULL, &dcfg.group, argv[0]);
	return CMD_SUCCESS;
}

DEFUN(cfg_no_group, cfg_no_group_cmd, "no group", NO_STR "Use the user's primary group\n")
{
	TALLOC_FREE(dcfg.group);
	return CMD_SUCCESS;
}

DEFUN(cfg_ctrl_port, cfg_ctrl_port_cmd, "ctrl-port <1-65535>",
      "TCP port of the CTRL interface (address: 'ctrl' / 'bind')\n" "Port (default 4291)\n")
{
	dcfg.ctrl_port = atoi(argv[0]);
	dcfg.ctrl_port_given = true;
	return CMD_SUCCESS;
}

DEFUN(cfg_sync, cfg_sync_cmd, "counter-sync-interval <100-60000>",
      "How often the pipeline counters are copied to the rate counters (CTRL, statsd)\n" "Milliseconds\n")
{
	dcfg.counter_sync_ms = atoi(argv[0]);
	return CMD_SUCCESS;
}

static int config_write_daemon(struct vty *vty)
{
	vty_out(vty, "daemon%s", VTY_NEWLINE);
	if (dcfg.user)
		vty_out(vty, " user %s%s", dcfg.user, VTY_NEWLINE);
	if (dcfg.group)
		vty_out(vty, " group %s%s", dcfg.group, VTY_NEWLINE);
	if (dcfg.ctrl_port != SW_CTRL_PORT)
		vty_out(vty, " ctrl-port %u%s", dcfg.ctrl_port, VTY_NEWLINE);
	if (dcfg.counter_sync_ms != DEFAULT_SYNC_MS)
		vty_out(vty, " counter-sync-interval %u%s", dcfg.counter_sync_ms, VTY_NEWLINE);
	return CMD_SUCCESS;
}

int sw_daemon_vty_go_parent(struct vty *vty)
{
	if (vty->node != SW_DAEMON_NODE)
		return 0;
	vty->node = CONFIG_NODE;
	vty->index = NULL;
	return 1;
}

void sw_daemon_vty_init(void)
{
	install_element(CONFIG_NODE, &cfg_daemon_cmd);
	install_node(&daemon_node, config_write_daemon);
	install_element(SW_DAEMON_NODE, &cfg_user_cmd);
	install_element(SW_DAEMON_NODE, &cfg_no_user_cmd);
	install_element(SW_DAEMON_NODE, &cfg_group_cmd);
	install_element(SW_DAEMON_NODE, &cfg_no_group_cmd);
	install_element(SW_DAEMON_NODE, &cfg_ctrl_port_cmd);
	install_element(SW_DAEMON_NODE, &cfg_sync_cmd);
}
