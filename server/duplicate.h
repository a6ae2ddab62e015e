/*
 * WSADuplicateSocket offers (duplicate.c): a socket waiting under a one-time
 * token for its target process to claim it.  Used by the DUP_* requests,
 * loop.c (expiry) and the unit tests.
 */
#ifndef WS2SERVER_DUPLICATE_H
#define WS2SERVER_DUPLICATE_H

#include <stdint.h>
#include "ws2proto.h"

struct ws2_socket;

/* Offer `sock` to the Windows process `target_win_pid`; 0 or a WSA error.
 * The offer takes a reference of its own, dropped if it expires unclaimed. */
int dup_offer(struct ws2_socket *sock, uint32_t target_win_pid, uint32_t token[WS2_DUP_TOKEN_WORDS]);
/* Claim an offer (once); the socket comes with the offer's reference, now
 * the caller's. */
struct ws2_socket *dup_claim(const uint32_t token[WS2_DUP_TOKEN_WORDS], uint32_t win_pid, int *status);
unsigned int dup_count(void);
int dup_timeout(void);
void dup_expire(void);

#endif /* WS2SERVER_DUPLICATE_H */
