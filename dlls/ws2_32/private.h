/*
 * Our ws2_32.dll: its map, and what every one of its files shares.
 *
 *   linux.c     the system call shim, the only file that knows Linux: raw
 *               calls (linux.h, the Linux ABI, included by linux.c alone),
 *               errno -> Winsock errors, and sys.h's services for everyone
 *               else, in the DLL's terms (Winsock errors and MSG_* flags,
 *               Windows-layout addresses, WAIT_* bits): sendmsg/recvmsg,
 *               waits, eventfds, the server connection, the host name.
 *   channel.c   the per-thread connections to ws2server, starting it
 *   handles.c   SOCKET values (pipe handles) -> server handle + fd copy; teardown
 *   pipes.c     the pipe pairs behind SOCKET values, made and closed ahead
 *   startup.c   WSAStartup/WSACleanup, last error, per-thread data
 *   socket.c    the control path: socket, bind, connect, accept, close...
 *   shared.c    the shared state region and the server's grants for new sockets
 *   data.c      the data path: send/recv on the fd copy, blocking waits
 *   sockopt.c   getsockopt/setsockopt, in process (common/optable.c has the rules)
 *   select.c    select(), WSAPoll() and __WSAFDIsSet
 *   notify.c    WSAEventSelect, WSAAsyncSelect: the notifier thread
 *   overlapped.c WSASend/WSARecv & co, with events and completion routines
 *   extensions.c AcceptEx, ConnectEx & co. (SIO_GET_EXTENSION_FUNCTION_POINTER)
 *   ioctl.c     ioctlsocket and WSAIoctl
 *   resolve.c   getaddrinfo/getnameinfo (answered by the server)
 *   duplicate.c WSADuplicateSocket and opening its result
 *   addr.c      byte order and address text conversions
 *   addrstring.c WSAAddressToString, WSAStringToAddress
 *   protocols.c WSAEnumProtocols, getprotobyname/getprotobynumber, socket()'s checks
 *   netdb.c     gethostbyname/gethostbyaddr, getservbyname/getservbyport
 *   hostname.c  gethostname, GetHostNameW
 *   blocking.c  the Winsock 1.1 blocking-hook calls
 *   stubs.c     generated from ws2_32.spec: what is not implemented yet
 *
 * Each module's interface is in a header of its own: startup.h, channel.h,
 * pipes.h, sock.h (handles.c), socket.h, data.h, notify.h, addr.h,
 * protocols.h, netdb.h, overlapped.h, ioctl.h, extensions.h; linux.c's are
 * sys.h, linux.h and usermem.h, debug.c's is debug.h.  A file includes this
 * one first, then the headers of the modules it calls.  struct ws2_sock's
 * fields are in sock_impl.h, which only handles.c and data.c include.
 */
#ifndef WS2_PRIVATE_H
#define WS2_PRIVATE_H

#include <stdint.h>
#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include "debug.h"

/* From startup.c, used everywhere. */

/* Nonzero between a successful WSAStartup and its last WSACleanup. */
int ws2_initialized(void);
/* Set the last error and return SOCKET_ERROR: `return ws2_fail(WSAEFAULT);` */
int ws2_fail(int error);

#endif /* WS2_PRIVATE_H */
