/*
 * Winsock option numbers that neither Wine's headers (used by the server)
 * nor MinGW-w64 10's (used by the DLL and the tests) define.  The values are
 * Microsoft's, from "IPPROTO_TCP socket options", "SOL_SOCKET socket
 * options", "IPPROTO_UDP socket options" and "Winsock IOCTLs"; every other Winsock constant
 * comes from the real headers.
 */
#ifndef WS2CONSTS_H
#define WS2CONSTS_H

#define WS2_TCP_KEEPALIVE                  3 /* = TCP_KEEPIDLE */
#define WS2_TCP_FASTOPEN                   15
#define WS2_TCP_KEEPCNT                    16
#define WS2_TCP_KEEPINTVL                  17
#define WS2_TCP_FAIL_CONNECT_ON_ICMP_ERROR 18
#define WS2_SO_PAUSE_ACCEPT                0x3003
#define WS2_UDP_NOCHECKSUM                 1
#define WS2_UDP_SEND_MSG_SIZE              2
#define WS2_UDP_RECV_MAX_COALESCED_SIZE    3
#define WS2_UDP_CHECKSUM_COVERAGE          20
/* "SIO_UDP_NETRESET Control Code": _WSAIOW(IOC_VENDOR, 15). */
#define WS2_SIO_UDP_NETRESET (IOC_IN | IOC_VENDOR | 15)
/* "SIO_IDEAL_SEND_BACKLOG_QUERY Control Code": _IOR('t', 123, ULONG). */
#define WS2_SIO_IDEAL_SEND_BACKLOG_QUERY 0x4004747b

/*
 * Options Wine's headers name (WS_ in the server) that MinGW-w64 10's lack:
 * for the DLL's copy of the option table (common/optable.c), Microsoft's
 * values ("SOL_SOCKET socket options", "IPPROTO_TCP socket options").
 */
#ifndef USE_WS_PREFIX
#ifndef SO_BSP_STATE
#define SO_BSP_STATE 0x1009
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
#ifndef TCP_KEEPALIVE
#define TCP_KEEPALIVE 3
#endif
#ifndef TCP_MAXSEG
#define TCP_MAXSEG 4
#endif
#ifndef TCP_MAXRT
#define TCP_MAXRT 5
#endif
#ifndef TCP_TIMESTAMPS
#define TCP_TIMESTAMPS 10
#endif
#endif

#endif /* WS2CONSTS_H */
