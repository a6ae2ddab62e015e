/*
 * The Winsock 1.1 database calls: gethostbyname, gethostbyaddr,
 * getservbyname, getservbyport.
 *
 * The lookups run in the server (its worker threads, with the system
 * resolver and services database); the answers are copied into the calling
 * thread's hostent or servent, which stay valid until that thread's next
 * call of the same kind, as Microsoft's pages describe.  A dotted IPv4
 * string given to gethostbyname is converted here, without any lookup.
 */
#include <string.h>
#include "private.h"
#include "addr.h"
#include "channel.h"
#include "netdb.h"
#include "startup.h"
#include "usermem.h"

/* gethostbyname/gethostbyaddr's result, per thread */
struct ws2_hostent
{
    struct hostent ent;
    /* Laid out as Windows does (Wine's test_dns checks it): the alias
     * pointers right after the hostent, then the address pointers, then the
     * addresses; the names come last. */
    char *packed[WS2_MAX_HOSTALIASES + 1 + WS2_MAX_HOSTADDRS + 1 + WS2_MAX_HOSTADDRS * 16 / sizeof(char *)];
    char name[WS2_MAX_HOSTNAME];
    char alias_names[WS2_MAX_HOSTALIASES][WS2_MAX_HOSTNAME];
};

/* getservbyname/getservbyport's result, per thread */
struct ws2_servent
{
    struct servent ent;
    char *aliases[WS2_MAX_SERVALIASES + 1];
    char name[WS2_MAX_SERVICE];
    char proto[WS2_MAX_PROTONAME];
    char alias_names[WS2_MAX_SERVALIASES][WS2_MAX_SERVICE];
};

/* Both results live until the thread's next call of the same kind. */
struct netdb_results
{
    struct ws2_hostent hostent;
    struct ws2_servent servent;
};
static struct ws2_thread_block results_block = WS2_THREAD_BLOCK(struct netdb_results);

int netdb_read_string(const char *src, char *buf, size_t size)
{
    size_t i;

    /* Most strings are readable in one piece; else byte by byte up to the NUL. */
    if (!user_read(buf, src, size))
    {
        for (i = 0; i < size; i++)
            if (!buf[i]) return 0;
        return -2;
    }
    for (i = 0; i < size; i++)
    {
        if (user_read(&buf[i], src + i, 1) < 0) return -1;
        if (!buf[i]) return 0;
    }
    return -2;
}

/* Fill the thread's hostent from a server answer. */
static struct hostent *thread_hostent(const struct ws2_hostent_reply *rep)
{
    struct netdb_results *results = ws2_thread_block(&results_block);
    struct ws2_hostent *h;
    uint32_t i, count = rep->count, aliases = rep->alias_count;
    char *addrs;

    if (!results)
    {
        ws2_fail(WSA_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    h = &results->hostent;
    if (count > WS2_MAX_HOSTADDRS) count = WS2_MAX_HOSTADDRS;
    if (aliases > WS2_MAX_HOSTALIASES) aliases = WS2_MAX_HOSTALIASES;
    h->ent.h_length = rep->addrlen == sizeof(struct in6_addr) ? sizeof(struct in6_addr) : sizeof(struct in_addr);
    h->ent.h_aliases = h->packed;
    h->ent.h_addr_list = h->packed + aliases + 1;
    addrs = (char *)(h->ent.h_addr_list + count + 1);
    memcpy(h->name, rep->name, sizeof(h->name));
    h->name[sizeof(h->name) - 1] = 0;
    for (i = 0; i < aliases; i++)
    {
        memcpy(h->alias_names[i], rep->aliases[i], sizeof(h->alias_names[i]));
        h->alias_names[i][sizeof(h->alias_names[i]) - 1] = 0;
        h->ent.h_aliases[i] = h->alias_names[i];
    }
    h->ent.h_aliases[aliases] = NULL;
    for (i = 0; i < count; i++)
    {
        h->ent.h_addr_list[i] = addrs + i * h->ent.h_length;
        memcpy(h->ent.h_addr_list[i], rep->addrs[i], h->ent.h_length);
    }
    h->ent.h_addr_list[count] = NULL;
    h->ent.h_name = h->name;
    h->ent.h_addrtype = rep->family == AF_INET6 ? AF_INET6 : AF_INET;
    return &h->ent;
}

struct hostent *WSAAPI gethostbyname(const char *name)
{
    struct ws2_gethostbyname_request req = { 0 };
    struct ws2_hostent_reply *rep;
    struct hostent *ent = NULL;
    uint32_t addr;
    size_t end;
    int status;

    TRACE("%p\n", name);
    if (!ws2_initialized()) return ws2_fail(WSANOTINITIALISED), NULL;
    /* NULL, like "", is the local host. */
    if (name && (status = netdb_read_string(name, req.name, sizeof(req.name))))
        return ws2_fail(status == -1 ? WSAEFAULT : WSAHOST_NOT_FOUND), NULL;
    TRACE("%s\n", req.name);
    if (!(rep = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*rep))))
        return ws2_fail(WSA_NOT_ENOUGH_MEMORY), NULL;
    if (req.name[0] && addr_parse_ipv4(req.name, NULL, 0, &addr, &end) && !req.name[end])
    {
        /* A dotted address is its own answer. */
        addr = htonl(addr);
        rep->family = AF_INET;
        rep->addrlen = 4;
        rep->count = 1;
        memcpy(rep->addrs[0], &addr, 4);
        strcpy(rep->name, req.name);
        status = 0;
    }
    else status = ws2_call_gethostbyname(0, &req, rep);
    if (!status) ent = thread_hostent(rep);
    else ws2_fail(status);
    HeapFree(GetProcessHeap(), 0, rep);
    return ent;
}

struct hostent *WSAAPI gethostbyaddr(const char *addr, int len, int type)
{
    struct ws2_gethostbyaddr_request req = { .family = type };
    struct ws2_hostent_reply *rep;
    struct hostent *ent = NULL;
    int status;

    TRACE("%p %d %d\n", addr, len, type);
    if (!ws2_initialized()) return ws2_fail(WSANOTINITIALISED), NULL;
    if (type == AF_INET) req.addrlen = sizeof(struct in_addr);
    else if (type == AF_INET6) req.addrlen = sizeof(struct in6_addr);
    else return ws2_fail(WSAEAFNOSUPPORT), NULL;
    if (!addr || len < (int)req.addrlen || user_read(req.addr, addr, req.addrlen) < 0)
        return ws2_fail(WSAEFAULT), NULL;
    if (!(rep = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*rep))))
        return ws2_fail(WSA_NOT_ENOUGH_MEMORY), NULL;
    if (!(status = ws2_call_gethostbyaddr(0, &req, rep))) ent = thread_hostent(rep);
    else ws2_fail(status);
    HeapFree(GetProcessHeap(), 0, rep);
    return ent;
}

/* Fill the thread's servent from a server answer. */
static struct servent *thread_servent(const struct ws2_getserv_reply *rep)
{
    struct netdb_results *results = ws2_thread_block(&results_block);
    struct ws2_servent *s;
    uint32_t i, aliases = rep->alias_count;

    if (!results)
    {
        ws2_fail(WSA_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    s = &results->servent;
    if (aliases > WS2_MAX_SERVALIASES) aliases = WS2_MAX_SERVALIASES;
    memcpy(s->name, rep->name, sizeof(s->name));
    s->name[sizeof(s->name) - 1] = 0;
    memcpy(s->proto, rep->proto, sizeof(s->proto));
    s->proto[sizeof(s->proto) - 1] = 0;
    for (i = 0; i < aliases; i++)
    {
        memcpy(s->alias_names[i], rep->aliases[i], sizeof(s->alias_names[i]));
        s->alias_names[i][sizeof(s->alias_names[i]) - 1] = 0;
        s->aliases[i] = s->alias_names[i];
    }
    s->aliases[aliases] = NULL;
    s->ent.s_name = s->name;
    s->ent.s_aliases = s->aliases;
    s->ent.s_proto = s->proto;
    s->ent.s_port = htons((u_short)rep->port);
    return &s->ent;
}

static void lower(char *s)
{
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z') *s += 'a' - 'A';
}

/* Both lookups: `port` < 0 looks `name` up. */
static struct servent *getserv(const char *name, int port, const char *proto)
{
    struct ws2_getserv_request req = { .port = port };
    struct ws2_getserv_reply rep;
    int status;

    if (!ws2_initialized()) return ws2_fail(WSANOTINITIALISED), NULL;
    if (port < 0)
    {
        if (!name) return ws2_fail(WSAEFAULT), NULL;
        if ((status = netdb_read_string(name, req.name, sizeof(req.name))))
            return ws2_fail(status == -1 ? WSAEFAULT : WSANO_DATA), NULL;
    }
    if (proto && (status = netdb_read_string(proto, req.proto, sizeof(req.proto))))
        return ws2_fail(status == -1 ? WSAEFAULT : WSANO_DATA), NULL;
    /* Windows' names match whatever their case. */
    lower(req.name);
    lower(req.proto);
    TRACE("%s %d %s\n", req.name, port, req.proto);
    memset(&rep, 0, sizeof(rep));
    if ((status = ws2_call_getserv(0, &req, &rep))) return ws2_fail(status), NULL;
    return thread_servent(&rep);
}

struct servent *WSAAPI getservbyname(const char *name, const char *proto)
{
    TRACE("%p %p\n", name, proto);
    return getserv(name, -1, proto);
}

struct servent *WSAAPI getservbyport(int port, const char *proto)
{
    TRACE("%d %p\n", port, proto);
    return getserv(NULL, ntohs((u_short)port), proto);
}

/* The machine's interface addresses from the server, in a heap block. */
static int interfaces(struct ws2_interfaces_reply **result)
{
    struct ws2_interfaces_reply *rep;
    int status;

    if (!(rep = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*rep)))) return WSA_NOT_ENOUGH_MEMORY;
    if ((status = ws2_call_interfaces(0, NULL, rep)))
    {
        HeapFree(GetProcessHeap(), 0, rep);
        return status;
    }
    if (rep->count > WS2_MAX_INTERFACES) rep->count = WS2_MAX_INTERFACES;
    *result = rep;
    return 0;
}

/* SOCKET_ADDRESS_LIST: the count, the SOCKET_ADDRESS array, then the
 * addresses it points to; loopback addresses are not listed. */
int netdb_address_list(int family, void *out, DWORD out_size, DWORD *out_len)
{
    struct ws2_interfaces_reply *rep;
    SOCKET_ADDRESS_LIST *list;
    size_t addr_size = family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
    size_t size;
    char *addrs;
    uint32_t i, count = 0;
    int status;

    *out_len = 0;
    if (family != AF_INET && family != AF_INET6) return WSAEINVAL;
    if ((status = interfaces(&rep))) return status;
    for (i = 0; i < rep->count; i++)
    {
        const struct ws2_interface *e = &rep->entries[i];
        if (e->family == family && (e->flags & WS2_IF_UP) && !(e->flags & WS2_IF_LOOPBACK)) count++;
    }
    size = offsetof(SOCKET_ADDRESS_LIST, Address) + count * (sizeof(SOCKET_ADDRESS) + addr_size);
    if (!out || out_size < size)
    {
        HeapFree(GetProcessHeap(), 0, rep);
        *out_len = size;
        return WSAEFAULT;
    }
    if (!(list = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, size)))
    {
        HeapFree(GetProcessHeap(), 0, rep);
        return WSA_NOT_ENOUGH_MEMORY;
    }
    addrs = (char *)&list->Address[count];
    list->iAddressCount = count;
    for (i = 0, count = 0; i < rep->count; i++)
    {
        const struct ws2_interface *e = &rep->entries[i];
        char *a = addrs + count * addr_size;

        if (e->family != family || !(e->flags & WS2_IF_UP) || (e->flags & WS2_IF_LOOPBACK)) continue;
        if (family == AF_INET)
        {
            struct sockaddr_in *sin = (struct sockaddr_in *)a;
            sin->sin_family = AF_INET;
            memcpy(&sin->sin_addr, e->addr, sizeof(sin->sin_addr));
        }
        else
        {
            struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)a;
            sin6->sin6_family = AF_INET6;
            memcpy(&sin6->sin6_addr, e->addr, sizeof(sin6->sin6_addr));
            if (IN6_IS_ADDR_LINKLOCAL(&sin6->sin6_addr)) sin6->sin6_scope_id = e->scope_id;
        }
        /* The pointers are into the program's buffer. */
        list->Address[count].lpSockaddr = (struct sockaddr *)((char *)out + (a - (char *)list));
        list->Address[count].iSockaddrLength = addr_size;
        count++;
    }
    HeapFree(GetProcessHeap(), 0, rep);
    status = user_write(out, list, size) < 0 ? WSAEFAULT : 0;
    HeapFree(GetProcessHeap(), 0, list);
    if (!status) *out_len = size;
    return status;
}

/* INTERFACE_INFO for each IPv4 address, the loopback included. */
int netdb_interface_list(void *out, DWORD out_size, DWORD *out_len)
{
    static const struct
    {
        uint32_t ws2, iff;
    } flags[] = {
        { WS2_IF_UP, IFF_UP },
        { WS2_IF_BROADCAST, IFF_BROADCAST },
        { WS2_IF_LOOPBACK, IFF_LOOPBACK },
        { WS2_IF_POINTTOPOINT, IFF_POINTTOPOINT },
        { WS2_IF_MULTICAST, IFF_MULTICAST },
    };
    struct ws2_interfaces_reply *rep;
    INTERFACE_INFO *info;
    uint32_t i, j, count = 0;
    size_t size;
    int status;

    *out_len = 0;
    if ((status = interfaces(&rep))) return status;
    for (i = 0; i < rep->count; i++)
        if (rep->entries[i].family == AF_INET) count++;
    size = count * sizeof(INTERFACE_INFO);
    if (!out || out_size < size)
    {
        HeapFree(GetProcessHeap(), 0, rep);
        *out_len = size;
        return WSAEFAULT;
    }
    if (!(info = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, size ? size : 1)))
    {
        HeapFree(GetProcessHeap(), 0, rep);
        return WSA_NOT_ENOUGH_MEMORY;
    }
    for (i = 0, count = 0; i < rep->count; i++)
    {
        const struct ws2_interface *e = &rep->entries[i];
        INTERFACE_INFO *ii = &info[count];

        if (e->family != AF_INET) continue;
        for (j = 0; j < sizeof(flags) / sizeof(flags[0]); j++)
            if (e->flags & flags[j].ws2) ii->iiFlags |= flags[j].iff;
        ii->iiAddress.AddressIn.sin_family = AF_INET;
        memcpy(&ii->iiAddress.AddressIn.sin_addr, e->addr, 4);
        /* An interface without broadcast has no broadcast address, not even a family. */
        if (e->flags & WS2_IF_BROADCAST)
        {
            ii->iiBroadcastAddress.AddressIn.sin_family = AF_INET;
            memcpy(&ii->iiBroadcastAddress.AddressIn.sin_addr, e->broadcast, 4);
        }
        ii->iiNetmask.AddressIn.sin_family = AF_INET;
        memcpy(&ii->iiNetmask.AddressIn.sin_addr, e->netmask, 4);
        count++;
    }
    HeapFree(GetProcessHeap(), 0, rep);
    status = size && user_write(out, info, size) < 0 ? WSAEFAULT : 0;
    HeapFree(GetProcessHeap(), 0, info);
    if (!status) *out_len = size;
    return status;
}
