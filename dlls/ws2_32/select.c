/*
 * select(), with poll() on our fd copies.  Windows' fd_set is an array of
 * SOCKETs; the result sets keep only the ready ones and the return value
 * counts them.  A failed non-blocking connect is reported in exceptfds, not
 * writefds; closesocket of a selected socket wakes the call with WSAEINTR.
 */
#include <string.h>
#include "private.h"
#include "linux.h"

#define MAX_SELECT (3 * FD_SETSIZE)

struct select_entry
{
    struct ws2_sock *sock;
    int set;                    /* 0 read, 1 write, 2 except */
    int ready;
};

static int read_set(fd_set *set, fd_set *copy)
{
    copy->fd_count = 0;
    if (!set) return 0;
    if (user_read(&copy->fd_count, &set->fd_count, sizeof(copy->fd_count)) < 0) return WSAEFAULT;
    if (copy->fd_count > FD_SETSIZE) return WSAEINVAL;
    if (user_read(copy->fd_array, set->fd_array, copy->fd_count * sizeof(SOCKET)) < 0) return WSAEFAULT;
    return 0;
}

static int poll_events(const struct select_entry *e)
{
    switch (e->set)
    {
    case 0: return LINUX_POLLIN;
    case 1: return LINUX_POLLOUT;
    default: return LINUX_POLLPRI;
    }
}

static int is_ready(struct select_entry *e, int revents)
{
    int failed = (revents & LINUX_POLLERR) && e->sock->connect_pending;

    switch (e->set)
    {
    case 0: return !failed && (revents & (LINUX_POLLIN | LINUX_POLLHUP | LINUX_POLLERR));
    case 1: return !failed && (revents & LINUX_POLLOUT);
    default: return failed || (revents & LINUX_POLLPRI);
    }
}

int WSAAPI select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds, const PTIMEVAL timeout)
{
    fd_set *sets[3] = { readfds, writefds, exceptfds };
    struct select_entry *entries;
    struct linux_pollfd *fds;
    fd_set *copy;
    struct timeval tv;
    int status = 0, count = 0, n = 0, i, j, timeout_ms = -1;
    unsigned int k;
    DWORD start;
    int64_t ret;

    (void)nfds;
    TRACE("%p %p %p %p\n", readfds, writefds, exceptfds, timeout);
    if (!ws2_initialized()) return ws2_fail(WSANOTINITIALISED);
    entries = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, MAX_SELECT * sizeof(*entries));
    fds = HeapAlloc(GetProcessHeap(), 0, 2 * MAX_SELECT * sizeof(*fds));
    /* Three fd_sets are 12 KiB: too much for the stack of a small thread. */
    copy = HeapAlloc(GetProcessHeap(), 0, 3 * sizeof(fd_set));
    if (!entries || !fds || !copy) { status = WSAENOBUFS; goto done; }
    if (timeout)
    {
        if (user_read(&tv, timeout, sizeof(tv)) < 0) { status = WSAEFAULT; goto done; }
        if (tv.tv_sec < 0 || tv.tv_usec < 0) { status = WSAEINVAL; goto done; }
        timeout_ms = tv.tv_sec > 0x7fffffff / 1000 ? 0x7fffffff : tv.tv_sec * 1000 + (tv.tv_usec + 999) / 1000;
    }
    for (i = 0; i < 3; i++)
    {
        if ((status = read_set(sets[i], &copy[i]))) goto done;
        for (k = 0; k < copy[i].fd_count; k++)
        {
            if (!(entries[n].sock = sock_get(copy[i].fd_array[k]))) { status = WSAENOTSOCK; goto done; }
            entries[n++].set = i;
        }
    }
    /* Nothing to wait for is an error on Windows. */
    if (!n) { status = WSAEINVAL; goto done; }

    for (j = 0; j < n; j++)
    {
        if ((status = sock_wake_fd(entries[j].sock))) goto done;
        fds[j].fd = entries[j].sock->fd;
        fds[j].events = poll_events(&entries[j]);
        fds[n + j].fd = entries[j].sock->wake_fd;
        fds[n + j].events = LINUX_POLLIN;
    }
    start = GetTickCount();
    for (;;)
    {
        int left = timeout_ms;

        if (timeout_ms >= 0)
        {
            DWORD spent = GetTickCount() - start;
            left = spent >= (DWORD)timeout_ms ? 0 : timeout_ms - (int)spent;
        }
        for (j = 0; j < 2 * n; j++) fds[j].revents = 0;
        ret = linux_poll(fds, 2 * n, left);
        if (ret == -LINUX_EINTR) continue;
        if (ret < 0) { status = linux_errno_to_wsa(-ret); goto done; }
        for (j = 0; j < n; j++)
            if (fds[n + j].revents || entries[j].sock->closing) { status = WSAEINTR; goto done; }
        for (j = 0; j < n; j++)
            if ((entries[j].ready = is_ready(&entries[j], fds[j].revents))) count++;
        /* POLLERR without our interest may wake poll while nothing is ready. */
        if (count || !ret || left == 0) break;
        Sleep(1);
    }
    for (j = 0; j < n; j++)
        if (entries[j].ready && entries[j].set != 0) InterlockedExchange(&entries[j].sock->connect_pending, 0);

    /* Keep only the ready sockets, in their order. */
    for (i = 0, j = 0; i < 3; i++)
    {
        u_int out = 0;

        for (k = 0; k < copy[i].fd_count; k++, j++)
            if (entries[j].ready) copy[i].fd_array[out++] = copy[i].fd_array[k];
        copy[i].fd_count = out;
        if (sets[i] && user_write(sets[i], &copy[i], offsetof(fd_set, fd_array) + out * sizeof(SOCKET)) < 0)
            status = WSAEFAULT;
    }
done:
    if (entries)
        for (j = 0; j < n; j++) sock_release(entries[j].sock);
    HeapFree(GetProcessHeap(), 0, entries);
    HeapFree(GetProcessHeap(), 0, fds);
    HeapFree(GetProcessHeap(), 0, copy);
    if (status) return ws2_fail(status);
    return count;
}

/* FD_ISSET of Windows' fd_set (an array of SOCKETs, not a bitmap). */
int WSAAPI __WSAFDIsSet(SOCKET s, fd_set *set)
{
    u_int i;

    for (i = 0; i < set->fd_count; i++)
        if (set->fd_array[i] == s) return 1;
    return 0;
}
