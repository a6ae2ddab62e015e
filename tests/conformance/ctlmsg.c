/*
 * WSARecvMsg's control data and WSASendMsg's checks, on loopback UDP.
 *
 * What Windows does (Microsoft docs of WSARecvMsg, WSASendMsg, WSACMSGHDR
 * and the IPPROTO_IP / IPPROTO_IPV6 socket options):
 *  - with IP_PKTINFO, IP_RECVTTL or IP_RECVTOS set (IPv4), or IPV6_PKTINFO,
 *    IPV6_HOPLIMIT or IPV6_RECVTCLASS (IPv6), each datagram WSARecvMsg
 *    takes comes with one control message in WSAMSG.Control: a WSACMSGHDR
 *    with the option's level and IP_PKTINFO / IP_TTL / IP_TOS,
 *    IPV6_PKTINFO / IPV6_HOPLIMIT / IPV6_TCLASS, the data (IN_PKTINFO,
 *    IN6_PKTINFO, or an INT) after it; Control.len comes back as the bytes
 *    used (WSA_CMSG_SPACE of the data);
 *  - without such an option there is no control data (Control.len 0);
 *  - control data that does not fit in Control.len fails the receive with
 *    WSAEMSGSIZE and MSG_CTRUNC in dwFlags, the datagram itself taken;
 *    overlapped, that is the operation's result (an event, or a routine);
 *  - WSASendMsg without a WSAMSG fails with WSAEFAULT; on an unbound
 *    socket it binds it (to the wildcard address, a port chosen), even
 *    when it fails for want of a byte count (no count and no OVERLAPPED:
 *    WSAEFAULT, as for WSASendTo); on a stream socket it fails with
 *    WSAEINVAL;
 *  - (Wine's test_connect_udp, which passes on Windows) send on a datagram
 *    socket without a peer fails with WSAENOTCONN, recv on one without an
 *    address with WSAEINVAL; connect to an AF_UNSPEC address undoes connect.
 */
#include "wstest.h"
#include <mswsock.h>

#define WAIT_MS 5000

static LPFN_WSARECVMSG recv_msg_of(SOCKET s)
{
    GUID guid = WSAID_WSARECVMSG;
    LPFN_WSARECVMSG fn = NULL;
    DWORD len;

    if (WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof(guid), &fn, sizeof(fn), &len, NULL, NULL))
        return NULL;
    return fn;
}

/* A bound receiver and a sender connected to it, over the family's loopback. */
static int udp_pair(int family, SOCKET *rx, SOCKET *tx, struct sockaddr_storage *addr, int *addrlen)
{
    *rx = socket(family, SOCK_DGRAM, IPPROTO_UDP);
    *tx = socket(family, SOCK_DGRAM, IPPROTO_UDP);
    *addrlen = wstest_loopback(family, addr);
    if (*rx == INVALID_SOCKET || *tx == INVALID_SOCKET || bind(*rx, (struct sockaddr *)addr, *addrlen) ||
        getsockname(*rx, (struct sockaddr *)addr, addrlen) || connect(*tx, (struct sockaddr *)addr, *addrlen))
    {
        if (*rx != INVALID_SOCKET) closesocket(*rx);
        if (*tx != INVALID_SOCKET) closesocket(*tx);
        return 0;
    }
    return 1;
}

struct option_case
{
    int family, level, option, type;
    ULONG data_len; /* of the control message's data */
};

static const struct option_case cases[] = {
    { AF_INET, IPPROTO_IP, IP_PKTINFO, IP_PKTINFO, sizeof(IN_PKTINFO) },
    { AF_INET, IPPROTO_IP, IP_RECVTTL, IP_TTL, sizeof(INT) },
    { AF_INET, IPPROTO_IP, IP_RECVTOS, IP_TOS, sizeof(INT) },
    { AF_INET6, IPPROTO_IPV6, IPV6_PKTINFO, IPV6_PKTINFO, sizeof(IN6_PKTINFO) },
    { AF_INET6, IPPROTO_IPV6, IPV6_HOPLIMIT, IPV6_HOPLIMIT, sizeof(INT) },
    { AF_INET6, IPPROTO_IPV6, IPV6_RECVTCLASS, IPV6_TCLASS, sizeof(INT) },
};

static void test_option(const struct option_case *c)
{
    struct sockaddr_storage addr, from;
    char payload[] = "datagram", buf[64];
    union
    {
        WSACMSGHDR hdr;
        char bytes[256];
    } control;
    WSABUF data = { sizeof(buf), buf };
    WSAMSG msg;
    LPFN_WSARECVMSG recv_msg;
    DWORD on = 1, off = 0, value, got;
    SOCKET rx, tx;
    int addrlen, len, ret;

    if (!udp_pair(c->family, &rx, &tx, &addr, &addrlen))
    {
        skip("no loopback UDP pair for family %d\n", c->family);
        return;
    }
    recv_msg = recv_msg_of(rx);
    ok(recv_msg != NULL, "no WSARecvMsg: %d\n", WSAGetLastError());
    if (!recv_msg) goto done;

    /* Off: no control data. */
    ok(send(tx, payload, sizeof(payload), 0) == sizeof(payload), "send: %d\n", WSAGetLastError());
    memset(&msg, 0, sizeof(msg));
    msg.name = (struct sockaddr *)&from;
    msg.namelen = sizeof(from);
    msg.lpBuffers = &data;
    msg.dwBufferCount = 1;
    msg.Control.buf = control.bytes;
    msg.Control.len = sizeof(control);
    got = 0;
    ret = recv_msg(rx, &msg, &got, NULL, NULL);
    ok(!ret && got == sizeof(payload), "option %d off: %d, %lu bytes, error %d\n", c->option, ret, got,
       WSAGetLastError());
    ok(!msg.Control.len, "option %d off: control length %lu\n", c->option, msg.Control.len);
    ok(!msg.dwFlags, "option %d off: flags %#lx\n", c->option, msg.dwFlags);

    ret = setsockopt(rx, c->level, c->option, (char *)&on, sizeof(on));
    ok(!ret, "setsockopt %d: error %d\n", c->option, WSAGetLastError());
    value = 0;
    len = sizeof(value);
    ret = getsockopt(rx, c->level, c->option, (char *)&value, &len);
    ok(!ret && value == 1, "getsockopt %d: %d, value %lu, error %d\n", c->option, ret, value, WSAGetLastError());

    /* On: one control message of the option's type. */
    ok(send(tx, payload, sizeof(payload), 0) == sizeof(payload), "send: %d\n", WSAGetLastError());
    memset(&control, 0xcc, sizeof(control));
    msg.namelen = sizeof(from);
    msg.Control.len = sizeof(control);
    msg.dwFlags = 0;
    got = 0;
    ret = recv_msg(rx, &msg, &got, NULL, NULL);
    ok(!ret && got == sizeof(payload), "option %d: %d, %lu bytes, error %d\n", c->option, ret, got,
       WSAGetLastError());
    ok(!msg.dwFlags, "option %d: flags %#lx\n", c->option, msg.dwFlags);
    ok(msg.Control.len == WSA_CMSG_SPACE(c->data_len), "option %d: control length %lu\n", c->option,
       msg.Control.len);
    ok(control.hdr.cmsg_level == c->level && control.hdr.cmsg_type == c->type &&
           control.hdr.cmsg_len == WSA_CMSG_LEN(c->data_len),
       "option %d: level %d type %d length %lu\n", c->option, control.hdr.cmsg_level, control.hdr.cmsg_type,
       (unsigned long)control.hdr.cmsg_len);
    if (c->type == IP_PKTINFO && c->family == AF_INET)
    {
        IN_PKTINFO *pi = (IN_PKTINFO *)WSA_CMSG_DATA(&control.hdr);

        ok(pi->ipi_addr.s_addr == htonl(INADDR_LOOPBACK), "IP_PKTINFO: destination %#lx\n", pi->ipi_addr.s_addr);
    }
    else if (c->type == IPV6_PKTINFO && c->family == AF_INET6)
    {
        IN6_PKTINFO *pi = (IN6_PKTINFO *)WSA_CMSG_DATA(&control.hdr);

        ok(!memcmp(&pi->ipi6_addr, &in6addr_loopback, sizeof(pi->ipi6_addr)), "IPV6_PKTINFO: not ::1\n");
    }
    else if (c->type == IP_TTL || c->type == IPV6_HOPLIMIT)
    {
        INT hops = *(INT *)WSA_CMSG_DATA(&control.hdr);

        ok(hops > 0 && hops <= 255, "option %d: hop limit %d\n", c->option, hops);
    }
    else
        ok(*(INT *)WSA_CMSG_DATA(&control.hdr) == 0, "option %d: traffic class %d\n", c->option,
           *(INT *)WSA_CMSG_DATA(&control.hdr));

    /* No room for it: the datagram comes, the control data does not. */
    ok(send(tx, payload, sizeof(payload), 0) == sizeof(payload), "send: %d\n", WSAGetLastError());
    msg.namelen = sizeof(from);
    msg.Control.len = 4;
    msg.dwFlags = 0;
    memset(buf, 0, sizeof(buf));
    ret = recv_msg(rx, &msg, &got, NULL, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEMSGSIZE, "option %d, short control: %d, error %d\n",
       c->option, ret, WSAGetLastError());
    ok(msg.dwFlags == MSG_CTRUNC, "option %d, short control: flags %#lx\n", c->option, msg.dwFlags);
    ok(!memcmp(buf, payload, sizeof(payload)), "option %d, short control: data not received\n", c->option);

    /* Off again. */
    ret = setsockopt(rx, c->level, c->option, (char *)&off, sizeof(off));
    ok(!ret, "setsockopt %d off: error %d\n", c->option, WSAGetLastError());
    ok(send(tx, payload, sizeof(payload), 0) == sizeof(payload), "send: %d\n", WSAGetLastError());
    msg.namelen = sizeof(from);
    msg.Control.len = sizeof(control);
    msg.dwFlags = 0;
    ret = recv_msg(rx, &msg, &got, NULL, NULL);
    ok(!ret && !msg.Control.len, "option %d off again: %d, control length %lu\n", c->option, ret,
       msg.Control.len);

done:
    closesocket(rx);
    closesocket(tx);
}

static unsigned int routine_calls;
static DWORD routine_error, routine_bytes;

static void WINAPI on_done(DWORD error, DWORD bytes, LPWSAOVERLAPPED ov, DWORD flags)
{
    (void)ov;
    (void)flags;
    routine_error = error;
    routine_bytes = bytes;
    routine_calls++;
}

/* Overlapped: the result and the flags come when the datagram does. */
static void test_overlapped(void)
{
    struct sockaddr_storage addr;
    char payload[] = "later", buf[32], control[256];
    WSABUF data = { sizeof(buf), buf };
    WSAOVERLAPPED ov;
    WSAMSG msg;
    LPFN_WSARECVMSG recv_msg;
    DWORD on = 1, got, flags;
    SOCKET rx, tx;
    int addrlen, ret;

    if (!udp_pair(AF_INET, &rx, &tx, &addr, &addrlen))
    {
        skip("no loopback UDP pair\n");
        return;
    }
    recv_msg = recv_msg_of(rx);
    ok(recv_msg != NULL, "no WSARecvMsg: %d\n", WSAGetLastError());
    if (!recv_msg) goto done;
    ok(!setsockopt(rx, IPPROTO_IP, IP_PKTINFO, (char *)&on, sizeof(on)), "IP_PKTINFO: %d\n", WSAGetLastError());

    memset(&ov, 0, sizeof(ov));
    ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    memset(&msg, 0, sizeof(msg));
    msg.lpBuffers = &data;
    msg.dwBufferCount = 1;
    msg.Control.buf = control;
    msg.Control.len = sizeof(control);
    ret = recv_msg(rx, &msg, NULL, &ov, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSA_IO_PENDING, "pending: %d, error %d\n", ret,
       WSAGetLastError());
    ok(msg.Control.len == sizeof(control), "pending: control length %lu\n", msg.Control.len);
    ok(send(tx, payload, sizeof(payload), 0) == sizeof(payload), "send: %d\n", WSAGetLastError());
    ok(!WaitForSingleObject(ov.hEvent, WAIT_MS), "no completion\n");
    ret = WSAGetOverlappedResult(rx, &ov, &got, FALSE, &flags);
    ok(ret && got == sizeof(payload), "result: %d, %lu bytes, error %d\n", ret, got, WSAGetLastError());
    ok(msg.Control.len == WSA_CMSG_SPACE(sizeof(IN_PKTINFO)), "control length %lu\n", msg.Control.len);
    ok(((WSACMSGHDR *)control)->cmsg_type == IP_PKTINFO, "type %d\n", ((WSACMSGHDR *)control)->cmsg_type);

    /* The control data does not fit: the operation fails with WSAEMSGSIZE. */
    ResetEvent(ov.hEvent);
    msg.Control.len = 1;
    msg.dwFlags = 0;
    ret = recv_msg(rx, &msg, NULL, &ov, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSA_IO_PENDING, "pending: %d, error %d\n", ret,
       WSAGetLastError());
    ok(send(tx, payload, sizeof(payload), 0) == sizeof(payload), "send: %d\n", WSAGetLastError());
    ok(!WaitForSingleObject(ov.hEvent, WAIT_MS), "no completion\n");
    ret = WSAGetOverlappedResult(rx, &ov, &got, FALSE, &flags);
    ok(!ret && WSAGetLastError() == WSAEMSGSIZE, "short control: %d, error %d\n", ret, WSAGetLastError());
    ok(got == sizeof(payload), "short control: %lu bytes\n", got);
    ok(msg.dwFlags == MSG_CTRUNC, "short control: flags %#lx\n", msg.dwFlags);

    /* The same with a completion routine. */
    msg.Control.len = 1;
    msg.dwFlags = 0;
    routine_calls = 0;
    ret = recv_msg(rx, &msg, NULL, &ov, on_done);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSA_IO_PENDING, "pending: %d, error %d\n", ret,
       WSAGetLastError());
    ok(send(tx, payload, sizeof(payload), 0) == sizeof(payload), "send: %d\n", WSAGetLastError());
    ok(SleepEx(WAIT_MS, TRUE) == WAIT_IO_COMPLETION, "no routine call\n");
    ok(routine_calls == 1 && routine_error == WSAEMSGSIZE && routine_bytes == sizeof(payload),
       "routine: %u calls, error %lu, %lu bytes\n", routine_calls, routine_error, routine_bytes);
    ok(msg.dwFlags == MSG_CTRUNC, "routine: flags %#lx\n", msg.dwFlags);

    CloseHandle(ov.hEvent);
done:
    closesocket(rx);
    closesocket(tx);
}

/* The unbound datagram socket has a name after the call, 0.0.0.0 and a port. */
static void check_bound(SOCKET s, const char *what)
{
    struct sockaddr_in name;
    int len = sizeof(name);
    int ret = getsockname(s, (struct sockaddr *)&name, &len);

    ok(!ret && name.sin_family == AF_INET && name.sin_addr.s_addr == htonl(INADDR_ANY) && name.sin_port,
       "%s: getsockname %d (error %d), family %d, address %#lx, port %u\n", what, ret, WSAGetLastError(),
       name.sin_family, name.sin_addr.s_addr, ntohs(name.sin_port));
}

static void test_send_checks(void)
{
    GUID guid = WSAID_WSASENDMSG;
    LPFN_WSASENDMSG send_msg = NULL;
    struct sockaddr_in to, name;
    char payload[] = "out";
    WSABUF data = { sizeof(payload), payload };
    WSAMSG msg;
    DWORD len, sent;
    SOCKET s, rx;
    int ret, namelen;

    rx = socket(AF_INET, SOCK_DGRAM, 0);
    memset(&to, 0, sizeof(to));
    to.sin_family = AF_INET;
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    namelen = sizeof(to);
    ok(!bind(rx, (struct sockaddr *)&to, sizeof(to)) && !getsockname(rx, (struct sockaddr *)&to, &namelen),
       "receiver: %d\n", WSAGetLastError());

    s = socket(AF_INET, SOCK_DGRAM, 0);
    ok(!WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof(guid), &send_msg, sizeof(send_msg), &len,
                 NULL, NULL),
       "no WSASendMsg: %d\n", WSAGetLastError());
    if (!send_msg)
    {
        closesocket(s);
        closesocket(rx);
        return;
    }
    memset(&msg, 0, sizeof(msg));
    msg.name = (struct sockaddr *)&to;
    msg.namelen = sizeof(to);
    msg.lpBuffers = &data;
    msg.dwBufferCount = 1;

    ret = send_msg(INVALID_SOCKET, &msg, 0, &sent, NULL, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAENOTSOCK, "not a socket: %d, error %d\n", ret,
       WSAGetLastError());
    /* No message: nothing happens, the socket stays unbound. */
    ret = send_msg(s, NULL, 0, &sent, NULL, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT, "no message: %d, error %d\n", ret,
       WSAGetLastError());
    namelen = sizeof(name);
    ret = getsockname(s, (struct sockaddr *)&name, &namelen);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEINVAL, "unbound: %d, error %d\n", ret, WSAGetLastError());
    /* No count and no OVERLAPPED: refused, but the socket is bound. */
    ret = send_msg(s, &msg, 0, NULL, NULL, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT, "no count: %d, error %d\n", ret, WSAGetLastError());
    check_bound(s, "WSASendMsg without a count");
    closesocket(s);

    /* A successful send binds it too, and clears the last error. */
    s = socket(AF_INET, SOCK_DGRAM, 0);
    WSASetLastError(0xdead);
    sent = 0;
    ret = send_msg(s, &msg, 0, &sent, NULL, NULL);
    ok(!ret && sent == sizeof(payload) && !WSAGetLastError(), "send: %d, %lu bytes, error %d\n", ret, sent,
       WSAGetLastError());
    check_bound(s, "WSASendMsg");
    closesocket(s);

    s = socket(AF_INET, SOCK_DGRAM, 0);
    ret = WSASendTo(s, &data, 1, NULL, 0, (struct sockaddr *)&to, sizeof(to), NULL, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT, "WSASendTo without a count: %d, error %d\n", ret,
       WSAGetLastError());
    WSASetLastError(0xdead);
    ret = WSASendTo(s, &data, 1, &sent, 0, (struct sockaddr *)&to, sizeof(to), NULL, NULL);
    ok(!ret && !WSAGetLastError(), "WSASendTo: %d, error %d\n", ret, WSAGetLastError());
    check_bound(s, "WSASendTo");
    closesocket(s);

    /* Not for streams. */
    s = socket(AF_INET, SOCK_STREAM, 0);
    ret = send_msg(s, &msg, 0, &sent, NULL, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEINVAL, "stream: %d, error %d\n", ret, WSAGetLastError());
    closesocket(s);
    closesocket(rx);
}

/* A datagram socket without a peer or an address; AF_UNSPEC undoes connect. */
static void test_unconnected(void)
{
    struct sockaddr_in addr = { 0 }, peer;
    SOCKET a = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP), b = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    u_long on = 1;
    char buf[8];
    int ret, len;

    ioctlsocket(a, FIONBIO, &on);
    ioctlsocket(b, FIONBIO, &on);
    ret = send(a, "x", 1, 0);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAENOTCONN, "send without a peer: %d, error %d\n", ret,
       WSAGetLastError());
    ret = recv(b, buf, sizeof(buf), 0);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEINVAL, "recv unbound: %d, error %d\n", ret,
       WSAGetLastError());

    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    len = sizeof(addr);
    ok(!bind(b, (struct sockaddr *)&addr, sizeof(addr)) && !getsockname(b, (struct sockaddr *)&addr, &len),
       "bind: error %d\n", WSAGetLastError());
    ret = recv(b, buf, sizeof(buf), 0);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEWOULDBLOCK, "recv bound: %d, error %d\n", ret,
       WSAGetLastError());
    ret = send(b, "x", 1, 0);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAENOTCONN, "send bound, without a peer: %d, error %d\n", ret,
       WSAGetLastError());

    ok(!connect(a, (struct sockaddr *)&addr, sizeof(addr)), "connect: error %d\n", WSAGetLastError());
    len = sizeof(peer);
    ok(!getpeername(a, (struct sockaddr *)&peer, &len) && peer.sin_port == addr.sin_port, "getpeername: error %d\n",
       WSAGetLastError());
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_UNSPEC;
    ret = connect(a, (struct sockaddr *)&addr, sizeof(addr));
    ok(!ret, "connect to AF_UNSPEC: error %d\n", WSAGetLastError());
    len = sizeof(peer);
    ret = getpeername(a, (struct sockaddr *)&peer, &len);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAENOTCONN, "getpeername after AF_UNSPEC: %d, error %d\n", ret,
       WSAGetLastError());
    closesocket(a);
    closesocket(b);
}

START_TEST(ctlmsg)
{
    WSADATA data;
    unsigned int i;
    int ret;

    ret = WSAStartup(MAKEWORD(2, 2), &data);
    ok(!ret, "WSAStartup returned %d\n", ret);
    if (ret) return;

    for (i = 0; i < ARRAY_SIZE(cases); i++) test_option(&cases[i]);
    test_overlapped();
    test_send_checks();
    test_unconnected();

    ret = WSACleanup();
    ok(!ret, "WSACleanup returned %d\n", ret);
}
