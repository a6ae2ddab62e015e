/*
 * The seed inputs of the fuzzer, made from the request list
 * (include/ws2requests.h): for every op one well-formed message on its own,
 * and for every op that names a socket the same after a SOCKET (TCP, UDP,
 * IPv6), so a new op gets seeds without a change here; and from the option
 * table (server/sockopt.c): every option set and got on each kind of
 * socket.  Then the sequences that reach what one message cannot: connect
 * and accept on loopback (and a deferred accept), the linger cases with
 * data in flight (a close that waits, times out, meets another request, or
 * would block), duplication (also to the other process), WSACleanup, every
 * lookup (answered, and with its client gone), HELLO's rules and deadline,
 * a registration taken over by another process, and a range of options.
 * The format is harness.c's; ports are fixed, since the fuzzer runs in a
 * network of its own.
 */
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include "ws.h"
#include "ws2proto.h"
#include "protocol.h"
#include "sockopt.h"
#include "harness.h"

#define SEQ FUZZ_FIX_HEADER /* connection 0, header checked by the harness */

/* Ports of the sequences, one per seed that binds. */
enum
{
    PORT_TCP = 47101,
    PORT_LINGER,
    PORT_UDP,
    PORT_V6,
    PORT_SHARE,
    PORT_DEFER,
};

struct seed
{
    uint8_t bytes[16384];
    size_t len;
    unsigned int messages;
};

/* The message under construction. */
static union
{
    struct ws2_req_header hdr;
    struct ws2_hello_request hello;
    struct ws2_socket_request socket;
    struct ws2_addr_request addr;
    struct ws2_int_request value;
    struct ws2_sockopt_request sockopt;
    struct ws2_ioctl_request ioctl;
    struct ws2_duplicate_request duplicate;
    struct ws2_dup_open_request dup_open;
    struct ws2_getaddrinfo_request getaddrinfo;
    struct ws2_getnameinfo_request getnameinfo;
    struct ws2_gethostbyname_request gethostbyname;
    struct ws2_gethostbyaddr_request gethostbyaddr;
    struct ws2_getserv_request getserv;
    uint8_t bytes[WS2_MAX_MESSAGE];
} m;

static void append(struct seed *s, const void *data, size_t len)
{
    if (!len || s->len + len > sizeof(s->bytes)) return;
    memcpy(s->bytes + s->len, data, len);
    s->len += len;
}

/* The first message goes raw to connection 0; any other one, or a first
 * one with a control byte, after the separator. */
static void add(struct seed *s, uint8_t ctl, const void *data, size_t len)
{
    if (s->messages || ctl)
    {
        append(s, FUZZ_SEPARATOR, FUZZ_SEPARATOR_LEN);
        append(s, &ctl, 1);
    }
    append(s, data, len);
    s->messages++;
}

static void msg(uint32_t op, uint32_t handle)
{
    memset(&m, 0, sizeof(m));
    m.hdr.op = op;
    m.hdr.size = protocol_fixed_size(op);
    m.hdr.handle = handle;
}

static void put(struct seed *s, uint8_t ctl)
{
    add(s, ctl, &m, m.hdr.size);
}

/* Time passes (1 ms << 2(k - 1)); lookups are answered first. */
static void wait_k(struct seed *s, unsigned int k)
{
    add(s, FUZZ_TIME(k), NULL, 0);
}

static void op_bare(struct seed *s, uint8_t ctl, uint32_t op, uint32_t handle)
{
    msg(op, handle);
    put(s, ctl);
}

static void op_socket(struct seed *s, uint8_t ctl, int family, int type)
{
    msg(WS2_OP_SOCKET, 0);
    m.socket.family = family;
    m.socket.type = type;
    put(s, ctl);
}

static void op_int(struct seed *s, uint8_t ctl, uint32_t op, uint32_t handle, int32_t value)
{
    msg(op, handle);
    m.value.value = value;
    put(s, ctl);
}

/* BIND or CONNECT to an address in text form, IPv4 or IPv6. */
static void op_addr(struct seed *s, uint8_t ctl, uint32_t op, uint32_t handle, const char *ip, uint16_t port)
{
    msg(op, handle);
    if (strchr(ip, ':'))
    {
        struct sockaddr_in6 sin6;

        memset(&sin6, 0, sizeof(sin6));
        sin6.sin6_family = WS_AF_INET6;
        sin6.sin6_port = htons(port);
        inet_pton(AF_INET6, ip, &sin6.sin6_addr);
        memcpy(m.addr.addr, &sin6, sizeof(sin6));
        m.addr.addrlen = sizeof(sin6);
    }
    else
    {
        struct sockaddr_in sin;

        memset(&sin, 0, sizeof(sin));
        sin.sin_family = WS_AF_INET;
        sin.sin_port = htons(port);
        inet_pton(AF_INET, ip, &sin.sin_addr);
        memcpy(m.addr.addr, &sin, sizeof(sin));
        m.addr.addrlen = sizeof(sin);
    }
    put(s, ctl);
}

static void op_setsockopt(struct seed *s, uint8_t ctl, uint32_t handle, int level, int name, const void *value,
                          uint32_t len)
{
    msg(WS2_OP_SETSOCKOPT, handle);
    m.sockopt.level = level;
    m.sockopt.name = name;
    m.sockopt.optlen = len;
    m.sockopt.datalen = len;
    if (len) memcpy(m.sockopt.data, value, len);
    m.hdr.size += len;
    put(s, ctl);
}

static void op_setint(struct seed *s, uint8_t ctl, uint32_t handle, int level, int name, uint32_t value)
{
    op_setsockopt(s, ctl, handle, level, name, &value, sizeof(value));
}

static void op_getsockopt(struct seed *s, uint8_t ctl, uint32_t handle, int level, int name, int32_t optlen)
{
    msg(WS2_OP_GETSOCKOPT, handle);
    m.sockopt.level = level;
    m.sockopt.name = name;
    m.sockopt.optlen = optlen;
    m.sockopt.optval_addr = 0x10000;
    put(s, ctl);
}

static void op_ioctl(struct seed *s, uint8_t ctl, uint32_t handle, uint32_t command, uint32_t value)
{
    msg(WS2_OP_IOCTL, handle);
    m.ioctl.command = command;
    m.ioctl.value = value;
    put(s, ctl);
}

static void op_linger(struct seed *s, uint8_t ctl, uint32_t handle, uint16_t onoff, uint16_t seconds)
{
    op_setint(s, ctl, handle, WS_SOL_SOCKET, WS_SO_LINGER, onoff | (uint32_t)seconds << 16);
}

typedef void (*seed_out)(const char *name, const uint8_t *data, size_t size, void *ctx);

/* ------------------------------------------------------------ the list */

static const struct
{
    uint32_t op;
    const char *name;
    int flags;
}
/* clang-format off */
ops[] =
{
#define X(OP, name, request, reply, flags, shape, check, dump) { WS2_OP_##OP, #name, WS2_REQ_FLAGS(flags) },
    WS2_REQUESTS(X)
#undef X
};
/* clang-format on */

static void list_seeds(seed_out out, void *ctx)
{
    static const struct
    {
        const char *name;
        int family, type;
    } kinds[] = {
        { "tcp", WS_AF_INET, WS_SOCK_STREAM },
        { "udp", WS_AF_INET, WS_SOCK_DGRAM },
        { "tcp6", WS_AF_INET6, WS_SOCK_STREAM },
    };
    struct seed s;
    char name[64];
    unsigned int i, j;

    for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
    {
        memset(&s, 0, sizeof(s));
        op_bare(&s, 0, ops[i].op, 1);
        snprintf(name, sizeof(name), "op-%s", ops[i].name);
        out(name, s.bytes, s.len, ctx);
        if (!(ops[i].flags & WS2_REQ_HANDLE)) continue;
        for (j = 0; j < sizeof(kinds) / sizeof(kinds[0]); j++)
        {
            memset(&s, 0, sizeof(s));
            op_socket(&s, 0, kinds[j].family, kinds[j].type);
            op_bare(&s, SEQ, ops[i].op, 1);
            snprintf(name, sizeof(name), "op-%s-%s", ops[i].name, kinds[j].name);
            out(name, s.bytes, s.len, ctx);
        }
    }
}

/* ------------------------------------------------------------ options */

/* For every row of the option table (server/sockopt.c): set and get it on
 * a TCP, UDP, TCP6 and UDP6 socket, with lengths below, at and above its
 * size; the value is a multicast membership for the struct options. */
static void option_seeds(seed_out out, void *ctx)
{
    static const uint8_t mreq[40] = { 239, 1, 2, 3, 127, 0, 0, 1, 127, 0, 0, 1 };
    static const uint8_t mreq6[40] = { 0xff, 2, [15] = 1, [16] = 1 };
    static const uint32_t one = 1;
    static struct seed s;
    const uint8_t *value;
    char name[80];
    int level, opt;
    uint32_t h, i;

    for (i = 0; !sockopt_row(i, &level, &opt); i++)
    {
        memset(&s, 0, sizeof(s));
        value = level == WS_IPPROTO_IPV6 ? mreq6 : mreq;
        op_socket(&s, 0, WS_AF_INET, WS_SOCK_STREAM);
        op_socket(&s, SEQ, WS_AF_INET, WS_SOCK_DGRAM);
        op_socket(&s, SEQ, WS_AF_INET6, WS_SOCK_STREAM);
        op_socket(&s, SEQ, WS_AF_INET6, WS_SOCK_DGRAM);
        for (h = 1; h <= 4; h++)
        {
            op_setsockopt(&s, SEQ, h, level, opt, &one, sizeof(one));
            op_setsockopt(&s, SEQ, h, level, opt, value, sizeof(mreq));
            op_getsockopt(&s, SEQ, h, level, opt, 4);
            if (h != 1 && h != 4) continue;
            op_getsockopt(&s, SEQ, h, level, opt, 1);
            op_getsockopt(&s, SEQ, h, level, opt, 700);
        }
        snprintf(name, sizeof(name), "opt-%s", sockopt_name(level, opt));
        out(name, s.bytes, s.len, ctx);
    }
}

/* ------------------------------------------------------------ sequences */

/* A listener (handle 1) on 127.0.0.1:port and a socket (handle 2)
 * connected to it, not accepted yet. */
static void tcp_pair(struct seed *s, uint16_t port)
{
    op_socket(s, SEQ, WS_AF_INET, WS_SOCK_STREAM);
    op_addr(s, SEQ, WS2_OP_BIND, 1, "127.0.0.1", port);
    op_int(s, SEQ, WS2_OP_LISTEN, 1, 5);
    op_socket(s, SEQ, WS_AF_INET, WS_SOCK_STREAM);
    op_addr(s, SEQ, WS2_OP_CONNECT, 2, "127.0.0.1", port);
    op_bare(s, SEQ, WS2_OP_CONNECT_DONE, 2);
}

static void seed_connect_accept(struct seed *s)
{
    tcp_pair(s, PORT_TCP);
    op_bare(s, SEQ, WS2_OP_ACCEPT, 1);
    op_bare(s, SEQ, WS2_OP_GETPEERNAME, 3);
    op_bare(s, SEQ, WS2_OP_GETSOCKNAME, 2);
    op_getsockopt(s, SEQ, 3, WS_SOL_SOCKET, WS_SO_CONNECT_TIME, 4);
    op_getsockopt(s, SEQ, 3, WS_SOL_SOCKET, WS_SO_BSP_STATE, 200);
    op_ioctl(s, SEQ | FUZZ_FILL, 3, WS2_IOCTL_FIONREAD, 0);
    op_ioctl(s, SEQ, 2, WS2_IOCTL_FIONREAD, 0);
    op_int(s, SEQ, WS2_OP_SHUTDOWN, 2, 1);
    op_addr(s, SEQ, WS2_OP_CONNECT, 2, "127.0.0.1", PORT_TCP);
    op_bare(s, SEQ, WS2_OP_CLOSE, 3);
    op_bare(s, SEQ, WS2_OP_CLOSE, 2);
    op_bare(s, SEQ, WS2_OP_CLOSE, 1);
}

/* WSAAccept's CF_DEFER: the listener keeps an accepted connection for its
 * next accept; and one it keeps goes with it. */
static void seed_defer(struct seed *s)
{
    tcp_pair(s, PORT_DEFER);
    op_bare(s, SEQ, WS2_OP_ACCEPT, 1);
    op_int(s, SEQ, WS2_OP_DEFER, 1, 3);
    op_bare(s, SEQ, WS2_OP_CLOSE, 3);
    op_int(s, SEQ, WS2_OP_DEFER, 1, 2);
    op_bare(s, SEQ, WS2_OP_SOCK_STATE, 1);
    op_bare(s, SEQ, WS2_OP_ACCEPT, 1);
    op_int(s, SEQ, WS2_OP_DEFER, 1, 3);
    op_bare(s, SEQ, WS2_OP_CLOSE, 3);
    op_bare(s, SEQ, WS2_OP_CLOSE, 1);
}

/* Handle 2 connected, linger {1,5}, its send queue full: its close waits. */
static void lingering(struct seed *s)
{
    uint32_t size = 4096;

    op_socket(s, SEQ, WS_AF_INET, WS_SOCK_STREAM);
    op_setint(s, SEQ, 1, WS_SOL_SOCKET, WS_SO_RCVBUF, size);
    op_addr(s, SEQ, WS2_OP_BIND, 1, "127.0.0.1", PORT_LINGER);
    op_int(s, SEQ, WS2_OP_LISTEN, 1, 1);
    op_socket(s, SEQ, WS_AF_INET, WS_SOCK_STREAM);
    op_setint(s, SEQ, 2, WS_SOL_SOCKET, WS_SO_SNDBUF, size);
    op_addr(s, SEQ, WS2_OP_CONNECT, 2, "127.0.0.1", PORT_LINGER);
    op_bare(s, SEQ | FUZZ_FILL, WS2_OP_CONNECT_DONE, 2);
    op_linger(s, SEQ, 2, 1, 5);
}

static void seed_linger_timeout(struct seed *s)
{
    lingering(s);
    op_bare(s, SEQ, WS2_OP_CLOSE, 2);
    wait_k(s, 8); /* 16 s: past the linger time, the close resets */
    op_bare(s, SEQ, WS2_OP_SERVER_STATS, 0);
}

static void seed_linger_interrupted(struct seed *s)
{
    lingering(s);
    op_bare(s, SEQ, WS2_OP_CLOSE, 2);
    /* Another request while the close waits: the connection is dropped. */
    op_bare(s, SEQ, WS2_OP_SERVER_STATS, 0);
    op_bare(s, SEQ | 1, WS2_OP_CLEANUP, 0);
    op_bare(s, SEQ, WS2_OP_SERVER_STATS, 0);
}

static void seed_linger_threads(struct seed *s)
{
    lingering(s);
    op_bare(s, SEQ, WS2_OP_CLOSE, 2);
    op_bare(s, SEQ | 1, WS2_OP_ACCEPT, 1);
    op_bare(s, SEQ | 1, WS2_OP_CLOSE, 1);
    wait_k(s, 3);
    op_bare(s, SEQ | 1, WS2_OP_CLEANUP, 0);
}

static void seed_linger_nonblocking(struct seed *s)
{
    lingering(s);
    op_ioctl(s, SEQ, 2, WS2_IOCTL_FIONBIO, 1);
    op_bare(s, SEQ, WS2_OP_CLOSE, 2); /* WSAEWOULDBLOCK, the handle stays */
    op_int(s, SEQ, WS2_OP_SHUTDOWN, 2, 1);
    op_bare(s, SEQ, WS2_OP_CLOSE, 2);
}

static void seed_linger_abortive(struct seed *s)
{
    lingering(s);
    op_linger(s, SEQ, 2, 1, 0);
    op_bare(s, SEQ, WS2_OP_ACCEPT, 1);
    op_bare(s, SEQ, WS2_OP_CLOSE, 2);
    op_ioctl(s, SEQ, 3, WS2_IOCTL_FIONREAD, 0);
}

static void seed_udp(struct seed *s)
{
    uint8_t mreq[8] = { 239, 1, 2, 3, 127, 0, 0, 1 };

    op_socket(s, SEQ, WS_AF_INET, WS_SOCK_DGRAM);
    op_addr(s, SEQ, WS2_OP_BIND, 1, "127.0.0.1", PORT_UDP);
    op_addr(s, SEQ | FUZZ_FILL, WS2_OP_CONNECT, 1, "127.0.0.1", PORT_UDP);
    op_ioctl(s, SEQ, 1, WS2_IOCTL_FIONREAD, 0);
    op_ioctl(s, SEQ, 1, WS2_IOCTL_UDP_CONNRESET, 0);
    op_ioctl(s, SEQ, 1, WS2_IOCTL_UDP_NETRESET, 1);
    op_getsockopt(s, SEQ, 1, WS_SOL_SOCKET, WS_SO_MAX_MSG_SIZE, 4);
    op_setsockopt(s, SEQ, 1, WS_IPPROTO_IP, WS_IP_ADD_MEMBERSHIP, mreq, sizeof(mreq));
    op_setsockopt(s, SEQ, 1, WS_IPPROTO_IP, WS_IP_DROP_MEMBERSHIP, mreq, sizeof(mreq));
    op_setint(s, SEQ, 1, WS_IPPROTO_IP, WS_IP_TTL, 7);
    op_getsockopt(s, SEQ, 1, WS_IPPROTO_IP, WS_IP_TTL, 1);
    op_setint(s, SEQ, 1, WS_IPPROTO_IP, WS_IP_MULTICAST_IF, htonl(1));
    op_bare(s, SEQ, WS2_OP_GETPEERNAME, 1);
}

static void seed_ipv6(struct seed *s)
{
    uint8_t off = 0;

    op_socket(s, SEQ, WS_AF_INET6, WS_SOCK_STREAM);
    op_setsockopt(s, SEQ, 1, WS_IPPROTO_IPV6, WS_IPV6_V6ONLY, &off, 1);
    op_addr(s, SEQ, WS2_OP_BIND, 1, "::", PORT_V6);
    op_int(s, SEQ, WS2_OP_LISTEN, 1, 100000);
    op_socket(s, SEQ, WS_AF_INET6, WS_SOCK_STREAM);
    op_addr(s, SEQ, WS2_OP_CONNECT, 2, "::1", PORT_V6);
    op_bare(s, SEQ, WS2_OP_CONNECT_DONE, 2);
    op_bare(s, SEQ, WS2_OP_ACCEPT, 1);
    op_getsockopt(s, SEQ, 3, WS_SOL_SOCKET, WS_SO_BSP_STATE, 200);
    op_getsockopt(s, SEQ, 3, WS_SOL_SOCKET, WS_SO_PROTOCOL_INFOW, 700);
    op_getsockopt(s, SEQ, 2, WS_SOL_SOCKET, WS_SO_PROTOCOL_INFOA, 10);
    op_setint(s, SEQ, 3, WS_IPPROTO_IPV6, WS_IPV6_MTU_DISCOVER, 2);
    op_socket(s, SEQ, WS_AF_INET, WS_SOCK_STREAM);
    op_addr(s, SEQ, WS2_OP_CONNECT, 4, "127.0.0.1", PORT_V6);
}

static void seed_duplicate(struct seed *s)
{
    op_socket(s, SEQ, WS_AF_INET, WS_SOCK_STREAM);
    msg(WS2_OP_DUPLICATE, 1);
    m.duplicate.target_win_pid = FUZZ_WIN_PID;
    put(s, SEQ);
    msg(WS2_OP_DUP_OPEN, 0);
    m.dup_open.token[0] = 0; /* the first offer of the input */
    put(s, SEQ | 1);
    op_bare(s, SEQ, WS2_OP_CLOSE, 1);
    op_bare(s, SEQ | 1, WS2_OP_SOCK_STATE, 2);
    msg(WS2_OP_DUPLICATE, 2);
    m.duplicate.target_win_pid = 999; /* never claimed: it expires */
    put(s, SEQ);
    /* To the other process, which claims it after this one closed its own. */
    m.duplicate.target_win_pid = FUZZ_OTHER_WIN_PID;
    put(s, SEQ);
    op_bare(s, SEQ, WS2_OP_CLOSE, 2);
    msg(WS2_OP_DUP_OPEN, 0);
    m.dup_open.token[0] = 2;
    put(s, SEQ | FUZZ_OTHER);
    op_bare(s, SEQ | FUZZ_OTHER, WS2_OP_SOCK_STATE, 1);
    wait_k(s, 10);
    op_bare(s, SEQ, WS2_OP_SERVER_STATS, 0);
}

static void seed_cleanup(struct seed *s)
{
    op_socket(s, SEQ, WS_AF_INET, WS_SOCK_STREAM);
    op_socket(s, SEQ, WS_AF_INET, WS_SOCK_DGRAM);
    msg(WS2_OP_DUPLICATE, 2);
    m.duplicate.target_win_pid = FUZZ_WIN_PID;
    put(s, SEQ);
    op_bare(s, SEQ | 1, WS2_OP_CLEANUP, 0);
    op_bare(s, SEQ, WS2_OP_CLOSE, 1);
    op_socket(s, SEQ, WS_AF_INET6, WS_SOCK_DGRAM);
}

static void seed_getaddrinfo(struct seed *s)
{
    msg(WS2_OP_GETADDRINFO, 0);
    m.getaddrinfo.present = WS2_RESOLVE_NODE | WS2_RESOLVE_SERVICE | WS2_RESOLVE_HINTS;
    m.getaddrinfo.flags = WS_AI_CANONNAME;
    m.getaddrinfo.family = WS_AF_INET;
    m.getaddrinfo.socktype = WS_SOCK_STREAM;
    strcpy(m.getaddrinfo.node, "localhost");
    strcpy(m.getaddrinfo.service, "80");
    put(s, SEQ);
    wait_k(s, 1);
    m.getaddrinfo.present = WS2_RESOLVE_NODE | WS2_RESOLVE_HINTS;
    m.getaddrinfo.flags = WS_AI_NUMERICHOST | WS_AI_PASSIVE;
    m.getaddrinfo.family = 0;
    strcpy(m.getaddrinfo.node, "::1");
    put(s, SEQ);
    wait_k(s, 1);
    m.getaddrinfo.present = WS2_RESOLVE_NODE;
    m.getaddrinfo.node[0] = 0; /* the local machine */
    put(s, SEQ);
    /* The next one before the answer: the connection is dropped. */
    put(s, SEQ);
    put(s, SEQ | 1);
}

static void seed_getnameinfo(struct seed *s)
{
    struct sockaddr_in sin;

    memset(&sin, 0, sizeof(sin));
    sin.sin_family = WS_AF_INET;
    sin.sin_port = htons(80);
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    msg(WS2_OP_GETNAMEINFO, 0);
    m.getnameinfo.flags = WS_NI_NUMERICSERV;
    m.getnameinfo.want = WS2_NAMEINFO_HOST | WS2_NAMEINFO_SERVICE;
    m.getnameinfo.addrlen = sizeof(sin);
    memcpy(m.getnameinfo.addr, &sin, sizeof(sin));
    put(s, SEQ);
    wait_k(s, 1);
    m.getnameinfo.flags = WS_NI_NUMERICHOST | WS_NI_DGRAM;
    m.getnameinfo.want = WS2_NAMEINFO_SERVICE;
    put(s, SEQ);
}

static void seed_hostent(struct seed *s)
{
    uint8_t loopback[4] = { 127, 0, 0, 1 };

    msg(WS2_OP_GETHOSTBYNAME, 0);
    put(s, SEQ); /* "": the local host */
    wait_k(s, 1);
    strcpy(m.gethostbyname.name, "localhost");
    put(s, SEQ);
    wait_k(s, 1);
    msg(WS2_OP_GETHOSTBYADDR, 0);
    m.gethostbyaddr.family = WS_AF_INET;
    m.gethostbyaddr.addrlen = 4;
    memcpy(m.gethostbyaddr.addr, loopback, 4);
    put(s, SEQ | 1);
    /* Its client goes before the answer. */
    add(s, SEQ | 1, NULL, 0);
    wait_k(s, 1);
}

static void seed_getserv(struct seed *s)
{
    msg(WS2_OP_GETSERV, 0);
    m.getserv.port = 80;
    strcpy(m.getserv.proto, "tcp");
    put(s, SEQ);
    wait_k(s, 1);
    m.getserv.port = -1;
    strcpy(m.getserv.name, "domain");
    m.getserv.proto[0] = 0;
    put(s, SEQ);
    wait_k(s, 1);
    op_bare(s, SEQ, WS2_OP_INTERFACES, 0);
}

/* Connection 3 says HELLO itself, after breaking the rules. */
static void seed_hello(struct seed *s)
{
    op_socket(s, SEQ | FUZZ_NO_HELLO, WS_AF_INET, WS_SOCK_STREAM);
    msg(WS2_OP_HELLO, 0);
    m.hello.version = WS2_PROTOCOL_VERSION + 1;
    put(s, SEQ | FUZZ_NO_HELLO);
    m.hello.version = WS2_PROTOCOL_VERSION;
    m.hello.win_pid = FUZZ_WIN_PID;
    put(s, SEQ | FUZZ_NO_HELLO);
    put(s, SEQ | FUZZ_NO_HELLO);
    op_socket(s, SEQ | FUZZ_NO_HELLO, WS_AF_INET, WS_SOCK_DGRAM);
    op_bare(s, SEQ, WS2_OP_CLOSE, 1);
}

/* A connection that never says HELLO is dropped after 5 s. */
static void seed_hello_deadline(struct seed *s)
{
    add(s, FUZZ_NO_HELLO, NULL, 0);
    wait_k(s, 7);
    wait_k(s, 7);
    op_bare(s, SEQ | FUZZ_NO_HELLO, WS2_OP_SERVER_STATS, 0);
}

/* A registration for network events taken over by another process: the
 * first one's subscribed connection hears of it. */
static void seed_subscribe(struct seed *s)
{
    op_bare(s, SEQ | 1, WS2_OP_SUBSCRIBE, 0);
    op_socket(s, SEQ, WS_AF_INET, WS_SOCK_DGRAM);
    op_bare(s, SEQ, WS2_OP_SELECT_CLAIM, 1);
    msg(WS2_OP_DUPLICATE, 1);
    m.duplicate.target_win_pid = FUZZ_OTHER_WIN_PID;
    put(s, SEQ);
    msg(WS2_OP_DUP_OPEN, 0);
    put(s, SEQ | FUZZ_OTHER);
    op_bare(s, SEQ | FUZZ_OTHER, WS2_OP_SUBSCRIBE, 0);
    op_bare(s, SEQ | FUZZ_OTHER, WS2_OP_SELECT_CLAIM, 1);
    op_bare(s, SEQ, WS2_OP_SELECT_CLAIM, 1);
    op_bare(s, SEQ | 1, WS2_OP_CLOSE, 1);
    op_bare(s, SEQ | FUZZ_OTHER, WS2_OP_CLEANUP, 0);
}

static void seed_sockopts(struct seed *s)
{
    uint8_t ip_options[4] = { 1, 1, 1, 0 }, byte = 1;

    op_socket(s, SEQ, WS_AF_INET, WS_SOCK_STREAM);
    op_setint(s, SEQ, 1, WS_SOL_SOCKET, WS_SO_RCVBUF, 8192);
    op_getsockopt(s, SEQ, 1, WS_SOL_SOCKET, WS_SO_RCVBUF, 2);
    op_setsockopt(s, SEQ, 1, WS_IPPROTO_TCP, WS_TCP_NODELAY, &byte, 1);
    op_getsockopt(s, SEQ, 1, WS_IPPROTO_TCP, WS_TCP_NODELAY, 4);
    op_setsockopt(s, SEQ, 1, WS_SOL_SOCKET, WS_SO_KEEPALIVE, &byte, 1);
    op_setint(s, SEQ, 1, WS_IPPROTO_TCP, WS_TCP_KEEPALIVE, 30);
    op_getsockopt(s, SEQ, 1, WS_IPPROTO_TCP, WS_TCP_KEEPALIVE, 1);
    op_setsockopt(s, SEQ, 1, WS_IPPROTO_IP, WS_IP_OPTIONS, ip_options, sizeof(ip_options));
    op_getsockopt(s, SEQ, 1, WS_IPPROTO_IP, WS_IP_OPTIONS, 40);
    op_setint(s, SEQ, 1, WS_SOL_SOCKET, WS_SO_ERROR, WSAECONNRESET);
    op_getsockopt(s, SEQ, 1, WS_SOL_SOCKET, WS_SO_ERROR, 4);
    op_setint(s, SEQ, 1, WS_SOL_SOCKET, WS_SO_REUSEADDR, 1);
    op_setint(s, SEQ, 1, WS_SOL_SOCKET, WS_SO_EXCLUSIVEADDRUSE, 1);
    op_setint(s, SEQ, 1, WS_SOL_SOCKET, WS_SO_DONTLINGER, 0);
    op_getsockopt(s, SEQ, 1, WS_SOL_SOCKET, WS_SO_LINGER, 2);
    op_setint(s, SEQ, 1, WS_SOL_SOCKET, WS_SO_RCVTIMEO, 1500);
    op_setint(s, SEQ, 1, WS_IPPROTO_IP, WS_IP_MTU_DISCOVER, 2);
    op_setint(s, SEQ, 1, WS_IPPROTO_IP, WS_IP_DONTFRAGMENT, 0);
    op_getsockopt(s, SEQ, 1, WS_IPPROTO_IP, WS_IP_DONTFRAGMENT, 1);
    op_getsockopt(s, SEQ, 1, 0x1234, 1, 4);
    op_getsockopt(s, SEQ, 1, WS_SOL_SOCKET, WS_SO_TYPE, -1);
    op_setsockopt(s, SEQ, 1, WS_SOL_SOCKET, WS_SO_UPDATE_CONNECT_CONTEXT, NULL, 0);
}

/* Windows' address-sharing rules between sockets of the server. */
static void seed_bind_sharing(struct seed *s)
{
    op_socket(s, SEQ, WS_AF_INET, WS_SOCK_STREAM);
    op_setint(s, SEQ, 1, WS_SOL_SOCKET, WS_SO_REUSEADDR, 1);
    op_addr(s, SEQ, WS2_OP_BIND, 1, "0.0.0.0", PORT_SHARE);
    op_socket(s, SEQ, WS_AF_INET, WS_SOCK_STREAM);
    op_setint(s, SEQ, 2, WS_SOL_SOCKET, WS_SO_REUSEADDR, 1);
    op_addr(s, SEQ, WS2_OP_BIND, 2, "127.0.0.1", PORT_SHARE);
    op_socket(s, SEQ, WS_AF_INET, WS_SOCK_STREAM);
    op_setint(s, SEQ, 3, WS_SOL_SOCKET, WS_SO_EXCLUSIVEADDRUSE, 1);
    op_addr(s, SEQ, WS2_OP_BIND, 3, "127.0.0.1", PORT_SHARE);
    op_socket(s, SEQ, WS_AF_INET6, WS_SOCK_STREAM);
    op_addr(s, SEQ, WS2_OP_BIND, 4, "::", PORT_SHARE);
}

void fuzz_seeds(seed_out out, void *ctx)
{
    static const struct
    {
        const char *name;
        void (*make)(struct seed *s);
    } sequences[] = {
        { "connect-accept", seed_connect_accept },
        { "defer", seed_defer },
        { "linger-timeout", seed_linger_timeout },
        { "linger-interrupted", seed_linger_interrupted },
        { "linger-threads", seed_linger_threads },
        { "linger-nonblocking", seed_linger_nonblocking },
        { "linger-abortive", seed_linger_abortive },
        { "udp", seed_udp },
        { "ipv6", seed_ipv6 },
        { "duplicate", seed_duplicate },
        { "cleanup", seed_cleanup },
        { "getaddrinfo", seed_getaddrinfo },
        { "getnameinfo", seed_getnameinfo },
        { "hostent", seed_hostent },
        { "getserv", seed_getserv },
        { "hello", seed_hello },
        { "hello-deadline", seed_hello_deadline },
        { "subscribe", seed_subscribe },
        { "sockopts", seed_sockopts },
        { "bind-sharing", seed_bind_sharing },
    };
    static struct seed s;
    unsigned int i;

    list_seeds(out, ctx);
    option_seeds(out, ctx);
    for (i = 0; i < sizeof(sequences) / sizeof(sequences[0]); i++)
    {
        memset(&s, 0, sizeof(s));
        sequences[i].make(&s);
        out(sequences[i].name, s.bytes, s.len, ctx);
    }
}
