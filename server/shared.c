/*
 * The shared state region (include/ws2shared.h): one memfd, mapped here and
 * in every client process, sparse (only the pages of slots in use cost
 * memory).  This file hands out its slots: a free stack, and for each slot
 * who holds it, so that SOCKET's slot is checked in O(1) to be one the
 * calling process reserved.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include "log.h"
#include "shared.h"

/* owner[] values besides a process serial (serials are never 0 nor ~0). */
#define SLOT_FREE   0
#define SLOT_SOCKET 0xffffffffu

static int region_fd = -1;
static struct ws2_sock_shared *region;
static uint32_t *owner;      /* WS2_SHARED_SLOTS entries */
static uint32_t *kept_id;    /* the same: a reserved slot's socket id */
static uint32_t *free_stack; /* free slot numbers, the lowest on top */
static unsigned int nfree;

int shared_init(void)
{
    uint32_t i;

    if (region) return 0;
    region_fd = memfd_create("ws2server-shared", MFD_CLOEXEC);
    if (region_fd < 0 || ftruncate(region_fd, WS2_SHARED_REGION_SIZE) < 0) goto fail;
    region = mmap(NULL, WS2_SHARED_REGION_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, region_fd, 0);
    if (region == MAP_FAILED) goto fail;
    owner = calloc(WS2_SHARED_SLOTS, sizeof(*owner));
    kept_id = calloc(WS2_SHARED_SLOTS, sizeof(*kept_id));
    free_stack = malloc(WS2_SHARED_SLOTS * sizeof(*free_stack));
    if (!owner || !kept_id || !free_stack) goto fail;
    /* Slot 0 stays unused: it means "none" on the wire. */
    for (i = WS2_SHARED_SLOTS - 1; i > 0; i--) free_stack[nfree++] = i;
    owner[0] = SLOT_SOCKET;
    return 0;
fail:
    DEBUG("shared region: %s\n", strerror(errno));
    if (region && region != MAP_FAILED) munmap(region, WS2_SHARED_REGION_SIZE);
    region = NULL;
    if (region_fd >= 0) close(region_fd);
    region_fd = -1;
    free(owner);
    free(kept_id);
    free(free_stack);
    owner = kept_id = free_stack = NULL;
    nfree = 0;
    return -1;
}

int shared_fd(void)
{
    return region_fd;
}

struct ws2_sock_shared *shared_slot(uint32_t n)
{
    return &region[n];
}

unsigned int shared_reserve(uint32_t process, uint32_t *out, unsigned int want)
{
    unsigned int n = 0;

    if (shared_init() < 0) return 0;
    while (n < want && nfree)
    {
        uint32_t slot = free_stack[--nfree];

        /* Cleared now, not when SOCKET takes it: the process may write the
         * new socket's values before the server sees its SOCKET. */
        memset(&region[slot], 0, sizeof(region[slot]));
        owner[slot] = process;
        kept_id[slot] = 0;
        out[n++] = slot;
    }
    return n;
}

void shared_keep_id(uint32_t n, uint32_t id)
{
    if (owner && n && n < WS2_SHARED_SLOTS) kept_id[n] = id;
}

uint32_t shared_reserved_id(uint32_t process, uint32_t n)
{
    if (!owner || !n || n >= WS2_SHARED_SLOTS || owner[n] != process) return 0;
    return kept_id[n];
}

void shared_unreserve(uint32_t process, const uint32_t *slots, unsigned int count)
{
    unsigned int i;

    for (i = 0; i < count; i++)
        if (slots[i] && slots[i] < WS2_SHARED_SLOTS && owner[slots[i]] == process)
        {
            owner[slots[i]] = SLOT_FREE;
            free_stack[nfree++] = slots[i];
        }
}

uint32_t shared_take(uint32_t process, uint32_t n)
{
    if (shared_init() < 0) return 0;
    if (n)
    {
        if (n >= WS2_SHARED_SLOTS || owner[n] != process) return 0;
        owner[n] = SLOT_SOCKET;
        return n;
    }
    if (!nfree) return 0;
    /* One of the server's choosing starts from zero: the previous socket's
     * values must not show through. */
    n = free_stack[--nfree];
    memset(&region[n], 0, sizeof(region[n]));
    owner[n] = SLOT_SOCKET;
    return n;
}

void shared_untake(uint32_t process, uint32_t n)
{
    if (process && n && n < WS2_SHARED_SLOTS && owner[n] == SLOT_SOCKET) owner[n] = process;
    else shared_put(n);
}

void shared_put(uint32_t n)
{
    if (!n || n >= WS2_SHARED_SLOTS || owner[n] != SLOT_SOCKET) return;
    /* Marked free in the region too: a process still holding a stale
     * SOCKET value finds id 0 (see design notes). */
    __atomic_store_n(&region[n].id, 0, __ATOMIC_RELEASE);
    owner[n] = SLOT_FREE;
    free_stack[nfree++] = n;
}

void shared_process_gone(uint32_t process)
{
    uint32_t i;

    if (!owner) return;
    for (i = 1; i < WS2_SHARED_SLOTS; i++)
        if (owner[i] == process)
        {
            owner[i] = SLOT_FREE;
            free_stack[nfree++] = i;
        }
}

unsigned int shared_free_count(void)
{
    return nfree;
}
