/*
 * WSADuplicateSocket: the server offers the socket to the target process
 * and describes it in a WSAPROTOCOL_INFOW (from the protocol table shared
 * with the DLL, include/ws2protocols.h) carrying the one-time token (where:
 * include/ws2protoinfo.h); WSASocket with that structure claims it.
 */
#include <string.h>
#include "private.h"
#include "channel.h"
#include "sock.h"
#include "socket.h"
#include "sys.h"
#include "usermem.h"

/* Ask the server for a token that lets process `pid` open this socket;
 * `out` is where the program wants the structure (Windows checks it after
 * the socket and the process). */
static int duplicate(SOCKET s, DWORD pid, const void *out, WSAPROTOCOL_INFOW *info)
{
    struct ws2_duplicate_request req = { .target_win_pid = pid };
    struct ws2_duplicate_reply rep;
    struct ws2_sock *sock;
    HANDLE process;
    int status;

    if (!(sock = sock_for_call(s))) return WSAGetLastError();
    /* The target must be a live process. */
    if (!(process = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pid))) status = WSAEINVAL;
    else
    {
        CloseHandle(process);
        if (!out) status = WSAEFAULT;
        /* The reply brings the structure, token included. */
        else if (!(status = ws2_sock_call_duplicate(sock, &req, &rep))) memcpy(info, rep.info, sizeof(*info));
    }
    sock_release(sock);
    return status;
}

int WSAAPI WSADuplicateSocketW(SOCKET s, DWORD pid, LPWSAPROTOCOL_INFOW out)
{
    WSAPROTOCOL_INFOW info;
    int status;

    TRACE("%#Ix pid %#lx %p\n", s, pid, out);
    if ((status = duplicate(s, pid, out, &info))) return ws2_fail(status);
    if (user_write(out, &info, sizeof(info)) < 0) return ws2_fail(WSAEFAULT);
    return 0;
}

int WSAAPI WSADuplicateSocketA(SOCKET s, DWORD pid, LPWSAPROTOCOL_INFOA out)
{
    WSAPROTOCOL_INFOW info;
    WSAPROTOCOL_INFOA infoa;
    int status;

    TRACE("%#Ix pid %#lx %p\n", s, pid, out);
    if ((status = duplicate(s, pid, out, &info))) return ws2_fail(status);
    memcpy(&infoa, &info, offsetof(WSAPROTOCOL_INFOA, szProtocol));
    WideCharToMultiByte(CP_ACP, 0, info.szProtocol, -1, infoa.szProtocol, sizeof(infoa.szProtocol), NULL, NULL);
    if (user_write(out, &infoa, sizeof(infoa)) < 0) return ws2_fail(WSAEFAULT);
    return 0;
}

SOCKET sock_open_duplicate(const uint32_t *token, DWORD flags)
{
    struct ws2_dup_open_request req;
    struct ws2_socket_reply rep;
    int fd, status;
    struct ws2_call_extra extra = { NULL, &fd };
    SOCKET copy;

    TRACE("token %#x...\n", token[0]);
    memcpy(req.token, token, sizeof(req.token));
    status = ws2_call_dup_open_ex(0, &req, &rep, &extra);
    /*
     * A socket this process still holds: on Windows the duplicate is
     * another handle to the same file object, so a completion port bound
     * through one serves operations started through the other, and closing
     * one leaves them pending.  Ours is another handle to the same pipe; the
     * server's new handle is not needed.
     */
    if (!status && (copy = sock_share(rep.id, !(flags & WSA_FLAG_NO_HANDLE_INHERIT))))
    {
        if (fd >= 0) sys_close(fd);
        ws2_call_close(rep.handle, NULL, NULL);
        WSASetLastError(0);
        return copy;
    }
    return socket_result(status, fd, &rep, flags);
}
