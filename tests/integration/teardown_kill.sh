#!/bin/bash
# A process killed with SIGKILL in the middle of a lingering closesocket.
#
# tests/integration/teardown.exe ("linger" mode) fills a connection to the
# native peer (which does not read for a while), sets SO_LINGER {1,N}, and
# blocks in closesocket.  The test kills the Wine process meanwhile.  On
# Windows the close goes on without the process; here ws2server owns the
# socket and must finish it by the same rule, in the background:
#
#   a  peer pauses 3 s, linger {1,5}, kill ~1 s after the close began:
#      the data is acknowledged in time, so the peer gets ALL of it, then FIN
#   b  peer pauses 6 s, linger {1,2}, kill ~0.5 s after the close began:
#      the 2 s run out, so the connection is reset (about 2 s after the close
#      began, not at the kill), and the peer does not get all the data
#
# Observed on the wire (the peer's result line; the closing socket in
# /proc/net/tcp) and in the server (ws2server --stats: lingering during the
# drain, then lingering=0 sockets=0).  Bounds are loose: machines are busy.

# make runs this with $(SHELL), which may be dash: it needs bash.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi

. "$(dirname "$0")/lib.sh"

TEARDOWN=$top_builddir/tests/integration/teardown.exe

t_need_wine
[ -r /proc/net/tcp ] || t_skip "no /proc/net/tcp"
command -v pgrep >/dev/null 2>&1 || t_skip "no pgrep"
t_need_built "$WS2PEER_BIN" "$WS2RUN" "$TEARDOWN" "$OUR_DLL" "$WS2SERVER_BIN"

t_setup teardown_kill
t_prefix "$T_TMP/prefix" || exit 99
# A persistent server, so that --stats finds it however long it idles;
# the cleanup stops it (ws2server -k).
t_run 30 "$WS2SERVER_BIN" -p --prefix "$WINEPREFIX" >/dev/null 2>&1 || { echo "cannot start ws2server"; exit 99; }
echo "prefix $WINEPREFIX"

PORTS=
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# The TCP state (hex, as in /proc/net/tcp) of the socket whose remote port
# is $1: the closing client socket of a connection to the peer.  Empty when
# there is no such socket any more.  A TIME_WAIT socket left by an earlier
# connection to a port of the same number must not be taken for it: before
# the kill only live sockets count, and after it ($2, the local address
# seen at the kill) only that very socket.
client_state()
{
    local hex
    hex=$(printf ':%04X' "$1")
    awk -v p="$hex" -v local="${2:-}" 'NR > 1 && substr($3, length($3) - 4) == p &&
        (local == "" ? $4 != "06" : $2 == local) { print $4; exit }' /proc/net/tcp
}

# The local address (as in /proc/net/tcp) of that live socket.
client_local()
{
    local hex
    hex=$(printf ':%04X' "$1")
    awk -v p="$hex" 'NR > 1 && substr($3, length($3) - 4) == p && $4 != "06" { print $2; exit }' /proc/net/tcp
}

state_name()
{
    case $1 in
    01) echo ESTABLISHED ;; 02) echo SYN_SENT ;; 03) echo SYN_RECV ;; 04) echo FIN_WAIT1 ;;
    05) echo FIN_WAIT2 ;; 06) echo TIME_WAIT ;; 07) echo CLOSE ;; 08) echo CLOSE_WAIT ;;
    09) echo LAST_ACK ;; 0A) echo LISTEN ;; 0B) echo CLOSING ;; '') echo gone ;; *) echo "$1" ;;
    esac
}

# stats KEY: one value from ws2server --stats (empty when no server answers).
STATS=
read_stats() { STATS=$(t_run 10 "$WS2SERVER_BIN" --stats --prefix "$WINEPREFIX" 2>&1); }

# run_case NAME SECS PAUSE_MS KILL_AFTER_MS: sets C_* for the checks.
run_case()
{
    local name=$1 secs=$2 pause=$3 kill_after=$4 out pids n t_wait st
    C_OUT=$T_TMP/$name.out
    C_PID= C_T_CLOSING= C_T_KILL= C_T_END= C_END_STATE= C_KILL_STATE= C_STATS_AFTER_KILL= C_RUNNER_RC=
    out=$C_OUT

    t_start_peer 1 || return 1
    C_PEER_OUT=$PEER_OUT
    PORTS="$PORTS $PEER_PORT"
    echo "--- case $name: peer on 127.0.0.1:$PEER_PORT pauses $pause ms; linger {1,$secs}; kill $kill_after ms after closing"
    "$WS2RUN" "$TEARDOWN" linger "$PEER_PORT" "$secs" "$pause" >"$out" 2>"$T_TMP/$name.err" </dev/null &
    C_RUNNER=$!
    t_track "$C_RUNNER"

    # Wait for "closing": the program is about to block in closesocket.
    n=0
    until grep -q '^closing' "$out" 2>/dev/null; do
        if [ $n -ge 600 ] || ! kill -0 "$C_RUNNER" 2>/dev/null; then
            echo "teardown.exe did not reach closesocket:"
            tr -d '\r' <"$out"; head -n 20 "$T_TMP/$name.err"
            return 1
        fi
        sleep 0.05
        n=$((n + 1))
    done
    C_T_CLOSING=$(now_ms)

    # The Wine process of this run: its command line names the peer's port.
    t_wait=$((C_T_CLOSING + kill_after))
    while [ "$(now_ms)" -lt "$t_wait" ]; do sleep 0.02; done
    pids=$(pgrep -f "teardown\.exe linger $PEER_PORT $secs $pause\$")
    if [ "$(printf '%s\n' "$pids" | grep -c .)" != 1 ]; then
        echo "expected one Wine process for this run, found: '$pids'"
        return 1
    fi
    C_PID=$pids
    C_LOCAL=$(client_local "$PEER_PORT")
    C_KILL_STATE=$(state_name "$(client_state "$PEER_PORT")")
    C_CLOSED_BEFORE_KILL=$(grep -c '^closed' "$out")
    kill -9 "$C_PID"
    C_T_KILL=$(now_ms)
    t_log "killed $C_PID at +$((C_T_KILL - C_T_CLOSING)) ms"
    read_stats
    C_STATS_AFTER_KILL=$STATS

    # Watch the closing socket until it is gone (reset) or in TIME_WAIT.
    n=0
    while :; do
        st=$(client_state "$PEER_PORT" "$C_LOCAL")
        if [ -z "$st" ] || [ "$st" = 06 ] || [ $n -ge 400 ]; then break; fi
        sleep 0.025
        n=$((n + 1))
    done
    C_T_END=$(now_ms)
    C_END_STATE=$(state_name "$st")

    t_wait_pid "$C_RUNNER" 20
    C_RUNNER_RC=$T_RC
    t_wait_pid "$PEER_PID" 30
    C_PEER_RC=$T_RC
    C_PEER_LINE=$(t_peer_line "$PEER_OUT" linger)
    C_CLOSING_LINE=$(tr -d '\r' <"$out" | grep -m1 '^closing')
    C_SENT=$(t_kv "$C_CLOSING_LINE" sent)

    echo "teardown.exe:"
    tr -d '\r' <"$out" | sed 's/^/  /'
    if [ -s "$T_TMP/$name.err" ]; then
        echo "teardown.exe stderr:"
        head -n 20 "$T_TMP/$name.err" | sed 's/^/  /'
    fi
    echo "peer:  $C_PEER_LINE"
    echo "kill:  +$((C_T_KILL - C_T_CLOSING)) ms after closing (client socket then $C_KILL_STATE)"
    echo "wire:  client socket $C_END_STATE at +$((C_T_END - C_T_CLOSING)) ms after closing, +$((C_T_END - C_T_KILL)) ms after the kill"
    echo "stats right after the kill: $C_STATS_AFTER_KILL"
    return 0
}

check_common()
{
    local name=$1
    t_check "$name: killed while still in closesocket (no 'closed' line before the kill)" 0 "$C_CLOSED_BEFORE_KILL"
    t_check_match "$name: the client socket was draining at the kill" "FIN_WAIT1|ESTABLISHED" "$C_KILL_STATE"
    if kill -0 "$C_PID" 2>/dev/null; then t_fail "$name: Wine process $C_PID still exists after kill -9"
    else t_pass "$name: Wine process $C_PID is gone"; fi
    t_check "$name: no 'closed' line (the process died inside closesocket)" 0 "$(grep -c '^closed' "$C_OUT")"
    t_check_match "$name: the server still lingers after the kill" "lingering=1( |$)" "$C_STATS_AFTER_KILL"
    t_check "$name: ws2peer served its connection" 0 "$C_PEER_RC"
    t_check_match "$name: bytes sent before closing" "^[0-9]+$" "$C_SENT"
}

# ----------------------------------------------------------------- case a
if run_case a 5 3000 1000; then
    check_common a
    p=$C_PEER_LINE
    t_check "a: peer's read ended with" FIN "$(t_kv "$p" end)"
    t_check "a: peer got every byte sent" "$C_SENT" "$(t_kv "$p" bytes)"
    t_check "a: the closing socket ended in" TIME_WAIT "$C_END_STATE"
    t_check_range "a: graceful end, ms after closing (peer reads at ~3 s)" 1000 6000 "$((C_T_END - C_T_CLOSING))"
    t_check "a: the closing side afterwards (peer's view)" TIME_WAIT "$(t_kv "$p" closer_state)"
else
    t_fail "a: the scenario did not run"
fi

# ----------------------------------------------------------------- case b
if run_case b 2 6000 500; then
    check_common b
    p=$C_PEER_LINE
    t_check "b: peer's read ended with" RST "$(t_kv "$p" end)"
    t_check_lt "b: peer got fewer bytes than sent ($C_SENT)" "${C_SENT:-0}" "$(t_kv "$p" bytes)"
    t_check "b: the closing socket ended" gone "$C_END_STATE"
    t_check_range "b: reset, ms after closing (linger {1,2})" 1000 4500 "$((C_T_END - C_T_CLOSING))"
    t_check_range "b: reset, ms after the kill (not at the kill)" 300 4500 "$((C_T_END - C_T_KILL))"
    t_check_ne "b: the closing side afterwards (peer's view)" TIME_WAIT "$(t_kv "$p" closer_state)"
else
    t_fail "b: the scenario did not run"
fi

# ----------------------------------------------------------- the server
# Everything drained: nothing lingers, no socket is left.  (The --stats
# client counts as one process while it asks.)
start=$(now_ms)
n=0
while :; do
    read_stats
    if [ "$(t_kv "$STATS" lingering)" = 0 ] && [ "$(t_kv "$STATS" sockets)" = 0 ]; then break; fi
    [ $n -ge 150 ] && break
    sleep 0.1
    n=$((n + 1))
done
echo "stats at the end: $STATS (after $(($(now_ms) - start)) ms of polling)"
t_check "server: lingering at the end" 0 "$(t_kv "$STATS" lingering)"
t_check "server: sockets at the end" 0 "$(t_kv "$STATS" sockets)"
t_check "server: processes at the end (the stats client)" 1 "$(t_kv "$STATS" processes)"

# Nothing of ours is left running.
left=
for port in $PORTS; do
    left="$left$(pgrep -f "teardown\.exe linger $port " | tr '\n' ' ')"
done
t_check "no teardown.exe process of these runs left" "" "$left"

t_done
