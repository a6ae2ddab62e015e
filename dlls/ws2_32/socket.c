/*
 * The control path: every call here is a request to ws2server, which owns
 * the socket and knows Windows' rules (socket() and a plain closesocket
 * are sent one-way).  Blocking waits (connect, accept)
 * happen here, on our fd copy, never in the server.
 */
#include <string.h>
#include "private.h"
#include "channel.h"
#include "data.h"
#include "notify.h"
#include "overlapped.h"
#include "pipes.h"
#include "protocols.h"
#include "shared.h"
#include "sock.h"
#include "socket.h"
#include "startup.h"
#include "sys.h"
#include "usermem.h"
#include "ws2addr.h"
#include "ws2protoinfo.h"
#include "optable.h"

/* Set the error and return SOCKET_ERROR, or return 0. */
static int status_result(int status)
{
    return status ? ws2_fail(status) : 0;
}

/* Windows' SOCKETs are inheritable handles unless WSASocket was given
 * WSA_FLAG_NO_HANDLE_INHERIT (the pipes come out of pipes.c's pool not
 * inheritable). */
static void set_inheritable(struct ws2_sock *sock, DWORD flags)
{
    if (!(flags & WSA_FLAG_NO_HANDLE_INHERIT)) pipes_set_inherit(sock_value(sock), 1);
}

/* Make the SOCKET for a reply that brings a new socket (and its fd), with
 * WSASocket's `flags`. */
static SOCKET new_socket(int status, int fd, struct ws2_socket_reply *rep, DWORD flags)
{
    struct ws2_sock *sock;

    if (status)
    {
        if (fd >= 0) sys_close(fd);
        WSASetLastError(status);
        return INVALID_SOCKET;
    }
    if (!(sock = sock_register(rep, fd, &status)))
    {
        WSASetLastError(status);
        return INVALID_SOCKET;
    }
    set_inheritable(sock, flags);
    sock_set_synchronous(sock, !(flags & WSA_FLAG_OVERLAPPED));
    TRACE("-> %#Ix (%s)\n", sock_value(sock),
          debugstr_socket_kind(sock_family(sock), sock_type(sock), sock_protocol(sock)));
    sock_release(sock);
    WSASetLastError(0);
    return sock_value(sock);
}

SOCKET socket_result(int status, int fd, struct ws2_socket_reply *rep, DWORD flags)
{
    return new_socket(status, fd, rep, flags);
}

/*
 * Make the Linux socket here, with a grant of the server's (slot, handle,
 * id) taken from the batch it gave ahead, set its options' defaults, and
 * send it to the server one-way: socket() never waits for an answer.  The
 * server's checks of what it is sent are ours, made first; should it still
 * refuse, its error answers the next call naming the socket.
 */
static int make_socket(struct ws2_socket_request *req, struct ws2_socket_reply *rep, int *fd)
{
    struct sockopt_target t;
    struct ws2_sock_shared *shared;
    struct shared_grant grant;
    int status;

    if ((status = shared_take_grant(&grant))) return status;
    /* No slot to map: the server that granted it is gone (the caller tries
     * once more, with a new one). */
    if (!(shared = shared_slot(grant.slot)))
    {
        shared_give_back(&grant);
        return WSAENETDOWN;
    }
    if ((*fd = sys_socket_new(req->family, req->type, req->protocol)) < 0)
    {
        shared_give_back(&grant);
        return -*fd;
    }
    /* Windows' defaults of the options, in the slot and on the socket,
     * before any other call can see it. */
    t = sockopt_target_of(shared, *fd, req->family, req->type, req->protocol, 1, NULL);
    optable_defaults(&t);
    req->slot = grant.slot;
    if ((status = ws2_post_fd(WS2_OP_SOCKET, grant.handle, req, *fd)))
    {
        sys_close(*fd);
        *fd = -1;
        return status;
    }
    memset(rep, 0, sizeof(*rep));
    rep->handle = grant.handle;
    rep->id = grant.id;
    rep->family = req->family;
    rep->type = req->type;
    rep->protocol = req->protocol;
    rep->slot = grant.slot;
    return 0;
}

static SOCKET create_socket(int af, int type, int protocol, DWORD flags)
{
    struct ws2_socket_request req = { .flags = flags };
    struct ws2_socket_reply rep;
    int fd = -1, status;

    if (!ws2_initialized())
    {
        WSASetLastError(WSANOTINITIALISED);
        return INVALID_SOCKET;
    }
    if (!(status = protocol_choose(af, type, protocol, &req.family, &req.type, &req.protocol)))
    {
        /* A server that went away since its grants: once more, with a new one. */
        if ((status = make_socket(&req, &rep, &fd)) == WSAENETDOWN) status = make_socket(&req, &rep, &fd);
    }
    return new_socket(status, fd, &rep, flags);
}

SOCKET WSAAPI socket(int af, int type, int protocol)
{
    struct ws2_thread *t = ws2_thread_data();

    TRACE("%s\n", debugstr_socket_kind(af, type, protocol));
    /* SO_OPENTYPE set in this thread makes socket() non-overlapped. */
    return create_socket(af, type, protocol, t && t->opentype ? 0 : WSA_FLAG_OVERLAPPED);
}

/*
 * WSASocketA/W with a WSAPROTOCOL_INFO: FROM_PROTOCOL_INFO (or 0) takes the
 * family, type or protocol from it, and the structure WSADuplicateSocket
 * filled claims the shared socket.  The A and W structures are the same up
 * to szProtocol, which is all that is read.
 */
static SOCKET socket_with_info(int af, int type, int protocol, const void *info, GROUP g, DWORD flags)
{
    WSAPROTOCOL_INFOW copy;
    uint32_t token[WS2_DUP_TOKEN_WORDS];

    TRACE("%s info %p group %u flags %s\n", debugstr_socket_kind(af, type, protocol), info, g,
          debugstr_wsa_flags(flags));
    if (!info) return create_socket(af, type, protocol, flags);
    if (user_read(&copy, info, offsetof(WSAPROTOCOL_INFOW, szProtocol)) < 0)
    {
        WSASetLastError(WSAEFAULT);
        return INVALID_SOCKET;
    }
    if (ws2_protocol_info_get_token(&copy, token))
    {
        if (!ws2_initialized())
        {
            WSASetLastError(WSANOTINITIALISED);
            return INVALID_SOCKET;
        }
        return sock_open_duplicate(token, flags);
    }
    if (af == FROM_PROTOCOL_INFO || !af) af = copy.iAddressFamily;
    if (type == FROM_PROTOCOL_INFO || !type) type = copy.iSocketType;
    if (protocol == FROM_PROTOCOL_INFO || !protocol) protocol = copy.iProtocol;
    return create_socket(af, type, protocol, flags);
}

SOCKET WSAAPI WSASocketW(int af, int type, int protocol, LPWSAPROTOCOL_INFOW info, GROUP g, DWORD flags)
{
    return socket_with_info(af, type, protocol, info, g, flags);
}

SOCKET WSAAPI WSASocketA(int af, int type, int protocol, LPWSAPROTOCOL_INFOA info, GROUP g, DWORD flags)
{
    return socket_with_info(af, type, protocol, info, g, flags);
}

int WSAAPI closesocket(SOCKET s)
{
    struct ws2_sock *sock;
    int status;

    TRACE("%#Ix\n", s);
    if (!(sock = sock_for_call(s)))
    {
        /* A socket whose server went away: there is nothing left to close
         * but ours, and the program is done with it. */
        if (WSAGetLastError() != WSAENETDOWN || !(sock = sock_get(s))) return SOCKET_ERROR;
        sock_teardown(sock);
        sock_release(sock);
        WSASetLastError(0);
        return 0;
    }
    /* Closed already (CloseHandle), or one handle of several (DuplicateHandle,
     * inheritance): then the socket lives on. */
    if ((status = sock_close_value(sock, s)))
    {
        sock_release(sock);
        return status < 0 ? ws2_fail(WSAENOTSOCK) : 0;
    }
    overlapped_cancel_accepts(sock);
    /* Without a timed linger nothing can fail or wait: the server is told
     * and the call returns (the server does it before any later request of
     * this process, channel.c). */
    if (sock_close_must_wait(sock)) status = ws2_sock_call_close(sock, NULL, NULL);
    else status = ws2_sock_post(WS2_OP_CLOSE, sock);
    /* WSAEWOULDBLOCK: a non-blocking lingering close could not finish, and
     * the socket stays valid.  Any other answer means the handle is gone. */
    if (status != WSAEWOULDBLOCK)
    {
        sock_note_last_close(sock);
        sock_teardown(sock);
    }
    sock_release(sock);
    if (status == WSAENOTSOCK) status = 0; /* the server had already dropped it */
    return status_result(status);
}

/* Copy the program's sockaddr into a request, after the length rule of
 * include/ws2addr.h (the server applies the family rule). */
static int read_addr(struct ws2_addr_request *req, const struct sockaddr *addr, int len, int family)
{
    int status;

    if (!addr) return WSAEFAULT;
    if ((status = ws2addr_check_len(len, family, 0))) return status;
    req->addrlen = ws2addr_read_len(len);
    if (user_read(req->addr, addr, req->addrlen) < 0) return WSAEFAULT;
    return 0;
}

/* BIND or CONNECT (`call`) with the program's address. */
static int addr_call(struct ws2_sock *sock,
                     int (*call)(struct ws2_sock *, struct ws2_addr_request *, struct ws2_reply_header *),
                     const struct sockaddr *addr, int len)
{
    struct ws2_addr_request req = { 0 };
    int status;

    if ((status = read_addr(&req, addr, len, sock_family(sock)))) return status;
    return call(sock, &req, NULL);
}

int WSAAPI bind(SOCKET s, const struct sockaddr *addr, int len)
{
    struct ws2_sock *sock;
    int status;

    TRACE("%#Ix %s len %d\n", s, debugstr_sockaddr(addr, len), len);
    if (!(sock = sock_for_control_call(s))) return SOCKET_ERROR;
    status = addr_call(sock, ws2_sock_call_bind, addr, len);
    sock_release(sock);
    return status_result(status);
}

/* LISTEN or SHUTDOWN (`call`) with its number. */
static int int_call(struct ws2_sock *sock,
                    int (*call)(struct ws2_sock *, struct ws2_int_request *, struct ws2_reply_header *), int value)
{
    struct ws2_int_request req = { .value = value };

    return call(sock, &req, NULL);
}

int WSAAPI listen(SOCKET s, int backlog)
{
    struct ws2_sock *sock;
    int status;

    TRACE("%#Ix %d\n", s, backlog);
    if (!(sock = sock_for_control_call(s))) return SOCKET_ERROR;
    status = int_call(sock, ws2_sock_call_listen, backlog);
    if (!status) notify_reenable(sock, 0);
    sock_release(sock);
    return status_result(status);
}

int WSAAPI shutdown(SOCKET s, int how)
{
    struct ws2_sock *sock;
    int status;

    TRACE("%#Ix %d\n", s, how);
    if (!(sock = sock_for_control_call(s))) return SOCKET_ERROR;
    status = int_call(sock, ws2_sock_call_shutdown, how);
    sock_release(sock);
    return status_result(status);
}

int WSAAPI connect(SOCKET s, const struct sockaddr *addr, int len)
{
    struct ws2_sock *sock;
    int status;

    TRACE("%#Ix %s len %d\n", s, debugstr_sockaddr(addr, len), len);
    if (!(sock = sock_for_control_call(s))) return SOCKET_ERROR;
    /* A socket a pending AcceptEx accepts into is taken. */
    if (overlapped_accepting_into(sock)) status = WSAEINVAL;
    else status = addr_call(sock, ws2_sock_call_connect, addr, len);
    if (status != WSAEINVAL) sock_note_connect_made(sock);
    /* Started; a blocking socket waits for the outcome on its own fd. */
    while (status == WSAEWOULDBLOCK && !sock_is_nonblocking(sock))
    {
        if ((status = sock_wait(sock, WAIT_WRITE, -1))) break;
        status = ws2_sock_call_connect_done(sock, NULL, NULL);
    }
    notify_reenable(sock, FD_CONNECT | FD_WRITE);
    sock_release(sock);
    return status_result(status);
}

int socket_connect_start(struct ws2_sock *sock, const struct sockaddr *addr, int len)
{
    int status = addr_call(sock, ws2_sock_call_connect, addr, len);

    sock_note_connect_made(sock);
    if (!status) notify_reenable(sock, FD_CONNECT | FD_WRITE);
    return status;
}

int socket_connect_finish(struct ws2_sock *sock)
{
    int status = ws2_sock_call_connect_done(sock, NULL, NULL);

    if (status == WSAEWOULDBLOCK) return status;
    notify_reenable(sock, FD_CONNECT | FD_WRITE);
    return status;
}

/* Check the program's (addr, addrlen) pair for a result of `family`. */
static int check_addr_out(struct sockaddr *addr, int *addrlen, int family, int *len)
{
    *len = 0;
    if (!addr) return 0;
    if (!addrlen || user_read(len, addrlen, sizeof(*len)) < 0) return WSAEFAULT;
    return ws2addr_check_room(*len, family);
}

/* Copy an address from a reply out to the program, as much as fits. */
static int write_addr_out(struct sockaddr *addr, int *addrlen, int len, const uint8_t *data, uint32_t datalen)
{
    if (!addr) return 0;
    if ((int)datalen > len) return WSAEFAULT;
    if (user_write(addr, data, datalen) < 0) return WSAEFAULT;
    len = datalen;
    if (user_write(addrlen, &len, sizeof(len)) < 0) return WSAEFAULT;
    return 0;
}

SOCKET WSAAPI accept(SOCKET s, struct sockaddr *addr, int *addrlen)
{
    struct ws2_socket_reply rep;
    struct ws2_sock *sock, *new_sock;
    int status, fd, len;
    struct ws2_call_extra extra = { NULL, &fd };

    TRACE("%#Ix %p %p\n", s, addr, addrlen);
    if (!(sock = sock_for_control_call(s))) return INVALID_SOCKET;
    /* Without a length, Windows leaves the address alone and accepts. */
    if (!addrlen) addr = NULL;
    if ((status = check_addr_out(addr, addrlen, sock_family(sock), &len))) goto fail;
    for (;;)
    {
        status = ws2_sock_call_accept_ex(sock, NULL, &rep, &extra);
        if (status != WSAEWOULDBLOCK || sock_is_nonblocking(sock)) break;
        if ((status = sock_wait(sock, WAIT_READ, -1))) break;
    }
    if (status)
    {
        if (status == WSAEWOULDBLOCK) notify_reenable(sock, FD_ACCEPT);
        goto fail;
    }
    if (!(new_sock = sock_register(&rep, fd, &status))) goto fail;
    set_inheritable(new_sock, 0);
    /* The accepted socket is overlapped or not as its listener is. */
    sock_set_synchronous(new_sock, sock_is_synchronous(sock));
    status = write_addr_out(addr, addrlen, len, rep.addr, rep.addrlen);
    notify_reenable(sock, FD_ACCEPT);
    notify_inherit(sock, new_sock);
    sock_release(sock);
    sock_release(new_sock);
    if (status)
    {
        /* Windows checks the buffer first; we only get here on a race. */
        closesocket(sock_value(new_sock));
        WSASetLastError(status);
        return INVALID_SOCKET;
    }
    TRACE("-> %#Ix\n", sock_value(new_sock));
    return sock_value(new_sock);
fail:
    sock_release(sock);
    WSASetLastError(status);
    return INVALID_SOCKET;
}

/* GETSOCKNAME or GETPEERNAME (`call`) into the program's buffer. */
static int name_call(SOCKET s, int (*call)(struct ws2_sock *, struct ws2_req_header *, struct ws2_addr_reply *),
                     struct sockaddr *addr, int *addrlen, int state_first)
{
    struct ws2_addr_reply rep;
    struct ws2_sock *sock;
    int status, len;

    if (!(sock = sock_for_control_call(s))) return SOCKET_ERROR;
    /* With `state_first` the socket's state is judged before the arguments. */
    if (!addr || !addrlen) status = state_first && (status = call(sock, NULL, &rep)) ? status : WSAEFAULT;
    else if (!(status = check_addr_out(addr, addrlen, sock_family(sock), &len)) && !(status = call(sock, NULL, &rep)))
        status = write_addr_out(addr, addrlen, len, rep.addr, rep.addrlen);
    sock_release(sock);
    return status_result(status);
}

int WSAAPI getsockname(SOCKET s, struct sockaddr *addr, int *addrlen)
{
    TRACE("%#Ix %p %p\n", s, addr, addrlen);
    return name_call(s, ws2_sock_call_getsockname, addr, addrlen, 0);
}

int WSAAPI getpeername(SOCKET s, struct sockaddr *addr, int *addrlen)
{
    TRACE("%#Ix %p %p\n", s, addr, addrlen);
    /* An unconnected socket is WSAENOTCONN whatever the arguments (Wine's
     * test_getpeername, passing on Windows). */
    return name_call(s, ws2_sock_call_getpeername, addr, addrlen, 1);
}

int WSAAPI WSAConnect(SOCKET s, const struct sockaddr *addr, int len, LPWSABUF caller_data, LPWSABUF callee_data,
                      LPQOS sqos, LPQOS gqos)
{
    TRACE("%#Ix %s len %d %p %p %p %p\n", s, debugstr_sockaddr(addr, len), len, caller_data, callee_data, sqos,
          gqos);
    /* TCP/IP carries no connect data and no QoS (Windows ignores them). */
    if (callee_data)
    {
        WSABUF none = { 0, NULL };
        if (user_write(callee_data, &none, sizeof(none)) < 0) return ws2_fail(WSAEFAULT);
    }
    return connect(s, addr, len);
}

/*
 * WSAAccept: the condition function decides after the connection is
 * accepted (TCP/IP has no way to refuse before); CF_REJECT closes it with a
 * reset, so the client sees its connection refused or reset.  CF_DEFER
 * gives it back to the listener (the server keeps it for the next accept or
 * AcceptEx, as Windows keeps it in the backlog).
 */
/* Give the connection of `accepted` back to `listener`: 0, or an error. */
static int defer(SOCKET listener, SOCKET accepted)
{
    struct ws2_sock *sock, *new_sock;
    int status = WSAENOTSOCK;

    if (!(sock = sock_get(listener))) return status;
    if ((new_sock = sock_get(accepted)))
    {
        status = int_call(sock, ws2_sock_call_defer, (int)sock_handle(new_sock));
        sock_release(new_sock);
    }
    sock_release(sock);
    return status;
}

SOCKET WSAAPI WSAAccept(SOCKET s, struct sockaddr *addr, LPINT addrlen, LPCONDITIONPROC condition,
                        DWORD_PTR data)
{
    struct sockaddr_storage peer, local;
    int peer_len = sizeof(peer), local_len = sizeof(local), verdict;
    WSABUF caller, callee;
    GROUP group = 0;
    SOCKET new_s;

    TRACE("%#Ix %p %p %p %#Ix\n", s, addr, addrlen, condition, data);
    if ((new_s = accept(s, (struct sockaddr *)&peer, &peer_len)) == INVALID_SOCKET) return INVALID_SOCKET;
    if (condition)
    {
        getsockname(new_s, (struct sockaddr *)&local, &local_len);
        caller.buf = (char *)&peer;
        caller.len = peer_len;
        callee.buf = (char *)&local;
        callee.len = local_len;
        verdict = condition(&caller, NULL, NULL, NULL, &callee, NULL, &group, data);
        if (verdict != CF_ACCEPT)
        {
            struct linger abort = { 1, 0 };

            /* Deferred, the server holds it: closing our handle closes nothing. */
            if (verdict != CF_DEFER || defer(s, new_s))
                setsockopt(new_s, SOL_SOCKET, SO_LINGER, (char *)&abort, sizeof(abort));
            closesocket(new_s);
            WSASetLastError(verdict == CF_DEFER ? WSATRY_AGAIN : WSAECONNREFUSED);
            return INVALID_SOCKET;
        }
    }
    if (addr)
    {
        int room;

        if (!addrlen || user_read(&room, addrlen, sizeof(room)) < 0 || room < peer_len ||
            user_write(addr, &peer, peer_len) < 0 || user_write(addrlen, &peer_len, sizeof(peer_len)) < 0)
        {
            closesocket(new_s);
            WSASetLastError(WSAEFAULT);
            return INVALID_SOCKET;
        }
    }
    return new_s;
}

int WSAAPI WSASendDisconnect(SOCKET s, LPWSABUF data)
{
    TRACE("%#Ix %p\n", s, data);
    return shutdown(s, SD_SEND);
}

int WSAAPI WSARecvDisconnect(SOCKET s, LPWSABUF data)
{
    TRACE("%#Ix %p\n", s, data);
    return shutdown(s, SD_RECEIVE);
}
