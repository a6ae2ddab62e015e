/*
 * getsockopt/setsockopt with Windows' semantics, from one table.
 *
 * Each row says how the option's length is checked (Windows has several
 * rules, see enum length_rule), how its value is read (bool, byte, raw),
 * which socket types and families have it, whether it can be read and
 * written, and what it does: map onto a Linux option, keep a value in the
 * socket (a "slot"), call handlers that emulate it, or fail with the error
 * Windows gives.  Adding an option is adding a row.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <netinet/udp.h>
#include "ws.h"
#include "ws2proto.h"
#include "loop.h"
#include "sock.h"
#include "addr.h"
#include "errors.h"
#include "sockopt.h"
#include "ws2consts.h"

/* Length rules, named after the groups of Windows' observed behaviour. */
enum length_rule
{
    LEN_BYTE,        /* one byte in, one byte out (*optlen = 1) */
    LEN_SOL_BOOL,    /* 1, 2, 4 bytes in (0 is a no-op); out 1, 2 (as 1) or 4 */
    LEN_IP_BYTE,     /* 1-4 bytes in; out 1 byte for short buffers, else 4 */
    LEN_DWORD_ZERO,  /* 4 bytes; a short get buffer is zero-filled, WSAEFAULT */
    LEN_DWORD,       /* 4 bytes; short buffers fail untouched */
    LEN_DWORD_RESET, /* 4 bytes; a short get sets *optlen to 0 */
    LEN_STRUCT,      /* .size bytes (struct handlers); short: WSAEFAULT */
    LEN_STRUCT_SIZE, /* as LEN_STRUCT, and a short get reports the size */
    LEN_STRUCT_KEEP, /* as LEN_STRUCT, and a get leaves *optlen as given */
    LEN_BLOB,        /* 0 to .size bytes, as many as given (IP_OPTIONS) */
};

enum value_kind
{
    VAL_BOOL, /* nonzero is stored and read back as 1 */
    VAL_BYTE, /* 0..255, more is WSAEINVAL */
    VAL_RAW,  /* stored verbatim */
};

#define TYPE_STREAM 0x1
#define TYPE_DGRAM  0x2
#define TYPE_ANY    (TYPE_STREAM | TYPE_DGRAM)
#define FAM_INET    0x1
#define FAM_INET6   0x2
#define FAM_ANY     (FAM_INET | FAM_INET6)
#define GET         0x1
#define SET         0x2

struct sockopt_row
{
    int level, name;
    const char *label;
    enum length_rule len;
    enum value_kind kind;
    unsigned int types, families, access;
    int error;             /* Windows refuses it with this error */
    int lx_level, lx_name; /* a Linux option with the same meaning */
    int slot;              /* kept in the socket (SLOT_*), or 0 */
    uint32_t dflt;         /* the slot's initial value */
    uint32_t size;         /* LEN_STRUCT*: the value's size */
    int (*get)(struct ws2_socket *sock, uint32_t *value);
    int (*set)(struct ws2_socket *sock, uint32_t value);
    int (*get_struct)(struct ws2_socket *sock, const struct ws2_sockopt_request *req,
                      uint8_t *out, uint32_t *len);
    int (*set_struct)(struct ws2_socket *sock, const uint8_t *data, uint32_t len);
};

/* ------------------------------------------------------------ emulation */

static int get_linger(struct ws2_socket *sock, uint32_t *value)
{
    *value = (uint32_t)sock->linger.l_onoff | ((uint32_t)sock->linger.l_linger << 16);
    return 0;
}

static int set_linger(struct ws2_socket *sock, uint32_t value)
{
    /* Kept as given; the Linux socket keeps SO_LINGER off (see linger.c). */
    sock->linger.l_onoff = value & 0xffff;
    sock->linger.l_linger = value >> 16;
    return 0;
}

static int get_dontlinger(struct ws2_socket *sock, uint32_t *value)
{
    *value = !sock->linger.l_onoff;
    return 0;
}

static int set_dontlinger(struct ws2_socket *sock, uint32_t value)
{
    /* FALSE turns lingering on again with the timeout set before. */
    sock->linger.l_onoff = !value;
    return 0;
}

static int get_type(struct ws2_socket *sock, uint32_t *value)
{
    *value = sock->type;
    return 0;
}

static int get_acceptconn(struct ws2_socket *sock, uint32_t *value)
{
    *value = !!(sock->state & SOCK_LISTENING);
    return 0;
}

static int get_error(struct ws2_socket *sock, uint32_t *value)
{
    int err = 0;
    socklen_t len = sizeof(err);

    /* Read and reset, whether the program set it or the kernel did. */
    if (sock->error)
    {
        *value = sock->error;
        sock->error = 0;
        return 0;
    }
    if (getsockopt(sock->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0) return errno_to_wsa(errno);
    *value = err ? errno_to_wsa(err) : 0;
    return 0;
}

static int set_error(struct ws2_socket *sock, uint32_t value)
{
    sock->error = value;
    return 0;
}

static int set_reuseaddr(struct ws2_socket *sock, uint32_t value)
{
    /* The two sharing options exclude each other, in either order. */
    if (value && sock->exclusiveaddruse) return WSAEINVAL;
    sock->reuseaddr = !!value;
    return 0;
}

static int get_reuseaddr(struct ws2_socket *sock, uint32_t *value)
{
    *value = sock->reuseaddr;
    return 0;
}

static int set_exclusive(struct ws2_socket *sock, uint32_t value)
{
    /* Windows: setting it once bound has no effect; both at once is refused. */
    if (value && sock->reuseaddr) return WSAEINVAL;
    sock->exclusiveaddruse = !!value;
    return 0;
}

static int get_exclusive(struct ws2_socket *sock, uint32_t *value)
{
    *value = sock->exclusiveaddruse;
    return 0;
}

/* Linux doubles buffer sizes; Windows reads back what was set. */
static int get_buffer(struct ws2_socket *sock, uint32_t *value, const struct ws2_bufsize *stored, int name)
{
    int size = 0;
    socklen_t len = sizeof(size);

    if (stored->set)
    {
        *value = stored->value;
        return 0;
    }
    if (getsockopt(sock->fd, SOL_SOCKET, name, &size, &len) < 0) return errno_to_wsa(errno);
    *value = size / 2;
    return 0;
}

static int set_buffer(struct ws2_socket *sock, uint32_t value, struct ws2_bufsize *stored, int name)
{
    int size = value > INT32_MAX / 2 ? INT32_MAX / 2 : (int)value;

    if (setsockopt(sock->fd, SOL_SOCKET, name, &size, sizeof(size)) < 0) return errno_to_wsa(errno);
    stored->value = value;
    stored->set = 1;
    return 0;
}

static int get_rcvbuf(struct ws2_socket *s, uint32_t *v) { return get_buffer(s, v, &s->rcvbuf, SO_RCVBUF); }
static int set_rcvbuf(struct ws2_socket *s, uint32_t v) { return set_buffer(s, v, &s->rcvbuf, SO_RCVBUF); }
static int get_sndbuf(struct ws2_socket *s, uint32_t *v) { return get_buffer(s, v, &s->sndbuf, SO_SNDBUF); }
static int set_sndbuf(struct ws2_socket *s, uint32_t v) { return set_buffer(s, v, &s->sndbuf, SO_SNDBUF); }

/* Timeouts are Windows' own (DWORD milliseconds); the DLL applies them. */
static int get_rcvtimeo(struct ws2_socket *s, uint32_t *v)
{
    *v = s->rcvtimeo;
    return 0;
}
static int set_rcvtimeo(struct ws2_socket *s, uint32_t v)
{
    s->rcvtimeo = v;
    return 0;
}
static int get_sndtimeo(struct ws2_socket *s, uint32_t *v)
{
    *v = s->sndtimeo;
    return 0;
}
static int set_sndtimeo(struct ws2_socket *s, uint32_t v)
{
    s->sndtimeo = v;
    return 0;
}

static int get_connect_time(struct ws2_socket *sock, uint32_t *value)
{
    /* Seconds connected; 0xffffffff when not connected (MS-AcceptEx), and
     * always for datagram sockets, which only have a default peer. */
    if (!sock->connected_ms || sock->type != WS_SOCK_STREAM) *value = 0xffffffff;
    else *value = (uint32_t)((now_ms() - sock->connected_ms) / 1000);
    return 0;
}

static int get_max_msg_size(struct ws2_socket *sock, uint32_t *value)
{
    /* Datagrams: the largest UDP payload; streams have no message size. */
    if (sock->type != WS_SOCK_STREAM) *value = sock->family == WS_AF_INET6 ? 65527 : 65507;
    else *value = 0xffffffff;
    return 0;
}

/* IP_DONTFRAGMENT / IPV6_DONTFRAG: Windows' default is on for streams. */
static int set_dontfrag(struct ws2_socket *sock, uint32_t value)
{
    int level = sock->family == WS_AF_INET6 ? IPPROTO_IPV6 : IPPROTO_IP;
    int name = sock->family == WS_AF_INET6 ? IPV6_MTU_DISCOVER : IP_MTU_DISCOVER;
    int mode = value ? IP_PMTUDISC_DO : IP_PMTUDISC_DONT;

    if (setsockopt(sock->fd, level, name, &mode, sizeof(mode)) < 0) return errno_to_wsa(errno);
    sock->dontfrag = !!value;
    return 0;
}

static int get_dontfrag(struct ws2_socket *sock, uint32_t *value)
{
    *value = sock->dontfrag;
    return 0;
}

/* IP_HDRINCL and IPV6_HDRINCL: the host's, on raw sockets only (Windows
 * refuses them on the others with WSAEINVAL). */
static int hdrincl_option(struct ws2_socket *sock, int *level, int *name)
{
    if (sock->type != WS_SOCK_RAW) return WSAEINVAL;
    *level = sock->family == WS_AF_INET6 ? IPPROTO_IPV6 : IPPROTO_IP;
    *name = sock->family == WS_AF_INET6 ? IPV6_HDRINCL : IP_HDRINCL;
    return 0;
}

static int set_hdrincl(struct ws2_socket *sock, uint32_t value)
{
    int level, name, on = !!value, status = hdrincl_option(sock, &level, &name);

    if (status) return status;
    if (setsockopt(sock->fd, level, name, &on, sizeof(on)) < 0) return errno_to_wsa(errno);
    return 0;
}

static int get_hdrincl(struct ws2_socket *sock, uint32_t *value)
{
    int level, name, on = 0, status = hdrincl_option(sock, &level, &name);
    socklen_t len = sizeof(on);

    if (status) return status;
    if (getsockopt(sock->fd, level, name, &on, &len) < 0) return errno_to_wsa(errno);
    *value = !!on;
    return 0;
}

/*
 * SO_OOBINLINE.  An urgent byte that was already read out of band stays in
 * Linux's stream as a hole that reads skip; with the option on, Linux reads
 * it again, inline (Windows never gives it twice), and a close then finds it
 * unread and resets the connection.  So the hole goes first: at the mark,
 * with the urgent byte read (MSG_OOB refuses it) and nothing after it, one
 * non-blocking read consumes just the hole.  Data after the hole would be
 * read with it: then the hole stays, as before.
 */
static void drop_read_urgent_byte(int fd)
{
    int at_mark = 0;
    char c;

    if (ioctl(fd, SIOCATMARK, &at_mark) < 0 || !at_mark) return;
    if (recv(fd, &c, 1, MSG_OOB | MSG_PEEK | MSG_DONTWAIT) >= 0 || errno != EINVAL) return;
    if (recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT) >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) return;
    (void)!recv(fd, &c, 1, MSG_DONTWAIT);
}

static int set_oobinline(struct ws2_socket *sock, uint32_t value)
{
    int on = !!value;

    if (on) drop_read_urgent_byte(sock->fd);
    if (setsockopt(sock->fd, SOL_SOCKET, SO_OOBINLINE, &on, sizeof(on)) < 0) return errno_to_wsa(errno);
    return 0;
}

/* IP_MULTICAST_IF: an IPv4 address, or 0.x.x.x for an interface index. */
static int set_multicast_if(struct ws2_socket *sock, uint32_t value)
{
    struct ip_mreqn mreq;
    uint32_t host = ntohl(value);

    memset(&mreq, 0, sizeof(mreq));
    if (value && !(host >> 24)) mreq.imr_ifindex = host;
    else mreq.imr_address.s_addr = value;
    if (setsockopt(sock->fd, IPPROTO_IP, IP_MULTICAST_IF, &mreq, sizeof(mreq)) < 0) return errno_to_wsa(errno);
    return 0;
}

static int get_multicast_if(struct ws2_socket *sock, uint32_t *value)
{
    struct in_addr addr;
    socklen_t len = sizeof(addr);

    if (getsockopt(sock->fd, IPPROTO_IP, IP_MULTICAST_IF, &addr, &len) < 0) return errno_to_wsa(errno);
    *value = addr.s_addr;
    return 0;
}

/* Windows' and Linux' PMTUD_STATE numbers differ. */
static int set_mtu_discover(struct ws2_socket *sock, uint32_t value)
{
    static const int to_linux[] = { IP_PMTUDISC_WANT, IP_PMTUDISC_DO, IP_PMTUDISC_DONT, IP_PMTUDISC_PROBE };
    int level = sock->family == WS_AF_INET6 ? IPPROTO_IPV6 : IPPROTO_IP;
    int name = sock->family == WS_AF_INET6 ? IPV6_MTU_DISCOVER : IP_MTU_DISCOVER;

    /* 0 (IP_PMTUDISC_NOT_SET) is what a new socket reads, not a choice. */
    if (!value || value > 3) return WSAEINVAL;
    if (setsockopt(sock->fd, level, name, &to_linux[value], sizeof(int)) < 0) return errno_to_wsa(errno);
    sock->mtu_discover = value;
    return 0;
}

static int get_mtu_discover(struct ws2_socket *sock, uint32_t *value)
{
    *value = sock->mtu_discover;
    return 0;
}

/* Membership structs: ip_mreq and ipv6_mreq have Linux's layout. */
static int set_struct_linux(struct ws2_socket *sock, int level, int name, const uint8_t *data, uint32_t len)
{
    if (setsockopt(sock->fd, level, name, data, len) < 0) return errno_to_wsa(errno);
    return 0;
}

static int add_membership(struct ws2_socket *s, const uint8_t *d, uint32_t l)
{
    return set_struct_linux(s, IPPROTO_IP, IP_ADD_MEMBERSHIP, d, l);
}
static int drop_membership(struct ws2_socket *s, const uint8_t *d, uint32_t l)
{
    return set_struct_linux(s, IPPROTO_IP, IP_DROP_MEMBERSHIP, d, l);
}
static int add_membership6(struct ws2_socket *s, const uint8_t *d, uint32_t l)
{
    return set_struct_linux(s, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, d, l);
}
static int drop_membership6(struct ws2_socket *s, const uint8_t *d, uint32_t l)
{
    return set_struct_linux(s, IPPROTO_IPV6, IPV6_DROP_MEMBERSHIP, d, l);
}

/* ip_mreq_source: Windows puts the source before the interface. */
static int source_membership(struct ws2_socket *sock, int name, const uint8_t *data)
{
    struct ip_mreq_source mreq;

    memcpy(&mreq.imr_multiaddr, data, 4);
    memcpy(&mreq.imr_sourceaddr, data + 4, 4);
    memcpy(&mreq.imr_interface, data + 8, 4);
    if (setsockopt(sock->fd, IPPROTO_IP, name, &mreq, sizeof(mreq)) < 0) return errno_to_wsa(errno);
    return 0;
}

static int add_source(struct ws2_socket *s, const uint8_t *d, uint32_t l)
{
    (void)l;
    return source_membership(s, IP_ADD_SOURCE_MEMBERSHIP, d);
}
static int drop_source(struct ws2_socket *s, const uint8_t *d, uint32_t l)
{
    (void)l;
    return source_membership(s, IP_DROP_SOURCE_MEMBERSHIP, d);
}
static int block_source(struct ws2_socket *s, const uint8_t *d, uint32_t l)
{
    (void)l;
    return source_membership(s, IP_BLOCK_SOURCE, d);
}
static int unblock_source(struct ws2_socket *s, const uint8_t *d, uint32_t l)
{
    (void)l;
    return source_membership(s, IP_UNBLOCK_SOURCE, d);
}

static int get_protocol_info(struct ws2_socket *sock, const struct ws2_sockopt_request *req,
                             uint8_t *out, uint32_t *len, int unicode)
{
    WSAPROTOCOL_INFOW info;

    (void)req;
    if (sock_protocol_info(sock, &info) < 0) return WSAENOPROTOOPT;
    if (unicode)
    {
        memcpy(out, &info, sizeof(info));
        *len = sizeof(info);
    }
    else
    {
        /* The A form: the same up to szProtocol, then a narrow string. */
        size_t fixed = offsetof(WSAPROTOCOL_INFOW, szProtocol), i;

        memset(out, 0, sizeof(WSAPROTOCOL_INFOA));
        memcpy(out, &info, fixed);
        for (i = 0; i < WSAPROTOCOL_LEN && info.szProtocol[i]; i++) out[fixed + i] = (char)info.szProtocol[i];
        *len = sizeof(WSAPROTOCOL_INFOA);
    }
    return 0;
}

static int get_protocol_infoa(struct ws2_socket *s, const struct ws2_sockopt_request *r, uint8_t *o, uint32_t *l)
{
    return get_protocol_info(s, r, o, l, 0);
}
static int get_protocol_infow(struct ws2_socket *s, const struct ws2_sockopt_request *r, uint8_t *o, uint32_t *l)
{
    return get_protocol_info(s, r, o, l, 1);
}

/*
 * SO_BSP_STATE: a CSADDR_INFO whose two SOCKET_ADDRESS pointers point into
 * the caller's own buffer, just after the structure (the DLL tells us where
 * that buffer is).  Layout for a 64-bit caller: two {pointer, int, pad}
 * pairs, then iSocketType and iProtocol: 40 bytes; for a 32-bit one
 * (WS2_OPTVAL_PTR32): two {pointer, int} pairs, then the same: 24 bytes.
 */
#define CSADDR_INFO_SIZE   40
#define CSADDR_INFO_SIZE32 24

static int get_bsp_state(struct ws2_socket *sock, const struct ws2_sockopt_request *req,
                         uint8_t *out, uint32_t *len)
{
    int ptr32 = !!(req->flags & WS2_OPTVAL_PTR32);
    uint32_t ptr_size = ptr32 ? 4 : 8, slot = ptr32 ? 8 : 16, head = ptr32 ? CSADDR_INFO_SIZE32 : CSADDR_INFO_SIZE;
    uint32_t addr_size = sock->family == WS_AF_INET6 ? 28 : 16, need = head + 2 * addr_size;
    struct sockaddr_storage sa;
    socklen_t salen;
    uint32_t pos = head, i;
    int32_t type = sock->type, protocol = sock->protocol;

    if (req->optlen < 0 || (uint32_t)req->optlen < need) return WSAEFAULT;
    memset(out, 0, need);
    for (i = 0; i < 2; i++)
    {
        uint32_t alen = 0;
        uint64_t ptr;
        int32_t ilen;

        salen = sizeof(sa);
        if (i == 0 ? (sock->state & SOCK_BOUND) && !getsockname(sock->fd, (struct sockaddr *)&sa, &salen)
                   : !getpeername(sock->fd, (struct sockaddr *)&sa, &salen))
        {
            if (addr_from_linux((struct sockaddr *)&sa, salen, out + pos, &alen)) alen = 0;
        }
        ptr = alen ? req->optval_addr + pos : 0;
        ilen = alen;
        /* Little-endian: a 32-bit pointer is the low half. */
        memcpy(out + slot * i, &ptr, ptr_size);
        memcpy(out + slot * i + ptr_size, &ilen, sizeof(ilen));
        pos += alen;
    }
    memcpy(out + 2 * slot, &type, sizeof(type));
    memcpy(out + 2 * slot + 4, &protocol, sizeof(protocol));
    *len = pos;
    return 0;
}

/* IP_OPTIONS: the raw option bytes, the same on both systems (at most 40). */
static int get_ip_options(struct ws2_socket *sock, const struct ws2_sockopt_request *req, uint8_t *out, uint32_t *len)
{
    socklen_t size = 40;

    (void)req;
    if (getsockopt(sock->fd, IPPROTO_IP, IP_OPTIONS, out, &size) < 0) return errno_to_wsa(errno);
    *len = size;
    return 0;
}

static int set_ip_options(struct ws2_socket *sock, const uint8_t *data, uint32_t len)
{
    return set_struct_linux(sock, IPPROTO_IP, IP_OPTIONS, data, len);
}

static int accept_anything(struct ws2_socket *sock, const uint8_t *data, uint32_t len)
{
    /* SO_UPDATE_ACCEPT/CONNECT_CONTEXT: our sockets are always up to date;
     * the DLL checked the listening socket's handle. */
    (void)sock;
    (void)data;
    (void)len;
    return 0;
}

/* ------------------------------------------------------------ the table */

/* Values kept in the socket for options Linux has no use for. */
enum
{
    SLOT_NONE,
    SLOT_DEBUG,
    SLOT_DONTROUTE,
    SLOT_CONDITIONAL_ACCEPT,
    SLOT_PAUSE_ACCEPT,
    SLOT_RANDOMIZE_PORT,
    SLOT_PORT_SCALABILITY,
    SLOT_REUSE_UNICASTPORT,
    SLOT_REUSE_MULTICASTPORT,
    SLOT_IFLIST,
    SLOT_EXPEDITED,
    SLOT_MAXRT,
    SLOT_TIMESTAMPS,
    SLOT_FASTOPEN,
    SLOT_FAIL_ON_ICMP,
    SLOT_BSDURGENT,
    SLOT_RECEIVE_BROADCAST,
    SLOT_RECVIF,
    SLOT_ORIGINAL_ARRIVAL_IF,
    SLOT_RECVECN,
    SLOT_USER_MTU,
    SLOT_PROTECTION_LEVEL,
    SLOT_NOCHECKSUM,
    SLOT_CHECKSUM_COVERAGE,
    SLOT_SEND_MSG_SIZE,
    SLOT_RECV_COALESCED,
    SLOT_ECN6,
    SLOT_ORIGINAL_ARRIVAL_IF6,
    SLOT_V6ONLY_INET,
    SLOT_COUNT
};
_Static_assert(SLOT_COUNT <= SOCKOPT_SLOTS, "too many option slots");

/* IPV6_V6ONLY: an IPv4 socket keeps a value of its own (1 at first), which
 * can be changed until the socket is bound, like an IPv6 socket's. */
static int set_v6only(struct ws2_socket *sock, uint32_t value)
{
    int on = !!value;

    if (sock->family != WS_AF_INET6)
    {
        if (sock->state & SOCK_BOUND) return WSAEINVAL;
        sock->opt_slots[SLOT_V6ONLY_INET] = on;
    }
    /* Linux refuses it on a raw socket (its protocol is like a bound
     * port), Windows takes it: kept there, on by default. */
    else if (sock->type == WS_SOCK_RAW) sock->raw_dual = !on;
    else if (setsockopt(sock->fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on)) < 0) return errno_to_wsa(errno);
    return 0;
}

static int get_v6only(struct ws2_socket *sock, uint32_t *value)
{
    int on = 0;
    socklen_t len = sizeof(on);

    if (sock->family != WS_AF_INET6) on = sock->opt_slots[SLOT_V6ONLY_INET];
    else if (sock->type == WS_SOCK_RAW) on = !sock->raw_dual;
    else if (getsockopt(sock->fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, &len) < 0) return errno_to_wsa(errno);
    *value = !!on;
    return 0;
}

#define OPT(level, name) level, name, #name
#define LX(level, name)  .lx_level = level, .lx_name = name
#define KEEP(slot_)      .slot = slot_
#define EMU(g, s)        .get = g, .set = s
#define REFUSE(err)      .error = err

/* clang-format off */
static const struct sockopt_row options[] =
{
    /* SOL_SOCKET */
    { OPT(WS_SOL_SOCKET, WS_SO_DEBUG), LEN_DWORD, VAL_BOOL, TYPE_ANY, FAM_ANY, GET | SET, KEEP(SLOT_DEBUG) },
    { OPT(WS_SOL_SOCKET, WS_SO_ACCEPTCONN), LEN_DWORD, VAL_RAW, TYPE_ANY, FAM_ANY, GET, EMU(get_acceptconn, NULL) },
    { OPT(WS_SOL_SOCKET, WS_SO_REUSEADDR), LEN_SOL_BOOL, VAL_BOOL, TYPE_ANY, FAM_ANY, GET | SET,
      EMU(get_reuseaddr, set_reuseaddr) },
    { OPT(WS_SOL_SOCKET, WS_SO_EXCLUSIVEADDRUSE), LEN_SOL_BOOL, VAL_BOOL, TYPE_ANY, FAM_ANY, GET | SET,
      EMU(get_exclusive, set_exclusive) },
    { OPT(WS_SOL_SOCKET, WS_SO_KEEPALIVE), LEN_BYTE, VAL_BOOL, TYPE_STREAM, FAM_ANY, GET | SET,
      LX(SOL_SOCKET, SO_KEEPALIVE) },
    { OPT(WS_SOL_SOCKET, WS_SO_DONTROUTE), LEN_BYTE, VAL_BOOL, TYPE_ANY, FAM_INET, GET | SET, KEEP(SLOT_DONTROUTE) },
    { OPT(WS_SOL_SOCKET, WS_SO_BROADCAST), LEN_SOL_BOOL, VAL_BOOL, TYPE_DGRAM, FAM_ANY, GET | SET,
      LX(SOL_SOCKET, SO_BROADCAST) },
    { OPT(WS_SOL_SOCKET, WS_SO_USELOOPBACK), LEN_DWORD, VAL_BOOL, TYPE_ANY, FAM_ANY, GET | SET, REFUSE(WSAEINVAL) },
    { OPT(WS_SOL_SOCKET, WS_SO_LINGER), LEN_DWORD_ZERO, VAL_RAW, TYPE_STREAM, FAM_ANY, GET | SET,
      EMU(get_linger, set_linger) },
    { OPT(WS_SOL_SOCKET, WS_SO_OOBINLINE), LEN_SOL_BOOL, VAL_BOOL, TYPE_STREAM, FAM_ANY, GET | SET,
      LX(SOL_SOCKET, SO_OOBINLINE), .set = set_oobinline },
    { OPT(WS_SOL_SOCKET, WS_SO_DONTLINGER), LEN_SOL_BOOL, VAL_BOOL, TYPE_STREAM, FAM_ANY, GET | SET,
      EMU(get_dontlinger, set_dontlinger) },
    { OPT(WS_SOL_SOCKET, WS_SO_SNDBUF), LEN_DWORD_ZERO, VAL_RAW, TYPE_ANY, FAM_ANY, GET | SET,
      EMU(get_sndbuf, set_sndbuf) },
    { OPT(WS_SOL_SOCKET, WS_SO_RCVBUF), LEN_DWORD_ZERO, VAL_RAW, TYPE_ANY, FAM_ANY, GET | SET,
      EMU(get_rcvbuf, set_rcvbuf) },
    { OPT(WS_SOL_SOCKET, WS_SO_SNDLOWAT), LEN_DWORD, VAL_RAW, TYPE_ANY, FAM_ANY, GET | SET, REFUSE(WSAEINVAL) },
    { OPT(WS_SOL_SOCKET, WS_SO_RCVLOWAT), LEN_DWORD, VAL_RAW, TYPE_ANY, FAM_ANY, GET | SET, REFUSE(WSAEINVAL) },
    { OPT(WS_SOL_SOCKET, WS_SO_SNDTIMEO), LEN_DWORD, VAL_RAW, TYPE_ANY, FAM_ANY, GET | SET,
      EMU(get_sndtimeo, set_sndtimeo) },
    { OPT(WS_SOL_SOCKET, WS_SO_RCVTIMEO), LEN_DWORD, VAL_RAW, TYPE_ANY, FAM_ANY, GET | SET,
      EMU(get_rcvtimeo, set_rcvtimeo) },
    { OPT(WS_SOL_SOCKET, WS_SO_ERROR), LEN_DWORD, VAL_RAW, TYPE_ANY, FAM_ANY, GET | SET, EMU(get_error, set_error) },
    { OPT(WS_SOL_SOCKET, WS_SO_TYPE), LEN_DWORD, VAL_RAW, TYPE_ANY, FAM_ANY, GET, EMU(get_type, NULL) },
    { OPT(WS_SOL_SOCKET, WS_SO_BSP_STATE), LEN_STRUCT_KEEP, VAL_RAW, TYPE_ANY, FAM_ANY, GET,
      .size = CSADDR_INFO_SIZE, .get_struct = get_bsp_state },
    { OPT(WS_SOL_SOCKET, WS_SO_GROUP_ID), LEN_DWORD, VAL_RAW, TYPE_ANY, FAM_ANY, GET, KEEP(SLOT_NONE) },
    { OPT(WS_SOL_SOCKET, WS_SO_GROUP_PRIORITY), LEN_DWORD, VAL_RAW, TYPE_ANY, FAM_ANY, GET | SET,
      REFUSE(WSAENOPROTOOPT) },
    { OPT(WS_SOL_SOCKET, WS_SO_MAX_MSG_SIZE), LEN_DWORD, VAL_RAW, TYPE_ANY, FAM_ANY, GET,
      EMU(get_max_msg_size, NULL) },
    { OPT(WS_SOL_SOCKET, WS_SO_PROTOCOL_INFOA), LEN_STRUCT_SIZE, VAL_RAW, TYPE_ANY, FAM_ANY, GET,
      .size = sizeof(WSAPROTOCOL_INFOA), .get_struct = get_protocol_infoa },
    { OPT(WS_SOL_SOCKET, WS_SO_PROTOCOL_INFOW), LEN_STRUCT_SIZE, VAL_RAW, TYPE_ANY, FAM_ANY, GET,
      .size = sizeof(WSAPROTOCOL_INFOW), .get_struct = get_protocol_infow },
    { OPT(WS_SOL_SOCKET, WS_SO_CONDITIONAL_ACCEPT), LEN_DWORD, VAL_BOOL, TYPE_STREAM, FAM_ANY, GET | SET,
      KEEP(SLOT_CONDITIONAL_ACCEPT) },
    { OPT(WS_SOL_SOCKET, WS2_SO_PAUSE_ACCEPT), LEN_DWORD, VAL_BOOL, TYPE_STREAM, FAM_ANY, GET | SET,
      KEEP(SLOT_PAUSE_ACCEPT) },
    { OPT(WS_SOL_SOCKET, WS_SO_RANDOMIZE_PORT), LEN_DWORD, VAL_BOOL, TYPE_ANY, FAM_ANY, GET | SET,
      KEEP(SLOT_RANDOMIZE_PORT) },
    { OPT(WS_SOL_SOCKET, WS_SO_PORT_SCALABILITY), LEN_DWORD, VAL_BOOL, TYPE_ANY, FAM_ANY, GET | SET,
      KEEP(SLOT_PORT_SCALABILITY) },
    { OPT(WS_SOL_SOCKET, WS_SO_REUSE_UNICASTPORT), LEN_DWORD, VAL_BOOL, TYPE_ANY, FAM_ANY, GET | SET,
      KEEP(SLOT_REUSE_UNICASTPORT) },
    { OPT(WS_SOL_SOCKET, WS_SO_REUSE_MULTICASTPORT), LEN_DWORD, VAL_BOOL, TYPE_DGRAM, FAM_ANY, GET | SET,
      KEEP(SLOT_REUSE_MULTICASTPORT) },
    { OPT(WS_SOL_SOCKET, WS_SO_MAXDG), LEN_DWORD, VAL_RAW, TYPE_ANY, FAM_ANY, GET, EMU(get_max_msg_size, NULL) },
    { OPT(WS_SOL_SOCKET, WS_SO_MAXPATHDG), LEN_DWORD, VAL_RAW, TYPE_ANY, FAM_ANY, GET, EMU(get_max_msg_size, NULL) },
    { OPT(WS_SOL_SOCKET, WS_SO_UPDATE_ACCEPT_CONTEXT), LEN_STRUCT, VAL_RAW, TYPE_STREAM, FAM_ANY, SET,
      .size = 8, .set_struct = accept_anything },
    { OPT(WS_SOL_SOCKET, WS_SO_CONNECT_TIME), LEN_DWORD, VAL_RAW, TYPE_ANY, FAM_ANY, GET,
      EMU(get_connect_time, NULL) },
    { OPT(WS_SOL_SOCKET, WS_SO_UPDATE_CONNECT_CONTEXT), LEN_STRUCT, VAL_RAW, TYPE_STREAM, FAM_ANY, SET,
      .size = 0, .set_struct = accept_anything },

    /* IPPROTO_TCP */
    { OPT(WS_IPPROTO_TCP, WS_TCP_NODELAY), LEN_BYTE, VAL_BOOL, TYPE_STREAM, FAM_ANY, GET | SET,
      LX(IPPROTO_TCP, TCP_NODELAY) },
    { OPT(WS_IPPROTO_TCP, WS_TCP_EXPEDITED_1122), LEN_DWORD, VAL_BOOL, TYPE_STREAM, FAM_ANY, GET | SET,
      KEEP(SLOT_EXPEDITED) },
    { OPT(WS_IPPROTO_TCP, WS_TCP_KEEPALIVE), LEN_DWORD_RESET, VAL_RAW, TYPE_STREAM, FAM_ANY, GET | SET,
      LX(IPPROTO_TCP, TCP_KEEPIDLE) },
    { OPT(WS_IPPROTO_TCP, WS_TCP_MAXSEG), LEN_DWORD, VAL_RAW, TYPE_STREAM, FAM_ANY, GET,
      LX(IPPROTO_TCP, TCP_MAXSEG) },
    { OPT(WS_IPPROTO_TCP, WS_TCP_MAXRT), LEN_DWORD, VAL_RAW, TYPE_STREAM, FAM_ANY, GET | SET, KEEP(SLOT_MAXRT) },
    { OPT(WS_IPPROTO_TCP, WS_TCP_TIMESTAMPS), LEN_DWORD, VAL_BOOL, TYPE_STREAM, FAM_ANY, GET | SET,
      KEEP(SLOT_TIMESTAMPS) },
    { OPT(WS_IPPROTO_TCP, WS2_TCP_FASTOPEN), LEN_DWORD, VAL_BOOL, TYPE_STREAM, FAM_ANY, GET | SET,
      KEEP(SLOT_FASTOPEN) },
    { OPT(WS_IPPROTO_TCP, WS2_TCP_KEEPCNT), LEN_DWORD_RESET, VAL_BYTE, TYPE_STREAM, FAM_ANY, GET | SET,
      LX(IPPROTO_TCP, TCP_KEEPCNT) },
    { OPT(WS_IPPROTO_TCP, WS2_TCP_KEEPINTVL), LEN_DWORD_RESET, VAL_RAW, TYPE_STREAM, FAM_ANY, GET | SET,
      LX(IPPROTO_TCP, TCP_KEEPINTVL) },
    { OPT(WS_IPPROTO_TCP, WS2_TCP_FAIL_CONNECT_ON_ICMP_ERROR), LEN_DWORD, VAL_BOOL, TYPE_STREAM, FAM_ANY,
      GET | SET, KEEP(SLOT_FAIL_ON_ICMP) },
    { OPT(WS_IPPROTO_TCP, WS_TCP_BSDURGENT), LEN_DWORD, VAL_BOOL, TYPE_STREAM, FAM_ANY, GET | SET,
      KEEP(SLOT_BSDURGENT), .dflt = 1 },

    /* IPPROTO_IP */
    { OPT(WS_IPPROTO_IP, WS_IP_OPTIONS), LEN_BLOB, VAL_RAW, TYPE_ANY, FAM_INET, GET | SET,
      .size = 40, .get_struct = get_ip_options, .set_struct = set_ip_options },
    { OPT(WS_IPPROTO_IP, WS_IP_HDRINCL), LEN_DWORD, VAL_BOOL, TYPE_ANY, FAM_ANY, GET | SET,
      EMU(get_hdrincl, set_hdrincl) },
    { OPT(WS_IPPROTO_IP, WS_IP_TOS), LEN_IP_BYTE, VAL_BYTE, TYPE_ANY, FAM_INET, GET | SET, LX(IPPROTO_IP, IP_TOS) },
    { OPT(WS_IPPROTO_IP, WS_IP_TTL), LEN_IP_BYTE, VAL_BYTE, TYPE_ANY, FAM_INET, GET | SET, LX(IPPROTO_IP, IP_TTL) },
    { OPT(WS_IPPROTO_IP, WS_IP_MULTICAST_IF), LEN_DWORD, VAL_RAW, TYPE_DGRAM, FAM_INET, GET | SET,
      EMU(get_multicast_if, set_multicast_if) },
    { OPT(WS_IPPROTO_IP, WS_IP_MULTICAST_TTL), LEN_IP_BYTE, VAL_BYTE, TYPE_DGRAM, FAM_INET, GET | SET,
      LX(IPPROTO_IP, IP_MULTICAST_TTL) },
    { OPT(WS_IPPROTO_IP, WS_IP_MULTICAST_LOOP), LEN_IP_BYTE, VAL_BOOL, TYPE_DGRAM, FAM_INET, GET | SET,
      LX(IPPROTO_IP, IP_MULTICAST_LOOP) },
    { OPT(WS_IPPROTO_IP, WS_IP_ADD_MEMBERSHIP), LEN_STRUCT, VAL_RAW, TYPE_DGRAM, FAM_INET, SET,
      .size = 8, .set_struct = add_membership },
    { OPT(WS_IPPROTO_IP, WS_IP_DROP_MEMBERSHIP), LEN_STRUCT, VAL_RAW, TYPE_DGRAM, FAM_INET, SET,
      .size = 8, .set_struct = drop_membership },
    { OPT(WS_IPPROTO_IP, WS_IP_DONTFRAGMENT), LEN_IP_BYTE, VAL_BOOL, TYPE_ANY, FAM_INET, GET | SET,
      EMU(get_dontfrag, set_dontfrag) },
    { OPT(WS_IPPROTO_IP, WS_IP_ADD_SOURCE_MEMBERSHIP), LEN_STRUCT, VAL_RAW, TYPE_DGRAM, FAM_INET, SET,
      .size = 12, .set_struct = add_source },
    { OPT(WS_IPPROTO_IP, WS_IP_DROP_SOURCE_MEMBERSHIP), LEN_STRUCT, VAL_RAW, TYPE_DGRAM, FAM_INET, SET,
      .size = 12, .set_struct = drop_source },
    { OPT(WS_IPPROTO_IP, WS_IP_BLOCK_SOURCE), LEN_STRUCT, VAL_RAW, TYPE_DGRAM, FAM_INET, SET,
      .size = 12, .set_struct = block_source },
    { OPT(WS_IPPROTO_IP, WS_IP_UNBLOCK_SOURCE), LEN_STRUCT, VAL_RAW, TYPE_DGRAM, FAM_INET, SET,
      .size = 12, .set_struct = unblock_source },
    { OPT(WS_IPPROTO_IP, WS_IP_PKTINFO), LEN_DWORD_RESET, VAL_BOOL, TYPE_DGRAM, FAM_INET, GET | SET,
      LX(IPPROTO_IP, IP_PKTINFO) },
    { OPT(WS_IPPROTO_IP, WS_IP_RECVTTL), LEN_DWORD_RESET, VAL_BOOL, TYPE_DGRAM, FAM_INET, GET | SET,
      LX(IPPROTO_IP, IP_RECVTTL) },
    { OPT(WS_IPPROTO_IP, WS_IP_RECEIVE_BROADCAST), LEN_DWORD, VAL_BOOL, TYPE_DGRAM, FAM_INET, GET | SET,
      KEEP(SLOT_RECEIVE_BROADCAST), .dflt = 1 },
    { OPT(WS_IPPROTO_IP, WS_IP_RECVIF), LEN_DWORD, VAL_BOOL, TYPE_DGRAM, FAM_INET, GET | SET, KEEP(SLOT_RECVIF) },
    { OPT(WS_IPPROTO_IP, WS_IP_IFLIST), LEN_DWORD, VAL_BOOL, TYPE_ANY, FAM_INET, GET | SET, KEEP(SLOT_IFLIST) },
    { OPT(WS_IPPROTO_IP, WS_IP_UNICAST_IF), LEN_DWORD, VAL_RAW, TYPE_ANY, FAM_INET, GET | SET,
      LX(IPPROTO_IP, IP_UNICAST_IF) },
    { OPT(WS_IPPROTO_IP, WS_IP_RECVTOS), LEN_DWORD_RESET, VAL_BOOL, TYPE_DGRAM, FAM_INET, GET | SET,
      LX(IPPROTO_IP, IP_RECVTOS) },
    { OPT(WS_IPPROTO_IP, WS_IP_ORIGINAL_ARRIVAL_IF), LEN_DWORD, VAL_BOOL, TYPE_DGRAM, FAM_INET, GET | SET,
      KEEP(SLOT_ORIGINAL_ARRIVAL_IF) },
    { OPT(WS_IPPROTO_IP, WS_IP_ECN), LEN_DWORD, VAL_BOOL, TYPE_DGRAM, FAM_INET, GET | SET, KEEP(SLOT_RECVECN) },
    { OPT(WS_IPPROTO_IP, WS_IP_MTU_DISCOVER), LEN_DWORD, VAL_RAW, TYPE_ANY, FAM_INET, GET | SET,
      EMU(get_mtu_discover, set_mtu_discover) },
    { OPT(WS_IPPROTO_IP, WS_IP_MTU), LEN_DWORD, VAL_RAW, TYPE_ANY, FAM_INET, GET, LX(IPPROTO_IP, IP_MTU) },
    { OPT(WS_IPPROTO_IP, WS_IP_USER_MTU), LEN_DWORD, VAL_RAW, TYPE_ANY, FAM_INET, GET | SET,
      KEEP(SLOT_USER_MTU), .dflt = 0xffffffff },

    /* IPPROTO_IPV6 */
    { OPT(WS_IPPROTO_IPV6, WS_IPV6_HDRINCL), LEN_DWORD, VAL_BOOL, TYPE_ANY, FAM_INET6, GET | SET,
      EMU(get_hdrincl, set_hdrincl) },
    { OPT(WS_IPPROTO_IPV6, WS_IPV6_UNICAST_HOPS), LEN_IP_BYTE, VAL_BYTE, TYPE_ANY, FAM_INET6, GET | SET,
      LX(IPPROTO_IPV6, IPV6_UNICAST_HOPS) },
    { OPT(WS_IPPROTO_IPV6, WS_IPV6_MULTICAST_IF), LEN_DWORD, VAL_RAW, TYPE_DGRAM, FAM_INET6, GET | SET,
      LX(IPPROTO_IPV6, IPV6_MULTICAST_IF) },
    { OPT(WS_IPPROTO_IPV6, WS_IPV6_MULTICAST_HOPS), LEN_IP_BYTE, VAL_BYTE, TYPE_DGRAM, FAM_INET6, GET | SET,
      LX(IPPROTO_IPV6, IPV6_MULTICAST_HOPS) },
    { OPT(WS_IPPROTO_IPV6, WS_IPV6_MULTICAST_LOOP), LEN_IP_BYTE, VAL_BOOL, TYPE_DGRAM, FAM_INET6, GET | SET,
      LX(IPPROTO_IPV6, IPV6_MULTICAST_LOOP) },
    { OPT(WS_IPPROTO_IPV6, WS_IPV6_ADD_MEMBERSHIP), LEN_STRUCT, VAL_RAW, TYPE_DGRAM, FAM_INET6, SET,
      .size = 20, .set_struct = add_membership6 },
    { OPT(WS_IPPROTO_IPV6, WS_IPV6_DROP_MEMBERSHIP), LEN_STRUCT, VAL_RAW, TYPE_DGRAM, FAM_INET6, SET,
      .size = 20, .set_struct = drop_membership6 },
    { OPT(WS_IPPROTO_IPV6, WS_IPV6_DONTFRAG), LEN_IP_BYTE, VAL_BOOL, TYPE_ANY, FAM_INET6, GET | SET,
      EMU(get_dontfrag, set_dontfrag) },
    { OPT(WS_IPPROTO_IPV6, WS_IPV6_PKTINFO), LEN_DWORD_RESET, VAL_BOOL, TYPE_DGRAM, FAM_INET6, GET | SET,
      LX(IPPROTO_IPV6, IPV6_RECVPKTINFO) },
    { OPT(WS_IPPROTO_IPV6, WS_IPV6_HOPLIMIT), LEN_DWORD_RESET, VAL_BOOL, TYPE_DGRAM, FAM_INET6, GET | SET,
      LX(IPPROTO_IPV6, IPV6_RECVHOPLIMIT) },
    { OPT(WS_IPPROTO_IPV6, WS_IPV6_PROTECTION_LEVEL), LEN_DWORD, VAL_RAW, TYPE_ANY, FAM_INET6, GET | SET,
      KEEP(SLOT_PROTECTION_LEVEL), .dflt = 0xffffffff },
    { OPT(WS_IPPROTO_IPV6, WS_IPV6_V6ONLY), LEN_BYTE, VAL_BOOL, TYPE_ANY, FAM_ANY, GET | SET,
      KEEP(SLOT_V6ONLY_INET), .dflt = 1, EMU(get_v6only, set_v6only) },
    { OPT(WS_IPPROTO_IPV6, WS_IPV6_UNICAST_IF), LEN_DWORD, VAL_RAW, TYPE_ANY, FAM_INET6, GET | SET,
      LX(IPPROTO_IPV6, IPV6_UNICAST_IF) },
    { OPT(WS_IPPROTO_IPV6, WS_IPV6_TCLASS), LEN_DWORD, VAL_BYTE, TYPE_ANY, FAM_INET6, GET | SET,
      LX(IPPROTO_IPV6, IPV6_TCLASS) },
    { OPT(WS_IPPROTO_IPV6, WS_IPV6_RECVTCLASS), LEN_DWORD_RESET, VAL_BOOL, TYPE_DGRAM, FAM_INET6, GET | SET,
      LX(IPPROTO_IPV6, IPV6_RECVTCLASS) },
    { OPT(WS_IPPROTO_IPV6, WS_IPV6_ECN), LEN_DWORD, VAL_BOOL, TYPE_DGRAM, FAM_INET6, GET | SET, KEEP(SLOT_ECN6) },
    { OPT(WS_IPPROTO_IPV6, WS_IP_ORIGINAL_ARRIVAL_IF), LEN_DWORD, VAL_BOOL, TYPE_DGRAM, FAM_INET6, GET | SET,
      KEEP(SLOT_ORIGINAL_ARRIVAL_IF6) },
    { OPT(WS_IPPROTO_IPV6, WS_IPV6_MTU_DISCOVER), LEN_DWORD, VAL_RAW, TYPE_ANY, FAM_INET6, GET | SET,
      EMU(get_mtu_discover, set_mtu_discover) },
    { OPT(WS_IPPROTO_IPV6, WS_IPV6_MTU), LEN_DWORD, VAL_RAW, TYPE_ANY, FAM_INET6, GET, LX(IPPROTO_IPV6, IPV6_MTU) },

    /* IPPROTO_UDP */
    { OPT(WS_IPPROTO_UDP, WS2_UDP_NOCHECKSUM), LEN_DWORD, VAL_BOOL, TYPE_DGRAM, FAM_INET, GET | SET,
      KEEP(SLOT_NOCHECKSUM) },
    { OPT(WS_IPPROTO_UDP, WS2_UDP_SEND_MSG_SIZE), LEN_DWORD, VAL_RAW, TYPE_DGRAM, FAM_ANY, GET | SET,
      KEEP(SLOT_SEND_MSG_SIZE) },
    { OPT(WS_IPPROTO_UDP, WS2_UDP_RECV_MAX_COALESCED_SIZE), LEN_DWORD, VAL_RAW, TYPE_DGRAM, FAM_ANY, GET | SET,
      KEEP(SLOT_RECV_COALESCED) },
    { OPT(WS_IPPROTO_UDP, WS2_UDP_CHECKSUM_COVERAGE), LEN_DWORD, VAL_RAW, TYPE_DGRAM, FAM_ANY, GET | SET,
      KEEP(SLOT_CHECKSUM_COVERAGE) },
};
/* clang-format on */

/* Levels Windows knows; an option missing from a known level is WSAENOPROTOOPT. */
/* clang-format off */
static const int known_levels[] =
{
    WS_SOL_SOCKET, WS_IPPROTO_TCP, WS_IPPROTO_IP, WS_IPPROTO_IPV6, WS_IPPROTO_UDP,
};
/* clang-format on */

static const struct sockopt_row *find_option(int level, int name, int *status)
{
    unsigned int i;

    for (i = 0; i < sizeof(options) / sizeof(options[0]); i++)
        if (options[i].level == level && options[i].name == name)
        {
            *status = 0;
            return &options[i];
        }
    *status = WSAEINVAL;
    for (i = 0; i < sizeof(known_levels) / sizeof(known_levels[0]); i++)
        if (known_levels[i] == level) *status = WSAENOPROTOOPT;
    return NULL;
}

int sockopt_row(unsigned int i, int *level, int *name)
{
    if (i >= sizeof(options) / sizeof(options[0])) return -1;
    *level = options[i].level;
    *name = options[i].name;
    return 0;
}

const char *sockopt_name(int level, int name)
{
    const struct sockopt_row *row;
    int status;

    if (!(row = find_option(level, name, &status))) return NULL;
    return strncmp(row->label, "WS_", 3) ? row->label : row->label + 3;
}

static const struct sockopt_row *lookup(struct ws2_socket *sock, int level, int name,
                                        unsigned int access, int *status)
{
    const struct sockopt_row *row = find_option(level, name, status);
    /* Raw sockets take the datagram options (and the HDRINCL ones). */
    unsigned int type = sock->type == WS_SOCK_STREAM ? TYPE_STREAM : TYPE_DGRAM;
    unsigned int family = sock->family == WS_AF_INET6 ? FAM_INET6 : FAM_INET;

    if (!row) return NULL;
    if (!(row->access & access) || !(row->types & type) || !(row->families & family))
    {
        *status = WSAENOPROTOOPT;
        return NULL;
    }
    return row;
}

static int read_value(struct ws2_socket *sock, const struct sockopt_row *row, uint32_t *value)
{
    int v = 0;
    socklen_t len = sizeof(v);

    if (row->get) return row->get(sock, value);
    if (row->slot || !row->lx_name)
    {
        *value = sock->opt_slots[row->slot];
        return 0;
    }
    if (getsockopt(sock->fd, row->lx_level, row->lx_name, &v, &len) < 0) return errno_to_wsa(errno);
    *value = v;
    return 0;
}

static int write_value(struct ws2_socket *sock, const struct sockopt_row *row, uint32_t value)
{
    int v = value;

    if (row->set) return row->set(sock, value);
    if (row->slot)
    {
        sock->opt_slots[row->slot] = value;
        return 0;
    }
    if (setsockopt(sock->fd, row->lx_level, row->lx_name, &v, sizeof(v)) < 0) return errno_to_wsa(errno);
    return 0;
}

/* ------------------------------------------------------------ set */

/* How many bytes of optval setsockopt reads, or a negative WSA error. */
static int set_length(const struct sockopt_row *row, int32_t optlen)
{
    if (optlen < 0)
    {
        /* 4-byte SOL_SOCKET options take a negative length as 4. */
        if (row->level == WS_SOL_SOCKET && row->len != LEN_BYTE && row->len < LEN_STRUCT) return 4;
        return -WSAENOBUFS;
    }
    switch (row->len)
    {
    case LEN_BYTE: return optlen ? 1 : -WSAEFAULT;
    case LEN_SOL_BOOL: return optlen < 4 ? optlen : 4;
    case LEN_IP_BYTE: return !optlen ? -WSAEFAULT : optlen < 4 ? optlen
                                                               : 4;
    case LEN_STRUCT:
    case LEN_STRUCT_SIZE:
    case LEN_STRUCT_KEEP: return (uint32_t)optlen < row->size ? -WSAEFAULT : (int)row->size;
    case LEN_BLOB: return (uint32_t)optlen > row->size ? -WSAEINVAL : optlen;
    default: return optlen < 4 ? -WSAEFAULT : 4;
    }
}

int sockopt_set(struct ws2_socket *sock, const struct ws2_sockopt_request *req)
{
    const struct sockopt_row *row;
    uint32_t value = 0;
    int status, n;

    if (!(row = lookup(sock, req->level, req->name, SET, &status))) return status;
    if (row->error) return row->error;
    if (req->flags & WS2_OPTVAL_NULL && !(row->len == LEN_STRUCT && !row->size)) return WSAEFAULT;
    if ((n = set_length(row, req->optlen)) < 0) return -n;
    if (!n && !row->set_struct) return 0; /* a SOL_SOCKET bool with optlen 0 */
    if ((req->flags & WS2_OPTVAL_FAULT) || req->datalen < (uint32_t)n) return WSAEFAULT;
    if (row->set_struct) return row->set_struct(sock, req->data, n);
    memcpy(&value, req->data, n); /* little-endian: the low n bytes */
    switch (row->kind)
    {
    case VAL_BOOL: value = !!value; break;
    case VAL_BYTE:
        if (value > 0xff) return WSAEINVAL;
        break;
    case VAL_RAW: break;
    }
    return write_value(sock, row, value);
}

/* ------------------------------------------------------------ get */

void sockopt_get(struct ws2_socket *sock, const struct ws2_sockopt_request *req,
                 struct sockopt_result *res)
{
    const struct sockopt_row *row;
    int32_t optlen = req->optlen;
    uint32_t value = 0, out;

    /* The reply carries all of it, also what an early return leaves unset. */
    memset(res, 0, sizeof(*res));
    if (!(row = lookup(sock, req->level, req->name, GET, &res->status))) return;
    if ((res->status = row->error)) return;
    if (req->flags & (WS2_OPTLEN_FAULT | WS2_OPTVAL_NULL | WS2_OPTVAL_FAULT))
    {
        res->status = WSAEFAULT;
        return;
    }
    if (optlen <= 0)
    {
        res->status = WSAEFAULT;
        return;
    }

    switch (row->len)
    {
    case LEN_BYTE: out = 1; break;
    case LEN_SOL_BOOL:
        out = optlen >= 4 ? 4 : optlen >= 2 ? 2
                                            : 1;
        break;
    case LEN_IP_BYTE: out = optlen >= 4 ? 4 : 1; break;
    case LEN_BLOB:
        if ((res->status = row->get_struct(sock, req, res->data, &res->datalen))) return;
        if (res->datalen > (uint32_t)optlen)
        {
            res->datalen = 0;
            res->status = WSAEFAULT;
            return;
        }
        res->optlen = res->datalen;
        res->set_optlen = 1;
        return;
    case LEN_STRUCT:
    case LEN_STRUCT_SIZE:
    case LEN_STRUCT_KEEP:
        if ((uint32_t)optlen < row->size)
        {
            res->status = WSAEFAULT;
            if (row->len == LEN_STRUCT_SIZE)
            {
                res->optlen = row->size;
                res->set_optlen = 1;
            }
            return;
        }
        if ((res->status = row->get_struct(sock, req, res->data, &res->datalen))) return;
        /* A larger buffer keeps its length (SO_PROTOCOL_INFO). */
        res->optlen = row->len == LEN_STRUCT ? (int32_t)res->datalen : optlen;
        res->set_optlen = 1;
        return;
    default:
        if (optlen >= 4)
        {
            out = 4;
            break;
        }
        res->status = WSAEFAULT;
        if (row->len == LEN_DWORD_ZERO)
        {
            res->datalen = optlen;
            memset(res->data, 0, optlen);
        }
        else if (row->len == LEN_DWORD_RESET)
        {
            res->optlen = 0;
            res->set_optlen = 1;
        }
        return;
    }

    if ((res->status = read_value(sock, row, &value))) return;
    if (row->kind == VAL_BOOL) value = !!value;
    memcpy(res->data, &value, sizeof(value));
    res->datalen = out;
    /* A 2-byte buffer gets 2 bytes of a SOL_SOCKET bool, reported as 1. */
    res->optlen = out == 2 ? 1 : (int32_t)out;
    res->set_optlen = 1;
}

void sockopt_defaults(struct ws2_socket *sock)
{
    unsigned int i;

    for (i = 0; i < sizeof(options) / sizeof(options[0]); i++)
        if (options[i].slot) sock->opt_slots[options[i].slot] = options[i].dflt;
    /* Windows: stream sockets do not fragment by default (Vista and later). */
    if (sock->type == WS_SOCK_STREAM) set_dontfrag(sock, 1);
}

void sockopt_apply_inherited(struct ws2_socket *sock)
{
    if (sock->rcvbuf.set) set_rcvbuf(sock, sock->rcvbuf.value);
    if (sock->sndbuf.set) set_sndbuf(sock, sock->sndbuf.value);
}
