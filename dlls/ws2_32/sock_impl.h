/*
 * The fields of struct ws2_sock, which sock.h keeps opaque.  Two files
 * include this: handles.c, which owns the table, the socket's lifecycle and
 * the state caches, and data.c, whose send and receive paths read the fd,
 * the caches and the timeouts on every call and keep per-socket fields of
 * their own (reset, recv_waits, wake_fd) without a call per field.  Every
 * other file reads a socket through sock.h's accessors and changes one only
 * through a named operation of these two.
 */
#ifndef WS2_SOCK_IMPL_H
#define WS2_SOCK_IMPL_H

#include <stdint.h>
#include <winsock2.h>
#include "sock.h"

struct ws2_sock
{
    SOCKET value;          /* what the program sees: a pipe handle (one of its slots, handles.c) */
    HANDLE server_end;     /* our end of that pipe */
    uint32_t handle;       /* the server's handle */
    uint32_t server_id;    /* the server's socket object (shared by duplicates) */
    uint32_t generation;   /* server generation the handle belongs to */
    int fd;                /* copy of the real socket, for the data path */
    volatile LONG wake_fd; /* eventfd that wakes blocked calls, or -1 */
    /*
     * The server owns the socket's state; these are caches of it, refreshed
     * by every reply that names the socket (sock_apply_state, through the
     * ws2_sock_call_NAME calls) and written nowhere else.  A change made
     * through a duplicate (here or in another process) shows here after the
     * next call through this SOCKET that goes to the server; calls that stay
     * on the fd (send, recv, select) read the copy as it is.
     */
    volatile LONG state; /* WS2_STATE_* (WS2_STATE_NONBLOCKING included) */
    /* SO_RCVTIMEO / SO_SNDTIMEO as the last reply said: read only when the
     * socket has no slot (sock_rcvtimeo); the slot is where they live. */
    volatile LONG rcvtimeo;
    volatile LONG sndtimeo;
    volatile LONG state_serial; /* serial of the snapshot these come from */
    volatile LONG reset;        /* the peer reset the connection (stream) */
    volatile LONG recv_waits;   /* blocking receives wait: poll first (data.c, recv_polls_first) */
    volatile LONG unreachable;  /* UDP: a port unreachable a send took, for a receive */
    int family, type, protocol;
    /* Its slot of the shared region: the option state every process reads
     * and writes in place (include/ws2shared.h); NULL when the region could
     * not be mapped (option calls then go to the server). */
    struct ws2_sock_shared *shared;
    volatile LONG closing; /* closesocket has released it */
    /* What completion.c learnt from Wine about the pipe handle: COMPLETION_*
     * bits, only ever added (a port stays bound, skip modes stay set). */
    volatile LONG completion;
    /* The error the last ConnectEx ended with (0 once one succeeded): see
     * sock_connect_error. */
    volatile LONG connect_error;
    /* connect or ConnectEx was called on it (sock_connect_made). */
    volatile LONG connect_made;
    /* Pending overlapped receives or AcceptEx on it (sock_receivers). */
    volatile LONG receivers;
    /* Made without WSA_FLAG_OVERLAPPED: a call given an OVERLAPPED still
     * runs to its end before it returns (sock_is_synchronous). */
    int synchronous;
    /* closesocket found `value` the pipe's only handle and ended the
     * socket: the pair may be pooled again (pipes_recycle). */
    volatile LONG recycle;
    volatile LONG refs;
    /* Its handles (handles.c): the pipe's serial (in its name, pipes.c),
     * how many values of the table name it, whether `value` is closed
     * already (not ours to close), the detached list, and whether it was
     * closed because no handle to its pipe was left. */
    uint32_t pipe_serial;
    volatile LONG slots;
    int value_closed;
    struct ws2_sock *next_detached;
    volatile LONG orphan_closed;
};

#endif /* WS2_SOCK_IMPL_H */
