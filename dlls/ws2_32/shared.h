/*
 * The shared state region on our side (shared.c): the server's memfd of
 * per-socket slots (include/ws2shared.h), mapped on first need, and the
 * batch of free slots for this process's next sockets.
 */
#ifndef WS2_SHARED_H
#define WS2_SHARED_H

#include <stdint.h>
#include "ws2shared.h"

/* A free slot for a new socket (SOCKET names it), 0 when none could be had
 * (the server then picks one).  Give it back if the SOCKET failed. */
uint32_t shared_take_slot(void);
void shared_give_back(uint32_t slot);
/* Slot `n` of the current server's region, mapping it if need be; NULL for
 * slot 0 or when the region cannot be mapped (then every option call goes
 * to the server). */
struct ws2_sock_shared *shared_slot(uint32_t n);

#endif /* WS2_SHARED_H */
