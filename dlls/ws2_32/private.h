/*
 * Internal interfaces of our ws2_32.dll.
 *
 *   linux.c     the system call shim, the only file that knows Linux: raw
 *               calls (linux.h, the Linux ABI, included by linux.c alone),
 *               errno -> Winsock errors, and sys.h's services for everyone
 *               else, in the DLL's terms (Winsock errors and MSG_* flags,
 *               Windows-layout addresses, WAIT_* bits): sendmsg/recvmsg,
 *               waits, eventfds, the server connection, the host name.
 *   channel.c   the per-thread connections to ws2server, starting it
 *   handles.c   SOCKET values (pipe handles) -> server handle + fd copy; teardown
 *   pipes.c     the pipe pairs behind SOCKET values, made and closed ahead
 *   startup.c   WSAStartup/WSACleanup, last error, per-thread data
 *   socket.c    the control path: socket, bind, connect, accept, close...
 *   data.c      the data path: send/recv on the fd copy, blocking waits
 *   sockopt.c   getsockopt/setsockopt (the rules live in the server)
 *   select.c    select(), WSAPoll() and __WSAFDIsSet
 *   notify.c    WSAEventSelect, WSAAsyncSelect: the notifier thread
 *   overlapped.c WSASend/WSARecv & co, with events and completion routines
 *   extensions.c AcceptEx, ConnectEx & co. (SIO_GET_EXTENSION_FUNCTION_POINTER)
 *   ioctl.c     ioctlsocket and WSAIoctl
 *   resolve.c   getaddrinfo/getnameinfo (answered by the server)
 *   duplicate.c WSADuplicateSocket and opening its result
 *   addr.c      byte order and address text conversions
 *   addrstring.c WSAAddressToString, WSAStringToAddress
 *   protocols.c WSAEnumProtocols, getprotobyname/getprotobynumber
 *   netdb.c     gethostbyname/gethostbyaddr, getservbyname/getservbyport
 *   hostname.c  gethostname, GetHostNameW
 *   blocking.c  the Winsock 1.1 blocking-hook calls
 *   stubs.c     generated from ws2_32.spec: what is not implemented yet
 */
#ifndef WS2_PRIVATE_H
#define WS2_PRIVATE_H

#include <stdint.h>
#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include "ws2proto.h"
#include "debug.h"
#include "sys.h"

/* ------------------------------------------------------------ startup.c */

/* Nonzero between a successful WSAStartup and its last WSACleanup. */
int ws2_initialized(void);
/* Set the last error and return SOCKET_ERROR: `return ws2_fail(WSAEFAULT);` */
int ws2_fail(int error);

/* Connections a thread keeps: one, and more for calls made from APCs
 * while a reply is awaited (see ws2_server_call). */
#define WS2_MAX_NESTING 4

/* Per-thread state; allocated on first use, freed at thread exit. */
struct ws2_thread
{
    int server_fds[WS2_MAX_NESTING]; /* connection per nesting level, -1 if none yet */
    unsigned int depth;         /* requests of this thread awaiting their reply */
    char ntoa_buf[16];          /* inet_ntoa's result */
    DWORD opentype;             /* SO_OPENTYPE, per thread */
};
struct ws2_thread *ws2_thread_data(void);
void ws2_thread_detach(void);

/* A module's own per-thread block (a result Winsock keeps per thread, say):
 * define one with WS2_THREAD_BLOCK(type) and get the calling thread's copy,
 * zeroed on first use and freed at the thread's exit, or NULL. */
struct ws2_thread_block
{
    size_t size;
    DWORD index;                /* TLS index, from the first use on */
    INIT_ONCE once;
};
#define WS2_THREAD_BLOCK(type) { sizeof(type), TLS_OUT_OF_INDEXES, INIT_ONCE_STATIC_INIT }
void *ws2_thread_block(struct ws2_thread_block *block);
void ws2_startup_init(void);

/* ------------------------------------------------------------ channel.c */

struct ws2_call
{
    const void *req;            /* request (header first) */
    uint32_t req_size;
    const void *user_data;      /* appended from the caller's memory, or NULL */
    uint32_t user_len;
    void *reply;                /* buffer for the reply, header first */
    uint32_t reply_size;        /* its size */
    int *fd;                    /* receives a passed fd (or -1), may be NULL */
    int alertable;              /* run APCs while waiting (closesocket) */
    struct ws2_sock_state *state; /* receives the reply's socket state, or NULL */
};

/*
 * One request, one reply, on this thread's connection (made on first use,
 * starting the server if none answers; a call from an APC while another
 * awaits its reply uses a nested connection).  Returns the reply's status (0 or a
 * WSA error), WSAENETDOWN when the server cannot be reached, or WSAEFAULT
 * when `user_data` could not be read.
 */
int ws2_server_call(struct ws2_call *call);

/* What a typed call may add: the request's tail read straight from the
 * program's memory (datalen bytes, WSAEFAULT if unreadable), a passed fd. */
struct ws2_call_extra
{
    const void *user_data;      /* instead of req->data, or NULL */
    int *fd;                    /* receives a passed fd (or -1), or NULL */
};

/*
 * Request `op` on `handle` (0 if none): fills the header (op, size from the
 * request list plus `tail_len`, handle) and waits alertably if the list says
 * so.  `req` may be NULL for a bare header, `reply` NULL when only the
 * status matters.  Call it through the typed ws2_call_NAME() below.
 */
int ws2_request(uint32_t op, uint32_t handle, void *req, uint32_t tail_len, void *reply,
                const struct ws2_call_extra *extra);

struct ws2_sock;
/* The same on the server handle of `sock`, and the socket state the reply
 * brings is applied to it (sock_apply_state), whatever the status. */
int ws2_sock_request(uint32_t op, struct ws2_sock *sock, void *req, uint32_t tail_len, void *reply,
                     const struct ws2_call_extra *extra);

/*
 * One typed call per op of the request list (include/ws2requests.h):
 *   ws2_call_NAME(handle, &req, &reply)
 *   ws2_call_NAME_ex(handle, &req, &reply, &extra)
 * and for the ops that name a socket (flags handle...), the calls to make
 * for a socket of our table, which keep its cached state current:
 *   ws2_sock_call_NAME(sock, &req, &reply)
 *   ws2_sock_call_NAME_ex(sock, &req, &reply, &extra)
 * The handle forms are for a server handle that no struct ws2_sock holds
 * (yet, or any more).
 */
#define WS2_SOCK_CALL_none(x)
#define WS2_SOCK_CALL_fd(x)
#define WS2_SOCK_CALL_handle(x) x
#define WS2_SOCK_CALL_handle_fd(x) x
#define WS2_SOCK_CALL_handle_alert(x) x
#define X(OP, name, request, reply, flags, shape, check, dump) \
    static inline int ws2_call_##name##_ex(uint32_t handle, struct ws2_##request *req, struct ws2_##reply *rep, \
                                           const struct ws2_call_extra *extra) \
    { \
        return ws2_request(WS2_OP_##OP, handle, req, req ? WS2_REQ_TAIL_LEN(shape, req) : 0, rep, extra); \
    } \
    static inline int ws2_call_##name(uint32_t handle, struct ws2_##request *req, struct ws2_##reply *rep) \
    { \
        return ws2_call_##name##_ex(handle, req, rep, NULL); \
    } \
    WS2_SOCK_CALL_##flags( \
    static inline int ws2_sock_call_##name##_ex(struct ws2_sock *sock, struct ws2_##request *req, \
                                                struct ws2_##reply *rep, const struct ws2_call_extra *extra) \
    { \
        return ws2_sock_request(WS2_OP_##OP, sock, req, req ? WS2_REQ_TAIL_LEN(shape, req) : 0, rep, extra); \
    } \
    static inline int ws2_sock_call_##name(struct ws2_sock *sock, struct ws2_##request *req, \
                                           struct ws2_##reply *rep) \
    { \
        return ws2_sock_call_##name##_ex(sock, req, rep, NULL); \
    })
WS2_REQUESTS(X)
#undef X
/* A connection of its own on which the server sends WS2_NOTE_* messages,
 * or -1. */
int ws2_server_subscribe(void);
/* Generation of the server this process talks to (bumped on reconnect). */
uint32_t ws2_server_generation(void);
/* Nonzero once this process has talked to a server. */
int ws2_server_known(void);
void ws2_channel_init_thread(struct ws2_thread *t);
void ws2_channel_close_thread(struct ws2_thread *t);
struct wait_fd;
/* sys_poll() that runs the thread's APCs while it waits, as Windows'
 * alertable waits in blocking calls do: how many are ready (0 on timeout)
 * or a negated Winsock error. */
int ws2_poll_alertable(struct wait_fd *fds, unsigned int count, int timeout_ms);

/* ------------------------------------------------------------ pipes.c */

void pipes_init(void);
/* A pipe pair for a new SOCKET (from the pool when it has one); 0 or -1. */
int pipes_get(SOCKET *value, HANDLE *server_end);
/* Give a released pair back, to be closed in the background. */
void pipes_put(SOCKET value, HANDLE server_end);

/* ------------------------------------------------------------ handles.c */

struct ws2_sock
{
    SOCKET value;               /* what the program sees: a pipe handle */
    HANDLE server_end;          /* our end of that pipe */
    uint32_t handle;            /* the server's handle */
    uint32_t server_id;         /* the server's socket object (shared by duplicates) */
    uint32_t generation;        /* server generation the handle belongs to */
    int fd;                     /* copy of the real socket, for the data path */
    volatile LONG wake_fd;      /* eventfd that wakes blocked calls, or -1 */
    /*
     * The server owns the socket's state; these are caches of it, refreshed
     * by every reply that names the socket (sock_apply_state, through the
     * ws2_sock_call_NAME calls) and written nowhere else.  A change made
     * through a duplicate (here or in another process) shows here after the
     * next call through this SOCKET that goes to the server; calls that stay
     * on the fd (send, recv, select) read the copy as it is.
     */
    volatile LONG state;        /* WS2_STATE_* (WS2_STATE_NONBLOCKING included) */
    volatile LONG nonblocking;  /* the blocking flag the data path reads (state's bit) */
    volatile LONG rcvtimeo;     /* SO_RCVTIMEO / SO_SNDTIMEO in ms, 0 = none */
    volatile LONG sndtimeo;
    volatile LONG state_serial; /* serial of the snapshot these come from */
    volatile LONG reset;        /* the peer reset the connection (stream) */
    volatile LONG recv_waits;   /* the last blocking receive had to wait */
    int family, type, protocol;
    volatile LONG closing;      /* closesocket has released it */
    volatile LONG refs;
};

/* Register a socket the server just gave us (reply to SOCKET, ACCEPT or
 * DUP_OPEN, with its fd); returns it with one ref for the caller, or NULL
 * with the WSA error in *status (the fd and the server handle are then
 * released). */
struct ws2_sock *sock_register(const struct ws2_socket_reply *rep, int fd, int *status);
/* AcceptEx: the SOCKET `sock` takes over the socket of `rep` (an ACCEPT
 * reply) and its fd; what it held before comes back for the caller to close. */
void sock_adopt(struct ws2_sock *sock, const struct ws2_socket_reply *rep, int fd, uint32_t *old_handle,
                int *old_fd);
/* WSASocket with the WSAPROTOCOL_INFO of WSADuplicateSocket (duplicate.c). */
SOCKET sock_open_duplicate(DWORD token);
/* Take the server's state of the socket from a reply (ignored when older
 * than what the socket already has, or when the reply named no socket). */
void sock_apply_state(struct ws2_sock *sock, const struct ws2_sock_state *st);
/* Look a SOCKET up and take a reference; NULL (WSAENOTSOCK) if unknown. */
struct ws2_sock *sock_get(SOCKET s);
void sock_release(struct ws2_sock *sock);
/* Release everything of the socket on our side: take it out of the table,
 * drop its WSAEventSelect/WSAAsyncSelect registration, end its pending
 * operations with WSA_OPERATION_ABORTED, wake the calls blocked on it; the
 * fd copy and the pipe go with the last reference.  Telling the server is
 * the caller's business. */
void sock_teardown(struct ws2_sock *sock);
/* The same for every socket (WSACleanup, unloading), or with `stale_only`
 * for those of an older server generation (the server went away). */
void sock_teardown_all(int stale_only);

/* Look up `s` for an API call: checks WSAStartup, sets the last error. */
struct ws2_sock *sock_for_call(SOCKET s);

/* ------------------------------------------------------------ socket.c */

/* The outcome of a request whose reply brings a new socket (and `fd`):
 * its SOCKET, or INVALID_SOCKET with the last error set. */
SOCKET socket_result(int status, int fd, struct ws2_socket_reply *rep);
/* Start a connect without waiting, as a non-blocking connect() does:
 * 0 (connected), WSAEWOULDBLOCK (in progress) or an error. */
int socket_connect_start(struct ws2_sock *sock, const struct sockaddr *addr, int len);
/* After the fd became writable: 0, WSAEWOULDBLOCK (not yet) or the error. */
int socket_connect_finish(struct ws2_sock *sock);

/* ------------------------------------------------------------ data.c */

#define XFER_MAX_IOV 64

/* One send or receive: the program's buffers and how far it got. */
struct xfer
{
    int send;
    int flags;                  /* Windows MSG_* */
    struct xfer_buf
    {
        void *base;
        uint64_t len;
    } iov[XFER_MAX_IOV];
    unsigned int iovcnt;
    uint64_t total, done;
    uint8_t addr[WS2_MAX_ADDR]; /* send: the destination; receive: the source (Windows layout) */
    uint32_t addrlen;
    int from_room;              /* receive: the caller's *fromlen */
    int clean_poll;             /* a poll just saw the fd readable without an error */
};

int xfer_init(struct xfer *x, struct ws2_sock *sock, int send, const WSABUF *bufs, DWORD count,
              int flags, const struct sockaddr *to, int tolen);
/* One non-blocking attempt: 0 done, WSAEWOULDBLOCK (more to wait for), or an error. */
int xfer_step(struct ws2_sock *sock, struct xfer *x);
/* The whole transfer as the socket's blocking mode and timeouts say. */
int xfer_run(struct ws2_sock *sock, struct xfer *x);
int xfer_check_from(struct ws2_sock *sock, struct xfer *x, struct sockaddr *from, int *fromlen);
int xfer_write_from(struct xfer *x, struct sockaddr *from, int *fromlen);

/* Wait (for sys.h's WAIT_READ / WAIT_WRITE bits) until the fd is ready, or closesocket wakes us.  Returns 0 or a WSA
 * error (WSAEINTR when the socket was closed meanwhile). */
int sock_wait(struct ws2_sock *sock, int events, int timeout_ms);
/* Make sure the socket has its wake-up eventfd; 0 or a WSA error. */
int sock_wake_fd(struct ws2_sock *sock);

/* ------------------------------------------------------------ notify.c */

void notify_init(void);
/* A call that re-enables events was made (recv: FD_READ, accept: FD_ACCEPT,
 * a send that would block: FD_WRITE...), or the socket's state changed. */
void notify_reenable(struct ws2_sock *sock, LONG events);
/* sock_teardown: no event is reported after it. */
void notify_forget(struct ws2_sock *sock);
/* Nonzero when WSAEventSelect/WSAAsyncSelect is in force on the socket. */
int notify_registered(struct ws2_sock *sock);
/* An accepted socket takes over the listener's registration. */
void notify_inherit(struct ws2_sock *listener, struct ws2_sock *accepted);

/* ------------------------------------------------------------ addr.c */

/* Windows' RtlIpv4StringToAddress (strict or not) and RtlIpv6StringToAddress
 * text, from the start of a narrow (`a`) or wide (`w`) string: 1 with the
 * index of the first character not taken in *end, or 0.  The IPv4 address
 * is in host order; the IPv6 parser writes into `out` as it goes. */
int addr_parse_ipv4(const char *a, const WCHAR *w, int strict, uint32_t *addr, size_t *end);
int addr_parse_ipv6(const char *a, const WCHAR *w, unsigned char *out, size_t *end);
/* Windows' text of a network-order address, NUL-terminated (at most 16 and
 * 46 bytes with the NUL); returns the length. */
size_t addr_format_ipv4(const unsigned char *bytes, char *out);
size_t addr_format_ipv6(const unsigned char *bytes, char *out);

/* ------------------------------------------------------------ protocols.c */

/* Nonzero when `id` is the dwCatalogEntryId of one of our protocols. */
int protocol_catalog_known(DWORD id);

/* ------------------------------------------------------------ netdb.c */

/* Copy the program's NUL-terminated string (a name to look up): 0, -1 if
 * it cannot be read, -2 if it does not fit in `size` bytes with its NUL
 * (then `size` bytes of it are in `buf`, unterminated). */
int netdb_read_string(const char *src, char *buf, size_t size);

/* WSAIoctl's SIO_ADDRESS_LIST_QUERY for a socket of (Windows) `family` and
 * SIO_GET_INTERFACE_LIST: 0 or a WSA error; *out_len is what was written,
 * or on WSAEFAULT the size that would have been needed. */
int netdb_address_list(int family, void *out, DWORD out_size, DWORD *out_len);
int netdb_interface_list(void *out, DWORD out_size, DWORD *out_len);

/* ------------------------------------------------------------ overlapped.c */

void overlapped_init(void);
/* sock_teardown: every pending transfer of the socket ends with WSA_OPERATION_ABORTED. */
void overlapped_cancel(struct ws2_sock *sock);

/*
 * An operation of the extension functions (extensions.c) that the I/O
 * thread moves on: `step` is one non-blocking attempt (0 done, WSAEWOULDBLOCK
 * to wait for `events` on `wait`'s fd again, or an error) and may change
 * `wait`/`events` between phases; `bytes` is what completion reports.
 * Closing either of `socks` cancels it.  `done` runs once, after the
 * completion was reported, and frees the operation (and its references).
 */
struct async_op
{
    struct ws2_sock *wait;
    int events;                 /* WAIT_* (sys.h) */
    struct ws2_sock *socks[2];  /* the second may be NULL */
    DWORD bytes;
    int (*step)(struct async_op *op);
    void (*done)(struct async_op *op, int status);
};

/* Try `op` once; when it has to wait, queue it for the I/O thread and
 * return WSA_IO_PENDING; otherwise report it through `ov` now and return
 * its status.  `op` is given away either way. */
int overlapped_start(struct async_op *op, WSAOVERLAPPED *ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine);

/* ------------------------------------------------------------ ioctl.c */

/* A WS2_OP_IOCTL request (WS2_IOCTL_*) on the socket; 0 or a WSA error,
 * the reply's value in *result (may be NULL). */
int ioctl_server(struct ws2_sock *sock, uint32_t command, uint32_t value, uint32_t *result);

/* ------------------------------------------------------------ extensions.c */

/* The function behind an SIO_GET_EXTENSION_FUNCTION_POINTER GUID, or NULL. */
void *extension_function(const GUID *guid);

/* ------------------------------------------------------------ addr.c */

/* A string of the program's, narrow or wide; characters outside ASCII
 * belong to no class the address parsers use, so they simply end a number. */
struct text
{
    const char *a;
    const WCHAR *w;
};

static inline unsigned int text_char(const struct text *t, size_t i)
{
    return t->a ? (unsigned char)t->a[i] : t->w[i];
}

/* Value of `c` as a digit in `base` (8, 10 or 16), or -1. */
int digit_value(unsigned int c, unsigned int base);
/* Only for traces: a bounded, printable copy of the program's string. */
const char *debugstr_text(const struct text *t, char *buf, size_t size);

/* ------------------------------------------------------------ memory */

/* Copy from/to the program's memory without crashing on a bad pointer:
 * 0 on success, -1 if any byte is not accessible. */
int user_read(void *dst, const void *user_src, size_t len);
int user_write(void *user_dst, const void *src, size_t len);
/* Two writes in one system call (an address and its length). */
int user_write2(void *dst1, const void *src1, size_t len1, void *dst2, const void *src2, size_t len2);

#endif /* WS2_PRIVATE_H */
