/*
 * Network event notification: WSAEventSelect, WSAAsyncSelect,
 * WSAEnumNetworkEvents and the WSA*Event helpers.
 *
 * A socket's record says which FD_* events it reports, and how: an event
 * object to set, or a window message to post.  One notifier thread per
 * process polls the fds of the sockets that have one.  Windows' rules, as
 * Wine's tests show them:
 *  - An event is detected once, whether selected or not, and then not again
 *    until a call re-enables it ("reported"):
 *      FD_READ   after recv/recvfrom      FD_OOB     after recv(MSG_OOB)
 *      FD_ACCEPT after accept             FD_WRITE   after a send that
 *      FD_CONNECT after connect                      failed with WSAEWOULDBLOCK
 *      FD_CLOSE  once, when the peer closed (0) or reset (WSAECONNABORTED).
 *  - A detected event waits ("pending") until WSAEnumNetworkEvents takes it,
 *    which takes only the selected ones, or until its message is posted.
 *  - WSAEventSelect keeps both across calls (a new mask sets the event for
 *    what is pending), so an event reported once is not reported again by
 *    selecting anew; WSAAsyncSelect starts afresh, and what still holds is
 *    posted again.  Unselecting (mask 0) keeps the record: what happens
 *    meanwhile is reported when the socket is selected again.
 * closesocket drops the record first: no FD_CLOSE after it.
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
    LONG mask;     /* the events asked for (0: none, the record stays) */
    LONG reported; /* detected and not re-enabled since */
    LONG pending;  /* detected and not yet taken (WSAEnumNetworkEvents) */
    int errors[FD_MAX_EVENTS];
    int close_error; /* how the connection ended, once it has */
    int quiet;       /* woke the notifier with nothing to report: not polled until a call re-enables */
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

/* Tell the program what is pending and selected (under the lock). */
static void signal_pending(struct registration *r)
{
    LONG events = r->pending & r->mask;
    int i;

    if (!events) return;
    if (r->event) SetEvent(r->event);
    if (!r->hwnd) return;
    for (i = 0; i < FD_MAX_EVENTS; i++)
        if (events & (1 << i))
            PostMessageW(r->hwnd, r->msg, (WPARAM)sock_value(r->sock), WSAMAKESELECTREPLY(1 << i, r->errors[i]));
    /* A posted message is the report: nothing stays pending. */
    r->pending = 0;
}

/* An event happened (under the lock): report it unless it was already. */
static void occur(struct registration *r, LONG event, int error)
{
    if (r->reported & event) return;
    r->reported |= event;
    r->pending |= event;
    r->errors[bit_of(event)] = error;
    signal_pending(r);
}

/* What to poll a socket for, 0 to leave it out for now. */
static int poll_events_of(const struct registration *r)
{
    LONG armed = ~r->reported & FD_ALL_EVENTS, state = sock_state(r->sock);
    int events = 0;

    if (r->quiet) return 0;
    if (sock_type(r->sock) != SOCK_STREAM)
    {
        if ((armed & FD_CONNECT) && (state & WS2_STATE_CONNECTED) && sock_connect_made(r->sock)) return WAIT_WRITE;
        if (armed & FD_READ) events |= WAIT_READ;
        /* Selected for an event, an unbound datagram socket is not writable yet (Windows). */
        if ((armed & FD_WRITE) && (r->hwnd || (state & WS2_STATE_BOUND))) events |= WAIT_WRITE;
        return events;
    }
    if (state & WS2_STATE_LISTENING) return (armed & FD_ACCEPT) ? WAIT_READ : 0;
    if (state & WS2_STATE_CONNECTING) return (armed & FD_CONNECT) ? WAIT_WRITE : 0;
    if (!(state & WS2_STATE_CONNECTED)) return 0;                 /* nothing can happen yet */
    if (r->close_error) return (armed & FD_READ) ? WAIT_READ : 0; /* reset: nothing more comes */
    if (armed & FD_READ) events |= WAIT_READ;
    if (armed & FD_OOB) events |= WAIT_PRI;
    if ((armed & FD_WRITE) && !(r->reported & FD_CLOSE)) events |= WAIT_WRITE;
    if (armed & FD_CLOSE) events |= WAIT_PEER_SHUT;
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
        /* Data a pending overlapped receive takes is no FD_READ (Windows). */
        if (!sock_receivers(sock)) occur(r, FD_READ, 0);
        /* Windows reports the peer's FIN at once, data or not. */
        if (revents & WAIT_PEER_SHUT) occur(r, FD_CLOSE, 0);
        return;
    }
    if (ret == -WSAEWOULDBLOCK) return;
    /* Our own shutdown(SD_RECEIVE) ends the stream here too, which is no event. */
    if (ret == 0 && !sys_peer_finished(sock_fd(sock))) return;
    /* The end of the stream: FD_READ has nothing to say about it. */
    r->reported |= FD_READ;
    if (ret == 0) occur(r, FD_CLOSE, r->close_error);
    else
    {
        /* A reset is an aborted connection to FD_CLOSE (Windows), and stays one. */
        r->close_error = WSAECONNABORTED;
        occur(r, FD_CLOSE, WSAECONNABORTED);
    }
}

static void dispatch(struct registration *r, int revents)
{
    struct ws2_sock *sock = r->sock;
    LONG before = r->reported;

    if (sock_type(sock) != SOCK_STREAM)
    {
        if ((sock_state(sock) & WS2_STATE_CONNECTED) && sock_connect_made(sock))
        {
            /* Windows posts no message for a datagram socket's connect. */
            if (r->hwnd) r->reported |= FD_CONNECT;
            else occur(r, FD_CONNECT, 0);
        }
        if (revents & WAIT_READ) occur(r, FD_READ, 0);
        if (revents & WAIT_WRITE) occur(r, FD_WRITE, 0);
    }
    else if (sock_state(sock) & WS2_STATE_LISTENING)
    {
        /* A pending AcceptEx takes the connection: no FD_ACCEPT for it. */
        if ((revents & WAIT_READ) && !sock_receivers(sock)) occur(r, FD_ACCEPT, 0);
    }
    else if (sock_state(sock) & WS2_STATE_CONNECTING)
    {
        /* The outcome is the server's to tell (and it updates its state). */
        int status = ws2_sock_call_connect_done(sock, NULL, NULL);

        if (status == WSAEWOULDBLOCK) return;
        occur(r, FD_CONNECT, status);
        if (!status) occur(r, FD_WRITE, 0);
    }
    else
    {
        if (revents & (WAIT_READ | WAIT_PEER_SHUT | WAIT_HANGUP | WAIT_ERROR)) stream_readable(r, revents);
        if (revents & WAIT_PRI) occur(r, FD_OOB, 0);
        if (revents & WAIT_WRITE && !(revents & WAIT_ERROR)) occur(r, FD_WRITE, 0);
    }
    /* A condition that stays (an error, a hang-up) would wake us forever. */
    if (r->reported == before) r->quiet = 1;
}

static void drop(unsigned int index);

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
                drop(i);
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

            /* Still registered?  (It may have changed meanwhile.) */
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

/* Forget a socket's record altogether (under the lock). */
static void drop(unsigned int index)
{
    struct registration *r = regs[index];

    regs[index] = regs[--nregs];
    sock_release(r->sock);
    HeapFree(GetProcessHeap(), 0, r);
}

/* The socket's record, made on first use (under the lock). */
static int get_record(struct ws2_sock *sock, struct registration **out)
{
    struct registration *r = find(sock, NULL);
    unsigned int i;
    int status;

    *out = r;
    if (r) return 0;
    if ((status = start_notifier())) return status;
    /* A registration through a duplicate replaces the socket's old one. */
    for (i = 0; i < nregs; i++)
        if (sock_id(regs[i]->sock) == sock_id(sock) && sock_generation(regs[i]->sock) == sock_generation(sock))
        {
            drop(i);
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
    /* A connect made before the first registration still has its FD_CONNECT to report. */
    if (sock_connect_made(sock) && (sock_state(sock) & WS2_STATE_CONNECTED) && sock_type(sock) == SOCK_STREAM)
        r->reported = r->pending = FD_CONNECT;
    regs[nregs++] = r;
    InterlockedExchange(&any_registered, 1);
    *out = r;
    return 0;
}

/* What holds already is reported before the select call returns, as on
 * Windows, not when the notifier gets to it (under the lock). */
static void check_now(struct registration *r)
{
    struct wait_fd fd;

    fd.fd = sock_fd(r->sock);
    if (!(fd.events = poll_events_of(r))) return;
    if (sys_poll(&fd, 1, 0) > 0 && fd.revents) dispatch(r, fd.revents);
}

/* WSAEventSelect (hwnd NULL) or WSAAsyncSelect (under the lock). */
static int set_registration(struct ws2_sock *sock, HANDLE event, HWND hwnd, UINT msg, LONG mask)
{
    struct registration *r;
    int status;

    if (!mask && !event && !hwnd && !find(sock, NULL)) return 0;
    if ((status = get_record(sock, &r))) return status;
    r->event = event;
    r->hwnd = hwnd;
    r->msg = msg;
    r->mask = mask;
    r->quiet = 0;
    if (hwnd)
    {
        /* A window is told afresh of all that holds. */
        r->reported = r->pending = 0;
        memset(r->errors, 0, sizeof(r->errors));
    }
    signal_pending(r);
    check_now(r);
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
    int status = 0, i;

    TRACE("%#Ix %p %p\n", s, event, out);
    if (!(sock = sock_for_call(s))) return SOCKET_ERROR;
    memset(&result, 0, sizeof(result));
    EnterCriticalSection(&lock);
    if ((r = find(sock, NULL)))
    {
        /* Only what is selected is taken; the rest stays pending. */
        result.lNetworkEvents = r->pending & r->mask;
        r->pending &= ~r->mask;
        for (i = 0; i < FD_MAX_EVENTS; i++)
            if (result.lNetworkEvents & (1 << i)) result.iErrorCode[i] = r->errors[i];
    }
    LeaveCriticalSection(&lock);
    /* The codes of events not reported are left as they were (Windows). */
    if (user_write(&out->lNetworkEvents, &result.lNetworkEvents, sizeof(result.lNetworkEvents)) < 0)
        status = WSAEFAULT;
    for (i = 0; !status && i < FD_MAX_EVENTS; i++)
        if ((result.lNetworkEvents & (1 << i)) &&
            user_write(&out->iErrorCode[i], &result.iErrorCode[i], sizeof(result.iErrorCode[i])) < 0)
            status = WSAEFAULT;
    if (!status && event) ResetEvent(event);
    sock_release(sock);
    return status ? ws2_fail(status) : 0;
}

/* Is the socket registered?  Then it may not be made blocking (FIONBIO 0). */
int notify_registered(struct ws2_sock *sock)
{
    struct registration *r;
    int ret;

    if (!any_registered) return 0;
    EnterCriticalSection(&lock);
    ret = (r = find(sock, NULL)) && (r->mask || r->event || r->hwnd);
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
        /* Detected again when it holds again; not pending meanwhile. */
        r->reported &= ~events;
        r->pending &= ~events;
        r->quiet = 0;
    }
    LeaveCriticalSection(&lock);
    wake_notifier();
}

void notify_forget(struct ws2_sock *sock)
{
    unsigned int index;

    if (!any_registered) return;
    EnterCriticalSection(&lock);
    if (find(sock, &index)) drop(index);
    LeaveCriticalSection(&lock);
    wake_notifier();
}

void notify_inherit(struct ws2_sock *listener, struct ws2_sock *accepted)
{
    struct registration *r;

    if (!any_registered) return;
    EnterCriticalSection(&lock);
    /* An accepted socket has the listener's registration (Windows). */
    if ((r = find(listener, NULL)) && (r->mask || r->event || r->hwnd))
        set_registration(accepted, r->event, r->hwnd, r->msg, r->mask);
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
