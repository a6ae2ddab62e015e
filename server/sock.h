/*
 * Socket objects (sock.c): one per real Linux socket, shared by every handle
 * and duplication offer that names it, and their reference count.
 *
 * struct ws2_socket is open to the modules that keep or read its state:
 * the request handlers, options (sockopt.c), bind.c, the linger engine, and
 * the unit tests; duplicate.c and handles.c only hold references.
 *
 * The teardown contract: who holds a socket, and who tears it down.  Every
 * handle in a process's table and every offer of WSADuplicateSocket holds
 * one reference (ws2_socket.refs).  A new socket (sock_create,
 * sock_from_accept) comes with one reference for its creator, who hands it
 * to the socket's first handle.  Only sock_ref() and sock_unref() change
 * refs.
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
 * handle_close() (handles.h) is the one way a handle goes (CLOSE, WSACleanup,
 * process exit, a failed SOCKET/ACCEPT/DUP_OPEN reply): it drops the handle's
 * reference as above and forgets the handle unless WSAEWOULDBLOCK (then the
 * handle stays valid).  WSAENOTSOCK when there is no such handle.
 */
#ifndef WS2SERVER_SOCK_H
#define WS2SERVER_SOCK_H

#include <stdint.h>
#include <sys/types.h>
#include <sys/socket.h>
#include "ws.h"
#include "ws2proto.h"
#include "list.h"
#include "ws2shared.h"

struct ws2_client;

/* Socket state bits (struct ws2_socket.state), as on the wire. */
#define SOCK_BOUND      WS2_STATE_BOUND
#define SOCK_LISTENING  WS2_STATE_LISTENING
#define SOCK_CONNECTING WS2_STATE_CONNECTING
#define SOCK_CONNECTED  WS2_STATE_CONNECTED
#define SOCK_SHUT_READ  WS2_STATE_SHUT_READ
#define SOCK_SHUT_WRITE WS2_STATE_SHUT_WRITE

struct ws2_socket
{
    struct list entry;          /* in the list of all sockets */
    uint32_t id;                /* for logs */
    unsigned int refs;          /* handles and offers holding it (sock_ref/sock_unref) */
    int fd;                     /* the real Linux socket, always O_NONBLOCK */
    int family, type, protocol; /* Windows values */
    unsigned int state;
    int nonblocking; /* Windows' FIONBIO flag */
    /* Its slot of the shared region: the option state the program's
     * processes read and write without asking us (include/ws2shared.h). */
    uint32_t slot;
    struct ws2_sock_shared *shared;
    uint64_t connected_ms; /* when it connected (SO_CONNECT_TIME), 0 if not */
    uint32_t select_owner; /* process (serial) of the last WSAEventSelect/WSAAsyncSelect */
    int no_connreset;      /* UDP: SIO_UDP_CONNRESET off (Windows: on by default) */
    int netreset;          /* UDP: SIO_UDP_NETRESET on (off by default) */
    /* The peer as it was at the first shutdown (malloc'd, or NULL): Windows
     * still names it once both sides closed, the host does not. */
    struct sockaddr_storage *shut_peer;
    socklen_t shut_peer_len;
    /* A listener's connection that WSAAccept deferred (CF_DEFER), with a
     * reference: its next accept returns it. */
    struct ws2_socket *deferred;
};

extern struct list all_sockets;

struct ws2_socket *sock_create(int family, int type, int protocol, int *status);
/* The same in `slot`, one the process with serial `owner` reserved (SOCKET;
 * shared.h); sock_create takes any free slot. */
struct ws2_socket *sock_create_in(int family, int type, int protocol, uint32_t owner, uint32_t slot, int *status);
/* SOCKET with the DLL's Linux socket `fd` (the caller keeps it on failure):
 * checked to be of the kind asked for and non-blocking, in `slot`, which
 * the process with serial `owner` reserved with an id (shared.h). */
struct ws2_socket *sock_register_fd(int fd, int family, int type, int protocol, uint32_t owner, uint32_t slot,
                                    int *status);
/* A socket id never given before (SLOTS reserves some ahead). */
uint32_t sock_new_id(void);
/* Wrap an fd accept() returned; state and options inherited from `listener`. */
struct ws2_socket *sock_from_accept(struct ws2_socket *listener, int fd);
void sock_free(struct ws2_socket *sock);
/* Fill the WSAPROTOCOL_INFOW of the socket's protocol; -1 if none. */
int sock_protocol_info(const struct ws2_socket *sock, WSAPROTOCOL_INFOW *info);
/* The socket's state for a reply (include/ws2proto.h, struct ws2_sock_state). */
void sock_state(const struct ws2_socket *sock, struct ws2_sock_state *out);
/* Whether the socket has a local address: bound by bind/connect, or
 * implicitly by a send the server did not see (then marked bound). */
int sock_bound(struct ws2_socket *sock);
/* Mark a socket connected now. */
void sock_connected(struct ws2_socket *sock);
unsigned int sock_count(void);

/* The reference count, by the contract above. */
void sock_ref(struct ws2_socket *sock);
int sock_unref(struct ws2_socket *sock, struct ws2_client *waiter);

#endif /* WS2SERVER_SOCK_H */
