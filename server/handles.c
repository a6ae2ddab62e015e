/*
 * Per-process handle tables: small integers naming socket objects.  The DLL
 * maps each SOCKET value it hands out to one of these.  The lowest free
 * handle is reused first so a table stays dense.  Each handle holds one
 * reference to its socket; handle_close() is the only way one goes.
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

uint32_t handles_add(struct handle_table *t, struct ws2_socket *sock)
{
    uint32_t i;

    for (i = 0; i < t->size; i++)
        if (!t->slots[i]) break;
    if (i == t->size)
    {
        uint32_t size = t->size ? t->size * 2 : 16;
        struct ws2_socket **slots = realloc(t->slots, size * sizeof(*slots));
        uint32_t j;

        if (!slots || size > 0x1000000)
        {
            if (slots) t->slots = slots;
            return 0;
        }
        for (j = t->size; j < size; j++) slots[j] = NULL;
        t->slots = slots;
        t->size = size;
    }
    t->slots[i] = sock;
    t->used++;
    return i + 1;
}

struct ws2_socket *handles_get(const struct handle_table *t, uint32_t handle)
{
    if (!handle || handle > t->size) return NULL;
    return t->slots[handle - 1];
}

struct ws2_socket *handles_remove(struct handle_table *t, uint32_t handle)
{
    struct ws2_socket *sock = handles_get(t, handle);

    if (!sock) return NULL;
    t->slots[handle - 1] = NULL;
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

    if (!sock) return WSAENOTSOCK;
    /* The handle stays valid while a non-blocking close cannot finish. */
    if ((status = sock_unref(sock, waiter)) == WSAEWOULDBLOCK) return status;
    handles_remove(&p->handles, handle);
    return status;
}
