/*
 * bind() with Windows' SO_REUSEADDR / SO_EXCLUSIVEADDRUSE rules (bind.c).
 * Used by the BIND request (requests.c) and its unit test.
 */
#ifndef WS2SERVER_BIND_H
#define WS2SERVER_BIND_H

#include <sys/socket.h>

struct ws2_socket;

int bind_socket(struct ws2_socket *sock, const struct sockaddr *sa, socklen_t salen);
/* After listen(): connections go to the earliest listener of an address. */
void bind_listening(struct ws2_socket *sock);

#endif /* WS2SERVER_BIND_H */
