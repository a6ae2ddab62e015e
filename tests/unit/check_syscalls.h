/*
 * The system call numbers of the DLL's shim (dlls/ws2_32/linux.h) beside the
 * kernel's, for check_syscalls.c.
 */
#ifndef CHECK_SYSCALLS_H
#define CHECK_SYSCALLS_H

#define WS2_SYSCALL_SHIM
#include "../../dlls/ws2_32/linux.h"

struct syscall_number
{
    const char *name;
    int ours;
    int kernel;
};

extern const struct syscall_number kernel_i386[];
extern const struct syscall_number kernel_socketcall[];
extern const struct syscall_number kernel_socketcall_names[];

#endif /* CHECK_SYSCALLS_H */
