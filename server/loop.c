/*
 * The event loop: one epoll set, never a blocking call.  The linger engine
 * asks for periodic wake-ups while sockets drain; otherwise the loop sleeps
 * until something happens, and stops when the server has been idle (no
 * client process, no draining socket) for the given time.
 */
#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include "loop.h"
#include "client.h"
#include "linger.h"
#include "duplicate.h"
#include "resolve.h"

static int epoll_fd = -1;
static int stopping;

static uint64_t monotonic_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Replaceable so that unit tests can move time on (linger, offers). */
static uint64_t (*clock_source)(void) = monotonic_ms;

uint64_t now_ms(void)
{
    return clock_source();
}

void loop_set_clock(uint64_t (*clock)(void))
{
    clock_source = clock ? clock : monotonic_ms;
}

int loop_init(void)
{
    epoll_fd = epoll_create1(EPOLL_CLOEXEC);
    return epoll_fd < 0 ? -1 : 0;
}

int loop_add(struct watcher *w, uint32_t events)
{
    struct epoll_event ev;

    memset(&ev, 0, sizeof(ev));
    ev.events = events;
    ev.data.ptr = w;
    return epoll_ctl(epoll_fd, EPOLL_CTL_ADD, w->fd, &ev);
}

void loop_del(struct watcher *w)
{
    epoll_ctl(epoll_fd, EPOLL_CTL_DEL, w->fd, NULL);
}

void loop_stop(void)
{
    stopping = 1;
}

static int server_idle(void)
{
    return !process_count() && !linger_count() && !dup_count() && !resolve_count();
}

int loop_turn(int timeout_ms)
{
    struct epoll_event events[64];
    int i, n;

    n = epoll_wait(epoll_fd, events, 64, timeout_ms);
    if (n < 0 && errno != EINTR) return -1;
    for (i = 0; i < n; i++)
    {
        struct watcher *w = events[i].data.ptr;
        w->cb(w, events[i].events);
    }
    clients_reap();
    linger_poll();
    dup_expire();
    client_expire();
    return 0;
}

void loop_run(int idle_exit_ms)
{
    uint64_t idle_since = now_ms();

    while (!stopping)
    {
        int timeout = linger_timeout(), dup = dup_timeout(), clients = client_timeout();

        if (dup >= 0 && (timeout < 0 || dup < timeout)) timeout = dup;
        if (clients >= 0 && (timeout < 0 || clients < timeout)) timeout = clients;
        if (idle_exit_ms >= 0 && server_idle())
        {
            uint64_t idle_for = now_ms() - idle_since;

            if (idle_for >= (uint64_t)idle_exit_ms) break;
            if (timeout < 0 || timeout > (int)(idle_exit_ms - idle_for))
                timeout = idle_exit_ms - idle_for;
        }
        if (loop_turn(timeout) < 0) break;
        if (!server_idle()) idle_since = now_ms();
    }
}
