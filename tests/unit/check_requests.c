/*
 * The request handlers (server/requests.c), reached the way a client
 * reaches them: through request_dispatch(), or over the client connection
 * itself, from a fake client whose connection is one end of a socketpair
 * (check_net.c).  Its process is the test process, found by SO_PEERCRED as
 * for a real one.  Covered here: HELLO first, handles for new sockets, the
 * bind/listen state transitions, closing the last handle against closing a
 * duplicate, bad handles, WSACleanup, a lingering close whose reply is
 * deferred while the connection takes no other request, and a name lookup
 * answered (or not, once its client is gone) from the resolver's thread,
 * and the socket state every reply naming a socket carries.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <netinet/in.h>
#include "check_suites.h"
#include "check_net.h"
#include "ws.h"
#include "ws2proto.h"
#include "ws2protoinfo.h"
#include "loop.h"
#include "sock.h"
#include "handles.h"
#include "client.h"
#include "reply.h"
#include "protocol.h"
#include "requests.h"
#include "linger.h"
#include "duplicate.h"
#include "resolve.h"
#include "shared.h"

#define MY_WIN_PID 0x4242

static struct ws2_client *client;
static int other; /* the client's end of its connection */

/* Fill in the header and check the message is valid on the wire. */
static void make_request(void *msg, uint32_t op, uint32_t size, uint32_t handle)
{
    struct ws2_req_header *hdr = msg;

    hdr->op = op;
    hdr->size = size;
    hdr->handle = handle;
    hdr->flags = 0;
    ck_assert_int_eq(protocol_check_request(msg, size), 0);
}

/* Dispatch a request as client_readable() would; the reply stays in *rep
 * (its fd too), or is dropped when rep is NULL. */
static int call(void *msg, uint32_t op, uint32_t size, uint32_t handle, struct reply *rep)
{
    struct reply local;
    int status;

    if (!rep) rep = &local;
    make_request(msg, op, size, handle);
    rep->fd = -1;
    rep->fd_owned = 0;
    rep->size = sizeof(rep->u.hdr);
    status = request_dispatch(client, msg, size, rep);
    rep->u.hdr.status = status;
    /* A passed fd that is the socket's own: the client would get a copy. */
    if (rep->fd >= 0 && !rep->fd_owned) rep->fd = dup(rep->fd);
    if (rep == &local && local.fd >= 0) close(local.fd);
    return status;
}

/* Send a request over the connection and let the server read it. */
static void send_wire(void *msg, uint32_t op, uint32_t size, uint32_t handle)
{
    make_request(msg, op, size, handle);
    ck_assert_int_eq(send(other, msg, size, 0), size);
    client->w.cb(&client->w, EPOLLIN);
}

static int hello_as(uint32_t version, uint32_t win_pid)
{
    struct ws2_hello_request req;

    memset(&req, 0, sizeof(req));
    req.version = version;
    req.win_pid = win_pid;
    return call(&req, WS2_OP_HELLO, sizeof(req), 0, NULL);
}

static int hello(uint32_t version)
{
    return hello_as(version, MY_WIN_PID);
}

static void setup(void)
{
    use_fake_clock();
    client = fake_client(&other);
}

static void setup_hello(void)
{
    setup();
    ck_assert_int_eq(hello(WS2_PROTOCOL_VERSION), 0);
}

/* SOCKET: the new handle, and the fd copy in *fd (closed when fd is NULL). */
static uint32_t new_socket(int type, int *fd)
{
    struct ws2_socket_request req;
    struct reply rep;
    struct ws2_socket_reply *body = (struct ws2_socket_reply *)rep.u.bytes;

    memset(&req, 0, sizeof(req));
    req.family = WS_AF_INET;
    req.type = type;
    ck_assert_int_eq(call(&req, WS2_OP_SOCKET, sizeof(req), 0, &rep), 0);
    ck_assert_uint_eq(rep.size, sizeof(*body));
    ck_assert_int_ge(rep.fd, 0);
    if (fd) *fd = rep.fd;
    else close(rep.fd);
    return body->handle;
}

static struct ws2_socket *sock_of(uint32_t handle)
{
    return handles_get(&client->process->handles, handle);
}

/* BIND or CONNECT to 127.0.0.1:port (network order). */
static int addr_op(uint32_t op, uint32_t handle, uint16_t port)
{
    struct ws2_addr_request req;
    struct sockaddr_in sin;

    memset(&sin, 0, sizeof(sin));
    sin.sin_family = WS_AF_INET;
    sin.sin_port = port;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    memset(&req, 0, sizeof(req));
    req.addrlen = sizeof(sin);
    memcpy(req.addr, &sin, sizeof(sin));
    return call(&req, op, sizeof(req), handle, NULL);
}

static int int_op(uint32_t op, uint32_t handle, int32_t value)
{
    struct ws2_int_request req;

    memset(&req, 0, sizeof(req));
    req.value = value;
    return call(&req, op, sizeof(req), handle, NULL);
}

static int bare_op(uint32_t op, uint32_t handle)
{
    struct ws2_req_header req;

    return call(&req, op, sizeof(req), handle, NULL);
}

/* A duplication token, by value. */
struct token
{
    uint32_t w[WS2_DUP_TOKEN_WORDS];
};

/* DUPLICATE for the Windows process `win_pid`: the status, the token in *token. */
static int duplicate_to(uint32_t handle, uint32_t win_pid, struct token *token)
{
    struct ws2_duplicate_request req;
    struct reply rep;
    int status;

    memset(&req, 0, sizeof(req));
    req.target_win_pid = win_pid;
    status = call(&req, WS2_OP_DUPLICATE, sizeof(req), handle, &rep);
    if (!status) memcpy(token->w, ((struct ws2_duplicate_reply *)rep.u.bytes)->token, sizeof(token->w));
    return status;
}

/* DUPLICATE for our own process: the token. */
static struct token duplicate(uint32_t handle)
{
    struct token token;

    ck_assert_int_eq(duplicate_to(handle, MY_WIN_PID, &token), 0);
    return token;
}

static int dup_open(struct token token, uint32_t *handle)
{
    struct ws2_dup_open_request req;
    struct reply rep;
    int status;

    memset(&req, 0, sizeof(req));
    memcpy(req.token, token.w, sizeof(req.token));
    status = call(&req, WS2_OP_DUP_OPEN, sizeof(req), 0, &rep);
    if (rep.fd >= 0) close(rep.fd);
    if (!status) *handle = ((struct ws2_socket_reply *)rep.u.bytes)->handle;
    return status;
}

START_TEST(test_hello_first)
{
    struct ws2_socket_request req;

    memset(&req, 0, sizeof(req));
    req.family = WS_AF_INET;
    req.type = WS_SOCK_STREAM;
    ck_assert_int_eq(call(&req, WS2_OP_SOCKET, sizeof(req), 0, NULL), WSAEINVAL);
    ck_assert_uint_eq(sock_count(), 0);
    ck_assert_int_eq(hello(WS2_PROTOCOL_VERSION + 1), WSAVERNOTSUPPORTED);
    ck_assert(!client->hello_done);
    ck_assert_int_eq(hello(WS2_PROTOCOL_VERSION), 0);
    ck_assert(client->hello_done);
    ck_assert_ptr_nonnull(client->process);
    ck_assert_int_eq(client->process->pid, getpid());
    ck_assert_uint_eq(client->process->win_pid, MY_WIN_PID);
    ck_assert_int_eq(hello(WS2_PROTOCOL_VERSION), WSAEINVAL);
}
END_TEST

/* One live process holds a Windows pid: another one saying it is refused
 * until the holder is gone. */
START_TEST(test_hello_win_pid_held)
{
    struct ws2_process holder;

    memset(&holder, 0, sizeof(holder));
    holder.pid = 1; /* alive, for all the server can tell (no pidfd) */
    holder.win_pid = MY_WIN_PID;
    holder.pidfd.fd = -1;
    ck_assert_int_eq(dup_process_hello(&holder), 0);
    ck_assert_int_eq(hello(WS2_PROTOCOL_VERSION), WSAEACCES);
    ck_assert(!client->hello_done);
    dup_process_gone(&holder);
    ck_assert_int_eq(hello(WS2_PROTOCOL_VERSION), 0);
    ck_assert_ptr_eq(dup_process_of(MY_WIN_PID), client->process);
}
END_TEST

/* Every connection of a process says the same Windows pid. */
START_TEST(test_hello_keeps_win_pid)
{
    struct ws2_client *first;
    int first_other = other;

    ck_assert_int_eq(hello(WS2_PROTOCOL_VERSION), 0);
    first = client;
    client = fake_client(&other);
    ck_assert_int_eq(hello_as(WS2_PROTOCOL_VERSION, MY_WIN_PID + 4), WSAEINVAL);
    ck_assert_int_eq(hello(WS2_PROTOCOL_VERSION), 0);
    ck_assert_ptr_eq(client->process, first->process);
    ck_assert_uint_eq(client->process->connections, 2);
    client_free(client);
    close(other);
    client = first;
    other = first_other;
}
END_TEST

START_TEST(test_socket_handles)
{
    struct ws2_socket_request req;
    uint32_t h1, h2;
    int fd, type = 0;
    socklen_t len = sizeof(type);

    h1 = new_socket(WS_SOCK_STREAM, &fd);
    ck_assert_uint_eq(h1, 1);
    ck_assert_int_eq(getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len), 0);
    ck_assert_int_eq(type, SOCK_STREAM);
    close(fd);
    /* The new socket's one reference is its handle's. */
    ck_assert_uint_eq(sock_of(h1)->refs, 1);
    ck_assert_uint_eq(sock_of(h1)->state, 0);
    h2 = new_socket(WS_SOCK_DGRAM, NULL);
    ck_assert_uint_eq(h2, 2);
    ck_assert_uint_eq(sock_count(), 2);
    /* A failed SOCKET leaves no handle and no socket behind. */
    memset(&req, 0, sizeof(req));
    req.family = WS_AF_UNIX;
    req.type = WS_SOCK_STREAM;
    ck_assert_int_eq(call(&req, WS2_OP_SOCKET, sizeof(req), 0, NULL), WSAEAFNOSUPPORT);
    ck_assert_uint_eq(client->process->handles.used, 2);
    ck_assert_uint_eq(sock_count(), 2);
}
END_TEST

START_TEST(test_bind_listen_states)
{
    uint32_t tcp = new_socket(WS_SOCK_STREAM, NULL), udp = new_socket(WS_SOCK_DGRAM, NULL);

    ck_assert_int_eq(int_op(WS2_OP_LISTEN, tcp, 5), WSAEINVAL);
    ck_assert_uint_eq(sock_of(tcp)->state, 0);
    ck_assert_int_eq(addr_op(WS2_OP_BIND, tcp, 0), 0);
    ck_assert_uint_eq(sock_of(tcp)->state, SOCK_BOUND);
    /* Bound once is bound for good. */
    ck_assert_int_eq(addr_op(WS2_OP_BIND, tcp, 0), WSAEINVAL);
    ck_assert_int_eq(int_op(WS2_OP_LISTEN, tcp, 5), 0);
    ck_assert_uint_eq(sock_of(tcp)->state, SOCK_BOUND | SOCK_LISTENING);
    ck_assert_int_eq(addr_op(WS2_OP_CONNECT, tcp, htons(9)), WSAEINVAL);
    ck_assert_int_eq(bare_op(WS2_OP_ACCEPT, tcp), WSAEWOULDBLOCK);
    /* Datagram sockets bind but do not listen. */
    ck_assert_int_eq(addr_op(WS2_OP_BIND, udp, 0), 0);
    ck_assert_uint_eq(sock_of(udp)->state, SOCK_BOUND);
    ck_assert_int_eq(int_op(WS2_OP_LISTEN, udp, 5), WSAEOPNOTSUPP);
    ck_assert_uint_eq(sock_of(udp)->state, SOCK_BOUND);
}
END_TEST

START_TEST(test_bad_handles)
{
    uint32_t h = new_socket(WS_SOCK_STREAM, NULL);

    ck_assert_int_eq(bare_op(WS2_OP_CLOSE, 0), WSAENOTSOCK);
    ck_assert_int_eq(bare_op(WS2_OP_CLOSE, h + 1), WSAENOTSOCK);
    ck_assert_int_eq(bare_op(WS2_OP_CLOSE, UINT32_MAX), WSAENOTSOCK);
    ck_assert_int_eq(bare_op(WS2_OP_CLOSE, h), 0);
    ck_assert_uint_eq(sock_count(), 0);
    /* A closed handle is no socket any more, for any request. */
    ck_assert_int_eq(bare_op(WS2_OP_CLOSE, h), WSAENOTSOCK);
    ck_assert_int_eq(addr_op(WS2_OP_BIND, h, 0), WSAENOTSOCK);
    ck_assert_int_eq(int_op(WS2_OP_LISTEN, h, 1), WSAENOTSOCK);
}
END_TEST

/* Leave a stack's worth of non-zero bytes below the caller's frame. */
static void __attribute__((noinline)) dirty_stack(void)
{
    volatile unsigned char junk[3 * WS2_MAX_MESSAGE];
    size_t i;

    for (i = 0; i < sizeof(junk); i++) junk[i] = 0xa5;
}

/* Send a request for an unknown handle and read its reply off the wire. */
static ssize_t bad_handle_reply(struct ws2_reply_header *out)
{
    struct ws2_int_request req;

    memset(&req, 0, sizeof(req));
    req.value = 1;
    dirty_stack();
    send_wire(&req, WS2_OP_LISTEN, sizeof(req), 0xbad);
    return recv(other, out, sizeof(*out) + 16, MSG_DONTWAIT);
}

START_TEST(test_reply_bytes_are_written)
{
    struct ws2_reply_header rep[2];
    const unsigned char *sock;
    size_t i;

    memset(rep, 0x5a, sizeof(rep));
    ck_assert_int_eq(bad_handle_reply(rep), sizeof(rep[0]));
    ck_assert_uint_eq(rep[0].status, WSAENOTSOCK);
    ck_assert_uint_eq(rep[0].size, sizeof(rep[0]));
    /* No socket: its state is all zero, not what the server's stack held. */
    sock = (const unsigned char *)&rep[0].sock;
    for (i = 0; i < sizeof(rep[0].sock); i++) ck_assert_msg(!sock[i], "byte %zu of the state is %#x", i, sock[i]);
}
END_TEST

START_TEST(test_close_duplicate_then_last)
{
    uint32_t h1 = new_socket(WS_SOCK_STREAM, NULL), h2 = 0;
    struct ws2_socket *sock = sock_of(h1);

    sock->shared->linger = 1; /* {1,0}: a reset if the last close came too early */
    ck_assert_int_eq(dup_open(duplicate(h1), &h2), 0);
    ck_assert_uint_ne(h2, h1);
    ck_assert_ptr_eq(sock_of(h2), sock);
    ck_assert_uint_eq(sock->refs, 2);
    /* Not the last handle: only this one goes. */
    ck_assert_int_eq(bare_op(WS2_OP_CLOSE, h1), 0);
    ck_assert_ptr_null(sock_of(h1));
    ck_assert_uint_eq(sock->refs, 1);
    ck_assert_uint_eq(sock_count(), 1);
    ck_assert_int_eq(addr_op(WS2_OP_BIND, h2, 0), 0);
    /* The last one tears the socket down. */
    ck_assert_int_eq(bare_op(WS2_OP_CLOSE, h2), 0);
    ck_assert_uint_eq(sock_count(), 0);
    ck_assert_uint_eq(client->process->handles.used, 0);
}
END_TEST

START_TEST(test_dup_open_after_source_closed)
{
    uint32_t h1 = new_socket(WS_SOCK_STREAM, NULL), h2 = 0;
    struct token token = duplicate(h1), wrong = token;

    ck_assert_int_eq(bare_op(WS2_OP_CLOSE, h1), 0);
    /* The offer kept the socket. */
    ck_assert_uint_eq(sock_count(), 1);
    wrong.w[WS2_DUP_TOKEN_WORDS - 1]++;
    ck_assert_int_eq(dup_open(wrong, &h2), WSAEINVAL);
    ck_assert_int_eq(dup_open(token, &h2), 0);
    ck_assert_uint_eq(sock_of(h2)->refs, 1);
    ck_assert_int_eq(dup_open(token, &h2), WSAEINVAL);
    ck_assert_uint_eq(client->process->handles.used, 1);
    ck_assert_int_eq(bare_op(WS2_OP_CLOSE, h2), 0);
    ck_assert_uint_eq(sock_count(), 0);
}
END_TEST

/* The token is in the structure the reply brings; an offer to another
 * process is not ours to claim; a process has OFFERS_PER_SOURCE waiting
 * at most. */
START_TEST(test_duplicate_offers)
{
    uint32_t h = new_socket(WS_SOCK_STREAM, NULL), h2 = 0, got[WS2_DUP_TOKEN_WORDS];
    struct ws2_duplicate_request req;
    struct reply rep;
    struct ws2_duplicate_reply *body = (struct ws2_duplicate_reply *)rep.u.bytes;
    WSAPROTOCOL_INFOW info;
    struct token token;
    unsigned int i;

    memset(&req, 0, sizeof(req));
    req.target_win_pid = MY_WIN_PID + 4;
    ck_assert_int_eq(call(&req, WS2_OP_DUPLICATE, sizeof(req), h, &rep), 0);
    memcpy(&info, body->info, sizeof(info));
    ck_assert_int_eq(ws2_protocol_info_get_token(&info, got), 1);
    ck_assert_mem_eq(got, body->token, sizeof(got));
    /* The chain is still ours, the token after it. */
    ck_assert_int_eq(info.ProtocolChain.ChainLen, 2);
    ck_assert_uint_eq(info.ProtocolChain.ChainEntries[0], WS2_LAYER_CATALOG_ID);
    memcpy(token.w, body->token, sizeof(token.w));
    ck_assert_int_eq(dup_open(token, &h2), WSAEINVAL);
    for (i = 1; i < OFFERS_PER_SOURCE; i++) ck_assert_int_eq(duplicate_to(h, MY_WIN_PID + 4, &token), 0);
    ck_assert_int_eq(duplicate_to(h, MY_WIN_PID + 4, &token), WSAENOBUFS);
    ck_assert_int_eq(duplicate_to(h, MY_WIN_PID, &token), WSAENOBUFS);
    ck_assert_uint_eq(dup_count(), OFFERS_PER_SOURCE);
    ck_assert_uint_eq(sock_of(h)->refs, 1 + OFFERS_PER_SOURCE);
}
END_TEST

/* The state in the reply header of a request on `handle` (bare or int op). */
static struct ws2_sock_state state_after(uint32_t op, uint32_t handle, int32_t value)
{
    struct ws2_int_request req;
    struct reply rep;

    memset(&req, 0, sizeof(req));
    req.value = value;
    if (op == WS2_OP_SHUTDOWN) call(&req, op, sizeof(req), handle, &rep);
    else call(&req, op, sizeof(struct ws2_req_header), handle, &rep);
    return rep.u.hdr.sock;
}

/* Every reply naming a socket carries its state after the request, in a
 * newer snapshot each time; duplicates share it; a gone handle has none. */
START_TEST(test_reply_state)
{
    struct ws2_ioctl_request ioc;
    struct ws2_sock_state st, before;
    struct reply rep;
    uint32_t h = new_socket(WS_SOCK_STREAM, NULL), u = new_socket(WS_SOCK_DGRAM, NULL), dup;

    /* A failed request reports the state too. */
    before = state_after(WS2_OP_CONNECT_DONE, h, 0);
    ck_assert_uint_eq(before.state, 0);
    ck_assert_uint_ne(before.serial, 0);
    memset(&ioc, 0, sizeof(ioc));
    ioc.command = WS2_IOCTL_FIONBIO;
    ioc.value = 1;
    ck_assert_int_eq(call(&ioc, WS2_OP_IOCTL, sizeof(ioc), h, &rep), 0);
    st = rep.u.hdr.sock;
    ck_assert_uint_eq(st.state, WS2_STATE_NONBLOCKING);
    ck_assert_int_gt((int32_t)(st.serial - before.serial), 0);
    ck_assert_int_eq(dup_open(duplicate(h), &dup), 0);
    /* Two handles now: the state says the socket is shared. */
    ck_assert_uint_eq(state_after(WS2_OP_SOCK_STATE, dup, 0).state, WS2_STATE_NONBLOCKING | WS2_STATE_SHARED);
    ck_assert_uint_eq(state_after(WS2_OP_CLOSE, dup, 0).serial, 0);
    ck_assert_uint_eq(state_after(WS2_OP_SOCK_STATE, h, 0).state, WS2_STATE_NONBLOCKING);
    ck_assert_uint_eq(state_after(WS2_OP_CONNECT_DONE, 999, 0).serial, 0);
    ck_assert_uint_eq(state_after(WS2_OP_SHUTDOWN, u, 1).state, WS2_STATE_SHUT_WRITE);
}
END_TEST

/* SIO_UDP_CONNRESET/NETRESET: UDP only; CONNRESET off shows in the state,
 * also through a duplicate. */
START_TEST(test_udp_reset_ioctls)
{
    struct ws2_ioctl_request ioc;
    struct reply rep;
    uint32_t tcp = new_socket(WS_SOCK_STREAM, NULL), udp = new_socket(WS_SOCK_DGRAM, NULL), dup;

    memset(&ioc, 0, sizeof(ioc));
    ioc.command = WS2_IOCTL_UDP_CONNRESET;
    ck_assert_int_eq(call(&ioc, WS2_OP_IOCTL, sizeof(ioc), tcp, &rep), WSAEINVAL);
    ck_assert_int_eq(call(&ioc, WS2_OP_IOCTL, sizeof(ioc), udp, &rep), 0);
    ck_assert_uint_eq(rep.u.hdr.sock.state & WS2_STATE_NOCONNRST, WS2_STATE_NOCONNRST);
    ck_assert_int_eq(dup_open(duplicate(udp), &dup), 0);
    ck_assert_uint_eq(state_after(WS2_OP_SOCK_STATE, dup, 0).state & WS2_STATE_NOCONNRST, WS2_STATE_NOCONNRST);
    ioc.value = 1;
    ck_assert_int_eq(call(&ioc, WS2_OP_IOCTL, sizeof(ioc), dup, &rep), 0);
    ck_assert_uint_eq(state_after(WS2_OP_SOCK_STATE, udp, 0).state & WS2_STATE_NOCONNRST, 0);
    ioc.command = WS2_IOCTL_UDP_NETRESET;
    ck_assert_int_eq(call(&ioc, WS2_OP_IOCTL, sizeof(ioc), tcp, &rep), WSAEINVAL);
    ck_assert_int_eq(call(&ioc, WS2_OP_IOCTL, sizeof(ioc), udp, &rep), 0);
    ck_assert_int_eq(sock_of(udp)->netreset, 1);
}
END_TEST

START_TEST(test_cleanup)
{
    uint32_t h1 = new_socket(WS_SOCK_STREAM, NULL), h2 = new_socket(WS_SOCK_DGRAM, NULL);

    new_socket(WS_SOCK_STREAM, NULL);
    duplicate(h2);
    ck_assert_uint_eq(sock_count(), 3);
    ck_assert_int_eq(bare_op(WS2_OP_CLEANUP, 0), 0);
    ck_assert_uint_eq(client->process->handles.used, 0);
    ck_assert_ptr_null(sock_of(h1));
    /* The offer still holds its socket: the duplicate is a handle the
     * process has not opened yet, which lives until the process exits. */
    ck_assert_uint_eq(sock_count(), 1);
    fake_now += 24 * 3600 * 1000;
    dup_expire();
    ck_assert_uint_eq(sock_count(), 1);
    dup_process_gone(client->process);
    ck_assert_uint_eq(sock_count(), 0);
    /* The process can start again. */
    ck_assert_uint_eq(new_socket(WS_SOCK_STREAM, NULL), 1);
}
END_TEST

/* A connected TCP handle with a full send queue and linger {1,5}; the peer
 * (not reading) in *peer. */
static uint32_t lingering_handle(int *peer)
{
    int fd, listener, size = 4096;
    uint32_t h = new_socket(WS_SOCK_STREAM, &fd);
    struct sockaddr_in sin;
    socklen_t len = sizeof(sin);
    struct pollfd pfd;
    int status;

    listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ck_assert_int_ge(listener, 0);
    ck_assert_int_eq(setsockopt(listener, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size)), 0);
    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ck_assert_int_eq(bind(listener, (struct sockaddr *)&sin, sizeof(sin)), 0);
    ck_assert_int_eq(getsockname(listener, (struct sockaddr *)&sin, &len), 0);
    ck_assert_int_eq(listen(listener, 1), 0);
    /* The data path works on the fd copy, as the DLL does. */
    ck_assert_int_eq(setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size)), 0);
    status = addr_op(WS2_OP_CONNECT, h, sin.sin_port);
    if (status == WSAEWOULDBLOCK)
    {
        pfd.fd = fd;
        pfd.events = POLLOUT;
        ck_assert_int_eq(poll(&pfd, 1, 5000), 1);
        status = bare_op(WS2_OP_CONNECT_DONE, h);
    }
    ck_assert_int_eq(status, 0);
    ck_assert_uint_eq(sock_of(h)->state, SOCK_BOUND | SOCK_CONNECTED);
    *peer = accept4(listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    ck_assert_int_ge(*peer, 0);
    close(listener);
    fill_send_queue(sock_of(h));
    close(fd);
    sock_of(h)->shared->linger = 1 | 5 << 16;
    return h;
}

/* SLOTS gives a batch and the region's memfd; SOCKET takes a slot of the
 * batch (the reply names it), and refuses one that is not the caller's. */
START_TEST(test_slots_and_socket)
{
    struct ws2_int_request slots_req;
    struct ws2_socket_request req;
    struct reply rep;
    struct ws2_slots_reply *slots = (struct ws2_slots_reply *)rep.u.bytes;
    struct ws2_socket_reply *body = (struct ws2_socket_reply *)rep.u.bytes;
    uint32_t batch[WS2_SLOT_BATCH], foreign;
    unsigned int n;

    memset(&slots_req, 0, sizeof(slots_req));
    slots_req.value = WS2_SLOT_BATCH;
    ck_assert_int_eq(call(&slots_req, WS2_OP_SLOTS, sizeof(slots_req), 0, &rep), 0);
    ck_assert_int_ge(rep.fd, 0);
    close(rep.fd);
    ck_assert_uint_eq(slots->region_slots, WS2_SHARED_SLOTS);
    ck_assert_uint_eq(slots->count, WS2_SLOT_BATCH);
    n = slots->count;
    memcpy(batch, slots->slots, sizeof(batch));

    memset(&req, 0, sizeof(req));
    req.family = WS_AF_INET;
    req.type = WS_SOCK_STREAM;
    req.slot = batch[n - 1];
    ck_assert_int_eq(call(&req, WS2_OP_SOCKET, sizeof(req), 0, &rep), 0);
    close(rep.fd);
    ck_assert_uint_eq(body->slot, batch[n - 1]);
    ck_assert_uint_eq(sock_of(body->handle)->slot, batch[n - 1]);
    ck_assert_uint_eq(sock_of(body->handle)->shared->id, sock_of(body->handle)->id);
    /* The same slot again: it is a socket's now. */
    ck_assert_int_eq(call(&req, WS2_OP_SOCKET, sizeof(req), 0, NULL), WSAENOBUFS);
    /* Another process's. */
    ck_assert_uint_eq(shared_reserve(client->process->serial + 1000, &foreign, 1), 1);
    req.slot = foreign;
    ck_assert_int_eq(call(&req, WS2_OP_SOCKET, sizeof(req), 0, NULL), WSAENOBUFS);
    /* A request that fails before a socket is made keeps the slot the caller's. */
    req.slot = batch[0];
    req.family = 12345;
    ck_assert_int_ne(call(&req, WS2_OP_SOCKET, sizeof(req), 0, NULL), 0);
    req.family = WS_AF_INET;
    ck_assert_int_eq(call(&req, WS2_OP_SOCKET, sizeof(req), 0, &rep), 0);
    close(rep.fd);
    ck_assert_uint_eq(body->slot, batch[0]);
}
END_TEST

/* Send a one-way request over the connection with `fd` passed along (the
 * DLL's SOCKET); post_wire_fd also lets the server read it. */
static void queue_wire_fd(void *msg, uint32_t op, uint32_t size, uint32_t handle, int fd)
{
    /* By hand: Wine's headers give the CMSG_ macros Windows' meaning. */
    union
    {
        struct cmsghdr hdr;
        char bytes[sizeof(struct cmsghdr) + 8];
    } control;
    struct iovec iov = { msg, size };
    struct msghdr mh = { 0 };

    make_request(msg, op, size, handle);
    ((struct ws2_req_header *)msg)->flags = WS2_REQ_ONEWAY;
    memset(&control, 0, sizeof(control));
    control.hdr.cmsg_level = SOL_SOCKET;
    control.hdr.cmsg_type = SCM_RIGHTS;
    control.hdr.cmsg_len = sizeof(struct cmsghdr) + sizeof(int);
    memcpy(control.bytes + sizeof(struct cmsghdr), &fd, sizeof(int));
    mh.msg_iov = &iov;
    mh.msg_iovlen = 1;
    mh.msg_control = control.bytes;
    mh.msg_controllen = sizeof(control.bytes);
    ck_assert_int_eq(sendmsg(other, &mh, 0), size);
}

static void post_wire_fd(void *msg, uint32_t op, uint32_t size, uint32_t handle, int fd)
{
    queue_wire_fd(msg, op, size, handle, fd);
    client->w.cb(&client->w, EPOLLIN);
}

/* The DLL's SOCKET for a socket of Windows type `type` in grant `i`'s slot,
 * named by `handle`, carrying a Linux socket of type (and flags) `lx_type`;
 * queued on the wire, and read by the server unless `queue_only`. */
static void dll_socket(const struct ws2_slots_reply *grants, unsigned int i, uint32_t handle, int type, int lx_type,
                       int queue_only)
{
    struct ws2_socket_request req;
    int fd = socket(AF_INET, lx_type, 0);

    memset(&req, 0, sizeof(req));
    req.family = WS_AF_INET;
    req.type = type;
    req.slot = grants->slots[i];
    if (queue_only) queue_wire_fd(&req, WS2_OP_SOCKET, sizeof(req), handle, fd);
    else post_wire_fd(&req, WS2_OP_SOCKET, sizeof(req), handle, fd);
    close(fd);
}

/* SLOTS for `count` grants, into *grants. */
static void take_grants(unsigned int count, struct ws2_slots_reply *grants)
{
    struct ws2_int_request req;
    struct reply rep;

    memset(&req, 0, sizeof(req));
    req.value = count;
    ck_assert_int_eq(call(&req, WS2_OP_SLOTS, sizeof(req), 0, &rep), 0);
    close(rep.fd);
    memcpy(grants, rep.u.bytes, sizeof(*grants));
    ck_assert_uint_eq(grants->count, count);
}

/* The DLL's SOCKET: the Linux socket it made comes with the request, under
 * a handle and with an id SLOTS granted with the slot; what does not fit
 * is refused, and the refusal answers the next request naming the handle. */
START_TEST(test_socket_with_fd)
{
    struct ws2_req_header bare;
    struct ws2_slots_reply grants;
    struct ws2_socket *sock;
    uint32_t used;

    take_grants(4, &grants);
    ck_assert_uint_ne(grants.handles[0], 0);
    ck_assert_uint_ne(grants.handles[0], grants.handles[1]);
    ck_assert_uint_ne(grants.ids[0], 0);
    ck_assert_uint_ne(grants.ids[0], grants.ids[1]);
    /* A granted handle names no socket yet, and no new socket takes it. */
    ck_assert_int_eq(call(&bare, WS2_OP_GETSOCKNAME, sizeof(bare), grants.handles[0], NULL), WSAENOTSOCK);
    ck_assert_uint_ne(new_socket(WS_SOCK_STREAM, NULL), grants.handles[0]);

    dll_socket(&grants, 0, grants.handles[0], WS_SOCK_STREAM, SOCK_STREAM | SOCK_NONBLOCK, 0);
    ck_assert_ptr_nonnull(sock = sock_of(grants.handles[0]));
    ck_assert_uint_eq(sock->id, grants.ids[0]);
    ck_assert_uint_eq(sock->slot, grants.slots[0]);
    ck_assert_uint_eq(sock->shared->id, grants.ids[0]);
    ck_assert_int_eq(sock->protocol, WS_IPPROTO_TCP);
    ck_assert_int_eq(call(&bare, WS2_OP_GETSOCKNAME, sizeof(bare), grants.handles[0], NULL), WSAEINVAL);

    /* The same handle again: it is no longer a grant, nothing changes. */
    dll_socket(&grants, 1, grants.handles[0], WS_SOCK_STREAM, SOCK_STREAM | SOCK_NONBLOCK, 0);
    ck_assert_ptr_eq(sock_of(grants.handles[0]), sock);

    /* A blocking socket, and a datagram socket for a stream: refused. */
    dll_socket(&grants, 1, grants.handles[1], WS_SOCK_STREAM, SOCK_STREAM, 0);
    ck_assert_ptr_null(sock_of(grants.handles[1]));
    ck_assert_int_eq(call(&bare, WS2_OP_GETSOCKNAME, sizeof(bare), grants.handles[1], NULL), WSAEINVAL);
    /* The refusal is told again until CLOSE frees the entry. */
    ck_assert_int_eq(call(&bare, WS2_OP_GETSOCKNAME, sizeof(bare), grants.handles[1], NULL), WSAEINVAL);
    used = client->process->handles.used;
    ck_assert_int_eq(call(&bare, WS2_OP_CLOSE, sizeof(bare), grants.handles[1], NULL), 0);
    ck_assert_uint_eq(client->process->handles.used, used - 1);
    ck_assert_int_eq(call(&bare, WS2_OP_GETSOCKNAME, sizeof(bare), grants.handles[1], NULL), WSAENOTSOCK);
    ck_assert_int_eq(call(&bare, WS2_OP_CLOSE, sizeof(bare), grants.handles[1], NULL), WSAENOTSOCK);
    dll_socket(&grants, 2, grants.handles[2], WS_SOCK_STREAM, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    ck_assert_int_eq(call(&bare, WS2_OP_GETSOCKNAME, sizeof(bare), grants.handles[2], NULL), WSAEINVAL);

    /* A slot that is not the one granted to this process: refused as out of slots. */
    dll_socket(&grants, 0, grants.handles[3], WS_SOCK_DGRAM, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    ck_assert_int_eq(call(&bare, WS2_OP_GETSOCKNAME, sizeof(bare), grants.handles[3], NULL), WSAENOBUFS);
}
END_TEST

/* Another thread of the process names the new socket before the server
 * has read the SOCKET the first thread posted: the server reads the
 * process's other connections first, and the socket is there. */
START_TEST(test_socket_catch_up)
{
    struct ws2_hello_request hello_req;
    struct ws2_req_header bare;
    struct reply rep;
    struct ws2_slots_reply grants;
    struct ws2_client *second;
    int other2;

    take_grants(2, &grants);
    second = fake_client(&other2);
    memset(&hello_req, 0, sizeof(hello_req));
    hello_req.version = WS2_PROTOCOL_VERSION;
    hello_req.win_pid = MY_WIN_PID;
    make_request(&hello_req, WS2_OP_HELLO, sizeof(hello_req), 0);
    rep.fd = -1;
    ck_assert_int_eq(request_dispatch(second, &hello_req, sizeof(hello_req), &rep), 0);
    ck_assert_ptr_eq(second->process, client->process);

    dll_socket(&grants, 0, grants.handles[0], WS_SOCK_DGRAM, SOCK_DGRAM | SOCK_NONBLOCK, 1);
    ck_assert_ptr_null(sock_of(grants.handles[0]));
    make_request(&bare, WS2_OP_GETSOCKNAME, sizeof(bare), grants.handles[0]);
    rep.fd = -1;
    /* Unbound: WSAEINVAL, not WSAENOTSOCK. */
    ck_assert_int_eq(request_dispatch(second, &bare, sizeof(bare), &rep), WSAEINVAL);
    ck_assert_ptr_nonnull(sock_of(grants.handles[0]));
    /* A grant nobody posted stays no socket. */
    make_request(&bare, WS2_OP_GETSOCKNAME, sizeof(bare), grants.handles[1]);
    ck_assert_int_eq(request_dispatch(second, &bare, sizeof(bare), &rep), WSAENOTSOCK);
    client_free(second);
    close(other2);
}
END_TEST

START_TEST(test_lingering_close_deferred)
{
    struct ws2_reply_header hdr;
    struct ws2_req_header req;
    size_t got;
    int peer, waited;
    uint32_t h = lingering_handle(&peer);

    send_wire(&req, WS2_OP_CLOSE, sizeof(req), h);
    /* No reply yet; the handle is already gone. */
    ck_assert_ptr_nonnull(client->deferred);
    ck_assert_int_eq(fake_client_reply(other, &hdr), -1);
    ck_assert_ptr_null(sock_of(h));
    ck_assert_uint_eq(linger_count(), 1);
    /* The peer reads everything: the close finishes gracefully. */
    ck_assert_int_eq(peer_drain(peer, &got), 0);
    for (waited = 0; linger_count() && waited < 5000; waited++)
    {
        fake_now++; /* the loop's clock, at real speed */
        linger_poll();
        usleep(1000);
    }
    ck_assert_uint_eq(linger_count(), 0);
    ck_assert_uint_eq(sock_count(), 0);
    ck_assert_ptr_null(client->deferred);
    /* One reply, status 0. */
    ck_assert_int_eq(fake_client_reply(other, &hdr), sizeof(hdr));
    ck_assert_uint_eq(hdr.status, 0);
    ck_assert_int_eq(fake_client_reply(other, &hdr), -1);
    /* The connection takes requests again. */
    send_wire(&req, WS2_OP_SERVER_STATS, sizeof(req), 0);
    ck_assert_int_eq(fake_client_reply(other, &hdr), sizeof(struct ws2_stats_reply));
    ck_assert_uint_eq(hdr.status, 0);
    close(peer);
}
END_TEST

/* A one-way CLOSE of a lingering socket: no reply, nothing deferred; the
 * socket drains in the background by the same rules. */
START_TEST(test_oneway_lingering_close)
{
    struct ws2_reply_header hdr;
    struct ws2_req_header req;
    int peer;
    uint64_t start = fake_now;
    uint32_t h = lingering_handle(&peer);

    make_request(&req, WS2_OP_CLOSE, sizeof(req), h);
    req.flags = WS2_REQ_ONEWAY;
    ck_assert_int_eq(send(other, &req, sizeof(req), 0), sizeof(req));
    client->w.cb(&client->w, EPOLLIN);
    ck_assert_ptr_null(client->deferred);
    ck_assert_ptr_null(sock_of(h));
    ck_assert_int_eq(fake_client_reply(other, &hdr), -1);
    ck_assert_uint_eq(linger_count(), 1);
    fake_now = start + 5001;
    linger_poll();
    ck_assert_uint_eq(linger_count(), 0);
    ck_assert_uint_eq(sock_count(), 0);
    close(peer);
}
END_TEST

/* One-way messages and the request after them, queued together, are all
 * handled in one turn of the loop, in order; only the request is answered,
 * and a one-way message that fails is not answered either. */
START_TEST(test_oneway_then_request)
{
    struct ws2_reply_header hdr;
    struct ws2_req_header req[4];
    uint32_t h1 = new_socket(WS_SOCK_STREAM, NULL), h2 = new_socket(WS_SOCK_DGRAM, NULL);
    int i;

    make_request(&req[0], WS2_OP_CLOSE, sizeof(req[0]), h1);
    make_request(&req[1], WS2_OP_CLOSE, sizeof(req[1]), 0xbad);
    make_request(&req[2], WS2_OP_CLOSE, sizeof(req[2]), h2);
    make_request(&req[3], WS2_OP_SERVER_STATS, sizeof(req[3]), 0);
    for (i = 0; i < 3; i++) req[i].flags = WS2_REQ_ONEWAY;
    for (i = 0; i < 4; i++) ck_assert_int_eq(send(other, &req[i], sizeof(req[i]), 0), sizeof(req[i]));
    client->w.cb(&client->w, EPOLLIN);
    ck_assert_ptr_null(sock_of(h1));
    ck_assert_ptr_null(sock_of(h2));
    ck_assert_uint_eq(sock_count(), 0);
    ck_assert_int_eq(fake_client_reply(other, &hdr), sizeof(struct ws2_stats_reply));
    ck_assert_uint_eq(hdr.status, 0);
    ck_assert_int_eq(fake_client_reply(other, &hdr), -1);
}
END_TEST

START_TEST(test_request_while_deferred)
{
    struct ws2_reply_header hdr;
    struct ws2_req_header req;
    size_t got;
    int peer;
    uint64_t start = fake_now;
    uint32_t h = lingering_handle(&peer);

    send_wire(&req, WS2_OP_CLOSE, sizeof(req), h);
    ck_assert_ptr_nonnull(client->deferred);
    /* One request at a time: a second one ends the connection. */
    send_wire(&req, WS2_OP_SERVER_STATS, sizeof(req), 0);
    client = NULL;
    ck_assert_int_eq(fake_client_reply(other, &hdr), 0);
    /* The close goes on without anybody to answer, by the same rules. */
    ck_assert_uint_eq(linger_count(), 1);
    fake_now = start + 5001;
    linger_poll();
    ck_assert_uint_eq(linger_count(), 0);
    ck_assert_uint_eq(sock_count(), 0);
    ck_assert_int_eq(peer_drain(peer, &got), ECONNRESET);
    close(peer);
}
END_TEST

START_TEST(test_process_release_all)
{
    uint32_t h = lingering_handle(&(int){ 0 });

    (void)h;
    new_socket(WS_SOCK_DGRAM, NULL);
    /* As at process exit: nobody waits, the TCP socket drains alone. */
    process_release_all(client->process);
    ck_assert_uint_eq(client->process->handles.used, 0);
    ck_assert_uint_eq(sock_count(), 1);
    ck_assert_uint_eq(linger_count(), 1);
    ck_assert_ptr_null(client->deferred);
}
END_TEST

/* Name lookups answer from a worker thread: run the event loop until the
 * server is idle again (the lookup done).  The client
 * never said HELLO, so it is no client process that keeps the loop up. */
static void run_until_lookups_done(void)
{
    ck_assert_uint_eq(process_count(), 0);
    loop_run(0);
    ck_assert_uint_eq(resolve_count(), 0);
}

START_TEST(test_lookup_deferred)
{
    struct ws2_req_header req;
    struct ws2_reply_header hdr;

    make_request(&req, WS2_OP_INTERFACES, sizeof(req), 0);
    ck_assert_int_eq(resolve_start(client, WS2_OP_INTERFACES, &req, sizeof(req)), 0);
    ck_assert_ptr_nonnull(client->deferred);
    ck_assert_uint_eq(resolve_count(), 1);
    run_until_lookups_done();
    ck_assert_ptr_null(client->deferred);
    ck_assert_int_eq(fake_client_reply(other, &hdr), sizeof(struct ws2_interfaces_reply));
    ck_assert_uint_eq(hdr.status, 0);
    ck_assert_int_eq(fake_client_reply(other, &hdr), -1);
}
END_TEST

START_TEST(test_lookup_client_gone)
{
    struct ws2_req_header req;
    struct ws2_reply_header hdr;

    make_request(&req, WS2_OP_INTERFACES, sizeof(req), 0);
    ck_assert_int_eq(resolve_start(client, WS2_OP_INTERFACES, &req, sizeof(req)), 0);
    client_free(client);
    client = NULL;
    /* The worker finishes; its answer goes nowhere. */
    run_until_lookups_done();
    ck_assert_int_eq(fake_client_reply(other, &hdr), 0);
}
END_TEST

Suite *requests_suite(void)
{
    Suite *s = suite_create("requests");
    TCase *first = tcase_create("hello"), *tc = tcase_create("handlers");
    TCase *lookups = tcase_create("deferred lookups");

    tcase_add_checked_fixture(first, setup, NULL);
    tcase_add_test(first, test_hello_first);
    tcase_add_test(first, test_hello_win_pid_held);
    tcase_add_test(first, test_hello_keeps_win_pid);
    suite_add_tcase(s, first);

    tcase_add_checked_fixture(tc, setup_hello, NULL);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_socket_handles);
    tcase_add_test(tc, test_bind_listen_states);
    tcase_add_test(tc, test_bad_handles);
    tcase_add_test(tc, test_reply_bytes_are_written);
    tcase_add_test(tc, test_close_duplicate_then_last);
    tcase_add_test(tc, test_dup_open_after_source_closed);
    tcase_add_test(tc, test_duplicate_offers);
    tcase_add_test(tc, test_reply_state);
    tcase_add_test(tc, test_oneway_lingering_close);
    tcase_add_test(tc, test_oneway_then_request);
    tcase_add_test(tc, test_udp_reset_ioctls);
    tcase_add_test(tc, test_cleanup);
    tcase_add_test(tc, test_slots_and_socket);
    tcase_add_test(tc, test_socket_with_fd);
    tcase_add_test(tc, test_socket_catch_up);
    tcase_add_test(tc, test_lingering_close_deferred);
    tcase_add_test(tc, test_request_while_deferred);
    tcase_add_test(tc, test_process_release_all);
    suite_add_tcase(s, tc);

    tcase_add_checked_fixture(lookups, setup, NULL);
    tcase_add_test(lookups, test_lookup_deferred);
    tcase_add_test(lookups, test_lookup_client_gone);
    suite_add_tcase(s, lookups);
    return s;
}
