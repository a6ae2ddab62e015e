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
#include "wstest_child.h"

#define WAIT_MS 10000

static const char *child_path; /* NULL: this program */

/* ------------------------------------------------------------ the child */

static void reply(const char *fmt, ...)
{
    va_list args;

    va_start(args, fmt);
    vprintf(fmt, args);
    va_end(args);
    fflush(stdout);
}

static int child_main(void)
{
    static char line[WSTEST_INFO_LINE];
    SOCKET s = INVALID_SOCKET;
    WSADATA data;

    WSAStartup(MAKEWORD(2, 2), &data);
    while (fgets(line, sizeof(line), stdin))
    {
        char arg[64] = "";
        struct linger l;
        int len, n, got, a, b;

        line[strcspn(line, "\r\n")] = 0;
        if (!strncmp(line, "open ", 5))
        {
            WSAPROTOCOL_INFOW info;
            if (!wstest_from_hex(line + 5, &info, sizeof(info))) reply("err hex\n");
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
            for (len = 0; len < n && (got = recv(s, arg + len, n - len, 0)) > 0;) len += got;
            if (len != n) reply("err %d %d\n", len, WSAGetLastError());
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

/* The child's answer to a command, without the "ok " (NULL on "err ..." or
 * when the child went away, after a failed check). */
static const char *child_answer(struct wstest_child *c, const char *cmd)
{
    static char answer[256];

    wstest_child_read(c, answer, sizeof(answer));
    if (strncmp(answer, "ok", 2))
    {
        ok(0, "child's %.*s: \"%s\"\n", (int)strcspn(cmd, " "), cmd, answer);
        return NULL;
    }
    return answer[2] ? answer + 3 : answer + 2;
}

/* Send one command (a line), return the child's answer. */
static const char *command(struct wstest_child *c, const char *cmd)
{
    if (!wstest_child_write(c, "%s", cmd))
    {
        ok(0, "writing to the child: %lu\n", GetLastError());
        return NULL;
    }
    return child_answer(c, cmd);
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

/* child_last: the child closes last (else the parent does); abortive: the
 * side that closes first sets linger {1,0}, which the other must see. */
static void test_share(int child_last, int abortive)
{
    char buf[16];
    const char *last = child_last ? "child" : "parent", *answer;
    WSAPROTOCOL_INFOW info;
    SOCKET client, server;
    struct linger l = { 1, 0 };
    struct wstest_child c;
    int len, ret;

    trace("%s closes last, %s\n", last, abortive ? "linger {1,0}" : "default linger");
    /* The child first: it must not inherit the pair (sockets are
     * inheritable handles), or it would hold them until it exits. */
    if (!wstest_child_start(&c, child_path, TRUE, "child"))
    {
        ok(0, "cannot start the child: %lu\n", GetLastError());
        return;
    }
    wstest_checked_pair4(&client, &server);
    ret = WSADuplicateSocketW(client, c.pi.dwProcessId, &info);
    ok(!ret, "WSADuplicateSocketW: %d\n", WSAGetLastError());
    if (!wstest_child_send_info(&c, "open ", &info))
    {
        ok(0, "writing to the child: %lu\n", GetLastError());
        goto done;
    }
    if (!child_answer(&c, "open")) goto done;

    /* Data both ways through the child's descriptor. */
    answer = command(&c, "send from-child");
    ok(answer && !strcmp(answer, "10"), "child's send: %s\n", answer);
    ok(wstest_recv_exact(server, buf, 10, WAIT_MS) == 10 && !memcmp(buf, "from-child", 10),
       "peer got the child's data\n");
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
    ok(wstest_peer_idle(server, 500),
       "the peer saw the first close (%s's): it must not\n", child_last ? "parent" : "child");
    if (child_last)
    {
        answer = command(&c, "send last");
        ok(answer && !strcmp(answer, "4"), "child's send after the parent's close: %s\n", answer);
    }
    else ok(send(client, "last", 4, 0) == 4, "parent's send after the child's close: %d\n", WSAGetLastError());
    ok(wstest_recv_exact(server, buf, 4, WAIT_MS) == 4 && !memcmp(buf, "last", 4),
       "peer got the data sent after the first close\n");

    /* The last close ends the connection, as the linger in force says. */
    if (child_last) command(&c, "close");
    else ok(!closesocket(client), "closesocket(parent's, last): %d\n", WSAGetLastError());
    ret = peer_end(server);
    if (abortive) ok(ret == WSAECONNRESET, "after the %s's (last) abortive close: %d, not a reset\n", last, ret);
    else ok(ret == 0, "after the %s's (last) close: %d, not the end of the stream\n", last, ret);

done:
    ok(wstest_child_end(&c) == 0, "child exit code\n");
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
