/*
 * offerbench: what unclaimed WSADuplicateSocket offers cost the other
 * clients of ws2server.  Native, speaking the wire protocol itself:
 *
 *   offerbench WS2SERVER [SOURCES [OFFERS [ROUND_TRIPS]]]
 *
 * starts WS2SERVER for a prefix of its own, times ROUND_TRIPS (default
 * 20000) SOCK_STATE requests of one client, then lets SOURCES processes
 * (default 50) each offer a socket OFFERS times (default 1000) to a Windows
 * process that never connects (so that no offer is claimed or released
 * before it expires), and times the round trips again while the offers
 * wait.  Each source stays connected until the end.  Output, one line per
 * phase:
 *
 *   OFFERBENCH offers=N median_us=M mean_us=M p99_us=M
 *
 * with "OFFERBENCH offering_ms=T" between them, the time the sources took
 * to make their offers, all running at once.
 * and a line "OFFERBENCH refused=N" when the server refused offers
 * (WSAENOBUFS beyond its bound per source).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include "ws2proto.h"

/* A Windows pid no client claims: offers to it wait for their expiry. */
#define ABSENT_WIN_PID 0x7ffffff0u
#define WS_AF_INET     2
#define WS_SOCK_STREAM 1

static char prefix[] = "/tmp/offerbench-XXXXXX";
static char sock_path[sizeof(((struct sockaddr_un *)0)->sun_path)];

/* Send a request and read its reply (an fd that comes with it is dropped). */
static uint32_t call(int fd, void *req, uint32_t op, uint32_t size, uint32_t handle, void *rep, size_t rep_size)
{
    struct ws2_req_header *hdr = req;
    uint8_t buf[WS2_MAX_MESSAGE];
    ssize_t len;

    hdr->op = op;
    hdr->size = size;
    hdr->handle = handle;
    hdr->flags = 0;
    if (send(fd, req, size, 0) != (ssize_t)size) return ~0u;
    if ((len = recv(fd, buf, sizeof(buf), 0)) < (ssize_t)sizeof(struct ws2_reply_header)) return ~0u;
    if (rep) memcpy(rep, buf, (size_t)len < rep_size ? (size_t)len : rep_size);
    return ((struct ws2_reply_header *)buf)->status;
}

/* A connection that has said HELLO as Windows process `win_pid`. */
static int connect_as(uint32_t win_pid)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    struct ws2_hello_request hello;
    int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);

    strcpy(addr.sun_path, sock_path);
    if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) return -1;
    memset(&hello, 0, sizeof(hello));
    hello.version = WS2_PROTOCOL_VERSION;
    hello.win_pid = win_pid;
    if (call(fd, &hello, WS2_OP_HELLO, sizeof(hello), 0, NULL, 0)) return -1;
    return fd;
}

static uint32_t new_socket(int fd)
{
    struct ws2_socket_request req;
    struct ws2_socket_reply rep;

    memset(&req, 0, sizeof(req));
    req.family = WS_AF_INET;
    req.type = WS_SOCK_STREAM;
    if (call(fd, &req, WS2_OP_SOCKET, sizeof(req), 0, &rep, sizeof(rep))) return 0;
    return rep.handle;
}

static uint64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return x < y ? -1 : x > y;
}

static void measure(int fd, uint32_t handle, int rounds, unsigned int offers)
{
    uint64_t *t = calloc(rounds, sizeof(*t)), sum = 0;
    struct ws2_req_header req;
    int i;

    for (i = 0; i < rounds; i++)
    {
        uint64_t start = now_ns();

        if (call(fd, &req, WS2_OP_SOCK_STATE, sizeof(req), handle, NULL, 0))
        {
            fprintf(stderr, "offerbench: SOCK_STATE failed\n");
            exit(1);
        }
        t[i] = now_ns() - start;
        sum += t[i];
    }
    qsort(t, rounds, sizeof(*t), cmp_u64);
    printf("OFFERBENCH offers=%u median_us=%.1f mean_us=%.1f p99_us=%.1f\n", offers, t[rounds / 2] / 1000.0,
           sum / 1000.0 / rounds, t[rounds * 99 / 100] / 1000.0);
    free(t);
}

/* A source: offer one socket `count` times, report how many the server
 * took through `report`, stay connected until `hold` closes. */
static void source(unsigned int index, int count, int report, int hold)
{
    struct ws2_duplicate_request req;
    int fd = connect_as(0x10000 + 4 * index), i, made = 0;
    uint32_t h = fd < 0 ? 0 : new_socket(fd);
    char c;

    for (i = 0; h && i < count; i++)
    {
        memset(&req, 0, sizeof(req));
        req.target_win_pid = ABSENT_WIN_PID;
        if (!call(fd, &req, WS2_OP_DUPLICATE, sizeof(req), h, NULL, 0)) made++;
    }
    if (write(report, &made, sizeof(made)) != sizeof(made)) _exit(1);
    if (read(hold, &c, 1) < 0) _exit(1);
    _exit(0);
}

static int run_server(const char *server, const char *arg, char *out, size_t size)
{
    char cmd[4096];
    FILE *f;

    snprintf(cmd, sizeof(cmd), "'%s' --prefix '%s' %s", server, prefix, arg);
    if (!(f = popen(cmd, "r"))) return -1;
    if (out && !fgets(out, size, f)) out[0] = 0;
    return pclose(f);
}

int main(int argc, char **argv)
{
    unsigned int sources = argc > 2 ? atoi(argv[2]) : 50, i, total = 0;
    int offers = argc > 3 ? atoi(argv[3]) : 1000, rounds = argc > 4 ? atoi(argv[4]) : 20000;
    int report[2], hold[2], fd;
    char dir[512];
    uint64_t start;
    uint32_t h;

    if (argc < 2 || !mkdtemp(prefix))
    {
        fprintf(stderr, "usage: offerbench WS2SERVER [SOURCES [OFFERS [ROUND_TRIPS]]]\n");
        return 2;
    }
    if (run_server(argv[1], "", NULL, 0) || run_server(argv[1], "--socket-dir", dir, sizeof(dir)))
    {
        fprintf(stderr, "offerbench: cannot start %s\n", argv[1]);
        return 1;
    }
    dir[strcspn(dir, "\n")] = 0;
    if (strlen(dir) + sizeof(WS2_SOCKET_NAME) + 1 > sizeof(sock_path)) return 1;
    sprintf(sock_path, "%s/%s", dir, WS2_SOCKET_NAME);
    if ((fd = connect_as(8)) < 0 || !(h = new_socket(fd)) || pipe(report) < 0 || pipe(hold) < 0)
    {
        fprintf(stderr, "offerbench: no server at %s\n", sock_path);
        return 1;
    }
    measure(fd, h, rounds, 0);
    start = now_ns();
    for (i = 0; i < sources; i++)
    {
        if (!fork())
        {
            close(hold[1]);
            source(i, offers, report[1], hold[0]);
        }
    }
    close(hold[0]);
    for (i = 0; i < sources; i++)
    {
        int made = 0;

        if (read(report[0], &made, sizeof(made)) != sizeof(made)) break;
        total += made;
    }
    printf("OFFERBENCH offering_ms=%.0f\n", (now_ns() - start) / 1e6);
    measure(fd, h, rounds, total);
    if (total < sources * offers) printf("OFFERBENCH refused=%u\n", sources * offers - total);
    close(hold[1]);
    while (wait(NULL) > 0) continue;
    close(fd);
    run_server(argv[1], "--kill", NULL, 0);
    rmdir(prefix);
    return 0;
}
