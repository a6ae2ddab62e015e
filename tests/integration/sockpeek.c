/*
 * sockpeek: native helper of tests/integration/optlinux.sh.
 *
 *   sockpeek PID FD
 *
 * Reads the keep-alive settings of socket FD of process PID (ws2server,
 * which owns every socket of a prefix) from the Linux socket itself and
 * prints "keepalive=K idle=I intvl=N cnt=C".  It takes a copy of the
 * descriptor with pidfd_open + pidfd_getfd (Linux 5.6 and later), which
 * needs the right to ptrace PID; when the kernel or the permissions refuse,
 * it says why and exits 77.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif

static int get(int fd, int level, int name, const char *what)
{
    int value = -1;
    socklen_t len = sizeof(value);

    if (getsockopt(fd, level, name, &value, &len) < 0)
    {
        fprintf(stderr, "sockpeek: getsockopt(%s): %s\n", what, strerror(errno));
        exit(1);
    }
    return value;
}

int main(int argc, char **argv)
{
    int pidfd, fd;

    if (argc != 3)
    {
        fprintf(stderr, "usage: sockpeek PID FD\n");
        return 2;
    }
    pidfd = syscall(SYS_pidfd_open, atoi(argv[1]), 0);
    if (pidfd < 0)
    {
        fprintf(stderr, "sockpeek: pidfd_open(%s): %s\n", argv[1], strerror(errno));
        return errno == ESRCH ? 1 : 77;
    }
    fd = syscall(SYS_pidfd_getfd, pidfd, atoi(argv[2]), 0);
    if (fd < 0)
    {
        fprintf(stderr, "sockpeek: pidfd_getfd(%s): %s\n", argv[2], strerror(errno));
        return errno == EBADF ? 1 : 77;
    }
    printf("keepalive=%d idle=%d intvl=%d cnt=%d\n", get(fd, SOL_SOCKET, SO_KEEPALIVE, "SO_KEEPALIVE"),
           get(fd, IPPROTO_TCP, TCP_KEEPIDLE, "TCP_KEEPIDLE"), get(fd, IPPROTO_TCP, TCP_KEEPINTVL, "TCP_KEEPINTVL"),
           get(fd, IPPROTO_TCP, TCP_KEEPCNT, "TCP_KEEPCNT"));
    return 0;
}
