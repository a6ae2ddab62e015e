/*
 * Client connections and client processes.
 *
 * Each thread of a Wine process that uses Winsock has its own connection, so
 * a thread waiting in a lingering closesocket never holds up another.  The
 * connections of one Unix process (SO_PEERCRED) share one handle table.  A
 * process's handles are released when its pidfd says it has exited, not when
 * one of its connections closes.
 *
 * A connection has at most one request in progress.  A reply that cannot be
 * given at once is a struct deferred_reply (see reply.h), which the
 * connection only points to: the code completing it owns it.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include "ws.h"
#include "ws2proto.h"
#include "list.h"
#include "log.h"
#include "loop.h"
#include "handles.h"
#include "client.h"
#include "shared.h"
#include "reply.h"
#include "protocol.h"
#include "requests.h"
#include "duplicate.h"

struct deferred_reply
{
    struct ws2_client *client; /* NULL once the connection went away */
};

/* A connection must say HELLO within this time: one that never does would
 * otherwise hold a file descriptor for good. */
#define HELLO_DEADLINE_MS 5000
/* After running out of file descriptors, how long the listener rests. */
#define ACCEPT_PAUSE_MS 100

static struct list processes = { &processes, &processes };
/* Every connection: otherwise only the epoll set would know them. */
static struct list connections = { &connections, &connections };
/* Connections yet to say HELLO, oldest first (their deadlines in order). */
static struct list waiting_hello = { &waiting_hello, &waiting_hello };
/* Connections closed during the loop's turn: their memory goes after it
 * (clients_reap), since a later event of the same turn may name them. */
static struct list closed_clients = { &closed_clients, &closed_clients };
/* A spare descriptor, given up to accept and close a connection when the
 * limit is reached, so that its client hears at once that it is not served. */
static int spare_fd = -1;
static uint64_t accept_paused_until; /* 0: the listener is watched */
static unsigned int nprocesses;
static uint32_t process_serials;
static struct watcher listener;

unsigned int process_count(void)
{
    return nprocesses;
}

void process_release_all(struct ws2_process *p)
{
    uint32_t h;

    for (h = 1; h <= p->handles.size; h++) handle_close(p, h, NULL);
}

static void process_free(struct ws2_process *p)
{
    DEBUG("process %d (win %u) gone\n", p->pid, p->win_pid);
    process_release_all(p);
    dup_process_gone(p);
    shared_process_gone(p->serial);
    handles_free(&p->handles);
    if (p->pidfd.fd >= 0)
    {
        loop_del(&p->pidfd);
        close(p->pidfd.fd);
    }
    list_remove(&p->entry);
    nprocesses--;
    free(p);
}

static void process_exited(struct watcher *w, uint32_t events)
{
    struct ws2_process *p = LIST_ENTRY(w, struct ws2_process, pidfd);

    (void)events;
    /* Its sockets go now, and the duplicates it never claimed; the struct
     * stays while connections drain. */
    process_release_all(p);
    dup_process_gone(p);
    shared_process_gone(p->serial); /* the slots it reserved and never used */
    loop_del(&p->pidfd);
    close(p->pidfd.fd);
    p->pidfd.fd = -1;
    p->exited = 1;
    if (!p->connections) process_free(p);
}

/*
 * The process of a new connection, by the Unix pid the kernel gives for
 * it.  Without a pidfd (pidfd_open fails when fds run out, or for a client
 * in a pid namespace the server cannot see into) the process is still
 * found by pid while one of its connections is open; a pid of 0 (not
 * visible from here) is told apart by its Windows pid, which the
 * wineserver of the prefix keeps unique among live processes.
 */
static struct ws2_process *process_get(pid_t pid, uint32_t win_pid)
{
    struct list *e;
    struct ws2_process *p;

    for (e = processes.next; e != &processes; e = e->next)
    {
        p = LIST_ENTRY(e, struct ws2_process, entry);
        if (p->pid == pid && !p->exited && (pid || p->win_pid == win_pid)) return p;
    }
    if (!(p = calloc(1, sizeof(*p)))) return NULL;
    if (!++process_serials) process_serials++;
    p->serial = process_serials;
    p->pid = pid;
    p->win_pid = win_pid;
    handles_init(&p->handles);
    p->pidfd.cb = process_exited;
    p->pidfd.fd = pid > 0 ? syscall(SYS_pidfd_open, pid, 0) : -1;
    if (p->pidfd.fd >= 0 && loop_add(&p->pidfd, EPOLLIN) < 0)
    {
        close(p->pidfd.fd);
        p->pidfd.fd = -1;
    }
    list_add_tail(&processes, &p->entry);
    nprocesses++;
    return p;
}

struct deferred_reply *reply_defer(struct ws2_client *c)
{
    struct deferred_reply *d;

    if (c->deferred || !(d = malloc(sizeof(*d)))) return NULL;
    d->client = c;
    c->deferred = d;
    return d;
}

void deferred_complete(struct deferred_reply *d, struct reply *rep)
{
    if (d->client)
    {
        /* A deferred reply names no socket any more (a closed one, a lookup). */
        memset(&rep->u.hdr.sock, 0, sizeof(rep->u.hdr.sock));
        d->client->deferred = NULL;
        reply_send(d->client, rep);
    }
    free(d);
}

void reply_init(struct reply *rep)
{
    /* Every byte a reply carries is one we wrote: handlers fill fields, not
     * padding, and a client must never see what the stack held before. */
    memset(rep, 0, sizeof(*rep));
    rep->size = sizeof(rep->u.hdr);
    rep->fd = -1;
}

void deferred_complete_status(struct deferred_reply *d, uint32_t status)
{
    struct reply rep;

    reply_init(&rep);
    rep.u.hdr.status = status;
    deferred_complete(d, &rep);
}

void client_free(struct ws2_client *c)
{
    struct ws2_process *p = c->process;

    /* Its deferred reply stays with whoever completes it, unaddressed. */
    if (c->deferred) c->deferred->client = NULL;
    if (p && p->subscriber == c) p->subscriber = NULL;
    if (!c->hello_done) list_remove(&c->waiting);
    list_remove(&c->entry);
    loop_del(&c->w);
    close(c->w.fd);
    c->w.fd = -1;
    c->process = NULL;
    list_add_tail(&closed_clients, &c->entry);
    /* Without a pidfd the last connection is the only sign of exit. */
    if (p && !--p->connections && p->pidfd.fd < 0) process_free(p);
}

void reply_send(struct ws2_client *c, struct reply *rep)
{
    struct iovec iov = { rep->u.bytes, rep->size };
    struct msghdr msg;
    char control[CMSG_SPACE(sizeof(int))];

    memset(&msg, 0, sizeof(msg));
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    rep->u.hdr.size = rep->size;
    if (rep->fd >= 0)
    {
        struct cmsghdr *cm;

        memset(control, 0, sizeof(control));
        msg.msg_control = control;
        msg.msg_controllen = sizeof(control);
        cm = CMSG_FIRSTHDR(&msg);
        cm->cmsg_level = SOL_SOCKET;
        cm->cmsg_type = SCM_RIGHTS;
        cm->cmsg_len = CMSG_LEN(sizeof(int));
        /* Wine's ws2def.h redefines CMSG_DATA; glibc puts the data right after the header. */
        memcpy((unsigned char *)(cm + 1), &rep->fd, sizeof(int));
    }
    /* A client that cannot take its reply at once has broken the protocol
     * (one request at a time); it loses the reply, the server goes on. */
    if (sendmsg(c->w.fd, &msg, MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
        DEBUG("reply to fd %d lost: %s\n", c->w.fd, strerror(errno));
}

void process_note(uint32_t serial, uint32_t kind, uint32_t id)
{
    struct reply rep;
    struct ws2_note *note = (struct ws2_note *)rep.u.bytes;
    struct list *e;

    for (e = processes.next; e != &processes; e = e->next)
    {
        struct ws2_process *p = LIST_ENTRY(e, struct ws2_process, entry);

        if (p->serial != serial || !p->subscriber) continue;
        reply_init(&rep);
        note->hdr.status = kind;
        note->id = id;
        rep.size = sizeof(*note);
        reply_send(p->subscriber, &rep);
        return;
    }
}

/* Messages taken from a connection with one system call. */
#define BATCH 8

struct message
{
    uint8_t buf[WS2_MAX_MESSAGE + 1];
    union
    {
        struct cmsghdr align;
        char bytes[CMSG_SPACE(sizeof(int))];
    } control;
};

/* The fd a message carries (SCM_RIGHTS, closed on exec), or -1. */
static int message_fd(struct msghdr *msg)
{
    struct cmsghdr *cm = CMSG_FIRSTHDR(msg);
    int fd = -1;

    /* Room for one fd only: the kernel closes any more (MSG_CTRUNC).  Wine's
     * ws2def.h redefines CMSG_DATA; glibc puts the data right after the header. */
    if (cm && cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS && cm->cmsg_len == CMSG_LEN(sizeof(int)))
        memcpy(&fd, (unsigned char *)(cm + 1), sizeof(int));
    return fd;
}

/* Handle one message (with the fd it carried, which is closed unless a
 * handler took it); -1 when the connection is gone. */
static int client_message(struct ws2_client *c, const uint8_t *buf, size_t len, int truncated, int fd)
{
    struct reply rep;
    struct ws2_req_header hdr;

    /* A request while one is still being answered breaks the protocol too. */
    if (truncated || protocol_check_request(buf, len) < 0 || c->deferred)
    {
        DEBUG("fd %d: malformed request, dropping the connection\n", c->w.fd);
        if (fd >= 0) close(fd);
        client_free(c);
        return -1;
    }
    memcpy(&hdr, buf, sizeof(hdr));
    c->passed_fd = fd;
    reply_init(&rep);
    rep.u.hdr.status = request_dispatch(c, buf, len, &rep);
    if (c->passed_fd >= 0) close(c->passed_fd);
    c->passed_fd = -1;
    if (!c->hello_done)
    {
        /* The first message must be a HELLO that the handler accepted. */
        client_free(c);
        return -1;
    }
    if (!c->deferred && !(hdr.flags & WS2_REQ_ONEWAY)) reply_send(c, &rep);
    if (rep.fd >= 0 && rep.fd_owned) close(rep.fd);
    return 0;
}

/*
 * Everything queued on the connection is taken at once (one-way messages
 * may be followed by more, with no reply in between), in one recvmmsg for
 * up to BATCH messages: a request another thread of the process sends
 * after them, on its own connection, comes later in the loop's order and
 * finds them done.
 */
static void client_readable(struct watcher *w, uint32_t events)
{
    struct ws2_client *c = (struct ws2_client *)w;
    struct message *m;
    struct mmsghdr msgs[BATCH];
    struct iovec iov[BATCH];
    int i, n, gone = 0;

    if (w->fd < 0) return; /* closed earlier in this turn */
    m = malloc(BATCH * sizeof(*m));
    if (events & (EPOLLHUP | EPOLLERR) && !(events & EPOLLIN))
    {
        free(m);
        client_free(c);
        return;
    }
    if (!m) return; /* the loop comes back */
    do
    {
        memset(msgs, 0, sizeof(msgs));
        for (i = 0; i < BATCH; i++)
        {
            iov[i].iov_base = m[i].buf;
            iov[i].iov_len = sizeof(m[i].buf);
            msgs[i].msg_hdr.msg_iov = &iov[i];
            msgs[i].msg_hdr.msg_iovlen = 1;
            msgs[i].msg_hdr.msg_control = m[i].control.bytes;
            msgs[i].msg_hdr.msg_controllen = sizeof(m[i].control.bytes);
        }
        n = recvmmsg(w->fd, msgs, BATCH, MSG_DONTWAIT | MSG_CMSG_CLOEXEC, NULL);
        if (n < 0 && (errno == EAGAIN || errno == EINTR)) break;
        if (n <= 0)
        {
            client_free(c);
            break;
        }
        for (i = 0; i < n; i++)
        {
            int fd = message_fd(&msgs[i].msg_hdr);

            if (gone) /* the rest of a batch cut short */
            {
                if (fd >= 0) close(fd);
                continue;
            }
            if (!msgs[i].msg_len)
            {
                if (fd >= 0) close(fd);
                client_free(c);
                gone = 1;
                continue;
            }
            if (client_message(c, m[i].buf, msgs[i].msg_len, !!(msgs[i].msg_hdr.msg_flags & (MSG_TRUNC | MSG_CTRUNC)),
                               fd) < 0)
                gone = 1;
        }
    } while (n == BATCH && !gone);
    free(m);
}

/* Whether `p` has exited, as its pidfd says now (its event may be waiting
 * in the loop's queue); then it is treated as gone at once. */
static int process_exited_now(struct ws2_process *p)
{
    struct pollfd pfd = { p->pidfd.fd, POLLIN, 0 };

    if (p->pidfd.fd < 0 || poll(&pfd, 1, 0) != 1) return 0;
    process_exited(&p->pidfd, EPOLLIN);
    return 1;
}

int client_hello(struct ws2_client *c, uint32_t win_pid)
{
    struct ucred cred;
    socklen_t len = sizeof(cred);
    struct ws2_process *p, *holder;
    int status;

    if (c->hello_done) return WSAEINVAL;
    if (getsockopt(c->w.fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0) return WSAEACCES;
    if (!(p = process_get(cred.pid, win_pid))) return WSAENOBUFS;
    /*
     * A Windows pid names one live process: offers to it are claimed by the
     * process that said it first (a process keeps its pid on every thread's
     * connection).  Windows reuses pids, so an exited holder gives way.
     */
    if (p->win_pid && win_pid != p->win_pid) status = WSAEINVAL;
    else if ((holder = dup_process_of(win_pid)) && holder->pid != p->pid && !process_exited_now(holder))
        status = WSAEACCES;
    else
    {
        p->win_pid = win_pid;
        status = dup_process_hello(p);
    }
    if (status)
    {
        /* Without a pidfd nothing else would free a process left with no connection. */
        if (!p->connections && p->pidfd.fd < 0) process_free(p);
        return status;
    }
    c->process = p;
    p->connections++;
    c->hello_done = 1;
    list_remove(&c->waiting);
    return 0;
}

struct ws2_client *client_create(int fd)
{
    struct ws2_client *c = calloc(1, sizeof(*c));

    if (!c) return NULL;
    c->w.fd = fd;
    c->w.cb = client_readable;
    c->passed_fd = -1;
    if (loop_add(&c->w, EPOLLIN) < 0)
    {
        free(c);
        return NULL;
    }
    c->hello_due = now_ms() + HELLO_DEADLINE_MS;
    list_add_tail(&waiting_hello, &c->waiting);
    list_add_tail(&connections, &c->entry);
    return c;
}

void clients_close(void)
{
    while (!list_empty(&connections)) client_free(LIST_ENTRY(connections.next, struct ws2_client, entry));
}

static void open_spare(void)
{
    if (spare_fd < 0) spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
}

/*
 * Out of file descriptors: the pending connection cannot be served.  With
 * the spare one given up, accept it and close it at once (its client fails
 * with WSAENETDOWN instead of waiting); without, stop watching the
 * listener for a moment, which a level-triggered loop would otherwise spin
 * on.
 */
static void refuse_one(struct watcher *w)
{
    int fd;

    if (spare_fd >= 0)
    {
        close(spare_fd);
        spare_fd = -1;
        if ((fd = accept4(w->fd, NULL, NULL, SOCK_CLOEXEC)) >= 0) close(fd);
        open_spare();
    }
    if (spare_fd < 0 && !accept_paused_until)
    {
        loop_del(w);
        accept_paused_until = now_ms() + ACCEPT_PAUSE_MS;
    }
    server_log("out of file descriptors: a client was turned away\n");
}

static void listener_readable(struct watcher *w, uint32_t events)
{
    struct ucred cred;
    socklen_t len = sizeof(cred);
    int fd;

    (void)events;
    while ((fd = accept4(w->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0)
    {
        /* Only the user who owns the server may talk to it. */
        if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0 || cred.uid != getuid())
        {
            close(fd);
            continue;
        }
        if (!client_create(fd)) close(fd);
    }
    if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) refuse_one(w);
}

int client_timeout(void)
{
    uint64_t now = now_ms(), due = UINT64_MAX;

    if (accept_paused_until) due = accept_paused_until;
    if (!list_empty(&waiting_hello))
    {
        struct ws2_client *c = LIST_ENTRY(waiting_hello.next, struct ws2_client, waiting);
        if (c->hello_due < due) due = c->hello_due;
    }
    if (due == UINT64_MAX) return -1;
    return due <= now ? 0 : due - now > INT32_MAX ? INT32_MAX
                                                  : (int)(due - now);
}

void clients_reap(void)
{
    while (!list_empty(&closed_clients))
    {
        struct ws2_client *c = LIST_ENTRY(closed_clients.next, struct ws2_client, entry);

        list_remove(&c->entry);
        free(c);
    }
}

/*
 * A request named a handle granted for a SOCKET the server has not seen: a
 * thread of the process posted that SOCKET before another thread used the
 * new socket, but the loop took the second connection first (the order in
 * which epoll reports ready connections is not strictly the order they
 * became ready in).  The posting thread's message is queued already, so
 * the process's other connections are read now.  Not recursive; a
 * connection waiting for a deferred reply takes no request and is left.
 */
void process_catch_up(struct ws2_process *p, struct ws2_client *except)
{
    static int busy;
    struct list *e, *next;

    if (busy) return;
    busy = 1;
    for (e = connections.next; e != &connections; e = next)
    {
        struct ws2_client *c = LIST_ENTRY(e, struct ws2_client, entry);

        next = e->next;
        if (c != except && c->process == p && !c->deferred) client_readable(&c->w, EPOLLIN);
    }
    busy = 0;
}

void client_expire(void)
{
    uint64_t now = now_ms();

    while (!list_empty(&waiting_hello))
    {
        struct ws2_client *c = LIST_ENTRY(waiting_hello.next, struct ws2_client, waiting);

        if (c->hello_due > now) break;
        DEBUG("fd %d: no HELLO within %d ms, dropping the connection\n", c->w.fd, HELLO_DEADLINE_MS);
        client_free(c);
    }
    if (accept_paused_until && accept_paused_until <= now)
    {
        accept_paused_until = 0;
        open_spare();
        loop_add(&listener, EPOLLIN);
    }
}

int clients_listen(const char *path)
{
    struct sockaddr_un addr;
    int fd;

    if (strlen(path) >= sizeof(addr.sun_path)) return -1;
    memset(&addr, 0, sizeof(addr));
    addr.sun_family = AF_UNIX;
    strcpy(addr.sun_path, path);
    unlink(path);
    fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(fd, 128) < 0)
    {
        close(fd);
        return -1;
    }
    listener.fd = fd;
    listener.cb = listener_readable;
    open_spare();
    return loop_add(&listener, EPOLLIN);
}
