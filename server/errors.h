/*
 * Linux errno values as Winsock error codes (errors.c, from the table in
 * include/ws2errno.h shared with the DLL).  Used wherever a system call's
 * failure becomes a reply's status.
 */
#ifndef WS2SERVER_ERRORS_H
#define WS2SERVER_ERRORS_H

/* Linux errno -> Winsock error code (WSAEINVAL for unknown ones). */
int errno_to_wsa(int err);

#endif /* WS2SERVER_ERRORS_H */
