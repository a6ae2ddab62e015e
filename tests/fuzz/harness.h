/*
 * The fuzz harness of ws2server's request reader (tests/fuzz/): what an
 * input means (harness.c), the seed inputs made from the request list
 * (seeds.c), the private network the fuzzed server runs in (sandbox.c)
 * and a second client process (other.c).  Driven by libFuzzer (libfuzzer.c, make fuzz) and by a
 * plain replay program (replay.c, make check).
 */
#ifndef WS2FUZZ_HARNESS_H
#define WS2FUZZ_HARNESS_H

#include <stddef.h>
#include <stdint.h>

/* Between the messages of an input: "@WS2", then the next message's control
 * byte (see harness.c). */
#define FUZZ_SEPARATOR     "@WS2"
#define FUZZ_SEPARATOR_LEN 4

/* Control byte bits. */
#define FUZZ_CONN_MASK  0x03 /* the connection (see harness.c) */
#define FUZZ_FIX_HEADER 0x04 /* the harness sets hdr.size and hdr.flags */
#define FUZZ_FILL       0x08 /* then fill the send queue of the newest fd received */
#define FUZZ_TIME_SHIFT 4    /* bits 4-7: k, time passes first (see harness.c) */
#define FUZZ_TIME(k)    ((k) << FUZZ_TIME_SHIFT)
#define FUZZ_OTHER      2 /* the connection of the other process */
#define FUZZ_NO_HELLO   3 /* the connection that never says HELLO by itself */

/* The Windows pids the harness's connections give in their HELLO: the
 * harness's own process, and the other one (other.c). */
#define FUZZ_WIN_PID       0x4242
#define FUZZ_OTHER_WIN_PID 0x4343

/* Once, before any input.  `need_sandbox`: fail unless the process could
 * move into a private network namespace (random inputs must not reach the
 * machine's network); otherwise the host's network is used when it cannot. */
void fuzz_setup(int need_sandbox);
/* One input: its messages through the server, then everything released and
 * the server checked to be as before (aborts otherwise). */
void fuzz_one(const uint8_t *data, size_t size);

/* The seed inputs, one call of `out` each, with a short name. */
void fuzz_seeds(void (*out)(const char *name, const uint8_t *data, size_t size, void *ctx), void *ctx);

/* Move into a private network namespace with only the loopback, up.  0, or
 * -1 with a message on stderr. */
int sandbox_enter(void);

/* Start the helper process whose socketpairs belong to another pid; then
 * make one such pair.  0 or -1. */
int other_start(void);
int other_socketpair(int fds[2]);

#endif /* WS2FUZZ_HARNESS_H */
