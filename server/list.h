/*
 * Intrusive doubly linked lists, circular with a head element.
 *
 * Used for the server's collections: all sockets (sock.c, bind.c), client
 * processes (client.c), lingering sockets (linger.c), duplication offers
 * (duplicate.c) and resolver jobs (resolve.c).
 */
#ifndef WS2SERVER_LIST_H
#define WS2SERVER_LIST_H

#include <stddef.h>

struct list
{
    struct list *next, *prev;
};

static inline void list_init(struct list *l) { l->next = l->prev = l; }
static inline int list_empty(const struct list *l) { return l->next == l; }
static inline void list_add_tail(struct list *l, struct list *e)
{
    e->prev = l->prev;
    e->next = l;
    l->prev->next = e;
    l->prev = e;
}
static inline void list_remove(struct list *e)
{
    e->prev->next = e->next;
    e->next->prev = e->prev;
    e->next = e->prev = e;
}
#define LIST_ENTRY(ptr, type, field) ((type *)((char *)(ptr)-offsetof(type, field)))

#endif /* WS2SERVER_LIST_H */
