/*
 * Request validation: every message is checked against the size its op
 * requires before a handler sees it.  A message that fails here ends the
 * client's connection (see client.c); it never reaches a handler.
 *
 * The sizes come from the request list (include/ws2requests.h); what an op
 * needs checked beyond its size is a check_*() function the list names.
 */
#include <string.h>
#include "ws2proto.h"
#include "protocol.h"

/* Address lengths the handlers may trust. */
static int check_addr(const void *msg)
{
    struct ws2_addr_request req;

    memcpy(&req, msg, sizeof(req));
    return req.addrlen <= WS2_MAX_ADDR;
}

static int check_nameinfo(const void *msg)
{
    struct ws2_getnameinfo_request req;

    memcpy(&req, msg, sizeof(req));
    return req.addrlen <= WS2_MAX_ADDR;
}

static int check_hostaddr(const void *msg)
{
    struct ws2_gethostbyaddr_request req;

    memcpy(&req, msg, sizeof(req));
    return req.addrlen <= sizeof(req.addr);
}

/* getsockopt sends no option value. */
static int check_no_data(const void *msg)
{
    struct ws2_sockopt_request req;

    memcpy(&req, msg, offsetof(struct ws2_sockopt_request, data));
    return !req.datalen;
}

static int check_none(const void *msg)
{
    (void)msg;
    return 1;
}

/* What the list says about each op's request. */
static const struct request_format
{
    uint32_t fixed;       /* bytes before the tail (all of them, without one) */
    uint32_t tail_max;    /* room for the tail, 0 if the op has none */
    uint32_t tail_len_at; /* offset of the tail's uint32_t length */
    int (*check)(const void *msg);
}
/* clang-format off */
formats[WS2_OP_COUNT] =
{
#define X(OP, name, request, reply, flags, shape, check, dump) \
    [WS2_OP_##OP] = { WS2_REQ_FIXED_SIZE(shape, request), WS2_REQ_TAIL_MAX(shape, request), \
                      WS2_REQ_TAIL_LEN_AT(shape, request), check_##check },
    WS2_REQUESTS(X)
#undef X
};
/* clang-format on */

uint32_t protocol_fixed_size(uint32_t op)
{
    return op < WS2_OP_COUNT ? formats[op].fixed : 0;
}

int protocol_check_request(const void *msg, size_t len)
{
    const struct request_format *format;
    struct ws2_req_header hdr;
    uint32_t tail = 0;

    if (len < sizeof(hdr) || len > WS2_MAX_MESSAGE) return -1;
    memcpy(&hdr, msg, sizeof(hdr));
    if (hdr.size != len || (hdr.flags & ~WS2_REQ_ONEWAY)) return -1;
    if (hdr.op >= WS2_OP_COUNT || !(format = &formats[hdr.op])->fixed) return -1;
    if (len < format->fixed) return -1;
    if (format->tail_max)
    {
        memcpy(&tail, (const uint8_t *)msg + format->tail_len_at, sizeof(tail));
        if (tail > format->tail_max) return -1;
    }
    if (len != format->fixed + tail) return -1;
    return format->check(msg) ? 0 : -1;
}
