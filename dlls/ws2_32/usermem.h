/*
 * Reading and writing the program's memory without faulting on a bad pointer
 * (implemented in linux.c: a copy whose faults an exception handler catches).
 */
#ifndef WS2_USERMEM_H
#define WS2_USERMEM_H

#include <stddef.h>

/* Copy from/to the program's memory without crashing on a bad pointer:
 * 0 on success, -1 if any byte is not accessible. */
int user_read(void *dst, const void *user_src, size_t len);
int user_write(void *user_dst, const void *src, size_t len);
/* Two writes in one system call (an address and its length). */
int user_write2(void *dst1, const void *src1, size_t len1, void *dst2, const void *src2, size_t len2);

/* The fault handler the copies need, installed when the DLL loads and
 * removed when it is unloaded (before that, the kernel copies). */
void user_memory_init(void);
void user_memory_exit(void);

#endif /* WS2_USERMEM_H */
