/*
 * Raw Linux system calls for a PE DLL running under Wine (x86-64 `syscall`,
 * or i386 `int 0x80` in the 32-bit DLL), and sys.h's services built on them.
 * This file and linux.h are all the DLL knows of Linux: its errno values
 * (turned into Winsock errors here, through include/ws2errno.h), flags,
 * structures and call numbers.
 */
#include <windows.h>
#include <winsock2.h>
#include <string.h>
#define WS2_SYSCALL_SHIM
#include "linux.h"
#include "sys.h"
#include "private.h"
#include "usermem.h"
#include "ws2addr.h"
#include "ws2proto.h"

/* The kernel's structures as each architecture lays them out. */
#ifdef __i386__
_Static_assert(sizeof(struct linux_iovec) == 8 && offsetof(struct linux_iovec, len) == 4, "struct iovec");
_Static_assert(sizeof(struct linux_msghdr) == 28 && offsetof(struct linux_msghdr, namelen) == 4 &&
                   offsetof(struct linux_msghdr, iov) == 8 && offsetof(struct linux_msghdr, iovlen) == 12 &&
                   offsetof(struct linux_msghdr, control) == 16 && offsetof(struct linux_msghdr, controllen) == 20 &&
                   offsetof(struct linux_msghdr, flags) == 24,
               "struct msghdr");
_Static_assert(sizeof(struct linux_cmsghdr) == 12, "struct cmsghdr");
_Static_assert(sizeof(struct linux_timespec32) == 8, "struct old_timespec32");
_Static_assert(sizeof(struct linux_stat) == 96 && offsetof(struct linux_stat, ino32) == 12 &&
                   offsetof(struct linux_stat, size) == 44 && offsetof(struct linux_stat, ino) == 88,
               "struct stat64");
#else
_Static_assert(sizeof(struct linux_iovec) == 16, "struct iovec");
_Static_assert(sizeof(struct linux_msghdr) == 56 && offsetof(struct linux_msghdr, iov) == 16 &&
                   offsetof(struct linux_msghdr, control) == 32 && offsetof(struct linux_msghdr, flags) == 48,
               "struct msghdr");
_Static_assert(sizeof(struct linux_cmsghdr) == 16, "struct cmsghdr");
_Static_assert(sizeof(struct linux_stat) == 144 && offsetof(struct linux_stat, ino) == 8, "struct stat");
#endif
_Static_assert(sizeof(struct linux_pollfd) == 8, "struct pollfd");
_Static_assert(sizeof(struct linux_timespec) == 16, "struct __kernel_timespec");
_Static_assert(sizeof(struct linux_sockaddr_un) == 110, "struct sockaddr_un");
_Static_assert(sizeof(struct linux_utsname) == 6 * 65, "struct new_utsname");

/* sys.h's WAIT_* bits and struct wait_fd are Linux's poll ones. */
_Static_assert(WAIT_READ == LINUX_POLLIN && WAIT_PRI == LINUX_POLLPRI && WAIT_WRITE == LINUX_POLLOUT &&
                   WAIT_ERROR == LINUX_POLLERR && WAIT_HANGUP == LINUX_POLLHUP && WAIT_PEER_SHUT == LINUX_POLLRDHUP,
               "WAIT_* are poll bits");
_Static_assert(sizeof(struct wait_fd) == sizeof(struct linux_pollfd) &&
                   offsetof(struct wait_fd, revents) == offsetof(struct linux_pollfd, revents),
               "struct wait_fd is struct pollfd");
/* The data path hands these through untranslated. */
_Static_assert(sizeof(struct sys_iov) == sizeof(struct linux_iovec) &&
                   offsetof(struct sys_iov, len) == offsetof(struct linux_iovec, len),
               "struct sys_iov is struct iovec");
_Static_assert(MSG_OOB == LINUX_MSG_OOB && MSG_PEEK == LINUX_MSG_PEEK && MSG_DONTROUTE == LINUX_MSG_DONTROUTE,
               "Winsock's MSG_OOB, MSG_PEEK and MSG_DONTROUTE are Linux's");
_Static_assert(SYS_LOCAL_PATH_SIZE == sizeof(((struct linux_sockaddr_un *)0)->path), "sun_path");
_Static_assert(SYS_HOST_NAME_SIZE == sizeof(((struct linux_utsname *)0)->nodename), "nodename");
/* xfer's address buffer (private.h) holds any sockaddr sys_recvmsg gives. */
_Static_assert(WS2_MAX_ADDR >= WS2ADDR_MAX_SIZE, "address room");

/* The Winsock MSG_* flags sys_sendmsg and sys_recvmsg pass on. */
#define SYS_MSG_FLAGS (MSG_OOB | MSG_PEEK | MSG_DONTROUTE)

enum
{
#ifdef __i386__
#define X(name, nr64, nr32, name32, call) NR_##name = nr32, SOCKETCALL_##name = call,
#else
#define X(name, nr64, nr32, name32, call) NR_##name = nr64, SOCKETCALL_##name = call,
#endif
    LINUX_SYSCALLS(X)
#undef X
};

#ifdef __i386__
/*
 * int 0x80: the number in eax, the arguments in ebx, ecx, edx, esi, edi and
 * ebp.  ebp may be the frame pointer, so it is saved around the call and
 * loaded, like ebx, from memory that ebx points to.
 */
static int64_t syscall6(intptr_t nr, intptr_t a1, intptr_t a2, intptr_t a3, intptr_t a4, intptr_t a5, intptr_t a6)
{
    intptr_t args[2] = { a1, a6 }, *p = args, ret;

    __asm__ volatile("pushl %%ebp\n\t"
                     "movl 4(%%ebx), %%ebp\n\t"
                     "movl (%%ebx), %%ebx\n\t"
                     "int $0x80\n\t"
                     "popl %%ebp"
                     : "=a"(ret), "+b"(p)
                     : "0"(nr), "c"(a2), "d"(a3), "S"(a4), "D"(a5)
                     : "memory");
    return ret;
}
#else
static int64_t syscall6(intptr_t nr, intptr_t a1, intptr_t a2, intptr_t a3, intptr_t a4, intptr_t a5, intptr_t a6)
{
    int64_t ret;
    register intptr_t r10 __asm__("r10") = a4;
    register intptr_t r8 __asm__("r8") = a5;
    register intptr_t r9 __asm__("r9") = a6;

    __asm__ volatile("syscall"
                     : "=a"(ret)
                     : "a"(nr), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8), "r"(r9)
                     : "rcx", "r11", "memory");
    return ret;
}
#endif

#define SC(nr, a, b, c, d, e, f) \
    syscall6(nr, (intptr_t)(a), (intptr_t)(b), (intptr_t)(c), (intptr_t)(d), (intptr_t)(e), (intptr_t)(f))

#ifdef __i386__
/* A socket call, through socketcall on kernels older than 4.3. */
static int64_t sock_call(int nr, int call, intptr_t a, intptr_t b, intptr_t c, intptr_t d, intptr_t e, intptr_t f)
{
    intptr_t args[6] = { a, b, c, d, e, f };
    int64_t ret = SC(nr, a, b, c, d, e, f);

    if (ret == -LINUX_ENOSYS) ret = SC(LINUX_I386_NR_socketcall, call, args, 0, 0, 0, 0);
    return ret;
}
#define SOCK(name, a, b, c, d, e, f)                                                                                   \
    sock_call(NR_##name, SOCKETCALL_##name, (intptr_t)(a), (intptr_t)(b), (intptr_t)(c), (intptr_t)(d), (intptr_t)(e), \
              (intptr_t)(f))
#else
#define SOCK(name, a, b, c, d, e, f) SC(NR_##name, a, b, c, d, e, f)
#endif

#ifdef __i386__
/* Where the probe's int 0x80 is, for its fault handler. */
extern const char linux_probe_insn[];

static LONG CALLBACK probe_fault(EXCEPTION_POINTERS *info)
{
    if (info->ExceptionRecord->ExceptionAddress != (void *)linux_probe_insn) return EXCEPTION_CONTINUE_SEARCH;
    info->ContextRecord->Eip += 2; /* past int $0x80 */
    info->ContextRecord->Eax = (DWORD)-LINUX_ENOSYS;
    return EXCEPTION_CONTINUE_EXECUTION;
}

/*
 * 32-bit code in a 64-bit process (Wine's new WoW64 mode) reaches the kernel
 * through int 0x80 only while the kernel has its 32-bit system calls
 * (IA32 emulation); without them int 0x80 faults.  One getpid, its fault
 * caught, tells which (doc/design-notes.md, "The 32-bit DLL").
 */
__attribute__((noinline, noclone)) const char *sys_unavailable(void)
{
    void *handler = AddVectoredExceptionHandler(1, probe_fault);
    intptr_t ret;

    __asm__ volatile(".globl _linux_probe_insn\n_linux_probe_insn:\n\tint $0x80"
                     : "=a"(ret)
                     : "0"(NR_getpid)
                     : "memory");
    if (handler) RemoveVectoredExceptionHandler(handler);
    if (ret > 0) return NULL;
    return "ws2_32 (32-bit): Linux's 32-bit system calls (int 0x80) are not available in this process: "
           "the kernel's IA32 emulation is off (ia32_emulation=0); use the built-in ws2_32 for 32-bit programs";
}
#else
const char *sys_unavailable(void)
{
    return NULL;
}
#endif

int64_t linux_read(int fd, void *buf, size_t len)
{
    return SC(NR_read, fd, buf, len, 0, 0, 0);
}
int64_t linux_write(int fd, const void *buf, size_t len) { return SC(NR_write, fd, buf, len, 0, 0, 0); }
int64_t linux_close(int fd) { return SC(NR_close, fd, 0, 0, 0, 0, 0); }
int64_t linux_stat(const char *path, struct linux_stat *st) { return SC(NR_stat, path, st, 0, 0, 0, 0); }
int64_t linux_socket(int family, int type, int protocol) { return SOCK(socket, family, type, protocol, 0, 0, 0); }
int64_t linux_connect(int fd, const void *addr, uint32_t len) { return SOCK(connect, fd, addr, len, 0, 0, 0); }
int64_t linux_bind(int fd, const void *addr, uint32_t len) { return SOCK(bind, fd, addr, len, 0, 0, 0); }
int64_t linux_getsockname(int fd, void *addr, uint32_t *len) { return SOCK(getsockname, fd, addr, len, 0, 0, 0); }
int64_t linux_sendmsg(int fd, const struct linux_msghdr *msg, int flags)
{
    return SOCK(sendmsg, fd, msg, flags, 0, 0, 0);
}
int64_t linux_recvmsg(int fd, struct linux_msghdr *msg, int flags) { return SOCK(recvmsg, fd, msg, flags, 0, 0, 0); }
int64_t linux_getpid(void)
{
    /* A Windows process never forks: the pid stays, and the safe copies
     * below need it on every call. */
    static int64_t pid;

    if (!pid) pid = SC(NR_getpid, 0, 0, 0, 0, 0, 0);
    return pid;
}
int64_t linux_getuid(void) { return SC(NR_getuid, 0, 0, 0, 0, 0, 0); }
int64_t linux_eventfd(unsigned int initval, int flags) { return SC(NR_eventfd2, initval, flags, 0, 0, 0, 0); }
int64_t linux_dup3(int oldfd, int newfd, int flags) { return SC(NR_dup3, oldfd, newfd, flags, 0, 0, 0); }
int64_t linux_uname(struct linux_utsname *buf) { return SC(NR_uname, buf, 0, 0, 0, 0, 0); }

int64_t linux_getsockopt(int fd, int level, int name, void *value, uint32_t *len)
{
    return SOCK(getsockopt, fd, level, name, value, len, 0);
}

int64_t linux_setsockopt(int fd, int level, int name, const void *value, uint32_t len)
{
    return SOCK(setsockopt, fd, level, name, value, len, 0);
}

int64_t linux_ioctl(int fd, unsigned long request, void *arg)
{
    return SC(NR_ioctl, fd, request, arg, 0, 0, 0);
}

int64_t linux_map_fixed(void *addr, size_t len, int fd)
{
    /* i386's mmap2 counts the offset in pages: 0 either way. */
    int64_t ret = SC(NR_mmap, addr, len, LINUX_PROT_READ | LINUX_PROT_WRITE, LINUX_MAP_SHARED | LINUX_MAP_FIXED, fd, 0);

    /* An address in the upper half is negative in a 32-bit register. */
    if (ret < 0 && ret >= -4095) return ret;
    return (int64_t)(uintptr_t)ret;
}

int64_t linux_munmap(void *addr, size_t len)
{
    return SC(NR_munmap, addr, len, 0, 0, 0, 0);
}

int64_t linux_recv(int fd, void *buf, size_t len, int flags)
{
    return SOCK(recvfrom, fd, buf, len, flags, 0, 0);
}

int64_t linux_poll(struct linux_pollfd *fds, unsigned int nfds, int timeout_ms)
{
    struct linux_timespec ts = { 0, 0 }, *pts = NULL;
    int64_t ret;

    if (timeout_ms >= 0)
    {
        ts.sec = timeout_ms / 1000;
        ts.nsec = (int64_t)(timeout_ms % 1000) * 1000000;
        pts = &ts;
    }
    ret = SC(NR_ppoll, fds, nfds, pts, 0, 0, 0);
#ifdef __i386__
    /* Before Linux 5.1: the 32-bit timespec (a millisecond timeout fits). */
    if (ret == -LINUX_ENOSYS)
    {
        struct linux_timespec32 ts32 = { (int32_t)ts.sec, (int32_t)ts.nsec };

        ret = SC(LINUX_I386_NR_ppoll, fds, nfds, pts ? &ts32 : NULL, 0, 0, 0);
    }
#endif
    return ret;
}

/*
 * process_vm_readv/writev on ourselves: the kernel checks the range and
 * answers EFAULT instead of faulting, which is how a bad pointer from the
 * program becomes WSAEFAULT.
 */
static int64_t copy_self(int nr, void *local, const void *remote, size_t len)
{
    struct linux_iovec l = { local, len }, r = { remote, len };
    int64_t ret;

    if (!len) return 0;
    ret = SC(nr, linux_getpid(), &l, 1, &r, 1, 0);
    if (ret >= 0 && (size_t)ret != len) return -LINUX_EFAULT;
    return ret;
}

int64_t linux_copy_from(void *dst, const void *src, size_t len)
{
    return copy_self(NR_process_vm_readv, dst, src, len);
}

int64_t linux_copy_to(void *dst, const void *src, size_t len)
{
    return copy_self(NR_process_vm_writev, (void *)src, dst, len);
}

int linux_errno_to_wsa(int err)
{
    switch (err)
    {
#define WS2_ERRNO(e, wsa) \
    case LINUX_##e:       \
        return wsa;
#include "ws2errno.h"
#undef WS2_ERRNO
    default: return WSAEINVAL;
    }
}

/*
 * The copies to and from the program's memory are done in this process, by
 * user_copy below, and cost no system call; a fault in it (a bad pointer,
 * PAGE_NOACCESS, a guard page) is caught by a vectored exception handler that
 * makes it return -1.  Wine handles the faults that are its own business (a
 * page under a write watch, the stack's guard) before any handler runs, so
 * the copy sees memory as the program does.  Until the handler is in place
 * (or when it could not be), the kernel copies (copy_self).
 *
 * user_copy(dst, src, len): 0, or -1 after a fault.  It touches only
 * registers the calling convention lets it change and no stack, so that
 * nothing has to be unwound when the fault handler moves it to its end.
 */
int user_copy(void *dst, const void *src, size_t len);
extern const char user_copy_begin[], user_copy_end[], user_copy_failed[];
#ifdef __i386__
__asm__(".text\n"
        ".globl _user_copy\n"
        "_user_copy:\n\t"
        "movl 4(%esp), %ecx\n\t" /* dst */
        "movl 8(%esp), %edx\n"   /* src; the length stays in its slot */
        "_user_copy_begin:\n"
        "1:\n\t"
        "cmpl $0, 12(%esp)\n\t"
        "je 2f\n\t"
        "movzbl (%edx), %eax\n\t"
        "movb %al, (%ecx)\n\t"
        "incl %edx\n\t"
        "incl %ecx\n\t"
        "decl 12(%esp)\n\t"
        "jmp 1b\n"
        "_user_copy_end:\n"
        "2:\n\t"
        "xorl %eax, %eax\n\t"
        "ret\n"
        "_user_copy_failed:\n\t"
        "movl $-1, %eax\n\t"
        "ret\n");
#else
__asm__(".text\n"
        ".globl user_copy\n"
        "user_copy:\n" /* rcx dst, rdx src, r8 len */
        "user_copy_begin:\n"
        "1:\n\t"
        "cmpq $8, %r8\n\t"
        "jb 2f\n\t"
        "movq (%rdx), %rax\n\t"
        "movq %rax, (%rcx)\n\t"
        "addq $8, %rdx\n\t"
        "addq $8, %rcx\n\t"
        "subq $8, %r8\n\t"
        "jmp 1b\n"
        "2:\n\t"
        "testq %r8, %r8\n\t"
        "je 3f\n\t"
        "movzbl (%rdx), %eax\n\t"
        "movb %al, (%rcx)\n\t"
        "incq %rdx\n\t"
        "incq %rcx\n\t"
        "decq %r8\n\t"
        "jmp 2b\n"
        "user_copy_end:\n"
        "3:\n\t"
        "xorl %eax, %eax\n\t"
        "ret\n"
        "user_copy_failed:\n\t"
        "movl $-1, %eax\n\t"
        "ret\n");
#endif

static void *copy_handler;

static LONG CALLBACK user_copy_fault(EXCEPTION_POINTERS *info)
{
    const EXCEPTION_RECORD *rec = info->ExceptionRecord;
    const char *at = rec->ExceptionAddress;

    if ((rec->ExceptionCode != EXCEPTION_ACCESS_VIOLATION && rec->ExceptionCode != STATUS_GUARD_PAGE_VIOLATION &&
         rec->ExceptionCode != EXCEPTION_IN_PAGE_ERROR) ||
        at < user_copy_begin || at >= user_copy_end)
        return EXCEPTION_CONTINUE_SEARCH;
#ifdef __i386__
    info->ContextRecord->Eip = (DWORD)user_copy_failed;
#else
    info->ContextRecord->Rip = (DWORD64)user_copy_failed;
#endif
    return EXCEPTION_CONTINUE_EXECUTION;
}

void user_memory_init(void)
{
    copy_handler = AddVectoredExceptionHandler(1, user_copy_fault);
}

void user_memory_exit(void)
{
    if (copy_handler) RemoveVectoredExceptionHandler(copy_handler);
    copy_handler = NULL;
}

int user_read(void *dst, const void *user_src, size_t len)
{
    if (!len) return 0;
    if (!user_src) return -1;
    if (copy_handler) return user_copy(dst, user_src, len);
    return linux_copy_from(dst, user_src, len) < 0 ? -1 : 0;
}

int user_write(void *user_dst, const void *src, size_t len)
{
    if (!len) return 0;
    if (!user_dst) return -1;
    if (copy_handler) return user_copy(user_dst, src, len);
    return linux_copy_to(user_dst, src, len) < 0 ? -1 : 0;
}

int user_write2(void *dst1, const void *src1, size_t len1, void *dst2, const void *src2, size_t len2)
{
    struct linux_iovec local[2] = { { src1, len1 }, { src2, len2 } }, remote[2] = { { dst1, len1 }, { dst2, len2 } };
    int64_t ret;

    if (!dst1 || !dst2) return -1;
    if (copy_handler) return user_copy(dst1, src1, len1) || user_copy(dst2, src2, len2) ? -1 : 0;
    ret = SC(NR_process_vm_writev, linux_getpid(), local, 2, remote, 2, 0);
    return ret == (int64_t)(len1 + len2) ? 0 : -1;
}

/* ------------------------------------------------------------ sys.h */

int sys_poll(struct wait_fd *fds, unsigned int n, int timeout_ms)
{
    DWORD start = GetTickCount();
    int left = timeout_ms;
    unsigned int i;
    int64_t ret;

    for (;;)
    {
        for (i = 0; i < n; i++) fds[i].revents = 0;
        ret = linux_poll((struct linux_pollfd *)fds, n, left);
        if (ret != -LINUX_EINTR) break;
        if (timeout_ms >= 0)
        {
            DWORD spent = GetTickCount() - start;
            left = spent >= (DWORD)timeout_ms ? 0 : timeout_ms - (int)spent;
        }
    }
    return ret < 0 ? -linux_errno_to_wsa(-ret) : (int)ret;
}

int64_t sys_recv_nowait(int fd, void *buf, size_t len, int peek)
{
    int64_t ret;

    do ret = linux_recv(fd, buf, len, LINUX_MSG_DONTWAIT | (peek ? LINUX_MSG_PEEK : 0));
    while (ret == -LINUX_EINTR);
    return ret < 0 ? -linux_errno_to_wsa(-ret) : ret;
}

int64_t sys_sendmsg(int fd, const struct sys_msg *msg, int flags)
{
    struct linux_msghdr lmsg;
    uint8_t name[WS2ADDR_MAX_SIZE];
    int64_t ret;
    int status;

    memset(&lmsg, 0, sizeof(lmsg));
    lmsg.iov = (struct linux_iovec *)msg->iov;
    lmsg.iovlen = msg->iovcnt;
    if (msg->addrlen)
    {
        if ((status = ws2addr_to_linux(msg->addr, msg->addrlen, 0, name, &lmsg.namelen))) return -status;
        lmsg.name = name;
    }
    do ret = linux_sendmsg(fd, &lmsg, (flags & SYS_MSG_FLAGS) | LINUX_MSG_DONTWAIT | LINUX_MSG_NOSIGNAL);
    while (ret == -LINUX_EINTR);
    /* EPIPE (shut down, or never connected) is WSAESHUTDOWN in the table. */
    return ret < 0 ? -linux_errno_to_wsa(-ret) : ret;
}

/*
 * The control data of the receive options sockopt.c sets on the real socket,
 * and what each becomes for Windows.  The levels are the same numbers on
 * both sides, and so is the header (a size_t length, two ints, the data
 * 8-byte aligned); the types and some payloads differ.
 */
_Static_assert(IPPROTO_IP == LINUX_SOL_IP && IPPROTO_IPV6 == LINUX_SOL_IPV6, "levels");
_Static_assert(sizeof(WSACMSGHDR) == sizeof(struct linux_cmsghdr), "cmsghdr");

enum cmsg_payload
{
    CMSG_INT,      /* an int on both sides */
    CMSG_BYTE,     /* one byte on Linux (IP_TOS), an INT for Windows */
    CMSG_PKTINFO,  /* struct in_pktinfo -> IN_PKTINFO */
    CMSG_PKTINFO6, /* struct in6_pktinfo -> IN6_PKTINFO */
};

static const struct
{
    int level, type, win_type;
    enum cmsg_payload payload;
} cmsg_map[] = {
    { LINUX_SOL_IP, LINUX_IP_PKTINFO, IP_PKTINFO, CMSG_PKTINFO },
    { LINUX_SOL_IP, LINUX_IP_TTL, IP_TTL, CMSG_INT },
    { LINUX_SOL_IP, LINUX_IP_TOS, IP_TOS, CMSG_BYTE },
    { LINUX_SOL_IPV6, LINUX_IPV6_PKTINFO, IPV6_PKTINFO, CMSG_PKTINFO6 },
    { LINUX_SOL_IPV6, LINUX_IPV6_HOPLIMIT, IPV6_HOPLIMIT, CMSG_INT },
    { LINUX_SOL_IPV6, LINUX_IPV6_TCLASS, IPV6_TCLASS, CMSG_INT },
};

#define CMSG_ROUND(len) (((len) + 7) & ~(uint64_t)7)

/* One Linux control message (its data `len` bytes) in Windows' layout at
 * `out`, with `room` bytes: the bytes it takes, 0 when it is not one we
 * know, -1 when it does not fit. */
static int64_t cmsg_to_windows(const struct linux_cmsghdr *cm, const uint8_t *data, uint64_t len, uint8_t *out,
                               uint64_t room)
{
    union
    {
        INT value;
        IN_PKTINFO pi;
        IN6_PKTINFO pi6;
    } win;
    WSACMSGHDR hdr;
    uint32_t size = 0;
    unsigned int i;

    for (i = 0; i < sizeof(cmsg_map) / sizeof(cmsg_map[0]); i++)
        if (cm->level == cmsg_map[i].level && cm->type == cmsg_map[i].type) break;
    if (i == sizeof(cmsg_map) / sizeof(cmsg_map[0])) return 0;
    memset(&win, 0, sizeof(win));
    switch (cmsg_map[i].payload)
    {
    case CMSG_INT:
        if (len < sizeof(int32_t)) return 0;
        memcpy(&win.value, data, sizeof(win.value));
        size = sizeof(win.value);
        break;
    case CMSG_BYTE:
        if (len < 1) return 0;
        win.value = data[0];
        size = sizeof(win.value);
        break;
    case CMSG_PKTINFO:
    {
        struct linux_in_pktinfo pi;

        if (len < sizeof(pi)) return 0;
        memcpy(&pi, data, sizeof(pi));
        memcpy(&win.pi.ipi_addr, pi.addr, sizeof(pi.addr));
        win.pi.ipi_ifindex = pi.ifindex;
        size = sizeof(win.pi);
        break;
    }
    case CMSG_PKTINFO6:
    {
        struct linux_in6_pktinfo pi;

        if (len < sizeof(pi)) return 0;
        memcpy(&pi, data, sizeof(pi));
        memcpy(&win.pi6.ipi6_addr, pi.addr, sizeof(pi.addr));
        win.pi6.ipi6_ifindex = pi.ifindex;
        size = sizeof(win.pi6);
        break;
    }
    }
    if (WSA_CMSG_SPACE(size) > room) return -1;
    memset(out, 0, WSA_CMSG_SPACE(size));
    hdr.cmsg_len = WSA_CMSG_LEN(size);
    hdr.cmsg_level = cm->level;
    hdr.cmsg_type = cmsg_map[i].win_type;
    memcpy(out, &hdr, sizeof(hdr));
    memcpy(out + WSA_CMSG_LEN(0), &win, size);
    return WSA_CMSG_SPACE(size);
}

/* All of a receive's Linux control data into msg->control (Windows layout). */
static void control_to_windows(struct sys_msg *msg, const uint8_t *control, uint64_t len)
{
    uint64_t pos = 0, written = 0;

    while (pos + sizeof(struct linux_cmsghdr) <= len)
    {
        struct linux_cmsghdr cm;
        int64_t took;

        memcpy(&cm, control + pos, sizeof(cm));
        if (cm.len < sizeof(cm) || cm.len > len - pos) break;
        took = cmsg_to_windows(&cm, control + pos + sizeof(cm), cm.len - sizeof(cm),
                               (uint8_t *)msg->control + written, msg->controllen - written);
        if (took < 0)
        {
            msg->ctrunc = 1;
            break;
        }
        written += took;
        pos += CMSG_ROUND(cm.len);
    }
    msg->controllen = written;
}

int64_t sys_recvmsg(int fd, struct sys_msg *msg, int flags)
{
    struct linux_msghdr lmsg;
    uint8_t name[WS2ADDR_MAX_SIZE];
    uint64_t control[32];
    int64_t ret;

    memset(&lmsg, 0, sizeof(lmsg));
    lmsg.iov = (struct linux_iovec *)msg->iov;
    lmsg.iovlen = msg->iovcnt;
    if (msg->addr)
    {
        lmsg.name = name;
        lmsg.namelen = sizeof(name);
    }
    if (msg->control)
    {
        lmsg.control = control;
        lmsg.controllen = sizeof(control);
    }
    do ret = linux_recvmsg(fd, &lmsg, (flags & SYS_MSG_FLAGS) | LINUX_MSG_DONTWAIT);
    while (ret == -LINUX_EINTR);
    if (ret < 0) return -linux_errno_to_wsa(-ret);
    /* A stream's receive names no source: the kernel gives back length 0. */
    if (!lmsg.namelen || ws2addr_from_linux(name, lmsg.namelen, msg->addr, &msg->addrlen)) msg->addrlen = 0;
    msg->truncated = !!(lmsg.flags & LINUX_MSG_TRUNC);
    if (msg->control)
    {
        msg->ctrunc = !!(lmsg.flags & LINUX_MSG_CTRUNC);
        control_to_windows(msg, (const uint8_t *)control, lmsg.controllen);
    }
    return ret;
}

int sys_urgent_pending(int fd)
{
    char c;

    return linux_recv(fd, &c, 1, LINUX_MSG_OOB | LINUX_MSG_PEEK | LINUX_MSG_DONTWAIT) >= 0;
}

int sys_oob_inline(int fd)
{
    uint32_t len = sizeof(int);
    int on = 0;

    return linux_getsockopt(fd, LINUX_SOL_SOCKET, LINUX_SO_OOBINLINE, &on, &len) >= 0 && on;
}

int sys_socket_bound(int fd)
{
    uint8_t name[WS2ADDR_MAX_SIZE];
    uint32_t len = sizeof(name);
    uint16_t port;

    /* The port follows the family in both sockaddr_in and sockaddr_in6. */
    if (linux_getsockname(fd, name, &len) < 0 || len < 4) return 1;
    memcpy(&port, name + 2, sizeof(port));
    return port != 0;
}

int sys_sockopt_get(int fd, int level, int name, void *value, uint32_t *len)
{
    int64_t ret = linux_getsockopt(fd, level, name, value, len);

    return ret < 0 ? linux_errno_to_wsa(-ret) : 0;
}

int sys_sockopt_set(int fd, int level, int name, const void *value, uint32_t len)
{
    int64_t ret = linux_setsockopt(fd, level, name, value, len);

    return ret < 0 ? linux_errno_to_wsa(-ret) : 0;
}

int sys_socket_error(int fd)
{
    uint32_t len = sizeof(int);
    int err = 0;
    int64_t ret = linux_getsockopt(fd, LINUX_SOL_SOCKET, LINUX_SO_ERROR, &err, &len);

    if (ret < 0) return linux_errno_to_wsa(-ret);
    return err ? linux_errno_to_wsa(err) : 0;
}

void sys_drop_urgent_hole(int fd)
{
    int at_mark = 0;
    char c;

    /* MSG_OOB refuses a byte already read (EINVAL); then nothing may follow
     * the hole (EAGAIN), or the read below would take data with it. */
    if (linux_ioctl(fd, LINUX_SIOCATMARK, &at_mark) < 0 || !at_mark) return;
    if (linux_recv(fd, &c, 1, LINUX_MSG_OOB | LINUX_MSG_PEEK | LINUX_MSG_DONTWAIT) != -LINUX_EINVAL) return;
    if (linux_recv(fd, &c, 1, LINUX_MSG_PEEK | LINUX_MSG_DONTWAIT) != -LINUX_EAGAIN) return;
    linux_recv(fd, &c, 1, LINUX_MSG_DONTWAIT);
}

int sys_map_shared(void *addr, uint64_t size, int fd)
{
    int64_t ret = linux_map_fixed(addr, (size_t)size, fd);

    if (ret < 0) return linux_errno_to_wsa(-ret);
    if ((uintptr_t)ret != (uintptr_t)addr)
    {
        linux_munmap((void *)(uintptr_t)ret, (size_t)size);
        return WSAENOBUFS;
    }
    return 0;
}

int sys_take_socket_error(int fd)
{
    struct linux_pollfd pfd = { fd, LINUX_POLLIN, 0 };
    uint32_t len = sizeof(int);
    int err = 0;

    /* POLLERR first: most calls find none and save the getsockopt. */
    if (linux_poll(&pfd, 1, 0) <= 0 || !(pfd.revents & LINUX_POLLERR)) return 0;
    if (linux_getsockopt(fd, LINUX_SOL_SOCKET, LINUX_SO_ERROR, &err, &len) < 0 || !err) return 0;
    return linux_errno_to_wsa(err);
}

int sys_peer_finished(int fd)
{
    /* tcpi_state, the first byte of struct tcp_info, and the states that
     * come after the peer's FIN (or after the end: TCP_CLOSE). */
    enum
    {
        TCP_TIME_WAIT = 6,
        TCP_CLOSE = 7,
        TCP_CLOSE_WAIT = 8,
        TCP_LAST_ACK = 9,
        TCP_CLOSING = 11
    };
    uint8_t info[8] = { 0 };
    uint32_t len = sizeof(info);

    if (linux_getsockopt(fd, LINUX_IPPROTO_TCP, LINUX_TCP_INFO, info, &len) < 0 || !len) return 1;
    return info[0] == TCP_TIME_WAIT || info[0] == TCP_CLOSE || info[0] == TCP_CLOSE_WAIT ||
           info[0] == TCP_LAST_ACK || info[0] == TCP_CLOSING;
}

int sys_route_source(const void *dest, uint32_t destlen, void *src, uint32_t *srclen)
{
    uint8_t name[WS2ADDR_MAX_SIZE], local[WS2ADDR_MAX_SIZE];
    uint32_t namelen, locallen = sizeof(local);
    uint16_t family, port = 0;
    int64_t fd, ret;
    int status;

    if ((status = ws2addr_to_linux(dest, destlen, 0, name, &namelen))) return status;
    memcpy(&family, name, sizeof(family));
    /* Connecting a datagram socket only picks the route and its source. */
    if ((fd = linux_socket(family, LINUX_SOCK_DGRAM | LINUX_SOCK_CLOEXEC, 0)) < 0) return linux_errno_to_wsa(-fd);
    ret = linux_connect(fd, name, namelen);
    if (ret >= 0) ret = linux_getsockname(fd, local, &locallen);
    linux_close(fd);
    if (ret < 0) return linux_errno_to_wsa(-ret);
    if ((status = ws2addr_from_linux(local, locallen, src, srclen))) return status;
    /* The port the probe got means nothing. */
    memcpy((uint8_t *)src + sizeof(family), &port, sizeof(port));
    return 0;
}

int sys_addr_watch(void)
{
    struct linux_sockaddr_nl addr = { .family = LINUX_AF_NETLINK,
                                      .groups = LINUX_RTMGRP_IPV4_IFADDR | LINUX_RTMGRP_IPV6_IFADDR };
    int64_t fd, ret;

    fd = linux_socket(LINUX_AF_NETLINK, LINUX_SOCK_RAW | LINUX_SOCK_NONBLOCK | LINUX_SOCK_CLOEXEC,
                      LINUX_NETLINK_ROUTE);
    if (fd < 0) return -linux_errno_to_wsa(-fd);
    if ((ret = linux_bind(fd, &addr, sizeof(addr))) < 0)
    {
        linux_close(fd);
        return -linux_errno_to_wsa(-ret);
    }
    return fd;
}

int sys_addr_changed(int fd)
{
    uint8_t buf[4096];
    int64_t ret;
    int changed = 0;

    /* Every message of these groups is an address that came or went. */
    while ((ret = linux_recv(fd, buf, sizeof(buf), LINUX_MSG_DONTWAIT)) > 0 || ret == -LINUX_EINTR)
        if (ret > 0) changed = 1;
    /* A full receive queue (ENOBUFS) lost messages: something changed. */
    return changed || ret == -LINUX_ENOBUFS;
}

int sys_set_recv_timeout(int fd, int ms)
{
    /* The kernel's struct timeval: two longs, which intptr_t is on both. */
    struct
    {
        intptr_t sec, usec;
    } tv = { ms / 1000, (ms % 1000) * 1000 };

    return linux_setsockopt(fd, LINUX_SOL_SOCKET, LINUX_SO_RCVTIMEO, &tv, sizeof(tv)) < 0 ? -1 : 0;
}

int sys_connect_local(const char *path)
{
    struct linux_sockaddr_un addr;
    size_t len = strlen(path);
    int64_t fd, ret;

    if (len >= sizeof(addr.path)) return -WSAENAMETOOLONG;
    memset(&addr, 0, sizeof(addr));
    addr.family = LINUX_AF_UNIX;
    memcpy(addr.path, path, len);
    fd = linux_socket(LINUX_AF_UNIX, LINUX_SOCK_SEQPACKET | LINUX_SOCK_CLOEXEC, 0);
    if (fd < 0) return -linux_errno_to_wsa(-fd);
    if ((ret = linux_connect(fd, &addr, sizeof(addr))) < 0)
    {
        linux_close(fd);
        return -linux_errno_to_wsa(-ret);
    }
    return fd;
}

int sys_send_all_fd(int fd, const struct sys_iov *iov, unsigned int count, int pass)
{
    struct linux_msghdr msg;
    uint64_t control[4];
    struct linux_cmsghdr *cm = (struct linux_cmsghdr *)control;
    int64_t ret;

    memset(&msg, 0, sizeof(msg));
    msg.iov = (struct linux_iovec *)iov;
    msg.iovlen = count;
    if (pass >= 0)
    {
        /* SCM_RIGHTS: one int, right after the (aligned) header. */
        memset(control, 0, sizeof(control));
        cm->len = sizeof(*cm) + sizeof(int);
        cm->level = LINUX_SOL_SOCKET;
        cm->type = LINUX_SCM_RIGHTS;
        memcpy(cm + 1, &pass, sizeof(int));
        msg.control = control;
        msg.controllen = (sizeof(*cm) + sizeof(int) + sizeof(cm->len) - 1) & ~(sizeof(cm->len) - 1);
    }
    do ret = linux_sendmsg(fd, &msg, LINUX_MSG_NOSIGNAL);
    while (ret == -LINUX_EINTR);
    return ret < 0 ? linux_errno_to_wsa(-ret) : 0;
}

int sys_send_all(int fd, const struct sys_iov *iov, unsigned int count)
{
    return sys_send_all_fd(fd, iov, count, -1);
}

int sys_socket_new(int family, int type, int protocol)
{
    int lx_family = family == WS2ADDR_WIN_AF_INET6 ? LINUX_AF_INET6 : LINUX_AF_INET;
    int lx_protocol = 0, on = 1;
    int64_t fd;

    /* Windows' stream, datagram and raw types have Linux's numbers.  Linux
     * has no raw protocol 0; IPPROTO_RAW is the socket that sends any. */
    if (type == LINUX_SOCK_RAW) lx_protocol = protocol ? protocol : LINUX_IPPROTO_RAW;
    fd = linux_socket(lx_family, type | LINUX_SOCK_NONBLOCK | LINUX_SOCK_CLOEXEC, lx_protocol);
    if (fd < 0) return -linux_errno_to_wsa(-fd);
    /* Windows answers echo requests itself and gives a raw ICMP socket the
     * reply only; Linux gives it the looped-back request too. */
    if (type == LINUX_SOCK_RAW && lx_family == LINUX_AF_INET && lx_protocol == LINUX_IPPROTO_ICMP)
    {
        uint32_t filter = 1u << LINUX_ICMP_ECHO;

        linux_setsockopt(fd, LINUX_SOL_RAW, LINUX_ICMP_FILTER, &filter, sizeof(filter));
    }
    /* Windows' IPv6 sockets are IPv6-only until told otherwise. */
    if (lx_family == LINUX_AF_INET6) linux_setsockopt(fd, LINUX_IPPROTO_IPV6, LINUX_IPV6_V6ONLY, &on, sizeof(on));
    return (int)fd;
}

int64_t sys_recv_with_fd(int fd, void *buf, size_t len, int *fd_out)
{
    struct linux_iovec iov = { buf, len };
    struct linux_msghdr msg;
    uint64_t control[4];
    struct linux_cmsghdr *cm = (struct linux_cmsghdr *)control;
    int64_t ret;

    if (fd_out) *fd_out = -1;
    memset(&msg, 0, sizeof(msg));
    msg.iov = &iov;
    msg.iovlen = 1;
    msg.control = control;
    msg.controllen = sizeof(control);
    do ret = linux_recvmsg(fd, &msg, LINUX_MSG_CMSG_CLOEXEC);
    while (ret == -LINUX_EINTR);
    if (ret < 0) return -linux_errno_to_wsa(-ret);
    if (!ret) return -WSAECONNRESET;
    /* SCM_RIGHTS: one int, right after the (8-byte aligned) header. */
    if (msg.controllen >= sizeof(*cm) + sizeof(int) && cm->level == LINUX_SOL_SOCKET && cm->type == LINUX_SCM_RIGHTS)
    {
        int passed;

        memcpy(&passed, cm + 1, sizeof(int));
        if (fd_out) *fd_out = passed;
        else linux_close(passed);
    }
    return ret;
}

int sys_eventfd(void)
{
    int64_t fd = linux_eventfd(0, LINUX_EFD_CLOEXEC | LINUX_EFD_NONBLOCK);

    return fd < 0 ? -linux_errno_to_wsa(-fd) : (int)fd;
}

void sys_eventfd_signal(int fd)
{
    uint64_t one = 1;

    linux_write(fd, &one, sizeof(one));
}

void sys_eventfd_drain(int fd)
{
    uint64_t count;

    linux_read(fd, &count, sizeof(count));
}

void sys_close(int fd)
{
    linux_close(fd);
}

void sys_retire_fd(int fd)
{
    int64_t idle = linux_eventfd(0, LINUX_EFD_CLOEXEC | LINUX_EFD_NONBLOCK);

    /* dup3 closes what the number referred to and reuses it at once. */
    if (idle < 0) return;
    linux_dup3((int)idle, fd, LINUX_O_CLOEXEC);
    linux_close((int)idle);
}

void sys_write_stderr(const char *buf, size_t len)
{
    linux_write(2, buf, len);
}

int sys_file_id(const char *path, struct sys_file_id *id)
{
    struct linux_stat st;
    int64_t ret = linux_stat(path, &st);

    if (ret < 0) return linux_errno_to_wsa(-ret);
    id->device = LINUX_STAT_DEV(&st);
    id->inode = LINUX_STAT_INO(&st);
    return 0;
}

uint32_t sys_user_id(void)
{
    return (uint32_t)linux_getuid();
}

int sys_host_name(char *buf, size_t size)
{
    struct linux_utsname uts;
    int64_t ret = linux_uname(&uts);
    const char *end;
    size_t len;

    if (ret < 0) return linux_errno_to_wsa(-ret);
    if (!size) return WSAEFAULT;
    end = memchr(uts.nodename, 0, sizeof(uts.nodename));
    len = end ? (size_t)(end - uts.nodename) : sizeof(uts.nodename);
    if (len >= size) len = size - 1;
    memcpy(buf, uts.nodename, len);
    buf[len] = 0;
    return 0;
}
