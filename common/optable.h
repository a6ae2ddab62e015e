/*
 * getsockopt/setsockopt with Windows' semantics, from one table compiled
 * into both the server and the DLL (common/optable.c).  The DLL runs it in
 * the calling process, on its fd copy of the socket and the socket's slot
 * of the shared region; the server runs the rows marked as needing it (and
 * every row, for its unit tests and the fuzzer).
 *
 * The few Linux calls the table makes go through the optable_host_*
 * functions below, which each side implements (server/sockopt.c with libc,
 * dlls/ws2_32/sockopt.c with the shim); both answer with Winsock
 * errors.  Option numbers on the Linux side are the LX_* constants below,
 * checked against the kernel's headers by the server build.
 */
#ifndef WS2_OPTABLE_H
#define WS2_OPTABLE_H

#include <stdint.h>
#include "ws2proto.h"
#include "ws2shared.h"

/* The Linux levels, options and values the table uses (x86-64 and i386
 * have the same ones); server/sockopt.c asserts each against the kernel headers. */
/* clang-format off */
#define SOCKOPT_LINUX_NUMBERS(X) \
    X(SOL_SOCKET, 1) X(SO_BROADCAST, 6) X(SO_SNDBUF, 7) X(SO_RCVBUF, 8) X(SO_KEEPALIVE, 9) \
    X(SO_OOBINLINE, 10) \
    X(IPPROTO_IP, 0) X(IPPROTO_TCP, 6) X(IPPROTO_IPV6, 41) \
    X(TCP_NODELAY, 1) X(TCP_MAXSEG, 2) X(TCP_KEEPIDLE, 4) X(TCP_KEEPINTVL, 5) X(TCP_KEEPCNT, 6) \
    X(IP_TOS, 1) X(IP_TTL, 2) X(IP_HDRINCL, 3) X(IP_OPTIONS, 4) X(IP_PKTINFO, 8) X(IP_MTU_DISCOVER, 10) \
    X(IP_RECVTTL, 12) X(IP_RECVTOS, 13) X(IP_MTU, 14) X(IP_MULTICAST_IF, 32) X(IP_MULTICAST_TTL, 33) \
    X(IP_MULTICAST_LOOP, 34) X(IP_ADD_MEMBERSHIP, 35) X(IP_DROP_MEMBERSHIP, 36) X(IP_UNBLOCK_SOURCE, 37) \
    X(IP_BLOCK_SOURCE, 38) X(IP_ADD_SOURCE_MEMBERSHIP, 39) X(IP_DROP_SOURCE_MEMBERSHIP, 40) \
    X(IP_UNICAST_IF, 50) \
    X(IP_PMTUDISC_DONT, 0) X(IP_PMTUDISC_WANT, 1) X(IP_PMTUDISC_DO, 2) X(IP_PMTUDISC_PROBE, 3) \
    X(IPV6_UNICAST_HOPS, 16) X(IPV6_MULTICAST_IF, 17) X(IPV6_MULTICAST_HOPS, 18) X(IPV6_MULTICAST_LOOP, 19) \
    X(IPV6_ADD_MEMBERSHIP, 20) X(IPV6_DROP_MEMBERSHIP, 21) X(IPV6_MTU_DISCOVER, 23) X(IPV6_MTU, 24) \
    X(IPV6_V6ONLY, 26) X(IPV6_HDRINCL, 36) X(IPV6_RECVPKTINFO, 49) X(IPV6_RECVHOPLIMIT, 51) \
    X(IPV6_RECVTCLASS, 66) X(IPV6_TCLASS, 67) X(IPV6_UNICAST_IF, 76)
/* clang-format on */
enum
{
#define X(name, value) LX_##name = value,
    SOCKOPT_LINUX_NUMBERS(X)
#undef X
};

/* The socket an option call is on, as either side knows it. */
struct sockopt_target
{
    struct ws2_sock_shared *shared; /* its slot of the shared region */
    int fd;                         /* the Linux socket (the same open file on both sides) */
    int family, type, protocol;     /* Windows values */
    int local;                      /* the DLL: rows that need the server are not run here */
    void *host;                     /* the side's own object (the server: struct ws2_socket) */
};

/* The one way either side names a socket to the table. */
static inline struct sockopt_target sockopt_target_of(struct ws2_sock_shared *shared, int fd, int family, int type,
                                                      int protocol, int local, void *host)
{
    struct sockopt_target t = { shared, fd, family, type, protocol, local, host };
    return t;
}

/* What getsockopt gives back. */
struct sockopt_result
{
    int status;     /* 0, a Winsock error, or SOCKOPT_AT_SERVER */
    int32_t optlen; /* *optlen to store, if set_optlen */
    int set_optlen;
    uint32_t datalen; /* bytes to copy to the caller's optval */
    uint8_t data[WS2_MAX_OPTVAL];
};

/* A local call reached a row that needs the server: send it there. */
#define SOCKOPT_AT_SERVER (-1)

void optable_get(const struct sockopt_target *t, const struct ws2_sockopt_request *req, struct sockopt_result *res);
int optable_set(const struct sockopt_target *t, const struct ws2_sockopt_request *req);
/* Windows' defaults for a new socket: its slot (cleared before) and the
 * Linux socket. */
void optable_defaults(const struct sockopt_target *t);
/* An accepted socket starts with the listener's options (`from`, its slot). */
void optable_inherit(const struct sockopt_target *t, const struct ws2_sock_shared *from);
/* Row `i` of the option table: its level and name; -1 past the end (the
 * fuzzer's seeds try every row). */
int optable_row(unsigned int i, int *level, int *name);
/* Windows' name of an option (SO_LINGER), or NULL if the table lacks it. */
const char *optable_name(int level, int name);

/* ---------------------------------------------- what each side provides */

/* getsockopt/setsockopt on the Linux socket, Linux numbers: 0 or a Winsock error. */
int optable_host_get(int fd, int level, int name, void *value, uint32_t *len);
int optable_host_set(int fd, int level, int name, const void *value, uint32_t len);
/* The socket's pending error (SO_ERROR), taken: a Winsock error or 0. */
int optable_host_error(int fd);
/* Whether the socket has a local address. */
int optable_host_bound(int fd);
/* SO_OOBINLINE going on: consume the hole an urgent byte read out of band
 * left in the stream (common/optable.c says why). */
void optable_host_drop_urgent_hole(int fd);

/* The rows only the server runs (the DLL's version is never called). */
enum optable_server_row
{
    SERVER_NONE,
    SERVER_BSP_STATE,
    SERVER_PROTOCOL_INFOA,
    SERVER_PROTOCOL_INFOW,
    SERVER_CONNECT_TIME,
};
int optable_server_get(const struct sockopt_target *t, enum optable_server_row row,
                       const struct ws2_sockopt_request *req, uint8_t *out, uint32_t *len);

#endif /* WS2_OPTABLE_H */
