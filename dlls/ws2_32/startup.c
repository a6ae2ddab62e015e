/*
 * WSAStartup/WSACleanup, the last error, and per-thread data: the
 * channel's and startup's own (struct ws2_thread), and the blocks other
 * modules keep per thread (ws2_thread_block).
 */
#include <string.h>
#include "private.h"
#include "channel.h"
#include "sock.h"
#include "startup.h"

static volatile LONG startup_count;
static DWORD tls_index = TLS_OUT_OF_INDEXES;

/* The modules' per-thread blocks, freed at thread exit. */
#define MAX_THREAD_BLOCKS 8
static struct ws2_thread_block *volatile blocks[MAX_THREAD_BLOCKS];
static volatile LONG nblocks;

int ws2_initialized(void)
{
    return startup_count > 0;
}

int ws2_fail(int error)
{
    WSASetLastError(error);
    return SOCKET_ERROR;
}

void ws2_startup_init(void)
{
    tls_index = TlsAlloc();
}

struct ws2_thread *ws2_thread_data(void)
{
    struct ws2_thread *t;

    if (tls_index == TLS_OUT_OF_INDEXES) return NULL;
    if ((t = TlsGetValue(tls_index))) return t;
    if (!(t = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*t)))) return NULL;
    ws2_channel_init_thread(t);
    TlsSetValue(tls_index, t);
    return t;
}

static BOOL CALLBACK block_init(INIT_ONCE *once, void *param, void **context)
{
    struct ws2_thread_block *block = param;
    LONG slot;

    (void)once;
    (void)context;
    if ((slot = InterlockedIncrement(&nblocks) - 1) >= MAX_THREAD_BLOCKS) return FALSE;
    block->index = TlsAlloc();
    blocks[slot] = block;
    return block->index != TLS_OUT_OF_INDEXES;
}

void *ws2_thread_block(struct ws2_thread_block *block)
{
    void *data;

    if (!InitOnceExecuteOnce(&block->once, block_init, block, NULL)) return NULL;
    if ((data = TlsGetValue(block->index))) return data;
    if ((data = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, block->size))) TlsSetValue(block->index, data);
    return data;
}

static void free_thread_blocks(void)
{
    LONG i, n = nblocks < MAX_THREAD_BLOCKS ? nblocks : MAX_THREAD_BLOCKS;

    for (i = 0; i < n; i++)
    {
        struct ws2_thread_block *block = blocks[i];
        void *data;

        if (!block || block->index == TLS_OUT_OF_INDEXES || !(data = TlsGetValue(block->index))) continue;
        TlsSetValue(block->index, NULL);
        HeapFree(GetProcessHeap(), 0, data);
    }
}

void ws2_thread_detach(void)
{
    struct ws2_thread *t;

    free_thread_blocks();
    if (tls_index == TLS_OUT_OF_INDEXES || !(t = TlsGetValue(tls_index))) return;
    ws2_channel_close_thread(t);
    TlsSetValue(tls_index, NULL);
    HeapFree(GetProcessHeap(), 0, t);
}

int WSAAPI WSAStartup(WORD version, LPWSADATA data)
{
    BYTE major = LOBYTE(version), minor = HIBYTE(version);
    char *vendor;

    TRACE("version %u.%u, data %p\n", major, minor, data);
    /* A major version 0 is refused before the pointer is looked at. */
    if (!data) return major ? WSAEFAULT : WSAVERNOTSUPPORTED;

    /* The data is filled even when the version is refused; lpVendorInfo is
     * left as the caller had it (Wine's test_startup, passing on Windows). */
    vendor = data->lpVendorInfo;
    memset(data, 0, sizeof(*data));
    data->lpVendorInfo = vendor;
    if (!major || major > 2 || (major == 2 && minor > 2)) data->wVersion = MAKEWORD(2, 2);
    else if (major == 1 && minor > 1) data->wVersion = MAKEWORD(1, 1);
    else data->wVersion = version;
    data->wHighVersion = MAKEWORD(2, 2);
    strcpy(data->szDescription, "WinSock 2.0");
    strcpy(data->szSystemStatus, "Running");
    if (major == 1)
    {
        /* Winsock 1.x callers get the old limits; 2.x gets zeros. */
        data->iMaxSockets = 32767;
        data->iMaxUdpDg = 65467;
    }
    /* Windows supports 1.0 to 2.2; a major version 0 is refused. */
    if (!major) return WSAVERNOTSUPPORTED;
    InterlockedIncrement(&startup_count);
    return 0;
}

int WSAAPI WSACleanup(void)
{
    LONG count;

    TRACE("\n");
    for (;;)
    {
        count = startup_count;
        if (count <= 0) return ws2_fail(WSANOTINITIALISED);
        if (InterlockedCompareExchange(&startup_count, count - 1, count) == count) break;
    }
    if (count == 1)
    {
        /* The last cleanup closes every socket of the process. */
        sock_teardown_all(0);
        if (ws2_server_known()) ws2_call_cleanup(0, NULL, NULL);
    }
    /* A successful cleanup clears the error (Wine's test_startup, passing on Windows). */
    SetLastError(0);
    return 0;
}

int WSAAPI WSAGetLastError(void)
{
    return GetLastError();
}

void WSAAPI WSASetLastError(int error)
{
    SetLastError(error);
}
