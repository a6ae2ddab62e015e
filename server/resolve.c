/*
 * Name resolution: getaddrinfo and getnameinfo with the system resolver,
 * gethostbyname/gethostbyaddr, the services database, and the list of the
 * machine's interface addresses (also the local host's addresses).
 *
 * A lookup can take seconds (DNS), and the event loop must never wait, so
 * each request is handed to a worker thread.  The worker fills the reply and
 * puts the job on a done list; an eventfd wakes the loop, which completes
 * the request's deferred reply (sent if the client is still there).  Only
 * the worker touches the job's request and reply until the job is on the
 * done list, and only the loop after; the deferred reply is the loop's.
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
#include <arpa/inet.h>
#include <net/if.h>
#include <ifaddrs.h>
#include <strings.h>
#include "ws.h"
#include "ws2proto.h"
#include "list.h"
#include "log.h"
#include "loop.h"
#include "addr.h"
#include "errors.h"
#include "reply.h"
#include "resolve.h"

#define MAX_WORKERS 32

struct job
{
    struct list entry;            /* in pending (loop) or done (shared) */
    struct deferred_reply *reply; /* the loop's only: the worker never looks */
    uint32_t op;
    union
    {
        struct ws2_getaddrinfo_request ai;
        struct ws2_getnameinfo_request ni;
        struct ws2_gethostbyname_request hn;
        struct ws2_gethostbyaddr_request ha;
        struct ws2_getserv_request sv;
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
    case 0: return 0;
    case EAI_AGAIN: return WSATRY_AGAIN;
    case EAI_BADFLAGS: return WSAEINVAL;
    case EAI_FAIL: return WSANO_RECOVERY;
    case EAI_FAMILY: return WSAEAFNOSUPPORT;
    case EAI_MEMORY: return WSA_NOT_ENOUGH_MEMORY;
    case EAI_NONAME: return WSAHOST_NOT_FOUND;
    case EAI_SERVICE: return WSATYPE_NOT_FOUND;
    case EAI_SOCKTYPE: return WSAESOCKTNOSUPPORT;
#ifdef EAI_NODATA
    case EAI_NODATA: return WSANO_DATA;
#endif
#ifdef EAI_ADDRFAMILY
    case EAI_ADDRFAMILY: return WSANO_DATA;
#endif
    case EAI_OVERFLOW: return WSAENOBUFS;
    case EAI_SYSTEM: return errno_to_wsa(errno);
    default: return WSANO_RECOVERY;
    }
}

/* Windows' AI_* flags that Linux numbers differently. */
static const struct
{
    int ws, lx;
} ai_flags[] = {
    { WS_AI_PASSIVE, AI_PASSIVE },
    { WS_AI_CANONNAME, AI_CANONNAME },
    { WS_AI_NUMERICHOST, AI_NUMERICHOST },
    { WS_AI_NUMERICSERV, AI_NUMERICSERV },
    { WS_AI_ALL, AI_ALL },
    { WS_AI_ADDRCONFIG, AI_ADDRCONFIG },
    { WS_AI_V4MAPPED, AI_V4MAPPED },
    { WS_AI_DNS_ONLY, 0 }, /* the system resolver is the only source anyway */
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
    return flags ? -1 : 0; /* flags we do not know */
}

/* NI_* flags: Windows and Linux number them differently. */
static const struct
{
    int ws, lx;
} ni_flags[] = {
    { WS_NI_NOFQDN, NI_NOFQDN },
    { WS_NI_NUMERICHOST, NI_NUMERICHOST },
    { WS_NI_NAMEREQD, NI_NAMEREQD },
    { WS_NI_NUMERICSERV, NI_NUMERICSERV },
    { WS_NI_DGRAM, NI_DGRAM },
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

/*
 * Windows takes an IPv6 literal in brackets, as in a URL ("[::1]", also
 * "[::1]:8080", whose port it ignores): the address inside into `out`; 0 if
 * `node` is not of that form.
 */
static int ipv6_in_brackets(const char *node, char *out, size_t size)
{
    const char *end = strchr(node, ']');
    char plain[INET6_ADDRSTRLEN];
    struct in6_addr a;
    size_t len, n;

    if (node[0] != '[' || !end || (end[1] && end[1] != ':')) return 0;
    len = end - node - 1;
    if (len >= size) return 0;
    memcpy(out, node + 1, len);
    out[len] = 0;
    /* Only an address is taken; a scope (%eth0) stays for getaddrinfo to read. */
    if ((n = strcspn(out, "%")) >= sizeof(plain)) return 0;
    memcpy(plain, out, n);
    plain[n] = 0;
    return inet_pton(AF_INET6, plain, &a) == 1;
}

static void do_getaddrinfo(struct job *job)
{
    const struct ws2_getaddrinfo_request *req = &job->req.ai;
    struct ws2_getaddrinfo_reply *rep = (struct ws2_getaddrinfo_reply *)job->rep.u.bytes;
    struct addrinfo hints, *res = NULL, *ai;
    const char *node = (req->present & WS2_RESOLVE_NODE) ? req->node : NULL;
    const char *service = (req->present & WS2_RESOLVE_SERVICE) ? req->service : NULL;
    char literal[INET6_ADDRSTRLEN + IF_NAMESIZE + 1];
    int ret;

    memset(rep, 0, offsetof(struct ws2_getaddrinfo_reply, entries));
    job->rep.size = offsetof(struct ws2_getaddrinfo_reply, entries);
    memset(&hints, 0, sizeof(hints));
    if (req->present & WS2_RESOLVE_HINTS)
    {
        if (map_ai_flags(req->flags, &hints.ai_flags) < 0)
        {
            rep->hdr.status = WSAEINVAL;
            return;
        }
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
    if (!node && !service)
    {
        rep->hdr.status = WSAHOST_NOT_FOUND;
        return;
    }
    /* Windows does not match the protocol against the type (it echoes both,
     * SOCK_STREAM with IPPROTO_UDP too), where glibc refuses a mismatch: glibc
     * gets a type only, the hints' or the one the protocol implies.  With
     * neither, Windows answers one entry per address, where glibc lists
     * every socket type: SOCK_STREAM stands for any. */
    hints.ai_protocol = 0;
    if (!hints.ai_socktype) hints.ai_socktype = req->protocol == IPPROTO_UDP ? SOCK_DGRAM : SOCK_STREAM;
    if (node && ipv6_in_brackets(node, literal, sizeof(literal)))
    {
        node = literal;
        hints.ai_flags |= AI_NUMERICHOST;
    }
    /* "" is the local machine on Windows. */
    ret = getaddrinfo(node && *node ? node : (node ? "localhost" : NULL), service, &hints, &res);
#ifdef EAI_ADDRFAMILY
    /* A numeric address of the other family: Windows finds no such host. */
    if (ret == EAI_ADDRFAMILY && (hints.ai_flags & AI_NUMERICHOST)) ret = EAI_NONAME;
#endif
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

/*
 * getnameinfo as Windows answers it: only the parts the caller has buffers
 * for are looked up (no reverse lookup for a caller that wants the port
 * only).  Without NI_NAMEREQD a host with no name, or a resolver that cannot
 * be reached, gives the numeric form (glibc reports EAI_AGAIN there).
 */
static void do_getnameinfo(struct job *job)
{
    const struct ws2_getnameinfo_request *req = &job->req.ni;
    struct ws2_getnameinfo_reply *rep = (struct ws2_getnameinfo_reply *)job->rep.u.bytes;
    struct sockaddr_storage sa;
    socklen_t salen;
    uint16_t family;
    int ret = 0, flags;

    memset(rep, 0, sizeof(*rep));
    job->rep.size = sizeof(*rep);
    if (req->addrlen < sizeof(family))
    {
        rep->hdr.status = WSAEFAULT;
        return;
    }
    memcpy(&family, req->addr, sizeof(family));
    if ((rep->hdr.status = addr_to_linux(req->addr, req->addrlen, family, &sa, &salen))) return;
    if (map_ni_flags(req->flags, &flags) < 0)
    {
        rep->hdr.status = WSAEINVAL;
        return;
    }
    if (req->want & WS2_NAMEINFO_SERVICE)
        ret = getnameinfo((struct sockaddr *)&sa, salen, NULL, 0, rep->service, sizeof(rep->service), flags);
    if (!ret && (req->want & WS2_NAMEINFO_HOST))
    {
        ret = getnameinfo((struct sockaddr *)&sa, salen, rep->host, sizeof(rep->host), NULL, 0,
                          flags | (flags & NI_NUMERICHOST ? 0 : NI_NAMEREQD));
        if (ret && ret != EAI_OVERFLOW && ret != EAI_MEMORY && !(flags & NI_NAMEREQD))
            ret = getnameinfo((struct sockaddr *)&sa, salen, rep->host, sizeof(rep->host), NULL, 0,
                              flags | NI_NUMERICHOST);
    }
    rep->hdr.status = eai_to_wsa(ret);
}

/* The machine's interface addresses (IPv4 and IPv6) into *rep. */
static void do_interfaces(struct ws2_interfaces_reply *rep)
{
    struct ifaddrs *list, *ifa;

    memset(rep, 0, sizeof(*rep));
    if (getifaddrs(&list) < 0)
    {
        rep->hdr.status = errno_to_wsa(errno);
        return;
    }
    for (ifa = list; ifa && rep->count < WS2_MAX_INTERFACES; ifa = ifa->ifa_next)
    {
        struct ws2_interface *e = &rep->entries[rep->count];

        /* A slot that an entry of another family (AF_PACKET) left is reused: start it afresh. */
        if (!ifa->ifa_addr) continue;
        memset(e, 0, sizeof(*e));
        if (ifa->ifa_flags & IFF_UP) e->flags |= WS2_IF_UP;
        if (ifa->ifa_flags & IFF_BROADCAST) e->flags |= WS2_IF_BROADCAST;
        if (ifa->ifa_flags & IFF_LOOPBACK) e->flags |= WS2_IF_LOOPBACK;
        if (ifa->ifa_flags & IFF_POINTOPOINT) e->flags |= WS2_IF_POINTTOPOINT;
        if (ifa->ifa_flags & IFF_MULTICAST) e->flags |= WS2_IF_MULTICAST;
        if (ifa->ifa_addr->sa_family == AF_INET)
        {
            e->family = WS_AF_INET;
            memcpy(e->addr, &((struct sockaddr_in *)ifa->ifa_addr)->sin_addr, 4);
            if (ifa->ifa_netmask)
                memcpy(e->netmask, &((struct sockaddr_in *)ifa->ifa_netmask)->sin_addr, 4);
            if (ifa->ifa_broadaddr && (ifa->ifa_flags & (IFF_BROADCAST | IFF_POINTOPOINT)))
                memcpy(e->broadcast, &((struct sockaddr_in *)ifa->ifa_broadaddr)->sin_addr, 4);
        }
        else if (ifa->ifa_addr->sa_family == AF_INET6)
        {
            e->family = WS_AF_INET6;
            memcpy(e->addr, &((struct sockaddr_in6 *)ifa->ifa_addr)->sin6_addr, 16);
            e->scope_id = ((struct sockaddr_in6 *)ifa->ifa_addr)->sin6_scope_id;
            if (ifa->ifa_netmask)
                memcpy(e->netmask, &((struct sockaddr_in6 *)ifa->ifa_netmask)->sin6_addr, 16);
        }
        else continue;
        rep->count++;
    }
    freeifaddrs(list);
}

/* The local host: its name, and the IPv4 addresses of its interfaces that
 * are up, loopback excluded (127.0.0.1 when there is none). */
static void local_host(struct ws2_hostent_reply *rep)
{
    struct ws2_interfaces_reply *ifs = malloc(sizeof(*ifs));
    uint32_t i;

    if (gethostname(rep->name, sizeof(rep->name) - 1) < 0) strcpy(rep->name, "localhost");
    if (ifs)
    {
        do_interfaces(ifs);
        for (i = 0; !ifs->hdr.status && i < ifs->count && rep->count < WS2_MAX_HOSTADDRS; i++)
        {
            const struct ws2_interface *e = &ifs->entries[i];

            if (e->family != WS_AF_INET || !(e->flags & WS2_IF_UP) || (e->flags & WS2_IF_LOOPBACK)) continue;
            memcpy(rep->addrs[rep->count++], e->addr, 4);
        }
        free(ifs);
    }
    if (!rep->count)
    {
        static const uint8_t loopback[4] = { 127, 0, 0, 1 };
        memcpy(rep->addrs[rep->count++], loopback, 4);
    }
}

static void do_gethostbyname(struct job *job)
{
    const char *name = job->req.hn.name;
    struct ws2_hostent_reply *rep = (struct ws2_hostent_reply *)job->rep.u.bytes;
    struct addrinfo hints, *res = NULL, *ai;
    char host[WS2_MAX_HOSTNAME];

    memset(rep, 0, sizeof(*rep));
    job->rep.size = sizeof(*rep);
    rep->family = WS_AF_INET;
    rep->addrlen = 4;
    if (gethostname(host, sizeof(host) - 1) < 0) host[0] = 0;
    host[sizeof(host) - 1] = 0;
    if (!*name || (*host && !strcasecmp(name, host)))
    {
        local_host(rep);
        return;
    }
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_CANONNAME;
    if ((rep->hdr.status = eai_to_wsa(getaddrinfo(name, NULL, &hints, &res)))) return;
    for (ai = res; ai && rep->count < WS2_MAX_HOSTADDRS; ai = ai->ai_next)
    {
        const struct in_addr *a = &((const struct sockaddr_in *)ai->ai_addr)->sin_addr;
        uint32_t i;

        if (ai->ai_family != AF_INET) continue;
        for (i = 0; i < rep->count; i++)
            if (!memcmp(rep->addrs[i], a, 4)) break;
        if (i == rep->count) memcpy(rep->addrs[rep->count++], a, 4);
    }
    snprintf(rep->name, sizeof(rep->name), "%s", res && res->ai_canonname ? res->ai_canonname : name);
    /* The name asked for is an alias when it led to another one. */
    if (strcasecmp(rep->name, name))
        snprintf(rep->aliases[rep->alias_count++], sizeof(rep->aliases[0]), "%s", name);
    freeaddrinfo(res);
    if (!rep->count) rep->hdr.status = WSANO_DATA;
}

static void do_gethostbyaddr(struct job *job)
{
    const struct ws2_gethostbyaddr_request *req = &job->req.ha;
    struct ws2_hostent_reply *rep = (struct ws2_hostent_reply *)job->rep.u.bytes;
    struct sockaddr_storage ss;
    socklen_t len;

    memset(rep, 0, sizeof(*rep));
    job->rep.size = sizeof(*rep);
    memset(&ss, 0, sizeof(ss));
    if (req->family == WS_AF_INET && req->addrlen == 4)
    {
        struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

        sin->sin_family = AF_INET;
        memcpy(&sin->sin_addr, req->addr, 4);
        len = sizeof(*sin);
    }
    else if (req->family == WS_AF_INET6 && req->addrlen == 16)
    {
        struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

        sin6->sin6_family = AF_INET6;
        memcpy(&sin6->sin6_addr, req->addr, 16);
        len = sizeof(*sin6);
    }
    else
    {
        rep->hdr.status = WSAEAFNOSUPPORT;
        return;
    }
    rep->family = req->family;
    rep->addrlen = req->addrlen;
    rep->count = 1;
    memcpy(rep->addrs[0], req->addr, req->addrlen);
    rep->hdr.status = eai_to_wsa(getnameinfo((struct sockaddr *)&ss, len, rep->name, sizeof(rep->name),
                                             NULL, 0, NI_NAMEREQD));
}

static void do_getserv(struct job *job)
{
    const struct ws2_getserv_request *req = &job->req.sv;
    struct ws2_getserv_reply *rep = (struct ws2_getserv_reply *)job->rep.u.bytes;
    struct servent ent, *res = NULL;
    const char *proto = req->proto[0] ? req->proto : NULL;
    char buf[4096];
    int ret;

    memset(rep, 0, sizeof(*rep));
    job->rep.size = sizeof(*rep);
    if (req->port >= 0)
        ret = getservbyport_r(htons((uint16_t)req->port), proto, &ent, buf, sizeof(buf), &res);
    else
        ret = getservbyname_r(req->name, proto, &ent, buf, sizeof(buf), &res);
    if (ret || !res)
    {
        rep->hdr.status = WSANO_DATA;
        return;
    }
    rep->port = ntohs((uint16_t)res->s_port);
    snprintf(rep->name, sizeof(rep->name), "%s", res->s_name);
    snprintf(rep->proto, sizeof(rep->proto), "%s", res->s_proto);
    while (res->s_aliases && res->s_aliases[rep->alias_count] && rep->alias_count < WS2_MAX_SERVALIASES)
    {
        snprintf(rep->aliases[rep->alias_count], sizeof(rep->aliases[0]), "%s", res->s_aliases[rep->alias_count]);
        rep->alias_count++;
    }
}

static void *worker(void *arg)
{
    struct job *job = arg;
    uint64_t one = 1;

    switch (job->op)
    {
    case WS2_OP_GETADDRINFO: do_getaddrinfo(job); break;
    case WS2_OP_GETNAMEINFO: do_getnameinfo(job); break;
    case WS2_OP_GETHOSTBYNAME: do_gethostbyname(job); break;
    case WS2_OP_GETHOSTBYADDR: do_gethostbyaddr(job); break;
    case WS2_OP_GETSERV: do_getserv(job); break;
    default:
        do_interfaces((struct ws2_interfaces_reply *)job->rep.u.bytes);
        job->rep.size = sizeof(struct ws2_interfaces_reply);
        break;
    }
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
        /* NULL when the reply could not be deferred: the client had an error. */
        if (job->reply) deferred_complete(job->reply, &job->rep);
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
    job->op = op;
    job->rep.fd = -1;
    memcpy(&job->req, req, len < sizeof(job->req) ? len : sizeof(job->req));
    /* Strings end where they must, whatever the client sent. */
    if (op == WS2_OP_GETADDRINFO)
    {
        job->req.ai.node[WS2_MAX_NAME - 1] = 0;
        job->req.ai.service[WS2_MAX_SERVICE - 1] = 0;
    }
    else if (op == WS2_OP_GETHOSTBYNAME) job->req.hn.name[WS2_MAX_HOSTNAME - 1] = 0;
    else if (op == WS2_OP_GETSERV)
    {
        job->req.sv.name[WS2_MAX_SERVICE - 1] = 0;
        job->req.sv.proto[WS2_MAX_PROTONAME - 1] = 0;
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
    /* The worker owns the job now; the loop, running this, still holds
     * job->reply, which the worker never reads.  Without a deferred reply
     * the finished job is dropped and the client is told at once. */
    workers++;
    if (!(job->reply = reply_defer(c))) return WSAENOBUFS;
    return 0;
}

unsigned int resolve_count(void)
{
    return workers;
}
