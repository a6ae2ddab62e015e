/*
 * The server's side of the option table (common/optable.c, which the DLL
 * runs too): the Linux calls it makes, with libc; the rows only the server
 * can answer (SO_BSP_STATE, SO_PROTOCOL_INFO, SO_CONNECT_TIME); and the
 * entry points for a struct ws2_socket (requests, the unit tests, the
 * fuzzer).
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include "ws.h"
#include "ws2proto.h"
#include "loop.h"
#include "sock.h"
#include "addr.h"
#include "errors.h"
#include "sockopt.h"

/* The table's Linux numbers are the kernel's. */
#define X(name, value) _Static_assert((int)LX_##name == (int)name, "Linux's " #name);
SOCKOPT_LINUX_NUMBERS(X)
#undef X
/* The layouts the table builds by hand. */
_Static_assert(offsetof(struct ip_mreq_source, imr_multiaddr) == 0 &&
                   offsetof(struct ip_mreq_source, imr_interface) == 4 &&
                   offsetof(struct ip_mreq_source, imr_sourceaddr) == 8 && sizeof(struct ip_mreq_source) == 12,
               "struct ip_mreq_source");
_Static_assert(offsetof(struct ip_mreqn, imr_address) == 4 && offsetof(struct ip_mreqn, imr_ifindex) == 8 &&
                   sizeof(struct ip_mreqn) == 12,
               "struct ip_mreqn");

int optable_host_get(int fd, int level, int name, void *value, uint32_t *len)
{
    socklen_t l = *len;

    if (getsockopt(fd, level, name, value, &l) < 0) return errno_to_wsa(errno);
    *len = l;
    return 0;
}

int optable_host_set(int fd, int level, int name, const void *value, uint32_t len)
{
    return setsockopt(fd, level, name, value, len) < 0 ? errno_to_wsa(errno) : 0;
}

int optable_host_error(int fd)
{
    int err = 0;
    socklen_t len = sizeof(err);

    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0) return errno_to_wsa(errno);
    return err ? errno_to_wsa(err) : 0;
}

int optable_host_bound(int fd)
{
    struct sockaddr_storage sa;
    socklen_t salen = sizeof(sa);

    if (getsockname(fd, (struct sockaddr *)&sa, &salen) < 0) return 0;
    if (sa.ss_family == AF_INET) return !!((struct sockaddr_in *)&sa)->sin_port;
    if (sa.ss_family == AF_INET6) return !!((struct sockaddr_in6 *)&sa)->sin6_port;
    return 0;
}

/* At the mark, with the urgent byte read (MSG_OOB refuses it) and nothing
 * after it, one non-blocking read consumes just the hole.  Data after the
 * hole would be read with it: then the hole stays, as before. */
void optable_host_drop_urgent_hole(int fd)
{
    int at_mark = 0;
    char c;

    if (ioctl(fd, SIOCATMARK, &at_mark) < 0 || !at_mark) return;
    if (recv(fd, &c, 1, MSG_OOB | MSG_PEEK | MSG_DONTWAIT) >= 0 || errno != EINVAL) return;
    if (recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT) >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) return;
    (void)!recv(fd, &c, 1, MSG_DONTWAIT);
}

static int get_protocol_info(struct ws2_socket *sock, uint8_t *out, uint32_t *len, int unicode)
{
    WSAPROTOCOL_INFOW info;

    if (sock_protocol_info(sock, &info) < 0) return WSAENOPROTOOPT;
    if (unicode)
    {
        memcpy(out, &info, sizeof(info));
        *len = sizeof(info);
    }
    else
    {
        /* The A form: the same up to szProtocol, then a narrow string. */
        size_t fixed = offsetof(WSAPROTOCOL_INFOW, szProtocol), i;

        memset(out, 0, sizeof(WSAPROTOCOL_INFOA));
        memcpy(out, &info, fixed);
        for (i = 0; i < WSAPROTOCOL_LEN && info.szProtocol[i]; i++) out[fixed + i] = (char)info.szProtocol[i];
        *len = sizeof(WSAPROTOCOL_INFOA);
    }
    return 0;
}

/*
 * SO_BSP_STATE: a CSADDR_INFO whose two SOCKET_ADDRESS pointers point into
 * the caller's own buffer, just after the structure (the DLL tells us where
 * that buffer is).  Layout for a 64-bit caller: two {pointer, int, pad}
 * pairs, then iSocketType and iProtocol: 40 bytes; for a 32-bit one
 * (WS2_OPTVAL_PTR32): two {pointer, int} pairs, then the same: 24 bytes.
 */
#define CSADDR_INFO_SIZE   40
#define CSADDR_INFO_SIZE32 24

static int get_bsp_state(struct ws2_socket *sock, const struct ws2_sockopt_request *req, uint8_t *out, uint32_t *len)
{
    int ptr32 = !!(req->flags & WS2_OPTVAL_PTR32);
    uint32_t ptr_size = ptr32 ? 4 : 8, slot = ptr32 ? 8 : 16, head = ptr32 ? CSADDR_INFO_SIZE32 : CSADDR_INFO_SIZE;
    uint32_t addr_size = sock->family == WS_AF_INET6 ? 28 : 16, need = head + 2 * addr_size;
    struct sockaddr_storage sa;
    socklen_t salen;
    uint32_t pos = head, i;
    int32_t type = sock->type, protocol = sock->protocol;

    if (req->optlen < 0 || (uint32_t)req->optlen < need) return WSAEFAULT;
    memset(out, 0, need);
    for (i = 0; i < 2; i++)
    {
        uint32_t alen = 0;
        uint64_t ptr;
        int32_t ilen;

        salen = sizeof(sa);
        if (i == 0 ? (sock->state & SOCK_BOUND) && !getsockname(sock->fd, (struct sockaddr *)&sa, &salen)
                   : !getpeername(sock->fd, (struct sockaddr *)&sa, &salen))
        {
            if (addr_from_linux((struct sockaddr *)&sa, salen, out + pos, &alen)) alen = 0;
        }
        ptr = alen ? req->optval_addr + pos : 0;
        ilen = alen;
        /* Little-endian: a 32-bit pointer is the low half. */
        memcpy(out + slot * i, &ptr, ptr_size);
        memcpy(out + slot * i + ptr_size, &ilen, sizeof(ilen));
        pos += alen;
    }
    memcpy(out + 2 * slot, &type, sizeof(type));
    memcpy(out + 2 * slot + 4, &protocol, sizeof(protocol));
    *len = pos;
    return 0;
}

static int get_connect_time(struct ws2_socket *sock, uint32_t *value)
{
    /* Seconds connected; 0xffffffff when not connected (MS-AcceptEx), and
     * always for datagram sockets, which only have a default peer. */
    if (!sock->connected_ms || sock->type != WS_SOCK_STREAM) *value = 0xffffffff;
    else *value = (uint32_t)((now_ms() - sock->connected_ms) / 1000);
    return 0;
}

int optable_server_get(const struct sockopt_target *t, enum optable_server_row row,
                       const struct ws2_sockopt_request *req, uint8_t *out, uint32_t *len)
{
    struct ws2_socket *sock = t->host;

    switch (row)
    {
    case SERVER_BSP_STATE: return get_bsp_state(sock, req, out, len);
    case SERVER_PROTOCOL_INFOA: return get_protocol_info(sock, out, len, 0);
    case SERVER_PROTOCOL_INFOW: return get_protocol_info(sock, out, len, 1);
    case SERVER_CONNECT_TIME: return get_connect_time(sock, (uint32_t *)out);
    default: return WSAENOPROTOOPT;
    }
}

/* ------------------------------------------------------- entry points */

static struct sockopt_target target_of(struct ws2_socket *sock)
{
    return sockopt_target_of(sock->shared, sock->fd, sock->family, sock->type, sock->protocol, 0, sock);
}

void sockopt_get(struct ws2_socket *sock, const struct ws2_sockopt_request *req, struct sockopt_result *res)
{
    struct sockopt_target t = target_of(sock);

    optable_get(&t, req, res);
}

int sockopt_set(struct ws2_socket *sock, const struct ws2_sockopt_request *req)
{
    struct sockopt_target t = target_of(sock);

    return optable_set(&t, req);
}

void sockopt_defaults(struct ws2_socket *sock)
{
    struct sockopt_target t = target_of(sock);

    optable_defaults(&t);
}

void sockopt_inherit(struct ws2_socket *sock, const struct ws2_socket *listener)
{
    struct sockopt_target t = target_of(sock);

    optable_inherit(&t, listener->shared);
}

int sockopt_row(unsigned int i, int *level, int *name)
{
    return optable_row(i, level, name);
}

const char *sockopt_name(int level, int name)
{
    return optable_name(level, name);
}
