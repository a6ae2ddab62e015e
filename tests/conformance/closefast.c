/*
 * What closesocket and socket must still do when they do not wait.
 *
 * Windows' rules checked here:
 * - once closesocket has returned, the socket is gone for every thread: a
 *   listener's port can be bound again at once by another thread (no
 *   connection was made on it, so nothing waits in TIME_WAIT), and the
 *   value is no socket any more (WSAENOTSOCK), also to a second
 *   closesocket;
 * - a closesocket followed at once by calls on another socket, in the same
 *   thread and in another one, leaves those untouched;
 * - a socket that socket() has returned is a socket for every thread at
 *   once: another thread can bind it and ask its name;
 * - a new SOCKET carries nothing of an earlier one: WSASocket with
 *   WSA_FLAG_NO_HANDLE_INHERIT gives a handle that is not inheritable even
 *   right after an inheritable socket was closed, and a new SOCKET can be
 *   associated with a completion port even right after a socket bound to
 *   another port was closed (a handle takes one port for its life,
 *   "CreateIoCompletionPort");
 * - many sockets opened and then closed all succeed.
 */
#include "wstest.h"

#define ROUNDS 200

struct rebind
{
    HANDLE closed, done;
    volatile LONG port, failures, error;
};

/* The other thread: bind the port the first one has just closed. */
static DWORD WINAPI rebind_thread(void *arg)
{
    struct rebind *r = arg;
    struct sockaddr_in addr;
    int i;

    for (i = 0; i < ROUNDS; i++)
    {
        SOCKET s;

        if (WaitForSingleObject(r->closed, 10000)) break;
        memset(&addr, 0, sizeof(addr));
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addr.sin_port = (u_short)r->port;
        s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        if (s == INVALID_SOCKET || bind(s, (struct sockaddr *)&addr, sizeof(addr)))
        {
            InterlockedIncrement(&r->failures);
            InterlockedExchange(&r->error, WSAGetLastError());
        }
        closesocket(s);
        SetEvent(r->done);
    }
    return 0;
}

static void test_close_then_other_thread(void)
{
    struct rebind r = { CreateEventW(NULL, FALSE, FALSE, NULL), CreateEventW(NULL, FALSE, FALSE, NULL), 0, 0, 0 };
    HANDLE thread = CreateThread(NULL, 0, rebind_thread, &r, 0, NULL);
    struct sockaddr_in addr;
    int i, len, made = 0;

    for (i = 0; i < ROUNDS; i++)
    {
        SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);

        memset(&addr, 0, sizeof(addr));
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        len = sizeof(addr);
        if (s == INVALID_SOCKET || bind(s, (struct sockaddr *)&addr, sizeof(addr)) || listen(s, 5) ||
            getsockname(s, (struct sockaddr *)&addr, &len))
        {
            closesocket(s);
            break;
        }
        r.port = addr.sin_port;
        ok(!closesocket(s), "closesocket: %d\n", WSAGetLastError());
        SetEvent(r.closed);
        ok(!WaitForSingleObject(r.done, 10000), "round %d: the other thread did not answer\n", i);
        made++;
    }
    ok(made == ROUNDS, "made %d listeners of %d\n", made, ROUNDS);
    ok(!r.failures, "%ld of %d binds right after the close failed (last error %ld)\n", r.failures, made, r.error);
    WaitForSingleObject(thread, 10000);
    CloseHandle(thread);
    CloseHandle(r.closed);
    CloseHandle(r.done);
}

struct handoff
{
    HANDLE made, done;
    volatile SOCKET s;
    volatile LONG failures, error;
};

/* The other thread: use at once the socket the first one has just made. */
static DWORD WINAPI use_thread(void *arg)
{
    struct handoff *h = arg;
    struct sockaddr_in addr;
    int i, len;

    for (i = 0; i < ROUNDS; i++)
    {
        if (WaitForSingleObject(h->made, 10000)) break;
        memset(&addr, 0, sizeof(addr));
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        len = sizeof(addr);
        if (bind(h->s, (struct sockaddr *)&addr, sizeof(addr)) || getsockname(h->s, (struct sockaddr *)&addr, &len) ||
            !addr.sin_port)
        {
            InterlockedIncrement(&h->failures);
            InterlockedExchange(&h->error, WSAGetLastError());
        }
        SetEvent(h->done);
    }
    return 0;
}

static void test_socket_then_other_thread(void)
{
    struct handoff h = { CreateEventW(NULL, FALSE, FALSE, NULL), CreateEventW(NULL, FALSE, FALSE, NULL), 0, 0, 0 };
    HANDLE thread = CreateThread(NULL, 0, use_thread, &h, 0, NULL);
    int i, made = 0;

    for (i = 0; i < ROUNDS; i++)
    {
        if ((h.s = socket(AF_INET, i & 1 ? SOCK_DGRAM : SOCK_STREAM, 0)) == INVALID_SOCKET) break;
        SetEvent(h.made);
        ok(!WaitForSingleObject(h.done, 10000), "round %d: the other thread did not answer\n", i);
        closesocket(h.s);
        made++;
    }
    ok(made == ROUNDS, "made %d sockets of %d\n", made, ROUNDS);
    ok(!h.failures, "%ld of %d binds from another thread right after socket() failed (last error %ld)\n",
       h.failures, made, h.error);
    WaitForSingleObject(thread, 10000);
    CloseHandle(thread);
    CloseHandle(h.made);
    CloseHandle(h.done);
}

static void test_close_then_same_thread(void)
{
    SOCKET keep = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP), s;
    int i, type, len, bad = 0;

    ok(keep != INVALID_SOCKET, "socket: %d\n", WSAGetLastError());
    for (i = 0; i < ROUNDS; i++)
    {
        s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        if (closesocket(s)) bad++;
        len = sizeof(type);
        type = 0;
        if (getsockopt(keep, SOL_SOCKET, SO_TYPE, (char *)&type, &len) || type != SOCK_DGRAM) bad++;
    }
    ok(!bad, "%d calls failed\n", bad);
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ok(!closesocket(s), "closesocket: %d\n", WSAGetLastError());
    WSASetLastError(0);
    len = sizeof(type);
    ok(getsockopt(s, SOL_SOCKET, SO_TYPE, (char *)&type, &len) == SOCKET_ERROR && WSAGetLastError() == WSAENOTSOCK,
       "getsockopt on the closed value: error %d\n", WSAGetLastError());
    WSASetLastError(0);
    ok(closesocket(s) == SOCKET_ERROR && WSAGetLastError() == WSAENOTSOCK, "second closesocket: error %d\n",
       WSAGetLastError());
    closesocket(keep);
}

static void test_nothing_carried_over(void)
{
    int i, inherited = 0, refused = 0;
    DWORD flags;

    for (i = 0; i < 50; i++)
    {
        SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP), n;

        closesocket(s);
        n = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED | WSA_FLAG_NO_HANDLE_INHERIT);
        flags = 0xdead;
        if (!GetHandleInformation((HANDLE)n, &flags) || (flags & HANDLE_FLAG_INHERIT)) inherited++;
        closesocket(n);
    }
    ok(!inherited, "%d of 50 non-inheritable sockets were inheritable\n", inherited);

    for (i = 0; i < 50; i++)
    {
        SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP), n;
        HANDLE port = CreateIoCompletionPort((HANDLE)s, NULL, 1, 0), port2;

        ok(port != NULL, "CreateIoCompletionPort: %lu\n", GetLastError());
        closesocket(s);
        n = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        port2 = CreateIoCompletionPort((HANDLE)n, NULL, 2, 0);
        if (!port2) refused++;
        closesocket(n);
        if (port2) CloseHandle(port2);
        if (port) CloseHandle(port);
    }
    ok(!refused, "%d of 50 new sockets could not take a completion port\n", refused);
}

static void test_many(void)
{
    enum
    {
        COUNT = 2000
    };
    SOCKET *s = calloc(COUNT, sizeof(*s));
    int i, opened = 0, closed = 0;

    for (i = 0; i < COUNT; i++)
        if ((s[i] = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP)) != INVALID_SOCKET) opened++;
    for (i = 0; i < COUNT; i++)
        if (s[i] != INVALID_SOCKET && !closesocket(s[i])) closed++;
    ok(opened == COUNT, "opened %d of %d\n", opened, COUNT);
    ok(closed == COUNT, "closed %d of %d\n", closed, COUNT);
    free(s);
}

START_TEST(closefast)
{
    WSADATA data;

    ok(!WSAStartup(MAKEWORD(2, 2), &data), "WSAStartup failed\n");
    test_close_then_other_thread();
    test_socket_then_other_thread();
    test_close_then_same_thread();
    test_nothing_carried_over();
    test_many();
    WSACleanup();
}
