/*
 * Helpers shared by the unit tests that drive the server's logic on real
 * loopback sockets (linger, bind, duplication, requests): a clock the test
 * moves by hand, a TCP connection between a server socket object and a
 * plain native peer, and a client connection that is one end of a
 * socketpair, so that what the server sends it can be read back.
 *
 * The tests using these count the server's sockets and lingering closes
 * from zero: they rely on Check running each test in a fresh child process
 * (its default; not with CK_FORK=no).
 */
#ifndef CHECK_NET_H
#define CHECK_NET_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "ws2proto.h"

struct ws2_socket;
struct ws2_client;

/* now_ms() reads `fake_now` from here on (until the test process ends). */
extern uint64_t fake_now;
void use_fake_clock(void);

/* A TCP socket object connected to a native peer on 127.0.0.1; its
 * reference is the test's.  With `small_buffers`, both ends get small buffers so
 * that a peer that does not read soon stops the sender. */
struct ws2_socket *tcp_pair(int *peer, int small_buffers);
/* Write to the socket until the kernel takes no more: the peer does not
 * read, so bytes are left unacknowledged.  Returns how many went in. */
size_t fill_send_queue(struct ws2_socket *sock);
/* Bytes in the socket's send queue (sent but unacknowledged, or unsent). */
int send_queue_bytes(int fd);
/* The peer reads everything until EOF or an error: returns 0 on EOF, the
 * errno of the error, or -1 on a time-out; *total counts the bytes read. */
int peer_drain(int peer, size_t *total);

/* A client connection whose other end is *other (non-blocking). */
struct ws2_client *fake_client(int *other);
/* Receive one message on the other end: its size, 0 at EOF, -1 when
 * nothing is there (EAGAIN).  The reply header goes to *hdr. */
ssize_t fake_client_reply(int other, struct ws2_reply_header *hdr);

#endif /* CHECK_NET_H */
