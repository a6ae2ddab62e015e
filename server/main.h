/*
 * What main.c provides besides the log (log.h): the server's directory for a
 * Wine prefix, and the count of open fds that the SERVER_STATS request reports
 * (requests.c).  The unit tests link the server without main.c, so
 * tests/unit/check_main.c defines open_fd_count() for them.
 */
#ifndef WS2SERVER_MAIN_H
#define WS2SERVER_MAIN_H

#include <stddef.h>

/* The server's directory for the Wine prefix `prefix` (made if `create`). */
int server_dir_for_prefix(const char *prefix, char *out, size_t outlen, int create);
unsigned int open_fd_count(void);

#endif /* WS2SERVER_MAIN_H */
