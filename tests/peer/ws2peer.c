/*
 * ws2peer: the native TCP peer of the close demo and the integration tests.
 *
 * It listens on loopback (127.0.0.1, or ::1 with -6) on an ephemeral port,
 * writes that port to a file, and serves a fixed number of connections,
 * all at once if they come at once.  Each client describes what it wants
 * in its first bytes, one header line:
 *
 *     WS2PEER label=NAME pause=MS\n
 *
 * label   a name printed back in the result line (letters, digits, "._-")
 * pause   how long to leave the data unread after the header, in ms; with
 *         a small receive buffer (--rcvbuf) the window closes and the
 *         client's data stays unacknowledged in its send queue meanwhile
 *
 * Unknown keys are ignored.  After the pause the peer reads and discards
 * until the read ends with 0 (FIN), ECONNRESET (RST), another error, or a
 * timeout, closes its end, then looks the client's port up in
 * /proc/net/tcp and /proc/net/tcp6 to see whether the closing side went to
 * TIME_WAIT.  For every connection it prints one line on stdout:
 *
 *     conn=1 label=a bytes=1048576 end=FIN t_end_ms=12 closer_state=TIME_WAIT \
 *         client_port=41234 pause_ms=0
 *
 * bytes         data bytes read after the header line
 * end           FIN, RST, TIMEOUT, NOHEADER, BADHEADER or ERROR(errno)
 * t_end_ms      when the read ended, in ms after accept
 * closer_state  the client socket's TCP state shortly after the end:
 *               TIME_WAIT, none (no such socket any more), or another state
 *
 * Every wait is bounded; the program exits by itself: 0 when all
 * connections were served, 1 when it gave up waiting for one, 2 on usage
 * errors.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define HEADER_MAX        256
#define HEADER_MAGIC      "WS2PEER"
#define LABEL_MAX         32
#define READ_CHUNK        65536
#define CHECK_INTERVAL_MS 50   /* between looks at /proc/net/tcp */
#define CHECK_LIMIT_MS    1000 /* stop looking this long after the end */
#define MAX_COUNT         1000
#define MAX_PAUSE_MS      60000

enum conn_phase
{
    PHASE_FREE,   /* slot unused */
    PHASE_HEADER, /* reading the header line */
    PHASE_PAUSE,  /* leaving the data unread */
    PHASE_READ,   /* reading until the end */
    PHASE_CHECK,  /* closed; watching the client's TCP state */
    PHASE_DONE
};

struct conn
{
    enum conn_phase phase;
    int fd;
    int number;
    unsigned int client_port;
    char label[LABEL_MAX + 1];
    char header[HEADER_MAX];
    size_t header_len;
    long pause_ms;
    unsigned long long bytes;
    char end[48];
    long long t_accept; /* ms, monotonic */
    long long t_end;
    long long deadline; /* ms, monotonic; the end of the current phase */
    char closer_state[16];
};

static const char *progname = "ws2peer";
static int verbose;

static void msg(const char *fmt, ...)
{
    va_list args;

    fprintf(stderr, "%s: ", progname);
    va_start(args, fmt);
    vfprintf(stderr, fmt, args);
    va_end(args);
}

static long long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void usage(FILE *f)
{
    fprintf(f,
            "Usage: %s --port-file FILE [OPTION]...\n"
            "A loopback TCP peer that reports how each connection ended (FIN or RST)\n"
            "and whether the client's side went to TIME_WAIT.\n"
            "\n"
            "  -f, --port-file FILE    write the listening port to FILE (required)\n"
            "  -n, --count N           serve N connections, then exit (default 1)\n"
            "  -6, --ipv6              listen on ::1 instead of 127.0.0.1\n"
            "  -p, --port PORT         listen on PORT (default: an ephemeral port)\n"
            "  -r, --rcvbuf BYTES      receive buffer of every connection, set on the\n"
            "                          listening socket (default: the system's)\n"
            "  -a, --accept-timeout MS give up when no connection comes for MS (default 30000)\n"
            "  -t, --conn-timeout MS   give up on a connection that has not ended MS after\n"
            "                          its pause (default 15000); also bounds the header\n"
            "  -v, --verbose           say what happens on stderr\n"
            "  -h, --help              show this help\n"
            "\n"
            "Each client starts with one line: \"" HEADER_MAGIC " label=NAME pause=MS\\n\".\n"
            "One result line per connection goes to stdout:\n"
            "  conn=N label=NAME bytes=B end=FIN|RST|TIMEOUT|... t_end_ms=T\n"
            "  closer_state=TIME_WAIT|none|STATE client_port=P pause_ms=MS\n",
            progname);
}

static int parse_long(const char *s, long min, long max, long *out)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < min || v > max) return -1;
    *out = v;
    return 0;
}

static const char *tcp_state_name(unsigned int st)
{
    static const char *const names[] = {
        "UNKNOWN", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",
        "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING",
        "NEW_SYN_RECV"
    };
    return st < sizeof(names) / sizeof(names[0]) ? names[st] : "UNKNOWN";
}

/* State of the socket whose local port is LOCAL and remote port REMOTE in
 * one /proc/net/tcp* table: 1 and *state if found, 0 if not. */
static int lookup_table(const char *path, unsigned int local, unsigned int remote, unsigned int *state)
{
    char line[512];
    FILE *f = fopen(path, "r");
    int found = 0;

    if (!f) return 0;
    if (!fgets(line, sizeof(line), f)) /* the column titles */
    {
        fclose(f);
        return 0;
    }
    while (fgets(line, sizeof(line), f))
    {
        char laddr[64], raddr[64], *lp, *rp;
        unsigned int st;

        if (sscanf(line, " %*[0-9]: %63s %63s %x", laddr, raddr, &st) != 3) continue;
        if (!(lp = strrchr(laddr, ':')) || !(rp = strrchr(raddr, ':'))) continue;
        if (strtoul(lp + 1, NULL, 16) != local || strtoul(rp + 1, NULL, 16) != remote) continue;
        *state = st;
        found = 1;
        if (st == 6) break; /* TIME_WAIT wins over anything stale */
    }
    fclose(f);
    return found;
}

static const char *closer_state(unsigned int client_port, unsigned int server_port)
{
    unsigned int st;

    if (lookup_table("/proc/net/tcp", client_port, server_port, &st) ||
        lookup_table("/proc/net/tcp6", client_port, server_port, &st))
        return tcp_state_name(st);
    return "none";
}

static void copy_label(char *dst, const char *src, size_t len)
{
    size_t i, n = 0;

    for (i = 0; i < len && n < LABEL_MAX; i++)
    {
        char c = src[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '.' || c == '_' || c == '-')
            dst[n++] = c;
    }
    dst[n] = 0;
    if (!n) strcpy(dst, "-");
}

/* Parse "WS2PEER key=value ..." (without the newline). */
static int parse_header(struct conn *c, const char *line, size_t len)
{
    const char *p = line, *end = line + len;
    size_t magic = strlen(HEADER_MAGIC);

    if (len < magic || memcmp(line, HEADER_MAGIC, magic)) return -1;
    p += magic;
    while (p < end)
    {
        const char *word, *eq;
        size_t wlen;

        while (p < end && (*p == ' ' || *p == '\t' || *p == '\r')) p++;
        word = p;
        while (p < end && *p != ' ' && *p != '\t' && *p != '\r') p++;
        wlen = p - word;
        if (!wlen) break;
        if (!(eq = memchr(word, '=', wlen))) continue;
        if (eq - word == 5 && !memcmp(word, "label", 5))
            copy_label(c->label, eq + 1, word + wlen - eq - 1);
        else if (eq - word == 5 && !memcmp(word, "pause", 5))
        {
            char num[16];
            size_t nlen = word + wlen - eq - 1;
            long v;

            if (nlen >= sizeof(num)) return -1;
            memcpy(num, eq + 1, nlen);
            num[nlen] = 0;
            if (parse_long(num, 0, MAX_PAUSE_MS, &v) < 0) return -1;
            c->pause_ms = v;
        }
    }
    return 0;
}

static void end_conn(struct conn *c, const char *how, long long now)
{
    snprintf(c->end, sizeof(c->end), "%s", how);
    c->t_end = now;
    close(c->fd);
    c->fd = -1;
    c->phase = PHASE_CHECK;
    c->deadline = now + CHECK_INTERVAL_MS;
    if (verbose) msg("conn %d (%s): end %s after %llu bytes\n", c->number, c->label, how, c->bytes);
}

static void end_conn_errno(struct conn *c, int err, long long now)
{
    char how[48];

    if (err == ECONNRESET)
        end_conn(c, "RST", now);
    else
    {
        snprintf(how, sizeof(how), "ERROR(%s)", strerrorname_np(err) ? strerrorname_np(err) : "?");
        end_conn(c, how, now);
    }
}

static void start_reading(struct conn *c, long long now, long conn_timeout)
{
    c->phase = PHASE_READ;
    c->deadline = now + conn_timeout;
    if (verbose) msg("conn %d (%s): reading\n", c->number, c->label);
}

/* Take in what is readable while in PHASE_HEADER. */
static void read_header(struct conn *c, long long now, long conn_timeout)
{
    char *nl;
    ssize_t n;

    n = recv(c->fd, c->header + c->header_len, sizeof(c->header) - c->header_len, 0);
    if (n == 0)
    {
        end_conn(c, "NOHEADER", now);
        return;
    }
    if (n < 0)
    {
        if (errno == EAGAIN || errno == EINTR) return;
        end_conn_errno(c, errno, now);
        return;
    }
    c->header_len += n;
    if (!(nl = memchr(c->header, '\n', c->header_len)))
    {
        if (c->header_len == sizeof(c->header)) end_conn(c, "BADHEADER", now);
        return;
    }
    if (parse_header(c, c->header, nl - c->header) < 0)
    {
        end_conn(c, "BADHEADER", now);
        return;
    }
    /* Data that came with the header counts. */
    c->bytes += c->header + c->header_len - (nl + 1);
    if (verbose) msg("conn %d (%s): header, pause %ld ms\n", c->number, c->label, c->pause_ms);
    if (c->pause_ms)
    {
        c->phase = PHASE_PAUSE;
        c->deadline = now + c->pause_ms;
    }
    else start_reading(c, now, conn_timeout);
}

static void read_data(struct conn *c, long long now)
{
    static char buf[READ_CHUNK];
    int i;

    for (i = 0; i < 64; i++)
    {
        ssize_t n = recv(c->fd, buf, sizeof(buf), 0);

        if (n > 0)
        {
            c->bytes += n;
            continue;
        }
        if (n == 0)
            end_conn(c, "FIN", now);
        else if (errno != EAGAIN && errno != EINTR)
            end_conn_errno(c, errno, now);
        return;
    }
}

static void report(struct conn *c)
{
    printf("conn=%d label=%s bytes=%llu end=%s t_end_ms=%lld closer_state=%s client_port=%u pause_ms=%ld\n",
           c->number, c->label, c->bytes, c->end, c->t_end - c->t_accept, c->closer_state,
           c->client_port, c->pause_ms);
    fflush(stdout);
}

/* Advance a connection whose deadline has come. */
static void on_deadline(struct conn *c, long long now, unsigned int server_port, long conn_timeout)
{
    const char *state;

    switch (c->phase)
    {
    case PHASE_HEADER:
        end_conn(c, "NOHEADER", now);
        break;
    case PHASE_PAUSE:
        start_reading(c, now, conn_timeout);
        break;
    case PHASE_READ:
        end_conn(c, "TIMEOUT", now);
        break;
    case PHASE_CHECK:
        state = closer_state(c->client_port, server_port);
        snprintf(c->closer_state, sizeof(c->closer_state), "%s", state);
        if (!strcmp(state, "TIME_WAIT") || !strcmp(state, "none") || now - c->t_end >= CHECK_LIMIT_MS)
        {
            c->phase = PHASE_DONE;
            report(c);
        }
        else c->deadline = now + CHECK_INTERVAL_MS;
        break;
    default:
        break;
    }
}

static int write_port_file(const char *path, unsigned int port)
{
    char tmp[4096];
    FILE *f;

    /* Written beside and renamed, so that a reader never sees half a number. */
    if (snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid()) >= (int)sizeof(tmp)) return -1;
    if (!(f = fopen(tmp, "w"))) return -1;
    fprintf(f, "%u\n", port);
    if (fclose(f) != 0 || rename(tmp, path) < 0)
    {
        unlink(tmp);
        return -1;
    }
    return 0;
}

static int open_listener(int ipv6, unsigned int port, long rcvbuf, unsigned int *bound_port)
{
    struct sockaddr_storage ss;
    socklen_t len;
    int fd, one = 1;

    memset(&ss, 0, sizeof(ss));
    if (ipv6)
    {
        struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
        sin6->sin6_family = AF_INET6;
        sin6->sin6_addr = in6addr_loopback;
        sin6->sin6_port = htons(port);
        len = sizeof(*sin6);
    }
    else
    {
        struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
        sin->sin_family = AF_INET;
        sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        sin->sin_port = htons(port);
        len = sizeof(*sin);
    }
    if ((fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) < 0)
    {
        msg("socket: %s\n", strerror(errno));
        return -1;
    }
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    /* Accepted sockets inherit the buffer, and the window is sized from it
     * at the handshake, so it has to be set here, before listen. */
    if (rcvbuf > 0)
    {
        int v = (int)rcvbuf;
        if (setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v)) < 0)
            msg("SO_RCVBUF %d: %s\n", v, strerror(errno));
    }
    if (bind(fd, (struct sockaddr *)&ss, len) < 0 || listen(fd, 64) < 0)
    {
        msg("bind/listen on %s port %u: %s\n", ipv6 ? "::1" : "127.0.0.1", port, strerror(errno));
        close(fd);
        return -1;
    }
    len = sizeof(ss);
    if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
    {
        msg("getsockname: %s\n", strerror(errno));
        close(fd);
        return -1;
    }
    *bound_port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                                 : ((struct sockaddr_in *)&ss)->sin_port);
    return fd;
}

static void accept_one(int lfd, struct conn *c, int number, long long now, long conn_timeout)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    int fd;

    if ((fd = accept4(lfd, (struct sockaddr *)&ss, &len, SOCK_NONBLOCK | SOCK_CLOEXEC)) < 0)
    {
        if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
            msg("accept: %s\n", strerror(errno));
        return;
    }
    memset(c, 0, sizeof(*c));
    c->fd = fd;
    c->number = number;
    c->client_port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                                    : ((struct sockaddr_in *)&ss)->sin_port);
    strcpy(c->label, "-");
    strcpy(c->closer_state, "none");
    c->t_accept = now;
    c->phase = PHASE_HEADER;
    c->deadline = now + conn_timeout;
    if (verbose) msg("conn %d: accepted from port %u\n", number, c->client_port);
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "port-file", required_argument, NULL, 'f' },
        { "count", required_argument, NULL, 'n' },
        { "ipv6", no_argument, NULL, '6' },
        { "port", required_argument, NULL, 'p' },
        { "rcvbuf", required_argument, NULL, 'r' },
        { "accept-timeout", required_argument, NULL, 'a' },
        { "conn-timeout", required_argument, NULL, 't' },
        { "verbose", no_argument, NULL, 'v' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    const char *port_file = NULL;
    long count = 1, port = 0, rcvbuf = 0, accept_timeout = 30000, conn_timeout = 15000;
    int ipv6 = 0, opt, lfd, accepted = 0, done = 0, gave_up = 0, i;
    unsigned int server_port;
    struct conn *conns;
    struct pollfd *pfds;
    long long accept_deadline;

    if (argv[0] && strrchr(argv[0], '/')) progname = strrchr(argv[0], '/') + 1;
    else if (argv[0]) progname = argv[0];

    while ((opt = getopt_long(argc, argv, "f:n:6p:r:a:t:vh", longopts, NULL)) != -1)
    {
        int bad = 0;

        switch (opt)
        {
        case 'f': port_file = optarg; break;
        case 'n': bad = parse_long(optarg, 1, MAX_COUNT, &count); break;
        case '6': ipv6 = 1; break;
        case 'p': bad = parse_long(optarg, 0, 65535, &port); break;
        case 'r': bad = parse_long(optarg, 0, 64 << 20, &rcvbuf); break;
        case 'a': bad = parse_long(optarg, 1, 3600000, &accept_timeout); break;
        case 't': bad = parse_long(optarg, 1, 3600000, &conn_timeout); break;
        case 'v': verbose = 1; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
        if (bad)
        {
            msg("bad value for -%c: %s\n", opt, optarg);
            return 2;
        }
    }
    if (optind < argc || !port_file)
    {
        usage(stderr);
        return 2;
    }

    if ((lfd = open_listener(ipv6, port, rcvbuf, &server_port)) < 0) return 1;
    if (write_port_file(port_file, server_port) < 0)
    {
        msg("cannot write %s: %s\n", port_file, strerror(errno));
        return 1;
    }
    if (verbose) msg("listening on %s port %u for %ld connection(s)\n", ipv6 ? "::1" : "127.0.0.1",
                     server_port, count);

    conns = calloc(count, sizeof(*conns));
    pfds = calloc(count + 1, sizeof(*pfds));
    if (!conns || !pfds)
    {
        msg("out of memory\n");
        return 1;
    }
    accept_deadline = now_ms() + accept_timeout;

    while (done < count && !(gave_up && done == accepted))
    {
        long long now = now_ms(), next = -1;
        int timeout, n;

        /* The listener, while connections are still to come. */
        pfds[0].fd = (accepted < count && !gave_up) ? lfd : -1;
        pfds[0].events = POLLIN;
        if (pfds[0].fd >= 0) next = accept_deadline;
        for (i = 0; i < accepted; i++)
        {
            struct conn *c = &conns[i];
            int wants_read = c->phase == PHASE_HEADER || c->phase == PHASE_READ;

            /* A paused connection is left out entirely: a reset during the
             * pause would otherwise wake poll over and over. */
            pfds[i + 1].fd = wants_read ? c->fd : -1;
            pfds[i + 1].events = POLLIN;
            pfds[i + 1].revents = 0;
            if (c->phase != PHASE_FREE && c->phase != PHASE_DONE && (next < 0 || c->deadline < next))
                next = c->deadline;
        }
        timeout = next < 0 ? 1000 : (next <= now ? 0 : (int)(next - now));
        n = poll(pfds, accepted + 1, timeout);
        if (n < 0 && errno != EINTR)
        {
            msg("poll: %s\n", strerror(errno));
            return 1;
        }
        now = now_ms();

        for (i = 0; i < accepted; i++)
        {
            struct conn *c = &conns[i];

            if (n > 0 && pfds[i + 1].fd >= 0 && pfds[i + 1].revents)
            {
                if (c->phase == PHASE_HEADER) read_header(c, now, conn_timeout);
                else if (c->phase == PHASE_READ) read_data(c, now);
            }
            if (c->phase != PHASE_FREE && c->phase != PHASE_DONE && c->deadline <= now)
                on_deadline(c, now, server_port, conn_timeout);
            if (c->phase == PHASE_DONE)
            {
                c->phase = PHASE_FREE;
                c->deadline = 0;
                done++;
            }
        }
        if (pfds[0].fd >= 0)
        {
            if (n > 0 && (pfds[0].revents & POLLIN))
            {
                accept_one(lfd, &conns[accepted], accepted + 1, now, conn_timeout);
                if (conns[accepted].phase == PHASE_HEADER)
                {
                    accepted++;
                    accept_deadline = now + accept_timeout;
                }
            }
            else if (now >= accept_deadline)
            {
                msg("no connection for %ld ms: served %d of %ld\n", accept_timeout, accepted, count);
                gave_up = 1;
            }
        }
    }
    close(lfd);
    free(conns);
    free(pfds);
    return done == count ? 0 : 1;
}
