/*
 * An entry of ws2protocols.h, and the WSAPROTOCOL_INFOW it makes: Windows'
 * MSAFD Tcpip provider's values, but as a layered provider describes itself,
 * which ours is (design-notes.md, "What the protocol entries say"): a
 * protocol chain of two (our layer over the Linux socket, the base, which
 * is not listed), our own provider GUID, and no XP1_IFS_HANDLES (a SOCKET
 * is a pipe handle: ReadFile/WriteFile on it are no socket I/O, and no AFD
 * control code reaches a driver through it).  Shared by the server
 * (SO_PROTOCOL_INFO, WSADuplicateSocket) and the DLL (WSAEnumProtocols),
 * each compiling it against its own Windows headers; `inet6` says whether
 * the family is IPv6, whose number differs between the two sides' headers.
 */
#ifndef WS2PROTOINFO_H
#define WS2PROTOINFO_H

#include <stdint.h>
#include <string.h>

/* The catalogue ids of our layer and of the (unlisted) base entries, the
 * chain's links: the chain entry's own id plus the offset. */
#define WS2_LAYER_CATALOG_ID    1000
#define WS2_BASE_CATALOG_OFFSET 1000

/* {9C9CBAFB-B9E9-49A9-8D67-7255135C5045}: our provider's id, not MSAFD's,
 * so that no program takes a socket of ours for an AFD one. */
#define WS2_PROVIDER_GUID                                                              \
    {                                                                                  \
        0x9c9cbafb, 0xb9e9, 0x49a9, { 0x8d, 0x67, 0x72, 0x55, 0x13, 0x5c, 0x50, 0x45 } \
    }

/* One protocol of ws2protocols.h, in a side's own numbers. */
struct protocol_entry
{
    int family, type, protocol, max_offset;
    uint32_t flags, provider_flags, message_size, catalog_id;
    const char *name;
};

static inline void ws2_fill_protocol_info(WSAPROTOCOL_INFOW *info, const struct protocol_entry *p, int inet6)
{
    static const GUID ws2_provider = WS2_PROVIDER_GUID;
    unsigned int i;

    memset(info, 0, sizeof(*info));
    info->dwServiceFlags1 = p->flags;
    info->dwProviderFlags = p->provider_flags;
    info->ProviderId = ws2_provider;
    info->dwCatalogEntryId = p->catalog_id;
    info->ProtocolChain.ChainLen = 2;
    info->ProtocolChain.ChainEntries[0] = WS2_LAYER_CATALOG_ID;
    info->ProtocolChain.ChainEntries[1] = p->catalog_id + WS2_BASE_CATALOG_OFFSET;
    info->iVersion = 2;
    info->iAddressFamily = p->family;
    info->iMaxSockAddr = info->iMinSockAddr = inet6 ? 28 : 16; /* sockaddr_in6, sockaddr_in */
    info->iSocketType = p->type;
    info->iProtocol = p->protocol;
    info->iProtocolMaxOffset = p->max_offset;
    info->iNetworkByteOrder = BIGENDIAN;
    info->iSecurityScheme = SECURITY_PROTOCOL_NONE;
    info->dwMessageSize = p->message_size;
    for (i = 0; p->name[i] && i < WSAPROTOCOL_LEN; i++) info->szProtocol[i] = (unsigned char)p->name[i];
}

/*
 * socket()'s choice: the first entry of `table` (the catalogue, in Windows'
 * order) matching the family, type and protocol asked for, 0 meaning "any";
 * NULL and Windows' error for a miss in *status.  Known families and types
 * are the catalogue's own.  Both sides run it: the DLL before it makes the
 * Linux socket, the server again on what the DLL sends.
 */
static inline int ws2_protocol_knows(const struct protocol_entry *table, unsigned int n, int family, int type)
{
    unsigned int i;

    for (i = 0; i < n; i++)
        if ((family && table[i].family == family) || (type && table[i].type == type)) return 1;
    return 0;
}

static inline const struct protocol_entry *ws2_find_protocol(const struct protocol_entry *table, unsigned int n,
                                                             int family, int type, int protocol, int *status)
{
    int known_type = !type || ws2_protocol_knows(table, n, 0, type);
    unsigned int i;

    /* Neither a family nor a protocol: nothing to choose by. */
    if (!family && !protocol)
    {
        *status = WSAEINVAL;
        return NULL;
    }
    if (family && !ws2_protocol_knows(table, n, family, 0))
    {
        /* Windows names an unknown type before an unknown family. */
        *status = known_type ? WSAEAFNOSUPPORT : WSAESOCKTNOSUPPORT;
        return NULL;
    }
    for (i = 0; i < n; i++)
    {
        const struct protocol_entry *p = &table[i];

        if ((!family || p->family == family) && (!type || p->type == type) &&
            (!protocol || (protocol >= p->protocol && protocol <= p->protocol + p->max_offset)))
        {
            *status = 0;
            return p;
        }
    }
    /* A type Windows knows but no such protocol for it, or an unknown type. */
    *status = known_type ? WSAEPROTONOSUPPORT : WSAESOCKTNOSUPPORT;
    return NULL;
}

/* The protocol number a socket of entry `p` made for `protocol` has: a raw
 * entry keeps the number asked for (it serves them all). */
static inline int ws2_protocol_of(const struct protocol_entry *p, int protocol)
{
    return p->max_offset ? protocol : p->protocol;
}

/*
 * The token of WSADuplicateSocket travels in the WSAPROTOCOL_INFO, which
 * the program carries to the other process itself, so its 128 bits go in
 * fields that are ours to fill, before szProtocol (the only part that the
 * A and W structures share):
 *
 *   dwProviderReserved                  word 0, never 0 (0: no token)
 *   ProtocolChain.ChainEntries[4..6]    words 1-3
 *
 * dwProviderReserved is the provider's by definition (MSAFD keeps the
 * duplicated handle there).  Our chain has two links (ChainLen), so the
 * entries after them mean nothing to Winsock; a program reads the chain
 * up to ChainLen.  The programs we know that move the structure between
 * processes copy it whole and change nothing in it before WSASocket:
 * libuv's handle passing (node's cluster workers), Python's
 * socket.share/fromshare, .NET's SocketInformation.  A program that
 * rebuilt the structure from some of its fields would lose the token.
 */
#define WS2_TOKEN_CHAIN_FIRST 4

static inline void ws2_protocol_info_set_token(WSAPROTOCOL_INFOW *info, const uint32_t *token)
{
    unsigned int i;

    _Static_assert(WS2_TOKEN_CHAIN_FIRST >= 2 && WS2_TOKEN_CHAIN_FIRST + 3 <= MAX_PROTOCOL_CHAIN,
                   "the token's words follow our two chain links");
    info->dwProviderReserved = token[0];
    for (i = 1; i < 4; i++) info->ProtocolChain.ChainEntries[WS2_TOKEN_CHAIN_FIRST + i - 1] = token[i];
}

/* 0 when the structure carries no token (it does not come from
 * WSADuplicateSocket). */
static inline int ws2_protocol_info_get_token(const WSAPROTOCOL_INFOW *info, uint32_t *token)
{
    unsigned int i;

    if (!info->dwProviderReserved) return 0;
    token[0] = info->dwProviderReserved;
    for (i = 1; i < 4; i++) token[i] = info->ProtocolChain.ChainEntries[WS2_TOKEN_CHAIN_FIRST + i - 1];
    return 1;
}

#endif /* WS2PROTOINFO_H */
