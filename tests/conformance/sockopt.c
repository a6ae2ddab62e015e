/*
 * setsockopt / getsockopt: SO_TYPE, SO_ERROR, SO_REUSEADDR, SO_RCVBUF,
 * SO_SNDBUF, SO_RCVTIMEO, SO_SNDTIMEO, SO_KEEPALIVE, TCP_NODELAY; unknown
 * levels and options; read-only options; closed sockets.
 *
 * Expected values are Windows' own, from Wine's conformance test
 * test_set_getsockopt (which passes on Windows) and Microsoft's
 * getsockopt/setsockopt/"SOL_SOCKET Socket Options"/WSAGetLastError docs:
 *  - SO_ERROR can be set; a following get returns the value set; a get
 *    "retrieves error status and clears" it; getsockopt(SO_ERROR) with
 *    optlen 1 fails with WSAEFAULT.
 *  - Boolean SOL_SOCKET options (SO_REUSEADDR) accept optlen 0, 1, 2, 4 and
 *    8 on set; on get, optlen 1 writes one byte and reports 1, optlen 2
 *    writes two bytes and reports 1, optlen >= 4 writes 4 and reports 4; a
 *    stored 0x100 reads back as 1.
 *  - SO_RCVBUF / SO_SNDBUF: 4096 and 0 round-trip; optlen 1 or 2 fails with
 *    WSAEFAULT on set; on get it fails with WSAEFAULT, keeps *optlen and
 *    zero-fills that many bytes.
 *  - SO_RCVTIMEO / SO_SNDTIMEO round-trip 63000, 997000 and 0; optlen 1 or
 *    2 fails with WSAEFAULT and leaves the buffer alone.
 *  - TCP_NODELAY and SO_KEEPALIVE are read as one byte: any optlen >= 1 on
 *    set (value 0x100 counts as 0); get writes one byte and reports 1;
 *    optlen 0 on set fails with WSAEFAULT.
 *  - An unknown level (0xffffffff, 0x8000) fails with WSAEINVAL; an unknown
 *    option at a known level with WSAENOPROTOOPT; SO_TYPE cannot be set
 *    (WSAENOPROTOOPT); getsockopt with *optlen 0 fails with WSAEFAULT.
 *  - Successful calls on the options of Wine's table (SO_REUSEADDR,
 *    SO_RCVBUF, SO_SNDBUF, TCP_NODELAY, SO_KEEPALIVE) and on SO_ERROR set the
 *    last error to 0 (the getsockopt(SO_ERROR) docs say so too).
 *  - A closed socket gives WSAENOTSOCK and the buffer is untouched.
 */
#include "wstest.h"

static SOCKET make_socket(int af, int type)
{
    SOCKET s = socket(af, type, 0);

    ok(s != INVALID_SOCKET, "socket(%d, %d) failed, error %d\n", af, type, WSAGetLastError());
    return s;
}

static void test_so_type(void)
{
    static const struct
    {
        int af, type;
    } tests[] = {
        { AF_INET, SOCK_STREAM },
        { AF_INET, SOCK_DGRAM },
        { AF_INET6, SOCK_STREAM },
        { AF_INET6, SOCK_DGRAM },
    };
    unsigned int i;
    int value, len, ret;
    SOCKET s;

    for (i = 0; i < ARRAY_SIZE(tests); i++)
    {
        if ((s = make_socket(tests[i].af, tests[i].type)) == INVALID_SOCKET) continue;
        value = 0xdead;
        len = sizeof(value);
        WSASetLastError(0xdead);
        ret = getsockopt(s, SOL_SOCKET, SO_TYPE, (char *)&value, &len);
        ok(!ret, "af %d type %d: getsockopt(SO_TYPE) failed, error %d\n", tests[i].af, tests[i].type,
           WSAGetLastError());
        ok(value == tests[i].type, "af %d type %d: SO_TYPE %d\n", tests[i].af, tests[i].type, value);
        ok(len == sizeof(int), "af %d type %d: optlen %d\n", tests[i].af, tests[i].type, len);

        /* SO_TYPE cannot be set */
        value = SOCK_DGRAM;
        WSASetLastError(0xdead);
        ret = setsockopt(s, SOL_SOCKET, SO_TYPE, (const char *)&value, sizeof(value));
        ok(ret == SOCKET_ERROR, "af %d type %d: setsockopt(SO_TYPE) returned %d\n", tests[i].af,
           tests[i].type, ret);
        ok(WSAGetLastError() == WSAENOPROTOOPT, "af %d type %d: setsockopt(SO_TYPE): error %d\n",
           tests[i].af, tests[i].type, WSAGetLastError());
        value = 0xdead;
        len = sizeof(value);
        ret = getsockopt(s, SOL_SOCKET, SO_TYPE, (char *)&value, &len);
        ok(!ret && value == tests[i].type, "af %d type %d: SO_TYPE became %d\n", tests[i].af,
           tests[i].type, value);

        /* *optlen 0 */
        len = 0;
        WSASetLastError(0xdead);
        ret = getsockopt(s, SOL_SOCKET, SO_TYPE, (char *)&value, &len);
        ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT, "af %d type %d: optlen 0: %d, error %d\n",
           tests[i].af, tests[i].type, ret, WSAGetLastError());
        closesocket(s);
    }
}

static void test_so_error(void)
{
    int value, len, ret;
    SOCKET s;

    if ((s = make_socket(AF_INET, SOCK_STREAM)) == INVALID_SOCKET) return;

    value = 0xdead;
    len = sizeof(value);
    ret = getsockopt(s, SOL_SOCKET, SO_ERROR, (char *)&value, &len);
    ok(!ret && value == 0, "SO_ERROR of a new socket: %d, value %d\n", ret, value);
    ok(len == sizeof(int), "SO_ERROR optlen %d\n", len);

    value = 1234;
    WSASetLastError(0xdead);
    ret = setsockopt(s, SOL_SOCKET, SO_ERROR, (const char *)&value, sizeof(value));
    ok(!ret, "setsockopt(SO_ERROR, 1234) returned %d, error %d\n", ret, WSAGetLastError());
    ok(!WSAGetLastError(), "setsockopt(SO_ERROR): error %d after success\n", WSAGetLastError());

    value = 4321;
    len = sizeof(value);
    WSASetLastError(0xdead);
    ret = getsockopt(s, SOL_SOCKET, SO_ERROR, (char *)&value, &len);
    ok(!ret, "getsockopt(SO_ERROR) returned %d, error %d\n", ret, WSAGetLastError());
    ok(!WSAGetLastError(), "getsockopt(SO_ERROR): error %d after success\n", WSAGetLastError());
    ok(value == 1234, "SO_ERROR read back as %d, expected 1234\n", value);

    /* reading it cleared it */
    value = 4321;
    len = sizeof(value);
    ret = getsockopt(s, SOL_SOCKET, SO_ERROR, (char *)&value, &len);
    ok(!ret, "getsockopt(SO_ERROR) returned %d, error %d\n", ret, WSAGetLastError());
    ok(value == 0, "SO_ERROR read a second time gave %d, expected 0\n", value);

    /* the socket error is not the thread's error */
    value = WSAECONNRESET;
    ret = setsockopt(s, SOL_SOCKET, SO_ERROR, (const char *)&value, sizeof(value));
    ok(!ret, "setsockopt(SO_ERROR) failed, error %d\n", WSAGetLastError());
    WSASetLastError(WSAEINTR);
    ok(WSAGetLastError() == WSAEINTR, "WSAGetLastError %d\n", WSAGetLastError());
    value = 0;
    len = sizeof(value);
    ret = getsockopt(s, SOL_SOCKET, SO_ERROR, (char *)&value, &len);
    ok(!ret && value == WSAECONNRESET, "SO_ERROR %d, expected %d\n", value, WSAECONNRESET);

    /* short buffer */
    len = 1;
    WSASetLastError(0xdead);
    ret = getsockopt(s, SOL_SOCKET, SO_ERROR, (char *)&value, &len);
    ok(ret == SOCKET_ERROR, "getsockopt(SO_ERROR) with optlen 1 returned %d\n", ret);
    ok(WSAGetLastError() == WSAEFAULT, "getsockopt(SO_ERROR) with optlen 1: error %d\n", WSAGetLastError());

    closesocket(s);

    /* closed socket */
    value = 1234;
    len = sizeof(value);
    WSASetLastError(0xdead);
    ret = getsockopt(s, SOL_SOCKET, SO_ERROR, (char *)&value, &len);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAENOTSOCK,
       "getsockopt(SO_ERROR) on a closed socket: %d, error %d\n", ret, WSAGetLastError());
    ok(value == 1234, "the buffer was written: %d\n", value);
}

static void test_reuseaddr(void)
{
    static const struct
    {
        int optlen;
        DWORD expect; /* buffer prefilled with 0xdeadbeef, option is 1 */
        int expect_len;
    } gets[] = {
        { 1, 0xdeadbe01, 1 },
        { 2, 0xdead0001, 1 },
        { 4, 0x00000001, 4 },
    };
    unsigned int i;
    DWORD value;
    UINT64 value64;
    BYTE byte;
    int len, ret;
    SOCKET s;

    if ((s = make_socket(AF_INET, SOCK_STREAM)) == INVALID_SOCKET) return;

    value = 0xdeadbeef;
    len = sizeof(value);
    ret = getsockopt(s, SOL_SOCKET, SO_REUSEADDR, (char *)&value, &len);
    ok(!ret && value == 0 && len == 4, "default SO_REUSEADDR: %d, value %#lx, optlen %d\n",
       ret, (unsigned long)value, len);

    /* a stored value is a boolean */
    value = 0x100;
    WSASetLastError(0xdead);
    ret = setsockopt(s, SOL_SOCKET, SO_REUSEADDR, (const char *)&value, sizeof(value));
    ok(!ret && !WSAGetLastError(), "set 0x100: %d, error %d\n", ret, WSAGetLastError());
    value = 0xdeadbeef;
    len = sizeof(value);
    ret = getsockopt(s, SOL_SOCKET, SO_REUSEADDR, (char *)&value, &len);
    ok(!ret && value == 1 && len == 4, "0x100 read back: %d, value %#lx, optlen %d\n",
       ret, (unsigned long)value, len);

    /* get with short buffers */
    for (i = 0; i < ARRAY_SIZE(gets); i++)
    {
        value = 0xdeadbeef;
        len = gets[i].optlen;
        WSASetLastError(0xdead);
        ret = getsockopt(s, SOL_SOCKET, SO_REUSEADDR, (char *)&value, &len);
        ok(!ret && !WSAGetLastError(), "get optlen %d: %d, error %d\n", gets[i].optlen, ret, WSAGetLastError());
        ok(value == gets[i].expect, "get optlen %d: buffer %#lx, expected %#lx\n", gets[i].optlen,
           (unsigned long)value, (unsigned long)gets[i].expect);
        ok(len == gets[i].expect_len, "get optlen %d: *optlen %d, expected %d\n", gets[i].optlen,
           len, gets[i].expect_len);
    }

    /* set with short lengths */
    byte = 0;
    ret = setsockopt(s, SOL_SOCKET, SO_REUSEADDR, (const char *)&byte, 1);
    ok(!ret, "set 1-byte 0: %d, error %d\n", ret, WSAGetLastError());
    value = 0xdeadbeef;
    len = sizeof(value);
    ret = getsockopt(s, SOL_SOCKET, SO_REUSEADDR, (char *)&value, &len);
    ok(!ret && value == 0, "after 1-byte 0: %d, value %#lx\n", ret, (unsigned long)value);
    byte = 1;
    ret = setsockopt(s, SOL_SOCKET, SO_REUSEADDR, (const char *)&byte, 1);
    ok(!ret, "set 1-byte 1: %d, error %d\n", ret, WSAGetLastError());
    value = 0xdeadbeef;
    len = sizeof(value);
    ret = getsockopt(s, SOL_SOCKET, SO_REUSEADDR, (char *)&value, &len);
    ok(!ret && value == 1, "after 1-byte 1: %d, value %#lx\n", ret, (unsigned long)value);
    value = 1;
    WSASetLastError(0xdead);
    ret = setsockopt(s, SOL_SOCKET, SO_REUSEADDR, (const char *)&value, 0);
    ok(!ret && !WSAGetLastError(), "set optlen 0: %d, error %d\n", ret, WSAGetLastError());
    value = 1;
    ret = setsockopt(s, SOL_SOCKET, SO_REUSEADDR, (const char *)&value, 2);
    ok(!ret, "set optlen 2: %d, error %d\n", ret, WSAGetLastError());
    value64 = 0xffffffff00000001ull;
    ret = setsockopt(s, SOL_SOCKET, SO_REUSEADDR, (const char *)&value64, sizeof(value64));
    ok(!ret, "set optlen 8: %d, error %d\n", ret, WSAGetLastError());
    value64 = 0;
    len = sizeof(value64);
    ret = getsockopt(s, SOL_SOCKET, SO_REUSEADDR, (char *)&value64, &len);
    ok(!ret && len == 4 && (value64 & 0xffffffff) == 1, "get optlen 8: %d, optlen %d, low dword %#lx\n",
       ret, len, (unsigned long)(value64 & 0xffffffff));

    /* get with optlen 0 fails */
    len = 0;
    WSASetLastError(0xdead);
    ret = getsockopt(s, SOL_SOCKET, SO_REUSEADDR, (char *)&value, &len);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT, "get optlen 0: %d, error %d\n",
       ret, WSAGetLastError());
    closesocket(s);
}

static void test_buffers(void)
{
    static const int optnames[] = { SO_RCVBUF, SO_SNDBUF };
    unsigned int i;
    int ret, len, j;
    DWORD value;
    SOCKET s;

    if ((s = make_socket(AF_INET, SOCK_STREAM)) == INVALID_SOCKET) return;

    for (i = 0; i < ARRAY_SIZE(optnames); i++)
    {
        const char *name = optnames[i] == SO_RCVBUF ? "SO_RCVBUF" : "SO_SNDBUF";
        static const DWORD values[] = { 4096, 0 };
        unsigned int k;

        value = 0;
        len = sizeof(value);
        ret = getsockopt(s, SOL_SOCKET, optnames[i], (char *)&value, &len);
        ok(!ret && len == 4, "%s default: %d, optlen %d\n", name, ret, len);

        for (k = 0; k < ARRAY_SIZE(values); k++)
        {
            value = values[k];
            WSASetLastError(0xdead);
            ret = setsockopt(s, SOL_SOCKET, optnames[i], (const char *)&value, sizeof(value));
            ok(!ret && !WSAGetLastError(), "%s set %lu: %d, error %d\n", name, (unsigned long)values[k],
               ret, WSAGetLastError());
            value = 0xdeadbeef;
            len = sizeof(value);
            ret = getsockopt(s, SOL_SOCKET, optnames[i], (char *)&value, &len);
            ok(!ret && len == 4, "%s get: %d, optlen %d\n", name, ret, len);
            ok(value == values[k], "%s read back %lu, expected %lu\n", name, (unsigned long)value,
               (unsigned long)values[k]);
        }

        /* optlen 1 and 2 */
        value = 4096;
        ret = setsockopt(s, SOL_SOCKET, optnames[i], (const char *)&value, sizeof(value));
        ok(!ret, "%s set 4096: %d, error %d\n", name, ret, WSAGetLastError());
        for (j = 1; j <= 2; j++)
        {
            value = 1;
            WSASetLastError(0xdead);
            ret = setsockopt(s, SOL_SOCKET, optnames[i], (const char *)&value, j);
            ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT, "%s set optlen %d: %d, error %d\n",
               name, j, ret, WSAGetLastError());

            value = 0xdeadbeef;
            len = j;
            WSASetLastError(0xdead);
            ret = getsockopt(s, SOL_SOCKET, optnames[i], (char *)&value, &len);
            ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT, "%s get optlen %d: %d, error %d\n",
               name, j, ret, WSAGetLastError());
            ok(len == j, "%s get optlen %d: *optlen became %d\n", name, j, len);
            ok(value == (j == 1 ? 0xdeadbe00 : 0xdead0000), "%s get optlen %d: buffer %#lx\n",
               name, j, (unsigned long)value);
        }
        value = 0xdeadbeef;
        len = sizeof(value);
        ret = getsockopt(s, SOL_SOCKET, optnames[i], (char *)&value, &len);
        ok(!ret && value == 4096, "%s after the failed sets: %d, value %lu\n", name, ret, (unsigned long)value);

        /* optlen 0 */
        value = 1;
        WSASetLastError(0xdead);
        ret = setsockopt(s, SOL_SOCKET, optnames[i], (const char *)&value, 0);
        ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT, "%s set optlen 0: %d, error %d\n",
           name, ret, WSAGetLastError());
    }
    closesocket(s);
}

static void test_timeouts(void)
{
    static const int optnames[] = { SO_RCVTIMEO, SO_SNDTIMEO };
    static const DWORD values[] = { 63000, 997000, 0 };
    unsigned int i, k;
    int ret, len, j;
    DWORD value;
    SOCKET s;

    if ((s = make_socket(AF_INET, SOCK_STREAM)) == INVALID_SOCKET) return;
    for (i = 0; i < ARRAY_SIZE(optnames); i++)
    {
        const char *name = optnames[i] == SO_RCVTIMEO ? "SO_RCVTIMEO" : "SO_SNDTIMEO";

        value = 0xdeadbeef;
        len = sizeof(value);
        ret = getsockopt(s, SOL_SOCKET, optnames[i], (char *)&value, &len);
        ok(!ret && value == 0 && len == 4, "%s default: %d, value %lu, optlen %d\n", name, ret,
           (unsigned long)value, len);

        for (k = 0; k < ARRAY_SIZE(values); k++)
        {
            value = values[k];
            ret = setsockopt(s, SOL_SOCKET, optnames[i], (const char *)&value, sizeof(value));
            ok(!ret, "%s set %lu: %d, error %d\n", name, (unsigned long)values[k], ret, WSAGetLastError());
            value = 0xdeadbeef;
            len = sizeof(value);
            ret = getsockopt(s, SOL_SOCKET, optnames[i], (char *)&value, &len);
            ok(!ret && value == values[k] && len == 4, "%s read back: %d, value %lu, optlen %d\n", name,
               ret, (unsigned long)value, len);
        }

        for (j = 1; j <= 2; j++)
        {
            value = 1;
            WSASetLastError(0xdead);
            ret = setsockopt(s, SOL_SOCKET, optnames[i], (const char *)&value, j);
            ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT, "%s set optlen %d: %d, error %d\n",
               name, j, ret, WSAGetLastError());
            value = 0xdeadbeef;
            len = j;
            WSASetLastError(0xdead);
            ret = getsockopt(s, SOL_SOCKET, optnames[i], (char *)&value, &len);
            ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT, "%s get optlen %d: %d, error %d\n",
               name, j, ret, WSAGetLastError());
            ok(value == 0xdeadbeef, "%s get optlen %d: the buffer was written: %#lx\n", name, j,
               (unsigned long)value);
            ok(len == j, "%s get optlen %d: *optlen became %d\n", name, j, len);
        }
    }
    closesocket(s);
}

/* Options Windows reads and writes as a single byte. */
static void test_byte_options(void)
{
    static const struct
    {
        int level, optname;
        const char *name;
    } options[] = {
        { IPPROTO_TCP, TCP_NODELAY, "TCP_NODELAY" },
        { SOL_SOCKET, SO_KEEPALIVE, "SO_KEEPALIVE" },
    };
    static const int set_lengths[] = { 1, 2, 4, 8 };
    unsigned int i, k;
    DWORD value;
    int ret, len;
    SOCKET s;

    if ((s = make_socket(AF_INET, SOCK_STREAM)) == INVALID_SOCKET) return;
    for (i = 0; i < ARRAY_SIZE(options); i++)
    {
        const char *name = options[i].name;
        char big[64];

        /* default off */
        value = 0xdeadbeef;
        len = sizeof(value);
        WSASetLastError(0xdead);
        ret = getsockopt(s, options[i].level, options[i].optname, (char *)&value, &len);
        ok(!ret && !WSAGetLastError(), "%s default: %d, error %d\n", name, ret, WSAGetLastError());
        ok(value == 0xdeadbe00, "%s default: buffer %#lx, expected one zero byte\n", name, (unsigned long)value);
        ok(len == 1, "%s default: *optlen %d, expected 1\n", name, len);

        /* any optlen >= 1 */
        for (k = 0; k < ARRAY_SIZE(set_lengths); k++)
        {
            memset(big, 0, sizeof(big));
            big[0] = 1;
            WSASetLastError(0xdead);
            ret = setsockopt(s, options[i].level, options[i].optname, big, set_lengths[k]);
            ok(!ret && !WSAGetLastError(), "%s set 1 with optlen %d: %d, error %d\n", name,
               set_lengths[k], ret, WSAGetLastError());
            value = 0xdeadbeef;
            len = sizeof(value);
            ret = getsockopt(s, options[i].level, options[i].optname, (char *)&value, &len);
            ok(!ret && value == 0xdeadbe01 && len == 1, "%s after optlen %d: %d, buffer %#lx, optlen %d\n",
               name, set_lengths[k], ret, (unsigned long)value, len);
            big[0] = 0;
            ret = setsockopt(s, options[i].level, options[i].optname, big, set_lengths[k]);
            ok(!ret, "%s set 0 with optlen %d: %d, error %d\n", name, set_lengths[k], ret, WSAGetLastError());
        }

        /* only the first byte counts: 0x100 is off */
        value = 1;
        ret = setsockopt(s, options[i].level, options[i].optname, (const char *)&value, sizeof(value));
        ok(!ret, "%s set 1: %d\n", name, ret);
        value = 0x100;
        ret = setsockopt(s, options[i].level, options[i].optname, (const char *)&value, sizeof(value));
        ok(!ret, "%s set 0x100: %d, error %d\n", name, ret, WSAGetLastError());
        value = 0xdeadbeef;
        len = sizeof(value);
        ret = getsockopt(s, options[i].level, options[i].optname, (char *)&value, &len);
        ok(!ret && value == 0xdeadbe00 && len == 1, "%s after 0x100: %d, buffer %#lx, optlen %d\n",
           name, ret, (unsigned long)value, len);

        /* optlen 0 */
        value = 1;
        WSASetLastError(0xdead);
        ret = setsockopt(s, options[i].level, options[i].optname, (const char *)&value, 0);
        ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT, "%s set optlen 0: %d, error %d\n",
           name, ret, WSAGetLastError());
        value = 0xdeadbeef;
        len = sizeof(value);
        ret = getsockopt(s, options[i].level, options[i].optname, (char *)&value, &len);
        ok(!ret && value == 0xdeadbe00, "%s after the failed set: %d, buffer %#lx\n", name, ret,
           (unsigned long)value);
        len = 0;
        WSASetLastError(0xdead);
        ret = getsockopt(s, options[i].level, options[i].optname, (char *)&value, &len);
        ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT, "%s get optlen 0: %d, error %d\n",
           name, ret, WSAGetLastError());
    }
    closesocket(s);
}

static void test_unknown(void)
{
    static const int levels[] = { 0x8000, (int)0xffffffff };
    unsigned int i;
    DWORD value;
    int ret, len;
    SOCKET s;

    if ((s = make_socket(AF_INET, SOCK_STREAM)) == INVALID_SOCKET) return;
    for (i = 0; i < ARRAY_SIZE(levels); i++)
    {
        value = 63000;
        WSASetLastError(0xdead);
        ret = setsockopt(s, levels[i], SO_RCVTIMEO, (const char *)&value, sizeof(value));
        ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEINVAL, "set at level %#x: %d, error %d\n",
           levels[i], ret, WSAGetLastError());
        value = 0xdeadbeef;
        len = sizeof(value);
        WSASetLastError(0xdead);
        ret = getsockopt(s, levels[i], SO_RCVTIMEO, (char *)&value, &len);
        ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEINVAL, "get at level %#x: %d, error %d\n",
           levels[i], ret, WSAGetLastError());
    }

    value = 1;
    WSASetLastError(0xdead);
    ret = setsockopt(s, SOL_SOCKET, 0x7fff0000, (const char *)&value, sizeof(value));
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAENOPROTOOPT, "set unknown SOL_SOCKET option: %d, error %d\n",
       ret, WSAGetLastError());
    len = sizeof(value);
    WSASetLastError(0xdead);
    ret = getsockopt(s, SOL_SOCKET, 0x7fff0000, (char *)&value, &len);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAENOPROTOOPT, "get unknown SOL_SOCKET option: %d, error %d\n",
       ret, WSAGetLastError());
    WSASetLastError(0xdead);
    ret = setsockopt(s, IPPROTO_TCP, 0x7777, (const char *)&value, sizeof(value));
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAENOPROTOOPT, "set unknown IPPROTO_TCP option: %d, error %d\n",
       ret, WSAGetLastError());
    len = sizeof(value);
    WSASetLastError(0xdead);
    ret = getsockopt(s, IPPROTO_TCP, 0x7777, (char *)&value, &len);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAENOPROTOOPT, "get unknown IPPROTO_TCP option: %d, error %d\n",
       ret, WSAGetLastError());
    closesocket(s);
}

static void test_not_sockets(void)
{
    DWORD value;
    int ret, len;

    value = 0xdeadbeef;
    len = sizeof(value);
    WSASetLastError(0xdead);
    ret = getsockopt(INVALID_SOCKET, SOL_SOCKET, SO_RCVBUF, (char *)&value, &len);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAENOTSOCK, "getsockopt(INVALID_SOCKET): %d, error %d\n",
       ret, WSAGetLastError());
    ok(value == 0xdeadbeef && len == sizeof(value), "the buffer or length was written: %#lx, %d\n",
       (unsigned long)value, len);
    value = 1;
    WSASetLastError(0xdead);
    ret = setsockopt(INVALID_SOCKET, SOL_SOCKET, SO_REUSEADDR, (const char *)&value, sizeof(value));
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAENOTSOCK, "setsockopt(INVALID_SOCKET): %d, error %d\n",
       ret, WSAGetLastError());
}

START_TEST(sockopt)
{
    WSADATA data;
    int ret;

    ret = WSAStartup(MAKEWORD(2, 2), &data);
    ok(!ret, "WSAStartup returned %d\n", ret);
    if (ret) return;

    test_so_type();
    test_so_error();
    test_reuseaddr();
    test_buffers();
    test_timeouts();
    test_byte_options();
    test_unknown();
    test_not_sockets();

    ret = WSACleanup();
    ok(!ret, "WSACleanup returned %d\n", ret);
}
