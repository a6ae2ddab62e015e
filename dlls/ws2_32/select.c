/*
 * select() and WSAPoll(), with poll() on our fd copies.  Windows' fd_set is an array of
 * SOCKETs; the result sets keep only the ready ones and the return value
 * counts them.  A failed non-blocking connect is reported in exceptfds, not
 * writefds; closesocket of a selected socket wakes the call with WSAEINTR.
 */
#include <string.h>
#include "private.h"
#include "channel.h"
#include "data.h"
#include "sock.h"
#include "sys.h"
#include "usermem.h"

struct select_entry
{
    struct ws2_sock *sock;
    int set; /* 0 read, 1 write, 2 except */
    int ready;
};

/*
 * Wait until one of `n` sockets is ready for fds[i].events (fds[0..n) are
 * their fds; fds[n..2n) get their wake-up fds), or *timeout_ms (-1: no
 * limit, updated to what is left) passes.  Returns poll's count (0 on
 * timeout), or -WSAEINTR when one of them is closed meanwhile,
 * -WSAENETDOWN when the server went away, or -error.
 */
static int poll_sockets(struct ws2_sock **socks, struct wait_fd *fds, int n, int *timeout_ms)
{
    DWORD start = GetTickCount();
    int j, status, left = *timeout_ms;
    int64_t ret;

    for (j = 0; j < n; j++)
        if ((status = sock_wake_wait(socks[j], &fds[n + j]))) return -status;
    /* A server that went away ends the wait too (fds has room for its watch). */
    fds[2 * n].fd = ws2_server_watch();
    fds[2 * n].events = WAIT_READ;
    ret = ws2_poll_alertable(fds, fds[2 * n].fd >= 0 ? 2 * n + 1 : 2 * n, left);
    if (*timeout_ms >= 0)
    {
        DWORD spent = GetTickCount() - start;
        left = spent >= (DWORD)*timeout_ms ? 0 : *timeout_ms - (int)spent;
    }
    *timeout_ms = left;
    if (ret < 0) return ret;
    if (fds[2 * n].fd >= 0 && fds[2 * n].revents)
    {
        ws2_server_watch_fired();
        ret--;
    }
    for (j = 0; j < n; j++)
        if (fds[n + j].revents || sock_is_closing(socks[j]) || sock_generation(socks[j]) != ws2_server_generation())
            return -sock_woken_error(socks[j]);
    return ret;
}

/*
 * The program's fd_set, copied: Windows' fd_set is a count and an array of
 * SOCKETs, and a program may define FD_SETSIZE as large as it likes, so the
 * copy is sized by the count it holds.  NULL for an absent set.
 */
struct set_copy
{
    u_int count;
    SOCKET *sockets;
};

static int read_set(fd_set *set, struct set_copy *copy)
{
    copy->count = 0;
    copy->sockets = NULL;
    if (!set) return 0;
    if (user_read(&copy->count, &set->fd_count, sizeof(copy->count)) < 0) return WSAEFAULT;
    if (copy->count > 0x100000) return WSAEINVAL;
    if (!copy->count) return 0;
    if (!(copy->sockets = HeapAlloc(GetProcessHeap(), 0, copy->count * sizeof(SOCKET)))) return WSAENOBUFS;
    if (user_read(copy->sockets, set->fd_array, copy->count * sizeof(SOCKET)) < 0) return WSAEFAULT;
    return 0;
}

static int poll_events(const struct select_entry *e)
{
    switch (e->set)
    {
    case 0: return WAIT_READ;
    case 1: return WAIT_WRITE;
    default: return WAIT_PRI;
    }
}

static int is_ready(struct select_entry *e, int revents)
{
    int failed = (revents & WAIT_ERROR) && (sock_state(e->sock) & WS2_STATE_CONNECTING);

    switch (e->set)
    {
    case 0: return !failed && (revents & (WAIT_READ | WAIT_HANGUP | WAIT_ERROR));
    case 1: return !failed && (revents & WAIT_WRITE);
    /* Urgent data received inline is normal data (Windows). */
    default: return failed || ((revents & WAIT_PRI) && !sys_oob_inline(sock_fd(e->sock)));
    }
}

/* A stream socket that neither listens nor connects nor is connected (one
 * that never connected, or whose connect failed) has nothing to report:
 * Linux calls it hung up and writable, Windows does not. */
static int can_be_ready(struct ws2_sock *sock)
{
    return sock_type(sock) != SOCK_STREAM ||
           (sock_state(sock) & (WS2_STATE_LISTENING | WS2_STATE_CONNECTING | WS2_STATE_CONNECTED));
}

int WSAAPI select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds, const PTIMEVAL timeout)
{
    fd_set *sets[3] = { readfds, writefds, exceptfds };
    struct set_copy copy[3] = { { 0, NULL }, { 0, NULL }, { 0, NULL } };
    u_int outs[3] = { 0, 0, 0 };
    struct select_entry *entries = NULL;
    struct ws2_sock **socks = NULL;
    struct wait_fd *fds = NULL;
    struct timeval tv;
    int status = 0, count = 0, n = 0, total, i, j, timeout_ms = -1, limit, ret;
    DWORD begun;
    unsigned int k;

    (void)nfds;
    TRACE("%p %p %p %p\n", readfds, writefds, exceptfds, timeout);
    if (!ws2_initialized()) return ws2_fail(WSANOTINITIALISED);
    if (timeout)
    {
        if (user_read(&tv, timeout, sizeof(tv)) < 0)
        {
            status = WSAEFAULT;
            goto done;
        }
        if (tv.tv_sec < 0 || tv.tv_usec < 0)
        {
            status = WSAEINVAL;
            goto done;
        }
        timeout_ms = tv.tv_sec > 0x7fffffff / 1000 ? 0x7fffffff : tv.tv_sec * 1000 + (tv.tv_usec + 999) / 1000;
    }
    for (i = 0; i < 3; i++)
        if ((status = read_set(sets[i], &copy[i]))) goto done;
    total = copy[0].count + copy[1].count + copy[2].count;
    /* Nothing to wait for is an error on Windows. */
    if (!total)
    {
        status = WSAEINVAL;
        goto done;
    }
    entries = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, total * sizeof(*entries));
    socks = HeapAlloc(GetProcessHeap(), 0, total * sizeof(*socks));
    fds = HeapAlloc(GetProcessHeap(), 0, (2 * total + 1) * sizeof(*fds));
    if (!entries || !socks || !fds)
    {
        status = WSAENOBUFS;
        goto done;
    }
    for (i = 0; i < 3; i++)
        for (k = 0; k < copy[i].count; k++)
        {
            if (!(entries[n].sock = sock_get(copy[i].sockets[k])))
            {
                status = WSAENOTSOCK;
                goto done;
            }
            entries[n++].set = i;
        }

    for (j = 0; j < n; j++)
    {
        socks[j] = entries[j].sock;
        fds[j].fd = can_be_ready(entries[j].sock) ? sock_fd(entries[j].sock) : -1;
        fds[j].events = poll_events(&entries[j]);
    }
    limit = timeout_ms;
    begun = GetTickCount();
    for (;;)
    {
        if ((ret = poll_sockets(socks, fds, n, &timeout_ms)) == -WSAEINTR)
        {
            /* A socket closed meanwhile ends the wait readable (Windows);
             * one asked about only for writing or errors fails it. */
            for (j = 0; j < n; j++)
                if ((entries[j].ready = entries[j].set == 0 && sock_is_closing(entries[j].sock))) count++;
            if (!count) status = WSAENOTSOCK;
            break;
        }
        if (ret < 0)
        {
            status = -ret;
            goto done;
        }
        for (j = 0; j < n; j++)
            if ((entries[j].ready = is_ready(&entries[j], fds[j].revents))) count++;
        /* An event nobody asked for (POLLERR on a write-only entry) woke
         * poll while nothing is ready: wait again for what is left, without
         * spinning on a condition that stays. */
        if (count || !ret || !timeout_ms) break;
        Sleep(1);
        /* Each poll_sockets rounds its short wait down to no time at all:
         * count the time from the start, or this never ends. */
        if (limit >= 0)
        {
            DWORD spent = GetTickCount() - begun;
            timeout_ms = spent >= (DWORD)limit ? 0 : limit - (int)spent;
        }
    }
    /* A pending connect reported done (writable) or failed (except): the
     * server learns the outcome (and SO_ERROR keeps a failure's error). */
    for (j = 0; j < n; j++)
        if (entries[j].ready && entries[j].set != 0 && (sock_state(entries[j].sock) & WS2_STATE_CONNECTING))
            ws2_sock_call_connect_done(entries[j].sock, NULL, NULL);

    /* Keep only the ready sockets, in their order, each once per set; two
     * arguments that are one fd_set get one list, and the count is the
     * number of sockets written (Windows). */
    count = 0;
    for (i = 0, j = 0; i < 3; i++)
    {
        int into;
        u_int *out;

        for (into = 0; into < i && sets[into] != sets[i]; into++)
            ;
        out = &outs[into];
        for (k = 0; k < copy[i].count; k++, j++)
        {
            u_int m;

            if (!entries[j].ready) continue;
            for (m = 0; m < *out && copy[into].sockets[m] != copy[i].sockets[k]; m++)
                ;
            if (m < *out) continue;
            copy[into].sockets[(*out)++] = copy[i].sockets[k];
            count++;
        }
    }
    for (i = 0; i < 3; i++)
    {
        int from;

        if (!sets[i]) continue;
        for (from = 0; from < i && sets[from] != sets[i]; from++)
            ;
        if (status) outs[from] = 0; /* a failed call leaves nothing ready */
        if (user_write(&sets[i]->fd_count, &outs[from], sizeof(outs[from])) < 0 ||
            user_write(sets[i]->fd_array, copy[from].sockets, outs[from] * sizeof(SOCKET)) < 0)
            status = WSAEFAULT;
    }
done:
    if (entries)
        for (j = 0; j < n; j++) sock_release(entries[j].sock);
    for (i = 0; i < 3; i++) HeapFree(GetProcessHeap(), 0, copy[i].sockets);
    HeapFree(GetProcessHeap(), 0, entries);
    HeapFree(GetProcessHeap(), 0, socks);
    HeapFree(GetProcessHeap(), 0, fds);
    if (status) return ws2_fail(status);
    return count;
}

/* Windows' POLL* bits and our WAIT_* ones (POLLIN is RDNORM|RDBAND on Windows). */
static int poll_to_wait(SHORT events)
{
    int out = 0;

    if (events & POLLRDNORM) out |= WAIT_READ;
    /* Out-of-band data is Linux's urgent data (POLLPRI). */
    if (events & (POLLRDBAND | POLLPRI)) out |= WAIT_PRI;
    if (events & (POLLWRNORM | POLLWRBAND)) out |= WAIT_WRITE;
    /* The peer's FIN is POLLHUP on Windows (reported whether asked for or not). */
    return out | WAIT_PEER_SHUT;
}

static SHORT poll_from_wait(struct ws2_sock *sock, int revents, SHORT events)
{
    int fd = sock_fd(sock);
    SHORT out = 0;

    if (sock_type(sock) == SOCK_STREAM && (revents & (WAIT_READ | WAIT_PEER_SHUT | WAIT_HANGUP | WAIT_ERROR)))
    {
        char c;

        if ((revents & WAIT_ERROR) || sock_was_reset(sock))
        {
            /* A reset: an error and a hang-up, nothing to read (Windows). */
            revents = (revents & ~(WAIT_READ | WAIT_PRI | WAIT_PEER_SHUT)) | WAIT_ERROR | WAIT_HANGUP;
        }
        else if ((revents & (WAIT_PEER_SHUT | WAIT_HANGUP)) && !sys_peer_finished(fd))
        {
            /* Our own shutdown ends the stream to Linux, not to Windows:
             * no hang-up, and readable only with data. */
            revents &= ~(WAIT_PEER_SHUT | WAIT_HANGUP);
            if (sys_recv_nowait(fd, &c, 1, 1) <= 0) revents &= ~WAIT_READ;
        }
        else if ((revents & WAIT_READ) && (revents & (WAIT_PEER_SHUT | WAIT_HANGUP)) &&
                 sys_recv_nowait(fd, &c, 1, 1) <= 0)
            revents &= ~WAIT_READ; /* the peer's FIN alone is a hang-up, not data */
    }
    if (revents & WAIT_READ) out |= events & POLLRDNORM;
    /* Urgent data received inline is normal data to Windows (and Linux
     * keeps saying urgent after it was read). */
    if (revents & WAIT_PRI)
    {
        char c;

        if (!sys_oob_inline(fd)) out |= events & POLLRDBAND;
        else if (sys_recv_nowait(fd, &c, 1, 1) > 0) out |= events & POLLRDNORM;
    }
    if (revents & WAIT_WRITE) out |= events & (POLLWRNORM | POLLWRBAND);
    /* Errors and hang-ups are reported whether asked for or not. */
    if (revents & WAIT_ERROR) out |= POLLERR;
    if (revents & (WAIT_HANGUP | WAIT_PEER_SHUT)) out |= POLLHUP;
    return out;
}

/* What WSAPoll may be asked (POLLIN and POLLOUT); anything else fails it. */
#define POLL_VALID_EVENTS (POLLRDNORM | POLLRDBAND | POLLWRNORM)

int WSAAPI WSAPoll(WSAPOLLFD *array, ULONG count, INT timeout)
{
    struct ws2_sock **socks = NULL;
    struct wait_fd *fds = NULL;
    WSAPOLLFD *copy = NULL;
    int *index = NULL, n = 0, ready = 0, status = 0, ret, bad_events = 0;
    ULONG i;

    TRACE("%p %lu %d\n", array, count, timeout);
    if (!ws2_initialized()) return ws2_fail(WSANOTINITIALISED);
    if (!count) return ws2_fail(WSAEINVAL);
    if (count > 0x100000) return ws2_fail(WSAENOBUFS);
    copy = HeapAlloc(GetProcessHeap(), 0, count * sizeof(*copy));
    socks = HeapAlloc(GetProcessHeap(), 0, count * sizeof(*socks));
    fds = HeapAlloc(GetProcessHeap(), 0, (2 * count + 1) * sizeof(*fds));
    index = HeapAlloc(GetProcessHeap(), 0, count * sizeof(*index));
    if (!copy || !socks || !fds || !index)
    {
        status = WSAENOBUFS;
        goto done;
    }
    if (user_read(copy, array, count * sizeof(*copy)) < 0)
    {
        status = WSAEFAULT;
        goto done;
    }

    for (i = 0; i < count; i++)
    {
        struct ws2_sock *sock;

        copy[i].revents = 0;
        /* Events beyond POLLIN and POLLOUT fail the call (Windows), but
         * on INVALID_SOCKET they are not looked at. */
        if (copy[i].fd != INVALID_SOCKET && (copy[i].events & ~POLL_VALID_EVENTS)) bad_events = 1;
        /* An unknown or closed socket is POLLNVAL, not counted. */
        if (!(sock = copy[i].fd == INVALID_SOCKET ? NULL : sock_get(copy[i].fd)))
        {
            copy[i].revents = POLLNVAL;
            continue;
        }
        socks[n] = sock;
        fds[n].fd = sock_fd(sock);
        fds[n].events = poll_to_wait(copy[i].events);
        index[n++] = i;
    }
    /* Not one socket: WSAENOTSOCK; bad events: WSAEINVAL, nothing reported. */
    if (!n) status = WSAENOTSOCK;
    else if (bad_events)
    {
        for (i = 0; i < count; i++) copy[i].revents = 0;
        status = WSAEINVAL;
    }
    else
    {
        int wait = timeout < 0 ? -1 : timeout;

        for (;;)
        {
            int j, found = 0;

            if ((ret = poll_sockets(socks, fds, n, &wait)) == -WSAEINTR)
            {
                /* A socket closed meanwhile is POLLNVAL, and counts (Windows). */
                for (j = 0; j < n; j++)
                    if (sock_is_closing(socks[j])) copy[index[j]].revents = POLLNVAL, ready++;
                break;
            }
            if (ret < 0)
            {
                status = -ret;
                goto done;
            }
            for (j = 0; j < n; j++)
            {
                WSAPOLLFD *entry = &copy[index[j]];

                if ((entry->revents = poll_from_wait(socks[j], fds[j].revents, entry->events))) found++;
            }
            if (found || !ret || !wait)
            {
                ready += found;
                break;
            }
            /* Only what Windows does not report woke us (our own shutdown): wait on, without spinning. */
            Sleep(1);
        }
    }
    if (user_write(array, copy, count * sizeof(*copy)) < 0) status = WSAEFAULT;
done:
    while (n) sock_release(socks[--n]);
    HeapFree(GetProcessHeap(), 0, copy);
    HeapFree(GetProcessHeap(), 0, socks);
    HeapFree(GetProcessHeap(), 0, fds);
    HeapFree(GetProcessHeap(), 0, index);
    if (status) return ws2_fail(status);
    /* Success clears the last error (Windows). */
    WSASetLastError(0);
    return ready;
}

int WSAAPI __WSAFDIsSet(SOCKET s, fd_set *set)
{
    u_int i;

    for (i = 0; i < set->fd_count; i++)
        if (set->fd_array[i] == s) return 1;
    return 0;
}
