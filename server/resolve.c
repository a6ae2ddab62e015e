/*
 * Name resolution: getaddrinfo and getnameinfo with the system resolver.
 *
 * A lookup can take seconds (DNS), and the event loop must never wait, so
 * each request is handed to a worker thread.  The worker fills the reply and
 * puts the job on a done list; an eventfd wakes the loop, which sends the
 * deferred reply to the client (if it is still there).  Only the worker
 * touches the job until it is on the done list, and only the loop after.
 */
#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <netinet/in.h>
#include "server.h"

#define MAX_WORKERS 32

struct job
{
    struct list entry;          /* in pending (loop) or done (shared) */
    struct ws2_client *client;  /* NULL once the client went away */
    uint32_t op;
    union
    {
        struct ws2_getaddrinfo_request ai;
        struct ws2_getnameinfo_request ni;
    } req;
    struct reply rep;
};

static pthread_mutex_t done_lock = PTHREAD_MUTEX_INITIALIZER;
static struct list done_jobs = { &done_jobs, &done_jobs };
static struct watcher done_watcher = { -1, NULL };
static unsigned int workers;

/* Linux EAI_* -> Windows' error codes (WSAHOST_NOT_FOUND...). */
static int eai_to_wsa(int eai)
{
    switch (eai)
    {
    case 0:              return 0;
    case EAI_AGAIN:      return WSATRY_AGAIN;
    case EAI_BADFLAGS:   return WSAEINVAL;
    case EAI_FAIL:       return WSANO_RECOVERY;
    case EAI_FAMILY:     return WSAEAFNOSUPPORT;
    case EAI_MEMORY:     return WSA_NOT_ENOUGH_MEMORY;
    case EAI_NONAME:     return WSAHOST_NOT_FOUND;
    case EAI_SERVICE:    return WSATYPE_NOT_FOUND;
    case EAI_SOCKTYPE:   return WSAESOCKTNOSUPPORT;
#ifdef EAI_NODATA
    case EAI_NODATA:     return WSANO_DATA;
#endif
#ifdef EAI_ADDRFAMILY
    case EAI_ADDRFAMILY: return WSANO_DATA;
#endif
    case EAI_OVERFLOW:   return WSAENOBUFS;
    case EAI_SYSTEM:     return errno_to_wsa(errno);
    default:             return WSANO_RECOVERY;
    }
}

/* Windows' AI_* flags that Linux numbers differently. */
static const struct { int ws, lx; } ai_flags[] =
{
    { WS_AI_PASSIVE, AI_PASSIVE }, { WS_AI_CANONNAME, AI_CANONNAME }, { WS_AI_NUMERICHOST, AI_NUMERICHOST },
    { WS_AI_NUMERICSERV, AI_NUMERICSERV }, { WS_AI_ALL, AI_ALL }, { WS_AI_ADDRCONFIG, AI_ADDRCONFIG },
    { WS_AI_V4MAPPED, AI_V4MAPPED },
};

static int map_ai_flags(int flags, int *out)
{
    unsigned int i;

    *out = 0;
    for (i = 0; i < sizeof(ai_flags) / sizeof(ai_flags[0]); i++)
        if (flags & ai_flags[i].ws)
        {
            *out |= ai_flags[i].lx;
            flags &= ~ai_flags[i].ws;
        }
    return flags ? -1 : 0;  /* flags we do not know */
}

/* NI_* flags: Windows and Linux number them differently. */
static const struct { int ws, lx; } ni_flags[] =
{
    { WS_NI_NOFQDN, NI_NOFQDN }, { WS_NI_NUMERICHOST, NI_NUMERICHOST }, { WS_NI_NAMEREQD, NI_NAMEREQD },
    { WS_NI_NUMERICSERV, NI_NUMERICSERV }, { WS_NI_DGRAM, NI_DGRAM },
};

static int map_ni_flags(int flags, int *out)
{
    unsigned int i;

    *out = 0;
    for (i = 0; i < sizeof(ni_flags) / sizeof(ni_flags[0]); i++)
        if (flags & ni_flags[i].ws)
        {
            *out |= ni_flags[i].lx;
            flags &= ~ni_flags[i].ws;
        }
    return flags ? -1 : 0;
}

static void do_getaddrinfo(struct job *job)
{
    const struct ws2_getaddrinfo_request *req = &job->req.ai;
    struct ws2_getaddrinfo_reply *rep = (struct ws2_getaddrinfo_reply *)job->rep.u.bytes;
    struct addrinfo hints, *res = NULL, *ai;
    const char *node = (req->present & WS2_RESOLVE_NODE) ? req->node : NULL;
    const char *service = (req->present & WS2_RESOLVE_SERVICE) ? req->service : NULL;
    int ret, any_type;

    memset(rep, 0, offsetof(struct ws2_getaddrinfo_reply, entries));
    job->rep.size = offsetof(struct ws2_getaddrinfo_reply, entries);
    memset(&hints, 0, sizeof(hints));
    if (req->present & WS2_RESOLVE_HINTS)
    {
        if (map_ai_flags(req->flags, &hints.ai_flags) < 0) { rep->hdr.status = WSAEINVAL; return; }
        if (req->family && (hints.ai_family = family_to_linux(req->family)) < 0)
        {
            rep->hdr.status = WSAEAFNOSUPPORT;
            return;
        }
        hints.ai_socktype = req->socktype;
        hints.ai_protocol = req->protocol;
        if (req->socktype && req->socktype != WS_SOCK_STREAM && req->socktype != WS_SOCK_DGRAM &&
            req->socktype != WS_SOCK_RAW)
        {
            rep->hdr.status = WSAESOCKTNOSUPPORT;
            return;
        }
    }
    /* Windows: nothing to look up is "host not found". */
    if (!node && !service) { rep->hdr.status = WSAHOST_NOT_FOUND; return; }
    /* Windows answers one entry per address when no type was asked for,
     * where glibc lists every socket type. */
    any_type = !hints.ai_socktype && !hints.ai_protocol;
    if (any_type) hints.ai_socktype = SOCK_STREAM;
    /* "" is the local machine on Windows. */
    ret = getaddrinfo(node && *node ? node : (node ? "localhost" : NULL), service, &hints, &res);
    if ((rep->hdr.status = eai_to_wsa(ret))) return;
    for (ai = res; ai && rep->count < WS2_MAX_ADDRINFO; ai = ai->ai_next)
    {
        struct ws2_addrinfo_entry *e = &rep->entries[rep->count];

        if (addr_from_linux(ai->ai_addr, ai->ai_addrlen, e->addr, &e->addrlen)) continue;
        e->family = ai->ai_family == AF_INET6 ? WS_AF_INET6 : WS_AF_INET;
        /* Windows echoes the hints' type and protocol (0 stays 0). */
        e->socktype = (req->present & WS2_RESOLVE_HINTS) ? req->socktype : 0;
        e->protocol = (req->present & WS2_RESOLVE_HINTS) ? req->protocol : 0;
        if (!rep->count && ai->ai_canonname)
            snprintf(rep->canonname, sizeof(rep->canonname), "%s", ai->ai_canonname);
        rep->count++;
    }
    freeaddrinfo(res);
    job->rep.size = offsetof(struct ws2_getaddrinfo_reply, entries) + rep->count * sizeof(rep->entries[0]);
}

static void do_getnameinfo(struct job *job)
{
    const struct ws2_getnameinfo_request *req = &job->req.ni;
    struct ws2_getnameinfo_reply *rep = (struct ws2_getnameinfo_reply *)job->rep.u.bytes;
    struct sockaddr_storage sa;
    socklen_t salen;
    uint16_t family;
    int ret, flags;

    memset(rep, 0, sizeof(*rep));
    job->rep.size = sizeof(*rep);
    if (req->addrlen < sizeof(family)) { rep->hdr.status = WSAEFAULT; return; }
    memcpy(&family, req->addr, sizeof(family));
    if ((rep->hdr.status = addr_to_linux(req->addr, req->addrlen, family, &sa, &salen))) return;
    if (map_ni_flags(req->flags, &flags) < 0) { rep->hdr.status = WSAEINVAL; return; }
    ret = getnameinfo((struct sockaddr *)&sa, salen, rep->host, sizeof(rep->host),
                      rep->service, sizeof(rep->service), flags);
    rep->hdr.status = eai_to_wsa(ret);
}

static void *worker(void *arg)
{
    struct job *job = arg;
    uint64_t one = 1;

    if (job->op == WS2_OP_GETADDRINFO) do_getaddrinfo(job);
    else do_getnameinfo(job);
    pthread_mutex_lock(&done_lock);
    list_add_tail(&done_jobs, &job->entry);
    pthread_mutex_unlock(&done_lock);
    if (write(done_watcher.fd, &one, sizeof(one)) < 0) DEBUG("resolver wake-up lost\n");
    return NULL;
}

static void jobs_done(struct watcher *w, uint32_t events)
{
    uint64_t n;

    (void)events;
    if (read(w->fd, &n, sizeof(n)) < 0 && errno != EAGAIN) return;
    for (;;)
    {
        struct job *job = NULL;

        pthread_mutex_lock(&done_lock);
        if (!list_empty(&done_jobs))
        {
            job = LIST_ENTRY(done_jobs.next, struct job, entry);
            list_remove(&job->entry);
        }
        pthread_mutex_unlock(&done_lock);
        if (!job) break;
        workers--;
        if (job->client)
        {
            job->client->waiting = 0;
            job->client->resolving = NULL;
            reply_send(job->client, &job->rep);
        }
        free(job);
    }
}

static int resolver_init(void)
{
    if (done_watcher.fd >= 0) return 0;
    if ((done_watcher.fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) < 0) return -1;
    done_watcher.cb = jobs_done;
    if (loop_add(&done_watcher, EPOLLIN) < 0)
    {
        close(done_watcher.fd);
        done_watcher.fd = -1;
        return -1;
    }
    return 0;
}

int resolve_start(struct ws2_client *c, uint32_t op, const void *req, size_t len)
{
    struct job *job;
    pthread_attr_t attr;
    pthread_t thread;

    if (workers >= MAX_WORKERS) return WSATRY_AGAIN;
    if (resolver_init() < 0 || !(job = calloc(1, sizeof(*job)))) return WSAENOBUFS;
    job->client = c;
    job->op = op;
    job->rep.fd = -1;
    memcpy(&job->req, req, len < sizeof(job->req) ? len : sizeof(job->req));
    /* Strings end where they must, whatever the client sent. */
    if (op == WS2_OP_GETADDRINFO)
    {
        job->req.ai.node[WS2_MAX_NAME - 1] = 0;
        job->req.ai.service[WS2_MAX_SERVICE - 1] = 0;
    }
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attr, 256 * 1024);
    if (pthread_create(&thread, &attr, worker, job))
    {
        pthread_attr_destroy(&attr);
        free(job);
        return WSAENOBUFS;
    }
    pthread_attr_destroy(&attr);
    /* The worker owns the job now; the loop only remembers whose it is. */
    workers++;
    c->waiting = 1;
    c->resolving = job;
    return 0;
}

void resolve_forget_client(struct ws2_client *c)
{
    /* The job is the worker's until it is done: mark it under the lock. */
    if (!c->resolving) return;
    pthread_mutex_lock(&done_lock);
    ((struct job *)c->resolving)->client = NULL;
    pthread_mutex_unlock(&done_lock);
    c->resolving = NULL;
}

unsigned int resolve_count(void)
{
    return workers;
}
