/*
 * Request validation (server/protocol.c) and the conversion of addresses
 * between the wire's Windows layout and Linux's (server/addr.c).
 *
 * protocol_check_request() is what stands between a client's bytes and the
 * handlers: everything malformed must come back -1.
 */
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/un.h>
#include "ws.h"
#include "ws2proto.h"
#include "addr.h"
#include "reply.h"
#include "protocol.h"
#include "trace.h"
#include "ws2addr.h"
#include "check_suites.h"

/* Room for more than the largest message, suitably aligned. */
static union
{
    uint64_t align;
    uint8_t bytes[WS2_MAX_MESSAGE * 4];
} buf;

static struct ws2_req_header *msg_init(uint32_t op, size_t len)
{
    struct ws2_req_header *hdr = (struct ws2_req_header *)buf.bytes;

    memset(buf.bytes, 0, sizeof(buf.bytes));
    hdr->op = op;
    hdr->size = len;
    hdr->handle = 1;
    hdr->flags = 0;
    return hdr;
}

static struct ws2_sockopt_request *sockopt_init(uint32_t op, uint32_t datalen, size_t len)
{
    struct ws2_sockopt_request *req = (struct ws2_sockopt_request *)msg_init(op, len);

    req->level = WS_SOL_SOCKET;
    req->name = WS_SO_LINGER;
    req->optlen = datalen;
    req->datalen = datalen;
    return req;
}

#define SOCKOPT_FIXED offsetof(struct ws2_sockopt_request, data)

/* Every op of the request list and the one size its request has (ops with a
 * tail: without it). */
static const struct
{
    uint32_t op;
    size_t size;
    const char *name;
    int flags;
}
/* clang-format off */
ops[] =
{
#define X(OP, name, request, reply, flags, shape, check, dump) \
    { WS2_OP_##OP, WS2_REQ_FIXED_SIZE(shape, request), #name, WS2_REQ_FLAGS(flags) },
    WS2_REQUESTS(X)
#undef X
};
/* clang-format on */
#define NOPS (sizeof(ops) / sizeof(ops[0]))

/* ------------------------------------------------------------ layout */

/* Both ends compile these structs: no padding may depend on the compiler. */
START_TEST(test_wire_layout)
{
    ck_assert_uint_eq(sizeof(struct ws2_req_header), 16);
    ck_assert_uint_eq(sizeof(struct ws2_reply_header), 24);
    ck_assert_uint_eq(sizeof(struct ws2_hello_request), 24);
    ck_assert_uint_eq(sizeof(struct ws2_socket_request), 36);
    ck_assert_uint_eq(sizeof(struct ws2_addr_request), 20 + WS2_MAX_ADDR);
    ck_assert_uint_eq(sizeof(struct ws2_int_request), 20);
    ck_assert_uint_eq(sizeof(struct ws2_ioctl_request), 24);
    ck_assert_uint_eq(SOCKOPT_FIXED, 44);
    /* optval_addr makes the struct 8-aligned: tail padding only. */
    ck_assert_uint_eq(sizeof(struct ws2_sockopt_request), (44 + WS2_MAX_OPTVAL + 7) / 8 * 8);
    ck_assert_uint_eq(offsetof(struct ws2_sockopt_reply, data), sizeof(struct ws2_reply_header) + 12);
    ck_assert_uint_le(sizeof(struct ws2_sockopt_request), WS2_MAX_MESSAGE);
    ck_assert_uint_le(sizeof(struct ws2_sockopt_reply), WS2_MAX_MESSAGE);
    ck_assert_uint_le(sizeof(struct ws2_socket_reply), WS2_MAX_MESSAGE);
    ck_assert_uint_ge(WS2_MAX_ADDR, sizeof(struct sockaddr_in6));
    /* Every op of the enum is in the list, numbered from HELLO = 1 in its order. */
    ck_assert_uint_eq(NOPS, WS2_OP_COUNT - 1);
    ck_assert_uint_eq(WS2_OP_HELLO, 1);
}
END_TEST

START_TEST(test_op_numbers)
{
    ck_assert_uint_eq(ops[_i].op, _i + 1);
    ck_assert_str_eq(request_name(ops[_i].op), ops[_i].name);
}
END_TEST

/* The numbers are the wire's: a few fixed points that must never move. */
START_TEST(test_op_numbers_stable)
{
    ck_assert_uint_eq(WS2_OP_HELLO, 1);
    ck_assert_uint_eq(WS2_OP_CLOSE, 3);
    ck_assert_uint_eq(WS2_OP_GETSOCKOPT, 12);
    ck_assert_uint_eq(WS2_OP_CLEANUP, 15);
    ck_assert_uint_eq(WS2_OP_SUBSCRIBE, 20);
    ck_assert_uint_eq(WS2_OP_INTERFACES, 26);
    ck_assert_ptr_null(request_name(0));
    ck_assert_ptr_null(request_name(WS2_OP_COUNT));
}
END_TEST

START_TEST(test_fixed_size)
{
    ck_assert_uint_eq(protocol_fixed_size(ops[_i].op), ops[_i].size);
}
END_TEST

START_TEST(test_fixed_size_unknown)
{
    ck_assert_uint_eq(protocol_fixed_size(0), 0);
    ck_assert_uint_eq(protocol_fixed_size(WS2_OP_COUNT), 0);
    ck_assert_uint_eq(protocol_fixed_size(UINT32_MAX), 0);
}
END_TEST

/* ------------------------------------------------------------ sizes */

START_TEST(test_exact_size_accepted)
{
    msg_init(ops[_i].op, ops[_i].size);
    ck_assert_msg(protocol_check_request(buf.bytes, ops[_i].size) == 0,
                  "op %u at its size %zu rejected", ops[_i].op, ops[_i].size);
}
END_TEST

START_TEST(test_one_byte_short_rejected)
{
    size_t len = ops[_i].size - 1;

    msg_init(ops[_i].op, len);
    ck_assert_msg(protocol_check_request(buf.bytes, len) == -1,
                  "op %u at %zu bytes accepted", ops[_i].op, len);
}
END_TEST

START_TEST(test_one_byte_long_rejected)
{
    size_t len = ops[_i].size + 1;

    msg_init(ops[_i].op, len);
    ck_assert_msg(protocol_check_request(buf.bytes, len) == -1,
                  "op %u at %zu bytes accepted", ops[_i].op, len);
}
END_TEST

/* A whole extra field is no better than one byte. */
START_TEST(test_four_bytes_long_rejected)
{
    size_t len = ops[_i].size + 4;

    msg_init(ops[_i].op, len);
    ck_assert_msg(protocol_check_request(buf.bytes, len) == -1,
                  "op %u at %zu bytes accepted", ops[_i].op, len);
}
END_TEST

START_TEST(test_too_short)
{
    size_t len;

    for (len = 0; len < sizeof(struct ws2_req_header); len++)
    {
        /* Even with a plausible header in the buffer. */
        msg_init(WS2_OP_CLOSE, len);
        ck_assert_msg(protocol_check_request(buf.bytes, len) == -1, "%zu bytes accepted", len);
        msg_init(WS2_OP_CLOSE, sizeof(struct ws2_req_header));
        ck_assert_msg(protocol_check_request(buf.bytes, len) == -1, "%zu bytes accepted", len);
    }
}
END_TEST

START_TEST(test_size_field_mismatch)
{
    static const uint32_t sizes[] = { 0, 1, 15, 17, 23, 25, WS2_MAX_MESSAGE, UINT32_MAX };
    struct ws2_req_header *hdr;
    unsigned int i;

    for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
    {
        hdr = msg_init(WS2_OP_CLOSE, sizes[i]);
        ck_assert_msg(protocol_check_request(buf.bytes, 16) == -1, "CLOSE size %u accepted", sizes[i]);
        hdr = msg_init(WS2_OP_HELLO, sizes[i]);
        ck_assert_msg(protocol_check_request(buf.bytes, 24) == -1, "HELLO size %u accepted", sizes[i]);
    }
    /* The size field alone does not decide: it must match the length received. */
    hdr = msg_init(WS2_OP_HELLO, 24);
    ck_assert_int_eq(protocol_check_request(buf.bytes, 24), 0);
    hdr->size = 16;
    ck_assert_int_eq(protocol_check_request(buf.bytes, 24), -1);
    ck_assert_int_eq(protocol_check_request(buf.bytes, 16), -1);
}
END_TEST

START_TEST(test_unknown_op)
{
    static const uint32_t bad_ops[] = { 0, WS2_OP_COUNT, WS2_OP_COUNT + 1, 0x100, 0x10001, 0x80000001, UINT32_MAX };
    static const size_t lens[] = { 16, 20, 24, 32, 36, 48 };
    unsigned int i, j;

    for (i = 0; i < sizeof(bad_ops) / sizeof(bad_ops[0]); i++)
        for (j = 0; j < sizeof(lens) / sizeof(lens[0]); j++)
        {
            msg_init(bad_ops[i], lens[j]);
            ck_assert_msg(protocol_check_request(buf.bytes, lens[j]) == -1,
                          "op %#x at %zu bytes accepted", bad_ops[i], lens[j]);
        }
}
END_TEST

START_TEST(test_reserved_nonzero)
{
    static const uint32_t values[] = { 2, 0x100, 0x80000000, UINT32_MAX };
    struct ws2_req_header *hdr;
    unsigned int i;

    for (i = 0; i < sizeof(values) / sizeof(values[0]); i++)
    {
        hdr = msg_init(ops[_i].op, ops[_i].size);
        hdr->flags = values[i];
        ck_assert_msg(protocol_check_request(buf.bytes, ops[_i].size) == -1,
                      "op %u with flags %#x accepted", ops[_i].op, values[i]);
    }
}
END_TEST

/* The handle is the dispatcher's business, not the validator's. */
START_TEST(test_any_handle_passes)
{
    struct ws2_req_header *hdr = msg_init(WS2_OP_CLOSE, 16);

    hdr->handle = 0;
    ck_assert_int_eq(protocol_check_request(buf.bytes, 16), 0);
    hdr->handle = UINT32_MAX;
    ck_assert_int_eq(protocol_check_request(buf.bytes, 16), 0);
}
END_TEST

START_TEST(test_oversize)
{
    static const size_t lens[] = { WS2_MAX_MESSAGE + 1, WS2_MAX_MESSAGE + 4, 2 * WS2_MAX_MESSAGE, sizeof(buf.bytes) };
    struct ws2_sockopt_request *req;
    unsigned int i;

    for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++)
    {
        msg_init(WS2_OP_CLOSE, lens[i]);
        ck_assert_msg(protocol_check_request(buf.bytes, lens[i]) == -1, "CLOSE of %zu accepted", lens[i]);
        /* A setsockopt whose datalen agrees with the length is still too big. */
        sockopt_init(WS2_OP_SETSOCKOPT, lens[i] - SOCKOPT_FIXED, lens[i]);
        ck_assert_msg(protocol_check_request(buf.bytes, lens[i]) == -1, "SETSOCKOPT of %zu accepted", lens[i]);
    }
    /* Exactly WS2_MAX_MESSAGE but a datalen past WS2_MAX_OPTVAL. */
    req = sockopt_init(WS2_OP_SETSOCKOPT, WS2_MAX_MESSAGE - SOCKOPT_FIXED, WS2_MAX_MESSAGE);
    ck_assert_uint_gt(req->datalen, WS2_MAX_OPTVAL);
    ck_assert_int_eq(protocol_check_request(buf.bytes, WS2_MAX_MESSAGE), -1);
}
END_TEST

/* ------------------------------------------------------------ sockopt */

START_TEST(test_setsockopt_datalen_consistent)
{
    static const uint32_t datalens[] = { 0, 1, 2, 4, 8, 16, WS2_MAX_OPTVAL - 1, WS2_MAX_OPTVAL };
    unsigned int i;

    for (i = 0; i < sizeof(datalens) / sizeof(datalens[0]); i++)
    {
        size_t len = SOCKOPT_FIXED + datalens[i];

        sockopt_init(WS2_OP_SETSOCKOPT, datalens[i], len);
        ck_assert_msg(protocol_check_request(buf.bytes, len) == 0, "datalen %u rejected", datalens[i]);
    }
}
END_TEST

START_TEST(test_setsockopt_datalen_inconsistent)
{
    /* datalen, and the bytes that really follow the fixed part. */
    static const struct
    {
        uint32_t datalen;
        uint32_t payload;
    } cases[] = {
        { 0, 1 },
        { 0, 4 },
        { 1, 0 },
        { 1, 2 },
        { 4, 3 },
        { 4, 5 },
        { 4, 0 },
        { 4, 8 },
        { WS2_MAX_OPTVAL, WS2_MAX_OPTVAL - 1 },
        { WS2_MAX_OPTVAL, 0 },
        { WS2_MAX_OPTVAL - 1, WS2_MAX_OPTVAL },
        { UINT32_MAX, 0 },
        { UINT32_MAX, 4 },
        { 0x80000000, 0 },
        { UINT32_MAX - SOCKOPT_FIXED + 1, 0 },
    };
    unsigned int i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
    {
        size_t len = SOCKOPT_FIXED + cases[i].payload;
        struct ws2_sockopt_request *req = sockopt_init(WS2_OP_SETSOCKOPT, 0, len);

        req->datalen = cases[i].datalen;
        req->optlen = cases[i].payload;
        ck_assert_msg(protocol_check_request(buf.bytes, len) == -1,
                      "datalen %u with %u bytes of data accepted", cases[i].datalen, cases[i].payload);
    }
}
END_TEST

START_TEST(test_setsockopt_over_max_optval)
{
    static const uint32_t datalens[] = { WS2_MAX_OPTVAL + 1, WS2_MAX_OPTVAL + 4, WS2_MAX_MESSAGE - SOCKOPT_FIXED };
    unsigned int i;

    for (i = 0; i < sizeof(datalens) / sizeof(datalens[0]); i++)
    {
        size_t len = SOCKOPT_FIXED + datalens[i];

        sockopt_init(WS2_OP_SETSOCKOPT, datalens[i], len);
        ck_assert_msg(protocol_check_request(buf.bytes, len) == -1, "datalen %u accepted", datalens[i]);
    }
}
END_TEST

START_TEST(test_getsockopt_with_data)
{
    struct ws2_sockopt_request *req;

    /* No datalen, no bytes: fine, whatever optlen says. */
    req = sockopt_init(WS2_OP_GETSOCKOPT, 0, SOCKOPT_FIXED);
    req->optlen = 4;
    ck_assert_int_eq(protocol_check_request(buf.bytes, SOCKOPT_FIXED), 0);
    /* Data that agrees with datalen is still data. */
    sockopt_init(WS2_OP_GETSOCKOPT, 4, SOCKOPT_FIXED + 4);
    ck_assert_int_eq(protocol_check_request(buf.bytes, SOCKOPT_FIXED + 4), -1);
    sockopt_init(WS2_OP_GETSOCKOPT, 1, SOCKOPT_FIXED + 1);
    ck_assert_int_eq(protocol_check_request(buf.bytes, SOCKOPT_FIXED + 1), -1);
    sockopt_init(WS2_OP_GETSOCKOPT, WS2_MAX_OPTVAL, SOCKOPT_FIXED + WS2_MAX_OPTVAL);
    ck_assert_int_eq(protocol_check_request(buf.bytes, SOCKOPT_FIXED + WS2_MAX_OPTVAL), -1);
    /* Bytes without a datalen, or a datalen without bytes. */
    sockopt_init(WS2_OP_GETSOCKOPT, 0, SOCKOPT_FIXED + 4);
    ck_assert_int_eq(protocol_check_request(buf.bytes, SOCKOPT_FIXED + 4), -1);
    req = sockopt_init(WS2_OP_GETSOCKOPT, 0, SOCKOPT_FIXED);
    req->datalen = 4;
    ck_assert_int_eq(protocol_check_request(buf.bytes, SOCKOPT_FIXED), -1);
}
END_TEST

/* ------------------------------------------------------------ bind/connect */

/*
 * Only an addrlen past the buffer is malformed.  Short ones (0, 2) are a
 * program's mistake, answered with WSAEFAULT by the handler; the validator
 * must let them through, since a rejected message costs the connection.
 */
START_TEST(test_addr_request_addrlen)
{
    static const uint32_t good[] = { 0, 2, 16, 24, WS2_MAX_ADDR };
    static const uint32_t bad[] = { WS2_MAX_ADDR + 1, 32, 128, 0x10000, 0x80000000, UINT32_MAX };
    static const uint32_t addr_ops[] = { WS2_OP_BIND, WS2_OP_CONNECT };
    struct ws2_addr_request *req;
    unsigned int i, j;

    for (j = 0; j < 2; j++)
    {
        for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
        {
            req = (struct ws2_addr_request *)msg_init(addr_ops[j], sizeof(*req));
            req->addrlen = good[i];
            ck_assert_msg(protocol_check_request(buf.bytes, sizeof(*req)) == 0,
                          "op %u addrlen %u rejected", addr_ops[j], good[i]);
        }
        for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        {
            req = (struct ws2_addr_request *)msg_init(addr_ops[j], sizeof(*req));
            req->addrlen = bad[i];
            ck_assert_msg(protocol_check_request(buf.bytes, sizeof(*req)) == -1,
                          "op %u addrlen %u accepted", addr_ops[j], bad[i]);
        }
    }
}
END_TEST

/* The other requests with an address: getnameinfo (a sockaddr) and
 * gethostbyaddr (a bare 4- or 16-byte address). */
START_TEST(test_lookup_addrlen)
{
    struct ws2_getnameinfo_request *ni;
    struct ws2_gethostbyaddr_request *ha;

    ni = (struct ws2_getnameinfo_request *)msg_init(WS2_OP_GETNAMEINFO, sizeof(*ni));
    ni->addrlen = WS2_MAX_ADDR;
    ck_assert_int_eq(protocol_check_request(buf.bytes, sizeof(*ni)), 0);
    ni->addrlen = WS2_MAX_ADDR + 1;
    ck_assert_int_eq(protocol_check_request(buf.bytes, sizeof(*ni)), -1);
    ha = (struct ws2_gethostbyaddr_request *)msg_init(WS2_OP_GETHOSTBYADDR, sizeof(*ha));
    ha->addrlen = sizeof(ha->addr);
    ck_assert_int_eq(protocol_check_request(buf.bytes, sizeof(*ha)), 0);
    ha->addrlen = sizeof(ha->addr) + 1;
    ck_assert_int_eq(protocol_check_request(buf.bytes, sizeof(*ha)), -1);
}
END_TEST

/* ------------------------------------------------------------ addresses */

static void wire_in(uint8_t *wire, uint16_t family, uint16_t port, const char *ip)
{
    memset(wire, 0, WS2_MAX_ADDR);
    memcpy(wire, &family, 2); /* little-endian, as on Windows */
    wire[2] = port >> 8;      /* sin_port: network order */
    wire[3] = port & 0xff;
    ck_assert_int_eq(inet_pton(AF_INET, ip, wire + 4), 1);
}

static void wire_in6(uint8_t *wire, uint16_t family, uint16_t port, uint32_t flowinfo,
                     const char *ip, uint32_t scope)
{
    memset(wire, 0, WS2_MAX_ADDR);
    memcpy(wire, &family, 2);
    wire[2] = port >> 8;
    wire[3] = port & 0xff;
    memcpy(wire + 4, &flowinfo, 4);
    ck_assert_int_eq(inet_pton(AF_INET6, ip, wire + 8), 1);
    memcpy(wire + 24, &scope, 4);
}

START_TEST(test_family_to_linux)
{
    ck_assert_int_eq(WS_AF_INET, 2);
    ck_assert_int_eq(WS_AF_INET6, 23);
    ck_assert_int_eq(family_to_linux(WS_AF_INET), AF_INET);
    ck_assert_int_eq(family_to_linux(WS_AF_INET6), AF_INET6);
    ck_assert_int_eq(family_to_linux(WS_AF_INET6), 10);
    /* Linux's AF_INET6 number means something else on Windows. */
    ck_assert_int_eq(family_to_linux(10), -1);
    ck_assert_int_eq(family_to_linux(WS_AF_UNSPEC), -1);
    ck_assert_int_eq(family_to_linux(WS_AF_UNIX), -1);
    ck_assert_int_eq(family_to_linux(-1), -1);
}
END_TEST

START_TEST(test_to_linux_inet)
{
    uint8_t wire[WS2_MAX_ADDR];
    struct sockaddr_storage out;
    struct sockaddr_in *sin = (struct sockaddr_in *)&out;
    socklen_t outlen = 0;

    wire_in(wire, WS_AF_INET, 4321, "127.0.0.2");
    memset(&out, 0xaa, sizeof(out));
    ck_assert_int_eq(addr_to_linux(wire, 16, WS_AF_INET, &out, &outlen), 0);
    ck_assert_int_eq(outlen, sizeof(struct sockaddr_in));
    ck_assert_int_eq(sin->sin_family, AF_INET);
    ck_assert_int_eq(ntohs(sin->sin_port), 4321);
    ck_assert_uint_eq(ntohl(sin->sin_addr.s_addr), 0x7f000002);
    /* A longer buffer is fine; only the sockaddr_in is used. */
    outlen = 0;
    ck_assert_int_eq(addr_to_linux(wire, WS2_MAX_ADDR, WS_AF_INET, &out, &outlen), 0);
    ck_assert_int_eq(outlen, sizeof(struct sockaddr_in));
    ck_assert_int_eq(ntohs(sin->sin_port), 4321);
}
END_TEST

START_TEST(test_to_linux_inet6)
{
    uint8_t wire[WS2_MAX_ADDR];
    struct sockaddr_storage out;
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&out;
    struct in6_addr expect;
    socklen_t outlen = 0;

    inet_pton(AF_INET6, "2001:db8::17", &expect);
    wire_in6(wire, WS_AF_INET6, 8080, 0x12345, "2001:db8::17", 3);
    ck_assert_int_eq(addr_to_linux(wire, 28, WS_AF_INET6, &out, &outlen), 0);
    ck_assert_int_eq(outlen, sizeof(struct sockaddr_in6));
    ck_assert_int_eq(sin6->sin6_family, AF_INET6);
    ck_assert_int_eq(sin6->sin6_family, 10);
    ck_assert_int_eq(ntohs(sin6->sin6_port), 8080);
    ck_assert_uint_eq(sin6->sin6_flowinfo, 0x12345);
    ck_assert_mem_eq(&sin6->sin6_addr, &expect, 16);
    ck_assert_uint_eq(sin6->sin6_scope_id, 3);
    /* The old 24-byte form, without sin6_scope_id, is too short (include/ws2addr.h). */
    ck_assert_int_eq(addr_to_linux(wire, 24, WS_AF_INET6, &out, &outlen), WSAEFAULT);
}
END_TEST

START_TEST(test_to_linux_short)
{
    uint8_t wire[WS2_MAX_ADDR];
    struct sockaddr_storage out;
    socklen_t outlen;
    uint32_t len;

    wire_in(wire, WS_AF_INET, 80, "10.0.0.1");
    for (len = 0; len < 16; len++)
        ck_assert_msg(addr_to_linux(wire, len, WS_AF_INET, &out, &outlen) == WSAEFAULT,
                      "AF_INET in %u bytes not WSAEFAULT", len);
    wire_in6(wire, WS_AF_INET6, 80, 0, "::1", 0);
    for (len = 0; len < 28; len++)
        ck_assert_msg(addr_to_linux(wire, len, WS_AF_INET6, &out, &outlen) == WSAEFAULT,
                      "AF_INET6 in %u bytes not WSAEFAULT", len);
}
END_TEST

START_TEST(test_to_linux_wrong_family)
{
    uint8_t wire[WS2_MAX_ADDR];
    struct sockaddr_storage out;
    socklen_t outlen;

    /* An IPv4 address for an IPv6 socket (judged too short for the socket
     * first), and the reverse. */
    wire_in(wire, WS_AF_INET, 80, "10.0.0.1");
    ck_assert_int_eq(addr_to_linux(wire, 16, WS_AF_INET6, &out, &outlen), WSAEFAULT);
    ck_assert_int_eq(addr_to_linux(wire, 28, WS_AF_INET6, &out, &outlen), WSAEAFNOSUPPORT);
    wire_in6(wire, WS_AF_INET6, 80, 0, "::1", 0);
    ck_assert_int_eq(addr_to_linux(wire, 28, WS_AF_INET, &out, &outlen), WSAEAFNOSUPPORT);
    /* Linux's number for AF_INET6 is not Windows' (AF_CCITT there). */
    wire_in6(wire, AF_INET6, 80, 0, "::1", 0);
    ck_assert_int_eq(addr_to_linux(wire, 28, WS_AF_INET6, &out, &outlen), WSAEAFNOSUPPORT);
    /* Families nobody supports here. */
    wire_in(wire, WS_AF_UNSPEC, 80, "10.0.0.1");
    ck_assert_int_eq(addr_to_linux(wire, 16, WS_AF_INET, &out, &outlen), WSAEAFNOSUPPORT);
    wire_in(wire, WS_AF_UNIX, 80, "10.0.0.1");
    ck_assert_int_eq(addr_to_linux(wire, 16, WS_AF_INET, &out, &outlen), WSAEAFNOSUPPORT);
    wire_in(wire, 0xffff, 80, "10.0.0.1");
    ck_assert_int_eq(addr_to_linux(wire, 16, WS_AF_INET, &out, &outlen), WSAEAFNOSUPPORT);
}
END_TEST

/* include/ws2addr.h's table: the lengths tests/conformance/addrlen.c tries,
 * for an address given to a socket, to getnameinfo (no socket) and for the
 * room of an address going out. */
START_TEST(test_addr_length_rules)
{
    static const int32_t lengths[] = { -1, 0, 1, 2, 15, 16, 23, 24, 27, 28, 128 };
    uint8_t wire[WS2_MAX_ADDR];
    unsigned int i;

    for (i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++)
    {
        int32_t len = lengths[i];
        int want4 = len < 16 ? WSAEFAULT : 0, want6 = len < 28 ? WSAEFAULT : 0;

        wire_in(wire, WS_AF_INET, 80, "10.0.0.1");
        ck_assert_msg(ws2addr_check(wire, len, WS_AF_INET) == want4, "IPv4 len %d", len);
        ck_assert_msg(ws2addr_check(wire, len, 0) == want4, "IPv4 without a socket, len %d", len);
        ck_assert_msg(ws2addr_check_room(len, WS_AF_INET) == want4, "IPv4 room %d", len);
        /* For an IPv6 socket the length is judged first, then the family. */
        ck_assert_msg(ws2addr_check(wire, len, WS_AF_INET6) == (want6 ? want6 : WSAEAFNOSUPPORT),
                      "IPv4 on IPv6, len %d", len);
        wire_in6(wire, WS_AF_INET6, 80, 0, "::1", 0);
        ck_assert_msg(ws2addr_check(wire, len, WS_AF_INET6) == want6, "IPv6 len %d", len);
        ck_assert_msg(ws2addr_check(wire, len, 0) == want6, "IPv6 without a socket, len %d", len);
        ck_assert_msg(ws2addr_check_room(len, WS_AF_INET6) == want6, "IPv6 room %d", len);
        ck_assert_msg(ws2addr_check(wire, len, WS_AF_INET) == (want4 ? want4 : WSAEAFNOSUPPORT),
                      "IPv6 on IPv4, len %d", len);
        /* A family nobody serves, once its two bytes are there. */
        wire_in(wire, 0x1234, 80, "10.0.0.1");
        ck_assert_msg(ws2addr_check(wire, len, 0) == (len < 2 ? WSAEFAULT : WSAEAFNOSUPPORT),
                      "family 0x1234 without a socket, len %d", len);
    }
}
END_TEST

START_TEST(test_from_linux_inet)
{
    struct sockaddr_in sin;
    uint8_t wire[WS2_MAX_ADDR], expect[WS2_MAX_ADDR];
    uint32_t len = 0;

    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_port = htons(5555);
    sin.sin_addr.s_addr = htonl(0xc0a80101);
    memset(wire, 0xaa, sizeof(wire));
    ck_assert_int_eq(addr_from_linux((struct sockaddr *)&sin, sizeof(sin), wire, &len), 0);
    ck_assert_uint_eq(len, 16);
    wire_in(expect, WS_AF_INET, 5555, "192.168.1.1");
    ck_assert_mem_eq(wire, expect, 16);
}
END_TEST

START_TEST(test_from_linux_inet6)
{
    struct sockaddr_in6 sin6;
    uint8_t wire[WS2_MAX_ADDR], expect[WS2_MAX_ADDR];
    uint32_t len = 0;

    memset(&sin6, 0, sizeof(sin6));
    sin6.sin6_family = AF_INET6;
    sin6.sin6_port = htons(443);
    sin6.sin6_flowinfo = 7;
    inet_pton(AF_INET6, "fe80::1", &sin6.sin6_addr);
    sin6.sin6_scope_id = 2;
    memset(wire, 0xaa, sizeof(wire));
    ck_assert_int_eq(addr_from_linux((struct sockaddr *)&sin6, sizeof(sin6), wire, &len), 0);
    ck_assert_uint_eq(len, 28);
    /* Family 23 on the wire, little-endian. */
    ck_assert_uint_eq(wire[0], 23);
    ck_assert_uint_eq(wire[1], 0);
    wire_in6(expect, WS_AF_INET6, 443, 7, "fe80::1", 2);
    ck_assert_mem_eq(wire, expect, 28);
}
END_TEST

START_TEST(test_from_linux_errors)
{
    struct sockaddr_storage ss;
    struct sockaddr_un *sun = (struct sockaddr_un *)&ss;
    uint8_t wire[WS2_MAX_ADDR];
    uint32_t len = 0;

    memset(&ss, 0, sizeof(ss));
    sun->sun_family = AF_UNIX;
    ck_assert_int_eq(addr_from_linux((struct sockaddr *)&ss, sizeof(*sun), wire, &len), WSAEAFNOSUPPORT);
    /* Truncated addresses are refused, whatever the error. */
    ss.ss_family = AF_INET;
    ck_assert_int_ne(addr_from_linux((struct sockaddr *)&ss, sizeof(struct sockaddr_in) - 1, wire, &len), 0);
    ss.ss_family = AF_INET6;
    ck_assert_int_ne(addr_from_linux((struct sockaddr *)&ss, sizeof(struct sockaddr_in6) - 1, wire, &len), 0);
}
END_TEST

/* Windows -> Linux -> Windows gives back the same bytes. */
START_TEST(test_addr_round_trip)
{
    uint8_t wire[WS2_MAX_ADDR], back[WS2_MAX_ADDR];
    struct sockaddr_storage ss;
    socklen_t sslen;
    uint32_t len;

    wire_in(wire, WS_AF_INET, 1, "255.255.255.255");
    ck_assert_int_eq(addr_to_linux(wire, 16, WS_AF_INET, &ss, &sslen), 0);
    ck_assert_int_eq(addr_from_linux((struct sockaddr *)&ss, sslen, back, &len), 0);
    ck_assert_uint_eq(len, 16);
    ck_assert_mem_eq(wire, back, 16);
    wire_in6(wire, WS_AF_INET6, 65535, 0xfffff, "ffff::ffff", 0xffffffff);
    ck_assert_int_eq(addr_to_linux(wire, 28, WS_AF_INET6, &ss, &sslen), 0);
    ck_assert_int_eq(addr_from_linux((struct sockaddr *)&ss, sslen, back, &len), 0);
    ck_assert_uint_eq(len, 28);
    ck_assert_mem_eq(wire, back, 28);
}
END_TEST

/* ------------------------------------------------------------ -d lines */

static char line[1024];

static const char *trace_line(int status)
{
    struct reply rep;

    memset(&rep, 0, sizeof(rep));
    rep.fd = -1;
    rep.size = sizeof(rep.u.hdr);
    trace_format(line, sizeof(line), 1234, buf.bytes, status, &rep, 0);
    return line;
}

/* Every op of the list has a line: pid, name, the handle if it takes one. */
START_TEST(test_trace_every_op)
{
    char start[64];

    msg_init(ops[_i].op, ops[_i].size);
    trace_line(0);
    if (ops[_i].flags & WS2_REQ_HANDLE) snprintf(start, sizeof(start), "1234: %s handle 1", ops[_i].name);
    else snprintf(start, sizeof(start), "1234: %s", ops[_i].name);
    ck_assert_msg(!strncmp(line, start, strlen(start)), "\"%s\" does not start with \"%s\"", line, start);
    ck_assert_msg(strstr(line, " -> 0") != NULL, "no status in \"%s\"", line);
    ck_assert_ptr_null(strchr(line, '\n'));
}
END_TEST

START_TEST(test_trace_fields)
{
    struct ws2_addr_request *addr;
    struct ws2_sockopt_request *opt;
    struct ws2_socket_request *sock;

    addr = (struct ws2_addr_request *)msg_init(WS2_OP_BIND, sizeof(*addr));
    addr->hdr.handle = 3;
    addr->addrlen = 16;
    wire_in(addr->addr, WS_AF_INET, 5000, "127.0.0.1");
    ck_assert_str_eq(trace_line(0), "1234: bind handle 3 addr 127.0.0.1:5000 -> 0");
    addr = (struct ws2_addr_request *)msg_init(WS2_OP_CONNECT, sizeof(*addr));
    addr->addrlen = 28;
    wire_in6(addr->addr, WS_AF_INET6, 80, 0, "::1", 0);
    ck_assert_str_eq(trace_line(WSAECONNREFUSED), "1234: connect handle 1 addr [::1]:80 -> 10061");
    opt = sockopt_init(WS2_OP_GETSOCKOPT, 0, SOCKOPT_FIXED);
    opt->hdr.handle = 3;
    opt->optlen = 4;
    ck_assert_str_eq(trace_line(0), "1234: getsockopt handle 3 level SOL_SOCKET name SO_LINGER optlen 4 -> 0");
    sock = (struct ws2_socket_request *)msg_init(WS2_OP_SOCKET, sizeof(*sock));
    sock->family = WS_AF_INET;
    sock->type = WS_SOCK_STREAM;
    sock->protocol = 6;
    ck_assert_str_eq(trace_line(0), "1234: socket family AF_INET type SOCK_STREAM protocol 6 flags 0 -> 0");
}
END_TEST

Suite *protocol_suite(void)
{
    Suite *s = suite_create("protocol");
    TCase *tc;

    tc = tcase_create("requests");
    tcase_add_test(tc, test_wire_layout);
    tcase_add_loop_test(tc, test_fixed_size, 0, NOPS);
    tcase_add_test(tc, test_fixed_size_unknown);
    tcase_add_loop_test(tc, test_exact_size_accepted, 0, NOPS);
    tcase_add_loop_test(tc, test_one_byte_short_rejected, 0, NOPS);
    tcase_add_loop_test(tc, test_one_byte_long_rejected, 0, NOPS);
    tcase_add_loop_test(tc, test_four_bytes_long_rejected, 0, NOPS);
    tcase_add_test(tc, test_too_short);
    tcase_add_test(tc, test_size_field_mismatch);
    tcase_add_test(tc, test_unknown_op);
    tcase_add_loop_test(tc, test_reserved_nonzero, 0, NOPS);
    tcase_add_test(tc, test_any_handle_passes);
    tcase_add_test(tc, test_oversize);
    tcase_add_test(tc, test_setsockopt_datalen_consistent);
    tcase_add_test(tc, test_setsockopt_datalen_inconsistent);
    tcase_add_test(tc, test_setsockopt_over_max_optval);
    tcase_add_test(tc, test_getsockopt_with_data);
    tcase_add_test(tc, test_addr_request_addrlen);
    tcase_add_test(tc, test_lookup_addrlen);
    tcase_add_loop_test(tc, test_op_numbers, 0, NOPS);
    tcase_add_test(tc, test_op_numbers_stable);
    suite_add_tcase(s, tc);

    tc = tcase_create("trace");
    tcase_add_loop_test(tc, test_trace_every_op, 0, NOPS);
    tcase_add_test(tc, test_trace_fields);
    suite_add_tcase(s, tc);

    tc = tcase_create("addresses");
    tcase_add_test(tc, test_family_to_linux);
    tcase_add_test(tc, test_to_linux_inet);
    tcase_add_test(tc, test_to_linux_inet6);
    tcase_add_test(tc, test_to_linux_short);
    tcase_add_test(tc, test_to_linux_wrong_family);
    tcase_add_test(tc, test_addr_length_rules);
    tcase_add_test(tc, test_from_linux_inet);
    tcase_add_test(tc, test_from_linux_inet6);
    tcase_add_test(tc, test_from_linux_errors);
    tcase_add_test(tc, test_addr_round_trip);
    suite_add_tcase(s, tc);
    return s;
}
