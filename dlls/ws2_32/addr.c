/*
 * Byte order and address text: htonl and friends, WSAHtonl and friends,
 * inet_addr, inet_ntoa, inet_pton/InetPtonW and inet_ntop/InetNtopW.
 *
 * Microsoft's pages give the contract; where they are silent, the rules below
 * follow what Windows was observed to do: the tables of Wine's conformance
 * tests for ws2_32 and for ntdll's RtlIpv4/RtlIpv6 string functions, which
 * pass on real Windows (inet_addr, inet_pton and inet_ntop behave exactly as
 * those Rtl functions plus the rules given below).  Each such rule says so
 * where it is implemented.
 */
#include <string.h>
#include "private.h"
#include "addr.h"
#include "sock.h"
#include "startup.h"
#include "usermem.h"

/* ------------------------------------------------------------ byte order */

u_long WSAAPI htonl(u_long hostlong)
{
    return __builtin_bswap32(hostlong);
}

u_short WSAAPI htons(u_short hostshort)
{
    return __builtin_bswap16(hostshort);
}

u_long WSAAPI ntohl(u_long netlong)
{
    return __builtin_bswap32(netlong);
}

u_short WSAAPI ntohs(u_short netshort)
{
    return __builtin_bswap16(netshort);
}

/*
 * The WSA forms convert in "the network byte order associated with socket s",
 * which is big-endian for every Windows protocol.  Documented errors:
 * WSANOTINITIALISED, WSAENOTSOCK, and WSAEFAULT when the out pointer is not
 * valid user memory.  The socket is checked before the pointer.
 */
static int store_converted(SOCKET s, void *out, const void *value, size_t size)
{
    struct ws2_sock *sock;

    if (!(sock = sock_for_call(s))) return SOCKET_ERROR;
    sock_release(sock);
    if (!out || user_write(out, value, size) < 0) return ws2_fail(WSAEFAULT);
    return 0;
}

int WSAAPI WSAHtonl(SOCKET s, u_long hostlong, u_long *lpnetlong)
{
    u_long value = htonl(hostlong);

    TRACE("%#Ix %#lx %p\n", s, hostlong, lpnetlong);
    return store_converted(s, lpnetlong, &value, sizeof(value));
}

int WSAAPI WSAHtons(SOCKET s, u_short hostshort, u_short *lpnetshort)
{
    u_short value = htons(hostshort);

    TRACE("%#Ix %#x %p\n", s, hostshort, lpnetshort);
    return store_converted(s, lpnetshort, &value, sizeof(value));
}

int WSAAPI WSANtohl(SOCKET s, u_long netlong, u_long *lphostlong)
{
    u_long value = ntohl(netlong);

    TRACE("%#Ix %#lx %p\n", s, netlong, lphostlong);
    return store_converted(s, lphostlong, &value, sizeof(value));
}

int WSAAPI WSANtohs(SOCKET s, u_short netshort, u_short *lphostshort)
{
    u_short value = ntohs(netshort);

    TRACE("%#Ix %#x %p\n", s, netshort, lphostshort);
    return store_converted(s, lphostshort, &value, sizeof(value));
}

/* ------------------------------------------------------------ text input */

/* A NUL-terminated string of the program's, narrow or wide.  Characters
 * outside ASCII belong to no class below, so they just end a number. */
static int is_decimal(unsigned int c)
{
    return c >= '0' && c <= '9';
}

/* Value of `c` as a digit in `base` (8, 10 or 16), or -1. */
int digit_value(unsigned int c, unsigned int base)
{
    unsigned int v;

    if (c >= '0' && c <= '9') v = c - '0';
    else if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
    else return -1;
    return v < base ? (int)v : -1;
}

/* Only for traces: a bounded, printable copy of the program's string. */
const char *debugstr_text(const struct text *t, char *buf, size_t size)
{
    size_t i, n = 0;
    unsigned int c;

    if (!t->a && !t->w) return "(null)";
    buf[n++] = '"';
    for (i = 0; (c = text_char(t, i)) && n + 6 < size; i++)
        buf[n++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
    buf[n++] = '"';
    if (c)
    {
        memcpy(buf + n, "...", 3);
        n += 3;
    }
    buf[n] = 0;
    return buf;
}

/*
 * The IPv4 text of Windows' RtlIpv4StringToAddress, on which inet_addr
 * (non-strict) and inet_pton (strict) are built.  One to four parts separated
 * by dots; a part is decimal, octal after a leading 0, or hex after 0x/0X;
 * each part but the last is a byte, the last fills the remaining bytes
 * ("a.b.c.d", "a.b.c" with a 16-bit c, "a.b" with a 24-bit b, "a" with 32 bits).
 * Strict mode takes exactly four decimal parts and no leading 0 before a digit
 * or x.  Parsing stops at the first character that cannot continue the
 * address: on success *pos is its index and *addr the host-order address.
 *
 * Observed on Windows, and kept: "0x" or "0" followed by 8 or 9 is an error,
 * but an octal part simply ends at a later 8 or 9 ("008" is 0, ending before
 * the 8); a part's overflow is only noticed when a digit makes the running
 * 32-bit value smaller ("0x123456789" is taken as 0x23456789, while
 * "4294967296" and "0x100000000" are errors).
 */
static int parse_ipv4(const struct text *t, size_t *pos, int strict, uint32_t *addr)
{
    uint32_t part[4], value;
    size_t i = *pos;
    int n = 0, k, d;

    for (;;)
    {
        unsigned int c = text_char(t, i), next = text_char(t, i + 1), base = 10;
        uint32_t v = 0;

        if (!is_decimal(c)) return 0;
        if (c == '0' && (next == 'x' || next == 'X'))
        {
            if (strict) return 0;
            base = 16;
            i += 2;
            if (digit_value(text_char(t, i), base) < 0) return 0;
        }
        else if (c == '0' && is_decimal(next))
        {
            if (strict) return 0;
            base = 8;
            i++;
            if (digit_value(text_char(t, i), base) < 0) return 0;
        }
        while ((d = digit_value(text_char(t, i), base)) >= 0)
        {
            uint32_t grown = v * base + d;

            if (grown < v) return 0;
            v = grown;
            i++;
        }
        part[n++] = v;
        if (text_char(t, i) != '.') break;
        if (n == 4) return 0;
        i++;
    }
    if (strict && n != 4) return 0;
    for (k = 0; k < n - 1; k++)
        if (part[k] > 0xff) return 0;
    if (part[n - 1] > 0xffffffffu >> (8 * (n - 1))) return 0;
    value = part[n - 1];
    for (k = 0; k < n - 1; k++) value |= part[k] << (24 - 8 * k);
    *addr = value;
    *pos = i;
    return 1;
}

static void put_word(unsigned char *out, int index, unsigned int value)
{
    out[2 * index] = value >> 8;
    out[2 * index + 1] = value & 0xff;
}

/*
 * Windows reads a group written "0x..." as a C hex number, saturating at
 * 0x7fffffff, and keeps its low 16 bits, while parsing goes on at the 'x'
 * (observed: "::0x012345678" stores 0x5678, "::0x80000000" 0xffff).
 */
static unsigned int hex_prefixed_group(const struct text *t, size_t i)
{
    uint64_t v = 0;
    int d;

    for (; (d = digit_value(text_char(t, i), 16)) >= 0; i++)
        if (v <= 0x7fffffff) v = v * 16 + d;
    if (v > 0x7fffffff) v = 0x7fffffff;
    return v & 0xffff;
}

/*
 * The IPv6 text of RFC 4291 section 2.2 as Windows' RtlIpv6StringToAddress
 * reads it, on which inet_pton is built: up to eight groups of one to four
 * hex digits, one "::" for a run of zero groups, and a dotted IPv4 address in
 * place of the last two groups (each part decimal, at most three digits).
 * Parsing stops at the first character that cannot continue the address and
 * succeeds if what came before is a whole address; *pos is that character's
 * index.
 *
 * Like Windows, it writes into `out` as it goes, so after a failure, or a
 * success followed by junk (inet_pton returns 0 for both), `out` holds what
 * Windows would leave there: each group once the ':' after it is seen, each
 * of the first three IPv4 bytes once the '.' after it is seen, and a zero
 * group at once for a leading "::".  Also as observed: eight groups end the
 * address even if more follow, so do seven with a "::" or a second "::";
 * and a group starting "0x" is read as described above.
 */
static int parse_ipv6(const struct text *t, size_t *pos, unsigned char *out)
{
    size_t i = 0;
    int n = 0, gap = -1, max = 8, k;

    if (text_char(t, 0) == ':')
    {
        if (text_char(t, 1) != ':') return 0;
        put_word(out, 0, 0);
        n = gap = 1;
        i = 2;
        if (digit_value(text_char(t, i), 16) < 0) goto done;
    }
    for (;;)
    {
        size_t start = i;
        unsigned int len = 0, value = 0, c;
        int decimal = 1, d;

        for (; (d = digit_value(text_char(t, i), 16)) >= 0; i++, len++)
        {
            if (d > 9) decimal = 0;
            value = ((value << 4) | d) & 0xffff;
        }
        if (!len) return 0;
        c = text_char(t, i);

        if (c == '.' && decimal && n + 2 <= max)
        {
            unsigned int octet = 0;

            for (i = start, k = 0; k < 4; k++)
            {
                unsigned int digits = 0;

                for (octet = 0; is_decimal(c = text_char(t, i)); i++, digits++)
                    if (octet <= 0xff) octet = octet * 10 + (c - '0');
                if (!digits || digits > 3 || octet > 0xff) return 0;
                if (k == 3) break;
                if (c != '.') return 0;
                out[2 * n + k] = octet;
                i++;
            }
            n += 2;
            if (gap < 0 && n != 8) return 0;
            out[2 * n - 1] = octet;
            goto done;
        }
        if (len == 1 && !value && (c == 'x' || c == 'X'))
            value = hex_prefixed_group(t, i + 1);
        else if (len > 4)
            return 0;

        if (c != ':' && gap < 0 && n + 1 < max) return 0;
        put_word(out, n++, value);
        if (n == max || c != ':') break;
        if (text_char(t, i + 1) != ':')
        {
            i++;
            continue;
        }
        if (gap >= 0) break;
        gap = n;
        max = 7;
        i += 2;
        if (n == max || digit_value(text_char(t, i), 16) < 0) break;
    }
done:
    if (gap >= 0)
    {
        int tail = n - gap;

        memmove(out + 2 * (8 - tail), out + 2 * gap, 2 * tail);
        memset(out + 2 * gap, 0, 2 * (8 - tail - gap));
    }
    *pos = i;
    return 1;
}

/* ------------------------------------------------------------ text output */

static char *put_decimal(char *p, unsigned int v)
{
    if (v >= 100) *p++ = '0' + v / 100;
    if (v >= 10) *p++ = '0' + v / 10 % 10;
    *p++ = '0' + v % 10;
    return p;
}

static char *put_ipv4(char *p, const unsigned char *b)
{
    int k;

    for (k = 0; k < 4; k++)
    {
        if (k) *p++ = '.';
        p = put_decimal(p, b[k]);
    }
    return p;
}

static char *put_hex(char *p, unsigned int v)
{
    static const char digits[] = "0123456789abcdef";
    int shift = 12;

    while (shift && !(v >> shift)) shift -= 4;
    for (; shift >= 0; shift -= 4) *p++ = digits[(v >> shift) & 0xf];
    return p;
}

/*
 * IPv6 text as Windows' RtlIpv6AddressToString writes it (observed): lowercase
 * hex without leading zeros, the first longest run of two or more zero groups
 * as "::" (a single zero group stays "0", as RFC 5952 says), and the last 32
 * bits as a dotted quad for
 *   ::a.b.c.d          (compatible: first 96 bits zero),
 *   ::ffff:a.b.c.d     (mapped),
 *   ::ffff:0:a.b.c.d   (translated),
 * the first two only when the seventh group is nonzero ("::1", "::ffff",
 * "::ffff:0:4403" stay hex; the third was only seen with a nonzero seventh
 * group and is assumed to follow the same rule), and for ISATAP, any prefix
 * followed by 0:5efe or 200:5efe ("::5efe:0.0.0.0" included).
 */
static size_t format_ipv6(const unsigned char *b, char *out)
{
    unsigned int w[8];
    int k, words = 8, dotted = 0, best = -1, best_len = 1, run;
    char *p = out;

    for (k = 0; k < 8; k++) w[k] = b[2 * k] << 8 | b[2 * k + 1];
    if (!w[0] && !w[1] && !w[2] && !w[3] && w[6] &&
        ((!w[4] && !w[5]) || (!w[4] && w[5] == 0xffff) || (w[4] == 0xffff && !w[5])))
        dotted = 1;
    if ((!w[4] || w[4] == 0x0200) && w[5] == 0x5efe) dotted = 1;
    if (dotted) words = 6;

    for (k = 0; k < words; k += run ? run : 1)
    {
        for (run = 0; k + run < words && !w[k + run]; run++)
            ;
        if (run > best_len)
        {
            best = k;
            best_len = run;
        }
    }
    if (best < 0) best_len = 0;

    for (k = 0; k < words;)
    {
        if (k == best)
        {
            *p++ = ':';
            *p++ = ':';
            k += best_len;
            continue;
        }
        if (k && k != best + best_len) *p++ = ':';
        p = put_hex(p, w[k++]);
    }
    if (dotted)
    {
        if (p == out || p[-1] != ':') *p++ = ':';
        p = put_ipv4(p, b + 12);
    }
    *p = 0;
    return p - out;
}

/* ------------------------------------------------------------ inet_addr */

/*
 * Documented: the a.b.c.d / a.b.c / a.b / a forms in decimal, octal or hex;
 * INADDR_NONE for an illegal address, for "" and for NULL (Windows Server
 * 2003 and later); 0 for " " (a single space).  Observed on Windows: NULL
 * also sets WSAEFAULT; the address may be followed by a space, tab or other
 * C whitespace character and then anything ("1 2 3 4" is 0.0.0.1), but by
 * nothing else ("1.2.3.4:80" is INADDR_NONE); leading whitespace is an error
 * (" 1.2.3.4", and "  " or "\t" alone).  No WSAStartup is needed.
 */
unsigned long WSAAPI inet_addr(const char *cp)
{
    struct text t = { cp, NULL };
    char dbg[80];
    uint32_t addr;
    size_t end = 0;
    unsigned int c;

    TRACE("%s\n", debugstr_text(&t, dbg, sizeof(dbg)));
    if (!cp)
    {
        ws2_fail(WSAEFAULT);
        return INADDR_NONE;
    }
    if (cp[0] == ' ' && !cp[1]) return 0;
    if (!parse_ipv4(&t, &end, 0, &addr)) return INADDR_NONE;
    c = text_char(&t, end);
    if (c && c != ' ' && (c < '\t' || c > '\r')) return INADDR_NONE;
    return htonl(addr);
}

/* ------------------------------------------------------------ inet_ntoa */

/* Documented: the string lives in memory owned by Winsock, valid until the
 * thread's next Winsock call; here it is the calling thread's own buffer. */
char *WSAAPI inet_ntoa(struct in_addr in)
{
    struct ws2_thread *thread = ws2_thread_data();

    TRACE("%08lx\n", (unsigned long)ntohl(in.s_addr));
    if (!thread) return NULL;
    *put_ipv4(thread->ntoa_buf, (const unsigned char *)&in.s_addr) = 0;
    return thread->ntoa_buf;
}

/* ------------------------------------------------------------ inet_pton */

/*
 * Documented: 1 on success; 0 when the string is not a valid address of the
 * family; -1 with WSAEAFNOSUPPORT for a family other than AF_INET and
 * AF_INET6, or with WSAEFAULT for a NULL string or buffer.  Observed on
 * Windows: the NULL check comes before the family check, an IPv4 address is
 * the strict form (four decimal parts), the whole string must be the address
 * (no spaces, ports or scope ids), the buffer is written even when a valid
 * address is followed by junk (and the result is 0), and on a 0 result
 * InetPtonW sets WSAEINVAL while inet_pton leaves the last error alone.
 * A wild (non-NULL) pointer is simply dereferenced: the documentation's
 * WSAEFAULT for memory outside the user address space was not verified, and
 * Windows' Rtl string parsers are known to dereference without checks.
 */
static int pton(int family, const struct text *t, void *buf)
{
    size_t end = 0;
    uint32_t addr;

    if ((!t->a && !t->w) || !buf) return ws2_fail(WSAEFAULT);
    switch (family)
    {
    case AF_INET:
        if (!parse_ipv4(t, &end, 1, &addr)) return 0;
        addr = htonl(addr);
        memcpy(buf, &addr, sizeof(addr));
        break;
    case AF_INET6:
        if (!parse_ipv6(t, &end, buf)) return 0;
        break;
    default:
        return ws2_fail(WSAEAFNOSUPPORT);
    }
    return !text_char(t, end);
}

INT WSAAPI inet_pton(INT Family, PCSTR pszAddrString, PVOID pAddrBuf)
{
    struct text t = { pszAddrString, NULL };
    char dbg[80];

    TRACE("%d %s %p\n", Family, debugstr_text(&t, dbg, sizeof(dbg)), pAddrBuf);
    return pton(Family, &t, pAddrBuf);
}

INT WSAAPI InetPtonW(INT Family, PCWSTR pszAddrString, PVOID pAddrBuf)
{
    struct text t = { NULL, pszAddrString };
    char dbg[80];
    int ret;

    TRACE("%d %s %p\n", Family, debugstr_text(&t, dbg, sizeof(dbg)), pAddrBuf);
    if (!(ret = pton(Family, &t, pAddrBuf))) ws2_fail(WSAEINVAL);
    return ret;
}

/* ------------------------------------------------------------ inet_ntop */

/*
 * Documented: NULL with WSAEAFNOSUPPORT for a family other than AF_INET and
 * AF_INET6; NULL with "ERROR_INVALID_PARAMETER" for a NULL buffer, a zero
 * size, or a buffer (counted in characters) too small for the text and its
 * NUL.  Observed for inet_ntop: Windows 8 and later actually set
 * STATUS_INVALID_PARAMETER (0xC000000D) as the last error for these (Windows
 * 7 set WSAEINVAL); we do as current Windows does, and assume InetNtopW does
 * the same (not observed).  The family is checked first and a NULL address
 * is treated like the other invalid parameters (not observed either; it is
 * what Windows' RtlIpv4/6AddressToStringEx, which take the same arguments,
 * do); a wild address is simply dereferenced.  Nothing is written on error.
 */
#define NTOP_INVALID_PARAMETER ((int)STATUS_INVALID_PARAMETER)

static size_t ntop(int family, const void *addr, size_t size, int have_buffer, char *text)
{
    if (family != AF_INET && family != AF_INET6)
    {
        ws2_fail(WSAEAFNOSUPPORT);
        return 0;
    }
    if (!addr || !have_buffer || !size)
    {
        ws2_fail(NTOP_INVALID_PARAMETER);
        return 0;
    }
    if (family == AF_INET)
        *put_ipv4(text, addr) = 0;
    else
        format_ipv6(addr, text);
    if (strlen(text) >= size)
    {
        ws2_fail(NTOP_INVALID_PARAMETER);
        return 0;
    }
    return strlen(text) + 1;
}

PCSTR WSAAPI inet_ntop(INT Family, const VOID *pAddr, PSTR pStringBuf, size_t StringBufSize)
{
    char text[64];
    size_t len;

    TRACE("%d %p %p %Iu\n", Family, pAddr, pStringBuf, StringBufSize);
    if (!(len = ntop(Family, pAddr, StringBufSize, !!pStringBuf, text))) return NULL;
    memcpy(pStringBuf, text, len);
    return pStringBuf;
}

PCWSTR WSAAPI InetNtopW(INT Family, const VOID *pAddr, PWSTR pStringBuf, size_t StringBufSize)
{
    char text[64];
    size_t i, len;

    TRACE("%d %p %p %Iu\n", Family, pAddr, pStringBuf, StringBufSize);
    if (!(len = ntop(Family, pAddr, StringBufSize, !!pStringBuf, text))) return NULL;
    for (i = 0; i < len; i++) pStringBuf[i] = (unsigned char)text[i];
    return pStringBuf;
}

/* ------------------------------------------------------------ for addrstring.c */

/* The parsers and formatters above, for WSAStringToAddress and
 * WSAAddressToString (declared in addr.h): a string is narrow (`a`) or
 * wide (`w`), the other pointer NULL. */
int addr_parse_ipv4(const char *a, const WCHAR *w, int strict, uint32_t *addr, size_t *end)
{
    struct text t = { a, w };
    size_t pos = 0;

    if (!parse_ipv4(&t, &pos, strict, addr)) return 0;
    *end = pos;
    return 1;
}

int addr_parse_ipv6(const char *a, const WCHAR *w, unsigned char *out, size_t *end)
{
    struct text t = { a, w };
    size_t pos = 0;

    if (!parse_ipv6(&t, &pos, out)) return 0;
    *end = pos;
    return 1;
}

size_t addr_format_ipv4(const unsigned char *bytes, char *out)
{
    char *p = put_ipv4(out, bytes);

    *p = 0;
    return p - out;
}

size_t addr_format_ipv6(const unsigned char *bytes, char *out)
{
    return format_ipv6(bytes, out);
}
