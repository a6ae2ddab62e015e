/*
 * getsockopt/setsockopt with Windows' semantics, from one table.
 *
 * Each row says how the option's length is checked (Windows has several
 * rules, see enum length_rule), how its value is read (bool, byte, raw),
 * which socket types have it, whether it can be read and written, and
 * either the Linux option it maps to or the handlers that emulate it.
 * Adding an option is adding a row.
 */
#include <errno.h>
#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include "server.h"

/* Length rules, named after the groups of Windows' observed behaviour. */
enum length_rule
{
    LEN_BYTE,        /* one byte in, one byte out (*optlen = 1) */
    LEN_SOL_BOOL,    /* 1, 2, 4 bytes in (0 is a no-op); out 1, 2 (as 1) or 4 */
    LEN_IP_BYTE,     /* 1-4 bytes in; out 1 byte for short buffers, else 4 */
    LEN_DWORD_ZERO,  /* 4 bytes; a short get buffer is zero-filled, WSAEFAULT */
    LEN_DWORD,       /* 4 bytes; short buffers fail untouched */
    LEN_DWORD_RESET, /* 4 bytes; a short get sets *optlen to 0 */
};

enum value_kind
{
    VAL_BOOL,        /* nonzero is stored and read back as 1 */
    VAL_BYTE,        /* 0..255, more is WSAEINVAL */
    VAL_RAW,         /* stored verbatim */
};

#define TYPE_STREAM 0x1
#define TYPE_DGRAM  0x2
#define TYPE_ANY    (TYPE_STREAM | TYPE_DGRAM)

#define OPT_GET 0x1
#define OPT_SET 0x2

struct sockopt_row
{
    int level, name;
    const char *label;
    enum length_rule len;
    enum value_kind kind;
    unsigned int types;
    unsigned int access;
    int linux_level, linux_name;       /* used when there are no handlers */
    int (*get)(struct ws2_socket *sock, uint32_t *value);
    int (*set)(struct ws2_socket *sock, uint32_t value);
};

/* ------------------------------------------------------------ emulation */

static uint32_t linger_pack(const struct WS_linger *l)
{
    return (uint32_t)l->l_onoff | ((uint32_t)l->l_linger << 16);
}

static int get_linger(struct ws2_socket *sock, uint32_t *value)
{
    *value = linger_pack(&sock->linger);
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

static int get_reuseaddr(struct ws2_socket *sock, uint32_t *value)
{
    *value = sock->reuseaddr;
    return 0;
}

static int set_reuseaddr(struct ws2_socket *sock, uint32_t value)
{
    int on = !!value;

    sock->reuseaddr = on;
    setsockopt(sock->fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
    return 0;
}

/* Linux doubles buffer sizes; Windows reads back what was set. */
static int get_buffer(struct ws2_socket *sock, uint32_t *value, const struct ws2_bufsize *stored, int name)
{
    int size = 0;
    socklen_t len = sizeof(size);

    if (stored->set) { *value = stored->value; return 0; }
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
static int get_rcvtimeo(struct ws2_socket *s, uint32_t *v) { *v = s->rcvtimeo; return 0; }
static int set_rcvtimeo(struct ws2_socket *s, uint32_t v) { s->rcvtimeo = v; return 0; }
static int get_sndtimeo(struct ws2_socket *s, uint32_t *v) { *v = s->sndtimeo; return 0; }
static int set_sndtimeo(struct ws2_socket *s, uint32_t v) { s->sndtimeo = v; return 0; }

/* ------------------------------------------------------------ the table */

#define EMULATED(get, set) -1, -1, get, set
#define LINUX(level, name) level, name, NULL, NULL

static const struct sockopt_row options[] =
{
    { WS_SOL_SOCKET, WS_SO_REUSEADDR, "SO_REUSEADDR", LEN_SOL_BOOL, VAL_BOOL, TYPE_ANY, OPT_GET | OPT_SET,
      EMULATED(get_reuseaddr, set_reuseaddr) },
    { WS_SOL_SOCKET, WS_SO_LINGER, "SO_LINGER", LEN_DWORD_ZERO, VAL_RAW, TYPE_STREAM, OPT_GET | OPT_SET,
      EMULATED(get_linger, set_linger) },
    { WS_SOL_SOCKET, WS_SO_DONTLINGER, "SO_DONTLINGER", LEN_SOL_BOOL, VAL_BOOL, TYPE_STREAM, OPT_GET | OPT_SET,
      EMULATED(get_dontlinger, set_dontlinger) },
    { WS_SOL_SOCKET, WS_SO_SNDBUF, "SO_SNDBUF", LEN_DWORD_ZERO, VAL_RAW, TYPE_ANY, OPT_GET | OPT_SET,
      EMULATED(get_sndbuf, set_sndbuf) },
    { WS_SOL_SOCKET, WS_SO_RCVBUF, "SO_RCVBUF", LEN_DWORD_ZERO, VAL_RAW, TYPE_ANY, OPT_GET | OPT_SET,
      EMULATED(get_rcvbuf, set_rcvbuf) },
    { WS_SOL_SOCKET, WS_SO_KEEPALIVE, "SO_KEEPALIVE", LEN_BYTE, VAL_BOOL, TYPE_STREAM, OPT_GET | OPT_SET,
      LINUX(SOL_SOCKET, SO_KEEPALIVE) },
    { WS_SOL_SOCKET, WS_SO_RCVTIMEO, "SO_RCVTIMEO", LEN_DWORD, VAL_RAW, TYPE_ANY, OPT_GET | OPT_SET,
      EMULATED(get_rcvtimeo, set_rcvtimeo) },
    { WS_SOL_SOCKET, WS_SO_SNDTIMEO, "SO_SNDTIMEO", LEN_DWORD, VAL_RAW, TYPE_ANY, OPT_GET | OPT_SET,
      EMULATED(get_sndtimeo, set_sndtimeo) },
    { WS_SOL_SOCKET, WS_SO_ERROR, "SO_ERROR", LEN_DWORD, VAL_RAW, TYPE_ANY, OPT_GET | OPT_SET,
      EMULATED(get_error, set_error) },
    { WS_SOL_SOCKET, WS_SO_TYPE, "SO_TYPE", LEN_DWORD, VAL_RAW, TYPE_ANY, OPT_GET,
      EMULATED(get_type, NULL) },
    { WS_IPPROTO_TCP, WS_TCP_NODELAY, "TCP_NODELAY", LEN_BYTE, VAL_BOOL, TYPE_STREAM, OPT_GET | OPT_SET,
      LINUX(IPPROTO_TCP, TCP_NODELAY) },
};

/* Levels Windows knows; an option missing from a known level is WSAENOPROTOOPT. */
static const int known_levels[] =
{
    WS_SOL_SOCKET, WS_IPPROTO_TCP, WS_IPPROTO_IP, WS_IPPROTO_IPV6, WS_IPPROTO_UDP,
};

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

static int type_bit(const struct ws2_socket *sock)
{
    return sock->type == WS_SOCK_STREAM ? TYPE_STREAM : TYPE_DGRAM;
}

static const struct sockopt_row *lookup(struct ws2_socket *sock, int level, int name,
                                        unsigned int access, int *status)
{
    const struct sockopt_row *row = find_option(level, name, status);

    if (!row) return NULL;
    if (!(row->access & access) || !(row->types & type_bit(sock)))
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
    if (getsockopt(sock->fd, row->linux_level, row->linux_name, &v, &len) < 0) return errno_to_wsa(errno);
    *value = v;
    return 0;
}

static int write_value(struct ws2_socket *sock, const struct sockopt_row *row, uint32_t value)
{
    int v = value;

    if (row->set) return row->set(sock, value);
    if (setsockopt(sock->fd, row->linux_level, row->linux_name, &v, sizeof(v)) < 0) return errno_to_wsa(errno);
    return 0;
}

/* ------------------------------------------------------------ set */

/* How many bytes of optval setsockopt reads, or a negative WSA error. */
static int set_length(const struct sockopt_row *row, int32_t optlen)
{
    if (optlen < 0)
    {
        /* 4-byte SOL_SOCKET options take a negative length as 4. */
        if (row->level == WS_SOL_SOCKET && row->len != LEN_BYTE) return 4;
        return -WSAENOBUFS;
    }
    switch (row->len)
    {
    case LEN_BYTE:      return optlen ? 1 : -WSAEFAULT;
    case LEN_SOL_BOOL:  return optlen < 4 ? optlen : 4;
    case LEN_IP_BYTE:   return !optlen ? -WSAEFAULT : optlen < 4 ? optlen : 4;
    default:            return optlen < 4 ? -WSAEFAULT : 4;
    }
}

int sockopt_set(struct ws2_socket *sock, const struct ws2_sockopt_request *req)
{
    const struct sockopt_row *row;
    uint32_t value = 0;
    int status, n;

    if (!(row = lookup(sock, req->level, req->name, OPT_SET, &status))) return status;
    if (req->flags & WS2_OPTVAL_NULL) return WSAEFAULT;
    if ((n = set_length(row, req->optlen)) < 0) return -n;
    if (!n) return 0;
    if ((req->flags & WS2_OPTVAL_FAULT) || req->datalen < (uint32_t)n) return WSAEFAULT;
    memcpy(&value, req->data, n);   /* little-endian: the low n bytes */
    switch (row->kind)
    {
    case VAL_BOOL: value = !!value; break;
    case VAL_BYTE: if (value > 0xff) return WSAEINVAL; break;
    case VAL_RAW:  break;
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

    res->set_optlen = 0;
    res->datalen = 0;
    if (!(row = lookup(sock, req->level, req->name, OPT_GET, &res->status))) return;
    if (req->flags & (WS2_OPTLEN_FAULT | WS2_OPTVAL_NULL | WS2_OPTVAL_FAULT)) { res->status = WSAEFAULT; return; }
    if (optlen <= 0) { res->status = WSAEFAULT; return; }

    switch (row->len)
    {
    case LEN_BYTE:     out = 1; break;
    case LEN_SOL_BOOL: out = optlen >= 4 ? 4 : optlen >= 2 ? 2 : 1; break;
    case LEN_IP_BYTE:  out = optlen >= 4 ? 4 : 1; break;
    default:
        if (optlen >= 4) { out = 4; break; }
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

void sockopt_apply_inherited(struct ws2_socket *sock)
{
    if (sock->rcvbuf.set) set_rcvbuf(sock, sock->rcvbuf.value);
    if (sock->sndbuf.set) set_sndbuf(sock, sock->sndbuf.value);
}
