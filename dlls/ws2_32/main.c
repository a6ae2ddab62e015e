/*
 * DLL entry point.
 */
#include "private.h"
#include "notify.h"
#include "overlapped.h"
#include "pipes.h"
#include "sock.h"
#include "startup.h"
#include "sys.h"
#include "usermem.h"

/* Why the DLL cannot work here, told where the user sees it: the Unix
 * stderr (through Wine's console handle) and the debugger. */
static void report_unavailable(const char *why)
{
    HANDLE err = GetStdHandle(STD_ERROR_HANDLE);
    DWORD written;

    OutputDebugStringA(why);
    if (err && err != INVALID_HANDLE_VALUE)
    {
        WriteFile(err, why, lstrlenA(why), &written, NULL);
        WriteFile(err, "\n", 1, &written, NULL);
    }
}

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, void *reserved);

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, void *reserved)
{
    (void)instance;
    switch (reason)
    {
    case DLL_PROCESS_ATTACH:
    {
        const char *why = sys_unavailable();

        if (why)
        {
            report_unavailable(why);
            return FALSE;
        }
        user_memory_init();
        ws2_startup_init();
        notify_init();
        overlapped_init();
        pipes_init();
        break;
    }
    case DLL_THREAD_DETACH:
        ws2_thread_detach();
        break;
    case DLL_PROCESS_DETACH:
        /* At process exit (`reserved` set) the other threads are gone, maybe
         * holding our locks, and the system closes every fd: nothing to do.
         * Unloaded by FreeLibrary: every socket ends as in WSACleanup. */
        if (reserved) break;
        sock_teardown_all(0);
        ws2_thread_detach();
        user_memory_exit();
        break;
    }
    return TRUE;
}
