/*
 * getaddrinfo / getnameinfo and their wide forms, GetAddrInfoExW/A.  The
 * lookup itself runs in the server with the system resolver (in a worker
 * thread, so the server never waits for DNS); here the answers become
 * Windows' structures.  Each
 * addrinfo node is one heap block (node, address, canonical name), which is
 * what freeaddrinfo releases.
 */
#include <string.h>
#include "private.h"
#include "channel.h"
#include "usermem.h"
#include "ws2addr.h"

/* The answers for (node, service, hints) in *rep; 0 or a WSA error. */
static int lookup(const char *node, const char *service, const ADDRINFOA *hints,
                  struct ws2_getaddrinfo_reply *rep)
{
    struct ws2_getaddrinfo_request req = { 0 };
    ADDRINFOA h;

    if (node)
    {
        if (strlen(node) >= sizeof(req.node)) return WSAEINVAL;
        strcpy(req.node, node);
        req.present |= WS2_RESOLVE_NODE;
    }
    if (service)
    {
        if (strlen(service) >= sizeof(req.service)) return WSATYPE_NOT_FOUND;
        strcpy(req.service, service);
        req.present |= WS2_RESOLVE_SERVICE;
    }
    if (hints)
    {
        if (user_read(&h, hints, sizeof(h)) < 0) return WSAEFAULT;
        req.present |= WS2_RESOLVE_HINTS;
        req.flags = h.ai_flags;
        req.family = h.ai_family;
        req.socktype = h.ai_socktype;
        req.protocol = h.ai_protocol;
    }
    rep->count = 0;
    return ws2_call_getaddrinfo(0, &req, rep);
}

/*
 * Where a node type keeps each field: ADDRINFOA/W and ADDRINFOEXA/W differ
 * only in their size and where ai_canonname and ai_next sit.
 */
struct node_layout
{
    size_t size, canonname, next;
};

static const struct node_layout addrinfo_layout = {
    sizeof(ADDRINFOA), offsetof(ADDRINFOA, ai_canonname), offsetof(ADDRINFOA, ai_next)
};
static const struct node_layout addrinfoex_layout = {
    sizeof(ADDRINFOEXW), offsetof(ADDRINFOEXW, ai_canonname), offsetof(ADDRINFOEXW, ai_next)
};
_Static_assert(offsetof(ADDRINFOEXW, ai_addr) == offsetof(ADDRINFOA, ai_addr) &&
                   offsetof(ADDRINFOEXW, ai_addrlen) == offsetof(ADDRINFOA, ai_addrlen) &&
                   offsetof(ADDRINFOW, ai_addr) == offsetof(ADDRINFOA, ai_addr),
               "addrinfo layouts");

/* Build the list of nodes; `wide` gives the canonical name as WCHARs.  The
 * leading fields (flags, family, socktype, protocol, addrlen, canonname?,
 * addr) have the same places in every form but the name and next. */
static void *build_list(const struct ws2_getaddrinfo_reply *rep, int wide, const struct node_layout *layout)
{
    void *head = NULL, **link = &head;
    uint32_t i;

    for (i = 0; i < rep->count; i++)
    {
        const struct ws2_addrinfo_entry *e = &rep->entries[i];
        size_t name_len = (!i && rep->canonname[0]) ? strlen(rep->canonname) + 1 : 0;
        size_t size = layout->size + WS2_MAX_ADDR + name_len * (wide ? sizeof(WCHAR) : 1);
        char *node = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, size);
        ADDRINFOA *ai = (ADDRINFOA *)node;

        if (!node) break;
        ai->ai_family = e->family;
        ai->ai_socktype = e->socktype;
        ai->ai_protocol = e->protocol;
        ai->ai_addrlen = e->addrlen;
        ai->ai_addr = (struct sockaddr *)(node + layout->size);
        memcpy(ai->ai_addr, e->addr, e->addrlen);
        if (name_len)
        {
            char *name = node + layout->size + WS2_MAX_ADDR;

            if (wide) MultiByteToWideChar(CP_UTF8, 0, rep->canonname, -1, (WCHAR *)name, name_len);
            else memcpy(name, rep->canonname, name_len);
            memcpy(node + layout->canonname, &name, sizeof(name));
        }
        *link = node;
        link = (void **)(node + layout->next);
    }
    return head;
}

/* Look (node, service, hints) up and build the list in *res, ADDRINFO or
 * ADDRINFOEX as `layout` says, in the wide form when `wide`; 0 or a WSA
 * error. */
static int lookup_list(const char *node, const char *service, const ADDRINFOA *hints, int wide,
                       const struct node_layout *layout, void **res)
{
    struct ws2_getaddrinfo_reply *rep;
    int status;

    *res = NULL;
    if (!(rep = HeapAlloc(GetProcessHeap(), 0, sizeof(*rep)))) return WSA_NOT_ENOUGH_MEMORY;
    if (!(status = lookup(node, service, hints, rep)) && !(*res = build_list(rep, wide, layout)))
        status = rep->count ? WSA_NOT_ENOUGH_MEMORY : WSANO_DATA;
    HeapFree(GetProcessHeap(), 0, rep);
    return status;
}

int WSAAPI getaddrinfo(const char *node, const char *service, const struct addrinfo *hints,
                       struct addrinfo **res)
{
    int status;

    TRACE("%s %s %p %p\n", node ? node : "(null)", service ? service : "(null)", hints, res);
    if (!ws2_initialized()) status = WSANOTINITIALISED;
    else if (!res) status = WSAEINVAL;
    else status = lookup_list(node, service, hints, 0, &addrinfo_layout, (void **)res);
    WSASetLastError(status);
    return status;
}

void WSAAPI freeaddrinfo(struct addrinfo *ai)
{
    while (ai)
    {
        struct addrinfo *next = ai->ai_next;
        HeapFree(GetProcessHeap(), 0, ai);
        ai = next;
    }
}

/* A wide string from the program as UTF-8, or NULL; -1 if it is too long. */
static int narrow(const WCHAR *in, char *out, int size, const char **result)
{
    *result = NULL;
    if (!in) return 0;
    if (!WideCharToMultiByte(CP_UTF8, 0, in, -1, out, size, NULL, NULL)) return -1;
    *result = out;
    return 0;
}

int WSAAPI GetAddrInfoW(PCWSTR node, PCWSTR service, const ADDRINFOW *hints, PADDRINFOW *res)
{
    char node_a[WS2_MAX_NAME], service_a[WS2_MAX_SERVICE];
    const char *n, *s;
    ADDRINFOA hints_a, *hp = NULL;
    int status;

    TRACE("%p %p %p %p\n", node, service, hints, res);
    if (hints)
    {
        /* ADDRINFOW differs from ADDRINFOA only in the name's type. */
        if (user_read(&hints_a, hints, sizeof(hints_a)) < 0) return ws2_fail(WSAEFAULT), WSAEFAULT;
        hp = &hints_a;
    }
    if (!ws2_initialized()) status = WSANOTINITIALISED;
    else if (!res) status = WSAEINVAL;
    else if (narrow(node, node_a, sizeof(node_a), &n) < 0) status = WSAEINVAL;
    else if (narrow(service, service_a, sizeof(service_a), &s) < 0) status = WSATYPE_NOT_FOUND;
    else status = lookup_list(n, s, hp, 1, &addrinfo_layout, (void **)res);
    WSASetLastError(status);
    return status;
}

void WSAAPI FreeAddrInfoW(PADDRINFOW ai)
{
    freeaddrinfo((struct addrinfo *)ai);
}

/* Ask the server for (host, service) of an address; 0 or a WSA error. */
static int name_of(const struct sockaddr *sa, socklen_t salen, int flags, uint32_t want,
                   struct ws2_getnameinfo_reply *rep)
{
    struct ws2_getnameinfo_request req = { .flags = flags, .want = want };
    int status;

    if (!sa || salen < 2 || user_read(req.addr, sa, 2) < 0) return WSAEFAULT;
    /* Judged by the address's own family (include/ws2addr.h). */
    if ((status = ws2addr_check_len(salen, 0, ws2addr_family(req.addr, 2)))) return status;
    req.addrlen = ws2addr_read_len(salen);
    if (user_read(req.addr, sa, req.addrlen) < 0) return WSAEFAULT;
    return ws2_call_getnameinfo(0, &req, rep);
}

/* Copy a result string out, if the caller asked for it and it fits. */
static int put_string(const char *value, char *out, DWORD size)
{
    size_t len = strlen(value) + 1;

    if (!out || !size) return 0;
    if (len > size) return WSAEFAULT;
    return user_write(out, value, len) < 0 ? WSAEFAULT : 0;
}

static int put_wide(const char *value, WCHAR *out, DWORD size)
{
    WCHAR buf[WS2_MAX_NAME];
    int len;

    if (!out || !size) return 0;
    if (!(len = MultiByteToWideChar(CP_UTF8, 0, value, -1, buf, WS2_MAX_NAME))) return WSAEFAULT;
    if ((DWORD)len > size) return WSAEFAULT;
    return user_write(out, buf, len * sizeof(WCHAR)) < 0 ? WSAEFAULT : 0;
}

/* A name for the program: narrow, or as WCHARs when `wide`. */
static int put_name(const char *value, void *out, DWORD size, int wide)
{
    return wide ? put_wide(value, out, size) : put_string(value, out, size);
}

/* getnameinfo and GetNameInfoW: the host and the service of an address. */
static int name_info(const struct sockaddr *sa, socklen_t salen, void *host, DWORD hostlen, void *serv,
                     DWORD servlen, int flags, int wide)
{
    struct ws2_getnameinfo_reply rep;
    uint32_t want = (host && hostlen ? WS2_NAMEINFO_HOST : 0) | (serv && servlen ? WS2_NAMEINFO_SERVICE : 0);
    int status;

    if (!ws2_initialized()) status = WSANOTINITIALISED;
    else if (!want) status = WSAHOST_NOT_FOUND;
    else if (!(status = name_of(sa, salen, flags, want, &rep)) && !(status = put_name(rep.host, host, hostlen, wide)))
        status = put_name(rep.service, serv, servlen, wide);
    WSASetLastError(status);
    return status;
}

int WSAAPI getnameinfo(const struct sockaddr *sa, socklen_t salen, char *host, DWORD hostlen,
                       char *serv, DWORD servlen, int flags)
{
    TRACE("%s len %d %p %lu %p %lu %#x\n", debugstr_sockaddr(sa, salen), (int)salen, host, hostlen, serv, servlen,
          flags);
    return name_info(sa, salen, host, hostlen, serv, servlen, flags, 0);
}

INT WSAAPI GetNameInfoW(const SOCKADDR *sa, socklen_t salen, PWCHAR host, DWORD hostlen, PWCHAR serv,
                        DWORD servlen, INT flags)
{
    TRACE("%s len %d %p %lu %p %lu %#x\n", debugstr_sockaddr(sa, salen), (int)salen, host, hostlen, serv, servlen,
          flags);
    return name_info(sa, salen, host, hostlen, serv, servlen, flags, 1);
}

/*
 * GetAddrInfoExW / GetAddrInfoExA: getaddrinfo with ADDRINFOEX answers.  The
 * lookup is the same.  With an OVERLAPPED it runs on a thread-pool thread,
 * as on Windows: the call returns WSA_IO_PENDING with overlapped.Internal
 * WSAEINPROGRESS and overlapped.Pointer the result's address; when the
 * lookup is done the list is in *res, the status in overlapped.Internal
 * (GetAddrInfoExOverlappedResult), and the event is set or the completion
 * routine called (one or the other: both is WSAEINVAL).
 */

/* What Microsoft's header declares as the routine (MinGW's says PVOID). */
typedef void(CALLBACK *ex_routine)(DWORD error, DWORD bytes, LPOVERLAPPED overlapped);

/* An asynchronous lookup: its own copies of the arguments. */
struct ex_query
{
    char node[WS2_MAX_NAME], service[WS2_MAX_SERVICE];
    int has_node, has_service, has_hints, wide;
    ADDRINFOA hints;
    void **res;
    LPOVERLAPPED overlapped;
    ex_routine routine;
};

static void CALLBACK ex_query_run(TP_CALLBACK_INSTANCE *instance, void *arg)
{
    struct ex_query *q = arg;
    void *list;
    int status;

    (void)instance;
    status = lookup_list(q->has_node ? q->node : NULL, q->has_service ? q->service : NULL,
                         q->has_hints ? &q->hints : NULL, q->wide, &addrinfoex_layout, &list);
    if (user_write(q->res, &list, sizeof(list)) < 0)
    {
        FreeAddrInfoExW(list);
        status = WSAEFAULT;
    }
    q->overlapped->InternalHigh = 0;
    q->overlapped->Internal = status;
    if (q->overlapped->hEvent) SetEvent(q->overlapped->hEvent);
    /* The routine is called from the pool's thread, with the lookup's status. */
    if (q->routine) q->routine(status, 0, q->overlapped);
    HeapFree(GetProcessHeap(), 0, q);
}

/* Start the lookup on a thread-pool thread: WSA_IO_PENDING or a WSA error. */
static int ex_query_start(const char *node, const char *service, const ADDRINFOA *hints, void **res,
                          LPOVERLAPPED overlapped, LPLOOKUPSERVICE_COMPLETION_ROUTINE routine, int wide)
{
    struct ex_query *q;
    void *none = NULL;

    if (node && strlen(node) >= sizeof(q->node)) return WSAEINVAL;
    if (service && strlen(service) >= sizeof(q->service)) return WSATYPE_NOT_FOUND;
    if (!(q = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*q)))) return WSA_NOT_ENOUGH_MEMORY;
    if ((q->has_node = !!node)) strcpy(q->node, node);
    if ((q->has_service = !!service)) strcpy(q->service, service);
    if ((q->has_hints = !!hints)) q->hints = *hints;
    q->wide = wide;
    q->res = res;
    q->overlapped = overlapped;
    q->routine = (ex_routine)routine;
    if (user_write(res, &none, sizeof(none)) < 0)
    {
        HeapFree(GetProcessHeap(), 0, q);
        return WSAEFAULT;
    }
    overlapped->Internal = WSAEINPROGRESS;
    overlapped->Pointer = res;
    if (!TrySubmitThreadpoolCallback(ex_query_run, q, NULL))
    {
        HeapFree(GetProcessHeap(), 0, q);
        return WSA_NOT_ENOUGH_MEMORY;
    }
    return WSA_IO_PENDING;
}

/* Both forms, once the strings are UTF-8; `hints` is the program's pointer
 * (ADDRINFOEXA and ADDRINFOEXW differ only in the name's type). */
static int addrinfo_ex(const char *node, const char *service, DWORD name_space, const void *hints,
                       void **res, LPOVERLAPPED overlapped, LPLOOKUPSERVICE_COMPLETION_ROUTINE routine,
                       HANDLE *handle, int wide)
{
    ADDRINFOEXW hx;
    ADDRINFOA h, *hp = NULL;
    void *list = NULL;
    int status;

    if (!ws2_initialized()) return WSANOTINITIALISED;
    if (!res) return WSAEINVAL;
    if (name_space != NS_ALL && name_space != NS_DNS) return WSAEINVAL;
    /* A routine or an event tells of the end, not both (Windows). */
    if (routine && (!overlapped || overlapped->hEvent)) return WSAEINVAL;
    if (hints)
    {
        if (user_read(&hx, hints, sizeof(hx)) < 0) return WSAEFAULT;
        memset(&h, 0, sizeof(h));
        h.ai_flags = hx.ai_flags;
        h.ai_family = hx.ai_family;
        h.ai_socktype = hx.ai_socktype;
        h.ai_protocol = hx.ai_protocol;
        hp = &h;
    }
    if (overlapped)
    {
        if (handle)
        {
            HANDLE none = NULL; /* GetAddrInfoExCancel is not supported */
            user_write(handle, &none, sizeof(none));
        }
        return ex_query_start(node, service, hp, res, overlapped, routine, wide);
    }
    status = lookup_list(node, service, hp, wide, &addrinfoex_layout, &list);
    if (user_write(res, &list, sizeof(list)) < 0)
    {
        FreeAddrInfoExW(list);
        return WSAEFAULT;
    }
    return status;
}

INT WSAAPI GetAddrInfoExW(PCWSTR node, PCWSTR service, DWORD name_space, LPGUID nsp_id, const ADDRINFOEXW *hints,
                          PADDRINFOEXW *res, PTIMEVAL timeout, LPOVERLAPPED overlapped,
                          LPLOOKUPSERVICE_COMPLETION_ROUTINE routine, LPHANDLE handle)
{
    char node_a[WS2_MAX_NAME], service_a[WS2_MAX_SERVICE];
    const char *n, *s;
    int status;

    TRACE("%p %p %lu %p %p %p %p %p %p %p\n", node, service, name_space, nsp_id, hints, res, timeout,
          overlapped, routine, handle);
    if (narrow(node, node_a, sizeof(node_a), &n) < 0) status = WSAEINVAL;
    else if (narrow(service, service_a, sizeof(service_a), &s) < 0) status = WSATYPE_NOT_FOUND;
    else status = addrinfo_ex(n, s, name_space, hints, (void **)res, overlapped, routine, handle, 1);
    WSASetLastError(status);
    return status;
}

INT WSAAPI GetAddrInfoExA(PCSTR node, PCSTR service, DWORD name_space, LPGUID nsp_id, const ADDRINFOEXA *hints,
                          PADDRINFOEXA *res, PTIMEVAL timeout, LPOVERLAPPED overlapped,
                          LPLOOKUPSERVICE_COMPLETION_ROUTINE routine, LPHANDLE handle)
{
    int status;

    TRACE("%s %s %lu %p %p %p %p %p %p %p\n", node ? node : "(null)", service ? service : "(null)", name_space,
          nsp_id, hints, res, timeout, overlapped, routine, handle);
    status = addrinfo_ex(node, service, name_space, hints, (void **)res, overlapped, routine, handle, 0);
    WSASetLastError(status);
    return status;
}

INT WSAAPI GetAddrInfoExOverlappedResult(LPOVERLAPPED overlapped)
{
    TRACE("%p\n", overlapped);
    if (!overlapped) return WSAEINVAL;
    return overlapped->Internal;
}

void WSAAPI FreeAddrInfoExW(PADDRINFOEXW ai)
{
    while (ai)
    {
        ADDRINFOEXW *next = (ADDRINFOEXW *)ai->ai_next;
        HeapFree(GetProcessHeap(), 0, ai);
        ai = next;
    }
}

void WSAAPI FreeAddrInfoEx(PADDRINFOEXA ai)
{
    FreeAddrInfoExW((PADDRINFOEXW)ai);
}
