/*
 * Chained hash tables (hash.h).  Keys go through a multiplicative hash, so
 * that keys with a pattern (Windows pids are multiples of 4) spread too.
 */
#include <stdlib.h>
#include "hash.h"

#define FIRST_BITS 4

static unsigned int bucket_of(unsigned int bits, uint32_t key)
{
    return (uint32_t)(key * 0x9e3779b1u) >> (32 - bits);
}

static int rehash(struct hash *h, unsigned int bits)
{
    struct list *buckets = malloc(sizeof(*buckets) << bits);
    unsigned int i;

    if (!buckets) return -1;
    for (i = 0; i < 1u << bits; i++) list_init(&buckets[i]);
    for (i = 0; h->buckets && i < 1u << h->bits; i++)
    {
        while (!list_empty(&h->buckets[i]))
        {
            struct hash_entry *e = LIST_ENTRY(h->buckets[i].next, struct hash_entry, entry);

            list_remove(&e->entry);
            list_add_tail(&buckets[bucket_of(bits, e->key)], &e->entry);
        }
    }
    free(h->buckets);
    h->buckets = buckets;
    h->bits = bits;
    return 0;
}

int hash_add(struct hash *h, struct hash_entry *e, uint32_t key)
{
    /* At most one entry per bucket on average. */
    if (!h->buckets && rehash(h, FIRST_BITS) < 0) return -1;
    if (h->count >= 1u << h->bits && h->bits < 30) rehash(h, h->bits + 1);
    e->key = key;
    list_add_tail(&h->buckets[bucket_of(h->bits, key)], &e->entry);
    h->count++;
    return 0;
}

void hash_remove(struct hash *h, struct hash_entry *e)
{
    list_remove(&e->entry);
    h->count--;
}

struct hash_entry *hash_find(const struct hash *h, uint32_t key, const struct hash_entry *after)
{
    const struct list *head, *l;

    if (!h->buckets) return NULL;
    head = &h->buckets[bucket_of(h->bits, key)];
    for (l = after ? after->entry.next : head->next; l != head; l = l->next)
    {
        struct hash_entry *e = LIST_ENTRY(l, struct hash_entry, entry);
        if (e->key == key) return e;
    }
    return NULL;
}
