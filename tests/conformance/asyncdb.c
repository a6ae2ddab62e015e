/*
 * The asynchronous database calls, answered through a window's messages.
 *
 * Expected values are Windows' own, from Microsoft's pages:
 *  "WSAAsyncGetHostByName function", "WSAAsyncGetHostByAddr function",
 *  "WSAAsyncGetServByName function", "WSAAsyncGetServByPort function",
 *  "WSAAsyncGetProtoByName function", "WSAAsyncGetProtoByNumber function":
 *   - the call returns a nonzero task handle at once, and the window later
 *     gets the message with wParam = that handle and
 *     lParam = WSAMAKEASYNCREPLY(length, error); WSAGETASYNCERROR is 0 on
 *     success;
 *   - the result is the hostent/servent/protoent at the start of the buffer
 *     given, and the data it refers to is in that buffer too;
 *   - a buffer too small gives WSAENOBUFS, with the length needed in
 *     WSAGETASYNCBUFLEN;
 *   - a host that is not found gives WSAHOST_NOT_FOUND (WSATRY_AGAIN or
 *     WSANO_DATA are also listed; they are accepted, with a trace, since
 *     they depend on the machine's resolver);
 *   - WSANOTINITIALISED before WSAStartup.
 *  "WSACancelAsyncRequest function": a cancelled task posts no message;
 *   cancelling a task that completed fails with WSAEALREADY (the page also
 *   lists WSAEINVAL for an invalid handle; both are accepted for a
 *   completed task, and WSAEINVAL is required for a handle never given).
 *  RFC 6761: names under .invalid are never found.
 *  The IANA registries: "http" over tcp is port 80, "tcp" is protocol 6.
 * Every wait is bounded by a timer.
 */
#include "wstest.h"

#define WM_ASYNC (WM_USER + 9)
#define TIMER_ID 1

struct reply
{
    HANDLE wanted;
    int got, others;
    WPARAM wparam;
    LPARAM lparam;
    int timed_out;
};

static struct reply *cur;

static LRESULT CALLBACK wnd_proc(HWND hwnd, UINT msg, WPARAM wparam, LPARAM lparam)
{
    if (msg == WM_TIMER && wparam == TIMER_ID)
    {
        if (cur) cur->timed_out = 1;
        return 0;
    }
    if (msg != WM_ASYNC) return DefWindowProcA(hwnd, msg, wparam, lparam);
    if (cur && (HANDLE)wparam == cur->wanted && !cur->got)
    {
        cur->got = 1;
        cur->wparam = wparam;
        cur->lparam = lparam;
    }
    else if (cur) cur->others++;
    return 0;
}

/* Run the message loop until the reply to `r->wanted` came, at most `ms`. */
static void wait_reply(HWND hwnd, struct reply *r, UINT ms)
{
    MSG msg;

    cur = r;
    SetTimer(hwnd, TIMER_ID, ms, NULL);
    while (!r->got && !r->timed_out && GetMessageA(&msg, NULL, 0, 0) > 0)
    {
        TranslateMessage(&msg);
        DispatchMessageA(&msg);
    }
    KillTimer(hwnd, TIMER_ID);
}

/* Let messages come for `ms`, counting them in `r->others`. */
static void pump_for(HWND hwnd, struct reply *r, UINT ms)
{
    MSG msg;

    cur = r;
    r->timed_out = 0;
    SetTimer(hwnd, TIMER_ID, ms, NULL);
    while (!r->timed_out && GetMessageA(&msg, NULL, 0, 0) > 0)
    {
        TranslateMessage(&msg);
        DispatchMessageA(&msg);
    }
    KillTimer(hwnd, TIMER_ID);
}

static int inside(const char *buf, size_t size, const void *p, size_t len)
{
    const char *c = p;
    return c >= buf && c + len <= buf + size;
}

/* Every pointer of a NULL-terminated list, and the strings, inside buf. */
static int strings_inside(const char *buf, size_t size, char **list)
{
    size_t i;

    if (!inside(buf, size, list, sizeof(char *))) return 0;
    for (i = 0; inside(buf, size, &list[i], sizeof(char *)); i++)
    {
        if (!list[i]) return 1;
        if (!inside(buf, size, list[i], 1) || !inside(buf, size, list[i], strlen(list[i]) + 1)) return 0;
    }
    return 0;
}

static int host_inside(const char *buf, size_t size)
{
    const struct hostent *h = (const struct hostent *)buf;
    size_t i;

    if (!h->h_name || !inside(buf, size, h->h_name, strlen(h->h_name) + 1)) return 0;
    if (!strings_inside(buf, size, h->h_aliases)) return 0;
    if (!inside(buf, size, h->h_addr_list, sizeof(char *))) return 0;
    for (i = 0; inside(buf, size, &h->h_addr_list[i], sizeof(char *)); i++)
    {
        if (!h->h_addr_list[i]) return 1;
        if (!inside(buf, size, h->h_addr_list[i], h->h_length)) return 0;
    }
    return 0;
}

static int has_loopback(const struct hostent *h)
{
    size_t i;

    if (h->h_addrtype != AF_INET || h->h_length != 4) return 0;
    for (i = 0; h->h_addr_list[i]; i++)
        if (!memcmp(h->h_addr_list[i], "\x7f\x00\x00\x01", 4)) return 1;
    return 0;
}

/* The length in a successful reply: what the buffer holds, at most its size. */
static int good_len(LPARAM lparam, size_t min, int buflen)
{
    int len = WSAGETASYNCBUFLEN(lparam);
    return len >= (int)min && len <= buflen;
}

static union
{
    char buf[MAXGETHOSTSTRUCT];
    void *align;
} u;

static void test_host_by_name(HWND hwnd)
{
    struct reply r = { 0 };

    memset(u.buf, 0xcc, sizeof(u.buf));
    r.wanted = WSAAsyncGetHostByName(hwnd, WM_ASYNC, "localhost", u.buf, sizeof(u.buf));
    ok(r.wanted != NULL, "WSAAsyncGetHostByName: %d\n", WSAGetLastError());
    if (!r.wanted) return;
    wait_reply(hwnd, &r, 15000);
    ok(r.got, "no message for localhost within 15 s\n");
    if (!r.got) return;
    ok(WSAGETASYNCERROR(r.lparam) == 0, "localhost: error %d\n", WSAGETASYNCERROR(r.lparam));
    if (WSAGETASYNCERROR(r.lparam)) return;
    ok(good_len(r.lparam, sizeof(struct hostent), sizeof(u.buf)), "localhost: length %d\n",
       WSAGETASYNCBUFLEN(r.lparam));
    ok(host_inside(u.buf, sizeof(u.buf)), "localhost: a pointer of the hostent is outside the buffer\n");
    if (host_inside(u.buf, sizeof(u.buf)))
        ok(has_loopback((struct hostent *)u.buf), "localhost: 127.0.0.1 is not in h_addr_list\n");
}

static void test_host_by_addr(HWND hwnd)
{
    struct reply r = { 0 };
    struct in_addr addr;

    addr.s_addr = htonl(INADDR_LOOPBACK);
    memset(u.buf, 0xcc, sizeof(u.buf));
    r.wanted = WSAAsyncGetHostByAddr(hwnd, WM_ASYNC, (char *)&addr, sizeof(addr), AF_INET, u.buf, sizeof(u.buf));
    ok(r.wanted != NULL, "WSAAsyncGetHostByAddr: %d\n", WSAGetLastError());
    if (!r.wanted) return;
    wait_reply(hwnd, &r, 15000);
    ok(r.got, "no message for 127.0.0.1 within 15 s\n");
    if (!r.got) return;
    ok(WSAGETASYNCERROR(r.lparam) == 0, "127.0.0.1: error %d\n", WSAGETASYNCERROR(r.lparam));
    if (WSAGETASYNCERROR(r.lparam)) return;
    ok(good_len(r.lparam, sizeof(struct hostent), sizeof(u.buf)), "127.0.0.1: length %d\n",
       WSAGETASYNCBUFLEN(r.lparam));
    ok(host_inside(u.buf, sizeof(u.buf)), "127.0.0.1: a pointer of the hostent is outside the buffer\n");
    if (host_inside(u.buf, sizeof(u.buf)))
    {
        const struct hostent *h = (const struct hostent *)u.buf;
        ok(h->h_name[0] != 0, "127.0.0.1: empty h_name\n");
        ok(has_loopback(h), "127.0.0.1: the address is not in h_addr_list\n");
    }
}

static void test_host_not_found(HWND hwnd)
{
    struct reply r = { 0 };
    int error;

    r.wanted = WSAAsyncGetHostByName(hwnd, WM_ASYNC, "no-such-host.invalid", u.buf, sizeof(u.buf));
    ok(r.wanted != NULL, "WSAAsyncGetHostByName(.invalid): %d\n", WSAGetLastError());
    if (!r.wanted) return;
    wait_reply(hwnd, &r, 30000);
    ok(r.got, "no message for the .invalid name within 30 s\n");
    if (!r.got) return;
    error = WSAGETASYNCERROR(r.lparam);
    if (error == WSATRY_AGAIN || error == WSANO_DATA)
        trace("the .invalid name gave %d (no resolver answering?)\n", error);
    else
        ok(error == WSAHOST_NOT_FOUND, ".invalid: error %d\n", error);
}

static void test_serv(HWND hwnd)
{
    struct reply r = { 0 };
    const struct servent *s = (const struct servent *)u.buf;

    memset(u.buf, 0xcc, sizeof(u.buf));
    r.wanted = WSAAsyncGetServByName(hwnd, WM_ASYNC, "http", "tcp", u.buf, sizeof(u.buf));
    ok(r.wanted != NULL, "WSAAsyncGetServByName: %d\n", WSAGetLastError());
    if (r.wanted)
    {
        wait_reply(hwnd, &r, 15000);
        ok(r.got && WSAGETASYNCERROR(r.lparam) == 0, "http/tcp: message %d, error %d\n", r.got,
           WSAGETASYNCERROR(r.lparam));
        if (r.got && !WSAGETASYNCERROR(r.lparam))
        {
            ok(good_len(r.lparam, sizeof(struct servent), sizeof(u.buf)), "http/tcp: length %d\n",
               WSAGETASYNCBUFLEN(r.lparam));
            ok(ntohs(s->s_port) == 80, "http/tcp: port %u\n", ntohs(s->s_port));
            ok(s->s_name && inside(u.buf, sizeof(u.buf), s->s_name, strlen(s->s_name) + 1) && s->s_proto &&
                   inside(u.buf, sizeof(u.buf), s->s_proto, strlen(s->s_proto) + 1) &&
                   strings_inside(u.buf, sizeof(u.buf), s->s_aliases),
               "http/tcp: a pointer of the servent is outside the buffer\n");
        }
    }

    memset(&r, 0, sizeof(r));
    memset(u.buf, 0xcc, sizeof(u.buf));
    r.wanted = WSAAsyncGetServByPort(hwnd, WM_ASYNC, htons(80), "tcp", u.buf, sizeof(u.buf));
    ok(r.wanted != NULL, "WSAAsyncGetServByPort: %d\n", WSAGetLastError());
    if (r.wanted)
    {
        wait_reply(hwnd, &r, 15000);
        ok(r.got && WSAGETASYNCERROR(r.lparam) == 0, "port 80/tcp: message %d, error %d\n", r.got,
           WSAGETASYNCERROR(r.lparam));
        if (r.got && !WSAGETASYNCERROR(r.lparam))
        {
            ok(ntohs(s->s_port) == 80, "port 80/tcp: port %u\n", ntohs(s->s_port));
            ok(s->s_name && inside(u.buf, sizeof(u.buf), s->s_name, strlen(s->s_name) + 1) &&
                   !strcmp(s->s_name, "http"),
               "port 80/tcp: name %s\n",
               s->s_name && inside(u.buf, sizeof(u.buf), s->s_name, 1) ? s->s_name : "(outside)");
            ok(strings_inside(u.buf, sizeof(u.buf), s->s_aliases), "port 80/tcp: aliases outside the buffer\n");
        }
    }
}

static void test_proto(HWND hwnd)
{
    struct reply r = { 0 };
    const struct protoent *p = (const struct protoent *)u.buf;

    memset(u.buf, 0xcc, sizeof(u.buf));
    r.wanted = WSAAsyncGetProtoByName(hwnd, WM_ASYNC, "tcp", u.buf, sizeof(u.buf));
    ok(r.wanted != NULL, "WSAAsyncGetProtoByName: %d\n", WSAGetLastError());
    if (r.wanted)
    {
        wait_reply(hwnd, &r, 15000);
        ok(r.got && WSAGETASYNCERROR(r.lparam) == 0, "tcp: message %d, error %d\n", r.got,
           WSAGETASYNCERROR(r.lparam));
        if (r.got && !WSAGETASYNCERROR(r.lparam))
        {
            ok(good_len(r.lparam, sizeof(struct protoent), sizeof(u.buf)), "tcp: length %d\n",
               WSAGETASYNCBUFLEN(r.lparam));
            ok(p->p_proto == IPPROTO_TCP, "tcp: protocol %d\n", p->p_proto);
            ok(p->p_name && inside(u.buf, sizeof(u.buf), p->p_name, strlen(p->p_name) + 1) &&
                   strings_inside(u.buf, sizeof(u.buf), p->p_aliases),
               "tcp: a pointer of the protoent is outside the buffer\n");
        }
    }

    memset(&r, 0, sizeof(r));
    memset(u.buf, 0xcc, sizeof(u.buf));
    r.wanted = WSAAsyncGetProtoByNumber(hwnd, WM_ASYNC, IPPROTO_UDP, u.buf, sizeof(u.buf));
    ok(r.wanted != NULL, "WSAAsyncGetProtoByNumber: %d\n", WSAGetLastError());
    if (r.wanted)
    {
        wait_reply(hwnd, &r, 15000);
        ok(r.got && WSAGETASYNCERROR(r.lparam) == 0, "17: message %d, error %d\n", r.got,
           WSAGETASYNCERROR(r.lparam));
        if (r.got && !WSAGETASYNCERROR(r.lparam))
        {
            ok(p->p_proto == IPPROTO_UDP, "17: protocol %d\n", p->p_proto);
            ok(p->p_name && inside(u.buf, sizeof(u.buf), p->p_name, strlen(p->p_name) + 1) &&
                   !_stricmp(p->p_name, "udp"),
               "17: name %s\n",
               p->p_name && inside(u.buf, sizeof(u.buf), p->p_name, 1) ? p->p_name : "(outside)");
        }
    }
}

static void test_small_buffer(HWND hwnd)
{
    struct reply r = { 0 };
    char small[8];
    int need;

    memset(u.buf, 0xcc, sizeof(u.buf));
    r.wanted = WSAAsyncGetProtoByName(hwnd, WM_ASYNC, "tcp", small, sizeof(small));
    ok(r.wanted != NULL, "WSAAsyncGetProtoByName (small buffer): %d\n", WSAGetLastError());
    if (!r.wanted) return;
    wait_reply(hwnd, &r, 15000);
    ok(r.got, "no message for the small buffer within 15 s\n");
    if (!r.got) return;
    ok(WSAGETASYNCERROR(r.lparam) == WSAENOBUFS, "small buffer: error %d\n", WSAGETASYNCERROR(r.lparam));
    need = WSAGETASYNCBUFLEN(r.lparam);
    ok(need > (int)sizeof(small) && need >= (int)(sizeof(struct protoent) + 4), "small buffer: needed %d\n",
       need);
    if (need <= (int)sizeof(small) || need > (int)sizeof(u.buf)) return;

    /* The length given is enough. */
    memset(&r, 0, sizeof(r));
    r.wanted = WSAAsyncGetProtoByName(hwnd, WM_ASYNC, "tcp", u.buf, need);
    ok(r.wanted != NULL, "WSAAsyncGetProtoByName (needed length): %d\n", WSAGetLastError());
    if (!r.wanted) return;
    wait_reply(hwnd, &r, 15000);
    ok(r.got && WSAGETASYNCERROR(r.lparam) == 0, "needed length %d: message %d, error %d\n", need, r.got,
       WSAGETASYNCERROR(r.lparam));
    if (r.got && !WSAGETASYNCERROR(r.lparam))
    {
        const struct protoent *p = (const struct protoent *)u.buf;
        ok(p->p_proto == IPPROTO_TCP && p->p_name && inside(u.buf, need, p->p_name, strlen(p->p_name) + 1) &&
               strings_inside(u.buf, need, p->p_aliases),
           "needed length %d: result outside or wrong\n", need);
    }
}

static void test_cancel(HWND hwnd)
{
    struct reply r = { 0 }, done = { 0 };
    HANDLE task;
    int ret;

    /* Cancelled at once: the lookup cannot have completed yet, in all
     * likelihood; when it has, the cancel fails and the message may come. */
    task = WSAAsyncGetHostByName(hwnd, WM_ASYNC, "localhost", u.buf, sizeof(u.buf));
    ok(task != NULL, "WSAAsyncGetHostByName: %d\n", WSAGetLastError());
    if (task)
    {
        ret = WSACancelAsyncRequest(task);
        if (ret == 0)
        {
            r.wanted = task;
            pump_for(hwnd, &r, 2000);
            ok(!r.got, "a message came for the cancelled task\n");
        }
        else
        {
            skip("the task completed before it could be cancelled (%d)\n", WSAGetLastError());
            r.wanted = task;
            pump_for(hwnd, &r, 500);
        }
    }

    /* A completed task cannot be cancelled. */
    done.wanted = WSAAsyncGetProtoByNumber(hwnd, WM_ASYNC, IPPROTO_TCP, u.buf, sizeof(u.buf));
    ok(done.wanted != NULL, "WSAAsyncGetProtoByNumber: %d\n", WSAGetLastError());
    if (done.wanted)
    {
        wait_reply(hwnd, &done, 15000);
        ok(done.got, "no message for protocol 6 within 15 s\n");
        WSASetLastError(0);
        ret = WSACancelAsyncRequest(done.wanted);
        ok(ret == SOCKET_ERROR && (WSAGetLastError() == WSAEALREADY || WSAGetLastError() == WSAEINVAL),
           "cancelling a completed task: %d %d\n", ret, WSAGetLastError());
    }

    /* A handle never given. */
    WSASetLastError(0);
    ret = WSACancelAsyncRequest(NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEINVAL, "cancelling handle 0: %d %d\n", ret,
       WSAGetLastError());
}

/* No buffer at all (NULL, length 0): the task still starts, and its message
 * says the buffer is too small. */
static void test_no_buffer(HWND hwnd)
{
    struct reply r;
    int i;

    for (i = 0; i < 2; i++)
    {
        const char *what = i ? "WSAAsyncGetServByName" : "WSAAsyncGetServByPort";

        memset(&r, 0, sizeof(r));
        WSASetLastError(0);
        r.wanted = i ? WSAAsyncGetServByName(hwnd, WM_ASYNC, "http", "tcp", NULL, 0)
                     : WSAAsyncGetServByPort(hwnd, WM_ASYNC, htons(80), "tcp", NULL, 0);
        ok(r.wanted != NULL, "%s with no buffer: NULL, error %d\n", what, WSAGetLastError());
        if (!r.wanted) continue;
        wait_reply(hwnd, &r, 15000);
        ok(r.got, "%s with no buffer: no message within 15 s\n", what);
        if (!r.got) continue;
        ok(WSAGETASYNCERROR(r.lparam) == WSAENOBUFS, "%s with no buffer: error %d\n", what,
           WSAGETASYNCERROR(r.lparam));
        ok(WSAGETASYNCBUFLEN(r.lparam) >= (int)sizeof(struct servent), "%s with no buffer: needed %d\n", what,
           WSAGETASYNCBUFLEN(r.lparam));
    }
}

static void test_errors(HWND hwnd)
{
    HANDLE task;

    WSASetLastError(0);
    task = WSAAsyncGetHostByName(hwnd, WM_ASYNC, "localhost", NULL, MAXGETHOSTSTRUCT);
    ok(task == NULL && WSAGetLastError() == WSAEFAULT, "NULL buffer: %p %d\n", task, WSAGetLastError());
}

START_TEST(asyncdb)
{
    WSADATA data;
    HANDLE task;
    HWND hwnd;
    int ret;

    hwnd = wstest_message_window(wnd_proc, "asyncdb_test");
    ok(hwnd != NULL, "CreateWindowEx: %lu\n", GetLastError());
    if (!hwnd) return;

    WSASetLastError(0);
    task = WSAAsyncGetProtoByName(hwnd, WM_ASYNC, "tcp", u.buf, sizeof(u.buf));
    ok(task == NULL && WSAGetLastError() == WSANOTINITIALISED, "before WSAStartup: %p %d\n", task,
       WSAGetLastError());
    ret = WSACancelAsyncRequest((HANDLE)1);
    ok(ret == SOCKET_ERROR &&
           WSAGetLastError() == WSANOTINITIALISED,
       "WSACancelAsyncRequest before WSAStartup: %d %d\n",
       ret, WSAGetLastError());

    ret = WSAStartup(MAKEWORD(2, 2), &data);
    ok(ret == 0, "WSAStartup: %d\n", ret);
    test_host_by_name(hwnd);
    test_host_by_addr(hwnd);
    test_host_not_found(hwnd);
    test_serv(hwnd);
    test_proto(hwnd);
    test_small_buffer(hwnd);
    test_no_buffer(hwnd);
    test_cancel(hwnd);
    test_errors(hwnd);
    DestroyWindow(hwnd);
    WSACleanup();
}
