/*
 * The server's log: `ws2server -d` turns debug_level on, and DEBUG() lines
 * go to stderr through server_log().  Both are defined in main.c (and, for
 * the unit tests, which link the server without main.c, in
 * tests/unit/check_main.c).  Used by client.c, linger.c, resolve.c,
 * requests.c and trace.c.
 */
#ifndef WS2SERVER_LOG_H
#define WS2SERVER_LOG_H

extern int debug_level;
void server_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#define DEBUG(...)                                \
    do {                                          \
        if (debug_level) server_log(__VA_ARGS__); \
    } while (0)

#endif /* WS2SERVER_LOG_H */
