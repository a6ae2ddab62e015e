/* Linux errno -> Winsock error code, from the table shared with the DLL. */
#include <errno.h>
#include "ws.h"
#include "errors.h"

int errno_to_wsa(int err)
{
    switch (err)
    {
#define WS2_ERRNO(e, wsa) \
    case e:               \
        return wsa;
#include "ws2errno.h"
#undef WS2_ERRNO
    default: return WSAEINVAL;
    }
}
