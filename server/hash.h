/*
 * Intrusive hash tables keyed by a 32-bit value, chained in struct list
 * buckets, that double as they fill (one rehash per doubling).  Used for
 * the duplication offers (duplicate.c: by token, and the processes they
 * involve by Windows pid).
 */
#ifndef WS2SERVER_HASH_H
#define WS2SERVER_HASH_H

#include <stdint.h>
#include "list.h"

struct hash_entry
{
    struct list entry;
    uint32_t key;
};

/* Zero-initialised is an empty table. */
struct hash
{
    struct list *buckets;
    unsigned int bits; /* 1 << bits buckets, 0 before the first entry */
    unsigned int count;
};

/* Add `e` under `key`; -1 when there is no memory for a first table (a
 * table that cannot grow stays as it is, with longer chains). */
int hash_add(struct hash *h, struct hash_entry *e, uint32_t key);
void hash_remove(struct hash *h, struct hash_entry *e);
/* The next entry under `key` after `after` (NULL: the first), or NULL. */
struct hash_entry *hash_find(const struct hash *h, uint32_t key, const struct hash_entry *after);

#endif /* WS2SERVER_HASH_H */
