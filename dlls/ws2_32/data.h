/*
 * data.c's interface: one send or receive on a socket's fd copy (struct xfer),
 * as the plain calls, the overlapped ones and the extensions run it, and the
 * waits for the fd to be ready.
 */
#ifndef WS2_DATA_H
#define WS2_DATA_H

#include <stdint.h>
#include <winsock2.h>
#include "ws2proto.h"

struct ws2_sock; /* sock.h */

#define XFER_MAX_IOV 64
/* Room for the control data of every receive option at once (Windows layout). */
#define XFER_CONTROL_MAX 256

/* One send or receive: the program's buffers and how far it got. */
struct xfer
{
    int send;
    int flags; /* Windows MSG_* */
    unsigned int iovcnt;
    uint64_t total, done;
    uint32_t addrlen;
    int from_room;  /* receive: the caller's *fromlen */
    int clean_poll; /* a poll just saw the fd readable without an error */
    /* Run to the end whatever the blocking mode, without a time limit (an
     * OVERLAPPED on a synchronous socket, sock_is_synchronous). */
    int whole;
    int locked;  /* receive: its buffers count as written (data.c, write watches) */
    int started; /* receive: tried once (shutdown(SD_RECEIVE) no longer refuses it) */
    /* WSARecvMsg: the program's WSAMSG, which takes the control data (kept
     * here until the end), its length and the MSG_TRUNC/MSG_CTRUNC flags. */
    WSAMSG *msg;
    char *control_out;
    uint32_t control_room, control_len;
    DWORD msg_flags;
    /* From here on, xfer_init clears nothing: only what the fields above
     * count is ever read. */
    struct xfer_buf
    {
        void *base;
        uint64_t len;
    } iov[XFER_MAX_IOV];
    uint8_t addr[WS2_MAX_ADDR]; /* send: the destination; receive: the source (Windows layout) */
    uint8_t control[XFER_CONTROL_MAX];
};

int xfer_init(struct xfer *x, struct ws2_sock *sock, int send, const WSABUF *bufs, DWORD count,
              int flags, const struct sockaddr *to, int tolen);
/* One non-blocking attempt: 0 done, WSAEWOULDBLOCK (more to wait for), or an error. */
int xfer_step(struct ws2_sock *sock, struct xfer *x);
/* A receive about to wait (pending, or blocked): its buffers count as
 * written from now on, as far as write watches tell (Windows locks them at
 * this point), and the data that lands in them later does not count again. */
void xfer_fault_in(struct xfer *x);
/* The whole transfer as the socket's blocking mode and timeouts say. */
int xfer_run(struct ws2_sock *sock, struct xfer *x);
int xfer_check_from(struct ws2_sock *sock, struct xfer *x, struct sockaddr *from, int *fromlen);
int xfer_write_from(struct xfer *x, struct sockaddr *from, int *fromlen);
/* A receive for WSARecvMsg: control data goes to the program's `msg`
 * (where its Control buffer says); 0 or WSAEFAULT. */
int xfer_want_control(struct xfer *x, WSAMSG *msg);
/* The end of a WSARecvMsg (done, or WSAEMSGSIZE): Control.len, the control
 * data and dwFlags out to the program; 0 or WSAEFAULT. */
int xfer_write_msg(struct xfer *x);

/* Wait (for sys.h's WAIT_READ / WAIT_WRITE bits) until the fd is ready, or closesocket wakes us.  Returns 0 or a WSA
 * error (WSAEINTR when the socket was closed meanwhile). */
int sock_wait(struct ws2_sock *sock, int events, int timeout_ms);
/* Make sure the socket has its wake-up eventfd; 0 or a WSA error. */
int sock_wake_fd(struct ws2_sock *sock);
struct wait_fd;
/* The same, and `fd` set to wait for the wake-up (WAIT_READ on its eventfd). */
int sock_wake_wait(struct ws2_sock *sock, struct wait_fd *fd);
/* The error of a wait that the socket's wake-up ended: WSAEINTR
 * (closesocket), or WSAENETDOWN when the socket's server went away. */
int sock_woken_error(const struct ws2_sock *sock);
/* A stream socket whose peer reset the connection (a receive saw it). */
int sock_was_reset(const struct ws2_sock *sock);

#endif /* WS2_DATA_H */
