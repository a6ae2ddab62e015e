/*
 * Socket addresses (addr.c): a request's Windows sockaddr bytes to a Linux
 * sockaddr and back, by the rules of include/ws2addr.h.  Used by the request
 * handlers, sock.c, sockopt.c and the resolver.
 */
#ifndef WS2SERVER_ADDR_H
#define WS2SERVER_ADDR_H

#include <stdint.h>
#include <sys/socket.h>

/* Windows sockaddr (wire) <-> Linux sockaddr; return 0 or a WSA error. */
int addr_to_linux(const uint8_t *addr, uint32_t len, int family,
                  struct sockaddr_storage *out, socklen_t *outlen);
int addr_from_linux(const struct sockaddr *sa, socklen_t salen,
                    uint8_t *addr, uint32_t *len);
int family_to_linux(int ws_family);

#endif /* WS2SERVER_ADDR_H */
