/*
 * Wine-style tracing for the DLL.  WINEDEBUG is read once: the channel is
 * "winsock" (as in Wine's own ws2_32), so WINEDEBUG=+winsock prints one
 * TRACE line per call, "-all" or "fixme-all" silences the FIXME lines that
 * unimplemented functions print the first time they are called.  Output
 * goes straight to the Unix stderr, as Wine's own debug output does.
 */
#ifndef WS2_DEBUG_H
#define WS2_DEBUG_H

#include <windows.h>

enum debug_class
{
    DBCL_FIXME,
    DBCL_ERR,
    DBCL_WARN,
    DBCL_TRACE
};

int debug_enabled(enum debug_class cls);
void debug_printf(enum debug_class cls, const char *func, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define TRACE(...)                                                                      \
    do {                                                                                \
        if (debug_enabled(DBCL_TRACE)) debug_printf(DBCL_TRACE, __func__, __VA_ARGS__); \
    } while (0)
#define WARN(...)                                                                     \
    do {                                                                              \
        if (debug_enabled(DBCL_WARN)) debug_printf(DBCL_WARN, __func__, __VA_ARGS__); \
    } while (0)
#define FIXME(...)                                                                      \
    do {                                                                                \
        if (debug_enabled(DBCL_FIXME)) debug_printf(DBCL_FIXME, __func__, __VA_ARGS__); \
    } while (0)
#define ERR(...)                                                                    \
    do {                                                                            \
        if (debug_enabled(DBCL_ERR)) debug_printf(DBCL_ERR, __func__, __VA_ARGS__); \
    } while (0)

/*
 * What every unimplemented export does (see the generated stubs.c): print
 * one FIXME line the first time (`*reported` guards it) and set the
 * Winsock error `error` (0 leaves the last error alone).
 */
void debug_stub_called(const char *name, volatile LONG *reported, int error);

/*
 * Arguments as text, for TRACE lines only (the strings live in a small ring
 * of buffers, valid for the line being printed).  Pointers are read with
 * user_read: a bad one prints as such instead of faulting.
 *   debugstr_sockaddr     { family AF_INET, addr 127.0.0.1, port 5000 }
 *   debugstr_sockopt      SOL_SOCKET, SO_LINGER
 *   debugstr_msg_flags    MSG_OOB|MSG_PEEK          (send/recv flags)
 *   debugstr_wsa_flags    WSA_FLAG_OVERLAPPED       (WSASocket)
 *   debugstr_fd_events    FD_READ|FD_CLOSE          (WSAEventSelect & co.)
 *   debugstr_ioctl        FIONBIO, SIO_KEEPALIVE_VALS...
 *   debugstr_socket_kind  AF_INET, SOCK_STREAM, IPPROTO_TCP
 * Unknown values print as numbers.
 */
const char *debugstr_sockaddr(const void *addr, int len);
const char *debugstr_sockopt(int level, int name);
const char *debugstr_msg_flags(unsigned int flags);
const char *debugstr_wsa_flags(unsigned int flags);
const char *debugstr_fd_events(unsigned int mask);
const char *debugstr_ioctl(unsigned int code);
const char *debugstr_socket_kind(int family, int type, int protocol);

#endif /* WS2_DEBUG_H */
