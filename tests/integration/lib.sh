# shellcheck shell=bash disable=SC2034
# Shared shell helpers for tests/integration/*.sh and demo/run-demo.
#
# Source it from bash.  It reads top_srcdir, top_builddir, WINE and WINESERVER
# from the environment (make check exports them) and guesses them otherwise.
# Everything a script starts through these helpers is stopped when the script
# exits, however it exits, and its temporary directory is removed
# (keep it with WS2_KEEP_TMP=1).
#
#   t_setup NAME            temp dir in $T_TMP, exit trap
#   t_prefix [DIR]          a fresh Wine prefix (clone of the template) -> WINEPREFIX
#   t_use_prefix DIR        use an existing prefix; stop only servers we started
#   t_start_peer COUNT ARGS start tests/peer/ws2peer -> PEER_PORT PEER_PID PEER_OUT
#   t_wait_pid PID SECS     wait for a background process, bounded -> T_RC
#   t_run SECS CMD...       run a command with a time limit
#   t_kv LINE KEY           the value of KEY=VALUE in a result line
#   t_check / t_check_range / t_check_ne / t_check_match   assertions
#   t_done                  exit 0 or 1 from the assertions' outcome
#   t_skip MSG              exit 77 (automake's "skipped")

# ------------------------------------------------------------ locations

t_libdir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${top_srcdir:=$(cd "$t_libdir/../.." && pwd)}"
if [ -z "${top_builddir:-}" ]; then
    if [ -x ./tests/peer/ws2peer ] || [ -x ./server/ws2server ]; then
        top_builddir=$(pwd)
    else
        top_builddir=$top_srcdir
    fi
fi
if [ -z "${WINE:-}" ]; then
    for w in /usr/lib/wine/wine64 "$(command -v wine64 2>/dev/null)" "$(command -v wine 2>/dev/null)"; do
        if [ -n "$w" ] && [ -x "$w" ]; then WINE=$w; break; fi
    done
fi
if [ -z "${WINESERVER:-}" ]; then
    for w in /usr/lib/wine/wineserver "$(command -v wineserver 2>/dev/null)"; do
        if [ -n "$w" ] && [ -x "$w" ]; then WINESERVER=$w; break; fi
    done
fi
export top_srcdir top_builddir WINE WINESERVER
export WINEDEBUG="${WINEDEBUG:--all}"

WS2SERVER_BIN=$top_builddir/server/ws2server
WS2PEER_BIN=$top_builddir/tests/peer/ws2peer
WS2RUN=$top_builddir/tools/ws2-run
CLOSEDEMO=$top_builddir/demo/closedemo.exe
OUR_DLL=$top_builddir/dlls/ws2_32/ws2_32.dll
WINEPREFIX_TOOL=$top_srcdir/tools/wineprefix
WINEPREFIX_TEMPLATE=$top_builddir/tests/wineprefix-template

T_FAILS=0
T_CHECKS=0
T_TMP=
t_pids=()
t_exit_cmds=()
t_prefix_stop=

t_log()
{
    printf '%s\n' "$*" >&2
}

# ---------------------------------------------------------------- cleanup

# Is a wineserver running for prefix $1?  Wine keeps the name of its
# directory under /tmp in the prefix's "wineserver" file (Debian) or uses
# /tmp/.wine-UID; the socket exists only while the server runs.
t_wineserver_running()
{
    local p=$1 dir key
    key=$(stat -c '%d %i' "$p" 2>/dev/null) || return 1
    # shellcheck disable=SC2086
    key=$(printf 'server-%x-%x' $key)
    if [ -r "$p/wineserver" ]; then
        dir=/tmp/$(cat "$p/wineserver" 2>/dev/null)
    else
        dir=/tmp/.wine-$(id -u)
    fi
    [ -S "$dir/$key/socket" ]
}

t_ws2server_running()
{
    local dir pid
    [ -x "$WS2SERVER_BIN" ] || return 1
    dir=$("$WS2SERVER_BIN" -S --prefix "$1" 2>/dev/null) || return 1
    pid=$(cat "$dir/pid" 2>/dev/null) || return 1
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

# Stop the servers of prefix $1: ws2server first (it may hold lingering
# sockets), then the wineserver, which also ends Wine processes left over.
t_stop_servers()
{
    local p=$1
    [ -n "$p" ] && [ -d "$p" ] || return 0
    if [ -x "$WS2SERVER_BIN" ]; then
        timeout 10 "$WS2SERVER_BIN" -k --prefix "$p" >/dev/null 2>&1
    fi
    if [ -n "$WINESERVER" ]; then
        WINEPREFIX=$p timeout 10 "$WINESERVER" -k >/dev/null 2>&1
    fi
    return 0
}

t_cleanup()
{
    local pid cmd
    trap - EXIT INT TERM HUP
    for pid in "${t_pids[@]}"; do
        kill "$pid" 2>/dev/null
    done
    for pid in "${t_pids[@]}"; do
        for _ in 1 2 3 4 5 6 7 8 9 10; do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -9 "$pid" 2>/dev/null
    done
    t_pids=()
    case $t_prefix_stop in
        all) t_stop_servers "$WINEPREFIX" ;;
        ws2server) [ -x "$WS2SERVER_BIN" ] && timeout 10 "$WS2SERVER_BIN" -k --prefix "$WINEPREFIX" >/dev/null 2>&1 ;;
        wineserver) WINEPREFIX=$WINEPREFIX timeout 10 "$WINESERVER" -k >/dev/null 2>&1 ;;
    esac
    for cmd in "${t_exit_cmds[@]}"; do
        eval "$cmd"
    done
    t_exit_cmds=()
    if [ -n "$T_TMP" ] && [ -d "$T_TMP" ]; then
        if [ "${WS2_KEEP_TMP:-0}" = 1 ]; then
            t_log "kept $T_TMP"
        else
            rm -rf "$T_TMP"
        fi
    fi
}

t_on_signal()
{
    t_cleanup
    exit 1
}

# t_setup NAME: a private temp dir and the exit trap.
t_setup()
{
    T_TMP=$(mktemp -d "${TMPDIR:-/tmp}/ws2-${1:-test}.XXXXXX") || { t_log "mktemp failed"; exit 99; }
    trap t_cleanup EXIT
    trap t_on_signal INT TERM HUP
}

# Remember a background process to stop at exit.
t_track()
{
    t_pids+=("$1")
}

# t_at_exit CMD: run the shell command CMD at exit, after the processes and
# servers are stopped.
t_at_exit()
{
    t_exit_cmds+=("$1")
}

# At exit, remove the directory ws2server keeps for prefix $1 (for private
# prefixes only: the directory is keyed by the prefix's inode).
t_forget_server_dir()
{
    local dir
    [ -x "$WS2SERVER_BIN" ] || return 0
    dir=$("$WS2SERVER_BIN" -S --prefix "$1" 2>/dev/null) || return 0
    case $dir in
        /tmp/.ws2server-*/server-*) t_at_exit "rm -rf '$dir'" ;;
    esac
}

# --------------------------------------------------------------- processes

# t_run SECS CMD...: run CMD, killing it after SECS seconds (exit status 124).
t_run()
{
    local secs=$1
    shift
    timeout -k 5 "$secs" "$@"
}

# t_wait_pid PID SECS: wait for a background child; T_RC gets its exit
# status, or 124 if it was still running after SECS seconds (then killed).
t_wait_pid()
{
    local pid=$1 secs=$2 n=0 limit
    limit=$((secs * 10))
    while kill -0 "$pid" 2>/dev/null && [ "$n" -lt "$limit" ]; do
        sleep 0.1
        n=$((n + 1))
    done
    if kill -0 "$pid" 2>/dev/null; then
        kill "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
        T_RC=124
        return 1
    fi
    wait "$pid" 2>/dev/null
    T_RC=$?
    return 0
}

# -------------------------------------------------------------- prefixes

# A prefix nobody else uses, stopped and removed at exit.  Cloned from the
# build tree's template (made once by tools/wineprefix); if that tool is
# missing, made with wineboot (slower).
t_prefix()
{
    local dest=${1:-$T_TMP/prefix}
    [ -n "$WINE" ] || { t_log "no Wine loader found"; return 1; }
    export WINEPREFIX=$dest
    t_prefix_stop=all
    if [ -f "$WINEPREFIX_TOOL" ]; then
        # The tool makes it once; concurrent callers wait for the first.
        if [ ! -f "$WINEPREFIX_TEMPLATE/.ready" ]; then
            t_run 900 bash "$WINEPREFIX_TOOL" template "$WINEPREFIX_TEMPLATE" >&2 ||
                { t_log "cannot make the prefix template $WINEPREFIX_TEMPLATE"; return 1; }
        fi
        t_run 120 bash "$WINEPREFIX_TOOL" clone "$WINEPREFIX_TEMPLATE" "$dest" >&2 ||
            { t_log "cannot clone the prefix template into $dest"; return 1; }
    else
        t_run 180 "$WINE" wineboot -i >/dev/null 2>&1 || { t_log "wineboot failed for $dest"; return 1; }
    fi
    t_forget_server_dir "$dest"
    return 0
}

# Use a prefix that is not ours (the user's WINEPREFIX): at exit stop only
# the servers that were not running before.
t_use_prefix()
{
    export WINEPREFIX=$1
    local ws=0 w2=0
    t_wineserver_running "$1" && ws=1
    t_ws2server_running "$1" && w2=1
    if [ $ws = 0 ] && [ $w2 = 0 ]; then t_prefix_stop=all
    elif [ $ws = 0 ]; then t_prefix_stop=wineserver
    elif [ $w2 = 0 ]; then t_prefix_stop=ws2server
    else t_prefix_stop=
    fi
}

# ---------------------------------------------------------------- needs

# Skip the test (77) where there is no Wine loader.
t_need_wine()
{
    if [ -z "$WINE" ] || [ ! -x "$WINE" ]; then t_skip "no Wine loader"; fi
}

# t_need_built FILE...: stop with 99 (a hard error) when a FILE is missing.
t_need_built()
{
    local f
    for f in "$@"; do
        [ -e "$f" ] || { echo "missing $f (not built?)"; exit 99; }
    done
}

# ------------------------------------------------------------------- peer

# t_start_peer COUNT [ARGS...]: start ws2peer for COUNT connections with a
# small receive buffer (so a peer that pauses holds data unacknowledged).
# Sets PEER_PORT, PEER_PID and PEER_OUT (its result lines).
t_start_peer()
{
    local count=$1 n=0
    shift
    T_PEER_SEQ=$((${T_PEER_SEQ:-0} + 1))
    PEER_OUT=$T_TMP/peer$T_PEER_SEQ.out
    local portfile=$T_TMP/peer$T_PEER_SEQ.port
    rm -f "$portfile"
    "$WS2PEER_BIN" --port-file "$portfile" --count "$count" --rcvbuf 16384 \
        --accept-timeout 30000 --conn-timeout 15000 "$@" >"$PEER_OUT" 2>"$T_TMP/peer$T_PEER_SEQ.err" &
    PEER_PID=$!
    t_track "$PEER_PID"
    while [ ! -s "$portfile" ] && [ $n -lt 100 ] && kill -0 "$PEER_PID" 2>/dev/null; do
        sleep 0.05
        n=$((n + 1))
    done
    PEER_PORT=$(cat "$portfile" 2>/dev/null)
    if [ -z "$PEER_PORT" ]; then
        t_log "ws2peer did not start:"
        cat "$T_TMP/peer$T_PEER_SEQ.err" >&2
        return 1
    fi
    return 0
}

# t_setup_with_peer NAME COUNT: t_setup NAME, a private prefix and ws2peer
# for COUNT connections (t_start_peer); stops with 99 when one fails.
t_setup_with_peer()
{
    t_setup "$1"
    t_prefix "$T_TMP/prefix" || exit 99
    t_start_peer "$2" || exit 99
}

# t_run_to NAME SECS CMD...: t_run SECS CMD, stdin empty, its output in
# $T_TMP/NAME.out and .err, the output without CRs in $T_TMP/NAME.txt;
# returns CMD's exit status.
t_run_to()
{
    local name=$1 rc
    shift
    t_run "$@" >"$T_TMP/$name.out" 2>"$T_TMP/$name.err" </dev/null
    rc=$?
    tr -d '\r' <"$T_TMP/$name.out" >"$T_TMP/$name.txt"
    return $rc
}

# t_start_bg NAME CMD...: start CMD in the background, stdin empty, its
# output in $T_TMP/NAME.out and .err; BG_PID gets its pid (tracked).
t_start_bg()
{
    local name=$1
    shift
    "$@" >"$T_TMP/$name.out" 2>"$T_TMP/$name.err" </dev/null &
    BG_PID=$!
    t_track "$BG_PID"
}

# t_wait_ready PID FILE SECS: wait until FILE has a line that starts with
# "ready"; returns 1 if PID ended or SECS seconds passed first.
t_wait_ready()
{
    local pid=$1 file=$2 n=0 limit=$(($3 * 20))
    until grep -q '^ready' "$file" 2>/dev/null; do
        if [ "$n" -ge "$limit" ] || ! kill -0 "$pid" 2>/dev/null; then return 1; fi
        sleep 0.05
        n=$((n + 1))
    done
    return 0
}

# t_wait_bg NAME PID SECS: t_wait_pid PID SECS (T_RC as there) for a
# program started with t_start_bg NAME, then its output without CRs in
# $T_TMP/NAME.txt.
t_wait_bg()
{
    t_wait_pid "$2" "$3"
    tr -d '\r' <"$T_TMP/$1.out" >"$T_TMP/$1.txt"
}

# t_show NAME LABEL RC: print $T_TMP/NAME.txt and the start of NAME.err for
# the log, headed with LABEL and the exit status RC.
t_show()
{
    echo "--- $2 (exit $3):"
    cat "$T_TMP/$1.txt"
    if [ -s "$T_TMP/$1.err" ]; then
        echo "--- $2 stderr:"
        head -n 40 "$T_TMP/$1.err"
    fi
}

# t_show_peer RC: print ws2peer's result lines for the log, with its exit status RC.
t_show_peer()
{
    echo "--- ws2peer (exit $1):"
    cat "$PEER_OUT"
    echo "---"
}

# The peer's result line for the connection labelled $2 in file $1.
t_peer_line()
{
    grep -m1 -E "(^| )label=$2( |\$)" "$1" 2>/dev/null
}

# ------------------------------------------------------------- results

# t_kv LINE KEY: the value of KEY=VALUE (values have no spaces).
t_kv()
{
    local line=" $1 " key=$2
    if [[ $line =~ \ $key=([^ ]*)\  ]]; then
        printf '%s' "${BASH_REMATCH[1]}"
    fi
}

# ------------------------------------------------------------ assertions

t_pass()
{
    T_CHECKS=$((T_CHECKS + 1))
    printf 'ok    %s\n' "$1"
}

t_fail()
{
    T_CHECKS=$((T_CHECKS + 1))
    T_FAILS=$((T_FAILS + 1))
    printf 'FAIL  %s\n' "$1"
}

# t_check DESC EXPECTED SEEN
t_check()
{
    if [ "$3" = "$2" ]; then
        t_pass "$1: $3"
    else
        t_fail "$1: expected '$2', saw '${3:-<nothing>}'"
    fi
}

# t_check_ne DESC UNWANTED SEEN
t_check_ne()
{
    if [ -n "$3" ] && [ "$3" != "$2" ]; then
        t_pass "$1: $3 (not $2)"
    else
        t_fail "$1: expected anything but '$2', saw '${3:-<nothing>}'"
    fi
}

# t_check_match DESC REGEX SEEN
t_check_match()
{
    if [[ $3 =~ $2 ]]; then
        t_pass "$1: $3"
    else
        t_fail "$1: expected to match /$2/, saw '${3:-<nothing>}'"
    fi
}

# t_check_range DESC LOW HIGH SEEN: integers, LOW <= SEEN <= HIGH
t_check_range()
{
    local v=$4
    if [[ $v =~ ^-?[0-9]+$ ]] && [ "$v" -ge "$2" ] && [ "$v" -le "$3" ]; then
        t_pass "$1: $v (expected $2..$3)"
    else
        t_fail "$1: expected $2..$3, saw '${v:-<nothing>}'"
    fi
}

# t_check_lt DESC LIMIT SEEN: integers, SEEN < LIMIT
t_check_lt()
{
    local v=$3
    if [[ $v =~ ^-?[0-9]+$ ]] && [ "$v" -lt "$2" ]; then
        t_pass "$1: $v (expected < $2)"
    else
        t_fail "$1: expected < $2, saw '${v:-<nothing>}'"
    fi
}

t_skip()
{
    printf 'SKIP: %s\n' "$*"
    exit 77
}

t_done()
{
    if [ "$T_FAILS" -eq 0 ]; then
        printf 'PASS: %d checks\n' "$T_CHECKS"
        exit 0
    fi
    printf 'FAIL: %d of %d checks failed\n' "$T_FAILS" "$T_CHECKS"
    exit 1
}
