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
#include "reply.h"
#include "protocol.h"
#include "requests.h"
#include "duplicate.h"

struct deferred_reply
{
    struct ws2_client *client; /* NULL once the connection went away */
};

static struct list processes = { &processes, &processes };
static unsigned int nprocesses;
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
    loop_del(&p->pidfd);
    close(p->pidfd.fd);
    p->pidfd.fd = -1;
    if (!p->connections) process_free(p);
}

static struct ws2_process *process_get(pid_t pid)
{
    struct list *e;
    struct ws2_process *p;

    for (e = processes.next; e != &processes; e = e->next)
    {
        p = LIST_ENTRY(e, struct ws2_process, entry);
        if (p->pid == pid && p->pidfd.fd >= 0) return p;
    }
    if (!(p = calloc(1, sizeof(*p)))) return NULL;
    p->pid = pid;
    handles_init(&p->handles);
    p->pidfd.cb = process_exited;
    p->pidfd.fd = syscall(SYS_pidfd_open, pid, 0);
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

void deferred_complete_status(struct deferred_reply *d, uint32_t status)
{
    struct reply rep;

    rep.u.hdr.status = status;
    rep.size = sizeof(rep.u.hdr);
    rep.fd = -1;
    deferred_complete(d, &rep);
}

void client_free(struct ws2_client *c)
{
    struct ws2_process *p = c->process;

    /* Its deferred reply stays with whoever completes it, unaddressed. */
    if (c->deferred) c->deferred->client = NULL;
    if (p && p->subscriber == c) p->subscriber = NULL;
    loop_del(&c->w);
    close(c->w.fd);
    free(c);
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

void process_note(pid_t pid, uint32_t kind, uint32_t id)
{
    struct reply rep;
    struct ws2_note *note = (struct ws2_note *)rep.u.bytes;
    struct list *e;

    for (e = processes.next; e != &processes; e = e->next)
    {
        struct ws2_process *p = LIST_ENTRY(e, struct ws2_process, entry);

        if (p->pid != pid || !p->subscriber) continue;
        memset(&note->hdr, 0, sizeof(note->hdr));
        note->hdr.status = kind;
        note->id = id;
        rep.size = sizeof(*note);
        rep.fd = -1;
        reply_send(p->subscriber, &rep);
        return;
    }
}

static void client_readable(struct watcher *w, uint32_t events)
{
    struct ws2_client *c = (struct ws2_client *)w;
    uint8_t buf[WS2_MAX_MESSAGE + 1];
    struct reply rep;
    ssize_t len;

    if (events & (EPOLLHUP | EPOLLERR) && !(events & EPOLLIN))
    {
        client_free(c);
        return;
    }
    len = recv(w->fd, buf, sizeof(buf), MSG_DONTWAIT | MSG_TRUNC);
    if (len < 0 && (errno == EAGAIN || errno == EINTR)) return;
    /* A request while one is still being answered breaks the protocol too. */
    if (len <= 0 || protocol_check_request(buf, len) < 0 || c->deferred)
    {
        if (len > 0) DEBUG("fd %d: malformed request, dropping the connection\n", w->fd);
        client_free(c);
        return;
    }
    rep.fd = -1;
    rep.size = sizeof(rep.u.hdr);
    rep.u.hdr.status = request_dispatch(c, buf, len, &rep);
    if (!c->hello_done)
    {
        /* The first message must be a HELLO that the handler accepted. */
        client_free(c);
        return;
    }
    if (!c->deferred) reply_send(c, &rep);
    if (rep.fd >= 0) close(rep.fd);
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
    if (!(p = process_get(cred.pid))) return WSAENOBUFS;
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
    return 0;
}

struct ws2_client *client_create(int fd)
{
    struct ws2_client *c = calloc(1, sizeof(*c));

    if (!c) return NULL;
    c->w.fd = fd;
    c->w.cb = client_readable;
    if (loop_add(&c->w, EPOLLIN) < 0)
    {
        free(c);
        return NULL;
    }
    return c;
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
    return loop_add(&listener, EPOLLIN);
}
