/*
 * The event loop (loop.c): one epoll set that watches the listening socket,
 * the client connections, the client processes' pidfds and the resolver's
 * eventfd, and the server's monotonic clock.  Used by main.c (start, run,
 * stop), client.c and resolve.c (watchers), and by linger.c, duplicate.c,
 * sock.c and sockopt.c for the time; the unit tests and the fuzzer replace
 * the clock.
 */
#ifndef WS2SERVER_LOOP_H
#define WS2SERVER_LOOP_H

#include <stdint.h>

struct watcher;
typedef void (*watcher_cb)(struct watcher *w, uint32_t events);

struct watcher
{
    int fd;
    watcher_cb cb;
};

int loop_init(void);
int loop_add(struct watcher *w, uint32_t events);
void loop_del(struct watcher *w);
/* Run until loop_stop(); `idle_exit_ms` < 0 keeps the server up forever. */
void loop_run(int idle_exit_ms);
/* One turn of loop_run(): wait up to `timeout_ms` (-1: no limit) for events,
 * handle them, then run the timers (linger, offers, HELLO deadlines); -1 on
 * an epoll error.  The fuzzer drives the server with it. */
int loop_turn(int timeout_ms);
void loop_stop(void);
/* Monotonic milliseconds: the clock of linger deadlines and offer expiry. */
uint64_t now_ms(void);
/* Tests only: read the time from `clock` instead (NULL: the real clock again). */
void loop_set_clock(uint64_t (*clock)(void));

#endif /* WS2SERVER_LOOP_H */
