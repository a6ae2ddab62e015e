/*
 * WSAConnectByNameA/W: look a name and a service up and connect a stream
 * socket to the first of its addresses that answers, within the time limit
 * given (none: as long as it takes).
 *
 * Microsoft's page ("WSAConnectByNameA function"): the socket must be an
 * unconnected stream socket; Reserved must be NULL; the local and the remote
 * address of the connection are written where the caller gives room for
 * them, with their lengths; WSAETIMEDOUT when the time runs out.  Observed
 * (Wine's test_WSAConnectByName, passing on Windows): a NULL name or service
 * and a non-NULL Reserved are WSAEINVAL, a datagram socket WSAEINVAL (or
 * WSAEFAULT on later versions), an unknown service WSATYPE_NOT_FOUND; an
 * address with no length pointer is not written; a length with no address
 * pointer is set to the address's size; a length too small is WSAEFAULT and
 * stays as it was; the local address comes back with port 0.
 */
#include <string.h>
#include "private.h"
#include "data.h"
#include "sock.h"
#include "socket.h"
#include "sys.h"
#include "usermem.h"

/* Connect to one address, waiting until `deadline` (GetTickCount) when
 * `limited`: 0 or a WSA error. */
static int connect_one(struct ws2_sock *sock, const struct sockaddr *addr, int len, DWORD deadline, int limited)
{
    int status = socket_connect_start(sock, addr, len);

    while (status == WSAEWOULDBLOCK)
    {
        int ms = -1;

        if (limited)
        {
            LONG left = (LONG)(deadline - GetTickCount());

            if (left <= 0) return WSAETIMEDOUT;
            ms = left;
        }
        if ((status = sock_wait(sock, WAIT_WRITE, ms))) break;
        status = socket_connect_finish(sock);
    }
    if (status && status != WSAETIMEDOUT) sock_note_connect_error(sock, status);
    return status;
}

/* Check that an (address, length) pair of the caller has room for `size`
 * bytes: 0 or WSAEFAULT (the length is left alone). */
static int check_room(const DWORD *len_ptr, const void *addr, DWORD size)
{
    DWORD len;

    if (!len_ptr) return 0;
    if (user_read(&len, len_ptr, sizeof(len)) < 0) return WSAEFAULT;
    return addr && len < size ? WSAEFAULT : 0;
}

/* Give the caller an address of `size` bytes as the pair asks. */
static int give_addr(DWORD *len_ptr, void *addr, const void *value, DWORD size)
{
    if (!len_ptr) return 0;
    if (addr && user_write(addr, value, size) < 0) return WSAEFAULT;
    return user_write(len_ptr, &size, sizeof(size)) < 0 ? WSAEFAULT : 0;
}

static int connect_by_name(SOCKET s, const char *node, const char *service, DWORD *local_len, void *local,
                           DWORD *remote_len, void *remote, const struct timeval *timeout, void *reserved)
{
    struct addrinfo hints, *list = NULL, *ai;
    struct sockaddr_storage here, there;
    struct ws2_sock *sock;
    WSAPROTOCOL_INFOW info;
    struct timeval tv;
    int family, size, here_len, there_len, status;
    DWORD deadline = 0;

    if (reserved || !node || !service) return WSAEINVAL;
    if (timeout && user_read(&tv, timeout, sizeof(tv)) < 0) return WSAEFAULT;
    size = sizeof(info);
    if (getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOW, (char *)&info, &size)) return WSAGetLastError();
    if (info.iSocketType != SOCK_STREAM) return WSAEINVAL;
    family = info.iAddressFamily;
    if (family != AF_INET && family != AF_INET6) return WSAEAFNOSUPPORT;

    memset(&hints, 0, sizeof(hints));
    hints.ai_family = family;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;
    /* A dual-stack IPv6 socket reaches IPv4 hosts through mapped addresses. */
    if (family == AF_INET6) hints.ai_flags = AI_V4MAPPED | AI_ALL;
    if ((status = getaddrinfo(node, service, &hints, &list))) return status;
    /* Room for the answers is checked before connecting: a failure leaves
     * the socket as it was. */
    size = family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
    if ((status = check_room(local_len, local, size)) || (status = check_room(remote_len, remote, size)))
    {
        freeaddrinfo(list);
        return status;
    }

    if (timeout) deadline = GetTickCount() + tv.tv_sec * 1000 + tv.tv_usec / 1000;
    if (!(sock = sock_for_call(s)))
    {
        freeaddrinfo(list);
        return WSAGetLastError();
    }
    status = WSAHOST_NOT_FOUND;
    for (ai = list; ai; ai = ai->ai_next)
        if (!(status = connect_one(sock, ai->ai_addr, ai->ai_addrlen, deadline, !!timeout)) ||
            status == WSAETIMEDOUT)
            break;
    sock_release(sock);
    freeaddrinfo(list);
    if (status) return status;

    here_len = there_len = sizeof(here);
    if (getsockname(s, (struct sockaddr *)&here, &here_len) || getpeername(s, (struct sockaddr *)&there, &there_len))
        return WSAGetLastError();
    /* Windows gives the local address without its port. */
    ((struct sockaddr_in *)&here)->sin_port = 0;
    if ((status = give_addr(local_len, local, &here, here_len))) return status;
    return give_addr(remote_len, remote, &there, there_len);
}

BOOL WSAAPI WSAConnectByNameA(SOCKET s, LPSTR node, LPSTR service, LPDWORD local_len, LPSOCKADDR local,
                              LPDWORD remote_len, LPSOCKADDR remote, const PTIMEVAL timeout,
                              LPWSAOVERLAPPED reserved)
{
    int status;

    TRACE("%#Ix %s %s %p %p %p %p %p %p\n", s, node ? node : "(null)", service ? service : "(null)", local_len,
          local, remote_len, remote, timeout, reserved);
    if ((status = connect_by_name(s, node, service, local_len, local, remote_len, remote, timeout, reserved)))
        return ws2_fail(status), FALSE;
    return TRUE;
}

/* A wide string as UTF-8 in `out`; NULL stays NULL, -1 when it is too long. */
static int utf8_of(const WCHAR *in, char *out, int size, const char **result)
{
    *result = NULL;
    if (!in) return 0;
    if (!WideCharToMultiByte(CP_UTF8, 0, in, -1, out, size, NULL, NULL)) return -1;
    *result = out;
    return 0;
}

BOOL WSAAPI WSAConnectByNameW(SOCKET s, LPWSTR node, LPWSTR service, LPDWORD local_len, LPSOCKADDR local,
                              LPDWORD remote_len, LPSOCKADDR remote, const PTIMEVAL timeout,
                              LPWSAOVERLAPPED reserved)
{
    char node_a[1025], service_a[256];
    const char *n, *sv;
    int status;

    TRACE("%#Ix %p %p %p %p %p %p %p %p\n", s, node, service, local_len, local, remote_len, remote, timeout,
          reserved);
    if (utf8_of(node, node_a, sizeof(node_a), &n) < 0) status = WSAEINVAL;
    else if (utf8_of(service, service_a, sizeof(service_a), &sv) < 0) status = WSATYPE_NOT_FOUND;
    else status = connect_by_name(s, n, sv, local_len, local, remote_len, remote, timeout, reserved);
    if (status) return ws2_fail(status), FALSE;
    return TRUE;
}
