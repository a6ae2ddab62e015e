/*
 * The request handlers (requests.c): client.c hands each validated message
 * to request_dispatch(), which runs the op's handler and fills the reply.
 * The unit tests call it directly.
 */
#ifndef WS2SERVER_REQUESTS_H
#define WS2SERVER_REQUESTS_H

#include <stddef.h>

struct ws2_client;
struct reply;

/* Handle one validated request; returns the Winsock status. */
int request_dispatch(struct ws2_client *c, const void *msg, size_t len, struct reply *rep);

#endif /* WS2SERVER_REQUESTS_H */
