/*
 * A plain Winsock program for tests/integration/setup.sh: a loopback TCP
 * connection with one message each way, then which ws2_32.dll served it.
 * Wine marks its own DLLs in the DOS stub ("Wine builtin DLL" at offset
 * 0x40 of the image), which ours does not have.  Prints one line:
 *   probe ok=1 builtin=0|1 dll=PATH
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <stdio.h>
#include <string.h>

static int exchange(void)
{
    struct sockaddr_in addr = { 0 };
    int len = sizeof(addr);
    SOCKET lst, cli, srv;
    char buf[8] = { 0 };
    int ok;

    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    lst = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    cli = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (lst == INVALID_SOCKET || cli == INVALID_SOCKET) return 0;
    if (bind(lst, (struct sockaddr *)&addr, sizeof(addr)) || listen(lst, 1) ||
        getsockname(lst, (struct sockaddr *)&addr, &len) || connect(cli, (struct sockaddr *)&addr, sizeof(addr)))
        return 0;
    if ((srv = accept(lst, NULL, NULL)) == INVALID_SOCKET) return 0;
    ok = send(cli, "ping", 4, 0) == 4 && recv(srv, buf, sizeof(buf), 0) == 4 && !memcmp(buf, "ping", 4) &&
         send(srv, "pong", 4, 0) == 4 && recv(cli, buf, sizeof(buf), 0) == 4 && !memcmp(buf, "pong", 4);
    closesocket(srv);
    closesocket(cli);
    closesocket(lst);
    return ok;
}

int main(void)
{
    WSADATA wsa;
    HMODULE mod;
    char path[MAX_PATH] = "?";
    int ok, builtin;

    if (WSAStartup(MAKEWORD(2, 2), &wsa))
    {
        printf("probe ok=0 WSAStartup failed\n");
        return 1;
    }
    ok = exchange();
    mod = GetModuleHandleA("ws2_32.dll");
    if (mod) GetModuleFileNameA(mod, path, sizeof(path));
    builtin = mod && !memcmp((const char *)mod + 0x40, "Wine builtin DLL", 16);
    printf("probe ok=%d builtin=%d dll=%s\n", ok, builtin, path);
    fflush(stdout);
    WSACleanup();
    return ok ? 0 : 1;
}
