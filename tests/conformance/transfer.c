/*
 * Moving data over loopback: a TCP echo (IPv4 and IPv6) with a thread as
 * the peer, UDP datagrams with sendto/recvfrom, half-close with
 * shutdown(SD_SEND), and bad buffer pointers.
 *
 * Expected values are Windows' own (Microsoft docs of send, recv, recvfrom,
 * sendto, shutdown, getsockname, getpeername):
 *  - a stream delivers the bytes sent, in order; getsockname of one end is
 *    getpeername of the other;
 *  - recvfrom fills in the sender's address; a datagram larger than the
 *    buffer fails with WSAEMSGSIZE and the buffer holds its first bytes;
 *  - after shutdown(SD_SEND) the peer's recv returns 0 once the data is
 *    read, the peer can still send, and a send on the shut-down side fails
 *    with WSAESHUTDOWN;
 *  - a buffer that is not valid user memory makes send/recv fail with
 *    WSAEFAULT (the call does not crash the program); so does a WSABUF
 *    array, a destination address or an address length there (WSASend,
 *    sendto, recvfrom);
 *  - the source address and its length are written into memory under a
 *    write watch (MEM_WRITE_WATCH) like into any other.
 * Every wait is bounded (select with a timeout before each blocking call).
 */
#include "wstest.h"

#define WAIT_MS 10000

static BYTE pattern_byte(size_t i, size_t salt)
{
    return (BYTE)((i * 7 + salt * 13 + (i >> 8)) & 0xff);
}

/* Receive exactly len bytes, waiting at most WAIT_MS for each piece.
 * Returns the number of bytes received; *error gets the error, if any. */
static size_t recv_exact(SOCKET s, char *buf, size_t len, int *error)
{
    size_t done = 0;
    int ret;

    *error = 0;
    while (done < len)
    {
        if (!wstest_wait_readable(s, WAIT_MS))
        {
            *error = WSAETIMEDOUT;
            break;
        }
        ret = recv(s, buf + done, (int)(len - done > 0x10000 ? 0x10000 : len - done), 0);
        if (ret <= 0)
        {
            *error = ret ? WSAGetLastError() : -1; /* -1: end of stream */
            break;
        }
        done += (size_t)ret;
    }
    return done;
}

static int send_all(SOCKET s, const char *buf, size_t len)
{
    size_t done = 0;
    int ret;

    while (done < len)
    {
        ret = send(s, buf + done, (int)(len - done), 0);
        if (ret <= 0) return ret ? WSAGetLastError() : -1;
        done += (size_t)ret;
    }
    return 0;
}

static int same_address(const struct sockaddr_storage *a, int alen, const struct sockaddr_storage *b, int blen)
{
    if (alen != blen || a->ss_family != b->ss_family) return 0;
    if (a->ss_family == AF_INET)
    {
        const struct sockaddr_in *x = (const struct sockaddr_in *)a, *y = (const struct sockaddr_in *)b;
        return x->sin_port == y->sin_port && x->sin_addr.s_addr == y->sin_addr.s_addr;
    }
    if (a->ss_family == AF_INET6)
    {
        const struct sockaddr_in6 *x = (const struct sockaddr_in6 *)a, *y = (const struct sockaddr_in6 *)b;
        return x->sin6_port == y->sin6_port && !memcmp(&x->sin6_addr, &y->sin6_addr, sizeof(x->sin6_addr));
    }
    return 0;
}

/* ------------------------------------------------------------ TCP echo */

struct echo_server
{
    SOCKET listener;
    struct sockaddr_storage peer; /* from accept */
    int peer_len;
    struct sockaddr_storage local; /* getsockname of the accepted socket */
    int local_len;
    size_t echoed;
    int accept_error;
    int error;   /* 0, or the error that ended the echo */
    int saw_end; /* recv returned 0 */
};

static DWORD WINAPI echo_thread(void *param)
{
    struct echo_server *echo = param;
    static char buf[0x10000];
    SOCKET s;
    int ret;

    if (!wstest_wait_readable(echo->listener, WAIT_MS))
    {
        echo->accept_error = WSAETIMEDOUT;
        return 0;
    }
    echo->peer_len = sizeof(echo->peer);
    s = accept(echo->listener, (struct sockaddr *)&echo->peer, &echo->peer_len);
    if (s == INVALID_SOCKET)
    {
        echo->accept_error = WSAGetLastError();
        return 0;
    }
    echo->local_len = sizeof(echo->local);
    if (getsockname(s, (struct sockaddr *)&echo->local, &echo->local_len)) echo->local_len = -1;

    for (;;)
    {
        if (!wstest_wait_readable(s, WAIT_MS))
        {
            echo->error = WSAETIMEDOUT;
            break;
        }
        ret = recv(s, buf, sizeof(buf), 0);
        if (ret == 0)
        {
            echo->saw_end = 1;
            break;
        }
        if (ret < 0)
        {
            echo->error = WSAGetLastError();
            break;
        }
        if ((echo->error = send_all(s, buf, (size_t)ret))) break;
        echo->echoed += (size_t)ret;
    }
    shutdown(s, SD_SEND);
    closesocket(s);
    return 0;
}

struct sender
{
    SOCKET s;
    const char *buf;
    size_t len;
    int error;
};

static DWORD WINAPI sender_thread(void *param)
{
    struct sender *sender = param;

    sender->error = send_all(sender->s, sender->buf, sender->len);
    return 0;
}

static void test_tcp_echo(int af)
{
    static const size_t sizes[] = { 1, 1000, 65536, 1 << 20 };
    struct sockaddr_storage listen_addr, name, peer;
    struct echo_server echo;
    HANDLE thread;
    SOCKET client;
    char *out, *in;
    size_t total = 0, i, j;
    int ret, len, listen_len, error;

    memset(&echo, 0, sizeof(echo));
    echo.listener = wstest_listener(af, &listen_addr, &listen_len);
    if (echo.listener == INVALID_SOCKET)
    {
        if (af == AF_INET6 && WSAGetLastError() == WSAEADDRNOTAVAIL)
        {
            skip("no IPv6 loopback address\n");
            return;
        }
        ok(0, "af %d: could not make a listening socket, error %d\n", af, WSAGetLastError());
        return;
    }
    thread = CreateThread(NULL, 0, echo_thread, &echo, 0, NULL);
    ok(thread != NULL, "CreateThread failed\n");
    if (!thread)
    {
        closesocket(echo.listener);
        return;
    }

    client = socket(af, SOCK_STREAM, IPPROTO_TCP);
    ok(client != INVALID_SOCKET, "af %d: socket failed, error %d\n", af, WSAGetLastError());
    ret = client == INVALID_SOCKET ? -1 : connect(client, (struct sockaddr *)&listen_addr, listen_len);
    ok(!ret, "af %d: connect failed, error %d\n", af, WSAGetLastError());
    if (ret)
    {
        closesocket(echo.listener); /* ends the accept wait */
        WaitForSingleObject(thread, WAIT_MS + 5000);
        CloseHandle(thread);
        if (client != INVALID_SOCKET) closesocket(client);
        return;
    }

    out = malloc(sizes[ARRAY_SIZE(sizes) - 1]);
    in = malloc(sizes[ARRAY_SIZE(sizes) - 1]);
    for (i = 0; i < ARRAY_SIZE(sizes) && out && in; i++)
    {
        struct sender sender = { client, out, sizes[i], 0 };
        HANDLE send_thread;
        size_t got;

        for (j = 0; j < sizes[i]; j++) out[j] = (char)pattern_byte(j, i);
        memset(in, 0, sizes[i]);
        send_thread = CreateThread(NULL, 0, sender_thread, &sender, 0, NULL);
        ok(send_thread != NULL, "CreateThread failed\n");
        if (!send_thread) break;
        got = recv_exact(client, in, sizes[i], &error);
        ok(WaitForSingleObject(send_thread, WAIT_MS) == WAIT_OBJECT_0, "af %d, %lu bytes: send did not finish\n",
           af, (unsigned long)sizes[i]);
        CloseHandle(send_thread);
        ok(!sender.error, "af %d, %lu bytes: send failed, error %d\n", af, (unsigned long)sizes[i], sender.error);
        ok(got == sizes[i], "af %d, %lu bytes: got %lu back, error %d\n", af, (unsigned long)sizes[i],
           (unsigned long)got, error);
        ok(!memcmp(in, out, sizes[i]), "af %d, %lu bytes: the data came back changed\n", af,
           (unsigned long)sizes[i]);
        total += sizes[i];
        if (got != sizes[i]) break;
    }
    free(out);
    free(in);

    /* the names of the two ends agree */
    len = sizeof(name);
    ret = getsockname(client, (struct sockaddr *)&name, &len);
    ok(!ret, "af %d: getsockname failed, error %d\n", af, WSAGetLastError());
    ok(same_address(&name, len, &echo.peer, echo.peer_len),
       "af %d: the client's getsockname differs from the address accept returned\n", af);
    len = sizeof(peer);
    ret = getpeername(client, (struct sockaddr *)&peer, &len);
    ok(!ret, "af %d: getpeername failed, error %d\n", af, WSAGetLastError());
    ok(same_address(&peer, len, &listen_addr, listen_len),
       "af %d: the client's getpeername differs from the listening address\n", af);
    ok(same_address(&echo.local, echo.local_len, &listen_addr, listen_len),
       "af %d: the accepted socket's getsockname differs from the listening address\n", af);

    /* half-close: the echo thread sees the end, then closes its side */
    ret = shutdown(client, SD_SEND);
    ok(!ret, "af %d: shutdown(SD_SEND) failed, error %d\n", af, WSAGetLastError());
    WSASetLastError(0xdead);
    ret = send(client, "x", 1, 0);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAESHUTDOWN, "af %d: send after shutdown: %d, error %d\n",
       af, ret, WSAGetLastError());
    ok(wstest_wait_readable(client, WAIT_MS), "af %d: the end of stream did not arrive\n", af);
    {
        char c;
        ret = recv(client, &c, 1, 0);
        ok(ret == 0, "af %d: recv after the peer closed returned %d, error %d\n", af, ret, WSAGetLastError());
    }

    ok(WaitForSingleObject(thread, WAIT_MS + 5000) == WAIT_OBJECT_0, "af %d: the echo thread did not end\n", af);
    CloseHandle(thread);
    ok(!echo.accept_error, "af %d: accept failed, error %d\n", af, echo.accept_error);
    ok(!echo.error, "af %d: the echo thread failed, error %d\n", af, echo.error);
    ok(echo.saw_end, "af %d: the echo thread did not see the end of stream\n", af);
    ok(echo.echoed == total, "af %d: %lu bytes echoed, expected %lu\n", af, (unsigned long)echo.echoed,
       (unsigned long)total);

    closesocket(client);
    closesocket(echo.listener);
}

/* ------------------------------------------------------------------ UDP */

static SOCKET udp_bound(int af, struct sockaddr_storage *addr, int *len)
{
    SOCKET s = socket(af, SOCK_DGRAM, IPPROTO_UDP);

    if (s == INVALID_SOCKET) return s;
    *len = wstest_loopback(af, addr);
    if (bind(s, (struct sockaddr *)addr, *len) || getsockname(s, (struct sockaddr *)addr, len))
    {
        int error = WSAGetLastError();
        closesocket(s);
        WSASetLastError(error);
        return INVALID_SOCKET;
    }
    return s;
}

static void test_udp(int af)
{
    static const int sizes[] = { 1, 100, 1400, 8000 };
    struct sockaddr_storage a_addr, b_addr, from;
    char out[8000], in[8100];
    int a_len, b_len, from_len, ret;
    unsigned int i;
    SOCKET a, b;

    a = udp_bound(af, &a_addr, &a_len);
    if (a == INVALID_SOCKET && af == AF_INET6 && WSAGetLastError() == WSAEADDRNOTAVAIL)
    {
        skip("no IPv6 loopback address\n");
        return;
    }
    ok(a != INVALID_SOCKET, "af %d: could not make a UDP socket, error %d\n", af, WSAGetLastError());
    b = udp_bound(af, &b_addr, &b_len);
    ok(b != INVALID_SOCKET, "af %d: could not make a UDP socket, error %d\n", af, WSAGetLastError());
    if (a == INVALID_SOCKET || b == INVALID_SOCKET)
    {
        if (a != INVALID_SOCKET) closesocket(a);
        if (b != INVALID_SOCKET) closesocket(b);
        return;
    }

    for (i = 0; i < ARRAY_SIZE(sizes); i++)
    {
        int j;

        for (j = 0; j < sizes[i]; j++) out[j] = (char)pattern_byte((size_t)j, i + 100);

        /* a -> b */
        ret = sendto(a, out, sizes[i], 0, (struct sockaddr *)&b_addr, b_len);
        ok(ret == sizes[i], "af %d: sendto of %d bytes returned %d, error %d\n", af, sizes[i], ret,
           WSAGetLastError());
        ok(wstest_wait_readable(b, WAIT_MS), "af %d: the %d-byte datagram did not arrive\n", af, sizes[i]);
        memset(&from, 0xcc, sizeof(from));
        from_len = sizeof(from);
        ret = recvfrom(b, in, sizeof(in), 0, (struct sockaddr *)&from, &from_len);
        ok(ret == sizes[i], "af %d: recvfrom returned %d, expected %d, error %d\n", af, ret, sizes[i],
           WSAGetLastError());
        ok(ret == sizes[i] && !memcmp(in, out, (size_t)sizes[i]), "af %d: the %d-byte datagram changed\n",
           af, sizes[i]);
        ok(same_address(&from, from_len, &a_addr, a_len), "af %d: recvfrom gave another sender address\n", af);

        /* b -> a, the reply to the address received */
        ret = sendto(b, in, sizes[i], 0, (struct sockaddr *)&from, from_len);
        ok(ret == sizes[i], "af %d: reply sendto returned %d, error %d\n", af, ret, WSAGetLastError());
        ok(wstest_wait_readable(a, WAIT_MS), "af %d: the reply did not arrive\n", af);
        from_len = sizeof(from);
        ret = recvfrom(a, in, sizeof(in), 0, (struct sockaddr *)&from, &from_len);
        ok(ret == sizes[i] && !memcmp(in, out, (size_t)sizes[i]), "af %d: reply recvfrom returned %d\n", af, ret);
        ok(same_address(&from, from_len, &b_addr, b_len), "af %d: the reply came from another address\n", af);
    }

    /* a datagram larger than the buffer */
    ret = sendto(a, out, 100, 0, (struct sockaddr *)&b_addr, b_len);
    ok(ret == 100, "af %d: sendto returned %d, error %d\n", af, ret, WSAGetLastError());
    ok(wstest_wait_readable(b, WAIT_MS), "af %d: the datagram did not arrive\n", af);
    memset(in, 0, sizeof(in));
    from_len = sizeof(from);
    WSASetLastError(0xdead);
    ret = recvfrom(b, in, 10, 0, (struct sockaddr *)&from, &from_len);
    ok(ret == SOCKET_ERROR, "af %d: recvfrom into a 10-byte buffer returned %d\n", af, ret);
    ok(WSAGetLastError() == WSAEMSGSIZE, "af %d: recvfrom into a 10-byte buffer: error %d\n", af,
       WSAGetLastError());
    ok(!memcmp(in, out, 10), "af %d: the truncated datagram's first bytes are wrong\n", af);

    closesocket(a);
    closesocket(b);
}

/* -------------------------------------------------------------- shutdown */

static void test_half_close(void)
{
    SOCKET client, server;
    char buf[16];
    int ret, error;

    if (wstest_tcp_pair(AF_INET, &client, &server))
    {
        ok(0, "could not make a connected pair, error %d\n", WSAGetLastError());
        return;
    }
    ret = send(client, "abc", 3, 0);
    ok(ret == 3, "send returned %d, error %d\n", ret, WSAGetLastError());
    ret = shutdown(client, SD_SEND);
    ok(!ret, "shutdown(SD_SEND) failed, error %d\n", WSAGetLastError());

    /* the peer reads the data, then the end of the stream */
    ret = (int)recv_exact(server, buf, 3, &error);
    ok(ret == 3 && !memcmp(buf, "abc", 3), "the peer got %d bytes, error %d\n", ret, error);
    ok(wstest_wait_readable(server, WAIT_MS), "the end of stream did not arrive\n");
    ret = recv(server, buf, sizeof(buf), 0);
    ok(ret == 0, "recv after the peer's shutdown(SD_SEND) returned %d, error %d\n", ret, WSAGetLastError());
    ret = recv(server, buf, sizeof(buf), 0);
    ok(ret == 0, "a second recv after the end returned %d, error %d\n", ret, WSAGetLastError());

    /* the other direction still works */
    ret = send(server, "reply", 5, 0);
    ok(ret == 5, "send from the peer returned %d, error %d\n", ret, WSAGetLastError());
    ret = (int)recv_exact(client, buf, 5, &error);
    ok(ret == 5 && !memcmp(buf, "reply", 5), "the shut-down side got %d bytes, error %d\n", ret, error);

    /* sending on the shut-down side fails */
    WSASetLastError(0xdead);
    ret = send(client, "x", 1, 0);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAESHUTDOWN, "send after shutdown: %d, error %d\n",
       ret, WSAGetLastError());

    closesocket(client);
    closesocket(server);
}

/* --------------------------------------------------------- bad pointers */

struct bad_call
{
    SOCKET s;
    char *buf;
    int len;
    int ret;
    int error;
};

static DWORD WINAPI recv_bad(void *param)
{
    struct bad_call *call = param;

    WSASetLastError(0xdead);
    call->ret = recv(call->s, call->buf, call->len, 0);
    call->error = WSAGetLastError();
    return 0;
}

static DWORD WINAPI send_bad(void *param)
{
    struct bad_call *call = param;

    WSASetLastError(0xdead);
    call->ret = send(call->s, call->buf, call->len, 0);
    call->error = WSAGetLastError();
    return 0;
}

static DWORD WINAPI recvfrom_bad_from(void *param)
{
    struct bad_call *call = param;
    int from_len = sizeof(struct sockaddr_in);
    char buf[64];

    WSASetLastError(0xdead);
    call->ret = recvfrom(call->s, buf, sizeof(buf), 0, (struct sockaddr *)call->buf, &from_len);
    call->error = WSAGetLastError();
    return 0;
}

static void test_bad_buffers(void)
{
    struct sockaddr_storage a_addr, b_addr;
    struct bad_call call;
    SOCKET client, server, a, b;
    char *bad;
    int ret, a_len, b_len;

    bad = VirtualAlloc(NULL, 0x10000, MEM_RESERVE | MEM_COMMIT, PAGE_NOACCESS);
    ok(bad != NULL, "VirtualAlloc failed\n");
    if (!bad) return;

    if (wstest_tcp_pair(AF_INET, &client, &server))
    {
        ok(0, "could not make a connected pair, error %d\n", WSAGetLastError());
        VirtualFree(bad, 0, MEM_RELEASE);
        return;
    }

    /* recv into memory that cannot be written, with data waiting */
    ret = send(client, "0123456789", 10, 0);
    ok(ret == 10, "send returned %d, error %d\n", ret, WSAGetLastError());
    ok(wstest_wait_readable(server, WAIT_MS), "no data arrived\n");
    memset(&call, 0, sizeof(call));
    call.s = server;
    call.buf = bad;
    call.len = 10;
    if (wstest_guarded("recv into an inaccessible buffer", recv_bad, &call))
    {
        ok(call.ret == SOCKET_ERROR, "recv into an inaccessible buffer returned %d\n", call.ret);
        ok(call.error == WSAEFAULT, "recv into an inaccessible buffer: error %d\n", call.error);
    }

    /* send from memory that cannot be read */
    memset(&call, 0, sizeof(call));
    call.s = client;
    call.buf = bad;
    call.len = 10;
    if (wstest_guarded("send from an inaccessible buffer", send_bad, &call))
    {
        ok(call.ret == SOCKET_ERROR, "send from an inaccessible buffer returned %d\n", call.ret);
        ok(call.error == WSAEFAULT, "send from an inaccessible buffer: error %d\n", call.error);
    }

    /* the program still works afterwards */
    ret = send(server, "ok", 2, 0);
    ok(ret == 2, "send after the failed calls returned %d, error %d\n", ret, WSAGetLastError());

    closesocket(client);
    closesocket(server);

    /* recvfrom with an address buffer that cannot be written */
    a = udp_bound(AF_INET, &a_addr, &a_len);
    b = udp_bound(AF_INET, &b_addr, &b_len);
    ok(a != INVALID_SOCKET && b != INVALID_SOCKET, "could not make UDP sockets, error %d\n", WSAGetLastError());
    if (a != INVALID_SOCKET && b != INVALID_SOCKET)
    {
        ret = sendto(a, "dgram", 5, 0, (struct sockaddr *)&b_addr, b_len);
        ok(ret == 5, "sendto returned %d, error %d\n", ret, WSAGetLastError());
        ok(wstest_wait_readable(b, WAIT_MS), "the datagram did not arrive\n");
        memset(&call, 0, sizeof(call));
        call.s = b;
        call.buf = bad;
        if (wstest_guarded("recvfrom with an inaccessible address buffer", recvfrom_bad_from, &call))
            ok(call.ret == SOCKET_ERROR && call.error == WSAEFAULT,
               "recvfrom with an inaccessible address buffer: %d, error %d\n", call.ret, call.error);
    }
    if (a != INVALID_SOCKET) closesocket(a);
    if (b != INVALID_SOCKET) closesocket(b);

    VirtualFree(bad, 0, MEM_RELEASE);
}

/* The arguments around the data: the WSABUF array, the destination, the
 * source's length (read), the source and its length (written). */
struct arg_call
{
    SOCKET s;
    char *bad;
    struct sockaddr_storage to;
    int tolen;
    int ret;
    int error;
};

static DWORD WINAPI wsasend_bad_bufs(void *param)
{
    struct arg_call *call = param;
    DWORD sent = 0;

    WSASetLastError(0xdead);
    call->ret = WSASend(call->s, (WSABUF *)call->bad, 1, &sent, 0, NULL, NULL);
    call->error = WSAGetLastError();
    return 0;
}

static DWORD WINAPI sendto_bad_to(void *param)
{
    struct arg_call *call = param;

    WSASetLastError(0xdead);
    call->ret = sendto(call->s, "x", 1, 0, (struct sockaddr *)call->bad, call->tolen);
    call->error = WSAGetLastError();
    return 0;
}

static DWORD WINAPI recvfrom_bad_fromlen(void *param)
{
    struct arg_call *call = param;
    struct sockaddr_storage from;
    char buf[64];

    WSASetLastError(0xdead);
    call->ret = recvfrom(call->s, buf, sizeof(buf), 0, (struct sockaddr *)&from, (int *)call->bad);
    call->error = WSAGetLastError();
    return 0;
}

static void test_bad_arguments(void)
{
    struct sockaddr_storage a_addr, b_addr;
    struct arg_call call;
    SOCKET a, b;
    char *bad, *watched;
    int ret, a_len, b_len, *fromlen;
    struct sockaddr_in *from;
    char buf[64];

    bad = VirtualAlloc(NULL, 0x10000, MEM_RESERVE | MEM_COMMIT, PAGE_NOACCESS);
    ok(bad != NULL, "VirtualAlloc failed\n");
    a = udp_bound(AF_INET, &a_addr, &a_len);
    b = udp_bound(AF_INET, &b_addr, &b_len);
    ok(a != INVALID_SOCKET && b != INVALID_SOCKET, "could not make UDP sockets, error %d\n", WSAGetLastError());
    if (!bad || a == INVALID_SOCKET || b == INVALID_SOCKET) goto done;
    ret = connect(a, (struct sockaddr *)&b_addr, b_len);
    ok(!ret, "connect returned %d, error %d\n", ret, WSAGetLastError());

    memset(&call, 0, sizeof(call));
    call.s = a;
    call.bad = bad;
    if (wstest_guarded("WSASend with an inaccessible WSABUF array", wsasend_bad_bufs, &call))
        ok(call.ret == SOCKET_ERROR && call.error == WSAEFAULT,
           "WSASend with an inaccessible WSABUF array: %d, error %d\n", call.ret, call.error);

    call.tolen = b_len;
    if (wstest_guarded("sendto an inaccessible address", sendto_bad_to, &call))
        ok(call.ret == SOCKET_ERROR && call.error == WSAEFAULT, "sendto an inaccessible address: %d, error %d\n",
           call.ret, call.error);

    ret = send(a, "dgram", 5, 0);
    ok(ret == 5, "send returned %d, error %d\n", ret, WSAGetLastError());
    ok(wstest_wait_readable(b, WAIT_MS), "the datagram did not arrive\n");
    call.s = b;
    if (wstest_guarded("recvfrom with an inaccessible address length", recvfrom_bad_fromlen, &call))
        ok(call.ret == SOCKET_ERROR && call.error == WSAEFAULT,
           "recvfrom with an inaccessible address length: %d, error %d\n", call.ret, call.error);

    /* The source and its length land in watched memory. */
    watched = VirtualAlloc(NULL, 0x10000, MEM_RESERVE | MEM_COMMIT | MEM_WRITE_WATCH, PAGE_READWRITE);
    ok(watched != NULL, "VirtualAlloc(MEM_WRITE_WATCH) failed, error %lu\n", GetLastError());
    if (watched)
    {
        from = (struct sockaddr_in *)watched;
        fromlen = (int *)(watched + 0x1000);
        *fromlen = sizeof(*from);
        ResetWriteWatch(watched, 0x10000);
        ret = send(a, "again", 5, 0);
        ok(ret == 5, "send returned %d, error %d\n", ret, WSAGetLastError());
        ok(wstest_wait_readable(b, WAIT_MS), "the datagram did not arrive\n");
        ret = recvfrom(b, buf, sizeof(buf), 0, (struct sockaddr *)from, fromlen);
        ok(ret == 5, "recvfrom into watched memory returned %d, error %d\n", ret, WSAGetLastError());
        ok(*fromlen == sizeof(*from), "fromlen %d\n", *fromlen);
        ok(from->sin_family == AF_INET && from->sin_port == ((struct sockaddr_in *)&a_addr)->sin_port,
           "source family %d port %u\n", from->sin_family, ntohs(from->sin_port));
        VirtualFree(watched, 0, MEM_RELEASE);
    }

done:
    if (a != INVALID_SOCKET) closesocket(a);
    if (b != INVALID_SOCKET) closesocket(b);
    if (bad) VirtualFree(bad, 0, MEM_RELEASE);
}

START_TEST(transfer)
{
    WSADATA data;
    int ret;

    ret = WSAStartup(MAKEWORD(2, 2), &data);
    ok(!ret, "WSAStartup returned %d\n", ret);
    if (ret) return;

    test_tcp_echo(AF_INET);
    test_tcp_echo(AF_INET6);
    test_udp(AF_INET);
    test_udp(AF_INET6);
    test_half_close();
    test_bad_buffers();
    test_bad_arguments();

    ret = WSACleanup();
    ok(!ret, "WSACleanup returned %d\n", ret);
}
