/*
 * netdb.c's interface: reading a name the program passes, and the address
 * and interface lists of WSAIoctl.
 */
#ifndef WS2_NETDB_H
#define WS2_NETDB_H

#include <stddef.h>
#include <windows.h>

/* Copy the program's NUL-terminated string (a name to look up): 0, -1 if
 * it cannot be read, -2 if it does not fit in `size` bytes with its NUL
 * (then `size` bytes of it are in `buf`, unterminated). */
int netdb_read_string(const char *src, char *buf, size_t size);

/* WSAIoctl's SIO_ADDRESS_LIST_QUERY for a socket of (Windows) `family` and
 * SIO_GET_INTERFACE_LIST: 0 or a WSA error; *out_len is what was written,
 * or on WSAEFAULT the size that would have been needed. */
int netdb_address_list(int family, void *out, DWORD out_size, DWORD *out_len);
int netdb_interface_list(void *out, DWORD out_size, DWORD *out_len);

#endif /* WS2_NETDB_H */
