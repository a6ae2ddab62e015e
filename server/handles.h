/*
 * Per-process handle tables (handles.c): the small integers the DLL maps its
 * SOCKET values to.  Each client process (client.h) has one; the request
 * handlers look sockets up in it.  Each handle holds one reference to its
 * socket, and handle_close() is the only way a handle goes: the reference
 * rules are the teardown contract at the top of sock.h.
 */
#ifndef WS2SERVER_HANDLES_H
#define WS2SERVER_HANDLES_H

#include <stdint.h>

struct ws2_socket;
struct ws2_process;
struct ws2_client;

/* An entry: a socket's handle, or free (sock NULL) with `mark` saying
 * whether it is reserved or keeps a refused SOCKET's error. */
#define HANDLE_RESERVED (-1)
struct handle_entry
{
    struct ws2_socket *sock;
    int mark; /* 0, HANDLE_RESERVED, or a WSA error */
};

struct handle_table
{
    struct handle_entry *slots; /* slot i is handle i + 1 */
    uint32_t size;
    uint32_t used; /* entries that are not free */
};

void handles_init(struct handle_table *t);
/* Lowest free handle (>= 1), or 0 when out of memory.  The handle keeps the
 * reference the caller brings; the table never counts references itself. */
uint32_t handles_add(struct handle_table *t, struct ws2_socket *sock);
/* A handle kept for a SOCKET the process will send (SLOTS), 0 when out of
 * memory; handles_fill gives it its socket (-1: it is not reserved),
 * handles_refuse keeps the error the SOCKET got instead, which
 * handles_take_refusal tells (0 for any other entry), and with `release`
 * frees the entry: the program closed what it was given. */
uint32_t handles_reserve(struct handle_table *t);
int handles_fill(struct handle_table *t, uint32_t handle, struct ws2_socket *sock);
int handles_is_reserved(const struct handle_table *t, uint32_t handle);
void handles_refuse(struct handle_table *t, uint32_t handle, int status);
int handles_take_refusal(struct handle_table *t, uint32_t handle, int release);
/* The socket of a handle; NULL for a free, reserved or refused one. */
struct ws2_socket *handles_get(const struct handle_table *t, uint32_t handle);
/* Forget the handle; returns its socket, whose reference the caller now owns
 * (to drop with sock_unref, see handle_close). */
struct ws2_socket *handles_remove(struct handle_table *t, uint32_t handle);
void handles_free(struct handle_table *t);

/* Drop the handle's reference (sock_unref) and forget the handle unless that
 * says WSAEWOULDBLOCK; WSAENOTSOCK if there is no such handle (sock.h). */
int handle_close(struct ws2_process *p, uint32_t handle, struct ws2_client *waiter);

#endif /* WS2SERVER_HANDLES_H */
