/*
 * channel.c's interface: the calls to ws2server.  A request of the list in
 * ws2requests.h goes out through its typed ws2_call_NAME(); the thread's
 * connections, the notification connection and the alertable poll are here
 * too.
 */
#ifndef WS2_CHANNEL_H
#define WS2_CHANNEL_H

#include <stdint.h>
#include "ws2proto.h"

struct ws2_thread; /* startup.h */

struct ws2_call
{
    const void *req; /* request (header first) */
    uint32_t req_size;
    const void *user_data; /* appended from the caller's memory, or NULL */
    uint32_t user_len;
    void *reply;                  /* buffer for the reply, header first */
    uint32_t reply_size;          /* its size */
    int *fd;                      /* receives a passed fd (or -1), may be NULL */
    int alertable;                /* run APCs while waiting (closesocket) */
    int patient;                  /* no time limit on the reply (closesocket, lookups) */
    struct ws2_sock_state *state; /* receives the reply's socket state, or NULL */
    int oneway;                   /* WS2_REQ_ONEWAY: sent, and no reply is awaited */
    const int *pass_fd;           /* an fd sent with the request, or NULL */
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
    const void *user_data; /* instead of req->data, or NULL */
    int *fd;               /* receives a passed fd (or -1), or NULL */
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
/* The request `op` on `sock` with nothing but the header, sent one-way
 * (WS2_REQ_ONEWAY): 0 once it is sent, or WSAENETDOWN. */
int ws2_sock_post(uint32_t op, struct ws2_sock *sock);
/* The fixed-size request `op` naming `handle`, with `fd` passed along,
 * sent one-way: 0 once it is sent (the server has its own copy of the fd
 * then), or WSAENETDOWN. */
int ws2_post_fd(uint32_t op, uint32_t handle, void *req, int fd);

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
#define WS2_SOCK_CALL_handle(x)       x
#define WS2_SOCK_CALL_handle_fd(x)    x
#define WS2_SOCK_CALL_handle_alert(x) x
#define WS2_SOCK_CALL_slow(x)
#define X(OP, name, request, reply, flags, shape, check, dump)                                                     \
    static inline int ws2_call_##name##_ex(uint32_t handle, struct ws2_##request *req, struct ws2_##reply *rep,    \
                                           const struct ws2_call_extra *extra)                                     \
    {                                                                                                              \
        return ws2_request(WS2_OP_##OP, handle, req, req ? WS2_REQ_TAIL_LEN(shape, req) : 0, rep, extra);          \
    }                                                                                                              \
    static inline int ws2_call_##name(uint32_t handle, struct ws2_##request *req, struct ws2_##reply *rep)         \
    {                                                                                                              \
        return ws2_call_##name##_ex(handle, req, rep, NULL);                                                       \
    }                                                                                                              \
    WS2_SOCK_CALL_##flags(                                                                                         \
        static inline int ws2_sock_call_##name##_ex(struct ws2_sock *sock, struct ws2_##request *req,              \
                                                    struct ws2_##reply *rep, const struct ws2_call_extra *extra) { \
            return ws2_sock_request(WS2_OP_##OP, sock, req, req ? WS2_REQ_TAIL_LEN(shape, req) : 0, rep, extra);   \
        } static inline int ws2_sock_call_##name(struct ws2_sock *sock, struct ws2_##request *req,                 \
                                                 struct ws2_##reply *rep) {                                        \
            return ws2_sock_call_##name##_ex(sock, req, rep, NULL);                                                \
        })
WS2_REQUESTS(X)
#undef X
/* A connection of its own on which the server sends WS2_NOTE_* messages,
 * or -1. */
int ws2_server_subscribe(void);
/* An fd that becomes readable when the server goes away (-1 if none yet):
 * waits on sockets poll it too, and then call ws2_server_watch_fired(),
 * which finds out whether the server is gone (the generation moves on). */
int ws2_server_watch(void);
void ws2_server_watch_fired(void);
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

#endif /* WS2_CHANNEL_H */
