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

enum debug_class { DBCL_FIXME, DBCL_ERR, DBCL_WARN, DBCL_TRACE };

int debug_enabled(enum debug_class cls);
void debug_printf(enum debug_class cls, const char *func, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define TRACE(...) do { if (debug_enabled(DBCL_TRACE)) debug_printf(DBCL_TRACE, __func__, __VA_ARGS__); } while (0)
#define WARN(...)  do { if (debug_enabled(DBCL_WARN)) debug_printf(DBCL_WARN, __func__, __VA_ARGS__); } while (0)
#define FIXME(...) do { if (debug_enabled(DBCL_FIXME)) debug_printf(DBCL_FIXME, __func__, __VA_ARGS__); } while (0)
#define ERR(...)   do { if (debug_enabled(DBCL_ERR)) debug_printf(DBCL_ERR, __func__, __VA_ARGS__); } while (0)

/*
 * What every unimplemented export does (see the generated stubs.c): print
 * one FIXME line the first time (`*reported` guards it) and set the
 * Winsock error `error` (0 leaves the last error alone).
 */
void debug_stub_called(const char *name, volatile LONG *reported, int error);

#endif /* WS2_DEBUG_H */
