/*
 * SOCKET values.  On Windows a SOCKET is a kernel handle, and programs rely
 * on that (completion ports, handle inheritance, ...), so each of ours is
 * the client end of a private overlapped message-mode pipe whose server end
 * we keep (pipes.c).  This table maps handle values to the socket (the
 * server's handle, the fd copy used by the data path): the value we made
 * and any DuplicateHandle copy of it seen since, recognised by the pipe's
 * name.  How closing one of several handles, CloseHandle and the last
 * handle anywhere are told apart is in doc/design-notes.md, "SOCKET
 * handles".
 *
 * A socket stays alive while any call uses it: sock_get() takes a
 * reference, sock_release() drops it, and the fd and pipe are closed when
 * the last reference goes after sock_teardown(), the one place where a
 * socket ends on our side.
 */
#include <stdio.h>
#include "private.h"
#include <winternl.h>
#include "sys.h"
#include "channel.h"
#include "completion.h"
#include "notify.h"
#include "overlapped.h"
#include "pipes.h"
#include "sock.h"
#include "sock_impl.h"
#include "shared.h"

static SRWLOCK table_lock = SRWLOCK_INIT;
/* Held shared by the handle check of control calls, exclusively while one
 * of our new handle values appears (sock_values_block): taken before
 * table_lock. */
static SRWLOCK values_lock = SRWLOCK_INIT;
/* Orders the writers of the socket state caches (readers take no lock). */
static SRWLOCK state_lock = SRWLOCK_INIT;
/* A handle value and the socket it names; a socket has one slot per value
 * we know for it (the one we made, DuplicateHandle copies seen since). */
struct slot
{
    SOCKET value;
    struct ws2_sock *sock;
};
static struct slot *table; /* open addressing, keyed by value */
static unsigned int table_size, table_used;
/* Sockets without a slot whose pipe other handles still hold (a copy not
 * seen yet, a child's): found again by name.  Under table_lock. */
static struct ws2_sock *detached;

static unsigned int slot_of(SOCKET s, unsigned int size)
{
    return (unsigned int)(((uint64_t)s >> 2) * 2654435761u) & (size - 1);
}

static int table_grow(void)
{
    unsigned int size = table_size ? table_size * 2 : 256, i;
    struct slot *slots = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, size * sizeof(*slots));

    if (!slots) return -1;
    for (i = 0; i < table_size; i++)
    {
        unsigned int j;

        if (!table[i].sock) continue;
        for (j = slot_of(table[i].value, size); slots[j].sock; j = (j + 1) & (size - 1))
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
    for (i = slot_of(s, table_size); table[i].sock; i = (i + 1) & (table_size - 1))
        if (table[i].value == s) return i;
    return -1;
}

/* Add a slot, growing the table first if it must; -1 when out of memory. */
static int table_insert(SOCKET s, struct ws2_sock *sock)
{
    unsigned int i;

    if ((table_used + 1) * 2 > table_size && table_grow() < 0) return -1;
    for (i = slot_of(s, table_size); table[i].sock; i = (i + 1) & (table_size - 1))
        ;
    table[i].value = s;
    table[i].sock = sock;
    table_used++;
    return 0;
}

static void table_delete(unsigned int i)
{
    unsigned int j = i;

    /* Backward-shift deletion keeps probe chains intact. */
    table[i].sock = NULL;
    for (;;)
    {
        unsigned int home;

        j = (j + 1) & (table_size - 1);
        if (!table[j].sock) break;
        home = slot_of(table[j].value, table_size);
        if ((j > i && (home <= i || home > j)) || (j < i && home <= i && home > j))
        {
            table[i] = table[j];
            table[j].sock = NULL;
            i = j;
        }
    }
    table_used--;
}

/* Any other value the table knows for `sock`, or 0.  Under table_lock. */
static SOCKET other_value(const struct ws2_sock *sock, SOCKET not )
{
    unsigned int i;

    for (i = 0; i < table_size; i++)
        if (table[i].sock == sock && table[i].value != not ) return table[i].value;
    return 0;
}

static void detach(struct ws2_sock *sock)
{
    sock->next_detached = detached;
    detached = sock;
}

/* Take `sock` off the detached list if it is there.  Under table_lock. */
static int undetach(struct ws2_sock *sock)
{
    struct ws2_sock **p;

    for (p = &detached; *p; p = &(*p)->next_detached)
        if (*p == sock)
        {
            *p = sock->next_detached;
            return 1;
        }
    return 0;
}

/* Drop the slot of `s` (its handle is closed or being closed); returns how
 * many slots the socket has left.  With none, it waits on the detached
 * list (holding the slot's reference) for another handle to show up.
 * Under table_lock. */
static int drop_slot(struct ws2_sock *sock, SOCKET s)
{
    int i = table_find(s), left;

    if (i < 0 || table[i].sock != sock) return sock->slots;
    table_delete(i);
    if ((left = InterlockedDecrement(&sock->slots)))
    {
        if (sock->value == s) sock->value = other_value(sock, s);
        sock_release(sock); /* the slot's; the others hold it */
    }
    else
    {
        if (sock->value == s) sock->value_closed = 1;
        detach(sock);
    }
    return left;
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
    /* 0: a socket made here, which has had no snapshot yet. */
    if (!sock->state_serial || (int32_t)(st->serial - (uint32_t)sock->state_serial) > 0) store_state(sock, st);
    ReleaseSRWLockExclusive(&state_lock);
}

static void close_orphan(struct ws2_sock *sock);

/* Give the value `s` a slot of `sock` (one more reference), after dropping a
 * stale slot with that value: its handle was closed (CloseHandle) and the
 * value given to a new handle.  That stale socket comes back with a
 * reference for end_stale() when this was its last slot.  Under table_lock. */
static int claim_value(SOCKET s, struct ws2_sock *sock, struct ws2_sock **stale)
{
    int i;

    *stale = NULL;
    if ((i = table_find(s)) >= 0 && !drop_slot(table[i].sock, s))
    {
        *stale = table[i].sock;
        InterlockedIncrement(&(*stale)->refs);
    }
    return table_insert(s, sock);
}

/* After claim_value, out of table_lock: close the stale socket if no handle to its pipe is left. */
static void end_stale(struct ws2_sock *stale)
{
    if (!stale) return;
    if (pipes_client_gone(stale->server_end)) close_orphan(stale);
    sock_release(stale);
}

static void register_failed(const struct ws2_socket_reply *rep, int fd, int *status, int error)
{
    sys_close(fd);
    ws2_call_close(rep->handle, NULL, NULL);
    *status = error;
}

struct ws2_sock *sock_register(const struct ws2_socket_reply *rep, int fd, int *status)
{
    struct ws2_sock *sock, *stale;

    if (fd < 0)
    {
        register_failed(rep, fd, status, WSAENETDOWN);
        return NULL;
    }
    sock = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*sock));
    if (!sock || pipes_get(&sock->value, &sock->server_end, &sock->pipe_serial) < 0)
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
    sock->shared = shared_slot(rep->slot);
    store_state(sock, &rep->state); /* not shared yet: no lock */
    sock->refs = 2;                 /* the slot's and the caller's */
    sock->slots = 1;

    AcquireSRWLockExclusive(&table_lock);
    if (claim_value(sock->value, sock, &stale) < 0)
    {
        ReleaseSRWLockExclusive(&table_lock);
        end_stale(stale);
        pipes_put(sock->value, sock->server_end);
        HeapFree(GetProcessHeap(), 0, sock);
        register_failed(rep, fd, status, WSAENOBUFS);
        return NULL;
    }
    ReleaseSRWLockExclusive(&table_lock);
    end_stale(stale);
    *status = 0;
    return sock;
}

void sock_adopt(struct ws2_sock *sock, const struct ws2_socket_reply *rep, int fd, uint32_t *old_handle,
                int *old_fd)
{
    struct ws2_sock_shared *shared = shared_slot(rep->slot);

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
    sock->shared = shared;
    /* Another socket now: its state replaces the old one's, whatever the serials. */
    AcquireSRWLockExclusive(&state_lock);
    store_state(sock, &rep->state);
    ReleaseSRWLockExclusive(&state_lock);
    ReleaseSRWLockExclusive(&table_lock);
}

/* The socket of our process whose pipe has this serial.  Under table_lock. */
static struct ws2_sock *find_serial(uint32_t serial)
{
    struct ws2_sock *sock;
    unsigned int i;

    for (i = 0; i < table_size; i++)
        if (table[i].sock && table[i].sock->pipe_serial == serial) return table[i].sock;
    for (sock = detached; sock; sock = sock->next_detached)
        if (sock->pipe_serial == serial) return sock;
    return NULL;
}

/* The serial of the pipe of ours that `s` is a handle to (one wineserver
 * call); 0, or -1 when it is not one of this process's pipes. */
static int pipe_serial_of(SOCKET s, uint32_t *serial)
{
    union
    {
        OBJECT_NAME_INFORMATION info;
        WCHAR room[128];
    } name;
    DWORD pid;
    ULONG len;

    if (NtQueryObject((HANDLE)s, ObjectNameInformation, &name, sizeof(name), &len) || !name.info.Name.Buffer ||
        pipes_parse_name(name.info.Name.Buffer, name.info.Name.Length / sizeof(WCHAR), &pid, serial) ||
        pid != GetCurrentProcessId())
        return -1;
    return 0;
}

/*
 * A value the table does not know may be another handle to one of our
 * pipes (DuplicateHandle): the pipe's name says which socket, and the value
 * becomes one more slot of it.  Costs a wineserver call, on a miss only.
 */
static struct ws2_sock *resolve_copy(SOCKET s)
{
    struct ws2_sock *sock = NULL;
    uint32_t serial;
    int i;

    if (!s || s == INVALID_SOCKET || pipe_serial_of(s, &serial)) return NULL;
    AcquireSRWLockExclusive(&table_lock);
    if ((i = table_find(s)) >= 0) sock = table[i].sock; /* another thread was first */
    else if ((sock = find_serial(serial)) && !sock->closing && table_insert(s, sock) >= 0)
    {
        TRACE("%#Ix is another handle to %#Ix\n", s, sock->value);
        if (undetach(sock))
        {
            /* the detached list's reference becomes the slot's */
            sock->value = s;
            sock->value_closed = 0;
        }
        else InterlockedIncrement(&sock->refs); /* the slot's */
        InterlockedIncrement(&sock->slots);
    }
    else sock = NULL;
    if (sock) InterlockedIncrement(&sock->refs);
    ReleaseSRWLockExclusive(&table_lock);
    return sock;
}

SOCKET sock_share(uint32_t id, BOOL inherit)
{
    struct ws2_sock *sock = NULL, *stale = NULL;
    uint32_t current = ws2_server_generation(), serial;
    HANDLE copy = NULL;
    unsigned int i;
    int slot;

    AcquireSRWLockShared(&table_lock);
    for (i = 0; i < table_size && !sock; i++)
        if (table[i].sock && table[i].sock->server_id == id && table[i].sock->generation == current &&
            !table[i].sock->closing)
        {
            sock = table[i].sock;
            InterlockedIncrement(&sock->refs);
        }
    ReleaseSRWLockShared(&table_lock);
    if (!sock) return 0;
    /* Its value may have been closed behind our back and reused: the copy
     * must name its pipe. */
    if (!DuplicateHandle(GetCurrentProcess(), (HANDLE)sock->value, GetCurrentProcess(), &copy, 0, inherit,
                         DUPLICATE_SAME_ACCESS))
        copy = NULL;
    else if (pipe_serial_of((SOCKET)copy, &serial) || serial != sock->pipe_serial)
    {
        CloseHandle(copy);
        copy = NULL;
    }
    AcquireSRWLockExclusive(&table_lock);
    if (!copy)
        ;
    /* closesocket may have ended it meanwhile: then the copy is not wanted. */
    else if (sock->closing)
    {
        CloseHandle(copy);
        copy = NULL;
    }
    /* A value closed behind our back, now given to this very pipe again: its slot is right. */
    else if ((slot = table_find((SOCKET)copy)) >= 0 && table[slot].sock == sock)
        ;
    else if (claim_value((SOCKET)copy, sock, &stale) < 0)
    {
        CloseHandle(copy);
        copy = NULL;
    }
    else
    {
        InterlockedIncrement(&sock->refs); /* the slot's */
        InterlockedIncrement(&sock->slots);
        TRACE("%#Ix is another handle to %#Ix\n", (SOCKET)copy, sock->value);
    }
    ReleaseSRWLockExclusive(&table_lock);
    end_stale(stale);
    sock_release(sock);
    return (SOCKET)copy;
}

/* The socket of a value the table knows, with a reference; NULL if none. */
static struct ws2_sock *sock_known(SOCKET s)
{
    struct ws2_sock *sock = NULL;
    int i;

    AcquireSRWLockShared(&table_lock);
    if ((i = table_find(s)) >= 0)
    {
        sock = table[i].sock;
        InterlockedIncrement(&sock->refs);
    }
    ReleaseSRWLockShared(&table_lock);
    return sock;
}

struct ws2_sock *sock_get(SOCKET s)
{
    struct ws2_sock *sock = sock_known(s);

    return sock ? sock : resolve_copy(s);
}

/* Close a socket whose handles are all closed (CloseHandle, a child's
 * exit), once, whoever saw it first. */
static void close_orphan(struct ws2_sock *sock)
{
    if (InterlockedCompareExchange(&sock->orphan_closed, 1, 0)) return;
    TRACE("%#Ix: no handle is left, closing\n", sock->value);
    AcquireSRWLockExclusive(&table_lock);
    sock->value_closed = 1;
    ReleaseSRWLockExclusive(&table_lock);
    overlapped_cancel_accepts(sock);
    ws2_sock_call_close(sock, NULL, NULL);
    sock_teardown(sock);
}

/* `s` was closed behind our back (CloseHandle): forget it, and close the
 * socket if that was the last handle anywhere. */
static void forget_closed(struct ws2_sock *sock, SOCKET s)
{
    int left;

    TRACE("%#Ix was closed with CloseHandle\n", s);
    AcquireSRWLockExclusive(&table_lock);
    left = drop_slot(sock, s);
    ReleaseSRWLockExclusive(&table_lock);
    if (!left && pipes_client_gone(sock->server_end)) close_orphan(sock);
}

void sock_client_gone(uint32_t pipe_serial)
{
    struct ws2_sock *sock;

    AcquireSRWLockShared(&table_lock);
    if ((sock = find_serial(pipe_serial))) InterlockedIncrement(&sock->refs);
    ReleaseSRWLockShared(&table_lock);
    if (!sock) return;
    if (!sock->closing) close_orphan(sock);
    sock_release(sock);
}

int sock_close_value(struct ws2_sock *sock, SOCKET s)
{
    PUBLIC_OBJECT_BASIC_INFORMATION info;

    /* The one wineserver call says both whether `s` is open and whether
     * other handles to the pipe (here or in a child) keep the socket. */
    if (NtQueryObject((HANDLE)s, ObjectBasicInformation, &info, sizeof(info), NULL) || pipes_is_spare(s))
    {
        forget_closed(sock, s);
        return -1;
    }
    if (info.HandleCount <= 1)
    {
        AcquireSRWLockExclusive(&table_lock);
        sock->value = s; /* the last: teardown closes it with the pipe */
        sock->value_closed = 0;
        ReleaseSRWLockExclusive(&table_lock);
        return 0;
    }
    AcquireSRWLockExclusive(&table_lock);
    drop_slot(sock, s);
    ReleaseSRWLockExclusive(&table_lock);
    CloseHandle((HANDLE)s);
    return 1;
}

void sock_values_block(void)
{
    AcquireSRWLockExclusive(&values_lock);
}

void sock_values_unblock(void)
{
    ReleaseSRWLockExclusive(&values_lock);
}

struct ws2_sock *sock_value_taken(SOCKET value)
{
    struct ws2_sock *stale = NULL;
    int i;

    AcquireSRWLockExclusive(&table_lock);
    if ((i = table_find(value)) >= 0)
    {
        TRACE("%#Ix was closed with CloseHandle and is a new handle now\n", value);
        stale = table[i].sock;
        InterlockedIncrement(&stale->refs);
        if (drop_slot(stale, value)) /* other values keep it */
        {
            sock_release(stale);
            stale = NULL;
        }
    }
    ReleaseSRWLockExclusive(&table_lock);
    return stale;
}

void sock_end_stale(struct ws2_sock *stale)
{
    end_stale(stale);
}

/*
 * Whether `s` is still a handle to a pipe client end like ours costs one
 * wineserver call (pipes_is_client_end).  A value closed with CloseHandle
 * and given again to another kind of handle (an event, a thread, a file, a
 * pipe's server end: Wine and the DLL make such handles at any time, which
 * GetHandleInformation alone took for the socket) fails it.  Our own new
 * client ends cannot slip in between: the pool's pipes and sock_share's
 * copies are made with values_lock held exclusively, and forget a stale
 * value in the table before it is released (sock_value_taken).  A pipe
 * client end of the same shape that other code of the program opened on
 * that value is not told apart (doc/design-notes.md, "The handle check").
 */
struct ws2_sock *sock_for_control_call(SOCKET s)
{
    struct ws2_sock *sock;
    int open;

    AcquireSRWLockShared(&values_lock);
    if ((sock = sock_for_call(s))) open = pipes_is_client_end(s);
    ReleaseSRWLockShared(&values_lock);
    if (!sock) return NULL;
    if (open) return sock;
    forget_closed(sock, s);
    sock_release(sock);
    WSASetLastError(WSAENOTSOCK);
    return NULL;
}

void sock_release(struct ws2_sock *sock)
{
    if (InterlockedDecrement(&sock->refs)) return;
    if (sock->fd >= 0) sys_close(sock->fd);
    if (sock->wake_fd >= 0) sys_close(sock->wake_fd);
    if (sock->recycle && !sock->value_closed && !(sock->completion & COMPLETION_USED))
        pipes_recycle(sock->value, sock->server_end, sock->pipe_serial);
    else pipes_put(sock->value_closed ? 0 : sock->value, sock->server_end);
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
    unsigned int i;
    int found = 0;

    AcquireSRWLockExclusive(&table_lock);
    /* Every slot goes; one reference stays for the rest of this.  Most
     * sockets have one, found without a walk. */
    if (sock->slots == 1 && (int)(i = table_find(sock->value)) >= 0 && table[i].sock == sock)
    {
        table_delete(i);
        found = 1;
    }
    else
        for (i = 0; i < table_size; i++)
            while (table[i].sock == sock)
            {
                table_delete(i);
                found++;
            }
    if (!found && undetach(sock)) found = 1;
    sock->slots = 0;
    ReleaseSRWLockExclusive(&table_lock);
    if (!found) return; /* someone else is tearing it down */
    while (--found) sock_release(sock);
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
    /* Stale sockets in the table are orphaned instead (sock_orphan_stale). */
    for (i = 0; i < table_size && !sock && !stale_only; i++)
        if (table[i].sock) sock = table[i].sock;
    for (sock = sock ? sock : detached; sock && stale_only && sock->generation == current;)
        sock = sock->next_detached;
    if (sock) InterlockedIncrement(&sock->refs);
    ReleaseSRWLockShared(&table_lock);
    return sock;
}

/* A socket of an older server that still occupies a slot and was not
 * orphaned yet (with a reference), or NULL. */
static struct ws2_sock *next_to_orphan(void)
{
    struct ws2_sock *sock = NULL;
    uint32_t current = ws2_server_generation();
    unsigned int i;

    AcquireSRWLockShared(&table_lock);
    for (i = 0; i < table_size && !sock; i++)
        if (table[i].sock && table[i].sock->generation != current && !table[i].sock->closing) sock = table[i].sock;
    if (sock) InterlockedIncrement(&sock->refs);
    ReleaseSRWLockShared(&table_lock);
    return sock;
}

/*
 * The server went away, and what the sockets of its generation were there
 * with it.  They keep their slots: a SOCKET value the program still holds
 * keeps naming its socket (no new socket gets it), and every call on it
 * fails with WSAENETDOWN (sock_for_call) until closesocket releases it.
 * Their registrations and pending operations end now and calls blocked on
 * them wake (with WSAENETDOWN, sock_woken_error).  Stale sockets without a
 * slot go altogether.
 */
void sock_orphan_stale(void)
{
    struct ws2_sock *sock;

    while ((sock = next_to_orphan()))
    {
        if (!InterlockedExchange(&sock->closing, 1))
        {
            notify_forget(sock);
            overlapped_cancel(sock);
            /* Ours is the last copy of the Linux socket now: the connection
             * ends (FIN) and its port is free, as when the server closes it. */
            if (sock->fd >= 0) sys_retire_fd(sock->fd);
            if (sock->wake_fd >= 0) sys_eventfd_signal(sock->wake_fd);
        }
        sock_release(sock);
    }
    sock_teardown_all(1); /* what is left: the detached ones */
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

static struct ws2_sock *for_call(SOCKET s, int copies)
{
    struct ws2_sock *sock;

    if (!ws2_initialized())
    {
        WSASetLastError(WSANOTINITIALISED);
        return NULL;
    }
    if (!(sock = copies ? sock_get(s) : sock_known(s)))
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

struct ws2_sock *sock_for_call(SOCKET s)
{
    return for_call(s, 1);
}

struct ws2_sock *sock_for_known_call(SOCKET s)
{
    return for_call(s, 0);
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
struct ws2_sock_shared *sock_shared(const struct ws2_sock *sock) { return sock->shared; }

/* The timeouts live in the slot, where a setsockopt through any handle (in
 * any process) put them; the reply cache only stands in without a slot. */
uint32_t sock_rcvtimeo(const struct ws2_sock *sock)
{
    return sock->shared ? ws2_shared_load(&sock->shared->rcvtimeo) : (uint32_t)sock->rcvtimeo;
}

uint32_t sock_sndtimeo(const struct ws2_sock *sock)
{
    return sock->shared ? ws2_shared_load(&sock->shared->sndtimeo) : (uint32_t)sock->sndtimeo;
}
LONG sock_state(const struct ws2_sock *sock) { return sock->state; }
int sock_is_nonblocking(const struct ws2_sock *sock) { return !!(sock->state & WS2_STATE_NONBLOCKING); }
int sock_is_closing(const struct ws2_sock *sock) { return sock->closing; }
HANDLE sock_pipe_peer(const struct ws2_sock *sock) { return sock->server_end; }
LONG sock_completion(const struct ws2_sock *sock) { return sock->completion; }
void sock_completion_learn(struct ws2_sock *sock, LONG bits) { InterlockedOr(&sock->completion, bits); }
int sock_connect_error(const struct ws2_sock *sock) { return sock->connect_error; }
int sock_is_synchronous(const struct ws2_sock *sock) { return sock->synchronous; }
int sock_connect_made(const struct ws2_sock *sock) { return sock->connect_made; }
void sock_note_connect_made(struct ws2_sock *sock) { InterlockedExchange(&sock->connect_made, 1); }
LONG sock_receivers(const struct ws2_sock *sock) { return sock->receivers; }
void sock_receivers_add(struct ws2_sock *sock, LONG delta) { InterlockedAdd(&sock->receivers, delta); }
void sock_set_synchronous(struct ws2_sock *sock, int on) { sock->synchronous = on; }
void sock_note_connect_error(struct ws2_sock *sock, int error) { InterlockedExchange(&sock->connect_error, error); }

void sock_note_last_close(struct ws2_sock *sock) { InterlockedExchange(&sock->recycle, 1); }

int sock_close_must_wait(const struct ws2_sock *sock)
{
    uint32_t linger;

    /* Without a slot, from the state the last reply brought: a timed linger
     * set through another handle is in it, since such a handle makes the
     * socket shared. */
    if (!sock->shared) return !!(sock->state & (WS2_STATE_LINGER_TIMED | WS2_STATE_SHARED));
    /* The linger in force, whoever set it (l_onoff | l_linger << 16). */
    linger = ws2_shared_load(&sock->shared->linger);
    return (linger & 0xffff) && (linger >> 16);
}

void sock_addref(struct ws2_sock *sock)
{
    InterlockedIncrement(&sock->refs);
}
