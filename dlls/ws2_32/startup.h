/*
 * startup.c's interface: whether WSAStartup is in force, the per-thread data
 * (the thread's server connections, inet_ntoa's buffer, SO_OPENTYPE) and the
 * per-thread blocks other modules keep their results in.
 */
#ifndef WS2_STARTUP_H
#define WS2_STARTUP_H

#include <windows.h>

/* Connections a thread keeps: one, and more for calls made from APCs
 * while a reply is awaited (see ws2_server_call). */
#define WS2_MAX_NESTING 4

/* Per-thread state; allocated on first use, freed at thread exit. */
struct ws2_thread
{
    int server_fds[WS2_MAX_NESTING]; /* connection per nesting level, -1 if none yet */
    unsigned int depth;              /* requests of this thread awaiting their reply */
    char ntoa_buf[16];               /* inet_ntoa's result */
    DWORD opentype;                  /* SO_OPENTYPE, per thread */
};
struct ws2_thread *ws2_thread_data(void);
void ws2_thread_detach(void);

/* A module's own per-thread block (a result Winsock keeps per thread, say):
 * define one with WS2_THREAD_BLOCK(type) and get the calling thread's copy,
 * zeroed on first use and freed at the thread's exit, or NULL. */
struct ws2_thread_block
{
    size_t size;
    DWORD index; /* TLS index, from the first use on */
    INIT_ONCE once;
};
#define WS2_THREAD_BLOCK(type)                                  \
    {                                                           \
        sizeof(type), TLS_OUT_OF_INDEXES, INIT_ONCE_STATIC_INIT \
    }
void *ws2_thread_block(struct ws2_thread_block *block);
void ws2_startup_init(void);

#endif /* WS2_STARTUP_H */
