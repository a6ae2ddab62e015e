/*
 * Request validation: every message is checked against the size its op
 * requires before a handler sees it.  A message that fails here ends the
 * client's connection (see client.c); it never reaches a handler.
 */
#include <string.h>
#include "server.h"

uint32_t protocol_fixed_size(uint32_t op)
{
    switch (op)
    {
    case WS2_OP_HELLO:        return sizeof(struct ws2_hello_request);
    case WS2_OP_SOCKET:       return sizeof(struct ws2_socket_request);
    case WS2_OP_BIND:
    case WS2_OP_CONNECT:      return sizeof(struct ws2_addr_request);
    case WS2_OP_LISTEN:
    case WS2_OP_SHUTDOWN:     return sizeof(struct ws2_int_request);
    case WS2_OP_GETSOCKOPT:
    case WS2_OP_SETSOCKOPT:   return offsetof(struct ws2_sockopt_request, data);
    case WS2_OP_IOCTL:        return sizeof(struct ws2_ioctl_request);
    case WS2_OP_DUPLICATE:    return sizeof(struct ws2_duplicate_request);
    case WS2_OP_DUP_OPEN:     return sizeof(struct ws2_dup_open_request);
    case WS2_OP_GETADDRINFO:  return sizeof(struct ws2_getaddrinfo_request);
    case WS2_OP_GETNAMEINFO:  return sizeof(struct ws2_getnameinfo_request);
    case WS2_OP_GETHOSTBYNAME: return sizeof(struct ws2_gethostbyname_request);
    case WS2_OP_GETHOSTBYADDR: return sizeof(struct ws2_gethostbyaddr_request);
    case WS2_OP_GETSERV:      return sizeof(struct ws2_getserv_request);
    case WS2_OP_INTERFACES:
    case WS2_OP_CLOSE:
    case WS2_OP_CONNECT_DONE:
    case WS2_OP_ACCEPT:
    case WS2_OP_GETSOCKNAME:
    case WS2_OP_GETPEERNAME:
    case WS2_OP_SELECT_CLAIM:
    case WS2_OP_SUBSCRIBE:
    case WS2_OP_CLEANUP:
    case WS2_OP_SERVER_STATS: return sizeof(struct ws2_req_header);
    default:                  return 0;
    }
}

int protocol_check_request(const void *msg, size_t len)
{
    struct ws2_req_header hdr;
    uint32_t fixed;

    if (len < sizeof(hdr) || len > WS2_MAX_MESSAGE) return -1;
    memcpy(&hdr, msg, sizeof(hdr));
    if (hdr.size != len || hdr.reserved) return -1;
    if (!(fixed = protocol_fixed_size(hdr.op))) return -1;
    if (hdr.op == WS2_OP_SETSOCKOPT || hdr.op == WS2_OP_GETSOCKOPT)
    {
        struct ws2_sockopt_request req;

        if (len < fixed) return -1;
        memcpy(&req, msg, fixed);
        if (req.datalen > WS2_MAX_OPTVAL || len != fixed + req.datalen) return -1;
        if (hdr.op == WS2_OP_GETSOCKOPT && req.datalen) return -1;
        return 0;
    }
    if (hdr.op == WS2_OP_GETNAMEINFO)
    {
        struct ws2_getnameinfo_request req;

        if (len != fixed) return -1;
        memcpy(&req, msg, fixed);
        return req.addrlen > WS2_MAX_ADDR ? -1 : 0;
    }
    if (hdr.op == WS2_OP_GETHOSTBYADDR)
    {
        struct ws2_gethostbyaddr_request req;

        if (len != fixed) return -1;
        memcpy(&req, msg, fixed);
        return req.addrlen > sizeof(req.addr) ? -1 : 0;
    }
    if (hdr.op == WS2_OP_BIND || hdr.op == WS2_OP_CONNECT)
    {
        struct ws2_addr_request req;

        if (len != fixed) return -1;
        memcpy(&req, msg, fixed);
        return req.addrlen > WS2_MAX_ADDR ? -1 : 0;
    }
    return len == fixed ? 0 : -1;
}
