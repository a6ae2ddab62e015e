/*
 * The server's front door (client.c) under pressure, with a real server
 * loop in a child process and real connections:
 *
 *   - at the file-descriptor limit it neither spins nor leaves a new
 *     client waiting: the client is turned away at once;
 *   - connections that never say HELLO are dropped after a deadline, and
 *     the descriptors they held serve clients again;
 *
 * and with fake connections (check_net.c): a connection the loop cannot
 * watch leaves nothing behind, and a server that stops closes every
 * connection (each client hears it at once; none is left for the leak
 * checker of a sanitizer build).
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/epoll.h>
#include <sys/wait.h>
#include <check.h>
#include "ws2proto.h"
#include "client.h"
#include "loop.h"
#include "check_suites.h"
#include "check_net.h"

#define FD_LIMIT         24 /* the child server's RLIMIT_NOFILE */
#define IDLE_CONNECTIONS 40

static char dir[64], path[128];
static pid_t server;

/* The socket file appears at bind(), before listen(): until then a connect
 * is refused, which on a loaded machine the first test connection met.  The
 * server listens once a connection is taken (this one is closed at once,
 * without a HELLO, which the server forgets). */
static void wait_listening(void)
{
    struct sockaddr_un addr;
    int i, fd, ret;

    memset(&addr, 0, sizeof(addr));
    addr.sun_family = AF_UNIX;
    strcpy(addr.sun_path, path);
    for (i = 0; i < 1000; i++)
    {
        ck_assert_int_ge(fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0), 0);
        ret = connect(fd, (struct sockaddr *)&addr, sizeof(addr));
        close(fd);
        if (!ret) return;
        ck_assert_msg(errno == ENOENT || errno == ECONNREFUSED, "connect: %s", strerror(errno));
        usleep(10000);
    }
    ck_abort_msg("the server did not listen within 10 s");
}

static void start_server(void)
{
    struct rlimit lim = { FD_LIMIT, FD_LIMIT };

    strcpy(dir, "/tmp/check_clients-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/socket", dir);
    server = fork();
    ck_assert_int_ge(server, 0);
    if (!server)
    {
        if (setrlimit(RLIMIT_NOFILE, &lim) < 0 || loop_init() < 0 || clients_listen(path) < 0) _exit(3);
        loop_run(-1);
        _exit(0);
    }
    wait_listening();
}

static void stop_server(void)
{
    kill(server, SIGKILL);
    waitpid(server, NULL, 0);
    unlink(path);
    rmdir(dir);
}

static int connect_server(void)
{
    struct sockaddr_un addr;
    int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);

    ck_assert_int_ge(fd, 0);
    memset(&addr, 0, sizeof(addr));
    addr.sun_family = AF_UNIX;
    strcpy(addr.sun_path, path);
    ck_assert_int_eq(connect(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
    return fd;
}

/* Say HELLO on a new connection: the reply's status, -1 when the server
 * closed the connection, -2 when nothing came within `ms`. */
static int hello(int ms)
{
    struct ws2_hello_request req;
    char buf[WS2_MAX_MESSAGE];
    struct pollfd pfd;
    int fd = connect_server(), status;
    ssize_t len;

    memset(&req, 0, sizeof(req));
    req.hdr.op = WS2_OP_HELLO;
    req.hdr.size = sizeof(req);
    req.version = WS2_PROTOCOL_VERSION;
    req.win_pid = 0x1234;
    pfd.fd = fd;
    pfd.events = POLLIN;
    if (send(fd, &req, sizeof(req), MSG_NOSIGNAL) < 0) status = -1;
    else if (poll(&pfd, 1, ms) <= 0) status = -2;
    else if ((len = recv(fd, buf, sizeof(buf), 0)) < (ssize_t)sizeof(struct ws2_reply_header)) status = -1;
    else status = ((struct ws2_reply_header *)buf)->status;
    close(fd);
    return status;
}

/* CPU time (user + system, clock ticks) the server has used so far. */
static long server_ticks(void)
{
    char name[64], line[1024], *p;
    unsigned long utime, stime;
    FILE *f;

    snprintf(name, sizeof(name), "/proc/%d/stat", (int)server);
    ck_assert_ptr_nonnull(f = fopen(name, "r"));
    ck_assert_ptr_nonnull(fgets(line, sizeof(line), f));
    fclose(f);
    /* Fields 14 and 15, counted after the command's closing parenthesis. */
    p = strrchr(line, ')');
    ck_assert_int_eq(sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime, &stime), 2);
    return (long)(utime + stime);
}

START_TEST(test_fd_limit_turns_clients_away)
{
    int idle[IDLE_CONNECTIONS], i;
    long before, used;

    start_server();
    ck_assert_int_eq(hello(2000), 0);
    /* More connections than the server can hold, none saying anything. */
    for (i = 0; i < IDLE_CONNECTIONS; i++) idle[i] = connect_server();
    before = server_ticks();
    usleep(1000000);
    used = server_ticks() - before;
    /* A spinning loop would use all of that second (100 ticks). */
    ck_assert_msg(used < 30, "the server used %ld ticks of CPU in 1 s at its fd limit", used);
    /* A new client is not left waiting: it is turned away (or served). */
    i = hello(2000);
    ck_assert_msg(i != -2, "a client at the fd limit got no answer within 2 s");
    for (i = 0; i < IDLE_CONNECTIONS; i++) close(idle[i]);
    stop_server();
}
END_TEST

START_TEST(test_silent_connections_dropped)
{
    int idle[IDLE_CONNECTIONS], i, dropped = 0;
    char byte;

    start_server();
    for (i = 0; i < FD_LIMIT - 8; i++) idle[i] = connect_server();
    /* After the HELLO deadline (5 s) the server has let them go... */
    usleep(6500000);
    for (i = 0; i < FD_LIMIT - 8; i++)
    {
        if (recv(idle[i], &byte, 1, MSG_DONTWAIT) == 0) dropped++;
        close(idle[i]);
    }
    ck_assert_int_eq(dropped, FD_LIMIT - 8);
    /* ...and serves others. */
    ck_assert_int_eq(hello(2000), 0);
    stop_server();
}
END_TEST

/* epoll cannot watch a regular file: client_create fails, and the list of
 * connections waiting for HELLO must not keep the freed one (it did: the
 * next look at the HELLO deadlines read freed memory). */
START_TEST(test_unwatchable_connection)
{
    char name[] = "/tmp/check_clients-file-XXXXXX";
    int fd = mkstemp(name);

    ck_assert_int_ge(fd, 0);
    unlink(name);
    ck_assert_int_eq(loop_init(), 0);
    ck_assert_ptr_null(client_create(fd));
    close(fd);
    ck_assert_int_eq(client_timeout(), -1);
    client_expire();
}
END_TEST

START_TEST(test_stop_closes_connections)
{
    struct ws2_hello_request req;
    struct ws2_reply_header hdr;
    int silent, said_hello;
    struct ws2_client *c;
    char byte;

    fake_client(&silent);
    c = fake_client(&said_hello);
    memset(&req, 0, sizeof(req));
    req.hdr.op = WS2_OP_HELLO;
    req.hdr.size = sizeof(req);
    req.version = WS2_PROTOCOL_VERSION;
    ck_assert_int_eq(send(said_hello, &req, sizeof(req), 0), sizeof(req));
    c->w.cb(&c->w, EPOLLIN);
    ck_assert_int_eq(fake_client_reply(said_hello, &hdr), sizeof(struct ws2_hello_reply));
    ck_assert_uint_eq(hdr.status, 0);
    clients_close();
    /* Both see the end now, not when the server process is gone. */
    ck_assert_int_eq(recv(silent, &byte, 1, MSG_DONTWAIT), 0);
    ck_assert_int_eq(recv(said_hello, &byte, 1, MSG_DONTWAIT), 0);
    ck_assert_int_eq(client_timeout(), -1);
    close(silent);
    close(said_hello);
}
END_TEST

Suite *clients_suite(void)
{
    Suite *s = suite_create("clients");
    TCase *tc = tcase_create("limits"), *conns = tcase_create("connections");

    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_fd_limit_turns_clients_away);
    tcase_add_test(tc, test_silent_connections_dropped);
    suite_add_tcase(s, tc);
    tcase_add_test(conns, test_unwatchable_connection);
    tcase_add_test(conns, test_stop_closes_connections);
    suite_add_tcase(s, conns);
    return s;
}
