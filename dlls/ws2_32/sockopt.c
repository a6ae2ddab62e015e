/*
 * getsockopt/setsockopt.  Every rule (levels, lengths, values, errors)
 * lives in the server's option table; the DLL only moves bytes between the
 * program's memory and the request, without trusting the pointers.
 */
#include <string.h>
#include "private.h"
#include "channel.h"
#include "sock.h"
#include "startup.h"
#include "usermem.h"

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
    struct ws2_call_extra extra = { optval, NULL };
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
    /* The program's buffer goes straight into the message. */
    else req.datalen = set_data_len(optlen);
    status = ws2_sock_call_setsockopt_ex(sock, &req, NULL, &extra);
    if (status == WSAEFAULT && req.datalen)
    {
        /* Unreadable optval: let the server decide which error comes first. */
        req.flags |= WS2_OPTVAL_FAULT;
        req.datalen = 0;
        status = ws2_sock_call_setsockopt(sock, &req, NULL);
    }
    /* SO_RCVTIMEO/SO_SNDTIMEO, as the server took them, came back with the reply. */
    sock_release(sock);
    return status ? ws2_fail(status) : 0;
}

int WSAAPI getsockopt(SOCKET s, int level, int optname, char *optval, int *optlen)
{
    struct ws2_sockopt_request req = { .level = level, .name = optname };
    struct ws2_sockopt_reply rep;
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
    rep.flags = rep.datalen = 0;
    status = ws2_sock_call_getsockopt(sock, &req, &rep);
    if (status == WSAENETDOWN || status == WSAENOTSOCK) goto done;
    /* Bytes to write come back on failure too (zero-filled short buffers). */
    if (rep.datalen > WS2_MAX_OPTVAL || (rep.datalen && (len <= 0 || (int)rep.datalen > len)))
        rep.datalen = 0;
    if (rep.datalen && user_write(optval, rep.data, rep.datalen) < 0) status = WSAEFAULT;
    else if ((rep.flags & WS2_OPTLEN_SET) && user_write(optlen, &rep.optlen, sizeof(rep.optlen)) < 0)
        status = WSAEFAULT;
done:
    sock_release(sock);
    return status ? ws2_fail(status) : 0;
}
