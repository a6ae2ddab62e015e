/*
 * The protocol catalogue (WSAEnumProtocolsA/W, WSCGetProviderPath/Info) and the protocol database
 * (getprotobyname, getprotobynumber).
 *
 * WSCGetProviderPath and WSCGetProviderInfo answer about our provider id
 * (include/ws2protoinfo.h) and know no other.
 *
 * WSAEnumProtocols describes the protocols of include/ws2protocols.h, the
 * table the server matches socket() against, as Windows' MSAFD Tcpip
 * provider describes them.  Microsoft's page ("WSAEnumProtocolsA
 * function"): the return value is the number of protocols reported; a
 * buffer too small is SOCKET_ERROR with WSAENOBUFS and the length set to
 * the size needed; lpiProtocols, when not NULL, is a 0-terminated list of
 * protocol numbers and only the protocols matching one of them are
 * reported; WSANOTINITIALISED before WSAStartup; WSAEFAULT for memory that
 * is not accessible.  Observed (Wine's conformance test, passing on
 * Windows): a NULL buffer with a length of 0 is WSAENOBUFS with the needed
 * length; numbers no protocol has are simply ignored in the list.
 *
 * getprotobyname/getprotobynumber answer from Windows' own table (its
 * %SystemRoot%\system32\drivers\etc\protocol file, as Wine's conformance
 * test checks it on Windows): a name, one alias, the number.  Microsoft's
 * pages: the structure is Winsock's, one per thread; WSANOTINITIALISED
 * before WSAStartup; WSANO_DATA when the name or number is not known.
 * Names match without regard to case (observed).
 */
#include <string.h>
#include "private.h"
#include <ws2spi.h>
#include "protocols.h"
#include "startup.h"
#include "usermem.h"
#include "ws2protoinfo.h"

/* ------------------------------------------------------------ catalogue */

/* clang-format off */
static const struct protocol_entry protocols[] =
{
#define WS2P_(name) name
#define WS2_PROTOCOL(f, t, p, off, flags, pflags, size, id, name) { f, t, p, off, flags, pflags, size, id, name },
#include "ws2protocols.h"
#undef WS2_PROTOCOL
#undef WS2P_
};
/* clang-format on */

#define PROTOCOL_COUNT (sizeof(protocols) / sizeof(protocols[0]))

int protocol_choose(int af, int type, int protocol, int *out_af, int *out_type, int *out_protocol)
{
    int status;
    const struct protocol_entry *p = ws2_find_protocol(protocols, PROTOCOL_COUNT, af, type, protocol, &status);

    if (!p) return status;
    *out_af = p->family;
    *out_type = p->type;
    *out_protocol = ws2_protocol_of(p, protocol);
    return 0;
}

int protocol_catalog_known(DWORD id)
{
    unsigned int i;

    for (i = 0; i < PROTOCOL_COUNT; i++)
        if (protocols[i].catalog_id == id) return 1;
    return 0;
}

static void fill_info(const struct protocol_entry *p, WSAPROTOCOL_INFOW *info)
{
    ws2_fill_protocol_info(info, p, p->family == AF_INET6);
}

/* Mark the entries the 0-terminated list asks for (all of them for NULL);
 * a number matches iProtocol up to iProtocolMaxOffset above it.  Hidden
 * entries (raw) are never listed. */
static int select_entries(const INT *user_list, unsigned char *wanted)
{
    unsigned int i;
    INT number;

    for (i = 0; i < PROTOCOL_COUNT; i++) wanted[i] = !user_list && !(protocols[i].provider_flags & PFL_HIDDEN);
    if (!user_list) return 0;
    for (;; user_list++)
    {
        if (user_read(&number, user_list, sizeof(number)) < 0) return WSAEFAULT;
        if (!number) return 0;
        for (i = 0; i < PROTOCOL_COUNT; i++)
            if (!(protocols[i].provider_flags & PFL_HIDDEN) && number >= protocols[i].protocol &&
                number <= protocols[i].protocol + protocols[i].max_offset)
                wanted[i] = 1;
    }
}

/* The entries are written in catalogue order, whatever the list's order. */
static int enum_protocols(const INT *list, void *buffer, DWORD *user_len, int wide)
{
    size_t entry_size = wide ? sizeof(WSAPROTOCOL_INFOW) : sizeof(WSAPROTOCOL_INFOA);
    unsigned char wanted[PROTOCOL_COUNT];
    WSAPROTOCOL_INFOW info;
    WSAPROTOCOL_INFOA infoa;
    DWORD len, needed;
    unsigned int i, j, count = 0;
    int status;

    if (!ws2_initialized()) return ws2_fail(WSANOTINITIALISED);
    if ((status = select_entries(list, wanted))) return ws2_fail(status);
    for (i = 0; i < PROTOCOL_COUNT; i++) count += wanted[i];
    needed = count * entry_size;
    if (!user_len || user_read(&len, user_len, sizeof(len)) < 0) return ws2_fail(WSAEFAULT);
    if (!buffer || len < needed)
    {
        if (user_write(user_len, &needed, sizeof(needed)) < 0) return ws2_fail(WSAEFAULT);
        return ws2_fail(WSAENOBUFS);
    }
    for (i = 0, count = 0; i < PROTOCOL_COUNT; i++)
    {
        const void *entry = &info;

        if (!wanted[i]) continue;
        fill_info(&protocols[i], &info);
        if (!wide)
        {
            memcpy(&infoa, &info, offsetof(WSAPROTOCOL_INFOA, szProtocol));
            for (j = 0; j <= WSAPROTOCOL_LEN; j++) infoa.szProtocol[j] = (char)info.szProtocol[j];
            entry = &infoa;
        }
        if (user_write((char *)buffer + count++ * entry_size, entry, entry_size) < 0)
            return ws2_fail(WSAEFAULT);
    }
    return count;
}

int WSAAPI WSAEnumProtocolsA(LPINT lpiProtocols, LPWSAPROTOCOL_INFOA lpProtocolBuffer, LPDWORD lpdwBufferLength)
{
    TRACE("%p %p %p\n", lpiProtocols, lpProtocolBuffer, lpdwBufferLength);
    return enum_protocols(lpiProtocols, lpProtocolBuffer, lpdwBufferLength, 0);
}

int WSAAPI WSAEnumProtocolsW(LPINT lpiProtocols, LPWSAPROTOCOL_INFOW lpProtocolBuffer, LPDWORD lpdwBufferLength)
{
    TRACE("%p %p %p\n", lpiProtocols, lpProtocolBuffer, lpdwBufferLength);
    return enum_protocols(lpiProtocols, lpProtocolBuffer, lpdwBufferLength, 1);
}

/* Is *id (the program's) our provider's id?  -1 when it cannot be read. */
static int our_provider(const GUID *id)
{
    static const GUID ours = WS2_PROVIDER_GUID;
    GUID g;

    if (user_read(&g, id, sizeof(g)) < 0) return -1;
    return !memcmp(&g, &ours, sizeof(g));
}

/*
 * "WSCGetProviderPath function": the provider's DLL path (unexpanded) and its
 * length in characters; WSAEFAULT for a pointer that is not valid or a
 * length too small (then set to the length needed), WSAEINVAL for a provider
 * that is not installed.  Observed (Wine's test_WSCGetProviderPath, passing
 * on Windows): a NULL error pointer fails without writing anything; a
 * length of 0 or below, or no path buffer, is WSAEINVAL and leaves the
 * length alone.
 */
static int provider_path(GUID *id, WCHAR *path, INT *len, INT *error)
{
    static const WCHAR ours[] = L"%SystemRoot%\\system32\\ws2_32.dll";
    INT size, need = sizeof(ours) / sizeof(WCHAR);
    int status;

    if (!error) return SOCKET_ERROR;
    if (!id || !len || user_read(&size, len, sizeof(size)) < 0) status = WSAEFAULT;
    else if (size <= 0 || !path) status = WSAEINVAL;
    else if ((status = our_provider(id)) <= 0) status = status < 0 ? WSAEFAULT : WSAEINVAL;
    else if (size < need)
    {
        user_write(len, &need, sizeof(need));
        status = WSAEFAULT;
    }
    else if (user_write(path, ours, sizeof(ours)) < 0 || user_write(len, &need, sizeof(need)) < 0)
        status = WSAEFAULT;
    else return 0;
    user_write(error, &status, sizeof(status));
    return SOCKET_ERROR;
}

INT WSPAPI WSCGetProviderPath(LPGUID id, WCHAR *path, LPINT len, LPINT error)
{
    TRACE("%p %p %p %p\n", id, path, len, error);
    return provider_path(id, path, len, error);
}

INT WSPAPI WSCGetProviderPath32(LPGUID id, WCHAR *path, LPINT len, LPINT error)
{
    TRACE("%p %p %p %p\n", id, path, len, error);
    return provider_path(id, path, len, error);
}

/*
 * "WSCGetProviderInfo function": per-provider information (the LSP
 * categories, the audit data).  Observed (Wine's test_WSCGetProviderInfo,
 * passing on Windows): a NULL provider is WSAEFAULT, a provider that has no
 * such information WSANO_RECOVERY, whatever the other arguments.  Ours has
 * none stored either.
 */
static int provider_info(GUID *id, INT *error)
{
    int status = id ? WSANO_RECOVERY : WSAEFAULT;

    if (error) user_write(error, &status, sizeof(status));
    return SOCKET_ERROR;
}

INT WSPAPI WSCGetProviderInfo(LPGUID id, WSC_PROVIDER_INFO_TYPE type, PBYTE info, size_t *size, DWORD flags,
                              LPINT error)
{
    TRACE("%p %d %p %p %#lx %p\n", id, type, info, size, flags, error);
    return provider_info(id, error);
}

INT WSPAPI WSCGetProviderInfo32(LPGUID id, WSC_PROVIDER_INFO_TYPE type, PBYTE info, size_t *size, DWORD flags,
                                LPINT error)
{
    TRACE("%p %d %p %p %#lx %p\n", id, type, info, size, flags, error);
    return provider_info(id, error);
}

/* ------------------------------------------------------------ database */

static const struct
{
    const char *name;
    const char *alias;
    short number;
}
/* clang-format off */
protocol_names[] =
{
    { "ip",         "IP",         0 },
    { "icmp",       "ICMP",       1 },
    { "ggp",        "GGP",        3 },
    { "tcp",        "TCP",        6 },
    { "egp",        "EGP",        8 },
    { "pup",        "PUP",        12 },
    { "udp",        "UDP",        17 },
    { "hmp",        "HMP",        20 },
    { "xns-idp",    "XNS-IDP",    22 },
    { "rdp",        "RDP",        27 },
    { "ipv6",       "IPv6",       41 },
    { "ipv6-route", "IPv6-Route", 43 },
    { "ipv6-frag",  "IPv6-Frag",  44 },
    { "esp",        "ESP",        50 },
    { "ah",         "AH",         51 },
    { "ipv6-icmp",  "IPv6-ICMP",  58 },
    { "ipv6-nonxt", "IPv6-NoNxt", 59 },
    { "ipv6-opts",  "IPv6-Opts",  60 },
    { "rvd",        "RVD",        66 },
};
/* clang-format on */

#define NAME_COUNT (sizeof(protocol_names) / sizeof(protocol_names[0]))

/* ASCII only, as the C locale's _stricmp. */
static int same_name(const char *a, const char *b)
{
    unsigned char ca, cb;

    do
    {
        ca = *a++;
        cb = *b++;
        if (ca >= 'A' && ca <= 'Z') ca += 'a' - 'A';
        if (cb >= 'A' && cb <= 'Z') cb += 'a' - 'A';
        if (ca != cb) return 0;
    } while (ca);
    return 1;
}

/* getprotobyname/getprotobynumber's result, per thread */
struct ws2_protoent
{
    struct protoent ent;
    char *aliases[2];
    char name[16];
    char alias[16];
};

static struct ws2_thread_block protoent_block = WS2_THREAD_BLOCK(struct ws2_protoent);

/* Copy entry `index` into the calling thread's protoent. */
static struct protoent *thread_protoent(unsigned int index)
{
    struct ws2_protoent *p = ws2_thread_block(&protoent_block);

    if (!p)
    {
        ws2_fail(WSA_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    strcpy(p->name, protocol_names[index].name);
    strcpy(p->alias, protocol_names[index].alias);
    p->aliases[0] = p->alias;
    p->aliases[1] = NULL;
    p->ent.p_name = p->name;
    p->ent.p_aliases = p->aliases;
    p->ent.p_proto = protocol_names[index].number;
    return &p->ent;
}

struct protoent *WSAAPI getprotobyname(const char *name)
{
    unsigned int i;

    TRACE("%s\n", name ? name : "(null)");
    if (!ws2_initialized())
    {
        ws2_fail(WSANOTINITIALISED);
        return NULL;
    }
    /* Not observed: a NULL name is taken as a bad pointer. */
    if (!name)
    {
        ws2_fail(WSAEFAULT);
        return NULL;
    }
    for (i = 0; i < NAME_COUNT; i++)
        if (same_name(name, protocol_names[i].name) || same_name(name, protocol_names[i].alias))
            return thread_protoent(i);
    ws2_fail(WSANO_DATA);
    return NULL;
}

struct protoent *WSAAPI getprotobynumber(int number)
{
    unsigned int i;

    TRACE("%d\n", number);
    if (!ws2_initialized())
    {
        ws2_fail(WSANOTINITIALISED);
        return NULL;
    }
    for (i = 0; i < NAME_COUNT; i++)
        if (protocol_names[i].number == number) return thread_protoent(i);
    ws2_fail(WSANO_DATA);
    return NULL;
}
