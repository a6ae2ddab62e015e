/*
 * `ws2server -d`: one line per request, as
 *
 *     1234: bind handle 3 addr 127.0.0.1:5000 -> 0
 *
 * (client pid, op, handle, the request's fields, the reply's status).  The
 * request list (include/ws2requests.h) names for each op the dump_*()
 * function that prints its fields.  Values are Windows' (family, level and
 * option names), since that is what the program asked for.
 */
#include <stdio.h>
#include <stdarg.h>
#include <string.h>
#include <arpa/inet.h>
#include "ws.h"
#include "ws2proto.h"
#include "log.h"
#include "reply.h"
#include "sockopt.h"
#include "trace.h"

struct trace
{
    char *buf;
    size_t size, len;
};

static void __attribute__((format(printf, 2, 3))) out(struct trace *t, const char *fmt, ...)
{
    va_list args;
    int n;

    if (t->len + 1 >= t->size) return;
    va_start(args, fmt);
    n = vsnprintf(t->buf + t->len, t->size - t->len, fmt, args);
    va_end(args);
    if (n > 0) t->len = t->len + n < t->size ? t->len + n : t->size - 1;
}

static const char *family_name(int family)
{
    switch (family)
    {
    case WS_AF_UNSPEC: return "AF_UNSPEC";
    case WS_AF_INET: return "AF_INET";
    case WS_AF_INET6: return "AF_INET6";
    default: return NULL;
    }
}

static void out_family(struct trace *t, int family)
{
    const char *name = family_name(family);

    if (name) out(t, " family %s", name);
    else out(t, " family %d", family);
}

static void out_type(struct trace *t, int type)
{
    switch (type)
    {
    case WS_SOCK_STREAM: out(t, " type SOCK_STREAM"); break;
    case WS_SOCK_DGRAM: out(t, " type SOCK_DGRAM"); break;
    case WS_SOCK_RAW: out(t, " type SOCK_RAW"); break;
    default: out(t, " type %d", type); break;
    }
}

/* A Windows sockaddr as it crosses the wire: 127.0.0.1:5000, [::1%2]:5000. */
static void out_sockaddr(struct trace *t, const uint8_t *addr, uint32_t len)
{
    char text[INET6_ADDRSTRLEN];
    uint16_t family, port;
    uint32_t scope = 0;

    if (len < sizeof(family) + sizeof(port))
    {
        out(t, "(%u bytes)", len);
        return;
    }
    memcpy(&family, addr, sizeof(family));
    memcpy(&port, addr + 2, sizeof(port));
    if (family == WS_AF_INET && len >= 8 && inet_ntop(AF_INET, addr + 4, text, sizeof(text)))
        out(t, "%s:%u", text, ntohs(port));
    else if (family == WS_AF_INET6 && len >= 24 && inet_ntop(AF_INET6, addr + 8, text, sizeof(text)))
    {
        if (len >= 28) memcpy(&scope, addr + 24, sizeof(scope));
        if (scope) out(t, "[%s%%%u]:%u", text, scope, ntohs(port));
        else out(t, "[%s]:%u", text, ntohs(port));
    }
    else out(t, "(family %u, %u bytes)", family, len);
}

static const char *level_name(int level)
{
    switch (level)
    {
    case WS_SOL_SOCKET: return "SOL_SOCKET";
    case WS_IPPROTO_IP: return "IPPROTO_IP";
    case WS_IPPROTO_IPV6: return "IPPROTO_IPV6";
    case WS_IPPROTO_TCP: return "IPPROTO_TCP";
    case WS_IPPROTO_UDP: return "IPPROTO_UDP";
    default: return NULL;
    }
}

/* ------------------------------------------------------------ requests */

static void dump_none(struct trace *t, const void *msg)
{
    (void)t;
    (void)msg;
}

static void dump_hello(struct trace *t, const void *msg)
{
    const struct ws2_hello_request *req = msg;

    out(t, " version %u win_pid %u", req->version, req->win_pid);
}

static void dump_socket(struct trace *t, const void *msg)
{
    const struct ws2_socket_request *req = msg;

    out_family(t, req->family);
    out_type(t, req->type);
    out(t, " protocol %d flags %#x", req->protocol, req->flags);
}

static void dump_addr(struct trace *t, const void *msg)
{
    const struct ws2_addr_request *req = msg;

    out(t, " addr ");
    out_sockaddr(t, req->addr, req->addrlen);
}

static void dump_listen(struct trace *t, const void *msg)
{
    out(t, " backlog %d", ((const struct ws2_int_request *)msg)->value);
}

static void dump_defer(struct trace *t, const void *msg)
{
    out(t, " accepted %u", (uint32_t)((const struct ws2_int_request *)msg)->value);
}

static void dump_shutdown(struct trace *t, const void *msg)
{
    static const char *const how[] = { "SD_RECEIVE", "SD_SEND", "SD_BOTH" };
    int value = ((const struct ws2_int_request *)msg)->value;

    if (value >= 0 && value < 3) out(t, " how %s", how[value]);
    else out(t, " how %d", value);
}

static void dump_sockopt(struct trace *t, const void *msg)
{
    const struct ws2_sockopt_request *req = msg;
    const char *level = level_name(req->level), *name = sockopt_name(req->level, req->name);

    if (level) out(t, " level %s", level);
    else out(t, " level %#x", req->level);
    if (name) out(t, " name %s", name);
    else out(t, " name %#x", req->name);
    out(t, " optlen %d", req->optlen);
    if (req->flags) out(t, " flags %#x", req->flags);
    if (req->datalen) out(t, " datalen %u", req->datalen);
}

static void dump_ioctl(struct trace *t, const void *msg)
{
    const struct ws2_ioctl_request *req = msg;

    switch (req->command)
    {
    case WS2_IOCTL_FIONBIO: out(t, " FIONBIO %u", req->value); break;
    case WS2_IOCTL_FIONREAD: out(t, " FIONREAD"); break;
    case WS2_IOCTL_UDP_CONNRESET: out(t, " UDP_CONNRESET %u", req->value); break;
    case WS2_IOCTL_UDP_NETRESET: out(t, " UDP_NETRESET %u", req->value); break;
    default: out(t, " command %u value %u", req->command, req->value); break;
    }
}

static void dump_dup(struct trace *t, const void *msg)
{
    out(t, " target_win_pid %u", ((const struct ws2_duplicate_request *)msg)->target_win_pid);
}

static void dump_dup_open(struct trace *t, const void *msg)
{
    /* The first word only: the trace is no place for the whole secret. */
    out(t, " token %#x...", ((const struct ws2_dup_open_request *)msg)->token[0]);
}

/* A fixed-size string field, which the program may not have terminated. */
static void out_string(struct trace *t, const char *label, const char *s, size_t size, int present)
{
    if (present) out(t, " %s \"%.*s\"", label, (int)strnlen(s, size), s);
    else out(t, " %s NULL", label);
}

static void dump_addrinfo(struct trace *t, const void *msg)
{
    const struct ws2_getaddrinfo_request *req = msg;

    out_string(t, "node", req->node, sizeof(req->node), req->present & WS2_RESOLVE_NODE);
    out_string(t, "service", req->service, sizeof(req->service), req->present & WS2_RESOLVE_SERVICE);
    if (!(req->present & WS2_RESOLVE_HINTS)) return;
    out(t, " flags %#x", req->flags);
    out_family(t, req->family);
    out_type(t, req->socktype);
    out(t, " protocol %d", req->protocol);
}

static void dump_nameinfo(struct trace *t, const void *msg)
{
    const struct ws2_getnameinfo_request *req = msg;

    out(t, " addr ");
    out_sockaddr(t, req->addr, req->addrlen);
    out(t, " flags %#x want %#x", req->flags, req->want);
}

static void dump_hostname(struct trace *t, const void *msg)
{
    const struct ws2_gethostbyname_request *req = msg;

    out_string(t, "name", req->name, sizeof(req->name), 1);
}

static void dump_hostaddr(struct trace *t, const void *msg)
{
    const struct ws2_gethostbyaddr_request *req = msg;
    char text[INET6_ADDRSTRLEN];

    out_family(t, req->family);
    if (req->family == WS_AF_INET && req->addrlen == 4 && inet_ntop(AF_INET, req->addr, text, sizeof(text)))
        out(t, " addr %s", text);
    else if (req->family == WS_AF_INET6 && req->addrlen == 16 && inet_ntop(AF_INET6, req->addr, text, sizeof(text)))
        out(t, " addr %s", text);
    else out(t, " addrlen %u", req->addrlen);
}

static void dump_getserv(struct trace *t, const void *msg)
{
    const struct ws2_getserv_request *req = msg;

    if (req->port >= 0) out(t, " port %d", req->port);
    else out_string(t, "name", req->name, sizeof(req->name), 1);
    out_string(t, "proto", req->proto, sizeof(req->proto), 1);
}

/* ------------------------------------------------------------ the list */

static const struct
{
    const char *name;
    int flags;
    void (*dump)(struct trace *t, const void *msg);
    int new_socket; /* the reply is a socket_reply */
}
/* clang-format off */
ops[WS2_OP_COUNT] =
{
#define X(OP, name, request, reply, flags, shape, check, dump) \
    [WS2_OP_##OP] = { #name, WS2_REQ_FLAGS(flags), dump_##dump, \
                      __builtin_types_compatible_p(struct ws2_##reply, struct ws2_socket_reply) },
    WS2_REQUESTS(X)
#undef X
};
/* clang-format on */

const char *request_name(uint32_t op)
{
    return op < WS2_OP_COUNT ? ops[op].name : NULL;
}

void trace_format(char *buf, size_t size, pid_t pid, const void *msg, int status, const struct reply *rep, int deferred)
{
    struct trace t = { buf, size, 0 };
    struct ws2_req_header hdr;

    if (!size) return;
    buf[0] = 0;
    memcpy(&hdr, msg, sizeof(hdr));
    if (!request_name(hdr.op))
    {
        out(&t, "%d: op %u -> %d", (int)pid, hdr.op, status);
        return;
    }
    out(&t, "%d: %s", (int)pid, ops[hdr.op].name);
    if (ops[hdr.op].flags & WS2_REQ_HANDLE) out(&t, " handle %u", hdr.handle);
    ops[hdr.op].dump(&t, msg);
    out(&t, " -> %d", status);
    if (deferred) out(&t, " (deferred)");
    else if (!status && ops[hdr.op].new_socket && rep->size >= sizeof(struct ws2_socket_reply))
    {
        /* The new handle, and for accept the peer. */
        const struct ws2_socket_reply *sock = (const struct ws2_socket_reply *)rep->u.bytes;

        out(&t, " handle %u socket %u", sock->handle, sock->id);
        if (sock->addrlen)
        {
            out(&t, " peer ");
            out_sockaddr(&t, sock->addr, sock->addrlen);
        }
    }
}

void trace_request(pid_t pid, const void *msg, int status, const struct reply *rep, int deferred)
{
    char line[1024];

    trace_format(line, sizeof(line), pid, msg, status, rep, deferred);
    server_log("%s\n", line);
}
