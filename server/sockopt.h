/*
 * getsockopt/setsockopt with Windows' semantics (sockopt.c, one table).
 * Used by the request handlers, sock.c (defaults for a new socket, options
 * an accepted socket inherits), the trace (option names) and the unit tests.
 */
#ifndef WS2SERVER_SOCKOPT_H
#define WS2SERVER_SOCKOPT_H

#include <stdint.h>
#include "ws2proto.h"

struct ws2_socket;

struct sockopt_result
{
    int status;
    int32_t optlen; /* *optlen to store, if set_optlen */
    int set_optlen;
    uint32_t datalen; /* bytes to copy to the caller's optval */
    uint8_t data[WS2_MAX_OPTVAL];
};

void sockopt_get(struct ws2_socket *sock, const struct ws2_sockopt_request *req,
                 struct sockopt_result *res);
int sockopt_set(struct ws2_socket *sock, const struct ws2_sockopt_request *req);
/* Bring the Linux socket in line with options inherited on accept. */
void sockopt_apply_inherited(struct ws2_socket *sock);
/* Windows' defaults for a new socket. */
void sockopt_defaults(struct ws2_socket *sock);
/* Row `i` of the option table: its level and name; -1 past the end (the
 * fuzzer's seeds try every row). */
int sockopt_row(unsigned int i, int *level, int *name);
/* Windows' name of an option (SO_LINGER), or NULL if the table lacks it. */
const char *sockopt_name(int level, int name);

#endif /* WS2SERVER_SOCKOPT_H */
