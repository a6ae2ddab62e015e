/*
 * Network event notification: WSAEventSelect, WSAAsyncSelect,
 * WSAEnumNetworkEvents and the WSA*Event helpers.
 *
 * A registration says which FD_* events a socket reports, and how: an event
 * object to set, or a window message to post.  One notifier thread per
 * process polls the fds of the registered sockets and reports each event
 * once, then waits for the call that re-enables it, as Windows does:
 *   FD_READ   again after recv/recvfrom      FD_OOB     after recv(MSG_OOB)
 *   FD_ACCEPT again after accept             FD_WRITE   after a send that
 *   FD_CONNECT once per connect                          failed with WSAEWOULDBLOCK
 *   FD_CLOSE  once, when the peer closed (0) or reset (WSAECONNRESET),
 *             after the data before it has been read.
 * closesocket drops the registration first: no FD_CLOSE after it.
 */
#include <string.h>
#include "private.h"
#include "channel.h"
#include "notify.h"
#include "sock.h"
#include "sys.h"
#include "usermem.h"

struct registration
{
    struct ws2_sock *sock; /* holds a reference */
    HANDLE event;          /* WSAEventSelect */
    HWND hwnd;             /* WSAAsyncSelect */
    UINT msg;
    LONG mask;     /* the events asked for */
    LONG armed;    /* those that may be reported now */
    LONG occurred; /* reported since WSAEnumNetworkEvents */
    int errors[FD_MAX_EVENTS];
    int close_waits; /* the peer closed, data is still unread */
};

static CRITICAL_SECTION lock;
static struct registration **regs;
static unsigned int nregs, regs_size;
static volatile LONG any_registered;
static int wake_fd = -1;  /* eventfd: the set of registrations changed */
static int notes_fd = -1; /* the server's notes: a registration elsewhere replaced ours */
static HANDLE thread;

void notify_init(void)
{
    InitializeCriticalSection(&lock);
}

static void wake_notifier(void)
{
    if (wake_fd >= 0) sys_eventfd_signal(wake_fd);
}

static struct registration *find(struct ws2_sock *sock, unsigned int *index)
{
    unsigned int i;

    for (i = 0; i < nregs; i++)
        if (regs[i]->sock == sock)
        {
            if (index) *index = i;
            return regs[i];
        }
    return NULL;
}

static int bit_of(LONG event)
{
    int bit = 0;

    while (event > 1)
    {
        event >>= 1;
        bit++;
    }
    return bit;
}

/* Report one event (under the lock). */
static void report(struct registration *r, LONG event, int error)
{
    if (!(r->armed & event) || !(r->mask & event)) return;
    r->armed &= ~event;
    r->occurred |= event;
    r->errors[bit_of(event)] = error;
    if (r->event) SetEvent(r->event);
    if (r->hwnd) PostMessageW(r->hwnd, r->msg, (WPARAM)sock_value(r->sock), WSAMAKESELECTREPLY(event, error));
}

/* What to poll a registered socket for, 0 to leave it out for now. */
static int poll_events_of(const struct registration *r)
{
    LONG armed = r->armed & r->mask, state = sock_state(r->sock);
    int events = 0;

    if (sock_type(r->sock) != SOCK_STREAM)
    {
        if (armed & FD_READ) events |= WAIT_READ;
        if (armed & FD_WRITE) events |= WAIT_WRITE;
        return events;
    }
    if (state & WS2_STATE_LISTENING) return (armed & FD_ACCEPT) ? WAIT_READ : 0;
    if (state & WS2_STATE_CONNECTING) return (armed & FD_CONNECT) ? WAIT_WRITE : 0;
    if (!(state & WS2_STATE_CONNECTED)) return 0; /* nothing can happen yet */
    if (armed & FD_READ) events |= WAIT_READ;
    if (armed & FD_OOB) events |= WAIT_PRI;
    if (armed & FD_WRITE) events |= WAIT_WRITE;
    if ((armed & FD_CLOSE) && !r->close_waits) events |= WAIT_PEER_SHUT;
    /* After the close is reported an error or hang-up would wake us forever. */
    if (!events && !(armed & FD_CLOSE)) return 0;
    return events;
}

/* A connected stream socket is readable: data, the peer's FIN or a reset? */
static void stream_readable(struct registration *r, int revents)
{
    struct ws2_sock *sock = r->sock;
    char c;
    int64_t ret = sys_recv_nowait(sock_fd(sock), &c, 1, 1);

    if (ret > 0)
    {
        report(r, FD_READ, 0);
        /* The peer may also be gone: FD_CLOSE waits for the data to be read. */
        if (revents & (WAIT_PEER_SHUT | WAIT_HANGUP)) r->close_waits = 1;
        return;
    }
    if (ret == 0) report(r, FD_CLOSE, 0);
    else if (ret == -WSAECONNRESET) report(r, FD_CLOSE, WSAECONNRESET);
    else if (ret != -WSAEWOULDBLOCK) report(r, FD_CLOSE, WSAECONNABORTED);
    else return;
    r->armed = 0; /* nothing more comes from a closed connection */
}

static void dispatch(struct registration *r, int revents)
{
    struct ws2_sock *sock = r->sock;

    if (sock_type(sock) != SOCK_STREAM)
    {
        if (revents & WAIT_READ) report(r, FD_READ, 0);
        if (revents & WAIT_WRITE) report(r, FD_WRITE, 0);
        return;
    }
    if (sock_state(sock) & WS2_STATE_LISTENING)
    {
        if (revents & WAIT_READ) report(r, FD_ACCEPT, 0);
        return;
    }
    if (sock_state(sock) & WS2_STATE_CONNECTING)
    {
        /* The outcome is the server's to tell (and it updates its state). */
        int status = ws2_sock_call_connect_done(sock, NULL, NULL);

        if (status == WSAEWOULDBLOCK) return;
        report(r, FD_CONNECT, status);
        if (!status) report(r, FD_WRITE, 0);
        return;
    }
    if (revents & WAIT_PRI) report(r, FD_OOB, 0);
    if (revents & WAIT_WRITE && !(revents & WAIT_ERROR)) report(r, FD_WRITE, 0);
    if (revents & (WAIT_READ | WAIT_PEER_SHUT | WAIT_HANGUP | WAIT_ERROR)) stream_readable(r, revents);
}

static int set_registration(struct ws2_sock *sock, HANDLE event, HWND hwnd, UINT msg, LONG mask);

/* The server says a registration through a duplicate in another process
 * replaced ours on a socket: drop ours (under the lock). */
static void read_notes(void)
{
    struct ws2_note note;
    int64_t len;

    while ((len = sys_recv_nowait(notes_fd, &note, sizeof(note), 0)) > 0)
    {
        unsigned int i;

        if (len != sizeof(note) || note.hdr.status != WS2_NOTE_SELECT_REVOKED) continue;
        for (i = 0; i < nregs; i++)
            if (sock_id(regs[i]->sock) == note.id && sock_generation(regs[i]->sock) == ws2_server_generation())
            {
                TRACE("socket %#Ix: the registration moved to another process\n", sock_value(regs[i]->sock));
                set_registration(regs[i]->sock, NULL, NULL, 0, 0);
                break;
            }
    }
    if (!len)
    {
        /* The server went away: no more notes. */
        sys_close(notes_fd);
        notes_fd = -1;
    }
}

static DWORD WINAPI notifier(void *arg)
{
    struct wait_fd *fds = NULL;
    struct ws2_sock **polled = NULL;
    unsigned int size = 0;

    (void)arg;
    for (;;)
    {
        unsigned int i, n;
        int64_t ret;

        EnterCriticalSection(&lock);
        if (size < nregs + 2)
        {
            size = (nregs + 2) * 2;
            HeapFree(GetProcessHeap(), 0, fds);
            HeapFree(GetProcessHeap(), 0, polled);
            fds = HeapAlloc(GetProcessHeap(), 0, size * sizeof(*fds));
            polled = HeapAlloc(GetProcessHeap(), 0, size * sizeof(*polled));
        }
        fds[0].fd = wake_fd;
        fds[0].events = WAIT_READ;
        fds[1].fd = notes_fd;
        fds[1].events = WAIT_READ;
        n = 2;
        for (i = 0; i < nregs; i++)
        {
            int events = poll_events_of(regs[i]);

            if (!events) continue;
            fds[n].fd = sock_fd(regs[i]->sock);
            fds[n].events = events;
            polled[n++] = regs[i]->sock;
        }
        LeaveCriticalSection(&lock);

        ret = sys_poll(fds, n, -1);
        if (ret < 0) continue;
        if (fds[0].revents) sys_eventfd_drain(wake_fd);
        EnterCriticalSection(&lock);
        if (fds[1].revents) read_notes();
        for (i = 2; i < n; i++)
        {
            struct registration *r;

            /* Still registered the same way?  (It may have changed meanwhile.) */
            if (!fds[i].revents || !(r = find(polled[i], NULL))) continue;
            dispatch(r, fds[i].revents);
        }
        LeaveCriticalSection(&lock);
    }
    return 0;
}

static int start_notifier(void)
{
    if (thread) return 0;
    if (wake_fd < 0)
    {
        int fd = sys_eventfd();
        if (fd < 0) return WSAENOBUFS;
        wake_fd = fd;
    }
    /* Without the notes a registration elsewhere only fails to replace ours. */
    notes_fd = ws2_server_subscribe();
    if (!(thread = CreateThread(NULL, 0, notifier, NULL, 0, NULL))) return WSAENOBUFS;
    return 0;
}

/* Register (or, with mask 0, unregister) under the lock. */
static int set_registration(struct ws2_sock *sock, HANDLE event, HWND hwnd, UINT msg, LONG mask)
{
    unsigned int index;
    struct registration *r = find(sock, &index);
    int status;

    if (!mask && !event && !hwnd)
    {
        if (r)
        {
            regs[index] = regs[--nregs];
            sock_release(r->sock);
            HeapFree(GetProcessHeap(), 0, r);
        }
        return 0;
    }
    if ((status = start_notifier())) return status;
    if (!r)
    {
        unsigned int i;

        /* A registration through a duplicate replaces the socket's old one. */
        for (i = 0; i < nregs; i++)
            if (sock_id(regs[i]->sock) == sock_id(sock) && sock_generation(regs[i]->sock) == sock_generation(sock))
            {
                set_registration(regs[i]->sock, NULL, NULL, 0, 0);
                break;
            }
        if (nregs == regs_size)
        {
            unsigned int size = regs_size ? regs_size * 2 : 16;
            struct registration **bigger = regs ? HeapReAlloc(GetProcessHeap(), 0, regs, size * sizeof(*regs))
                                                : HeapAlloc(GetProcessHeap(), 0, size * sizeof(*regs));
            if (!bigger) return WSAENOBUFS;
            regs = bigger;
            regs_size = size;
        }
        if (!(r = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*r)))) return WSAENOBUFS;
        sock_addref(sock);
        r->sock = sock;
        regs[nregs++] = r;
        InterlockedExchange(&any_registered, 1);
    }
    /* A new registration replaces the old one and reports afresh. */
    r->event = event;
    r->hwnd = hwnd;
    r->msg = msg;
    r->mask = mask;
    r->armed = mask;
    r->occurred = 0;
    r->close_waits = 0;
    memset(r->errors, 0, sizeof(r->errors));
    return 0;
}

/* Both select calls make the socket non-blocking, as on Windows. */
static int select_call(SOCKET s, HANDLE event, HWND hwnd, UINT msg, LONG mask)
{
    struct ws2_sock *sock;
    u_long one = 1;
    int status;

    if (!(sock = sock_for_call(s))) return SOCKET_ERROR;
    if (mask & ~FD_ALL_EVENTS) status = WSAEINVAL;
    /* "regardless of the value of lNetworkEvents" (WSAEventSelect, WSAAsyncSelect) */
    else if (ioctlsocket(s, FIONBIO, &one)) status = WSAGetLastError();
    else
    {
        EnterCriticalSection(&lock);
        status = set_registration(sock, event, hwnd, msg, mask);
        LeaveCriticalSection(&lock);
        wake_notifier();
        /* Other processes holding a duplicate lose their registration. */
        if (!status && (mask || event || hwnd)) ws2_sock_call_select_claim(sock, NULL, NULL);
    }
    sock_release(sock);
    return status ? ws2_fail(status) : 0;
}

int WSAAPI WSAEventSelect(SOCKET s, WSAEVENT event, LONG mask)
{
    TRACE("%#Ix %p %s\n", s, event, debugstr_fd_events(mask));
    return select_call(s, mask ? event : NULL, NULL, 0, mask);
}

int WSAAPI WSAAsyncSelect(SOCKET s, HWND hwnd, u_int msg, LONG mask)
{
    TRACE("%#Ix %p %#x %s\n", s, hwnd, msg, debugstr_fd_events(mask));
    if (mask && !IsWindow(hwnd)) return ws2_fail(WSAEINVAL);
    return select_call(s, NULL, mask ? hwnd : NULL, msg, mask);
}

int WSAAPI WSAEnumNetworkEvents(SOCKET s, WSAEVENT event, LPWSANETWORKEVENTS out)
{
    WSANETWORKEVENTS result;
    struct registration *r;
    struct ws2_sock *sock;
    int status = 0;

    TRACE("%#Ix %p %p\n", s, event, out);
    if (!(sock = sock_for_call(s))) return SOCKET_ERROR;
    memset(&result, 0, sizeof(result));
    EnterCriticalSection(&lock);
    if ((r = find(sock, NULL)))
    {
        result.lNetworkEvents = r->occurred;
        memcpy(result.iErrorCode, r->errors, sizeof(result.iErrorCode));
        r->occurred = 0;
        memset(r->errors, 0, sizeof(r->errors));
    }
    LeaveCriticalSection(&lock);
    if (user_write(out, &result, sizeof(result)) < 0) status = WSAEFAULT;
    else if (event) ResetEvent(event);
    sock_release(sock);
    return status ? ws2_fail(status) : 0;
}

/* Is the socket registered?  Then it may not be made blocking (FIONBIO 0). */
int notify_registered(struct ws2_sock *sock)
{
    int ret;

    if (!any_registered) return 0;
    EnterCriticalSection(&lock);
    ret = find(sock, NULL) != NULL;
    LeaveCriticalSection(&lock);
    return ret;
}

void notify_reenable(struct ws2_sock *sock, LONG events)
{
    struct registration *r;

    if (!any_registered) return;
    EnterCriticalSection(&lock);
    if ((r = find(sock, NULL)))
    {
        r->armed |= events & r->mask;
        /* Reading may have emptied what kept FD_CLOSE back. */
        if (events & FD_READ) r->close_waits = 0;
    }
    LeaveCriticalSection(&lock);
    wake_notifier();
}

void notify_forget(struct ws2_sock *sock)
{
    if (!any_registered) return;
    EnterCriticalSection(&lock);
    set_registration(sock, NULL, NULL, 0, 0);
    LeaveCriticalSection(&lock);
    wake_notifier();
}

void notify_inherit(struct ws2_sock *listener, struct ws2_sock *accepted)
{
    struct registration *r;

    if (!any_registered) return;
    EnterCriticalSection(&lock);
    /* An accepted socket has the listener's registration (Windows). */
    if ((r = find(listener, NULL))) set_registration(accepted, r->event, r->hwnd, r->msg, r->mask);
    LeaveCriticalSection(&lock);
    wake_notifier();
}

/* ------------------------------------------------------------ events */

WSAEVENT WSAAPI WSACreateEvent(void)
{
    return CreateEventW(NULL, TRUE, FALSE, NULL);
}

BOOL WSAAPI WSACloseEvent(WSAEVENT event)
{
    if (CloseHandle(event)) return TRUE;
    WSASetLastError(WSA_INVALID_HANDLE);
    return FALSE;
}

BOOL WSAAPI WSASetEvent(WSAEVENT event)
{
    if (SetEvent(event)) return TRUE;
    WSASetLastError(WSA_INVALID_HANDLE);
    return FALSE;
}

BOOL WSAAPI WSAResetEvent(WSAEVENT event)
{
    if (ResetEvent(event)) return TRUE;
    WSASetLastError(WSA_INVALID_HANDLE);
    return FALSE;
}

DWORD WSAAPI WSAWaitForMultipleEvents(DWORD count, const WSAEVENT *events, BOOL all, DWORD timeout,
                                      BOOL alertable)
{
    return WaitForMultipleObjectsEx(count, events, all, timeout, alertable);
}
