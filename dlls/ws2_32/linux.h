/*
 * The Linux ABI as the system call shim (linux.c) uses it, and linux.c
 * alone: the rest of the DLL asks for what it needs through sys.h.
 *
 * Under Wine a PE DLL may execute Linux system calls directly.  Everything
 * here is x86-64 (the `syscall` instruction and its numbers); a 32-bit build
 * would replace this file and linux.c only.  Calls return the kernel's
 * result: >= 0, or -errno.  Constants are spelled LINUX_* so they never
 * meet the Windows CRT's own errno values.
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

#define LINUX_SOL_SOCKET   1
#define LINUX_SO_ERROR     4
#define LINUX_SO_OOBINLINE 10
#define LINUX_IPPROTO_TCP  6
#define LINUX_TCP_INFO     11
#define LINUX_SCM_RIGHTS   1

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

struct linux_iovec
{
    const void *base;
    uint64_t len;
};

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

struct linux_timespec
{
    int64_t sec;
    int64_t nsec;
};

struct linux_sockaddr_un
{
    uint16_t family;
    char path[108];
};

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
int64_t linux_getpid(void);
int64_t linux_getuid(void);
int64_t linux_uname(struct linux_utsname *buf);
/* Copy between this process's own memory ranges; -EFAULT for a bad range. */
int64_t linux_copy_from(void *dst, const void *src, size_t len);
int64_t linux_copy_to(void *dst, const void *src, size_t len);

/* Linux errno (positive) -> Winsock error. */
int linux_errno_to_wsa(int err);

#endif /* WS2_LINUX_H */
