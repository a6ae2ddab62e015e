/*
 * The Winsock 1.1 pseudo-blocking calls: WSAIsBlocking, WSACancelBlockingCall,
 * WSASetBlockingHook, WSAUnhookBlockingHook.
 *
 * Microsoft's "Windows Sockets Compatibility Issues": Windows Sockets 2 has
 * no pseudo-blocking; these four are not available to Windows Sockets 2
 * applications, and WSAEINPROGRESS is never indicated.  The function pages
 * ("WSASetBlockingHook function" and the others) say they were removed in
 * compliance with the Windows Sockets 2 specification, revision 2.2.0; they
 * give no return value.  What ws2_32 does for a Winsock 2 caller is refuse
 * the hook calls with WSAEOPNOTSUPP (NULL from WSASetBlockingHook,
 * SOCKET_ERROR from the others), and report that no call is blocking; like
 * every other call, they fail with WSANOTINITIALISED before WSAStartup.
 *
 * Not done here: Windows still runs hooks for a process whose lowest
 * requested version is 1.x (the hook is stored and the previous one
 * returned); the DLL does not record the version WSAStartup was asked for,
 * so every caller gets the Winsock 2 answers.
 */
#include "private.h"

BOOL WSAAPI WSAIsBlocking(void)
{
    TRACE("\n");
    if (!ws2_initialized()) ws2_fail(WSANOTINITIALISED);
    return FALSE;
}

int WSAAPI WSACancelBlockingCall(void)
{
    TRACE("\n");
    return ws2_fail(ws2_initialized() ? WSAEOPNOTSUPP : WSANOTINITIALISED);
}

FARPROC WSAAPI WSASetBlockingHook(FARPROC lpBlockFunc)
{
    TRACE("%p\n", (void *)lpBlockFunc);
    ws2_fail(ws2_initialized() ? WSAEOPNOTSUPP : WSANOTINITIALISED);
    return NULL;
}

int WSAAPI WSAUnhookBlockingHook(void)
{
    TRACE("\n");
    return ws2_fail(ws2_initialized() ? WSAEOPNOTSUPP : WSANOTINITIALISED);
}
