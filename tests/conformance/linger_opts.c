/*
 * SO_LINGER and SO_DONTLINGER through setsockopt/getsockopt: defaults,
 * round trips, how the two options see each other, option lengths, bad
 * pointers, datagram and closed sockets.
 *
 * Expected values are Windows' own:
 *  - "closesocket function", "linger structure", setsockopt/getsockopt docs:
 *    new sockets have l_onoff 0 (SO_DONTLINGER TRUE); SO_DONTLINGER TRUE is
 *    SO_LINGER with l_onoff 0, getsockopt(SO_DONTLINGER) is TRUE when
 *    lingering is off; enabling lingering through SO_DONTLINGER FALSE should
 *    bring back the timeout set before with SO_LINGER.
 *  - Wine's conformance test test_set_getsockopt, which passes on Windows
 *    (its table test_optsize, and the SO_LINGER/SO_DONTLINGER checks):
 *    SO_LINGER round-trips {0,0} {0,73} {1,0} {5,189}; SO_LINGER with
 *    optlen 1 or 2 fails with WSAEFAULT on set, and on get fails with
 *    WSAEFAULT leaving *optlen alone but zeroing that many bytes; optlen 0
 *    fails on set and get; optlen -1 succeeds on set and fails with WSAEFAULT
 *    on get (leaving *optlen at -1); an 8-byte get reports 4; l_onoff 0x100
 *    reads back as 0x100.  SO_DONTLINGER accepts optlen 1, 2, 4 (and 0) on
 *    set; on get it writes 1 byte and reports 1 for optlen 1, writes 2 bytes
 *    and reports 1 for optlen 2, writes 4 and reports 4 for optlen >= 4; a
 *    value of 0x100 reads back as 1.  A NULL optval with optlen 4 or 0 fails
 *    with WSAEFAULT for both options.  Successful calls set the last error
 *    to 0.  A closed socket gives WSAENOTSOCK and the buffer is untouched.
 *  - SO_LINGER on a datagram socket: getsockopt fails with WSAENOPROTOOPT
 *    (SO_LINGER is for connection-oriented sockets, "SOL_SOCKET Socket
 *    Options").
 */
#include "wstest.h"

static int get_linger(SOCKET s, struct linger *value, int *len)
{
    *len = sizeof(*value);
    memset(value, 0xcc, sizeof(*value));
    return getsockopt(s, SOL_SOCKET, SO_LINGER, (char *)value, len);
}

static int set_linger(SOCKET s, u_short onoff, u_short seconds)
{
    struct linger value;

    value.l_onoff = onoff;
    value.l_linger = seconds;
    return setsockopt(s, SOL_SOCKET, SO_LINGER, (const char *)&value, sizeof(value));
}

static int get_dontlinger(SOCKET s, DWORD *value, int *len)
{
    *len = sizeof(*value);
    *value = 0xdeadbeef;
    return getsockopt(s, SOL_SOCKET, SO_DONTLINGER, (char *)value, len);
}

static int set_dontlinger(SOCKET s, BOOL value)
{
    return setsockopt(s, SOL_SOCKET, SO_DONTLINGER, (const char *)&value, sizeof(value));
}

static void test_defaults(int af)
{
    struct linger value;
    DWORD dont;
    SOCKET s;
    int ret, len;

    s = socket(af, SOCK_STREAM, IPPROTO_TCP);
    ok(s != INVALID_SOCKET, "af %d: socket failed, error %d\n", af, WSAGetLastError());
    if (s == INVALID_SOCKET) return;

    WSASetLastError(0xdead);
    ret = get_linger(s, &value, &len);
    ok(!ret, "af %d: getsockopt(SO_LINGER) failed, error %d\n", af, WSAGetLastError());
    ok(!WSAGetLastError(), "af %d: getsockopt(SO_LINGER) left error %d\n", af, WSAGetLastError());
    ok(len == sizeof(value), "af %d: SO_LINGER optlen %d\n", af, len);
    ok(value.l_onoff == 0 && value.l_linger == 0, "af %d: default linger {%u, %u}\n",
       af, value.l_onoff, value.l_linger);

    WSASetLastError(0xdead);
    ret = get_dontlinger(s, &dont, &len);
    ok(!ret, "af %d: getsockopt(SO_DONTLINGER) failed, error %d\n", af, WSAGetLastError());
    ok(!WSAGetLastError(), "af %d: getsockopt(SO_DONTLINGER) left error %d\n", af, WSAGetLastError());
    ok(len == sizeof(DWORD), "af %d: SO_DONTLINGER optlen %d\n", af, len);
    ok(dont == TRUE, "af %d: default SO_DONTLINGER %#lx\n", af, (unsigned long)dont);
    closesocket(s);
}

static void test_round_trips(void)
{
    static const struct linger values[] = {
        { 0, 0 },
        { 0, 73 },
        { 1, 0 },
        { 5, 189 },
        { 1, 65535 },
        { 0x100, 7 },
        { 0xffff, 1 },
    };
    struct linger value;
    unsigned int i;
    DWORD dont;
    SOCKET s;
    int ret, len;

    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ok(s != INVALID_SOCKET, "socket failed, error %d\n", WSAGetLastError());
    if (s == INVALID_SOCKET) return;

    for (i = 0; i < ARRAY_SIZE(values); i++)
    {
        WSASetLastError(0xdead);
        ret = set_linger(s, values[i].l_onoff, values[i].l_linger);
        ok(!ret, "{%u, %u}: setsockopt failed, error %d\n", values[i].l_onoff, values[i].l_linger,
           WSAGetLastError());
        ok(!WSAGetLastError(), "{%u, %u}: setsockopt left error %d\n", values[i].l_onoff,
           values[i].l_linger, WSAGetLastError());

        ret = get_linger(s, &value, &len);
        ok(!ret, "{%u, %u}: getsockopt failed, error %d\n", values[i].l_onoff, values[i].l_linger,
           WSAGetLastError());
        ok(len == sizeof(value), "{%u, %u}: optlen %d\n", values[i].l_onoff, values[i].l_linger, len);
        /* l_onoff is kept as given, not turned into a boolean */
        ok(value.l_onoff == values[i].l_onoff, "{%u, %u}: l_onoff read back as %#x\n",
           values[i].l_onoff, values[i].l_linger, value.l_onoff);
        if (values[i].l_onoff)
            ok(value.l_linger == values[i].l_linger, "{%u, %u}: l_linger read back as %u\n",
               values[i].l_onoff, values[i].l_linger, value.l_linger);

        /* SO_DONTLINGER is the negation of l_onoff */
        ret = get_dontlinger(s, &dont, &len);
        ok(!ret, "{%u, %u}: getsockopt(SO_DONTLINGER) failed, error %d\n", values[i].l_onoff,
           values[i].l_linger, WSAGetLastError());
        ok(dont == (values[i].l_onoff ? FALSE : TRUE), "{%u, %u}: SO_DONTLINGER is %#lx\n",
           values[i].l_onoff, values[i].l_linger, (unsigned long)dont);
        ok(len == sizeof(DWORD), "{%u, %u}: SO_DONTLINGER optlen %d\n", values[i].l_onoff,
           values[i].l_linger, len);
    }
    closesocket(s);
}

static void test_dontlinger(void)
{
    struct linger value;
    DWORD dont;
    SOCKET s;
    int ret, len;

    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ok(s != INVALID_SOCKET, "socket failed, error %d\n", WSAGetLastError());
    if (s == INVALID_SOCKET) return;

    /* TRUE turns lingering off */
    ret = set_linger(s, 1, 42);
    ok(!ret, "setsockopt(SO_LINGER) failed, error %d\n", WSAGetLastError());
    WSASetLastError(0xdead);
    ret = set_dontlinger(s, TRUE);
    ok(!ret, "setsockopt(SO_DONTLINGER, TRUE) failed, error %d\n", WSAGetLastError());
    ok(!WSAGetLastError(), "setsockopt(SO_DONTLINGER) left error %d\n", WSAGetLastError());
    ret = get_linger(s, &value, &len);
    ok(!ret && value.l_onoff == 0, "after SO_DONTLINGER TRUE: %d, l_onoff %u\n", ret, value.l_onoff);
    ret = get_dontlinger(s, &dont, &len);
    ok(!ret && dont == TRUE, "after SO_DONTLINGER TRUE: %d, SO_DONTLINGER %#lx\n", ret, (unsigned long)dont);

    /* FALSE turns it on again, with the timeout set before */
    ret = set_dontlinger(s, FALSE);
    ok(!ret, "setsockopt(SO_DONTLINGER, FALSE) failed, error %d\n", WSAGetLastError());
    ret = get_linger(s, &value, &len);
    ok(!ret, "getsockopt(SO_LINGER) failed, error %d\n", WSAGetLastError());
    ok(value.l_onoff != 0, "after SO_DONTLINGER FALSE: l_onoff %u\n", value.l_onoff);
    ok(value.l_linger == 42, "after SO_DONTLINGER FALSE: l_linger %u, expected the previous 42\n",
       value.l_linger);
    ret = get_dontlinger(s, &dont, &len);
    ok(!ret && dont == FALSE, "after SO_DONTLINGER FALSE: %d, SO_DONTLINGER %#lx\n", ret, (unsigned long)dont);

    /* TRUE again, then FALSE again: the timeout survives both */
    ret = set_dontlinger(s, TRUE);
    ok(!ret, "setsockopt(SO_DONTLINGER, TRUE) failed, error %d\n", WSAGetLastError());
    ret = set_dontlinger(s, FALSE);
    ok(!ret, "setsockopt(SO_DONTLINGER, FALSE) failed, error %d\n", WSAGetLastError());
    ret = get_linger(s, &value, &len);
    ok(!ret && value.l_onoff != 0 && value.l_linger == 42,
       "after TRUE, FALSE: %d, linger {%u, %u}, expected {nonzero, 42}\n", ret, value.l_onoff, value.l_linger);

    /* A new SO_LINGER value replaces the timeout. */
    ret = set_linger(s, 0, 9);
    ok(!ret, "setsockopt(SO_LINGER) failed, error %d\n", WSAGetLastError());
    ret = set_dontlinger(s, FALSE);
    ok(!ret, "setsockopt(SO_DONTLINGER, FALSE) failed, error %d\n", WSAGetLastError());
    ret = get_linger(s, &value, &len);
    ok(!ret && value.l_onoff != 0 && value.l_linger == 9,
       "after {0, 9} and SO_DONTLINGER FALSE: %d, linger {%u, %u}, expected {nonzero, 9}\n",
       ret, value.l_onoff, value.l_linger);

    /* any nonzero 4-byte value is TRUE, and reads back as 1 */
    dont = 0x100;
    ret = setsockopt(s, SOL_SOCKET, SO_DONTLINGER, (const char *)&dont, sizeof(dont));
    ok(!ret, "setsockopt(SO_DONTLINGER, 0x100) failed, error %d\n", WSAGetLastError());
    ret = get_dontlinger(s, &dont, &len);
    ok(!ret && dont == 1 && len == sizeof(DWORD), "SO_DONTLINGER 0x100: %d, read back %#lx, optlen %d\n",
       ret, (unsigned long)dont, len);
    ret = get_linger(s, &value, &len);
    ok(!ret && value.l_onoff == 0, "after SO_DONTLINGER 0x100: %d, l_onoff %u\n", ret, value.l_onoff);

    closesocket(s);
}

static void test_linger_lengths(void)
{
    struct linger value;
    unsigned char buf[8];
    UINT64 value64;
    SOCKET s;
    int ret, len;

    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ok(s != INVALID_SOCKET, "socket failed, error %d\n", WSAGetLastError());
    if (s == INVALID_SOCKET) return;
    ret = set_linger(s, 1, 5);
    ok(!ret, "setsockopt(SO_LINGER) failed, error %d\n", WSAGetLastError());

    /* set: short lengths fail and change nothing */
    value.l_onoff = 0;
    value.l_linger = 0;
    for (len = 0; len <= 2; len++)
    {
        WSASetLastError(0xdead);
        ret = setsockopt(s, SOL_SOCKET, SO_LINGER, (const char *)&value, len);
        ok(ret == SOCKET_ERROR, "set optlen %d: returned %d\n", len, ret);
        ok(WSAGetLastError() == WSAEFAULT, "set optlen %d: error %d\n", len, WSAGetLastError());
    }
    ret = get_linger(s, &value, &len);
    ok(!ret && value.l_onoff == 1 && value.l_linger == 5, "after failed sets: %d, linger {%u, %u}\n",
       ret, value.l_onoff, value.l_linger);

    /* get: optlen 1 or 2 fails, keeps *optlen and zero-fills that many bytes */
    for (len = 1; len <= 2; len++)
    {
        int optlen = len, i, zeroed = 1, kept = 1;

        memset(buf, 0xcc, sizeof(buf));
        WSASetLastError(0xdead);
        ret = getsockopt(s, SOL_SOCKET, SO_LINGER, (char *)buf, &optlen);
        ok(ret == SOCKET_ERROR, "get optlen %d: returned %d\n", len, ret);
        ok(WSAGetLastError() == WSAEFAULT, "get optlen %d: error %d\n", len, WSAGetLastError());
        ok(optlen == len, "get optlen %d: *optlen became %d\n", len, optlen);
        for (i = 0; i < len; i++)
            if (buf[i]) zeroed = 0;
        for (i = len; i < (int)sizeof(buf); i++)
            if (buf[i] != 0xcc) kept = 0;
        ok(zeroed, "get optlen %d: the first bytes are %02x %02x, expected zeros\n", len, buf[0], buf[1]);
        ok(kept, "get optlen %d: bytes after the first %d were written\n", len, len);
    }

    /* get: optlen 0 and -1 fail, *optlen stays */
    len = 0;
    memset(buf, 0xcc, sizeof(buf));
    WSASetLastError(0xdead);
    ret = getsockopt(s, SOL_SOCKET, SO_LINGER, (char *)buf, &len);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT, "get optlen 0: %d, error %d\n",
       ret, WSAGetLastError());
    ok(len == 0, "get optlen 0: *optlen became %d\n", len);
    len = -1;
    WSASetLastError(0xdead);
    ret = getsockopt(s, SOL_SOCKET, SO_LINGER, (char *)buf, &len);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT, "get optlen -1: %d, error %d\n",
       ret, WSAGetLastError());
    ok(len == -1, "get optlen -1: *optlen became %d\n", len);

    /* get: a larger buffer reports the natural size */
    len = sizeof(value64);
    value64 = 0;
    ret = getsockopt(s, SOL_SOCKET, SO_LINGER, (char *)&value64, &len);
    ok(!ret, "get optlen 8: failed, error %d\n", WSAGetLastError());
    ok(len == sizeof(struct linger), "get optlen 8: *optlen became %d\n", len);
    ok((value64 & 0xffffffff) == 0x00050001, "get optlen 8: low dword %#lx\n",
       (unsigned long)(value64 & 0xffffffff));

    /* set: a larger buffer uses the first 4 bytes */
    value64 = 0xffffffff00030001ull;
    WSASetLastError(0xdead);
    ret = setsockopt(s, SOL_SOCKET, SO_LINGER, (const char *)&value64, sizeof(value64));
    ok(!ret && !WSAGetLastError(), "set optlen 8: %d, error %d\n", ret, WSAGetLastError());
    ret = get_linger(s, &value, &len);
    ok(!ret && value.l_onoff == 1 && value.l_linger == 3, "after set optlen 8: %d, linger {%u, %u}\n",
       ret, value.l_onoff, value.l_linger);

    /* set: optlen -1 is taken as the natural size */
    value.l_onoff = 1;
    value.l_linger = 0;
    WSASetLastError(0xdead);
    ret = setsockopt(s, SOL_SOCKET, SO_LINGER, (const char *)&value, -1);
    ok(!ret, "set optlen -1: returned %d, error %d\n", ret, WSAGetLastError());
    ok(!WSAGetLastError(), "set optlen -1: error %d\n", WSAGetLastError());

    closesocket(s);
}

static void test_dontlinger_lengths(void)
{
    static const struct
    {
        int optlen;   /* passed to getsockopt */
        DWORD expect; /* buffer afterwards, prefilled with 0xdeadbeef */
        int expect_len;
    } gets[] = {
        { 1, 0xdeadbe01, 1 },
        { 2, 0xdead0001, 1 },
        { 4, 0x00000001, 4 },
    };
    struct linger value;
    unsigned int i;
    DWORD dont;
    BYTE byte;
    WORD word;
    SOCKET s;
    int ret, len;

    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ok(s != INVALID_SOCKET, "socket failed, error %d\n", WSAGetLastError());
    if (s == INVALID_SOCKET) return;

    /* 1-byte and 2-byte values are accepted */
    ret = set_linger(s, 1, 10);
    ok(!ret, "setsockopt(SO_LINGER) failed, error %d\n", WSAGetLastError());
    byte = 1;
    WSASetLastError(0xdead);
    ret = setsockopt(s, SOL_SOCKET, SO_DONTLINGER, (const char *)&byte, 1);
    ok(!ret && !WSAGetLastError(), "set 1-byte TRUE: %d, error %d\n", ret, WSAGetLastError());
    ret = get_linger(s, &value, &len);
    ok(!ret && value.l_onoff == 0, "after 1-byte TRUE: %d, l_onoff %u\n", ret, value.l_onoff);
    byte = 0;
    ret = setsockopt(s, SOL_SOCKET, SO_DONTLINGER, (const char *)&byte, 1);
    ok(!ret, "set 1-byte FALSE: %d, error %d\n", ret, WSAGetLastError());
    ret = get_linger(s, &value, &len);
    ok(!ret && value.l_onoff != 0, "after 1-byte FALSE: %d, l_onoff %u\n", ret, value.l_onoff);
    word = 1;
    ret = setsockopt(s, SOL_SOCKET, SO_DONTLINGER, (const char *)&word, 2);
    ok(!ret, "set 2-byte TRUE: %d, error %d\n", ret, WSAGetLastError());
    ret = get_linger(s, &value, &len);
    ok(!ret && value.l_onoff == 0, "after 2-byte TRUE: %d, l_onoff %u\n", ret, value.l_onoff);
    word = 0;
    ret = setsockopt(s, SOL_SOCKET, SO_DONTLINGER, (const char *)&word, 2);
    ok(!ret, "set 2-byte FALSE: %d, error %d\n", ret, WSAGetLastError());
    ret = get_linger(s, &value, &len);
    ok(!ret && value.l_onoff != 0, "after 2-byte FALSE: %d, l_onoff %u\n", ret, value.l_onoff);

    /* optlen 0 is accepted too */
    dont = TRUE;
    WSASetLastError(0xdead);
    ret = setsockopt(s, SOL_SOCKET, SO_DONTLINGER, (const char *)&dont, 0);
    ok(!ret && !WSAGetLastError(), "set optlen 0: %d, error %d\n", ret, WSAGetLastError());

    /* get with 1, 2 and 4 bytes: SO_DONTLINGER is TRUE now */
    ret = set_dontlinger(s, TRUE);
    ok(!ret, "setsockopt(SO_DONTLINGER) failed, error %d\n", WSAGetLastError());
    for (i = 0; i < ARRAY_SIZE(gets); i++)
    {
        dont = 0xdeadbeef;
        len = gets[i].optlen;
        WSASetLastError(0xdead);
        ret = getsockopt(s, SOL_SOCKET, SO_DONTLINGER, (char *)&dont, &len);
        ok(!ret, "get optlen %d: failed, error %d\n", gets[i].optlen, WSAGetLastError());
        ok(!WSAGetLastError(), "get optlen %d: error %d\n", gets[i].optlen, WSAGetLastError());
        ok(dont == gets[i].expect, "get optlen %d: buffer %#lx, expected %#lx\n", gets[i].optlen,
           (unsigned long)dont, (unsigned long)gets[i].expect);
        ok(len == gets[i].expect_len, "get optlen %d: *optlen %d, expected %d\n", gets[i].optlen,
           len, gets[i].expect_len);
    }

    /* get with 0 bytes fails */
    len = 0;
    dont = 0xdeadbeef;
    WSASetLastError(0xdead);
    ret = getsockopt(s, SOL_SOCKET, SO_DONTLINGER, (char *)&dont, &len);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT, "get optlen 0: %d, error %d\n",
       ret, WSAGetLastError());

    closesocket(s);
}

/* Calls with bad pointers run through wstest_guarded(). */
struct null_call
{
    SOCKET s;
    int optname;
    int optlen;
    int ret;
    int error;
};

static DWORD WINAPI set_null_optval(void *param)
{
    struct null_call *call = param;

    WSASetLastError(0xdead);
    call->ret = setsockopt(call->s, SOL_SOCKET, call->optname, NULL, call->optlen);
    call->error = WSAGetLastError();
    return 0;
}

static DWORD WINAPI get_null_optval(void *param)
{
    struct null_call *call = param;
    int len = call->optlen;

    WSASetLastError(0xdead);
    call->ret = getsockopt(call->s, SOL_SOCKET, call->optname, NULL, &len);
    call->error = WSAGetLastError();
    return 0;
}

static DWORD WINAPI get_null_optlen(void *param)
{
    struct null_call *call = param;
    struct linger value;

    WSASetLastError(0xdead);
    call->ret = getsockopt(call->s, SOL_SOCKET, call->optname, (char *)&value, NULL);
    call->error = WSAGetLastError();
    return 0;
}

static void test_bad_pointers(void)
{
    static const int optnames[] = { SO_LINGER, SO_DONTLINGER };
    static const int optlens[] = { 4, 0 };
    struct null_call call;
    struct linger value;
    unsigned int i, j;
    char what[64];
    SOCKET s;
    int ret, len;

    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ok(s != INVALID_SOCKET, "socket failed, error %d\n", WSAGetLastError());
    if (s == INVALID_SOCKET) return;
    ret = set_linger(s, 1, 7);
    ok(!ret, "setsockopt(SO_LINGER) failed, error %d\n", WSAGetLastError());

    for (i = 0; i < ARRAY_SIZE(optnames); i++)
    {
        for (j = 0; j < ARRAY_SIZE(optlens); j++)
        {
            snprintf(what, sizeof(what), "setsockopt(%s, NULL, %d)",
                     optnames[i] == SO_LINGER ? "SO_LINGER" : "SO_DONTLINGER", optlens[j]);
            memset(&call, 0, sizeof(call));
            call.s = s;
            call.optname = optnames[i];
            call.optlen = optlens[j];
            if (wstest_guarded(what, set_null_optval, &call))
            {
                ok(call.ret == SOCKET_ERROR, "%s returned %d\n", what, call.ret);
                ok(call.error == WSAEFAULT, "%s: error %d\n", what, call.error);
            }
        }
        snprintf(what, sizeof(what), "getsockopt(%s, NULL, 4)",
                 optnames[i] == SO_LINGER ? "SO_LINGER" : "SO_DONTLINGER");
        memset(&call, 0, sizeof(call));
        call.s = s;
        call.optname = optnames[i];
        call.optlen = 4;
        if (wstest_guarded(what, get_null_optval, &call))
            ok(call.ret == SOCKET_ERROR && call.error == WSAEFAULT, "%s: %d, error %d\n",
               what, call.ret, call.error);
        snprintf(what, sizeof(what), "getsockopt(%s, optlen NULL)",
                 optnames[i] == SO_LINGER ? "SO_LINGER" : "SO_DONTLINGER");
        if (wstest_guarded(what, get_null_optlen, &call))
            ok(call.ret == SOCKET_ERROR && call.error == WSAEFAULT, "%s: %d, error %d\n",
               what, call.ret, call.error);
    }

    /* none of that changed the value */
    ret = get_linger(s, &value, &len);
    ok(!ret && value.l_onoff == 1 && value.l_linger == 7, "after the failed calls: %d, linger {%u, %u}\n",
       ret, value.l_onoff, value.l_linger);
    closesocket(s);
}

static void test_datagram(int af)
{
    struct linger value;
    SOCKET s;
    int ret, len;

    s = socket(af, SOCK_DGRAM, IPPROTO_UDP);
    ok(s != INVALID_SOCKET, "af %d: socket failed, error %d\n", af, WSAGetLastError());
    if (s == INVALID_SOCKET) return;
    WSASetLastError(0xdead);
    memset(&value, 0xcc, sizeof(value));
    len = sizeof(value);
    ret = getsockopt(s, SOL_SOCKET, SO_LINGER, (char *)&value, &len);
    ok(ret == SOCKET_ERROR, "af %d: getsockopt(SO_LINGER) on a datagram socket returned %d\n", af, ret);
    ok(WSAGetLastError() == WSAENOPROTOOPT, "af %d: getsockopt(SO_LINGER) on a datagram socket: error %d\n",
       af, WSAGetLastError());
    closesocket(s);
}

static void test_closed_socket(void)
{
    struct linger value;
    DWORD dont;
    SOCKET s;
    int ret, len;

    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ok(s != INVALID_SOCKET, "socket failed, error %d\n", WSAGetLastError());
    if (s == INVALID_SOCKET) return;
    ok(!closesocket(s), "closesocket failed, error %d\n", WSAGetLastError());

    value.l_onoff = 0x1234;
    value.l_linger = 0x5678;
    len = sizeof(value);
    WSASetLastError(0xdead);
    ret = getsockopt(s, SOL_SOCKET, SO_LINGER, (char *)&value, &len);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAENOTSOCK,
       "getsockopt(SO_LINGER) on a closed socket: %d, error %d\n", ret, WSAGetLastError());
    ok(value.l_onoff == 0x1234 && value.l_linger == 0x5678, "the buffer was written: {%#x, %#x}\n",
       value.l_onoff, value.l_linger);
    ok(len == sizeof(value), "*optlen became %d\n", len);

    dont = 0xdeadbeef;
    len = sizeof(dont);
    WSASetLastError(0xdead);
    ret = getsockopt(s, SOL_SOCKET, SO_DONTLINGER, (char *)&dont, &len);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAENOTSOCK,
       "getsockopt(SO_DONTLINGER) on a closed socket: %d, error %d\n", ret, WSAGetLastError());
    ok(dont == 0xdeadbeef, "the buffer was written: %#lx\n", (unsigned long)dont);

    WSASetLastError(0xdead);
    ret = set_linger(s, 1, 1);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAENOTSOCK,
       "setsockopt(SO_LINGER) on a closed socket: %d, error %d\n", ret, WSAGetLastError());
    WSASetLastError(0xdead);
    ret = set_dontlinger(s, TRUE);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAENOTSOCK,
       "setsockopt(SO_DONTLINGER) on a closed socket: %d, error %d\n", ret, WSAGetLastError());

    WSASetLastError(0xdead);
    ret = set_linger(INVALID_SOCKET, 1, 1);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAENOTSOCK,
       "setsockopt(SO_LINGER) on INVALID_SOCKET: %d, error %d\n", ret, WSAGetLastError());
}

/* The accepted and the connecting end of a connection have the same
 * defaults, and their settings are independent of each other. */
static void test_connected(void)
{
    struct linger value;
    SOCKET client, server;
    int ret, len;

    if (wstest_tcp_pair(AF_INET, &client, &server))
    {
        ok(0, "could not make a connected pair, error %d\n", WSAGetLastError());
        return;
    }
    ret = get_linger(server, &value, &len);
    ok(!ret && value.l_onoff == 0, "accepted socket: %d, l_onoff %u\n", ret, value.l_onoff);
    ret = set_linger(client, 1, 30);
    ok(!ret, "setsockopt(SO_LINGER) on a connected socket failed, error %d\n", WSAGetLastError());
    ret = get_linger(client, &value, &len);
    ok(!ret && value.l_onoff == 1 && value.l_linger == 30, "connected socket: %d, linger {%u, %u}\n",
       ret, value.l_onoff, value.l_linger);
    ret = get_linger(server, &value, &len);
    ok(!ret && value.l_onoff == 0, "the peer's setting changed: %d, l_onoff %u\n", ret, value.l_onoff);
    /* leave the connection without lingering */
    set_linger(client, 0, 0);
    closesocket(client);
    closesocket(server);
}

START_TEST(linger_opts)
{
    WSADATA data;
    int ret;

    ret = WSAStartup(MAKEWORD(2, 2), &data);
    ok(!ret, "WSAStartup returned %d\n", ret);
    if (ret) return;

    test_defaults(AF_INET);
    test_defaults(AF_INET6);
    test_round_trips();
    test_dontlinger();
    test_linger_lengths();
    test_dontlinger_lengths();
    test_bad_pointers();
    test_datagram(AF_INET);
    test_datagram(AF_INET6);
    test_closed_socket();
    test_connected();

    ret = WSACleanup();
    ok(!ret, "WSACleanup returned %d\n", ret);
}
