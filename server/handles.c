/*
 * Per-process handle tables: small integers naming socket objects.  The DLL
 * maps each SOCKET value it hands out to one of these.  The lowest free
 * handle is reused first so a table stays dense.  Each handle holds one
 * reference to its socket; handle_close() is the only way one goes.  An
 * entry may also be reserved (SLOTS hands handles out ahead, for a SOCKET
 * that needs no answer) or keep a refused SOCKET's error.
 */
#include <stdlib.h>
#include "ws.h"
#include "sock.h"
#include "client.h"
#include "handles.h"

void handles_init(struct handle_table *t)
{
    t->slots = NULL;
    t->size = 0;
    t->used = 0;
}

/* The lowest entry that is neither a socket's nor reserved nor refused. */
static uint32_t take_entry(struct handle_table *t)
{
    uint32_t i;

    for (i = 0; i < t->size; i++)
        if (!t->slots[i].sock && !t->slots[i].mark) break;
    if (i == t->size)
    {
        uint32_t size = t->size ? t->size * 2 : 16;
        struct handle_entry *slots = realloc(t->slots, size * sizeof(*slots));
        uint32_t j;

        if (!slots || size > 0x1000000)
        {
            if (slots) t->slots = slots;
            return 0;
        }
        for (j = t->size; j < size; j++) slots[j] = (struct handle_entry){ NULL, 0 };
        t->slots = slots;
        t->size = size;
    }
    t->used++;
    return i + 1;
}

static struct handle_entry *entry(const struct handle_table *t, uint32_t handle)
{
    return handle && handle <= t->size ? &t->slots[handle - 1] : NULL;
}

uint32_t handles_add(struct handle_table *t, struct ws2_socket *sock)
{
    uint32_t handle = take_entry(t);

    if (handle) t->slots[handle - 1].sock = sock;
    return handle;
}

uint32_t handles_reserve(struct handle_table *t)
{
    uint32_t handle = take_entry(t);

    if (handle) t->slots[handle - 1].mark = HANDLE_RESERVED;
    return handle;
}

int handles_fill(struct handle_table *t, uint32_t handle, struct ws2_socket *sock)
{
    struct handle_entry *e = entry(t, handle);

    if (!e || e->mark != HANDLE_RESERVED) return -1;
    e->mark = 0;
    e->sock = sock;
    return 0;
}

int handles_is_reserved(const struct handle_table *t, uint32_t handle)
{
    const struct handle_entry *e = entry(t, handle);

    return e && e->mark == HANDLE_RESERVED;
}

void handles_refuse(struct handle_table *t, uint32_t handle, int status)
{
    struct handle_entry *e = entry(t, handle);

    if (e && e->mark == HANDLE_RESERVED) e->mark = status;
}

int handles_take_refusal(struct handle_table *t, uint32_t handle, int release)
{
    struct handle_entry *e = entry(t, handle);
    int status = e && e->mark > 0 ? e->mark : 0;

    if (status && release)
    {
        e->mark = 0;
        t->used--;
    }
    return status;
}

struct ws2_socket *handles_get(const struct handle_table *t, uint32_t handle)
{
    const struct handle_entry *e = entry(t, handle);

    return e ? e->sock : NULL;
}

struct ws2_socket *handles_remove(struct handle_table *t, uint32_t handle)
{
    struct handle_entry *e = entry(t, handle);
    struct ws2_socket *sock = e ? e->sock : NULL;

    if (!sock) return NULL;
    e->sock = NULL;
    t->used--;
    return sock;
}

void handles_free(struct handle_table *t)
{
    free(t->slots);
    handles_init(t);
}

int handle_close(struct ws2_process *p, uint32_t handle, struct ws2_client *waiter)
{
    struct ws2_socket *sock = handles_get(&p->handles, handle);
    int status;

    /* A refused SOCKET: the program closes what it was given. */
    if (handles_take_refusal(&p->handles, handle, 1)) return 0;
    if (!sock) return WSAENOTSOCK;
    /* The handle stays valid while a non-blocking close cannot finish. */
    if ((status = sock_unref(sock, waiter)) == WSAEWOULDBLOCK) return status;
    handles_remove(&p->handles, handle);
    return status;
}
