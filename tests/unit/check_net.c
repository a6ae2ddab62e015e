/*
 * Helpers for the unit tests that need real sockets and a hand-moved clock
 * (see check_net.h).
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include "check_suites.h"
#include "check_net.h"
#include "ws.h"
#include "ws2proto.h"
#include "loop.h"
#include "sock.h"
#include "client.h"

/* Upper bound on any wait for loopback traffic; reached only on failure. */
#define TIMEOUT_MS 5000
/* Asked-for buffer size with `small_buffers` (the kernel doubles it). */
#define SMALL_BUFFER 4096

uint64_t fake_now;

static uint64_t fake_clock(void)
{
    return fake_now;
}

void use_fake_clock(void)
{
    /* Well away from 0, which some code reads as "never". */
    fake_now = 1000000;
    loop_set_clock(fake_clock);
}

struct ws2_socket *tcp_pair(int *peer, int small_buffers)
{
    struct sockaddr_in addr;
    socklen_t len = sizeof(addr);
    struct ws2_socket *sock;
    struct pollfd pfd;
    int listener, status = -1, size = SMALL_BUFFER;

    listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ck_assert_int_ge(listener, 0);
    /* Set on the listener, so the accepted socket advertises a small window. */
    if (small_buffers) ck_assert_int_eq(setsockopt(listener, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size)), 0);
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ck_assert_int_eq(bind(listener, (struct sockaddr *)&addr, sizeof(addr)), 0);
    ck_assert_int_eq(getsockname(listener, (struct sockaddr *)&addr, &len), 0);
    ck_assert_int_eq(listen(listener, 1), 0);

    sock = sock_create(WS_AF_INET, WS_SOCK_STREAM, 0, &status);
    ck_assert_msg(sock != NULL, "sock_create failed with %d", status);
    if (small_buffers) ck_assert_int_eq(setsockopt(sock->fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size)), 0);
    if (connect(sock->fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) ck_assert_int_eq(errno, EINPROGRESS);
    pfd.fd = sock->fd;
    pfd.events = POLLOUT;
    ck_assert_int_eq(poll(&pfd, 1, TIMEOUT_MS), 1);
    *peer = accept4(listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    ck_assert_int_ge(*peer, 0);
    close(listener);
    sock_connected(sock);
    return sock;
}

size_t fill_send_queue(struct ws2_socket *sock)
{
    static const char block[4096];
    size_t total = 0;
    ssize_t n;

    while ((n = send(sock->fd, block, sizeof(block), MSG_DONTWAIT | MSG_NOSIGNAL)) > 0) total += n;
    ck_assert_int_eq(errno, EAGAIN);
    ck_assert_int_gt(send_queue_bytes(sock->fd), 0);
    return total;
}

int send_queue_bytes(int fd)
{
    int outq = -1;

    ck_assert_int_eq(ioctl(fd, SIOCOUTQ, &outq), 0);
    return outq;
}

int peer_drain(int peer, size_t *total)
{
    char buf[65536];

    *total = 0;
    for (;;)
    {
        struct pollfd pfd = { peer, POLLIN, 0 };
        ssize_t n;

        if (poll(&pfd, 1, TIMEOUT_MS) != 1) return -1;
        n = recv(peer, buf, sizeof(buf), MSG_DONTWAIT);
        if (n > 0) *total += n;
        else if (!n) return 0;
        else if (errno != EAGAIN && errno != EINTR) return errno;
    }
}

struct ws2_client *fake_client(int *other)
{
    static int loop_ready;
    struct ws2_client *c;
    int fds[2];

    /* Check runs each test in a child of its own: once per test. */
    if (!loop_ready)
    {
        ck_assert_int_eq(loop_init(), 0);
        loop_ready = 1;
    }
    ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds), 0);
    c = client_create(fds[0]);
    ck_assert_ptr_nonnull(c);
    *other = fds[1];
    return c;
}

ssize_t fake_client_reply(int other, struct ws2_reply_header *hdr)
{
    uint8_t buf[WS2_MAX_MESSAGE];
    ssize_t n = recv(other, buf, sizeof(buf), MSG_DONTWAIT);

    if (n < 0)
    {
        ck_assert_int_eq(errno, EAGAIN);
        return -1;
    }
    if ((size_t)n >= sizeof(*hdr)) memcpy(hdr, buf, sizeof(*hdr));
    return n;
}
