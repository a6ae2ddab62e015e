/*
 * notify.c's interface: WSAEventSelect and WSAAsyncSelect registrations, as
 * the other modules re-enable, inherit and drop them.
 */
#ifndef WS2_NOTIFY_H
#define WS2_NOTIFY_H

#include <windows.h>

struct ws2_sock; /* sock.h */

void notify_init(void);
/* A call that re-enables events was made (recv: FD_READ, accept: FD_ACCEPT,
 * a send that would block: FD_WRITE...), or the socket's state changed. */
void notify_reenable(struct ws2_sock *sock, LONG events);
/* sock_teardown: no event is reported after it. */
void notify_forget(struct ws2_sock *sock);
/* Nonzero when WSAEventSelect/WSAAsyncSelect is in force on the socket. */
int notify_registered(struct ws2_sock *sock);
/* An accepted socket takes over the listener's registration. */
void notify_inherit(struct ws2_sock *listener, struct ws2_sock *accepted);

#endif /* WS2_NOTIFY_H */
