/*
 * WSADuplicateSocket: a socket offered to another process (or the same
 * one) waits here under a one-time token until that process claims it with
 * WSASocket.  The offer holds a reference, so the socket survives the
 * source closing its own descriptor first (the usual parent/child pattern).
 * An offer nobody claims expires and drops its reference.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include "ws.h"
#include "list.h"
#include "loop.h"
#include "sock.h"
#include "duplicate.h"

#define OFFER_LIFETIME_MS (120 * 1000)

struct offer
{
    struct list entry;
    uint32_t token[WS2_DUP_TOKEN_WORDS];
    uint32_t target_win_pid;
    struct ws2_socket *sock;
    uint64_t expires;
};

static struct list offers = { &offers, &offers };
static unsigned int noffers;

static struct offer *find_offer(const uint32_t token[WS2_DUP_TOKEN_WORDS])
{
    struct list *e;

    for (e = offers.next; e != &offers; e = e->next)
    {
        struct offer *o = LIST_ENTRY(e, struct offer, entry);
        if (!memcmp(o->token, token, sizeof(o->token))) return o;
    }
    return NULL;
}

int dup_offer(struct ws2_socket *sock, uint32_t target_win_pid, uint32_t token[WS2_DUP_TOKEN_WORDS])
{
    struct offer *o = malloc(sizeof(*o));

    if (!o) return WSAENOBUFS;
    /* 128 random bits: a token cannot be claimed by trying numbers.  The
     * first word is never 0, which marks a structure with no token. */
    do
    {
        if (getrandom(o->token, sizeof(o->token), 0) != sizeof(o->token))
        {
            free(o);
            return WSAENOBUFS;
        }
    } while (!o->token[0] || find_offer(o->token));
    o->target_win_pid = target_win_pid;
    o->sock = sock;
    o->expires = now_ms() + OFFER_LIFETIME_MS;
    sock_ref(sock);
    list_add_tail(&offers, &o->entry);
    noffers++;
    memcpy(token, o->token, sizeof(o->token));
    return 0;
}

struct ws2_socket *dup_claim(const uint32_t token[WS2_DUP_TOKEN_WORDS], uint32_t win_pid, int *status)
{
    struct offer *o = find_offer(token);
    struct ws2_socket *sock;

    /* Unknown, already used or meant for another process. */
    if (!o || o->target_win_pid != win_pid)
    {
        *status = WSAEINVAL;
        return NULL;
    }
    sock = o->sock; /* the offer's reference becomes the caller's */
    list_remove(&o->entry);
    noffers--;
    free(o);
    *status = 0;
    return sock;
}

unsigned int dup_count(void)
{
    return noffers;
}

int dup_timeout(void)
{
    uint64_t now = now_ms(), first = UINT64_MAX;
    struct list *e;

    for (e = offers.next; e != &offers; e = e->next)
    {
        struct offer *o = LIST_ENTRY(e, struct offer, entry);
        if (o->expires < first) first = o->expires;
    }
    if (first == UINT64_MAX) return -1;
    return first <= now ? 0 : (int)(first - now);
}

void dup_expire(void)
{
    uint64_t now = now_ms();
    struct list *e, *next;

    for (e = offers.next; e != &offers; e = next)
    {
        struct offer *o = LIST_ENTRY(e, struct offer, entry);

        next = e->next;
        if (o->expires > now) continue;
        list_remove(&o->entry);
        noffers--;
        sock_unref(o->sock, NULL);
        free(o);
    }
}
