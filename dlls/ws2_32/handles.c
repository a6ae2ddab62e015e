/*
 * SOCKET values.  On Windows a SOCKET is a kernel handle, and programs rely
 * on that (completion ports, handle inheritance, ...), so each of ours is
 * the client end of a private overlapped message-mode pipe whose server end
 * we keep (pipes.c).  This table maps the value to the server's handle and
 * to the fd copy used by the data path.
 *
 * A socket stays alive while any call uses it: sock_get() takes a
 * reference, sock_release() drops it, and the fd and pipe are closed when
 * the last reference goes after sock_teardown(), the one place where a
 * socket ends on our side.
 */
#include <stdio.h>
#include "private.h"
#include "sys.h"
#include "channel.h"
#include "notify.h"
#include "overlapped.h"
#include "pipes.h"
#include "sock.h"
#include "sock_impl.h"

static SRWLOCK table_lock = SRWLOCK_INIT;
/* Orders the writers of the socket state caches (readers take no lock). */
static SRWLOCK state_lock = SRWLOCK_INIT;
static struct ws2_sock **table; /* open addressing, keyed by value */
static unsigned int table_size, table_used;

static unsigned int slot_of(SOCKET s, unsigned int size)
{
    return (unsigned int)(((uint64_t)s >> 2) * 2654435761u) & (size - 1);
}

static int table_grow(void)
{
    unsigned int size = table_size ? table_size * 2 : 256, i;
    struct ws2_sock **slots = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, size * sizeof(*slots));

    if (!slots) return -1;
    for (i = 0; i < table_size; i++)
    {
        unsigned int j;

        if (!table[i]) continue;
        for (j = slot_of(table[i]->value, size); slots[j]; j = (j + 1) & (size - 1))
            ;
        slots[j] = table[i];
    }
    HeapFree(GetProcessHeap(), 0, table);
    table = slots;
    table_size = size;
    return 0;
}

static int table_find(SOCKET s)
{
    unsigned int i;

    if (!table_size) return -1;
    for (i = slot_of(s, table_size); table[i]; i = (i + 1) & (table_size - 1))
        if (table[i]->value == s) return i;
    return -1;
}

static void table_delete(unsigned int i)
{
    unsigned int j = i;

    /* Backward-shift deletion keeps probe chains intact. */
    table[i] = NULL;
    for (;;)
    {
        unsigned int home;

        j = (j + 1) & (table_size - 1);
        if (!table[j]) break;
        home = slot_of(table[j]->value, table_size);
        if ((j > i && (home <= i || home > j)) || (j < i && home <= i && home > j))
        {
            table[i] = table[j];
            table[j] = NULL;
            i = j;
        }
    }
    table_used--;
}

/* Write the caches from `st`.  Under state_lock. */
static void store_state(struct ws2_sock *sock, const struct ws2_sock_state *st)
{
    InterlockedExchange(&sock->state, st->state);
    InterlockedExchange(&sock->rcvtimeo, st->rcvtimeo);
    InterlockedExchange(&sock->sndtimeo, st->sndtimeo);
    InterlockedExchange(&sock->state_serial, st->serial);
}

/*
 * Replies to two threads calling on the same socket may come back in either
 * order; the server numbers its snapshots, and an older one than the socket
 * has is dropped.
 */
void sock_apply_state(struct ws2_sock *sock, const struct ws2_sock_state *st)
{
    if (!st->serial) return;
    AcquireSRWLockExclusive(&state_lock);
    if ((int32_t)(st->serial - (uint32_t)sock->state_serial) > 0) store_state(sock, st);
    ReleaseSRWLockExclusive(&state_lock);
}

static void register_failed(const struct ws2_socket_reply *rep, int fd, int *status, int error)
{
    sys_close(fd);
    ws2_call_close(rep->handle, NULL, NULL);
    *status = error;
}

struct ws2_sock *sock_register(const struct ws2_socket_reply *rep, int fd, int *status)
{
    struct ws2_sock *sock;
    unsigned int i;

    if (fd < 0)
    {
        register_failed(rep, fd, status, WSAENETDOWN);
        return NULL;
    }
    sock = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*sock));
    if (!sock || pipes_get(&sock->value, &sock->server_end) < 0)
    {
        HeapFree(GetProcessHeap(), 0, sock);
        register_failed(rep, fd, status, WSAENOBUFS);
        return NULL;
    }
    sock->handle = rep->handle;
    sock->server_id = rep->id;
    sock->generation = ws2_server_generation();
    sock->fd = fd;
    sock->wake_fd = -1;
    sock->family = rep->family;
    sock->type = rep->type;
    sock->protocol = rep->protocol;
    store_state(sock, &rep->state); /* not shared yet: no lock */
    sock->refs = 2;                 /* the table's and the caller's */

    AcquireSRWLockExclusive(&table_lock);
    if ((table_used + 1) * 2 > table_size && table_grow() < 0)
    {
        ReleaseSRWLockExclusive(&table_lock);
        pipes_put(sock->value, sock->server_end);
        HeapFree(GetProcessHeap(), 0, sock);
        register_failed(rep, fd, status, WSAENOBUFS);
        return NULL;
    }
    for (i = slot_of(sock->value, table_size); table[i]; i = (i + 1) & (table_size - 1))
        ;
    table[i] = sock;
    table_used++;
    ReleaseSRWLockExclusive(&table_lock);
    *status = 0;
    return sock;
}

void sock_adopt(struct ws2_sock *sock, const struct ws2_socket_reply *rep, int fd, uint32_t *old_handle,
                int *old_fd)
{
    /* Exclusive: no sock_get() hands the entry out half rewritten. */
    AcquireSRWLockExclusive(&table_lock);
    *old_handle = sock->handle;
    *old_fd = sock->fd;
    sock->handle = rep->handle;
    sock->server_id = rep->id;
    sock->fd = fd;
    sock->family = rep->family;
    sock->type = rep->type;
    sock->protocol = rep->protocol;
    /* Another socket now: its state replaces the old one's, whatever the serials. */
    AcquireSRWLockExclusive(&state_lock);
    store_state(sock, &rep->state);
    ReleaseSRWLockExclusive(&state_lock);
    ReleaseSRWLockExclusive(&table_lock);
}

struct ws2_sock *sock_get(SOCKET s)
{
    struct ws2_sock *sock = NULL;
    int i;

    AcquireSRWLockShared(&table_lock);
    if ((i = table_find(s)) >= 0)
    {
        sock = table[i];
        InterlockedIncrement(&sock->refs);
    }
    ReleaseSRWLockShared(&table_lock);
    return sock;
}

void sock_release(struct ws2_sock *sock)
{
    if (InterlockedDecrement(&sock->refs)) return;
    if (sock->fd >= 0) sys_close(sock->fd);
    if (sock->wake_fd >= 0) sys_close(sock->wake_fd);
    pipes_put(sock->value, sock->server_end);
    HeapFree(GetProcessHeap(), 0, sock);
}

/*
 * Everything of a socket on our side goes here, whoever ends it: closesocket,
 * WSACleanup, a server that went away or changed, and unloading the DLL.
 * Its registration and pending operations go first (no event and no
 * completion but WSA_OPERATION_ABORTED after it), then calls blocked on it
 * are woken; the fd copy and the pipe follow with the last reference, which
 * those calls drop as they return.
 */
void sock_teardown(struct ws2_sock *sock)
{
    int i, found = 0;

    AcquireSRWLockExclusive(&table_lock);
    if ((i = table_find(sock->value)) >= 0 && table[i] == sock)
    {
        table_delete(i);
        found = 1;
    }
    ReleaseSRWLockExclusive(&table_lock);
    if (!found) return; /* someone else is tearing it down */
    InterlockedExchange(&sock->closing, 1);
    notify_forget(sock);
    overlapped_cancel(sock);
    if (sock->wake_fd >= 0) sys_eventfd_signal(sock->wake_fd);
    sock_release(sock); /* the table's reference */
}

/* The next socket to tear down (with a reference), or NULL. */
static struct ws2_sock *next_to_tear_down(int stale_only)
{
    struct ws2_sock *sock = NULL;
    uint32_t current = ws2_server_generation();
    unsigned int i;

    AcquireSRWLockShared(&table_lock);
    for (i = 0; i < table_size && !sock; i++)
        if (table[i] && (!stale_only || table[i]->generation != current))
        {
            sock = table[i];
            InterlockedIncrement(&sock->refs);
        }
    ReleaseSRWLockShared(&table_lock);
    return sock;
}

void sock_teardown_all(int stale_only)
{
    struct ws2_sock *sock;

    while ((sock = next_to_tear_down(stale_only)))
    {
        sock_teardown(sock);
        sock_release(sock);
    }
}

struct ws2_sock *sock_for_call(SOCKET s)
{
    struct ws2_sock *sock;

    if (!ws2_initialized())
    {
        WSASetLastError(WSANOTINITIALISED);
        return NULL;
    }
    if (!(sock = sock_get(s)))
    {
        WSASetLastError(WSAENOTSOCK);
        return NULL;
    }
    if (sock->generation != ws2_server_generation())
    {
        sock_release(sock);
        WSASetLastError(WSAENETDOWN);
        return NULL;
    }
    return sock;
}

/* sock.h's accessors: out of line so that the fields stay ours and data.c's. */
SOCKET sock_value(const struct ws2_sock *sock) { return sock->value; }
uint32_t sock_handle(const struct ws2_sock *sock) { return sock->handle; }
uint32_t sock_id(const struct ws2_sock *sock) { return sock->server_id; }
uint32_t sock_generation(const struct ws2_sock *sock) { return sock->generation; }
int sock_fd(const struct ws2_sock *sock) { return sock->fd; }
int sock_family(const struct ws2_sock *sock) { return sock->family; }
int sock_type(const struct ws2_sock *sock) { return sock->type; }
int sock_protocol(const struct ws2_sock *sock) { return sock->protocol; }
LONG sock_state(const struct ws2_sock *sock) { return sock->state; }
int sock_is_nonblocking(const struct ws2_sock *sock) { return !!(sock->state & WS2_STATE_NONBLOCKING); }
int sock_is_closing(const struct ws2_sock *sock) { return sock->closing; }
HANDLE sock_pipe_peer(const struct ws2_sock *sock) { return sock->server_end; }
LONG sock_completion(const struct ws2_sock *sock) { return sock->completion; }
void sock_completion_learn(struct ws2_sock *sock, LONG bits) { InterlockedOr(&sock->completion, bits); }

void sock_addref(struct ws2_sock *sock)
{
    InterlockedIncrement(&sock->refs);
}
