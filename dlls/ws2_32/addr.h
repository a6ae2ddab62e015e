/*
 * addr.c's interface: parsing and printing IPv4 and IPv6 address text, and
 * the narrow-or-wide strings the parsers read.
 */
#ifndef WS2_ADDR_H
#define WS2_ADDR_H

#include <stddef.h>
#include <stdint.h>
#include <windows.h>

/* Windows' RtlIpv4StringToAddress (strict or not) and RtlIpv6StringToAddress
 * text, from the start of a narrow (`a`) or wide (`w`) string: 1 with the
 * index of the first character not taken in *end, or 0.  The IPv4 address
 * is in host order; the IPv6 parser writes into `out` as it goes. */
int addr_parse_ipv4(const char *a, const WCHAR *w, int strict, uint32_t *addr, size_t *end);
int addr_parse_ipv6(const char *a, const WCHAR *w, unsigned char *out, size_t *end);
/* Windows' text of a network-order address, NUL-terminated (at most 16 and
 * 46 bytes with the NUL); returns the length. */
size_t addr_format_ipv4(const unsigned char *bytes, char *out);
size_t addr_format_ipv6(const unsigned char *bytes, char *out);

/* A string of the program's, narrow or wide; characters outside ASCII
 * belong to no class the address parsers use, so they simply end a number. */
struct text
{
    const char *a;
    const WCHAR *w;
};

static inline unsigned int text_char(const struct text *t, size_t i)
{
    return t->a ? (unsigned char)t->a[i] : t->w[i];
}

/* Value of `c` as a digit in `base` (8, 10 or 16), or -1. */
int digit_value(unsigned int c, unsigned int base);
/* Only for traces: a bounded, printable copy of the program's string. */
const char *debugstr_text(const struct text *t, char *buf, size_t size);

#endif /* WS2_ADDR_H */
