/*
 * The Linux ABI as the system call shim (linux.c) uses it, and linux.c
 * alone: the rest of the DLL asks for what it needs through sys.h.
 *
 * Under Wine a PE DLL may execute Linux system calls directly.  The x86-64
 * DLL uses the `syscall` instruction, the i386 one `int 0x80`: their call
 * numbers and the structures whose layout differs are given for both here
 * (the flags and errno values are the same on both).  Calls return the
 * kernel's result: >= 0, or -errno.  Constants are spelled LINUX_* so they
 * never meet the Windows CRT's own errno values.
 */
#ifndef WS2_LINUX_H
#define WS2_LINUX_H

/* Keep it that way: a file that needs something of the system asks sys.h. */
#ifndef WS2_SYSCALL_SHIM
#error "linux.h is for linux.c alone: use sys.h"
#endif

#include <stdint.h>
#include <stddef.h>

/* errno values (asm-generic/errno-base.h, errno.h) */
#define LINUX_EPERM           1
#define LINUX_ENOENT          2
#define LINUX_EINTR           4
#define LINUX_EBADF           9
#define LINUX_EAGAIN          11
#define LINUX_ENOMEM          12
#define LINUX_EACCES          13
#define LINUX_EFAULT          14
#define LINUX_EINVAL          22
#define LINUX_ENFILE          23
#define LINUX_EMFILE          24
#define LINUX_EPIPE           32
#define LINUX_ENAMETOOLONG    36
#define LINUX_ENOTSOCK        88
#define LINUX_EDESTADDRREQ    89
#define LINUX_EMSGSIZE        90
#define LINUX_EPROTOTYPE      91
#define LINUX_ENOPROTOOPT     92
#define LINUX_EPROTONOSUPPORT 93
#define LINUX_ESOCKTNOSUPPORT 94
#define LINUX_EOPNOTSUPP      95
#define LINUX_EPFNOSUPPORT    96
#define LINUX_EAFNOSUPPORT    97
#define LINUX_EADDRINUSE      98
#define LINUX_EADDRNOTAVAIL   99
#define LINUX_ENETDOWN        100
#define LINUX_ENETUNREACH     101
#define LINUX_ENETRESET       102
#define LINUX_ECONNABORTED    103
#define LINUX_ECONNRESET      104
#define LINUX_ENOBUFS         105
#define LINUX_EISCONN         106
#define LINUX_ENOTCONN        107
#define LINUX_ESHUTDOWN       108
#define LINUX_ETIMEDOUT       110
#define LINUX_ECONNREFUSED    111
#define LINUX_EHOSTDOWN       112
#define LINUX_EHOSTUNREACH    113
#define LINUX_EALREADY        114
#define LINUX_EINPROGRESS     115

#define LINUX_AF_UNIX        1
#define LINUX_AF_INET        2
#define LINUX_AF_INET6       10
#define LINUX_AF_NETLINK     16
#define LINUX_SOCK_DGRAM     2
#define LINUX_SOCK_RAW       3
#define LINUX_SOCK_SEQPACKET 5
#define LINUX_SOCK_NONBLOCK  04000
#define LINUX_SOCK_CLOEXEC   02000000

/* NETLINK_ROUTE's multicast groups of address changes (RTMGRP_*). */
#define LINUX_NETLINK_ROUTE      0
#define LINUX_RTMGRP_IPV4_IFADDR 0x10
#define LINUX_RTMGRP_IPV6_IFADDR 0x100

struct linux_sockaddr_nl
{
    uint16_t family;
    uint16_t pad;
    uint32_t pid;
    uint32_t groups;
};

#define LINUX_MSG_OOB          0x1
#define LINUX_MSG_PEEK         0x2
#define LINUX_MSG_DONTROUTE    0x4
#define LINUX_MSG_CTRUNC       0x8
#define LINUX_MSG_TRUNC        0x20
#define LINUX_MSG_DONTWAIT     0x40
#define LINUX_MSG_NOSIGNAL     0x4000
#define LINUX_MSG_CMSG_CLOEXEC 0x40000000

#define LINUX_SIOCATMARK 0x8905
#define LINUX_PROT_READ  0x1
#define LINUX_PROT_WRITE 0x2
#define LINUX_MAP_SHARED 0x1
#define LINUX_MAP_FIXED  0x10

#define LINUX_SOL_SOCKET   1
#define LINUX_SO_ERROR     4
#define LINUX_SO_OOBINLINE 10
#define LINUX_SO_RCVTIMEO  20
#define LINUX_IPPROTO_TCP  6
#define LINUX_TCP_INFO     11
#define LINUX_SCM_RIGHTS   1
/* What a new socket gets (sys_socket_new). */
#define LINUX_IPPROTO_ICMP 1
#define LINUX_IPPROTO_IPV6 41
#define LINUX_IPV6_V6ONLY  26
#define LINUX_IPPROTO_RAW  255
#define LINUX_SOL_RAW      255
#define LINUX_ICMP_FILTER  1
#define LINUX_ICMP_ECHO    8

/* Control data of the receive options (IP_PKTINFO & co.): levels, types. */
#define LINUX_SOL_IP        0
#define LINUX_SOL_IPV6      41
#define LINUX_IP_TOS        1
#define LINUX_IP_TTL        2
#define LINUX_IP_PKTINFO    8
#define LINUX_IPV6_PKTINFO  50
#define LINUX_IPV6_HOPLIMIT 52
#define LINUX_IPV6_TCLASS   67

#define LINUX_POLLIN    0x1
#define LINUX_POLLPRI   0x2
#define LINUX_POLLOUT   0x4
#define LINUX_POLLERR   0x8
#define LINUX_POLLHUP   0x10
#define LINUX_POLLRDHUP 0x2000

#define LINUX_EFD_CLOEXEC  02000000
#define LINUX_O_CLOEXEC    02000000
#define LINUX_EFD_NONBLOCK 04000

/*
 * The system calls used, X(name, x86-64 number, i386 number, i386 name,
 * socketcall number).  i386 has the calls with 64-bit times or ids under
 * other names (stat64, getuid32, ppoll_time64); its socket calls exist on
 * their own since Linux 4.3, before that only through socketcall (the last
 * column, 0 for the others).  tests/unit/check_syscalls.c compares every
 * number with the kernel's headers.
 */
#define LINUX_SYSCALLS(X)                              \
    X(read, 0, 3, read, 0)                             \
    X(write, 1, 4, write, 0)                           \
    X(close, 3, 6, close, 0)                           \
    X(mmap, 9, 192, mmap2, 0)                          \
    X(munmap, 11, 91, munmap, 0)                       \
    X(ioctl, 16, 54, ioctl, 0)                         \
    X(stat, 4, 195, stat64, 0)                         \
    X(getpid, 39, 20, getpid, 0)                       \
    X(socket, 41, 359, socket, 1)                      \
    X(connect, 42, 362, connect, 3)                    \
    X(bind, 49, 361, bind, 2)                          \
    X(recvfrom, 45, 371, recvfrom, 12)                 \
    X(sendmsg, 46, 370, sendmsg, 16)                   \
    X(recvmsg, 47, 372, recvmsg, 17)                   \
    X(getsockname, 51, 367, getsockname, 6)            \
    X(setsockopt, 54, 366, setsockopt, 14)             \
    X(getsockopt, 55, 365, getsockopt, 15)             \
    X(uname, 63, 122, uname, 0)                        \
    X(getuid, 102, 199, getuid32, 0)                   \
    X(ppoll, 271, 414, ppoll_time64, 0)                \
    X(eventfd2, 290, 328, eventfd2, 0)                 \
    X(dup3, 292, 330, dup3, 0)                         \
    X(process_vm_readv, 310, 347, process_vm_readv, 0) \
    X(process_vm_writev, 311, 348, process_vm_writev, 0)
/* i386 only: the multiplexer of the socket calls, and ppoll with a 32-bit
 * timespec for kernels before 5.1 (no ppoll_time64). */
#define LINUX_I386_NR_socketcall 102
#define LINUX_I386_NR_ppoll      309
#define LINUX_ENOSYS             38

/* size_t is the kernel's word on both: 8 bytes on x86-64, 4 on i386. */
struct linux_iovec
{
    const void *base;
    size_t len;
};

#ifdef __i386__
struct linux_msghdr
{
    void *name;
    uint32_t namelen;
    struct linux_iovec *iov;
    uint32_t iovlen;
    void *control;
    uint32_t controllen;
    int32_t flags;
};

struct linux_cmsghdr
{
    uint32_t len;
    int32_t level;
    int32_t type;
    /* data follows, 4-byte aligned */
};
#else
struct linux_msghdr
{
    void *name;
    uint32_t namelen;
    uint32_t pad0;
    struct linux_iovec *iov;
    uint64_t iovlen;
    void *control;
    uint64_t controllen;
    int32_t flags;
    uint32_t pad1;
};

struct linux_cmsghdr
{
    uint64_t len;
    int32_t level;
    int32_t type;
    /* data follows, 8-byte aligned */
};
#endif

struct linux_in_pktinfo
{
    int32_t ifindex;
    uint8_t spec_dst[4];
    uint8_t addr[4]; /* the destination of the packet */
};

struct linux_in6_pktinfo
{
    uint8_t addr[16];
    int32_t ifindex;
};

struct linux_pollfd
{
    int32_t fd;
    int16_t events;
    int16_t revents;
};

/* x86-64's timespec, and i386's for ppoll_time64. */
struct linux_timespec
{
    int64_t sec;
    int64_t nsec;
};

/* i386's old timespec, for ppoll before Linux 5.1. */
struct linux_timespec32
{
    int32_t sec;
    int32_t nsec;
};

struct linux_sockaddr_un
{
    uint16_t family;
    char path[108];
};

#ifdef __i386__
/* i386's struct stat64, in 32-bit words: its 64-bit fields are only 4-byte
 * aligned there (st_size at 44), which no 64-bit type says in a PE build. */
struct linux_stat
{
    uint32_t dev[2]; /* low word first */
    uint32_t pad0;
    uint32_t ino32; /* truncated */
    uint32_t mode;
    uint32_t nlink;
    uint32_t uid;
    uint32_t gid;
    uint32_t rdev[2];
    uint32_t pad3;
    uint32_t size[2];
    uint32_t blksize;
    uint32_t blocks[2];
    uint32_t times[6];
    uint32_t ino[2]; /* the whole inode number */
};
#define LINUX_STAT_DEV(st) ((st)->dev[0] | (uint64_t)(st)->dev[1] << 32)
#define LINUX_STAT_INO(st) ((st)->ino[0] | (uint64_t)(st)->ino[1] << 32)
#else
/* Just the fields of x86-64's struct stat we read. */
struct linux_stat
{
    uint64_t dev;
    uint64_t ino;
    uint64_t nlink;
    uint32_t mode;
    uint32_t uid;
    uint32_t gid;
    uint32_t pad0;
    uint64_t rdev;
    int64_t size;
    int64_t blksize;
    int64_t blocks;
    uint64_t times[6];
    int64_t unused[3];
};
#define LINUX_STAT_DEV(st) ((st)->dev)
#define LINUX_STAT_INO(st) ((st)->ino)
#endif

/* struct new_utsname: six NUL-terminated fields. */
struct linux_utsname
{
    char sysname[65];
    char nodename[65]; /* the host name */
    char release[65];
    char version[65];
    char machine[65];
    char domainname[65];
};

int64_t linux_read(int fd, void *buf, size_t len);
int64_t linux_write(int fd, const void *buf, size_t len);
int64_t linux_close(int fd);
int64_t linux_stat(const char *path, struct linux_stat *st);
int64_t linux_socket(int family, int type, int protocol);
int64_t linux_connect(int fd, const void *addr, uint32_t len);
int64_t linux_bind(int fd, const void *addr, uint32_t len);
int64_t linux_getsockname(int fd, void *addr, uint32_t *len);
int64_t linux_sendmsg(int fd, const struct linux_msghdr *msg, int flags);
int64_t linux_recvmsg(int fd, struct linux_msghdr *msg, int flags);
int64_t linux_recv(int fd, void *buf, size_t len, int flags);
/* poll with a timeout in milliseconds (-1: none); retried on EINTR by callers. */
int64_t linux_poll(struct linux_pollfd *fds, unsigned int nfds, int timeout_ms);
int64_t linux_eventfd(unsigned int initval, int flags);
int64_t linux_dup3(int oldfd, int newfd, int flags);
int64_t linux_getsockopt(int fd, int level, int name, void *value, uint32_t *len);
int64_t linux_setsockopt(int fd, int level, int name, const void *value, uint32_t len);
int64_t linux_ioctl(int fd, unsigned long request, void *arg);
/* mmap of a whole file at `addr` (MAP_FIXED | MAP_SHARED, read and write,
 * offset 0): the address, or a negated errno. */
int64_t linux_map_fixed(void *addr, size_t len, int fd);
int64_t linux_munmap(void *addr, size_t len);
int64_t linux_getpid(void);
int64_t linux_getuid(void);
int64_t linux_uname(struct linux_utsname *buf);
/* Copy between this process's own memory ranges; -EFAULT for a bad range. */
int64_t linux_copy_from(void *dst, const void *src, size_t len);
int64_t linux_copy_to(void *dst, const void *src, size_t len);

/* Linux errno (positive) -> Winsock error. */
int linux_errno_to_wsa(int err);

#endif /* WS2_LINUX_H */
