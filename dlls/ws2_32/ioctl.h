/*
 * ioctl.c's interface: an ioctl the server answers (FIONBIO, FIONREAD...) on
 * a socket, as AcceptEx also needs one.
 */
#ifndef WS2_IOCTL_H
#define WS2_IOCTL_H

#include <stdint.h>

struct ws2_sock;

/* A WS2_OP_IOCTL request (WS2_IOCTL_*) on the socket; 0 or a WSA error,
 * the reply's value in *result (may be NULL). */
int ioctl_server(struct ws2_sock *sock, uint32_t command, uint32_t value, uint32_t *result);

#endif /* WS2_IOCTL_H */
