/*! \file map_errors.h
 *  MAP error codes (3GPP TS 29.002 17.6.6) by name. */
#pragma once

/*! The local error codes the detector tests for (the rest are only named). */
enum map_error_code {
	MAP_ERR_UNKNOWN_SUBSCRIBER	= 1,
	MAP_ERR_UNIDENTIFIED_SUBSCRIBER	= 5,
	MAP_ERR_ABSENT_SUBSCRIBER_SM	= 6,
	MAP_ERR_ABSENT_SUBSCRIBER	= 27,
	MAP_ERR_SM_DELIVERY_FAILURE	= 32,
};

/*! TS 29.002 name of a local MAP error code ("unknownSubscriber"), or NULL. */
const char *map_error_name(int code);
