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
 * provider lies under ours.  SIO_ROUTING_INTERFACE_QUERY asks the host's
 * routes with a probe socket (sys.h); SIO_ENABLE_CIRCULAR_QUEUEING is
 * accepted and not done.
 *
 * Each code is a row of ioctl_codes: its handler and how Windows treats the
 * call around it (failing at once or through the OVERLAPPED, writing
 * *lpcbBytesReturned or not).  A code without a row is WSAEOPNOTSUPP, as
 * the transport driver answers it.  WSAIoctl clears the last error when it
 * succeeds; ioctlsocket leaves it.
 */
#include <string.h>
#define WIN32_NO_STATUS /* the STATUS_* names come from ntstatus.h below */
#include "private.h"
#undef WIN32_NO_STATUS
#include <ntstatus.h>
#include <winternl.h>
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
#include "ws2addr.h"
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

/* What a failed call leaves in *lpcbBytesReturned: nothing (the call's `len`). */
#define COUNT_UNTOUCHED ((DWORD)~0u)

/*
 * One call of a control code: its buffers, and the count the call reports
 * in `len`: what it wrote to `out`, or after a failure 0, how much `out`
 * needs, or COUNT_UNTOUCHED.  A failure that the driver reports through
 * the OVERLAPPED even though it is WSAEFAULT says which NTSTATUS in
 * `ov_status`.
 */
struct ioctl_call
{
    struct ws2_sock *sock;
    const void *in;
    DWORD in_len;
    void *out;
    DWORD out_size;
    DWORD len;
    DWORD ov_status;
    WSAOVERLAPPED *ov;
    LPWSAOVERLAPPED_COMPLETION_ROUTINE routine;
    int started; /* the handler reported the call through the OVERLAPPED itself */
};

/* Write one value of `size` bytes as the whole output. */
static int put_out(struct ioctl_call *c, const void *value, DWORD size)
{
    if (!c->out || c->out_size < size || user_write(c->out, value, size) < 0) return WSAEFAULT;
    c->len = size;
    return 0;
}

static int run_fionbio(struct ioctl_call *c)
{
    u_long arg;

    if (!c->in || c->in_len < sizeof(arg) || user_read(&arg, c->in, sizeof(arg)) < 0) return WSAEFAULT;
    /* Blocking again only once WSAEventSelect/WSAAsyncSelect are cleared. */
    if (!arg && notify_registered(c->sock)) return WSAEINVAL;
    return ioctl_server(c->sock, WS2_IOCTL_FIONBIO, arg != 0, NULL);
}

static int run_fionread(struct ioctl_call *c)
{
    uint32_t value = 0;
    u_long arg;
    int status;

    if (!c->out || c->out_size < sizeof(arg)) return WSAEFAULT;
    if ((status = ioctl_server(c->sock, WS2_IOCTL_FIONREAD, 0, &value))) return status;
    arg = value;
    return put_out(c, &arg, sizeof(arg));
}

static int run_siocatmark(struct ioctl_call *c)
{
    u_long arg;

    if (!c->out || c->out_size < sizeof(arg)) return WSAEFAULT;
    arg = at_mark(c->sock);
    return put_out(c, &arg, sizeof(arg));
}

static int run_keepalive_vals(struct ioctl_call *c)
{
    struct tcp_keepalive ka;

    if (!c->in || c->in_len < sizeof(ka) || user_read(&ka, c->in, sizeof(ka)) < 0) return WSAEFAULT;
    return keepalive_vals(c->sock, &ka);
}

/* A BOOL control code of the server's (SIO_UDP_CONNRESET/NETRESET). */
static int bool_ioctl(struct ioctl_call *c, uint32_t command)
{
    BOOL on;

    if (!c->in || c->in_len < sizeof(on) || user_read(&on, c->in, sizeof(on)) < 0) return WSAEFAULT;
    return ioctl_server(c->sock, command, on != FALSE, NULL);
}

static int run_udp_connreset(struct ioctl_call *c)
{
    return bool_ioctl(c, WS2_IOCTL_UDP_CONNRESET);
}

static int run_udp_netreset(struct ioctl_call *c)
{
    return bool_ioctl(c, WS2_IOCTL_UDP_NETRESET);
}

/* SIO_BASE_HANDLE and the SIO_BSP_HANDLE codes: the socket itself. */
static int run_base_handle(struct ioctl_call *c)
{
    SOCKET base = sock_value(c->sock);

    return put_out(c, &base, sizeof(base));
}

static int run_address_list(struct ioctl_call *c)
{
    /* Room for less than the list's header is a bad argument, not a short buffer. */
    if (c->out_size && c->out_size < offsetof(SOCKET_ADDRESS_LIST, Address)) return WSAEINVAL;
    return netdb_address_list(sock_family(c->sock), c->out, c->out_size, &c->len);
}

static int run_interface_list(struct ioctl_call *c)
{
    DWORD need;
    int status = netdb_interface_list(c->out, c->out_size, &need);

    if (!status) c->len = need;
    /* Too small: the driver says so through the OVERLAPPED, and not how much it needs. */
    else if (status == WSAEFAULT && c->out && c->out_size < need) c->ov_status = STATUS_BUFFER_TOO_SMALL;
    return status;
}

/*
 * SIO_ADDRESS_LIST_CHANGE: done when an interface address comes or goes
 * (a netlink watch of the host's addresses, one per request).  Without an
 * OVERLAPPED a non-blocking socket says WSAEWOULDBLOCK and a blocking one
 * waits, as on Windows; with one the request stays pending until a change,
 * or until closesocket ends it with WSA_OPERATION_ABORTED.  Its completion
 * packet travels the socket's receive lane (design-notes.md, "Completion
 * ports"): ask on a socket of its own, as programs do, or the packets of
 * later receives on that socket wait behind it.
 */
struct addr_change_op
{
    struct async_op op;
};

static int addr_change_step(struct async_op *op)
{
    return sys_addr_changed(op->fd) ? 0 : WSAEWOULDBLOCK;
}

static void addr_change_done(struct async_op *op, int status)
{
    (void)status;
    sys_close(op->fd);
    sock_release(op->socks[0]);
    HeapFree(GetProcessHeap(), 0, op);
}

static int run_address_change(struct ioctl_call *c)
{
    struct addr_change_op *a;
    struct wait_fd w;
    int fd;

    if ((!c->ov || sock_is_synchronous(c->sock)) && sock_is_nonblocking(c->sock)) return WSAEWOULDBLOCK;
    if ((fd = sys_addr_watch()) < 0) return -fd;
    if (!c->ov || sock_is_synchronous(c->sock))
    {
        int ret;

        w.fd = fd;
        w.events = WAIT_READ;
        while ((ret = sys_poll(&w, 1, -1)) >= 0 && !sys_addr_changed(fd))
            ;
        sys_close(fd);
        if (ret < 0) return -ret;
        if (c->ov) overlapped_report(c->sock, c->ov, c->routine, 0, 0), c->started = 1;
        return 0;
    }
    if (!(a = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*a))))
    {
        sys_close(fd);
        return WSAENOBUFS;
    }
    sock_addref(c->sock);
    a->op.wait = c->sock;
    a->op.events = WAIT_READ;
    a->op.has_fd = 1;
    a->op.fd = fd;
    a->op.socks[0] = c->sock;
    a->op.step = addr_change_step;
    a->op.done = addr_change_done;
    c->started = 1;
    return overlapped_start(&a->op, c->ov, c->routine, 0);
}

/* The local address a datagram to the given destination would leave from. */
static int run_route_query(struct ioctl_call *c)
{
    static const uint8_t zero[16];
    uint8_t dest[WS2ADDR_MAX_SIZE], src[WS2ADDR_MAX_SIZE];
    int32_t size = ws2addr_size(sock_family(c->sock));
    uint32_t srclen;
    int status;

    /* A whole destination of the socket's family, with an address. */
    if (!c->in || (int32_t)c->in_len < size || user_read(dest, c->in, size) < 0) return WSAEINVAL;
    if (ws2addr_family(dest, size) != sock_family(c->sock)) return WSAEAFNOSUPPORT;
    if (size == WS2ADDR_IN_SIZE ? !memcmp(&((struct sockaddr_in *)dest)->sin_addr, zero, 4)
                                : !memcmp(&((struct sockaddr_in6 *)dest)->sin6_addr, zero, 16))
        return WSAEINVAL;
    if (!c->out) return WSAEFAULT;
    if ((int32_t)c->out_size < size)
    {
        c->len = size;
        return WSAEFAULT;
    }
    if ((status = sys_route_source(dest, size, src, &srclen))) return status;
    return put_out(c, src, srclen);
}

static int run_extension_function(struct ioctl_call *c)
{
    GUID guid;
    void *func;

    if (!c->in || c->in_len < sizeof(guid) || user_read(&guid, c->in, sizeof(guid)) < 0) return WSAEFAULT;
    if (!(func = extension_function(&guid)))
    {
        FIXME("unknown extension function {%08lx-%04x-%04x-...}\n", guid.Data1, guid.Data2, guid.Data3);
        return WSAEINVAL;
    }
    return put_out(c, &func, sizeof(func));
}

/* Windows gives a connected stream 64 KiB, whatever the link. */
static int run_send_backlog(struct ioctl_call *c)
{
    ULONG backlog = 0x10000;

    if (!c->out || c->out_size < sizeof(backlog)) return WSAEFAULT;
    if (sock_type(c->sock) != SOCK_STREAM) return WSAEOPNOTSUPP;
    if (!(sock_state(c->sock) & WS2_STATE_CONNECTED)) return WSAENOTCONN;
    return put_out(c, &backlog, sizeof(backlog));
}

/* Accepted and not done: Linux drops the newest datagram when the queue is
 * full, Windows with this code the oldest. */
static int run_circular_queueing(struct ioctl_call *c)
{
    (void)c;
    return 0;
}

static int run_unknown(struct ioctl_call *c)
{
    (void)c;
    return WSAEOPNOTSUPP;
}

/*
 * How each code behaves around its handler, as Wine's suite records it for
 * Windows.  A code is answered either by the layer above the transport
 * driver or by the driver itself:
 *
 * IOCTL_LOCAL     above it: a failure is immediate, OVERLAPPED or not, and
 *                 the count is written on success with an OVERLAPPED too;
 *   otherwise     the driver: with an OVERLAPPED the count is left to the
 *                 completion (but for a routine), a bad buffer fails at once
 *                 with Internal still pending, and every other failure ends
 *                 through the OVERLAPPED (the call says WSA_IO_PENDING);
 * IOCTL_COUNT     an immediate failure writes the count (0, or how much the
 *                 output needs); without it only a handler that says how
 *                 much it needs writes it;
 * IOCTL_NO_OV     answered above the driver only without an OVERLAPPED: with
 *                 one it goes to the driver, which does not know it;
 * IOCTL_PENDS     a driver's code that with an OVERLAPPED is always pending,
 *                 its completion giving the output's size as byte count.
 */
#define IOCTL_LOCAL 0x1
#define IOCTL_COUNT 0x2
#define IOCTL_NO_OV 0x4
#define IOCTL_PENDS 0x8

static const struct ioctl_code
{
    DWORD code;
    int (*run)(struct ioctl_call *c);
    unsigned int flags;
} ioctl_codes[] = {
    { FIONBIO, run_fionbio, IOCTL_LOCAL | IOCTL_COUNT },
    { FIONREAD, run_fionread, IOCTL_LOCAL },
    { SIOCATMARK, run_siocatmark, IOCTL_LOCAL },
    { SIO_KEEPALIVE_VALS, run_keepalive_vals, IOCTL_COUNT },
    { SIO_UDP_CONNRESET, run_udp_connreset, IOCTL_LOCAL },
    { WS2_SIO_UDP_NETRESET, run_udp_netreset, IOCTL_LOCAL },
    { SIO_BASE_HANDLE, run_base_handle, IOCTL_LOCAL | IOCTL_NO_OV },
    { SIO_BSP_HANDLE, run_base_handle, IOCTL_LOCAL },
    { SIO_BSP_HANDLE_SELECT, run_base_handle, IOCTL_LOCAL },
    { SIO_BSP_HANDLE_POLL, run_base_handle, IOCTL_LOCAL },
    { SIO_ADDRESS_LIST_QUERY, run_address_list, IOCTL_LOCAL | IOCTL_COUNT },
    { SIO_ADDRESS_LIST_CHANGE, run_address_change, IOCTL_LOCAL },
    { SIO_GET_INTERFACE_LIST, run_interface_list, IOCTL_COUNT | IOCTL_PENDS },
    { SIO_ROUTING_INTERFACE_QUERY, run_route_query, IOCTL_LOCAL },
    { SIO_GET_EXTENSION_FUNCTION_POINTER, run_extension_function, IOCTL_LOCAL },
    { WS2_SIO_IDEAL_SEND_BACKLOG_QUERY, run_send_backlog, IOCTL_LOCAL },
    { SIO_ENABLE_CIRCULAR_QUEUEING, run_circular_queueing, IOCTL_LOCAL },
};

/* A code the driver does not know: WSAEOPNOTSUPP, through the OVERLAPPED with one. */
static const struct ioctl_code unknown_code = { 0, run_unknown, IOCTL_COUNT };

static const struct ioctl_code *find_code(DWORD code, int overlapped)
{
    unsigned int i;

    for (i = 0; i < sizeof(ioctl_codes) / sizeof(ioctl_codes[0]); i++)
    {
        if (ioctl_codes[i].code != code) continue;
        if (overlapped && (ioctl_codes[i].flags & IOCTL_NO_OV)) break;
        return &ioctl_codes[i];
    }
    FIXME("unsupported control code %#lx%s\n", code, overlapped ? " with an OVERLAPPED" : "");
    return &unknown_code;
}

int WSAAPI ioctlsocket(SOCKET s, __LONG32 cmd, u_long *argp)
{
    struct ioctl_call c = { .in = argp, .in_len = sizeof(*argp), .out = argp, .out_size = sizeof(*argp) };
    int status;

    TRACE("%#Ix %s %p\n", s, debugstr_ioctl(cmd), argp);
    if (!(c.sock = sock_for_control_call(s))) return SOCKET_ERROR;
    if (!argp) status = WSAEFAULT;
    else status = find_code((u_long)cmd, 0)->run(&c);
    sock_release(c.sock);
    return status ? ws2_fail(status) : 0;
}

int WSAAPI WSAIoctl(SOCKET s, DWORD code, LPVOID in, DWORD in_len, LPVOID out, DWORD out_size,
                    LPDWORD ret_len, LPWSAOVERLAPPED overlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    struct ioctl_call c = {
        .in = in, .in_len = in_len, .out = out, .out_size = out_size, .ov = overlapped, .routine = routine
    };
    const struct ioctl_code *entry;
    int status, local, tell;

    TRACE("%#Ix %s %p %lu %p %lu %p %p %p\n", s, debugstr_ioctl(code), in, in_len, out, out_size, ret_len, overlapped,
          routine);
    if (!(c.sock = sock_for_control_call(s))) return SOCKET_ERROR;
    /* Windows wants the count's place with an OVERLAPPED too. */
    if (!ret_len)
    {
        sock_release(c.sock);
        return ws2_fail(WSAEFAULT);
    }
    entry = find_code(code, overlapped != NULL);
    local = !!(entry->flags & IOCTL_LOCAL);
    c.len = entry->flags & IOCTL_COUNT ? 0 : COUNT_UNTOUCHED;
    status = entry->run(&c);
    if (c.started)
    {
        /* Pending, or reported through the OVERLAPPED already. */
        sock_release(c.sock);
        if (!status) WSASetLastError(0);
        return status ? ws2_fail(status) : 0;
    }
    /* A code that succeeds without output wrote nothing. */
    if (!status && c.len == COUNT_UNTOUCHED) c.len = 0;
    if (overlapped && !local && status)
    {
        if (status != WSAEFAULT || c.ov_status)
        {
            /* Taken, then failed through the OVERLAPPED. */
            overlapped_fail_later(c.sock, overlapped, routine, status, c.ov_status);
            sock_release(c.sock);
            return ws2_fail(WSA_IO_PENDING);
        }
        /* The driver refused the buffers after the request was made. */
        InterlockedExchange((LONG *)&overlapped->Internal, STATUS_PENDING);
    }
    if (overlapped && !status && (entry->flags & IOCTL_PENDS))
    {
        overlapped_succeed_later(c.sock, overlapped, routine, c.len);
        sock_release(c.sock);
        return ws2_fail(WSA_IO_PENDING);
    }
    /* A driver's success with an OVERLAPPED is told by the completion, but to a routine. */
    if (!status) tell = !overlapped || routine || local;
    else tell = c.len != COUNT_UNTOUCHED && (!overlapped || local);
    if (tell && user_write(ret_len, &c.len, sizeof(c.len)) < 0 && !status) status = WSAEFAULT;
    /* Every code here completes at once: report it through the OVERLAPPED
     * (event or routine, and the packet of a completion port).  Windows
     * reports no byte count there: the output size is in *ret_len. */
    if (!status && overlapped) overlapped_report(c.sock, overlapped, routine, 0, 0);
    sock_release(c.sock);
    /* Windows clears the last error when a control code succeeds. */
    return status ? ws2_fail(status) : (WSASetLastError(0), 0);
}
