/*
 * The data path: send and receive straight on our copy of the socket's fd,
 * without the server.  The real socket is always non-blocking; a Windows
 * blocking call waits in poll() on the fd and on the socket's wake-up
 * eventfd, which closesocket signals so that a blocked call returns.
 * The program's buffers go straight into the system calls, so a bad
 * pointer comes back as EFAULT (WSAEFAULT), never as a crash.
 *
 * Every send and receive call, plain or WSA, synchronous or overlapped
 * (overlapped.c), is a `struct xfer` moved by xfer_step().
 */
#include <stddef.h>
#include <string.h>
#include "private.h"
#include "channel.h"
#include "data.h"
#include "notify.h"
#include "sock.h"
#include "sock_impl.h"
#include "sys.h"
#include "usermem.h"
#include "ws2addr.h"

int sock_wake_fd(struct ws2_sock *sock)
{
    if (sock->wake_fd < 0)
    {
        int fd = sys_eventfd();

        if (fd < 0) return WSAENOBUFS;
        if (InterlockedCompareExchange(&sock->wake_fd, fd, -1) != -1) sys_close(fd);
    }
    return 0;
}

int sock_wake_wait(struct ws2_sock *sock, struct wait_fd *fd)
{
    int status;

    if ((status = sock_wake_fd(sock))) return status;
    fd->fd = sock->wake_fd;
    fd->events = WAIT_READ;
    return 0;
}

int sock_woken_error(const struct ws2_sock *sock)
{
    /* A socket of a server that went away is no use any more; otherwise
     * closesocket ended the wait, as on Windows. */
    return sock_generation(sock) != ws2_server_generation() ? WSAENETDOWN : WSAEINTR;
}

/* sock_wait, also telling what poll saw on the socket's fd. */
static int sock_wait_revents(struct ws2_sock *sock, int events, int timeout_ms, int *revents)
{
    struct wait_fd fds[3];
    int ret, status;

    *revents = 0;
    if ((status = sock_wake_fd(sock))) return status;
    for (;;)
    {
        /* closesocket may have run before the wake-up fd existed. */
        if (sock->closing) return sock_woken_error(sock);
        fds[0].fd = sock->fd;
        fds[0].events = events;
        fds[1].fd = sock->wake_fd;
        fds[1].events = WAIT_READ;
        fds[2].fd = ws2_server_watch();
        fds[2].events = WAIT_READ;
        ret = ws2_poll_alertable(fds, fds[2].fd >= 0 ? 3 : 2, timeout_ms);
        if (ret < 0) return -ret;
        if (fds[1].revents || sock->closing) return sock_woken_error(sock);
        if (fds[0].revents || !ret) break;
        /* Only the watch: the server may be gone (then so is this socket). */
        ws2_server_watch_fired();
        if (sock_generation(sock) != ws2_server_generation()) return WSAENETDOWN;
    }
    if (!ret) return WSAETIMEDOUT;
    *revents = fds[0].revents;
    return 0;
}

int sock_wait(struct ws2_sock *sock, int events, int timeout_ms)
{
    int revents;
    return sock_wait_revents(sock, events, timeout_ms, &revents);
}

/* SO_RCVTIMEO/SO_SNDTIMEO (0: none) as a poll timeout. */
static int timeout_of(LONG ms)
{
    return ms > 0 ? ms : -1;
}

int sock_was_reset(const struct ws2_sock *sock)
{
    return sock->reset && sock->type == SOCK_STREAM;
}

/*
 * Windows drops what was received but not read when a reset arrives, and
 * every later recv fails with WSAECONNRESET; the host hands the data out first.
 * After a read that returned data, look whether a reset is pending.
 */
static int reset_pending(struct ws2_sock *sock)
{
    if (sock->reset) return 1;
    if (sys_take_socket_error(sock->fd) != WSAECONNRESET) return 0;
    InterlockedExchange(&sock->reset, 1);
    return 1;
}

/* Whether a UDP port unreachable (connected sockets only: ioctl.c) is
 * reported, as WSAECONNRESET: not once SIO_UDP_CONNRESET turned it off. */
static int dgram_refused(struct ws2_sock *sock)
{
    return !(sock->state & WS2_STATE_NOCONNRST);
}

static int send_error(struct ws2_sock *sock, int err)
{
    /* sys_sendmsg says WSAESHUTDOWN both after a shutdown and on a
     * never-connected stream socket; Windows tells them apart.  The shutdown
     * may have come through a duplicate: ask the server (an error path, no
     * cost to sends). */
    /* A datagram socket with neither a destination nor a peer. */
    if (err == WSAEDESTADDRREQ) return WSAENOTCONN;
    if (err != WSAESHUTDOWN) return err;
    /* After a reset the host says EPIPE; Windows keeps saying WSAECONNRESET. */
    if (sock->reset) return WSAECONNRESET;
    if (!(sock->state & WS2_STATE_SHUT_WRITE)) ws2_sock_call_sock_state(sock, NULL, NULL);
    return (sock->state & WS2_STATE_SHUT_WRITE) ? WSAESHUTDOWN : WSAENOTCONN;
}

/* The program's destination address, checked by Windows' rules
 * (include/ws2addr.h); *outlen is its sockaddr's size. */
static int read_sockaddr(const struct sockaddr *addr, int len, int family, uint8_t *out, uint32_t *outlen)
{
    int status;

    if (!addr) return WSAEFAULT;
    if ((status = ws2addr_check_len(len, family, 0))) return status;
    if (user_read(out, addr, ws2addr_read_len(len)) < 0) return WSAEFAULT;
    if ((status = ws2addr_check(out, ws2addr_read_len(len), family))) return status;
    *outlen = ws2addr_size(family);
    return 0;
}

int xfer_init(struct xfer *x, struct ws2_sock *sock, int send, const WSABUF *bufs, DWORD count,
              int flags, const struct sockaddr *to, int tolen)
{
    WSABUF local[XFER_MAX_IOV];
    DWORD i;
    int status;

    /* The arrays at the end are written before they are read. */
    memset(x, 0, offsetof(struct xfer, iov));
    x->send = send;
    x->flags = flags;
    /* A receive needs a buffer array, if only of empty buffers. */
    if (!send && !count) return WSAEINVAL;
    if (count > XFER_MAX_IOV) return WSAENOBUFS;
    if (!bufs || user_read(local, bufs, count * sizeof(*bufs)) < 0) return WSAEFAULT;
    for (i = 0; i < count; i++)
    {
        if ((int)local[i].len < 0) return WSAEINVAL;
        x->iov[i].base = local[i].buf;
        x->iov[i].len = local[i].len;
        x->total += local[i].len;
    }
    x->iovcnt = count;
    if (flags & ~(send ? MSG_OOB | MSG_DONTROUTE : MSG_OOB | MSG_PEEK | MSG_WAITALL)) return WSAEOPNOTSUPP;
    if (send && to && sock->type != SOCK_STREAM &&
        (status = read_sockaddr(to, tolen, sock->family, x->addr, &x->addrlen)))
        return status;
    return 0;
}

/* The iovecs of what is still to move, after `done` bytes. */
static unsigned int remaining_iov(const struct xfer *x, struct sys_iov *out)
{
    uint64_t skip = x->done;
    unsigned int i, n = 0;

    for (i = 0; i < x->iovcnt; i++)
    {
        if (skip >= x->iov[i].len)
        {
            skip -= x->iov[i].len;
            continue;
        }
        out[n].base = (char *)x->iov[i].base + skip;
        out[n++].len = x->iov[i].len - skip;
        skip = 0;
    }
    return n;
}

/*
 * Write watches (MEM_WRITE_WATCH, GetWriteWatch).  Windows counts the pages
 * of a receive's buffers as written when it locks them, which it does when
 * the receive starts (before it waits, or on its first attempt); the data
 * it writes there later does not count again, so a watch reset while the
 * receive waits shows none of its pages.
 *
 * Wine keeps the pages it watches read-only at the host level and records
 * a write when the program faults on one; the kernel writing there for
 * recvmsg gets EFAULT instead.  So a receive touches each page of its
 * buffers from here once (xfer_fault_in: Wine records the writes and opens
 * the pages), and a receive that faults after that (a watch was reset
 * meanwhile) notes the watched pages not written since, opens them, and
 * resets their watch after recvmsg wrote them.
 *
 * Touching costs a VirtualQuery (a few microseconds in Wine), so a
 * blocking receive only touches before it waits once some receive of the
 * process has met a watched page (watch_seen); before that only a watch
 * read while such a receive waits could tell.  A pending one always does.
 */
#define PAGE 0x1000

static volatile LONG watch_seen;

/* Each writable committed page of the buffers is written (with a value
 * it already has); 1 if any was (the receive is worth retrying). */
static int fault_in(const struct sys_iov *iov, unsigned int count)
{
    unsigned int i;
    int touched = 0;

    for (i = 0; i < count; i++)
    {
        char *p = iov[i].base, *end = p + iov[i].len;

        while (p < end)
        {
            MEMORY_BASIC_INFORMATION info;
            char *next;

            if (!VirtualQuery(p, &info, sizeof(info)) || info.State != MEM_COMMIT ||
                (info.Protect & (PAGE_GUARD | PAGE_NOACCESS)) ||
                !(info.Protect & (PAGE_READWRITE | PAGE_WRITECOPY | PAGE_EXECUTE_READWRITE | PAGE_EXECUTE_WRITECOPY)))
                return touched;
            next = (char *)info.BaseAddress + info.RegionSize;
            for (; p < end && p < next; p = (char *)(((ULONG_PTR)p | (PAGE - 1)) + 1))
            {
                /* A locked no-op: another thread writing the page meanwhile keeps its byte. */
                InterlockedOr((volatile LONG *)((ULONG_PTR)p & ~(ULONG_PTR)3), 0);
                touched = 1;
            }
        }
    }
    return touched;
}

void xfer_fault_in(struct xfer *x)
{
    struct sys_iov iov[XFER_MAX_IOV];

    if (x->send || x->locked) return;
    x->locked = 1;
    fault_in(iov, remaining_iov(x, iov));
}

/* Runs of watched pages that have not been written since their watch was reset. */
struct page_run
{
    char *base;
    SIZE_T len;
};

struct clean_pages
{
    struct page_run *runs;
    unsigned int count, room;
};

static void note_clean(struct clean_pages *c, char *page)
{
    if (c->count && c->runs[c->count - 1].base + c->runs[c->count - 1].len == page)
    {
        c->runs[c->count - 1].len += PAGE;
        return;
    }
    if (c->count == c->room)
    {
        unsigned int room = c->room ? 2 * c->room : 16;
        void *runs = c->runs ? HeapReAlloc(GetProcessHeap(), 0, c->runs, room * sizeof(*c->runs))
                             : HeapAlloc(GetProcessHeap(), 0, room * sizeof(*c->runs));

        if (!runs) return; /* that page will count as written */
        c->runs = runs;
        c->room = room;
    }
    c->runs[c->count].base = page;
    c->runs[c->count++].len = PAGE;
}

/* The clean watched pages of the buffers (GetWriteWatch fails on memory
 * without a watch: nothing to note there). */
static void find_clean(const struct sys_iov *iov, unsigned int count, struct clean_pages *c)
{
    unsigned int i;

    for (i = 0; i < count; i++)
    {
        char *p = (char *)((ULONG_PTR)iov[i].base & ~(ULONG_PTR)(PAGE - 1));
        char *end = (char *)iov[i].base + iov[i].len;

        while (p < end)
        {
            MEMORY_BASIC_INFORMATION info;
            void *written[64];
            ULONG_PTR n = 64, j = 0;
            ULONG page_size;
            char *stop, *q;

            if (!VirtualQuery(p, &info, sizeof(info)) || info.State != MEM_COMMIT) break;
            stop = (char *)info.BaseAddress + info.RegionSize;
            if (stop > p + 64 * PAGE) stop = p + 64 * PAGE;
            if (stop > end) stop = (char *)(((ULONG_PTR)end + PAGE - 1) & ~(ULONG_PTR)(PAGE - 1));
            if (!GetWriteWatch(0, p, stop - p, written, &n, &page_size))
                for (q = p; q < stop; q += PAGE)
                {
                    while (j < n && (char *)written[j] < q) j++;
                    if (j == n || (char *)written[j] != q) note_clean(c, q);
                }
            p = stop;
        }
    }
}

/* recvmsg into buffers that faulted; the negative WSA error on failure. */
static int64_t recv_faulted(struct ws2_sock *sock, struct xfer *x, struct sys_msg *msg)
{
    struct clean_pages clean = { NULL, 0, 0 };
    unsigned int i;
    int64_t ret;

    if (!x->locked)
    {
        /* The receive's start: its pages count as written. */
        x->locked = 1;
        if (!fault_in(msg->iov, msg->iovcnt)) return -WSAEFAULT;
        watch_seen = 1;
        return sys_recvmsg(sock->fd, msg, x->flags);
    }
    watch_seen = 1;
    find_clean(msg->iov, msg->iovcnt, &clean);
    ret = fault_in(msg->iov, msg->iovcnt) ? sys_recvmsg(sock->fd, msg, x->flags) : -WSAEFAULT;
    for (i = 0; i < clean.count; i++) ResetWriteWatch(clean.runs[i].base, clean.runs[i].len);
    HeapFree(GetProcessHeap(), 0, clean.runs);
    return ret;
}

int xfer_step(struct ws2_sock *sock, struct xfer *x)
{
    struct sys_iov iov[XFER_MAX_IOV];
    struct sys_msg msg;
    int64_t ret;

    msg.iov = iov;
    msg.iovcnt = remaining_iov(x, iov);
    /* A receive asks for the source only when the caller has room for it. */
    msg.addr = x->send || x->from_room ? x->addr : NULL;
    msg.addrlen = x->addrlen;
    msg.control = x->msg && !x->send ? x->control : NULL;
    msg.controllen = x->control_room;
    msg.ctrunc = 0;
    if (x->send)
    {
        ret = sys_sendmsg(sock->fd, &msg, x->flags);
        /* Linux hands an earlier datagram's port unreachable to the next
         * send; Windows keeps it for a receive (dgram_refused). */
        if (ret == -WSAECONNREFUSED && sock->type == SOCK_DGRAM)
        {
            InterlockedExchange(&sock->unreachable, 1);
            ret = sys_sendmsg(sock->fd, &msg, x->flags);
        }
        if (ret < 0) return send_error(sock, (int)-ret);
        x->done += ret;
        /* A stream send is complete when everything is queued. */
        if (sock->type == SOCK_STREAM && x->done < x->total) return WSAEWOULDBLOCK;
        return 0;
    }
    if (sock->reset && sock->type == SOCK_STREAM) return WSAECONNRESET;
    /* Windows refuses a receive that starts after shutdown(SD_RECEIVE); one
     * that was waiting already still takes what comes. */
    if (!x->started && (sock->state & WS2_STATE_SHUT_READ)) return WSAESHUTDOWN;
    x->started = 1;
    /* Read first: the exchange is a locked instruction on every receive. */
    if (sock->type == SOCK_DGRAM && sock->unreachable && InterlockedExchange(&sock->unreachable, 0) &&
        dgram_refused(sock))
        return WSAECONNRESET;
    ret = sys_recvmsg(sock->fd, &msg, x->flags);
    if (ret == -WSAEFAULT) ret = recv_faulted(sock, x, &msg);
    if (ret == -WSAECONNREFUSED && sock->type == SOCK_DGRAM)
    {
        if (dgram_refused(sock)) return WSAECONNRESET;
        ret = sys_recvmsg(sock->fd, &msg, x->flags); /* the error is taken: what is queued now */
    }
    /* Windows refuses a receive on a datagram socket that has no address
     * yet (the host would wait); a send may have bound it meanwhile. */
    if (ret == -WSAEWOULDBLOCK && sock->type == SOCK_DGRAM && !(sock->state & WS2_STATE_BOUND) &&
        !sys_socket_bound(sock->fd))
        return WSAEINVAL;
    if (ret < 0)
    {
        /* The host reports a reset once; Windows fails every later receive
         * with it (two pending receives both end with WSAECONNRESET). */
        if (ret == -WSAECONNRESET && sock->type == SOCK_STREAM) InterlockedExchange(&sock->reset, 1);
        return (int)-ret;
    }
    /* Right after a poll that saw no error the reset check is not needed. */
    if (ret > 0 && sock->type == SOCK_STREAM && !x->clean_poll && reset_pending(sock)) return WSAECONNRESET;
    x->clean_poll = 0;
    x->done += ret;
    x->addrlen = msg.addrlen;
    if (msg.control)
    {
        x->control_len = msg.controllen;
        if (msg.ctrunc) x->msg_flags |= MSG_CTRUNC;
    }
    if (msg.truncated && sock->type != SOCK_STREAM)
    {
        x->done = x->total;
        x->msg_flags |= MSG_TRUNC;
        return WSAEMSGSIZE;
    }
    /* Control data that did not fit fails the receive as a short buffer does. */
    if (x->msg_flags & MSG_CTRUNC) return WSAEMSGSIZE;
    /* MSG_WAITALL: a stream receive goes on until the buffers are full. */
    if ((x->flags & MSG_WAITALL) && ret && x->done < x->total && sock->type == SOCK_STREAM)
        return WSAEWOULDBLOCK;
    return 0;
}

/*
 * Whether a blocking receive waits for the fd before its first attempt.
 * An attempt that finds nothing costs a system call, and so does the
 * attempt that finds data on a connected stream: the reset check after it
 * (reset_pending), which a poll that saw no error makes unneeded.  So a
 * connected stream always polls first: two calls whether data is there or
 * not, where trying first costs two or three.  A datagram receive that
 * finds data costs one call: it polls first only while receives keep having
 * to wait (recv_waits, counting them), and every RECV_RETRY_EVERY-th of
 * those tries first all the same, the only way to see that data has come
 * to be there ahead of the reads.
 */
#define RECV_RETRY_EVERY 8

static int recv_polls_first(struct ws2_sock *sock, const struct xfer *x, int nonblocking)
{
    LONG waits;

    if (x->send || nonblocking) return 0;
    /* A receive that fails at once (a reset, after shutdown(SD_RECEIVE), on
     * a listener, MSG_OOB without urgent data) is not kept waiting. */
    if (sock->type == SOCK_STREAM)
        return !sock->reset && ((!(x->flags & MSG_OOB) &&
                                 (sock->state & (WS2_STATE_CONNECTED | WS2_STATE_LISTENING | WS2_STATE_SHUT_READ)) ==
                                     WS2_STATE_CONNECTED) ||
                                sock->recv_waits);
    if (!(waits = sock->recv_waits) || sock->unreachable) return 0;
    /* Threads receiving on one socket at once may lose a count: no matter. */
    sock->recv_waits = waits + 1;
    return waits % RECV_RETRY_EVERY != 0;
}

int xfer_run(struct ws2_sock *sock, struct xfer *x)
{
    int events = x->send ? WAIT_WRITE : (x->flags & MSG_OOB) ? WAIT_PRI
                                                             : WAIT_READ;
    int nonblocking = !x->whole && sock_is_nonblocking(sock);
    int timeout = x->whole ? -1 : timeout_of(x->send ? sock_sndtimeo(sock) : sock_rcvtimeo(sock));
    int status, revents, waited = 0, polled_first = 0;

    if (recv_polls_first(sock, x, nonblocking))
    {
        if (watch_seen) xfer_fault_in(x);
        if ((status = sock_wait_revents(sock, events, timeout, &revents))) goto done;
        x->clean_poll = !(revents & (WAIT_ERROR | WAIT_HANGUP));
        polled_first = 1;
    }
    for (;;)
    {
        status = xfer_step(sock, x);
        if (status != WSAEWOULDBLOCK) break;
        /* A non-blocking socket takes what it can: WAITALL/partial sends end here. */
        if (nonblocking)
        {
            if (x->done) status = 0;
            break;
        }
        if (watch_seen) xfer_fault_in(x);
        if ((status = sock_wait_revents(sock, events, timeout, &revents))) break;
        x->clean_poll = !(revents & (WAIT_ERROR | WAIT_HANGUP));
        waited = 1;
    }
    /* What a receive that tried first learned (a poll first tells nothing). */
    if (!x->send && !polled_first) sock->recv_waits = waited;
done:
    /* A send that got some bytes out reports them, not the error after. */
    if (x->send && status && status != WSAEWOULDBLOCK && x->done) status = 0;
    notify_reenable(sock, x->send                ? (status == WSAEWOULDBLOCK ? FD_WRITE : 0)
                          : (x->flags & MSG_OOB) ? FD_OOB
                                                 : FD_READ);
    return status;
}

/* The source address of a receive, out to the program (Windows layout). */
int xfer_write_from(struct xfer *x, struct sockaddr *from, int *fromlen)
{
    int len;

    if (!from || !x->addrlen) return 0;
    len = (int)x->addrlen > x->from_room ? x->from_room : (int)x->addrlen;
    return user_write2(from, x->addr, len, fromlen, &len, sizeof(len)) < 0 ? WSAEFAULT : 0;
}

int xfer_want_control(struct xfer *x, WSAMSG *msg)
{
    WSABUF control;

    if (user_read(&control, &msg->Control, sizeof(control)) < 0) return WSAEFAULT;
    x->msg = msg;
    x->control_out = control.buf;
    /* Room beyond what every option together makes stays unused. */
    x->control_room = control.len < XFER_CONTROL_MAX ? control.len : XFER_CONTROL_MAX;
    return 0;
}

int xfer_write_msg(struct xfer *x)
{
    ULONG len = x->control_len;

    if (!x->msg) return 0;
    if (len && user_write(x->control_out, x->control, len) < 0) return WSAEFAULT;
    if (user_write(&x->msg->Control.len, &len, sizeof(len)) < 0) return WSAEFAULT;
    return user_write(&x->msg->dwFlags, &x->msg_flags, sizeof(x->msg_flags)) < 0 ? WSAEFAULT : 0;
}

/* Check (from, fromlen) before anything is consumed; keeps the room. */
int xfer_check_from(struct ws2_sock *sock, struct xfer *x, struct sockaddr *from, int *fromlen)
{
    if (!from) return 0;
    if (!fromlen || user_read(&x->from_room, fromlen, sizeof(x->from_room)) < 0) return WSAEFAULT;
    return ws2addr_check_room(x->from_room, sock->family);
}

static int do_send(SOCKET s, const char *buf, int len, int flags, const struct sockaddr *to, int tolen)
{
    WSABUF wsabuf = { len, (char *)buf };
    struct ws2_sock *sock;
    struct xfer x;
    int status;

    if (!(sock = sock_for_call(s))) return SOCKET_ERROR;
    if (len < 0) status = WSAEINVAL;
    else if (!(status = xfer_init(&x, sock, 1, &wsabuf, 1, flags, to, tolen))) status = xfer_run(sock, &x);
    sock_release(sock);
    /* Windows clears the last error when a transfer succeeds. */
    return status ? ws2_fail(status) : (WSASetLastError(0), (int)x.done);
}

int WSAAPI send(SOCKET s, const char *buf, int len, int flags)
{
    TRACE("%#Ix %p %d %s\n", s, buf, len, debugstr_msg_flags(flags));
    return do_send(s, buf, len, flags, NULL, 0);
}

int WSAAPI sendto(SOCKET s, const char *buf, int len, int flags, const struct sockaddr *to, int tolen)
{
    TRACE("%#Ix %p %d %s %s len %d\n", s, buf, len, debugstr_msg_flags(flags), debugstr_sockaddr(to, tolen), tolen);
    return do_send(s, buf, len, flags, to, tolen);
}

static int do_recv(SOCKET s, char *buf, int len, int flags, struct sockaddr *from, int *fromlen)
{
    WSABUF wsabuf = { len, buf };
    struct ws2_sock *sock;
    struct xfer x;
    int status;

    if (!(sock = sock_for_call(s))) return SOCKET_ERROR;
    /* A negative length is a buffer of 4 GB to Windows, which the call
     * cannot write (Wine's test_read_events, run on Windows). */
    if (len < 0) status = WSAEFAULT;
    else if (!(status = xfer_init(&x, sock, 0, &wsabuf, 1, flags, NULL, 0)) &&
             !(status = xfer_check_from(sock, &x, from, fromlen)))
    {
        status = xfer_run(sock, &x);
        if ((!status || status == WSAEMSGSIZE) && xfer_write_from(&x, from, fromlen)) status = WSAEFAULT;
    }
    sock_release(sock);
    /* Windows clears the last error when a transfer succeeds. */
    return status ? ws2_fail(status) : (WSASetLastError(0), (int)x.done);
}

int WSAAPI recv(SOCKET s, char *buf, int len, int flags)
{
    TRACE("%#Ix %p %d %s\n", s, buf, len, debugstr_msg_flags(flags));
    return do_recv(s, buf, len, flags, NULL, NULL);
}

int WSAAPI recvfrom(SOCKET s, char *buf, int len, int flags, struct sockaddr *from, int *fromlen)
{
    TRACE("%#Ix %p %d %s %p %p\n", s, buf, len, debugstr_msg_flags(flags), from, fromlen);
    return do_recv(s, buf, len, flags, from, fromlen);
}
