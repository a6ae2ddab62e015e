/*
 * bind() with Windows' address-sharing rules.
 *
 * Windows decides whether a second socket may bind a port already bound by
 * the first from the SO_REUSEADDR / SO_EXCLUSIVEADDRUSE settings of both and
 * whether each address is the wildcard or a specific one (the table in
 * "Using SO_REUSEADDR and SO_EXCLUSIVEADDRUSE").  Linux' rules differ, so
 * the server, which owns every socket of the prefix, applies Windows' table
 * itself and then lets the kernel share the port (SO_REUSEADDR, and
 * SO_REUSEPORT for TCP, set just before an explicit bind).  Sockets of other
 * programs on the machine still meet the kernel's own rules.
 *
 * Two details come from what Windows does beyond the page's table:
 * - an IPv4-mapped IPv6 address (::ffff:a.b.c.d) is the IPv4 address it maps;
 * - against a dual-stack IPv6 wildcard, an IPv4 address counts as a specific
 *   one, even 0.0.0.0 (so a plain "::" and a plain "0.0.0.0" coexist).
 * When TCP listeners share an address, Windows hands the connections to the
 * first one; Linux' SO_REUSEPORT spreads them by hash, so every listener
 * gives its group a one-instruction program that picks the first member
 * (the earliest listener still open).
 */
#include <errno.h>
#include <string.h>
#include <net/if.h>
#include <netinet/in.h>
#include <linux/filter.h>
#include "ws.h"
#include "list.h"
#include "sock.h"
#include "errors.h"
#include "bind.h"

enum share_mode
{
    SHARE_DEFAULT,
    SHARE_REUSE,
    SHARE_EXCLUSIVE
};
enum verdict
{
    OK,
    INUSE,
    ACCESS
};

/* [first][second], each (mode * 2 + specific): the table of the page. */
/* clang-format off */
static const unsigned char bind_table[6][6] =
{
    /*                 D,W    D,S    R,W     R,S     E,W    E,S */
    /* Default W */  { INUSE, OK,    ACCESS, OK,     INUSE, OK },
    /* Default S */  { OK,    INUSE, OK,     ACCESS, INUSE, INUSE },
    /* Reuse W */    { INUSE, OK,    OK,     OK,     INUSE, OK },
    /* Reuse S */    { OK,    INUSE, OK,     OK,     INUSE, INUSE },
    /* Exclusive W */{ INUSE, ACCESS, ACCESS, ACCESS, INUSE, ACCESS },
    /* Exclusive S */{ OK,    INUSE, OK,     ACCESS, INUSE, INUSE },
};
/* clang-format on */

struct bound
{
    int family; /* AF_INET or AF_INET6 (Linux) */
    int wildcard;
    int v6only;
    uint16_t port;
    uint8_t addr[16];
};

static int describe(const struct sockaddr *sa, struct bound *b)
{
    memset(b, 0, sizeof(*b));
    b->family = sa->sa_family;
    if (sa->sa_family == AF_INET)
    {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
        b->port = in->sin_port;
        memcpy(b->addr, &in->sin_addr, 4);
        b->wildcard = in->sin_addr.s_addr == htonl(INADDR_ANY);
        return 0;
    }
    if (sa->sa_family == AF_INET6)
    {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
        b->port = in6->sin6_port;
        memcpy(b->addr, &in6->sin6_addr, 16);
        b->wildcard = IN6_IS_ADDR_UNSPECIFIED(&in6->sin6_addr);
        if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr))
        {
            b->family = AF_INET;
            memmove(b->addr, b->addr + 12, 4);
            memset(b->addr + 4, 0, 12);
            b->wildcard = !memcmp(b->addr, "\0\0\0\0", 4);
        }
        return 0;
    }
    return -1;
}

static int v6only(int fd)
{
    int on = 1;
    socklen_t len = sizeof(on);

    getsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, &len);
    return on;
}

/* Do two bound addresses cover a common address (same port assumed)? */
static int overlap(const struct bound *a, const struct bound *b)
{
    if (a->family != b->family)
    {
        /* An IPv4 bind and an IPv6 one meet only through a dual-stack :: */
        const struct bound *v6 = a->family == AF_INET6 ? a : b;
        return v6->wildcard && !v6->v6only;
    }
    if (a->wildcard || b->wildcard) return 1;
    return !memcmp(a->addr, b->addr, a->family == AF_INET ? 4 : 16);
}

static int mode_of(const struct ws2_socket *sock, int wildcard)
{
    /* As the program set them, in the socket's slot (any process may have). */
    uint32_t share = ws2_shared_load(&sock->shared->share);
    int mode = share & WS2_SHARE_EXCLUSIVE ? SHARE_EXCLUSIVE : share & WS2_SHARE_REUSEADDR ? SHARE_REUSE
                                                                                           : SHARE_DEFAULT;
    return mode * 2 + !wildcard;
}

/* The kernel's own check would refuse what Windows allows: our sockets
 * share ports, and the table above decides.  Set after an ephemeral bind,
 * so that the kernel never hands out a port in use. */
static void share_port(struct ws2_socket *sock)
{
    int on = 1;

    setsockopt(sock->fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
    if (sock->type == WS_SOCK_STREAM) setsockopt(sock->fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof(on));
}

/* Once listening, the socket is in the kernel's group of listeners of its
 * address (possibly alone); the group then answers with its member 0.  Not
 * earlier: a socket that has a group before listen() cannot join another. */
void bind_listening(struct ws2_socket *sock)
{
    static struct sock_filter first_member[] = { BPF_STMT(BPF_RET | BPF_K, 0) };
    static const struct sock_fprog prog = { 1, first_member };

    setsockopt(sock->fd, SOL_SOCKET, SO_ATTACH_REUSEPORT_CBPF, &prog, sizeof(prog));
}

int bind_socket(struct ws2_socket *sock, const struct sockaddr *sa, socklen_t salen)
{
    struct bound want, other;
    struct list *e;

    if (describe(sa, &want) < 0) return WSAEAFNOSUPPORT;
    /* Windows checks every scope id; Linux only those of link-local addresses. */
    if (sa->sa_family == AF_INET6 && ((const struct sockaddr_in6 *)sa)->sin6_scope_id)
    {
        char name[IF_NAMESIZE];

        if (!if_indextoname(((const struct sockaddr_in6 *)sa)->sin6_scope_id, name)) return WSAEADDRNOTAVAIL;
    }
    want.v6only = want.family == AF_INET6 ? v6only(sock->fd) : 1;
    if (want.port)
    {
        for (e = all_sockets.next; e != &all_sockets; e = e->next)
        {
            struct ws2_socket *s = LIST_ENTRY(e, struct ws2_socket, entry);
            struct sockaddr_storage ss;
            socklen_t len = sizeof(ss);
            int verdict;

            if (s == sock || !(s->state & SOCK_BOUND) || s->type != sock->type) continue;
            if (getsockname(s->fd, (struct sockaddr *)&ss, &len) < 0 || describe((struct sockaddr *)&ss, &other) < 0)
                continue;
            if (other.port != want.port) continue;
            other.v6only = other.family == AF_INET6 ? v6only(s->fd) : 1;
            if (!overlap(&want, &other)) continue;
            if (other.family == want.family)
                verdict = bind_table[mode_of(s, other.wildcard)][mode_of(sock, want.wildcard)];
            else if (other.family == AF_INET) /* the IPv4 side is specific next to a dual-stack :: */
                verdict = bind_table[mode_of(s, 0)][mode_of(sock, want.wildcard)];
            else verdict = bind_table[mode_of(s, other.wildcard)][mode_of(sock, 0)];
            if (verdict == INUSE) return WSAEADDRINUSE;
            if (verdict == ACCESS) return WSAEACCES;
        }
        /* Windows allowed it: let the kernel share the port with our others. */
        share_port(sock);
    }
    if (bind(sock->fd, sa, salen) < 0) return errno_to_wsa(errno);
    /* A port the kernel picked is ours alone; sharing it later must work. */
    if (!want.port) share_port(sock);
    return 0;
}
