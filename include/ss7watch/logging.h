/*! \file logging.h
 *  Log categories of the daemon and its inputs (libosmocore logging: LOGP(DINPUT, ...)). The
 *  daemon registers their names and default levels (daemon.c). */
#pragma once

/*! Log categories of ss7watch. */
enum sw_log_cat {
	DSW,		/*!< start, stop, signals, configuration */
	DINPUT,		/*!< inputs coming and going */
	DALERT,		/*!< alert outputs (reopen, write errors) */
};
