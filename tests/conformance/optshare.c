/*
 * Options of a shared socket: set through one descriptor, they are the
 * socket's, so a duplicate in another process (WSADuplicateSocket) reads
 * them at once, with no other call in between, and the other way round.
 * SO_LINGER, SO_RCVTIMEO and SO_RCVBUF are values Winsock keeps for the
 * socket (SO_RCVBUF reads back as set); SO_KEEPALIVE is the host's.
 *
 * The child is this program run again with "child"; the two talk through
 * its stdin and stdout, one line at a time: the parent sends the
 * WSAPROTOCOL_INFOW in hex, then "check" once it has set its values; the
 * child answers "ready" once it has opened the duplicate, then a bit mask
 * of the values it did not find, after setting its own.
 */
#include "wstest_child.h"

struct values
{
    u_short onoff, linger;
    DWORD rcvtimeo;
    int rcvbuf;
    DWORD keepalive;
};

static const struct values parent_values = { 1, 7, 1234, 20000, 1 };
static const struct values child_values = { 1, 3, 4321, 30000, 0 };

static int set_values(SOCKET s, const struct values *v)
{
    struct linger l = { v->onoff, v->linger };
    BOOL keepalive = v->keepalive;

    return setsockopt(s, SOL_SOCKET, SO_LINGER, (char *)&l, sizeof(l)) |
           setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, (char *)&v->rcvtimeo, sizeof(v->rcvtimeo)) |
           setsockopt(s, SOL_SOCKET, SO_RCVBUF, (char *)&v->rcvbuf, sizeof(v->rcvbuf)) |
           setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, (char *)&keepalive, sizeof(keepalive));
}

/* Which values of `want` the socket does not have: bit 0 SO_LINGER, 1
 * SO_RCVTIMEO, 2 SO_RCVBUF, 3 SO_KEEPALIVE (4: a call failed). */
static unsigned int differences(SOCKET s, const struct values *want)
{
    struct linger l;
    DWORD timeo = 0;
    int rcvbuf = 0, len, ret = 0;
    BOOL keepalive = 0;
    unsigned int diff = 0;

    len = sizeof(l);
    ret |= getsockopt(s, SOL_SOCKET, SO_LINGER, (char *)&l, &len);
    if (l.l_onoff != want->onoff || l.l_linger != want->linger) diff |= 1;
    len = sizeof(timeo);
    ret |= getsockopt(s, SOL_SOCKET, SO_RCVTIMEO, (char *)&timeo, &len);
    if (timeo != want->rcvtimeo) diff |= 2;
    len = sizeof(rcvbuf);
    ret |= getsockopt(s, SOL_SOCKET, SO_RCVBUF, (char *)&rcvbuf, &len);
    if (rcvbuf != want->rcvbuf) diff |= 4;
    len = sizeof(keepalive);
    ret |= getsockopt(s, SOL_SOCKET, SO_KEEPALIVE, (char *)&keepalive, &len);
    if (!keepalive != !want->keepalive) diff |= 8;
    return ret ? diff | 16 : diff;
}

static int child_main(void)
{
    char line[16];
    WSAPROTOCOL_INFOW info;
    WSADATA data;
    unsigned int diff;
    SOCKET s;

    WSAStartup(MAKEWORD(2, 2), &data);
    if (!wstest_read_info(&info)) return 10;
    s = WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0, WSA_FLAG_OVERLAPPED);
    if (s == INVALID_SOCKET) return 11;
    printf("ready\n");
    fflush(stdout);
    if (!fgets(line, sizeof(line), stdin) || strncmp(line, "check", 5)) return 12;
    /* Straight after the parent's setsockopt calls: nothing else in between. */
    diff = differences(s, &parent_values);
    if (set_values(s, &child_values)) diff |= 32;
    printf("%u\n", diff);
    fflush(stdout);
    if (!fgets(line, sizeof(line), stdin)) return 13;
    closesocket(s);
    WSACleanup();
    return 0;
}

static void test_shared_options(void)
{
    struct wstest_child c;
    WSAPROTOCOL_INFOW info;
    unsigned int diff;
    char line[64];
    DWORD code;
    SOCKET s;

    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ok(s != INVALID_SOCKET, "socket: %d\n", WSAGetLastError());
    if (!wstest_child_start(&c, NULL, TRUE, "child"))
    {
        ok(0, "cannot start a child: %lu\n", GetLastError());
        return;
    }

    ok(!WSADuplicateSocketW(s, c.pi.dwProcessId, &info), "WSADuplicateSocketW: %d\n", WSAGetLastError());
    wstest_child_send_info(&c, "", &info);
    ok(wstest_child_read(&c, line, sizeof(line)) && !strcmp(line, "ready"), "the child opened the duplicate: %s\n",
       line);

    /* Parent -> child. */
    ok(!set_values(s, &parent_values), "setsockopt in the parent: %d\n", WSAGetLastError());
    wstest_child_write(&c, "check");
    ok(wstest_child_read(&c, line, sizeof(line)), "the child's answer\n");
    diff = strtoul(line, NULL, 10);
    ok(!(diff & 1), "the child reads the parent's SO_LINGER\n");
    ok(!(diff & 2), "the child reads the parent's SO_RCVTIMEO\n");
    ok(!(diff & 4), "the child reads the parent's SO_RCVBUF\n");
    ok(!(diff & 8), "the child reads the parent's SO_KEEPALIVE\n");
    ok(!(diff & 48), "the child's calls failed: %#x\n", diff);

    /* Child -> parent, straight after its answer. */
    diff = differences(s, &child_values);
    ok(!(diff & 1), "the parent reads the child's SO_LINGER\n");
    ok(!(diff & 2), "the parent reads the child's SO_RCVTIMEO\n");
    ok(!(diff & 4), "the parent reads the child's SO_RCVBUF\n");
    ok(!(diff & 8), "the parent reads the child's SO_KEEPALIVE\n");
    ok(!(diff & 16), "getsockopt in the parent failed\n");

    wstest_child_write(&c, "done");
    code = wstest_child_end(&c);
    ok(code == 0, "child exit code %lu\n", (unsigned long)code);
    closesocket(s);
}

START_TEST(optshare)
{
    WSADATA data;

    if (__argc >= 2 && !strcmp(__argv[1], "child")) ExitProcess(child_main());
    WSAStartup(MAKEWORD(2, 2), &data);
    test_shared_options();
    WSACleanup();
}
