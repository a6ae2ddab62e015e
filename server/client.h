/*
 * Client processes and their connections (client.c): a Wine process, known
 * by its Unix pid, owns one handle table; each of its threads that uses
 * Winsock has a connection of its own.  Used by main.c (listening), the
 * request handlers, loop.c (the idle test) and handles.c; the unit tests
 * make fake connections.
 */
#ifndef WS2SERVER_CLIENT_H
#define WS2SERVER_CLIENT_H

#include <stdint.h>
#include <sys/types.h>
#include "list.h"
#include "loop.h"
#include "handles.h"

struct deferred_reply;

/* A client process (one Wine process), known by its Unix pid. */
struct ws2_process
{
    struct list entry;
    pid_t pid;       /* as the kernel gives it here; 0 if not visible from here */
    uint32_t serial; /* this server's name for it, never 0 nor reused */
    uint32_t win_pid;
    struct watcher pidfd; /* fires when the process is gone */
    struct handle_table handles;
    unsigned int connections;
    int exited;                    /* its pidfd fired: a new process with its pid is another one */
    struct ws2_client *subscriber; /* the connection that takes WS2_NOTE_* messages */
};

/* One connection: one thread of a client process. */
struct ws2_client
{
    struct watcher w;
    struct list entry; /* in the list of all connections */
    struct ws2_process *process;
    int hello_done;
    struct list waiting;             /* in the list of connections yet to say HELLO */
    uint64_t hello_due;              /* when it is dropped if it has not */
    struct deferred_reply *deferred; /* the reply it waits for, NULL if none */
    int passed_fd;                   /* the fd the message being handled carried (a handler may take it), or -1 */
};

int clients_listen(const char *path);
/* Milliseconds until client_expire() has something to do, -1 if never. */
int client_timeout(void);
/* Drop connections that never said HELLO in time; take connections again
 * after running out of file descriptors. */
void client_expire(void);
/* A connection accepted on `fd` (non-blocking), watched by the loop; NULL on failure. */
struct ws2_client *client_create(int fd);
/* The connection is gone: its deferred reply is cancelled, its fd closed;
 * its memory goes at clients_reap. */
void client_free(struct ws2_client *c);
/* The server stops: every connection is closed (client_free), so that its
 * client hears it at once and nothing the loop alone knew is left. */
void clients_close(void);
/* Free the connections client_free closed (the loop, after each turn). */
void clients_reap(void);
/* Read what the other connections of `p` have queued (a request named a
 * handle granted for a SOCKET not seen yet). */
void process_catch_up(struct ws2_process *p, struct ws2_client *except);
/* Send a note to the subscribed connection of the process with this serial, if any. */
void process_note(uint32_t serial, uint32_t kind, uint32_t id);
/* HELLO: bind the connection to its process (found by SO_PEERCRED). */
int client_hello(struct ws2_client *c, uint32_t win_pid);
unsigned int process_count(void);
/* Close every handle of a process (handle_close, nobody waiting). */
void process_release_all(struct ws2_process *p);

#endif /* WS2SERVER_CLIENT_H */
