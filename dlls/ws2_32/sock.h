/*
 * handles.c's interface: what a SOCKET value stands for on our side
 * (struct ws2_sock: the server's handle, the fd copy, the data path's state),
 * looking one up and taking references, and tearing sockets down.
 */
#ifndef WS2_SOCK_H
#define WS2_SOCK_H

#include <stdint.h>
#include <winsock2.h>
#include "ws2proto.h"

struct ws2_sock
{
    SOCKET value;               /* what the program sees: a pipe handle */
    HANDLE server_end;          /* our end of that pipe */
    uint32_t handle;            /* the server's handle */
    uint32_t server_id;         /* the server's socket object (shared by duplicates) */
    uint32_t generation;        /* server generation the handle belongs to */
    int fd;                     /* copy of the real socket, for the data path */
    volatile LONG wake_fd;      /* eventfd that wakes blocked calls, or -1 */
    /*
     * The server owns the socket's state; these are caches of it, refreshed
     * by every reply that names the socket (sock_apply_state, through the
     * ws2_sock_call_NAME calls) and written nowhere else.  A change made
     * through a duplicate (here or in another process) shows here after the
     * next call through this SOCKET that goes to the server; calls that stay
     * on the fd (send, recv, select) read the copy as it is.
     */
    volatile LONG state;        /* WS2_STATE_* (WS2_STATE_NONBLOCKING included) */
    volatile LONG nonblocking;  /* the blocking flag the data path reads (state's bit) */
    volatile LONG rcvtimeo;     /* SO_RCVTIMEO / SO_SNDTIMEO in ms, 0 = none */
    volatile LONG sndtimeo;
    volatile LONG state_serial; /* serial of the snapshot these come from */
    volatile LONG reset;        /* the peer reset the connection (stream) */
    volatile LONG recv_waits;   /* the last blocking receive had to wait */
    int family, type, protocol;
    volatile LONG closing;      /* closesocket has released it */
    volatile LONG refs;
};

/* Register a socket the server just gave us (reply to SOCKET, ACCEPT or
 * DUP_OPEN, with its fd); returns it with one ref for the caller, or NULL
 * with the WSA error in *status (the fd and the server handle are then
 * released). */
struct ws2_sock *sock_register(const struct ws2_socket_reply *rep, int fd, int *status);
/* AcceptEx: the SOCKET `sock` takes over the socket of `rep` (an ACCEPT
 * reply) and its fd; what it held before comes back for the caller to close. */
void sock_adopt(struct ws2_sock *sock, const struct ws2_socket_reply *rep, int fd, uint32_t *old_handle,
                int *old_fd);
/* WSASocket with the WSAPROTOCOL_INFO of WSADuplicateSocket (duplicate.c). */
SOCKET sock_open_duplicate(DWORD token);
/* Take the server's state of the socket from a reply (ignored when older
 * than what the socket already has, or when the reply named no socket). */
void sock_apply_state(struct ws2_sock *sock, const struct ws2_sock_state *st);
/* Look a SOCKET up and take a reference; NULL (WSAENOTSOCK) if unknown. */
struct ws2_sock *sock_get(SOCKET s);
void sock_release(struct ws2_sock *sock);
/* Release everything of the socket on our side: take it out of the table,
 * drop its WSAEventSelect/WSAAsyncSelect registration, end its pending
 * operations with WSA_OPERATION_ABORTED, wake the calls blocked on it; the
 * fd copy and the pipe go with the last reference.  Telling the server is
 * the caller's business. */
void sock_teardown(struct ws2_sock *sock);
/* The same for every socket (WSACleanup, unloading), or with `stale_only`
 * for those of an older server generation (the server went away). */
void sock_teardown_all(int stale_only);

/* Look up `s` for an API call: checks WSAStartup, sets the last error. */
struct ws2_sock *sock_for_call(SOCKET s);

#endif /* WS2_SOCK_H */
