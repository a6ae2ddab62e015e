/*
 * The Winsock 1.1 database calls, GetAddrInfoEx and the interface lists:
 * gethostbyname, gethostbyaddr, getservbyname, getservbyport,
 * GetAddrInfoExW/A with FreeAddrInfoExW/FreeAddrInfoEx, and WSAIoctl's
 * SIO_GET_INTERFACE_LIST and SIO_ADDRESS_LIST_QUERY.
 *
 * Expected values are Windows' own:
 *  - "gethostbyname function" (Microsoft docs): a hostent with h_addrtype
 *    AF_INET and h_length 4 (IPv4 only); NULL with WSANOTINITIALISED before
 *    WSAStartup, WSAHOST_NOT_FOUND when the name is unknown, WSATRY_AGAIN
 *    when the server cannot be reached; a NULL or empty name gives the local
 *    host, whose name is gethostname's; an IPv4 dotted string is returned as
 *    the name with that one address, without a lookup; only one hostent is
 *    allocated per thread, so the same pointer comes back from each call of
 *    a thread, and another thread's calls do not change it.
 *  - "gethostbyaddr function": type AF_INET (len 4) or AF_INET6 (len 16);
 *    WSAEFAULT when addr is not valid or len is too small, WSAEAFNOSUPPORT
 *    for another type; the address given is in h_addr_list[0].
 *  - "getservbyname function" / "getservbyport function": a servent whose
 *    s_port is in network byte order; proto NULL matches any protocol, else
 *    "tcp" or "udp"; NULL with WSANOTINITIALISED before WSAStartup,
 *    WSANO_DATA when no such service is known; one servent per thread.
 *    The services are those of the standard services file: http is port
 *    80/tcp, domain 53/udp.
 *  - "GetAddrInfoExW function": NS_ALL or NS_DNS; the return value is the
 *    error code (WSAHOST_NOT_FOUND for a name that does not resolve), 0 on
 *    success with the ADDRINFOEX list in *ppResult, freed by
 *    FreeAddrInfoExW; with an OVERLAPPED (Windows 8 and later) the call may
 *    complete later: WSA_IO_PENDING, then the event is set and
 *    GetAddrInfoExOverlappedResult gives the status ("GetAddrInfoEx-
 *    OverlappedResult function"); or, with lpCompletionRoutine and no
 *    event, the routine is called with the status (an event and a routine
 *    together: WSAEINVAL, as Wine's test_GetAddrInfoExW records).
 *  - "SIO_GET_INTERFACE_LIST" (Winsock IOCTLs): an array of INTERFACE_INFO,
 *    one per IPv4 address, the loopback 127.0.0.1 with IFF_LOOPBACK and the
 *    netmask 255.0.0.0 among them; a buffer too small for the list fails
 *    with WSAEFAULT.
 *  - "SIO_ADDRESS_LIST_QUERY control code": a SOCKET_ADDRESS_LIST of the
 *    local addresses of the socket's family; a buffer too small fails with
 *    WSAEFAULT and lpcbBytesReturned gives the size needed.
 *
 * No test here needs a network: names come from the hosts file and the
 * loopback; the one name that must not resolve is under ".invalid"
 * (RFC 6761), and a resolver that cannot be reached at all (WSATRY_AGAIN)
 * only skips that check.
 */
#include "wstest.h"

#define NONEXISTENT   "no-such-host.ws2server-test.invalid"
#define NONEXISTENT_W L"no-such-host.ws2server-test.invalid"

static int has_address(const struct hostent *he, unsigned long addr)
{
    int i;

    for (i = 0; he->h_addr_list[i]; i++)
        if (!memcmp(he->h_addr_list[i], &addr, 4)) return 1;
    return 0;
}

static int count_list(char **list)
{
    int i = 0;

    while (list && list[i]) i++;
    return i;
}

static void test_before_startup(void)
{
    unsigned long loopback = htonl(INADDR_LOOPBACK);

    WSASetLastError(0xdead);
    ok(gethostbyname("localhost") == NULL, "gethostbyname before WSAStartup succeeded\n");
    ok(WSAGetLastError() == WSANOTINITIALISED, "gethostbyname: error %d\n", WSAGetLastError());
    WSASetLastError(0xdead);
    ok(gethostbyaddr((char *)&loopback, 4, AF_INET) == NULL, "gethostbyaddr before WSAStartup succeeded\n");
    ok(WSAGetLastError() == WSANOTINITIALISED, "gethostbyaddr: error %d\n", WSAGetLastError());
    WSASetLastError(0xdead);
    ok(getservbyname("http", "tcp") == NULL, "getservbyname before WSAStartup succeeded\n");
    ok(WSAGetLastError() == WSANOTINITIALISED, "getservbyname: error %d\n", WSAGetLastError());
    WSASetLastError(0xdead);
    ok(getservbyport(htons(80), "tcp") == NULL, "getservbyport before WSAStartup succeeded\n");
    ok(WSAGetLastError() == WSANOTINITIALISED, "getservbyport: error %d\n", WSAGetLastError());
}

static void check_hostent(const char *what, const struct hostent *he)
{
    ok(he->h_name != NULL && he->h_name[0], "%s: no h_name\n", what);
    ok(he->h_aliases != NULL, "%s: h_aliases is NULL\n", what);
    ok(he->h_addrtype == AF_INET, "%s: h_addrtype %d\n", what, he->h_addrtype);
    ok(he->h_length == 4, "%s: h_length %d\n", what, he->h_length);
    ok(he->h_addr_list != NULL && he->h_addr_list[0] != NULL, "%s: no address\n", what);
}

static void test_gethostbyname(void)
{
    struct hostent *he;
    char host[256];
    int i;

    he = gethostbyname("localhost");
    ok(he != NULL, "gethostbyname(localhost) failed: %d\n", WSAGetLastError());
    if (he)
    {
        check_hostent("localhost", he);
        if (he->h_addr_list && he->h_addr_list[0])
            ok(has_address(he, htonl(INADDR_LOOPBACK)), "localhost: 127.0.0.1 is not listed\n");
    }

    /* A dotted address is its own answer. */
    he = gethostbyname("127.0.0.1");
    ok(he != NULL, "gethostbyname(127.0.0.1) failed: %d\n", WSAGetLastError());
    if (he)
    {
        check_hostent("127.0.0.1", he);
        ok(he->h_name && !strcmp(he->h_name, "127.0.0.1"), "127.0.0.1: h_name %s\n", he->h_name);
        ok(count_list(he->h_addr_list) == 1, "127.0.0.1: %d addresses\n", count_list(he->h_addr_list));
        ok(count_list(he->h_aliases) == 0, "127.0.0.1: %d aliases\n", count_list(he->h_aliases));
        if (he->h_addr_list && he->h_addr_list[0])
            ok(has_address(he, htonl(INADDR_LOOPBACK)), "127.0.0.1: address not listed\n");
        /* Windows' layout, packed: the alias pointers right after the
         * hostent, the address pointers after them, then the addresses. */
        ok((void *)he->h_aliases == (void *)(he + 1), "127.0.0.1: aliases at %p, the hostent ends at %p\n",
           (void *)he->h_aliases, (void *)(he + 1));
        ok(he->h_addr_list == he->h_aliases + count_list(he->h_aliases) + 1, "127.0.0.1: address list at %p\n",
           (void *)he->h_addr_list);
        ok(he->h_addr_list && he->h_addr_list[0] == (char *)(he->h_addr_list + count_list(he->h_addr_list) + 1),
           "127.0.0.1: the first address is not right after the list\n");
    }
    he = gethostbyname("10.20.30.40");
    ok(he != NULL, "gethostbyname(10.20.30.40) failed: %d\n", WSAGetLastError());
    if (he)
    {
        ok(he->h_name && !strcmp(he->h_name, "10.20.30.40"), "10.20.30.40: h_name %s\n", he->h_name);
        ok(count_list(he->h_addr_list) == 1 && has_address(he, inet_addr("10.20.30.40")),
           "10.20.30.40: wrong address list\n");
    }

    /* The local host, by NULL, "" and its name. */
    ok(!gethostname(host, sizeof(host)), "gethostname failed: %d\n", WSAGetLastError());
    for (i = 0; i < 3; i++)
    {
        static const char *const what[] = { "NULL", "\"\"", "the host name" };
        const char *name = i == 0 ? NULL : i == 1 ? ""
                                                  : host;

        he = gethostbyname(name);
        ok(he != NULL, "gethostbyname(%s) failed: %d\n", what[i], WSAGetLastError());
        if (!he) continue;
        check_hostent(what[i], he);
        ok(he->h_name && !_strnicmp(he->h_name, host, strlen(host)), "%s: h_name %s, host %s\n", what[i],
           he->h_name, host);
    }

    WSASetLastError(0xdead);
    he = gethostbyname(NONEXISTENT);
    if (!he && WSAGetLastError() == WSATRY_AGAIN) skip("no resolver: %s not checked\n", NONEXISTENT);
    else
    {
        ok(he == NULL, "gethostbyname(%s) succeeded\n", NONEXISTENT);
        ok(WSAGetLastError() == WSAHOST_NOT_FOUND, "%s: error %d\n", NONEXISTENT, WSAGetLastError());
    }
}

static DWORD WINAPI gethostbyaddr_null(void *arg)
{
    (void)arg;
    WSASetLastError(0xdead);
    ok(gethostbyaddr(NULL, 4, AF_INET) == NULL, "gethostbyaddr(NULL) succeeded\n");
    ok(WSAGetLastError() == WSAEFAULT, "gethostbyaddr(NULL): error %d\n", WSAGetLastError());
    return 0;
}

static void test_gethostbyaddr(void)
{
    unsigned long loopback = htonl(INADDR_LOOPBACK);
    struct hostent *he;

    he = gethostbyaddr((char *)&loopback, 4, AF_INET);
    ok(he != NULL, "gethostbyaddr(127.0.0.1) failed: %d\n", WSAGetLastError());
    if (he)
    {
        check_hostent("gethostbyaddr", he);
        ok(count_list(he->h_addr_list) == 1 && has_address(he, loopback), "gethostbyaddr: wrong address list\n");
    }

    wstest_guarded("gethostbyaddr(NULL)", gethostbyaddr_null, NULL);
    WSASetLastError(0xdead);
    ok(gethostbyaddr((char *)&loopback, 3, AF_INET) == NULL, "gethostbyaddr with len 3 succeeded\n");
    ok(WSAGetLastError() == WSAEFAULT, "gethostbyaddr with len 3: error %d\n", WSAGetLastError());
    WSASetLastError(0xdead);
    ok(gethostbyaddr((char *)&loopback, 4, AF_IPX) == NULL, "gethostbyaddr(AF_IPX) succeeded\n");
    ok(WSAGetLastError() == WSAEAFNOSUPPORT, "gethostbyaddr(AF_IPX): error %d\n", WSAGetLastError());
}

static void check_servent(const char *what, const struct servent *se, const char *name, int port,
                          const char *proto)
{
    ok(se != NULL, "%s failed: %d\n", what, WSAGetLastError());
    if (!se) return;
    ok(se->s_name && !strcmp(se->s_name, name), "%s: s_name %s\n", what, se->s_name);
    ok(se->s_port == htons(port), "%s: s_port %d\n", what, ntohs(se->s_port));
    ok(se->s_proto && !strcmp(se->s_proto, proto), "%s: s_proto %s\n", what, se->s_proto);
    ok(se->s_aliases != NULL, "%s: s_aliases is NULL\n", what);
}

static void test_services(void)
{
    struct servent *se;

    check_servent("getservbyname(http, tcp)", getservbyname("http", "tcp"), "http", 80, "tcp");
    check_servent("getservbyname(domain, udp)", getservbyname("domain", "udp"), "domain", 53, "udp");
    se = getservbyname("http", NULL);
    ok(se != NULL && se->s_port == htons(80), "getservbyname(http, NULL): %p\n", se);
    check_servent("getservbyport(80, tcp)", getservbyport(htons(80), "tcp"), "http", 80, "tcp");
    check_servent("getservbyport(53, udp)", getservbyport(htons(53), "udp"), "domain", 53, "udp");
    se = getservbyport(htons(80), NULL);
    ok(se != NULL && se->s_port == htons(80), "getservbyport(80, NULL): %p\n", se);

    WSASetLastError(0xdead);
    ok(getservbyname("no-such-service-ws2", "tcp") == NULL, "an unknown service was found\n");
    ok(WSAGetLastError() == WSANO_DATA, "unknown service: error %d\n", WSAGetLastError());
    WSASetLastError(0xdead);
    ok(getservbyport(htons(47123), "tcp") == NULL, "port 47123 has a service\n");
    ok(WSAGetLastError() == WSANO_DATA, "unknown port: error %d\n", WSAGetLastError());
}

/* The other thread's answers, to compare with this thread's. */
struct thread_results
{
    struct hostent *he;
    struct servent *se;
    char h_name[64];
    short s_port;
};

static DWORD WINAPI lookup_thread(void *arg)
{
    struct thread_results *r = arg;

    if ((r->he = gethostbyname("10.1.2.3"))) snprintf(r->h_name, sizeof(r->h_name), "%s", r->he->h_name);
    if ((r->se = getservbyname("domain", "udp"))) r->s_port = r->se->s_port;
    return 0;
}

static void test_per_thread(void)
{
    struct thread_results r;
    struct hostent *he1, *he2;
    struct servent *se1, *se2;
    HANDLE thread;

    he1 = gethostbyname("127.0.0.1");
    he2 = gethostbyname("127.0.0.2");
    ok(he1 != NULL && he1 == he2, "gethostbyname: %p then %p in one thread\n", he1, he2);
    se1 = getservbyname("http", "tcp");
    se2 = getservbyname("http", "tcp");
    ok(se1 != NULL && se1 == se2, "getservbyname: %p then %p in one thread\n", se1, se2);
    if (!he1 || !se1) return;

    memset(&r, 0, sizeof(r));
    thread = CreateThread(NULL, 0, lookup_thread, &r, 0, NULL);
    ok(thread != NULL, "CreateThread failed\n");
    if (!thread) return;
    ok(WaitForSingleObject(thread, 30000) == WAIT_OBJECT_0, "the lookup thread did not end\n");
    CloseHandle(thread);
    ok(r.he != NULL && r.he != he1, "the other thread's hostent: %p, this one's %p\n", r.he, he1);
    ok(!strcmp(r.h_name, "10.1.2.3"), "the other thread's h_name: %s\n", r.h_name);
    ok(r.se != NULL && r.se != se1, "the other thread's servent: %p, this one's %p\n", r.se, se1);
    ok(r.s_port == htons(53), "the other thread's s_port: %d\n", ntohs(r.s_port));
    /* This thread's answers are untouched. */
    ok(!strcmp(he1->h_name, "127.0.0.2"), "this thread's h_name: %s\n", he1->h_name);
    ok(se1->s_port == htons(80), "this thread's s_port: %d\n", ntohs(se1->s_port));
}

/* Not declared by every SDK's headers: taken from the DLL. */
static INT(WSAAPI *pGetAddrInfoExOverlappedResult)(LPOVERLAPPED);

static DWORD WINAPI getaddrinfoex_a(void *arg)
{
    ADDRINFOEXA hints_a, *result_a;
    int ret;

    (void)arg;
    memset(&hints_a, 0, sizeof(hints_a));
    hints_a.ai_family = AF_INET;
    hints_a.ai_socktype = SOCK_STREAM;
    ret = GetAddrInfoExA("127.0.0.1", "http", NS_ALL, NULL, &hints_a, &result_a, NULL, NULL, NULL, NULL);
    ok(ret == 0, "GetAddrInfoExA(127.0.0.1, http) returned %d\n", ret);
    if (!ret)
    {
        const struct sockaddr_in *sin = result_a ? (const struct sockaddr_in *)result_a->ai_addr : NULL;

        ok(sin && sin->sin_addr.s_addr == htonl(INADDR_LOOPBACK) && sin->sin_port == htons(80),
           "GetAddrInfoExA: wrong address\n");
        ok(result_a && result_a->ai_socktype == SOCK_STREAM, "GetAddrInfoExA: wrong socket type\n");
        FreeAddrInfoEx(result_a);
    }
    return 0;
}

static HANDLE routine_called;
static DWORD routine_error;
static LPWSAOVERLAPPED routine_ov;

static void CALLBACK lookup_done(DWORD error, DWORD bytes, LPWSAOVERLAPPED ov)
{
    (void)bytes;
    routine_error = error;
    routine_ov = ov;
    SetEvent(routine_called);
}

static void test_getaddrinfoex(void)
{
    ADDRINFOEXW hints, *result, *ai;
    OVERLAPPED ov;
    HANDLE handle;
    int ret, found;

    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_INET;
    result = (ADDRINFOEXW *)0xdeadbeef;
    ret = GetAddrInfoExW(L"localhost", L"80", NS_DNS, NULL, &hints, &result, NULL, NULL, NULL, NULL);
    ok(ret == 0, "GetAddrInfoExW(localhost) returned %d\n", ret);
    ok(WSAGetLastError() == ret, "WSAGetLastError %d, returned %d\n", WSAGetLastError(), ret);
    if (!ret)
    {
        found = 0;
        for (ai = result; ai; ai = (ADDRINFOEXW *)ai->ai_next)
        {
            const struct sockaddr_in *sin = (const struct sockaddr_in *)ai->ai_addr;

            ok(ai->ai_family == AF_INET, "ai_family %d\n", ai->ai_family);
            ok(ai->ai_addrlen == sizeof(struct sockaddr_in), "ai_addrlen %u\n", (unsigned)ai->ai_addrlen);
            if (!sin) continue;
            ok(sin->sin_port == htons(80), "port %d\n", ntohs(sin->sin_port));
            if (sin->sin_addr.s_addr == htonl(INADDR_LOOPBACK)) found = 1;
        }
        ok(found, "GetAddrInfoExW(localhost): 127.0.0.1 is not listed\n");
        FreeAddrInfoExW(result);
    }

    hints.ai_flags = AI_CANONNAME;
    ret = GetAddrInfoExW(L"localhost", NULL, NS_ALL, NULL, &hints, &result, NULL, NULL, NULL, NULL);
    ok(ret == 0, "GetAddrInfoExW(localhost, AI_CANONNAME) returned %d\n", ret);
    if (!ret)
    {
        ok(result && result->ai_canonname && result->ai_canonname[0], "no canonical name\n");
        FreeAddrInfoExW(result);
    }

    result = (ADDRINFOEXW *)0xdeadbeef;
    ret = GetAddrInfoExW(NONEXISTENT_W, NULL, NS_ALL, NULL, NULL, &result, NULL, NULL, NULL, NULL);
    if (ret == WSATRY_AGAIN) skip("no resolver: %s not checked\n", NONEXISTENT);
    else
    {
        ok(ret == WSAHOST_NOT_FOUND, "GetAddrInfoExW(%s) returned %d\n", NONEXISTENT, ret);
        ok(result == NULL, "result %p after a failure\n", result);
    }

    wstest_guarded("GetAddrInfoExA", getaddrinfoex_a, NULL);
    FreeAddrInfoExW(NULL);

    /* With an OVERLAPPED and an event, no completion routine. */
    pGetAddrInfoExOverlappedResult = (void *)GetProcAddress(GetModuleHandleA("ws2_32.dll"),
                                                            "GetAddrInfoExOverlappedResult");
    ok(pGetAddrInfoExOverlappedResult != NULL, "GetAddrInfoExOverlappedResult is not exported\n");
    if (!pGetAddrInfoExOverlappedResult) return;
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    routine_called = CreateEventW(NULL, TRUE, FALSE, NULL);
    hints.ai_flags = 0;
    result = NULL;
    handle = NULL;
    ret = GetAddrInfoExW(L"127.0.0.1", L"80", NS_ALL, NULL, &hints, &result, NULL, &ov, NULL, &handle);
    ok(ret == WSA_IO_PENDING || ret == 0, "overlapped GetAddrInfoExW returned %d\n", ret);
    if (ret == WSA_IO_PENDING)
    {
        /* In progress, or already done (Wine's test_GetAddrInfoExW, which
         * passes on Windows, allows both). */
        ok(ov.Internal == WSAEINPROGRESS || ov.Internal == 0, "pending lookup: Internal %#Ix\n", ov.Internal);
        ok(WaitForSingleObject(ov.hEvent, 10000) == WAIT_OBJECT_0, "the event was not set\n");
        ret = pGetAddrInfoExOverlappedResult(&ov);
        ok(ret == 0, "GetAddrInfoExOverlappedResult returned %d\n", ret);
        ok(ov.Pointer == (void *)&result, "the OVERLAPPED does not point to the result: %p\n", ov.Pointer);
    }
    if (!ret)
    {
        ok(result && result->ai_addr &&
               ((struct sockaddr_in *)result->ai_addr)->sin_addr.s_addr == htonl(INADDR_LOOPBACK),
           "overlapped GetAddrInfoExW: wrong result\n");
        FreeAddrInfoExW(result);
    }

    /* A completion routine instead of the event: both together is WSAEINVAL. */
    ret = GetAddrInfoExW(L"127.0.0.1", L"80", NS_ALL, NULL, &hints, &result, NULL, &ov, lookup_done, NULL);
    ok(ret == WSAEINVAL, "GetAddrInfoExW with an event and a routine returned %d\n", ret);
    ov.hEvent = NULL;
    result = (void *)0xdeadbeef;
    routine_error = 0xdeadbeef;
    routine_ov = NULL;
    ret = GetAddrInfoExW(L"127.0.0.1", L"80", NS_ALL, NULL, &hints, &result, NULL, &ov, lookup_done, NULL);
    ok(ret == WSA_IO_PENDING, "GetAddrInfoExW with a routine returned %d\n", ret);
    if (ret == WSA_IO_PENDING)
    {
        ok(WaitForSingleObject(routine_called, 10000) == WAIT_OBJECT_0, "the routine was not called\n");
        ok(routine_error == 0 && routine_ov == &ov, "the routine got %lu, %p\n", routine_error, routine_ov);
        ok(pGetAddrInfoExOverlappedResult(&ov) == 0, "GetAddrInfoExOverlappedResult: %d\n",
           pGetAddrInfoExOverlappedResult(&ov));
        ok(result && result != (void *)0xdeadbeef && result->ai_addr &&
               ((struct sockaddr_in *)result->ai_addr)->sin_addr.s_addr == htonl(INADDR_LOOPBACK),
           "GetAddrInfoExW with a routine: wrong result\n");
        if (result != (void *)0xdeadbeef) FreeAddrInfoExW(result);
    }
    CloseHandle(routine_called);
    ok(pGetAddrInfoExOverlappedResult(NULL) == WSAEINVAL, "GetAddrInfoExOverlappedResult(NULL) is not WSAEINVAL\n");
}

static void test_interface_list(void)
{
    INTERFACE_INFO info[64];
    DWORD bytes, i;
    SOCKET s;
    int ret, found = 0;

    s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    ok(s != INVALID_SOCKET, "socket failed: %d\n", WSAGetLastError());
    if (s == INVALID_SOCKET) return;

    bytes = 0xdeadbeef;
    ret = WSAIoctl(s, SIO_GET_INTERFACE_LIST, NULL, 0, info, sizeof(info), &bytes, NULL, NULL);
    ok(ret == 0, "SIO_GET_INTERFACE_LIST failed: %d\n", WSAGetLastError());
    if (!ret)
    {
        ok(bytes && bytes % sizeof(INTERFACE_INFO) == 0, "SIO_GET_INTERFACE_LIST: %lu bytes\n", bytes);
        for (i = 0; i < bytes / sizeof(INTERFACE_INFO); i++)
        {
            ok(info[i].iiAddress.AddressIn.sin_family == AF_INET, "entry %lu: family %d\n", i,
               info[i].iiAddress.AddressIn.sin_family);
            if (info[i].iiAddress.AddressIn.sin_addr.s_addr != htonl(INADDR_LOOPBACK)) continue;
            found = 1;
            ok(info[i].iiFlags & IFF_LOOPBACK, "loopback: flags %#lx\n", info[i].iiFlags);
            ok(info[i].iiFlags & IFF_UP, "loopback: flags %#lx\n", info[i].iiFlags);
            ok(info[i].iiNetmask.AddressIn.sin_addr.s_addr == htonl(0xff000000), "loopback: netmask %s\n",
               inet_ntoa(info[i].iiNetmask.AddressIn.sin_addr));
        }
        ok(found, "127.0.0.1 is not in the interface list\n");

        WSASetLastError(0xdead);
        ret = WSAIoctl(s, SIO_GET_INTERFACE_LIST, NULL, 0, info, bytes - 1, &bytes, NULL, NULL);
        ok(ret == SOCKET_ERROR, "SIO_GET_INTERFACE_LIST with a short buffer returned %d\n", ret);
        ok(WSAGetLastError() == WSAEFAULT, "short buffer: error %d\n", WSAGetLastError());
    }
    closesocket(s);
}

static void test_address_list(int family)
{
    const char *name = family == AF_INET ? "AF_INET" : "AF_INET6";
    size_t addr_size = family == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);
    SOCKET_ADDRESS_LIST *list;
    DWORD size, bytes;
    SOCKET s;
    int ret, i;

    s = socket(family, SOCK_STREAM, IPPROTO_TCP);
    if (s == INVALID_SOCKET && family == AF_INET6)
    {
        skip("no IPv6: SIO_ADDRESS_LIST_QUERY not checked\n");
        return;
    }
    ok(s != INVALID_SOCKET, "socket(%s) failed: %d\n", name, WSAGetLastError());
    if (s == INVALID_SOCKET) return;

    size = 0xdeadbeef;
    WSASetLastError(0xdead);
    ret = WSAIoctl(s, SIO_ADDRESS_LIST_QUERY, NULL, 0, NULL, 0, &size, NULL, NULL);
    ok(ret == SOCKET_ERROR, "%s: SIO_ADDRESS_LIST_QUERY without a buffer returned %d\n", name, ret);
    ok(WSAGetLastError() == WSAEFAULT, "%s: no buffer: error %d\n", name, WSAGetLastError());
    ok(size >= offsetof(SOCKET_ADDRESS_LIST, Address) && size != 0xdeadbeef, "%s: size needed %lu\n", name, size);
    if (size < offsetof(SOCKET_ADDRESS_LIST, Address) || size > 65536)
    {
        closesocket(s);
        return;
    }

    list = malloc(size + 64);
    bytes = 0xdeadbeef;
    ret = WSAIoctl(s, SIO_ADDRESS_LIST_QUERY, NULL, 0, list, size + 64, &bytes, NULL, NULL);
    ok(ret == 0, "%s: SIO_ADDRESS_LIST_QUERY failed: %d\n", name, WSAGetLastError());
    if (!ret)
    {
        ok(bytes == size, "%s: %lu bytes, %lu announced\n", name, bytes, size);
        ok(bytes == offsetof(SOCKET_ADDRESS_LIST, Address) + list->iAddressCount * (sizeof(SOCKET_ADDRESS) + addr_size),
           "%s: %lu bytes for %d addresses\n", name, bytes, list->iAddressCount);
        for (i = 0; i < list->iAddressCount; i++)
        {
            const char *p = (const char *)list->Address[i].lpSockaddr;

            ok(p >= (const char *)&list->Address[list->iAddressCount] && p + addr_size <= (const char *)list + bytes,
               "%s: address %d is outside the buffer\n", name, i);
            ok(list->Address[i].iSockaddrLength == (int)addr_size, "%s: address %d: length %d\n", name, i,
               list->Address[i].iSockaddrLength);
            if (p) ok(((const struct sockaddr *)p)->sa_family == family, "%s: address %d: family %d\n", name, i,
                      ((const struct sockaddr *)p)->sa_family);
        }
        if (size > offsetof(SOCKET_ADDRESS_LIST, Address))
        {
            WSASetLastError(0xdead);
            bytes = 0xdeadbeef;
            ret = WSAIoctl(s, SIO_ADDRESS_LIST_QUERY, NULL, 0, list, size - 1, &bytes, NULL, NULL);
            ok(ret == SOCKET_ERROR, "%s: short buffer: returned %d\n", name, ret);
            ok(WSAGetLastError() == WSAEFAULT, "%s: short buffer: error %d\n", name, WSAGetLastError());
            ok(bytes == size, "%s: short buffer: %lu bytes needed, %lu before\n", name, bytes, size);
        }
    }
    free(list);
    closesocket(s);
}

START_TEST(netdb)
{
    WSADATA data;
    int ret;

    test_before_startup();

    ret = WSAStartup(MAKEWORD(2, 2), &data);
    ok(ret == 0, "WSAStartup returned %d\n", ret);
    if (ret) return;

    test_gethostbyname();
    test_gethostbyaddr();
    test_services();
    test_per_thread();
    test_getaddrinfoex();
    test_interface_list();
    test_address_list(AF_INET);
    test_address_list(AF_INET6);

    WSACleanup();
}
