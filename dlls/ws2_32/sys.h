/*
 * What the DLL asks of the host system, in its own terms: waiting on fds,
 * eventfd wake-ups, non-blocking peeks, receiving a passed fd, closing, and
 * the Unix stderr.  linux.c implements it; the callers see no Linux
 * constant, structure or errno, only these WAIT_* bits and Winsock errors.
 * (linux.h is the Linux ABI itself, for linux.c and the files private.h
 * lists as still calling the kernel directly.)
 */
#ifndef WS2_SYS_H
#define WS2_SYS_H

#include <stdint.h>
#include <stddef.h>

/* Readiness, asked for in `events` and answered in `revents`.  The values
 * are Linux's poll bits, so linux.c hands them through (it checks that). */
#define WAIT_READ       0x0001  /* data, a pending connection, or the end of the stream */
#define WAIT_PRI        0x0002  /* urgent (out-of-band) data */
#define WAIT_WRITE      0x0004
#define WAIT_ERROR      0x0008  /* answered only */
#define WAIT_HANGUP     0x0010  /* answered only */
#define WAIT_PEER_SHUT  0x2000  /* the peer shut its sending side */

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

/* A non-blocking receive (or peek) on a socket fd: the bytes received
 * (0: end of stream) or a negated Winsock error (-WSAEWOULDBLOCK: nothing). */
int64_t sys_recv_nowait(int fd, void *buf, size_t len, int peek);

/*
 * Receive one message; an fd passed along with it goes to *fd_out (closed
 * when fd_out is NULL; -1 when none came).  Returns the message length, or
 * a negated Winsock error (-WSAECONNRESET when the peer closed).
 */
int64_t sys_recv_with_fd(int fd, void *buf, size_t len, int *fd_out);

/* An eventfd for wake-ups (non-blocking, not inherited): the fd or a negated
 * Winsock error; signal adds one, drain takes all. */
int sys_eventfd(void);
void sys_eventfd_signal(int fd);
void sys_eventfd_drain(int fd);

void sys_close(int fd);
/* Straight to the Unix stderr (fd 2), as Wine's debug output goes. */
void sys_write_stderr(const char *buf, size_t len);

#endif /* WS2_SYS_H */
