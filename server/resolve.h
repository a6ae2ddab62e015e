/*
 * Name resolution in worker threads (resolve.c).  Used by the request
 * handlers for the lookup ops, and by loop.c and the unit tests to count
 * lookups in flight.
 */
#ifndef WS2SERVER_RESOLVE_H
#define WS2SERVER_RESOLVE_H

#include <stddef.h>
#include <stdint.h>

struct ws2_client;

/* Start a lookup (GETADDRINFO, GETNAMEINFO, GETHOSTBY*, GETSERV, INTERFACES)
 * in a worker thread; the request's reply is deferred to `c` until it is
 * done.  0, or a WSA error (then no other reply follows). */
int resolve_start(struct ws2_client *c, uint32_t op, const void *req, size_t len);
unsigned int resolve_count(void);

#endif /* WS2SERVER_RESOLVE_H */
