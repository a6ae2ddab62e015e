/*
 * protocols.c's interface: whether a catalog entry id is one of our protocols
 * (the address conversions check the WSAPROTOCOL_INFO they are given), and
 * which of them a new socket is.
 */
#ifndef WS2_PROTOCOLS_H
#define WS2_PROTOCOLS_H

#include <windows.h>

/* Nonzero when `id` is the dwCatalogEntryId of one of our protocols. */
int protocol_catalog_known(DWORD id);

/* socket()'s checks: the family, type and protocol a socket asked for with
 * (af, type, protocol) gets, 0 meaning "any" (ws2_find_protocol), or
 * Windows' error. */
int protocol_choose(int af, int type, int protocol, int *out_af, int *out_type, int *out_protocol);

#endif /* WS2_PROTOCOLS_H */
