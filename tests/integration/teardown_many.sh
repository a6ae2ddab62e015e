#!/bin/bash
# Many sockets, half closed from several threads at once, half left to the
# server when the process exits.
#
# tests/integration/teardown.exe ("many" mode) makes one listener and 500
# loopback pairs (1000 sockets) in mixed linger modes, some with
# unacknowledged data, closes exactly half of them from 8 threads at once
# (checking closesocket's results against Windows' rules: 0, or
# WSAEWOULDBLOCK for a non-blocking {1,1} close with data in flight, then
# {1,0} and 0), prints "half-closed" and exits without closing the rest.
#
# The server must then tear everything down: its counters (ws2server
# --stats) return to sockets=0 lingering=0 and to the number of open file
# descriptors it had before the program started.

# make runs this with $(SHELL), which may be dash: it needs bash.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi

. "$(dirname "$0")/lib.sh"

TEARDOWN=$top_builddir/tests/integration/teardown.exe
COUNT=${WS2TEST_MANY:-1000}

t_need_wine
t_need_built "$WS2RUN" "$TEARDOWN" "$OUR_DLL" "$WS2SERVER_BIN"

t_setup teardown_many
t_prefix "$T_TMP/prefix" || exit 99

now_ms() { echo $(($(date +%s%N) / 1000000)); }
STATS=
read_stats() { STATS=$(t_run 10 "$WS2SERVER_BIN" --stats --prefix "$WINEPREFIX" 2>&1); }

# The prefix's server first (persistent; the cleanup stops it), then its
# baseline.  The --stats client is one process and one fd while it asks,
# every time alike.
t_run 30 "$WS2SERVER_BIN" -p --prefix "$WINEPREFIX" >/dev/null 2>&1 || { echo "cannot start ws2server"; exit 99; }
read_stats
baseline=$STATS
base_fds=$(t_kv "$baseline" open_fds)
echo "prefix $WINEPREFIX"
echo "baseline: $baseline"
t_check_match "baseline stats" "^open_fds=[0-9]+ sockets=0 lingering=0 " "$baseline"

start=$(now_ms)
t_run 180 "$WS2RUN" "$TEARDOWN" many "$COUNT" >"$T_TMP/many.out" 2>"$T_TMP/many.err" </dev/null
rc=$?
t_exit=$(now_ms)
tr -d '\r' <"$T_TMP/many.out" >"$T_TMP/many.txt"
echo "--- teardown.exe many $COUNT (exit $rc after $((t_exit - start)) ms):"
cat "$T_TMP/many.txt"
if [ -s "$T_TMP/many.err" ]; then
    echo "--- stderr:"
    head -n 40 "$T_TMP/many.err"
fi
echo "---"

t_check "teardown.exe exit status" 0 "$rc"
setup=$(grep -m1 '^many ' "$T_TMP/many.txt")
result=$(grep -m1 '^closed=' "$T_TMP/many.txt")
half=$(grep -m1 '^half-closed' "$T_TMP/many.txt")
t_check "sockets made" "$COUNT" "$(t_kv "$setup" sockets)"
t_check "sockets closed before the exit" "$((COUNT / 2))" "$(t_kv "$result" closed)"
t_check "unexpected closesocket results" 0 "$(t_kv "$result" errors)"
t_check_ne "WSAEWOULDBLOCK from non-blocking {1,1} closes with data in flight" 0 "$(t_kv "$result" wouldblock)"
t_check_match "it got to the exit with the rest open" "^half-closed open=$((COUNT / 2)) " "$half"

# The server tears the rest down: poll (bounded) until it is back where it was.
n=0
seen=()
while :; do
    read_stats
    seen+=("+$(($(now_ms) - t_exit)) ms: $STATS")
    if [ "$(t_kv "$STATS" sockets)" = 0 ] && [ "$(t_kv "$STATS" lingering)" = 0 ] &&
       [ "$(t_kv "$STATS" open_fds)" = "$base_fds" ]; then
        break
    fi
    [ $n -ge 100 ] && break
    sleep 0.2
    n=$((n + 1))
done
took=$(($(now_ms) - t_exit))
echo "server after the exit (polled ${#seen[@]} times):"
if [ ${#seen[@]} -le 12 ]; then
    printf '  %s\n' "${seen[@]}"
else
    printf '  %s\n' "${seen[@]:0:5}" "..." "${seen[@]: -5}"
fi
echo "torn down within $took ms of the program's exit"

t_check "server: sockets after the exit" 0 "$(t_kv "$STATS" sockets)"
t_check "server: lingering after the exit" 0 "$(t_kv "$STATS" lingering)"
t_check "server: open_fds back to the baseline" "$base_fds" "$(t_kv "$STATS" open_fds)"
t_check "server: processes (the stats client only)" 1 "$(t_kv "$STATS" processes)"

t_done
