/*
 * overlapped.c's interface: the I/O thread that completes overlapped
 * operations (struct async_op for the extension functions), and cancelling a
 * socket's pending ones.
 */
#ifndef WS2_OVERLAPPED_H
#define WS2_OVERLAPPED_H

#include <winsock2.h>

struct ws2_sock; /* sock.h */

void overlapped_init(void);
/* sock_teardown: every pending transfer of the socket ends with WSA_OPERATION_ABORTED. */
void overlapped_cancel(struct ws2_sock *sock);
/* The same for the AcceptEx operations `sock` is the listener or the accept
 * socket of, before the server is told to close it: once the I/O thread
 * has taken a connection into the accept socket, closing that closes the
 * connection; until then, none is taken (closed first, the server closed
 * the unused socket and the connection was adopted into a closed one). */
void overlapped_cancel_accepts(struct ws2_sock *sock);

/*
 * An operation of the extension functions (extensions.c) that the I/O
 * thread moves on: `step` is one non-blocking attempt (0 done, WSAEWOULDBLOCK
 * to wait for `events` on `wait`'s fd again, or an error) and may change
 * `wait`/`events` between phases; `bytes` is what completion reports.
 * Closing either of `socks` cancels it.  `done` runs once, after the
 * completion was reported, and frees the operation (and its references).
 * With `has_fd` it waits on `fd` instead of `wait`'s fd (a notification
 * that is no socket I/O: SIO_ADDRESS_LIST_CHANGE).
 */
struct async_op
{
    struct ws2_sock *wait;
    int events; /* WAIT_* (sys.h) */
    int has_fd, fd;
    struct ws2_sock *socks[2]; /* the second may be NULL */
    DWORD bytes;
    int (*step)(struct async_op *op);
    void (*done)(struct async_op *op, int status);
};

/* Try `op` once; when it has to wait, queue it for the I/O thread and
 * return WSA_IO_PENDING; otherwise report it through `ov` now and return
 * its status.  `op` is given away either way.  Its packet goes through
 * socks[0]'s handle; `most` is the most bytes it can report. */
int overlapped_start(struct async_op *op, WSAOVERLAPPED *ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine,
                     DWORD most);
/* A request Windows takes with an OVERLAPPED (the call says WSA_IO_PENDING)
 * and then fails with `error` through it: event or routine, the packet of
 * a completion port; Internal says `status` (0: the usual NTSTATUS of
 * `error`). */
void overlapped_fail_later(struct ws2_sock *sock, WSAOVERLAPPED *ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine,
                           int error, DWORD status);
/* One it takes and then completes with `bytes` through it: the same, the
 * packet posted whatever FILE_SKIP_COMPLETION_PORT_ON_SUCCESS says. */
void overlapped_succeed_later(struct ws2_sock *sock, WSAOVERLAPPED *ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine,
                              DWORD bytes);
/* Mark `ov` pending before a call looks at its arguments (AcceptEx does, as
 * on Windows), after letting go of the operations the program cancelled;
 * WSAEFAULT when `ov` cannot be written. */
int overlapped_mark_pending(WSAOVERLAPPED *ov);
/* Whether a pending AcceptEx accepts into `sock` (socks[1] of an operation). */
int overlapped_accepting_into(struct ws2_sock *sock);
/* Report a call on `sock` that finished at once with `status` and `bytes`
 * through `ov` (Internal, event or routine, packet); returns `status`. */
int overlapped_report(struct ws2_sock *sock, WSAOVERLAPPED *ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine,
                      int status, DWORD bytes);
/* WSARecvMsg: WSARecvFrom on the buffers and address of `msg`, its control
 * data and flags (MSG_TRUNC, MSG_CTRUNC) written back there at the end. */
int overlapped_recv_msg(SOCKET s, WSAMSG *msg, DWORD *received, WSAOVERLAPPED *ov,
                        LPWSAOVERLAPPED_COMPLETION_ROUTINE routine);

#endif /* WS2_OVERLAPPED_H */
