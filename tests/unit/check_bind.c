/*
 * Windows' address-sharing rules for bind() (server/bind.c), every cell of
 * the table, with real sockets on loopback.  A first socket binds a port,
 * then a second one binds the same port; each has a sharing mode (neither
 * option, SO_REUSEADDR, SO_EXCLUSIVEADDRUSE) and binds either the wildcard
 * address or a specific one (127.0.0.1).  The expected outcomes are those
 * of Microsoft's page "Using SO_REUSEADDR and SO_EXCLUSIVEADDRUSE", written
 * out again here rather than taken from bind.c.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include "check_suites.h"
#include "ws.h"
#include "sock.h"
#include "bind.h"

enum
{
    DEFAULT,
    REUSE,
    EXCLUSIVE
};

struct side
{
    int mode;
    int specific;
};

/* The six ways to bind, in the order of the table's rows and columns. */
/* clang-format off */
static const struct side sides[6] =
{
    { DEFAULT, 0 }, { DEFAULT, 1 }, { REUSE, 0 }, { REUSE, 1 }, { EXCLUSIVE, 0 }, { EXCLUSIVE, 1 },
};
/* clang-format on */
/* clang-format off */
static const char *const side_names[6] =
{
    "default/wildcard", "default/specific", "reuse/wildcard", "reuse/specific",
    "exclusive/wildcard", "exclusive/specific",
};
/* clang-format on */

#define A WSAEACCES
#define U WSAEADDRINUSE
/* [first][second]: what the second bind returns. */
/* clang-format off */
static const int expected[6][6] =
{
    /* second:    D/W  D/S  R/W  R/S  E/W  E/S */
    /* D/W */   { U,   0,   A,   0,   U,   0 },
    /* D/S */   { 0,   U,   0,   A,   U,   U },
    /* R/W */   { U,   0,   0,   0,   U,   0 },
    /* R/S */   { 0,   U,   0,   0,   U,   U },
    /* E/W */   { U,   A,   A,   A,   U,   A },
    /* E/S */   { 0,   U,   0,   A,   U,   U },
};
/* clang-format on */
#undef A
#undef U

static struct ws2_socket *new_sock(int type, const struct side *side)
{
    int status = -1;
    struct ws2_socket *sock = sock_create(WS_AF_INET, type, 0, &status);

    ck_assert_msg(sock != NULL, "sock_create failed with %d", status);
    sock->shared->share = side->mode == REUSE ? WS2_SHARE_REUSEADDR : side->mode == EXCLUSIVE ? WS2_SHARE_EXCLUSIVE
                                                                                              : 0;
    return sock;
}

static struct sockaddr_in address(int specific, uint16_t port)
{
    struct sockaddr_in sin;

    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_port = port;
    sin.sin_addr.s_addr = htonl(specific ? INADDR_LOOPBACK : INADDR_ANY);
    return sin;
}

/* A port nobody holds on any address right now. */
static uint16_t free_port(int type)
{
    struct sockaddr_in sin = address(0, 0);
    socklen_t len = sizeof(sin);
    int fd = socket(AF_INET, type == WS_SOCK_STREAM ? SOCK_STREAM : SOCK_DGRAM, 0);

    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
    ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
    close(fd);
    return sin.sin_port;
}

static int do_bind(struct ws2_socket *sock, int specific, uint16_t port)
{
    struct sockaddr_in sin = address(specific, port);
    int status = bind_socket(sock, (struct sockaddr *)&sin, sizeof(sin));

    if (!status) sock->state |= SOCK_BOUND; /* as req_bind does */
    return status;
}

static uint16_t bound_port(struct ws2_socket *sock)
{
    struct sockaddr_in sin;
    socklen_t len = sizeof(sin);

    ck_assert_int_eq(getsockname(sock->fd, (struct sockaddr *)&sin, &len), 0);
    return sin.sin_port;
}

/* Two sockets for one port nobody holds; the first is bound to it. */
struct two
{
    struct ws2_socket *first, *second;
    uint16_t port;
};

static void bind_first(struct two *t, int type, const struct side *first, int second_type, const struct side *second)
{
    t->first = new_sock(type, first);
    t->second = new_sock(second_type, second);
    t->port = free_port(type);
    ck_assert_int_eq(do_bind(t->first, first->specific, t->port), 0);
}

static void close_both(struct two *t)
{
    sock_unref(t->first, NULL);
    sock_unref(t->second, NULL);
}

/* One loop index per cell and socket type: 0..35 TCP, 36..71 UDP. */
START_TEST(test_cell)
{
    int type = _i < 36 ? WS_SOCK_STREAM : WS_SOCK_DGRAM;
    int row = _i % 36 / 6, col = _i % 6;
    struct two t;
    int status;

    bind_first(&t, type, &sides[row], type, &sides[col]);
    status = do_bind(t.second, sides[col].specific, t.port);
    ck_assert_msg(status == expected[row][col], "%s then %s (%s): %d, expected %d", side_names[row],
                  side_names[col], type == WS_SOCK_STREAM ? "tcp" : "udp", status, expected[row][col]);
    /* A refused bind leaves the socket as it was: unbound. */
    if (status)
    {
        ck_assert_uint_eq(t.second->state & SOCK_BOUND, 0);
        ck_assert_uint_eq(bound_port(t.second), 0);
    }
    else ck_assert_uint_eq(bound_port(t.second), t.port);
    close_both(&t);
}
END_TEST

START_TEST(test_different_specific_addresses)
{
    static const struct side plain = { DEFAULT, 1 };
    struct two t;
    struct sockaddr_in other;

    bind_first(&t, WS_SOCK_STREAM, &plain, WS_SOCK_STREAM, &plain);
    /* 127.0.0.1 and 127.0.0.2 never overlap, whatever the modes. */
    other = address(1, t.port);
    other.sin_addr.s_addr = htonl(INADDR_LOOPBACK + 1);
    ck_assert_int_eq(bind_socket(t.second, (struct sockaddr *)&other, sizeof(other)), 0);
    close_both(&t);
}
END_TEST

START_TEST(test_closed_socket_frees_port)
{
    static const struct side plain = { DEFAULT, 1 };
    struct two t;

    bind_first(&t, WS_SOCK_STREAM, &plain, WS_SOCK_STREAM, &plain);
    ck_assert_int_eq(do_bind(t.second, 1, t.port), WSAEADDRINUSE);
    sock_unref(t.first, NULL);
    ck_assert_int_eq(do_bind(t.second, 1, t.port), 0);
    sock_unref(t.second, NULL);
}
END_TEST

START_TEST(test_other_type_does_not_count)
{
    static const struct side plain = { DEFAULT, 0 };
    struct two t;

    bind_first(&t, WS_SOCK_STREAM, &plain, WS_SOCK_DGRAM, &plain);
    ck_assert_int_eq(do_bind(t.second, 0, t.port), 0);
    close_both(&t);
}
END_TEST

static struct ws2_socket *new_v6(int dual_stack)
{
    int status = -1, off = 0;
    struct ws2_socket *sock = sock_create(WS_AF_INET6, WS_SOCK_STREAM, 0, &status);

    ck_assert_msg(sock != NULL, "sock_create failed with %d", status);
    if (dual_stack) ck_assert_int_eq(setsockopt(sock->fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off)), 0);
    return sock;
}

static int bind_v6(struct ws2_socket *sock, const struct in6_addr *addr, uint16_t port)
{
    struct sockaddr_in6 sin6;
    int status;

    memset(&sin6, 0, sizeof(sin6));
    sin6.sin6_family = AF_INET6;
    sin6.sin6_port = port;
    sin6.sin6_addr = *addr;
    status = bind_socket(sock, (struct sockaddr *)&sin6, sizeof(sin6));
    if (!status) sock->state |= SOCK_BOUND;
    return status;
}

/* ::ffff:127.0.0.1 is 127.0.0.1 for the table. */
START_TEST(test_mapped_address_is_ipv4)
{
    static const struct side plain = { DEFAULT, 1 };
    struct in6_addr mapped = IN6ADDR_ANY_INIT;
    struct ws2_socket *v4 = new_sock(WS_SOCK_STREAM, &plain), *v6 = new_v6(1);
    uint16_t port = free_port(WS_SOCK_STREAM);

    mapped.s6_addr[10] = mapped.s6_addr[11] = 0xff;
    mapped.s6_addr[12] = 127;
    mapped.s6_addr[15] = 1;
    ck_assert_int_eq(do_bind(v4, 1, port), 0);
    ck_assert_int_eq(bind_v6(v6, &mapped, port), WSAEADDRINUSE);
    sock_unref(v4, NULL);
    sock_unref(v6, NULL);
}
END_TEST

/* Next to a dual-stack ::, 0.0.0.0 counts as a specific address: both bind
 * unless the :: one is exclusive. */
START_TEST(test_dual_stack_wildcard)
{
    static const struct side plain = { DEFAULT, 0 };
    uint16_t port = free_port(WS_SOCK_STREAM);
    struct ws2_socket *v6 = new_v6(1), *v4 = new_sock(WS_SOCK_STREAM, &plain);

    ck_assert_int_eq(bind_v6(v6, &in6addr_any, port), 0);
    ck_assert_int_eq(do_bind(v4, 0, port), 0);
    sock_unref(v6, NULL);
    sock_unref(v4, NULL);

    port = free_port(WS_SOCK_STREAM);
    v6 = new_v6(1);
    v4 = new_sock(WS_SOCK_STREAM, &plain);
    v6->shared->share = WS2_SHARE_EXCLUSIVE;
    ck_assert_int_eq(bind_v6(v6, &in6addr_any, port), 0);
    ck_assert_int_eq(do_bind(v4, 0, port), WSAEACCES);
    sock_unref(v6, NULL);
    sock_unref(v4, NULL);
}
END_TEST

/* A scope id naming no interface: refused, even on ::1 where Linux ignores it. */
START_TEST(test_unknown_scope_id)
{
    struct ws2_socket *v6 = new_v6(0);
    struct sockaddr_in6 sin6;

    memset(&sin6, 0, sizeof(sin6));
    sin6.sin6_family = AF_INET6;
    sin6.sin6_addr = in6addr_loopback;
    sin6.sin6_scope_id = 0xabacab;
    ck_assert_int_eq(bind_socket(v6, (struct sockaddr *)&sin6, sizeof(sin6)), WSAEADDRNOTAVAIL);
    sin6.sin6_scope_id = 0;
    ck_assert_int_eq(bind_socket(v6, (struct sockaddr *)&sin6, sizeof(sin6)), 0);
    sock_unref(v6, NULL);
}
END_TEST

/* Two listeners of one address: every connection reaches the first. */
START_TEST(test_first_listener_takes_connections)
{
    static const struct side reuse = { REUSE, 1 };
    struct sockaddr_in sin;
    struct two t;
    int i, fds[8], accepted = 0, fd;

    bind_first(&t, WS_SOCK_STREAM, &reuse, WS_SOCK_STREAM, &reuse);
    ck_assert_int_eq(do_bind(t.second, 1, t.port), 0);
    ck_assert_int_eq(listen(t.first->fd, 16), 0);
    bind_listening(t.first);
    ck_assert_int_eq(listen(t.second->fd, 16), 0);
    bind_listening(t.second);
    sin = address(1, t.port);
    for (i = 0; i < 8; i++)
    {
        fds[i] = socket(AF_INET, SOCK_STREAM, 0);
        ck_assert_int_eq(connect(fds[i], (struct sockaddr *)&sin, sizeof(sin)), 0);
    }
    while ((fd = accept4(t.first->fd, NULL, NULL, SOCK_NONBLOCK)) >= 0 || errno == EINTR)
        if (fd >= 0) accepted++, close(fd);
    ck_assert_int_eq(accepted, 8);
    for (i = 0; i < 8; i++) close(fds[i]);
    close_both(&t);
}
END_TEST

Suite *bind_suite(void)
{
    Suite *s = suite_create("bind");
    TCase *tc = tcase_create("sharing table");

    tcase_add_loop_test(tc, test_cell, 0, 72);
    tcase_add_test(tc, test_different_specific_addresses);
    tcase_add_test(tc, test_closed_socket_frees_port);
    tcase_add_test(tc, test_other_type_does_not_count);
    tcase_add_test(tc, test_mapped_address_is_ipv4);
    tcase_add_test(tc, test_dual_stack_wildcard);
    tcase_add_test(tc, test_first_listener_takes_connections);
    tcase_add_test(tc, test_unknown_scope_id);
    suite_add_tcase(s, tc);
    return s;
}
