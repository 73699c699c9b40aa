/*! \file map_errors.h
 *  MAP error codes (3GPP TS 29.002 17.6.6) by name. */
#pragma once

/*! TS 29.002 name of a local MAP error code ("unknownSubscriber"), or NULL. */
const char *map_error_name(int code);
