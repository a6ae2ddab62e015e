/*
 * A second client process for the fuzz harness.  The server tells client
 * processes apart by the pid SO_PEERCRED gives for a connection, which for
 * a socketpair is the pid of the process that made it.  This helper child
 * makes socketpairs when asked and passes both ends back: connections on
 * them belong to its pid, so that what goes on between two processes
 * (a duplicate claimed by another process, a registration taken over from
 * one) is reached.  It lives as long as the harness.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include "harness.h"

static int control = -1;

/* Pass `count` fds over `fd`. */
static int send_fds(int fd, const int *fds, int count)
{
    char byte = 0, buf[CMSG_SPACE(2 * sizeof(int))];
    struct iovec iov = { &byte, 1 };
    struct msghdr msg;
    struct cmsghdr *cm;

    memset(&msg, 0, sizeof(msg));
    memset(buf, 0, sizeof(buf));
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = buf;
    msg.msg_controllen = CMSG_SPACE(count * sizeof(int));
    cm = CMSG_FIRSTHDR(&msg);
    cm->cmsg_level = SOL_SOCKET;
    cm->cmsg_type = SCM_RIGHTS;
    cm->cmsg_len = CMSG_LEN(count * sizeof(int));
    /* Wine's headers redefine CMSG_DATA: the data follows the header. */
    memcpy(cm + 1, fds, count * sizeof(int));
    return sendmsg(fd, &msg, MSG_NOSIGNAL) == 1 ? 0 : -1;
}

static void __attribute__((noreturn)) serve(int fd)
{
    char byte;
    int pair[2];

    prctl(PR_SET_PDEATHSIG, SIGKILL);
    while (recv(fd, &byte, 1, 0) == 1)
    {
        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, pair) < 0) _exit(1);
        if (send_fds(fd, pair, 2) < 0) _exit(1);
        close(pair[0]);
        close(pair[1]);
        /* Only now does the server's end hang up for good when the server
         * closes it: the harness waits for this before it goes on. */
        if (send(fd, &byte, 1, MSG_NOSIGNAL) != 1) _exit(1);
    }
    _exit(0);
}

int other_start(void)
{
    int sv[2];
    pid_t pid;

    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) return -1;
    if ((pid = fork()) < 0) return -1;
    if (!pid)
    {
        close(sv[0]);
        serve(sv[1]);
    }
    close(sv[1]);
    control = sv[0];
    return 0;
}

int other_socketpair(int fds[2])
{
    char byte = 0, buf[CMSG_SPACE(2 * sizeof(int))];
    struct iovec iov = { &byte, 1 };
    struct msghdr msg;
    struct cmsghdr *cm;

    if (send(control, &byte, 1, MSG_NOSIGNAL) != 1) return -1;
    memset(&msg, 0, sizeof(msg));
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = buf;
    msg.msg_controllen = sizeof(buf);
    while (recvmsg(control, &msg, MSG_CMSG_CLOEXEC) < 0)
        if (errno != EINTR) return -1;
    if (!(cm = CMSG_FIRSTHDR(&msg)) || cm->cmsg_type != SCM_RIGHTS || cm->cmsg_len != CMSG_LEN(2 * sizeof(int)))
        return -1;
    memcpy(fds, cm + 1, 2 * sizeof(int));
    /* The child has closed its copies once this byte comes; before, a
     * connection the server dropped would not read as closed here. */
    while (recv(control, &byte, 1, 0) != 1)
        if (errno != EINTR) return -1;
    return 0;
}
