/*
 * The shared state region (include/ws2shared.h) on our side.  The memfd
 * comes with a SLOTS reply and is mapped over address space reserved with
 * VirtualAlloc, so that Wine, which keeps its own map of the process's
 * memory, never hands that range out again.  A region stays mapped for the
 * life of the process: sockets of a server that went away may still read
 * it (a new server has a new region).  Slots, with a server handle and a
 * socket id each, come in batches ahead of need, so that socket() never
 * waits for the server.
 */
#include "private.h"
#include "channel.h"
#include "shared.h"
#include "sys.h"

static SRWLOCK lock = SRWLOCK_INIT;
static struct ws2_sock_shared *region; /* of server generation region_generation */
static uint32_t region_generation;
static struct shared_grant batch[WS2_SLOT_BATCH]; /* for our next sockets, in that region */
static unsigned int nbatch;

/* Map the region whose memfd a reply brought.  Under lock. */
static void map_region(int fd, uint32_t generation)
{
    void *addr;

    if (region && region_generation == generation) return;
    region = NULL;
    nbatch = 0;
    if (!(addr = VirtualAlloc(NULL, WS2_SHARED_REGION_SIZE, MEM_RESERVE, PAGE_NOACCESS))) return;
    if (sys_map_shared(addr, WS2_SHARED_REGION_SIZE, fd))
    {
        VirtualFree(addr, 0, MEM_RELEASE);
        return;
    }
    region = addr;
    region_generation = generation;
}

/* SLOTS: the region, and `want` more grants (0: only the region): 0, or
 * the error of the call.  Under lock. */
static int ask_server(unsigned int want)
{
    struct ws2_int_request req = { .value = want };
    struct ws2_slots_reply rep;
    int fd = -1, status;
    struct ws2_call_extra extra = { NULL, &fd };
    uint32_t generation = ws2_server_generation(), i;

    if ((status = ws2_call_slots_ex(0, &req, &rep, &extra)) || fd < 0 || rep.region_slots != WS2_SHARED_SLOTS)
    {
        if (fd >= 0) sys_close(fd);
        return status ? status : WSAENETDOWN;
    }
    /* The server changed during the call: its slots are not the region's. */
    if (generation == ws2_server_generation())
    {
        map_region(fd, generation);
        if (region && region_generation == generation)
            for (i = 0; i < rep.count && i < WS2_SLOT_BATCH && nbatch < WS2_SLOT_BATCH; i++)
                if (rep.slots[i] && rep.slots[i] < WS2_SHARED_SLOTS && rep.handles[i] && rep.ids[i])
                {
                    batch[nbatch].slot = rep.slots[i];
                    batch[nbatch].handle = rep.handles[i];
                    batch[nbatch++].id = rep.ids[i];
                }
    }
    sys_close(fd);
    return 0;
}

/* A batch of another server is not ours any more.  Under lock. */
static void forget_stale(void)
{
    if (region_generation != ws2_server_generation()) nbatch = 0;
}

int shared_take_grant(struct shared_grant *grant)
{
    int status = 0;

    AcquireSRWLockExclusive(&lock);
    forget_stale();
    if (!nbatch) status = ask_server(WS2_SLOT_BATCH);
    if (nbatch)
    {
        *grant = batch[--nbatch];
        status = 0;
    }
    else if (!status) status = WSAENETDOWN; /* granted by a server gone meanwhile */
    ReleaseSRWLockExclusive(&lock);
    return status;
}

void shared_give_back(const struct shared_grant *grant)
{
    AcquireSRWLockExclusive(&lock);
    forget_stale();
    if (region_generation == ws2_server_generation() && nbatch < WS2_SLOT_BATCH) batch[nbatch++] = *grant;
    ReleaseSRWLockExclusive(&lock);
}

struct ws2_sock_shared *shared_slot(uint32_t n)
{
    struct ws2_sock_shared *r;

    if (!n || n >= WS2_SHARED_SLOTS) return NULL;
    AcquireSRWLockExclusive(&lock);
    if (!region || region_generation != ws2_server_generation()) ask_server(0);
    r = region && region_generation == ws2_server_generation() ? region : NULL;
    ReleaseSRWLockExclusive(&lock);
    return r ? &r[n] : NULL;
}
