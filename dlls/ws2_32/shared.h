/*
 * The shared state region on our side (shared.c): the server's memfd of
 * per-socket slots (include/ws2shared.h), mapped on first need, and the
 * batch of grants (slot, handle, id) for this process's next sockets.
 */
#ifndef WS2_SHARED_H
#define WS2_SHARED_H

#include <stdint.h>
#include "ws2shared.h"

/* What a new socket needs from the server, granted ahead in a SLOTS batch:
 * its slot, the server handle kept for it and its id. */
struct shared_grant
{
    uint32_t slot, handle, id;
};

/* A grant for a new socket (its SOCKET names the slot and the handle): 0,
 * or the error when none could be had (WSAENOBUFS: the server is out of
 * slots; WSAENETDOWN: it is gone).  Give it back if the SOCKET was not
 * sent. */
int shared_take_grant(struct shared_grant *grant);
void shared_give_back(const struct shared_grant *grant);
/* Slot `n` of the current server's region, mapping it if need be; NULL for
 * slot 0 or when the region cannot be mapped (then every option call goes
 * to the server). */
struct ws2_sock_shared *shared_slot(uint32_t n);

#endif /* WS2_SHARED_H */
