/*
 * Tracing in Wine's style, configured by WINEDEBUG.  Understood: "+winsock"
 * / "-winsock" / "+all" / "-all", and class prefixes such as "trace+winsock"
 * or "fixme-all", comma separated.  Default: fixme and err on, the rest off.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "private.h"
#include "linux.h"

static const char channel[] = "winsock";
static const char *const class_names[] = { "fixme", "err", "warn", "trace" };
static volatile LONG initialized;
static unsigned int enabled = (1 << DBCL_FIXME) | (1 << DBCL_ERR);

static void apply_option(const char *opt, size_t len)
{
    unsigned int mask = ~0u, i;
    size_t cls_len = 0;
    const char *name;
    int on;

    while (cls_len < len && opt[cls_len] != '+' && opt[cls_len] != '-') cls_len++;
    if (cls_len == len) return;
    if (cls_len)
    {
        mask = 0;
        for (i = 0; i < sizeof(class_names) / sizeof(class_names[0]); i++)
            if (strlen(class_names[i]) == cls_len && !strncmp(opt, class_names[i], cls_len)) mask = 1u << i;
        if (!mask) return;
    }
    on = opt[cls_len] == '+';
    name = opt + cls_len + 1;
    len -= cls_len + 1;
    if (!((len == 3 && !strncmp(name, "all", 3)) ||
          (len == sizeof(channel) - 1 && !strncmp(name, channel, len))))
        return;
    if (on) enabled |= mask;
    else enabled &= ~mask;
}

static void debug_init(void)
{
    char value[512];
    DWORD len = GetEnvironmentVariableA("WINEDEBUG", value, sizeof(value));
    const char *p = value;

    if (len && len < sizeof(value))
    {
        while (*p)
        {
            const char *end = strchr(p, ',');
            size_t n = end ? (size_t)(end - p) : strlen(p);

            apply_option(p, n);
            p += n;
            if (*p) p++;
        }
    }
    initialized = 1;
}

int debug_enabled(enum debug_class cls)
{
    if (!initialized) debug_init();
    return (enabled >> cls) & 1;
}

void debug_printf(enum debug_class cls, const char *func, const char *fmt, ...)
{
    char buf[1024];
    int n;
    va_list args;

    n = snprintf(buf, sizeof(buf), "%04lx:%s:%s:%s ", GetCurrentThreadId(), class_names[cls], channel, func);
    if (n < 0 || n >= (int)sizeof(buf)) return;
    va_start(args, fmt);
    vsnprintf(buf + n, sizeof(buf) - n, fmt, args);
    va_end(args);
    /* Straight to the Unix stderr, like Wine's own debug output. */
    linux_write(2, buf, strlen(buf));
}

void debug_stub_called(const char *name, volatile LONG *reported, int error)
{
    if (!InterlockedExchange(reported, 1) && debug_enabled(DBCL_FIXME))
        debug_printf(DBCL_FIXME, name, "stub\n");
    if (error) WSASetLastError(error);
}
