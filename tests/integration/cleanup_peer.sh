#!/bin/bash
# WSACleanup closes every socket of the process, on the wire too: a socket
# registered with WSAEventSelect and never closed must send its FIN when
# WSACleanup returns, not when the process exits.  tests/integration/
# cleanup_fin.exe does that against the native peer tests/peer/ws2peer,
# then stays alive HOLD_MS; the peer timestamps the end of its read.
# Second part: the socket server is killed under such a socket; the next
# call fails with WSAENETDOWN and the connection must end then too.

# make runs this with $(SHELL), which may be dash: it needs bash.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi

. "$(dirname "$0")/lib.sh"

HOLD_MS=4000
CLEANUP_FIN=$top_builddir/tests/integration/cleanup_fin.exe

t_need_wine
t_need_built "$WS2PEER_BIN" "$WS2RUN" "$CLEANUP_FIN" "$OUR_DLL" "$WS2SERVER_BIN"

t_setup_with_peer cleanup_peer 1
echo "peer on 127.0.0.1:$PEER_PORT, prefix $WINEPREFIX"

t_run_to prog 60 "$WS2RUN" "$CLEANUP_FIN" "$PEER_PORT" "$HOLD_MS"
rc=$?
t_wait_pid "$PEER_PID" 20
peer_rc=$T_RC

t_show prog cleanup_fin.exe "$rc"
t_show_peer "$peer_rc"

t_check "cleanup_fin.exe exit status" 0 "$rc"
t_check "ws2peer served the connection" 0 "$peer_rc"
d=$(grep -m1 "cleanup=" "$T_TMP/prog.txt")
p=$(t_peer_line "$PEER_OUT" cleanup)
t_check "WSACleanup" 0 "$(t_kv "$d" cleanup)"
t_check "peer's read ended with" FIN "$(t_kv "$p" end)"
cleanup_ms=$(t_kv "$d" cleanup_ms)
end_ms=$(t_kv "$p" t_end_ms)
echo "info  WSACleanup returned ${cleanup_ms} ms after connect; the peer saw the end ${end_ms} ms after accept"
# Well before the process exits (HOLD_MS later); loose: the machine may be busy.
t_check_lt "FIN seen before the process exits (ms after accept)" $((${cleanup_ms:-0} + 1500)) "$end_ms"

# The server goes away under the socket.
t_start_peer 1 || exit 99
t_start_bg lost "$WS2RUN" "$CLEANUP_FIN" "$PEER_PORT" "$HOLD_MS" lost
prog=$BG_PID
# Not ready in time: the checks below tell what went wrong.
t_wait_ready "$prog" "$T_TMP/lost.out" 10
timeout 10 "$WS2SERVER_BIN" -k --prefix "$WINEPREFIX" >/dev/null 2>&1
t_wait_bg lost "$prog" 60
rc=$T_RC
t_wait_pid "$PEER_PID" 20
peer_rc=$T_RC
t_show lost "cleanup_fin.exe lost" "$rc"
t_show_peer "$peer_rc"
t_check "cleanup_fin.exe lost: exit status" 0 "$rc"
d=$(grep -m1 "lost_error=" "$T_TMP/lost.txt")
p=$(t_peer_line "$PEER_OUT" cleanup)
t_check "the call after the server went away" 10050 "$(t_kv "$d" lost_error)"
lost_ms=$(t_kv "$d" lost_ms)
end_ms=$(t_kv "$p" t_end_ms)
echo "info  the call failed ${lost_ms} ms after connect; the peer saw the end ($(t_kv "$p" end)) ${end_ms} ms after accept"
t_check_lt "end seen before the process exits (ms after accept)" $((${lost_ms:-0} + 1500)) "$end_ms"
t_done
