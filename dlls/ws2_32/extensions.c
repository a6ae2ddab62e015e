/*
 * The Microsoft extension functions a program gets from
 * WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER): AcceptEx,
 * GetAcceptExSockaddrs, ConnectEx, DisconnectEx, TransmitFile, WSARecvMsg
 * and WSASendMsg (the last one is also an export).
 *
 * The overlapped ones are operations of overlapped.c's I/O thread (struct
 * async_op): tried at once, then moved on whenever the socket they wait on
 * is ready, and reported through the OVERLAPPED, its event and the
 * completion routine.
 *
 * AcceptEx hands the connection to a socket the program made beforehand.
 * The server accepts it as a new socket object, as for accept(); the
 * program's accept socket is then re-pointed to it: its entry takes the new
 * server handle and fd, and its own unused socket object is closed.  The
 * SOCKET value the program holds stays the same.
 *
 * Not supported: TF_REUSE_SOCKET (DisconnectEx, TransmitFile) answers
 * WSAEOPNOTSUPP; WSARecvMsg brings no control data (Control.len is 0: no
 * IP_PKTINFO) and WSASendMsg ignores the control data it is given.
 */
#include <string.h>
#include "private.h"
#include "channel.h"
#include "data.h"
#include "extensions.h"
#include "ioctl.h"
#include "notify.h"
#include "overlapped.h"
#include "sock.h"
#include "socket.h"
#include "sys.h"
#include "usermem.h"

/* Each address area of AcceptEx's buffer: the length of the address as an
 * int, then the sockaddr (Windows layout).  Windows asks for 16 bytes more
 * than the largest address; 4 of them hold the length. */
#define ADDR_AREA_MIN (sizeof(struct sockaddr_in) + 16)

static BOOL bool_result(int status)
{
    WSASetLastError(status);
    return !status;
}

static void release_socks(struct async_op *op)
{
    if (op->socks[0]) sock_release(op->socks[0]);
    if (op->socks[1]) sock_release(op->socks[1]);
}

/* ------------------------------------------------------------ AcceptEx */

struct accept_op
{
    struct async_op op;
    char *buf; /* the program's buffer */
    DWORD recv_len, local_len, remote_len;
    int accepted; /* phase: the connection is behind the accept socket */
};

/* Write one address area: its length, then the address. */
static int write_area(char *area, const uint8_t *addr, uint32_t len)
{
    int32_t n = len;

    if (user_write(area, &n, sizeof(n)) < 0 || user_write(area + sizeof(n), addr, len) < 0) return WSAEFAULT;
    return 0;
}

static int accept_connection(struct accept_op *a)
{
    struct ws2_sock *listener = a->op.socks[0], *target = a->op.socks[1];
    struct ws2_socket_reply rep;
    struct ws2_addr_reply name;
    uint32_t old_handle;
    int status, fd = -1, old_fd, nonblocking = sock_is_nonblocking(target);
    struct ws2_call_extra extra = { NULL, &fd };

    status = ws2_sock_call_accept_ex(listener, NULL, &rep, &extra);
    if (status)
    {
        if (fd >= 0) sys_close(fd);
        if (status == WSAEWOULDBLOCK) notify_reenable(listener, FD_ACCEPT);
        return status;
    }
    notify_reenable(listener, FD_ACCEPT);
    if (fd < 0)
    {
        ws2_call_close(rep.handle, NULL, NULL);
        return WSAENETDOWN;
    }
    sock_adopt(target, &rep, fd, &old_handle, &old_fd);
    ws2_call_close(old_handle, NULL, NULL);
    sys_close(old_fd);
    /* The accept socket's own blocking mode stays (the accepted one has the listener's). */
    if (!sock_is_nonblocking(target) != !nonblocking) ioctl_server(target, WS2_IOCTL_FIONBIO, !!nonblocking, NULL);
    a->accepted = 1;
    TRACE("socket %#Ix now holds server handle %u\n", sock_value(target), rep.handle);

    if ((status = ws2_sock_call_getsockname(target, NULL, &name))) return status;
    if ((status = write_area(a->buf + a->recv_len, name.addr, name.addrlen)) ||
        (status = write_area(a->buf + a->recv_len + a->local_len, rep.addr, rep.addrlen)))
        return status;
    return 0;
}

static int accept_step(struct async_op *op)
{
    struct accept_op *a = (struct accept_op *)op;
    int64_t ret;
    int status;

    if (!a->accepted)
    {
        if ((status = accept_connection(a))) return status;
        if (!a->recv_len) return 0;
        op->wait = op->socks[1];
        op->events = WAIT_READ;
    }
    /* The first data of the connection. */
    if ((ret = sys_recv_nowait(sock_fd(op->wait), a->buf, a->recv_len, 0)) < 0) return (int)-ret;
    op->bytes = ret;
    notify_reenable(op->wait, FD_READ);
    return 0;
}

static void free_op(struct async_op *op, int status)
{
    (void)status;
    release_socks(op);
    HeapFree(GetProcessHeap(), 0, op);
}

/* The accept socket must be fresh: not even bound (an unbound one has no name). */
static int is_bound(struct ws2_sock *sock)
{
    struct ws2_addr_reply rep;

    return !ws2_sock_call_getsockname(sock, NULL, &rep);
}

static BOOL WINAPI ext_AcceptEx(SOCKET listen_s, SOCKET accept_s, void *buf, DWORD recv_len, DWORD local_len,
                                DWORD remote_len, DWORD *received, OVERLAPPED *ov)
{
    struct ws2_sock *listener, *target;
    struct accept_op *a;
    int status;

    TRACE("%#Ix %#Ix %p %lu %lu %lu %p %p\n", listen_s, accept_s, buf, recv_len, local_len, remote_len, received, ov);
    if (!(listener = sock_for_call(listen_s))) return FALSE;
    if (!(target = sock_get(accept_s)))
    {
        sock_release(listener);
        return bool_result(WSAENOTSOCK);
    }
    if (!(sock_state(listener) & WS2_STATE_LISTENING) ||
        (sock_state(target) & (WS2_STATE_LISTENING | WS2_STATE_CONNECTING | WS2_STATE_CONNECTED)) ||
        sock_type(target) != SOCK_STREAM ||
        is_bound(target))
        status = WSAEINVAL;
    else if (!ov || !buf) status = WSAEINVAL;
    else if (local_len < ADDR_AREA_MIN || remote_len < ADDR_AREA_MIN) status = WSAEFAULT;
    else if (!(a = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*a)))) status = WSAENOBUFS;
    else
    {
        a->op.wait = listener;
        a->op.events = WAIT_READ;
        a->op.socks[0] = listener;
        a->op.socks[1] = target;
        a->op.step = accept_step;
        a->op.done = free_op;
        a->buf = buf;
        a->recv_len = recv_len;
        a->local_len = local_len;
        a->remote_len = remote_len;
        status = overlapped_start(&a->op, ov, NULL, recv_len);
        if (!status && received)
        {
            DWORD bytes = ov->InternalHigh;
            user_write(received, &bytes, sizeof(bytes));
        }
        return bool_result(status == WSA_IO_PENDING ? ERROR_IO_PENDING : status);
    }
    sock_release(listener);
    sock_release(target);
    return bool_result(status);
}

static void WINAPI ext_GetAcceptExSockaddrs(void *buf, DWORD recv_len, DWORD local_len, DWORD remote_len,
                                            struct sockaddr **local, int *local_size,
                                            struct sockaddr **remote, int *remote_size)
{
    char *area = (char *)buf + recv_len;
    int32_t n;

    TRACE("%p %lu %lu %lu %p %p %p %p\n", buf, recv_len, local_len, remote_len, local, local_size, remote, remote_size);
    if (!buf) return;
    memcpy(&n, area, sizeof(n));
    if (local) *local = (struct sockaddr *)(area + sizeof(n));
    if (local_size) *local_size = n;
    area += local_len;
    memcpy(&n, area, sizeof(n));
    if (remote) *remote = (struct sockaddr *)(area + sizeof(n));
    if (remote_size) *remote_size = n;
}

/* ------------------------------------------------------------ ConnectEx */

struct connect_op
{
    struct async_op op;
    int connected;
    int polled;    /* steps taken while connecting */
    struct xfer x; /* the data to send after connecting */
};

static int connect_step(struct async_op *op)
{
    struct connect_op *c = (struct connect_op *)op;
    int status;

    if (!c->connected)
    {
        /* A connect in progress always ends through the OVERLAPPED, as on
         * Windows: the caller's attempt only starts it. */
        if (!c->polled++) return WSAEWOULDBLOCK;
        if ((status = socket_connect_finish(op->wait))) return status;
        c->connected = 1;
    }
    if (!c->x.total) return 0;
    status = xfer_step(op->wait, &c->x);
    op->bytes = c->x.done;
    return status;
}

static BOOL WINAPI ext_ConnectEx(SOCKET s, const struct sockaddr *addr, int addrlen, void *send_buf, DWORD send_len,
                                 DWORD *sent, OVERLAPPED *ov)
{
    struct ws2_addr_reply rep;
    struct ws2_sock *sock;
    struct connect_op *c;
    WSABUF wsabuf = { send_len, send_buf };
    int status;

    TRACE("%#Ix %s len %d %p %lu %p %p\n", s, debugstr_sockaddr(addr, addrlen), addrlen, send_buf, send_len, sent,
          ov);
    if (!(sock = sock_for_call(s))) return FALSE;
    if (sock_type(sock) != SOCK_STREAM) status = WSAEINVAL;
    else if (!ov) status = WSAEINVAL;
    /* ConnectEx wants a bound socket: an unbound one has no name. */
    else if ((status = ws2_sock_call_getsockname(sock, NULL, &rep))) status = WSAEINVAL;
    else if (!(c = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*c)))) status = WSAENOBUFS;
    else if ((status = xfer_init(&c->x, sock, 1, &wsabuf, send_buf ? 1 : 0, 0, NULL, 0)) ||
             ((status = socket_connect_start(sock, addr, addrlen)) && status != WSAEWOULDBLOCK))
        HeapFree(GetProcessHeap(), 0, c);
    else
    {
        c->connected = !status;
        c->op.wait = sock;
        c->op.events = WAIT_WRITE;
        c->op.socks[0] = sock;
        c->op.step = connect_step;
        c->op.done = free_op;
        status = overlapped_start(&c->op, ov, NULL, send_buf ? send_len : 0);
        if (!status && sent)
        {
            DWORD bytes = ov->InternalHigh;
            user_write(sent, &bytes, sizeof(bytes));
        }
        return bool_result(status == WSA_IO_PENDING ? ERROR_IO_PENDING : status);
    }
    sock_release(sock);
    return bool_result(status);
}

/* ------------------------------------------------------------ finished at once */

/* Report a call on `sock` that finished at once through `ov` (when there
 * is one); its result.  Releases `sock`. */
static BOOL report_now(struct ws2_sock *sock, OVERLAPPED *ov, int status, DWORD bytes)
{
    if (ov) overlapped_report(sock, ov, NULL, status, bytes);
    sock_release(sock);
    return bool_result(status);
}

/* ------------------------------------------------------------ DisconnectEx */

static BOOL WINAPI ext_DisconnectEx(SOCKET s, OVERLAPPED *ov, DWORD flags, DWORD reserved)
{
    struct ws2_sock *sock;
    int status = 0;

    TRACE("%#Ix %p %#lx %lu\n", s, ov, flags, reserved);
    if (!(sock = sock_for_call(s))) return FALSE;
    if (reserved || (flags & ~TF_REUSE_SOCKET)) status = WSAEINVAL;
    else if (flags & TF_REUSE_SOCKET)
    {
        FIXME("TF_REUSE_SOCKET is not supported\n");
        status = WSAEOPNOTSUPP;
    }
    else if (shutdown(s, SD_SEND)) status = WSAGetLastError();
    if (status)
    {
        sock_release(sock);
        return bool_result(status);
    }
    return report_now(sock, ov, status, 0);
}

/* ------------------------------------------------------------ TransmitFile */

/* Send all of `len` bytes, waiting as long as it takes. */
static int transmit_bytes(struct ws2_sock *sock, const void *buf, DWORD len)
{
    WSABUF wsabuf = { len, (char *)buf };
    struct xfer x;
    int status;

    if (!len) return 0;
    if ((status = xfer_init(&x, sock, 1, &wsabuf, 1, 0, NULL, 0))) return status;
    while ((status = xfer_step(sock, &x)) == WSAEWOULDBLOCK)
        if ((status = sock_wait(sock, WAIT_WRITE, -1))) break;
    return status;
}

#define CHUNK 65536

static int send_file(struct ws2_sock *sock, HANDLE file, DWORD limit, OVERLAPPED *ov, DWORD *total)
{
    char *chunk = HeapAlloc(GetProcessHeap(), 0, CHUNK);
    ULONGLONG offset = ov ? ((ULONGLONG)ov->OffsetHigh << 32) | ov->Offset : 0;
    DWORD sent = 0;
    int status = 0;

    if (!chunk) return WSAENOBUFS;
    while (!limit || sent < limit)
    {
        DWORD want = limit && limit - sent < CHUNK ? limit - sent : CHUNK, got = 0;
        BOOL ok;

        if (ov)
        {
            /* With an OVERLAPPED, the file offset is in it. */
            OVERLAPPED fov;

            memset(&fov, 0, sizeof(fov));
            fov.Offset = (DWORD)offset;
            fov.OffsetHigh = (DWORD)(offset >> 32);
            ok = ReadFile(file, chunk, want, &got, &fov);
            if (!ok && GetLastError() == ERROR_IO_PENDING) ok = GetOverlappedResult(file, &fov, &got, TRUE);
            if (!ok && GetLastError() == ERROR_HANDLE_EOF) ok = TRUE, got = 0;
        }
        else ok = ReadFile(file, chunk, want, &got, NULL);
        if (!ok)
        {
            status = GetLastError() == ERROR_INVALID_HANDLE ? WSAEINVAL : WSAEFAULT;
            break;
        }
        if (!got) break;
        if ((status = transmit_bytes(sock, chunk, got))) break;
        sent += got;
        offset += got;
    }
    HeapFree(GetProcessHeap(), 0, chunk);
    *total += sent;
    return status;
}

static BOOL WINAPI ext_TransmitFile(SOCKET s, HANDLE file, DWORD bytes, DWORD per_send, OVERLAPPED *ov,
                                    TRANSMIT_FILE_BUFFERS *buffers, DWORD flags)
{
    TRANSMIT_FILE_BUFFERS tfb;
    struct ws2_sock *sock;
    DWORD total = 0;
    int status = 0;

    TRACE("%#Ix %p %lu %lu %p %p %#lx\n", s, file, bytes, per_send, ov, buffers, flags);
    if (!(sock = sock_for_call(s))) return FALSE;
    memset(&tfb, 0, sizeof(tfb));
    if (flags & ~(TF_DISCONNECT | TF_REUSE_SOCKET | TF_USE_DEFAULT_WORKER | TF_USE_SYSTEM_THREAD |
                  TF_USE_KERNEL_APC | TF_WRITE_BEHIND))
        status = WSAEINVAL;
    else if (flags & TF_REUSE_SOCKET)
    {
        FIXME("TF_REUSE_SOCKET is not supported\n");
        status = WSAEOPNOTSUPP;
    }
    else if (sock_type(sock) != SOCK_STREAM) status = WSAENOTCONN;
    else if (buffers && user_read(&tfb, buffers, sizeof(tfb)) < 0) status = WSAEFAULT;
    if (status)
    {
        sock_release(sock);
        return bool_result(status);
    }
    if (!(status = transmit_bytes(sock, tfb.Head, tfb.HeadLength)))
    {
        total += tfb.HeadLength;
        if (file && (status = send_file(sock, file, bytes, ov, &total)))
            ;
        else if (!(status = transmit_bytes(sock, tfb.Tail, tfb.TailLength)))
        {
            total += tfb.TailLength;
            if (flags & TF_DISCONNECT) shutdown(s, SD_SEND);
        }
    }
    return report_now(sock, ov, status, total);
}

/* ------------------------------------------------------------ WSARecvMsg, WSASendMsg */

static int WINAPI ext_WSARecvMsg(SOCKET s, WSAMSG *msg, DWORD *received, WSAOVERLAPPED *ov,
                                 LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    WSAMSG copy;
    ULONG none = 0;
    DWORD flags;
    int ret;

    TRACE("%#Ix %p %p %p %p\n", s, msg, received, ov, routine);
    if (!msg || user_read(&copy, msg, sizeof(copy)) < 0) return ws2_fail(WSAEFAULT);
    /* No control data comes back (IP_PKTINFO & co. are not supported). */
    if (user_write(&msg->Control.len, &none, sizeof(none)) < 0) return ws2_fail(WSAEFAULT);
    ret = WSARecvFrom(s, copy.lpBuffers, copy.dwBufferCount, received, &msg->dwFlags, copy.name,
                      copy.name ? &msg->namelen : NULL, ov, routine);
    if (!ret) flags = 0;
    else if (WSAGetLastError() == WSAEMSGSIZE) flags = MSG_TRUNC;
    else return ret;
    user_write(&msg->dwFlags, &flags, sizeof(flags));
    if (flags) WSASetLastError(WSAEMSGSIZE);
    return ret;
}

int WSAAPI WSASendMsg(SOCKET s, LPWSAMSG msg, DWORD flags, LPDWORD sent, LPWSAOVERLAPPED ov,
                      LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    WSAMSG copy;

    TRACE("%#Ix %p %s %p %p %p\n", s, msg, debugstr_msg_flags(flags), sent, ov, routine);
    if (!msg || user_read(&copy, msg, sizeof(copy)) < 0) return ws2_fail(WSAEFAULT);
    if (copy.Control.len) FIXME("control data ignored (%lu bytes)\n", copy.Control.len);
    return WSASendTo(s, copy.lpBuffers, copy.dwBufferCount, sent, flags, copy.name, copy.name ? copy.namelen : 0,
                     ov, routine);
}

/* ------------------------------------------------------------ the table */

static const struct
{
    GUID guid;
    void *func;
} extensions[] = {
    { WSAID_ACCEPTEX, ext_AcceptEx },
    { WSAID_CONNECTEX, ext_ConnectEx },
    { WSAID_DISCONNECTEX, ext_DisconnectEx },
    { WSAID_GETACCEPTEXSOCKADDRS, ext_GetAcceptExSockaddrs },
    { WSAID_TRANSMITFILE, ext_TransmitFile },
    { WSAID_WSARECVMSG, ext_WSARecvMsg },
    { WSAID_WSASENDMSG, WSASendMsg },
};

void *extension_function(const GUID *guid)
{
    unsigned int i;

    for (i = 0; i < sizeof(extensions) / sizeof(extensions[0]); i++)
        if (!memcmp(&extensions[i].guid, guid, sizeof(*guid))) return extensions[i].func;
    return NULL;
}
