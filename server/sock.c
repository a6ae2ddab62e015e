/*
 * Socket objects: one per real Linux socket, shared by every handle that
 * names it (in any process).  The Linux socket is always non-blocking: the
 * server must never block, and the DLL's blocking calls wait with poll.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <linux/icmp.h>
#include "ws.h"
#include "list.h"
#include "loop.h"
#include "sock.h"
#include "addr.h"
#include "errors.h"
#include "sockopt.h"
#include "linger.h"
#include "shared.h"
#include "ws2protoinfo.h"

struct list all_sockets = { &all_sockets, &all_sockets };
static uint32_t next_id = 1;
static unsigned int nsockets;

/* A socket object in slot `slot` of the shared region (taken already). */
static struct ws2_socket *sock_alloc(int fd, int family, int type, int protocol, uint32_t slot)
{
    struct ws2_socket *sock = calloc(1, sizeof(*sock));

    if (!sock) return NULL;
    sock->id = sock_new_id();
    sock->slot = slot;
    sock->shared = shared_slot(slot);
    /* The slot is this socket's from now: a stale handle elsewhere can tell. */
    ws2_shared_store(&sock->shared->id, sock->id);
    sock->fd = fd;
    sock->family = family;
    sock->type = type;
    sock->protocol = protocol;
    sock->refs = 1; /* the creator's, for the first handle */
    list_add_tail(&all_sockets, &sock->entry);
    nsockets++;
    return sock;
}

/*
 * The protocols we provide, in Windows' catalogue order (the table shared
 * with the DLL).  socket() picks the first entry matching the (family,
 * type, protocol) it is given, where 0 means "any"; Windows' errors for a
 * miss are reproduced below.
 */
/* clang-format off */
static const struct protocol_entry protocols[] =
{
#define WS2P_(name) WS_##name
#define WS2_PROTOCOL(f, t, p, off, flags, pflags, size, id, name) { f, t, p, off, flags, pflags, size, id, name },
#include "ws2protocols.h"
#undef WS2_PROTOCOL
#undef WS2P_
};
/* clang-format on */

int sock_protocol_info(const struct ws2_socket *sock, WSAPROTOCOL_INFOW *info)
{
    unsigned int i;

    for (i = 0; i < sizeof(protocols) / sizeof(protocols[0]); i++)
    {
        const struct protocol_entry *p = &protocols[i];

        if (p->family != sock->family || p->type != sock->type) continue;
        ws2_fill_protocol_info(info, p, p->family == WS_AF_INET6);
        return 0;
    }
    return -1;
}

struct ws2_socket *sock_create(int family, int type, int protocol, int *status)
{
    return sock_create_in(family, type, protocol, 0, 0, status);
}

static const struct protocol_entry *find_protocol(int family, int type, int protocol, int *status)
{
    return ws2_find_protocol(protocols, sizeof(protocols) / sizeof(protocols[0]), family, type, protocol, status);
}

uint32_t sock_new_id(void)
{
    if (!next_id) next_id++; /* 0 means "no socket" */
    return next_id++;
}

/* The Linux type and protocol of a socket of entry `p` asked with `protocol`. */
static void linux_kind(const struct protocol_entry *p, int protocol, int *lx_type, int *lx_protocol)
{
    *lx_type = p->type == WS_SOCK_STREAM ? SOCK_STREAM : p->type == WS_SOCK_RAW ? SOCK_RAW
                                                                                : SOCK_DGRAM;
    /* Linux has no raw protocol 0 (EPROTONOSUPPORT); IPPROTO_RAW is the
     * host's socket that sends any IP protocol. */
    *lx_protocol = p->type == WS_SOCK_RAW ? (protocol ? protocol : IPPROTO_RAW) : 0;
}

/* The socket object for `fd` in `slot` (taken), with id `id` (0: a new one). */
static struct ws2_socket *sock_wrap(int fd, const struct protocol_entry *p, int protocol, uint32_t id, uint32_t slot,
                                    int *status)
{
    struct ws2_socket *sock = sock_alloc(fd, p->family, p->type, ws2_protocol_of(p, protocol), slot);

    if (!sock)
    {
        *status = WSAENOBUFS;
        return NULL;
    }
    if (id) sock->id = id;
    ws2_shared_store(&sock->shared->id, sock->id);
    *status = 0;
    return sock;
}

struct ws2_socket *sock_create_in(int family, int type, int protocol, uint32_t owner, uint32_t slot, int *status)
{
    const struct protocol_entry *p = find_protocol(family, type, protocol, status);
    struct ws2_socket *sock;
    int fd, lx_type, lx_protocol;

    if (!p) return NULL;
    /* The slot a process names must be one it reserved; WSAENOBUFS as
     * when no slot is left.  A slot the server picked is nobody's again
     * on failure. */
    if (!slot) owner = 0;
    if (!(slot = shared_take(owner, slot)))
    {
        *status = WSAENOBUFS;
        return NULL;
    }
    linux_kind(p, protocol, &lx_type, &lx_protocol);
    /* A raw socket of the host needs CAP_NET_RAW: EPERM is WSAEACCES,
     * Windows' answer to a program without the privilege. */
    fd = socket(family_to_linux(p->family), lx_type | SOCK_NONBLOCK | SOCK_CLOEXEC, lx_protocol);
    if (fd < 0)
    {
        shared_untake(owner, slot);
        *status = errno_to_wsa(errno);
        return NULL;
    }
    if (p->type == WS_SOCK_RAW && p->family == WS_AF_INET && lx_protocol == IPPROTO_ICMP)
    {
        /* Windows answers echo requests itself and gives a raw ICMP socket
         * the reply only (Wine's test_icmp, passing on Windows, reads the
         * reply to each echo it sends to 127.0.0.1); Linux hands the raw
         * socket the looped-back request as well.  (The DLL does the same
         * for the sockets it makes.) */
        struct icmp_filter filter = { 1u << ICMP_ECHO };
        setsockopt(fd, SOL_RAW, ICMP_FILTER, &filter, sizeof(filter));
    }
    if (p->family == WS_AF_INET6)
    {
        /* Windows' IPv6 sockets are IPv6-only until told otherwise. */
        int on = 1;
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on));
    }
    if (!(sock = sock_wrap(fd, p, protocol, 0, slot, status)))
    {
        shared_untake(owner, slot);
        close(fd);
        return NULL;
    }
    sockopt_defaults(sock);
    return sock;
}

/* Whether `fd` is a Linux socket of the kind a socket of entry `p` is. */
static int fd_is_kind(int fd, const struct protocol_entry *p, int protocol)
{
    int domain = -1, type = -1, proto = -1, lx_type, lx_protocol, flags;
    socklen_t len = sizeof(int);

    linux_kind(p, protocol, &lx_type, &lx_protocol);
    if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len) < 0 || domain != family_to_linux(p->family)) return 0;
    len = sizeof(int);
    if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) < 0 || type != lx_type) return 0;
    /* A raw socket's protocol is its own; a stream or datagram socket of
     * another protocol (MPTCP, a ping socket) would only fool its owner. */
    len = sizeof(int);
    if (lx_protocol && (getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &proto, &len) < 0 || proto != lx_protocol)) return 0;
    /* The server must never block on it. */
    return (flags = fcntl(fd, F_GETFL)) >= 0 && (flags & O_NONBLOCK);
}

struct ws2_socket *sock_register_fd(int fd, int family, int type, int protocol, uint32_t owner, uint32_t slot,
                                    int *status)
{
    const struct protocol_entry *p = find_protocol(family, type, protocol, status);
    struct ws2_socket *sock;
    uint32_t id;

    if (!p) return NULL;
    /* The DLL made it for this call: anything else is refused.  (A process
     * can only pass fds it holds, so a socket it already has gains nothing
     * by being named again.) */
    if (!fd_is_kind(fd, p, protocol))
    {
        *status = WSAEINVAL;
        return NULL;
    }
    if (!slot || !(id = shared_reserved_id(owner, slot)) || !shared_take(owner, slot))
    {
        *status = WSAENOBUFS;
        return NULL;
    }
    if (!(sock = sock_wrap(fd, p, protocol, id, slot, status))) shared_untake(owner, slot);
    /* Its options' defaults: the DLL wrote them into the slot and onto the
     * socket before sending it (sockopt_defaults). */
    return sock;
}

/* Every snapshot gets the next serial, 0 excepted (it means "no socket"):
 * the DLL keeps the newest one it has seen. */
void sock_state(const struct ws2_socket *sock, struct ws2_sock_state *out)
{
    static uint32_t serial;
    uint32_t linger = ws2_shared_load(&sock->shared->linger); /* l_onoff | l_linger << 16 */

    if (!++serial) ++serial;
    out->serial = serial;
    out->state = sock->state | (sock->nonblocking ? WS2_STATE_NONBLOCKING : 0) |
                 (sock->no_connreset ? WS2_STATE_NOCONNRST : 0) | (sock->deferred ? WS2_STATE_DEFERRED : 0) |
                 (linger & 0xffff && linger >> 16 ? WS2_STATE_LINGER_TIMED : 0) |
                 (sock->refs > 1 ? WS2_STATE_SHARED : 0);
    out->rcvtimeo = ws2_shared_load(&sock->shared->rcvtimeo);
    out->sndtimeo = ws2_shared_load(&sock->shared->sndtimeo);
    /* The getters in the DLL read the state bits from the slot. */
    ws2_shared_store(&sock->shared->state, out->state);
}

int sock_bound(struct ws2_socket *sock)
{
    struct sockaddr_storage sa;
    socklen_t salen = sizeof(sa);
    in_port_t port = 0;

    if (sock->state & SOCK_BOUND) return 1;
    /* A send (made by the DLL, on its copy of the fd) binds an unbound
     * datagram socket: the host gave it a port. */
    if (getsockname(sock->fd, (struct sockaddr *)&sa, &salen) < 0) return 0;
    if (sa.ss_family == AF_INET) port = ((struct sockaddr_in *)&sa)->sin_port;
    else if (sa.ss_family == AF_INET6) port = ((struct sockaddr_in6 *)&sa)->sin6_port;
    if (!port) return 0;
    sock->state |= SOCK_BOUND;
    return 1;
}

void sock_connected(struct ws2_socket *sock)
{
    sock->state = (sock->state & ~SOCK_CONNECTING) | SOCK_BOUND | SOCK_CONNECTED;
    sock->connected_ms = now_ms();
}

struct ws2_socket *sock_from_accept(struct ws2_socket *listener, int fd)
{
    uint32_t slot = shared_take(0, 0);
    struct ws2_socket *sock = slot ? sock_alloc(fd, listener->family, listener->type, listener->protocol, slot) : NULL;

    if (!sock)
    {
        shared_put(slot);
        return NULL;
    }
    /* Windows: an accepted socket starts with the listener's options. */
    sock_connected(sock);
    sock->nonblocking = listener->nonblocking;
    sockopt_inherit(sock, listener);
    return sock;
}

void sock_ref(struct ws2_socket *sock)
{
    sock->refs++;
}

/* The reference-count contract is described at the top of sock.h. */
int sock_unref(struct ws2_socket *sock, struct ws2_client *waiter)
{
    if (sock->refs > 1)
    {
        sock->refs--;
        return 0;
    }
    /* The last reference: the linger engine decides, and keeps it while
     * the socket drains (a listener has nothing to drain).  A connection
     * the listener kept goes with it, as the backlog does. */
    if (sock->deferred)
    {
        struct ws2_socket *deferred = sock->deferred;

        sock->deferred = NULL;
        sock_unref(deferred, NULL);
    }
    return linger_close(sock, waiter);
}

/* Close and forget a socket: the linger engine's last step. */
void sock_free(struct ws2_socket *sock)
{
    if (sock->fd >= 0) close(sock->fd);
    shared_put(sock->slot);
    free(sock->shut_peer);
    list_remove(&sock->entry);
    nsockets--;
    free(sock);
}

unsigned int sock_count(void)
{
    return nsockets;
}
