/*
 * ws2server: command line, the per-prefix directory, start-up and shutdown.
 *
 * One server serves one user and one Wine prefix.  Its socket lives in
 * /tmp/.ws2server-UID/server-DEV-INO/ (mode 0700), where DEV and INO
 * identify the prefix directory, as the wineserver names its own.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>
#include "shared.h"
#include "ws2proto.h"
#include "log.h"
#include "loop.h"
#include "client.h"
#include "main.h"
#include "ws2path.h"

#define IDLE_EXIT_MS 3000

int debug_level;

void server_log(const char *fmt, ...)
{
    va_list args;

    fprintf(stderr, "ws2server: ");
    va_start(args, fmt);
    vfprintf(stderr, fmt, args);
    va_end(args);
}

unsigned int open_fd_count(void)
{
    DIR *dir = opendir("/proc/self/fd");
    struct dirent *de;
    unsigned int n = 0;

    if (!dir) return 0;
    while ((de = readdir(dir)))
        if (de->d_name[0] != '.') n++;
    closedir(dir);
    return n - 1; /* not the directory stream itself */
}

/* A directory only we can enter.  One that is not ours (made by another
 * user before we came) cannot be used: say whose it is. */
static int make_private_dir(const char *path)
{
    struct stat st;
    struct passwd *owner;

    if (mkdir(path, 0700) < 0 && errno != EEXIST) return -1;
    if (lstat(path, &st) < 0) return -1;
    if (!S_ISDIR(st.st_mode))
    {
        fprintf(stderr, "ws2server: %s is not a directory; remove it\n", path);
        errno = ENOTDIR;
        return -1;
    }
    if (st.st_uid != getuid())
    {
        owner = getpwuid(st.st_uid);
        fprintf(stderr, "ws2server: %s belongs to user %s (uid %u), not to you (uid %u); it must be removed\n",
                path, owner ? owner->pw_name : "?", (unsigned int)st.st_uid, (unsigned int)getuid());
        errno = EPERM;
        return -1;
    }
    if ((st.st_mode & 0777) != 0700 && chmod(path, 0700) < 0) return -1;
    return 0;
}

int server_dir_for_prefix(const char *prefix, char *out, size_t outlen, int create)
{
    char base[64];
    struct stat st;

    if (stat(prefix, &st) < 0) return -1;
    if (ws2_server_base(base, sizeof(base), getuid()) < 0 ||
        ws2_server_dir(out, outlen, getuid(), st.st_dev, st.st_ino) < 0)
        return -1;
    if (create && (make_private_dir(base) < 0 || make_private_dir(out) < 0)) return -1;
    return 0;
}

static const char *default_prefix(char *buf, size_t len)
{
    const char *prefix = getenv("WINEPREFIX"), *home = getenv("HOME");

    if (prefix && *prefix) return prefix;
    snprintf(buf, len, "%s/.wine", home ? home : "");
    return buf;
}

static void usage(FILE *f)
{
    fprintf(f,
            "Usage: ws2server [OPTION]...\n"
            "The socket server behind the ws2_32.dll of this project: it owns the real\n"
            "sockets of one Wine prefix and gives them Windows semantics.\n"
            "The DLL starts it when needed; it exits a few seconds after its last client.\n"
            "\n"
            "  -P, --prefix DIR   serve this Wine prefix (default: $WINEPREFIX or ~/.wine)\n"
            "  -p, --persistent   do not exit when idle\n"
            "  -f, --foreground   do not detach\n"
            "  -d, --debug        log requests to stderr\n"
            "  -k, --kill         stop the server of the prefix and exit\n"
            "  -S, --socket-dir   print the server's directory for the prefix and exit\n"
            "  -s, --stats        print the running server's counters and exit\n"
            "  -h, --help         show this help\n"
            "  -v, --version      show the version\n"
            "\n"
            "Environment:\n"
            "  WINEPREFIX       the prefix served when --prefix is not given\n"
            "  WS2SERVER        read by the DLL, not the server: the server binary it starts\n"
            "  WS2SERVER_DEBUG  read by the DLL: when 1, it starts the server with -d\n");
}

static void on_signal(int sig)
{
    (void)sig;
    loop_stop();
}

/*
 * The pid of the process that holds the flock on `lock_fd`'s file, from
 * /proc/locks; 0 if none is listed.  The lock is what makes a process the
 * server of the prefix: a pid file alone may name a process that reused
 * the pid of a server long gone.
 */
static pid_t lock_holder(int lock_fd)
{
    char line[256], kind[16], mode[16], access[16];
    unsigned int major_dev, minor_dev;
    unsigned long ino;
    struct stat st;
    pid_t holder = 0;
    FILE *f;
    int pid;

    if (fstat(lock_fd, &st) < 0 || !(f = fopen("/proc/locks", "r"))) return 0;
    while (!holder && fgets(line, sizeof(line), f))
    {
        /* "N: FLOCK  ADVISORY  WRITE PID MAJOR:MINOR:INODE START END"; waiters have "->" after N: */
        if (strstr(line, "->")) continue;
        if (sscanf(line, "%*d: %15s %15s %15s %d %x:%x:%lu", kind, mode, access, &pid, &major_dev, &minor_dev,
                   &ino) != 7)
            continue;
        if (!strcmp(kind, "FLOCK") && ino == (unsigned long)st.st_ino && major_dev == major(st.st_dev) &&
            minor_dev == minor(st.st_dev) && pid > 0)
            holder = pid;
    }
    fclose(f);
    return holder;
}

/* Whether a server still holds the prefix's lock (a probe that never waits). */
static int lock_is_held(int lock_fd)
{
    if (flock(lock_fd, LOCK_EX | LOCK_NB) < 0) return errno == EWOULDBLOCK;
    flock(lock_fd, LOCK_UN);
    return 0;
}

/*
 * -k: stop the server of the prefix.  Only the process that holds the
 * directory's lock is signalled, and it is over when the lock is free, so
 * a stale pid file never gets another process killed.  0 when a server
 * was stopped, 1 when none ran or it did not stop.
 */
static int kill_server(const char *dir)
{
    char path[sizeof(((struct sockaddr_un *)0)->sun_path) + 600];
    pid_t pid;
    int fd, i, stopped = 0;

    snprintf(path, sizeof(path), "%s/lock", dir);
    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
    {
        fprintf(stderr, "ws2server: no server runs for this prefix (%s)\n", dir);
        return 1;
    }
    if (!lock_is_held(fd))
    {
        fprintf(stderr, "ws2server: no server runs for this prefix (%s)\n", dir);
        snprintf(path, sizeof(path), "%s/pid", dir);
        unlink(path); /* left by a server that was killed */
        close(fd);
        return 1;
    }
    if (!(pid = lock_holder(fd)) || kill(pid, SIGTERM) < 0)
    {
        fprintf(stderr, "ws2server: cannot tell which process serves %s; not stopping anything\n", dir);
        close(fd);
        return 1;
    }
    for (i = 0; i < 100 && !stopped; i++)
        if (!(stopped = !lock_is_held(fd))) usleep(50000);
    close(fd);
    if (!stopped) fprintf(stderr, "ws2server: the server (pid %d) did not stop within 5 s\n", (int)pid);
    return !stopped;
}

/* Ask the running server for its counters, as a client would. */
static int print_stats(const char *dir)
{
    struct sockaddr_un addr;
    struct ws2_hello_request hello;
    struct ws2_req_header req = { WS2_OP_SERVER_STATS, sizeof(req), 0, 0 };
    struct ws2_stats_reply rep;
    char buf[WS2_MAX_MESSAGE];
    int fd;

    memset(&addr, 0, sizeof(addr));
    addr.sun_family = AF_UNIX;
    if (snprintf(addr.sun_path, sizeof(addr.sun_path), "%s/%s", dir, WS2_SOCKET_NAME) >= (int)sizeof(addr.sun_path))
        return 1;
    memset(&hello, 0, sizeof(hello));
    hello.hdr.op = WS2_OP_HELLO;
    hello.hdr.size = sizeof(hello);
    hello.version = WS2_PROTOCOL_VERSION;
    if ((fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0)) < 0 ||
        connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
        send(fd, &hello, sizeof(hello), 0) < 0 || recv(fd, buf, sizeof(buf), 0) <= 0 ||
        send(fd, &req, sizeof(req), 0) < 0 || recv(fd, &rep, sizeof(rep), 0) != sizeof(rep) || rep.hdr.status)
    {
        fprintf(stderr, "ws2server: no server answers in %s\n", dir);
        return 1;
    }
    close(fd);
    printf("open_fds=%u sockets=%u lingering=%u processes=%u\n",
           rep.open_fds, rep.sockets, rep.lingering, rep.processes);
    return 0;
}

/* Hold the directory's lock for life: a second server for the prefix stops. */
static int take_lock(const char *dir)
{
    char path[sizeof(((struct sockaddr_un *)0)->sun_path) + 600];
    int fd;

    snprintf(path, sizeof(path), "%s/lock", dir);
    if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) < 0) return -1;
    if (flock(fd, LOCK_EX | LOCK_NB) < 0)
    {
        close(fd);
        return -1;
    }
    return fd;
}

static void write_pid(const char *dir)
{
    char path[sizeof(((struct sockaddr_un *)0)->sun_path) + 600];
    FILE *f;

    snprintf(path, sizeof(path), "%s/pid", dir);
    if ((f = fopen(path, "w")))
    {
        fprintf(f, "%d\n", (int)getpid());
        fclose(f);
    }
}

/* The server holds every socket of the prefix: allow as many descriptors
 * as the hard limit lets it (the soft limit is often 1,024). */
static void raise_fd_limit(void)
{
    struct rlimit lim;

    if (getrlimit(RLIMIT_NOFILE, &lim) < 0 || lim.rlim_cur >= lim.rlim_max) return;
    lim.rlim_cur = lim.rlim_max;
    setrlimit(RLIMIT_NOFILE, &lim);
}

/* At exit, while the lock is still held: nothing names a pid that may be reused. */
static void remove_pid(const char *dir)
{
    char path[sizeof(((struct sockaddr_un *)0)->sun_path) + 600];

    snprintf(path, sizeof(path), "%s/pid", dir);
    unlink(path);
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "prefix", required_argument, NULL, 'P' },
        { "persistent", no_argument, NULL, 'p' },
        { "foreground", no_argument, NULL, 'f' },
        { "debug", no_argument, NULL, 'd' },
        { "kill", no_argument, NULL, 'k' },
        { "socket-dir", no_argument, NULL, 'S' },
        { "stats", no_argument, NULL, 's' },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'v' },
        { NULL, 0, NULL, 0 }
    };
    char prefix_buf[4096], dir[512], sock_path[600];
    const char *prefix = NULL;
    int persistent = 0, foreground = 0, do_kill = 0, print_dir = 0, stats = 0;
    int c, lock_fd, ready[2] = { -1, -1 };
    struct sigaction sa;

    while ((c = getopt_long(argc, argv, "P:pfdkSshv", longopts, NULL)) != -1)
    {
        switch (c)
        {
        case 'P': prefix = optarg; break;
        case 'p': persistent = 1; break;
        case 'f': foreground = 1; break;
        case 'd': debug_level++; break;
        case 'k': do_kill = 1; break;
        case 'S': print_dir = 1; break;
        case 's': stats = 1; break;
        case 'h': usage(stdout); return 0;
        case 'v': printf("ws2server %s (protocol %d)\n", PACKAGE_VERSION_STRING, WS2_PROTOCOL_VERSION); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind < argc)
    {
        usage(stderr);
        return 2;
    }
    if (!prefix) prefix = default_prefix(prefix_buf, sizeof(prefix_buf));
    if (server_dir_for_prefix(prefix, dir, sizeof(dir), !do_kill && !print_dir && !stats) < 0)
    {
        fprintf(stderr, "ws2server: cannot use the prefix %s: %s\n", prefix, strerror(errno));
        return 1;
    }
    if (print_dir)
    {
        printf("%s\n", dir);
        return 0;
    }
    if (do_kill) return kill_server(dir);
    if (stats) return print_stats(dir);

    /* Detach, but let the parent return only once clients can connect. */
    if (!foreground)
    {
        pid_t pid;
        char byte;

        if (pipe(ready) < 0) return 1;
        if ((pid = fork()) < 0) return 1;
        if (pid)
        {
            close(ready[1]);
            if (read(ready[0], &byte, 1) != 1) byte = 1;
            return byte;
        }
        close(ready[0]);
        setsid();
        fcntl(ready[1], F_SETFD, FD_CLOEXEC);
    }

    if ((lock_fd = take_lock(dir)) < 0)
    {
        /* Another server has the prefix: nothing to do. */
        DEBUG("a server already runs for %s\n", prefix);
        if (ready[1] >= 0)
        {
            char ok = 0;
            if (write(ready[1], &ok, 1) < 0) return 0;
        }
        return 0;
    }
    raise_fd_limit();
    snprintf(sock_path, sizeof(sock_path), "%s/%s", dir, WS2_SOCKET_NAME);
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, NULL);
    /* The shared state region exists before any client can ask for it. */
    if (shared_init() < 0 || loop_init() < 0 || clients_listen(sock_path) < 0)
    {
        fprintf(stderr, "ws2server: cannot listen on %s: %s\n", sock_path, strerror(errno));
        if (ready[1] >= 0)
        {
            char fail = 1;
            if (write(ready[1], &fail, 1) < 0) return 1;
        }
        return 1;
    }
    write_pid(dir);
    DEBUG("serving %s on %s\n", prefix, sock_path);
    if (ready[1] >= 0)
    {
        char ok = 0;
        if (write(ready[1], &ok, 1) < 0) return 1;
        close(ready[1]);
        if (!debug_level)
        {
            int null = open("/dev/null", O_RDWR);
            if (null >= 0)
            {
                dup2(null, 0);
                dup2(null, 1);
                close(null);
            }
        }
    }
    loop_run(persistent ? -1 : IDLE_EXIT_MS);
    unlink(sock_path);
    remove_pid(dir);
    /* After the unlink: a client that hears the end does not find this
     * server's socket any more.  The lock goes with the process. */
    clients_close();
    DEBUG("exiting\n");
    return 0;
}
