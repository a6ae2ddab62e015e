/*
 * Completion-port packets for overlapped operations.
 *
 * A SOCKET is the client end of a private named pipe (pipes.c) whose other
 * end we hold, and a program associates the SOCKET handle with its port.
 * Wine posts a packet for any I/O on that handle that carries the
 * program's OVERLAPPED as its completion value, so each operation that
 * reports through a port has pipe I/O of its own, issued by the thread that
 * started the operation with the OVERLAPPED as its status block:
 *
 *   receive lane  a read of the pipe, finished by our writing a message of
 *                 the byte count to our end;
 *   send lane     a write of the byte count, finished by our reading it.
 *
 * Wine then writes Internal/InternalHigh, posts (key, OVERLAPPED, bytes, 0)
 * and honours FILE_SKIP_COMPLETION_PORT_ON_SUCCESS itself, and CancelIo /
 * CancelIoEx of the program find the pipe I/O like any other (packet with
 * STATUS_CANCELLED, ERROR_OPERATION_ABORTED).  A failed operation cancels
 * its pipe I/O too: a pipe cannot end with a socket's status, so the packet
 * says STATUS_CANCELLED and the real error is kept here for
 * WSAGetOverlappedResult.  doc/design-notes.md has the measurements.
 */
#include <string.h>
#define WIN32_NO_STATUS /* the STATUS_* names come from ntstatus.h below */
#include "private.h"
#undef WIN32_NO_STATUS
#include <ntstatus.h>
#include <winternl.h>
#include "completion.h"
#include "pipes.h"
#include "sock.h"

NTSTATUS NTAPI NtReadFile(HANDLE, HANDLE, PIO_APC_ROUTINE, void *, IO_STATUS_BLOCK *, void *, ULONG,
                          LARGE_INTEGER *, ULONG *);
NTSTATUS NTAPI NtWriteFile(HANDLE, HANDLE, PIO_APC_ROUTINE, void *, IO_STATUS_BLOCK *, const void *, ULONG,
                           LARGE_INTEGER *, ULONG *);
NTSTATUS NTAPI NtCancelIoFileEx(HANDLE, IO_STATUS_BLOCK *, IO_STATUS_BLOCK *);

/* FILE_INFORMATION_CLASS values MinGW's winternl.h leaves out. */
#define FILE_COMPLETION_INFO_CLASS   ((FILE_INFORMATION_CLASS)30)
#define FILE_COMPLETION_NOTIFY_CLASS ((FILE_INFORMATION_CLASS)41)

/*
 * The bytes a message carries do not matter, only their count; they come
 * from and go to one region that every operation shares.  It is reserved
 * once and its pages are only touched as far as the largest count.
 */
#define SINK_SIZE (64u << 20)
static char *sink;

static char *get_sink(void)
{
    char *area;

    if (sink) return sink;
    area = VirtualAlloc(NULL, SINK_SIZE, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    if (!area) return NULL;
    if (InterlockedCompareExchangePointer((void **)&sink, area, NULL)) VirtualFree(area, 0, MEM_RELEASE);
    return sink;
}

static DWORD clamp(DWORD len)
{
    return len > SINK_SIZE ? SINK_SIZE : len;
}

int completion_wanted(struct ws2_sock *sock, HANDLE handle, const WSAOVERLAPPED *ov,
                      LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    struct
    {
        HANDLE port;
        ULONG_PTR key;
    } none = { NULL, 0 };
    IO_STATUS_BLOCK io;

    if (!ov) return 0;
    if (!(sock_completion(sock) & COMPLETION_USED)) sock_completion_learn(sock, COMPLETION_USED);
    if (sock_completion(sock) & COMPLETION_BOUND) goto bound;
    /*
     * Whether a port is bound: Wine refuses a second association with
     * STATUS_INVALID_PARAMETER, and without one, fails to look up the null
     * port (STATUS_INVALID_HANDLE) and binds nothing.  Measured on Wine 8.
     */
    if (NtSetInformationFile(handle, &io, &none, sizeof(none), FILE_COMPLETION_INFO_CLASS) != STATUS_INVALID_PARAMETER)
        /* Without an event, Windows signals the SOCKET handle when the
         * operation ends; Wine does that for the pipe I/O. */
        return ov->hEvent || routine ? COMPLETION_BY_EVENT : COMPLETION_BY_PIPE;
    sock_completion_learn(sock, COMPLETION_BOUND);
bound:
    if (routine) return COMPLETION_REFUSED;
    /* hEvent | 1: no packet (the pipe I/O carries no completion value then). */
    return (ULONG_PTR)ov->hEvent & 1 ? COMPLETION_BY_EVENT : COMPLETION_BY_PIPE;
}

int completion_pipe_clean(HANDLE handle)
{
    struct
    {
        HANDLE port;
        ULONG_PTR key;
    } none = { NULL, 0 };
    IO_STATUS_BLOCK io;
    ULONG flags = 0;

    /* The probe of completion_wanted: binds nothing when no port is bound. */
    if (NtSetInformationFile(handle, &io, &none, sizeof(none), FILE_COMPLETION_INFO_CLASS) == STATUS_INVALID_PARAMETER)
        return 0;
    return !NtQueryInformationFile(handle, &io, &flags, sizeof(flags), FILE_COMPLETION_NOTIFY_CLASS) && !flags;
}

int completion_skips_success(struct ws2_sock *sock, HANDLE handle)
{
    IO_STATUS_BLOCK io;
    ULONG flags = 0;

    /* Once set, the mode stays set (Windows cannot clear it): remember that;
     * until then, ask Wine at each call that succeeds at once. */
    if (sock_completion(sock) & COMPLETION_SKIP_PORT) return 1;
    if (NtQueryInformationFile(handle, &io, &flags, sizeof(flags), FILE_COMPLETION_NOTIFY_CLASS)) flags = 0;
    if (flags & FILE_SKIP_COMPLETION_PORT_ON_SUCCESS) sock_completion_learn(sock, COMPLETION_SKIP_PORT);
    return !!(flags & FILE_SKIP_COMPLETION_PORT_ON_SUCCESS);
}

/*
 * The events that say when the pipe I/O of a COMPLETION_BY_EVENT operation
 * has ended.  Internal cannot say it: the program may write it while the
 * operation is pending (Wine's AcceptEx test writes 0xdeadbeef there before
 * a call that must fail), and may reuse the OVERLAPPED at once after
 * CancelIo, before the I/O thread saw STATUS_CANCELLED.  A few are kept for
 * reuse (Wine resets one when pipe I/O takes it).
 */
#define SPARE_EVENTS 32
static HANDLE spare_events[SPARE_EVENTS];
static LONG spare_count;
static SRWLOCK spare_lock = SRWLOCK_INIT;

HANDLE completion_event_get(void)
{
    HANDLE event = NULL;

    AcquireSRWLockExclusive(&spare_lock);
    if (spare_count) event = spare_events[--spare_count];
    ReleaseSRWLockExclusive(&spare_lock);
    return event ? event : CreateEventW(NULL, TRUE, FALSE, NULL);
}

void completion_event_put(HANDLE event, int ended)
{
    if (!event) return;
    /* One whose pipe I/O may still end would be set under a later operation. */
    if (ended)
    {
        AcquireSRWLockExclusive(&spare_lock);
        if (spare_count < SPARE_EVENTS) spare_events[spare_count++] = event, event = NULL;
        ReleaseSRWLockExclusive(&spare_lock);
    }
    if (event) CloseHandle(event);
}

int completion_ended(HANDLE ended)
{
    return WaitForSingleObject(ended, 0) == WAIT_OBJECT_0;
}

int completion_issue(HANDLE handle, WSAOVERLAPPED *ov, enum completion_lane lane, DWORD len, int how, HANDLE ended)
{
    IO_STATUS_BLOCK *iosb = (IO_STATUS_BLOCK *)ov;
    char *area = get_sink();
    /* Ending through the pipe, its I/O sets the program's event after
     * Internal is written; ending by event, we do both, and ours says when
     * the pipe I/O is over. */
    HANDLE event = how == COMPLETION_BY_PIPE ? ov->hEvent : ended;
    void *value = how == COMPLETION_BY_PIPE ? ov : NULL;
    NTSTATUS status;

    completion_forget(ov);
    if (!area) return WSAENOBUFS;
    if (lane == LANE_RECV) status = NtReadFile(handle, event, NULL, value, iosb, area, clamp(len), NULL, NULL);
    else status = NtWriteFile(handle, event, NULL, value, iosb, area, clamp(len), NULL, NULL);
    /* Wine wrote nothing to the status block: the operation's own state stays. */
    return status == STATUS_PENDING ? 0 : WSAEINVAL;
}

/* Do `write` (or a read) of `len` bytes on our end, which finishes the
 * program's pipe I/O at once if it is still there; 0, or
 * WSA_OPERATION_ABORTED when it was gone (ours is then withdrawn).  No
 * event: the call is over at once, and when it is not, our end is waited on
 * (until Wine has ended ours). */
static int satisfy(HANDLE peer, int write, DWORD len)
{
    OVERLAPPED ov;
    DWORD done;
    BOOL ok;

    memset(&ov, 0, sizeof(ov));
    ok = write ? WriteFile(peer, sink, len, &done, &ov) : ReadFile(peer, sink, len, &done, &ov);
    if (!ok && GetLastError() == ERROR_IO_PENDING)
    {
        unsigned int i;

        /* Nobody on the other side: the program cancelled its pipe I/O.
         * Ours ends as cancelled once this thread takes the APC (Sleep
         * waits in the wineserver); its status block is on this stack. */
        CancelIoEx(peer, &ov);
        for (i = 0; ov.Internal == STATUS_PENDING && i < 2000; i++) Sleep(i < 20 ? 0 : 1);
        return WSA_OPERATION_ABORTED;
    }
    return ok || GetLastError() == ERROR_MORE_DATA ? 0 : WSA_OPERATION_ABORTED;
}

/* The real errors of failed operations, by OVERLAPPED (a few recent ones). */
#define ERRORS 64
static struct
{
    const WSAOVERLAPPED *ov;
    int error;
} errors[ERRORS];
static LONG errors_next;

static void remember(const WSAOVERLAPPED *ov, int error)
{
    unsigned int i = (unsigned int)InterlockedIncrement(&errors_next) % ERRORS;

    completion_forget(ov);
    errors[i].error = error;
    errors[i].ov = ov;
}

int completion_error(const WSAOVERLAPPED *ov)
{
    unsigned int i;

    for (i = 0; i < ERRORS; i++)
        if (errors[i].ov == ov) return errors[i].error;
    return 0;
}

void completion_forget(const WSAOVERLAPPED *ov)
{
    unsigned int i;

    for (i = 0; i < ERRORS; i++)
        if (errors[i].ov == ov) errors[i].ov = NULL;
}

int completion_finish(struct ws2_sock *sock, WSAOVERLAPPED *ov, enum completion_lane lane, DWORD len, int error,
                      DWORD bytes)
{
    /* Not necessarily the value the pipe I/O was issued on, which may be
     * closed by now (one of several handles): any handle to the pipe finds it. */
    HANDLE handle = (HANDLE)sock_value(sock);
    IO_STATUS_BLOCK io;
    char rest;

    if (!error)
    {
        if (lane != LANE_SEND) return satisfy(sock_pipe_peer(sock), 1, clamp(bytes < len ? bytes : len));
        /* The write's length is its byte count: read all of it (pipes.c's
         * watch of our end waits while it is there). */
        int status = satisfy(sock_pipe_peer(sock), 0, clamp(len));

        pipes_watch_resume(sock_pipe_peer(sock));
        return status;
    }
    if (error == WSAEMSGSIZE && lane == LANE_RECV_ALONE && len < SINK_SIZE)
    {
        /*
         * A datagram larger than the buffers: a message one byte longer
         * than the read ends it with STATUS_BUFFER_OVERFLOW and the read's
         * length, as Windows reports it.  The byte left over is ours to
         * take (no other read is pending to take it).
         */
        if (satisfy(sock_pipe_peer(sock), 1, len + 1)) return WSA_OPERATION_ABORTED;
        NtReadFile(handle, NULL, NULL, NULL, &io, &rest, 1, NULL, NULL);
        return 0;
    }
    remember(ov, error);
    if (lane != LANE_SEND && error != WSA_OPERATION_ABORTED)
    {
        /*
         * A pipe cannot end with the socket's error.  Cancelling would say
         * STATUS_CANCELLED, which libuv (it reads Internal) reports as
         * ECANCELED; success with no bytes makes libuv and .NET look again
         * (libuv's zero-byte read receives the error, a connect asks
         * SO_UPDATE_CONNECT_CONTEXT, which fails with it), and
         * WSAGetOverlappedResult gives it.  An abort is what a cancel says.
         */
        return satisfy(sock_pipe_peer(sock), 1, 0);
    }
    if (NtCancelIoFileEx(handle, (IO_STATUS_BLOCK *)ov, &io) == STATUS_NOT_FOUND) return WSA_OPERATION_ABORTED;
    return 0;
}

int completion_fail(HANDLE handle, WSAOVERLAPPED *ov, int error)
{
    IO_STATUS_BLOCK own, io;
    char *area = get_sink();
    unsigned int i;

    remember(ov, error);
    own.Status = STATUS_PENDING;
    if (!area || NtReadFile(handle, ov->hEvent, NULL, ov, &own, area, 0, NULL, NULL) != STATUS_PENDING)
        return WSAEINVAL;
    /* A read of no bytes: only its own cancel ends it (it is the one named). */
    NtCancelIoFileEx(handle, &own, &io);
    /* `own` is on this stack: wait until Wine wrote it, from this thread's APC. */
    for (i = 0; *(volatile NTSTATUS *)&own.Status == STATUS_PENDING && i < 2000; i++) Sleep(i < 20 ? 0 : 1);
    return 0;
}

int completion_wait_written(HANDLE ended)
{
    /* Wine sets it once the thread that issued the pipe I/O wrote the status
     * block, when that thread takes a system APC (a signal interrupts it; a
     * wait runs it here when that thread is this one).  A thread that is
     * gone never writes it: give up after two seconds. */
    return WaitForSingleObject(ended, 2000) == WAIT_OBJECT_0;
}
