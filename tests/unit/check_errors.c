/*
 * errno_to_wsa: the Linux errno -> Winsock error mapping used by the server.
 *
 * The expected pairs are written out here rather than taken from
 * ws2errno.h, so that a wrong row in the shared table shows up.
 */
#include <errno.h>
#include <limits.h>
#include "ws.h"
#include "errors.h"
#include "check_suites.h"

static const struct
{
    int err;
    int wsa;
}
/* clang-format off */
known[] =
{
    { EINTR, WSAEINTR },
    { EBADF, WSAENOTSOCK },
    { EACCES, WSAEACCES },
    { EPERM, WSAEACCES },
    { EFAULT, WSAEFAULT },
    { EINVAL, WSAEINVAL },
    { EMFILE, WSAEMFILE },
    { ENFILE, WSAEMFILE },
    { EAGAIN, WSAEWOULDBLOCK },
    { EWOULDBLOCK, WSAEWOULDBLOCK },
    { EINPROGRESS, WSAEWOULDBLOCK },
    { EALREADY, WSAEALREADY },
    { ENOTSOCK, WSAENOTSOCK },
    { EDESTADDRREQ, WSAEDESTADDRREQ },
    { EMSGSIZE, WSAEMSGSIZE },
    { EPROTOTYPE, WSAEPROTOTYPE },
    { ENOPROTOOPT, WSAENOPROTOOPT },
    { EPROTONOSUPPORT, WSAEPROTONOSUPPORT },
    { ESOCKTNOSUPPORT, WSAESOCKTNOSUPPORT },
    { EOPNOTSUPP, WSAEOPNOTSUPP },
    { EPFNOSUPPORT, WSAEPFNOSUPPORT },
    { EAFNOSUPPORT, WSAEAFNOSUPPORT },
    { EADDRINUSE, WSAEADDRINUSE },
    { EADDRNOTAVAIL, WSAEADDRNOTAVAIL },
    { ENETDOWN, WSAENETDOWN },
    { ENETUNREACH, WSAENETUNREACH },
    { ENETRESET, WSAENETRESET },
    { ECONNABORTED, WSAECONNABORTED },
    { EPIPE, WSAESHUTDOWN },
    { ECONNRESET, WSAECONNRESET },
    { ENOBUFS, WSAENOBUFS },
    { ENOMEM, WSAENOBUFS },
    { EISCONN, WSAEISCONN },
    { ENOTCONN, WSAENOTCONN },
    { ESHUTDOWN, WSAESHUTDOWN },
    { ETIMEDOUT, WSAETIMEDOUT },
    { ECONNREFUSED, WSAECONNREFUSED },
    { EHOSTDOWN, WSAEHOSTDOWN },
    { EHOSTUNREACH, WSAEHOSTUNREACH },
    { ENAMETOOLONG, WSAENAMETOOLONG },
};
/* clang-format on */

START_TEST(test_known_errno)
{
    ck_assert_msg(errno_to_wsa(known[_i].err) == known[_i].wsa,
                  "errno %d: got %d, expected %d", known[_i].err,
                  errno_to_wsa(known[_i].err), known[_i].wsa);
}
END_TEST

/* Errors without a Winsock counterpart, and values that are no errno at all. */
static const int unknown[] = { 0, ENOENT, EIO, ENOSYS, ENOTDIR, ERANGE, EDOM, 4095, 9999, -1, INT_MAX, INT_MIN };

START_TEST(test_unknown_errno)
{
    ck_assert_int_eq(errno_to_wsa(unknown[_i]), WSAEINVAL);
}
END_TEST

/* The headers must give Windows' numbers, or every mapping above is moot. */
START_TEST(test_wsa_values)
{
    ck_assert_int_eq(WSAEINTR, 10004);
    ck_assert_int_eq(WSAEACCES, 10013);
    ck_assert_int_eq(WSAEFAULT, 10014);
    ck_assert_int_eq(WSAEINVAL, 10022);
    ck_assert_int_eq(WSAEMFILE, 10024);
    ck_assert_int_eq(WSAEWOULDBLOCK, 10035);
    ck_assert_int_eq(WSAENOTSOCK, 10038);
    ck_assert_int_eq(WSAENOPROTOOPT, 10042);
    ck_assert_int_eq(WSAEAFNOSUPPORT, 10047);
    ck_assert_int_eq(WSAEADDRINUSE, 10048);
    ck_assert_int_eq(WSAENETDOWN, 10050);
    ck_assert_int_eq(WSAECONNRESET, 10054);
    ck_assert_int_eq(WSAENOBUFS, 10055);
    ck_assert_int_eq(WSAESHUTDOWN, 10058);
    ck_assert_int_eq(WSAETIMEDOUT, 10060);
    ck_assert_int_eq(WSAECONNREFUSED, 10061);
    ck_assert_int_eq(WSAEHOSTUNREACH, 10065);
}
END_TEST

Suite *errors_suite(void)
{
    Suite *s = suite_create("errors");
    TCase *tc = tcase_create("errno_to_wsa");

    tcase_add_loop_test(tc, test_known_errno, 0, sizeof(known) / sizeof(known[0]));
    tcase_add_loop_test(tc, test_unknown_errno, 0, sizeof(unknown) / sizeof(unknown[0]));
    tcase_add_test(tc, test_wsa_values);
    suite_add_tcase(s, tc);
    return s;
}
