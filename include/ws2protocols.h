/*
 * The protocols we provide, as WSAPROTOCOL_INFO describes them (the values
 * Windows' own MSAFD Tcpip provider reports, less XP1_IFS_HANDLES: see
 * ws2protoinfo.h): the server matches socket()
 * against it and answers SO_PROTOCOL_INFO and WSADuplicateSocket from it;
 * the DLL lists it in WSAEnumProtocols (both fill the structure with
 * include/ws2protoinfo.h).
 * An X-macro list: define WS2_PROTOCOL(family, type, protocol, max_offset,
 * flags, provider_flags, message_size, catalog_id, name) before including.
 * An entry serves the protocol numbers from `protocol` to `protocol` +
 * `max_offset`.  The raw entries serve any number (0-255) and are
 * PFL_HIDDEN, as Windows' are: SO_PROTOCOL_INFO describes a raw socket
 * with them, WSAEnumProtocols does not list them.  The family, type and
 * protocol names are each side's own (WS_AF_INET6 in the server, AF_INET6
 * in the DLL), via WS2P_(name).
 */
#define WS2P_STREAM (XP1_GUARANTEED_DELIVERY | XP1_GUARANTEED_ORDER | XP1_GRACEFUL_CLOSE | \
                     XP1_EXPEDITED_DATA)
#define WS2P_DGRAM (XP1_CONNECTIONLESS | XP1_MESSAGE_ORIENTED | XP1_SUPPORT_BROADCAST | \
                    XP1_SUPPORT_MULTIPOINT)
#define WS2P_LISTED PFL_MATCHES_PROTOCOL_ZERO
#define WS2P_HIDDEN (PFL_MATCHES_PROTOCOL_ZERO | PFL_HIDDEN)

WS2_PROTOCOL(WS2P_(AF_INET), WS2P_(SOCK_STREAM), WS2P_(IPPROTO_TCP), 0, WS2P_STREAM, WS2P_LISTED, 0, 1001,
             "MSAFD Tcpip [TCP/IP]")
WS2_PROTOCOL(WS2P_(AF_INET), WS2P_(SOCK_DGRAM), WS2P_(IPPROTO_UDP), 0, WS2P_DGRAM, WS2P_LISTED, 0xffbb, 1002,
             "MSAFD Tcpip [UDP/IP]")
WS2_PROTOCOL(WS2P_(AF_INET), WS2P_(SOCK_RAW), 0, 255, WS2P_DGRAM, WS2P_HIDDEN, 0x8000, 1003,
             "MSAFD Tcpip [RAW/IP]")
WS2_PROTOCOL(WS2P_(AF_INET6), WS2P_(SOCK_STREAM), WS2P_(IPPROTO_TCP), 0, WS2P_STREAM, WS2P_LISTED, 0, 1004,
             "MSAFD Tcpip [TCP/IPv6]")
WS2_PROTOCOL(WS2P_(AF_INET6), WS2P_(SOCK_DGRAM), WS2P_(IPPROTO_UDP), 0, WS2P_DGRAM, WS2P_LISTED, 0xffbb, 1005,
             "MSAFD Tcpip [UDP/IPv6]")
WS2_PROTOCOL(WS2P_(AF_INET6), WS2P_(SOCK_RAW), 0, 255, WS2P_DGRAM, WS2P_HIDDEN, 0x8000, 1006,
             "MSAFD Tcpip [RAW/IPv6]")

#undef WS2P_STREAM
#undef WS2P_DGRAM
#undef WS2P_LISTED
#undef WS2P_HIDDEN
