/*
 * pipes.c's interface: the pipe pairs whose handles are our SOCKET values.
 */
#ifndef WS2_PIPES_H
#define WS2_PIPES_H

#include <winsock2.h>

void pipes_init(void);
/* A pipe pair for a new SOCKET (from the pool when it has one); 0 or -1. */
int pipes_get(SOCKET *value, HANDLE *server_end);
/* Give a released pair back, to be closed in the background. */
void pipes_put(SOCKET value, HANDLE server_end);

#endif /* WS2_PIPES_H */
