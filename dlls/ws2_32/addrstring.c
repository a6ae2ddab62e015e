/*
 * WSAAddressToStringA/W and WSAStringToAddressA/W for AF_INET and AF_INET6,
 * the two families our protocol catalogue (include/ws2protocols.h) serves.
 *
 * Microsoft's pages ("WSAAddressToStringA function", "WSAStringToAddressA
 * function") give the contract: WSANOTINITIALISED before WSAStartup;
 * WSAEINVAL for a NULL address or length pointer, an address that is not a
 * valid socket address and a family no provider supports; WSAEFAULT for
 * memory the process cannot access and for a buffer that is too small, in
 * which case the length is updated to the size needed (characters with the
 * NUL for the text, bytes for the sockaddr).  A missing port is 0.
 *
 * Where the pages are silent the rules below follow Windows as observed by
 * the published conformance tables of these functions (Wine's tests, which
 * pass on Windows) and the address forms of addr.c.  Each such rule says so
 * where it is implemented.
 */
#include <string.h>
#include "private.h"
#include "addr.h"
#include "protocols.h"
#include "usermem.h"
#include "ws2addr.h"

/* ------------------------------------------------------------ text */

static struct text text_from(const struct text *s, size_t i)
{
    struct text rest = { s->a ? s->a + i : NULL, s->w ? s->w + i : NULL };
    return rest;
}


static char *put_unsigned(char *p, unsigned long v)
{
    char digits[12];
    int n = 0;

    do digits[n++] = '0' + v % 10;
    while (v /= 10);
    while (n) *p++ = digits[--n];
    return p;
}


/* ------------------------------------------------------------ provider */

/* A WSAPROTOCOL_INFOA or W routes the call to that catalogue entry: it must
 * be one of ours.  dwCatalogEntryId sits at the same offset in both. */
static int check_provider(const void *info)
{
    DWORD id;

    if (!info) return 0;
    if (user_read(&id, (const char *)info + offsetof(WSAPROTOCOL_INFOW, dwCatalogEntryId), sizeof(id)) < 0)
        return WSAEFAULT;
    return protocol_catalog_known(id) ? 0 : WSAEINVAL;
}

/* ------------------------------------------------------------ to string */

union any_addr
{
    SOCKADDR sa;
    SOCKADDR_IN in;
    SOCKADDR_IN6 in6;
};

/*
 * The text of the address, as Windows writes it (Wine's conformance test,
 * passing on Windows): IPv4 "a.b.c.d", with ":port" when the port is not 0;
 * IPv6 in inet_ntop's form (addr.c), with "%scope" when the scope id is
 * not 0, and in brackets followed by ":port" when the port is not 0, as in
 * "[20ab::2001%4660]:33274"; numbers in decimal; the flow info is not shown.
 * A length shorter than the family's sockaddr (include/ws2addr.h's sizes,
 * judged by the address's own family) is WSAEINVAL, the address being "not
 * a valid socket address"; Windows was not observed here.
 */
static int address_text(const SOCKADDR *user_addr, DWORD addr_len, const void *info,
                        const DWORD *user_len, char *text)
{
    union any_addr u;
    u_short family;
    char *p = text;
    int status;

    if (!ws2_initialized()) return WSANOTINITIALISED;
    if (!user_addr || !user_len) return WSAEINVAL;
    if (user_read(&family, &user_addr->sa_family, sizeof(family)) < 0) return WSAEFAULT;
    if ((status = check_provider(info))) return status;
    if (ws2addr_check_len(addr_len > WS2ADDR_MAX_SIZE ? WS2ADDR_MAX_SIZE : (int32_t)addr_len, 0, family))
        return WSAEINVAL;
    switch (family)
    {
    case AF_INET:
        if (user_read(&u.in, user_addr, sizeof(u.in)) < 0) return WSAEFAULT;
        p += addr_format_ipv4((const unsigned char *)&u.in.sin_addr, p);
        if (u.in.sin_port)
        {
            *p++ = ':';
            p = put_unsigned(p, ntohs(u.in.sin_port));
        }
        break;
    case AF_INET6:
        if (user_read(&u.in6, user_addr, sizeof(u.in6)) < 0) return WSAEFAULT;
        if (u.in6.sin6_port) *p++ = '[';
        p += addr_format_ipv6(u.in6.sin6_addr.s6_addr, p);
        if (u.in6.sin6_scope_id)
        {
            *p++ = '%';
            p = put_unsigned(p, u.in6.sin6_scope_id);
        }
        if (u.in6.sin6_port)
        {
            *p++ = ']';
            *p++ = ':';
            p = put_unsigned(p, ntohs(u.in6.sin6_port));
        }
        break;
    default:
        return WSAEINVAL;
    }
    *p = 0;
    return 0;
}

/*
 * The length is checked after the address (observed: an address that needs
 * 8 characters and a length of 0 give WSAEFAULT with the length set to 8,
 * also with a NULL buffer); the length is in characters for the W form and
 * becomes the characters written, NUL included, on success.
 */
static int address_to_string(SOCKADDR *addr, DWORD addr_len, const void *info,
                             void *out, DWORD *user_len, int wide)
{
    char text[80];
    WCHAR textw[80];
    DWORD len, needed;
    int status;
    size_t i;

    if ((status = address_text(addr, addr_len, info, user_len, text))) return ws2_fail(status);
    needed = strlen(text) + 1;
    if (user_read(&len, user_len, sizeof(len)) < 0) return ws2_fail(WSAEFAULT);
    if (len < needed)
    {
        user_write(user_len, &needed, sizeof(needed));
        return ws2_fail(WSAEFAULT);
    }
    if (wide)
    {
        for (i = 0; i < needed; i++) textw[i] = (unsigned char)text[i];
        if (!out || user_write(out, textw, needed * sizeof(WCHAR)) < 0) return ws2_fail(WSAEFAULT);
    }
    else if (!out || user_write(out, text, needed) < 0)
        return ws2_fail(WSAEFAULT);
    if (user_write(user_len, &needed, sizeof(needed)) < 0) return ws2_fail(WSAEFAULT);
    return 0;
}

INT WSAAPI WSAAddressToStringA(LPSOCKADDR lpsaAddress, DWORD dwAddressLength, LPWSAPROTOCOL_INFOA lpProtocolInfo,
                               LPSTR lpszAddressString, LPDWORD lpdwAddressStringLength)
{
    TRACE("%s len %lu %p %p %p\n", debugstr_sockaddr(lpsaAddress, (int)dwAddressLength), dwAddressLength,
          lpProtocolInfo, lpszAddressString, lpdwAddressStringLength);
    return address_to_string(lpsaAddress, dwAddressLength, lpProtocolInfo, lpszAddressString,
                             lpdwAddressStringLength, 0);
}

INT WSAAPI WSAAddressToStringW(LPSOCKADDR lpsaAddress, DWORD dwAddressLength, LPWSAPROTOCOL_INFOW lpProtocolInfo,
                               LPWSTR lpszAddressString, LPDWORD lpdwAddressStringLength)
{
    TRACE("%s len %lu %p %p %p\n", debugstr_sockaddr(lpsaAddress, (int)dwAddressLength), dwAddressLength,
          lpProtocolInfo, lpszAddressString, lpdwAddressStringLength);
    return address_to_string(lpsaAddress, dwAddressLength, lpProtocolInfo, lpszAddressString,
                             lpdwAddressStringLength, 1);
}

/* ------------------------------------------------------------ from string */

/*
 * A port after the ':' as WSAStringToAddress reads it (observed by the
 * conformance data of Wine's test_WSAStringToAddress, which passes on
 * Windows): decimal, octal after a leading 0, hex after 0x or 0X, at most
 * 0xffff, nothing after it, and at least one character (":" is an error).
 */
static int parse_port(const struct text *s, size_t i, int need_digit, unsigned int *port)
{
    unsigned int base = 10, value = 0, c;
    int d;

    if (text_char(s, i) == '0')
    {
        base = 8;
        i++;
        if ((text_char(s, i) | 0x20) == 'x')
        {
            base = 16;
            i++;
        }
    }
    if (need_digit && !text_char(s, i)) return 0;
    for (; (c = text_char(s, i)); i++)
    {
        if ((d = digit_value(c, base)) < 0) return 0;
        value = value * base + d;
        if (value > 0xffff) return 0;
    }
    *port = value;
    return 1;
}

/*
 * "address[:port]" with the address in inet_addr's forms (one to four
 * parts, decimal, octal or hex), the whole string taken.  As observed, the address is stored as soon as it is
 * read, even when what follows makes the string invalid ("3.4.5.6 " leaves
 * 3.4.5.6 in the sockaddr while failing).
 */
static int parse_ipv4_string(const struct text *s, SOCKADDR_IN *sin)
{
    uint32_t addr;
    unsigned int port = 0, c;
    size_t i;

    if (!addr_parse_ipv4(s->a, s->w, 0, &addr, &i)) return 0;
    sin->sin_addr.s_addr = htonl(addr);
    if ((c = text_char(s, i)))
    {
        if (c != ':' || !parse_port(s, i + 1, 1, &port)) return 0;
    }
    sin->sin_port = htons(port);
    return 1;
}

/*
 * "address", "address%scope", "[address]", "[address%scope]" and those in
 * brackets followed by ":port": the scope is decimal and fits in 32 bits;
 * a ']' needs the '['; nothing may follow.
 * The address is written as it is parsed, so after a failure the sockaddr
 * holds what was read of it (observed: "::1]:65535" fails with ::1 stored).
 */
static int parse_ipv6_string(const struct text *s, SOCKADDR_IN6 *sin6)
{
    int bracket = text_char(s, 0) == '[';
    struct text rest = text_from(s, bracket);
    unsigned int port = 0, c;
    uint64_t scope = 0;
    size_t i;

    if (!addr_parse_ipv6(rest.a, rest.w, sin6->sin6_addr.s6_addr, &i)) return 0;
    if ((c = text_char(&rest, i)) == '%')
    {
        c = text_char(&rest, ++i);
        if (c < '0' || c > '9') return 0;
        for (; c && c != ']'; c = text_char(&rest, ++i))
        {
            if (c < '0' || c > '9') return 0;
            scope = scope * 10 + (c - '0');
            if (scope > 0xffffffffu) return 0;
        }
    }
    if (c == ']')
    {
        if (!bracket) return 0;
        bracket = 0;
        if ((c = text_char(&rest, ++i)) == ':')
        {
            if (!parse_port(&rest, i + 1, 1, &port)) return 0;
            c = 0;
        }
    }
    if (c || bracket) return 0;
    sin6->sin6_port = htons(port);
    sin6->sin6_scope_id = (ULONG)scope;
    return 1;
}

/*
 * Observed on Windows: the length is checked before the string is parsed
 * ("" with a length of 0 is WSAEFAULT, the length set to the sockaddr's
 * size); on any parse error the sockaddr's whole size is zeroed but for
 * what was stored of the address (so sin_family is 0), the length is left
 * alone and the error is WSAEINVAL; on success the length becomes the
 * sockaddr's size.  A family other than AF_INET and AF_INET6 has no
 * provider: WSAEINVAL, checked first.  A NULL string is WSAEINVAL (not
 * observed).
 */
static int string_to_address(const struct text *s, INT family, const void *info,
                             LPSOCKADDR user_addr, LPINT user_len)
{
    union any_addr u;
    int status, len, size, ok;

    if (!ws2_initialized()) return ws2_fail(WSANOTINITIALISED);
    if ((status = check_provider(info))) return ws2_fail(status);
    if (family < 0 || family > 0xffff || !(size = ws2addr_size(family))) return ws2_fail(WSAEINVAL);
    if (!user_len || user_read(&len, user_len, sizeof(len)) < 0) return ws2_fail(WSAEFAULT);
    if (len < size)
    {
        user_write(user_len, &size, sizeof(size));
        return ws2_fail(WSAEFAULT);
    }
    if (!s->a && !s->w) return ws2_fail(WSAEINVAL);

    memset(&u, 0, sizeof(u));
    if (family == AF_INET) ok = parse_ipv4_string(s, &u.in);
    else ok = parse_ipv6_string(s, &u.in6);
    if (ok) u.sa.sa_family = family;
    if (!user_addr || user_write(user_addr, &u, size) < 0) return ws2_fail(WSAEFAULT);
    if (!ok) return ws2_fail(WSAEINVAL);
    if (user_write(user_len, &size, sizeof(size)) < 0) return ws2_fail(WSAEFAULT);
    return 0;
}

INT WSAAPI WSAStringToAddressA(LPSTR AddressString, INT AddressFamily, LPWSAPROTOCOL_INFOA lpProtocolInfo,
                               LPSOCKADDR lpAddress, LPINT lpAddressLength)
{
    struct text s = { AddressString, NULL };
    char dbg[80];

    TRACE("%s %d %p %p %p\n", debugstr_text(&s, dbg, sizeof(dbg)), AddressFamily, lpProtocolInfo,
          lpAddress, lpAddressLength);
    return string_to_address(&s, AddressFamily, lpProtocolInfo, lpAddress, lpAddressLength);
}

INT WSAAPI WSAStringToAddressW(LPWSTR AddressString, INT AddressFamily, LPWSAPROTOCOL_INFOW lpProtocolInfo,
                               LPSOCKADDR lpAddress, LPINT lpAddressLength)
{
    struct text s = { NULL, AddressString };
    char dbg[80];

    TRACE("%s %d %p %p %p\n", debugstr_text(&s, dbg, sizeof(dbg)), AddressFamily, lpProtocolInfo,
          lpAddress, lpAddressLength);
    return string_to_address(&s, AddressFamily, lpProtocolInfo, lpAddress, lpAddressLength);
}
