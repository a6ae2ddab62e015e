/*
 * Replies: the one a request handler builds (struct reply), sent on the
 * client's connection by client.c, and the deferred reply for an answer
 * that comes later.  Used by the request handlers, client.c, the linger
 * engine and the resolver (which defer replies), and the trace.
 */
#ifndef WS2SERVER_REPLY_H
#define WS2SERVER_REPLY_H

#include <stdint.h>
#include "ws2proto.h"

struct ws2_client;

/* A reply under construction. */
struct reply
{
    union
    {
        struct ws2_reply_header hdr;
        uint8_t bytes[WS2_MAX_MESSAGE];
    } u;
    uint32_t size; /* bytes of u in use */
    int fd;        /* fd to pass with it, -1 if none */
    int fd_owned;  /* the fd is the reply's, closed once sent (else the socket's own, only passed) */
};

/* An empty reply: all zero, header size, no fd. */
void reply_init(struct reply *rep);
void reply_send(struct ws2_client *c, struct reply *rep);

/*
 * A deferred reply: the answer to a request that cannot be given now (a
 * lingering closesocket, a name lookup), like the wineserver's async.  The
 * code that finds it cannot answer calls reply_defer() while the handler
 * runs; the handler's own reply is then not sent, and the connection takes
 * no other request (one at a time) until the object is completed.  Whoever
 * took the object (the linger engine, the resolver) completes it exactly
 * once, never before the handler has returned.  When the connection goes
 * away first, client_free() cancels it: completing it then only frees it.
 */
struct deferred_reply;
/* NULL when out of memory or when `c` already has one outstanding. */
struct deferred_reply *reply_defer(struct ws2_client *c);
/* Send `rep` (or a bare status) to the client, if still there, and free `d`. */
void deferred_complete(struct deferred_reply *d, struct reply *rep);
void deferred_complete_status(struct deferred_reply *d, uint32_t status);

#endif /* WS2SERVER_REPLY_H */
