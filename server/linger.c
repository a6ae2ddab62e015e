/*
 * The linger engine: how a socket is torn down when its last handle goes.
 *
 *   linger off            close() now: the kernel sends what is queued, then FIN
 *   on, l_linger 0        SO_LINGER {1,0} + close(): RST, no TIME_WAIT
 *   on, N, blocking       shutdown(SHUT_WR), watch the unacknowledged bytes;
 *                         all acknowledged -> close() (graceful), N seconds
 *                         pass -> RST.  The caller's reply waits until then.
 *   on, N, non-blocking   nothing left to send -> graceful close; otherwise
 *                         WSAEWOULDBLOCK and the handle stays.
 *
 * The Linux socket never holds a nonzero SO_LINGER, so no close() here can
 * block; draining sockets are polled from the event loop instead.
 *
 * The engine is reached only through sock_unref() (sock.c), with the last
 * reference of a socket, which it takes over: a draining socket is the
 * engine's alone.  A closesocket() that must wait gets a deferred reply
 * (reply_defer), completed here exactly once when the socket is gone; if its
 * connection goes away first, the socket drains on and nobody is answered.
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include "ws.h"
#include "list.h"
#include "log.h"
#include "loop.h"
#include "sock.h"
#include "reply.h"
#include "linger.h"

/*
 * When a draining socket's send queue is looked at: 5 ms after the close,
 * then twice as long after each look, up to 20 ms while a closesocket()
 * waits for it (the caller learns of the drain at most 20 ms late, for 50
 * looks a second per waiting thread) and 1 s when nobody does (a process
 * that exited, a non-blocking close after shutdown), and always at the
 * deadline.  A thousand sockets draining in the background cost a
 * thousand looks a second, not two hundred thousand.
 */
#define LINGER_FIRST_MS        5
#define LINGER_WAITED_MAX_MS   20
#define LINGER_UNWAITED_MAX_MS 1000

struct lingering
{
    struct list entry;
    struct ws2_socket *sock;
    uint64_t deadline;
    uint64_t next_look;           /* when its send queue is looked at again */
    unsigned int interval;        /* ms from this look to the next */
    struct deferred_reply *reply; /* the closesocket() waiting, or NULL */
};

static struct list lingering_list = { &lingering_list, &lingering_list };
static unsigned int nlingering;

/* Bytes sent but not yet acknowledged by the peer (or not yet sent). */
static int unacked_bytes(struct ws2_socket *sock)
{
    struct tcp_info info;
    socklen_t len = sizeof(info);
    int outq = 0;

    if (sock->type != WS_SOCK_STREAM) return 0;
    /* A reset or closed connection has nothing left to deliver. */
    if (getsockopt(sock->fd, IPPROTO_TCP, TCP_INFO, &info, &len) < 0 || info.tcpi_state == TCP_CLOSE)
        return 0;
    if (ioctl(sock->fd, SIOCOUTQ, &outq) < 0) return 0;
    return outq;
}

static void close_abortive(struct ws2_socket *sock)
{
    struct linger l = { 1, 0 };

    setsockopt(sock->fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
    DEBUG("socket %u: abortive close\n", sock->id);
    sock_free(sock);
}

static void close_graceful(struct ws2_socket *sock)
{
    DEBUG("socket %u: graceful close\n", sock->id);
    sock_free(sock);
}

int linger_close(struct ws2_socket *sock, struct ws2_client *waiter)
{
    /* The linger in force now, at the last close: whoever set it last, in
     * whichever process (the slot outlives them all, include/ws2shared.h). */
    uint32_t linger = ws2_shared_load(&sock->shared->linger), l_onoff = linger & 0xffff, l_linger = linger >> 16;
    struct lingering *l;

    if (!l_onoff)
    {
        close_graceful(sock);
        return 0;
    }
    if (!l_linger)
    {
        close_abortive(sock);
        return 0;
    }
    if (!unacked_bytes(sock))
    {
        close_graceful(sock);
        return 0;
    }
    /* Data is in flight.  A non-blocking socket cannot wait, unless the
     * program already started the disconnect with shutdown(). */
    if (sock->nonblocking && waiter)
    {
        if (sock->state & SOCK_SHUT_WRITE)
        {
            close_graceful(sock);
            return 0;
        }
        return WSAEWOULDBLOCK;
    }
    if (!(l = malloc(sizeof(*l))))
    {
        close_abortive(sock);
        return 0;
    }
    shutdown(sock->fd, SHUT_WR);
    l->sock = sock;
    /* now_ms() drops the fraction of the current millisecond: one more
     * keeps the reset from coming before the full N seconds. */
    l->deadline = now_ms() + (uint64_t)l_linger * 1000 + 1;
    /* Without memory for the deferred reply the caller is answered at once
     * and the socket drains in the background, as after a process exit. */
    l->reply = waiter ? reply_defer(waiter) : NULL;
    l->interval = LINGER_FIRST_MS;
    l->next_look = now_ms() + l->interval;
    list_add_tail(&lingering_list, &l->entry);
    nlingering++;
    DEBUG("socket %u: lingering up to %u s\n", sock->id, l_linger);
    return 0;
}

static void linger_finish(struct lingering *l, int abort)
{
    list_remove(&l->entry);
    nlingering--;
    if (abort) close_abortive(l->sock);
    else close_graceful(l->sock);
    /* closesocket() succeeds either way, as on Windows. */
    if (l->reply) deferred_complete_status(l->reply, 0);
    free(l);
}

unsigned int linger_count(void)
{
    return nlingering;
}

int linger_timeout(void)
{
    uint64_t now = now_ms(), first = UINT64_MAX;
    struct list *e;

    for (e = lingering_list.next; e != &lingering_list; e = e->next)
    {
        struct lingering *l = LIST_ENTRY(e, struct lingering, entry);
        if (l->next_look < first) first = l->next_look;
    }
    if (first == UINT64_MAX) return -1;
    return first <= now ? 0 : (int)(first - now);
}

/* The next look: later each time, never after the deadline. */
static void look_later(struct lingering *l, uint64_t now)
{
    unsigned int most = l->reply ? LINGER_WAITED_MAX_MS : LINGER_UNWAITED_MAX_MS;

    l->interval = l->interval * 2 > most ? most : l->interval * 2;
    l->next_look = now + l->interval < l->deadline ? now + l->interval : l->deadline;
}

void linger_poll(void)
{
    uint64_t now = now_ms();
    struct list *e, *next;

    for (e = lingering_list.next; e != &lingering_list; e = next)
    {
        struct lingering *l = LIST_ENTRY(e, struct lingering, entry);

        next = e->next;
        if (now < l->next_look) continue;
        if (!unacked_bytes(l->sock)) linger_finish(l, 0);
        else if (now >= l->deadline) linger_finish(l, 1);
        else look_later(l, now);
    }
}
