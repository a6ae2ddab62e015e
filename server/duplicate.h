/*
 * WSADuplicateSocket offers (duplicate.c): a socket waiting under a one-time
 * token for its target process to claim it.  Used by the DUP_* requests,
 * client.c (a process's HELLO and exit), loop.c (expiry) and the unit
 * tests.
 */
#ifndef WS2SERVER_DUPLICATE_H
#define WS2SERVER_DUPLICATE_H

#include <stdint.h>
#include "ws2proto.h"

struct ws2_socket;
struct ws2_process;

/* Offers a process may have waiting at once (WSAENOBUFS beyond). */
#define OFFERS_PER_SOURCE 1024

/* `source` offers `sock` to the Windows process `target_win_pid`; 0 or a
 * WSA error.  The offer takes a reference of its own, dropped if the
 * target exits or the offer expires unclaimed. */
int dup_offer(struct ws2_socket *sock, struct ws2_process *source, uint32_t target_win_pid,
              uint32_t token[WS2_DUP_TOKEN_WORDS]);
/* Claim an offer (once, by its target); the socket comes with the offer's
 * reference, now the caller's. */
struct ws2_socket *dup_claim(const uint32_t token[WS2_DUP_TOKEN_WORDS], struct ws2_process *claimer, int *status);
/* A client process has said HELLO with its Windows pid: the offers to it
 * are its own from now on.  WSAEACCES if another process holds the pid. */
int dup_process_hello(struct ws2_process *process);
/* The process that holds Windows pid `win_pid`, if any. */
struct ws2_process *dup_process_of(uint32_t win_pid);
/* A client process has exited: the offers to it go. */
void dup_process_gone(struct ws2_process *process);
/* Offers waiting: all of them, and those made by `source`. */
unsigned int dup_count(void);
unsigned int dup_made_by(struct ws2_process *source);
/* The loop's timer: ms until the first expiry (-1: none); expire what is due. */
int dup_timeout(void);
void dup_expire(void);

#endif /* WS2SERVER_DUPLICATE_H */
