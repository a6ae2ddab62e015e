/*
 * dupshare: one TCP connection shared by two processes through
 * WSADuplicateSocket, each closing its descriptor in turn.
 *
 * Windows' rules ("Shared Sockets", "closesocket function"): the socket
 * stays open until the last descriptor of it is closed, so the peer sees
 * nothing at the first close and the end (FIN) only at the last; options
 * are one state, so an abortive linger {1,0} set through one descriptor
 * is seen through the other and makes the last close, whoever does it, a
 * reset (RST); at a close that is not the last it does nothing.
 *
 * The other process runs this program's child part: this program again,
 * or the program named by "--child PATH".  tests/crossarch32.sh names the
 * i686 build to the x86-64 one and the other way round, so that a 32-bit
 * and a 64-bit process share the socket.  The child obeys one-line
 * commands on its stdin and answers each with one line on its stdout,
 * "ok [VALUE]" or "err CODE":
 *   open HEX     WSASocketW from the WSAPROTOCOL_INFOW written in hex
 *   send TEXT    send it
 *   recv N       receive N bytes, answered as "ok TEXT"
 *   linger ON S  setsockopt(SO_LINGER)
 *   getlinger    getsockopt(SO_LINGER), answered as "ok ON S"
 *   close        closesocket
 * and exits at the end of its input.
 */
#include "wstest.h"

static const char *child_path; /* NULL: this program */

static void make_pair(SOCKET *client, SOCKET *server)
{
    struct sockaddr_in addr = { 0 };
    int len = sizeof(addr);
    SOCKET l = socket(AF_INET, SOCK_STREAM, 0);

    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ok(!bind(l, (struct sockaddr *)&addr, sizeof(addr)), "bind: %d\n", WSAGetLastError());
    ok(!listen(l, 1), "listen: %d\n", WSAGetLastError());
    getsockname(l, (struct sockaddr *)&addr, &len);
    *client = socket(AF_INET, SOCK_STREAM, 0);
    ok(!connect(*client, (struct sockaddr *)&addr, sizeof(addr)), "connect: %d\n", WSAGetLastError());
    *server = accept(l, NULL, NULL);
    ok(*server != INVALID_SOCKET, "accept: %d\n", WSAGetLastError());
    closesocket(l);
}

/* Receive exactly len bytes, or fewer when the connection ends or fails. */
static int recv_all(SOCKET s, char *buf, int len)
{
    int got = 0, n;

    while (got < len && (n = recv(s, buf + got, len - got, 0)) > 0) got += n;
    return got;
}

/* ------------------------------------------------------------ the child */

static void reply(const char *fmt, ...)
{
    va_list args;

    va_start(args, fmt);
    vprintf(fmt, args);
    va_end(args);
    fflush(stdout);
}

static int from_hex(const char *hex, void *data, size_t len)
{
    unsigned char *p = data;
    size_t i;

    for (i = 0; i < len; i++)
    {
        unsigned int v;
        if (!hex[2 * i] || !hex[2 * i + 1] || sscanf(hex + 2 * i, "%2x", &v) != 1) return 0;
        p[i] = v;
    }
    return 1;
}

static int child_main(void)
{
    static char line[2 * sizeof(WSAPROTOCOL_INFOW) + 64];
    SOCKET s = INVALID_SOCKET;
    WSADATA data;

    WSAStartup(MAKEWORD(2, 2), &data);
    while (fgets(line, sizeof(line), stdin))
    {
        char arg[64] = "";
        struct linger l;
        int len, n, a, b;

        line[strcspn(line, "\r\n")] = 0;
        if (!strncmp(line, "open ", 5))
        {
            WSAPROTOCOL_INFOW info;
            if (!from_hex(line + 5, &info, sizeof(info))) reply("err hex\n");
            else if ((s = WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0,
                                     WSA_FLAG_OVERLAPPED)) == INVALID_SOCKET)
                reply("err %d\n", WSAGetLastError());
            else reply("ok\n");
        }
        else if (sscanf(line, "send %63s", arg) == 1)
        {
            n = send(s, arg, strlen(arg), 0);
            if (n == SOCKET_ERROR) reply("err %d\n", WSAGetLastError());
            else reply("ok %d\n", n);
        }
        else if (sscanf(line, "recv %d", &n) == 1 && n > 0 && n < (int)sizeof(arg))
        {
            if ((len = recv_all(s, arg, n)) != n) reply("err %d %d\n", len, WSAGetLastError());
            else reply("ok %.*s\n", n, arg);
        }
        else if (sscanf(line, "linger %d %d", &a, &b) == 2)
        {
            l.l_onoff = a;
            l.l_linger = b;
            if (setsockopt(s, SOL_SOCKET, SO_LINGER, (char *)&l, sizeof(l))) reply("err %d\n", WSAGetLastError());
            else reply("ok\n");
        }
        else if (!strcmp(line, "getlinger"))
        {
            len = sizeof(l);
            if (getsockopt(s, SOL_SOCKET, SO_LINGER, (char *)&l, &len)) reply("err %d\n", WSAGetLastError());
            else reply("ok %u %u\n", l.l_onoff, l.l_linger);
        }
        else if (!strcmp(line, "close"))
        {
            if (closesocket(s)) reply("err %d\n", WSAGetLastError());
            else reply("ok\n");
            s = INVALID_SOCKET;
        }
        else reply("err command\n");
    }
    WSACleanup();
    return 0;
}

/* ----------------------------------------------------------- the parent */

struct child
{
    PROCESS_INFORMATION pi;
    HANDLE to, from; /* its stdin and stdout */
};

static BOOL start_child(struct child *c)
{
    SECURITY_ATTRIBUTES sa = { sizeof(sa), NULL, TRUE };
    HANDLE in_rd, out_wr;
    STARTUPINFOA si;
    char cmd[2 * MAX_PATH + 16], self[MAX_PATH];

    if (!CreatePipe(&in_rd, &c->to, &sa, 0)) return FALSE;
    if (!CreatePipe(&c->from, &out_wr, &sa, 0))
    {
        CloseHandle(in_rd);
        CloseHandle(c->to);
        return FALSE;
    }
    SetHandleInformation(c->to, HANDLE_FLAG_INHERIT, 0);
    SetHandleInformation(c->from, HANDLE_FLAG_INHERIT, 0);
    GetModuleFileNameA(NULL, self, sizeof(self));
    snprintf(cmd, sizeof(cmd), "\"%s\" child", child_path ? child_path : self);
    memset(&si, 0, sizeof(si));
    si.cb = sizeof(si);
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = in_rd;
    si.hStdOutput = out_wr;
    si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    if (!CreateProcessA(NULL, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &c->pi))
    {
        trace("CreateProcess(%s): %lu\n", cmd, GetLastError());
        CloseHandle(c->to);
        CloseHandle(c->from);
        c->to = c->from = NULL;
    }
    CloseHandle(in_rd);
    CloseHandle(out_wr);
    return c->to != NULL;
}

/* Send one command, return the child's answer without the "ok " (NULL on
 * "err ..." or when the child went away, after a failed check). */
static const char *command(struct child *c, const char *fmt, ...)
{
    static char answer[256];
    char cmd[2 * sizeof(WSAPROTOCOL_INFOW) + 64];
    DWORD n, len = 0;
    va_list args;

    va_start(args, fmt);
    vsnprintf(cmd, sizeof(cmd) - 1, fmt, args);
    va_end(args);
    strcat(cmd, "\n");
    if (!WriteFile(c->to, cmd, strlen(cmd), &n, NULL))
    {
        ok(0, "writing to the child: %lu\n", GetLastError());
        return NULL;
    }
    while (len < sizeof(answer) - 1 && ReadFile(c->from, answer + len, 1, &n, NULL) && n == 1)
        if (answer[len++] == '\n') break;
    answer[len] = 0;
    answer[strcspn(answer, "\r\n")] = 0;
    cmd[strcspn(cmd, " \n")] = 0;
    if (strncmp(answer, "ok", 2))
    {
        ok(0, "child's %s: \"%s\"\n", cmd, answer);
        return NULL;
    }
    return answer[2] ? answer + 3 : answer + 2;
}

static DWORD finish_child(struct child *c)
{
    DWORD code = 0xdead;

    CloseHandle(c->to);
    if (WaitForSingleObject(c->pi.hProcess, 120000) == WAIT_OBJECT_0) GetExitCodeProcess(c->pi.hProcess, &code);
    else TerminateProcess(c->pi.hProcess, 1);
    CloseHandle(c->from);
    CloseHandle(c->pi.hProcess);
    CloseHandle(c->pi.hThread);
    return code;
}

/* Nothing to read: the connection is neither closed nor reset. */
static int peer_idle(SOCKET s)
{
    u_long nb = 1;
    char c;
    int ret, err;

    ioctlsocket(s, FIONBIO, &nb);
    Sleep(500);
    ret = recv(s, &c, 1, 0);
    err = WSAGetLastError();
    nb = 0;
    ioctlsocket(s, FIONBIO, &nb);
    return ret == SOCKET_ERROR && err == WSAEWOULDBLOCK;
}

/* The peer's view after the last close: 0 (FIN) or WSAECONNRESET (RST). */
static int peer_end(SOCKET s)
{
    DWORD timeout = 30000;
    char c;

    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, (char *)&timeout, sizeof(timeout));
    if (!recv(s, &c, 1, 0)) return 0;
    return WSAGetLastError();
}

static void to_hex(const void *data, size_t len, char *out)
{
    const unsigned char *p = data;
    size_t i;

    for (i = 0; i < len; i++) sprintf(out + 2 * i, "%02x", p[i]);
}

/* child_last: the child closes last (else the parent does); abortive: the
 * side that closes first sets linger {1,0}, which the other must see. */
static void test_share(int child_last, int abortive)
{
    char hex[2 * sizeof(WSAPROTOCOL_INFOW) + 1], buf[16];
    const char *last = child_last ? "child" : "parent", *answer;
    WSAPROTOCOL_INFOW info;
    SOCKET client, server;
    struct linger l = { 1, 0 };
    struct child c;
    int len, ret;

    trace("%s closes last, %s\n", last, abortive ? "linger {1,0}" : "default linger");
    /* The child first: it must not inherit the pair (sockets are
     * inheritable handles), or it would hold them until it exits. */
    if (!start_child(&c))
    {
        ok(0, "cannot start the child\n");
        return;
    }
    make_pair(&client, &server);
    ret = WSADuplicateSocketW(client, c.pi.dwProcessId, &info);
    ok(!ret, "WSADuplicateSocketW: %d\n", WSAGetLastError());
    to_hex(&info, sizeof(info), hex);
    if (!command(&c, "open %s", hex)) goto done;

    /* Data both ways through the child's descriptor. */
    answer = command(&c, "send from-child");
    ok(answer && !strcmp(answer, "10"), "child's send: %s\n", answer);
    ok(recv_all(server, buf, 10) == 10 && !memcmp(buf, "from-child", 10), "peer got the child's data\n");
    ok(send(server, "to-child", 8, 0) == 8, "peer's send: %d\n", WSAGetLastError());
    answer = command(&c, "recv 8");
    ok(answer && !strcmp(answer, "to-child"), "child received: %s\n", answer);

    if (abortive)
    {
        if (child_last)
        {
            ok(!setsockopt(client, SOL_SOCKET, SO_LINGER, (char *)&l, sizeof(l)), "setsockopt: %d\n",
               WSAGetLastError());
            answer = command(&c, "getlinger");
            ok(answer && !strcmp(answer, "1 0"), "the child sees the parent's linger: %s\n", answer);
        }
        else
        {
            command(&c, "linger 1 0");
            len = sizeof(l);
            memset(&l, 0xcc, sizeof(l));
            ok(!getsockopt(client, SOL_SOCKET, SO_LINGER, (char *)&l, &len), "getsockopt: %d\n",
               WSAGetLastError());
            ok(l.l_onoff == 1 && l.l_linger == 0, "the parent sees the child's linger: {%u,%u}\n", l.l_onoff,
               l.l_linger);
        }
    }

    /* The first close: the socket stays open for the other process. */
    if (child_last) ok(!closesocket(client), "closesocket(parent's, first): %d\n", WSAGetLastError());
    else command(&c, "close");
    ok(peer_idle(server), "the peer saw the first close (%s's): it must not\n", child_last ? "parent" : "child");
    if (child_last)
    {
        answer = command(&c, "send last");
        ok(answer && !strcmp(answer, "4"), "child's send after the parent's close: %s\n", answer);
    }
    else ok(send(client, "last", 4, 0) == 4, "parent's send after the child's close: %d\n", WSAGetLastError());
    ok(recv_all(server, buf, 4) == 4 && !memcmp(buf, "last", 4), "peer got the data sent after the first close\n");

    /* The last close ends the connection, as the linger in force says. */
    if (child_last) command(&c, "close");
    else ok(!closesocket(client), "closesocket(parent's, last): %d\n", WSAGetLastError());
    ret = peer_end(server);
    if (abortive) ok(ret == WSAECONNRESET, "after the %s's (last) abortive close: %d, not a reset\n", last, ret);
    else ok(ret == 0, "after the %s's (last) close: %d, not the end of the stream\n", last, ret);

done:
    ok(finish_child(&c) == 0, "child exit code\n");
    closesocket(server);
}

START_TEST(dupshare)
{
    WSADATA data;
    int i;

    for (i = 1; i < __argc; i++)
    {
        if (!strcmp(__argv[i], "child")) ExitProcess(child_main());
        if (!strcmp(__argv[i], "--child") && i + 1 < __argc) child_path = __argv[++i];
    }
    trace("sizeof(void *) %u, child %s\n", (unsigned)sizeof(void *), child_path ? child_path : "(this program)");
    WSAStartup(MAKEWORD(2, 2), &data);
    test_share(1, 0);
    test_share(0, 0);
    test_share(1, 1);
    test_share(0, 1);
    WSACleanup();
}
