/*
 * Socket objects: one per real Linux socket, shared by every handle that
 * names it (in any process).  The Linux socket is always non-blocking: the
 * server must never block, and the DLL's blocking calls wait with poll.
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>
#include <netinet/in.h>
#include "server.h"

struct list all_sockets = { &all_sockets, &all_sockets };
static uint32_t next_id = 1;
static unsigned int nsockets;

static struct ws2_socket *sock_alloc(int fd, int family, int type, int protocol)
{
    struct ws2_socket *sock = calloc(1, sizeof(*sock));

    if (!sock) return NULL;
    sock->id = next_id++;
    sock->fd = fd;
    sock->family = family;
    sock->type = type;
    sock->protocol = protocol;
    list_add_tail(&all_sockets, &sock->entry);
    nsockets++;
    return sock;
}

struct ws2_socket *sock_create(int family, int type, int protocol, int *status)
{
    int lfamily = family_to_linux(family);
    int ltype, fd;
    struct ws2_socket *sock;

    if (lfamily < 0) { *status = WSAEAFNOSUPPORT; return NULL; }
    switch (type)
    {
    case WS_SOCK_STREAM:
        if (protocol && protocol != WS_IPPROTO_TCP) { *status = WSAEPROTONOSUPPORT; return NULL; }
        ltype = SOCK_STREAM;
        protocol = WS_IPPROTO_TCP;
        break;
    case WS_SOCK_DGRAM:
        if (protocol && protocol != WS_IPPROTO_UDP) { *status = WSAEPROTONOSUPPORT; return NULL; }
        ltype = SOCK_DGRAM;
        protocol = WS_IPPROTO_UDP;
        break;
    default:
        *status = WSAESOCKTNOSUPPORT;
        return NULL;
    }
    fd = socket(lfamily, ltype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) { *status = errno_to_wsa(errno); return NULL; }
    if (lfamily == AF_INET6)
    {
        /* Windows' IPv6 sockets are IPv6-only until told otherwise. */
        int on = 1;
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on));
    }
    if (!(sock = sock_alloc(fd, family, type, protocol)))
    {
        close(fd);
        *status = WSAENOBUFS;
        return NULL;
    }
    *status = 0;
    return sock;
}

struct ws2_socket *sock_from_accept(struct ws2_socket *listener, int fd)
{
    struct ws2_socket *sock = sock_alloc(fd, listener->family, listener->type, listener->protocol);

    if (!sock) return NULL;
    /* Windows: an accepted socket starts with the listener's options. */
    sock->state = SOCK_BOUND | SOCK_CONNECTED;
    sock->nonblocking = listener->nonblocking;
    sock->linger = listener->linger;
    sock->reuseaddr = listener->reuseaddr;
    sock->rcvbuf = listener->rcvbuf;
    sock->sndbuf = listener->sndbuf;
    sockopt_apply_inherited(sock);
    return sock;
}

void sock_free(struct ws2_socket *sock)
{
    if (sock->fd >= 0) close(sock->fd);
    list_remove(&sock->entry);
    nsockets--;
    free(sock);
}

unsigned int sock_count(void)
{
    return nsockets;
}
