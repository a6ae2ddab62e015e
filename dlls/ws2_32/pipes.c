/*
 * The handles behind SOCKET values: pairs of a private, overlapped,
 * message-mode named pipe (see DESIGN, "SOCKET values are kernel handles").
 *
 * Making a pair costs two wineserver calls and closing it two more, so both
 * are kept off the socket()/closesocket() path: a helper thread keeps a few
 * pairs ready and closes released ones in the background.  If the pool is
 * empty, socket() makes its pair itself.
 *
 * The client ends are made not inheritable: a child started while a pair
 * waits in the pool would otherwise hold a handle to a future socket (and
 * keep it open past its last closesocket, handles.c).  socket() makes the
 * SOCKET inheritable as Windows does, once it is one.
 *
 * The pipe's name says whose it is: NtQueryObject gives it back for any
 * handle to the pipe, which is how handles.c recognises a DuplicateHandle
 * copy of a SOCKET.
 */
#include <stdio.h>
#include <string.h>
#include "private.h"
#include <winternl.h>
#include "completion.h"
#include "pipes.h"
#include "sock.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define POOL_SIZE 16
/* Pairs given back by closesocket fill the pool up to this. */
#define POOL_MAX    64
#define CLOSE_BATCH 64
/* Pairs given back wait for this many before the helper checks them. */
#define RECYCLE_BATCH 8

struct pipe_pair
{
    HANDLE client, server;
    uint32_t serial; /* in the pipe's name */
};

/* The pipes' names: ws2_32-<pid>-<serial>, in hex. */
#define PIPE_PREFIX L"ws2_32-"
/* What NtQueryObject names such a pipe (Wine's device path). */
#define DEVICE_PREFIX L"\\Device\\NamedPipe\\"


/* A read of no bytes kept pending on our end of a pair, by the helper
 * thread (its completion routine runs there): it ends when no handle to the
 * client end is left anywhere (ERROR_BROKEN_PIPE), and then the socket is
 * closed (sock_client_gone), whoever closed the last handle: CloseHandle, or
 * a child that inherited it and exited.  It also ends when we close our end
 * (ERROR_OPERATION_ABORTED).  It takes nothing: a message on our end (the
 * send lane's write, completion.c) ends it with ERROR_MORE_DATA and stays;
 * the watch then pauses until completion.c has read the messages
 * (pipes_watch_resume), or it would end again at once. */
struct watch
{
    OVERLAPPED ovl; /* first: the completion routine gets it back */
    HANDLE server;
    uint32_t serial;
    struct watch *next_paused;
};

NTSTATUS NTAPI NtSetInformationObject(HANDLE, OBJECT_INFORMATION_CLASS, void *, ULONG);

static struct watch *paused; /* under pool_lock */

static CRITICAL_SECTION pool_lock;
/* Pairs made outside the helper, whose watch it is to start. */
static struct pipe_pair to_watch[POOL_SIZE * 4];
static unsigned int nwatch;
static struct pipe_pair ready[POOL_MAX];
static unsigned int nready;
static struct pipe_pair to_close[CLOSE_BATCH * 4];
static unsigned int nclose;
/* Pairs closesocket gave back, for the helper to check and pool again. */
static struct pipe_pair to_recycle[POOL_MAX];
static unsigned int nrecycle;
static HANDLE work_event, helper;
static int helper_busy; /* under pool_lock: the helper will look at the lists before it waits */
static volatile LONG serial;

static int make_pair(struct pipe_pair *pair)
{
    DWORD mode = PIPE_READMODE_MESSAGE;
    struct ws2_sock *stale[2] = { NULL, NULL };
    WCHAR name[64];

    pair->serial = (uint32_t)InterlockedIncrement(&serial);
    swprintf(name, 64, L"\\\\.\\pipe\\" PIPE_PREFIX L"%lx-%lx", GetCurrentProcessId(), (unsigned long)pair->serial);
    /* Either end's value may be one a program closed with CloseHandle: no
     * handle check may take it for that socket (handles.c). */
    sock_values_block();
    pair->server = CreateNamedPipeW(name, PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED | FILE_FLAG_FIRST_PIPE_INSTANCE,
                                    PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE | PIPE_REJECT_REMOTE_CLIENTS,
                                    1, 0, 0, 0, NULL);
    if (pair->server != INVALID_HANDLE_VALUE)
    {
        stale[0] = sock_value_taken((SOCKET)pair->server);
        pair->client = CreateFileW(name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, FILE_FLAG_OVERLAPPED,
                                   NULL);
        if (pair->client != INVALID_HANDLE_VALUE) stale[1] = sock_value_taken((SOCKET)pair->client);
    }
    sock_values_unblock();
    sock_end_stale(stale[0]);
    sock_end_stale(stale[1]);
    if (pair->server == INVALID_HANDLE_VALUE) return -1;
    if (pair->client == INVALID_HANDLE_VALUE)
    {
        CloseHandle(pair->server);
        return -1;
    }
    /* Messages end reads as a whole (completion.c): a longer one ends a
     * read with STATUS_BUFFER_OVERFLOW, which is how a truncated datagram
     * is reported. */
    SetNamedPipeHandleState(pair->client, &mode, NULL, NULL);
    return 0;
}

static void watch_start(struct watch *w);

static void CALLBACK watch_done(DWORD error, DWORD bytes, OVERLAPPED *ovl)
{
    struct watch *w = (struct watch *)ovl;

    (void)bytes;
    if (error == ERROR_BROKEN_PIPE) sock_client_gone(w->serial);
    if (error == ERROR_MORE_DATA || !error)
    {
        /* A message waits on our end: pause until it is read. */
        EnterCriticalSection(&pool_lock);
        w->next_paused = paused;
        paused = w;
        LeaveCriticalSection(&pool_lock);
        return;
    }
    HeapFree(GetProcessHeap(), 0, w);
}

static void watch_start(struct watch *w)
{
    static char none;

    memset(&w->ovl, 0, sizeof(w->ovl));
    if (ReadFileEx(w->server, &none, 0, &w->ovl, watch_done)) return;
    if (GetLastError() == ERROR_BROKEN_PIPE) sock_client_gone(w->serial);
    HeapFree(GetProcessHeap(), 0, w);
}

static void CALLBACK watch_resume(ULONG_PTR arg)
{
    watch_start((struct watch *)arg);
}

void pipes_watch_resume(HANDLE server_end)
{
    struct watch **link, *w = NULL;

    if (!paused) return;
    EnterCriticalSection(&pool_lock);
    for (link = &paused; *link; link = &(*link)->next_paused)
        if ((*link)->server == server_end)
        {
            w = *link;
            *link = w->next_paused;
            break;
        }
    LeaveCriticalSection(&pool_lock);
    /* In the helper thread, where its completion routine must run. */
    if (w && !QueueUserAPC(watch_resume, helper, (ULONG_PTR)w)) HeapFree(GetProcessHeap(), 0, w);
}

/* In the helper thread. */
static void watch_pair(const struct pipe_pair *pair)
{
    struct watch *w = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*w));

    if (!w) return;
    w->server = pair->server;
    w->serial = pair->serial;
    watch_start(w);
}

static void close_pair(const struct pipe_pair *pair)
{
    CloseHandle(pair->server);
    CloseHandle(pair->client);
}

/* Whether the watch of our end `server` is paused (a message waits).  Under pool_lock. */
static int watch_paused(HANDLE server)
{
    struct watch *w;

    for (w = paused; w; w = w->next_paused)
        if (w->server == server) return 1;
    return 0;
}

/*
 * In the helper thread: a pair whose SOCKET was closed with closesocket as
 * its only handle goes back to the pool, its watch still pending, if
 * nothing of the old socket stays with it: no completion port or
 * completion mode set on it (they cannot be taken off), no I/O of the
 * program's own left on the handle, no message waiting.  Otherwise, and
 * when the pool is full, it is closed.
 */
static void recycle(const struct pipe_pair *pair)
{
    int ok = completion_pipe_clean(pair->client);

    /* A ReadFile or WriteFile the program left on the old SOCKET. */
    if (ok) CancelIoEx(pair->client, NULL);
    EnterCriticalSection(&pool_lock);
    if ((ok = ok && nready < POOL_MAX && !watch_paused(pair->server))) ready[nready++] = *pair;
    LeaveCriticalSection(&pool_lock);
    if (!ok) close_pair(pair);
}

static DWORD WINAPI pool_helper(void *arg)
{
    (void)arg;
    for (;;)
    {
        struct pipe_pair closing[CLOSE_BATCH], watching[ARRAY_SIZE(to_watch)], back[ARRAY_SIZE(to_recycle)], pair;
        unsigned int i, n, nw, nb;
        int want, failed = 0;

        /* Alertable: the watches' completion routines run here. */
        WaitForSingleObjectEx(work_event, INFINITE, TRUE);
        for (;;)
        {
            EnterCriticalSection(&pool_lock);
            nw = nwatch;
            nwatch = 0;
            memcpy(watching, to_watch, nw * sizeof(*watching));
            n = nclose < CLOSE_BATCH ? nclose : CLOSE_BATCH;
            nclose -= n;
            memcpy(closing, to_close + nclose, n * sizeof(*closing));
            nb = nrecycle;
            nrecycle = 0;
            memcpy(back, to_recycle, nb * sizeof(*back));
            want = nready < POOL_SIZE && !failed;
            /* Decided under the lock: from now on a wake-up is needed. */
            if (!nw && !n && !nb && !want) helper_busy = 0;
            LeaveCriticalSection(&pool_lock);
            if (!nw && !n && !nb && !want) break;
            /* Watches first: a pair may be in both lists. */
            for (i = 0; i < nw; i++) watch_pair(&watching[i]);
            for (i = 0; i < nb; i++) recycle(&back[i]);
            /* Our end first: its watch ends as cancelled, not as a broken
             * pipe that would send sock_client_gone looking for the socket. */
            for (i = 0; i < n; i++)
            {
                CloseHandle(closing[i].server);
                if (closing[i].client) CloseHandle(closing[i].client);
            }
            if (!want) continue;
            if (make_pair(&pair))
            {
                failed = 1; /* until the next wake-up */
                continue;
            }
            watch_pair(&pair);
            EnterCriticalSection(&pool_lock);
            if ((want = nready < POOL_SIZE)) ready[nready++] = pair;
            LeaveCriticalSection(&pool_lock);
            if (!want) close_pair(&pair);
        }
    }
    return 0;
}

void pipes_init(void)
{
    InitializeCriticalSection(&pool_lock);
}

static void wake_helper(void)
{
    if (!helper)
    {
        /* Started on first use: programs that never make a socket pay nothing. */
        if (!work_event) work_event = CreateEventW(NULL, FALSE, FALSE, NULL);
        if (work_event) helper = CreateThread(NULL, 0, pool_helper, NULL, 0, NULL);
    }
    /* A busy helper looks at the lists again before it waits: a wake-up
     * (a wineserver call) is only needed when it is idle. */
    if (work_event && !helper_busy)
    {
        helper_busy = 1;
        SetEvent(work_event);
    }
}

int pipes_get(SOCKET *value, HANDLE *server_end, uint32_t *pipe_serial)
{
    struct pipe_pair pair;
    int have;

    EnterCriticalSection(&pool_lock);
    if ((have = nready > 0)) pair = ready[--nready];
    /* A wake-up is a wineserver call: only when the pool runs low. */
    if (nready < POOL_SIZE) wake_helper();
    LeaveCriticalSection(&pool_lock);
    if (!have)
    {
        if (make_pair(&pair) < 0) return -1;
        EnterCriticalSection(&pool_lock);
        if (nwatch < ARRAY_SIZE(to_watch)) to_watch[nwatch++] = pair;
        wake_helper();
        LeaveCriticalSection(&pool_lock);
    }
    *value = (SOCKET)pair.client;
    *server_end = pair.server;
    *pipe_serial = pair.serial;
    return 0;
}

/* A number in hex up to `end` (exclusive) or the string's end. */
static int parse_hex(const WCHAR *p, size_t len, unsigned long *out)
{
    unsigned long v = 0;
    size_t i;

    if (!len || len > 8) return -1;
    for (i = 0; i < len; i++)
    {
        WCHAR c = p[i];

        if (c >= '0' && c <= '9') v = v * 16 + (c - '0');
        else if (c >= 'a' && c <= 'f') v = v * 16 + (c - 'a' + 10);
        else return -1;
    }
    *out = v;
    return 0;
}

int pipes_parse_name(const WCHAR *name, size_t len, DWORD *pid, uint32_t *pipe_serial)
{
    static const WCHAR device[] = DEVICE_PREFIX PIPE_PREFIX;
    size_t skip = ARRAY_SIZE(device) - 1, dash;
    unsigned long a, b;

    if (len <= skip || wcsncmp(name, device, skip)) return -1;
    name += skip;
    len -= skip;
    for (dash = 0; dash < len && name[dash] != '-'; dash++)
        ;
    if (dash == len || parse_hex(name, dash, &a) || parse_hex(name + dash + 1, len - dash - 1, &b)) return -1;
    *pid = a;
    *pipe_serial = b;
    return 0;
}

void pipes_put(SOCKET value, HANDLE server_end)
{
    int now = 0;

    /* The client end may be closed already (handles.c), then it is 0. */
    EnterCriticalSection(&pool_lock);
    if (nclose < sizeof(to_close) / sizeof(to_close[0]))
    {
        to_close[nclose].client = (HANDLE)value;
        to_close[nclose++].server = server_end;
        wake_helper();
    }
    else
    {
        unsigned int i;

        /* Its watch is not started yet: it must not be, on a closed handle. */
        for (i = 0; i < nwatch; i++)
            if (to_watch[i].server == server_end) to_watch[i] = to_watch[--nwatch];
        now = 1;
    }
    LeaveCriticalSection(&pool_lock);
    if (now)
    {
        /* The helper is behind: close these here. */
        CloseHandle(server_end);
        if (value) CloseHandle((HANDLE)value);
    }
}

int pipes_set_inherit(SOCKET value, int inherit)
{
    /* SetHandleInformation asks for the old flags first: one wineserver
     * call instead of two.  Our handles are never protected from closing. */
    struct
    {
        BOOLEAN inherit, protect;
    } flags = { !!inherit, FALSE };

    return NtSetInformationObject((HANDLE)value, ObjectDataInformation, &flags, sizeof(flags)) ? -1 : 0;
}

void pipes_recycle(SOCKET value, HANDLE server_end, uint32_t pipe_serial)
{
    struct pipe_pair pair = { (HANDLE)value, server_end, pipe_serial };
    int queued;

    /* A full pool takes no more: the pair is closed without the checks. */
    if (nready + nrecycle >= POOL_MAX)
    {
        pipes_put(value, server_end);
        return;
    }
    /* Now, not in the helper: a child started after closesocket returned
     * must not inherit a handle to a future socket (see the top). */
    if (pipes_set_inherit(value, 0))
    {
        pipes_put(value, server_end);
        return;
    }
    EnterCriticalSection(&pool_lock);
    if ((queued = nrecycle < ARRAY_SIZE(to_recycle)))
    {
        to_recycle[nrecycle++] = pair;
        /* They wait for a batch, or for the pool to run low. */
        if (nrecycle >= RECYCLE_BATCH || nready < POOL_SIZE / 2) wake_helper();
    }
    LeaveCriticalSection(&pool_lock);
    if (!queued) pipes_put(value, server_end);
}

int pipes_client_gone(HANDLE server_end)
{
    DWORD avail;

    /* Once every handle to the client end is closed, the pipe is broken. */
    return !PeekNamedPipe(server_end, NULL, 0, NULL, &avail, NULL) && GetLastError() == ERROR_BROKEN_PIPE;
}

int pipes_is_spare(SOCKET value)
{
    unsigned int i;
    int found = 0;

    EnterCriticalSection(&pool_lock);
    for (i = 0; i < nready && !found; i++) found = ready[i].client == (HANDLE)value;
    for (i = 0; i < nrecycle && !found; i++) found = to_recycle[i].client == (HANDLE)value;
    LeaveCriticalSection(&pool_lock);
    return found;
}

/* A handle to the client end of a pipe made as make_pair makes ours: one
 * instance, message type (one wineserver call).  A value closed with
 * CloseHandle and given again to an event, a file or a pipe's server end
 * is none. */
int pipes_is_client_end(SOCKET value)
{
    FILE_PIPE_LOCAL_INFORMATION info;
    IO_STATUS_BLOCK io;

    if (NtQueryInformationFile((HANDLE)value, &io, &info, sizeof(info), FilePipeLocalInformation)) return 0;
    return info.NamedPipeEnd == 0 /* FILE_PIPE_CLIENT_END */ && info.NamedPipeType == 1 /* FILE_PIPE_MESSAGE_TYPE */ &&
           info.MaximumInstances == 1;
}
