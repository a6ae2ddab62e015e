/*
 * An entry of ws2protocols.h, and the WSAPROTOCOL_INFOW it makes, as Windows' MSAFD
 * Tcpip provider describes its protocols.  Shared by the server
 * (SO_PROTOCOL_INFO, WSADuplicateSocket) and the DLL (WSAEnumProtocols),
 * each compiling it against its own Windows headers; `inet6` says whether
 * the family is IPv6, whose number differs between the two sides' headers.
 */
#ifndef WS2PROTOINFO_H
#define WS2PROTOINFO_H

#include <stdint.h>
#include <string.h>

/* One protocol of ws2protocols.h, in a side's own numbers. */
struct protocol_entry
{
    int family, type, protocol;
    uint32_t flags, message_size, catalog_id;
    const char *name;
};

static inline void ws2_fill_protocol_info(WSAPROTOCOL_INFOW *info, int family, int inet6, int type,
                                          int protocol, DWORD flags, DWORD message_size, DWORD catalog_id,
                                          const char *name)
{
    /* {E70F1AA0-AB8B-11CF-8CA3-00805F48A192}: Windows' MSAFD Tcpip provider. */
    static const GUID tcpip_provider = {
        0xe70f1aa0, 0xab8b, 0x11cf, { 0x8c, 0xa3, 0x00, 0x80, 0x5f, 0x48, 0xa1, 0x92 }
    };
    unsigned int i;

    memset(info, 0, sizeof(*info));
    info->dwServiceFlags1 = flags;
    /* Each entry is its (family, type)'s default for protocol 0. */
    info->dwProviderFlags = PFL_MATCHES_PROTOCOL_ZERO;
    info->ProviderId = tcpip_provider;
    info->dwCatalogEntryId = catalog_id;
    info->ProtocolChain.ChainLen = BASE_PROTOCOL;
    info->iVersion = 2;
    info->iAddressFamily = family;
    info->iMaxSockAddr = info->iMinSockAddr = inet6 ? 28 : 16; /* sockaddr_in6, sockaddr_in */
    info->iSocketType = type;
    info->iProtocol = protocol;
    info->iNetworkByteOrder = BIGENDIAN;
    info->iSecurityScheme = SECURITY_PROTOCOL_NONE;
    info->dwMessageSize = message_size;
    for (i = 0; name[i] && i < WSAPROTOCOL_LEN; i++) info->szProtocol[i] = (unsigned char)name[i];
}

#endif /* WS2PROTOINFO_H */
