/*
 * `ws2server -d` (trace.c): one line per request, its fields and the reply's
 * status.  Used by the request handlers; the unit tests check the format.
 */
#ifndef WS2SERVER_TRACE_H
#define WS2SERVER_TRACE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct reply;

/* Write the line with server_log(); trace_format() writes it to `out` (at
 * most `size` bytes) instead. */
void trace_request(pid_t pid, const void *msg, int status, const struct reply *rep, int deferred);
void trace_format(char *out, size_t size, pid_t pid, const void *msg, int status, const struct reply *rep,
                  int deferred);
/* The op's name in the request list, or NULL. */
const char *request_name(uint32_t op);

#endif /* WS2SERVER_TRACE_H */
