#!/bin/bash
# 10,000 sockets opened and then closed leave the server with none, while
# the process that made them is still alive.
#
# closesocket without a linger does not wait for the server (a one-way
# CLOSE): tests/integration/teardown.exe ("openclose" mode) opens COUNT TCP
# sockets, closes them all, prints "closed=COUNT errors=0 ..." and stays a
# few seconds with Winsock started.  Meanwhile the server's counters
# (ws2server --stats) must come back to sockets=0 lingering=0 and to the
# open file descriptors it had before (one connection per thread of the
# program excepted, which stay while it lives).

# make runs this with $(SHELL), which may be dash: it needs bash.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi

. "$(dirname "$0")/lib.sh"

TEARDOWN=$top_builddir/tests/integration/teardown.exe
COUNT=${WS2TEST_OPENCLOSE:-10000}
HOLD_MS=8000

t_need_wine
t_need_built "$WS2RUN" "$TEARDOWN" "$OUR_DLL" "$WS2SERVER_BIN"

t_setup openclose
t_prefix "$T_TMP/prefix" || exit 99

STATS=
read_stats() { STATS=$(t_run 10 "$WS2SERVER_BIN" --stats --prefix "$WINEPREFIX" 2>&1); }

t_run 30 "$WS2SERVER_BIN" -p --prefix "$WINEPREFIX" >/dev/null 2>&1 || { echo "cannot start ws2server"; exit 99; }
read_stats
baseline=$STATS
echo "baseline: $baseline"
t_check_match "baseline stats" "^open_fds=[0-9]+ sockets=0 lingering=0 " "$baseline"

"$WS2RUN" "$TEARDOWN" openclose "$COUNT" "$HOLD_MS" >"$T_TMP/out" 2>"$T_TMP/err" </dev/null &
prog=$!
# Wait (bounded) for the program to say it closed them all.
n=0
while ! grep -q '^closed=' "$T_TMP/out" 2>/dev/null && [ $n -lt 600 ] && kill -0 $prog 2>/dev/null; do
    sleep 0.2
    n=$((n + 1))
done
result=$(tr -d '\r' <"$T_TMP/out" | grep -m1 '^closed=')
echo "teardown.exe openclose $COUNT: $result"
t_check "sockets closed" "$COUNT" "$(t_kv "$result" closed)"
t_check "closesocket errors" 0 "$(t_kv "$result" errors)"

# The closes were sent without waiting: poll (bounded) while the program lives.
n=0
while :; do
    read_stats
    [ "$(t_kv "$STATS" sockets)" = 0 ] && [ "$(t_kv "$STATS" lingering)" = 0 ] && break
    [ $n -ge 20 ] && break
    sleep 0.2
    n=$((n + 1))
done
alive=no
kill -0 $prog 2>/dev/null && alive=yes
echo "server while the program lives: $STATS"
t_check "the program was still alive" yes "$alive"
t_check "server: sockets" 0 "$(t_kv "$STATS" sockets)"
t_check "server: lingering" 0 "$(t_kv "$STATS" lingering)"
wait $prog
t_check "teardown.exe exit status" 0 "$?"
if [ -s "$T_TMP/err" ]; then
    echo "--- stderr:"
    head -n 20 "$T_TMP/err"
fi

t_done
