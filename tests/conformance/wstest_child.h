/*
 * wstest_child.h: a child process for the programs that share a socket
 * with another process (WSADuplicateSocket, inherited handles).  The child
 * is this program run again (or another one) with arguments; the parent
 * talks to it through its stdin and, when asked for, its stdout, one line
 * at a time.
 *
 *   wstest_child_start(c, path, answers, fmt, ...)
 *                        start path (NULL: this program) with the arguments
 *                        fmt makes; its stdin is a pipe, its stdout too when
 *                        answers is TRUE (else it writes to ours).  It
 *                        inherits the inheritable handles, sockets too: a
 *                        pair that it must not hold is made after it.
 *   wstest_child_write(c, fmt, ...)
 *                        a line to its stdin (the newline is added)
 *   wstest_child_read(c, buf, size)
 *                        a line from its stdout, without the newline
 *   wstest_child_send_info(c, prefix, info)
 *                        a WSAPROTOCOL_INFOW as the line "PREFIX" + hex
 *   wstest_child_end(c)  close its stdin (the end of its input), wait for
 *                        its exit and return its exit code
 *   wstest_read_info(info)
 *                        in the child: read that line from stdin
 *   wstest_to_hex, wstest_from_hex
 *                        the hex form of a structure
 *
 * Only documented calls, so it runs as it is on Windows.
 */
#ifndef WSTEST_CHILD_H
#define WSTEST_CHILD_H

#include "wstest.h"

/* How long the parent waits for the child's exit before ending it. */
#define WSTEST_CHILD_WAIT 120000

/* A line with a WSAPROTOCOL_INFOW in hex and a short word before it. */
#define WSTEST_INFO_LINE (2 * sizeof(WSAPROTOCOL_INFOW) + 64)

struct wstest_child
{
    PROCESS_INFORMATION pi;
    HANDLE to;   /* its stdin */
    HANDLE from; /* its stdout, or NULL when it writes to ours */
};

static WSTEST_UNUSED void wstest_to_hex(const void *data, size_t len, char *out)
{
    const unsigned char *p = data;
    size_t i;

    for (i = 0; i < len; i++) sprintf(out + 2 * i, "%02x", p[i]);
    out[2 * len] = 0;
}

/* Returns 0 when hex has fewer than 2 * len hex digits. */
static WSTEST_UNUSED int wstest_from_hex(const char *hex, void *data, size_t len)
{
    unsigned char *p = data;
    size_t i;

    for (i = 0; i < len; i++)
    {
        unsigned int v;
        if (!hex[2 * i] || !hex[2 * i + 1] || sscanf(hex + 2 * i, "%2x", &v) != 1) return 0;
        p[i] = v;
    }
    return 1;
}

/* Returns FALSE, with GetLastError() saying why, when the child did not start. */
static WSTEST_UNUSED WSTEST_PRINTF(4, 5) BOOL
    wstest_child_start(struct wstest_child *c, const char *path, BOOL answers, const char *fmt, ...)
{
    SECURITY_ATTRIBUTES sa = { sizeof(sa), NULL, TRUE };
    HANDLE in_rd = NULL, out_wr = NULL;
    char cmd[2 * MAX_PATH + 64], self[MAX_PATH], args[MAX_PATH];
    STARTUPINFOA si;
    DWORD error;
    va_list ap;

    memset(c, 0, sizeof(*c));
    va_start(ap, fmt);
    vsnprintf(args, sizeof(args), fmt, ap);
    va_end(ap);
    if (!path)
    {
        GetModuleFileNameA(NULL, self, sizeof(self));
        path = self;
    }
    snprintf(cmd, sizeof(cmd), "\"%s\" %s", path, args);
    if (!CreatePipe(&in_rd, &c->to, &sa, 0)) return FALSE;
    SetHandleInformation(c->to, HANDLE_FLAG_INHERIT, 0);
    if (answers && !CreatePipe(&c->from, &out_wr, &sa, 0)) goto failed;
    if (c->from) SetHandleInformation(c->from, HANDLE_FLAG_INHERIT, 0);
    memset(&si, 0, sizeof(si));
    si.cb = sizeof(si);
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = in_rd;
    si.hStdOutput = answers ? out_wr : GetStdHandle(STD_OUTPUT_HANDLE);
    si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    if (!CreateProcessA(NULL, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &c->pi)) goto failed;
    CloseHandle(in_rd);
    if (out_wr) CloseHandle(out_wr);
    return TRUE;

failed:
    error = GetLastError();
    CloseHandle(in_rd);
    CloseHandle(c->to);
    if (c->from) CloseHandle(c->from);
    if (out_wr) CloseHandle(out_wr);
    memset(c, 0, sizeof(*c));
    SetLastError(error);
    return FALSE;
}

static WSTEST_UNUSED WSTEST_PRINTF(2, 3) BOOL wstest_child_write(struct wstest_child *c, const char *fmt, ...)
{
    char line[WSTEST_INFO_LINE + 2];
    DWORD written;
    va_list ap;
    int len;

    va_start(ap, fmt);
    len = vsnprintf(line, sizeof(line) - 1, fmt, ap);
    va_end(ap);
    if (len < 0 || len >= (int)sizeof(line) - 1) return FALSE;
    line[len++] = '\n';
    return WriteFile(c->to, line, len, &written, NULL) && written == (DWORD)len;
}

/* Returns FALSE when no whole line came (the child went away); buf holds
 * what came, always terminated. */
static WSTEST_UNUSED BOOL wstest_child_read(struct wstest_child *c, char *buf, DWORD size)
{
    DWORD n = 0, got;

    while (n + 1 < size && ReadFile(c->from, buf + n, 1, &got, NULL) && got)
        if (buf[n++] == '\n')
        {
            buf[n - 1] = 0;
            if (n > 1 && buf[n - 2] == '\r') buf[n - 2] = 0;
            return TRUE;
        }
    buf[n] = 0;
    return FALSE;
}

static WSTEST_UNUSED BOOL wstest_child_send_info(struct wstest_child *c, const char *prefix,
                                                 const WSAPROTOCOL_INFOW *info)
{
    char hex[2 * sizeof(*info) + 1];

    wstest_to_hex(info, sizeof(*info), hex);
    return wstest_child_write(c, "%s%s", prefix, hex);
}

/* The child's exit code; 0xdead when it did not exit in time (it is ended). */
static WSTEST_UNUSED DWORD wstest_child_end(struct wstest_child *c)
{
    DWORD code = 0xdead;

    CloseHandle(c->to);
    if (WaitForSingleObject(c->pi.hProcess, WSTEST_CHILD_WAIT) == WAIT_OBJECT_0)
        GetExitCodeProcess(c->pi.hProcess, &code);
    else TerminateProcess(c->pi.hProcess, 1);
    if (c->from) CloseHandle(c->from);
    CloseHandle(c->pi.hProcess);
    CloseHandle(c->pi.hThread);
    memset(c, 0, sizeof(*c));
    return code;
}

/* In the child: the line wstest_child_send_info wrote with no prefix. */
static WSTEST_UNUSED int wstest_read_info(WSAPROTOCOL_INFOW *info)
{
    static char line[WSTEST_INFO_LINE];

    return fgets(line, sizeof(line), stdin) && wstest_from_hex(line, info, sizeof(*info));
}

#endif /* WSTEST_CHILD_H */
