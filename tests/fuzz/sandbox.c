/*
 * A private network for the fuzzed server: random requests bind, connect
 * and look names up, and none of that may reach the machine's network (or
 * collide with its ports).  The process moves into a network namespace of
 * its own, as root or, for another user, inside a user namespace of its own
 * where it is root; there only the loopback exists, brought up here.  DNS
 * queries then fail at once (no route), /etc/hosts still answers.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include "harness.h"

static int write_file(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC), ok;

    if (fd < 0) return -1;
    ok = write(fd, text, strlen(text)) == (ssize_t)strlen(text);
    close(fd);
    return ok ? 0 : -1;
}

/* Map our ids to root in a new user namespace (needed for an unprivileged
 * user to make a network namespace). */
static int become_root_in_userns(void)
{
    char map[64];
    uid_t uid = getuid();
    gid_t gid = getgid();

    if (unshare(CLONE_NEWUSER) < 0) return -1;
    snprintf(map, sizeof(map), "0 %u 1", (unsigned int)uid);
    if (write_file("/proc/self/uid_map", map) < 0) return -1;
    if (write_file("/proc/self/setgroups", "deny") < 0 && errno != ENOENT) return -1;
    snprintf(map, sizeof(map), "0 %u 1", (unsigned int)gid);
    return write_file("/proc/self/gid_map", map);
}

static int loopback_up(void)
{
    struct ifreq ifr;
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), ret = -1;

    if (fd < 0) return -1;
    memset(&ifr, 0, sizeof(ifr));
    strcpy(ifr.ifr_name, "lo");
    if (!ioctl(fd, SIOCGIFFLAGS, &ifr))
    {
        ifr.ifr_flags |= IFF_UP;
        ret = ioctl(fd, SIOCSIFFLAGS, &ifr);
    }
    close(fd);
    return ret;
}

int sandbox_enter(void)
{
    if (unshare(CLONE_NEWNET) < 0 && (become_root_in_userns() < 0 || unshare(CLONE_NEWNET) < 0))
    {
        fprintf(stderr, "fuzz: cannot make a private network namespace: %s\n", strerror(errno));
        return -1;
    }
    if (loopback_up() < 0)
    {
        fprintf(stderr, "fuzz: cannot bring the loopback up: %s\n", strerror(errno));
        return -1;
    }
    return 0;
}
