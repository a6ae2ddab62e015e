/*
 * optwalk: the whole getsockopt/setsockopt option catalogue, walked.
 *
 * Every option Microsoft lists at SOL_SOCKET, IPPROTO_TCP, IPPROTO_IP,
 * IPPROTO_IPV6 and IPPROTO_UDP, on four kinds of socket (TCP and UDP over
 * IPv4 and IPv6), with optlen 0, 1, 2, 4, 8 and -1, through getsockopt and
 * setsockopt: 12 cells per option and kind.  In each cell the return value
 * and the error are checked, and for getsockopt also the bytes written into
 * a buffer filled with a pattern beforehand and the *optlen given back.
 * After the cells, an option whose value rule is known is set to 0x100 and
 * read back, and the value it had is put back.
 *
 * The expectations are the table "options" below: one row per option, with
 * its length rule, the socket kinds it is asserted on, whether it can be
 * read and written, its default where one is documented, and what happens
 * to an out-of-range value.  Sources:
 *  - Microsoft: the "SOL_SOCKET socket options", "IPPROTO_TCP socket
 *    options", "IPPROTO_IP socket options", "IPPROTO_IPV6 socket options"
 *    and "IPPROTO_UDP socket options" pages, the getsockopt and setsockopt
 *    pages, "SO_KEEPALIVE socket option", "SO_BSP_STATE socket option"
 *    (what exists, get/set, types, defaults, documented errors).
 *  - Windows' observed behaviour as asserted by Wine's conformance test
 *    test_set_getsockopt, which passes on Windows (its table of option
 *    sizes), summarised here as length rules A to F:
 *      A  read as one byte: set takes optlen 1, 2, 4, 8; 0 fails with
 *         WSAEFAULT, -1 with WSAENOBUFS (WSAEFAULT on Windows 7 to 10
 *         21H1).  get writes one byte and gives *optlen 1 for any optlen
 *         >= 1.  0x100 is read as its low byte: off.
 *      B  SOL_SOCKET booleans: set takes every optlen, 0 and -1 included.
 *         get: optlen 1 writes 1 byte, *optlen 1; optlen 2 writes 2 bytes,
 *         *optlen 1; optlen >= 4 writes 4, *optlen 4.  0x100 reads as 1.
 *      C  IP-level bytes and booleans: set takes 1, 2, 4, 8; 0 fails with
 *         WSAEFAULT, -1 with WSAENOBUFS (or WSAEFAULT, as A).  get: optlen
 *         1 or 2 writes 1 byte, *optlen 1; >= 4: *optlen 4.  TTLs, hop
 *         limits and IP_TOS refuse 0x100 with WSAEINVAL; booleans read it
 *         as 1.
 *      D  4 bytes, short gets zero-filled: set with 0, 1, 2 fails with
 *         WSAEFAULT, -1 succeeds; get with 1 or 2 fails with WSAEFAULT,
 *         keeps *optlen and zeroes that many bytes.  Values kept verbatim.
 *      E  4 bytes, short buffers untouched: set and get with 1 or 2 fail
 *         with WSAEFAULT, the buffer and *optlen as they were; set with -1
 *         succeeds (as every 4-byte SOL_SOCKET option of the table); get
 *         with -1 fails with WSAEFAULT, except SO_OPENTYPE, which succeeds
 *         with *optlen 4.
 *      F  4 bytes, short gets zero *optlen: set with 1 or 2 fails with
 *         WSAEFAULT, with -1 WSAENOBUFS (every level but SOL_SOCKET); get
 *         with 1 or 2 fails with WSAEFAULT, buffer untouched, *optlen 0.
 *      For all six: get with *optlen 0 or -1 fails with WSAEFAULT (but
 *      SO_OPENTYPE, above); set and get with 8 bytes succeed and report
 *      the option's own size (1 or 4).  What lands in bytes 4..7 of an
 *      8-byte buffer varies by option and is not asserted.
 *    Also observed: SO_ERROR can be set (1234 reads back), and a get with
 *    optlen 1 fails with WSAEFAULT; IP_HDRINCL on a TCP or UDP socket fails
 *    with WSAEINVAL both ways, buffer untouched; the IP_MTU_DISCOVER and
 *    IPV6_MTU_DISCOVER state a new socket reads cannot be set (WSAEINVAL,
 *    test_sockopt_validity); IP_DONTFRAGMENT and
 *    IPV6_DONTFRAG are 1 on stream sockets and 0 on datagram ones by
 *    default, and 0xdead reads back as 1; SO_PROTOCOL_INFOA/W with a short
 *    buffer fail with WSAEFAULT and set *optlen to the structure's size.
 *  - Options outside that table ("DWORD" rows) have only the documented
 *    rules: get with a 4-byte buffer gives *optlen 4, a zero *optlen is too
 *    small (WSAEFAULT).  What Windows does with optlen 1, 2 or -1 for them,
 *    and set with optlen 0, is not verified, so those cells are not
 *    asserted.  "struct" rows (multicast requests, IP_OPTIONS, ...) and
 *    options documented as a header value only are not asserted at all,
 *    except the documented length errors of SO_BSP_STATE (a buffer smaller
 *    than a CSADDR_INFO: WSAEFAULT, nothing changed).
 *  - A length rule observed on one kind of socket is asserted on every
 *    kind the option exists on.  On kinds Microsoft says an option does not
 *    exist on, only a documented error is asserted, and only with optlen 4
 *    (which error comes first for a bad length there is not known):
 *    SO_KEEPALIVE set on UDP and SO_DONTROUTE set on IPv6 give
 *    WSAENOPROTOOPT; SO_TYPE and SO_ACCEPTCONN cannot be set
 *    (WSAENOPROTOOPT); SO_GROUP_PRIORITY gives WSAENOPROTOOPT on sockets
 *    without a group; SO_SNDLOWAT, SO_RCVLOWAT and SO_USELOOPBACK give
 *    WSAEINVAL (Vista and later).
 *
 * Cells not asserted are counted as skipped (WSTEST_VERBOSE=1 lists them
 * by option and kind).  The program prints the totals at the end.
 */
#include "wstest.h"
#include <mswsock.h>
#include <limits.h>

/* Option numbers MinGW-w64's headers lack.  "IPPROTO_TCP socket options": */
#ifndef TCP_KEEPALIVE
#define TCP_KEEPALIVE 3
#endif
#ifndef TCP_MAXSEG
#define TCP_MAXSEG 4
#endif
#ifndef TCP_MAXRT
#define TCP_MAXRT 5
#endif
#ifndef TCP_STDURG
#define TCP_STDURG 6
#endif
#ifndef TCP_NOURG
#define TCP_NOURG 7
#endif
#ifndef TCP_ATMARK
#define TCP_ATMARK 8
#endif
#ifndef TCP_NOSYNRETRIES
#define TCP_NOSYNRETRIES 9
#endif
#ifndef TCP_TIMESTAMPS
#define TCP_TIMESTAMPS 10
#endif
#ifndef TCP_OFFLOAD_PREFERENCE
#define TCP_OFFLOAD_PREFERENCE 11
#endif
#ifndef TCP_CONGESTION_ALGORITHM
#define TCP_CONGESTION_ALGORITHM 12
#endif
#ifndef TCP_DELAY_FIN_ACK
#define TCP_DELAY_FIN_ACK 13
#endif
#ifndef TCP_MAXRTMS
#define TCP_MAXRTMS 14
#endif
#ifndef TCP_FASTOPEN
#define TCP_FASTOPEN 15
#endif
#ifndef TCP_KEEPCNT
#define TCP_KEEPCNT 16
#endif
#ifndef TCP_KEEPINTVL
#define TCP_KEEPINTVL 17
#endif
#ifndef TCP_FAIL_CONNECT_ON_ICMP_ERROR
#define TCP_FAIL_CONNECT_ON_ICMP_ERROR 18
#endif
#ifndef TCP_ICMP_ERROR_INFO
#define TCP_ICMP_ERROR_INFO 19
#endif
/* "SOL_SOCKET socket options" (SO_PAUSE_ACCEPT and SO_COMPARTMENT_ID: the
 * Windows SDK's ws2def.h, which the page points to): */
#ifndef SO_BSP_STATE
#define SO_BSP_STATE 0x1009
#endif
#ifndef SO_PAUSE_ACCEPT
#define SO_PAUSE_ACCEPT 0x3003
#endif
#ifndef SO_COMPARTMENT_ID
#define SO_COMPARTMENT_ID 0x3004
#endif
#ifndef SO_RANDOMIZE_PORT
#define SO_RANDOMIZE_PORT 0x3005
#endif
#ifndef SO_PORT_SCALABILITY
#define SO_PORT_SCALABILITY 0x3006
#endif
#ifndef SO_REUSE_UNICASTPORT
#define SO_REUSE_UNICASTPORT 0x3007
#endif
#ifndef SO_REUSE_MULTICASTPORT
#define SO_REUSE_MULTICASTPORT 0x3008
#endif
/* mstcpip.h of the Windows SDK, named by "SOL_SOCKET socket options": */
#ifndef SO_TIMESTAMP
#define SO_TIMESTAMP 0x300A
#endif
#ifndef SO_TIMESTAMP_ID
#define SO_TIMESTAMP_ID 0x300B
#endif
/* "IPPROTO_UDP socket options": */
#ifndef UDP_SEND_MSG_SIZE
#define UDP_SEND_MSG_SIZE 2
#endif
#ifndef UDP_RECV_MAX_COALESCED_SIZE
#define UDP_RECV_MAX_COALESCED_SIZE 3
#endif
/* "IPPROTO_IPV6 socket options": */
#ifndef IPV6_WFP_REDIRECT_CONTEXT
#define IPV6_WFP_REDIRECT_CONTEXT 70
#endif

/* ------------------------------------------------------------ the table */

enum group
{
    G_NONE, /* a header value only, or behaviour not documented */
    G_A,
    G_B,
    G_C,
    G_D,
    G_E,
    G_F,
    G_DWORD,     /* a DWORD outside the observed table: documented rules only */
    G_STRUCT,    /* a structure whose length rules are not documented */
    G_PROTOINFO, /* SO_PROTOCOL_INFOA/W */
    G_BSP,       /* SO_BSP_STATE */
};
/* clang-format off */
static const char *const group_names[] =
{
    "none", "A", "B", "C", "D", "E", "F", "DWORD", "struct", "struct", "struct",
};
/* clang-format on */

/* socket kinds */
#define K_T4  0x1
#define K_U4  0x2
#define K_T6  0x4
#define K_U6  0x8
#define K_TCP (K_T4 | K_T6)
#define K_UDP (K_U4 | K_U6)
#define K_V4  (K_T4 | K_U4)
#define K_V6  (K_T6 | K_U6)
#define K_ALL (K_V4 | K_V6)

#define GET 0x1
#define SET 0x2
#define GS  (GET | SET)

/* flags */
#define F_CONN       0x01 /* asserted on a connected socket */
#define F_GET1_FAULT 0x02 /* get with optlen 1 fails with WSAEFAULT (SO_ERROR) */
#define F_NEG_GET_OK 0x04 /* get with optlen -1 succeeds (SO_OPENTYPE) */
#define F_UNTOUCHED  0x08 /* a refused get leaves the buffer alone (IP_HDRINCL) */
#define F_DFLT_FIXED 0x10 /* the default cannot be set (WSAEINVAL); the set cells write .setv */

/* what setting 0x100 does */
enum vrule
{
    V_NONE,
    V_LOW_BYTE,
    V_BOOL,
    V_RANGE,
    V_VERBATIM
};
/* the documented default */
enum drule
{
    D_NONE,
    D_EQ,
    D_NONZERO,
    D_TYPE,
    D_DONTFRAG
};

struct row
{
    int level, name;
    const char *label;
    enum group group;
    unsigned int access; /* Microsoft's get/set */
    unsigned int kinds;  /* kinds the rows' rules are asserted on */
    unsigned int flags;
    enum vrule vrule;
    enum drule drule;
    DWORD dflt;
    unsigned int rkinds, rops; /* kinds and calls refused with rerr */
    int rerr;
    int size;   /* G_PROTOINFO: the structure's size */
    DWORD setv; /* F_DFLT_FIXED: a value that can be set */
};

#define OPT(lvl, opt, grp, acc, k) .level = lvl, .name = opt, .label = #opt, .group = grp, .access = acc, .kinds = k
#define DFLT(v)                    .drule = D_EQ, .dflt = (v)
#define REFUSE(k, ops, err)        .rkinds = k, .rops = ops, .rerr = err

/* clang-format off */
static const struct row options[] =
{
    /* SOL_SOCKET */
    { OPT(SOL_SOCKET, SO_DEBUG, G_DWORD, GS, K_ALL) },
    { OPT(SOL_SOCKET, SO_ACCEPTCONN, G_DWORD, GET, K_TCP), DFLT(0), REFUSE(K_TCP, SET, WSAENOPROTOOPT) },
    { OPT(SOL_SOCKET, SO_REUSEADDR, G_B, GS, K_ALL), .vrule = V_BOOL, DFLT(0) },
    { OPT(SOL_SOCKET, SO_KEEPALIVE, G_A, GS, K_TCP), .vrule = V_LOW_BYTE, DFLT(0),
      REFUSE(K_UDP, SET, WSAENOPROTOOPT) },
    { OPT(SOL_SOCKET, SO_DONTROUTE, G_A, GS, K_V4), .vrule = V_LOW_BYTE, REFUSE(K_V6, SET, WSAENOPROTOOPT) },
    { OPT(SOL_SOCKET, SO_BROADCAST, G_B, GS, K_U4), .vrule = V_BOOL },
    { OPT(SOL_SOCKET, SO_USELOOPBACK, G_NONE, GS, 0), REFUSE(K_ALL, GS, WSAEINVAL) },
    { OPT(SOL_SOCKET, SO_LINGER, G_D, GS, K_TCP), .vrule = V_VERBATIM, DFLT(0) },
    { OPT(SOL_SOCKET, SO_OOBINLINE, G_B, GS, K_TCP), .vrule = V_BOOL },
    { OPT(SOL_SOCKET, SO_DONTLINGER, G_B, GS, K_TCP), .vrule = V_BOOL, DFLT(1) },
    { OPT(SOL_SOCKET, SO_EXCLUSIVEADDRUSE, G_B, GS, K_ALL), .vrule = V_BOOL },
    { OPT(SOL_SOCKET, SO_SNDBUF, G_D, GS, K_ALL), .vrule = V_VERBATIM },
    { OPT(SOL_SOCKET, SO_RCVBUF, G_D, GS, K_ALL), .vrule = V_VERBATIM },
    { OPT(SOL_SOCKET, SO_SNDLOWAT, G_NONE, GS, 0), REFUSE(K_ALL, GS, WSAEINVAL) },
    { OPT(SOL_SOCKET, SO_RCVLOWAT, G_NONE, GS, 0), REFUSE(K_ALL, GS, WSAEINVAL) },
    { OPT(SOL_SOCKET, SO_SNDTIMEO, G_E, GS, K_ALL), .vrule = V_VERBATIM, DFLT(0) },
    { OPT(SOL_SOCKET, SO_RCVTIMEO, G_E, GS, K_ALL), .vrule = V_VERBATIM, DFLT(0) },
    { OPT(SOL_SOCKET, SO_ERROR, G_DWORD, GS, K_ALL), .flags = F_GET1_FAULT, .vrule = V_VERBATIM, DFLT(0) },
    { OPT(SOL_SOCKET, SO_TYPE, G_DWORD, GET, K_ALL), .drule = D_TYPE, REFUSE(K_ALL, SET, WSAENOPROTOOPT) },
    { OPT(SOL_SOCKET, SO_BSP_STATE, G_BSP, GET, K_ALL) },
    { OPT(SOL_SOCKET, SO_GROUP_ID, G_DWORD, GET, K_ALL) },
    { OPT(SOL_SOCKET, SO_GROUP_PRIORITY, G_NONE, GS, 0), REFUSE(K_ALL, GS, WSAENOPROTOOPT) },
    /* for message-oriented sockets; no meaning on streams */
    { OPT(SOL_SOCKET, SO_MAX_MSG_SIZE, G_DWORD, GET, K_UDP) },
    { OPT(SOL_SOCKET, SO_PROTOCOL_INFOA, G_PROTOINFO, GET, K_ALL), .size = sizeof(WSAPROTOCOL_INFOA) },
    { OPT(SOL_SOCKET, SO_PROTOCOL_INFOW, G_PROTOINFO, GET, K_ALL), .size = sizeof(WSAPROTOCOL_INFOW) },
    { OPT(SOL_SOCKET, PVD_CONFIG, G_STRUCT, GS, 0) },
    { OPT(SOL_SOCKET, SO_CONDITIONAL_ACCEPT, G_DWORD, GS, K_TCP), DFLT(0) },
    /* meant for listening sockets; on others not documented */
    { OPT(SOL_SOCKET, SO_PAUSE_ACCEPT, G_NONE, GS, 0) },
    { OPT(SOL_SOCKET, SO_COMPARTMENT_ID, G_NONE, 0, 0) },
    { OPT(SOL_SOCKET, SO_RANDOMIZE_PORT, G_DWORD, GS, K_ALL) },
    { OPT(SOL_SOCKET, SO_PORT_SCALABILITY, G_DWORD, GS, K_ALL) },
    { OPT(SOL_SOCKET, SO_REUSE_UNICASTPORT, G_DWORD, GS, K_TCP) },
    /* the page leaves "set" blank */
    { OPT(SOL_SOCKET, SO_REUSE_MULTICASTPORT, G_DWORD, GET, K_UDP) },
    { OPT(SOL_SOCKET, SO_TIMESTAMP, G_NONE, 0, 0) },
    { OPT(SOL_SOCKET, SO_TIMESTAMP_ID, G_NONE, 0, 0) },
    /* legacy DECnet/OSI options: not supported by TCP/IP, error not documented */
    { OPT(SOL_SOCKET, SO_CONNDATA, G_NONE, 0, 0) },
    { OPT(SOL_SOCKET, SO_CONNOPT, G_NONE, 0, 0) },
    { OPT(SOL_SOCKET, SO_DISCDATA, G_NONE, 0, 0) },
    { OPT(SOL_SOCKET, SO_DISCOPT, G_NONE, 0, 0) },
    { OPT(SOL_SOCKET, SO_CONNDATALEN, G_NONE, 0, 0) },
    { OPT(SOL_SOCKET, SO_CONNOPTLEN, G_NONE, 0, 0) },
    { OPT(SOL_SOCKET, SO_DISCDATALEN, G_NONE, 0, 0) },
    { OPT(SOL_SOCKET, SO_DISCOPTLEN, G_NONE, 0, 0) },
    { OPT(SOL_SOCKET, SO_OPENTYPE, G_E, GS, K_ALL), .flags = F_NEG_GET_OK },
    /* datagram sizes: no meaning on streams */
    { OPT(SOL_SOCKET, SO_MAXDG, G_DWORD, GET, K_UDP) },
    { OPT(SOL_SOCKET, SO_MAXPATHDG, G_DWORD, GET, K_UDP) },
    { OPT(SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, G_STRUCT, SET, 0) },
    { OPT(SOL_SOCKET, SO_CONNECT_TIME, G_DWORD, GET, K_TCP), .flags = F_CONN },
    { OPT(SOL_SOCKET, SO_UPDATE_CONNECT_CONTEXT, G_STRUCT, SET, 0) },

    /* IPPROTO_TCP */
    { OPT(IPPROTO_TCP, TCP_NODELAY, G_A, GS, K_TCP), .vrule = V_LOW_BYTE, DFLT(0) },
    { OPT(IPPROTO_TCP, TCP_EXPEDITED_1122, G_DWORD, GS, K_TCP) },
    { OPT(IPPROTO_TCP, TCP_KEEPALIVE, G_F, GS, K_TCP), .vrule = V_VERBATIM },
    { OPT(IPPROTO_TCP, TCP_MAXSEG, G_DWORD, GET, K_TCP), .flags = F_CONN },
    { OPT(IPPROTO_TCP, TCP_MAXRT, G_DWORD, GS, K_TCP) },
    { OPT(IPPROTO_TCP, TCP_STDURG, G_NONE, 0, 0) },
    { OPT(IPPROTO_TCP, TCP_NOURG, G_NONE, 0, 0) },
    { OPT(IPPROTO_TCP, TCP_ATMARK, G_NONE, 0, 0) },
    { OPT(IPPROTO_TCP, TCP_NOSYNRETRIES, G_NONE, 0, 0) },
    { OPT(IPPROTO_TCP, TCP_TIMESTAMPS, G_DWORD, GS, K_TCP) },
    { OPT(IPPROTO_TCP, TCP_OFFLOAD_PREFERENCE, G_NONE, 0, 0) },
    { OPT(IPPROTO_TCP, TCP_CONGESTION_ALGORITHM, G_NONE, 0, 0) },
    { OPT(IPPROTO_TCP, TCP_DELAY_FIN_ACK, G_NONE, 0, 0) },
    { OPT(IPPROTO_TCP, TCP_MAXRTMS, G_NONE, 0, 0) },
    { OPT(IPPROTO_TCP, TCP_FASTOPEN, G_DWORD, GS, K_TCP) },
    { OPT(IPPROTO_TCP, TCP_KEEPCNT, G_F, GS, K_TCP), .vrule = V_RANGE },
    { OPT(IPPROTO_TCP, TCP_KEEPINTVL, G_F, GS, K_TCP), .vrule = V_VERBATIM },
    { OPT(IPPROTO_TCP, TCP_FAIL_CONNECT_ON_ICMP_ERROR, G_DWORD, GS, K_TCP) },
    { OPT(IPPROTO_TCP, TCP_ICMP_ERROR_INFO, G_STRUCT, GET, 0) },
    { OPT(IPPROTO_TCP, TCP_BSDURGENT, G_DWORD, GS, K_TCP), DFLT(1) },

    /* IPPROTO_IP */
    { OPT(IPPROTO_IP, IP_OPTIONS, G_STRUCT, GS, 0) },
    { OPT(IPPROTO_IP, IP_HDRINCL, G_NONE, GS, 0), .flags = F_UNTOUCHED, REFUSE(K_V4, GS, WSAEINVAL) },
    { OPT(IPPROTO_IP, IP_TOS, G_C, GS, K_V4), .vrule = V_RANGE },
    { OPT(IPPROTO_IP, IP_TTL, G_C, GS, K_V4), .vrule = V_RANGE },
    { OPT(IPPROTO_IP, IP_MULTICAST_IF, G_DWORD, GS, K_U4) },
    { OPT(IPPROTO_IP, IP_MULTICAST_TTL, G_C, GS, K_U4), .vrule = V_RANGE },
    { OPT(IPPROTO_IP, IP_MULTICAST_LOOP, G_C, GS, K_U4), .vrule = V_BOOL, DFLT(1) },
    { OPT(IPPROTO_IP, IP_ADD_MEMBERSHIP, G_STRUCT, SET, 0) },
    { OPT(IPPROTO_IP, IP_DROP_MEMBERSHIP, G_STRUCT, SET, 0) },
    { OPT(IPPROTO_IP, IP_DONTFRAGMENT, G_DWORD, GS, K_V4), .vrule = V_BOOL, .drule = D_DONTFRAG },
    { OPT(IPPROTO_IP, IP_ADD_SOURCE_MEMBERSHIP, G_STRUCT, SET, 0) },
    { OPT(IPPROTO_IP, IP_DROP_SOURCE_MEMBERSHIP, G_STRUCT, SET, 0) },
    { OPT(IPPROTO_IP, IP_BLOCK_SOURCE, G_STRUCT, SET, 0) },
    { OPT(IPPROTO_IP, IP_UNBLOCK_SOURCE, G_STRUCT, SET, 0) },
    { OPT(IPPROTO_IP, IP_PKTINFO, G_F, GS, K_U4), .vrule = V_BOOL },
    { OPT(IPPROTO_IP, IP_RECVTTL, G_F, GS, K_U4), .vrule = V_BOOL },
    { OPT(IPPROTO_IP, IP_RECEIVE_BROADCAST, G_DWORD, GS, K_U4) },
    { OPT(IPPROTO_IP, IP_RECVIF, G_DWORD, GS, K_U4) },
    { OPT(IPPROTO_IP, IP_RECVDSTADDR, G_NONE, 0, 0) },
    { OPT(IPPROTO_IP, IP_IFLIST, G_DWORD, GS, K_U4) },
    { OPT(IPPROTO_IP, IP_ADD_IFLIST, G_STRUCT, SET, 0) },
    { OPT(IPPROTO_IP, IP_DEL_IFLIST, G_STRUCT, SET, 0) },
    { OPT(IPPROTO_IP, IP_GET_IFLIST, G_STRUCT, GET, 0) },
    { OPT(IPPROTO_IP, IP_UNICAST_IF, G_DWORD, GS, K_V4) },
    { OPT(IPPROTO_IP, IP_RTHDR, G_NONE, 0, 0) },
    { OPT(IPPROTO_IP, IP_RECVRTHDR, G_NONE, 0, 0) },
    { OPT(IPPROTO_IP, IP_TCLASS, G_NONE, 0, 0) },
    { OPT(IPPROTO_IP, IP_RECVTOS, G_F, GS, K_U4), .vrule = V_BOOL },
    { OPT(IPPROTO_IP, IP_ORIGINAL_ARRIVAL_IF, G_DWORD, GS, K_U4) },
    { OPT(IPPROTO_IP, IP_ECN, G_DWORD, GS, K_U4) },
    { OPT(IPPROTO_IP, IP_PKTINFO_EX, G_NONE, 0, 0) },
    { OPT(IPPROTO_IP, IP_WFP_REDIRECT_RECORDS, G_STRUCT, GS, 0) },
    { OPT(IPPROTO_IP, IP_WFP_REDIRECT_CONTEXT, G_STRUCT, GS, 0) },
    { OPT(IPPROTO_IP, IP_MTU_DISCOVER, G_DWORD, GS, K_V4), DFLT(IP_PMTUDISC_NOT_SET), .flags = F_DFLT_FIXED,
      .setv = IP_PMTUDISC_DO },
    { OPT(IPPROTO_IP, IP_MTU, G_DWORD, GET, K_V4), .flags = F_CONN },
    { OPT(IPPROTO_IP, IP_NRT_INTERFACE, G_NONE, 0, 0) },
    { OPT(IPPROTO_IP, IP_RECVERR, G_NONE, 0, 0) },
    { OPT(IPPROTO_IP, IP_USER_MTU, G_DWORD, GS, K_V4), DFLT(0xffffffff) },

    /* IPPROTO_IPV6 */
    { OPT(IPPROTO_IPV6, IPV6_HOPOPTS, G_NONE, 0, 0) },
    /* documented get/set, default off; on TCP/UDP sockets not verified */
    { OPT(IPPROTO_IPV6, IPV6_HDRINCL, G_NONE, GS, 0) },
    { OPT(IPPROTO_IPV6, IPV6_UNICAST_HOPS, G_C, GS, K_V6), .vrule = V_RANGE },
    { OPT(IPPROTO_IPV6, IPV6_MULTICAST_IF, G_DWORD, GS, K_U6) },
    { OPT(IPPROTO_IPV6, IPV6_MULTICAST_HOPS, G_C, GS, K_U6), .vrule = V_RANGE },
    { OPT(IPPROTO_IPV6, IPV6_MULTICAST_LOOP, G_C, GS, K_U6), .vrule = V_BOOL },
    { OPT(IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, G_STRUCT, SET, 0) },
    { OPT(IPPROTO_IPV6, IPV6_DROP_MEMBERSHIP, G_STRUCT, SET, 0) },
    { OPT(IPPROTO_IPV6, IPV6_DONTFRAG, G_C, GS, K_V6), .vrule = V_BOOL, .drule = D_DONTFRAG },
    { OPT(IPPROTO_IPV6, IPV6_PKTINFO, G_F, GS, K_U6), .vrule = V_BOOL },
    { OPT(IPPROTO_IPV6, IPV6_HOPLIMIT, G_F, GS, K_U6), .vrule = V_BOOL },
    { OPT(IPPROTO_IPV6, IPV6_PROTECTION_LEVEL, G_DWORD, GS, K_V6) },
    { OPT(IPPROTO_IPV6, IPV6_RECVIF, G_NONE, 0, 0) },
    { OPT(IPPROTO_IPV6, IPV6_RECVDSTADDR, G_NONE, 0, 0) },
    { OPT(IPPROTO_IPV6, IPV6_CHECKSUM, G_NONE, 0, 0) },
    { OPT(IPPROTO_IPV6, IPV6_V6ONLY, G_A, GS, K_V6), .vrule = V_LOW_BYTE, .drule = D_NONZERO },
    /* Windows 10 1803 and later; type and get/set not documented */
    { OPT(IPPROTO_IPV6, IPV6_IFLIST, G_NONE, 0, 0) },
    { OPT(IPPROTO_IPV6, IPV6_ADD_IFLIST, G_NONE, 0, 0) },
    { OPT(IPPROTO_IPV6, IPV6_DEL_IFLIST, G_NONE, 0, 0) },
    { OPT(IPPROTO_IPV6, IPV6_UNICAST_IF, G_DWORD, GS, K_V6) },
    { OPT(IPPROTO_IPV6, IPV6_RTHDR, G_NONE, 0, 0) },
    { OPT(IPPROTO_IPV6, IPV6_GET_IFLIST, G_NONE, 0, 0) },
    { OPT(IPPROTO_IPV6, IPV6_RECVRTHDR, G_NONE, 0, 0) },
    { OPT(IPPROTO_IPV6, IPV6_TCLASS, G_DWORD, GS, K_U6) },
    { OPT(IPPROTO_IPV6, IPV6_RECVTCLASS, G_F, GS, K_U6), .vrule = V_BOOL },
    { OPT(IPPROTO_IPV6, IP_ORIGINAL_ARRIVAL_IF, G_DWORD, GS, K_U6) },
    { OPT(IPPROTO_IPV6, IPV6_ECN, G_DWORD, GS, K_U6) },
    { OPT(IPPROTO_IPV6, IPV6_PKTINFO_EX, G_NONE, 0, 0) },
    { OPT(IPPROTO_IPV6, IPV6_WFP_REDIRECT_RECORDS, G_NONE, 0, 0) },
    { OPT(IPPROTO_IPV6, IPV6_WFP_REDIRECT_CONTEXT, G_NONE, 0, 0) },
    { OPT(IPPROTO_IPV6, IPV6_MTU_DISCOVER, G_DWORD, GS, K_V6), .flags = F_DFLT_FIXED, .setv = IP_PMTUDISC_DO },
    { OPT(IPPROTO_IPV6, IPV6_MTU, G_DWORD, GET, K_V6), .flags = F_CONN },
    { OPT(IPPROTO_IPV6, IPV6_NRT_INTERFACE, G_NONE, 0, 0) },
    { OPT(IPPROTO_IPV6, IPV6_RECVERR, G_NONE, 0, 0) },
    { OPT(IPPROTO_IPV6, IPV6_USER_MTU, G_NONE, 0, 0) },

    /* IPPROTO_UDP */
    { OPT(IPPROTO_UDP, UDP_NOCHECKSUM, G_DWORD, GS, K_U4) },
    { OPT(IPPROTO_UDP, UDP_SEND_MSG_SIZE, G_DWORD, GS, K_UDP) },
    { OPT(IPPROTO_UDP, UDP_RECV_MAX_COALESCED_SIZE, G_DWORD, GS, K_UDP) },
    { OPT(IPPROTO_UDP, UDP_CHECKSUM_COVERAGE, G_DWORD, GS, K_UDP) },
};
/* clang-format on */

static const struct kind
{
    unsigned int bit;
    int af, type;
    const char *name;
}
/* clang-format off */
kinds[] =
{
    { K_T4, AF_INET, SOCK_STREAM, "tcp4" },
    { K_U4, AF_INET, SOCK_DGRAM, "udp4" },
    { K_T6, AF_INET6, SOCK_STREAM, "tcp6" },
    { K_U6, AF_INET6, SOCK_DGRAM, "udp6" },
};
/* clang-format on */

static const int lengths[] = { 0, 1, 2, 4, 8, -1 };
#define CELLS (2 * ARRAY_SIZE(lengths))

/* ------------------------------------------------------- bookkeeping */

static LONG not_asserted, not_asserted_option, not_asserted_kind, not_asserted_length;

enum reason
{
    R_OPTION,
    R_KIND,
    R_LENGTH
};

static void skip_cells(const struct row *r, const struct kind *k, int cells, enum reason why, const char *what)
{
    if (cells <= 0) return;
    not_asserted += cells;
    if (why == R_OPTION) not_asserted_option += cells;
    else if (why == R_KIND) not_asserted_kind += cells;
    else not_asserted_length += cells;
    InterlockedExchangeAdd(&wstest_skipped, cells);
    if (wstest_verbose)
        trace("not asserted: %s on %s: %d cell%s (%s)\n", r->label, k->name, cells, cells == 1 ? "" : "s", what);
}

/* --------------------------------------------------------- sockets */

#define BUFSZ 1024
static unsigned char pattern(int i)
{
    return (unsigned char)(0xa5 ^ (i * 29));
}

static void fill(unsigned char *buf)
{
    int i;
    for (i = 0; i < BUFSZ; i++) buf[i] = pattern(i);
}

struct sockets
{
    SOCKET s, peer, listener;
};

static void close_sockets(struct sockets *ss)
{
    if (ss->s != INVALID_SOCKET) closesocket(ss->s);
    if (ss->peer != INVALID_SOCKET) closesocket(ss->peer);
    if (ss->listener != INVALID_SOCKET) closesocket(ss->listener);
}

/* A new socket of kind k; connected over the loopback when conn is set. */
static int open_sockets(const struct kind *k, int conn, struct sockets *ss)
{
    struct sockaddr_storage addr;
    int len;

    ss->s = ss->peer = ss->listener = INVALID_SOCKET;
    if (!conn)
    {
        ss->s = socket(k->af, k->type, 0);
        return ss->s == INVALID_SOCKET ? -1 : 0;
    }
    if (k->type == SOCK_STREAM) return wstest_tcp_pair(k->af, &ss->s, &ss->peer);

    /* UDP: connect to a bound socket of ours */
    len = wstest_loopback(k->af, &addr);
    ss->peer = socket(k->af, SOCK_DGRAM, 0);
    ss->s = socket(k->af, SOCK_DGRAM, 0);
    if (ss->peer == INVALID_SOCKET || ss->s == INVALID_SOCKET || bind(ss->peer, (struct sockaddr *)&addr, len) ||
        getsockname(ss->peer, (struct sockaddr *)&addr, &len) || connect(ss->s, (struct sockaddr *)&addr, len))
    {
        close_sockets(ss);
        ss->s = INVALID_SOCKET;
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------ expectations */

#define NOCHECK INT_MIN

struct expect
{
    int known;
    int fails;
    int err1, err2;         /* acceptable errors (err2 0 when only one) */
    int len;                /* *optlen afterwards, or NOCHECK */
    int bytes;              /* check the buffer */
    int written;            /* bytes that hold the value */
    int zeroed;             /* bytes that hold zeros */
    int free_from, free_to; /* bytes not asserted */
};

static void fault(struct expect *e)
{
    e->fails = 1;
    e->err1 = WSAEFAULT;
}

static void get_expect(const struct row *r, int n, struct expect *e)
{
    memset(e, 0, sizeof(*e));
    e->known = 1;
    e->bytes = 1;
    e->len = NOCHECK;
    if (n < 0)
    {
        e->bytes = 0;
        switch (r->group)
        {
        case G_A:
        case G_B:
        case G_C:
        case G_D:
        case G_F:
            fault(e);
            return;
        case G_E:
            if (r->flags & F_NEG_GET_OK)
            {
                e->len = 4;
                e->bytes = 1;
                e->written = 4;
                e->free_from = 4;
                e->free_to = BUFSZ;
            }
            else fault(e);
            return;
        default:
            e->known = 0;
            return;
        }
    }
    if (n == 0)
    {
        switch (r->group)
        {
        case G_A:
        case G_B:
        case G_C:
        case G_D:
        case G_E:
        case G_F:
        case G_DWORD:
        case G_PROTOINFO:
            fault(e);
            return;
        case G_BSP:
            fault(e);
            e->len = 0;
            return;
        default:
            e->known = 0;
            return;
        }
    }
    switch (r->group)
    {
    case G_A:
        e->len = 1;
        e->written = 1;
        break;
    case G_B:
        e->len = n >= 4 ? 4 : 1;
        e->written = n >= 4 ? 4 : n;
        break;
    case G_C:
        e->len = n >= 4 ? 4 : 1;
        e->written = n >= 4 ? 4 : 1;
        break;
    case G_D:
    case G_E:
    case G_F:
        if (n >= 4)
        {
            e->len = 4;
            e->written = 4;
            break;
        }
        fault(e);
        e->len = r->group == G_F ? 0 : n;
        if (r->group == G_D) e->zeroed = n;
        break;
    case G_DWORD:
        if (n >= 4)
        {
            e->len = 4;
            e->written = 4;
        }
        else if (n == 1 && (r->flags & F_GET1_FAULT))
        {
            fault(e);
            e->bytes = 0;
        }
        else e->known = 0;
        break;
    case G_PROTOINFO:
        /* shorter than the structure: the size comes back */
        fault(e);
        e->len = r->size;
        e->free_from = 0;
        e->free_to = n;
        break;
    case G_BSP:
        /* shorter than a CSADDR_INFO: nothing changes */
        fault(e);
        e->len = n;
        break;
    default:
        e->known = 0;
        break;
    }
    if (n == 8 && !e->fails)
    {
        e->free_from = 4;
        e->free_to = 8;
    }
}

static void set_expect(const struct row *r, int n, struct expect *e)
{
    memset(e, 0, sizeof(*e));
    e->known = 1;
    e->len = NOCHECK;
    switch (r->group)
    {
    case G_A:
    case G_C:
        if (n == 0) fault(e);
        else if (n < 0)
        {
            e->fails = 1;
            e->err1 = WSAENOBUFS;
            e->err2 = WSAEFAULT; /* Windows 7 to Windows 10 21H1 */
        }
        break;
    case G_B:
        break;
    case G_D:
        if (n >= 0 && n < 4) fault(e);
        break;
    case G_E:
        if (n == 0) e->known = 0;
        else if (n > 0 && n < 4) fault(e);
        break;
    case G_F:
        if (n == 0) e->known = 0;
        else if (n > 0 && n < 4) fault(e);
        else if (n < 0)
        {
            e->fails = 1;
            e->err1 = WSAENOBUFS;
        }
        break;
    case G_DWORD:
        if (n != 4 && n != 8) e->known = 0;
        break;
    default:
        e->known = 0;
        break;
    }
}

/* ------------------------------------------------------------ the checks */

static const char *hex(const unsigned char *buf, int n)
{
    static char text[8][64];
    static LONG next;
    char *p = text[InterlockedIncrement(&next) & 7];
    int i;

    for (i = 0; i < n && i < 16; i++) sprintf(p + 3 * i, "%02x ", buf[i]);
    p[i > 0 ? 3 * i - 1 : 0] = 0;
    return p;
}

/* Check the outcome of one call against e.  v is the option's value (its
 * little-endian bytes are what "written" bytes hold), have_v whether it is
 * known. */
static void check_call(const char *what, const struct expect *e, int ret, int error, int len,
                       const unsigned char *buf, DWORD v, int have_v)
{
    unsigned char want[BUFSZ];
    int i, good = 1;

    if (e->fails)
        ok(ret == SOCKET_ERROR && (error == e->err1 || (e->err2 && error == e->err2)),
           "%s: returned %d, error %d; expected failure with %d%s\n", what, ret,
           ret ? error : 0, e->err1, e->err2 ? " (or the older error)" : "");
    else
        ok(ret == 0, "%s: returned %d, error %d; expected success\n", what, ret, error);

    if (e->len != NOCHECK)
        ok(len == e->len, "%s: *optlen %d, expected %d\n", what, len, e->len);

    if (!e->bytes) return;
    if (e->written && !have_v) return;
    fill(want);
    for (i = 0; i < e->zeroed; i++) want[i] = 0;
    for (i = 0; i < e->written; i++) want[i] = (unsigned char)(v >> (8 * (i & 3)));
    for (i = 0; i < BUFSZ; i++)
    {
        if (i >= e->free_from && i < e->free_to) continue;
        if (buf[i] != want[i]) good = 0;
    }
    ok(good, "%s: buffer %s, expected %s\n", what, hex(buf, 12), hex(want, 12));
}

/* getsockopt with a 4-byte *optlen; the value as a DWORD (one byte for A). */
static int read_value(SOCKET s, const struct row *r, DWORD *v)
{
    unsigned char buf[8];
    int len = 4, ret;

    memset(buf, 0, sizeof(buf));
    ret = getsockopt(s, r->level, r->name, (char *)buf, &len);
    memcpy(v, buf, 4);
    if (r->group == G_A) *v = buf[0];
    return ret;
}

static int write_value(SOCKET s, const struct row *r, DWORD v)
{
    return setsockopt(s, r->level, r->name, (const char *)&v, sizeof(v));
}

static void check_default(const struct row *r, const struct kind *k, DWORD v)
{
    switch (r->drule)
    {
    case D_NONE:
        break;
    case D_EQ:
        ok(v == r->dflt, "%s on %s: default %#lx, expected %#lx\n", r->label, k->name,
           (unsigned long)v, (unsigned long)r->dflt);
        break;
    case D_NONZERO:
        ok(v != 0, "%s on %s: default %#lx, expected nonzero\n", r->label, k->name, (unsigned long)v);
        break;
    case D_TYPE:
        ok(v == (DWORD)k->type, "%s on %s: value %lu, expected %d\n", r->label, k->name, (unsigned long)v,
           k->type);
        break;
    case D_DONTFRAG:
        ok(v == (k->type == SOCK_STREAM ? 1u : 0u), "%s on %s: default %lu, expected %d\n", r->label,
           k->name, (unsigned long)v, k->type == SOCK_STREAM);
        break;
    }
}

/* All getsockopt cells; returns whether the value could be read. */
static int walk_get(SOCKET s, const struct row *r, const struct kind *k, DWORD *v)
{
    static const int order[] = { 4, 0, 1, 2, 8, -1 };
    unsigned char buf[BUFSZ];
    struct expect e;
    char what[128];
    unsigned int i;
    int have_v = 0, ret, error, len;

    *v = 0;
    for (i = 0; i < ARRAY_SIZE(order); i++)
    {
        int n = order[i];

        get_expect(r, n, &e);
        if (!e.known)
        {
            skip_cells(r, k, 1, R_LENGTH, n < 0 ? "get, optlen -1" : "get, a short optlen");
            continue;
        }
        snprintf(what, sizeof(what), "%s on %s: get, optlen %d", r->label, k->name, n);
        fill(buf);
        len = n;
        WSASetLastError(0xdead);
        ret = getsockopt(s, r->level, r->name, (char *)buf, &len);
        error = WSAGetLastError();
        if (n == 4 && !ret)
        {
            /* the value itself, for the checks of the other lengths */
            if (r->group == G_A) *v = buf[0];
            else memcpy(v, buf, 4);
            have_v = (r->group == G_A) ? len == 1 : len == 4;
            if (have_v)
            {
                unsigned char again[8];
                DWORD v2;
                int len2 = 4;

                /* The same value again, over the complement of the fill:
                 * every byte the call claims was written. */
                for (len2 = 0; len2 < 8; len2++) again[len2] = (unsigned char)~pattern(len2);
                len2 = 4;
                ret = getsockopt(s, r->level, r->name, (char *)again, &len2);
                v2 = r->group == G_A ? again[0]
                                     : (DWORD)again[0] | again[1] << 8 | again[2] << 16 | (DWORD)again[3] << 24;
                ok(!ret && v2 == *v, "%s on %s: get, optlen 4, twice over different fills: %#lx, then %d, %#lx\n",
                   r->label, k->name, (unsigned long)*v, ret, (unsigned long)v2);
                check_default(r, k, *v);
                ret = 0;
            }
        }
        check_call(what, &e, ret, error, len, buf, *v, have_v);
    }
    return have_v;
}

static void walk_set(SOCKET s, const struct row *r, const struct kind *k, DWORD v, int readable)
{
    unsigned char buf[BUFSZ];
    struct expect e;
    char what[128];
    unsigned int i;
    DWORD now;
    int ret, error;

    for (i = 0; i < ARRAY_SIZE(lengths); i++)
    {
        int n = lengths[i];

        set_expect(r, n, &e);
        if (!e.known)
        {
            skip_cells(r, k, 1, R_LENGTH, n < 0 ? "set, optlen -1" : "set, a short optlen");
            continue;
        }
        snprintf(what, sizeof(what), "%s on %s: set %#lx, optlen %d", r->label, k->name, (unsigned long)v, n);
        fill(buf);
        memcpy(buf, &v, 4);
        memset(buf + 4, 0, 4);
        WSASetLastError(0xdead);
        ret = setsockopt(s, r->level, r->name, (const char *)buf, n);
        error = WSAGetLastError();
        check_call(what, &e, ret, error, 0, buf, 0, 0);
    }
    if (!readable) return;

    /* Setting the value it had, with every length, left it alone. */
    ret = read_value(s, r, &now);
    ok(!ret && now == v, "%s on %s: after the sets: %d, value %#lx, expected %#lx\n", r->label, k->name,
       ret, (unsigned long)now, (unsigned long)v);

    switch (r->vrule)
    {
    case V_NONE:
        return;
    case V_LOW_BYTE:
        ret = write_value(s, r, 1);
        ok(!ret, "%s on %s: set 1: %d, error %d\n", r->label, k->name, ret, WSAGetLastError());
        ret = read_value(s, r, &now);
        ok(!ret && now == 1, "%s on %s: 1 read back: %d, value %#lx\n", r->label, k->name, ret,
           (unsigned long)now);
        ret = write_value(s, r, 0x100);
        ok(!ret, "%s on %s: set 0x100: %d, error %d\n", r->label, k->name, ret, WSAGetLastError());
        ret = read_value(s, r, &now);
        ok(!ret && now == 0, "%s on %s: 0x100 read back: %d, value %#lx, expected 0 (the low byte)\n",
           r->label, k->name, ret, (unsigned long)now);
        break;
    case V_BOOL:
    case V_VERBATIM:
        ret = write_value(s, r, 0x100);
        ok(!ret, "%s on %s: set 0x100: %d, error %d\n", r->label, k->name, ret, WSAGetLastError());
        ret = read_value(s, r, &now);
        ok(!ret && now == (r->vrule == V_BOOL ? 1u : 0x100u), "%s on %s: 0x100 read back: %d, value %#lx\n",
           r->label, k->name, ret, (unsigned long)now);
        break;
    case V_RANGE:
        WSASetLastError(0xdead);
        ret = write_value(s, r, 0x100);
        error = WSAGetLastError();
        ok(ret == SOCKET_ERROR && error == WSAEINVAL, "%s on %s: set 0x100: %d, error %d, expected WSAEINVAL\n",
           r->label, k->name, ret, ret ? error : 0);
        break;
    }
    ret = write_value(s, r, v);
    ok(!ret, "%s on %s: putting %#lx back: %d, error %d\n", r->label, k->name, (unsigned long)v, ret,
       WSAGetLastError());
}

/* Calls refused on this kind: asserted with optlen 4 only. */
static void walk_refused(SOCKET s, const struct row *r, const struct kind *k, unsigned int op)
{
    unsigned char buf[BUFSZ];
    int ret, error, len = 4;

    fill(buf);
    WSASetLastError(0xdead);
    if (op == GET) ret = getsockopt(s, r->level, r->name, (char *)buf, &len);
    else
    {
        memset(buf, 0, 4);
        ret = setsockopt(s, r->level, r->name, (const char *)buf, 4);
    }
    error = WSAGetLastError();
    ok(ret == SOCKET_ERROR && error == r->rerr, "%s on %s: %s, optlen 4: %d, error %d, expected %d\n",
       r->label, k->name, op == GET ? "get" : "set", ret, ret ? error : 0, r->rerr);
    if (op == GET && (r->flags & F_UNTOUCHED))
    {
        unsigned char want[BUFSZ];
        fill(want);
        ok(!memcmp(buf, want, BUFSZ), "%s on %s: refused get wrote %s\n", r->label, k->name, hex(buf, 8));
    }
    skip_cells(r, k, ARRAY_SIZE(lengths) - 1, R_LENGTH, "lengths other than 4 on a refused call");
}

/* F_DFLT_FIXED: writing the default back is refused; the option then
 * takes r->setv, which the set cells write. */
static DWORD leave_default(SOCKET s, const struct row *r, const struct kind *k, DWORD v)
{
    int ret;

    WSASetLastError(0xdead);
    ret = setsockopt(s, r->level, r->name, (const char *)&v, sizeof(v));
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEINVAL, "%s on %s: set of the default %#lx: %d, error %d\n",
       r->label, k->name, (unsigned long)v, ret, WSAGetLastError());
    ret = write_value(s, r, r->setv);
    ok(!ret, "%s on %s: set %#lx: error %d\n", r->label, k->name, (unsigned long)r->setv, WSAGetLastError());
    return r->setv;
}

static void walk(const struct row *r, const struct kind *k)
{
    int asserted = (r->kinds & k->bit) != 0, refused = (r->rkinds & k->bit) != 0, readable = 0;
    struct sockets ss;
    unsigned int half = ARRAY_SIZE(lengths);
    DWORD v = 0;

    if (r->group == G_NONE && !refused)
    {
        skip_cells(r, k, CELLS, R_OPTION,
                   r->access ? "behaviour on this socket not documented" : "a header value only");
        return;
    }
    if (r->group == G_STRUCT)
    {
        skip_cells(r, k, CELLS, R_OPTION, "a structure whose length rules are not documented");
        return;
    }
    if (!asserted && !refused)
    {
        skip_cells(r, k, CELLS, R_KIND, "not documented on this kind of socket");
        return;
    }
    if (open_sockets(k, asserted && (r->flags & F_CONN), &ss))
    {
        ok(0, "%s on %s: cannot make the socket, error %d\n", r->label, k->name, WSAGetLastError());
        skip_cells(r, k, CELLS, R_KIND, "no socket");
        return;
    }

    if (refused && (r->rops & GET)) walk_refused(ss.s, r, k, GET);
    else if (asserted && (r->access & GET)) readable = walk_get(ss.s, r, k, &v);
    else skip_cells(r, k, half, asserted ? R_OPTION : R_KIND,
                    asserted ? "write-only: the error of a get is not documented" : "get on this kind");

    if (asserted && readable && (r->access & SET) && (r->flags & F_DFLT_FIXED)) v = leave_default(ss.s, r, k, v);
    if (refused && (r->rops & SET)) walk_refused(ss.s, r, k, SET);
    else if (asserted && (r->access & SET)) walk_set(ss.s, r, k, readable ? v : 0, readable);
    else skip_cells(r, k, half, asserted ? R_OPTION : R_KIND,
                    asserted ? "read-only: the error of a set is not documented" : "set on this kind");
    close_sockets(&ss);
}

START_TEST(optwalk)
{
    WSADATA data;
    unsigned int i, j, rows_by_group[ARRAY_SIZE(group_names)] = { 0 };
    LONG before;
    int ret;

    ret = WSAStartup(MAKEWORD(2, 2), &data);
    ok(!ret, "WSAStartup returned %d\n", ret);
    if (ret) return;

    for (i = 0; i < ARRAY_SIZE(options); i++)
    {
        const struct row *r = &options[i];

        rows_by_group[r->group]++;
        before = wstest_failures;
        for (j = 0; j < ARRAY_SIZE(kinds); j++) walk(r, &kinds[j]);
        if (wstest_verbose || wstest_failures != before)
            trace("%s (level %#x, option %#x, rule %s): %ld failure(s)\n", r->label, r->level, r->name,
                  group_names[r->group], (long)(wstest_failures - before));
    }

    trace("catalogue: %u options (A %u, B %u, C %u, D %u, E %u, F %u, DWORD %u, struct %u, "
          "undocumented %u) x %u socket kinds x %u cells\n",
          (unsigned)ARRAY_SIZE(options),
          rows_by_group[G_A], rows_by_group[G_B], rows_by_group[G_C], rows_by_group[G_D], rows_by_group[G_E],
          rows_by_group[G_F], rows_by_group[G_DWORD],
          rows_by_group[G_STRUCT] + rows_by_group[G_PROTOINFO] + rows_by_group[G_BSP], rows_by_group[G_NONE],
          (unsigned)ARRAY_SIZE(kinds), (unsigned)CELLS);
    trace("totals: %ld checks run, %ld failures; %ld cells not asserted (%ld: option without documented "
          "behaviour, %ld: kind of socket, %ld: length not verified)\n",
          (long)(wstest_successes + wstest_failures), (long)wstest_failures, (long)not_asserted,
          (long)not_asserted_option, (long)not_asserted_kind, (long)not_asserted_length);

    ret = WSACleanup();
    ok(!ret, "WSACleanup returned %d\n", ret);
}
