#!/bin/bash
# A real, unmodified third-party Windows program on our ws2_32.dll:
# gdbserver.exe (Debian's gdb-mingw-w64-target, /usr/share/win64), a MinGW
# build of GDB's remote server.  Its socket code is plain Winsock: getaddrinfo
# for the listening address, socket/setsockopt/bind/listen, getsockname and
# getnameinfo to print the port, a blocking accept, then select, recv and send
# for the remote protocol, and closesocket.
#
# gdbserver.exe runs under Wine with our DLL (tools/ws2-run), listening on an
# ephemeral loopback port (127.0.0.1:0; it prints the port it got), and
# starts tests/integration/debugee.exe under the Win32 debug API.  Linux's
# own gdb connects (target remote) and
#   - sets a breakpoint in debugee_breakpoint_here and continues: hit;
#   - prints a backtrace: debugee_breakpoint_here <- debugee_middle <-
#     debugee_outer <- main;
#   - continues to the end: the program exits with code 7 (gdb: "exited with
#     code 07").
# The socket server runs in the foreground with -d, so its log shows that the
# requests (getaddrinfo, socket, bind, listen, accept...) came to it from
# gdbserver, and ws2server --stats counts gdbserver's listening socket.
#
# A second run, `gdbserver.exe --multi :0`, listens on every address
# (0.0.0.0) and prints its port with getnameinfo and no host buffer: that
# must not need a reverse lookup of 0.0.0.0 (there is no DNS in the test's
# network), and gdb attaches with `target extended-remote` and ends the
# server with `monitor exit`.
#
# Then the same scenario runs with Wine's built-in ws2_32 (--builtin), for
# comparison only: its outcome is reported ("info" lines), not asserted.
#
# Skipped (77) when gdbserver.exe (package gdb-mingw-w64-target) or gdb is
# missing, or when this gdb cannot read a PE executable.
# Environment: GDBSERVER_EXE, GDB (default: /usr/share/win64/gdbserver.exe,
# gdb on PATH); GDBSERVER_TEST_BUILTIN=0 skips the comparison run.

# make runs this with $(SHELL), which may be dash: it needs bash.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi

. "$(dirname "$0")/lib.sh"

GDBSERVER_EXE=${GDBSERVER_EXE:-/usr/share/win64/gdbserver.exe}
GDB=${GDB:-$(command -v gdb 2>/dev/null)}
DEBUGEE=$top_builddir/tests/integration/debugee.exe

t_need_wine
[ -f "$GDBSERVER_EXE" ] || t_skip "no $GDBSERVER_EXE (Debian package gdb-mingw-w64-target)"
if [ -z "$GDB" ] || [ ! -x "$GDB" ]; then t_skip "no gdb"; fi
t_need_built "$WS2RUN" "$OUR_DLL" "$WS2SERVER_BIN" "$DEBUGEE"
if "$GDB" -batch -nx -ex "file $DEBUGEE" 2>&1 | grep -q "not in executable format"; then
    t_skip "$GDB cannot read PE executables"
fi

t_setup gdbserver
t_prefix "$T_TMP/prefix" || exit 99
echo "prefix $WINEPREFIX"

# The debuggee, at a path without spaces, as gdbserver (CreateProcess) sees it.
cp "$DEBUGEE" "$T_TMP/debugee.exe" || exit 99
debugee_unix=$T_TMP/debugee.exe
DEBUGEE_WIN="Z:${debugee_unix//\//\\}"

# Our socket server, in the foreground with its request log; the DLL finds it.
"$WS2SERVER_BIN" -p -f -d --prefix "$WINEPREFIX" 2>"$T_TMP/ws2server.log" &
t_track $!
n=0
until "$WS2SERVER_BIN" -s --prefix "$WINEPREFIX" >/dev/null 2>&1; do
    n=$((n + 1))
    if [ $n -ge 100 ]; then
        echo "ws2server did not start:"
        cat "$T_TMP/ws2server.log"
        exit 99
    fi
    sleep 0.1
done

# run_scenario NAME [--builtin]: gdbserver.exe + gdb; results in $T_TMP/NAME.*
# and GS_RC (gdbserver's exit status), GDB_RC, STATS (ws2server --stats while
# gdbserver listened).
run_scenario()
{
    local name=$1 out=$T_TMP/$1 port='' n=0 pid
    shift
    STATS=
    # +winsock: one line per Winsock call of gdbserver (ours: in the DLL).
    WINEDEBUG=-all,+winsock timeout -k 5 75 "$WS2RUN" "$@" "$GDBSERVER_EXE" 127.0.0.1:0 "$DEBUGEE_WIN" \
        </dev/null >"$out.gs.out" 2>"$out.gs.err" &
    pid=$!
    t_track "$pid"
    while [ $n -lt 450 ] && kill -0 "$pid" 2>/dev/null; do
        port=$(sed -n 's/^Listening on port \([0-9][0-9]*\).*/\1/p' "$out.gs.err" | head -n 1)
        [ -n "$port" ] && break
        sleep 0.1
        n=$((n + 1))
    done
    if [ -z "$port" ]; then
        echo "--- $name: gdbserver.exe did not listen; its stderr:"
        tail -n 60 "$out.gs.err"
        t_wait_pid "$pid" 1
        GS_RC=$T_RC GDB_RC=none
        return 1
    fi
    echo "$name: gdbserver.exe listens on 127.0.0.1:$port"
    STATS=$("$WS2SERVER_BIN" -s --prefix "$WINEPREFIX" 2>/dev/null)

    timeout -k 5 45 "$GDB" -batch -nx \
        -ex 'set pagination off' -ex 'set confirm off' -ex 'set remotetimeout 30' \
        -ex "file $T_TMP/debugee.exe" \
        -ex "target remote 127.0.0.1:$port" \
        -ex 'break debugee_breakpoint_here' \
        -ex continue \
        -ex bt \
        -ex continue \
        </dev/null >"$out.gdb" 2>&1
    GDB_RC=$?
    t_wait_pid "$pid" 20
    GS_RC=$T_RC
    tr -d '\r' <"$out.gs.out" >"$out.gs.txt"
    return 0
}

show_scenario()
{
    local out=$T_TMP/$1
    echo "--- $1: gdb (exit $GDB_RC):"
    grep -v -E '^(warning: Could not load shared library symbols|Use the "info sharedlibrary"|Do you need "set solib)' \
        "$out.gdb" 2>/dev/null | head -n 40
    echo "--- $1: gdbserver.exe (exit $GS_RC) stdout:"
    cat "$out.gs.txt" 2>/dev/null
    echo "--- $1: gdbserver.exe stderr (without the trace lines):"
    grep -v -E '^[0-9a-f]{4}:(trace|warn|fixme|err):' "$out.gs.err" | tr -d '\r' | head -n 20
}

# gdb_has NAME REGEX: does NAME's gdb output have a line matching REGEX?
gdb_has()
{
    grep -q -E "$2" "$T_TMP/$1.gdb" 2>/dev/null && echo yes || echo no
}

# ------------------------------------------------------------ our DLL
run_scenario ours
show_scenario ours
echo "--- ws2server --stats while gdbserver listened: $STATS"
echo "--- ws2server log (requests):"
grep -v -E ': (hello|server_stats) ' "$T_TMP/ws2server.log" | head -n 40
echo "---"

t_check "ours: gdb exit status" 0 "$GDB_RC"
t_check "ours: gdbserver.exe exit status" 0 "$GS_RC"
t_check "ours: gdbserver accepted gdb's connection" yes \
    "$(grep -q 'Remote debugging from host 127.0.0.1' "$T_TMP/ours.gs.err" && echo yes || echo no)"
t_check "ours: breakpoint hit in debugee_breakpoint_here" yes \
    "$(gdb_has ours '^Breakpoint 1, debugee_breakpoint_here \(value=11\)')"
t_check "ours: backtrace #0 debugee_breakpoint_here" yes "$(gdb_has ours '^#0 +debugee_breakpoint_here ')"
t_check "ours: backtrace #1 debugee_middle" yes "$(gdb_has ours '^#1 +0x[0-9a-f]+ in debugee_middle ')"
t_check "ours: backtrace #2 debugee_outer" yes "$(gdb_has ours '^#2 +0x[0-9a-f]+ in debugee_outer ')"
t_check "ours: backtrace #3 main" yes "$(gdb_has ours '^#3 +0x[0-9a-f]+ in main ')"
t_check "ours: the program ran to its end (exit code 7)" yes "$(gdb_has ours 'exited with code 07')"
t_check "ours: the debuggee's own output" "debugee: result=24 counter=11" \
    "$(grep -m1 '^debugee:' "$T_TMP/ours.gs.txt" 2>/dev/null)"
t_check_match "ours: gdbserver's listening socket is in ws2server" '(^| )sockets=[1-9]' "$STATS"
for req in getaddrinfo socket bind listen getsockname getnameinfo accept; do
    t_check "ours: ws2server served gdbserver's $req" yes \
        "$(grep -q -E "^ws2server: [0-9]+: $req( .*)? -> 0( |\$)" "$T_TMP/ws2server.log" && echo yes || echo no)"
done

# ------------------------------------- our DLL: --multi on every address
WINEDEBUG=-all timeout -k 5 60 "$WS2RUN" "$GDBSERVER_EXE" --multi :0 </dev/null >"$T_TMP/multi.out" 2>&1 &
multi_pid=$!
t_track "$multi_pid"
port='' n=0
while [ $n -lt 450 ] && kill -0 "$multi_pid" 2>/dev/null; do
    port=$(tr -d '\r' <"$T_TMP/multi.out" | sed -n 's/^Listening on port \([0-9][0-9]*\).*/\1/p' | head -n 1)
    [ -n "$port" ] && break
    sleep 0.1
    n=$((n + 1))
done
echo "--- multi: gdbserver.exe --multi :0 listens on port '$port'"
if [ -n "$port" ]; then
    timeout -k 5 30 "$GDB" -batch -nx -ex 'set confirm off' -ex "target extended-remote 127.0.0.1:$port" \
        -ex 'monitor exit' </dev/null >"$T_TMP/multi.gdb" 2>&1
fi
t_wait_pid "$multi_pid" 20
echo "--- multi: gdbserver.exe (exit $T_RC):"
tr -d '\r' <"$T_TMP/multi.out" | head -n 20
t_check_match "multi: gdbserver.exe --multi :0 printed its port" '^[0-9]+$' "$port"
t_check "multi: gdbserver accepted gdb's extended-remote connection" yes \
    "$(grep -q 'Remote debugging from host 127.0.0.1' "$T_TMP/multi.out" && echo yes || echo no)"
t_check "multi: gdbserver.exe ended on monitor exit" 0 "$T_RC"

# ------------------------------------------- Wine's built-in ws2_32
if [ "${GDBSERVER_TEST_BUILTIN:-1}" != 0 ]; then
    run_scenario builtin --builtin
    show_scenario builtin
    echo "---"
    echo "info  builtin: gdb exit $GDB_RC, gdbserver.exe exit $GS_RC"
    echo "info  builtin: breakpoint hit: $(gdb_has builtin '^Breakpoint 1, debugee_breakpoint_here')"
    echo "info  builtin: backtrace to main: $(gdb_has builtin '^#3 +0x[0-9a-f]+ in main ')"
    echo "info  builtin: exit code 7 seen: $(gdb_has builtin 'exited with code 07')"
fi

t_done
