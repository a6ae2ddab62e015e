/*
 * Runs every suite of the native unit tests.
 *
 * The tests link against server/libws2server.a, which leaves out main.c.
 * The few things the library takes from main.c (the debug switch, the log
 * function, the fd counter of the stats request) are defined here, quietly.
 */
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "log.h"
#include "main.h"
#include "check_suites.h"

int debug_level;

void server_log(const char *fmt, ...)
{
    va_list args;

    fputs("ws2server (unit test): ", stderr);
    va_start(args, fmt);
    vfprintf(stderr, fmt, args);
    va_end(args);
}

unsigned int open_fd_count(void)
{
    DIR *dir = opendir("/proc/self/fd");
    struct dirent *entry;
    unsigned int count = 0;

    if (!dir) return 0;
    while ((entry = readdir(dir)))
        if (entry->d_name[0] != '.') count++;
    closedir(dir);
    /* The directory stream has an fd of its own. */
    return count ? count - 1 : 0;
}

int main(void)
{
    SRunner *runner = srunner_create(errors_suite());
    int failed;

    srunner_add_suite(runner, handles_suite());
    srunner_add_suite(runner, protocol_suite());
    srunner_add_suite(runner, sockopt_suite());
    srunner_add_suite(runner, linger_suite());
    srunner_add_suite(runner, bind_suite());
    srunner_add_suite(runner, duplicate_suite());
    srunner_add_suite(runner, requests_suite());
    srunner_add_suite(runner, shared_suite());
    srunner_add_suite(runner, clients_suite());
    srunner_add_suite(runner, syscalls_suite());
    srunner_run_all(runner, CK_NORMAL);
    failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? 1 : 0;
}
