/*
 * socket.c's interface for the other modules: a new socket from a reply
 * (opening WSADuplicateSocket's result), and a connect in two steps (for
 * ConnectEx).
 */
#ifndef WS2_SOCKET_H
#define WS2_SOCKET_H

#include <winsock2.h>

struct ws2_sock;         /* sock.h */
struct ws2_socket_reply; /* ws2proto.h */

/* The outcome of a request whose reply brings a new socket (and `fd`):
 * its SOCKET, or INVALID_SOCKET with the last error set.  `flags` are
 * WSASocket's (WSA_FLAG_OVERLAPPED, WSA_FLAG_NO_HANDLE_INHERIT). */
SOCKET socket_result(int status, int fd, struct ws2_socket_reply *rep, DWORD flags);
/* Start a connect without waiting, as a non-blocking connect() does:
 * 0 (connected), WSAEWOULDBLOCK (in progress) or an error. */
int socket_connect_start(struct ws2_sock *sock, const struct sockaddr *addr, int len);
/* After the fd became writable: 0, WSAEWOULDBLOCK (not yet) or the error. */
int socket_connect_finish(struct ws2_sock *sock);

#endif /* WS2_SOCKET_H */
