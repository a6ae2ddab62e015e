/*
 * Raw ICMP sockets.  Expected values are Windows' own:
 *  - socket(AF_INET, SOCK_RAW, IPPROTO_ICMP) needs a privilege (an
 *    administrator); without it the call fails with WSAEACCES (Microsoft's
 *    "TCP/IP raw sockets" page; Wine's test_icmp, which passes on Windows).
 *    Then this program says so and skips the rest.
 *  - With it, SO_TYPE is SOCK_RAW and SO_PROTOCOL_INFO describes the hidden
 *    raw entry: iProtocol 0 serving up to 255 above it (iProtocolMaxOffset),
 *    PFL_HIDDEN, connectionless and message-oriented (Wine's test_WSASocket).
 *  - An ICMP echo request sent to 127.0.0.1 brings its echo reply, received
 *    with the IPv4 header in front (20 bytes, protocol 1, source 127.0.0.1,
 *    total length = what was received), the echo id and sequence as sent;
 *    a buffer too small for it fails with WSAEMSGSIZE (test_icmp).
 *  - A raw socket is a datagram socket for recvfrom: the sender's address
 *    comes with the message.
 *  - IP_HDRINCL may be set on a raw socket (Wine's test_sockopt_validity);
 *    then the program sends the IPv4 header with the message (Microsoft's
 *    "IPPROTO_IP socket options").
 */
#include "wstest.h"

#define ECHO_ID 0x5157

static unsigned short checksum(const unsigned char *data, int len)
{
    unsigned int sum = 0;
    int i;

    for (i = 0; i + 1 < len; i += 2) sum += (data[i] << 8) | data[i + 1];
    if (len & 1) sum += data[len - 1] << 8;
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    return htons((unsigned short)~sum);
}

/* An echo request: type 8, code 0, checksum, id, sequence, then 8 bytes. */
static int make_echo(unsigned char *buf, unsigned short seq)
{
    unsigned short sum;

    memset(buf, 0, 16);
    buf[0] = 8;
    buf[4] = ECHO_ID >> 8;
    buf[5] = ECHO_ID & 0xff;
    buf[6] = seq >> 8;
    buf[7] = seq & 0xff;
    memcpy(buf + 8, "rawping!", 8);
    sum = checksum(buf, 16);
    memcpy(buf + 2, &sum, 2);
    return 16;
}

static int send_echo(SOCKET s, unsigned short seq)
{
    struct sockaddr_in to = { 0 };
    unsigned char buf[16];
    int len = make_echo(buf, seq);

    to.sin_family = AF_INET;
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return sendto(s, (char *)buf, len, 0, (struct sockaddr *)&to, sizeof(to));
}

/* Receive until the echo reply of `seq` comes (other ICMP traffic of the
 * machine may come first); its length, or -1. */
static int recv_reply(SOCKET s, unsigned short seq, unsigned char *buf, int size, struct sockaddr_in *from)
{
    int i, ret, fromlen, hl;

    for (i = 0; i < 50; i++)
    {
        if (!wstest_wait_readable(s, 5000)) return -1;
        fromlen = sizeof(*from);
        ret = recvfrom(s, (char *)buf, size, 0, (struct sockaddr *)from, &fromlen);
        if (ret < 20) return -1;
        hl = (buf[0] & 0x0f) * 4;
        if (ret >= hl + 16 && buf[hl] == 0 && buf[hl + 4] == (ECHO_ID >> 8) && buf[hl + 5] == (ECHO_ID & 0xff) &&
            buf[hl + 6] == (seq >> 8) && buf[hl + 7] == (seq & 0xff))
            return ret;
    }
    return -1;
}

static void test_protocol_info(SOCKET s)
{
    WSAPROTOCOL_INFOW info;
    int type = 0, len = sizeof(type), ret;

    ret = getsockopt(s, SOL_SOCKET, SO_TYPE, (char *)&type, &len);
    ok(!ret && type == SOCK_RAW, "SO_TYPE: %d, type %d, error %d\n", ret, type, WSAGetLastError());
    len = sizeof(info);
    ret = getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOW, (char *)&info, &len);
    ok(!ret, "SO_PROTOCOL_INFOW: error %d\n", WSAGetLastError());
    if (ret) return;
    ok(info.iAddressFamily == AF_INET && info.iSocketType == SOCK_RAW, "family %d, type %d\n", info.iAddressFamily,
       info.iSocketType);
    ok(info.iProtocol == 0 && info.iProtocolMaxOffset == 255, "protocol %d, max offset %d\n", info.iProtocol,
       info.iProtocolMaxOffset);
    ok(info.dwProviderFlags & PFL_HIDDEN, "provider flags %#lx\n", info.dwProviderFlags);
    ok((info.dwServiceFlags1 & (XP1_CONNECTIONLESS | XP1_MESSAGE_ORIENTED)) ==
           (XP1_CONNECTIONLESS | XP1_MESSAGE_ORIENTED),
       "service flags %#lx\n", info.dwServiceFlags1);
}

static void test_echo(SOCKET s)
{
    unsigned char buf[256];
    struct sockaddr_in from;
    int ret, hl, fromlen;

    ret = send_echo(s, 1);
    ok(ret == 16, "sendto: %d, error %d\n", ret, WSAGetLastError());
    ret = recv_reply(s, 1, buf, sizeof(buf), &from);
    ok(ret == 20 + 16, "echo reply: %d bytes\n", ret);
    if (ret < 20 + 16) return;
    hl = (buf[0] & 0x0f) * 4;
    ok(buf[0] == 0x45, "version and header length %#x\n", buf[0]);
    ok(((buf[2] << 8) | buf[3]) == ret, "IP total length %d, received %d\n", (buf[2] << 8) | buf[3], ret);
    ok(buf[9] == IPPROTO_ICMP, "IP protocol %d\n", buf[9]);
    ok(!memcmp(buf + 12, "\x7f\x00\x00\x01", 4), "IP source %u.%u.%u.%u\n", buf[12], buf[13], buf[14], buf[15]);
    ok(buf[hl] == 0 && buf[hl + 1] == 0, "ICMP type %d code %d\n", buf[hl], buf[hl + 1]);
    ok(!memcmp(buf + hl + 8, "rawping!", 8), "echo data differs\n");
    ok(from.sin_family == AF_INET && from.sin_addr.s_addr == htonl(INADDR_LOOPBACK), "from %#lx, family %d\n",
       (unsigned long)ntohl(from.sin_addr.s_addr), from.sin_family);

    /* A buffer one byte short of the reply: the message is cut, the call
     * fails with WSAEMSGSIZE. */
    ret = send_echo(s, 2);
    ok(ret == 16, "sendto: %d, error %d\n", ret, WSAGetLastError());
    ok(wstest_wait_readable(s, 5000), "no reply to the second echo\n");
    fromlen = sizeof(from);
    WSASetLastError(0xdead);
    ret = recvfrom(s, (char *)buf, 20 + 16 - 1, 0, (struct sockaddr *)&from, &fromlen);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEMSGSIZE, "short buffer: %d, error %d\n", ret,
       WSAGetLastError());
}

/* IP_HDRINCL: the program writes the IPv4 header itself. */
static void test_hdrincl(SOCKET s)
{
    unsigned char buf[256], packet[20 + 16];
    struct sockaddr_in to = { 0 }, from;
    unsigned short sum;
    DWORD on = 1, value = 0;
    int ret, len = sizeof(value);

    ret = setsockopt(s, IPPROTO_IP, IP_HDRINCL, (char *)&on, sizeof(on));
    ok(!ret, "IP_HDRINCL: error %d\n", WSAGetLastError());
    ret = getsockopt(s, IPPROTO_IP, IP_HDRINCL, (char *)&value, &len);
    ok(!ret && value == 1, "IP_HDRINCL read back: %d, value %lu\n", ret, value);

    memset(packet, 0, 20);
    packet[0] = 0x45;
    packet[3] = sizeof(packet);
    packet[8] = 64;
    packet[9] = IPPROTO_ICMP;
    memcpy(packet + 12, "\x7f\x00\x00\x01", 4);
    memcpy(packet + 16, "\x7f\x00\x00\x01", 4);
    sum = checksum(packet, 20);
    memcpy(packet + 10, &sum, 2);
    make_echo(packet + 20, 3);
    to.sin_family = AF_INET;
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ret = sendto(s, (char *)packet, sizeof(packet), 0, (struct sockaddr *)&to, sizeof(to));
    ok(ret == sizeof(packet), "sendto with the header: %d, error %d\n", ret, WSAGetLastError());
    ret = recv_reply(s, 3, buf, sizeof(buf), &from);
    ok(ret == 20 + 16, "echo reply to the packet with a header: %d bytes\n", ret);
}

START_TEST(rawicmp)
{
    WSADATA data;
    SOCKET s;
    int ret;

    ret = WSAStartup(MAKEWORD(2, 2), &data);
    ok(!ret, "WSAStartup returned %d\n", ret);
    if (ret) return;
    WSASetLastError(0xdead);
    s = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
    if (s == INVALID_SOCKET)
    {
        ok(WSAGetLastError() == WSAEACCES, "raw ICMP socket: error %d\n", WSAGetLastError());
        skip("raw ICMP sockets are not allowed here (WSAEACCES)\n");
    }
    else
    {
        trace("raw ICMP sockets are allowed\n");
        test_protocol_info(s);
        test_echo(s);
        test_hdrincl(s);
        closesocket(s);
    }
    ret = WSACleanup();
    ok(!ret, "WSACleanup returned %d\n", ret);
}
