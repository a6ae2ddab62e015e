/*
 * The kernel's i386 system call numbers, for check_syscalls.c: the headers
 * of the two architectures define the same names, so each has its own file.
 */
#include <asm/unistd_32.h>
#include <linux/net.h>
#include "check_syscalls.h"

/* clang-format off */
const struct syscall_number kernel_i386[] =
{
#define X(name, nr64, nr32, name32, call) { #name, nr32, __NR_##name32 },
    LINUX_SYSCALLS(X)
#undef X
    { "socketcall", LINUX_I386_NR_socketcall, __NR_socketcall },
    { "ppoll (32-bit time)", LINUX_I386_NR_ppoll, __NR_ppoll },
    { NULL, 0, 0 },
};

/* socketcall's numbers of the socket calls, by the name of their call. */
const struct syscall_number kernel_socketcall[] =
{
#define X(name, nr64, nr32, name32, call) { #name, call, 0 },
    LINUX_SYSCALLS(X)
#undef X
    { NULL, 0, 0 },
};
const struct syscall_number kernel_socketcall_names[] =
{
    { "socket", SYS_SOCKET, 0 }, { "connect", SYS_CONNECT, 0 }, { "bind", SYS_BIND, 0 },
    { "getsockname", SYS_GETSOCKNAME, 0 },
    { "recvfrom", SYS_RECVFROM, 0 }, { "getsockopt", SYS_GETSOCKOPT, 0 }, { "setsockopt", SYS_SETSOCKOPT, 0 },
    { "sendmsg", SYS_SENDMSG, 0 },
    { "recvmsg", SYS_RECVMSG, 0 }, { NULL, 0, 0 },
};
/* clang-format on */
