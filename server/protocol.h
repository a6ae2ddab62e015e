/*
 * Request validation (protocol.c): a message's size against its op, before
 * any handler sees it.  Used by client.c for every message, and by the unit
 * tests.
 */
#ifndef WS2SERVER_PROTOCOL_H
#define WS2SERVER_PROTOCOL_H

#include <stddef.h>
#include <stdint.h>

/* Check a request's size against its op; returns 0 or -1 (malformed). */
int protocol_check_request(const void *msg, size_t len);
uint32_t protocol_fixed_size(uint32_t op);

#endif /* WS2SERVER_PROTOCOL_H */
