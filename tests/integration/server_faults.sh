#!/bin/bash
# A server that stops answering or dies under a running program
# (tests/integration/lostserver.exe, see its comment):
#
#   stopped (SIGSTOP)  every call that needs the server fails with
#                      WSAENETDOWN within about 10 s, none hangs (an
#                      option call does not need it);
#   killed (SIGKILL)   a recv blocked on one of its sockets and every call
#                      on them fail with WSAENETDOWN, at once and from then
#                      on; a new socket works (a new server is started).

# make runs this with $(SHELL), which may be dash: it needs bash.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi

. "$(dirname "$0")/lib.sh"

PROG=$top_builddir/tests/integration/lostserver.exe
t_need_wine
t_need_built "$WS2RUN" "$OUR_DLL" "$WS2SERVER_BIN" "$PROG"

t_setup server_faults
t_prefix "$T_TMP/prefix" || exit 99
t_prefix_stop=ws2server
export WS2SERVER=$WS2SERVER_BIN

# The value of KEY=VALUE on the line of call NAME in $T_TMP/MODE.txt.
field() { sed -n "s/^$2 .*$3=\([-0-9]*\).*/\1/p" "$T_TMP/$1.txt" | head -n 1; }

# run_case MODE SIGNAL SECS: a server of our own, the program ready, the
# signal, go; the blocked recv is given SECS s to return.
run_case()
{
    local mode=$1 sig=$2 secs=$3 srv
    rm -rf "$T_TMP/$mode.dir"
    mkdir -p "$T_TMP/$mode.dir"
    "$WS2SERVER_BIN" -f -p --prefix "$WINEPREFIX" 2>"$T_TMP/$mode.server" &
    srv=$!
    t_track "$srv"
    t_start_bg "$mode" "$WS2RUN" "$PROG" "Z:$(echo "$T_TMP/$mode.dir" | tr / '\\')" "$secs"
    if ! t_wait_ready "$BG_PID" "$T_TMP/$mode.out" 60; then
        echo "$mode: the program did not get ready"
        cat "$T_TMP/$mode.out" "$T_TMP/$mode.err"
        exit 99
    fi
    kill "-$sig" "$srv"
    touch "$T_TMP/$mode.dir/go"
    t_wait_bg "$mode" "$BG_PID" 120
    t_check "$mode: exit status" 0 "$T_RC"
    cat "$T_TMP/$mode.txt"
    kill -CONT "$srv" 2>/dev/null
    kill -KILL "$srv" 2>/dev/null
    wait "$srv" 2>/dev/null
}

run_case stopped STOP 0
t_check "stopped: socket fails with WSAENETDOWN" 10050 "$(field stopped socket error)"
t_check_range "stopped: socket gives up after about 10 s (ms)" 5000 40000 "$(field stopped socket ms)"
# An option is read in the process, from the socket's slot of the shared
# region: a stopped server (alive, its memory there) is not asked.
for call in getsockopt again; do
    t_check "stopped: $call needs no server and succeeds" 0 "$(field stopped $call error)"
    t_check_range "stopped: $call at once (ms)" 0 3000 "$(field stopped $call ms)"
done

run_case killed KILL 10
t_check "killed: the blocked recv fails with WSAENETDOWN" 10050 "$(field killed recv error)"
t_check_range "killed: ... at once (ms after the kill, about)" -5000 3000 "$(field killed recv ms)"
t_check "killed: getsockopt on its socket fails with WSAENETDOWN" 10050 "$(field killed getsockopt error)"
t_check_range "killed: ... at once (ms)" 0 3000 "$(field killed getsockopt ms)"
t_check "killed: a new socket works (a new server)" 0 "$(field killed socket ret)"
t_check "killed: the old socket still fails with WSAENETDOWN" 10050 "$(field killed again error)"

t_done
