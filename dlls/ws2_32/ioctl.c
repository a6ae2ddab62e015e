/*
 * ioctlsocket and WSAIoctl: one implementation of the control codes.
 * FIONBIO and FIONREAD go to the server (the blocking flag is socket state
 * there); SIOCATMARK looks at the fd; SIO_KEEPALIVE_VALS is expressed as
 * the keep-alive options of the option table.
 *
 * SIO_UDP_CONNRESET and SIO_UDP_NETRESET are socket state, kept by the
 * server.  What CONNRESET changes is seen only on connected UDP sockets:
 * Linux reports an ICMP port unreachable to those alone unless IP_RECVERR
 * is set, and IP_RECVERR would make the next sendto fail and keep POLLERR
 * raised until the error queue is read (design-notes.md, "SOCKET handles").
 *
 * SIO_BASE_HANDLE and the SIO_BSP_HANDLE codes name the socket itself: no
 * provider lies under ours.
 */
#include <string.h>
#include "private.h"
#include "sys.h"
#include "channel.h"
#include "extensions.h"
#include "ioctl.h"
#include "overlapped.h"
#include "netdb.h"
#include "notify.h"
#include "sock.h"
#include "usermem.h"
#include <mstcpip.h>
#include "ws2consts.h"

int ioctl_server(struct ws2_sock *sock, uint32_t command, uint32_t value, uint32_t *result)
{
    struct ws2_ioctl_request req = { .command = command, .value = value };
    struct ws2_ioctl_reply rep;
    int status;

    if (!(status = ws2_sock_call_ioctl(sock, &req, &rep)) && result) *result = rep.value;
    return status;
}

/* TRUE when no out-of-band byte waits (Windows' SIOCATMARK). */
static int at_mark(struct ws2_sock *sock)
{
    if (sock_type(sock) != SOCK_STREAM) return TRUE;
    return !sys_urgent_pending(sock_fd(sock));
}

static int keepalive_vals(struct ws2_sock *sock, const struct tcp_keepalive *ka)
{
    DWORD on = !!ka->onoff, idle = ka->keepalivetime / 1000, interval = ka->keepaliveinterval / 1000;

    /* Windows takes milliseconds here and seconds in the options. */
    if (!idle) idle = 1;
    if (!interval) interval = 1;
    if (setsockopt(sock_value(sock), SOL_SOCKET, SO_KEEPALIVE, (char *)&on, sizeof(on)) ||
        (on && (setsockopt(sock_value(sock), IPPROTO_TCP, WS2_TCP_KEEPALIVE, (char *)&idle, sizeof(idle)) ||
                setsockopt(sock_value(sock), IPPROTO_TCP, WS2_TCP_KEEPINTVL, (char *)&interval, sizeof(interval)))))
        return WSAGetLastError();
    return 0;
}

/* A BOOL control code of the server's (SIO_UDP_CONNRESET/NETRESET). */
static int bool_ioctl(struct ws2_sock *sock, uint32_t command, const void *in, DWORD in_len)
{
    BOOL on;

    if (!in || in_len < sizeof(on) || user_read(&on, in, sizeof(on)) < 0) return WSAEFAULT;
    return ioctl_server(sock, command, on != FALSE, NULL);
}

/* Run one control code; `*out_len` is what was written to `out`. */
static int do_ioctl(struct ws2_sock *sock, DWORD code, const void *in, DWORD in_len,
                    void *out, DWORD out_size, DWORD *out_len)
{
    uint32_t value = 0;
    u_long arg;
    int status;

    *out_len = 0;
    switch (code)
    {
    case FIONBIO:
        if (in_len < sizeof(arg) || user_read(&arg, in, sizeof(arg)) < 0) return WSAEFAULT;
        /* Blocking again only once WSAEventSelect/WSAAsyncSelect are cleared. */
        if (!arg && notify_registered(sock)) return WSAEINVAL;
        return ioctl_server(sock, WS2_IOCTL_FIONBIO, arg != 0, NULL);
    case FIONREAD:
        if (out_size < sizeof(arg)) return WSAEFAULT;
        if ((status = ioctl_server(sock, WS2_IOCTL_FIONREAD, 0, &value))) return status;
        arg = value;
        break;
    case SIOCATMARK:
        if (out_size < sizeof(arg)) return WSAEFAULT;
        arg = at_mark(sock);
        break;
    case SIO_KEEPALIVE_VALS:
    {
        struct tcp_keepalive ka;

        if (in_len < sizeof(ka) || user_read(&ka, in, sizeof(ka)) < 0) return WSAEFAULT;
        return keepalive_vals(sock, &ka);
    }
    case SIO_UDP_CONNRESET:
        return bool_ioctl(sock, WS2_IOCTL_UDP_CONNRESET, in, in_len);
    case WS2_SIO_UDP_NETRESET:
        return bool_ioctl(sock, WS2_IOCTL_UDP_NETRESET, in, in_len);
    case SIO_BASE_HANDLE:
    case SIO_BSP_HANDLE:
    case SIO_BSP_HANDLE_SELECT:
    case SIO_BSP_HANDLE_POLL:
    {
        SOCKET base = sock_value(sock);

        if (out_size < sizeof(base) || user_write(out, &base, sizeof(base)) < 0) return WSAEFAULT;
        *out_len = sizeof(base);
        return 0;
    }
    case SIO_ADDRESS_LIST_QUERY:
        return netdb_address_list(sock_family(sock), out, out_size, out_len);
    case SIO_GET_INTERFACE_LIST:
        return netdb_interface_list(out, out_size, out_len);
    case SIO_GET_EXTENSION_FUNCTION_POINTER:
    {
        GUID guid;
        void *func;

        if (!in || in_len < sizeof(guid) || user_read(&guid, in, sizeof(guid)) < 0) return WSAEFAULT;
        if (!(func = extension_function(&guid)))
        {
            FIXME("unknown extension function {%08lx-%04x-%04x-...}\n", guid.Data1, guid.Data2, guid.Data3);
            return WSAEINVAL;
        }
        if (out_size < sizeof(func) || user_write(out, &func, sizeof(func)) < 0) return WSAEFAULT;
        *out_len = sizeof(func);
        return 0;
    }
    default:
        FIXME("unsupported control code %#lx\n", code);
        return WSAEINVAL;
    }
    if (user_write(out, &arg, sizeof(arg)) < 0) return WSAEFAULT;
    *out_len = sizeof(arg);
    return 0;
}

int WSAAPI ioctlsocket(SOCKET s, __LONG32 cmd, u_long *argp)
{
    struct ws2_sock *sock;
    DWORD len;
    int status;

    TRACE("%#Ix %s %p\n", s, debugstr_ioctl(cmd), argp);
    if (!(sock = sock_for_control_call(s))) return SOCKET_ERROR;
    if (!argp) status = WSAEFAULT;
    else status = do_ioctl(sock, (u_long)cmd, argp, sizeof(*argp), argp, sizeof(*argp), &len);
    sock_release(sock);
    return status ? ws2_fail(status) : 0;
}

int WSAAPI WSAIoctl(SOCKET s, DWORD code, LPVOID in, DWORD in_len, LPVOID out, DWORD out_size,
                    LPDWORD ret_len, LPWSAOVERLAPPED overlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    struct ws2_sock *sock;
    DWORD len = 0;
    int status;

    TRACE("%#Ix %s %p %lu %p %lu %p %p %p\n", s, debugstr_ioctl(code), in, in_len, out, out_size, ret_len, overlapped,
          routine);
    if (!(sock = sock_for_control_call(s))) return SOCKET_ERROR;
    /* A completion routine needs the count's place too. */
    if (!ret_len && (!overlapped || routine)) status = WSAEFAULT;
    /* Windows answers it only without an OVERLAPPED (ws2_32 itself does, not the provider). */
    else if (overlapped && code == SIO_BASE_HANDLE) status = WSAEOPNOTSUPP;
    else status = do_ioctl(sock, code, in, in_len, out, out_size, &len);
    if (overlapped && status && status != WSAEFAULT)
    {
        /* With an OVERLAPPED, Windows takes the request and fails it
         * through the OVERLAPPED (Wine's tests record that). */
        overlapped_fail_later(sock, overlapped, routine, status);
        sock_release(sock);
        return ws2_fail(WSA_IO_PENDING);
    }
    /* Also on failure: a call without room says there how much it needs. */
    if (ret_len && user_write(ret_len, &len, sizeof(len)) < 0 && !status) status = WSAEFAULT;
    /* Every code here completes at once: report it through the OVERLAPPED
     * (event or routine, and the packet of a completion port).  Windows
     * reports no byte count there: the output size is in *ret_len. */
    if (!status && overlapped) overlapped_report(sock, overlapped, routine, 0, 0);
    sock_release(sock);
    return status ? ws2_fail(status) : 0;
}
