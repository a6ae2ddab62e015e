/*
 * Address strings, the protocol catalogue and database, the host name and
 * the Winsock 1.1 blocking-hook calls: WSAAddressToStringA/W,
 * WSAStringToAddressA/W, WSAEnumProtocolsA/W, getprotobyname,
 * getprotobynumber, gethostname, GetHostNameW, WSAIsBlocking,
 * WSACancelBlockingCall, WSASetBlockingHook, WSAUnhookBlockingHook.
 *
 * Expected values are Windows' own:
 *  - "WSAAddressToStringA function" (Microsoft docs): the length is in
 *    characters (WCHARs for the W form); on success it becomes the length
 *    written, NUL included; a buffer too small is WSAEFAULT with the length
 *    set to the size needed; WSAEINVAL for a NULL address or length pointer
 *    and for a family no provider supports; WSANOTINITIALISED before
 *    WSAStartup.
 *  - Wine's conformance test test_WSAAddressToString (passes on Windows):
 *    IPv4 prints "a.b.c.d", followed by ":port" when the port is not 0;
 *    IPv6 prints the address with "%scope" when the scope id is not 0, in
 *    brackets followed by ":port" when the port is not 0; a length of 0
 *    gives WSAEFAULT and the needed length, also with a NULL buffer.
 *  - "WSAStringToAddressA function": the length is in bytes; too small is
 *    WSAEFAULT with the size needed; WSAEINVAL when the string cannot be
 *    translated; a missing port is 0; WSANOTINITIALISED before WSAStartup.
 *  - Wine's conformance test test_WSAStringToAddress (passes on Windows):
 *    IPv4 takes inet_addr's forms (one to four parts, octal, hex) and an
 *    optional ":port" (decimal, octal, hex; ":" and ":0" are errors); IPv6
 *    takes "addr", "[addr]" and "[addr]:port"; on an error the length is
 *    left alone, sin_family is 0 and the port 0, while what was read of the
 *    address before the error stays in the sockaddr; on success the length
 *    becomes sizeof the sockaddr.  The "%scope" forms are those of
 *    RtlIpv6StringToAddressEx ("RtlIpv6StringToAddressExA function"), on
 *    which the IPv6 form is built.
 *  - "WSAEnumProtocolsA function": returns the number of protocols; a
 *    buffer too small is WSAENOBUFS with the length set to the minimum
 *    needed; the 0-terminated lpiProtocols list restricts the answer;
 *    WSANOTINITIALISED before WSAStartup.  Wine's conformance test
 *    test_WSAEnumProtocolsA/W (passes on Windows): a NULL buffer and a
 *    length of 0 give WSAENOBUFS; numbers no protocol has are ignored in
 *    the list; the TCP and UDP entries of version 2 have the service flags
 *    checked below (XP1_QOS_SUPPORTED aside).  "SO_PROTOCOL_INFO socket
 *    option": a socket's WSAPROTOCOL_INFO is the catalogue entry it was
 *    created from.
 *  - Wine's conformance tests test_getprotobyname / test_getprotobynumber
 *    (pass on Windows): Windows' protocol table below, names matched
 *    without regard to case, every other number from -1 to 256 unknown,
 *    p_aliases[0] the alias.  "getprotobyname function": the structure
 *    belongs to Winsock, one per thread; WSANO_DATA when not found;
 *    WSANOTINITIALISED before WSAStartup.
 *  - "gethostname function", "GetHostNameW function": WSAEFAULT for a NULL
 *    name or a namelen too small for the name and its NUL; Wine's tests
 *    test_gethostname / test_GetHostNameW (pass on Windows): a buffer of
 *    exactly the name's length fails and is left as it was, one more
 *    character succeeds.
 *  - "Windows Sockets Compatibility Issues": WSACancelBlockingCall,
 *    WSAIsBlocking, WSASetBlockingHook and WSAUnhookBlockingHook are not
 *    available to Windows Sockets 2 applications: for a process that asked
 *    for version 2.2 the hook calls fail with WSAEOPNOTSUPP and no call is
 *    blocking.
 */
#include <ctype.h>
#include "wstest.h"

/* ------------------------------------------------------------ helpers */

static void make_sin(SOCKADDR_IN *sin, ULONG host_addr, USHORT port)
{
    memset(sin, 0, sizeof(*sin));
    sin->sin_family = AF_INET;
    sin->sin_addr.s_addr = htonl(host_addr);
    sin->sin_port = htons(port);
}

static void make_sin6(SOCKADDR_IN6 *sin6, const USHORT groups[8], ULONG scope, USHORT port)
{
    int i;

    memset(sin6, 0, sizeof(*sin6));
    sin6->sin6_family = AF_INET6;
    for (i = 0; i < 8; i++)
    {
        sin6->sin6_addr.s6_addr[2 * i] = groups[i] >> 8;
        sin6->sin6_addr.s6_addr[2 * i + 1] = groups[i] & 0xff;
    }
    sin6->sin6_scope_id = scope;
    sin6->sin6_port = htons(port);
}

static void to_wide(const char *s, WCHAR *w, int size)
{
    MultiByteToWideChar(CP_ACP, 0, s, -1, w, size);
}

static int wide_equals(const WCHAR *w, const char *s)
{
    WCHAR expect[128];

    to_wide(s, expect, ARRAY_SIZE(expect));
    return !wcscmp(w, expect);
}

/* ------------------------------------------------------------ before WSAStartup */

static void test_before_startup(void)
{
    SOCKADDR_IN sin;
    char text[64];
    DWORD len;
    int ret, sinlen;
    struct protoent *ent;

    make_sin(&sin, 0x7f000001, 0);

    WSASetLastError(0xdead);
    ret = gethostname(text, sizeof(text));
    ok(ret == SOCKET_ERROR, "gethostname before WSAStartup returned %d\n", ret);
    ok(WSAGetLastError() == WSANOTINITIALISED, "gethostname: got error %d\n", WSAGetLastError());

    WSASetLastError(0xdead);
    len = 0;
    ret = WSAEnumProtocolsA(NULL, NULL, &len);
    ok(ret == SOCKET_ERROR, "WSAEnumProtocolsA before WSAStartup returned %d\n", ret);
    ok(WSAGetLastError() == WSANOTINITIALISED, "WSAEnumProtocolsA: got error %d\n", WSAGetLastError());

    WSASetLastError(0xdead);
    len = sizeof(text);
    ret = WSAAddressToStringA((SOCKADDR *)&sin, sizeof(sin), NULL, text, &len);
    ok(ret == SOCKET_ERROR, "WSAAddressToStringA before WSAStartup returned %d\n", ret);
    ok(WSAGetLastError() == WSANOTINITIALISED, "WSAAddressToStringA: got error %d\n", WSAGetLastError());

    WSASetLastError(0xdead);
    sinlen = sizeof(sin);
    ret = WSAStringToAddressA((char *)"1.2.3.4", AF_INET, NULL, (SOCKADDR *)&sin, &sinlen);
    ok(ret == SOCKET_ERROR, "WSAStringToAddressA before WSAStartup returned %d\n", ret);
    ok(WSAGetLastError() == WSANOTINITIALISED, "WSAStringToAddressA: got error %d\n", WSAGetLastError());

    WSASetLastError(0xdead);
    ent = getprotobynumber(IPPROTO_TCP);
    ok(!ent, "getprotobynumber before WSAStartup returned %p\n", ent);
    ok(WSAGetLastError() == WSANOTINITIALISED, "getprotobynumber: got error %d\n", WSAGetLastError());

    WSASetLastError(0xdead);
    ret = WSAUnhookBlockingHook();
    ok(ret == SOCKET_ERROR, "WSAUnhookBlockingHook before WSAStartup returned %d\n", ret);
    ok(WSAGetLastError() == WSANOTINITIALISED, "WSAUnhookBlockingHook: got error %d\n", WSAGetLastError());
    ok(!WSAIsBlocking(), "WSAIsBlocking before WSAStartup returned TRUE\n");
}

/* ------------------------------------------------------------ WSAAddressToString */

static const struct
{
    ULONG addr;
    USHORT port;
    const char *text;
}
/* clang-format off */
v4_texts[] =
{
    { 0x00000000, 0,     "0.0.0.0" },
    { 0x7f000001, 0,     "127.0.0.1" },
    { 0xc0a80101, 8080,  "192.168.1.1:8080" },
    { 0x0a000001, 1,     "10.0.0.1:1" },
    { 0xffffffff, 65535, "255.255.255.255:65535" },
};
/* clang-format on */

static const struct
{
    USHORT groups[8];
    ULONG scope;
    USHORT port;
    const char *text;
}
/* clang-format off */
v6_texts[] =
{
    { { 0, 0, 0, 0, 0, 0, 0, 1 },                   0, 0,    "::1" },
    { { 0, 0, 0, 0, 0, 0, 0, 0 },                   0, 0,    "::" },
    { { 0x2001, 0xdb8, 0, 0, 0, 0, 0, 1 },          0, 443,  "[2001:db8::1]:443" },
    { { 0xfe80, 0, 0, 0, 0, 0, 0, 1 },              5, 0,    "fe80::1%5" },
    { { 0xfe80, 0, 0, 0, 0, 0, 0, 1 },              5, 80,   "[fe80::1%5]:80" },
    { { 1, 2, 3, 4, 5, 6, 7, 8 },                   0, 0,    "1:2:3:4:5:6:7:8" },
    { { 0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304 },    0, 0,    "::ffff:1.2.3.4" },
    { { 0x2001, 0xdb8, 0, 1, 0, 0, 0, 1 },          0, 0,    "2001:db8:0:1::1" },
    { { 0xfe80, 0, 0, 0, 0x1234, 0, 0, 0xabcd }, 4000000000u, 65535, "[fe80::1234:0:0:abcd%4000000000]:65535" },
};
/* clang-format on */

static void check_to_string(const SOCKADDR *addr, int addrlen, const char *expect)
{
    char text[128];
    WCHAR textw[128];
    DWORD len, needed = (DWORD)strlen(expect) + 1;
    int ret;

    len = sizeof(text);
    memset(text, 'x', sizeof(text));
    WSASetLastError(0xdead);
    ret = WSAAddressToStringA((SOCKADDR *)addr, addrlen, NULL, text, &len);
    ok(!ret, "%s: WSAAddressToStringA returned %d, error %d\n", expect, ret, WSAGetLastError());
    ok(!strcmp(text, expect), "%s: got \"%s\"\n", expect, text);
    ok(len == needed, "%s: got length %lu\n", expect, len);

    len = ARRAY_SIZE(textw);
    ret = WSAAddressToStringW((SOCKADDR *)addr, addrlen, NULL, textw, &len);
    ok(!ret, "%s: WSAAddressToStringW returned %d, error %d\n", expect, ret, WSAGetLastError());
    ok(!ret && wide_equals(textw, expect), "%s: wide text differs\n", expect);
    ok(len == needed, "%s: W got length %lu\n", expect, len);

    /* Too small by one: WSAEFAULT, the needed length, nothing written. */
    len = needed - 1;
    memset(text, 'x', sizeof(text));
    WSASetLastError(0xdead);
    ret = WSAAddressToStringA((SOCKADDR *)addr, addrlen, NULL, text, &len);
    ok(ret == SOCKET_ERROR, "%s: short buffer returned %d\n", expect, ret);
    ok(WSAGetLastError() == WSAEFAULT, "%s: short buffer: got error %d\n", expect, WSAGetLastError());
    ok(len == needed, "%s: short buffer: got length %lu\n", expect, len);

    /* Exactly the size needed is enough. */
    len = needed;
    ret = WSAAddressToStringA((SOCKADDR *)addr, addrlen, NULL, text, &len);
    ok(!ret && !strcmp(text, expect), "%s: exact buffer: returned %d, \"%.40s\"\n", expect, ret, text);
    ok(len == needed, "%s: exact buffer: got length %lu\n", expect, len);

    len = needed - 1;
    WSASetLastError(0xdead);
    ret = WSAAddressToStringW((SOCKADDR *)addr, addrlen, NULL, textw, &len);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT,
       "%s: W short buffer: returned %d, error %d\n", expect, ret, WSAGetLastError());
    ok(len == needed, "%s: W short buffer: got length %lu (characters expected)\n", expect, len);
}

static void test_address_to_string(void)
{
    SOCKADDR_IN sin;
    SOCKADDR_IN6 sin6;
    char text[64];
    DWORD len;
    unsigned int i;
    int ret;

    for (i = 0; i < ARRAY_SIZE(v4_texts); i++)
    {
        make_sin(&sin, v4_texts[i].addr, v4_texts[i].port);
        check_to_string((SOCKADDR *)&sin, sizeof(sin), v4_texts[i].text);
    }
    for (i = 0; i < ARRAY_SIZE(v6_texts); i++)
    {
        make_sin6(&sin6, v6_texts[i].groups, v6_texts[i].scope, v6_texts[i].port);
        check_to_string((SOCKADDR *)&sin6, sizeof(sin6), v6_texts[i].text);
    }

    /* A length of 0 (and no buffer at all for the W form) asks for the size. */
    make_sin(&sin, 0, 0);
    len = 0;
    WSASetLastError(0xdead);
    ret = WSAAddressToStringA((SOCKADDR *)&sin, sizeof(sin), NULL, text, &len);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT, "length 0: returned %d, error %d\n",
       ret, WSAGetLastError());
    ok(len == 8, "length 0: got length %lu\n", len);
    len = 0;
    WSASetLastError(0xdead);
    ret = WSAAddressToStringW((SOCKADDR *)&sin, sizeof(sin), NULL, NULL, &len);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT, "NULL buffer: returned %d, error %d\n",
       ret, WSAGetLastError());
    ok(len == 8, "NULL buffer: got length %lu\n", len);

    /* Documented WSAEINVAL cases. */
    len = sizeof(text);
    WSASetLastError(0xdead);
    ret = WSAAddressToStringA(NULL, sizeof(sin), NULL, text, &len);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEINVAL, "NULL address: returned %d, error %d\n",
       ret, WSAGetLastError());
    WSASetLastError(0xdead);
    ret = WSAAddressToStringA((SOCKADDR *)&sin, sizeof(sin), NULL, text, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEINVAL, "NULL length: returned %d, error %d\n",
       ret, WSAGetLastError());
    sin.sin_family = 0x4242;
    len = sizeof(text);
    WSASetLastError(0xdead);
    ret = WSAAddressToStringA((SOCKADDR *)&sin, sizeof(sin), NULL, text, &len);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEINVAL, "family 0x4242: returned %d, error %d\n",
       ret, WSAGetLastError());
}

/* ------------------------------------------------------------ WSAStringToAddress */

static const struct
{
    const char *text;
    int error;
    ULONG addr; /* host order: what Windows leaves, also on error */
    USHORT port;
    const char *canonical; /* WSAAddressToString of the result */
}
/* clang-format off */
v4_strings[] =
{
    { "1.2.3.4",            0,         0x01020304, 0,     "1.2.3.4" },
    { "1.2.3.4:80",         0,         0x01020304, 80,    "1.2.3.4:80" },
    { "127.1",              0,         0x7f000001, 0,     "127.0.0.1" },
    { "127.1:65535",        0,         0x7f000001, 65535, "127.0.0.1:65535" },
    { "10.1.0x203",         0,         0x0a010203, 0,     "10.1.2.3" },
    { "0x7f.1",             0,         0x7f000001, 0,     "127.0.0.1" },
    { "3232235777",         0,         0xc0a80101, 0,     "192.168.1.1" },
    { "010.0.0.1:010",      0,         0x08000001, 8,     "8.0.0.1:8" },
    { "10.0.0.1:0x1F90",    0,         0x0a000001, 8080,  "10.0.0.1:8080" },
    { "",                   WSAEINVAL, 0, 0, NULL },
    { " 1.2.3.4",           WSAEINVAL, 0, 0, NULL },
    { "1.2.3.256",          WSAEINVAL, 0, 0, NULL },
    { "1.2.3.4.5",          WSAEINVAL, 0, 0, NULL },
    { "1.2.3.",             WSAEINVAL, 0, 0, NULL },
    { "[1.2.3.4]",          WSAEINVAL, 0, 0, NULL },
    { "::1",                WSAEINVAL, 0, 0, NULL },
    { "1.2.3.4:",           WSAEINVAL, 0x01020304, 0, NULL },
    { "1.2.3.4:0",          WSAEINVAL, 0x01020304, 0, NULL },
    { "1.2.3.4:65536",      WSAEINVAL, 0x01020304, 0, NULL },
    { "1.2.3.4:08",         WSAEINVAL, 0x01020304, 0, NULL },
    { "1.2.3.4:80 ",        WSAEINVAL, 0x01020304, 0, NULL },
    { "1.2.3.4 ",           WSAEINVAL, 0x01020304, 0, NULL },
    { "1.2.3.4x",           WSAEINVAL, 0x01020304, 0, NULL },
};
/* clang-format on */

static const struct
{
    const char *text;
    int error;
    USHORT groups[8]; /* what Windows leaves, also on error */
    ULONG scope;
    USHORT port;
    const char *canonical;
}
/* clang-format off */
v6_strings[] =
{
    { "::1",                  0, { 0, 0, 0, 0, 0, 0, 0, 1 },              0, 0,   "::1" },
    { "[::1]",                0, { 0, 0, 0, 0, 0, 0, 0, 1 },              0, 0,   "::1" },
    { "[::1]:443",            0, { 0, 0, 0, 0, 0, 0, 0, 1 },              0, 443, "[::1]:443" },
    { "2001:DB8::a:1",        0, { 0x2001, 0xdb8, 0, 0, 0, 0, 0xa, 1 },   0, 0,   "2001:db8::a:1" },
    { "fe80::1%3",            0, { 0xfe80, 0, 0, 0, 0, 0, 0, 1 },         3, 0,   "fe80::1%3" },
    { "[fe80::1%3]:80",       0, { 0xfe80, 0, 0, 0, 0, 0, 0, 1 },         3, 80,  "[fe80::1%3]:80" },
    { "[fe80::1]:0x50",       0, { 0xfe80, 0, 0, 0, 0, 0, 0, 1 },         0, 80,  "[fe80::1]:80" },
    { "::ffff:1.2.3.4",       0, { 0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304 }, 0, 0, "::ffff:1.2.3.4" },
    { "",                     WSAEINVAL, { 0 }, 0, 0, NULL },
    { "1.2.3.4",              WSAEINVAL, { 0x0102, 0x0300 }, 0, 0, NULL },
    { "[::1",                 WSAEINVAL, { 0, 0, 0, 0, 0, 0, 0, 1 }, 0, 0, NULL },
    { "::1]",                 WSAEINVAL, { 0, 0, 0, 0, 0, 0, 0, 1 }, 0, 0, NULL },
    { "[::1]x",               WSAEINVAL, { 0, 0, 0, 0, 0, 0, 0, 1 }, 0, 0, NULL },
    { "[::1]:65536",          WSAEINVAL, { 0, 0, 0, 0, 0, 0, 0, 1 }, 0, 0, NULL },
    { "fe80::1%",             WSAEINVAL, { 0xfe80, 0, 0, 0, 0, 0, 0, 1 }, 0, 0, NULL },
    { "fe80::1%x",            WSAEINVAL, { 0xfe80, 0, 0, 0, 0, 0, 0, 1 }, 0, 0, NULL },
    { "::1 ",                 WSAEINVAL, { 0, 0, 0, 0, 0, 0, 0, 1 }, 0, 0, NULL },
};
/* clang-format on */

/* Convert with the A or W form into a buffer bigger than needed, filled
 * with 0xab; len is set to `len` first and returned. */
static int string_to_address(int wide, const char *text, int family, void *addr, int size, int *len)
{
    WCHAR textw[128];

    memset(addr, 0xab, size);
    *len = size;
    WSASetLastError(0xdead);
    if (!wide) return WSAStringToAddressA((char *)text, family, NULL, (SOCKADDR *)addr, len);
    to_wide(text, textw, ARRAY_SIZE(textw));
    return WSAStringToAddressW(textw, family, NULL, (SOCKADDR *)addr, len);
}

static void check_canonical(const SOCKADDR *addr, int addrlen, const char *text, const char *expect)
{
    char out[128];
    DWORD len = sizeof(out);
    int ret = WSAAddressToStringA((SOCKADDR *)addr, addrlen, NULL, out, &len);

    ok(!ret && !strcmp(out, expect), "\"%s\": round trip gave %d \"%s\", expected \"%s\"\n",
       text, ret, ret ? "" : out, expect);
}

static void test_string_to_address(void)
{
    struct
    {
        SOCKADDR_IN6 sa;
        char pad[16];
    } buf;
    SOCKADDR_IN *sin = (SOCKADDR_IN *)&buf;
    SOCKADDR_IN6 *sin6 = &buf.sa, expect6;
    unsigned int i;
    int wide, ret, len, error;

    for (wide = 0; wide < 2; wide++)
    {
        const char *form = wide ? "W" : "A";

        for (i = 0; i < ARRAY_SIZE(v4_strings); i++)
        {
            const char *text = v4_strings[i].text;

            error = v4_strings[i].error;
            ret = string_to_address(wide, text, AF_INET, &buf, sizeof(SOCKADDR_IN) + 10, &len);
            ok(ret == (error ? SOCKET_ERROR : 0), "%s \"%s\": returned %d\n", form, text, ret);
            ok(WSAGetLastError() == (error ? error : 0xdead), "%s \"%s\": got error %d\n", form, text,
               WSAGetLastError());
            ok(len == (error ? (int)sizeof(SOCKADDR_IN) + 10 : (int)sizeof(SOCKADDR_IN)),
               "%s \"%s\": got length %d\n", form, text, len);
            ok(sin->sin_family == (error ? 0 : AF_INET), "%s \"%s\": got family %u\n", form, text,
               sin->sin_family);
            ok(sin->sin_addr.s_addr == htonl(v4_strings[i].addr), "%s \"%s\": got address %08lx\n", form,
               text, (unsigned long)ntohl(sin->sin_addr.s_addr));
            ok(sin->sin_port == htons(error ? 0 : v4_strings[i].port), "%s \"%s\": got port %u\n", form,
               text, ntohs(sin->sin_port));
            if (!error) check_canonical((SOCKADDR *)sin, len, text, v4_strings[i].canonical);
        }

        for (i = 0; i < ARRAY_SIZE(v6_strings); i++)
        {
            const char *text = v6_strings[i].text;

            error = v6_strings[i].error;
            make_sin6(&expect6, v6_strings[i].groups, 0, 0);
            ret = string_to_address(wide, text, AF_INET6, &buf, sizeof(SOCKADDR_IN6) + 10, &len);
            ok(ret == (error ? SOCKET_ERROR : 0), "%s \"%s\": returned %d\n", form, text, ret);
            ok(WSAGetLastError() == (error ? error : 0xdead), "%s \"%s\": got error %d\n", form, text,
               WSAGetLastError());
            ok(len == (error ? (int)sizeof(SOCKADDR_IN6) + 10 : (int)sizeof(SOCKADDR_IN6)),
               "%s \"%s\": got length %d\n", form, text, len);
            ok(sin6->sin6_family == (error ? 0 : AF_INET6), "%s \"%s\": got family %u\n", form, text,
               sin6->sin6_family);
            ok(!memcmp(&sin6->sin6_addr, &expect6.sin6_addr, sizeof(expect6.sin6_addr)),
               "%s \"%s\": got another address\n", form, text);
            ok(sin6->sin6_scope_id == (error ? 0 : v6_strings[i].scope), "%s \"%s\": got scope %lu\n",
               form, text, (unsigned long)sin6->sin6_scope_id);
            ok(sin6->sin6_port == htons(error ? 0 : v6_strings[i].port), "%s \"%s\": got port %u\n",
               form, text, ntohs(sin6->sin6_port));
            ok(!sin6->sin6_flowinfo, "%s \"%s\": got flow info %lu\n", form, text,
               (unsigned long)sin6->sin6_flowinfo);
            if (!error) check_canonical((SOCKADDR *)sin6, len, text, v6_strings[i].canonical);
        }
    }

    /* The length is checked before the string. */
    len = 0;
    WSASetLastError(0xdead);
    ret = WSAStringToAddressA((char *)"", AF_INET, NULL, (SOCKADDR *)sin, &len);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT, "length 0: returned %d, error %d\n", ret,
       WSAGetLastError());
    ok(len == sizeof(SOCKADDR_IN), "length 0: got length %d\n", len);

    len = sizeof(SOCKADDR_IN6) - 1;
    memset(&buf, 0xab, sizeof(buf));
    WSASetLastError(0xdead);
    ret = WSAStringToAddressW((WCHAR *)L"::1", AF_INET6, NULL, (SOCKADDR *)sin6, &len);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT, "IPv6 short: returned %d, error %d\n", ret,
       WSAGetLastError());
    ok(len == sizeof(SOCKADDR_IN6), "IPv6 short: got length %d\n", len);
    ok((USHORT)sin6->sin6_family == 0xabab, "IPv6 short: the buffer was written\n");

    /* A family no provider supports. */
    len = sizeof(buf);
    WSASetLastError(0xdead);
    ret = WSAStringToAddressA((char *)"1.2.3.4", 0x4242, NULL, (SOCKADDR *)sin, &len);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEINVAL, "family 0x4242: returned %d, error %d\n",
       ret, WSAGetLastError());
}

/* ------------------------------------------------------------ WSAEnumProtocols */

#define TCP_FLAGS (XP1_GUARANTEED_DELIVERY | XP1_GUARANTEED_ORDER | XP1_GRACEFUL_CLOSE | \
                   XP1_EXPEDITED_DATA | XP1_IFS_HANDLES)
#define UDP_FLAGS (XP1_CONNECTIONLESS | XP1_MESSAGE_ORIENTED | XP1_SUPPORT_BROADCAST | \
                   XP1_SUPPORT_MULTIPOINT | XP1_IFS_HANDLES)

static void check_entry(const WSAPROTOCOL_INFOA *info, int *tcp4, int *udp4)
{
    DWORD flags = info->dwServiceFlags1 & ~XP1_QOS_SUPPORTED;

    /* A layered provider's chain need not have IFS handles (handles.c). */
    if (info->ProtocolChain.ChainLen > BASE_PROTOCOL) flags |= XP1_IFS_HANDLES;
    int inet = info->iAddressFamily == AF_INET || info->iAddressFamily == AF_INET6;

    ok(info->szProtocol[0], "entry %lu has no name\n", info->dwCatalogEntryId);
    if (!inet || info->iVersion != 2) return;
    if (info->iSocketType == SOCK_STREAM && info->iProtocol == IPPROTO_TCP)
    {
        ok(flags == TCP_FLAGS, "\"%s\": got flags %#lx\n", info->szProtocol, info->dwServiceFlags1);
        if (info->iAddressFamily == AF_INET) *tcp4 = 1;
    }
    if (info->iSocketType == SOCK_DGRAM && info->iProtocol == IPPROTO_UDP)
    {
        ok(flags == UDP_FLAGS, "\"%s\": got flags %#lx\n", info->szProtocol, info->dwServiceFlags1);
        if (info->iAddressFamily == AF_INET) *udp4 = 1;
    }
}

static void test_enum_protocols(void)
{
    INT only_udp[] = { 0xdead, IPPROTO_UDP, 0xbeef, 0 }, only_tcp[] = { IPPROTO_TCP, 0 };
    WSAPROTOCOL_INFOA *infoa, sockinfo;
    WSAPROTOCOL_INFOW *infow;
    DWORD len, needed;
    int ret, count, i, tcp4 = 0, udp4 = 0, found, optlen;
    SOCKET s;

    /* Asking for the size. */
    len = 0;
    WSASetLastError(0xdead);
    ret = WSAEnumProtocolsA(NULL, NULL, &len);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAENOBUFS, "A size: returned %d, error %d\n", ret,
       WSAGetLastError());
    ok(len && !(len % sizeof(WSAPROTOCOL_INFOA)), "A size: got %lu\n", len);
    needed = len;
    if (!len) return;

    infoa = calloc(1, needed + sizeof(*infoa));
    len = needed - 1;
    WSASetLastError(0xdead);
    ret = WSAEnumProtocolsA(NULL, infoa, &len);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAENOBUFS, "A one byte short: returned %d, error %d\n",
       ret, WSAGetLastError());
    ok(len == needed, "A one byte short: got %lu, expected %lu\n", len, needed);

    len = needed + sizeof(*infoa);
    count = WSAEnumProtocolsA(NULL, infoa, &len);
    ok(count == (int)(needed / sizeof(WSAPROTOCOL_INFOA)), "A: returned %d for %lu bytes\n", count, needed);
    for (i = 0; i < count; i++) check_entry(&infoa[i], &tcp4, &udp4);
    ok(tcp4, "no IPv4 TCP entry\n");
    ok(udp4, "no IPv4 UDP entry\n");

    /* A socket's SO_PROTOCOL_INFO is one of the catalogue's entries. */
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ok(s != INVALID_SOCKET, "socket failed: %d\n", WSAGetLastError());
    if (s != INVALID_SOCKET)
    {
        optlen = sizeof(sockinfo);
        ret = getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOA, (char *)&sockinfo, &optlen);
        ok(!ret, "getsockopt(SO_PROTOCOL_INFOA) failed: %d\n", WSAGetLastError());
        for (i = found = 0; !ret && i < count; i++)
            if (infoa[i].dwCatalogEntryId == sockinfo.dwCatalogEntryId)
            {
                found = 1;
                ok(infoa[i].iAddressFamily == AF_INET && infoa[i].iSocketType == SOCK_STREAM &&
                       infoa[i].iProtocol == IPPROTO_TCP,
                   "the socket's entry is \"%s\"\n", infoa[i].szProtocol);
                ok(!strcmp(infoa[i].szProtocol, sockinfo.szProtocol), "names differ: \"%s\", \"%s\"\n",
                   infoa[i].szProtocol, sockinfo.szProtocol);
            }
        ok(!ret && found, "catalogue entry %lu of the socket was not listed\n", sockinfo.dwCatalogEntryId);
        closesocket(s);
    }

    /* An entry routes WSAAddressToString to its provider. */
    for (i = 0; i < count; i++)
        if (infoa[i].iAddressFamily == AF_INET && infoa[i].iProtocol == IPPROTO_TCP)
        {
            SOCKADDR_IN sin;
            char text[32];

            make_sin(&sin, 0x01020304, 5);
            len = sizeof(text);
            ret = WSAAddressToStringA((SOCKADDR *)&sin, sizeof(sin), &infoa[i], text, &len);
            ok(!ret && !strcmp(text, "1.2.3.4:5"), "with \"%s\": returned %d, error %d\n",
               infoa[i].szProtocol, ret, WSAGetLastError());
            break;
        }
    free(infoa);

    /* The list selects; numbers nobody has are ignored. */
    len = 0;
    WSASetLastError(0xdead);
    ret = WSAEnumProtocolsA(only_udp, NULL, &len);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAENOBUFS, "UDP size: returned %d, error %d\n", ret,
       WSAGetLastError());
    infoa = calloc(1, len + 1);
    count = infoa ? WSAEnumProtocolsA(only_udp, infoa, &len) : 0;
    ok(count >= 1, "UDP only: returned %d\n", count);
    for (i = found = 0; i < count; i++)
    {
        ok(infoa[i].iProtocol != IPPROTO_TCP, "UDP only: got \"%s\"\n", infoa[i].szProtocol);
        if (infoa[i].iProtocol == IPPROTO_UDP) found = 1;
    }
    ok(found, "UDP only: no UDP entry\n");
    free(infoa);

    len = 0;
    WSASetLastError(0xdead);
    ret = WSAEnumProtocolsW(only_tcp, NULL, &len);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAENOBUFS, "W TCP size: returned %d, error %d\n", ret,
       WSAGetLastError());
    ok(len && !(len % sizeof(WSAPROTOCOL_INFOW)), "W TCP size: got %lu\n", len);
    infow = calloc(1, len + 1);
    count = infow ? WSAEnumProtocolsW(only_tcp, infow, &len) : 0;
    ok(count >= 1, "W TCP only: returned %d\n", count);
    for (i = found = 0; i < count; i++)
    {
        ok(infow[i].iProtocol != IPPROTO_UDP, "W TCP only: got a UDP entry\n");
        ok(infow[i].szProtocol[0], "W TCP only: entry without a name\n");
        if (infow[i].iProtocol == IPPROTO_TCP && infow[i].iAddressFamily == AF_INET) found = 1;
    }
    ok(found, "W TCP only: no IPv4 TCP entry\n");
    free(infow);
}

/* ------------------------------------------------------------ protocol database */

static const struct
{
    short number;
    const char *name;
    const char *alias;
}
/* clang-format off */
proto_table[] =
{
    { 0, "ip", "IP" },            { 1, "icmp", "ICMP" },          { 3, "ggp", "GGP" },
    { 6, "tcp", "TCP" },          { 8, "egp", "EGP" },            { 12, "pup", "PUP" },
    { 17, "udp", "UDP" },         { 20, "hmp", "HMP" },           { 22, "xns-idp", "XNS-IDP" },
    { 27, "rdp", "RDP" },         { 41, "ipv6", "IPv6" },         { 43, "ipv6-route", "IPv6-Route" },
    { 44, "ipv6-frag", "IPv6-Frag" }, { 50, "esp", "ESP" },       { 51, "ah", "AH" },
    { 58, "ipv6-icmp", "IPv6-ICMP" }, { 59, "ipv6-nonxt", "IPv6-NoNxt" },
    { 60, "ipv6-opts", "IPv6-Opts" }, { 66, "rvd", "RVD" },
};
/* clang-format on */

static int find_number(int number)
{
    unsigned int i;

    for (i = 0; i < ARRAY_SIZE(proto_table); i++)
        if (proto_table[i].number == number) return i;
    return -1;
}

/* The entry belongs to the thread and goes with it: read it before exiting. */
static DWORD WINAPI other_thread_proto(void *arg)
{
    struct protoent *ent = getprotobynumber(IPPROTO_UDP);
    int *proto = arg;

    *proto = ent ? ent->p_proto : -1;
    return 0;
}

static void test_protocol_database(void)
{
    struct protoent *ent;
    int other = -1;
    char upper[32];
    unsigned int i, j;
    HANDLE thread;
    int n, k;

    for (i = 0; i < ARRAY_SIZE(proto_table); i++)
    {
        ent = getprotobyname(proto_table[i].name);
        ok(ent && ent->p_proto == proto_table[i].number, "getprotobyname(\"%s\"): got %d\n",
           proto_table[i].name, ent ? ent->p_proto : -1);
        ent = getprotobyname(proto_table[i].alias);
        ok(ent && ent->p_proto == proto_table[i].number, "getprotobyname(\"%s\"): got %d\n",
           proto_table[i].alias, ent ? ent->p_proto : -1);
        for (j = 0; proto_table[i].name[j]; j++) upper[j] = toupper((unsigned char)proto_table[i].name[j]);
        upper[j] = 0;
        ent = getprotobyname(upper);
        ok(ent && ent->p_proto == proto_table[i].number, "getprotobyname(\"%s\"): got %d\n", upper,
           ent ? ent->p_proto : -1);
        ok(ent && !strcmp(ent->p_name, proto_table[i].name), "getprotobyname(\"%s\"): name %s\n", upper,
           ent ? ent->p_name : "(none)");
    }

    for (n = -1; n <= 256; n++)
    {
        k = find_number(n);
        WSASetLastError(0xdead);
        ent = getprotobynumber(n);
        if (k < 0)
        {
            ok(!ent, "getprotobynumber(%d): got \"%s\"\n", n, ent ? ent->p_name : "");
            ok(WSAGetLastError() == WSANO_DATA, "getprotobynumber(%d): got error %d\n", n, WSAGetLastError());
            continue;
        }
        ok(ent && !strcmp(ent->p_name, proto_table[k].name), "getprotobynumber(%d): got \"%s\"\n", n,
           ent ? ent->p_name : "(none)");
        ok(ent && ent->p_aliases && ent->p_aliases[0] && !strcmp(ent->p_aliases[0], proto_table[k].alias),
           "getprotobynumber(%d): alias \"%s\"\n", n,
           ent && ent->p_aliases && ent->p_aliases[0] ? ent->p_aliases[0] : "(none)");
        ok(ent && ent->p_aliases && !ent->p_aliases[1], "getprotobynumber(%d): more than one alias\n", n);
        ok(ent && ent->p_proto == n, "getprotobynumber(%d): number %d\n", n, ent ? ent->p_proto : -1);
    }

    WSASetLastError(0xdead);
    ent = getprotobyname("no-such-protocol");
    ok(!ent, "getprotobyname(\"no-such-protocol\") found %d\n", ent ? ent->p_proto : -1);
    ok(WSAGetLastError() == WSANO_DATA, "getprotobyname: got error %d\n", WSAGetLastError());

    /* One structure per thread: another thread's call leaves ours alone. */
    ent = getprotobynumber(IPPROTO_TCP);
    thread = CreateThread(NULL, 0, other_thread_proto, &other, 0, NULL);
    ok(thread != NULL, "CreateThread failed\n");
    if (!thread) return;
    WaitForSingleObject(thread, 10000);
    CloseHandle(thread);
    ok(other == IPPROTO_UDP, "other thread: got %d\n", other);
    ok(ent && ent->p_proto == IPPROTO_TCP && !strcmp(ent->p_name, "tcp"),
       "this thread's entry changed to %s\n", ent ? ent->p_name : "(none)");
}

/* ------------------------------------------------------------ host name */

static void test_host_name(void)
{
    char name[256], narrow[256], saved[256];
    WCHAR namew[256];
    int ret, len, lenw;

    WSASetLastError(0xdead);
    ret = gethostname(NULL, sizeof(name));
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT, "NULL name: returned %d, error %d\n", ret,
       WSAGetLastError());

    ret = gethostname(name, sizeof(name));
    ok(!ret, "gethostname failed: %d\n", WSAGetLastError());
    if (ret) return;
    len = strlen(name);
    ok(len > 0, "empty host name\n");
    trace("host name \"%s\"\n", name);

    /* Exactly the name's length is one too few. */
    memset(saved, '#', sizeof(saved));
    saved[sizeof(saved) - 1] = 0;
    strcpy(narrow, saved);
    WSASetLastError(0xdead);
    ret = gethostname(narrow, len);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT, "length %d: returned %d, error %d\n", len, ret,
       WSAGetLastError());
    ok(!strcmp(narrow, saved), "length %d: the buffer was written\n", len);
    WSASetLastError(0xdead);
    ret = gethostname(narrow, 0);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT, "length 0: returned %d, error %d\n", ret,
       WSAGetLastError());
    ret = gethostname(narrow, len + 1);
    ok(!ret && !strcmp(narrow, name), "length %d: returned %d, \"%s\"\n", len + 1, ret, narrow);

    WSASetLastError(0xdead);
    ret = GetHostNameW(NULL, ARRAY_SIZE(namew));
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT, "W NULL name: returned %d, error %d\n", ret,
       WSAGetLastError());
    ret = GetHostNameW(namew, ARRAY_SIZE(namew));
    ok(!ret, "GetHostNameW failed: %d\n", WSAGetLastError());
    if (ret) return;
    lenw = wcslen(namew);
    WideCharToMultiByte(CP_ACP, 0, namew, -1, narrow, sizeof(narrow), NULL, NULL);
    ok(!strcmp(narrow, name), "GetHostNameW gave \"%s\", gethostname \"%s\"\n", narrow, name);

    wcscpy(namew, L"unchanged");
    WSASetLastError(0xdead);
    ret = GetHostNameW(namew, lenw);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT, "W length %d: returned %d, error %d\n", lenw,
       ret, WSAGetLastError());
    ok(!wcscmp(namew, L"unchanged"), "W length %d: the buffer was written\n", lenw);
    ret = GetHostNameW(namew, lenw + 1);
    ok(!ret && (int)wcslen(namew) == lenw, "W length %d: returned %d\n", lenw + 1, ret);
}

/* ------------------------------------------------------------ blocking hooks */

static INT_PTR WINAPI blocking_hook(void)
{
    return FALSE;
}

static void test_blocking_hooks(void)
{
    FARPROC previous;
    int ret;

    ok(!WSAIsBlocking(), "WSAIsBlocking returned TRUE\n");

    WSASetLastError(0xdead);
    previous = WSASetBlockingHook(blocking_hook);
    ok(!previous, "WSASetBlockingHook returned %p\n", (void *)previous);
    ok(WSAGetLastError() == WSAEOPNOTSUPP, "WSASetBlockingHook: got error %d\n", WSAGetLastError());

    WSASetLastError(0xdead);
    ret = WSAUnhookBlockingHook();
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEOPNOTSUPP,
       "WSAUnhookBlockingHook: returned %d, error %d\n", ret, WSAGetLastError());

    WSASetLastError(0xdead);
    ret = WSACancelBlockingCall();
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEOPNOTSUPP,
       "WSACancelBlockingCall: returned %d, error %d\n", ret, WSAGetLastError());

    ok(!WSAIsBlocking(), "WSAIsBlocking returned TRUE\n");
}

/*
 * WSCGetProviderPath and WSCGetProviderInfo ("WSCGetProviderPath function",
 * "WSCGetProviderInfo function"; the error cases as Wine's
 * test_WSCGetProviderPath / test_WSCGetProviderInfo see them on Windows):
 * the provider of the TCP entry has a DLL path; an unknown provider id is
 * WSAEINVAL for the path, WSANO_RECOVERY for the information; a NULL id is
 * WSAEFAULT; without an error pointer the call fails and writes nothing.
 */
static void test_provider_path(void)
{
    typedef int(WINAPI * path_fn)(GUID *, WCHAR *, INT *, INT *);
    typedef int(WINAPI * info_fn)(GUID *, int, BYTE *, size_t *, DWORD, INT *);
    HMODULE ws2 = GetModuleHandleA("ws2_32.dll");
    path_fn get_path = (path_fn)(void *)GetProcAddress(ws2, "WSCGetProviderPath");
    info_fn get_info = (info_fn)(void *)GetProcAddress(ws2, "WSCGetProviderInfo");
    INT only_tcp[] = { IPPROTO_TCP, 0 }, len, err, ret;
    WSAPROTOCOL_INFOW info[8];
    GUID unknown = { 0x12345678, 0x9abc, 0xdef0, { 1, 2, 3, 4, 5, 6, 7, 8 } };
    WCHAR path[MAX_PATH];
    DWORD size = sizeof(info);
    BYTE data[16];
    size_t data_len = sizeof(data);

    ok(get_path != NULL && get_info != NULL, "WSCGetProviderPath/Info are not exported\n");
    if (!get_path || !get_info) return;
    ret = WSAEnumProtocolsW(only_tcp, info, &size);
    ok(ret >= 1, "WSAEnumProtocolsW(TCP) returned %d, error %d\n", ret, WSAGetLastError());
    if (ret < 1) return;

    len = MAX_PATH;
    err = 0xdead;
    memset(path, 0, sizeof(path));
    ret = get_path(&info[0].ProviderId, path, &len, &err);
    ok(ret == 0, "WSCGetProviderPath(TCP's provider) returned %d, error %d\n", ret, err);
    if (!ret)
    {
        size_t n = wcslen(path);

        ok(n > 4 && !_wcsicmp(path + n - 4, L".dll"), "WSCGetProviderPath: path %ls\n", path);
        ok(len > 0 && len <= MAX_PATH, "WSCGetProviderPath: length %d\n", len);
    }

    len = MAX_PATH;
    err = 0xdead;
    ret = get_path(&unknown, path, &len, &err);
    ok(ret == SOCKET_ERROR && err == WSAEINVAL, "WSCGetProviderPath(unknown id): %d, error %d\n", ret, err);
    err = 0xdead;
    ret = get_path(NULL, path, &len, &err);
    ok(ret == SOCKET_ERROR && err == WSAEFAULT, "WSCGetProviderPath(NULL id): %d, error %d\n", ret, err);
    len = -1;
    err = 0xdead;
    ret = get_path(&unknown, NULL, &len, &err);
    ok(ret == SOCKET_ERROR && err == WSAEINVAL && len == -1, "WSCGetProviderPath(length -1): %d, error %d, len %d\n",
       ret, err, len);
    ret = get_path(&info[0].ProviderId, path, &len, NULL);
    ok(ret == SOCKET_ERROR, "WSCGetProviderPath without an error pointer returned %d\n", ret);

    err = 0xdead;
    ret = get_info(NULL, 0, data, &data_len, 0, &err);
    ok(ret == SOCKET_ERROR && err == WSAEFAULT, "WSCGetProviderInfo(NULL id): %d, error %d\n", ret, err);
    err = 0xdead;
    ret = get_info(&unknown, 0, data, &data_len, 0, &err);
    ok(ret == SOCKET_ERROR && err == WSANO_RECOVERY, "WSCGetProviderInfo(unknown id): %d, error %d\n", ret, err);
}

START_TEST(addrproto)
{
    WSADATA data;
    int ret;

    test_before_startup();
    ret = WSAStartup(MAKEWORD(2, 2), &data);
    ok(!ret, "WSAStartup failed: %d\n", ret);
    if (ret) return;

    test_address_to_string();
    test_string_to_address();
    test_enum_protocols();
    test_provider_path();
    test_protocol_database();
    test_host_name();
    test_blocking_hooks();

    WSACleanup();
}
