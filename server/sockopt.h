/*
 * getsockopt/setsockopt on a struct ws2_socket (sockopt.c), through the
 * option table shared with the DLL (common/optable.h).  Used by the request
 * handlers, sock.c (defaults for a new socket, options an accepted socket
 * inherits), the trace (option names), the unit tests and the fuzzer.
 */
#ifndef WS2SERVER_SOCKOPT_H
#define WS2SERVER_SOCKOPT_H

#include <stdint.h>
#include "ws2proto.h"
#include "optable.h"

struct ws2_socket;

void sockopt_get(struct ws2_socket *sock, const struct ws2_sockopt_request *req, struct sockopt_result *res);
int sockopt_set(struct ws2_socket *sock, const struct ws2_sockopt_request *req);
/* Windows' defaults for a new socket (its slot, its Linux socket). */
void sockopt_defaults(struct ws2_socket *sock);
/* An accepted socket starts with the listener's options. */
void sockopt_inherit(struct ws2_socket *sock, const struct ws2_socket *listener);
/* Row `i` of the option table: its level and name; -1 past the end (the
 * fuzzer's seeds try every row). */
int sockopt_row(unsigned int i, int *level, int *name);
/* Windows' name of an option (SO_LINGER), or NULL if the table lacks it. */
const char *sockopt_name(int level, int name);

#endif /* WS2SERVER_SOCKOPT_H */
