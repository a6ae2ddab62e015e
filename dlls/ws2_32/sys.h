/*
 * What the DLL asks of the host system, in its own terms: sending and
 * receiving on a socket fd, waiting on fds, eventfd wake-ups, the server
 * connection (a local socket, a passed fd), the host name, a file's
 * identity.  linux.c implements it; the callers see no Linux constant,
 * structure or errno, only Winsock's MSG_* flags and errors, Windows-layout
 * addresses, these WAIT_* bits and the small structures below.  (linux.h is
 * the Linux ABI itself, for linux.c alone.)
 */
#ifndef WS2_SYS_H
#define WS2_SYS_H

#include <stdint.h>
#include <stddef.h>

/* Readiness, asked for in `events` and answered in `revents`.  The values
 * are Linux's poll bits, so linux.c hands them through (it checks that). */
#define WAIT_READ      0x0001 /* data, a pending connection, or the end of the stream */
#define WAIT_PRI       0x0002 /* urgent (out-of-band) data */
#define WAIT_WRITE     0x0004
#define WAIT_ERROR     0x0008 /* answered only */
#define WAIT_HANGUP    0x0010 /* answered only */
#define WAIT_PEER_SHUT 0x2000 /* the peer shut its sending side */

struct wait_fd
{
    int32_t fd;
    int16_t events;
    int16_t revents;
};

/* Wait until one of `fds` is ready or `timeout_ms` (-1: none) passes;
 * interruptions are retried with what is left.  Returns how many are ready
 * (0: timed out) or a negated Winsock error. */
int sys_poll(struct wait_fd *fds, unsigned int n, int timeout_ms);

/* ------------------------------------------------------------ data */

/* One buffer of a transfer (the kernel takes an array of them as it is:
 * size_t is its word on both x86-64 and i386). */
struct sys_iov
{
    void *base;
    size_t len;
};

/*
 * One message to send or receive.  `addr` is a sockaddr in Windows' layout:
 * for a send, the destination (checked already by include/ws2addr.h's rules)
 * or none when `addrlen` is 0; for a receive, room for WS2ADDR_MAX_SIZE
 * bytes (or NULL), and `addrlen` comes back as the source's size, 0 when
 * the message had none (a stream) or Windows has no layout for it.
 * `truncated` comes back set when a datagram was longer than the buffers.
 * A receive may ask for control data (what IP_PKTINFO & co. make): into
 * `control`, `controllen` bytes of room, in Windows' layout (WSACMSGHDR
 * headers, Windows' levels, types and structures); `controllen` comes back
 * as the bytes written, `ctrunc` set when some did not fit.  NULL: none.
 */
struct sys_msg
{
    struct sys_iov *iov;
    unsigned int iovcnt;
    void *addr;
    uint32_t addrlen;
    int truncated;
    void *control;
    uint32_t controllen;
    int ctrunc;
};

/*
 * Send or receive one message on a socket fd, never waiting and never
 * raising SIGPIPE.  `flags` are Winsock's: MSG_OOB, MSG_PEEK (receive),
 * MSG_DONTROUTE (send); others (MSG_WAITALL) are the caller's business and
 * ignored.  Returns the bytes moved (receive: 0 is the end of the stream) or
 * a negated Winsock error: -WSAEWOULDBLOCK when it would have to wait,
 * -WSAEFAULT for a buffer the program cannot give, and for a send
 * -WSAESHUTDOWN when the socket cannot send (shut down, or a stream that
 * never connected: the caller knows which).
 */
int64_t sys_sendmsg(int fd, const struct sys_msg *msg, int flags);
int64_t sys_recvmsg(int fd, struct sys_msg *msg, int flags);

/* A non-blocking receive (or peek) on a socket fd: the bytes received
 * (0: end of stream) or a negated Winsock error (-WSAEWOULDBLOCK: nothing). */
int64_t sys_recv_nowait(int fd, void *buf, size_t len, int peek);

/* Nonzero when an urgent (out-of-band) byte waits to be read. */
int sys_urgent_pending(int fd);
/* Nonzero when urgent data is received inline (SO_OOBINLINE). */
int sys_oob_inline(int fd);

/* Nonzero when the socket has a local address (an IP socket: a port). */
int sys_socket_bound(int fd);

/* The error a socket has pending (what a failed connection left), taken as
 * SO_ERROR takes it: a Winsock error, or 0 for none (costing one poll). */
int sys_take_socket_error(int fd);
/* A stream socket whose peer sent its FIN (or that is closed): TCP's state says so. */
int sys_peer_finished(int fd);

/* The local address the host would send from to `dest` (a Windows sockaddr
 * of `destlen` bytes), port 0, into `src` (room for WS2ADDR_MAX_SIZE bytes)
 * and its size into *srclen: 0 or a Winsock error (no route...). */
int sys_route_source(const void *dest, uint32_t destlen, void *src, uint32_t *srclen);

/* A watch of the host's interface addresses (a netlink socket, readable
 * when an address comes or goes): the fd or a negated Winsock error. */
int sys_addr_watch(void);
/* Take what the watch has received: 1 when an address came or went since
 * the last call, 0 when nothing did. */
int sys_addr_changed(int fd);

/* ------------------------------------------------------------ options */

/* getsockopt/setsockopt on a socket fd for the option table (common/optable.c):
 * levels and names are the Linux numbers the table holds (its LX_*, checked
 * against the kernel's headers), handed through.  0 or a Winsock error. */
int sys_sockopt_get(int fd, int level, int name, void *value, uint32_t *len);
int sys_sockopt_set(int fd, int level, int name, const void *value, uint32_t len);
/* SO_ERROR, taken (reset): a Winsock error, or 0 for none. */
int sys_socket_error(int fd);
/* At the urgent mark, with the urgent byte already read out of band and
 * nothing after it: consume the hole it left in the stream. */
void sys_drop_urgent_hole(int fd);

/* ------------------------------------------------------------ shared memory */

/* Map the whole of the file `fd` (`size` bytes, read and write, shared) over
 * the range at `addr`, which the caller reserved: 0 or a Winsock error. */
int sys_map_shared(void *addr, uint64_t size, int fd);

/* ------------------------------------------------------------ wake-ups */

/* An eventfd for wake-ups (non-blocking, not inherited): the fd or a negated
 * Winsock error; signal adds one, drain takes all. */
int sys_eventfd(void);
void sys_eventfd_signal(int fd);
void sys_eventfd_drain(int fd);

void sys_close(int fd);
/* Close the file `fd` refers to, but keep the number taken (by an idle
 * eventfd) until sys_close: a thread still using it never reaches a file
 * opened meanwhile. */
void sys_retire_fd(int fd);

/* ------------------------------------------------------------ the server connection */

/* Room for the path of a local socket, with its NUL. */
#define SYS_LOCAL_PATH_SIZE 108

/* A connection to the local (Unix domain, message-oriented) socket at
 * `path`, not inherited: the fd or a negated Winsock error. */
int sys_connect_local(const char *path);
/* A blocking receive on `fd` fails with WSAEWOULDBLOCK after `ms`; 0 or -1. */
int sys_set_recv_timeout(int fd, int ms);

/* Send the whole of `iov` as one message (retrying interruptions, without
 * SIGPIPE): 0, WSAEFAULT when a buffer could not be read (nothing is sent
 * then), or another Winsock error when the connection failed. */
int sys_send_all(int fd, const struct sys_iov *iov, unsigned int count);
/* The same, passing the fd `pass` with it (none when negative). */
int sys_send_all_fd(int fd, const struct sys_iov *iov, unsigned int count, int pass);
/* A new non-blocking Linux socket for Windows' family, type (stream, datagram
 * or raw) and protocol, set up as Windows' starts (IPv6-only, ...): the fd,
 * or a negative WSA error. */
int sys_socket_new(int family, int type, int protocol);

/*
 * Receive one message; an fd passed along with it goes to *fd_out (closed
 * when fd_out is NULL; -1 when none came).  Returns the message length, or
 * a negated Winsock error (-WSAECONNRESET when the peer closed).
 */
int64_t sys_recv_with_fd(int fd, void *buf, size_t len, int *fd_out);

/* ------------------------------------------------------------ the host */

/* What tells a file apart from every other on the host: two paths name the
 * same file when these are equal. */
struct sys_file_id
{
    uint64_t device;
    uint64_t inode;
};
/* 0, or a Winsock error when `path` cannot be looked at (it does not exist,
 * say). */
int sys_file_id(const char *path, struct sys_file_id *id);

/* The Unix user this process runs as. */
uint32_t sys_user_id(void);

/* Room for the host name, with its NUL. */
#define SYS_HOST_NAME_SIZE 65

/* The host's name (NUL-terminated, at most SYS_HOST_NAME_SIZE bytes with
 * it, in the host's encoding): 0 or a Winsock error. */
int sys_host_name(char *buf, size_t size);

/* NULL when the system calls work in this process, else why not in one line
 * (the 32-bit DLL in a 64-bit process on a kernel without 32-bit system
 * calls): the DLL then refuses to load. */
const char *sys_unavailable(void);

/* Straight to the Unix stderr (fd 2), as Wine's debug output goes. */
void sys_write_stderr(const char *buf, size_t len);

#endif /* WS2_SYS_H */
