/*
 * The list of requests between ws2_32.dll and ws2server, one line per op.
 *
 * Everything that has to know every op comes from this list: the op numbers
 * (enum ws2_op, in list order from 1), the size checks and static
 * assertions (ws2proto.h, server/protocol.c), the server's dispatch table
 * (server/requests.c, handler req_NAME), the names and field dumps of
 * `ws2server -d` (server/trace.c), the DLL's typed calls
 * (ws2_call_NAME, dlls/ws2_32/channel.h) and the unit tests.  Adding a
 * request is one line here (append it: the numbers are the wire's), its
 * structs in ws2proto.h and req_NAME in the server (server/requests.c).
 *
 * Columns of X(OP, name, request, reply, flags, shape, check, dump):
 *   OP, name   WS2_OP_OP and the lower-case name the rest is derived from
 *   request    struct ws2_REQUEST, the request (header first)
 *   reply      struct ws2_REPLY, the reply (header first) in its largest form
 *   flags      WS2_REQ_FLAGS_FLAGS: none, handle (hdr.handle names a socket
 *              of the caller), fd (a successful reply carries an fd),
 *              handle_fd, handle_alert (the caller may wait long and runs
 *              APCs meanwhile), slow (answered by a worker: a name lookup
 *              may take longer than the DLL otherwise waits for a reply)
 *   shape      fixed: the request has exactly sizeof(request) bytes;
 *              tail: it ends in data[datalen], and only datalen bytes of
 *              data are sent (the fixed part is offsetof(request, data))
 *   check      what the server checks beyond the size: check_CHECK() in
 *              server/protocol.c (none for nothing)
 *   dump       how `ws2server -d` prints the request's fields: dump_DUMP()
 *              in server/trace.c (none: the handle, if any, only)
 */
#ifndef WS2REQUESTS_H
#define WS2REQUESTS_H

#include <stddef.h>

#define WS2_REQ_HANDLE    0x1 /* hdr.handle names a socket of the caller */
#define WS2_REQ_FD        0x2 /* a successful reply carries an fd */
#define WS2_REQ_ALERTABLE 0x4 /* the caller may wait long: run APCs meanwhile */
#define WS2_REQ_SLOW      0x8 /* a lookup: its reply may take long */

#define WS2_REQ_FLAGS_none         0
#define WS2_REQ_FLAGS_handle       WS2_REQ_HANDLE
#define WS2_REQ_FLAGS_fd           WS2_REQ_FD
#define WS2_REQ_FLAGS_handle_fd    (WS2_REQ_HANDLE | WS2_REQ_FD)
#define WS2_REQ_FLAGS_handle_alert (WS2_REQ_HANDLE | WS2_REQ_ALERTABLE)
#define WS2_REQ_FLAGS_slow         WS2_REQ_SLOW
#define WS2_REQ_FLAGS(flags)       WS2_REQ_FLAGS_##flags

/*
 * The ops whose names do not say it all:
 *   HELLO          first message on every connection (version, Windows pid)
 *   CLOSE          release a handle; the last one tears the socket down
 *   CONNECT        start a connect; CONNECT_DONE fetches its outcome
 *   CLEANUP        WSACleanup: close every handle of the process
 *   SERVER_STATS   diagnostics: open fds, sockets, lingering, processes
 *   DUPLICATE      WSADuplicateSocket: a one-time token for a process;
 *                  DUP_OPEN is WSASocket with that token
 *   SELECT_CLAIM   WSAEventSelect/WSAAsyncSelect through this handle
 *   SUBSCRIBE      this connection receives WS2_NOTE_* messages
 *   GETADDRINFO .. INTERFACES   lookups, answered from a worker thread
 *   SOCK_STATE     nothing but the socket's state (which every reply naming
 *                  a socket carries): a refresh for the DLL's caches
 *   DEFER          WSAAccept's CF_DEFER: the listener keeps the connection
 *                  of the caller's handle `value` (just accepted) and gives
 *                  it to its next ACCEPT
 *   SLOTS          the shared state region's memfd and a batch of free
 *                  slots in it for the caller's next sockets (ws2shared.h)
 */
/* clang-format off */
#define WS2_REQUESTS(X) \
    /*OP             name           request                reply              flags         shape  check     dump */ \
    X(HELLO,         hello,         hello_request,         hello_reply,       none,         fixed, none,     hello) \
    X(SOCKET,        socket,        socket_request,        socket_reply,      fd,           fixed, none,     socket) \
    X(CLOSE,         close,         req_header,            reply_header,      handle_alert, fixed, none,     none) \
    X(BIND,          bind,          addr_request,          reply_header,      handle,       fixed, addr,     addr) \
    X(LISTEN,        listen,        int_request,           reply_header,      handle,       fixed, none,     listen) \
    X(CONNECT,       connect,       addr_request,          reply_header,      handle,       fixed, addr,     addr) \
    X(CONNECT_DONE,  connect_done,  req_header,            reply_header,      handle,       fixed, none,     none) \
    X(ACCEPT,        accept,        req_header,            socket_reply,      handle_fd,    fixed, none,     none) \
    X(SHUTDOWN,      shutdown,      int_request,           reply_header,      handle,       fixed, none,     shutdown) \
    X(GETSOCKNAME,   getsockname,   req_header,            addr_reply,        handle,       fixed, none,     none) \
    X(GETPEERNAME,   getpeername,   req_header,            addr_reply,        handle,       fixed, none,     none) \
    X(GETSOCKOPT,    getsockopt,    sockopt_request,       sockopt_reply,     handle,       tail,  no_data,  sockopt) \
    X(SETSOCKOPT,    setsockopt,    sockopt_request,       reply_header,      handle,       tail,  none,     sockopt) \
    X(IOCTL,         ioctl,         ioctl_request,         ioctl_reply,       handle,       fixed, none,     ioctl) \
    X(CLEANUP,       cleanup,       req_header,            reply_header,      none,         fixed, none,     none) \
    X(SERVER_STATS,  server_stats,  req_header,            stats_reply,       none,         fixed, none,     none) \
    X(DUPLICATE,     duplicate,     duplicate_request,     duplicate_reply,   handle,       fixed, none,     dup) \
    X(DUP_OPEN,      dup_open,      dup_open_request,      socket_reply,      fd,           fixed, none,     dup_open) \
    X(SELECT_CLAIM,  select_claim,  req_header,            reply_header,      handle,       fixed, none,     none) \
    X(SUBSCRIBE,     subscribe,     req_header,            reply_header,      none,         fixed, none,     none) \
    X(GETADDRINFO,   getaddrinfo,   getaddrinfo_request,   getaddrinfo_reply, slow,         fixed, none,     addrinfo) \
    X(GETNAMEINFO,   getnameinfo,   getnameinfo_request,   getnameinfo_reply, slow,         fixed, nameinfo, nameinfo) \
    X(GETHOSTBYNAME, gethostbyname, gethostbyname_request, hostent_reply,     slow,         fixed, none,     hostname) \
    X(GETHOSTBYADDR, gethostbyaddr, gethostbyaddr_request, hostent_reply,     slow,         fixed, hostaddr, hostaddr) \
    X(GETSERV,       getserv,       getserv_request,       getserv_reply,     slow,         fixed, none,     getserv) \
    X(INTERFACES,    interfaces,    req_header,            interfaces_reply,  slow,         fixed, none,     none) \
    X(SOCK_STATE,    sock_state,    req_header,            reply_header,      handle,       fixed, none,     none) \
    X(DEFER,         defer,         int_request,           reply_header,      handle,       fixed, none,     defer) \
    X(SLOTS,         slots,         int_request,           slots_reply,       fd,           fixed, none,     none)
/* clang-format on */

/* The shape column, spelled out: the fixed part of a request, and how many
 * bytes of tail a given request carries. */
#define WS2_REQ_FIXED_fixed(type) sizeof(struct ws2_##type)
#define WS2_REQ_FIXED_tail(type)  offsetof(struct ws2_##type, data)
#define WS2_REQ_TAIL_fixed(req)   0
#define WS2_REQ_TAIL_tail(req)    ((req)->datalen)
/* Room for the tail (0 for fixed requests) and where its length is. */
#define WS2_REQ_TAIL_MAX_fixed(type)    0
#define WS2_REQ_TAIL_MAX_tail(type)     sizeof(((struct ws2_##type *)0)->data)
#define WS2_REQ_TAIL_LEN_AT_fixed(type) 0
#define WS2_REQ_TAIL_LEN_AT_tail(type)  offsetof(struct ws2_##type, datalen)

#define WS2_REQ_FIXED_SIZE(shape, type)  WS2_REQ_FIXED_##shape(type)
#define WS2_REQ_TAIL_LEN(shape, req)     WS2_REQ_TAIL_##shape(req)
#define WS2_REQ_TAIL_MAX(shape, type)    WS2_REQ_TAIL_MAX_##shape(type)
#define WS2_REQ_TAIL_LEN_AT(shape, type) WS2_REQ_TAIL_LEN_AT_##shape(type)

#endif /* WS2REQUESTS_H */
