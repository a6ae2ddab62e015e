/*
 * The shared state region: one memfd that ws2server creates at start-up and
 * every client process maps (request SLOTS), with one slot per socket
 * holding the socket's Windows-only option state.  getsockopt/setsockopt
 * read and write it in the calling process (common/sockopt.c), and the
 * server reads it where it needs the values (the linger at the last close,
 * the sharing mode at bind).  One owner per value: the slot, not a copy.
 *
 * Every field is a naturally aligned 32-bit word, read and written with
 * __atomic operations, and a read-modify-write is a compare-and-swap: no
 * lock that a killed process could leave held (doc/design-notes.md, "The
 * shared state region").  The region holds no pointer, so that 32-bit and
 * 64-bit processes map the same bytes.
 *
 * Slots are the server's to hand out: a process gets a batch of free slot
 * numbers ahead of need (SLOTS), names the one it chose in SOCKET, and its
 * unused ones go back when it exits.  An accepted socket gets its slot from
 * the server (ACCEPT's reply), a duplicate shares its socket's (DUP_OPEN's).
 */
#ifndef WS2SHARED_H
#define WS2SHARED_H

#include <stdint.h>

/* Slots in the region; slot 0 is never a socket's (0 means "none"). */
#define WS2_SHARED_SLOTS 131072
/* Values kept for options Linux has no use for (common/sockopt.c's SLOT_*). */
#define WS2_SHARED_OPT_SLOTS 32
/* Slot numbers a SLOTS reply gives at most. */
#define WS2_SLOT_BATCH 64

/* struct ws2_sock_shared.share: SO_REUSEADDR and SO_EXCLUSIVEADDRUSE,
 * which exclude each other (one word, so that a CAS decides). */
#define WS2_SHARE_REUSEADDR 0x1
#define WS2_SHARE_EXCLUSIVE 0x2

/* struct ws2_sock_shared.flags */
#define WS2_SHARED_RCVBUF_SET 0x1 /* rcvbuf holds what the program set */
#define WS2_SHARED_SNDBUF_SET 0x2
#define WS2_SHARED_DONTFRAG   0x4 /* IP_DONTFRAGMENT / IPV6_DONTFRAG */
#define WS2_SHARED_RAW_DUAL   0x8 /* raw IPv6: IPV6_V6ONLY turned off (the host refuses it) */

struct ws2_sock_shared
{
    uint32_t id;                     /* the server's socket object, 0 while the slot is free */
    uint32_t family, type, protocol; /* Windows values */
    uint32_t state;                  /* WS2_STATE_*, written by the server as they change */
    uint32_t linger;                 /* l_onoff | l_linger << 16: SO_LINGER and SO_DONTLINGER in one word */
    uint32_t error;                  /* SO_ERROR set by the program, 0 if none */
    uint32_t share;                  /* WS2_SHARE_* */
    uint32_t flags;                  /* WS2_SHARED_* */
    uint32_t rcvbuf, sndbuf;         /* SO_RCVBUF/SO_SNDBUF as set (when flagged) */
    uint32_t rcvtimeo, sndtimeo;     /* SO_RCVTIMEO/SO_SNDTIMEO, milliseconds, 0 = none */
    uint32_t mtu_discover;           /* IP(V6)_MTU_DISCOVER, Windows' numbering */
    uint32_t reserved[2];
    uint32_t opt[WS2_SHARED_OPT_SLOTS]; /* the option table's slots */
};

#define WS2_SHARED_REGION_SIZE ((uint64_t)WS2_SHARED_SLOTS * sizeof(struct ws2_sock_shared))

/* Reads and writes of a slot's words; the acquire/release pairs order a
 * stored value before the flag that says it is set. */
static inline uint32_t ws2_shared_load(const uint32_t *word)
{
    return __atomic_load_n(word, __ATOMIC_ACQUIRE);
}

static inline void ws2_shared_store(uint32_t *word, uint32_t value)
{
    __atomic_store_n(word, value, __ATOMIC_RELEASE);
}

static inline uint32_t ws2_shared_exchange(uint32_t *word, uint32_t value)
{
    return __atomic_exchange_n(word, value, __ATOMIC_ACQ_REL);
}

static inline void ws2_shared_or(uint32_t *word, uint32_t bits)
{
    __atomic_fetch_or(word, bits, __ATOMIC_ACQ_REL);
}

static inline void ws2_shared_and(uint32_t *word, uint32_t bits)
{
    __atomic_fetch_and(word, bits, __ATOMIC_ACQ_REL);
}

/* Replace *word by update(old, arg) unless that returns -1 (then the old
 * value stays and -1 comes back); 0 once stored.  Retried while another
 * writer changes the word in between. */
static inline int ws2_shared_update(uint32_t *word, int (*update)(uint32_t old, uint32_t arg, uint32_t *new_value),
                                    uint32_t arg)
{
    uint32_t old = __atomic_load_n(word, __ATOMIC_ACQUIRE), new_value;

    do
    {
        int status = update(old, arg, &new_value);
        if (status) return status;
    } while (!__atomic_compare_exchange_n(word, &old, new_value, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE));
    return 0;
}

#endif /* WS2SHARED_H */
