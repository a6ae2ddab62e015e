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
};

static CRITICAL_SECTION io_lock;
static struct pending_io *pending; /* in issue order */
static HANDLE io_thread;
static int io_wake = -1;

/* NTSTATUS in OVERLAPPED.Internal <-> Winsock errors, for what we report. */
static const struct
{
    int wsa;
    DWORD status;
} status_map[] = {
    { 0, STATUS_SUCCESS },
    { WSA_OPERATION_ABORTED, STATUS_CANCELLED },
    { WSAECONNRESET, STATUS_CONNECTION_RESET },
    { WSAECONNABORTED, STATUS_CONNECTION_ABORTED },
    { WSAEMSGSIZE, STATUS_BUFFER_OVERFLOW },
    { WSAENOTCONN, STATUS_INVALID_CONNECTION },
    { WSAECONNREFUSED, STATUS_CONNECTION_REFUSED }, /* ConnectEx */
    { WSAENETUNREACH, STATUS_NETWORK_UNREACHABLE },
    { WSAEHOSTUNREACH, STATUS_HOST_UNREACHABLE },
    { WSAEADDRINUSE, STATUS_ADDRESS_ALREADY_EXISTS },
    { WSAEFAULT, STATUS_ACCESS_VIOLATION },
    { WSAESHUTDOWN, STATUS_IO_TIMEOUT }, /* stands in */
};

static DWORD status_of(int wsa)
{
    unsigned int i;

    for (i = 0; i < sizeof(status_map) / sizeof(status_map[0]); i++)
        if (status_map[i].wsa == wsa) return status_map[i].status;
    return STATUS_UNSUCCESSFUL;
}

static int wsa_of(DWORD status)
{
    unsigned int i;

    for (i = 0; i < sizeof(status_map) / sizeof(status_map[0]); i++)
        if (status_map[i].status == status) return status_map[i].wsa;
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

/* Report a finished transfer through the OVERLAPPED, event and routine. */
static void complete(WSAOVERLAPPED *ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine, HANDLE thread,
                     int error, DWORD bytes, DWORD flags)
{
    ov->InternalHigh = bytes;
    ov->Offset = flags; /* WSAGetOverlappedResult's flags */
    InterlockedExchange((LONG *)&ov->Internal, status_of(error));
    if (ov->hEvent) SetEvent(ov->hEvent);
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
}

static void finish(struct pending_io *io, int error)
{
    DWORD flags = 0;

    if (io->op)
    {
        complete(io->ov, io->routine, io->thread, error, io->op->bytes, 0);
        io->op->done(io->op, error);
        if (io->thread) CloseHandle(io->thread);
        HeapFree(GetProcessHeap(), 0, io);
        return;
    }
    if (!io->x.send && !error && xfer_write_from(&io->x, io->from, io->fromlen)) error = WSAEFAULT;
    complete(io->ov, io->routine, io->thread, error, io->x.done, flags);
    if (io->thread) CloseHandle(io->thread);
    sock_release(io->sock);
    HeapFree(GetProcessHeap(), 0, io);
}

/* The socket whose fd a pending operation waits on, and for what. */
static struct ws2_sock *io_sock(const struct pending_io *io)
{
    return io->op ? io->op->wait : io->sock;
}

static int io_events(const struct pending_io *io)
{
    if (io->op) return io->op->events;
    return io->x.send ? WAIT_WRITE : (io->x.flags & MSG_OOB) ? WAIT_PRI
                                                             : WAIT_READ;
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

        /* The first pending transfer of each socket and direction waits. */
        EnterCriticalSection(&io_lock);
        for (io = pending; io && n < 1 + 256; io = io->next)
        {
            int events = io_events(io);

            for (i = 1; i < n; i++)
                if (io_sock(polled[i]) == io_sock(io) && fds[i].events == events) break;
            if (i < n) continue;
            fds[n].fd = sock_fd(io_sock(io));
            fds[n].events = events;
            polled[n++] = io;
        }
        LeaveCriticalSection(&io_lock);
        fds[0].fd = io_wake;
        fds[0].events = WAIT_READ;
        if (sys_poll(fds, n, -1) < 0) continue;
        if (fds[0].revents) sys_eventfd_drain(io_wake);
        EnterCriticalSection(&io_lock);
        for (i = 1; i < n; i++)
        {
            int status;

            if (!fds[i].revents) continue;
            /* Still pending?  closesocket may have ended it meanwhile. */
            for (link = &pending; *link && *link != polled[i]; link = &(*link)->next)
                ;
            if (!*link) continue;
            io = *link;
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

static int queue_io(struct pending_io *io)
{
    struct pending_io **link;

    EnterCriticalSection(&io_lock);
    if (io_wake < 0)
    {
        int fd = sys_eventfd();
        if (fd >= 0) io_wake = fd;
    }
    if (io_wake >= 0 && !io_thread) io_thread = CreateThread(NULL, 0, io_loop, NULL, 0, NULL);
    if (io_wake < 0 || !io_thread)
    {
        LeaveCriticalSection(&io_lock);
        return WSAENOBUFS;
    }
    for (link = &pending; *link; link = &(*link)->next)
        ;
    *link = io;
    LeaveCriticalSection(&io_lock);
    sys_eventfd_signal(io_wake);
    return 0;
}

void overlapped_cancel(struct ws2_sock *sock)
{
    struct pending_io **link, *io;

    if (!pending) return;
    EnterCriticalSection(&io_lock);
    for (link = &pending; (io = *link);)
    {
        if (io->sock != sock && !(io->op && (io->op->socks[0] == sock || io->op->socks[1] == sock)))
        {
            link = &io->next;
            continue;
        }
        *link = io->next;
        finish(io, WSA_OPERATION_ABORTED);
    }
    LeaveCriticalSection(&io_lock);
}

int overlapped_start(struct async_op *op, WSAOVERLAPPED *ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    struct pending_io *io;
    HANDLE thread = NULL;
    int status;

    InterlockedExchange((LONG *)&ov->Internal, STATUS_PENDING);
    ov->InternalHigh = 0;
    if (ov->hEvent) ResetEvent(ov->hEvent);
    if (routine)
        DuplicateHandle(GetCurrentProcess(), GetCurrentThread(), GetCurrentProcess(), &thread, 0, FALSE,
                        DUPLICATE_SAME_ACCESS);
    status = op->step(op);
    if (status == WSAEWOULDBLOCK)
    {
        if (!(io = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*io)))) status = WSAENOBUFS;
        else
        {
            io->op = op;
            io->ov = ov;
            io->routine = routine;
            io->thread = thread;
            if (!(status = queue_io(io))) return WSA_IO_PENDING;
            HeapFree(GetProcessHeap(), 0, io);
        }
    }
    /* Done at once (or failed): report it now; the routine still runs as an APC. */
    complete(ov, routine, thread, status, op->bytes, 0);
    if (thread) CloseHandle(thread);
    op->done(op, status);
    return status;
}

/* The common body of the four calls. */
static int transfer(SOCKET s, int send, WSABUF *bufs, DWORD count, DWORD *bytes, DWORD *flags_inout,
                    DWORD flags, const struct sockaddr *to, int tolen, struct sockaddr *from, int *fromlen,
                    WSAOVERLAPPED *ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
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
    if (!(io = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*io))))
    {
        sock_release(sock);
        return ws2_fail(WSAENOBUFS);
    }
    if ((status = xfer_init(&io->x, sock, send, bufs, count, flags, to, tolen)) ||
        (status = send ? 0 : xfer_check_from(sock, &io->x, from, fromlen)))
        goto fail;

    if (!ov)
    {
        /* Plain send/recv with several buffers. */
        status = xfer_run(sock, &io->x);
        if (!send && (!status || status == WSAEMSGSIZE) && xfer_write_from(&io->x, from, fromlen)) status = WSAEFAULT;
        done = io->x.done;
        if (!status && bytes && user_write(bytes, &done, sizeof(done)) < 0) status = WSAEFAULT;
        goto fail; /* nothing to keep */
    }

    InterlockedExchange((LONG *)&ov->Internal, STATUS_PENDING);
    ov->InternalHigh = 0;
    if (ov->hEvent) ResetEvent(ov->hEvent);
    status = xfer_step(sock, &io->x);
    if (status != WSAEWOULDBLOCK)
    {
        /* Done at once: report it now (the routine still runs as an APC). */
        HANDLE thread = NULL;

        if (!send) notify_reenable(sock, FD_READ);
        if (!status && !send && xfer_write_from(&io->x, from, fromlen)) status = WSAEFAULT;
        done = io->x.done;
        if (routine) DuplicateHandle(GetCurrentProcess(), GetCurrentThread(), GetCurrentProcess(), &thread, 0, FALSE,
                                     DUPLICATE_SAME_ACCESS);
        complete(ov, routine, thread, status, done, 0);
        if (thread) CloseHandle(thread);
        if (!status && bytes) user_write(bytes, &done, sizeof(done));
        goto fail;
    }
    io->sock = sock;
    io->ov = ov;
    io->routine = routine;
    io->from = from;
    io->fromlen = fromlen;
    if (routine)
        DuplicateHandle(GetCurrentProcess(), GetCurrentThread(), GetCurrentProcess(), &io->thread, 0, FALSE,
                        DUPLICATE_SAME_ACCESS);
    if ((status = queue_io(io)))
    {
        if (io->thread) CloseHandle(io->thread);
        io->sock = NULL;
        goto fail;
    }
    return ws2_fail(WSA_IO_PENDING);

fail:
    sock_release(sock);
    HeapFree(GetProcessHeap(), 0, io);
    return status ? ws2_fail(status) : 0;
}

int WSAAPI WSASend(SOCKET s, LPWSABUF bufs, DWORD count, LPDWORD sent, DWORD flags, LPWSAOVERLAPPED ov,
                   LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    TRACE("%#Ix %p %lu %p %s %p %p\n", s, bufs, count, sent, debugstr_msg_flags(flags), ov, routine);
    return transfer(s, 1, bufs, count, sent, NULL, flags, NULL, 0, NULL, NULL, ov, routine);
}

int WSAAPI WSASendTo(SOCKET s, LPWSABUF bufs, DWORD count, LPDWORD sent, DWORD flags, const struct sockaddr *to,
                     int tolen, LPWSAOVERLAPPED ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    TRACE("%#Ix %p %lu %p %s %s len %d %p %p\n", s, bufs, count, sent, debugstr_msg_flags(flags),
          debugstr_sockaddr(to, tolen), tolen, ov, routine);
    return transfer(s, 1, bufs, count, sent, NULL, flags, to, tolen, NULL, NULL, ov, routine);
}

int WSAAPI WSARecv(SOCKET s, LPWSABUF bufs, DWORD count, LPDWORD received, LPDWORD flags, LPWSAOVERLAPPED ov,
                   LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    TRACE("%#Ix %p %lu %p %p %p %p\n", s, bufs, count, received, flags, ov, routine);
    return transfer(s, 0, bufs, count, received, flags, 0, NULL, 0, NULL, NULL, ov, routine);
}

int WSAAPI WSARecvFrom(SOCKET s, LPWSABUF bufs, DWORD count, LPDWORD received, LPDWORD flags,
                       struct sockaddr *from, LPINT fromlen, LPWSAOVERLAPPED ov,
                       LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    TRACE("%#Ix %p %lu %p %p %p %p %p %p\n", s, bufs, count, received, flags, from, fromlen, ov, routine);
    return transfer(s, 0, bufs, count, received, flags, 0, NULL, 0, from, fromlen, ov, routine);
}

BOOL WSAAPI WSAGetOverlappedResult(SOCKET s, LPWSAOVERLAPPED ov, LPDWORD bytes, BOOL wait, LPDWORD flags)
{
    struct ws2_sock *sock;
    DWORD status;

    TRACE("%#Ix %p %p %d %p\n", s, ov, bytes, wait, flags);
    if (!(sock = sock_for_call(s))) return FALSE;
    sock_release(sock);
    if (!ov || !bytes || !flags) return ws2_fail(WSAEFAULT), FALSE;
    while ((status = ov->Internal) == STATUS_PENDING)
    {
        if (!wait) return ws2_fail(WSA_IO_INCOMPLETE), FALSE;
        if (ov->hEvent) WaitForSingleObjectEx(ov->hEvent, INFINITE, TRUE);
        else SleepEx(1, TRUE);
    }
    *bytes = ov->InternalHigh;
    *flags = ov->Offset;
    if (status) return ws2_fail(wsa_of(status)), FALSE;
    return TRUE;
}
