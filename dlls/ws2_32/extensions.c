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
 * WSAEOPNOTSUPP; WSASendMsg ignores the control data it is given.
 * WSARecvMsg is overlapped.c's receive with the control data (IP_PKTINFO &
 * co.) going to the program's WSAMSG.
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
 * than the family's address; 4 of them hold the length. */

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
    int polled;   /* steps taken before a connection came */
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
    DWORD need = (sock_family(listener) == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in)) + 16;
    int too_small = (a->local_len && a->local_len < need) || a->remote_len < need;

    /* The caller's attempt waits for the listener to be readable, except
     * when a connection WSAAccept deferred waits there (not in Linux'
     * backlog, so the listener may not be): Windows hands that one to
     * the AcceptEx at once. */
    if (!a->polled++ && (too_small || !(sock_state(listener) & WS2_STATE_DEFERRED))) return WSAEWOULDBLOCK;
    /* Address areas too small for the family (a local one may be left out):
     * Windows fails without taking the connection (STATUS_BUFFER_TOO_SMALL). */
    if (too_small) return ERROR_INSUFFICIENT_BUFFER;
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
    if ((a->local_len && (status = write_area(a->buf + a->recv_len, name.addr, name.addrlen))) ||
        (status = write_area(a->buf + a->recv_len + a->local_len, rep.addr, rep.addrlen)))
        return status;
    return 0;
}

static int accept_step(struct async_op *op)
{
    struct accept_op *a = (struct accept_op *)op;
    int first = !a->polled;
    int64_t ret;
    int status;

    if (!a->accepted)
    {
        if ((status = accept_connection(a))) return status;
        /* As on Windows, AcceptEx always ends through the OVERLAPPED, also
         * when the caller's attempt took a connection: the I/O thread ends
         * it (no events: at once), or waits for the first data. */
        if (!a->recv_len) op->events = 0;
        else op->wait = op->socks[1], op->events = WAIT_READ;
        if (first) return WSAEWOULDBLOCK;
    }
    if (!a->recv_len) return 0;
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
    /* Windows marks the OVERLAPPED pending before it looks at anything. */
    if (ov && overlapped_mark_pending(ov)) return bool_result(WSAEFAULT);
    if (!(listener = sock_for_call(listen_s))) return FALSE;
    if (!(target = sock_get(accept_s)))
    {
        sock_release(listener);
        return bool_result(WSAENOTSOCK);
    }
    if (!(sock_state(listener) & WS2_STATE_LISTENING) || overlapped_accepting_into(target) ||
        (sock_state(target) & (WS2_STATE_LISTENING | WS2_STATE_CONNECTING | WS2_STATE_CONNECTED)) ||
        sock_type(target) != SOCK_STREAM ||
        is_bound(target))
        status = WSAEINVAL;
    else if (!ov) status = ERROR_INVALID_PARAMETER;
    else if (!buf || !remote_len) status = WSAEFAULT;
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
    /* An AcceptEx without a local area left the local address out. */
    if (local_len)
    {
        memcpy(&n, area, sizeof(n));
        if (local) *local = (struct sockaddr *)(area + sizeof(n));
        if (local_size) *local_size = n;
    }
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
    char data[];   /* a copy of it */
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
        status = socket_connect_finish(op->wait);
        /* Noted before the result is reported: see sock_connect_error. */
        if (status != WSAEWOULDBLOCK) sock_note_connect_error(op->wait, status);
        if (status) return status;
        c->connected = 1;
    }
    if (!c->x.total) return 0;
    status = xfer_step(op->wait, &c->x);
    op->bytes = c->x.done;
    return status;
}

/* The operation, with a copy of the data to send: on Windows that data is
 * on its way as soon as the connection is, which on loopback is before the
 * call returns, so a program may reuse its buffer from then on. */
static int connect_op_new(struct ws2_sock *sock, const void *send_buf, DWORD send_len, struct connect_op **out)
{
    struct connect_op *c = NULL;
    WSABUF wsabuf;
    int status;

    if (!(c = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*c) + send_len))) return WSAENOBUFS;
    wsabuf.len = send_len;
    wsabuf.buf = c->data;
    if (send_len && user_read(c->data, send_buf, send_len) < 0) status = WSAEFAULT;
    else status = xfer_init(&c->x, sock, 1, &wsabuf, send_buf ? 1 : 0, 0, NULL, 0);
    if (status) HeapFree(GetProcessHeap(), 0, c);
    else *out = c;
    return status;
}

static BOOL WINAPI ext_ConnectEx(SOCKET s, const struct sockaddr *addr, int addrlen, void *send_buf, DWORD send_len,
                                 DWORD *sent, OVERLAPPED *ov)
{
    struct ws2_addr_reply rep;
    struct ws2_sock *sock;
    struct connect_op *c = NULL;
    int status;

    TRACE("%#Ix %s len %d %p %lu %p %p\n", s, debugstr_sockaddr(addr, addrlen), addrlen, send_buf, send_len, sent,
          ov);
    if (!(sock = sock_for_call(s))) return FALSE;
    if (!send_buf) send_len = 0;
    if (sock_type(sock) != SOCK_STREAM || overlapped_accepting_into(sock)) status = WSAEINVAL;
    else if (!ov) status = ERROR_INVALID_PARAMETER;
    /* Windows marks the OVERLAPPED pending before the driver refuses a
     * listener or a connected socket. */
    else if ((status = overlapped_mark_pending(ov))) status = WSAEFAULT;
    /* ConnectEx wants a bound socket: an unbound one has no name. */
    else if ((status = ws2_sock_call_getsockname(sock, NULL, &rep))) status = WSAEINVAL;
    else if (!(status = connect_op_new(sock, send_buf, send_len, &c)) &&
             (status = socket_connect_start(sock, addr, addrlen)) && status != WSAEWOULDBLOCK)
        HeapFree(GetProcessHeap(), 0, c);
    if (!status || status == WSAEWOULDBLOCK)
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

struct disconnect_op
{
    struct async_op op;
    int polled;
};

/* The disconnect is done when the call returns, but with an OVERLAPPED
 * Windows reports it through it (the call says ERROR_IO_PENDING; a port
 * gets a packet even with FILE_SKIP_COMPLETION_PORT_ON_SUCCESS): it ends at
 * the I/O thread's next turn, waiting for nothing. */
static int disconnect_step(struct async_op *op)
{
    struct disconnect_op *d = (struct disconnect_op *)op;

    return d->polled++ ? 0 : WSAEWOULDBLOCK;
}

static BOOL WINAPI ext_DisconnectEx(SOCKET s, OVERLAPPED *ov, DWORD flags, DWORD reserved)
{
    struct disconnect_op *d;
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
    else if (ov && (d = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*d))))
    {
        d->op.wait = d->op.socks[0] = sock;
        d->op.step = disconnect_step;
        d->op.done = free_op;
        status = overlapped_start(&d->op, ov, NULL, 0);
        return bool_result(status == WSA_IO_PENDING ? ERROR_IO_PENDING : status);
    }
    if (status)
    {
        sock_release(sock);
        return bool_result(status);
    }
    return report_now(sock, ov, status, 0);
}

/* ------------------------------------------------------------ TransmitFile, TransmitPackets */

/*
 * Both send a list of pieces (memory, or a range of a file) in order, as
 * one operation: with an OVERLAPPED it goes on in the I/O thread like any
 * other (pending, cancelled by closesocket), without one it runs to the
 * end here.  File pieces are read a chunk at a time.
 */
#define CHUNK 65536

struct piece
{
    const char *mem;  /* a memory piece, or NULL */
    HANDLE file;      /* a file piece */
    ULONGLONG offset; /* where it starts in the file */
    int from_current; /* TransmitFile without an OVERLAPPED: the file's own position */
    DWORD len;        /* 0 for a file piece: to its end */
};

struct transmit_op
{
    struct async_op op;
    struct piece *pieces;
    unsigned int count, cur;
    DWORD taken;    /* of the current piece */
    char *chunk;    /* file bytes being sent */
    struct xfer x;  /* the bytes being sent */
    int sending;    /* x is set up */
    int disconnect; /* TF_DISCONNECT: shutdown(SD_SEND) at the end */
    int deferred;   /* with an OVERLAPPED: the caller's attempt only starts it */
};

/* The next bytes to send, into t->x; 0, 1 when there are none left, or an error. */
static int next_bytes(struct transmit_op *t)
{
    while (t->cur < t->count)
    {
        struct piece *p = &t->pieces[t->cur];
        WSABUF buf;
        DWORD got = 0;

        if (!p->mem && !p->file)
            ;
        else if (p->mem)
        {
            if (t->taken < p->len)
            {
                buf.buf = (char *)p->mem + t->taken;
                buf.len = p->len - t->taken;
                t->taken = p->len;
                return xfer_init(&t->x, t->op.wait, 1, &buf, 1, 0, NULL, 0);
            }
        }
        else if (!p->len || t->taken < p->len)
        {
            DWORD want = p->len && p->len - t->taken < CHUNK ? p->len - t->taken : CHUNK;
            BOOL ok;

            if (!t->chunk && !(t->chunk = HeapAlloc(GetProcessHeap(), 0, CHUNK))) return WSAENOBUFS;
            if (p->from_current) ok = ReadFile(p->file, t->chunk, want, &got, NULL);
            else
            {
                OVERLAPPED fov;
                ULONGLONG at = p->offset + t->taken;

                memset(&fov, 0, sizeof(fov));
                fov.Offset = (DWORD)at;
                fov.OffsetHigh = (DWORD)(at >> 32);
                ok = ReadFile(p->file, t->chunk, want, &got, &fov);
                if (!ok && GetLastError() == ERROR_IO_PENDING) ok = GetOverlappedResult(p->file, &fov, &got, TRUE);
                if (!ok && GetLastError() == ERROR_HANDLE_EOF) ok = TRUE, got = 0;
            }
            if (!ok) return GetLastError() == ERROR_INVALID_HANDLE ? WSAEINVAL : WSAEFAULT;
            if (got)
            {
                t->taken += got;
                buf.buf = t->chunk;
                buf.len = got;
                return xfer_init(&t->x, t->op.wait, 1, &buf, 1, 0, NULL, 0);
            }
        }
        t->cur++;
        t->taken = 0;
    }
    return 1;
}

static int transmit_step(struct async_op *op)
{
    struct transmit_op *t = (struct transmit_op *)op;
    int status;

    /* As on Windows, an overlapped transmission always ends through the
     * OVERLAPPED (the I/O thread takes it from the start). */
    if (t->deferred) return t->deferred = 0, WSAEWOULDBLOCK;
    for (;;)
    {
        if (!t->sending)
        {
            if ((status = next_bytes(t)) == 1) break;
            if (status) return status;
            t->sending = 1;
        }
        status = xfer_step(op->wait, &t->x);
        if (status == WSAEWOULDBLOCK) return status;
        if (status) return status;
        op->bytes += (DWORD)t->x.done;
        t->sending = 0;
    }
    if (t->disconnect) shutdown(sock_value(op->wait), SD_SEND);
    return 0;
}

static void transmit_free(struct async_op *op, int status)
{
    struct transmit_op *t = (struct transmit_op *)op;

    (void)status;
    HeapFree(GetProcessHeap(), 0, t->chunk);
    HeapFree(GetProcessHeap(), 0, t->pieces);
    free_op(op, status);
}

/* Send `t` (given away): through `ov`, or to the end here. */
static BOOL transmit(struct transmit_op *t, OVERLAPPED *ov, DWORD most)
{
    int status;

    t->op.events = WAIT_WRITE;
    t->op.step = transmit_step;
    t->op.done = transmit_free;
    if (ov)
    {
        t->deferred = 1;
        status = overlapped_start(&t->op, ov, NULL, most);
        return bool_result(status == WSA_IO_PENDING ? ERROR_IO_PENDING : status);
    }
    while ((status = transmit_step(&t->op)) == WSAEWOULDBLOCK)
        if ((status = sock_wait(t->op.wait, WAIT_WRITE, -1))) break;
    transmit_free(&t->op, status);
    return bool_result(status);
}

static struct transmit_op *transmit_new(struct ws2_sock *sock, unsigned int count, DWORD flags)
{
    struct transmit_op *t = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*t));

    if (!t) return NULL;
    if (!(t->pieces = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, (count ? count : 1) * sizeof(*t->pieces))))
    {
        HeapFree(GetProcessHeap(), 0, t);
        return NULL;
    }
    t->op.wait = t->op.socks[0] = sock;
    t->disconnect = !!(flags & TF_DISCONNECT);
    return t;
}

/* The flags both take, and what they refuse. */
static int transmit_flags(struct ws2_sock *sock, DWORD flags)
{
    if (flags & ~(TF_DISCONNECT | TF_REUSE_SOCKET | TF_USE_DEFAULT_WORKER | TF_USE_SYSTEM_THREAD |
                  TF_USE_KERNEL_APC | TF_WRITE_BEHIND))
        return WSAEINVAL;
    /* An unconnected socket is WSAENOTCONN whatever the flags ask. */
    if (sock_type(sock) != SOCK_STREAM) return WSAENOTCONN;
    if (!(sock_state(sock) & WS2_STATE_CONNECTED)) return WSAENOTCONN;
    if (flags & TF_REUSE_SOCKET)
    {
        FIXME("TF_REUSE_SOCKET is not supported\n");
        return WSAEOPNOTSUPP;
    }
    return 0;
}

static BOOL WINAPI ext_TransmitFile(SOCKET s, HANDLE file, DWORD bytes, DWORD per_send, OVERLAPPED *ov,
                                    TRANSMIT_FILE_BUFFERS *buffers, DWORD flags)
{
    TRANSMIT_FILE_BUFFERS tfb;
    struct transmit_op *t;
    struct ws2_sock *sock;
    int status;

    TRACE("%#Ix %p %lu %lu %p %p %#lx\n", s, file, bytes, per_send, ov, buffers, flags);
    if (!(sock = sock_for_call(s))) return FALSE;
    memset(&tfb, 0, sizeof(tfb));
    if ((status = transmit_flags(sock, flags)))
        ;
    else if (buffers && user_read(&tfb, buffers, sizeof(tfb)) < 0) status = WSAEFAULT;
    else if (!(t = transmit_new(sock, 3, flags))) status = WSAENOBUFS;
    else
    {
        if (tfb.Head && tfb.HeadLength)
        {
            t->pieces[t->count].mem = tfb.Head;
            t->pieces[t->count++].len = tfb.HeadLength;
        }
        if (file)
        {
            t->pieces[t->count].file = file;
            t->pieces[t->count].len = bytes;
            /* With an OVERLAPPED, the file offset is in it; without, the file's own. */
            if (ov) t->pieces[t->count].offset = ((ULONGLONG)ov->OffsetHigh << 32) | ov->Offset;
            else t->pieces[t->count].from_current = 1;
            t->count++;
        }
        if (tfb.Tail && tfb.TailLength)
        {
            t->pieces[t->count].mem = tfb.Tail;
            t->pieces[t->count++].len = tfb.TailLength;
        }
        /* A whole file's size is not known here: the count is not bounded. */
        return transmit(t, ov, file && !bytes ? ~0u : tfb.HeadLength + bytes + tfb.TailLength);
    }
    sock_release(sock);
    return bool_result(status);
}

static BOOL WINAPI ext_TransmitPackets(SOCKET s, TRANSMIT_PACKETS_ELEMENT *elements, DWORD count, DWORD per_send,
                                       OVERLAPPED *ov, DWORD flags)
{
    struct transmit_op *t;
    struct ws2_sock *sock;
    DWORD i, most = 0;
    int status;

    TRACE("%#Ix %p %lu %lu %p %#lx\n", s, elements, count, per_send, ov, flags);
    if (!(sock = sock_for_call(s))) return FALSE;
    if ((status = transmit_flags(sock, flags)))
        ;
    else if (count && !elements) status = WSAEFAULT;
    else if (!(t = transmit_new(sock, count, flags))) status = WSAENOBUFS;
    else
    {
        for (i = 0; i < count && !status; i++)
        {
            TRANSMIT_PACKETS_ELEMENT e;

            if (user_read(&e, &elements[i], sizeof(e)) < 0) status = WSAEFAULT;
            else if (e.dwElFlags & TP_ELEMENT_MEMORY)
            {
                t->pieces[i].mem = e.pBuffer;
                t->pieces[i].len = e.pBuffer ? e.cLength : 0;
            }
            else if (e.dwElFlags & TP_ELEMENT_FILE)
            {
                t->pieces[i].file = e.hFile;
                t->pieces[i].offset = e.nFileOffset.QuadPart;
                t->pieces[i].len = e.cLength;
                /* To the end of the file: the count is not bounded. */
                if (!e.cLength) most = ~0u;
            }
            else status = WSAEINVAL;
            if (most != ~0u) most += e.cLength;
        }
        t->count = count;
        if (!status) return transmit(t, ov, most);
        transmit_free(&t->op, status);
        return bool_result(status);
    }
    sock_release(sock);
    return bool_result(status);
}

/* ------------------------------------------------------------ WSARecvMsg, WSASendMsg */

static int WINAPI ext_WSARecvMsg(SOCKET s, WSAMSG *msg, DWORD *received, WSAOVERLAPPED *ov,
                                 LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    TRACE("%#Ix %p %p %p %p\n", s, msg, received, ov, routine);
    return overlapped_recv_msg(s, msg, received, ov, routine);
}

int WSAAPI WSASendMsg(SOCKET s, LPWSAMSG msg, DWORD flags, LPDWORD sent, LPWSAOVERLAPPED ov,
                      LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    struct ws2_sock *sock;
    WSAMSG copy;
    int type;

    TRACE("%#Ix %p %s %p %p %p\n", s, msg, debugstr_msg_flags(flags), sent, ov, routine);
    if (!(sock = sock_for_call(s))) return SOCKET_ERROR;
    type = sock_type(sock);
    sock_release(sock);
    if (!msg || user_read(&copy, msg, sizeof(copy)) < 0) return ws2_fail(WSAEFAULT);
    /* Messages are for datagram and raw sockets. */
    if (type == SOCK_STREAM) return ws2_fail(WSAEINVAL);
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
    { WSAID_TRANSMITPACKETS, ext_TransmitPackets },
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
