/*
 * The linger engine (linger.c): how a socket is torn down when its last
 * reference goes, by Windows' SO_LINGER table.  sock_unref() (sock.c) is its
 * only caller, under the teardown contract at the top of sock.h; loop.c runs
 * it while sockets drain.  The request handlers and unit tests count it.
 */
#ifndef WS2SERVER_LINGER_H
#define WS2SERVER_LINGER_H

struct ws2_socket;
struct ws2_client;

/* The linger engine's part of sock_unref(), called with the last reference
 * only: it takes that reference over unless it returns WSAEWOULDBLOCK. */
int linger_close(struct ws2_socket *sock, struct ws2_client *waiter);
unsigned int linger_count(void);
/* Milliseconds until the engine wants to run again, -1 if idle. */
int linger_timeout(void);
void linger_poll(void);

#endif /* WS2SERVER_LINGER_H */
