/*
 * The request handlers, one per op, and the table that dispatches to them.
 * A handler gets a request whose size protocol.c has checked and, when the
 * op names a socket, that socket already looked up in the caller's handle
 * table.  It returns the Winsock status and may add a body and an fd to the
 * reply.
 */
#include <errno.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <netinet/in.h>
#include "ws.h"
#include "ws2proto.h"
#include "ws2protoinfo.h"
#include "log.h"
#include "sock.h"
#include "bind.h"
#include "addr.h"
#include "errors.h"
#include "handles.h"
#include "client.h"
#include "reply.h"
#include "requests.h"
#include "trace.h"
#include "sockopt.h"
#include "linger.h"
#include "duplicate.h"
#include "resolve.h"
#include "main.h"
#include "shared.h"

struct request_context
{
    struct ws2_client *client;
    const void *msg;
    size_t len;
    uint32_t handle;
    struct ws2_socket *sock; /* NULL for ops that take no socket */
    struct reply *rep;
    int oneway; /* WS2_REQ_ONEWAY: nobody waits for the reply */
};

#define REQ(type, ctx)   ((const type *)(ctx)->msg)
#define REPLY(type, ctx) ((type *)(ctx)->rep->u.bytes)

static void reply_size(struct request_context *ctx, uint32_t size)
{
    ctx->rep->size = size;
}

static int req_hello(struct request_context *ctx)
{
    const struct ws2_hello_request *req = REQ(struct ws2_hello_request, ctx);
    struct ws2_hello_reply *rep = REPLY(struct ws2_hello_reply, ctx);
    int status;

    rep->version = WS2_PROTOCOL_VERSION;
    rep->server_pid = getpid();
    reply_size(ctx, sizeof(*rep));
    if (req->version != WS2_PROTOCOL_VERSION) return WSAVERNOTSUPPORTED;
    status = client_hello(ctx->client, req->win_pid);
    return status;
}

/* What the caller gets to know of `sock`, its new handle `handle`. */
static void describe_socket(struct request_context *ctx, struct ws2_socket *sock, uint32_t handle)
{
    struct ws2_socket_reply *rep = REPLY(struct ws2_socket_reply, ctx);

    rep->handle = handle;
    rep->id = sock->id;
    rep->family = sock->family;
    rep->type = sock->type;
    rep->protocol = sock->protocol;
    rep->slot = sock->slot;
    sock_state(sock, &rep->state);
    reply_size(ctx, sizeof(*rep));
}

/* Give the caller a handle to `sock` and its fd for the data path.  On
 * failure a socket nobody else refers to is torn down. */
static int reply_socket(struct request_context *ctx, struct ws2_socket *sock)
{
    uint32_t handle = handles_add(&ctx->client->process->handles, sock);

    /* The handle keeps the reference the caller brought (a new socket's, a
     * claimed offer's); on failure it is dropped. */
    if (!handle)
    {
        sock_unref(sock, NULL);
        return WSAENOBUFS;
    }
    describe_socket(ctx, sock, handle);
    /* Passed as it is: sending it makes the client's copy, no dup here. */
    ctx->rep->fd = sock->fd;
    return 0;
}

static int req_socket(struct request_context *ctx)
{
    const struct ws2_socket_request *req = REQ(struct ws2_socket_request, ctx);
    struct ws2_process *p = ctx->client->process;
    int *fd = &ctx->client->passed_fd;
    struct ws2_socket *sock;
    int status;

    if (*fd < 0)
    {
        /* Made here: its slot is one the process chose from its SLOTS batch. */
        if (!(sock = sock_create_in(req->family, req->type, req->protocol, p->serial, req->slot, &status)))
            return status;
        return reply_socket(ctx, sock);
    }
    /* The DLL's own socket, under the handle reserved with its slot.  A
     * refusal stays on that handle: nobody may be waiting for this answer. */
    if (!handles_is_reserved(&p->handles, ctx->handle)) return WSAEINVAL;
    if (!(sock = sock_register_fd(*fd, req->family, req->type, req->protocol, p->serial, req->slot, &status)))
    {
        handles_refuse(&p->handles, ctx->handle, status);
        return status;
    }
    *fd = -1; /* the socket's now */
    handles_fill(&p->handles, ctx->handle, sock);
    /* Nobody reads it when sent one-way, but `ws2server -d` shows it. */
    describe_socket(ctx, sock, ctx->handle);
    return 0;
}

/* The shared region's memfd and up to `value` free slots, now the caller's
 * until it uses them in SOCKET or exits, each with a handle and an id kept
 * for it. */
static int req_slots(struct request_context *ctx)
{
    const struct ws2_int_request *req = REQ(struct ws2_int_request, ctx);
    struct ws2_slots_reply *rep = REPLY(struct ws2_slots_reply, ctx);
    struct ws2_process *p = ctx->client->process;
    unsigned int want = req->value <= 0 ? 0 : req->value > WS2_SLOT_BATCH ? WS2_SLOT_BATCH
                                                                          : req->value;
    unsigned int i;

    /* 0 wanted: the region alone (a process that only accepts or claims). */
    if (shared_init() < 0) return WSAENOBUFS;
    if ((ctx->rep->fd = dup(shared_fd())) < 0) return WSAEMFILE;
    rep->region_slots = WS2_SHARED_SLOTS;
    rep->count = shared_reserve(p->serial, rep->slots, want);
    for (i = 0; i < rep->count; i++)
    {
        /* A slot without a handle goes back (the table is out of memory). */
        if (!(rep->handles[i] = handles_reserve(&p->handles)))
        {
            shared_unreserve(p->serial, rep->slots + i, rep->count - i);
            rep->count = i;
            break;
        }
        rep->ids[i] = sock_new_id();
        shared_keep_id(rep->slots[i], rep->ids[i]);
    }
    if (want && !rep->count)
    {
        close(ctx->rep->fd);
        ctx->rep->fd = -1;
        return WSAENOBUFS;
    }
    ctx->rep->fd_owned = 1; /* the copy goes with the reply */
    reply_size(ctx, sizeof(*rep));
    return 0;
}

static int req_close(struct request_context *ctx)
{
    /* The reply may be deferred until a lingering socket is gone (linger.c);
     * sent one-way, the socket drains in the background as after an exit. */
    return handle_close(ctx->client->process, ctx->handle, ctx->oneway ? NULL : ctx->client);
}

/* The address of a BIND or CONNECT request, for the socket's family. */
static int request_addr(struct request_context *ctx, struct sockaddr_storage *sa, socklen_t *salen)
{
    const struct ws2_addr_request *req = REQ(struct ws2_addr_request, ctx);

    return addr_to_linux(req->addr, req->addrlen, ctx->sock->family, sa, salen);
}

static int req_bind(struct request_context *ctx)
{
    struct ws2_socket *sock = ctx->sock;
    struct sockaddr_storage sa;
    socklen_t salen;
    int status;

    if ((status = request_addr(ctx, &sa, &salen))) return status;
    if (sock_bound(sock)) return WSAEINVAL;
    if ((status = bind_socket(sock, (struct sockaddr *)&sa, salen))) return status;
    sock->state |= SOCK_BOUND;
    return 0;
}

static int req_listen(struct request_context *ctx)
{
    const struct ws2_int_request *req = REQ(struct ws2_int_request, ctx);
    struct ws2_socket *sock = ctx->sock;
    int backlog = req->value;

    if (sock->type != WS_SOCK_STREAM) return WSAEOPNOTSUPP;
    if (!(sock->state & SOCK_BOUND)) return WSAEINVAL;
    if (sock->state & SOCK_CONNECTED) return WSAEISCONN;
    if (backlog < 0 || backlog > SOMAXCONN) backlog = SOMAXCONN;
    if (listen(sock->fd, backlog) < 0) return errno_to_wsa(errno);
    bind_listening(sock);
    sock->state |= SOCK_LISTENING;
    return 0;
}

/* Where a started connect stands: 0 connected, WSAEWOULDBLOCK still going,
 * or the error it failed with (the socket can then connect again). */
static int resolve_connect(struct ws2_socket *sock)
{
    struct sockaddr_storage sa;
    socklen_t len = sizeof(int), salen = sizeof(sa);
    int err = 0;

    if (!(sock->state & SOCK_CONNECTING)) return sock->state & SOCK_CONNECTED ? 0 : WSAENOTCONN;
    if (getsockopt(sock->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0) err = errno;
    if (!err)
    {
        if (getpeername(sock->fd, (struct sockaddr *)&sa, &salen) < 0) return WSAEWOULDBLOCK;
        sock_connected(sock);
        return 0;
    }
    sock->state &= ~SOCK_CONNECTING;
    /* SO_ERROR has just been read and reset: keep it for the program's
     * getsockopt(SO_ERROR), as Windows does after a failed connect. */
    {
        uint32_t none = 0;

        __atomic_compare_exchange_n(&sock->shared->error, &none, errno_to_wsa(err), 0, __ATOMIC_ACQ_REL,
                                    __ATOMIC_ACQUIRE);
    }
    return errno_to_wsa(err);
}

static int req_connect(struct request_context *ctx)
{
    struct ws2_socket *sock = ctx->sock;
    struct sockaddr_storage sa;
    socklen_t salen;
    int status;

    const struct ws2_addr_request *req = REQ(struct ws2_addr_request, ctx);
    uint16_t family;

    /* A datagram socket connected to AF_UNSPEC has no peer any more. */
    memcpy(&family, req->addr, sizeof(family));
    if (sock->type != WS_SOCK_STREAM && req->addrlen >= sizeof(family) && family == WS_AF_UNSPEC)
    {
        struct sockaddr unspec = { .sa_family = AF_UNSPEC };

        if (connect(sock->fd, &unspec, sizeof(unspec)) < 0) return errno_to_wsa(errno);
        sock->state &= ~SOCK_CONNECTED;
        return 0;
    }
    if ((status = request_addr(ctx, &sa, &salen))) return status;
    if (sock->state & SOCK_LISTENING) return WSAEINVAL;
    if (sock->type == WS_SOCK_STREAM && (sock->state & SOCK_CONNECTING))
    {
        status = resolve_connect(sock);
        if (status == WSAEWOULDBLOCK) return WSAEALREADY;
        if (!status) return WSAEISCONN;
    }
    if (sock->type == WS_SOCK_STREAM && (sock->state & SOCK_CONNECTED)) return WSAEISCONN;
    if (connect(sock->fd, (struct sockaddr *)&sa, salen) < 0)
    {
        if (errno != EINPROGRESS) return errno_to_wsa(errno);
        /* The DLL waits on its fd copy, then asks for CONNECT_DONE. */
        sock->state |= SOCK_BOUND | SOCK_CONNECTING;
        return WSAEWOULDBLOCK;
    }
    sock_connected(sock);
    return 0;
}

static int req_connect_done(struct request_context *ctx)
{
    return resolve_connect(ctx->sock);
}

static int req_accept(struct request_context *ctx)
{
    struct ws2_socket *listener = ctx->sock, *sock;
    struct ws2_socket_reply *rep = REPLY(struct ws2_socket_reply, ctx);
    struct sockaddr_storage sa;
    socklen_t salen = sizeof(sa);
    uint32_t addrlen = 0;
    uint8_t addr[WS2_MAX_ADDR];
    int fd, status;

    if (!(listener->state & SOCK_LISTENING)) return WSAEINVAL;
    /* A connection WSAAccept deferred comes first, as it is first in
     * Windows' backlog; one the peer has reset meanwhile is dropped. */
    if ((sock = listener->deferred))
    {
        listener->deferred = NULL;
        if (getpeername(sock->fd, (struct sockaddr *)&sa, &salen) < 0)
        {
            sock_unref(sock, NULL);
            salen = sizeof(sa);
        }
        else goto reply;
    }
    fd = accept4(listener->fd, (struct sockaddr *)&sa, &salen, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return errno == EAGAIN ? WSAEWOULDBLOCK : errno_to_wsa(errno);
    if (!(sock = sock_from_accept(listener, fd)))
    {
        close(fd);
        return WSAENOBUFS;
    }
reply:
    addr_from_linux((struct sockaddr *)&sa, salen, addr, &addrlen);
    if ((status = reply_socket(ctx, sock))) return status;
    rep->addrlen = addrlen;
    memcpy(rep->addr, addr, addrlen);
    return 0;
}

/* WSAAccept's CF_DEFER.  The connection is accepted from Linux already, so
 * the listener keeps it, and the caller then closes its handle. */
static int req_defer(struct request_context *ctx)
{
    const struct ws2_int_request *req = REQ(struct ws2_int_request, ctx);
    struct ws2_socket *listener = ctx->sock, *sock;

    if (!(sock = handles_get(&ctx->client->process->handles, (uint32_t)req->value))) return WSAENOTSOCK;
    if (!(listener->state & SOCK_LISTENING) || sock == listener || !(sock->state & SOCK_CONNECTED)) return WSAEINVAL;
    /* One at a time: the caller resets any other. */
    if (listener->deferred) return WSAEWOULDBLOCK;
    sock_ref(sock);
    listener->deferred = sock;
    return 0;
}

static int req_shutdown(struct request_context *ctx)
{
    const struct ws2_int_request *req = REQ(struct ws2_int_request, ctx);
    struct ws2_socket *sock = ctx->sock;
    static const int how_linux[] = { SHUT_RD, SHUT_WR, SHUT_RDWR };
    static const unsigned int how_state[] = { SOCK_SHUT_READ, SOCK_SHUT_WRITE, SOCK_SHUT_READ | SOCK_SHUT_WRITE };
    int how;

    if (req->value < 0 || req->value > 2) return WSAEINVAL;
    if (sock->type == WS_SOCK_STREAM && !(sock->state & (SOCK_CONNECTED | SOCK_CONNECTING)))
        return WSAENOTCONN;
    how = how_linux[req->value];
    if (sock->type == WS_SOCK_STREAM && !sock->shut_peer && (sock->shut_peer = malloc(sizeof(*sock->shut_peer))))
    {
        sock->shut_peer_len = sizeof(*sock->shut_peer);
        if (getpeername(sock->fd, (struct sockaddr *)sock->shut_peer, &sock->shut_peer_len) < 0)
        {
            free(sock->shut_peer);
            sock->shut_peer = NULL;
        }
    }
    /* A stream's receiving side is closed by the DLL alone (it refuses the
     * receives that start afterwards): the host would end the receives
     * already waiting and make the socket readable, where Windows still
     * delivers what comes to them and signals nothing.  Nothing goes on the
     * wire either way. */
    if (sock->type == WS_SOCK_STREAM && how != SHUT_WR) how = how == SHUT_RDWR ? SHUT_WR : -1;
    if (how >= 0 && shutdown(sock->fd, how) < 0 && errno != ENOTCONN) return errno_to_wsa(errno);
    sock->state |= how_state[req->value];
    return 0;
}

static int reply_name(struct request_context *ctx, int peer)
{
    struct ws2_addr_reply *rep = REPLY(struct ws2_addr_reply, ctx);
    struct ws2_socket *sock = ctx->sock;
    struct sockaddr_storage sa;
    socklen_t salen = sizeof(sa);
    int status;

    if (peer)
    {
        if (getpeername(sock->fd, (struct sockaddr *)&sa, &salen) < 0)
        {
            /* Shut down on both sides: the host forgot the peer. */
            if (!sock->shut_peer) return WSAENOTCONN;
            memcpy(&sa, sock->shut_peer, sock->shut_peer_len);
            salen = sock->shut_peer_len;
        }
    }
    else
    {
        /* Windows: an unbound socket has no name. */
        if (!sock_bound(sock)) return WSAEINVAL;
        if (getsockname(sock->fd, (struct sockaddr *)&sa, &salen) < 0) return errno_to_wsa(errno);
    }
    if ((status = addr_from_linux((struct sockaddr *)&sa, salen, rep->addr, &rep->addrlen))) return status;
    reply_size(ctx, sizeof(*rep));
    return 0;
}

static int req_getsockname(struct request_context *ctx) { return reply_name(ctx, 0); }
static int req_getpeername(struct request_context *ctx) { return reply_name(ctx, 1); }

static int req_getsockopt(struct request_context *ctx)
{
    const struct ws2_sockopt_request *req = REQ(struct ws2_sockopt_request, ctx);
    struct ws2_sockopt_reply *rep = REPLY(struct ws2_sockopt_reply, ctx);
    struct sockopt_result res;

    sockopt_get(ctx->sock, req, &res);
    rep->optlen = res.optlen;
    rep->flags = res.set_optlen ? WS2_OPTLEN_SET : 0;
    rep->datalen = res.datalen;
    memcpy(rep->data, res.data, res.datalen);
    reply_size(ctx, offsetof(struct ws2_sockopt_reply, data) + res.datalen);
    return res.status;
}

static int req_setsockopt(struct request_context *ctx)
{
    return sockopt_set(ctx->sock, REQ(struct ws2_sockopt_request, ctx));
}

/*
 * FIONREAD on a datagram socket: Windows counts every queued byte, Linux
 * only the first datagram.  Walk the queue with a peek offset (each peek
 * moves past one datagram) and add the lengths up; the offset is switched
 * off again afterwards.  Without SO_PEEK_OFF only the first one counts.
 */
static uint32_t datagram_bytes(struct ws2_socket *sock)
{
    int off = 0, none = -1, avail = 0, i;
    uint32_t total = 0;
    ssize_t len;

    if (setsockopt(sock->fd, SOL_SOCKET, SO_PEEK_OFF, &off, sizeof(off)) < 0)
    {
        ioctl(sock->fd, FIONREAD, &avail);
        return avail;
    }
    for (i = 0; i < 4096; i++)
    {
        len = recv(sock->fd, NULL, 0, MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT);
        if (len < 0) break;
        total += len;
    }
    setsockopt(sock->fd, SOL_SOCKET, SO_PEEK_OFF, &none, sizeof(none));
    return total;
}

static int req_ioctl(struct request_context *ctx)
{
    const struct ws2_ioctl_request *req = REQ(struct ws2_ioctl_request, ctx);
    struct ws2_ioctl_reply *rep = REPLY(struct ws2_ioctl_reply, ctx);
    struct ws2_socket *sock = ctx->sock;
    int avail = 0;

    reply_size(ctx, sizeof(*rep));
    rep->value = 0;
    switch (req->command)
    {
    case WS2_IOCTL_FIONBIO:
        sock->nonblocking = !!req->value;
        return 0;
    case WS2_IOCTL_FIONREAD:
        if (sock->state & SOCK_LISTENING) return 0;
        if (sock->type != WS_SOCK_STREAM)
        {
            rep->value = datagram_bytes(sock);
            return 0;
        }
        if (ioctl(sock->fd, FIONREAD, &avail) < 0) return errno_to_wsa(errno);
        rep->value = avail;
        return 0;
    /* Kept for the DLL's receive path (connected sockets, see ioctl.c). */
    case WS2_IOCTL_UDP_CONNRESET:
        if (sock->type != WS_SOCK_DGRAM) return WSAEINVAL;
        sock->no_connreset = !req->value;
        return 0;
    case WS2_IOCTL_UDP_NETRESET:
        if (sock->type != WS_SOCK_DGRAM) return WSAEINVAL;
        sock->netreset = !!req->value;
        return 0;
    default:
        return WSAEINVAL;
    }
}

static int req_cleanup(struct request_context *ctx)
{
    process_release_all(ctx->client->process);
    return 0;
}

static int req_server_stats(struct request_context *ctx)
{
    struct ws2_stats_reply *rep = REPLY(struct ws2_stats_reply, ctx);

    rep->open_fds = open_fd_count();
    rep->sockets = sock_count();
    rep->lingering = linger_count();
    rep->processes = process_count();
    reply_size(ctx, sizeof(*rep));
    return 0;
}

static int req_duplicate(struct request_context *ctx)
{
    const struct ws2_duplicate_request *req = REQ(struct ws2_duplicate_request, ctx);
    struct ws2_duplicate_reply *rep = REPLY(struct ws2_duplicate_reply, ctx);
    WSAPROTOCOL_INFOW info;
    int status;

    _Static_assert(sizeof(info) == WS2_PROTOCOL_INFOW_SIZE, "WSAPROTOCOL_INFOW layout");
    if (sock_protocol_info(ctx->sock, &info) < 0) return WSAEINVAL;
    if ((status = dup_offer(ctx->sock, ctx->client->process, req->target_win_pid, rep->token))) return status;
    ws2_protocol_info_set_token(&info, rep->token);
    memcpy(rep->info, &info, sizeof(info));
    reply_size(ctx, sizeof(*rep));
    return 0;
}

static int req_dup_open(struct request_context *ctx)
{
    const struct ws2_dup_open_request *req = REQ(struct ws2_dup_open_request, ctx);
    struct ws2_socket *sock;
    int status;

    if (!(sock = dup_claim(req->token, ctx->client->process, &status))) return status;
    return reply_socket(ctx, sock); /* with the offer's reference */
}

/* Name lookups: the reply comes from a worker thread (resolve.c). */
static int req_resolve(struct request_context *ctx)
{
    const struct ws2_req_header *hdr = ctx->msg;

    return resolve_start(ctx->client, hdr->op, ctx->msg, ctx->len);
}

/* A registration for network events through this handle replaces one made
 * through a duplicate in another process: tell that process. */
static int req_select_claim(struct request_context *ctx)
{
    struct ws2_socket *sock = ctx->sock;
    uint32_t me = ctx->client->process->serial;

    if (sock->select_owner && sock->select_owner != me)
        process_note(sock->select_owner, WS2_NOTE_SELECT_REVOKED, sock->id);
    sock->select_owner = me;
    return 0;
}

static int req_subscribe(struct request_context *ctx)
{
    ctx->client->process->subscriber = ctx->client;
    return 0;
}

/* The name lookups share one handler. */
static int req_getaddrinfo(struct request_context *ctx) { return req_resolve(ctx); }
static int req_getnameinfo(struct request_context *ctx) { return req_resolve(ctx); }
static int req_gethostbyname(struct request_context *ctx) { return req_resolve(ctx); }
static int req_gethostbyaddr(struct request_context *ctx) { return req_resolve(ctx); }
static int req_getserv(struct request_context *ctx) { return req_resolve(ctx); }
static int req_interfaces(struct request_context *ctx) { return req_resolve(ctx); }

/* request_dispatch() adds the state to the reply, as to every other one. */
static int req_sock_state(struct request_context *ctx)
{
    (void)ctx;
    return 0;
}

/* One handler per op of the request list: req_NAME. */
static const struct
{
    int flags; /* WS2_REQ_* */
    int (*handler)(struct request_context *ctx);
}
/* clang-format off */
handlers[WS2_OP_COUNT] =
{
#define X(OP, name, request, reply, flags, shape, check, dump) [WS2_OP_##OP] = { WS2_REQ_FLAGS(flags), req_##name },
    WS2_REQUESTS(X)
#undef X
};
/* clang-format on */

/* A handle granted for a SOCKET not seen yet: the SOCKET may be queued on
 * another connection of the process (client.c); 1 when it now names one. */
static int catch_up(struct ws2_client *c, uint32_t handle, struct ws2_socket **sock)
{
    process_catch_up(c->process, c);
    return !!(*sock = handles_get(&c->process->handles, handle));
}

int request_dispatch(struct ws2_client *c, const void *msg, size_t len, struct reply *rep)
{
    struct request_context ctx = { c, msg, len, 0, NULL, rep, 0 };
    struct ws2_req_header hdr;
    int status;

    memcpy(&hdr, msg, sizeof(hdr));
    if (hdr.op >= WS2_OP_COUNT || !handlers[hdr.op].handler) return WSAEINVAL;
    /* Nothing but HELLO before HELLO. */
    if (!c->hello_done && hdr.op != WS2_OP_HELLO) return WSAEINVAL;
    ctx.handle = hdr.handle;
    ctx.oneway = !!(hdr.flags & WS2_REQ_ONEWAY);
    /* A lookup answers later, to someone who must be waiting. */
    if (ctx.oneway && (handlers[hdr.op].flags & WS2_REQ_SLOW)) status = WSAEINVAL;
    else if ((handlers[hdr.op].flags & WS2_REQ_HANDLE) && !(ctx.sock = handles_get(&c->process->handles, hdr.handle)) &&
             !(handles_is_reserved(&c->process->handles, hdr.handle) && catch_up(c, hdr.handle, &ctx.sock)))
    {
        /* A SOCKET the server refused answers the next request naming it;
         * CLOSE frees the handle (handle_close). */
        if (hdr.op == WS2_OP_CLOSE) status = handle_close(c->process, hdr.handle, NULL);
        else if (!(status = handles_take_refusal(&c->process->handles, hdr.handle, 0))) status = WSAENOTSOCK;
    }
    else
        status = handlers[hdr.op].handler(&ctx);
    /* Every reply carries the state of the socket it named, as the handler
     * left it: the DLL's only source for it (the handle may be gone now). */
    memset(&rep->u.hdr.sock, 0, sizeof(rep->u.hdr.sock));
    if ((handlers[hdr.op].flags & WS2_REQ_HANDLE) && (ctx.sock = handles_get(&c->process->handles, hdr.handle)))
        sock_state(ctx.sock, &rep->u.hdr.sock);
    if (debug_level && c->process) trace_request(c->process->pid, msg, status, rep, c->deferred != NULL);
    return status;
}
