/*
 * WSADuplicateSocket: a socket offered to another process (or the same
 * one) waits here under a one-time token until that process claims it with
 * WSASocket.  The offer holds a reference, so the socket survives the
 * source closing its own descriptor first (the usual parent/child pattern).
 *
 * On Windows the duplicate is a handle of the target process from the
 * start; an offer follows that as far as the server can know the target:
 *
 *   - The target is a client process that has said HELLO with its Windows
 *     pid (now or later): the offer is that process's.  Only it can claim
 *     the offer, which lives as long as the process does, and goes with it.
 *   - The target has not connected (yet): nothing tells the server when it
 *     exits, so the offer expires OFFER_LIFETIME_MS after it was made,
 *     unless the target connects first.  These offers are kept in the order
 *     they expire, so that the loop looks at the first one only.
 *
 * The source's exit changes nothing (the duplicate is the target's), but
 * its offers still waiting count against it: a process has at most
 * OFFERS_PER_SOURCE of them, and WSADuplicateSocket fails with WSAENOBUFS
 * beyond (Windows' limit is that of the target's handle table).
 *
 * Tokens are 128 random bits (getrandom), found through a hash table.
 * The Windows pids come from HELLO; one live client process holds a pid at
 * a time (client.c refuses a second one), so the pid names one process.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include "ws.h"
#include "list.h"
#include "hash.h"
#include "loop.h"
#include "sock.h"
#include "client.h"
#include "duplicate.h"

#define OFFER_LIFETIME_MS (120 * 1000)

/* A Windows process as offers see it: a source, a target or both. */
struct party
{
    struct hash_entry link;      /* in `parties`, by Windows pid */
    struct ws2_process *process; /* NULL: a target that has not connected */
    struct list received;        /* offers to it */
    struct list made;            /* its offers still waiting */
    unsigned int nmade;
};

struct offer
{
    struct hash_entry link; /* in `offers`, by token[0] */
    uint32_t token[WS2_DUP_TOKEN_WORDS];
    struct party *target;
    struct list target_entry; /* in target->received */
    struct party *source;     /* NULL once the source has exited */
    struct list source_entry; /* in source->made */
    struct list timer_entry;  /* in `timers` while the target has not connected */
    uint64_t expires;
    struct ws2_socket *sock;
};

static struct hash offers, parties;
static struct list timers = { &timers, &timers };

static struct party *find_party(uint32_t win_pid)
{
    struct hash_entry *e = hash_find(&parties, win_pid, NULL);

    return e ? LIST_ENTRY(e, struct party, link) : NULL;
}

static struct party *get_party(uint32_t win_pid)
{
    struct party *p = find_party(win_pid);

    if (p) return p;
    if (!(p = calloc(1, sizeof(*p)))) return NULL;
    list_init(&p->received);
    list_init(&p->made);
    if (hash_add(&parties, &p->link, win_pid) < 0)
    {
        free(p);
        return NULL;
    }
    return p;
}

/* A party that stands for nothing any more goes. */
static void party_check(struct party *p)
{
    if (p->process || !list_empty(&p->received) || !list_empty(&p->made)) return;
    hash_remove(&parties, &p->link);
    free(p);
}

static struct offer *find_offer(const uint32_t token[WS2_DUP_TOKEN_WORDS])
{
    struct hash_entry *e = NULL;

    while ((e = hash_find(&offers, token[0], e)))
    {
        struct offer *o = LIST_ENTRY(e, struct offer, link);
        if (!memcmp(o->token, token, sizeof(o->token))) return o;
    }
    return NULL;
}

/* Into the timer list, which stays ordered by expiry: offers are made
 * with one lifetime, so the place is the tail but for a clock change. */
static void timer_insert(struct offer *o)
{
    struct list *l = timers.prev;

    while (l != &timers && LIST_ENTRY(l, struct offer, timer_entry)->expires > o->expires) l = l->prev;
    list_add_tail(l->next, &o->timer_entry);
}

/* Forget the offer; its reference goes to the caller. */
static struct ws2_socket *offer_remove(struct offer *o)
{
    struct ws2_socket *sock = o->sock;
    struct party *target = o->target, *source = o->source;

    hash_remove(&offers, &o->link);
    list_remove(&o->target_entry);
    list_remove(&o->timer_entry);
    if (source)
    {
        list_remove(&o->source_entry);
        source->nmade--;
    }
    free(o);
    party_check(target);
    if (source && source != target) party_check(source);
    return sock;
}

static int random_token(uint32_t token[WS2_DUP_TOKEN_WORDS])
{
    do
    {
        if (getrandom(token, WS2_DUP_TOKEN_WORDS * sizeof(*token), 0) != WS2_DUP_TOKEN_WORDS * sizeof(*token))
            return -1;
        /* The first word is never 0: that marks a structure with no token. */
    } while (!token[0] || find_offer(token));
    return 0;
}

int dup_offer(struct ws2_socket *sock, struct ws2_process *source, uint32_t target_win_pid,
              uint32_t token[WS2_DUP_TOKEN_WORDS])
{
    struct party *src = source->win_pid ? find_party(source->win_pid) : NULL, *target;
    struct offer *o;

    /* Only a client that has said its Windows pid offers, and to a Windows pid. */
    if (!src || src->process != source || !target_win_pid) return WSAEINVAL;
    if (src->nmade >= OFFERS_PER_SOURCE) return WSAENOBUFS;
    if (!(o = calloc(1, sizeof(*o)))) return WSAENOBUFS;
    if (random_token(o->token) < 0 || !(target = get_party(target_win_pid)))
    {
        free(o);
        return WSAENOBUFS;
    }
    if (hash_add(&offers, &o->link, o->token[0]) < 0)
    {
        free(o);
        party_check(target);
        return WSAENOBUFS;
    }
    o->sock = sock;
    sock_ref(sock);
    o->target = target;
    list_add_tail(&target->received, &o->target_entry);
    o->source = src;
    list_add_tail(&src->made, &o->source_entry);
    src->nmade++;
    list_init(&o->timer_entry);
    if (!target->process)
    {
        o->expires = now_ms() + OFFER_LIFETIME_MS;
        timer_insert(o);
    }
    memcpy(token, o->token, sizeof(o->token));
    return 0;
}

struct ws2_socket *dup_claim(const uint32_t token[WS2_DUP_TOKEN_WORDS], struct ws2_process *claimer, int *status)
{
    struct offer *o = find_offer(token);

    /* Unknown, already used or another process's. */
    if (!o || !claimer || o->target->process != claimer)
    {
        *status = WSAEINVAL;
        return NULL;
    }
    *status = 0;
    return offer_remove(o); /* the offer's reference becomes the caller's */
}

int dup_process_hello(struct ws2_process *process)
{
    struct party *p;
    struct list *l;

    if (!process->win_pid) return 0;
    if (!(p = get_party(process->win_pid))) return WSAENOBUFS;
    /* Without pidfds each connection of a process has a struct of its own:
     * the first one keeps the offers. */
    if (p->process) return p->process->pid == process->pid ? 0 : WSAEACCES;
    /* The offers waiting for it are its own now: no expiry. */
    p->process = process;
    for (l = p->received.next; l != &p->received; l = l->next)
        list_remove(&LIST_ENTRY(l, struct offer, target_entry)->timer_entry);
    return 0;
}

struct ws2_process *dup_process_of(uint32_t win_pid)
{
    struct party *p = win_pid ? find_party(win_pid) : NULL;

    return p ? p->process : NULL;
}

void dup_process_gone(struct ws2_process *process)
{
    struct party *p = process->win_pid ? find_party(process->win_pid) : NULL;

    if (!p || p->process != process) return;
    /* Its offers to others stay theirs; no count is kept for it. */
    while (!list_empty(&p->made))
    {
        struct offer *o = LIST_ENTRY(p->made.next, struct offer, source_entry);

        list_remove(&o->source_entry);
        o->source = NULL;
    }
    p->nmade = 0;
    /* The duplicates it never claimed close with it, as its handles do
     * (the party stays meanwhile: it still has its process). */
    while (!list_empty(&p->received))
    {
        struct offer *o = LIST_ENTRY(p->received.next, struct offer, target_entry);

        sock_unref(offer_remove(o), NULL);
    }
    p->process = NULL;
    party_check(p);
}

unsigned int dup_count(void)
{
    return offers.count;
}

unsigned int dup_made_by(struct ws2_process *source)
{
    struct party *p = source->win_pid ? find_party(source->win_pid) : NULL;

    return p && p->process == source ? p->nmade : 0;
}

int dup_timeout(void)
{
    uint64_t now = now_ms(), first;

    if (list_empty(&timers)) return -1;
    first = LIST_ENTRY(timers.next, struct offer, timer_entry)->expires;
    return first <= now ? 0 : (int)(first - now);
}

void dup_expire(void)
{
    uint64_t now = now_ms();

    while (!list_empty(&timers))
    {
        struct offer *o = LIST_ENTRY(timers.next, struct offer, timer_entry);

        if (o->expires > now) break;
        sock_unref(offer_remove(o), NULL);
    }
}
