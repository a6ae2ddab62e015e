#!/bin/bash
# Nothing else waits for a lingering close.
#
# One thread of a process blocks in closesocket with SO_LINGER {1,3} while
# the native peer does not read (tests/integration/teardown.exe "served").
# Meanwhile another thread of the same process, and another process
# (teardown.exe "roundtrips"), do socket + getsockopt + closesocket round
# trips.  On Windows those never wait for the lingering close; here each
# thread has its own channel to ws2server and the server never blocks, so:
#
#   - the slowest round trip during the linger stays small (< 500 ms, loose),
#     in the other thread and in the other process;
#   - the lingering close still takes about 3 s, then resets the connection.
#
# The two processes meet through named events keyed by the peer's port.

# make runs this with $(SHELL), which may be dash: it needs bash.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi

. "$(dirname "$0")/lib.sh"

TEARDOWN=$top_builddir/tests/integration/teardown.exe
LINGER=3
PAUSE_MS=8000
MAX_US=500000

t_need_wine
t_need_built "$WS2PEER_BIN" "$WS2RUN" "$TEARDOWN" "$OUR_DLL" "$WS2SERVER_BIN"

t_setup_with_peer threads_served 1
echo "peer on 127.0.0.1:$PEER_PORT (pauses $PAUSE_MS ms), prefix $WINEPREFIX"

# The other process first: it says "ready" once its own channel is open,
# then waits for the close to begin.
t_start_bg other "$WS2RUN" "$TEARDOWN" roundtrips "$PEER_PORT"
other=$BG_PID
if ! t_wait_ready "$other" "$T_TMP/other.out" 60; then
    echo "the roundtrips process did not get ready:"
    cat "$T_TMP/other.out" "$T_TMP/other.err"
    exit 99
fi

t_run_to served 90 "$WS2RUN" "$TEARDOWN" served "$PEER_PORT" "$PAUSE_MS" "$LINGER"
rc=$?
t_wait_bg other "$other" 30
other_rc=$T_RC
t_wait_pid "$PEER_PID" 30
peer_rc=$T_RC

t_show served "teardown.exe served" "$rc"
t_show other "teardown.exe roundtrips" "$other_rc"
t_show_peer "$peer_rc"

closed=$(grep -m1 '^closed' "$T_TMP/served.txt")
thread=$(grep -m1 '^thread ' "$T_TMP/served.txt")
process=$(grep -m1 '^process ' "$T_TMP/other.txt")
peer=$(t_peer_line "$PEER_OUT" served)

t_check "served: exit status" 0 "$rc"
t_check "roundtrips: exit status" 0 "$other_rc"
t_check "the lingering closesocket" 0 "$(t_kv "$closed" closesocket)"
t_check_range "the lingering closesocket took, ms (linger {1,$LINGER})" 2500 6000 "$(t_kv "$closed" ms)"
t_check "peer's read ended with (the linger timed out)" RST "$(t_kv "$peer" end)"

t_check "other thread: failed round trips" 0 "$(t_kv "$thread" failures)"
t_check_range "other thread: round trips during the linger" 10 1000000 "$(t_kv "$thread" roundtrips)"
t_check_lt "other thread: slowest round trip, us" "$MAX_US" "$(t_kv "$thread" max_us)"

t_check "other process: failed round trips" 0 "$(t_kv "$process" failures)"
t_check "other process: saw the close begin and end" 0 "$(t_kv "$process" timed_out)"
t_check_range "other process: round trips during the linger" 10 1000000 "$(t_kv "$process" roundtrips)"
t_check_lt "other process: slowest round trip, us" "$MAX_US" "$(t_kv "$process" max_us)"

t_done
