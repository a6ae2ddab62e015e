/*
 * Socket addresses.  Windows' sockaddr_in and sockaddr_in6 have Linux's
 * layout except for the family number (AF_INET6 is 23 on Windows, 10 on
 * Linux), so conversion is a copy with the family rewritten.
 */
#include <string.h>
#include <netinet/in.h>
#include "server.h"

int family_to_linux(int ws_family)
{
    switch (ws_family)
    {
    case WS_AF_INET: return AF_INET;
    case WS_AF_INET6: return AF_INET6;
    default: return -1;
    }
}

int addr_to_linux(const uint8_t *addr, uint32_t len, int family,
                  struct sockaddr_storage *out, socklen_t *outlen)
{
    uint16_t ws_family;

    if (len < sizeof(uint16_t) || len > WS2_MAX_ADDR) return WSAEFAULT;
    memcpy(&ws_family, addr, sizeof(ws_family));
    memset(out, 0, sizeof(*out));
    switch (ws_family)
    {
    case WS_AF_INET:
        if (len < sizeof(struct sockaddr_in)) return WSAEFAULT;
        if (family != WS_AF_INET) return WSAEAFNOSUPPORT;
        memcpy(out, addr, sizeof(struct sockaddr_in));
        ((struct sockaddr_in *)out)->sin_family = AF_INET;
        *outlen = sizeof(struct sockaddr_in);
        return 0;
    case WS_AF_INET6:
        /* The 24-byte form without sin6_scope_id is still accepted. */
        if (len < 24) return WSAEFAULT;
        if (family != WS_AF_INET6) return WSAEAFNOSUPPORT;
        memcpy(out, addr, len < sizeof(struct sockaddr_in6) ? len : sizeof(struct sockaddr_in6));
        ((struct sockaddr_in6 *)out)->sin6_family = AF_INET6;
        *outlen = sizeof(struct sockaddr_in6);
        return 0;
    default:
        return WSAEAFNOSUPPORT;
    }
}

int addr_from_linux(const struct sockaddr *sa, socklen_t salen, uint8_t *addr, uint32_t *len)
{
    uint16_t ws_family;

    switch (sa->sa_family)
    {
    case AF_INET:
        if (salen < sizeof(struct sockaddr_in)) return WSAEINVAL;
        memcpy(addr, sa, sizeof(struct sockaddr_in));
        ws_family = WS_AF_INET;
        *len = sizeof(struct sockaddr_in);
        break;
    case AF_INET6:
        if (salen < sizeof(struct sockaddr_in6)) return WSAEINVAL;
        memcpy(addr, sa, sizeof(struct sockaddr_in6));
        ws_family = WS_AF_INET6;
        *len = sizeof(struct sockaddr_in6);
        break;
    default:
        return WSAEAFNOSUPPORT;
    }
    memcpy(addr, &ws_family, sizeof(ws_family));
    return 0;
}
