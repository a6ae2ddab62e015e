/*
 * handles.c's interface: what a SOCKET value stands for on our side
 * (struct ws2_sock: the server's handle, the fd copy, the data path's state),
 * looking one up and taking references, and tearing sockets down.
 */
#ifndef WS2_SOCK_H
#define WS2_SOCK_H

#include <stdint.h>
#include <winsock2.h>
#include "ws2proto.h"

/* Opaque: its fields are in sock_impl.h, for handles.c and data.c alone. */
struct ws2_sock;

/* What a socket is, read through these (handles.c).  sock_value: the SOCKET
 * the program holds. */
SOCKET sock_value(const struct ws2_sock *sock);
/* The server's handle, its socket object (shared by duplicates), and the
 * server generation the handle belongs to. */
uint32_t sock_handle(const struct ws2_sock *sock);
uint32_t sock_id(const struct ws2_sock *sock);
uint32_t sock_generation(const struct ws2_sock *sock);
/* The fd copy the data path uses. */
int sock_fd(const struct ws2_sock *sock);
int sock_family(const struct ws2_sock *sock);
int sock_type(const struct ws2_sock *sock);
int sock_protocol(const struct ws2_sock *sock);
/* Its slot of the shared region (include/ws2shared.h), or NULL. */
struct ws2_sock_shared *sock_shared(const struct ws2_sock *sock);
/* SO_RCVTIMEO / SO_SNDTIMEO in ms (0: none), as set through any handle. */
uint32_t sock_rcvtimeo(const struct ws2_sock *sock);
uint32_t sock_sndtimeo(const struct ws2_sock *sock);
/* The cached state, WS2_STATE_* (sock_impl.h says how current it is), and
 * its blocking flag. */
LONG sock_state(const struct ws2_sock *sock);
int sock_is_nonblocking(const struct ws2_sock *sock);
/* Nonzero once sock_teardown has taken it out of the table. */
int sock_is_closing(const struct ws2_sock *sock);
/* Our end of the pipe whose other end is the SOCKET (completion.c posts
 * packets through it), and what completion.c learnt of the SOCKET handle
 * (COMPLETION_* bits of completion.h, only ever added). */
HANDLE sock_pipe_peer(const struct ws2_sock *sock);
LONG sock_completion(const struct ws2_sock *sock);
void sock_completion_learn(struct ws2_sock *sock, LONG bits);
/* How the last ConnectEx ended (0: it succeeded, or none ended yet).  A
 * failed one reports success with no bytes through a completion port
 * (completion.c), and programs then find the error with
 * SO_UPDATE_CONNECT_CONTEXT, which fails with it. */
int sock_connect_error(const struct ws2_sock *sock);
void sock_note_connect_error(struct ws2_sock *sock, int error);
/* Whether connect or ConnectEx was called on the socket: only then does it
 * have an FD_CONNECT to report (an accepted socket has none). */
int sock_connect_made(const struct ws2_sock *sock);
void sock_note_connect_made(struct ws2_sock *sock);
/* How many overlapped receives (or AcceptEx, on a listener) are pending on
 * it: what arrives goes to them, and Windows reports no FD_READ (FD_ACCEPT)
 * for it.  overlapped.c counts them. */
LONG sock_receivers(const struct ws2_sock *sock);
void sock_receivers_add(struct ws2_sock *sock, LONG delta);
/* Whether the socket was made without WSA_FLAG_OVERLAPPED (socket() after
 * SO_OPENTYPE, WSASocket without the flag, accept() on such a listener):
 * then an OVERLAPPED does not make a call asynchronous, it runs to its end
 * whatever the blocking mode, and its result is also in the OVERLAPPED. */
int sock_is_synchronous(const struct ws2_sock *sock);
void sock_set_synchronous(struct ws2_sock *sock, int on);
/* Another reference on a socket the caller already holds one on. */
void sock_addref(struct ws2_sock *sock);

/* Register a socket the server just gave us (reply to SOCKET, ACCEPT or
 * DUP_OPEN, with its fd); returns it with one ref for the caller, or NULL
 * with the WSA error in *status (the fd and the server handle are then
 * released). */
struct ws2_sock *sock_register(const struct ws2_socket_reply *rep, int fd, int *status);
/* AcceptEx: the SOCKET `sock` takes over the socket of `rep` (an ACCEPT
 * reply) and its fd; what it held before comes back for the caller to close. */
void sock_adopt(struct ws2_sock *sock, const struct ws2_socket_reply *rep, int fd, uint32_t *old_handle,
                int *old_fd);
/* WSASocket with the WSAPROTOCOL_INFO of WSADuplicateSocket and its
 * WSA_FLAG_* (duplicate.c). */
SOCKET sock_open_duplicate(const uint32_t *token, DWORD flags);
/* A new handle to the pipe of this process's socket whose server object is
 * `id`, known from now on as one more of its values; 0 when there is no
 * such socket. */
SOCKET sock_share(uint32_t id, BOOL inherit);
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
/* The server went away: its sockets fail with WSAENETDOWN until closed (handles.c). */
void sock_orphan_stale(void);

/* Look up `s` for an API call: checks WSAStartup, sets the last error. */
struct ws2_sock *sock_for_call(SOCKET s);
/* The same without taking up a copy the table does not know yet (a
 * DuplicateHandle value no call has used): WSAENOTSOCK for it, as
 * Windows' WSAGetOverlappedResult gives. */
struct ws2_sock *sock_for_known_call(SOCKET s);
/* The same for a control call (options, ioctls...): also checks that the
 * handle `s` is still open (not closed with CloseHandle), at the cost of
 * one wineserver call; a closed one is WSAENOTSOCK, and the socket is
 * closed if that was its last handle. */
struct ws2_sock *sock_for_control_call(SOCKET s);
/* A new handle value of ours is about to appear (pipes.c's pairs, copies):
 * between block and unblock no control call checks a handle, and
 * sock_value_taken forgets the value in the table if it still named a
 * socket (its handle was closed with CloseHandle and the value given
 * again).  It returns that socket, with a reference, for sock_end_stale
 * (after unblock): it is closed there if no handle to it is left. */
void sock_values_block(void);
void sock_values_unblock(void);
struct ws2_sock *sock_value_taken(SOCKET value);
void sock_end_stale(struct ws2_sock *stale);
/* closesocket(s): when other handles to the socket's pipe remain (copies
 * made with DuplicateHandle, a child's), close `s` alone and return 1; when
 * `s` is the last, return 0 and the caller closes the socket; -1 when `s`
 * is closed already (as sock_for_control_call: WSAENOTSOCK). */
int sock_close_value(struct ws2_sock *sock, SOCKET s);
/* closesocket ends the socket through its only handle (sock_close_value
 * said 0): the pipe pair may go back to the pool with the last reference. */
void sock_note_last_close(struct ws2_sock *sock);
/* Whether closing the last handle may have to wait for the server's
 * answer (a timed linger: the close waits, or fails with WSAEWOULDBLOCK on
 * a non-blocking socket), or whether it can go one-way. */
int sock_close_must_wait(const struct ws2_sock *sock);
/* pipes.c saw every handle to the pipe with this serial closed (in any
 * process): the socket is closed as by closesocket, if it still is one. */
void sock_client_gone(uint32_t pipe_serial);

#endif /* WS2_SOCK_H */
