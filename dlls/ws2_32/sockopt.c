/*
 * getsockopt/setsockopt.  Every rule (levels, lengths, values, errors)
 * lives in the option table (common/optable.c), which runs here, in the
 * calling process: Windows-only state in the socket's slot of the shared
 * region, Linux options on our fd copy of the socket (the same open file
 * as the server's).  Only the rows that need the server (SO_BSP_STATE,
 * SO_PROTOCOL_INFO, SO_CONNECT_TIME), and every call on a socket without a
 * slot, go to it.  The program's pointers are never trusted: its bytes are
 * copied in and out with usermem.h.
 */
#include <string.h>
#include "private.h"
#include "channel.h"
#include "sock.h"
#include "startup.h"
#include "sys.h"
#include "usermem.h"
#include "optable.h"

/* ------------------------------------------------ the table's host side */

int optable_host_get(int fd, int level, int name, void *value, uint32_t *len)
{
    return sys_sockopt_get(fd, level, name, value, len);
}

int optable_host_set(int fd, int level, int name, const void *value, uint32_t len)
{
    return sys_sockopt_set(fd, level, name, value, len);
}

int optable_host_error(int fd)
{
    return sys_socket_error(fd);
}

int optable_host_bound(int fd)
{
    return sys_socket_bound(fd);
}

void optable_host_drop_urgent_hole(int fd)
{
    sys_drop_urgent_hole(fd);
}

/* Rows marked for the server never run here (t->local). */
int optable_server_get(const struct sockopt_target *t, enum optable_server_row row,
                       const struct ws2_sockopt_request *req, uint8_t *out, uint32_t *len)
{
    (void)t;
    (void)row;
    (void)req;
    (void)out;
    (void)len;
    return WSAENOPROTOOPT;
}

/* Whether the socket's server went away: its sockets fail with WSAENETDOWN,
 * as the calls that ask it do.  One poll of the watch (channel.c), which
 * becomes readable only then. */
static BOOL server_lost(struct ws2_sock *sock)
{
    struct wait_fd w = { ws2_server_watch(), WAIT_READ, 0 };

    if (w.fd < 0 || sys_poll(&w, 1, 0) <= 0) return FALSE;
    ws2_server_watch_fired();
    return sock_generation(sock) != ws2_server_generation();
}

/* The table's view of one of our sockets; FALSE when it has no slot. */
static BOOL local_target(struct ws2_sock *sock, struct sockopt_target *t)
{
    struct ws2_sock_shared *shared = sock_shared(sock);

    if (!shared) return FALSE;
    *t = sockopt_target_of(shared, sock_fd(sock), sock_family(sock), sock_type(sock), sock_protocol(sock), 1, sock);
    return TRUE;
}

/* Bytes of optval to send for a setsockopt: what the server may need. */
static uint32_t set_data_len(int optlen)
{
    if (optlen < 0) return 4; /* some options take a negative length as 4 */
    return optlen > WS2_MAX_OPTVAL ? WS2_MAX_OPTVAL : optlen;
}

/*
 * SO_OPENTYPE belongs to the calling thread, not to a socket (Windows does
 * not even look at the handle): SO_SYNCHRONOUS_ALERT/NONALERT make later
 * socket() calls non-overlapped.  Kept in the thread's data.
 */
static int set_opentype(const char *optval, int optlen)
{
    struct ws2_thread *t = ws2_thread_data();
    DWORD value;

    if (!ws2_initialized()) return WSANOTINITIALISED;
    /* A negative length counts as 4, as for the other 4-byte SOL_SOCKET options. */
    if (!optval || (optlen >= 0 && optlen < (int)sizeof(value)) || user_read(&value, optval, sizeof(value)) < 0)
        return WSAEFAULT;
    if (t) t->opentype = value;
    return 0;
}

static int get_opentype(char *optval, int *optlen)
{
    struct ws2_thread *t = ws2_thread_data();
    DWORD value = t ? t->opentype : 0;
    int len, four = sizeof(value);

    if (!ws2_initialized()) return WSANOTINITIALISED;
    if (!optlen || user_read(&len, optlen, sizeof(len)) < 0 || !optval) return WSAEFAULT;
    /* A negative length is taken as "large enough" here (observed). */
    if (len >= 0 && len < four) return WSAEFAULT;
    if (user_write(optval, &value, sizeof(value)) < 0 || user_write(optlen, &four, sizeof(four)) < 0) return WSAEFAULT;
    return 0;
}

int WSAAPI setsockopt(SOCKET s, int level, int optname, const char *optval, int optlen)
{
    struct ws2_sockopt_request req = { .level = level, .name = optname, .optlen = optlen };
    struct sockopt_target t;
    struct ws2_sock *sock;
    int status;

    TRACE("%#Ix %s %p %d\n", s, debugstr_sockopt(level, optname), optval, optlen);
    if (level == SOL_SOCKET && optname == SO_OPENTYPE)
        return (status = set_opentype(optval, optlen)) ? ws2_fail(status) : 0;
    if (!(sock = sock_for_control_call(s))) return SOCKET_ERROR;
    /* After a ConnectEx that failed, this is where libuv and .NET look for
     * the error when its packet said success (completion.c). */
    if (level == SOL_SOCKET && optname == SO_UPDATE_CONNECT_CONTEXT && (status = sock_connect_error(sock)))
    {
        sock_release(sock);
        return ws2_fail(status);
    }
    /* Small integers are not pointers (Windows: WSAEFAULT). */
    if (!optval || (ULONG_PTR)optval < 0x10000) req.flags |= WS2_OPTVAL_NULL;
    else if (user_read(req.data, optval, req.datalen = set_data_len(optlen)) < 0)
    {
        /* Unreadable optval: the table decides which error comes first. */
        req.flags |= WS2_OPTVAL_FAULT;
        req.datalen = 0;
    }
    if (!local_target(sock, &t)) status = ws2_sock_call_setsockopt(sock, &req, NULL);
    else if (server_lost(sock)) status = WSAENETDOWN;
    else status = optable_set(&t, &req);
    sock_release(sock);
    if (status) return ws2_fail(status);
    WSASetLastError(0); /* as Windows does on success (a server call did too) */
    return 0;
}

/* The server's answer, for the rows only it has (and sockets without a slot). */
static void server_get(struct ws2_sock *sock, struct ws2_sockopt_request *req, struct sockopt_result *res)
{
    struct ws2_sockopt_reply rep;

    rep.flags = rep.datalen = 0;
    res->status = ws2_sock_call_getsockopt(sock, req, &rep);
    res->set_optlen = !!(rep.flags & WS2_OPTLEN_SET);
    res->optlen = rep.optlen;
    res->datalen = rep.datalen > WS2_MAX_OPTVAL ? 0 : rep.datalen;
    memcpy(res->data, rep.data, res->datalen);
}

int WSAAPI getsockopt(SOCKET s, int level, int optname, char *optval, int *optlen)
{
    struct ws2_sockopt_request req = { .level = level, .name = optname };
    struct sockopt_result res;
    struct sockopt_target t;
    struct ws2_sock *sock;
    int status, len = 0;

    TRACE("%#Ix %s %p %p\n", s, debugstr_sockopt(level, optname), optval, optlen);
    if (level == SOL_SOCKET && optname == SO_OPENTYPE)
        return (status = get_opentype(optval, optlen)) ? ws2_fail(status) : 0;
    if (!(sock = sock_for_control_call(s))) return SOCKET_ERROR;
    if (!optlen || user_read(&len, optlen, sizeof(len)) < 0) req.flags |= WS2_OPTLEN_FAULT;
    if (!optval || (ULONG_PTR)optval < 0x10000) req.flags |= WS2_OPTVAL_NULL;
    req.optlen = len;
    req.optval_addr = (ULONG_PTR)optval;
    /* What the server lays out with pointers in it (SO_BSP_STATE) is ours. */
    if (sizeof(void *) == 4) req.flags |= WS2_OPTVAL_PTR32;
    res.status = SOCKOPT_AT_SERVER;
    if (!local_target(sock, &t))
        ;
    else if (server_lost(sock)) res.status = WSAENETDOWN;
    else optable_get(&t, &req, &res);
    if (res.status == SOCKOPT_AT_SERVER) server_get(sock, &req, &res);
    status = res.status;
    if (status == WSAENETDOWN || status == WSAENOTSOCK) goto done;
    /* Bytes to write come back on failure too (zero-filled short buffers). */
    if (res.datalen && (len <= 0 || (int)res.datalen > len)) res.datalen = 0;
    /* Both in one copy when both are written (the usual case). */
    if (res.datalen && res.set_optlen)
    {
        if (user_write2(optval, res.data, res.datalen, optlen, &res.optlen, sizeof(res.optlen)) < 0)
            status = WSAEFAULT;
    }
    else if (res.datalen && user_write(optval, res.data, res.datalen) < 0) status = WSAEFAULT;
    else if (res.set_optlen && user_write(optlen, &res.optlen, sizeof(res.optlen)) < 0) status = WSAEFAULT;
done:
    sock_release(sock);
    if (status) return ws2_fail(status);
    WSASetLastError(0);
    return 0;
}
