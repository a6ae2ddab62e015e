/*
 * The protocols we provide, as WSAPROTOCOL_INFO describes them (the values
 * Windows' own TCP/IP provider reports), and WSADuplicateSocket, whose
 * result is such a structure carrying a one-time token from the server.
 */
#include <string.h>
#include "private.h"

struct protocol_entry
{
    int family, type, protocol;
    DWORD service_flags;
    DWORD message_size;
    DWORD catalog_id;
    const char *name;
};

static const struct protocol_entry protocols[] =
{
#define WS2P_(name) name
#define WS2_PROTOCOL(f, t, p, flags, size, id, name) { f, t, p, flags, size, id, name },
#include "ws2protocols.h"
#undef WS2_PROTOCOL
#undef WS2P_
};

/* {E70F1AA0-AB8B-11CF-8CA3-00805F48A192}: Windows' MSAFD Tcpip provider. */
static const GUID tcpip_provider = { 0xe70f1aa0, 0xab8b, 0x11cf, { 0x8c, 0xa3, 0x00, 0x80, 0x5f, 0x48, 0xa1, 0x92 } };

static const struct protocol_entry *find_protocol(int family, int type)
{
    unsigned int i;

    for (i = 0; i < sizeof(protocols) / sizeof(protocols[0]); i++)
        if (protocols[i].family == family && protocols[i].type == type) return &protocols[i];
    return NULL;
}

/* Fill the fields A and W share (everything but szProtocol). */
static BOOL fill_info(WSAPROTOCOL_INFOW *info, int family, int type)
{
    const struct protocol_entry *p = find_protocol(family, type);

    if (!p) return FALSE;
    memset(info, 0, sizeof(*info));
    info->dwServiceFlags1 = p->service_flags;
    info->ProviderId = tcpip_provider;
    info->dwCatalogEntryId = p->catalog_id;
    info->ProtocolChain.ChainLen = BASE_PROTOCOL;
    info->iVersion = 2;
    info->iAddressFamily = p->family;
    info->iMaxSockAddr = p->family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
    info->iMinSockAddr = info->iMaxSockAddr;
    info->iSocketType = p->type;
    info->iProtocol = p->protocol;
    info->iNetworkByteOrder = BIGENDIAN;
    info->iSecurityScheme = SECURITY_PROTOCOL_NONE;
    info->dwMessageSize = p->message_size;
    MultiByteToWideChar(CP_ACP, 0, p->name, -1, info->szProtocol, WSAPROTOCOL_LEN + 1);
    return TRUE;
}

/* Ask the server for a token that lets process `pid` open this socket. */
static int duplicate(SOCKET s, DWORD pid, WSAPROTOCOL_INFOW *info)
{
    struct ws2_duplicate_request req;
    struct ws2_duplicate_reply rep;
    struct ws2_call call = { &req, sizeof(req), NULL, 0, &rep, sizeof(rep), NULL, 0 };
    struct ws2_sock *sock;
    HANDLE process;
    int status;

    if (!(sock = sock_for_call(s))) return WSAGetLastError();
    /* The target must be a live process. */
    if (!(process = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pid))) status = WSAEINVAL;
    else
    {
        CloseHandle(process);
        memset(&req, 0, sizeof(req));
        req.hdr.op = WS2_OP_DUPLICATE;
        req.hdr.size = sizeof(req);
        req.hdr.handle = sock->handle;
        req.target_win_pid = pid;
        if (!(status = ws2_server_call(&call)))
        {
            fill_info(info, sock->family, sock->type);
            info->dwProviderReserved = rep.token;
        }
    }
    sock_release(sock);
    return status;
}

int WSAAPI WSADuplicateSocketW(SOCKET s, DWORD pid, LPWSAPROTOCOL_INFOW out)
{
    WSAPROTOCOL_INFOW info;
    int status;

    TRACE("%#Ix pid %#lx %p\n", s, pid, out);
    if (!out) return ws2_fail(ws2_initialized() ? WSAEFAULT : WSANOTINITIALISED);
    if ((status = duplicate(s, pid, &info))) return ws2_fail(status);
    if (user_write(out, &info, sizeof(info)) < 0) return ws2_fail(WSAEFAULT);
    return 0;
}

int WSAAPI WSADuplicateSocketA(SOCKET s, DWORD pid, LPWSAPROTOCOL_INFOA out)
{
    WSAPROTOCOL_INFOW info;
    WSAPROTOCOL_INFOA infoa;
    int status;

    TRACE("%#Ix pid %#lx %p\n", s, pid, out);
    if (!out) return ws2_fail(ws2_initialized() ? WSAEFAULT : WSANOTINITIALISED);
    if ((status = duplicate(s, pid, &info))) return ws2_fail(status);
    memcpy(&infoa, &info, offsetof(WSAPROTOCOL_INFOA, szProtocol));
    WideCharToMultiByte(CP_ACP, 0, info.szProtocol, -1, infoa.szProtocol, sizeof(infoa.szProtocol), NULL, NULL);
    if (user_write(out, &infoa, sizeof(infoa)) < 0) return ws2_fail(WSAEFAULT);
    return 0;
}

SOCKET sock_open_duplicate(DWORD token)
{
    struct ws2_dup_open_request req;
    struct ws2_socket_reply rep;
    struct ws2_call call = { &req, sizeof(req), NULL, 0, &rep, sizeof(rep), NULL, 0 };
    int fd;

    TRACE("token %#lx\n", token);
    memset(&req, 0, sizeof(req));
    req.hdr.op = WS2_OP_DUP_OPEN;
    req.hdr.size = sizeof(req);
    req.token = token;
    call.fd = &fd;
    return socket_call(&call, &rep);
}
