/*
 * The data path: send and receive straight on our copy of the socket's fd,
 * without the server.  The real socket is always non-blocking; a Windows
 * blocking call waits in poll() on the fd and on the socket's wake-up
 * eventfd, which closesocket signals so that a blocked call returns.
 * The program's buffers go straight into the system calls, so a bad
 * pointer comes back as EFAULT (WSAEFAULT), never as a crash.
 */
#include <string.h>
#include "private.h"
#include "linux.h"

int sock_wake_fd(struct ws2_sock *sock)
{
    if (sock->wake_fd < 0)
    {
        int64_t fd = linux_eventfd(0, LINUX_EFD_CLOEXEC | LINUX_EFD_NONBLOCK);

        if (fd < 0) return WSAENOBUFS;
        if (InterlockedCompareExchange(&sock->wake_fd, fd, -1) != -1) linux_close(fd);
    }
    return 0;
}

int sock_wait(struct ws2_sock *sock, int events, int timeout_ms)
{
    struct linux_pollfd fds[2];
    int64_t ret;
    int status;

    if ((status = sock_wake_fd(sock))) return status;
    /* closesocket may have run before the wake-up fd existed. */
    if (sock->closing) return WSAEINTR;
    fds[0].fd = sock->fd;
    fds[0].events = events;
    fds[1].fd = sock->wake_fd;
    fds[1].events = LINUX_POLLIN;
    do
    {
        fds[0].revents = fds[1].revents = 0;
        ret = linux_poll(fds, 2, timeout_ms);
    } while (ret == -LINUX_EINTR);
    if (ret < 0) return linux_errno_to_wsa(-ret);
    if (fds[1].revents || sock->closing) return WSAEINTR;
    if (!ret) return WSAETIMEDOUT;
    return 0;
}

/* Windows MSG_* flags -> Linux ones; -1 for flags we do not know. */
static int map_flags(int flags, int allowed)
{
    int out = 0;

    if (flags & ~allowed) return -1;
    if (flags & MSG_OOB) out |= LINUX_MSG_OOB;
    if (flags & MSG_PEEK) out |= LINUX_MSG_PEEK;
    if (flags & MSG_DONTROUTE) out |= LINUX_MSG_DONTROUTE;
    if (flags & MSG_WAITALL) out |= LINUX_MSG_WAITALL;
    return out;
}

/* SO_RCVTIMEO/SO_SNDTIMEO (0: none) as a poll timeout. */
static int timeout_of(LONG ms)
{
    return ms > 0 ? ms : -1;
}

/*
 * Windows drops what was received but not read when a reset arrives, and
 * every later recv fails with WSAECONNRESET; Linux hands the data out first.
 * After a read that returned data, look whether a reset is pending.
 */
static int reset_pending(struct ws2_sock *sock)
{
    struct linux_pollfd pfd = { sock->fd, LINUX_POLLIN, 0 };
    uint32_t len = sizeof(int);
    int err = 0;

    if (sock->reset) return 1;
    if (linux_poll(&pfd, 1, 0) <= 0 || !(pfd.revents & LINUX_POLLERR)) return 0;
    if (linux_getsockopt(sock->fd, LINUX_SOL_SOCKET, LINUX_SO_ERROR, &err, &len) < 0 || err != LINUX_ECONNRESET)
        return 0;
    InterlockedExchange(&sock->reset, 1);
    return 1;
}

static int send_error(struct ws2_sock *sock, int err)
{
    /* Linux says EPIPE both after our shutdown and on a never-connected
     * stream socket; Windows tells them apart. */
    if (err == LINUX_EPIPE) return sock->shut_write ? WSAESHUTDOWN : WSAENOTCONN;
    return linux_errno_to_wsa(err);
}

/* A Windows sockaddr from the program -> a Linux one (family renumbered). */
static int read_sockaddr(const struct sockaddr *addr, int len, uint8_t *out, uint32_t *outlen)
{
    uint16_t family;

    if (!addr || len < (int)sizeof(struct sockaddr_in)) return WSAEFAULT;
    *outlen = len > WS2_MAX_ADDR ? WS2_MAX_ADDR : len;
    if (user_read(out, addr, *outlen) < 0) return WSAEFAULT;
    memcpy(&family, out, sizeof(family));
    switch (family)
    {
    case AF_INET: family = LINUX_AF_INET; *outlen = sizeof(struct sockaddr_in); break;
    case AF_INET6:
        if (len < (int)sizeof(struct sockaddr_in6)) return WSAEFAULT;
        family = LINUX_AF_INET6;
        *outlen = sizeof(struct sockaddr_in6);
        break;
    default: return WSAEAFNOSUPPORT;
    }
    memcpy(out, &family, sizeof(family));
    return 0;
}

static int do_send(SOCKET s, const char *buf, int len, int flags, const struct sockaddr *to, int tolen)
{
    struct ws2_sock *sock;
    uint8_t addr[WS2_MAX_ADDR];
    uint32_t addrlen = 0;
    int lflags, status = 0;
    int64_t sent = 0, ret;

    if (!(sock = sock_for_call(s))) return SOCKET_ERROR;
    if (len < 0) status = WSAEINVAL;
    else if ((lflags = map_flags(flags, MSG_OOB | MSG_DONTROUTE)) < 0) status = WSAEOPNOTSUPP;
    else if (to && sock->type == SOCK_DGRAM) status = read_sockaddr(to, tolen, addr, &addrlen);
    if (status) goto done;

    lflags |= LINUX_MSG_DONTWAIT | LINUX_MSG_NOSIGNAL;
    for (;;)
    {
        ret = linux_sendto(sock->fd, buf + sent, len - sent, lflags, addrlen ? addr : NULL, addrlen);
        if (ret >= 0)
        {
            sent += ret;
            /* A blocking stream send returns once everything is queued. */
            if (sent >= len || sock->type != SOCK_STREAM || sock->nonblocking) break;
            continue;
        }
        if (ret == -LINUX_EINTR) continue;
        if (ret == -LINUX_EAGAIN && !sock->nonblocking)
        {
            if ((status = sock_wait(sock, LINUX_POLLOUT, timeout_of(sock->sndtimeo)))) break;
            continue;
        }
        status = send_error(sock, -ret);
        break;
    }
    if (status && sent) status = 0;     /* report what did go out */
    if (status == WSAEWOULDBLOCK) notify_reenable(sock, FD_WRITE);
done:
    sock_release(sock);
    if (status) return ws2_fail(status);
    return sent;
}

int WSAAPI send(SOCKET s, const char *buf, int len, int flags)
{
    TRACE("%#Ix %p %d %#x\n", s, buf, len, flags);
    return do_send(s, buf, len, flags, NULL, 0);
}

int WSAAPI sendto(SOCKET s, const char *buf, int len, int flags, const struct sockaddr *to, int tolen)
{
    TRACE("%#Ix %p %d %#x %p %d\n", s, buf, len, flags, to, tolen);
    return do_send(s, buf, len, flags, to, tolen);
}

static int do_recv(SOCKET s, char *buf, int len, int flags, struct sockaddr *from, int *fromlen)
{
    struct ws2_sock *sock;
    struct linux_iovec iov;
    struct linux_msghdr msg;
    uint8_t addr[WS2_MAX_ADDR];
    int lflags, status = 0, room = 0;
    int64_t got = 0, ret;

    if (!(sock = sock_for_call(s))) return SOCKET_ERROR;
    if (len < 0) status = WSAEINVAL;
    else if ((lflags = map_flags(flags, MSG_OOB | MSG_PEEK | MSG_WAITALL)) < 0) status = WSAEOPNOTSUPP;
    else if (from)
    {
        int need = sock->family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);

        /* Check the address buffer before anything is consumed. */
        if (!fromlen || user_read(&room, fromlen, sizeof(room)) < 0 || room < need) status = WSAEFAULT;
    }
    if (status) goto done;

    if (sock->reset) { status = WSAECONNRESET; goto done; }
    lflags |= LINUX_MSG_DONTWAIT;
    for (;;)
    {
        iov.base = buf + got;
        iov.len = len - got;
        memset(&msg, 0, sizeof(msg));
        msg.iov = &iov;
        msg.iovlen = 1;
        msg.name = addr;
        msg.namelen = sizeof(addr);
        ret = linux_recvmsg(sock->fd, &msg, lflags);
        if (ret > 0 && sock->type == SOCK_STREAM && reset_pending(sock))
        {
            status = WSAECONNRESET;
            break;
        }
        if (ret >= 0)
        {
            got += ret;
            if ((msg.flags & LINUX_MSG_TRUNC) && sock->type == SOCK_DGRAM)
            {
                status = WSAEMSGSIZE;
                got = len;
            }
            /* MSG_WAITALL on a blocking stream: keep reading until full. */
            if (ret && (flags & MSG_WAITALL) && got < len && sock->type == SOCK_STREAM && !sock->nonblocking)
                continue;
            break;
        }
        if (ret == -LINUX_EINTR) continue;
        if (ret == -LINUX_EAGAIN && !sock->nonblocking && !got)
        {
            if ((status = sock_wait(sock, (flags & MSG_OOB) ? LINUX_POLLPRI : LINUX_POLLIN,
                                    timeout_of(sock->rcvtimeo))))
                break;
            continue;
        }
        if (ret == -LINUX_EAGAIN && got) break;
        status = linux_errno_to_wsa(-ret);
        break;
    }
    notify_reenable(sock, (flags & MSG_OOB) ? FD_OOB : FD_READ);
    if (from && (!status || status == WSAEMSGSIZE) && msg.namelen >= sizeof(uint16_t))
    {
        uint16_t family;
        int outlen = msg.namelen > WS2_MAX_ADDR ? WS2_MAX_ADDR : msg.namelen;

        memcpy(&family, addr, sizeof(family));
        family = family == LINUX_AF_INET6 ? AF_INET6 : AF_INET;
        memcpy(addr, &family, sizeof(family));
        if (outlen > room) outlen = room;
        if (user_write(from, addr, outlen) < 0 || user_write(fromlen, &outlen, sizeof(outlen)) < 0)
            status = WSAEFAULT;
    }
done:
    sock_release(sock);
    if (status) return ws2_fail(status);
    return got;
}

int WSAAPI recv(SOCKET s, char *buf, int len, int flags)
{
    TRACE("%#Ix %p %d %#x\n", s, buf, len, flags);
    return do_recv(s, buf, len, flags, NULL, NULL);
}

int WSAAPI recvfrom(SOCKET s, char *buf, int len, int flags, struct sockaddr *from, int *fromlen)
{
    TRACE("%#Ix %p %d %#x %p %p\n", s, buf, len, flags, from, fromlen);
    return do_recv(s, buf, len, flags, from, fromlen);
}
