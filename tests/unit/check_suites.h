/*
 * The Check suites of the native unit tests (tests/unit/check_server).
 * Each file check_NAME.c builds one suite; check_main.c runs them all.
 */
#ifndef CHECK_SUITES_H
#define CHECK_SUITES_H

#include <check.h>

Suite *bind_suite(void);
Suite *clients_suite(void);
Suite *duplicate_suite(void);
Suite *errors_suite(void);
Suite *handles_suite(void);
Suite *linger_suite(void);
Suite *protocol_suite(void);
Suite *requests_suite(void);
Suite *shared_suite(void);
Suite *sockopt_suite(void);
Suite *syscalls_suite(void);

#endif /* CHECK_SUITES_H */
