/*
 * extensions.c's interface: the functions (AcceptEx & co.) that WSAIoctl's
 * SIO_GET_EXTENSION_FUNCTION_POINTER hands out.
 */
#ifndef WS2_EXTENSIONS_H
#define WS2_EXTENSIONS_H

#include <windows.h>

/* The function behind an SIO_GET_EXTENSION_FUNCTION_POINTER GUID, or NULL. */
void *extension_function(const GUID *guid);

#endif /* WS2_EXTENSIONS_H */
