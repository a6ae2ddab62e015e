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

/*
 * The protocols we provide, in Windows' catalogue order.  socket() picks the
 * first entry matching the (family, type, protocol) it is given, where 0
 * means "any"; Windows' errors for a miss are reproduced below.
 */
static const struct protocol_entry
{
    int family, type, protocol;
    int linux_family, linux_type;
}
protocols[] =
{
    { WS_AF_INET,  WS_SOCK_STREAM, WS_IPPROTO_TCP, AF_INET,  SOCK_STREAM },
    { WS_AF_INET,  WS_SOCK_DGRAM,  WS_IPPROTO_UDP, AF_INET,  SOCK_DGRAM },
    { WS_AF_INET6, WS_SOCK_STREAM, WS_IPPROTO_TCP, AF_INET6, SOCK_STREAM },
    { WS_AF_INET6, WS_SOCK_DGRAM,  WS_IPPROTO_UDP, AF_INET6, SOCK_DGRAM },
};

static const struct protocol_entry *find_protocol(int family, int type, int protocol, int *status)
{
    unsigned int i;

    /* Neither a family nor a protocol: nothing to choose by. */
    if (!family && !protocol) { *status = WSAEINVAL; return NULL; }
    if (family && family != WS_AF_INET && family != WS_AF_INET6) { *status = WSAEAFNOSUPPORT; return NULL; }
    for (i = 0; i < sizeof(protocols) / sizeof(protocols[0]); i++)
    {
        const struct protocol_entry *p = &protocols[i];

        if ((!family || p->family == family) && (!type || p->type == type) &&
            (!protocol || p->protocol == protocol))
        {
            *status = 0;
            return p;
        }
    }
    /* A type Windows knows but no such protocol for it, or an unknown type. */
    *status = (!type || type == WS_SOCK_STREAM || type == WS_SOCK_DGRAM || type == WS_SOCK_RAW)
              ? WSAEPROTONOSUPPORT : WSAESOCKTNOSUPPORT;
    return NULL;
}

struct ws2_socket *sock_create(int family, int type, int protocol, int *status)
{
    const struct protocol_entry *p = find_protocol(family, type, protocol, status);
    struct ws2_socket *sock;
    int fd;

    if (!p) return NULL;
    fd = socket(p->linux_family, p->linux_type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) { *status = errno_to_wsa(errno); return NULL; }
    if (p->linux_family == AF_INET6)
    {
        /* Windows' IPv6 sockets are IPv6-only until told otherwise. */
        int on = 1;
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on));
    }
    if (!(sock = sock_alloc(fd, p->family, p->type, p->protocol)))
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
    sock->rcvtimeo = listener->rcvtimeo;
    sock->sndtimeo = listener->sndtimeo;
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
