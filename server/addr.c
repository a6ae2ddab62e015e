/*
 * Socket addresses in the server: the requests' Windows sockaddr bytes to
 * Linux ones and back.  The conversion and Windows' length rules are
 * include/ws2addr.h's, shared with the DLL; this file adapts them to
 * struct sockaddr_storage.
 */
#include <string.h>
#include <netinet/in.h>
#include "ws.h"
#include "ws2proto.h"
#include "addr.h"
#include "ws2addr.h"

_Static_assert(WS2_MAX_ADDR == WS2ADDR_MAX_SIZE, "the wire carries whole sockaddrs");

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
    uint32_t n;
    int status;

    if (len > WS2_MAX_ADDR) return WSAEFAULT;
    memset(out, 0, sizeof(*out));
    if ((status = ws2addr_to_linux(addr, (int32_t)len, (uint16_t)family, out, &n))) return status;
    *outlen = n;
    return 0;
}

int addr_from_linux(const struct sockaddr *sa, socklen_t salen, uint8_t *addr, uint32_t *len)
{
    return ws2addr_from_linux(sa, salen, addr, len);
}
