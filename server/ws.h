/*
 * Winsock's names in the server, from Wine's headers.
 *
 * The server is built with USE_WS_PREFIX (Makefile.am), so Wine's headers name
 * their constants and structures WS_* (WS_SO_LINGER, struct WS_linger) and
 * they live beside Linux's <sys/socket.h> (SO_LINGER); the WSAE* error codes
 * keep their names.  Included by every file that uses Windows' values (all
 * but loop.c, main.c and protocol.c), and by sock.h for struct WS_linger.
 */
#ifndef WS2SERVER_WS_H
#define WS2SERVER_WS_H

#include <windef.h>
#include <winbase.h>
#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>

#endif /* WS2SERVER_WS_H */
