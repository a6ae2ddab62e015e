#!/bin/bash
# Socket options seen from Linux, and bind conflicts between two processes.
#
# 1. Keep-alive values reach the Linux socket.  tests/integration/optprobe.exe
#    ("keepalive") sets SO_KEEPALIVE, TCP_KEEPALIVE 7 s, TCP_KEEPINTVL 3 s and
#    TCP_KEEPCNT 4 on a loopback connection and waits.  ws2server owns the
#    socket, so the script finds it with `ss -tnpoi` (the owning process and
#    its fd, and the keep-alive timer, which must run from 7 s, not from
#    Linux' default 2 h) and reads the values from that very socket with
#    tests/integration/sockpeek (pidfd_getfd; skipped where the kernel or the
#    permissions refuse it).
#
# 2. Two processes of one prefix (one Unix user), Windows' table for binds
#    of one user ("Using SO_REUSEADDR and SO_EXCLUSIVEADDRUSE"): a first
#    process holds a port with SO_EXCLUSIVEADDRUSE, a second one tries every
#    kind of bind of that port (default, SO_REUSEADDR, SO_EXCLUSIVEADDRUSE on
#    0.0.0.0 and on 127.0.0.1) and must get success, WSAEADDRINUSE (10048)
#    or WSAEACCES (10013) as the table says.  Done with the first on
#    127.0.0.1 and with the first on 0.0.0.0.

# make runs this with $(SHELL), which may be dash: it needs bash.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi

. "$(dirname "$0")/lib.sh"

HELPER=$top_builddir/tests/integration/optprobe.exe
SOCKPEEK=$top_builddir/tests/integration/sockpeek

t_need_wine
command -v ss >/dev/null 2>&1 || t_skip "no ss (iproute2)"
t_need_built "$WS2RUN" "$HELPER" "$SOCKPEEK" "$OUR_DLL" "$WS2SERVER_BIN"

t_setup optlinux
t_prefix "$T_TMP/prefix" || exit 99
echo "prefix $WINEPREFIX"

# wait_line FILE REGEX PID: wait (at most 60 s) until FILE has a line
# matching REGEX, while PID runs; the line goes to $LINE.
wait_line()
{
    local file=$1 re=$2 pid=$3 n=0
    LINE=
    while :; do
        LINE=$(tr -d '\r' <"$file" 2>/dev/null | grep -m1 -E "$re")
        [ -n "$LINE" ] && return 0
        if [ $n -ge 1200 ] || ! kill -0 "$pid" 2>/dev/null; then
            echo "no line /$re/ from process $pid:"
            tr -d '\r' <"$file" 2>/dev/null | sed 's/^/  /'
            return 1
        fi
        sleep 0.05
        n=$((n + 1))
    done
}

# ss_ms TEXT: milliseconds from ss' timer format: [Mmin][S(sec|.)][NNNms],
# as in "2min", "1min30sec", "6sec", "6.972ms" (6 s 972 ms), "500ms".
ss_ms()
{
    if [[ $1 =~ ^(([0-9]+)min)?(([0-9]+)(sec|\.))?(([0-9]+)ms)?$ ]]; then
        echo $(( ${BASH_REMATCH[2]:-0} * 60000 + ${BASH_REMATCH[4]:-0} * 1000 + 10#${BASH_REMATCH[7]:-0} ))
    fi
}

stop()
{
    kill "$1" 2>/dev/null
    t_wait_pid "$1" 20
}

# ------------------------------------------------------------- keep-alive
echo "--- keep-alive values"
"$WS2RUN" "$HELPER" keepalive 60 >"$T_TMP/ka.out" 2>"$T_TMP/ka.err" </dev/null &
ka=$!
t_track "$ka"
if wait_line "$T_TMP/ka.out" '^ready' "$ka"; then
    ready=$LINE
    set_line=$(tr -d '\r' <"$T_TMP/ka.out" | grep -m1 '^set ')
    get_line=$(tr -d '\r' <"$T_TMP/ka.out" | grep -m1 '^get ')
    echo "helper: $set_line / $get_line / $ready"
    for k in keepalive idle intvl cnt; do
        t_check "setsockopt $k (error)" 0 "$(t_kv "$set_line" "$k")"
    done
    t_check "getsockopt SO_KEEPALIVE" 1 "$(t_kv "$get_line" keepalive)"
    t_check "getsockopt TCP_KEEPALIVE" 7 "$(t_kv "$get_line" idle)"
    t_check "getsockopt TCP_KEEPINTVL" 3 "$(t_kv "$get_line" intvl)"
    t_check "getsockopt TCP_KEEPCNT" 4 "$(t_kv "$get_line" cnt)"

    cport=$(t_kv "$ready" client_port)
    ss_out=$(ss -H -tnpoi state established "( sport = :$cport )" 2>&1)
    echo "ss: $(printf '%s' "$ss_out" | tr '\n\t' '  ')"
    owner= pid= fd= timer_ms=
    # The DLL of the program may hold a copy of the descriptor too.
    if [[ $ss_out =~ \(\"(ws2server)\",pid=([0-9]+),fd=([0-9]+)\) ]]; then
        owner=${BASH_REMATCH[1]} pid=${BASH_REMATCH[2]} fd=${BASH_REMATCH[3]}
    fi
    if [[ $ss_out =~ timer:\(keepalive,([^,]+), ]]; then
        timer_ms=$(ss_ms "${BASH_REMATCH[1]}")
    fi
    t_check "ws2server holds the socket (ss -p)" ws2server "$owner"
    t_check_range "the keep-alive timer runs from the 7 s idle time (ms left)" 1 7000 "$timer_ms"

    if [ -n "$pid" ] && [ -n "$fd" ]; then
        peek=$("$SOCKPEEK" "$pid" "$fd" 2>"$T_TMP/peek.err")
        rc=$?
        if [ $rc -eq 77 ]; then
            echo "SKIP  reading the values from the Linux socket: $(cat "$T_TMP/peek.err")"
        else
            echo "Linux socket: $peek $(cat "$T_TMP/peek.err")"
            t_check "Linux SO_KEEPALIVE" 1 "$(t_kv "$peek" keepalive)"
            t_check "Linux TCP_KEEPIDLE" 7 "$(t_kv "$peek" idle)"
            t_check "Linux TCP_KEEPINTVL" 3 "$(t_kv "$peek" intvl)"
            t_check "Linux TCP_KEEPCNT" 4 "$(t_kv "$peek" cnt)"
        fi
    else
        t_fail "no process and fd for the socket in ss output"
    fi
else
    t_fail "keep-alive helper did not get ready"
    head -n 20 "$T_TMP/ka.err"
fi
stop "$ka"

# --------------------------------------------------------- bind conflicts
# expected "mode addr" -> error, for a first process holding the port with
# SO_EXCLUSIVEADDRUSE on $1 (the rows "SO_EXCLUSIVEADDRUSE, Specific" and
# "SO_EXCLUSIVEADDRUSE, Wildcard" of Microsoft's table)
expected()
{
    local first=$1 mode=$2 addr=$3
    if [ "$first" = 127.0.0.1 ]; then
        case "$mode $addr" in
        "default 0.0.0.0") echo 0 ;;
        "default 127.0.0.1") echo 10048 ;;
        "reuse 0.0.0.0") echo 0 ;;
        "reuse 127.0.0.1") echo 10013 ;;
        "exclusive 0.0.0.0") echo 10048 ;;
        "exclusive 127.0.0.1") echo 10048 ;;
        esac
    else
        case "$mode $addr" in
        "default 0.0.0.0") echo 10048 ;;
        "default 127.0.0.1") echo 10013 ;;
        "reuse 0.0.0.0") echo 10013 ;;
        "reuse 127.0.0.1") echo 10013 ;;
        "exclusive 0.0.0.0") echo 10048 ;;
        "exclusive 127.0.0.1") echo 10013 ;;
        esac
    fi
}

for first in 127.0.0.1 0.0.0.0; do
    echo "--- first process: SO_EXCLUSIVEADDRUSE on $first"
    out=$T_TMP/hold-$first.out
    "$WS2RUN" "$HELPER" hold exclusive "$first" 60 >"$out" 2>"$out.err" </dev/null &
    holder=$!
    t_track "$holder"
    if ! wait_line "$out" '^bound' "$holder"; then
        t_fail "first process ($first) did not bind"
        head -n 20 "$out.err"
        stop "$holder"
        continue
    fi
    port=$(t_kv "$LINE" port)
    t_check "first process binds $first:$port with SO_EXCLUSIVEADDRUSE (error)" 0 "$(t_kv "$LINE" error)"
    t_run 60 "$WS2RUN" "$HELPER" try "$port" >"$T_TMP/try.out" 2>"$T_TMP/try.err" </dev/null
    rc=$?
    t_check "second process ran" 0 "$rc"
    tr -d '\r' <"$T_TMP/try.out" | sed 's/^/  /'
    for mode in default reuse exclusive; do
        for addr in 0.0.0.0 127.0.0.1; do
            line=$(tr -d '\r' <"$T_TMP/try.out" | grep -m1 "^try mode=$mode addr=$addr ")
            t_check "first exclusive $first, second $mode $addr: bind error" \
                "$(expected "$first" "$mode" "$addr")" "$(t_kv "$line" error)"
        done
    done
    kill -0 "$holder" 2>/dev/null && t_pass "first process still held the port" ||
        t_fail "first process ended early"
    stop "$holder"
done

t_done
