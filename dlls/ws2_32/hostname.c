/*
 * gethostname and GetHostNameW: the host name is the Unix one (uname's
 * nodename), as Wine's own ws2_32 reports it.
 *
 * Microsoft's pages ("gethostname function", "GetHostNameW function"): 0 on
 * success; SOCKET_ERROR with WSAEFAULT when the name pointer is NULL or not
 * valid memory, or when namelen (characters for the W form) is too small
 * for the whole name and its NUL; WSANOTINITIALISED before WSAStartup.
 * Observed (Wine's conformance test, passing on Windows): a buffer of
 * exactly the name's length fails and is left untouched; one more
 * character is enough.
 */
#include <string.h>
#include "private.h"
#include "sys.h"
#include "usermem.h"

/* The host name as UTF-16 (the nodename taken as UTF-8, else byte by byte);
 * returns its length in characters, or -1. */
static int host_name(WCHAR *out, int size)
{
    char node[SYS_HOST_NAME_SIZE];
    int len, i;

    if (sys_host_name(node, sizeof(node))) return -1;
    len = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, node, -1, out, size);
    if (len > 0) return len - 1;
    for (i = 0; node[i] && i < size - 1; i++) out[i] = (unsigned char)node[i];
    out[i] = 0;
    return i;
}

/* Copy `len` characters and the NUL out if namelen leaves room for them. */
static int copy_name(void *name, int namelen, const void *text, int len, size_t char_size)
{
    if (namelen <= len) return ws2_fail(WSAEFAULT);
    if (user_write(name, text, (len + 1) * char_size) < 0) return ws2_fail(WSAEFAULT);
    return 0;
}

int WSAAPI gethostname(char *name, int namelen)
{
    WCHAR host[128];
    char text[256];
    int len;

    TRACE("%p %d\n", name, namelen);
    if (!ws2_initialized()) return ws2_fail(WSANOTINITIALISED);
    if (!name) return ws2_fail(WSAEFAULT);
    if (host_name(host, sizeof(host) / sizeof(host[0])) < 0) return ws2_fail(WSAENETDOWN);
    /* The narrow form is the program's code page, as for every A function. */
    if ((len = WideCharToMultiByte(CP_ACP, 0, host, -1, text, sizeof(text), NULL, NULL)) <= 0)
        return ws2_fail(WSAENETDOWN);
    return copy_name(name, namelen, text, len - 1, 1);
}

int WSAAPI GetHostNameW(PWSTR name, int namelen)
{
    WCHAR host[128];
    int len;

    TRACE("%p %d\n", name, namelen);
    if (!ws2_initialized()) return ws2_fail(WSANOTINITIALISED);
    if (!name) return ws2_fail(WSAEFAULT);
    if ((len = host_name(host, sizeof(host) / sizeof(host[0]))) < 0) return ws2_fail(WSAENETDOWN);
    return copy_name(name, namelen, host, len, sizeof(WCHAR));
}
