/*
 * pipes.c's interface: the pipe pairs whose handles are our SOCKET values.
 */
#ifndef WS2_PIPES_H
#define WS2_PIPES_H

#include <stdint.h>
#include <winsock2.h>

void pipes_init(void);
/* A pipe pair for a new SOCKET (from the pool when it has one), and the
 * serial in its name; 0 or -1. */
int pipes_get(SOCKET *value, HANDLE *server_end, uint32_t *pipe_serial);
/* Give a released pair back, to be closed in the background; `value` is 0
 * when the client end was closed already. */
void pipes_put(SOCKET value, HANDLE server_end);
/* Make the SOCKET `value` inheritable or not: one wineserver call. */
int pipes_set_inherit(SOCKET value, int inherit);
/* Give back the pair of a SOCKET that closesocket closed as the only
 * handle to its pipe: it goes back to the pool when nothing of the old
 * socket stays with it (pipes.c), else it is closed as by pipes_put. */
void pipes_recycle(SOCKET value, HANDLE server_end, uint32_t pipe_serial);
/* The process and serial of a pipe of ours from its object name (as
 * NtQueryObject gives it, `len` characters); 0, or -1 if not one of ours. */
int pipes_parse_name(const WCHAR *name, size_t len, DWORD *pid, uint32_t *pipe_serial);
/* Whether `value` is the client end of a pair waiting in the pool (a
 * closed SOCKET's value the pool took again, or is taking back). */
int pipes_is_spare(SOCKET value);
/* Whether `value` is a handle to a pipe client end like ours (one wineserver call). */
int pipes_is_client_end(SOCKET value);
/* Messages on our end were read (completion.c's send lane): the watch of
 * the pair, paused while they waited, goes on. */
void pipes_watch_resume(HANDLE server_end);
/* Whether every handle to the client end of the pair is closed. */
int pipes_client_gone(HANDLE server_end);

#endif /* WS2_PIPES_H */
