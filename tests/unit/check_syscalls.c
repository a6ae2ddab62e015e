/*
 * The shim's system call numbers (dlls/ws2_32/linux.h) against the kernel's
 * headers: x86-64's for the 64-bit DLL, i386's (and socketcall's) for the
 * 32-bit one, which cannot be run on every machine that builds it.  The
 * i386 structure layouts are checked where they are compiled, by
 * dlls/ws2_32/linux.c's static assertions in the 32-bit build.
 */
#include <string.h>
#include <asm/unistd_64.h>
#include "check_syscalls.h"
#include "check_suites.h"

START_TEST(test_x86_64_numbers)
{
#define X(name, nr64, nr32, name32, call) \
    ck_assert_msg(nr64 == __NR_##name, "x86-64 %s: ours %d, the kernel's %d", #name, nr64, __NR_##name);
    LINUX_SYSCALLS(X)
#undef X
}
END_TEST

START_TEST(test_i386_numbers)
{
    const struct syscall_number *n;

    for (n = kernel_i386; n->name; n++)
        ck_assert_msg(n->ours == n->kernel, "i386 %s: ours %d, the kernel's %d", n->name, n->ours, n->kernel);
}
END_TEST

/* Every socket call has its socketcall number, and only they have one. */
START_TEST(test_socketcall_numbers)
{
    const struct syscall_number *n, *k;

    for (n = kernel_socketcall; n->name; n++)
    {
        for (k = kernel_socketcall_names; k->name && strcmp(k->name, n->name); k++) continue;
        ck_assert_msg(n->ours == (k->name ? k->ours : 0), "socketcall %s: ours %d, the kernel's %d", n->name,
                      n->ours, k->name ? k->ours : 0);
    }
}
END_TEST

Suite *syscalls_suite(void)
{
    Suite *s = suite_create("syscalls");
    TCase *tc = tcase_create("numbers");

    tcase_add_test(tc, test_x86_64_numbers);
    tcase_add_test(tc, test_i386_numbers);
    tcase_add_test(tc, test_socketcall_numbers);
    suite_add_tcase(s, tc);
    return s;
}
