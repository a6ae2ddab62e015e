/*
 * The channel to ws2server: one AF_UNIX SOCK_SEQPACKET connection per
 * thread, made on first use (and a few more for calls made from APCs while
 * the first one waits for a reply).  The server of a prefix listens in
 * /tmp/.ws2server-UID/server-DEV-INO/socket, where DEV and INO identify the
 * prefix directory (found from the Unix path of C:).  When nobody answers
 * there, the first thread to notice starts the server (WS2SERVER, or
 * `ws2server` next to this DLL) and everyone retries for a bounded time.
 */
#include <stdio.h>
#include <string.h>
#include "private.h"
#include "channel.h"
#include "sock.h"
#include "startup.h"
#include "sys.h"
#include "ws2path.h"

/* How long a call waits for a server to appear before WSAENETDOWN. */
#define CONNECT_TIMEOUT_MS 10000
/* How long a request that does not wait for the network waits for its
 * reply: a server that is stopped (SIGSTOP, a debugger) or hangs must not
 * hang the program.  Lookups and closesocket wait as long as they take. */
#define REPLY_TIMEOUT_MS 10000
/*
 * How often an alertable wait looks for APCs to run: every 10 ms at first,
 * then less often the longer nothing happens, up to every 100 ms.  Each
 * look is a wineserver call; at a steady 10 ms a thread blocked with
 * nothing to do cost 17 ms of CPU a second (measured: 105 against 20 ms
 * over 5 s of a blocked recv).
 */
#define APC_SLICE_MS     10
#define APC_SLICE_MAX_MS 100

static SRWLOCK channel_lock = SRWLOCK_INIT;

static char prefix_dir[1024]; /* Unix path of the prefix */
static char server_path[SYS_LOCAL_PATH_SIZE];
static int have_addr;
static uint32_t server_pid; /* the server we talk to */
static volatile LONG generation = 1;

uint32_t ws2_server_generation(void)
{
    return generation;
}

int ws2_server_known(void)
{
    return server_pid != 0;
}

static const char *unix_path(const WCHAR *dos_path)
{
    static char *(CDECL * get_unix_file_name)(const WCHAR *);

    if (!get_unix_file_name)
        get_unix_file_name = (void *)GetProcAddress(GetModuleHandleA("kernel32"), "wine_get_unix_file_name");
    return get_unix_file_name ? get_unix_file_name(dos_path) : NULL;
}

/* Work out the prefix and the server's socket path, once.  Under lock. */
static int find_server_addr(void)
{
    const char *c_drive;
    struct sys_file_id id;
    char path[1100];
    int n;

    if (have_addr) return 0;
    /* C: is a link to PREFIX/drive_c, so C:/.. is the prefix itself. */
    if (!(c_drive = unix_path(L"C:\\")))
    {
        ERR("cannot find the Unix path of C: (not running under Wine?)\n");
        return -1;
    }
    n = snprintf(path, sizeof(path), "%s%s..", c_drive, c_drive[strlen(c_drive) - 1] == '/' ? "" : "/");
    HeapFree(GetProcessHeap(), 0, (void *)c_drive);
    if (n < 0 || n >= (int)sizeof(prefix_dir)) return -1;
    strcpy(prefix_dir, path);
    if (sys_file_id(prefix_dir, &id)) return -1;
    if (ws2_server_socket(server_path, sizeof(server_path), sys_user_id(), id.device, id.inode) < 0) return -1;
    have_addr = 1;
    TRACE("prefix %s, server socket %s\n", prefix_dir, server_path);
    return 0;
}

/* The server binary: $WS2SERVER, else ws2server beside this DLL. */
static int find_server_binary(char *out, size_t len)
{
    WCHAR module[MAX_PATH];
    const char *dll;
    char *slash;
    DWORD n = GetEnvironmentVariableA(WS2_SERVER_ENV, out, len);
    HMODULE self;

    if (n && n < len) return 0;
    if (!GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                            (const WCHAR *)find_server_binary, &self))
        return -1;
    if (!GetModuleFileNameW(self, module, MAX_PATH) || !(dll = unix_path(module))) return -1;
    if (strlen(dll) + 16 > len) return -1;
    strcpy(out, dll);
    HeapFree(GetProcessHeap(), 0, (void *)dll);
    if (!(slash = strrchr(out, '/'))) return -1;
    strcpy(slash + 1, "ws2server");
    return 0;
}

/* Start the server and wait until it listens (it detaches when ready).
 * -1 when there is no server to start. */
static int start_server(void)
{
    /* WINAPI as Wine declares it (winternl.h): on i386 it pops its arguments,
     * and a CDECL call left the stack 8 bytes off (the 32-bit DLL crashed
     * returning from the first call that started the server). */
    static LONG(WINAPI * spawnvp)(char *const argv[], int wait);
    char binary[1024], debug[8] = "";
    char *argv[5];
    struct sys_file_id id;
    LONG status;
    int argc = 0;

    if (!spawnvp) spawnvp = (void *)GetProcAddress(GetModuleHandleA("ntdll"), "__wine_unix_spawnvp");
    if (!spawnvp || find_server_binary(binary, sizeof(binary)) < 0)
    {
        ERR("cannot start the socket server\n");
        return -1;
    }
    if (sys_file_id(binary, &id))
    {
        ERR("no socket server at %s\n", binary);
        return -1;
    }
    argv[argc++] = binary;
    argv[argc++] = (char *)"--prefix";
    argv[argc++] = prefix_dir;
    if (GetEnvironmentVariableA("WS2SERVER_DEBUG", debug, sizeof(debug)) && debug[0] == '1')
        argv[argc++] = (char *)"-d";
    argv[argc] = NULL;
    TRACE("starting %s\n", binary);
    if ((status = spawnvp(argv, TRUE))) ERR("starting %s failed: %#lx\n", binary, status);
    return 0;
}

/* What the request list says about each op, for the header and the call. */
static const struct
{
    uint32_t fixed;      /* size of the request without its tail */
    uint32_t reply_size; /* of the largest reply */
    int flags;           /* WS2_REQ_* */
}
/* clang-format off */
formats[WS2_OP_COUNT] =
{
#define X(OP, name, request, reply, flags, shape, check, dump) \
    [WS2_OP_##OP] = { WS2_REQ_FIXED_SIZE(shape, request), sizeof(struct ws2_##reply), WS2_REQ_FLAGS(flags) },
    WS2_REQUESTS(X)
#undef X
};
/* clang-format on */

/* Fill in a request's header; returns the message size. */
static uint32_t request_header(uint32_t op, uint32_t handle, void *req, uint32_t tail_len)
{
    struct ws2_req_header *hdr = req;

    hdr->op = op;
    hdr->size = formats[op].fixed + tail_len;
    hdr->handle = handle;
    hdr->flags = 0;
    return hdr->size;
}

int ws2_poll_alertable(struct wait_fd *fds, unsigned int count, int timeout_ms)
{
    DWORD start = GetTickCount();
    int ret, next = APC_SLICE_MS;

    for (;;)
    {
        int slice = next;

        if (timeout_ms >= 0)
        {
            DWORD spent = GetTickCount() - start;

            if (spent >= (DWORD)timeout_ms) slice = 0;
            else if ((DWORD)timeout_ms - spent < (DWORD)slice) slice = timeout_ms - spent;
        }
        ret = sys_poll(fds, count, slice);
        if (ret || !slice) return ret;
        SleepEx(0, TRUE);
        if (next < APC_SLICE_MAX_MS) next = next * 2 > APC_SLICE_MAX_MS ? APC_SLICE_MAX_MS : next * 2;
    }
}

/*
 * Windows' blocking closesocket waits alertably: APCs queued to the thread
 * run during the wait (a Winsock call they make goes out on a nested
 * connection, see ws2_server_call).  0 when the reply is there, or a
 * Winsock error.
 */
static int wait_alertable(int fd)
{
    struct wait_fd pfd = { fd, WAIT_READ, 0 };
    int ret = ws2_poll_alertable(&pfd, 1, -1);

    return ret < 0 ? -ret : 0;
}

/* Receive one reply; an fd passed with it goes to *fd.  0 or a Winsock error. */
static int recv_reply(int fd, void *buf, uint32_t size, int *fd_out, int64_t *len)
{
    int64_t ret = sys_recv_with_fd(fd, buf, size, fd_out);

    *len = ret < 0 ? 0 : ret;
    return ret < 0 ? (int)-ret : 0;
}

/* Whether something arrives on `fd` within `ms`. */
static int answered_within(int fd, int ms)
{
    struct wait_fd pfd = { fd, WAIT_READ, 0 };

    return sys_poll(&pfd, 1, ms) != 0;
}

/* Connect and say HELLO; -1 if nobody answers within `ms`. */
static int try_connect(uint32_t *pid, int ms)
{
    struct ws2_hello_request req;
    struct ws2_hello_reply rep;
    struct sys_iov iov = { &req, sizeof(req) };
    int64_t fd, len;

    if ((fd = sys_connect_local(server_path)) < 0) return -1;
    request_header(WS2_OP_HELLO, 0, &req, 0);
    req.version = WS2_PROTOCOL_VERSION;
    req.win_pid = GetCurrentProcessId();
    if (sys_send_all(fd, &iov, 1) || !answered_within(fd, ms) || recv_reply(fd, &rep, sizeof(rep), NULL, &len))
        goto fail;
    if (len != sizeof(rep) || rep.hdr.status)
    {
        ERR("the socket server refused us (status %u, version %u)\n", rep.hdr.status, rep.version);
        goto fail;
    }
    *pid = rep.server_pid;
    /* A reply is awaited with a blocking receive that gives up after this
     * (call_at_depth): no poll before each one. */
    sys_set_recv_timeout(fd, REPLY_TIMEOUT_MS);
    return fd;
fail:
    sys_close(fd);
    return -1;
}

static DWORD WINAPI teardown_stale_thread(void *arg)
{
    (void)arg;
    sock_orphan_stale();
    return 0;
}

/*
 * The sockets of the server that went away are unusable already (their
 * generation is old); release them on a thread of their own: the caller
 * may be the notifier or the I/O thread, in the middle of a registration
 * or an operation that the teardown would free under it.
 */
static void teardown_stale(void)
{
    HANDLE thread = CreateThread(NULL, 0, teardown_stale_thread, NULL, 0, NULL);

    if (thread) CloseHandle(thread);
    else ERR("cannot release the sockets of the old server\n");
}

/* This thread's connection for requests at nesting `depth`, made on first use. */
static int thread_connection(struct ws2_thread *t, unsigned int depth)
{
    DWORD start = GetTickCount();
    uint32_t pid;
    int fd, started = 0, changed = 0;

    if (t->server_fds[depth] >= 0) return t->server_fds[depth];
    AcquireSRWLockExclusive(&channel_lock);
    if (find_server_addr() < 0)
    {
        ReleaseSRWLockExclusive(&channel_lock);
        return -1;
    }
    for (;;)
    {
        DWORD spent = GetTickCount() - start;

        if ((fd = try_connect(&pid, spent < CONNECT_TIMEOUT_MS ? CONNECT_TIMEOUT_MS - spent : 1)) >= 0) break;
        if (!started)
        {
            /* Nothing to start: fail now rather than wait for nobody. */
            if (start_server() < 0) break;
            started = 1;
            continue;
        }
        if (GetTickCount() - start > CONNECT_TIMEOUT_MS) break;
        Sleep(50);
        /* A server that was exiting when we started ours: try again. */
        if (GetTickCount() - start > CONNECT_TIMEOUT_MS / 2 && started == 1)
        {
            start_server();
            started = 2;
        }
    }
    if (fd >= 0)
    {
        /* A different server than before: our old handles mean nothing there. */
        if (server_pid && pid != server_pid)
        {
            InterlockedIncrement(&generation);
            changed = 1;
        }
        server_pid = pid;
    }
    ReleaseSRWLockExclusive(&channel_lock);
    if (changed) teardown_stale();
    if (fd < 0)
    {
        ERR("cannot reach the socket server at %s\n", server_path);
        return -1;
    }
    t->server_fds[depth] = fd;
    return fd;
}

static void close_connection(struct ws2_thread *t, unsigned int depth)
{
    if (t->server_fds[depth] >= 0) sys_close(t->server_fds[depth]);
    t->server_fds[depth] = -1;
}

/*
 * A connection failed.  Either the server dropped just this connection, or
 * the server itself is gone (killed, crashed) and the handles of all our
 * sockets with it: then they are released here, and their fd copies, the
 * last references to the connections, close.  A fresh connection, if one
 * is made, takes the failed one's place.
 */
static void connection_lost(struct ws2_thread *t, unsigned int depth)
{
    uint32_t pid = 0;
    int fd, lost;

    close_connection(t, depth);
    AcquireSRWLockExclusive(&channel_lock);
    fd = have_addr ? try_connect(&pid, CONNECT_TIMEOUT_MS) : -1;
    if ((lost = server_pid && (fd < 0 || pid != server_pid)))
    {
        InterlockedIncrement(&generation);
        server_pid = fd >= 0 ? pid : 0;
    }
    ReleaseSRWLockExclusive(&channel_lock);
    if (lost)
    {
        WARN("the socket server went away\n");
        teardown_stale();
    }
    t->server_fds[depth] = fd;
}

/*
 * The watch: one idle connection per process, on which the server never
 * answers anything.  It becomes readable only when the server is gone, so
 * a call waiting on a socket (recv, accept, select) polls it too and
 * notices a dead server at once.
 */
static int watch_fd = -1;

int ws2_server_watch(void)
{
    uint32_t pid;
    int fd;

    if (watch_fd >= 0 || !have_addr || !server_pid) return watch_fd;
    AcquireSRWLockExclusive(&channel_lock);
    if (watch_fd < 0 && server_pid && (fd = try_connect(&pid, 1000)) >= 0)
    {
        if (pid == server_pid) watch_fd = fd;
        else sys_close(fd);
    }
    ReleaseSRWLockExclusive(&channel_lock);
    return watch_fd;
}

void ws2_server_watch_fired(void)
{
    uint32_t pid = 0;
    int fd, lost = 0;

    AcquireSRWLockExclusive(&channel_lock);
    if (watch_fd >= 0)
    {
        sys_close(watch_fd);
        watch_fd = -1;
        /* Gone, or another server in its place: our handles are void. */
        fd = try_connect(&pid, 1000);
        if ((lost = server_pid && (fd < 0 || pid != server_pid)))
        {
            InterlockedIncrement(&generation);
            server_pid = fd >= 0 ? pid : 0;
        }
        if (fd >= 0) sys_close(fd);
    }
    ReleaseSRWLockExclusive(&channel_lock);
    if (lost)
    {
        WARN("the socket server went away\n");
        teardown_stale();
    }
}

void ws2_channel_init_thread(struct ws2_thread *t)
{
    unsigned int i;

    for (i = 0; i < WS2_MAX_NESTING; i++) t->server_fds[i] = -1;
    t->depth = 0;
}

void ws2_channel_close_thread(struct ws2_thread *t)
{
    unsigned int i;

    for (i = 0; i < WS2_MAX_NESTING; i++) close_connection(t, i);
}

/* One request and its reply on the connection of nesting level `depth`. */
static int call_at_depth(struct ws2_thread *t, unsigned int depth, struct ws2_call *call)
{
    struct sys_iov iov[2];
    struct ws2_reply_header hdr;
    int fd, err, retried = 0;
    int64_t len;

    iov[0].base = (void *)call->req;
    iov[0].len = call->req_size;
    iov[1].base = (void *)call->user_data;
    iov[1].len = call->user_len;
again:
    if ((fd = thread_connection(t, depth)) < 0) return WSAENETDOWN;
    /* The program's buffer goes straight into the iovec: a bad pointer
     * makes the kernel answer EFAULT, and nothing is sent. */
    if (call->oneway) ((struct ws2_req_header *)call->req)->flags = WS2_REQ_ONEWAY;
    if ((err = sys_send_all_fd(fd, iov, call->user_len ? 2 : 1, call->pass_fd ? *call->pass_fd : -1)))
    {
        if (err == WSAEFAULT) return WSAEFAULT;
        connection_lost(t, depth);
        /* The server may have been exiting, idle, when this thread
         * connected: one fresh try, for requests that name no socket. */
        if (!retried++ && !((const struct ws2_req_header *)call->req)->handle) goto again;
        return WSAENETDOWN;
    }
    if (call->oneway) return 0;
    if (!(call->alertable && (err = wait_alertable(fd))))
        /* The receive times out after REPLY_TIMEOUT_MS (try_connect). */
        while ((err = recv_reply(fd, call->reply, call->reply_size, call->fd, &len)) == WSAEWOULDBLOCK)
            if (!call->patient)
            {
                /* A late reply would answer the next request: this connection is done. */
                ERR("the socket server did not answer within %d s\n", REPLY_TIMEOUT_MS / 1000);
                close_connection(t, depth);
                return WSAENETDOWN;
            }
    if (err)
    {
        connection_lost(t, depth);
        return WSAENETDOWN;
    }
    memcpy(&hdr, call->reply, sizeof(hdr));
    if (len < (int64_t)sizeof(hdr) || hdr.size != len)
    {
        ERR("malformed reply from the socket server\n");
        connection_lost(t, depth);
        return WSAENETDOWN;
    }
    if (call->state) *call->state = hdr.sock;
    return hdr.status;
}

/*
 * A connection carries one request at a time, and the server refuses a
 * second one while the first waits for its reply.  A call made from an APC
 * while this thread waits alertably for a reply (a lingering closesocket)
 * therefore goes out on a connection one level deeper, made on demand and
 * kept for the next time.
 */
int ws2_server_call(struct ws2_call *call)
{
    struct ws2_thread *t = ws2_thread_data();
    unsigned int depth;
    int status;

    if (call->fd) *call->fd = -1;
    if (!t) return WSAENOBUFS;
    if ((depth = t->depth) >= WS2_MAX_NESTING)
    {
        ERR("calls nested %u deep in APCs\n", depth);
        return WSAENOBUFS;
    }
    t->depth = depth + 1;
    status = call_at_depth(t, depth, call);
    t->depth = depth;
    return status;
}

int ws2_server_subscribe(void)
{
    struct ws2_req_header req;
    struct ws2_reply_header rep;
    struct sys_iov iov = { &req, sizeof(req) };
    uint32_t pid;
    int64_t len;
    int fd;

    request_header(WS2_OP_SUBSCRIBE, 0, &req, 0);
    /* Only after this process has talked to the server (the address is known). */
    if (!have_addr || (fd = try_connect(&pid, CONNECT_TIMEOUT_MS)) < 0) return -1;
    if (pid != server_pid || sys_send_all(fd, &iov, 1) || recv_reply(fd, &rep, sizeof(rep), NULL, &len) ||
        len != sizeof(rep) || rep.status)
    {
        sys_close(fd);
        return -1;
    }
    return fd;
}

/* ws2_request(), and the reply's socket state into `state` (when one came). */
static int request_state(uint32_t op, uint32_t handle, void *req, uint32_t tail_len, void *reply,
                         const struct ws2_call_extra *extra, struct ws2_sock_state *state)
{
    struct ws2_req_header bare;
    uint8_t discard[WS2_MAX_MESSAGE];
    struct ws2_call call;

    if (op >= WS2_OP_COUNT || !formats[op].fixed) return WSAEINVAL;
    if (!req)
    {
        if (formats[op].fixed != sizeof(bare)) return WSAEINVAL;
        req = &bare;
    }
    call.req = req;
    call.req_size = request_header(op, handle, req, tail_len);
    call.user_data = extra ? extra->user_data : NULL;
    call.user_len = 0;
    if (call.user_data)
    {
        /* The tail comes from the program's memory, not from the request. */
        call.req_size -= tail_len;
        call.user_len = tail_len;
    }
    call.reply = reply ? reply : discard;
    call.reply_size = reply ? formats[op].reply_size : sizeof(discard);
    call.fd = extra ? extra->fd : NULL;
    call.alertable = !!(formats[op].flags & WS2_REQ_ALERTABLE);
    call.patient = !!(formats[op].flags & (WS2_REQ_ALERTABLE | WS2_REQ_SLOW));
    call.state = state;
    call.oneway = 0;
    call.pass_fd = NULL;
    return ws2_server_call(&call);
}

int ws2_request(uint32_t op, uint32_t handle, void *req, uint32_t tail_len, void *reply,
                const struct ws2_call_extra *extra)
{
    return request_state(op, handle, req, tail_len, reply, extra, NULL);
}

/* The one place where a reply's socket state reaches the socket's caches. */
int ws2_sock_request(uint32_t op, struct ws2_sock *sock, void *req, uint32_t tail_len, void *reply,
                     const struct ws2_call_extra *extra)
{
    struct ws2_sock_state state = { 0 };
    int status = request_state(op, sock_handle(sock), req, tail_len, reply, extra, &state);

    sock_apply_state(sock, &state);
    return status;
}

int ws2_sock_post(uint32_t op, struct ws2_sock *sock)
{
    struct ws2_req_header req;
    struct ws2_call call;

    if (op >= WS2_OP_COUNT || formats[op].fixed != sizeof(req)) return WSAEINVAL;
    memset(&call, 0, sizeof(call));
    call.req = &req;
    call.req_size = request_header(op, sock_handle(sock), &req, 0);
    call.oneway = 1;
    return ws2_server_call(&call);
}

int ws2_post_fd(uint32_t op, uint32_t handle, void *req, int fd)
{
    struct ws2_call call;

    if (op >= WS2_OP_COUNT || !formats[op].fixed) return WSAEINVAL;
    memset(&call, 0, sizeof(call));
    call.req = req;
    call.req_size = request_header(op, handle, req, 0);
    call.oneway = 1;
    call.pass_fd = &fd;
    return ws2_server_call(&call);
}
