/*
 * protocols.c's interface: whether a catalog entry id is one of our protocols
 * (the address conversions check the WSAPROTOCOL_INFO they are given).
 */
#ifndef WS2_PROTOCOLS_H
#define WS2_PROTOCOLS_H

#include <windows.h>

/* Nonzero when `id` is the dwCatalogEntryId of one of our protocols. */
int protocol_catalog_known(DWORD id);

#endif /* WS2_PROTOCOLS_H */
