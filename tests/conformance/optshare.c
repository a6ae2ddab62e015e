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
#include "wstest.h"

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

static void to_hex(const void *data, size_t len, char *out)
{
    const unsigned char *p = data;
    size_t i;

    for (i = 0; i < len; i++) sprintf(out + 2 * i, "%02x", p[i]);
}

static int from_hex(const char *hex, void *data, size_t len)
{
    unsigned char *p = data;
    size_t i;

    for (i = 0; i < len; i++)
    {
        unsigned int v;
        if (!hex[2 * i] || sscanf(hex + 2 * i, "%2x", &v) != 1) return 0;
        p[i] = v;
    }
    return 1;
}

static int child_main(void)
{
    static char line[2 * sizeof(WSAPROTOCOL_INFOW) + 8];
    WSAPROTOCOL_INFOW info;
    WSADATA data;
    unsigned int diff;
    SOCKET s;

    WSAStartup(MAKEWORD(2, 2), &data);
    if (!fgets(line, sizeof(line), stdin) || !from_hex(line, &info, sizeof(info))) return 10;
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

/* A line from the child (without its newline); FALSE if none came. */
static BOOL read_line(HANDLE from_child, char *buf, DWORD size)
{
    DWORD n = 0, got;

    while (n + 1 < size && ReadFile(from_child, buf + n, 1, &got, NULL) && got)
        if (buf[n++] == '\n')
        {
            buf[n - 1] = 0;
            if (n > 1 && buf[n - 2] == '\r') buf[n - 2] = 0;
            return TRUE;
        }
    return FALSE;
}

static void write_line(HANDLE to_child, const char *line)
{
    DWORD written;

    WriteFile(to_child, line, strlen(line), &written, NULL);
}

static void test_shared_options(void)
{
    SECURITY_ATTRIBUTES sa = { sizeof(sa), NULL, TRUE };
    static char hex[2 * sizeof(WSAPROTOCOL_INFOW) + 2];
    char cmd[MAX_PATH + 16], self[MAX_PATH], line[64];
    HANDLE in_rd, in_wr, out_rd, out_wr;
    PROCESS_INFORMATION pi;
    WSAPROTOCOL_INFOW info;
    STARTUPINFOA si;
    unsigned int diff;
    DWORD code = 0xdead;
    SOCKET s;

    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ok(s != INVALID_SOCKET, "socket: %d\n", WSAGetLastError());
    if (!CreatePipe(&in_rd, &in_wr, &sa, 0) || !CreatePipe(&out_rd, &out_wr, &sa, 0))
    {
        ok(0, "CreatePipe: %lu\n", GetLastError());
        return;
    }
    SetHandleInformation(in_wr, HANDLE_FLAG_INHERIT, 0);
    SetHandleInformation(out_rd, HANDLE_FLAG_INHERIT, 0);
    GetModuleFileNameA(NULL, self, sizeof(self));
    sprintf(cmd, "\"%s\" child", self);
    memset(&si, 0, sizeof(si));
    si.cb = sizeof(si);
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = in_rd;
    si.hStdOutput = out_wr;
    si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    if (!CreateProcessA(NULL, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi))
    {
        ok(0, "cannot start a child: %lu\n", GetLastError());
        return;
    }
    CloseHandle(in_rd);
    CloseHandle(out_wr);

    ok(!WSADuplicateSocketW(s, pi.dwProcessId, &info), "WSADuplicateSocketW: %d\n", WSAGetLastError());
    to_hex(&info, sizeof(info), hex);
    strcat(hex, "\n");
    write_line(in_wr, hex);
    ok(read_line(out_rd, line, sizeof(line)) && !strcmp(line, "ready"), "the child opened the duplicate: %s\n", line);

    /* Parent -> child. */
    ok(!set_values(s, &parent_values), "setsockopt in the parent: %d\n", WSAGetLastError());
    write_line(in_wr, "check\n");
    ok(read_line(out_rd, line, sizeof(line)), "the child's answer\n");
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

    write_line(in_wr, "done\n");
    CloseHandle(in_wr);
    if (WaitForSingleObject(pi.hProcess, 60000) == WAIT_OBJECT_0) GetExitCodeProcess(pi.hProcess, &code);
    ok(code == 0, "child exit code %lu\n", (unsigned long)code);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
    CloseHandle(out_rd);
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
