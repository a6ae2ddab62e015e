/*
 * DLL entry point.
 */
#include "private.h"
#include "notify.h"
#include "overlapped.h"
#include "pipes.h"
#include "sock.h"
#include "startup.h"

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, void *reserved);

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, void *reserved)
{
    (void)instance;
    switch (reason)
    {
    case DLL_PROCESS_ATTACH:
        ws2_startup_init();
        notify_init();
        overlapped_init();
        pipes_init();
        break;
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
        break;
    }
    return TRUE;
}
