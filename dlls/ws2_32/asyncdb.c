/*
 * The asynchronous database calls: WSAAsyncGetHostByName/ByAddr,
 * WSAAsyncGetServByName/ByPort, WSAAsyncGetProtoByName/ByNumber, and
 * WSACancelAsyncRequest.
 *
 * Each request copies its arguments, gets a task handle and runs in a
 * thread of its own, which makes the synchronous call (netdb.c,
 * protocols.c), packs that thread's result into the program's buffer in
 * Windows' layout (the structure first, everything it points to after it,
 * in the same buffer) and posts the message: wParam the task handle,
 * lParam WSAMAKEASYNCREPLY(length, error).  When the buffer is too small,
 * nothing is written and the message carries WSAENOBUFS with the length
 * needed.  A cancelled task posts nothing and does not touch the buffer:
 * the copy and the post happen under the lock that cancelling takes.
 */
#include <string.h>
#include "private.h"
#include "netdb.h"
#include "usermem.h"

enum task_kind
{
    HOST_NAME,
    HOST_ADDR,
    SERV_NAME,
    SERV_PORT,
    PROTO_NAME,
    PROTO_NUMBER
};

#define NAME_ROOM 1024 /* longer names fail in the lookup itself */

struct task
{
    struct task *next;
    HANDLE handle;
    int cancelled;
    enum task_kind kind;
    HWND hwnd;
    UINT msg;
    char *buf; /* the program's buffer */
    int buflen;
    int number; /* port (network order), protocol, address type */
    int addrlen;
    int has_proto;
    char addr[16];
    char name[NAME_ROOM + 1];
    char proto[NAME_ROOM + 1];
};

static SRWLOCK lock = SRWLOCK_INIT;
static struct task *pending;
static ULONG last_handle; /* handles are 1, 2, ... (never 0) */

/* Copy a string of the program's, at most NAME_ROOM bytes (then cut):
 * 0, or -1 when it cannot be read. */
static int copy_name(const char *src, char *dst)
{
    if (netdb_read_string(src, dst, NAME_ROOM + 1) == -1) return -1;
    dst[NAME_ROOM] = 0;
    return 0;
}

static size_t align_ptr(size_t n)
{
    return (n + sizeof(void *) - 1) & ~(sizeof(void *) - 1);
}

static size_t count_list(char **list)
{
    size_t n = 0;

    if (list)
        while (list[n]) n++;
    return n;
}

/* Bytes the strings of a list take, terminators included. */
static size_t strings_size(char **list, size_t n)
{
    size_t i, size = 0;

    for (i = 0; i < n; i++) size += strlen(list[i]) + 1;
    return size;
}

/*
 * Filling the copy of the program's buffer: `out` is our copy, `base` where
 * it goes in the program, `pos` the next free byte.  Every pointer stored
 * is the program's.
 */
struct packer
{
    char *out, *base;
    size_t pos;
};

static char *pack_bytes(struct packer *p, const void *data, size_t len)
{
    char *ret = p->base + p->pos;

    memcpy(p->out + p->pos, data, len);
    p->pos += len;
    return ret;
}

static char *pack_string(struct packer *p, const char *s)
{
    return pack_bytes(p, s, strlen(s) + 1);
}

/* Room for a NULL-terminated array of n pointers; our copy of it. */
static char **pack_array(struct packer *p, size_t n, char ***program_ptr)
{
    char **local = (char **)(p->out + p->pos);

    *program_ptr = (char **)(p->base + p->pos);
    p->pos += (n + 1) * sizeof(char *);
    local[n] = NULL;
    return local;
}

static void pack_strings(struct packer *p, char **slots, char **list, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) slots[i] = pack_string(p, list[i]);
}

/*
 * Pack the result into `out` (room for `size` bytes), the pointers made for
 * the program's buffer at `base`.  Returns the length needed; writes only
 * when it fits.
 */
static size_t pack_host(const struct hostent *h, char *out, size_t size, char *base)
{
    size_t naliases = count_list(h->h_aliases), naddrs = count_list(h->h_addr_list);
    size_t alen = h->h_length > 0 && h->h_length <= (int)sizeof(IN6_ADDR) ? (size_t)h->h_length : sizeof(IN_ADDR);
    size_t need, i;
    const char *name = h->h_name ? h->h_name : "";
    struct packer p = { out, base, align_ptr(sizeof(struct hostent)) };
    struct hostent *r = (struct hostent *)out;
    char **aliases, **addrs;

    need = p.pos + (naliases + 1 + naddrs + 1) * sizeof(char *) + naddrs * alen + strlen(name) + 1 +
           strings_size(h->h_aliases, naliases);
    if (need > size) return need;

    aliases = pack_array(&p, naliases, &r->h_aliases);
    addrs = pack_array(&p, naddrs, &r->h_addr_list);
    for (i = 0; i < naddrs; i++) addrs[i] = pack_bytes(&p, h->h_addr_list[i], alen);
    r->h_name = pack_string(&p, name);
    pack_strings(&p, aliases, h->h_aliases, naliases);
    r->h_addrtype = h->h_addrtype;
    r->h_length = (short)alen;
    return need;
}

static size_t pack_serv(const struct servent *s, char *out, size_t size, char *base)
{
    size_t naliases = count_list(s->s_aliases), need;
    const char *name = s->s_name ? s->s_name : "", *proto = s->s_proto ? s->s_proto : "";
    struct packer p = { out, base, align_ptr(sizeof(struct servent)) };
    struct servent *r = (struct servent *)out;
    char **aliases;

    need = p.pos + (naliases + 1) * sizeof(char *) + strlen(name) + 1 + strlen(proto) + 1 +
           strings_size(s->s_aliases, naliases);
    if (need > size) return need;

    aliases = pack_array(&p, naliases, &r->s_aliases);
    r->s_name = pack_string(&p, name);
    r->s_proto = pack_string(&p, proto);
    pack_strings(&p, aliases, s->s_aliases, naliases);
    r->s_port = s->s_port;
    return need;
}

static size_t pack_proto(const struct protoent *pe, char *out, size_t size, char *base)
{
    size_t naliases = count_list(pe->p_aliases), need;
    const char *name = pe->p_name ? pe->p_name : "";
    struct packer p = { out, base, align_ptr(sizeof(struct protoent)) };
    struct protoent *r = (struct protoent *)out;
    char **aliases;

    need = p.pos + (naliases + 1) * sizeof(char *) + strlen(name) + 1 + strings_size(pe->p_aliases, naliases);
    if (need > size) return need;

    aliases = pack_array(&p, naliases, &r->p_aliases);
    r->p_name = pack_string(&p, name);
    pack_strings(&p, aliases, pe->p_aliases, naliases);
    r->p_proto = pe->p_proto;
    return need;
}

/* Take the task out of the pending list (the lock is held). */
static void unlink_task(struct task *task)
{
    struct task **p;

    for (p = &pending; *p; p = &(*p)->next)
        if (*p == task)
        {
            *p = task->next;
            return;
        }
}

static DWORD WINAPI task_thread(void *arg)
{
    struct task *task = arg;
    struct hostent *host = NULL;
    struct servent *serv = NULL;
    struct protoent *proto = NULL;
    const char *proto_name = task->has_proto ? task->proto : NULL;
    size_t size = task->buflen > 0 ? (size_t)task->buflen : 0, need = 0;
    char *out = NULL;
    int error = 0;
    LPARAM lparam;

    switch (task->kind)
    {
    case HOST_NAME: host = gethostbyname(task->name); break;
    case HOST_ADDR: host = gethostbyaddr(task->addr, task->addrlen, task->number); break;
    case SERV_NAME: serv = getservbyname(task->name, proto_name); break;
    case SERV_PORT: serv = getservbyport(task->number, proto_name); break;
    case PROTO_NAME: proto = getprotobyname(task->name); break;
    case PROTO_NUMBER: proto = getprotobynumber(task->number); break;
    }
    if (!host && !serv && !proto) error = WSAGetLastError();
    else if (!(out = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, size ? size : 1))) error = WSAENOBUFS;
    else
    {
        if (host) need = pack_host(host, out, size, task->buf);
        else if (serv) need = pack_serv(serv, out, size, task->buf);
        else need = pack_proto(proto, out, size, task->buf);
        if (need > size) error = WSAENOBUFS;
    }
    TRACE("task %p: error %d, need %u of %u\n", task->handle, error, (unsigned)need, (unsigned)size);

    if (!error) lparam = WSAMAKEASYNCREPLY(size > 0xffff ? 0xffff : size, 0);
    else if (error == WSAENOBUFS && need) lparam = WSAMAKEASYNCREPLY(need > 0xffff ? 0xffff : need, error);
    else lparam = WSAMAKEASYNCREPLY(0, error);

    AcquireSRWLockExclusive(&lock);
    if (!task->cancelled)
    {
        if (!error && user_write(task->buf, out, need) < 0)
            lparam = WSAMAKEASYNCREPLY(0, WSAEFAULT);
        PostMessageW(task->hwnd, task->msg, (WPARAM)task->handle, lparam);
    }
    unlink_task(task);
    ReleaseSRWLockExclusive(&lock);

    HeapFree(GetProcessHeap(), 0, out);
    HeapFree(GetProcessHeap(), 0, task);
    return 0;
}

static struct task *new_task(enum task_kind kind, HWND hwnd, UINT msg, char *buf, int buflen)
{
    struct task *task;
    char c;

    if (!ws2_initialized())
    {
        ws2_fail(WSANOTINITIALISED);
        return NULL;
    }
    /* An empty buffer is not checked (Windows starts the task, whose message
     * then says WSAENOBUFS with the length needed). */
    if (buflen > 0 && (!buf || user_read(&c, buf, 1) < 0 || user_read(&c, buf + buflen - 1, 1) < 0))
    {
        ws2_fail(WSAEFAULT);
        return NULL;
    }
    if (!(task = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*task))))
    {
        ws2_fail(WSAENOBUFS);
        return NULL;
    }
    task->kind = kind;
    task->hwnd = hwnd;
    task->msg = msg;
    task->buf = buf;
    task->buflen = buflen;
    return task;
}

/* Give the task its handle and start its thread: the handle, or 0. */
static HANDLE start_task(struct task *task)
{
    HANDLE thread, handle;
    ULONG value;

    AcquireSRWLockExclusive(&lock);
    if (!(value = ++last_handle)) value = ++last_handle;
    task->handle = handle = (HANDLE)(ULONG_PTR)value;
    task->next = pending;
    pending = task;
    if (!(thread = CreateThread(NULL, 0, task_thread, task, 0, NULL)))
    {
        unlink_task(task);
        ReleaseSRWLockExclusive(&lock);
        HeapFree(GetProcessHeap(), 0, task);
        ws2_fail(WSAEWOULDBLOCK);
        return NULL;
    }
    ReleaseSRWLockExclusive(&lock);
    CloseHandle(thread);
    TRACE("-> %p\n", handle);
    return handle;
}

HANDLE WSAAPI WSAAsyncGetHostByName(HWND hwnd, u_int msg, const char *name, char *buf, int buflen)
{
    struct task *task;

    TRACE("%p %#x %p %p %d\n", hwnd, msg, name, buf, buflen);
    if (!(task = new_task(HOST_NAME, hwnd, msg, buf, buflen))) return NULL;
    if (copy_name(name, task->name) < 0)
    {
        HeapFree(GetProcessHeap(), 0, task);
        ws2_fail(WSAEFAULT);
        return NULL;
    }
    return start_task(task);
}

HANDLE WSAAPI WSAAsyncGetHostByAddr(HWND hwnd, u_int msg, const char *addr, int len, int type, char *buf,
                                    int buflen)
{
    struct task *task;

    TRACE("%p %#x %p %d %d %p %d\n", hwnd, msg, addr, len, type, buf, buflen);
    if (!(task = new_task(HOST_ADDR, hwnd, msg, buf, buflen))) return NULL;
    task->number = type;
    task->addrlen = len > (int)sizeof(task->addr) ? (int)sizeof(task->addr) : len;
    if (!addr || len < 0 || user_read(task->addr, addr, task->addrlen) < 0)
    {
        HeapFree(GetProcessHeap(), 0, task);
        ws2_fail(WSAEFAULT);
        return NULL;
    }
    return start_task(task);
}

/* The optional protocol name of the service calls. */
static int copy_proto(struct task *task, const char *proto)
{
    if (!proto) return 0;
    task->has_proto = 1;
    return copy_name(proto, task->proto);
}

HANDLE WSAAPI WSAAsyncGetServByName(HWND hwnd, u_int msg, const char *name, const char *proto, char *buf,
                                    int buflen)
{
    struct task *task;

    TRACE("%p %#x %p %p %p %d\n", hwnd, msg, name, proto, buf, buflen);
    if (!(task = new_task(SERV_NAME, hwnd, msg, buf, buflen))) return NULL;
    if (copy_name(name, task->name) < 0 || copy_proto(task, proto) < 0)
    {
        HeapFree(GetProcessHeap(), 0, task);
        ws2_fail(WSAEFAULT);
        return NULL;
    }
    return start_task(task);
}

HANDLE WSAAPI WSAAsyncGetServByPort(HWND hwnd, u_int msg, int port, const char *proto, char *buf, int buflen)
{
    struct task *task;

    TRACE("%p %#x %d %p %p %d\n", hwnd, msg, port, proto, buf, buflen);
    if (!(task = new_task(SERV_PORT, hwnd, msg, buf, buflen))) return NULL;
    task->number = port;
    if (copy_proto(task, proto) < 0)
    {
        HeapFree(GetProcessHeap(), 0, task);
        ws2_fail(WSAEFAULT);
        return NULL;
    }
    return start_task(task);
}

HANDLE WSAAPI WSAAsyncGetProtoByName(HWND hwnd, u_int msg, const char *name, char *buf, int buflen)
{
    struct task *task;

    TRACE("%p %#x %p %p %d\n", hwnd, msg, name, buf, buflen);
    if (!(task = new_task(PROTO_NAME, hwnd, msg, buf, buflen))) return NULL;
    if (copy_name(name, task->name) < 0)
    {
        HeapFree(GetProcessHeap(), 0, task);
        ws2_fail(WSAEFAULT);
        return NULL;
    }
    return start_task(task);
}

HANDLE WSAAPI WSAAsyncGetProtoByNumber(HWND hwnd, u_int msg, int number, char *buf, int buflen)
{
    struct task *task;

    TRACE("%p %#x %d %p %d\n", hwnd, msg, number, buf, buflen);
    if (!(task = new_task(PROTO_NUMBER, hwnd, msg, buf, buflen))) return NULL;
    task->number = number;
    return start_task(task);
}

/*
 * A pending task is marked so that it posts nothing.  For a handle that was
 * given out but whose task has completed (or was cancelled already) the
 * error is WSAEALREADY, as "WSACancelAsyncRequest function" describes; any
 * other handle is invalid: WSAEINVAL.
 */
int WSAAPI WSACancelAsyncRequest(HANDLE handle)
{
    ULONG_PTR value = (ULONG_PTR)handle;
    struct task *task;
    int error = WSAEINVAL;

    TRACE("%p\n", handle);
    if (!ws2_initialized()) return ws2_fail(WSANOTINITIALISED);
    AcquireSRWLockExclusive(&lock);
    for (task = pending; task; task = task->next)
        if (task->handle == handle) break;
    if (task && !task->cancelled)
    {
        task->cancelled = 1;
        error = 0;
    }
    else if (task || (value && value <= last_handle)) error = WSAEALREADY;
    ReleaseSRWLockExclusive(&lock);
    return error ? ws2_fail(error) : 0;
}
