/*
 * Socket addresses between Windows and Linux, and Windows' rules for their
 * lengths: the one place both the DLL (data path, early checks) and the
 * server (control path) take them from.  Plain C with fixed-width types;
 * the includer provides WSAEFAULT and WSAEAFNOSUPPORT (winsock2.h, or
 * Wine's headers in the server).
 *
 * Windows' sockaddr_in and sockaddr_in6 have Linux's layout except for the
 * family number (AF_INET6 is 23 on Windows, 10 on Linux), so a conversion
 * is a copy with the family rewritten.
 *
 * The length rules.  Microsoft's pages for bind, connect, sendto, WSAConnect
 * and ConnectEx give WSAEFAULT when "namelen is too small"; what is too
 * small is the provider's iMinSockAddr, which Windows' TCP/IP providers
 * report (WSAEnumProtocols, and include/ws2protoinfo.h here) as 16 for IPv4
 * and 28 for IPv6, iMaxSockAddr being the same.  So, for an address given
 * to a socket:
 *
 *   length < the socket's sockaddr size (16 / 28)  -> WSAEFAULT (0, negative,
 *                                                     15; and 24, the old
 *                                                     sockaddr_in6 without
 *                                                     scope id, and 27)
 *   length >= that size, family not the socket's   -> WSAEAFNOSUPPORT
 *   length >= that size, family the socket's       -> accepted; bytes past
 *                                                     the sockaddr are ignored
 *
 * The length is judged before the family, as the provider does.  For the
 * family, bind's page names WSAEFAULT and connect's WSAEAFNOSUPPORT ("cannot
 * be used with this socket"); we give WSAEAFNOSUPPORT everywhere, as Wine's
 * own DLL does for a family nobody supports.  An address
 * without a socket (getnameinfo) is judged by its own family: 16 for
 * AF_INET, 28 for AF_INET6, anything else WSAEAFNOSUPPORT once two bytes
 * (the family) are there.  Addresses going out (accept, getsockname,
 * getpeername, recvfrom, WSARecvFrom) need room for the whole sockaddr of the
 * socket's family, else WSAEFAULT, and the length written back is that size.
 * Wine's own DLL takes the 24-byte sockaddr_in6 as well; Windows since XP
 * SP1 does not (its SOCKADDR_IN6_W2KSP1 is the 28-byte one), so we do not.
 */
#ifndef WS2ADDR_H
#define WS2ADDR_H

#include <stdint.h>
#include <string.h>

#if !defined(WSAEFAULT) || !defined(WSAEAFNOSUPPORT)
#error "include winsock2.h (the DLL) or Wine's winsock2.h (the server) before ws2addr.h"
#endif

/* Family numbers of both systems (fixed by their ABIs). */
#define WS2ADDR_WIN_AF_INET    2
#define WS2ADDR_WIN_AF_INET6   23
#define WS2ADDR_LINUX_AF_INET  2
#define WS2ADDR_LINUX_AF_INET6 10

/* sizeof(sockaddr_in), sizeof(sockaddr_in6): the same on both systems. */
#define WS2ADDR_IN_SIZE  16
#define WS2ADDR_IN6_SIZE 28
#define WS2ADDR_MAX_SIZE WS2ADDR_IN6_SIZE

/* The size of a Windows family's sockaddr, or 0 for a family we do not serve. */
static inline int32_t ws2addr_size(uint16_t win_family)
{
    switch (win_family)
    {
    case WS2ADDR_WIN_AF_INET: return WS2ADDR_IN_SIZE;
    case WS2ADDR_WIN_AF_INET6: return WS2ADDR_IN6_SIZE;
    default: return 0;
    }
}

/* The family of a Windows sockaddr of `len` bytes (0 if it has none). */
static inline uint16_t ws2addr_family(const void *addr, int32_t len)
{
    uint16_t family = 0;

    if (len >= (int32_t)sizeof(family)) memcpy(&family, addr, sizeof(family));
    return family;
}

/*
 * Only the length: 0 if `len` bytes are enough for an address given to a
 * socket of family `sock_family` (0: no socket, judge by the address's own
 * family, whose number the caller read), else WSAEFAULT or WSAEAFNOSUPPORT.
 * The DLL calls this before it reads the program's memory.
 */
static inline int ws2addr_check_len(int32_t len, uint16_t sock_family, uint16_t addr_family)
{
    int32_t need;

    if (len < 2) return WSAEFAULT;
    if (!(need = ws2addr_size(sock_family ? sock_family : addr_family))) return WSAEAFNOSUPPORT;
    return len < need ? WSAEFAULT : 0;
}

/* The whole rule for an input address (see above): 0, WSAEFAULT or WSAEAFNOSUPPORT. */
static inline int ws2addr_check(const void *addr, int32_t len, uint16_t sock_family)
{
    uint16_t family = ws2addr_family(addr, len);
    int status;

    if ((status = ws2addr_check_len(len, sock_family, family))) return status;
    if (sock_family && family != sock_family) return WSAEAFNOSUPPORT;
    return 0;
}

/*
 * How many bytes of the program's address of `len` bytes are worth reading
 * (at most WS2ADDR_MAX_SIZE), once ws2addr_check_len has accepted `len`.
 */
static inline uint32_t ws2addr_read_len(int32_t len)
{
    return len > WS2ADDR_MAX_SIZE ? WS2ADDR_MAX_SIZE : (uint32_t)len;
}

/* Room for an address going out: 0 or WSAEFAULT. */
static inline int ws2addr_check_room(int32_t room, uint16_t sock_family)
{
    int32_t need = ws2addr_size(sock_family);

    return room < (need ? need : WS2ADDR_IN_SIZE) ? WSAEFAULT : 0;
}

/*
 * Windows -> Linux: checks the address as ws2addr_check does, then writes
 * the Linux sockaddr to `out` (room for WS2ADDR_MAX_SIZE bytes) and its size
 * to *outlen.
 */
static inline int ws2addr_to_linux(const void *addr, int32_t len, uint16_t sock_family, void *out, uint32_t *outlen)
{
    uint16_t family = ws2addr_family(addr, len), lfamily;
    int status;

    if ((status = ws2addr_check(addr, len, sock_family))) return status;
    *outlen = (uint32_t)ws2addr_size(family);
    memset(out, 0, WS2ADDR_MAX_SIZE);
    memcpy(out, addr, *outlen);
    lfamily = family == WS2ADDR_WIN_AF_INET6 ? WS2ADDR_LINUX_AF_INET6 : WS2ADDR_LINUX_AF_INET;
    memcpy(out, &lfamily, sizeof(lfamily));
    return 0;
}

/*
 * Linux -> Windows: the Linux sockaddr of `len` bytes to `out` (room for
 * WS2ADDR_MAX_SIZE bytes), its size to *outlen.  0, WSAEFAULT for a short
 * one, WSAEAFNOSUPPORT for a family Windows' TCP/IP does not know.
 */
static inline int ws2addr_from_linux(const void *addr, uint32_t len, void *out, uint32_t *outlen)
{
    uint16_t lfamily = 0, family;

    if (len >= sizeof(lfamily)) memcpy(&lfamily, addr, sizeof(lfamily));
    switch (lfamily)
    {
    case WS2ADDR_LINUX_AF_INET: family = WS2ADDR_WIN_AF_INET; break;
    case WS2ADDR_LINUX_AF_INET6: family = WS2ADDR_WIN_AF_INET6; break;
    default: return WSAEAFNOSUPPORT;
    }
    *outlen = (uint32_t)ws2addr_size(family);
    if (len < *outlen) return WSAEFAULT;
    memcpy(out, addr, *outlen);
    memcpy(out, &family, sizeof(family));
    return 0;
}

#endif /* WS2ADDR_H */
