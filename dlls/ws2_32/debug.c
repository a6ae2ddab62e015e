/*
 * Tracing in Wine's style, configured by WINEDEBUG.  Understood: "+winsock"
 * / "-winsock" / "+all" / "-all", and class prefixes such as "trace+winsock"
 * or "fixme-all", comma separated.  Default: fixme and err on, the rest off.
 * Also the debugstr_* helpers that print the program's arguments by name:
 * they read the program's memory only through user_read, so a trace never
 * faults on a bad pointer.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "private.h"
#include "addr.h"
#include "sys.h"
#include "usermem.h"
#include "ws2consts.h"

static const char channel[] = "winsock";
static const char *const class_names[] = { "fixme", "err", "warn", "trace" };
static volatile LONG initialized;
static unsigned int enabled = (1 << DBCL_FIXME) | (1 << DBCL_ERR);

static void apply_option(const char *opt, size_t len)
{
    unsigned int mask = ~0u, i;
    size_t cls_len = 0;
    const char *name;
    int on;

    while (cls_len < len && opt[cls_len] != '+' && opt[cls_len] != '-') cls_len++;
    if (cls_len == len) return;
    if (cls_len)
    {
        mask = 0;
        for (i = 0; i < sizeof(class_names) / sizeof(class_names[0]); i++)
            if (strlen(class_names[i]) == cls_len && !strncmp(opt, class_names[i], cls_len)) mask = 1u << i;
        if (!mask) return;
    }
    on = opt[cls_len] == '+';
    name = opt + cls_len + 1;
    len -= cls_len + 1;
    if (!((len == 3 && !strncmp(name, "all", 3)) ||
          (len == sizeof(channel) - 1 && !strncmp(name, channel, len))))
        return;
    if (on) enabled |= mask;
    else enabled &= ~mask;
}

static void debug_init(void)
{
    char value[512];
    DWORD len = GetEnvironmentVariableA("WINEDEBUG", value, sizeof(value));
    const char *p = value;

    if (len && len < sizeof(value))
    {
        while (*p)
        {
            const char *end = strchr(p, ',');
            size_t n = end ? (size_t)(end - p) : strlen(p);

            apply_option(p, n);
            p += n;
            if (*p) p++;
        }
    }
    initialized = 1;
}

int debug_enabled(enum debug_class cls)
{
    if (!initialized) debug_init();
    return (enabled >> cls) & 1;
}

void debug_printf(enum debug_class cls, const char *func, const char *fmt, ...)
{
    char buf[1024];
    int n;
    va_list args;

    n = snprintf(buf, sizeof(buf), "%04lx:%s:%s:%s ", GetCurrentThreadId(), class_names[cls], channel, func);
    if (n < 0 || n >= (int)sizeof(buf)) return;
    va_start(args, fmt);
    vsnprintf(buf + n, sizeof(buf) - n, fmt, args);
    va_end(args);
    /* Straight to the Unix stderr, like Wine's own debug output. */
    sys_write_stderr(buf, strlen(buf));
}

void debug_stub_called(const char *name, volatile LONG *reported, int error)
{
    if (!InterlockedExchange(reported, 1) && debug_enabled(DBCL_FIXME))
        debug_printf(DBCL_FIXME, name, "stub\n");
    if (error) WSASetLastError(error);
}

/* ------------------------------------------------------------ debugstr_* */

/*
 * The strings of the debugstr_* helpers live in a ring of buffers, so that
 * one TRACE line may use several; a line only uses them while it prints.
 * Enough slots that threads tracing at the same time rarely share one (a
 * shared one garbles a trace line, never memory).
 */
#define DEBUGSTR_SLOTS 32
#define DEBUGSTR_SIZE  160

static char *debugstr_buffer(void)
{
    static char ring[DEBUGSTR_SLOTS][DEBUGSTR_SIZE];
    static volatile LONG next;

    return ring[(ULONG)InterlockedIncrement(&next) % DEBUGSTR_SLOTS];
}

struct debug_name
{
    unsigned int value;
    const char *name;
};

/* clang-format off */
#define DN(x) { (unsigned int)(x), #x }
/* clang-format on */

static const char *lookup(const struct debug_name *table, size_t count, unsigned int value)
{
    size_t i;

    for (i = 0; i < count; i++)
        if (table[i].value == value) return table[i].name;
    return NULL;
}

/* "A|B|0x40": the named bits of `value`, then what is left in hex; "0" for none. */
static const char *flags_string(const struct debug_name *table, size_t count, unsigned int value)
{
    char *buf = debugstr_buffer(), *p = buf, *end = buf + DEBUGSTR_SIZE;
    unsigned int rest = value;
    size_t i;

    if (!value) return "0";
    for (i = 0; i < count && p < end - 1; i++)
    {
        if ((value & table[i].value) != table[i].value || !table[i].value) continue;
        p += snprintf(p, end - p, "%s%s", p == buf ? "" : "|", table[i].name);
        rest &= ~table[i].value;
    }
    if (rest && p < end - 1) snprintf(p, end - p, "%s%#x", p == buf ? "" : "|", rest);
    return buf;
}

#define TABLE(t) t, sizeof(t) / sizeof((t)[0])

/* clang-format off */
static const struct debug_name families[] =
{
    DN(AF_UNSPEC), DN(AF_UNIX), DN(AF_INET), DN(AF_IPX), DN(AF_APPLETALK), DN(AF_NETBIOS), DN(AF_INET6),
    DN(AF_IRDA), DN(AF_BTH),
};
/* clang-format on */

static const char *family_name(unsigned int family, char *buf, size_t size)
{
    const char *name = lookup(TABLE(families), family);

    if (name) return name;
    snprintf(buf, size, "%u", family);
    return buf;
}

const char *debugstr_sockaddr(const void *addr, int len)
{
    unsigned char bytes[sizeof(SOCKADDR_IN6)];
    char *buf, text[64], num[16];
    const char *family;
    unsigned short port;
    USHORT af;

    if (!addr) return "(null)";
    buf = debugstr_buffer();
    if (len < (int)sizeof(af) || user_read(&af, addr, sizeof(af)) < 0)
    {
        snprintf(buf, DEBUGSTR_SIZE, "(%p, len %d)", addr, len);
        return buf;
    }
    family = family_name(af, num, sizeof(num));
    if ((af != AF_INET && af != AF_INET6) ||
        len < (int)(af == AF_INET ? sizeof(SOCKADDR_IN) : sizeof(SOCKADDR_IN6)) ||
        user_read(bytes, addr, af == AF_INET ? sizeof(SOCKADDR_IN) : sizeof(SOCKADDR_IN6)) < 0)
    {
        snprintf(buf, DEBUGSTR_SIZE, "{ family %s, len %d }", family, len);
        return buf;
    }
    if (af == AF_INET)
    {
        const SOCKADDR_IN *in = (const SOCKADDR_IN *)bytes;

        addr_format_ipv4((const unsigned char *)&in->sin_addr, text);
        port = in->sin_port;
        snprintf(buf, DEBUGSTR_SIZE, "{ family %s, addr %s, port %u }", family, text, ntohs(port));
    }
    else
    {
        const SOCKADDR_IN6 *in6 = (const SOCKADDR_IN6 *)bytes;

        addr_format_ipv6(in6->sin6_addr.s6_addr, text);
        port = in6->sin6_port;
        snprintf(buf, DEBUGSTR_SIZE, "{ family %s, addr %s, port %u, flow %lu, scope %lu }", family, text,
                 ntohs(port), (unsigned long)in6->sin6_flowinfo, (unsigned long)in6->sin6_scope_id);
    }
    return buf;
}

/* clang-format off */
static const struct debug_name levels[] =
{
    DN(SOL_SOCKET), DN(IPPROTO_IP), DN(IPPROTO_TCP), DN(IPPROTO_UDP), DN(IPPROTO_IPV6),
};
/* clang-format on */

/* clang-format off */
static const struct debug_name socket_options[] =
{
    DN(SO_DEBUG), DN(SO_ACCEPTCONN), DN(SO_REUSEADDR), DN(SO_KEEPALIVE), DN(SO_DONTROUTE), DN(SO_BROADCAST),
    DN(SO_USELOOPBACK), DN(SO_LINGER), DN(SO_OOBINLINE), DN(SO_DONTLINGER), DN(SO_EXCLUSIVEADDRUSE),
    DN(SO_SNDBUF), DN(SO_RCVBUF), DN(SO_SNDLOWAT), DN(SO_RCVLOWAT), DN(SO_SNDTIMEO), DN(SO_RCVTIMEO),
    DN(SO_ERROR), DN(SO_TYPE), DN(SO_GROUP_ID), DN(SO_GROUP_PRIORITY), DN(SO_MAX_MSG_SIZE),
    DN(SO_PROTOCOL_INFOA), DN(SO_PROTOCOL_INFOW), DN(PVD_CONFIG), DN(SO_CONDITIONAL_ACCEPT),
    DN(SO_CONNDATA), DN(SO_CONNOPT), DN(SO_DISCDATA), DN(SO_DISCOPT), DN(SO_CONNDATALEN), DN(SO_CONNOPTLEN),
    DN(SO_DISCDATALEN), DN(SO_DISCOPTLEN), DN(SO_OPENTYPE), DN(SO_MAXDG), DN(SO_MAXPATHDG),
    DN(SO_UPDATE_ACCEPT_CONTEXT), DN(SO_CONNECT_TIME), DN(SO_UPDATE_CONNECT_CONTEXT), DN(WS2_SO_PAUSE_ACCEPT),
};
/* clang-format on */

/* clang-format off */
static const struct debug_name tcp_options[] =
{
    DN(TCP_NODELAY), DN(TCP_EXPEDITED_1122), DN(WS2_TCP_KEEPALIVE), DN(WS2_TCP_FASTOPEN), DN(WS2_TCP_KEEPCNT),
    DN(WS2_TCP_KEEPINTVL), DN(WS2_TCP_FAIL_CONNECT_ON_ICMP_ERROR),
};
/* clang-format on */

/* clang-format off */
static const struct debug_name ip_options[] =
{
    DN(IP_OPTIONS), DN(IP_HDRINCL), DN(IP_TOS), DN(IP_TTL), DN(IP_MULTICAST_IF), DN(IP_MULTICAST_TTL),
    DN(IP_MULTICAST_LOOP), DN(IP_ADD_MEMBERSHIP), DN(IP_DROP_MEMBERSHIP), DN(IP_DONTFRAGMENT),
    DN(IP_ADD_SOURCE_MEMBERSHIP), DN(IP_DROP_SOURCE_MEMBERSHIP), DN(IP_BLOCK_SOURCE), DN(IP_UNBLOCK_SOURCE),
    DN(IP_PKTINFO), DN(IP_RECEIVE_BROADCAST), DN(IP_UNICAST_IF),
};
/* clang-format on */

/* clang-format off */
static const struct debug_name ipv6_options[] =
{
    DN(IPV6_HDRINCL), DN(IPV6_UNICAST_HOPS), DN(IPV6_MULTICAST_IF), DN(IPV6_MULTICAST_HOPS),
    DN(IPV6_MULTICAST_LOOP), DN(IPV6_ADD_MEMBERSHIP), DN(IPV6_DROP_MEMBERSHIP), DN(IPV6_PKTINFO),
    DN(IPV6_HOPLIMIT), DN(IPV6_PROTECTION_LEVEL), DN(IPV6_V6ONLY), DN(IPV6_UNICAST_IF),
};
/* clang-format on */

/* clang-format off */
static const struct debug_name udp_options[] =
{
    DN(WS2_UDP_NOCHECKSUM), DN(WS2_UDP_SEND_MSG_SIZE), DN(WS2_UDP_RECV_MAX_COALESCED_SIZE),
    DN(WS2_UDP_CHECKSUM_COVERAGE),
};
/* clang-format on */

const char *debugstr_sockopt(int level, int name)
{
    const char *level_name = lookup(TABLE(levels), level), *option = NULL;
    char *buf = debugstr_buffer(), num[16];

    switch (level)
    {
    case SOL_SOCKET: option = lookup(TABLE(socket_options), name); break;
    case IPPROTO_TCP: option = lookup(TABLE(tcp_options), name); break;
    case IPPROTO_IP: option = lookup(TABLE(ip_options), name); break;
    case IPPROTO_IPV6: option = lookup(TABLE(ipv6_options), name); break;
    case IPPROTO_UDP: option = lookup(TABLE(udp_options), name); break;
    }
    if (!level_name)
    {
        snprintf(num, sizeof(num), "%#x", level);
        level_name = num;
    }
    /* A WS2_ prefix is ours (include/ws2consts.h): Windows spells it without. */
    if (option && !strncmp(option, "WS2_", 4)) option += 4;
    if (option) snprintf(buf, DEBUGSTR_SIZE, "%s, %s", level_name, option);
    else snprintf(buf, DEBUGSTR_SIZE, "%s, %#x", level_name, name);
    return buf;
}

/* clang-format off */
static const struct debug_name msg_flags[] =
{
    DN(MSG_OOB), DN(MSG_PEEK), DN(MSG_DONTROUTE), DN(MSG_WAITALL), DN(MSG_PUSH_IMMEDIATE), DN(MSG_PARTIAL),
    DN(MSG_INTERRUPT), DN(MSG_TRUNC), DN(MSG_CTRUNC), DN(MSG_BCAST), DN(MSG_MCAST),
};
/* clang-format on */

const char *debugstr_msg_flags(unsigned int flags)
{
    return flags_string(TABLE(msg_flags), flags);
}

/* clang-format off */
static const struct debug_name wsa_flags[] =
{
    DN(WSA_FLAG_OVERLAPPED), DN(WSA_FLAG_MULTIPOINT_C_ROOT), DN(WSA_FLAG_MULTIPOINT_C_LEAF),
    DN(WSA_FLAG_MULTIPOINT_D_ROOT), DN(WSA_FLAG_MULTIPOINT_D_LEAF), DN(WSA_FLAG_ACCESS_SYSTEM_SECURITY),
    DN(WSA_FLAG_NO_HANDLE_INHERIT),
};
/* clang-format on */

const char *debugstr_wsa_flags(unsigned int flags)
{
    return flags_string(TABLE(wsa_flags), flags);
}

/* clang-format off */
static const struct debug_name fd_events[] =
{
    DN(FD_READ), DN(FD_WRITE), DN(FD_OOB), DN(FD_ACCEPT), DN(FD_CONNECT), DN(FD_CLOSE), DN(FD_QOS),
    DN(FD_GROUP_QOS), DN(FD_ROUTING_INTERFACE_CHANGE), DN(FD_ADDRESS_LIST_CHANGE),
};
/* clang-format on */

const char *debugstr_fd_events(unsigned int mask)
{
    return flags_string(TABLE(fd_events), mask);
}

/* clang-format off */
static const struct debug_name ioctls[] =
{
    DN(FIONBIO), DN(FIONREAD), DN(SIOCATMARK), DN(SIO_GET_EXTENSION_FUNCTION_POINTER),
    DN(SIO_ADDRESS_LIST_QUERY), DN(SIO_ADDRESS_LIST_CHANGE), DN(SIO_KEEPALIVE_VALS), DN(SIO_GET_INTERFACE_LIST),
    DN(SIO_ROUTING_INTERFACE_QUERY), DN(SIO_ROUTING_INTERFACE_CHANGE), DN(SIO_BASE_HANDLE),
    DN(SIO_BSP_HANDLE), DN(SIO_BSP_HANDLE_SELECT), DN(SIO_BSP_HANDLE_POLL), DN(SIO_UDP_CONNRESET), DN(SIO_FLUSH),
    DN(SIO_GET_QOS),
    DN(SIO_SET_QOS), DN(SIO_GET_GROUP_QOS), DN(SIO_SET_GROUP_QOS), DN(SIO_ENABLE_CIRCULAR_QUEUEING),
    DN(SIO_FIND_ROUTE), DN(SIO_ASSOCIATE_HANDLE), DN(SIO_TRANSLATE_HANDLE), DN(SIO_QUERY_TARGET_PNP_HANDLE),
    DN(SIO_MULTIPOINT_LOOPBACK), DN(SIO_MULTICAST_SCOPE), DN(SIO_RCVALL),
};
/* clang-format on */

const char *debugstr_ioctl(unsigned int code)
{
    const char *name = lookup(TABLE(ioctls), code);
    char *buf;

    if (name) return name;
    buf = debugstr_buffer();
    snprintf(buf, DEBUGSTR_SIZE, "%#x", code);
    return buf;
}

/* clang-format off */
static const struct debug_name socket_types[] =
{
    DN(SOCK_STREAM), DN(SOCK_DGRAM), DN(SOCK_RAW), DN(SOCK_RDM), DN(SOCK_SEQPACKET),
};
/* clang-format on */

/* clang-format off */
static const struct debug_name protocols[] =
{
    DN(IPPROTO_IP), DN(IPPROTO_ICMP), DN(IPPROTO_TCP), DN(IPPROTO_UDP), DN(IPPROTO_ICMPV6), DN(IPPROTO_RAW),
};
/* clang-format on */

const char *debugstr_socket_kind(int family, int type, int protocol)
{
    char *buf = debugstr_buffer(), fam[16], typ[16], proto[16];
    const char *t = lookup(TABLE(socket_types), type), *p = lookup(TABLE(protocols), protocol);

    if (!t) snprintf(typ, sizeof(typ), "%d", type);
    if (!p) snprintf(proto, sizeof(proto), "%d", protocol);
    snprintf(buf, DEBUGSTR_SIZE, "%s, %s, %s", family_name(family, fam, sizeof(fam)), t ? t : typ, p ? p : proto);
    return buf;
}
