/*
 * Wire protocol between ws2_32.dll (PE, under Wine) and ws2server (native).
 *
 * Compiled by both sides, so only fixed-width fields: a Windows `long` is
 * 32 bits and a Linux one 64.  Everything is little-endian (both ends run on
 * the same x86 machine).  Transport: AF_UNIX SOCK_SEQPACKET, one request and
 * one reply per message; a reply may carry one fd (SCM_RIGHTS).
 *
 * Every request starts with struct ws2_req_header, every reply with
 * struct ws2_reply_header.  The server checks `size` against the message
 * length and the fixed size of the op before it looks at anything else.
 * The ops, and which structs each one uses, are listed in ws2requests.h.
 * The server owns every socket's state; the reply header carries it for the
 * socket the request named (struct ws2_sock_state), whatever the status.
 */
#ifndef WS2PROTO_H
#define WS2PROTO_H

#include <stdint.h>
#include "ws2requests.h"
#include "ws2shared.h"

#define WS2_PROTOCOL_VERSION 6

/* Largest request or reply, header included. */
#define WS2_MAX_MESSAGE 4096
/* Largest option value carried in a get/setsockopt message. */
#define WS2_MAX_OPTVAL 640
/* A Windows sockaddr as it crosses the wire (big enough for sockaddr_in6). */
#define WS2_MAX_ADDR 28

/* Name of the listening socket inside the server's directory. */
#define WS2_SOCKET_NAME "socket"
/* Environment variable naming the server binary. */
#define WS2_SERVER_ENV "WS2SERVER"

/* WS2_OP_HELLO = 1 (the first message on every connection), then the rest
 * in the order of the list (include/ws2requests.h). */
enum ws2_op
{
    WS2_OP_INVALID = 0,
#define X(OP, name, request, reply, flags, shape, check, dump) WS2_OP_##OP,
    WS2_REQUESTS(X)
#undef X
        WS2_OP_COUNT
};

struct ws2_req_header
{
    uint32_t op;
    uint32_t size;   /* whole message, header included */
    uint32_t handle; /* server handle of the socket, 0 if none */
    uint32_t flags;  /* WS2_REQ_ONEWAY or 0 */
};

/* A request sent without waiting: the server sends no reply, and does what
 * would make it wait without anyone waiting (a lingering CLOSE drains in the
 * background).  It is done in order with the requests that come after it on
 * the same connection, and before those another connection of the process
 * sends afterwards (server/client.c). */
#define WS2_REQ_ONEWAY 0x1

/* Socket state bits, as the server keeps them and every reply carries. */
#define WS2_STATE_BOUND       0x01
#define WS2_STATE_LISTENING   0x02
#define WS2_STATE_CONNECTING  0x04
#define WS2_STATE_CONNECTED   0x08
#define WS2_STATE_SHUT_READ   0x10
#define WS2_STATE_SHUT_WRITE  0x20
#define WS2_STATE_NONBLOCKING 0x40  /* Windows' FIONBIO flag */
#define WS2_STATE_NOCONNRST   0x80  /* UDP: SIO_UDP_CONNRESET turned off */
#define WS2_STATE_DEFERRED    0x100 /* a listener keeps a connection WSAAccept deferred */
/* What a closesocket must wait for (sock_close_must_wait in the DLL): */
#define WS2_STATE_LINGER_TIMED 0x200 /* SO_LINGER {1, N > 0}: the close may wait or fail */
#define WS2_STATE_SHARED       0x400 /* other handles or offers hold it: its options may change elsewhere */

/*
 * A socket as the server knows it: the server owns this state, and the DLL
 * keeps what its data path reads without asking (the blocking flag) as a
 * cache refreshed from these.  The timeouts live in the socket's slot of
 * the shared region (ws2shared.h); they are here for a socket without one.  `serial` orders the snapshots
 * (replies to two threads may be taken in either order); 0 means "no
 * socket": the request named none, or it is gone.
 */
struct ws2_sock_state
{
    uint32_t serial;
    uint32_t state;    /* WS2_STATE_* */
    uint32_t rcvtimeo; /* SO_RCVTIMEO and SO_SNDTIMEO, milliseconds, 0 = none */
    uint32_t sndtimeo;
};

/* `sock`: the socket the request named (hdr.handle), after the request. */
struct ws2_reply_header
{
    uint32_t status; /* 0, or the Winsock error code (WSAE...) */
    uint32_t size;   /* whole message, header included */
    struct ws2_sock_state sock;
};

struct ws2_hello_request
{
    struct ws2_req_header hdr;
    uint32_t version; /* WS2_PROTOCOL_VERSION */
    uint32_t win_pid; /* Windows process id, for duplication later */
};

struct ws2_hello_reply
{
    struct ws2_reply_header hdr;
    uint32_t version;
    uint32_t server_pid;
};

/*
 * SOCKET, two ways.  The DLL's: the request carries the Linux socket it made
 * (an fd) and is sent one-way; hdr.handle and slot are a pair of its SLOTS
 * batch, and a refusal stays on that handle for the next request naming it.
 * Without an fd the server makes the socket, picks the handle and answers
 * with a socket_reply (the unit tests, the fuzzer).
 */
struct ws2_socket_request
{
    struct ws2_req_header hdr;
    int32_t family; /* Windows values (AF_INET6 is 23) */
    int32_t type;
    int32_t protocol;
    uint32_t flags; /* WSA_FLAG_* */
    uint32_t slot;  /* the shared slot the DLL chose, from its SLOTS batch */
};

/* Reply to SOCKET, ACCEPT and DUP_OPEN; an fd for the data path comes with
 * it.  `state` is the new socket's (hdr.sock is the listener's for ACCEPT). */
struct ws2_socket_reply
{
    struct ws2_reply_header hdr;
    uint32_t handle;
    uint32_t id; /* the socket object: the same for every duplicate */
    int32_t family;
    int32_t type;
    int32_t protocol;
    struct ws2_sock_state state; /* inherited from the listener, or shared */
    uint32_t addrlen;            /* ACCEPT: peer address (Windows layout) */
    uint8_t addr[WS2_MAX_ADDR];
    uint32_t slot; /* the socket's slot in the shared region (include/ws2shared.h) */
};

/* SLOTS (int_request: value = how many wanted): free slots of the shared
 * region for the caller's next sockets, and the region's memfd with it.
 * With each slot, a handle of the caller's table and a socket id, kept for
 * the SOCKET that names the slot: a new socket needs no answer. */
struct ws2_slots_reply
{
    struct ws2_reply_header hdr;
    uint32_t region_slots; /* WS2_SHARED_SLOTS: the region's size in slots */
    uint32_t count;
    uint32_t slots[WS2_SLOT_BATCH];
    uint32_t handles[WS2_SLOT_BATCH];
    uint32_t ids[WS2_SLOT_BATCH];
};

struct ws2_addr_request
{
    struct ws2_req_header hdr;
    uint32_t addrlen;
    uint8_t addr[WS2_MAX_ADDR];
};

struct ws2_addr_reply
{
    struct ws2_reply_header hdr;
    uint32_t addrlen;
    uint8_t addr[WS2_MAX_ADDR];
};

struct ws2_int_request
{
    struct ws2_req_header hdr;
    int32_t value; /* LISTEN: backlog; SHUTDOWN: how; DEFER: a handle */
};

/* Flags of struct ws2_sockopt_request. */
#define WS2_OPTVAL_NULL  0x1 /* the caller passed optval == NULL */
#define WS2_OPTVAL_FAULT 0x2 /* optval could not be read (or written) */
#define WS2_OPTLEN_FAULT 0x4 /* getsockopt: optlen not readable */
#define WS2_OPTVAL_PTR32 0x8 /* the caller is a 32-bit process: pointers in optval are 4 bytes */

struct ws2_sockopt_request
{
    struct ws2_req_header hdr;
    uint64_t optval_addr; /* where optval is in the caller (SO_BSP_STATE) */
    int32_t level;        /* Windows level and name */
    int32_t name;
    int32_t optlen;   /* what the caller passed (or *optlen) */
    uint32_t flags;   /* WS2_OPTVAL_* */
    uint32_t datalen; /* setsockopt: bytes of optval that follow */
    uint8_t data[WS2_MAX_OPTVAL];
};

/* Flags of struct ws2_sockopt_reply. */
#define WS2_OPTLEN_SET 0x1 /* store `optlen` into the caller's *optlen */

/*
 * getsockopt reply: `datalen` bytes to copy into the caller's optval (also
 * on failure: Windows zero-fills some short buffers), and *optlen to write
 * when WS2_OPTLEN_SET is given.
 */
struct ws2_sockopt_reply
{
    struct ws2_reply_header hdr;
    int32_t optlen;
    uint32_t flags;
    uint32_t datalen;
    uint8_t data[WS2_MAX_OPTVAL];
};

struct ws2_duplicate_request
{
    struct ws2_req_header hdr;
    uint32_t target_win_pid; /* the Windows process that may claim it */
};

/* Size of a WSAPROTOCOL_INFOW (the same on both sides: no pointers, no longs). */
#define WS2_PROTOCOL_INFOW_SIZE 628

/* A duplication token: 128 random bits (where WSAPROTOCOL_INFO carries
 * them: include/ws2protoinfo.h). */
#define WS2_DUP_TOKEN_WORDS 4

struct ws2_duplicate_reply
{
    struct ws2_reply_header hdr;
    uint32_t token[WS2_DUP_TOKEN_WORDS];   /* already in info */
    uint8_t info[WS2_PROTOCOL_INFOW_SIZE]; /* the socket's WSAPROTOCOL_INFOW */
};

struct ws2_dup_open_request
{
    struct ws2_req_header hdr;
    uint32_t token[WS2_DUP_TOKEN_WORDS];
};

/*
 * Name resolution runs in the server's worker threads (the event loop never
 * waits for DNS); the reply comes when the system resolver answers.
 * Families, flags and errors are Windows' on the wire.
 */
#define WS2_MAX_NAME        1025 /* NI_MAXHOST */
#define WS2_MAX_SERVICE     32   /* NI_MAXSERV */
#define WS2_RESOLVE_NODE    0x1  /* a node name was given (not NULL) */
#define WS2_RESOLVE_SERVICE 0x2  /* a service name was given (not NULL) */
#define WS2_RESOLVE_HINTS   0x4  /* hints were given */

struct ws2_getaddrinfo_request
{
    struct ws2_req_header hdr;
    uint32_t present;                          /* WS2_RESOLVE_* */
    int32_t flags, family, socktype, protocol; /* the hints (Windows values) */
    char node[WS2_MAX_NAME];                   /* NUL-terminated */
    char service[WS2_MAX_SERVICE];
};

struct ws2_addrinfo_entry
{
    int32_t family, socktype, protocol;
    uint32_t addrlen;
    uint8_t addr[WS2_MAX_ADDR];
};

#define WS2_MAX_ADDRINFO 48

struct ws2_getaddrinfo_reply
{
    struct ws2_reply_header hdr;
    uint32_t count;
    char canonname[256]; /* of the first entry, "" if none */
    struct ws2_addrinfo_entry entries[WS2_MAX_ADDRINFO];
};

/* Which parts a getnameinfo caller gave buffers for: only those are looked up. */
#define WS2_NAMEINFO_HOST    0x1
#define WS2_NAMEINFO_SERVICE 0x2

struct ws2_getnameinfo_request
{
    struct ws2_req_header hdr;
    int32_t flags; /* NI_* */
    uint32_t want; /* WS2_NAMEINFO_* */
    uint32_t addrlen;
    uint8_t addr[WS2_MAX_ADDR];
};

struct ws2_getnameinfo_reply
{
    struct ws2_reply_header hdr;
    char host[WS2_MAX_NAME];
    char service[WS2_MAX_SERVICE];
};

/*
 * gethostbyname / gethostbyaddr (resolved in the worker threads too).  An
 * empty name is the local host: its name and its interfaces' IPv4 addresses.
 */
#define WS2_MAX_HOSTADDRS   32
#define WS2_MAX_HOSTALIASES 8
#define WS2_MAX_HOSTNAME    256

struct ws2_gethostbyname_request
{
    struct ws2_req_header hdr;
    char name[WS2_MAX_HOSTNAME]; /* NUL-terminated */
};

struct ws2_gethostbyaddr_request
{
    struct ws2_req_header hdr;
    int32_t family;   /* Windows AF_INET or AF_INET6 */
    uint32_t addrlen; /* 4 or 16 */
    uint8_t addr[16]; /* network order */
};

struct ws2_hostent_reply
{
    struct ws2_reply_header hdr;
    int32_t family;   /* Windows value */
    uint32_t addrlen; /* length of each address: 4 or 16 */
    uint32_t count;   /* addresses */
    uint32_t alias_count;
    char name[WS2_MAX_HOSTNAME];
    char aliases[WS2_MAX_HOSTALIASES][WS2_MAX_HOSTNAME];
    uint8_t addrs[WS2_MAX_HOSTADDRS][16];
};

/* getservbyname (port < 0) or getservbyport (port >= 0, host order). */
#define WS2_MAX_SERVALIASES 4
#define WS2_MAX_PROTONAME   16

struct ws2_getserv_request
{
    struct ws2_req_header hdr;
    int32_t port;
    char name[WS2_MAX_SERVICE];    /* NUL-terminated */
    char proto[WS2_MAX_PROTONAME]; /* "" for any protocol */
};

struct ws2_getserv_reply
{
    struct ws2_reply_header hdr;
    int32_t port; /* host order */
    uint32_t alias_count;
    char name[WS2_MAX_SERVICE];
    char proto[WS2_MAX_PROTONAME];
    char aliases[WS2_MAX_SERVALIASES][WS2_MAX_SERVICE];
};

/* Interface address flags of struct ws2_interface (Windows' IFF_* values). */
#define WS2_IF_UP           0x01
#define WS2_IF_BROADCAST    0x02
#define WS2_IF_LOOPBACK     0x04
#define WS2_IF_POINTTOPOINT 0x08
#define WS2_IF_MULTICAST    0x10

/* One address of an interface; addresses are network order. */
struct ws2_interface
{
    int32_t family;    /* Windows AF_INET or AF_INET6 */
    uint32_t flags;    /* WS2_IF_* */
    uint32_t scope_id; /* IPv6 */
    uint8_t addr[16];
    uint8_t netmask[16];
    uint8_t broadcast[16]; /* IPv4 broadcast (or peer) address */
};

#define WS2_MAX_INTERFACES 48

struct ws2_interfaces_reply
{
    struct ws2_reply_header hdr;
    uint32_t count;
    struct ws2_interface entries[WS2_MAX_INTERFACES];
};

/*
 * Messages the server sends on its own, on a connection that subscribed:
 * a registration for network events made through a duplicate in another
 * process replaced this process's registration on socket `id`.
 */
#define WS2_NOTE_SELECT_REVOKED 1

struct ws2_note
{
    struct ws2_reply_header hdr; /* status is the note's kind */
    uint32_t id;                 /* the socket object */
};

/* Commands of WS2_OP_IOCTL. */
enum ws2_ioctl
{
    WS2_IOCTL_FIONBIO = 1,
    WS2_IOCTL_FIONREAD,
    WS2_IOCTL_UDP_CONNRESET, /* SIO_UDP_CONNRESET, value the BOOL */
    WS2_IOCTL_UDP_NETRESET,  /* SIO_UDP_NETRESET, value the BOOL */
};

struct ws2_ioctl_request
{
    struct ws2_req_header hdr;
    uint32_t command;
    uint32_t value;
};

struct ws2_ioctl_reply
{
    struct ws2_reply_header hdr;
    uint32_t value;
};

struct ws2_stats_reply
{
    struct ws2_reply_header hdr;
    uint32_t open_fds;  /* fds the server process has open */
    uint32_t sockets;   /* live socket objects */
    uint32_t lingering; /* sockets being torn down in the background */
    uint32_t processes; /* client processes known */
};

/* Every request and its largest reply fit in one message. */
#define X(OP, name, request, reply, flags, shape, check, dump)                                   \
    _Static_assert(sizeof(struct ws2_##request) <= WS2_MAX_MESSAGE, #name " request too large"); \
    _Static_assert(sizeof(struct ws2_##reply) <= WS2_MAX_MESSAGE, #name " reply too large");
WS2_REQUESTS(X)
#undef X

/*
 * The wire is one for the server, the 64-bit and the 32-bit DLL, so that
 * processes of both kinds share the server and its sockets: every structure
 * above has these sizes in each of the three builds, which check it (only
 * fixed-width fields; the one 64-bit field, optval_addr, is 8-aligned by
 * both PE ABIs and by the server's).  A request or reply missing here does
 * not compile.  Changing a structure changes its line, and
 * WS2_PROTOCOL_VERSION.
 */
#define WS2_WIRE_SIZES(X)         \
    X(req_header, 16)             \
    X(sock_state, 16)             \
    X(reply_header, 24)           \
    X(hello_request, 24)          \
    X(hello_reply, 32)            \
    X(socket_request, 36)         \
    X(socket_reply, 96)           \
    X(slots_reply, 800)           \
    X(sock_shared, 192)           \
    X(addr_request, 48)           \
    X(addr_reply, 56)             \
    X(int_request, 20)            \
    X(sockopt_request, 688)       \
    X(sockopt_reply, 676)         \
    X(duplicate_request, 20)      \
    X(duplicate_reply, 668)       \
    X(dup_open_request, 32)       \
    X(getaddrinfo_request, 1096)  \
    X(addrinfo_entry, 44)         \
    X(getaddrinfo_reply, 2396)    \
    X(getnameinfo_request, 56)    \
    X(getnameinfo_reply, 1084)    \
    X(gethostbyname_request, 272) \
    X(gethostbyaddr_request, 40)  \
    X(hostent_reply, 2856)        \
    X(getserv_request, 68)        \
    X(getserv_reply, 208)         \
    X(interface, 60)              \
    X(interfaces_reply, 2908)     \
    X(note, 28)                   \
    X(ioctl_request, 24)          \
    X(ioctl_reply, 28)            \
    X(stats_reply, 40)
enum
{
#define X(name, size) WS2_WIRE_SIZE_##name = size,
    WS2_WIRE_SIZES(X)
#undef X
};
#define X(name, size) _Static_assert(sizeof(struct ws2_##name) == size, "wire size of struct ws2_" #name);
WS2_WIRE_SIZES(X)
#undef X
#define X(OP, name, request, reply, flags, shape, check, dump)                                            \
    _Static_assert(sizeof(struct ws2_##request) == WS2_WIRE_SIZE_##request, #name " request: wire size"); \
    _Static_assert(sizeof(struct ws2_##reply) == WS2_WIRE_SIZE_##reply, #name " reply: wire size");
WS2_REQUESTS(X)
#undef X
_Static_assert(offsetof(struct ws2_sockopt_request, optval_addr) == 16, "optval_addr: 8-aligned on the wire");

#endif /* WS2PROTO_H */
