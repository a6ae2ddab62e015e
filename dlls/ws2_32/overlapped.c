/*
 * WSASend, WSARecv, WSASendTo, WSARecvFrom and WSAGetOverlappedResult.
 *
 * Without an OVERLAPPED they are send/recv with several buffers.  With one,
 * the transfer is tried at once; what cannot complete now is queued for
 * this process's I/O thread, which polls the sockets with pending work and
 * finishes each transfer in order.  A finished transfer is reported the
 * Windows way: Internal/InternalHigh in the OVERLAPPED, its event set, and
 * the completion routine queued as an APC to the thread that issued it (it
 * runs when that thread waits alertably).  closesocket ends every pending
 * transfer of the socket with WSA_OPERATION_ABORTED.
 * The extension functions (extensions.c) queue operations of their own
 * (struct async_op) on the same I/O thread: a step function instead of a
 * transfer, reported the same way.
 * (Completion ports are a later step: see DESIGN, "SOCKET values".)
 */
#include <string.h>
#define WIN32_NO_STATUS /* the STATUS_* names come from ntstatus.h below */
#include "private.h"
#undef WIN32_NO_STATUS
#include <ntstatus.h>
#include <winternl.h>
#include "completion.h"
#include "data.h"
#include "notify.h"
#include "overlapped.h"
#include "sock.h"
#include "sys.h"
#include "usermem.h"

struct pending_io
{
    struct pending_io *next;
    struct ws2_sock *sock; /* holds a reference */
    struct xfer x;
    WSAOVERLAPPED *ov;
    LPWSAOVERLAPPED_COMPLETION_ROUTINE routine;
    HANDLE thread;         /* the issuing thread, for the routine */
    struct sockaddr *from; /* WSARecvFrom's out address */
    int *fromlen;
    DWORD *flags_out;
    struct async_op *op; /* an extension function's operation, or NULL */
    /* The packet (completion.h): the SOCKET handle whose pipe I/O carries
     * it, its lane and that I/O's length. */
    HANDLE handle;
    enum completion_lane lane;
    DWORD lane_len;
    int how;      /* completion_wanted's answer, asked once per call */
    int by_event; /* COMPLETION_BY_EVENT: the result and the event are ours to write */
    HANDLE ended; /* by_event: Wine sets it when the pipe I/O is over */
    int ended_seen;
    /* Already over (its result in `final`): only the packet waits its turn. */
    int is_final;
    int final;
    /* A receive or AcceptEx: the socket it takes data or connections from
     * (a reference), counted in sock_receivers while it is queued. */
    struct ws2_sock *receiving;
};

static CRITICAL_SECTION io_lock;
static struct pending_io *pending; /* in issue order */
static HANDLE io_thread;
static int io_wake = -1;
/* Counts the I/O thread's returns from poll: a host poll holds every socket
 * it waits on open, so closing one must wait until the thread left it. */
static volatile LONG io_polls;

/*
 * NTSTATUS in OVERLAPPED.Internal <-> Winsock errors.  Reading, every
 * status of a row gives its error (what WSAGetOverlappedResult returns on
 * Windows); writing an error, the first status of its row is used.
 */
/* clang-format off */
static const struct
{
    int wsa;
    DWORD status[10];
} status_map[] = {
    { WSA_OPERATION_ABORTED, { STATUS_CANCELLED } },
    { WSA_IO_INCOMPLETE, { STATUS_PENDING, 0x80070000 | ERROR_IO_INCOMPLETE, 0xc0010000 | ERROR_IO_INCOMPLETE,
                           0xc0070000 | ERROR_IO_INCOMPLETE } },
    { WSAECONNRESET, { STATUS_CONNECTION_RESET, STATUS_REMOTE_DISCONNECT, STATUS_PORT_UNREACHABLE,
                       STATUS_LINK_FAILED, STATUS_CONNECTION_DISCONNECTED } },
    { WSAECONNABORTED, { STATUS_CONNECTION_ABORTED, STATUS_LOCAL_DISCONNECT, STATUS_TRANSACTION_ABORTED } },
    { WSAECONNREFUSED, { STATUS_CONNECTION_REFUSED, STATUS_REMOTE_NOT_LISTENING } },
    { WSAEMSGSIZE, { STATUS_BUFFER_OVERFLOW, STATUS_INVALID_BUFFER_SIZE } },
    { WSAENOTCONN, { STATUS_INVALID_CONNECTION } },
    { WSAENETUNREACH, { STATUS_NETWORK_UNREACHABLE, STATUS_PROTOCOL_UNREACHABLE, STATUS_BAD_NETWORK_PATH } },
    { WSAEHOSTUNREACH, { STATUS_HOST_UNREACHABLE } },
    { WSAEHOSTDOWN, { STATUS_HOST_DOWN } },
    { WSAEADDRINUSE, { STATUS_ADDRESS_ALREADY_EXISTS, STATUS_SHARING_VIOLATION } },
    { WSAEADDRNOTAVAIL, { STATUS_INVALID_ADDRESS_COMPONENT, STATUS_INVALID_ADDRESS } },
    { WSAEFAULT, { STATUS_ACCESS_VIOLATION, STATUS_BUFFER_TOO_SMALL, STATUS_DATATYPE_MISALIGNMENT_ERROR } },
    /* AcceptEx's address areas too small (after the row that reads it). */
    { ERROR_INSUFFICIENT_BUFFER, { STATUS_BUFFER_TOO_SMALL } },
    { WSAETIMEDOUT, { STATUS_IO_TIMEOUT, STATUS_LINK_TIMEOUT } },
    { WSAESHUTDOWN, { STATUS_PIPE_DISCONNECTED } },
    { WSAEWOULDBLOCK, { STATUS_DEVICE_NOT_READY, STATUS_REQUEST_NOT_ACCEPTED } },
    { WSAENOTSOCK, { STATUS_OBJECT_TYPE_MISMATCH, STATUS_INVALID_HANDLE } },
    { WSAEOPNOTSUPP, { STATUS_NOT_SUPPORTED, STATUS_NOT_IMPLEMENTED } },
    { WSAEACCES, { STATUS_ACCESS_DENIED } },
    { WSAEISCONN, { STATUS_CONNECTION_ACTIVE } },
    { WSAEDISCON, { STATUS_GRACEFUL_DISCONNECT } },
    { WSAEINTR, { STATUS_REQUEST_ABORTED } },
    { WSAENETDOWN, { STATUS_NETWORK_BUSY, STATUS_NO_SUCH_DEVICE, STATUS_NO_SUCH_FILE, STATUS_OBJECT_NAME_NOT_FOUND,
                     STATUS_OBJECT_PATH_NOT_FOUND, STATUS_INVALID_NETWORK_RESPONSE,
                     STATUS_UNEXPECTED_NETWORK_ERROR } },
    { WSAENOBUFS, { STATUS_NO_MEMORY, STATUS_INSUFFICIENT_RESOURCES, STATUS_PAGEFILE_QUOTA,
                    STATUS_CONFLICTING_ADDRESSES, STATUS_QUOTA_EXCEEDED, STATUS_TOO_MANY_PAGING_FILES,
                    STATUS_WORKING_SET_QUOTA, STATUS_COMMITMENT_LIMIT, STATUS_REMOTE_RESOURCES,
                    STATUS_TOO_MANY_ADDRESSES } },
    { WSAEINVAL, { STATUS_INVALID_PARAMETER } },
};
/* clang-format on */

#define MAP_ROWS (sizeof(status_map) / sizeof(status_map[0]))

static DWORD status_of(int wsa)
{
    unsigned int i;

    if (!wsa) return STATUS_SUCCESS;
    for (i = 0; i < MAP_ROWS; i++)
        if (status_map[i].wsa == wsa) return status_map[i].status[0];
    return STATUS_UNSUCCESSFUL;
}

/* The error WSAGetOverlappedResult gives for a final status that is not a
 * success (one that Windows does not map is WSAEINVAL). */
static int wsa_of(DWORD status)
{
    unsigned int i, j;

    for (i = 0; i < MAP_ROWS; i++)
        for (j = 0; j < sizeof(status_map[i].status) / sizeof(status_map[i].status[0]) && status_map[i].status[j]; j++)
            if (status_map[i].status[j] == status) return status_map[i].wsa;
    return WSAEINVAL;
}

void overlapped_init(void)
{
    InitializeCriticalSection(&io_lock);
}

struct routine_call
{
    LPWSAOVERLAPPED_COMPLETION_ROUTINE routine;
    DWORD error, bytes, flags;
    WSAOVERLAPPED *ov;
};

static void CALLBACK run_routine(ULONG_PTR arg)
{
    struct routine_call *call = (struct routine_call *)arg;

    call->routine(call->error, call->bytes, call->ov, call->flags);
    HeapFree(GetProcessHeap(), 0, call);
}

/* A handle to the calling thread, where a completion routine must run; NULL without one. */
static HANDLE issuing_thread(LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    HANDLE thread = NULL;

    if (routine)
        DuplicateHandle(GetCurrentProcess(), GetCurrentThread(), GetCurrentProcess(), &thread, 0, FALSE,
                        DUPLICATE_SAME_ACCESS);
    return thread;
}

/* The event of an OVERLAPPED, without the bit that only asks for no packet. */
static HANDLE ov_event(const WSAOVERLAPPED *ov)
{
    return (HANDLE)((ULONG_PTR)ov->hEvent & ~(ULONG_PTR)1);
}

/*
 * Report a finished operation through the OVERLAPPED, event and routine
 * (without a packet: finish() and report() post it).  With a routine,
 * hEvent belongs to the program, as on Windows.
 */
static void complete_as(WSAOVERLAPPED *ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine, HANDLE thread, int error,
                        DWORD status, DWORD bytes, DWORD flags)
{
    ov->InternalHigh = bytes;
    InterlockedExchange((LONG *)&ov->Internal, status);
    if (routine && thread)
    {
        struct routine_call *call = HeapAlloc(GetProcessHeap(), 0, sizeof(*call));

        if (!call) return;
        call->routine = routine;
        call->error = error;
        call->bytes = bytes;
        call->flags = flags;
        call->ov = ov;
        if (!QueueUserAPC(run_routine, thread, (ULONG_PTR)call)) HeapFree(GetProcessHeap(), 0, call);
    }
    else if (ov_event(ov)) SetEvent(ov_event(ov));
}

/* The same, Internal saying the first status of the error's row. */
static void complete(WSAOVERLAPPED *ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine, HANDLE thread, int error,
                     DWORD bytes, DWORD flags)
{
    complete_as(ov, routine, thread, error, status_of(error), bytes, flags);
}

/* The operation takes nothing more: what arrives from now on is the
 * socket's FD_READ/FD_ACCEPT again.  Before its result is reported, so
 * that data sent in answer to that finds the count down. */
static void stop_receiving(struct pending_io *io)
{
    if (!io->receiving) return;
    sock_receivers_add(io->receiving, -1);
    notify_reenable(io->receiving, 0);
    sock_release(io->receiving);
    io->receiving = NULL;
}

static void free_io(struct pending_io *io)
{
    stop_receiving(io);
    completion_event_put(io->ended, io->ended_seen);
    if (io->thread) CloseHandle(io->thread);
    if (io->sock) sock_release(io->sock);
    HeapFree(GetProcessHeap(), 0, io);
}

/* The socket whose handle and lanes an operation uses. */
static struct ws2_sock *lane_sock(const struct pending_io *io)
{
    return io->op ? io->op->socks[0] : io->sock;
}

static int same_queue(const struct pending_io *a, const struct pending_io *b);

/* Whether an operation of `sock` is pending in the queue `probe` describes; with io_lock held. */
static int queue_busy(const struct pending_io *probe)
{
    const struct pending_io *io;

    for (io = pending; io; io = io->next)
        if (same_queue(io, probe)) return 1;
    return 0;
}

static void finish(struct pending_io *io, int error)
{
    DWORD bytes;


    if (io->is_final)
    {
        /* Reported already; its packet's turn has come. */
        completion_finish(lane_sock(io), io->ov, io->lane, io->lane_len, io->final, io->lane_len);
        free_io(io);
        return;
    }
    stop_receiving(io);
    if (io->op) bytes = io->op->bytes;
    else
    {
        if (!io->x.send && !error && xfer_write_from(&io->x, io->from, io->fromlen)) error = WSAEFAULT;
        if (!io->x.send && (!error || error == WSAEMSGSIZE) && xfer_write_msg(&io->x)) error = WSAEFAULT;
        bytes = io->x.done;
    }
    if (io->lane)
    {
        enum completion_lane lane = io->lane;

        /* Wine writes Internal/InternalHigh, sets the event and posts the
         * packet as the pipe I/O ends; `io` is out of the queue already. */
        /* (By event, the result is ours to write: the pipe I/O need not carry it.) */
        if (lane == LANE_RECV && !io->by_event && !queue_busy(io)) lane = LANE_RECV_ALONE;
        if (completion_finish(lane_sock(io), io->ov, lane, io->lane_len, error, bytes))
            error = WSA_OPERATION_ABORTED; /* the program cancelled it first */
        if (io->by_event)
        {
            /* Once Wine wrote what the pipe I/O ended with, the real result. */
            io->ended_seen = completion_wait_written(io->ended);
            if (error != WSA_OPERATION_ABORTED || io->ov->Internal == STATUS_PENDING)
                complete(io->ov, io->routine, io->thread, error, bytes, 0);
            else complete(io->ov, io->routine, io->thread, WSA_OPERATION_ABORTED, 0, 0);
        }
    }
    else complete(io->ov, io->routine, io->thread, error, bytes, 0);
    if (io->op) io->op->done(io->op, error);
    free_io(io);
}

/* A program that cancelled an operation's pipe I/O (CancelIo, CancelIoEx)
 * has had its packet: the operation is over without a result.  Wine wrote
 * Internal then, but the program may write it too (Wine's AcceptEx test
 * does, on a pending operation): where we have the event of the pipe I/O,
 * a change of Internal only says to ask it. */
static int cancelled(struct pending_io *io)
{
    if (!io->lane || io->is_final || io->ov->Internal == STATUS_PENDING) return 0;
    if (!io->ended || io->ended_seen) return 1;
    return io->ended_seen = completion_ended(io->ended);
}

static void drop(struct pending_io *io)
{
    TRACE("operation %p on %#Ix cancelled by the program\n", io->ov, (ULONG_PTR)io->handle);
    /* Wine wrote STATUS_CANCELLED; the event or routine is ours. */
    if (io->by_event) complete(io->ov, io->routine, io->thread, WSA_OPERATION_ABORTED, 0, 0);
    if (io->op) io->op->done(io->op, WSA_OPERATION_ABORTED);
    free_io(io);
}

/* Drop every operation the program cancelled; called with io_lock held. */
static void reap_cancelled(void)
{
    struct pending_io **link, *io;

    for (link = &pending; (io = *link);)
    {
        if (!cancelled(io))
        {
            link = &io->next;
            continue;
        }
        *link = io->next;
        drop(io);
    }
}

/* The socket whose fd a pending operation waits on, and for what (0: ready now). */
static struct ws2_sock *io_sock(const struct pending_io *io)
{
    if (io->is_final) return lane_sock(io);
    return io->op ? io->op->wait : io->sock;
}

static int io_events(const struct pending_io *io)
{
    if (io->is_final) return 0;
    if (io->op) return io->op->events;
    return io->x.send ? WAIT_WRITE : (io->x.flags & MSG_OOB) ? WAIT_PRI
                                                             : WAIT_READ;
}

/* The fd a pending operation waits on: its socket's, or its own. */
static int io_fd(const struct pending_io *io)
{
    if (!io->is_final && io->op && io->op->has_fd) return io->op->fd;
    return sock_fd(io_sock(io));
}

/* Operations that must complete in order share a queue: those of one lane
 * of a socket, otherwise those of a socket waiting for the same events. */
static int same_queue(const struct pending_io *a, const struct pending_io *b)
{
    if (a->lane || b->lane) return a->lane == b->lane && lane_sock(a) == lane_sock(b);
    return io_sock(a) == io_sock(b) && io_fd(a) == io_fd(b) && io_events(a) == io_events(b);
}

static DWORD WINAPI io_loop(void *arg)
{
    struct wait_fd fds[1 + 256];
    struct pending_io *polled[1 + 256];

    (void)arg;
    for (;;)
    {
        struct pending_io *io, **link;
        unsigned int n = 1, i;
        int timeout = -1;

        /* The first pending operation of each queue waits. */
        EnterCriticalSection(&io_lock);
        reap_cancelled();
        for (io = pending; io && n < 1 + 256; io = io->next)
        {
            /* Look for operations the program cancelled now and then: often
             * when a program waiting on an event may be waiting for that. */
            if (io->lane && timeout != 0) timeout = io->by_event ? 20 : timeout > 0 && timeout < 250 ? timeout
                                                                                                     : 250;
            for (i = 1; i < n; i++)
                if (same_queue(polled[i], io)) break;
            if (i < n) continue;
            if (!io_events(io)) timeout = 0;
            fds[n].fd = io_events(io) ? io_fd(io) : -1;
            fds[n].events = io_events(io);
            polled[n++] = io;
        }
        LeaveCriticalSection(&io_lock);
        fds[0].fd = io_wake;
        fds[0].events = WAIT_READ;
        n = sys_poll(fds, n, timeout) < 0 ? 0 : n;
        InterlockedIncrement(&io_polls);
        if (!n) continue;
        if (fds[0].revents) sys_eventfd_drain(io_wake);
        EnterCriticalSection(&io_lock);
        for (i = 1; i < n; i++)
        {
            int status;

            if (!fds[i].revents && fds[i].events) continue;
            /* Still pending?  closesocket may have ended it meanwhile. */
            for (link = &pending; *link && *link != polled[i]; link = &(*link)->next)
                ;
            if (!*link) continue;
            io = *link;
            if (cancelled(io))
            {
                *link = io->next;
                drop(io);
                continue;
            }
            if (io->is_final)
            {
                *link = io->next;
                finish(io, io->final);
                continue;
            }
            if (io->op)
            {
                if ((status = io->op->step(io->op)) == WSAEWOULDBLOCK) continue;
                *link = io->next;
                finish(io, status);
                continue;
            }
            if ((status = xfer_step(io->sock, &io->x)) == WSAEWOULDBLOCK) continue;
            *link = io->next;
            notify_reenable(io->sock, io->x.send ? 0 : FD_READ);
            finish(io, status);
        }
        LeaveCriticalSection(&io_lock);
    }
    return 0;
}

/* Start the I/O thread if it is not running; with io_lock held. */
static int start_io_thread(void)
{
    if (io_wake < 0)
    {
        int fd = sys_eventfd();
        if (fd >= 0) io_wake = fd;
    }
    if (io_wake >= 0 && !io_thread) io_thread = CreateThread(NULL, 0, io_loop, NULL, 0, NULL);
    return io_wake >= 0 && io_thread ? 0 : WSAENOBUFS;
}

/* Queue `io` for the I/O thread; with io_lock held. */
static int queue_locked(struct pending_io *io)
{
    struct pending_io **link;
    int status;

    if ((status = start_io_thread())) return status;
    for (link = &pending; *link; link = &(*link)->next)
        ;
    *link = io;
    io->next = NULL;
    return 0;
}

static void wake_io_thread(void)
{
    sys_eventfd_signal(io_wake);
}

/*
 * Start the packet of an operation about to be queued as pending, before
 * the I/O thread can see it (its pipe I/O must be there when the
 * operation ends).  Receives, and anything that may report no bytes, use
 * the receive lane; sends of a known count use the send lane.
 */
static void start_packet(struct pending_io *io, HANDLE handle, int send, DWORD most)
{
    io->handle = handle;
    io->lane = LANE_NONE;
    if (!io->how || io->how == COMPLETION_REFUSED) return;
    io->lane = send && most ? LANE_SEND : LANE_RECV;
    io->lane_len = most;
    io->by_event = io->how == COMPLETION_BY_EVENT;
    if ((io->by_event && !(io->ended = completion_event_get())) ||
        completion_issue(handle, io->ov, io->lane, most, io->how, io->ended))
    {
        completion_event_put(io->ended, 1); /* no pipe I/O took it */
        io->ended = NULL;
        io->lane = LANE_NONE, io->by_event = 0;
    }
}

/*
 * Post the packet of an operation that succeeded at once with `bytes`
 * (already reported through the OVERLAPPED).  Its pipe I/O is finished
 * right away on a lane that has nothing pending: the receive lane first
 * (the send lane's message on our end also wakes pipes.c's watch of it,
 * about six wineserver calls more), else the send lane when there are
 * bytes; when neither has room it waits its turn behind the receive lane.
 */
static void post_now(struct ws2_sock *sock, HANDLE handle, WSAOVERLAPPED *ov, DWORD bytes)
{
    struct pending_io probe, *io;
    enum completion_lane lane = LANE_NONE;


    memset(&probe, 0, sizeof(probe));
    probe.sock = sock;
    EnterCriticalSection(&io_lock);
    probe.lane = LANE_RECV;
    if (!queue_busy(&probe)) lane = LANE_RECV;
    probe.lane = LANE_SEND;
    if (!lane && bytes && !queue_busy(&probe)) lane = LANE_SEND;
    if (lane)
    {
        if (!completion_issue(handle, ov, lane, bytes, COMPLETION_BY_PIPE, NULL))
            completion_finish(sock, ov, lane, bytes, 0, bytes);
        LeaveCriticalSection(&io_lock);
        return;
    }
    /* Both lanes are busy: the packet follows the receive lane's operations. */
    if ((io = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*io))))
    {
        sock_addref(sock);
        io->sock = sock;
        io->ov = ov;
        io->handle = handle;
        io->lane = LANE_RECV;
        io->lane_len = bytes;
        io->is_final = 1;
        if (completion_issue(handle, ov, LANE_RECV, bytes, COMPLETION_BY_PIPE, NULL) || queue_locked(io)) free_io(io);
    }
    LeaveCriticalSection(&io_lock);
    wake_io_thread();
}

/* A call finished at once: report it (OVERLAPPED, event or routine, and a
 * packet unless the handle skips them on success). */
static void report(struct ws2_sock *sock, HANDLE handle, WSAOVERLAPPED *ov,
                   LPWSAOVERLAPPED_COMPLETION_ROUTINE routine, int how, int status, DWORD bytes, DWORD flags)
{
    HANDLE thread = issuing_thread(routine);

    complete(ov, routine, thread, status, bytes, flags);
    if (thread) CloseHandle(thread);
    /* A call that fails at once posts nothing, as on Windows. */
    if (status || how != COMPLETION_BY_PIPE || completion_skips_success(sock, handle)) return;
    post_now(sock, handle, ov, bytes);
}

static void begin(WSAOVERLAPPED *ov);

void overlapped_fail_later(struct ws2_sock *sock, WSAOVERLAPPED *ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine,
                           int error, DWORD status)
{
    HANDLE handle = (HANDLE)sock_value(sock), thread;

    if (!status) status = status_of(error);
    begin(ov);
    if (completion_wanted(sock, handle, ov, routine) == COMPLETION_BY_PIPE)
    {
        /* The OVERLAPPED says the result before the packet exists: Wine
         * writes only a status block of completion.c's.  Under io_lock, so
         * that no packet posted meanwhile (post_now) ends its pipe read. */
        ov->InternalHigh = 0;
        InterlockedExchange((LONG *)&ov->Internal, status);
        EnterCriticalSection(&io_lock);
        completion_fail(handle, ov, error);
        LeaveCriticalSection(&io_lock);
        return;
    }
    thread = issuing_thread(routine);
    complete_as(ov, routine, thread, error, status, 0, 0);
    if (thread) CloseHandle(thread);
}

void overlapped_succeed_later(struct ws2_sock *sock, WSAOVERLAPPED *ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine,
                              DWORD bytes)
{
    HANDLE handle = (HANDLE)sock_value(sock), thread;
    int how;

    begin(ov);
    how = completion_wanted(sock, handle, ov, routine);
    thread = issuing_thread(routine);
    complete(ov, routine, thread, 0, bytes, 0);
    if (thread) CloseHandle(thread);
    /* The call said it was pending: a packet, whatever the skip mode. */
    if (how == COMPLETION_BY_PIPE) post_now(sock, handle, ov, bytes);
}

int overlapped_report(struct ws2_sock *sock, WSAOVERLAPPED *ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine,
                      int status, DWORD bytes)
{
    HANDLE handle = (HANDLE)sock_value(sock);

    completion_forget(ov);
    report(sock, handle, ov, routine, completion_wanted(sock, handle, ov, routine), status, bytes, 0);
    return status;
}

/* Before `ov` is marked pending again: let go of the operations the program
 * cancelled.  Their changed Internal is what shows them, and a program may
 * reuse the OVERLAPPED right after CancelIo (Wine wrote STATUS_CANCELLED as
 * CancelIo returned): once marked, one would stay queued, looking pending. */
static void reap_before_reuse(const WSAOVERLAPPED *ov)
{
    ULONG_PTR internal;

    if (!pending || user_read(&internal, &ov->Internal, sizeof(internal)) < 0 || internal == STATUS_PENDING) return;
    EnterCriticalSection(&io_lock);
    reap_cancelled();
    LeaveCriticalSection(&io_lock);
}

int overlapped_mark_pending(WSAOVERLAPPED *ov)
{
    ULONG_PTR internal = STATUS_PENDING;

    reap_before_reuse(ov);
    return user_write(&ov->Internal, &internal, sizeof(internal)) < 0 ? WSAEFAULT : 0;
}

/* Prepare `ov` for an operation: pending, no result, event reset; an
 * earlier operation of it that the program cancelled is let go. */
static void begin(WSAOVERLAPPED *ov)
{
    reap_before_reuse(ov);
    completion_forget(ov);
    /* InternalHigh keeps what it had until the operation ends, as on Windows. */
    InterlockedExchange((LONG *)&ov->Internal, STATUS_PENDING);
    if (ov_event(ov)) ResetEvent(ov_event(ov));
}

/* Queue a pending operation; WSA_IO_PENDING, or an error (then `io` is the caller's again). */
static int queue_pending(struct pending_io *io, HANDLE handle, int send, DWORD most)
{
    int status;

    /* The pipe I/O and the queue entry together: a packet another thread
     * posts meanwhile (post_now) must see this lane busy, or its message
     * would end this operation's pipe I/O, the oldest of the lane. */
    EnterCriticalSection(&io_lock);
    start_packet(io, handle, send, most);
    if (!(status = queue_locked(io)))
    {
        io->receiving = io->op ? (io->op->socks[1] ? io->op->socks[0] : NULL) : (send ? NULL : io->sock);
        if (io->receiving)
        {
            sock_addref(io->receiving);
            sock_receivers_add(io->receiving, 1);
        }
    }
    LeaveCriticalSection(&io_lock);
    if (status)
    {
        if (io->lane)
        {
            completion_finish(lane_sock(io), io->ov, io->lane, io->lane_len, status, 0);
            if (io->by_event) io->ended_seen = completion_wait_written(io->ended);
            completion_event_put(io->ended, io->ended_seen);
            io->ended = NULL;
        }
        return status;
    }
    wake_io_thread();
    return WSA_IO_PENDING;
}

/* Whether an operation in the queue of `probe` is pending (then a new one must wait its turn). */
static int must_wait(struct pending_io *probe)
{
    int busy;

    if (!pending) return 0;
    EnterCriticalSection(&io_lock);
    reap_cancelled(); /* one the program cancelled holds no turn */
    busy = queue_busy(probe);
    LeaveCriticalSection(&io_lock);
    return busy;
}

int overlapped_accepting_into(struct ws2_sock *sock)
{
    struct pending_io *io;
    int found = 0;

    if (!pending) return 0;
    EnterCriticalSection(&io_lock);
    /* One the program cancelled accepts nothing (the I/O thread may not have seen it yet). */
    reap_cancelled();
    for (io = pending; io && !found; io = io->next) found = io->op && io->op->socks[1] == sock;
    LeaveCriticalSection(&io_lock);
    return found;
}

/* Whether `io` is an operation of `sock`; with `accepts_only`, an AcceptEx
 * (the one operation with socks[1]) it is the listener or accept socket of. */
static int is_op_of(const struct pending_io *io, const struct ws2_sock *sock, int accepts_only)
{
    if (io->op && io->op->socks[1]) return io->op->socks[0] == sock || io->op->socks[1] == sock;
    return !accepts_only && (io->sock == sock || (io->op && io->op->socks[0] == sock));
}

static void cancel_ops(struct ws2_sock *sock, int accepts_only)
{
    struct pending_io **link, *io;
    unsigned int i;
    int ended = 0;
    LONG polls;

    if (!pending) return;
    EnterCriticalSection(&io_lock);
    for (link = &pending; (io = *link);)
    {
        if (!is_op_of(io, sock, accepts_only))
        {
            link = &io->next;
            continue;
        }
        *link = io->next;
        if (io->is_final) finish(io, io->final);
        else finish(io, WSA_OPERATION_ABORTED);
        ended = 1;
    }
    polls = io_polls;
    LeaveCriticalSection(&io_lock);
    if (!ended) return;
    /* The I/O thread may be polling the socket's fd: have it poll again
     * without it, so that closing our copy closes the socket (a listener
     * stops accepting at once, as on Windows). */
    wake_io_thread();
    for (i = 0; io_polls == polls && i < 100; i++) Sleep(i < 10 ? 0 : 1);
}

void overlapped_cancel(struct ws2_sock *sock)
{
    cancel_ops(sock, 0);
}

void overlapped_cancel_accepts(struct ws2_sock *sock)
{
    cancel_ops(sock, 1);
}

int overlapped_start(struct async_op *op, WSAOVERLAPPED *ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine, DWORD most)
{
    struct ws2_sock *sock = op->socks[0];
    HANDLE handle = (HANDLE)sock_value(sock);
    int how = completion_wanted(sock, handle, ov, routine);
    struct pending_io *io;
    int status;

    begin(ov);
    if (!(io = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*io))))
    {
        status = WSAENOBUFS;
        goto done;
    }
    io->op = op;
    io->ov = ov;
    io->routine = routine;
    io->how = how;
    if (how) io->lane = LANE_RECV;
    if (sock_is_synchronous(sock))
    {
        /* Not an asynchronous handle: the call ends before it returns. */
        while ((status = op->step(op)) == WSAEWOULDBLOCK)
            if ((status = sock_wait(op->wait, op->events, -1))) break;
    }
    /* Behind a pending operation of its queue, it waits its turn. */
    else status = must_wait(io) ? WSAEWOULDBLOCK : op->step(op);
    if (status == WSAEWOULDBLOCK)
    {
        io->thread = issuing_thread(routine);
        if ((status = queue_pending(io, handle, 0, most)) == WSA_IO_PENDING) return status;
        if (io->thread) CloseHandle(io->thread);
    }
    HeapFree(GetProcessHeap(), 0, io);
done:
    /* Done at once (or failed): report it now; the routine still runs as an APC. */
    report(sock, handle, ov, routine, how, status, op->bytes, 0);
    op->done(op, status);
    return status;
}

/* Bind `s` to the wildcard address of `family`, any port, if it is not bound yet. */
static void bind_wildcard(SOCKET s, int family)
{
    struct sockaddr_storage addr;
    int len = family == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);
    struct sockaddr_storage name;
    int namelen = sizeof(name);

    if (family != AF_INET && family != AF_INET6) return;
    if (!getsockname(s, (struct sockaddr *)&name, &namelen)) return;
    memset(&addr, 0, sizeof(addr));
    addr.ss_family = family;
    bind(s, (struct sockaddr *)&addr, len);
}

/* The common body of the four calls. */
static int transfer(SOCKET s, int send, WSABUF *bufs, DWORD count, DWORD *bytes, DWORD *flags_inout,
                    DWORD flags, const struct sockaddr *to, int tolen, struct sockaddr *from, int *fromlen,
                    WSAMSG *msg, WSAOVERLAPPED *ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    struct pending_io *io;
    struct ws2_sock *sock;
    int status;
    DWORD done;

    if (!(sock = sock_for_call(s))) return SOCKET_ERROR;
    if (!send && (!flags_inout || user_read(&flags, flags_inout, sizeof(flags)) < 0))
    {
        sock_release(sock);
        return ws2_fail(WSAEFAULT);
    }
    /* Without an OVERLAPPED the count has to go somewhere; Windows binds an
     * unbound datagram socket all the same. */
    if (send && !ov && !bytes)
    {
        if (sock_type(sock) == SOCK_DGRAM) bind_wildcard(s, sock_family(sock));
        sock_release(sock);
        return ws2_fail(WSAEFAULT);
    }
    if (!ov)
    {
        /* Plain send/recv with several buffers: nothing outlives the call. */
        struct xfer x;

        if (!(status = xfer_init(&x, sock, send, bufs, count, flags, to, tolen)) &&
            !(status = send ? 0 : xfer_check_from(sock, &x, from, fromlen)) &&
            !(msg && (status = xfer_want_control(&x, msg))))
        {
            status = xfer_run(sock, &x);
            if (!send && (!status || status == WSAEMSGSIZE) &&
                (xfer_write_from(&x, from, fromlen) || xfer_write_msg(&x)))
                status = WSAEFAULT;
            done = x.done;
            /* WSARecvMsg tells how much came even when the rest did not fit. */
            if ((!status || (status == WSAEMSGSIZE && msg)) && bytes && user_write(bytes, &done, sizeof(done)) < 0)
                status = WSAEFAULT;
        }
        sock_release(sock);
        /* Windows clears the last error when a transfer succeeds. */
        return status ? ws2_fail(status) : (WSASetLastError(0), 0);
    }
    if (!(io = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*io))))
    {
        sock_release(sock);
        return ws2_fail(WSAENOBUFS);
    }
    if ((status = xfer_init(&io->x, sock, send, bufs, count, flags, to, tolen)) ||
        (status = send ? 0 : xfer_check_from(sock, &io->x, from, fromlen)) ||
        (msg && (status = xfer_want_control(&io->x, msg))))
        goto fail;

    if ((io->how = completion_wanted(sock, (HANDLE)s, ov, routine)) == COMPLETION_REFUSED)
    {
        status = WSAEINVAL;
        goto fail;
    }
    begin(ov);
    io->sock = sock;
    io->ov = ov;
    io->routine = routine;
    if (io->how) io->lane = send && io->x.total ? LANE_SEND : LANE_RECV;
    if (sock_is_synchronous(sock))
    {
        /* Not an asynchronous handle: the transfer ends before the call
         * returns, whatever the blocking mode, and is reported as below. */
        io->x.whole = 1;
        status = xfer_run(sock, &io->x);
    }
    /* Behind a pending transfer of its queue, it waits its turn. */
    else status = must_wait(io) ? WSAEWOULDBLOCK : xfer_step(sock, &io->x);
    io->sock = NULL;
    if (status != WSAEWOULDBLOCK)
    {
        /* Done at once: report it now (the routine still runs as an APC). */
        if (!send) notify_reenable(sock, FD_READ);
        if (!status && !send && xfer_write_from(&io->x, from, fromlen)) status = WSAEFAULT;
        if ((!status || status == WSAEMSGSIZE) && !send && xfer_write_msg(&io->x)) status = WSAEFAULT;
        done = io->x.done;
        report(sock, (HANDLE)s, ov, routine, io->how, status, done, 0);
        if (!status && bytes) user_write(bytes, &done, sizeof(done));
        goto fail;
    }
    io->sock = sock;
    io->from = from;
    io->fromlen = fromlen;
    io->thread = issuing_thread(routine);
    xfer_fault_in(&io->x);

    if ((status = queue_pending(io, (HANDLE)s, send, (DWORD)io->x.total)) == WSA_IO_PENDING)
        return ws2_fail(WSA_IO_PENDING);
    if (io->thread) CloseHandle(io->thread);
    io->sock = NULL;

fail:
    sock_release(sock);
    HeapFree(GetProcessHeap(), 0, io);
    /* Windows clears the last error when a transfer succeeds. */
    return status ? ws2_fail(status) : (WSASetLastError(0), 0);
}

int WSAAPI WSASend(SOCKET s, LPWSABUF bufs, DWORD count, LPDWORD sent, DWORD flags, LPWSAOVERLAPPED ov,
                   LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    TRACE("%#Ix %p %lu %p %s %p %p\n", s, bufs, count, sent, debugstr_msg_flags(flags), ov, routine);
    return transfer(s, 1, bufs, count, sent, NULL, flags, NULL, 0, NULL, NULL, NULL, ov, routine);
}

int WSAAPI WSASendTo(SOCKET s, LPWSABUF bufs, DWORD count, LPDWORD sent, DWORD flags, const struct sockaddr *to,
                     int tolen, LPWSAOVERLAPPED ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    TRACE("%#Ix %p %lu %p %s %s len %d %p %p\n", s, bufs, count, sent, debugstr_msg_flags(flags),
          debugstr_sockaddr(to, tolen), tolen, ov, routine);
    return transfer(s, 1, bufs, count, sent, NULL, flags, to, tolen, NULL, NULL, NULL, ov, routine);
}

int WSAAPI WSARecv(SOCKET s, LPWSABUF bufs, DWORD count, LPDWORD received, LPDWORD flags, LPWSAOVERLAPPED ov,
                   LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    TRACE("%#Ix %p %lu %p %p %p %p\n", s, bufs, count, received, flags, ov, routine);
    return transfer(s, 0, bufs, count, received, flags, 0, NULL, 0, NULL, NULL, NULL, ov, routine);
}

int WSAAPI WSARecvFrom(SOCKET s, LPWSABUF bufs, DWORD count, LPDWORD received, LPDWORD flags,
                       struct sockaddr *from, LPINT fromlen, LPWSAOVERLAPPED ov,
                       LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    TRACE("%#Ix %p %lu %p %p %p %p %p %p\n", s, bufs, count, received, flags, from, fromlen, ov, routine);
    return transfer(s, 0, bufs, count, received, flags, 0, NULL, 0, from, fromlen, NULL, ov, routine);
}

int overlapped_recv_msg(SOCKET s, WSAMSG *msg, DWORD *received, WSAOVERLAPPED *ov,
                        LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    WSAMSG copy;

    if (!msg || user_read(&copy, msg, sizeof(copy)) < 0) return ws2_fail(WSAEFAULT);
    return transfer(s, 0, copy.lpBuffers, copy.dwBufferCount, received, &msg->dwFlags, 0, NULL, 0, copy.name,
                    copy.name ? &msg->namelen : NULL, msg, ov, routine);
}

BOOL WSAAPI WSAGetOverlappedResult(SOCKET s, LPWSAOVERLAPPED ov, LPDWORD bytes, BOOL wait, LPDWORD flags)
{
    struct ws2_sock *sock;
    DWORD status;
    int error;

    TRACE("%#Ix %p %p %d %p\n", s, ov, bytes, wait, flags);
    if (!(sock = sock_for_known_call(s))) return FALSE;
    sock_release(sock);
    /* Without lpdwFlags Windows still gives the byte count (observed). */
    if (!ov || !bytes) return ws2_fail(WSAEFAULT), FALSE;
    while ((status = ov->Internal) == STATUS_PENDING)
    {
        if (!wait) return ws2_fail(WSA_IO_INCOMPLETE), FALSE;
        /* Without an event, Wine signals the SOCKET handle when its pipe I/O ends. */
        if (ov_event(ov)) WaitForSingleObjectEx(ov_event(ov), INFINITE, TRUE);
        else SleepEx(1, TRUE);
    }
    *bytes = ov->InternalHigh;
    /* No operation of ours ends with flags to report (MSG_PARTIAL is for
     * message-mode providers); Offset is the program's (TransmitFile reads
     * its file offset there).  A failed result leaves them alone (as
     * Windows does). */
    /* An operation that failed through a pipe (completion.c): its real error
     * is kept, by address.  It is this OVERLAPPED's only while Internal says
     * what that pipe I/O ended with (cancelled, or success without bytes;
     * an abort always ends cancelled): another OVERLAPPED may have come to
     * the same address since. */
    if ((error = completion_error(ov)) &&
        (status == (DWORD)STATUS_CANCELLED ||
         (status == STATUS_SUCCESS && !ov->InternalHigh && error != WSA_OPERATION_ABORTED)))
        return ws2_fail(error), FALSE;
    if (NT_SUCCESS(status) && status != STATUS_PENDING)
    {
        /* Windows 10 1809 and later say what the success status was. */
        if (flags) *flags = 0;
        WSASetLastError(RtlNtStatusToDosError(status));
        return TRUE;
    }
    return ws2_fail(wsa_of(status)), FALSE;
}
