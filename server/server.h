/*
 * ws2server: the native socket server behind our ws2_32.dll.
 *
 * It owns every real socket, keeps the Windows-only socket state (linger,
 * blocking flag, emulated options) and tears sockets down by Windows' rules.
 * Winsock names come from Wine's headers with USE_WS_PREFIX, so they live
 * beside Linux's <sys/socket.h> (WS_SO_LINGER next to SO_LINGER).
 */
#ifndef WS2SERVER_H
#define WS2SERVER_H

#include <stdint.h>
#include <stddef.h>
#include <sys/types.h>
#include <sys/socket.h>

#include <windef.h>
#include <winbase.h>
#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>

#include "ws2proto.h"

/* ------------------------------------------------------------ lists */

struct list
{
    struct list *next, *prev;
};

static inline int list_empty(const struct list *l) { return l->next == l; }
static inline void list_add_tail(struct list *l, struct list *e)
{
    e->prev = l->prev;
    e->next = l;
    l->prev->next = e;
    l->prev = e;
}
static inline void list_remove(struct list *e)
{
    e->prev->next = e->next;
    e->next->prev = e->prev;
    e->next = e->prev = e;
}
#define LIST_ENTRY(ptr, type, field) ((type *)((char *)(ptr) - offsetof(type, field)))

/* ------------------------------------------------------------ logging */

extern int debug_level;
void server_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#define DEBUG(...) do { if (debug_level) server_log(__VA_ARGS__); } while (0)

/* ------------------------------------------------------------ event loop */

struct watcher;
typedef void (*watcher_cb)(struct watcher *w, uint32_t events);

struct watcher
{
    int fd;
    watcher_cb cb;
};

int loop_init(void);
int loop_add(struct watcher *w, uint32_t events);
void loop_del(struct watcher *w);
/* Run until loop_stop(); `idle_exit_ms` < 0 keeps the server up forever. */
void loop_run(int idle_exit_ms);
void loop_stop(void);
/* Monotonic milliseconds: the clock of linger deadlines and offer expiry. */
uint64_t now_ms(void);
/* Tests only: read the time from `clock` instead (NULL: the real clock again). */
void loop_set_clock(uint64_t (*clock)(void));

/* ------------------------------------------------------------ sockets */

/* Socket state bits (struct ws2_socket.state), as on the wire. */
#define SOCK_BOUND        WS2_STATE_BOUND
#define SOCK_LISTENING    WS2_STATE_LISTENING
#define SOCK_CONNECTING   WS2_STATE_CONNECTING
#define SOCK_CONNECTED    WS2_STATE_CONNECTED
#define SOCK_SHUT_READ    WS2_STATE_SHUT_READ
#define SOCK_SHUT_WRITE   WS2_STATE_SHUT_WRITE

/* A buffer size as the program set it (Windows reads back that value). */
struct ws2_bufsize
{
    uint32_t value;
    int set;
};

/* Option values kept in the socket, indexed by the option table's slots. */
#define SOCKOPT_SLOTS 32

struct ws2_socket
{
    struct list entry;          /* in the list of all sockets */
    uint32_t id;                /* for logs */
    unsigned int refs;          /* handles and offers holding it (sock_ref/sock_unref) */
    int fd;                     /* the real Linux socket, always O_NONBLOCK */
    int family, type, protocol; /* Windows values */
    unsigned int state;
    int nonblocking;            /* Windows' FIONBIO flag */
    struct WS_linger linger;    /* kept verbatim: l_onoff 0x100 reads back 0x100 */
    int reuseaddr;
    int exclusiveaddruse;
    int error;                  /* SO_ERROR set by the program, 0 if none */
    struct ws2_bufsize rcvbuf, sndbuf;
    uint32_t rcvtimeo, sndtimeo;   /* SO_RCVTIMEO/SO_SNDTIMEO, milliseconds */
    int dontfrag;                  /* IP_DONTFRAGMENT / IPV6_DONTFRAG */
    uint32_t mtu_discover;         /* IP(V6)_MTU_DISCOVER, Windows' numbering */
    uint64_t connected_ms;         /* when it connected (SO_CONNECT_TIME), 0 if not */
    pid_t select_owner;            /* process of the last WSAEventSelect/WSAAsyncSelect */
    uint32_t opt_slots[SOCKOPT_SLOTS];
};

extern struct list all_sockets;

struct ws2_socket *sock_create(int family, int type, int protocol, int *status);
/* Wrap an fd accept() returned; state and options inherited from `listener`. */
struct ws2_socket *sock_from_accept(struct ws2_socket *listener, int fd);
void sock_free(struct ws2_socket *sock);
/* Fill the WSAPROTOCOL_INFOW of the socket's protocol; -1 if none. */
int sock_protocol_info(const struct ws2_socket *sock, WSAPROTOCOL_INFOW *info);
/* The socket's state for a reply (include/ws2proto.h, struct ws2_sock_state). */
void sock_state(const struct ws2_socket *sock, struct ws2_sock_state *out);
/* Mark a socket connected now. */
void sock_connected(struct ws2_socket *sock);
/* bind() with Windows' SO_REUSEADDR / SO_EXCLUSIVEADDRUSE rules (bind.c). */
int bind_socket(struct ws2_socket *sock, const struct sockaddr *sa, socklen_t salen);
unsigned int sock_count(void);

/* ------------------------------------------------------------ addresses */

/* Windows sockaddr (wire) <-> Linux sockaddr; return 0 or a WSA error. */
int addr_to_linux(const uint8_t *addr, uint32_t len, int family,
                  struct sockaddr_storage *out, socklen_t *outlen);
int addr_from_linux(const struct sockaddr *sa, socklen_t salen,
                    uint8_t *addr, uint32_t *len);
int family_to_linux(int ws_family);

/* ------------------------------------------------------------ errors */

/* Linux errno -> Winsock error code (WSAEINVAL for unknown ones). */
int errno_to_wsa(int err);

/* ------------------------------------------------------------ handles */

struct handle_table
{
    struct ws2_socket **slots;  /* slot i is handle i + 1 */
    uint32_t size;
    uint32_t used;
};

void handles_init(struct handle_table *t);
/* Lowest free handle (>= 1), or 0 when out of memory.  The handle keeps the
 * reference the caller brings; the table never counts references itself. */
uint32_t handles_add(struct handle_table *t, struct ws2_socket *sock);
struct ws2_socket *handles_get(const struct handle_table *t, uint32_t handle);
/* Forget the handle; returns its socket, whose reference the caller now owns
 * (to drop with sock_unref, see handle_close). */
struct ws2_socket *handles_remove(struct handle_table *t, uint32_t handle);
void handles_free(struct handle_table *t);

/* ------------------------------------------------------------ clients */

/* A client process (one Wine process), known by its Unix pid. */
struct ws2_process
{
    struct list entry;
    pid_t pid;
    uint32_t win_pid;
    struct watcher pidfd;       /* fires when the process is gone */
    struct handle_table handles;
    unsigned int connections;
    struct ws2_client *subscriber; /* the connection that takes WS2_NOTE_* messages */
};

/* One connection: one thread of a client process. */
struct ws2_client
{
    struct watcher w;
    struct ws2_process *process;
    int hello_done;
    struct deferred_reply *deferred; /* the reply it waits for, NULL if none */
};

int clients_listen(const char *path);
/* A connection accepted on `fd` (non-blocking), watched by the loop; NULL on failure. */
struct ws2_client *client_create(int fd);
/* The connection is gone: its deferred reply is cancelled, its fd closed. */
void client_free(struct ws2_client *c);
/* Send a note to the subscribed connection of process `pid`, if any. */
void process_note(pid_t pid, uint32_t kind, uint32_t id);
/* HELLO: bind the connection to its process (found by SO_PEERCRED). */
int client_hello(struct ws2_client *c, uint32_t win_pid);
unsigned int process_count(void);
/* Close every handle of a process (handle_close, nobody waiting). */
void process_release_all(struct ws2_process *p);

/*
 * A deferred reply: the answer to a request that cannot be given now (a
 * lingering closesocket, a name lookup), like the wineserver's async.  The
 * code that finds it cannot answer calls reply_defer() while the handler
 * runs; the handler's own reply is then not sent, and the connection takes
 * no other request (one at a time) until the object is completed.  Whoever
 * took the object (the linger engine, the resolver) completes it exactly
 * once, never before the handler has returned.  When the connection goes
 * away first, client_free() cancels it: completing it then only frees it.
 */
struct reply;
struct deferred_reply;
/* NULL when out of memory or when `c` already has one outstanding. */
struct deferred_reply *reply_defer(struct ws2_client *c);
/* Send `rep` (or a bare status) to the client, if still there, and free `d`. */
void deferred_complete(struct deferred_reply *d, struct reply *rep);
void deferred_complete_status(struct deferred_reply *d, uint32_t status);

/* ------------------------------------------------------------ requests */

/* A reply under construction. */
struct reply
{
    union
    {
        struct ws2_reply_header hdr;
        uint8_t bytes[WS2_MAX_MESSAGE];
    } u;
    uint32_t size;              /* bytes of u in use */
    int fd;                     /* fd to pass with it, -1 if none */
};

/* Check a request's size against its op; returns 0 or -1 (malformed). */
int protocol_check_request(const void *msg, size_t len);
uint32_t protocol_fixed_size(uint32_t op);

/* Handle one validated request; returns the Winsock status. */
int request_dispatch(struct ws2_client *c, const void *msg, size_t len, struct reply *rep);
void reply_send(struct ws2_client *c, struct reply *rep);

/* `ws2server -d`: one line per request, its fields and the reply's status
 * (trace.c); the line is written to `out` (at most `size` bytes). */
void trace_request(pid_t pid, const void *msg, int status, const struct reply *rep, int deferred);
void trace_format(char *out, size_t size, pid_t pid, const void *msg, int status, const struct reply *rep, int deferred);
/* The op's name in the request list, or NULL. */
const char *request_name(uint32_t op);

/* ------------------------------------------------------------ options */

struct sockopt_result
{
    int status;
    int32_t optlen;             /* *optlen to store, if set_optlen */
    int set_optlen;
    uint32_t datalen;           /* bytes to copy to the caller's optval */
    uint8_t data[WS2_MAX_OPTVAL];
};

void sockopt_get(struct ws2_socket *sock, const struct ws2_sockopt_request *req,
                 struct sockopt_result *res);
int sockopt_set(struct ws2_socket *sock, const struct ws2_sockopt_request *req);
/* Bring the Linux socket in line with options inherited on accept. */
void sockopt_apply_inherited(struct ws2_socket *sock);
/* Windows' defaults for a new socket. */
void sockopt_defaults(struct ws2_socket *sock);
/* Windows' name of an option (SO_LINGER), or NULL if the table lacks it. */
const char *sockopt_name(int level, int name);

/* ------------------------------------------------------------ teardown */

/*
 * Who holds a socket, and who tears it down.  Every handle in a process's
 * table and every offer of WSADuplicateSocket holds one reference
 * (ws2_socket.refs).  A new socket (sock_create, sock_from_accept) comes
 * with one reference for its creator, who hands it to the socket's first
 * handle.  Only sock_ref() and sock_unref() change refs.
 *
 * sock_unref() drops a reference.  The last one goes to the linger engine
 * (linger_close, in linger.c), which tears the socket down by Windows' table:
 * at once, or after draining until the peer has acknowledged everything or
 * the linger time has run out.  `waiter` is the connection of a closesocket()
 * that must wait for that; NULL when nobody waits (process exit, WSACleanup,
 * an expired offer, a request that failed half-way): such a socket drains in
 * the background.  Returns
 *   0               the reference is gone; if the waiter must wait, its
 *                   reply has been deferred (reply_defer) and comes when the
 *                   socket is gone;
 *   WSAEWOULDBLOCK  a non-blocking socket with a waiter and data in flight:
 *                   nothing happened, the reference is still the caller's.
 *
 * handle_close() is the one way a handle goes (CLOSE, WSACleanup, process
 * exit, a failed SOCKET/ACCEPT/DUP_OPEN reply): it drops the handle's
 * reference as above and forgets the handle unless WSAEWOULDBLOCK (then the
 * handle stays valid).  WSAENOTSOCK when there is no such handle.
 */
void sock_ref(struct ws2_socket *sock);
int sock_unref(struct ws2_socket *sock, struct ws2_client *waiter);
int handle_close(struct ws2_process *p, uint32_t handle, struct ws2_client *waiter);

/* The linger engine's part of sock_unref(), called with the last reference
 * only: it takes that reference over unless it returns WSAEWOULDBLOCK. */
int linger_close(struct ws2_socket *sock, struct ws2_client *waiter);
unsigned int linger_count(void);
/* Milliseconds until the engine wants to run again, -1 if idle. */
int linger_timeout(void);
void linger_poll(void);

/* ------------------------------------------------------------ duplication */

/* Offer `sock` to the Windows process `target_win_pid`; 0 or a WSA error.
 * The offer takes a reference of its own, dropped if it expires unclaimed. */
int dup_offer(struct ws2_socket *sock, uint32_t target_win_pid, uint32_t *token);
/* Claim an offer (once); the socket comes with the offer's reference, now
 * the caller's. */
struct ws2_socket *dup_claim(uint32_t token, uint32_t win_pid, int *status);
unsigned int dup_count(void);
int dup_timeout(void);
void dup_expire(void);

/* ------------------------------------------------------------ resolver */

/* Start a lookup (GETADDRINFO, GETNAMEINFO, GETHOSTBY*, GETSERV, INTERFACES)
 * in a worker thread; the request's reply is deferred to `c` until it is
 * done.  0, or a WSA error (then no other reply follows). */
int resolve_start(struct ws2_client *c, uint32_t op, const void *req, size_t len);
unsigned int resolve_count(void);

/* ------------------------------------------------------------ server */

/* The server's directory for the Wine prefix `prefix` (made if `create`). */
int server_dir_for_prefix(const char *prefix, char *out, size_t outlen, int create);
unsigned int open_fd_count(void);

#endif /* WS2SERVER_H */
