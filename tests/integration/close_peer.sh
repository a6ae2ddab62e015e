#!/bin/bash
# closesocket on the wire: demo/closedemo.exe runs under Wine with our
# ws2_32.dll (tools/ws2-run) against the native peer tests/peer/ws2peer,
# which reports FIN or RST and whether the closing side went to TIME_WAIT.
# The expectations are Windows' linger table (the bounds are loose: the
# machine may be busy).
#
#   a  linger off, 1 MiB            0 at once; all data, FIN; TIME_WAIT
#   b  linger {1,0}, unacked data   0 at once; RST; no TIME_WAIT
#   c  linger {1,3}, peer reads at 1 s   blocks ~1 s; graceful, all data
#   d  linger {1,1}, peer reads at 3 s   blocks ~1 s; RST; no TIME_WAIT
#   e  linger {1,5}, non-blocking   WSAEWOULDBLOCK, socket valid; {1,0} close 0; RST

# make runs this with $(SHELL), which may be dash: it needs bash.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi

. "$(dirname "$0")/lib.sh"

t_need_wine
[ -r /proc/net/tcp ] || t_skip "no /proc/net/tcp"
t_need_built "$WS2PEER_BIN" "$WS2RUN" "$CLOSEDEMO" "$OUR_DLL" "$WS2SERVER_BIN"

t_setup_with_peer close_peer 5
echo "peer on 127.0.0.1:$PEER_PORT, prefix $WINEPREFIX"

t_run_to demo 90 "$WS2RUN" "$CLOSEDEMO" "$PEER_PORT" abcde
rc=$?
t_wait_pid "$PEER_PID" 20
peer_rc=$T_RC

t_show demo closedemo.exe "$rc"
t_show_peer "$peer_rc"

t_check "closedemo.exe exit status" 0 "$rc"
t_check "ws2peer served all 5 connections" 0 "$peer_rc"

demo() { grep -m1 "^scenario=$1 " "$T_TMP/demo.txt"; }
peer() { t_peer_line "$PEER_OUT" "$1"; }

# a: default close, peer reads at once.
d=$(demo a) p=$(peer a)
t_check "a: closesocket" 0 "$(t_kv "$d" closesocket)"
t_check_lt "a: closesocket ms" 1000 "$(t_kv "$d" ms)"
t_check "a: peer's read ended with" FIN "$(t_kv "$p" end)"
t_check "a: peer got every byte sent" "$(t_kv "$d" sent)" "$(t_kv "$p" bytes)"
t_check "a: closing side afterwards" TIME_WAIT "$(t_kv "$p" closer_state)"

# b: abortive close with unacknowledged data.
d=$(demo b) p=$(peer b)
t_check "b: closesocket" 0 "$(t_kv "$d" closesocket)"
t_check_lt "b: closesocket ms" 1000 "$(t_kv "$d" ms)"
t_check "b: peer's read ended with" RST "$(t_kv "$p" end)"
t_check_ne "b: closing side afterwards" TIME_WAIT "$(t_kv "$p" closer_state)"
t_check_lt "b: peer got fewer bytes than sent ($(t_kv "$d" sent))" "$(t_kv "$d" sent)" "$(t_kv "$p" bytes)"

# c: blocking linger {1,3}; the peer drains after about 1 s.
d=$(demo c) p=$(peer c)
t_check "c: closesocket" 0 "$(t_kv "$d" closesocket)"
t_check_range "c: closesocket ms (blocks until acknowledged)" 500 4500 "$(t_kv "$d" ms)"
t_check "c: peer's read ended with" FIN "$(t_kv "$p" end)"
t_check "c: peer got every byte sent" "$(t_kv "$d" sent)" "$(t_kv "$p" bytes)"
echo "info  c: closing side afterwards: $(t_kv "$p" closer_state)"

# d: blocking linger {1,1}; the peer waits 3 s: timeout, then RST.
d=$(demo d) p=$(peer d)
t_check "d: closesocket" 0 "$(t_kv "$d" closesocket)"
t_check_range "d: closesocket ms (the 1 s timeout)" 500 3000 "$(t_kv "$d" ms)"
t_check "d: peer's read ended with" RST "$(t_kv "$p" end)"
t_check_ne "d: closing side afterwards" TIME_WAIT "$(t_kv "$p" closer_state)"
t_check_lt "d: peer got fewer bytes than sent ($(t_kv "$d" sent))" "$(t_kv "$d" sent)" "$(t_kv "$p" bytes)"

# e: non-blocking linger {1,5} with unacknowledged data.
d=$(demo e) p=$(peer e)
t_check "e: first closesocket" "WSAEWOULDBLOCK(10035)" "$(t_kv "$d" closesocket)"
t_check_lt "e: first closesocket ms" 1000 "$(t_kv "$d" ms)"
t_check "e: socket still valid after it" yes "$(t_kv "$d" still_valid)"
t_check "e: linger still reads back" "1,5" "$(t_kv "$d" linger_after)"
t_check "e: setsockopt linger {1,0}" 0 "$(t_kv "$d" set_linger_1_0)"
t_check "e: second closesocket" 0 "$(t_kv "$d" close2)"
t_check_lt "e: second closesocket ms" 1000 "$(t_kv "$d" ms2)"
t_check "e: peer's read ended with" RST "$(t_kv "$p" end)"
t_check_ne "e: closing side afterwards" TIME_WAIT "$(t_kv "$p" closer_state)"

t_done
