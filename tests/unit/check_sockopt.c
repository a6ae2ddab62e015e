/*
 * getsockopt/setsockopt semantics (server/sockopt.c) on real sockets.
 *
 * Requests are built the way the DLL builds them: level, name and optlen
 * as the program passed them, WS2_OPTVAL_* flags for pointers the DLL could
 * not use, and for setsockopt the bytes of optval it read (optlen of them,
 * or 4 when optlen is negative).  Every request built here is also checked
 * to be a valid wire message.
 */
#include <fcntl.h>
#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include "ws.h"
#include "ws2proto.h"
#include "sock.h"
#include "protocol.h"
#include "sockopt.h"
#include "check_suites.h"

#define SOCKOPT_FIXED offsetof(struct ws2_sockopt_request, data)
/* What an untouched reply buffer holds, to see what sockopt_get wrote. */
#define JUNK 0xa5

static struct ws2_socket *new_sock(int type)
{
    int status = -1;
    struct ws2_socket *sock = sock_create(WS_AF_INET, type, 0, &status);

    ck_assert_msg(sock != NULL, "sock_create(type %d) failed with %d", type, status);
    ck_assert_int_eq(status, 0);
    return sock;
}

static void req_init(struct ws2_sockopt_request *req, uint32_t op, int level, int name,
                     int32_t optlen, uint32_t flags, const void *data, uint32_t datalen)
{
    ck_assert_uint_le(datalen, WS2_MAX_OPTVAL);
    memset(req, 0, sizeof(*req));
    req->hdr.op = op;
    req->hdr.size = SOCKOPT_FIXED + datalen;
    req->hdr.handle = 1;
    req->level = level;
    req->name = name;
    req->optlen = optlen;
    req->flags = flags;
    req->datalen = datalen;
    if (datalen) memcpy(req->data, data, datalen);
    ck_assert_int_eq(protocol_check_request(req, req->hdr.size), 0);
}

/* setsockopt with an explicit request: for the fault and NULL cases. */
static int set_raw(struct ws2_socket *sock, int level, int name, int32_t optlen, uint32_t flags,
                   const void *data, uint32_t datalen)
{
    struct ws2_sockopt_request req;

    req_init(&req, WS2_OP_SETSOCKOPT, level, name, optlen, flags, data, datalen);
    return sockopt_set(sock, &req);
}

/* setsockopt(sock, level, name, optval, optlen) as the DLL forwards it. */
static int set_opt(struct ws2_socket *sock, int level, int name, const void *optval, int32_t optlen)
{
    uint32_t datalen;

    if (!optval) return set_raw(sock, level, name, optlen, WS2_OPTVAL_NULL, NULL, 0);
    datalen = optlen < 0 ? 4 : (uint32_t)optlen;
    if (datalen > WS2_MAX_OPTVAL) datalen = WS2_MAX_OPTVAL;
    return set_raw(sock, level, name, optlen, 0, optval, datalen);
}

static int set_int(struct ws2_socket *sock, int level, int name, uint32_t value, int32_t optlen)
{
    uint8_t buf[8] = { 0 };

    memcpy(buf, &value, sizeof(value));
    return set_opt(sock, level, name, buf, optlen);
}

static void get_raw(struct ws2_socket *sock, int level, int name, int32_t optlen, uint32_t flags,
                    struct sockopt_result *res)
{
    struct ws2_sockopt_request req;

    req_init(&req, WS2_OP_GETSOCKOPT, level, name, optlen, flags, NULL, 0);
    memset(res, JUNK, sizeof(*res));
    sockopt_get(sock, &req, res);
}

/* A successful getsockopt of a 4-byte value; returns the value. */
static uint32_t get_dword(struct ws2_socket *sock, int level, int name)
{
    struct sockopt_result res;
    uint32_t value;

    get_raw(sock, level, name, 4, 0, &res);
    ck_assert_msg(res.status == 0, "getsockopt(%#x, %#x) failed with %d", level, name, res.status);
    ck_assert_uint_eq(res.datalen, 4);
    ck_assert_int_eq(res.set_optlen, 1);
    ck_assert_int_eq(res.optlen, 4);
    memcpy(&value, res.data, sizeof(value));
    return value;
}

static int set_linger_opt(struct ws2_socket *sock, unsigned int onoff, unsigned int secs, int32_t optlen)
{
    struct WS_linger l;
    uint8_t buf[8] = { 0 };

    l.l_onoff = onoff;
    l.l_linger = secs;
    memcpy(buf, &l, sizeof(l));
    return set_opt(sock, WS_SOL_SOCKET, WS_SO_LINGER, buf, optlen);
}

static struct WS_linger get_linger_opt(struct ws2_socket *sock)
{
    uint32_t value = get_dword(sock, WS_SOL_SOCKET, WS_SO_LINGER);
    struct WS_linger l;

    memcpy(&l, &value, sizeof(l));
    return l;
}

static void check_zero_filled(const struct sockopt_result *res, int32_t optlen)
{
    int32_t i;

    ck_assert_int_eq(res->status, WSAEFAULT);
    ck_assert_uint_eq(res->datalen, (uint32_t)optlen);
    for (i = 0; i < optlen; i++) ck_assert_uint_eq(res->data[i], 0);
    ck_assert_int_eq(res->set_optlen, 0);
}

/* ------------------------------------------------------------ sockets */

START_TEST(test_sock_create)
{
    unsigned int before = sock_count();
    struct ws2_socket *tcp = new_sock(WS_SOCK_STREAM), *udp = new_sock(WS_SOCK_DGRAM);
    int status = 0;

    ck_assert_uint_eq(sock_count(), before + 2);
    ck_assert_int_eq(tcp->family, WS_AF_INET);
    ck_assert_int_eq(tcp->type, WS_SOCK_STREAM);
    ck_assert_int_eq(tcp->protocol, WS_IPPROTO_TCP);
    ck_assert_int_eq(udp->type, WS_SOCK_DGRAM);
    ck_assert_int_eq(udp->protocol, WS_IPPROTO_UDP);
    ck_assert_uint_ne(tcp->id, udp->id);
    /* The server's sockets never block. */
    ck_assert_int_ne(fcntl(tcp->fd, F_GETFL) & O_NONBLOCK, 0);
    ck_assert_int_ne(fcntl(udp->fd, F_GETFL) & O_NONBLOCK, 0);
    /* Windows defaults: blocking, no linger, nothing set. */
    ck_assert_int_eq(tcp->nonblocking, 0);
    ck_assert_uint_eq(tcp->shared->linger & 0xffff, 0);
    ck_assert_uint_eq(tcp->shared->error, 0);
    sock_free(tcp);
    sock_free(udp);
    ck_assert_uint_eq(sock_count(), before);

    ck_assert_ptr_null(sock_create(WS_AF_UNIX, WS_SOCK_STREAM, 0, &status));
    ck_assert_int_eq(status, WSAEAFNOSUPPORT);
    ck_assert_ptr_null(sock_create(10, WS_SOCK_STREAM, 0, &status));
    ck_assert_int_eq(status, WSAEAFNOSUPPORT);
    ck_assert_ptr_null(sock_create(WS_AF_INET, WS_SOCK_STREAM, WS_IPPROTO_UDP, &status));
    ck_assert_int_eq(status, WSAEPROTONOSUPPORT);
    ck_assert_ptr_null(sock_create(WS_AF_INET, WS_SOCK_DGRAM, WS_IPPROTO_TCP, &status));
    ck_assert_int_eq(status, WSAEPROTONOSUPPORT);
    ck_assert_ptr_null(sock_create(WS_AF_INET, 99, 0, &status));
    ck_assert_int_eq(status, WSAESOCKTNOSUPPORT);
    ck_assert_ptr_null(sock_create(WS_AF_INET, WS_SOCK_RAW, 256, &status));
    ck_assert_int_eq(status, WSAEPROTONOSUPPORT);
    ck_assert_ptr_null(sock_create(0xdead, 0xdead, WS_IPPROTO_TCP, &status));
    ck_assert_int_eq(status, WSAESOCKTNOSUPPORT);
    ck_assert_uint_eq(sock_count(), before);
}
END_TEST

/* Raw sockets: the host's, where it allows them (CAP_NET_RAW), WSAEACCES
 * otherwise; described by the hidden raw entry, which serves every number. */
START_TEST(test_sock_create_raw)
{
    static const struct
    {
        int family, type, protocol;
    } asks[] = {
        { WS_AF_INET, WS_SOCK_RAW, 1 },
        { WS_AF_INET, WS_SOCK_RAW, 0 },
        { WS_AF_INET6, WS_SOCK_RAW, 58 },
        { WS_AF_INET, 0, WS_IPPROTO_RAW },
        { 0, 0, WS_IPPROTO_RAW },
    };
    unsigned int before = sock_count(), i;
    WSAPROTOCOL_INFOW info;
    struct ws2_socket *sock;
    int status;

    for (i = 0; i < sizeof(asks) / sizeof(asks[0]); i++)
    {
        sock = sock_create(asks[i].family, asks[i].type, asks[i].protocol, &status);
        if (!sock)
        {
            ck_assert_int_eq(status, WSAEACCES);
            continue;
        }
        ck_assert_int_eq(sock->type, WS_SOCK_RAW);
        ck_assert_int_eq(sock->protocol, asks[i].protocol);
        ck_assert_int_eq(sock_protocol_info(sock, &info), 0);
        ck_assert_int_eq(info.iSocketType, WS_SOCK_RAW);
        ck_assert_int_eq(info.iProtocol, 0);
        ck_assert_int_eq(info.iProtocolMaxOffset, 255);
        ck_assert_uint_eq(info.dwProviderFlags & PFL_HIDDEN, PFL_HIDDEN);
        sock_free(sock);
    }
    ck_assert_uint_eq(sock_count(), before);
}
END_TEST

/* ------------------------------------------------------------ SO_LINGER */

START_TEST(test_linger_default)
{
    struct ws2_socket *sock = new_sock(WS_SOCK_STREAM);
    struct WS_linger l = get_linger_opt(sock);

    ck_assert_uint_eq(l.l_onoff, 0);
    sock_free(sock);
}
END_TEST

START_TEST(test_linger_round_trip)
{
    static const struct
    {
        unsigned int onoff, secs;
    } values[] = {
        { 0, 0 },
        { 0, 73 },
        { 1, 0 },
        { 5, 189 },
        { 1, 65535 },
        { 0xffff, 1 },
    };
    struct ws2_socket *sock = new_sock(WS_SOCK_STREAM);
    unsigned int i;

    for (i = 0; i < sizeof(values) / sizeof(values[0]); i++)
    {
        struct WS_linger l;

        ck_assert_int_eq(set_linger_opt(sock, values[i].onoff, values[i].secs, 4), 0);
        l = get_linger_opt(sock);
        ck_assert_uint_eq(l.l_onoff, values[i].onoff);
        /* Windows keeps l_linger only when lingering is on. */
        if (values[i].onoff) ck_assert_uint_eq(l.l_linger, values[i].secs);
    }
    sock_free(sock);
}
END_TEST

START_TEST(test_linger_onoff_verbatim)
{
    struct ws2_socket *sock = new_sock(WS_SOCK_STREAM);
    struct WS_linger l;

    ck_assert_int_eq(set_linger_opt(sock, 0x100, 3, 4), 0);
    l = get_linger_opt(sock);
    ck_assert_uint_eq(l.l_onoff, 0x100);
    ck_assert_uint_eq(l.l_linger, 3);
    /* 0x100 is "on" for SO_DONTLINGER too. */
    ck_assert_uint_eq(get_dword(sock, WS_SOL_SOCKET, WS_SO_DONTLINGER), 0);
    sock_free(sock);
}
END_TEST

START_TEST(test_linger_set_short)
{
    static const int32_t lens[] = { 0, 1, 2, 3 };
    struct ws2_socket *sock = new_sock(WS_SOCK_STREAM);
    struct WS_linger l;
    unsigned int i;

    ck_assert_int_eq(set_linger_opt(sock, 1, 9, 4), 0);
    for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++)
        ck_assert_msg(set_linger_opt(sock, 0, 0, lens[i]) == WSAEFAULT, "optlen %d not WSAEFAULT", lens[i]);
    /* Nothing changed. */
    l = get_linger_opt(sock);
    ck_assert_uint_eq(l.l_onoff, 1);
    ck_assert_uint_eq(l.l_linger, 9);
    sock_free(sock);
}
END_TEST

START_TEST(test_linger_set_negative_and_long)
{
    struct ws2_socket *sock = new_sock(WS_SOCK_STREAM);
    struct WS_linger l;

    /* A negative length counts as 4 for SOL_SOCKET's 4-byte options. */
    ck_assert_int_eq(set_linger_opt(sock, 1, 7, -1), 0);
    l = get_linger_opt(sock);
    ck_assert_uint_eq(l.l_onoff, 1);
    ck_assert_uint_eq(l.l_linger, 7);
    ck_assert_int_eq(set_linger_opt(sock, 2, 8, INT32_MIN), 0);
    l = get_linger_opt(sock);
    ck_assert_uint_eq(l.l_onoff, 2);
    ck_assert_uint_eq(l.l_linger, 8);
    /* A longer buffer: only the first 4 bytes count. */
    ck_assert_int_eq(set_linger_opt(sock, 3, 11, 8), 0);
    l = get_linger_opt(sock);
    ck_assert_uint_eq(l.l_onoff, 3);
    ck_assert_uint_eq(l.l_linger, 11);
    sock_free(sock);
}
END_TEST

START_TEST(test_linger_get_short)
{
    struct ws2_socket *sock = new_sock(WS_SOCK_STREAM);
    struct sockopt_result res;
    struct WS_linger l;

    ck_assert_int_eq(set_linger_opt(sock, 1, 9, 4), 0);
    /* Short buffers fail, but get optlen bytes of zeros; *optlen stays. */
    get_raw(sock, WS_SOL_SOCKET, WS_SO_LINGER, 1, 0, &res);
    check_zero_filled(&res, 1);
    get_raw(sock, WS_SOL_SOCKET, WS_SO_LINGER, 2, 0, &res);
    check_zero_filled(&res, 2);
    get_raw(sock, WS_SOL_SOCKET, WS_SO_LINGER, 3, 0, &res);
    check_zero_filled(&res, 3);
    /* The option itself is untouched. */
    l = get_linger_opt(sock);
    ck_assert_uint_eq(l.l_onoff, 1);
    ck_assert_uint_eq(l.l_linger, 9);
    sock_free(sock);
}
END_TEST

START_TEST(test_linger_get_sizes)
{
    static const int32_t lens[] = { 4, 5, 8, 100, WS2_MAX_OPTVAL, 100000 };
    struct ws2_socket *sock = new_sock(WS_SOCK_STREAM);
    struct sockopt_result res;
    struct WS_linger l;
    unsigned int i;

    ck_assert_int_eq(set_linger_opt(sock, 1, 42, 4), 0);
    for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++)
    {
        get_raw(sock, WS_SOL_SOCKET, WS_SO_LINGER, lens[i], 0, &res);
        ck_assert_msg(res.status == 0, "optlen %d: status %d", lens[i], res.status);
        ck_assert_uint_eq(res.datalen, 4);
        ck_assert_int_eq(res.set_optlen, 1);
        ck_assert_int_eq(res.optlen, 4);
        memcpy(&l, res.data, sizeof(l));
        ck_assert_uint_eq(l.l_onoff, 1);
        ck_assert_uint_eq(l.l_linger, 42);
    }
    sock_free(sock);
}
END_TEST

START_TEST(test_linger_get_zero_or_negative)
{
    static const int32_t lens[] = { 0, -1, INT32_MIN };
    struct ws2_socket *sock = new_sock(WS_SOCK_STREAM);
    struct sockopt_result res;
    unsigned int i;

    for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++)
    {
        get_raw(sock, WS_SOL_SOCKET, WS_SO_LINGER, lens[i], 0, &res);
        ck_assert_msg(res.status == WSAEFAULT, "optlen %d: status %d", lens[i], res.status);
        ck_assert_uint_eq(res.datalen, 0);
        ck_assert_int_eq(res.set_optlen, 0);
    }
    sock_free(sock);
}
END_TEST

START_TEST(test_linger_null)
{
    struct ws2_socket *sock = new_sock(WS_SOCK_STREAM);
    struct sockopt_result res;

    ck_assert_int_eq(set_opt(sock, WS_SOL_SOCKET, WS_SO_LINGER, NULL, 4), WSAEFAULT);
    ck_assert_int_eq(set_opt(sock, WS_SOL_SOCKET, WS_SO_LINGER, NULL, 0), WSAEFAULT);
    get_raw(sock, WS_SOL_SOCKET, WS_SO_LINGER, 4, WS2_OPTVAL_NULL, &res);
    ck_assert_int_eq(res.status, WSAEFAULT);
    ck_assert_uint_eq(res.datalen, 0);
    get_raw(sock, WS_SOL_SOCKET, WS_SO_LINGER, 4, WS2_OPTLEN_FAULT, &res);
    ck_assert_int_eq(res.status, WSAEFAULT);
    ck_assert_uint_eq(res.datalen, 0);
    ck_assert_int_eq(res.set_optlen, 0);
    sock_free(sock);
}
END_TEST

START_TEST(test_linger_dgram)
{
    struct ws2_socket *sock = new_sock(WS_SOCK_DGRAM);
    struct sockopt_result res;

    get_raw(sock, WS_SOL_SOCKET, WS_SO_LINGER, 4, 0, &res);
    ck_assert_int_eq(res.status, WSAENOPROTOOPT);
    ck_assert_uint_eq(res.datalen, 0);
    ck_assert_int_eq(res.set_optlen, 0);
    ck_assert_int_eq(set_linger_opt(sock, 1, 5, 4), WSAENOPROTOOPT);
    ck_assert_uint_eq(sock->shared->linger & 0xffff, 0);
    sock_free(sock);
}
END_TEST

/* ------------------------------------------------------------ SO_DONTLINGER */

START_TEST(test_dontlinger_default)
{
    struct ws2_socket *sock = new_sock(WS_SOCK_STREAM);

    ck_assert_int_eq((int32_t)WS_SO_DONTLINGER, -129);
    ck_assert_uint_eq(get_dword(sock, WS_SOL_SOCKET, WS_SO_DONTLINGER), 1);
    sock_free(sock);
}
END_TEST

START_TEST(test_dontlinger_set_sizes)
{
    struct ws2_socket *sock = new_sock(WS_SOCK_STREAM);

    ck_assert_int_eq(set_linger_opt(sock, 1, 20, 4), 0);
    /* 1 byte TRUE: lingering off. */
    ck_assert_int_eq(set_int(sock, WS_SOL_SOCKET, WS_SO_DONTLINGER, 1, 1), 0);
    ck_assert_uint_eq(get_linger_opt(sock).l_onoff, 0);
    /* 2 bytes FALSE: on again. */
    ck_assert_int_eq(set_int(sock, WS_SOL_SOCKET, WS_SO_DONTLINGER, 0, 2), 0);
    ck_assert_uint_ne(get_linger_opt(sock).l_onoff, 0);
    /* 4 bytes TRUE. */
    ck_assert_int_eq(set_int(sock, WS_SOL_SOCKET, WS_SO_DONTLINGER, 1, 4), 0);
    ck_assert_uint_eq(get_linger_opt(sock).l_onoff, 0);
    /* Only optlen bytes are read: 0x100 in 1 byte is FALSE, in 4 it is TRUE. */
    ck_assert_int_eq(set_int(sock, WS_SOL_SOCKET, WS_SO_DONTLINGER, 0x100, 1), 0);
    ck_assert_uint_ne(get_linger_opt(sock).l_onoff, 0);
    ck_assert_int_eq(set_int(sock, WS_SOL_SOCKET, WS_SO_DONTLINGER, 0x100, 4), 0);
    ck_assert_uint_eq(get_linger_opt(sock).l_onoff, 0);
    ck_assert_int_eq(set_int(sock, WS_SOL_SOCKET, WS_SO_DONTLINGER, 0x10000, 2), 0);
    ck_assert_uint_ne(get_linger_opt(sock).l_onoff, 0);
    ck_assert_int_eq(set_int(sock, WS_SOL_SOCKET, WS_SO_DONTLINGER, 0x100, 2), 0);
    ck_assert_uint_eq(get_linger_opt(sock).l_onoff, 0);
    /* Longer than 4 and negative lengths read 4 bytes. */
    ck_assert_int_eq(set_int(sock, WS_SOL_SOCKET, WS_SO_DONTLINGER, 0, 8), 0);
    ck_assert_uint_ne(get_linger_opt(sock).l_onoff, 0);
    ck_assert_int_eq(set_int(sock, WS_SOL_SOCKET, WS_SO_DONTLINGER, 1, -1), 0);
    ck_assert_uint_eq(get_linger_opt(sock).l_onoff, 0);
    sock_free(sock);
}
END_TEST

START_TEST(test_dontlinger_get_sizes)
{
    struct ws2_socket *sock = new_sock(WS_SOCK_STREAM);
    struct sockopt_result res;
    int on;

    for (on = 0; on <= 1; on++)
    {
        uint32_t value;

        /* on = 1: lingering enabled, SO_DONTLINGER reads FALSE. */
        ck_assert_int_eq(set_linger_opt(sock, on, 5, 4), 0);
        get_raw(sock, WS_SOL_SOCKET, WS_SO_DONTLINGER, 1, 0, &res);
        ck_assert_int_eq(res.status, 0);
        ck_assert_uint_eq(res.datalen, 1);
        ck_assert_int_eq(res.set_optlen, 1);
        ck_assert_int_eq(res.optlen, 1);
        ck_assert_uint_eq(res.data[0], !on);

        /* 2 bytes written, reported as 1. */
        get_raw(sock, WS_SOL_SOCKET, WS_SO_DONTLINGER, 2, 0, &res);
        ck_assert_int_eq(res.status, 0);
        ck_assert_uint_eq(res.datalen, 2);
        ck_assert_int_eq(res.set_optlen, 1);
        ck_assert_int_eq(res.optlen, 1);
        ck_assert_uint_eq(res.data[0], !on);
        ck_assert_uint_eq(res.data[1], 0);

        get_raw(sock, WS_SOL_SOCKET, WS_SO_DONTLINGER, 4, 0, &res);
        ck_assert_int_eq(res.status, 0);
        ck_assert_uint_eq(res.datalen, 4);
        ck_assert_int_eq(res.optlen, 4);
        memcpy(&value, res.data, 4);
        ck_assert_uint_eq(value, !on);

        get_raw(sock, WS_SOL_SOCKET, WS_SO_DONTLINGER, 8, 0, &res);
        ck_assert_int_eq(res.status, 0);
        ck_assert_uint_eq(res.datalen, 4);
        ck_assert_int_eq(res.optlen, 4);
        memcpy(&value, res.data, 4);
        ck_assert_uint_eq(value, !on);

        get_raw(sock, WS_SOL_SOCKET, WS_SO_DONTLINGER, 0, 0, &res);
        ck_assert_int_eq(res.status, WSAEFAULT);
        ck_assert_uint_eq(res.datalen, 0);
    }
    sock_free(sock);
}
END_TEST

START_TEST(test_dontlinger_keeps_timeout)
{
    struct ws2_socket *sock = new_sock(WS_SOCK_STREAM);
    struct WS_linger l;

    ck_assert_int_eq(set_linger_opt(sock, 1, 30, 4), 0);
    /* TRUE: l_onoff off. */
    ck_assert_int_eq(set_int(sock, WS_SOL_SOCKET, WS_SO_DONTLINGER, 1, 4), 0);
    ck_assert_uint_eq(get_linger_opt(sock).l_onoff, 0);
    ck_assert_uint_eq(get_dword(sock, WS_SOL_SOCKET, WS_SO_DONTLINGER), 1);
    /* FALSE: on again, with the timeout SO_LINGER set. */
    ck_assert_int_eq(set_int(sock, WS_SOL_SOCKET, WS_SO_DONTLINGER, 0, 4), 0);
    l = get_linger_opt(sock);
    ck_assert_uint_ne(l.l_onoff, 0);
    ck_assert_uint_eq(l.l_linger, 30);
    ck_assert_uint_eq(get_dword(sock, WS_SOL_SOCKET, WS_SO_DONTLINGER), 0);
    sock_free(sock);
}
END_TEST

START_TEST(test_dontlinger_optlen_zero)
{
    struct ws2_socket *sock = new_sock(WS_SOCK_STREAM);
    uint32_t truth = 1;
    struct WS_linger l;

    ck_assert_int_eq(set_linger_opt(sock, 1, 30, 4), 0);
    /* A real pointer and no length: success, and nothing happens. */
    ck_assert_int_eq(set_opt(sock, WS_SOL_SOCKET, WS_SO_DONTLINGER, &truth, 0), 0);
    l = get_linger_opt(sock);
    ck_assert_uint_eq(l.l_onoff, 1);
    ck_assert_uint_eq(l.l_linger, 30);
    sock_free(sock);
}
END_TEST

START_TEST(test_dontlinger_null)
{
    struct ws2_socket *sock = new_sock(WS_SOCK_STREAM);
    struct sockopt_result res;

    ck_assert_int_eq(set_linger_opt(sock, 1, 30, 4), 0);
    ck_assert_int_eq(set_opt(sock, WS_SOL_SOCKET, WS_SO_DONTLINGER, NULL, 4), WSAEFAULT);
    ck_assert_int_eq(set_opt(sock, WS_SOL_SOCKET, WS_SO_DONTLINGER, NULL, 0), WSAEFAULT);
    ck_assert_int_eq(set_opt(sock, WS_SOL_SOCKET, WS_SO_DONTLINGER, NULL, -1), WSAEFAULT);
    ck_assert_uint_eq(get_linger_opt(sock).l_onoff, 1);
    get_raw(sock, WS_SOL_SOCKET, WS_SO_DONTLINGER, 4, WS2_OPTVAL_NULL, &res);
    ck_assert_int_eq(res.status, WSAEFAULT);
    ck_assert_uint_eq(res.datalen, 0);
    sock_free(sock);
}
END_TEST

START_TEST(test_dontlinger_dgram)
{
    struct ws2_socket *sock = new_sock(WS_SOCK_DGRAM);
    struct sockopt_result res;

    get_raw(sock, WS_SOL_SOCKET, WS_SO_DONTLINGER, 4, 0, &res);
    ck_assert_int_eq(res.status, WSAENOPROTOOPT);
    ck_assert_int_eq(set_int(sock, WS_SOL_SOCKET, WS_SO_DONTLINGER, 0, 4), WSAENOPROTOOPT);
    sock_free(sock);
}
END_TEST

/* ------------------------------------------------------------ other SOL_SOCKET */

START_TEST(test_so_type)
{
    struct ws2_socket *tcp = new_sock(WS_SOCK_STREAM), *udp = new_sock(WS_SOCK_DGRAM);
    struct sockopt_result res;

    ck_assert_uint_eq(get_dword(tcp, WS_SOL_SOCKET, WS_SO_TYPE), WS_SOCK_STREAM);
    ck_assert_uint_eq(get_dword(udp, WS_SOL_SOCKET, WS_SO_TYPE), WS_SOCK_DGRAM);
    /* Read-only. */
    ck_assert_int_eq(set_int(tcp, WS_SOL_SOCKET, WS_SO_TYPE, WS_SOCK_DGRAM, 4), WSAENOPROTOOPT);
    ck_assert_int_eq(set_int(udp, WS_SOL_SOCKET, WS_SO_TYPE, WS_SOCK_STREAM, 4), WSAENOPROTOOPT);
    ck_assert_uint_eq(get_dword(tcp, WS_SOL_SOCKET, WS_SO_TYPE), WS_SOCK_STREAM);
    get_raw(tcp, WS_SOL_SOCKET, WS_SO_TYPE, 2, 0, &res);
    ck_assert_int_eq(res.status, WSAEFAULT);
    sock_free(tcp);
    sock_free(udp);
}
END_TEST

START_TEST(test_so_error)
{
    struct ws2_socket *sock = new_sock(WS_SOCK_STREAM);
    struct sockopt_result res;

    ck_assert_uint_eq(get_dword(sock, WS_SOL_SOCKET, WS_SO_ERROR), 0);
    ck_assert_int_eq(set_int(sock, WS_SOL_SOCKET, WS_SO_ERROR, 1234, 4), 0);
    /* A failed read leaves it in place... */
    get_raw(sock, WS_SOL_SOCKET, WS_SO_ERROR, 1, 0, &res);
    ck_assert_int_eq(res.status, WSAEFAULT);
    /* ...a successful one returns and resets it. */
    ck_assert_uint_eq(get_dword(sock, WS_SOL_SOCKET, WS_SO_ERROR), 1234);
    ck_assert_uint_eq(get_dword(sock, WS_SOL_SOCKET, WS_SO_ERROR), 0);
    ck_assert_int_eq(set_int(sock, WS_SOL_SOCKET, WS_SO_ERROR, WSAECONNRESET, 4), 0);
    ck_assert_uint_eq(get_dword(sock, WS_SOL_SOCKET, WS_SO_ERROR), WSAECONNRESET);
    ck_assert_uint_eq(get_dword(sock, WS_SOL_SOCKET, WS_SO_ERROR), 0);
    /* Short sets fail. */
    ck_assert_int_eq(set_int(sock, WS_SOL_SOCKET, WS_SO_ERROR, 5, 2), WSAEFAULT);
    ck_assert_uint_eq(get_dword(sock, WS_SOL_SOCKET, WS_SO_ERROR), 0);
    sock_free(sock);
}
END_TEST

START_TEST(test_so_error_dgram)
{
    struct ws2_socket *sock = new_sock(WS_SOCK_DGRAM);

    ck_assert_int_eq(set_int(sock, WS_SOL_SOCKET, WS_SO_ERROR, 10054, 4), 0);
    ck_assert_uint_eq(get_dword(sock, WS_SOL_SOCKET, WS_SO_ERROR), 10054);
    ck_assert_uint_eq(get_dword(sock, WS_SOL_SOCKET, WS_SO_ERROR), 0);
    sock_free(sock);
}
END_TEST

START_TEST(test_so_reuseaddr)
{
    static const int types[] = { WS_SOCK_STREAM, WS_SOCK_DGRAM };
    struct ws2_socket *sock = new_sock(types[_i]);
    struct sockopt_result res;

    ck_assert_uint_eq(get_dword(sock, WS_SOL_SOCKET, WS_SO_REUSEADDR), 0);
    /* Normalised to 1. */
    ck_assert_int_eq(set_int(sock, WS_SOL_SOCKET, WS_SO_REUSEADDR, 0x100, 4), 0);
    ck_assert_uint_eq(get_dword(sock, WS_SOL_SOCKET, WS_SO_REUSEADDR), 1);
    ck_assert_int_eq(set_int(sock, WS_SOL_SOCKET, WS_SO_REUSEADDR, 0, 4), 0);
    ck_assert_uint_eq(get_dword(sock, WS_SOL_SOCKET, WS_SO_REUSEADDR), 0);
    ck_assert_int_eq(set_int(sock, WS_SOL_SOCKET, WS_SO_REUSEADDR, 0xdeadbeef, 4), 0);
    ck_assert_uint_eq(get_dword(sock, WS_SOL_SOCKET, WS_SO_REUSEADDR), 1);
    ck_assert_int_eq(set_int(sock, WS_SOL_SOCKET, WS_SO_REUSEADDR, 0, 1), 0);
    ck_assert_uint_eq(get_dword(sock, WS_SOL_SOCKET, WS_SO_REUSEADDR), 0);
    /* 2 bytes of 0x100 are nonzero. */
    ck_assert_int_eq(set_int(sock, WS_SOL_SOCKET, WS_SO_REUSEADDR, 0x100, 2), 0);
    ck_assert_uint_eq(get_dword(sock, WS_SOL_SOCKET, WS_SO_REUSEADDR), 1);
    /* optlen 0 is accepted and changes nothing; negative reads 4 bytes. */
    ck_assert_int_eq(set_int(sock, WS_SOL_SOCKET, WS_SO_REUSEADDR, 0, 0), 0);
    ck_assert_uint_eq(get_dword(sock, WS_SOL_SOCKET, WS_SO_REUSEADDR), 1);
    ck_assert_int_eq(set_int(sock, WS_SOL_SOCKET, WS_SO_REUSEADDR, 0, -1), 0);
    ck_assert_uint_eq(get_dword(sock, WS_SOL_SOCKET, WS_SO_REUSEADDR), 0);
    /* A 1-byte get of a SOL_SOCKET bool. */
    ck_assert_int_eq(set_int(sock, WS_SOL_SOCKET, WS_SO_REUSEADDR, 7, 4), 0);
    get_raw(sock, WS_SOL_SOCKET, WS_SO_REUSEADDR, 1, 0, &res);
    ck_assert_int_eq(res.status, 0);
    ck_assert_uint_eq(res.datalen, 1);
    ck_assert_int_eq(res.optlen, 1);
    ck_assert_uint_eq(res.data[0], 1);
    sock_free(sock);
}
END_TEST

static const int buffer_options[] = { WS_SO_RCVBUF, WS_SO_SNDBUF };

START_TEST(test_buffers_round_trip)
{
    static const int types[] = { WS_SOCK_STREAM, WS_SOCK_DGRAM };
    int name = buffer_options[_i % 2];
    struct ws2_socket *sock = new_sock(types[_i / 2]);

    ck_assert_uint_gt(get_dword(sock, WS_SOL_SOCKET, name), 0);
    ck_assert_int_eq(set_int(sock, WS_SOL_SOCKET, name, 4096, 4), 0);
    ck_assert_uint_eq(get_dword(sock, WS_SOL_SOCKET, name), 4096);
    ck_assert_int_eq(set_int(sock, WS_SOL_SOCKET, name, 0, 4), 0);
    ck_assert_uint_eq(get_dword(sock, WS_SOL_SOCKET, name), 0);
    /* Stored verbatim, not normalised. */
    ck_assert_int_eq(set_int(sock, WS_SOL_SOCKET, name, 0x100, 4), 0);
    ck_assert_uint_eq(get_dword(sock, WS_SOL_SOCKET, name), 0x100);
    ck_assert_int_eq(set_int(sock, WS_SOL_SOCKET, name, 65536, -1), 0);
    ck_assert_uint_eq(get_dword(sock, WS_SOL_SOCKET, name), 65536);
    ck_assert_int_eq(set_int(sock, WS_SOL_SOCKET, name, 8192, 8), 0);
    ck_assert_uint_eq(get_dword(sock, WS_SOL_SOCKET, name), 8192);
    sock_free(sock);
}
END_TEST

START_TEST(test_buffers_short)
{
    int name = buffer_options[_i];
    struct ws2_socket *sock = new_sock(WS_SOCK_STREAM);
    struct sockopt_result res;

    ck_assert_int_eq(set_int(sock, WS_SOL_SOCKET, name, 4096, 4), 0);
    ck_assert_int_eq(set_int(sock, WS_SOL_SOCKET, name, 1, 1), WSAEFAULT);
    ck_assert_int_eq(set_int(sock, WS_SOL_SOCKET, name, 1, 2), WSAEFAULT);
    ck_assert_int_eq(set_int(sock, WS_SOL_SOCKET, name, 1, 0), WSAEFAULT);
    ck_assert_uint_eq(get_dword(sock, WS_SOL_SOCKET, name), 4096);
    get_raw(sock, WS_SOL_SOCKET, name, 1, 0, &res);
    check_zero_filled(&res, 1);
    get_raw(sock, WS_SOL_SOCKET, name, 2, 0, &res);
    check_zero_filled(&res, 2);
    sock_free(sock);
}
END_TEST

/* ------------------------------------------------------------ TCP_NODELAY */

static int kernel_nodelay(struct ws2_socket *sock)
{
    int value = -1;
    socklen_t len = sizeof(value);

    ck_assert_int_eq(getsockopt(sock->fd, IPPROTO_TCP, TCP_NODELAY, &value, &len), 0);
    return value;
}

static void check_nodelay(struct ws2_socket *sock, int32_t optlen, uint8_t expect)
{
    struct sockopt_result res;

    get_raw(sock, WS_IPPROTO_TCP, WS_TCP_NODELAY, optlen, 0, &res);
    ck_assert_msg(res.status == 0, "optlen %d: status %d", optlen, res.status);
    /* One byte out, *optlen 1, whatever the buffer. */
    ck_assert_uint_eq(res.datalen, 1);
    ck_assert_int_eq(res.set_optlen, 1);
    ck_assert_int_eq(res.optlen, 1);
    ck_assert_uint_eq(res.data[0], expect);
}

START_TEST(test_nodelay_round_trip)
{
    struct ws2_socket *sock = new_sock(WS_SOCK_STREAM);
    uint8_t big[42];

    check_nodelay(sock, 4, 0);
    ck_assert_int_eq(set_int(sock, WS_IPPROTO_TCP, WS_TCP_NODELAY, 1, 1), 0);
    check_nodelay(sock, 1, 1);
    check_nodelay(sock, 2, 1);
    check_nodelay(sock, 4, 1);
    check_nodelay(sock, 8, 1);
    ck_assert_int_ne(kernel_nodelay(sock), 0);
    /* Only the first byte is read: 0x100 is off. */
    ck_assert_int_eq(set_int(sock, WS_IPPROTO_TCP, WS_TCP_NODELAY, 0x100, 4), 0);
    check_nodelay(sock, 4, 0);
    ck_assert_int_eq(kernel_nodelay(sock), 0);
    /* Any nonzero byte is on, read back as 1. */
    ck_assert_int_eq(set_int(sock, WS_IPPROTO_TCP, WS_TCP_NODELAY, 0x80, 2), 0);
    check_nodelay(sock, 4, 1);
    ck_assert_int_eq(set_int(sock, WS_IPPROTO_TCP, WS_TCP_NODELAY, 0, 4), 0);
    check_nodelay(sock, 4, 0);
    memset(big, 0, sizeof(big));
    big[0] = 1;
    ck_assert_int_eq(set_opt(sock, WS_IPPROTO_TCP, WS_TCP_NODELAY, big, sizeof(big)), 0);
    check_nodelay(sock, 4, 1);
    sock_free(sock);
}
END_TEST

START_TEST(test_nodelay_lengths)
{
    struct ws2_socket *sock = new_sock(WS_SOCK_STREAM);
    struct sockopt_result res;

    ck_assert_int_eq(set_int(sock, WS_IPPROTO_TCP, WS_TCP_NODELAY, 1, -1), WSAENOBUFS);
    ck_assert_int_eq(set_int(sock, WS_IPPROTO_TCP, WS_TCP_NODELAY, 1, INT32_MIN), WSAENOBUFS);
    ck_assert_int_eq(set_int(sock, WS_IPPROTO_TCP, WS_TCP_NODELAY, 1, 0), WSAEFAULT);
    check_nodelay(sock, 4, 0);
    get_raw(sock, WS_IPPROTO_TCP, WS_TCP_NODELAY, 0, 0, &res);
    ck_assert_int_eq(res.status, WSAEFAULT);
    ck_assert_uint_eq(res.datalen, 0);
    get_raw(sock, WS_IPPROTO_TCP, WS_TCP_NODELAY, -1, 0, &res);
    ck_assert_int_eq(res.status, WSAEFAULT);
    ck_assert_uint_eq(res.datalen, 0);
    ck_assert_int_eq(set_opt(sock, WS_IPPROTO_TCP, WS_TCP_NODELAY, NULL, 1), WSAEFAULT);
    sock_free(sock);
}
END_TEST

START_TEST(test_nodelay_dgram)
{
    struct ws2_socket *sock = new_sock(WS_SOCK_DGRAM);
    struct sockopt_result res;

    get_raw(sock, WS_IPPROTO_TCP, WS_TCP_NODELAY, 4, 0, &res);
    ck_assert_int_eq(res.status, WSAENOPROTOOPT);
    ck_assert_uint_eq(res.datalen, 0);
    ck_assert_int_eq(set_int(sock, WS_IPPROTO_TCP, WS_TCP_NODELAY, 1, 1), WSAENOPROTOOPT);
    sock_free(sock);
}
END_TEST

/* ------------------------------------------------------------ levels, faults */

START_TEST(test_unknown_level)
{
    static const int levels[] = { 0x8000, -1, 0x1234, 0xfffe, 0x10000 | WS_SOL_SOCKET };
    struct ws2_socket *sock = new_sock(WS_SOCK_STREAM);
    struct sockopt_result res;
    unsigned int i;

    for (i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
    {
        get_raw(sock, levels[i], WS_SO_LINGER, 4, 0, &res);
        ck_assert_msg(res.status == WSAEINVAL, "get level %#x: %d", levels[i], res.status);
        ck_assert_uint_eq(res.datalen, 0);
        ck_assert_int_eq(res.set_optlen, 0);
        ck_assert_msg(set_int(sock, levels[i], WS_SO_RCVTIMEO, 1000, 4) == WSAEINVAL,
                      "set level %#x", levels[i]);
    }
    sock_free(sock);
}
END_TEST

START_TEST(test_unknown_option)
{
    static const struct
    {
        int level, name;
    } unknown[] = {
        { WS_SOL_SOCKET, 0x7777 },
        { WS_SOL_SOCKET, 0 },
        { WS_SOL_SOCKET, -1 },
        { WS_IPPROTO_TCP, 0x7777 },
        { WS_IPPROTO_IP, 0x7777 },
        { WS_IPPROTO_IPV6, 0x7777 },
        { WS_IPPROTO_UDP, 0x7777 },
    };
    struct ws2_socket *sock = new_sock(WS_SOCK_STREAM);
    struct sockopt_result res;
    unsigned int i;

    for (i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
    {
        get_raw(sock, unknown[i].level, unknown[i].name, 4, 0, &res);
        ck_assert_msg(res.status == WSAENOPROTOOPT, "get %#x/%#x: %d",
                      unknown[i].level, unknown[i].name, res.status);
        ck_assert_uint_eq(res.datalen, 0);
        ck_assert_msg(set_int(sock, unknown[i].level, unknown[i].name, 1, 4) == WSAENOPROTOOPT,
                      "set %#x/%#x", unknown[i].level, unknown[i].name);
    }
    sock_free(sock);
}
END_TEST

START_TEST(test_set_optval_fault)
{
    struct ws2_socket *sock = new_sock(WS_SOCK_STREAM);
    uint32_t one = 1;

    /* optval unreadable: no data came, and data is needed. */
    ck_assert_int_eq(set_raw(sock, WS_SOL_SOCKET, WS_SO_LINGER, 4, WS2_OPTVAL_FAULT, NULL, 0), WSAEFAULT);
    ck_assert_int_eq(set_raw(sock, WS_SOL_SOCKET, WS_SO_REUSEADDR, 4, WS2_OPTVAL_FAULT, NULL, 0), WSAEFAULT);
    ck_assert_int_eq(set_raw(sock, WS_SOL_SOCKET, WS_SO_DONTLINGER, 1, WS2_OPTVAL_FAULT, NULL, 0), WSAEFAULT);
    ck_assert_int_eq(set_raw(sock, WS_SOL_SOCKET, WS_SO_RCVBUF, -1, WS2_OPTVAL_FAULT, NULL, 0), WSAEFAULT);
    ck_assert_int_eq(set_raw(sock, WS_SOL_SOCKET, WS_SO_ERROR, 4, WS2_OPTVAL_FAULT, NULL, 0), WSAEFAULT);
    ck_assert_int_eq(set_raw(sock, WS_IPPROTO_TCP, WS_TCP_NODELAY, 1, WS2_OPTVAL_FAULT, NULL, 0), WSAEFAULT);
    /* The flag wins over bytes that came anyway. */
    ck_assert_int_eq(set_raw(sock, WS_SOL_SOCKET, WS_SO_REUSEADDR, 4, WS2_OPTVAL_FAULT, &one, 4), WSAEFAULT);
    ck_assert_uint_eq(get_dword(sock, WS_SOL_SOCKET, WS_SO_REUSEADDR), 0);
    /* Fewer bytes than the option reads: the same. */
    ck_assert_int_eq(set_raw(sock, WS_SOL_SOCKET, WS_SO_LINGER, 4, 0, &one, 2), WSAEFAULT);
    ck_assert_int_eq(set_raw(sock, WS_SOL_SOCKET, WS_SO_REUSEADDR, 4, 0, &one, 0), WSAEFAULT);
    ck_assert_uint_eq(get_dword(sock, WS_SOL_SOCKET, WS_SO_REUSEADDR), 0);
    /* No data needed, none read: SOL_SOCKET bools take optlen 0. */
    ck_assert_int_eq(set_raw(sock, WS_SOL_SOCKET, WS_SO_REUSEADDR, 0, WS2_OPTVAL_FAULT, NULL, 0), 0);
    sock_free(sock);
}
END_TEST

/*
 * getsockopt into an optval the DLL found unwritable (WS2_OPTVAL_FAULT,
 * "could not be read (or written)" in ws2proto.h) must fail with WSAEFAULT
 * and must not consume the read-and-reset SO_ERROR: the program never
 * received it.
 */
START_TEST(test_get_optval_fault)
{
    struct ws2_socket *sock = new_sock(WS_SOCK_STREAM);
    struct sockopt_result res;

    ck_assert_int_eq(set_int(sock, WS_SOL_SOCKET, WS_SO_ERROR, 1234, 4), 0);
    get_raw(sock, WS_SOL_SOCKET, WS_SO_ERROR, 4, WS2_OPTVAL_FAULT, &res);
    ck_assert_msg(res.status == WSAEFAULT,
                  "SERVER BUG (sockopt.c sockopt_get ignores WS2_OPTVAL_FAULT): status %d, expected WSAEFAULT",
                  res.status);
    ck_assert_msg(get_dword(sock, WS_SOL_SOCKET, WS_SO_ERROR) == 1234,
                  "SERVER BUG: a failed getsockopt(SO_ERROR) reset the error");
    sock_free(sock);
}
END_TEST

START_TEST(test_get_optval_fault_linger)
{
    struct ws2_socket *sock = new_sock(WS_SOCK_STREAM);
    struct sockopt_result res;

    get_raw(sock, WS_SOL_SOCKET, WS_SO_LINGER, 4, WS2_OPTVAL_FAULT, &res);
    ck_assert_msg(res.status == WSAEFAULT,
                  "SERVER BUG (sockopt.c sockopt_get ignores WS2_OPTVAL_FAULT): status %d, expected WSAEFAULT",
                  res.status);
    sock_free(sock);
}
END_TEST

/*
 * SO_BSP_STATE lays its CSADDR_INFO out for the caller's pointer size: a
 * 32-bit process (WS2_OPTVAL_PTR32) gets {pointer, int} pairs and 24 bytes
 * before the addresses, a 64-bit one padded pairs and 40.  The local address
 * follows the structure, and its pointer says where in the caller's buffer.
 */
START_TEST(test_bsp_state_layout)
{
    static const struct
    {
        uint32_t flags, ptr_size, slot, head;
    } arch[] = { { 0, 8, 16, 40 }, { WS2_OPTVAL_PTR32, 4, 8, 24 } };
    struct ws2_socket *sock = new_sock(WS_SOCK_STREAM);
    struct sockaddr_in local = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    struct ws2_sockopt_request req;
    struct sockopt_result res;
    uint64_t ptr = 0, base = 0x12340000;
    int32_t len, type, proto;

    ck_assert_int_eq(bind(sock->fd, (struct sockaddr *)&local, sizeof(local)), 0);
    sock->state |= SOCK_BOUND;
    req_init(&req, WS2_OP_GETSOCKOPT, WS_SOL_SOCKET, WS_SO_BSP_STATE, 100, arch[_i].flags, NULL, 0);
    req.optval_addr = base;
    memset(&res, JUNK, sizeof(res));
    sockopt_get(sock, &req, &res);
    ck_assert_int_eq(res.status, 0);
    ck_assert_uint_eq(res.datalen, arch[_i].head + 16);
    memcpy(&ptr, res.data, arch[_i].ptr_size);
    memcpy(&len, res.data + arch[_i].ptr_size, sizeof(len));
    ck_assert_uint_eq(ptr, base + arch[_i].head);
    ck_assert_int_eq(len, 16);
    /* No peer: the remote address is NULL, 0. */
    ptr = 1;
    memcpy(&ptr, res.data + arch[_i].slot, arch[_i].ptr_size);
    memcpy(&len, res.data + arch[_i].slot + arch[_i].ptr_size, sizeof(len));
    ck_assert_uint_eq(ptr, 0);
    ck_assert_int_eq(len, 0);
    memcpy(&type, res.data + 2 * arch[_i].slot, sizeof(type));
    memcpy(&proto, res.data + 2 * arch[_i].slot + 4, sizeof(proto));
    ck_assert_int_eq(type, WS_SOCK_STREAM);
    ck_assert_int_eq(proto, sock->protocol);
    /* AF_INET at the head of the address, in Windows' layout. */
    ck_assert_uint_eq(res.data[arch[_i].head], WS_AF_INET);
    sock_free(sock);
}
END_TEST

Suite *sockopt_suite(void)
{
    Suite *s = suite_create("sockopt");
    TCase *tc;

    tc = tcase_create("sockets");
    tcase_add_test(tc, test_sock_create);
    tcase_add_test(tc, test_sock_create_raw);
    suite_add_tcase(s, tc);

    tc = tcase_create("SO_LINGER");
    tcase_add_test(tc, test_linger_default);
    tcase_add_test(tc, test_linger_round_trip);
    tcase_add_test(tc, test_linger_onoff_verbatim);
    tcase_add_test(tc, test_linger_set_short);
    tcase_add_test(tc, test_linger_set_negative_and_long);
    tcase_add_test(tc, test_linger_get_short);
    tcase_add_test(tc, test_linger_get_sizes);
    tcase_add_test(tc, test_linger_get_zero_or_negative);
    tcase_add_test(tc, test_linger_null);
    tcase_add_test(tc, test_linger_dgram);
    suite_add_tcase(s, tc);

    tc = tcase_create("SO_DONTLINGER");
    tcase_add_test(tc, test_dontlinger_default);
    tcase_add_test(tc, test_dontlinger_set_sizes);
    tcase_add_test(tc, test_dontlinger_get_sizes);
    tcase_add_test(tc, test_dontlinger_keeps_timeout);
    tcase_add_test(tc, test_dontlinger_optlen_zero);
    tcase_add_test(tc, test_dontlinger_null);
    tcase_add_test(tc, test_dontlinger_dgram);
    suite_add_tcase(s, tc);

    tc = tcase_create("SOL_SOCKET");
    tcase_add_test(tc, test_so_type);
    tcase_add_test(tc, test_so_error);
    tcase_add_test(tc, test_so_error_dgram);
    tcase_add_loop_test(tc, test_so_reuseaddr, 0, 2);
    tcase_add_loop_test(tc, test_buffers_round_trip, 0, 4);
    tcase_add_loop_test(tc, test_buffers_short, 0, 2);
    suite_add_tcase(s, tc);

    tc = tcase_create("TCP_NODELAY");
    tcase_add_test(tc, test_nodelay_round_trip);
    tcase_add_test(tc, test_nodelay_lengths);
    tcase_add_test(tc, test_nodelay_dgram);
    suite_add_tcase(s, tc);

    tc = tcase_create("dispatch");
    tcase_add_test(tc, test_unknown_level);
    tcase_add_test(tc, test_unknown_option);
    tcase_add_test(tc, test_set_optval_fault);
    tcase_add_test(tc, test_get_optval_fault);
    tcase_add_test(tc, test_get_optval_fault_linger);
    tcase_add_loop_test(tc, test_bsp_state_layout, 0, 2);
    suite_add_tcase(s, tc);
    return s;
}
