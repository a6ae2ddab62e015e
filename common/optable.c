/*
 * getsockopt/setsockopt with Windows' semantics, from one table, compiled
 * into the server and the DLL (common/optable.h says how each side uses it).
 *
 * Each row says how the option's length is checked (Windows has several
 * rules, see enum length_rule), how its value is read (bool, byte, raw),
 * which socket types and families have it, whether it can be read and
 * written, and what it does: map onto a Linux option, keep a value in the
 * socket's slot of the shared region, call handlers that emulate it, fail
 * with the error Windows gives, or (column `server`) need what only the
 * server knows.  Adding an option is adding a row.
 */
#include <stddef.h>
#include <string.h>
#ifdef USE_WS_PREFIX
#include "ws.h" /* the server: Wine's headers, Windows' names prefixed WS_ */
#define W(name) WS_##name
#else
#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#define W(name) name
#endif
#include "ws2proto.h"
#include "ws2consts.h"
#include "ws2shared.h"
#include "optable.h"

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

typedef const struct sockopt_target target;

struct option_row
{
    int level, name;
    const char *label;
    enum length_rule len;
    enum value_kind kind;
    unsigned int types, families, access;
    int error;                      /* Windows refuses it with this error */
    int lx_level, lx_name;          /* a Linux option with the same meaning */
    int slot;                       /* kept in the socket's slot (SLOT_*), or 0 */
    uint32_t dflt;                  /* the slot's initial value */
    uint32_t size;                  /* LEN_STRUCT*: the value's size */
    enum optable_server_row server; /* only the server can answer it (a get) */
    int (*get)(target *t, uint32_t *value);
    int (*set)(target *t, uint32_t value);
    int (*get_struct)(target *t, const struct ws2_sockopt_request *req, uint8_t *out, uint32_t *len);
    int (*set_struct)(target *t, const uint8_t *data, uint32_t len);
};

/* Values kept in the slot for options Linux has no use for. */
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
_Static_assert(SLOT_COUNT <= WS2_SHARED_OPT_SLOTS, "too many option slots");

/* An int option of the Linux socket. */
static int host_get_int(target *t, int level, int name, int *value)
{
    uint32_t len = sizeof(*value);

    *value = 0;
    return optable_host_get(t->fd, level, name, value, &len);
}

static int host_set_int(target *t, int level, int name, int value)
{
    return optable_host_set(t->fd, level, name, &value, sizeof(value));
}

static int is_inet6(target *t)
{
    return t->family == W(AF_INET6);
}

/* ------------------------------------------------------------ emulation */

static int get_linger(target *t, uint32_t *value)
{
    *value = ws2_shared_load(&t->shared->linger);
    return 0;
}

static int set_linger(target *t, uint32_t value)
{
    /* Kept as given (l_onoff | l_linger << 16); the Linux socket keeps
     * SO_LINGER off and the server applies it at the last close (linger.c). */
    ws2_shared_store(&t->shared->linger, value);
    return 0;
}

static int get_dontlinger(target *t, uint32_t *value)
{
    *value = !(ws2_shared_load(&t->shared->linger) & 0xffff);
    return 0;
}

static int dontlinger_update(uint32_t old, uint32_t value, uint32_t *new_value)
{
    /* FALSE turns lingering on again with the timeout set before. */
    *new_value = (old & 0xffff0000) | !value;
    return 0;
}

static int set_dontlinger(target *t, uint32_t value)
{
    return ws2_shared_update(&t->shared->linger, dontlinger_update, value);
}

static int get_type(target *t, uint32_t *value)
{
    *value = t->type;
    return 0;
}

static int get_acceptconn(target *t, uint32_t *value)
{
    *value = !!(ws2_shared_load(&t->shared->state) & WS2_STATE_LISTENING);
    return 0;
}

static int get_error(target *t, uint32_t *value)
{
    /* Read and reset, whether the program set it or the kernel did. */
    if ((*value = ws2_shared_exchange(&t->shared->error, 0))) return 0;
    *value = optable_host_error(t->fd);
    return 0;
}

static int set_error(target *t, uint32_t value)
{
    ws2_shared_store(&t->shared->error, value);
    return 0;
}

/* The two sharing options exclude each other, in either order: one word,
 * changed by a CAS, so that two threads cannot both win.  The argument is
 * the option's bit, with SHARE_ON when it is turned on. */
#define SHARE_ON 0x100
static int share_update(uint32_t old, uint32_t arg, uint32_t *new_value)
{
    const uint32_t both = WS2_SHARE_REUSEADDR | WS2_SHARE_EXCLUSIVE;
    uint32_t bit = arg & both, other = bit ^ both;
    int on = !!(arg & SHARE_ON);

    if (on && (old & other)) return WSAEINVAL;
    *new_value = on ? old | bit : old & ~bit;
    return 0;
}

static int set_reuseaddr(target *t, uint32_t value)
{
    return ws2_shared_update(&t->shared->share, share_update, WS2_SHARE_REUSEADDR | (value ? SHARE_ON : 0));
}

static int get_reuseaddr(target *t, uint32_t *value)
{
    *value = !!(ws2_shared_load(&t->shared->share) & WS2_SHARE_REUSEADDR);
    return 0;
}

static int set_exclusive(target *t, uint32_t value)
{
    /* Windows: setting it once bound has no effect; both at once is refused. */
    return ws2_shared_update(&t->shared->share, share_update, WS2_SHARE_EXCLUSIVE | (value ? SHARE_ON : 0));
}

static int get_exclusive(target *t, uint32_t *value)
{
    *value = !!(ws2_shared_load(&t->shared->share) & WS2_SHARE_EXCLUSIVE);
    return 0;
}

/* Linux doubles buffer sizes; Windows reads back what was set. */
static int get_buffer(target *t, uint32_t *value, uint32_t *stored, uint32_t flag, int name)
{
    int size, status;

    if (ws2_shared_load(&t->shared->flags) & flag)
    {
        *value = ws2_shared_load(stored);
        return 0;
    }
    if ((status = host_get_int(t, LX_SOL_SOCKET, name, &size))) return status;
    *value = size / 2;
    return 0;
}

static int set_buffer(target *t, uint32_t value, uint32_t *stored, uint32_t flag, int name)
{
    int size = value > INT32_MAX / 2 ? INT32_MAX / 2 : (int)value, status;

    if ((status = host_set_int(t, LX_SOL_SOCKET, name, size))) return status;
    /* The value before the flag that says it is there. */
    ws2_shared_store(stored, value);
    ws2_shared_or(&t->shared->flags, flag);
    return 0;
}

static int get_rcvbuf(target *t, uint32_t *v)
{
    return get_buffer(t, v, &t->shared->rcvbuf, WS2_SHARED_RCVBUF_SET, LX_SO_RCVBUF);
}
static int set_rcvbuf(target *t, uint32_t v)
{
    return set_buffer(t, v, &t->shared->rcvbuf, WS2_SHARED_RCVBUF_SET, LX_SO_RCVBUF);
}
static int get_sndbuf(target *t, uint32_t *v)
{
    return get_buffer(t, v, &t->shared->sndbuf, WS2_SHARED_SNDBUF_SET, LX_SO_SNDBUF);
}
static int set_sndbuf(target *t, uint32_t v)
{
    return set_buffer(t, v, &t->shared->sndbuf, WS2_SHARED_SNDBUF_SET, LX_SO_SNDBUF);
}

/* Timeouts are Windows' own (DWORD milliseconds); the DLL's data path
 * reads them from the slot. */
static int get_rcvtimeo(target *t, uint32_t *v)
{
    *v = ws2_shared_load(&t->shared->rcvtimeo);
    return 0;
}
static int set_rcvtimeo(target *t, uint32_t v)
{
    ws2_shared_store(&t->shared->rcvtimeo, v);
    return 0;
}
static int get_sndtimeo(target *t, uint32_t *v)
{
    *v = ws2_shared_load(&t->shared->sndtimeo);
    return 0;
}
static int set_sndtimeo(target *t, uint32_t v)
{
    ws2_shared_store(&t->shared->sndtimeo, v);
    return 0;
}

static int get_max_msg_size(target *t, uint32_t *value)
{
    /* Datagrams: the largest UDP payload; streams have no message size. */
    if (t->type != W(SOCK_STREAM)) *value = is_inet6(t) ? 65527 : 65507;
    else *value = 0xffffffff;
    return 0;
}

/* IP_DONTFRAGMENT / IPV6_DONTFRAG: Windows' default is on for streams. */
static int set_dontfrag(target *t, uint32_t value)
{
    int level = is_inet6(t) ? LX_IPPROTO_IPV6 : LX_IPPROTO_IP;
    int name = is_inet6(t) ? LX_IPV6_MTU_DISCOVER : LX_IP_MTU_DISCOVER;
    int status = host_set_int(t, level, name, value ? LX_IP_PMTUDISC_DO : LX_IP_PMTUDISC_DONT);

    if (status) return status;
    if (value) ws2_shared_or(&t->shared->flags, WS2_SHARED_DONTFRAG);
    else ws2_shared_and(&t->shared->flags, ~WS2_SHARED_DONTFRAG);
    return 0;
}

static int get_dontfrag(target *t, uint32_t *value)
{
    *value = !!(ws2_shared_load(&t->shared->flags) & WS2_SHARED_DONTFRAG);
    return 0;
}

/* IP_HDRINCL and IPV6_HDRINCL: the host's, on raw sockets only (Windows
 * refuses them on the others with WSAEINVAL). */
static int hdrincl_option(target *t, int *level, int *name)
{
    if (t->type != W(SOCK_RAW)) return WSAEINVAL;
    *level = is_inet6(t) ? LX_IPPROTO_IPV6 : LX_IPPROTO_IP;
    *name = is_inet6(t) ? LX_IPV6_HDRINCL : LX_IP_HDRINCL;
    return 0;
}

static int set_hdrincl(target *t, uint32_t value)
{
    int level, name, status = hdrincl_option(t, &level, &name);

    return status ? status : host_set_int(t, level, name, !!value);
}

static int get_hdrincl(target *t, uint32_t *value)
{
    int level, name, on, status = hdrincl_option(t, &level, &name);

    if (status || (status = host_get_int(t, level, name, &on))) return status;
    *value = !!on;
    return 0;
}

/*
 * SO_OOBINLINE.  An urgent byte that was already read out of band stays in
 * Linux's stream as a hole that reads skip; with the option on, Linux reads
 * it again, inline (Windows never gives it twice), and a close then finds it
 * unread and resets the connection.  So the hole goes first
 * (optable_host_drop_urgent_hole).
 */
static int set_oobinline(target *t, uint32_t value)
{
    if (value) optable_host_drop_urgent_hole(t->fd);
    return host_set_int(t, LX_SOL_SOCKET, LX_SO_OOBINLINE, !!value);
}

/* IP_MULTICAST_IF: an IPv4 address, or 0.x.x.x for an interface index
 * (network order); Linux takes a struct ip_mreqn. */
struct lx_ip_mreqn
{
    uint32_t multiaddr, address;
    int32_t ifindex;
};

static int set_multicast_if(target *t, uint32_t value)
{
    struct lx_ip_mreqn mreq;
    uint32_t host = ((value & 0xff) << 24) | ((value & 0xff00) << 8) | ((value >> 8) & 0xff00) | (value >> 24);

    memset(&mreq, 0, sizeof(mreq));
    if (value && !(host >> 24)) mreq.ifindex = host;
    else mreq.address = value;
    return optable_host_set(t->fd, LX_IPPROTO_IP, LX_IP_MULTICAST_IF, &mreq, sizeof(mreq));
}

static int get_multicast_if(target *t, uint32_t *value)
{
    uint32_t len = sizeof(*value);

    *value = 0;
    return optable_host_get(t->fd, LX_IPPROTO_IP, LX_IP_MULTICAST_IF, value, &len);
}

/* Windows' and Linux' PMTUD_STATE numbers differ. */
static int set_mtu_discover(target *t, uint32_t value)
{
    static const int to_linux[] = { LX_IP_PMTUDISC_WANT, LX_IP_PMTUDISC_DO, LX_IP_PMTUDISC_DONT, LX_IP_PMTUDISC_PROBE };
    int level = is_inet6(t) ? LX_IPPROTO_IPV6 : LX_IPPROTO_IP;
    int name = is_inet6(t) ? LX_IPV6_MTU_DISCOVER : LX_IP_MTU_DISCOVER;
    int status;

    /* 0 (IP_PMTUDISC_NOT_SET) is what a new socket reads, not a choice. */
    if (!value || value > 3) return WSAEINVAL;
    if ((status = host_set_int(t, level, name, to_linux[value]))) return status;
    ws2_shared_store(&t->shared->mtu_discover, value);
    return 0;
}

static int get_mtu_discover(target *t, uint32_t *value)
{
    *value = ws2_shared_load(&t->shared->mtu_discover);
    return 0;
}

/* Membership structs: ip_mreq and ipv6_mreq have Linux's layout. */
static int add_membership(target *t, const uint8_t *d, uint32_t l)
{
    return optable_host_set(t->fd, LX_IPPROTO_IP, LX_IP_ADD_MEMBERSHIP, d, l);
}
static int drop_membership(target *t, const uint8_t *d, uint32_t l)
{
    return optable_host_set(t->fd, LX_IPPROTO_IP, LX_IP_DROP_MEMBERSHIP, d, l);
}
static int add_membership6(target *t, const uint8_t *d, uint32_t l)
{
    return optable_host_set(t->fd, LX_IPPROTO_IPV6, LX_IPV6_ADD_MEMBERSHIP, d, l);
}
static int drop_membership6(target *t, const uint8_t *d, uint32_t l)
{
    return optable_host_set(t->fd, LX_IPPROTO_IPV6, LX_IPV6_DROP_MEMBERSHIP, d, l);
}

/* ip_mreq_source: Windows puts the source before the interface, Linux
 * (struct ip_mreq_source: group, interface, source) after it. */
static int source_membership(target *t, int name, const uint8_t *data)
{
    uint8_t mreq[12];

    memcpy(mreq, data, 4);
    memcpy(mreq + 4, data + 8, 4);
    memcpy(mreq + 8, data + 4, 4);
    return optable_host_set(t->fd, LX_IPPROTO_IP, name, mreq, sizeof(mreq));
}

static int add_source(target *t, const uint8_t *d, uint32_t l)
{
    (void)l;
    return source_membership(t, LX_IP_ADD_SOURCE_MEMBERSHIP, d);
}
static int drop_source(target *t, const uint8_t *d, uint32_t l)
{
    (void)l;
    return source_membership(t, LX_IP_DROP_SOURCE_MEMBERSHIP, d);
}
static int block_source(target *t, const uint8_t *d, uint32_t l)
{
    (void)l;
    return source_membership(t, LX_IP_BLOCK_SOURCE, d);
}
static int unblock_source(target *t, const uint8_t *d, uint32_t l)
{
    (void)l;
    return source_membership(t, LX_IP_UNBLOCK_SOURCE, d);
}

/* SO_BSP_STATE's CSADDR_INFO for a 64-bit caller (a 32-bit one's is 24
 * bytes): the server lays it out (optable_server_get). */
#define CSADDR_INFO_SIZE 40

/* IP_OPTIONS: the raw option bytes, the same on both systems (at most 40). */
static int get_ip_options(target *t, const struct ws2_sockopt_request *req, uint8_t *out, uint32_t *len)
{
    (void)req;
    *len = 40;
    return optable_host_get(t->fd, LX_IPPROTO_IP, LX_IP_OPTIONS, out, len);
}

static int set_ip_options(target *t, const uint8_t *data, uint32_t len)
{
    return optable_host_set(t->fd, LX_IPPROTO_IP, LX_IP_OPTIONS, data, len);
}

static int accept_anything(target *t, const uint8_t *data, uint32_t len)
{
    /* SO_UPDATE_ACCEPT/CONNECT_CONTEXT: our sockets are always up to date;
     * the DLL checked the listening socket's handle. */
    (void)t;
    (void)data;
    (void)len;
    return 0;
}

/* IPV6_V6ONLY: an IPv4 socket keeps a value of its own (1 at first), which
 * can be changed until the socket is bound, like an IPv6 socket's. */
static int set_v6only(target *t, uint32_t value)
{
    int on = !!value;

    if (!is_inet6(t))
    {
        if (optable_host_bound(t->fd)) return WSAEINVAL;
        ws2_shared_store(&t->shared->opt[SLOT_V6ONLY_INET], on);
        return 0;
    }
    /* Linux refuses it on a raw socket (its protocol is like a bound
     * port), Windows takes it: kept there, on by default. */
    if (t->type == W(SOCK_RAW))
    {
        if (on) ws2_shared_and(&t->shared->flags, ~WS2_SHARED_RAW_DUAL);
        else ws2_shared_or(&t->shared->flags, WS2_SHARED_RAW_DUAL);
        return 0;
    }
    return host_set_int(t, LX_IPPROTO_IPV6, LX_IPV6_V6ONLY, on);
}

static int get_v6only(target *t, uint32_t *value)
{
    int on = 0, status;

    if (!is_inet6(t)) on = ws2_shared_load(&t->shared->opt[SLOT_V6ONLY_INET]);
    else if (t->type == W(SOCK_RAW)) on = !(ws2_shared_load(&t->shared->flags) & WS2_SHARED_RAW_DUAL);
    else if ((status = host_get_int(t, LX_IPPROTO_IPV6, LX_IPV6_V6ONLY, &on))) return status;
    *value = !!on;
    return 0;
}

#define OPT(level, name)  W(level), W(name), #name
#define OPTX(level, name) W(level), name, #name /* a name of ws2consts.h */
#define LX(level, name)   .lx_level = LX_##level, .lx_name = LX_##name
#define KEEP(slot_)       .slot = slot_
#define EMU(g, s)         .get = g, .set = s
#define REFUSE(err)       .error = err
#define SERVER(row)       .server = row

/* clang-format off */
static const struct option_row options[] =
{
    /* SOL_SOCKET */
    { OPT(SOL_SOCKET, SO_DEBUG), LEN_DWORD, VAL_BOOL, TYPE_ANY, FAM_ANY, GET | SET, KEEP(SLOT_DEBUG) },
    { OPT(SOL_SOCKET, SO_ACCEPTCONN), LEN_DWORD, VAL_RAW, TYPE_ANY, FAM_ANY, GET, EMU(get_acceptconn, NULL) },
    { OPT(SOL_SOCKET, SO_REUSEADDR), LEN_SOL_BOOL, VAL_BOOL, TYPE_ANY, FAM_ANY, GET | SET,
      EMU(get_reuseaddr, set_reuseaddr) },
    { OPT(SOL_SOCKET, SO_EXCLUSIVEADDRUSE), LEN_SOL_BOOL, VAL_BOOL, TYPE_ANY, FAM_ANY, GET | SET,
      EMU(get_exclusive, set_exclusive) },
    { OPT(SOL_SOCKET, SO_KEEPALIVE), LEN_BYTE, VAL_BOOL, TYPE_STREAM, FAM_ANY, GET | SET,
      LX(SOL_SOCKET, SO_KEEPALIVE) },
    { OPT(SOL_SOCKET, SO_DONTROUTE), LEN_BYTE, VAL_BOOL, TYPE_ANY, FAM_INET, GET | SET, KEEP(SLOT_DONTROUTE) },
    { OPT(SOL_SOCKET, SO_BROADCAST), LEN_SOL_BOOL, VAL_BOOL, TYPE_DGRAM, FAM_ANY, GET | SET,
      LX(SOL_SOCKET, SO_BROADCAST) },
    { OPT(SOL_SOCKET, SO_USELOOPBACK), LEN_DWORD, VAL_BOOL, TYPE_ANY, FAM_ANY, GET | SET, REFUSE(WSAEINVAL) },
    { OPT(SOL_SOCKET, SO_LINGER), LEN_DWORD_ZERO, VAL_RAW, TYPE_STREAM, FAM_ANY, GET | SET,
      EMU(get_linger, set_linger) },
    { OPT(SOL_SOCKET, SO_OOBINLINE), LEN_SOL_BOOL, VAL_BOOL, TYPE_STREAM, FAM_ANY, GET | SET,
      LX(SOL_SOCKET, SO_OOBINLINE), .set = set_oobinline },
    { OPT(SOL_SOCKET, SO_DONTLINGER), LEN_SOL_BOOL, VAL_BOOL, TYPE_STREAM, FAM_ANY, GET | SET,
      EMU(get_dontlinger, set_dontlinger) },
    { OPT(SOL_SOCKET, SO_SNDBUF), LEN_DWORD_ZERO, VAL_RAW, TYPE_ANY, FAM_ANY, GET | SET,
      EMU(get_sndbuf, set_sndbuf) },
    { OPT(SOL_SOCKET, SO_RCVBUF), LEN_DWORD_ZERO, VAL_RAW, TYPE_ANY, FAM_ANY, GET | SET,
      EMU(get_rcvbuf, set_rcvbuf) },
    { OPT(SOL_SOCKET, SO_SNDLOWAT), LEN_DWORD, VAL_RAW, TYPE_ANY, FAM_ANY, GET | SET, REFUSE(WSAEINVAL) },
    { OPT(SOL_SOCKET, SO_RCVLOWAT), LEN_DWORD, VAL_RAW, TYPE_ANY, FAM_ANY, GET | SET, REFUSE(WSAEINVAL) },
    { OPT(SOL_SOCKET, SO_SNDTIMEO), LEN_DWORD, VAL_RAW, TYPE_ANY, FAM_ANY, GET | SET,
      EMU(get_sndtimeo, set_sndtimeo) },
    { OPT(SOL_SOCKET, SO_RCVTIMEO), LEN_DWORD, VAL_RAW, TYPE_ANY, FAM_ANY, GET | SET,
      EMU(get_rcvtimeo, set_rcvtimeo) },
    { OPT(SOL_SOCKET, SO_ERROR), LEN_DWORD, VAL_RAW, TYPE_ANY, FAM_ANY, GET | SET, EMU(get_error, set_error) },
    { OPT(SOL_SOCKET, SO_TYPE), LEN_DWORD, VAL_RAW, TYPE_ANY, FAM_ANY, GET, EMU(get_type, NULL) },
    { OPT(SOL_SOCKET, SO_BSP_STATE), LEN_STRUCT_KEEP, VAL_RAW, TYPE_ANY, FAM_ANY, GET,
      .size = CSADDR_INFO_SIZE, SERVER(SERVER_BSP_STATE) },
    { OPT(SOL_SOCKET, SO_GROUP_ID), LEN_DWORD, VAL_RAW, TYPE_ANY, FAM_ANY, GET, KEEP(SLOT_NONE) },
    { OPT(SOL_SOCKET, SO_GROUP_PRIORITY), LEN_DWORD, VAL_RAW, TYPE_ANY, FAM_ANY, GET | SET,
      REFUSE(WSAENOPROTOOPT) },
    { OPT(SOL_SOCKET, SO_MAX_MSG_SIZE), LEN_DWORD, VAL_RAW, TYPE_ANY, FAM_ANY, GET,
      EMU(get_max_msg_size, NULL) },
    { OPT(SOL_SOCKET, SO_PROTOCOL_INFOA), LEN_STRUCT_SIZE, VAL_RAW, TYPE_ANY, FAM_ANY, GET,
      .size = sizeof(WSAPROTOCOL_INFOA), SERVER(SERVER_PROTOCOL_INFOA) },
    { OPT(SOL_SOCKET, SO_PROTOCOL_INFOW), LEN_STRUCT_SIZE, VAL_RAW, TYPE_ANY, FAM_ANY, GET,
      .size = sizeof(WSAPROTOCOL_INFOW), SERVER(SERVER_PROTOCOL_INFOW) },
    { OPT(SOL_SOCKET, SO_CONDITIONAL_ACCEPT), LEN_DWORD, VAL_BOOL, TYPE_STREAM, FAM_ANY, GET | SET,
      KEEP(SLOT_CONDITIONAL_ACCEPT) },
    { OPTX(SOL_SOCKET, WS2_SO_PAUSE_ACCEPT), LEN_DWORD, VAL_BOOL, TYPE_STREAM, FAM_ANY, GET | SET,
      KEEP(SLOT_PAUSE_ACCEPT) },
    { OPT(SOL_SOCKET, SO_RANDOMIZE_PORT), LEN_DWORD, VAL_BOOL, TYPE_ANY, FAM_ANY, GET | SET,
      KEEP(SLOT_RANDOMIZE_PORT) },
    { OPT(SOL_SOCKET, SO_PORT_SCALABILITY), LEN_DWORD, VAL_BOOL, TYPE_ANY, FAM_ANY, GET | SET,
      KEEP(SLOT_PORT_SCALABILITY) },
    { OPT(SOL_SOCKET, SO_REUSE_UNICASTPORT), LEN_DWORD, VAL_BOOL, TYPE_ANY, FAM_ANY, GET | SET,
      KEEP(SLOT_REUSE_UNICASTPORT) },
    { OPT(SOL_SOCKET, SO_REUSE_MULTICASTPORT), LEN_DWORD, VAL_BOOL, TYPE_DGRAM, FAM_ANY, GET | SET,
      KEEP(SLOT_REUSE_MULTICASTPORT) },
    { OPT(SOL_SOCKET, SO_MAXDG), LEN_DWORD, VAL_RAW, TYPE_ANY, FAM_ANY, GET, EMU(get_max_msg_size, NULL) },
    { OPT(SOL_SOCKET, SO_MAXPATHDG), LEN_DWORD, VAL_RAW, TYPE_ANY, FAM_ANY, GET, EMU(get_max_msg_size, NULL) },
    { OPT(SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT), LEN_STRUCT, VAL_RAW, TYPE_STREAM, FAM_ANY, SET,
      .size = sizeof(SOCKET), .set_struct = accept_anything },
    { OPT(SOL_SOCKET, SO_CONNECT_TIME), LEN_DWORD, VAL_RAW, TYPE_ANY, FAM_ANY, GET,
      SERVER(SERVER_CONNECT_TIME) },
    { OPT(SOL_SOCKET, SO_UPDATE_CONNECT_CONTEXT), LEN_STRUCT, VAL_RAW, TYPE_STREAM, FAM_ANY, SET,
      .size = 0, .set_struct = accept_anything },

    /* IPPROTO_TCP */
    { OPT(IPPROTO_TCP, TCP_NODELAY), LEN_BYTE, VAL_BOOL, TYPE_STREAM, FAM_ANY, GET | SET,
      LX(IPPROTO_TCP, TCP_NODELAY) },
    { OPT(IPPROTO_TCP, TCP_EXPEDITED_1122), LEN_DWORD, VAL_BOOL, TYPE_STREAM, FAM_ANY, GET | SET,
      KEEP(SLOT_EXPEDITED) },
    { OPT(IPPROTO_TCP, TCP_KEEPALIVE), LEN_DWORD_RESET, VAL_RAW, TYPE_STREAM, FAM_ANY, GET | SET,
      LX(IPPROTO_TCP, TCP_KEEPIDLE) },
    { OPT(IPPROTO_TCP, TCP_MAXSEG), LEN_DWORD, VAL_RAW, TYPE_STREAM, FAM_ANY, GET,
      LX(IPPROTO_TCP, TCP_MAXSEG) },
    { OPT(IPPROTO_TCP, TCP_MAXRT), LEN_DWORD, VAL_RAW, TYPE_STREAM, FAM_ANY, GET | SET, KEEP(SLOT_MAXRT) },
    { OPT(IPPROTO_TCP, TCP_TIMESTAMPS), LEN_DWORD, VAL_BOOL, TYPE_STREAM, FAM_ANY, GET | SET,
      KEEP(SLOT_TIMESTAMPS) },
    { OPTX(IPPROTO_TCP, WS2_TCP_FASTOPEN), LEN_DWORD, VAL_BOOL, TYPE_STREAM, FAM_ANY, GET | SET,
      KEEP(SLOT_FASTOPEN) },
    { OPTX(IPPROTO_TCP, WS2_TCP_KEEPCNT), LEN_DWORD_RESET, VAL_BYTE, TYPE_STREAM, FAM_ANY, GET | SET,
      LX(IPPROTO_TCP, TCP_KEEPCNT) },
    { OPTX(IPPROTO_TCP, WS2_TCP_KEEPINTVL), LEN_DWORD_RESET, VAL_RAW, TYPE_STREAM, FAM_ANY, GET | SET,
      LX(IPPROTO_TCP, TCP_KEEPINTVL) },
    { OPTX(IPPROTO_TCP, WS2_TCP_FAIL_CONNECT_ON_ICMP_ERROR), LEN_DWORD, VAL_BOOL, TYPE_STREAM, FAM_ANY,
      GET | SET, KEEP(SLOT_FAIL_ON_ICMP) },
    { OPT(IPPROTO_TCP, TCP_BSDURGENT), LEN_DWORD, VAL_BOOL, TYPE_STREAM, FAM_ANY, GET | SET,
      KEEP(SLOT_BSDURGENT), .dflt = 1 },

    /* IPPROTO_IP */
    { OPT(IPPROTO_IP, IP_OPTIONS), LEN_BLOB, VAL_RAW, TYPE_ANY, FAM_INET, GET | SET,
      .size = 40, .get_struct = get_ip_options, .set_struct = set_ip_options },
    { OPT(IPPROTO_IP, IP_HDRINCL), LEN_DWORD, VAL_BOOL, TYPE_ANY, FAM_ANY, GET | SET,
      EMU(get_hdrincl, set_hdrincl) },
    { OPT(IPPROTO_IP, IP_TOS), LEN_IP_BYTE, VAL_BYTE, TYPE_ANY, FAM_INET, GET | SET, LX(IPPROTO_IP, IP_TOS) },
    { OPT(IPPROTO_IP, IP_TTL), LEN_IP_BYTE, VAL_BYTE, TYPE_ANY, FAM_INET, GET | SET, LX(IPPROTO_IP, IP_TTL) },
    { OPT(IPPROTO_IP, IP_MULTICAST_IF), LEN_DWORD, VAL_RAW, TYPE_DGRAM, FAM_INET, GET | SET,
      EMU(get_multicast_if, set_multicast_if) },
    { OPT(IPPROTO_IP, IP_MULTICAST_TTL), LEN_IP_BYTE, VAL_BYTE, TYPE_DGRAM, FAM_INET, GET | SET,
      LX(IPPROTO_IP, IP_MULTICAST_TTL) },
    { OPT(IPPROTO_IP, IP_MULTICAST_LOOP), LEN_IP_BYTE, VAL_BOOL, TYPE_DGRAM, FAM_INET, GET | SET,
      LX(IPPROTO_IP, IP_MULTICAST_LOOP) },
    { OPT(IPPROTO_IP, IP_ADD_MEMBERSHIP), LEN_STRUCT, VAL_RAW, TYPE_DGRAM, FAM_INET, SET,
      .size = 8, .set_struct = add_membership },
    { OPT(IPPROTO_IP, IP_DROP_MEMBERSHIP), LEN_STRUCT, VAL_RAW, TYPE_DGRAM, FAM_INET, SET,
      .size = 8, .set_struct = drop_membership },
    { OPT(IPPROTO_IP, IP_DONTFRAGMENT), LEN_IP_BYTE, VAL_BOOL, TYPE_ANY, FAM_INET, GET | SET,
      EMU(get_dontfrag, set_dontfrag) },
    { OPT(IPPROTO_IP, IP_ADD_SOURCE_MEMBERSHIP), LEN_STRUCT, VAL_RAW, TYPE_DGRAM, FAM_INET, SET,
      .size = 12, .set_struct = add_source },
    { OPT(IPPROTO_IP, IP_DROP_SOURCE_MEMBERSHIP), LEN_STRUCT, VAL_RAW, TYPE_DGRAM, FAM_INET, SET,
      .size = 12, .set_struct = drop_source },
    { OPT(IPPROTO_IP, IP_BLOCK_SOURCE), LEN_STRUCT, VAL_RAW, TYPE_DGRAM, FAM_INET, SET,
      .size = 12, .set_struct = block_source },
    { OPT(IPPROTO_IP, IP_UNBLOCK_SOURCE), LEN_STRUCT, VAL_RAW, TYPE_DGRAM, FAM_INET, SET,
      .size = 12, .set_struct = unblock_source },
    { OPT(IPPROTO_IP, IP_PKTINFO), LEN_DWORD_RESET, VAL_BOOL, TYPE_DGRAM, FAM_INET, GET | SET,
      LX(IPPROTO_IP, IP_PKTINFO) },
    { OPT(IPPROTO_IP, IP_RECVTTL), LEN_DWORD_RESET, VAL_BOOL, TYPE_DGRAM, FAM_INET, GET | SET,
      LX(IPPROTO_IP, IP_RECVTTL) },
    { OPT(IPPROTO_IP, IP_RECEIVE_BROADCAST), LEN_DWORD, VAL_BOOL, TYPE_DGRAM, FAM_INET, GET | SET,
      KEEP(SLOT_RECEIVE_BROADCAST), .dflt = 1 },
    { OPT(IPPROTO_IP, IP_RECVIF), LEN_DWORD, VAL_BOOL, TYPE_DGRAM, FAM_INET, GET | SET, KEEP(SLOT_RECVIF) },
    { OPT(IPPROTO_IP, IP_IFLIST), LEN_DWORD, VAL_BOOL, TYPE_ANY, FAM_INET, GET | SET, KEEP(SLOT_IFLIST) },
    { OPT(IPPROTO_IP, IP_UNICAST_IF), LEN_DWORD, VAL_RAW, TYPE_ANY, FAM_INET, GET | SET,
      LX(IPPROTO_IP, IP_UNICAST_IF) },
    { OPT(IPPROTO_IP, IP_RECVTOS), LEN_DWORD_RESET, VAL_BOOL, TYPE_DGRAM, FAM_INET, GET | SET,
      LX(IPPROTO_IP, IP_RECVTOS) },
    { OPT(IPPROTO_IP, IP_ORIGINAL_ARRIVAL_IF), LEN_DWORD, VAL_BOOL, TYPE_DGRAM, FAM_INET, GET | SET,
      KEEP(SLOT_ORIGINAL_ARRIVAL_IF) },
    { OPT(IPPROTO_IP, IP_ECN), LEN_DWORD, VAL_BOOL, TYPE_DGRAM, FAM_INET, GET | SET, KEEP(SLOT_RECVECN) },
    { OPT(IPPROTO_IP, IP_MTU_DISCOVER), LEN_DWORD, VAL_RAW, TYPE_ANY, FAM_INET, GET | SET,
      EMU(get_mtu_discover, set_mtu_discover) },
    { OPT(IPPROTO_IP, IP_MTU), LEN_DWORD, VAL_RAW, TYPE_ANY, FAM_INET, GET, LX(IPPROTO_IP, IP_MTU) },
    { OPT(IPPROTO_IP, IP_USER_MTU), LEN_DWORD, VAL_RAW, TYPE_ANY, FAM_INET, GET | SET,
      KEEP(SLOT_USER_MTU), .dflt = 0xffffffff },

    /* IPPROTO_IPV6 */
    { OPT(IPPROTO_IPV6, IPV6_HDRINCL), LEN_DWORD, VAL_BOOL, TYPE_ANY, FAM_INET6, GET | SET,
      EMU(get_hdrincl, set_hdrincl) },
    { OPT(IPPROTO_IPV6, IPV6_UNICAST_HOPS), LEN_IP_BYTE, VAL_BYTE, TYPE_ANY, FAM_INET6, GET | SET,
      LX(IPPROTO_IPV6, IPV6_UNICAST_HOPS) },
    { OPT(IPPROTO_IPV6, IPV6_MULTICAST_IF), LEN_DWORD, VAL_RAW, TYPE_DGRAM, FAM_INET6, GET | SET,
      LX(IPPROTO_IPV6, IPV6_MULTICAST_IF) },
    { OPT(IPPROTO_IPV6, IPV6_MULTICAST_HOPS), LEN_IP_BYTE, VAL_BYTE, TYPE_DGRAM, FAM_INET6, GET | SET,
      LX(IPPROTO_IPV6, IPV6_MULTICAST_HOPS) },
    { OPT(IPPROTO_IPV6, IPV6_MULTICAST_LOOP), LEN_IP_BYTE, VAL_BOOL, TYPE_DGRAM, FAM_INET6, GET | SET,
      LX(IPPROTO_IPV6, IPV6_MULTICAST_LOOP) },
    { OPT(IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP), LEN_STRUCT, VAL_RAW, TYPE_DGRAM, FAM_INET6, SET,
      .size = 20, .set_struct = add_membership6 },
    { OPT(IPPROTO_IPV6, IPV6_DROP_MEMBERSHIP), LEN_STRUCT, VAL_RAW, TYPE_DGRAM, FAM_INET6, SET,
      .size = 20, .set_struct = drop_membership6 },
    { OPT(IPPROTO_IPV6, IPV6_DONTFRAG), LEN_IP_BYTE, VAL_BOOL, TYPE_ANY, FAM_INET6, GET | SET,
      EMU(get_dontfrag, set_dontfrag) },
    { OPT(IPPROTO_IPV6, IPV6_PKTINFO), LEN_DWORD_RESET, VAL_BOOL, TYPE_DGRAM, FAM_INET6, GET | SET,
      LX(IPPROTO_IPV6, IPV6_RECVPKTINFO) },
    { OPT(IPPROTO_IPV6, IPV6_HOPLIMIT), LEN_DWORD_RESET, VAL_BOOL, TYPE_DGRAM, FAM_INET6, GET | SET,
      LX(IPPROTO_IPV6, IPV6_RECVHOPLIMIT) },
    { OPT(IPPROTO_IPV6, IPV6_PROTECTION_LEVEL), LEN_DWORD, VAL_RAW, TYPE_ANY, FAM_INET6, GET | SET,
      KEEP(SLOT_PROTECTION_LEVEL), .dflt = 0xffffffff },
    { OPT(IPPROTO_IPV6, IPV6_V6ONLY), LEN_BYTE, VAL_BOOL, TYPE_ANY, FAM_ANY, GET | SET,
      KEEP(SLOT_V6ONLY_INET), .dflt = 1, EMU(get_v6only, set_v6only) },
    { OPT(IPPROTO_IPV6, IPV6_UNICAST_IF), LEN_DWORD, VAL_RAW, TYPE_ANY, FAM_INET6, GET | SET,
      LX(IPPROTO_IPV6, IPV6_UNICAST_IF) },
    { OPT(IPPROTO_IPV6, IPV6_TCLASS), LEN_DWORD, VAL_BYTE, TYPE_ANY, FAM_INET6, GET | SET,
      LX(IPPROTO_IPV6, IPV6_TCLASS) },
    { OPT(IPPROTO_IPV6, IPV6_RECVTCLASS), LEN_DWORD_RESET, VAL_BOOL, TYPE_DGRAM, FAM_INET6, GET | SET,
      LX(IPPROTO_IPV6, IPV6_RECVTCLASS) },
    { OPT(IPPROTO_IPV6, IPV6_ECN), LEN_DWORD, VAL_BOOL, TYPE_DGRAM, FAM_INET6, GET | SET, KEEP(SLOT_ECN6) },
    { OPT(IPPROTO_IPV6, IP_ORIGINAL_ARRIVAL_IF), LEN_DWORD, VAL_BOOL, TYPE_DGRAM, FAM_INET6, GET | SET,
      KEEP(SLOT_ORIGINAL_ARRIVAL_IF6) },
    { OPT(IPPROTO_IPV6, IPV6_MTU_DISCOVER), LEN_DWORD, VAL_RAW, TYPE_ANY, FAM_INET6, GET | SET,
      EMU(get_mtu_discover, set_mtu_discover) },
    { OPT(IPPROTO_IPV6, IPV6_MTU), LEN_DWORD, VAL_RAW, TYPE_ANY, FAM_INET6, GET, LX(IPPROTO_IPV6, IPV6_MTU) },

    /* IPPROTO_UDP */
    { OPTX(IPPROTO_UDP, WS2_UDP_NOCHECKSUM), LEN_DWORD, VAL_BOOL, TYPE_DGRAM, FAM_INET, GET | SET,
      KEEP(SLOT_NOCHECKSUM) },
    { OPTX(IPPROTO_UDP, WS2_UDP_SEND_MSG_SIZE), LEN_DWORD, VAL_RAW, TYPE_DGRAM, FAM_ANY, GET | SET,
      KEEP(SLOT_SEND_MSG_SIZE) },
    { OPTX(IPPROTO_UDP, WS2_UDP_RECV_MAX_COALESCED_SIZE), LEN_DWORD, VAL_RAW, TYPE_DGRAM, FAM_ANY, GET | SET,
      KEEP(SLOT_RECV_COALESCED) },
    { OPTX(IPPROTO_UDP, WS2_UDP_CHECKSUM_COVERAGE), LEN_DWORD, VAL_RAW, TYPE_DGRAM, FAM_ANY, GET | SET,
      KEEP(SLOT_CHECKSUM_COVERAGE) },
};
/* clang-format on */

/* Levels Windows knows; an option missing from a known level is WSAENOPROTOOPT. */
/* clang-format off */
static const int known_levels[] =
{
    W(SOL_SOCKET), W(IPPROTO_TCP), W(IPPROTO_IP), W(IPPROTO_IPV6), W(IPPROTO_UDP),
};
/* clang-format on */

static const struct option_row *find_option(int level, int name, int *status)
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

int optable_row(unsigned int i, int *level, int *name)
{
    if (i >= sizeof(options) / sizeof(options[0])) return -1;
    *level = options[i].level;
    *name = options[i].name;
    return 0;
}

const char *optable_name(int level, int name)
{
    const struct option_row *row;
    int status;

    return (row = find_option(level, name, &status)) ? row->label : NULL;
}

static const struct option_row *lookup(target *t, int level, int name, unsigned int access, int *status)
{
    const struct option_row *row = find_option(level, name, status);
    /* Raw sockets take the datagram options (and the HDRINCL ones). */
    unsigned int type = t->type == W(SOCK_STREAM) ? TYPE_STREAM : TYPE_DGRAM;
    unsigned int family = is_inet6(t) ? FAM_INET6 : FAM_INET;

    if (!row) return NULL;
    if (!(row->access & access) || !(row->types & type) || !(row->families & family))
    {
        *status = WSAENOPROTOOPT;
        return NULL;
    }
    return row;
}

static int read_value(target *t, const struct option_row *row, uint32_t *value)
{
    int v, status;

    if (row->get) return row->get(t, value);
    if (row->slot || !row->lx_name)
    {
        *value = ws2_shared_load(&t->shared->opt[row->slot]);
        return 0;
    }
    if ((status = host_get_int(t, row->lx_level, row->lx_name, &v))) return status;
    *value = v;
    return 0;
}

static int write_value(target *t, const struct option_row *row, uint32_t value)
{
    if (row->set) return row->set(t, value);
    if (row->slot)
    {
        ws2_shared_store(&t->shared->opt[row->slot], value);
        return 0;
    }
    return host_set_int(t, row->lx_level, row->lx_name, value);
}

/* ------------------------------------------------------------ set */

/* How many bytes of optval setsockopt reads, or a negative WSA error. */
static int set_length(const struct option_row *row, int32_t optlen)
{
    if (optlen < 0)
    {
        /* 4-byte SOL_SOCKET options take a negative length as 4. */
        if (row->level == W(SOL_SOCKET) && row->len != LEN_BYTE && row->len < LEN_STRUCT) return 4;
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

int optable_set(target *t, const struct ws2_sockopt_request *req)
{
    const struct option_row *row;
    uint32_t value = 0;
    int status, n;

    if (!(row = lookup(t, req->level, req->name, SET, &status))) return status;
    if (row->error) return row->error;
    if (req->flags & WS2_OPTVAL_NULL && !(row->len == LEN_STRUCT && !row->size)) return WSAEFAULT;
    if ((n = set_length(row, req->optlen)) < 0) return -n;
    if (!n && !row->set_struct) return 0; /* a SOL_SOCKET bool with optlen 0 */
    if ((req->flags & WS2_OPTVAL_FAULT) || req->datalen < (uint32_t)n) return WSAEFAULT;
    if (row->set_struct) return row->set_struct(t, req->data, n);
    memcpy(&value, req->data, n); /* little-endian: the low n bytes */
    switch (row->kind)
    {
    case VAL_BOOL: value = !!value; break;
    case VAL_BYTE:
        if (value > 0xff) return WSAEINVAL;
        break;
    case VAL_RAW: break;
    }
    return write_value(t, row, value);
}

/* ------------------------------------------------------------ get */

/* A struct value: the row's handler, or the server's. */
static int get_struct(target *t, const struct option_row *row, const struct ws2_sockopt_request *req,
                      struct sockopt_result *res)
{
    if (row->server) return optable_server_get(t, row->server, req, res->data, &res->datalen);
    return row->get_struct(t, req, res->data, &res->datalen);
}

void optable_get(target *t, const struct ws2_sockopt_request *req, struct sockopt_result *res)
{
    const struct option_row *row;
    int32_t optlen = req->optlen;
    uint32_t value = 0, out;

    /* The reply carries all of it, also what an early return leaves unset. */
    memset(res, 0, offsetof(struct sockopt_result, data));
    if (!(row = lookup(t, req->level, req->name, GET, &res->status))) return;
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
    /* What only the server knows: past the checks that need nothing of it. */
    if (row->server && t->local)
    {
        res->status = SOCKOPT_AT_SERVER;
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
        if ((res->status = get_struct(t, row, req, res))) return;
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
        if ((res->status = get_struct(t, row, req, res))) return;
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

    if (row->server) res->status = optable_server_get(t, row->server, req, (uint8_t *)&value, &res->datalen);
    else res->status = read_value(t, row, &value);
    if (res->status) return;
    if (row->kind == VAL_BOOL) value = !!value;
    memcpy(res->data, &value, sizeof(value));
    res->datalen = out;
    /* A 2-byte buffer gets 2 bytes of a SOL_SOCKET bool, reported as 1. */
    res->optlen = out == 2 ? 1 : (int32_t)out;
    res->set_optlen = 1;
}

void optable_defaults(target *t)
{
    unsigned int i;

    ws2_shared_store(&t->shared->family, t->family);
    ws2_shared_store(&t->shared->type, t->type);
    ws2_shared_store(&t->shared->protocol, t->protocol);
    for (i = 0; i < sizeof(options) / sizeof(options[0]); i++)
        if (options[i].slot) ws2_shared_store(&t->shared->opt[options[i].slot], options[i].dflt);
    /* Windows: stream sockets do not fragment by default (Vista and later). */
    if (t->type == W(SOCK_STREAM)) set_dontfrag(t, 1);
}

void optable_inherit(target *t, const struct ws2_sock_shared *from)
{
    struct ws2_sock_shared *to = t->shared;
    uint32_t inherited = WS2_SHARED_RCVBUF_SET | WS2_SHARED_SNDBUF_SET | WS2_SHARED_DONTFRAG;
    uint32_t flags = ws2_shared_load(&from->flags) & inherited;
    unsigned int i;

    ws2_shared_store(&to->family, t->family);
    ws2_shared_store(&to->type, t->type);
    ws2_shared_store(&to->protocol, t->protocol);
    ws2_shared_store(&to->linger, ws2_shared_load(&from->linger));
    ws2_shared_store(&to->share, ws2_shared_load(&from->share));
    ws2_shared_store(&to->rcvtimeo, ws2_shared_load(&from->rcvtimeo));
    ws2_shared_store(&to->sndtimeo, ws2_shared_load(&from->sndtimeo));
    for (i = 0; i < WS2_SHARED_OPT_SLOTS; i++) ws2_shared_store(&to->opt[i], ws2_shared_load(&from->opt[i]));
    ws2_shared_or(&to->flags, flags & WS2_SHARED_DONTFRAG);
    /* The buffer sizes as set, on the Linux socket too. */
    if (flags & WS2_SHARED_RCVBUF_SET) set_rcvbuf(t, ws2_shared_load(&from->rcvbuf));
    if (flags & WS2_SHARED_SNDBUF_SET) set_sndbuf(t, ws2_shared_load(&from->sndbuf));
}
