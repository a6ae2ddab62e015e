/*
 * The handles behind SOCKET values: pairs of a private, overlapped,
 * message-mode named pipe (see DESIGN, "SOCKET values are kernel handles").
 *
 * Making a pair costs two wineserver calls and closing it two more, so both
 * are kept off the socket()/closesocket() path: a helper thread keeps a few
 * pairs ready and closes released ones in the background.  If the pool is
 * empty, socket() makes its pair itself.
 */
#include <stdio.h>
#include <string.h>
#include "private.h"
#include "pipes.h"

#define POOL_SIZE   16
#define CLOSE_BATCH 64

struct pipe_pair
{
    HANDLE client, server;
};

static CRITICAL_SECTION pool_lock;
static struct pipe_pair ready[POOL_SIZE];
static unsigned int nready;
static struct pipe_pair to_close[CLOSE_BATCH * 4];
static unsigned int nclose;
static HANDLE work_event, helper;
static volatile LONG serial;

static int make_pair(struct pipe_pair *pair)
{
    DWORD mode = PIPE_READMODE_MESSAGE;
    WCHAR name[64];

    swprintf(name, 64, L"\\\\.\\pipe\\ws2_32-%lx-%lx", GetCurrentProcessId(),
             (unsigned long)InterlockedIncrement(&serial));
    pair->server = CreateNamedPipeW(name, PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED | FILE_FLAG_FIRST_PIPE_INSTANCE,
                                    PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE | PIPE_REJECT_REMOTE_CLIENTS,
                                    1, 0, 0, 0, NULL);
    if (pair->server == INVALID_HANDLE_VALUE) return -1;
    pair->client = CreateFileW(name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, FILE_FLAG_OVERLAPPED,
                               NULL);
    if (pair->client == INVALID_HANDLE_VALUE)
    {
        CloseHandle(pair->server);
        return -1;
    }
    /* Messages end reads as a whole (completion.c): a longer one ends a
     * read with STATUS_BUFFER_OVERFLOW, which is how a truncated datagram
     * is reported. */
    SetNamedPipeHandleState(pair->client, &mode, NULL, NULL);
    return 0;
}

static DWORD WINAPI pool_helper(void *arg)
{
    (void)arg;
    for (;;)
    {
        struct pipe_pair closing[CLOSE_BATCH], pair;
        unsigned int i, n;
        int want;

        WaitForSingleObject(work_event, INFINITE);
        do
        {
            EnterCriticalSection(&pool_lock);
            n = nclose < CLOSE_BATCH ? nclose : CLOSE_BATCH;
            nclose -= n;
            memcpy(closing, to_close + nclose, n * sizeof(*closing));
            want = nready < POOL_SIZE;
            LeaveCriticalSection(&pool_lock);
            for (i = 0; i < n; i++)
            {
                CloseHandle(closing[i].client);
                CloseHandle(closing[i].server);
            }
            if (want && !make_pair(&pair))
            {
                EnterCriticalSection(&pool_lock);
                if (nready < POOL_SIZE) ready[nready++] = pair;
                else want = 0;
                LeaveCriticalSection(&pool_lock);
                if (!want)
                {
                    CloseHandle(pair.client);
                    CloseHandle(pair.server);
                }
            }
            else want = 0;
        } while (n || want);
    }
    return 0;
}

void pipes_init(void)
{
    InitializeCriticalSection(&pool_lock);
}

static void wake_helper(void)
{
    if (!helper)
    {
        /* Started on first use: programs that never make a socket pay nothing. */
        if (!work_event) work_event = CreateEventW(NULL, FALSE, FALSE, NULL);
        if (work_event) helper = CreateThread(NULL, 0, pool_helper, NULL, 0, NULL);
    }
    if (work_event) SetEvent(work_event);
}

int pipes_get(SOCKET *value, HANDLE *server_end)
{
    struct pipe_pair pair;
    int have;

    EnterCriticalSection(&pool_lock);
    if ((have = nready > 0)) pair = ready[--nready];
    wake_helper();
    LeaveCriticalSection(&pool_lock);
    if (!have && make_pair(&pair) < 0) return -1;
    *value = (SOCKET)pair.client;
    *server_end = pair.server;
    return 0;
}

void pipes_put(SOCKET value, HANDLE server_end)
{
    int now = 0;

    EnterCriticalSection(&pool_lock);
    if (nclose < sizeof(to_close) / sizeof(to_close[0]))
    {
        to_close[nclose].client = (HANDLE)value;
        to_close[nclose++].server = server_end;
        wake_helper();
    }
    else now = 1;
    LeaveCriticalSection(&pool_lock);
    if (now)
    {
        /* The helper is behind: close these here. */
        CloseHandle((HANDLE)value);
        CloseHandle(server_end);
    }
}
