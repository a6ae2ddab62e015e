/*
 * Where the server of a Wine prefix listens, written once for both sides:
 * the server makes the directories and binds the socket, the DLL connects
 * to it.  /tmp/.ws2server-UID is the user's (mode 0700); in it,
 * server-DEV-INO is the prefix's, DEV and INO being the device and inode
 * numbers of the prefix directory (in hex), so that every path naming the
 * same prefix finds the same server; WS2_SOCKET_NAME (ws2proto.h) is the
 * socket in that directory.  Needs <stdio.h>, <string.h> and <stdint.h>.
 */
#ifndef WS2PATH_H
#define WS2PATH_H

#define WS2_SERVER_BASE_FORMAT "/tmp/.ws2server-%u"
#define WS2_SERVER_DIR_FORMAT  WS2_SERVER_BASE_FORMAT "/server-%llx-%llx"

/* The user's base directory into out; the length snprintf gives, or -1 if it does not fit. */
static inline int ws2_server_base(char *out, size_t size, unsigned int uid)
{
    int n = snprintf(out, size, WS2_SERVER_BASE_FORMAT, uid);

    return n < 0 || (size_t)n >= size ? -1 : n;
}

/* The prefix's server directory into out (length or -1, as above). */
static inline int ws2_server_dir(char *out, size_t size, unsigned int uid, uint64_t dev, uint64_t ino)
{
    int n = snprintf(out, size, WS2_SERVER_DIR_FORMAT, uid, (unsigned long long)dev, (unsigned long long)ino);

    return n < 0 || (size_t)n >= size ? -1 : n;
}

/* The server's socket into out (length or -1, as above). */
static inline int ws2_server_socket(char *out, size_t size, unsigned int uid, uint64_t dev, uint64_t ino)
{
    int n = ws2_server_dir(out, size, uid, dev, ino);

    if (n < 0 || (size_t)n + 1 + sizeof(WS2_SOCKET_NAME) > size) return -1;
    out[n++] = '/';
    memcpy(out + n, WS2_SOCKET_NAME, sizeof(WS2_SOCKET_NAME));
    return n + (int)sizeof(WS2_SOCKET_NAME) - 1;
}

#endif /* WS2PATH_H */
