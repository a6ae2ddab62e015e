/*
 * The shared state region on the server's side (shared.c): the memfd every
 * client maps, and who holds which slot.  A slot is free, reserved by a
 * process (a SLOTS batch it has not used yet), or a socket's (sock.c).
 */
#ifndef WS2SERVER_SHARED_H
#define WS2SERVER_SHARED_H

#include <stdint.h>
#include "ws2shared.h"

/* Create the region (main.c at start-up; the first use otherwise): 0 or -1. */
int shared_init(void);
/* The region's memfd, for a SLOTS reply (the caller dups it); -1 if none. */
int shared_fd(void);
/* Slot `n`'s words (n < WS2_SHARED_SLOTS). */
struct ws2_sock_shared *shared_slot(uint32_t n);
/* Reserve up to `want` free slots for the process with this serial (a SLOTS
 * batch), cleared: how many were written to `out`. */
unsigned int shared_reserve(uint32_t process, uint32_t *out, unsigned int want);
/* The socket id that goes with reserved slot `n` (SLOTS hands both out, so
 * that SOCKET needs no answer), and the one kept: 0 unless the process
 * with this serial holds the slot reserved. */
void shared_keep_id(uint32_t n, uint32_t id);
uint32_t shared_reserved_id(uint32_t process, uint32_t n);
/* Give back reserved slots the process never heard of (a reply that failed). */
void shared_unreserve(uint32_t process, const uint32_t *slots, unsigned int count);
/* Take slot `n` for a new socket: one the process reserved (n != 0), or any
 * free one (n == 0: an accepted socket).  Returns the slot, 0 when `n` is
 * not one of the process's or none is free. */
uint32_t shared_take(uint32_t process, uint32_t n);
/* A socket could not be made in the slot shared_take gave: it is the
 * process's again (`process` as given to shared_take), or free. */
void shared_untake(uint32_t process, uint32_t n);
/* A socket's slot is free again (sock_free). */
void shared_put(uint32_t n);
/* The process exited: its unused reserved slots are free again. */
void shared_process_gone(uint32_t process);
/* Slots free, for the unit tests. */
unsigned int shared_free_count(void);

#endif /* WS2SERVER_SHARED_H */
