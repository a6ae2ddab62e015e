/*
 * completion.c's interface: completion-port packets for overlapped
 * operations, posted through the pipe behind the SOCKET handle (see
 * doc/design-notes.md, "Completion ports").
 *
 * An operation that reports through a port has pipe I/O of its own on the
 * SOCKET handle while it is pending, with the program's OVERLAPPED as both
 * its status block and its completion value: a read (the receive lane) or a
 * write of the byte count (the send lane).  Finishing that pipe I/O is what
 * posts the packet, sets Internal/InternalHigh and lets CancelIo/CancelIoEx
 * find the operation.  A lane's pipe I/O finishes in the order it was
 * issued, so the operations of one lane must complete in order.
 */
#ifndef WS2_COMPLETION_H
#define WS2_COMPLETION_H

#include <winsock2.h>

struct ws2_sock; /* sock.h */

/* What completion.c learnt of a SOCKET handle (sock_completion bits). */
#define COMPLETION_BOUND     0x1 /* a completion port is associated with it */
#define COMPLETION_SKIP_PORT 0x2 /* FILE_SKIP_COMPLETION_PORT_ON_SUCCESS */
#define COMPLETION_USED      0x4 /* an overlapped call ran on it: its pipe is not recycled */

enum completion_lane
{
    LANE_NONE, /* no packet: no port, a completion routine, or hEvent | 1 */
    LANE_RECV, /* a pipe read, finished by a message of the byte count */
    LANE_SEND, /* a pipe write of the byte count, finished by reading it */
    /* To completion_finish: LANE_RECV, with no other read of the lane pending. */
    LANE_RECV_ALONE,
};

/* How an operation on `handle` (a value of `sock`) with `ov` and `routine`
 * ends: COMPLETION_BY_PIPE when Wine ends it from the pipe I/O (a port is
 * bound, or there is neither event nor routine and the handle is what is
 * signalled); or COMPLETION_BY_EVENT, pipe I/O only so that CancelIo and
 * CancelIoEx find it, its result, event or routine being ours to report (no
 * port, or hEvent | 1); 0 without an OVERLAPPED. */
#define COMPLETION_BY_PIPE  1
#define COMPLETION_BY_EVENT 2
/* A completion routine on a handle bound to a port: Windows refuses it (WSAEINVAL). */
#define COMPLETION_REFUSED 3
int completion_wanted(struct ws2_sock *sock, HANDLE handle, const WSAOVERLAPPED *ov,
                      LPWSAOVERLAPPED_COMPLETION_ROUTINE routine);
/* Whether a call that succeeds at once posts no packet
 * (FILE_SKIP_COMPLETION_PORT_ON_SUCCESS on the handle). */
int completion_skips_success(struct ws2_sock *sock, HANDLE handle);

/* Issue the pipe I/O of an operation about to be pending on `lane`;
 * `len` is the most it can report (LANE_RECV) or exactly what it will
 * (LANE_SEND).  `ended`, with COMPLETION_BY_EVENT: an event of
 * completion_event_get that Wine sets when the pipe I/O is over (ended by
 * us, or cancelled by the program).  0, or an error when the pipe refused. */
int completion_issue(HANDLE handle, WSAOVERLAPPED *ov, enum completion_lane lane, DWORD len, int how, HANDLE ended);
HANDLE completion_event_get(void);
/* Give it back; `ended`: its pipe I/O is known to be over (else it is closed). */
void completion_event_put(HANDLE event, int ended);
/* Whether the pipe I/O of `ended` is over (one wineserver call). */
int completion_ended(HANDLE ended);
/* After completion_finish of a COMPLETION_BY_EVENT operation: wait (a
 * little) until Wine wrote its status block, so that what we write next
 * stays; whether it did. */
int completion_wait_written(HANDLE ended);
/* Finish it: success posts (ov, bytes, 0) with Internal 0 and InternalHigh
 * `bytes`.  An error is kept for WSAGetOverlappedResult; on the receive
 * lane the packet says success with no bytes, an abort or an error on the
 * send lane cancels the pipe I/O, which posts (ov, 0, STATUS_CANCELLED).
 * Returns 0, or WSA_OPERATION_ABORTED when the program had cancelled the
 * pipe I/O already (CancelIo/CancelIoEx: its packet was posted then). */
int completion_finish(struct ws2_sock *sock, WSAOVERLAPPED *ov, enum completion_lane lane, DWORD len, int error,
                      DWORD bytes);

/* An operation that fails as soon as it started, its OVERLAPPED already
 * written with the result: a pipe read with a status block of our own and
 * the OVERLAPPED as completion value, cancelled at once, posts (ov, 0,
 * STATUS_CANCELLED) and sets the event without touching the OVERLAPPED.
 * `error` is kept for WSAGetOverlappedResult.  0, or an error when the
 * pipe refused. */
int completion_fail(HANDLE handle, WSAOVERLAPPED *ov, int error);

/* The Winsock error an operation that ended through a cancelled pipe I/O
 * really had (0 if none is known); completion_forget drops it when the
 * OVERLAPPED starts another operation. */
int completion_error(const WSAOVERLAPPED *ov);
void completion_forget(const WSAOVERLAPPED *ov);

/* Whether the pipe handle `handle` has neither a completion port nor a
 * completion mode (SetFileCompletionNotificationModes): two wineserver
 * calls.  pipes.c pools such a handle again. */
int completion_pipe_clean(HANDLE handle);

#endif /* WS2_COMPLETION_H */
