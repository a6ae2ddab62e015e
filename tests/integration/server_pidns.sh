#!/bin/bash
# A server that cannot tell its client processes by pidfd still gives each
# process one handle table and keeps processes apart.
#
# The server runs in a pid namespace of its own (unshare --pid), where the
# kernel names every client's pid 0 and pidfd_open cannot be used, as when
# the server runs out of file descriptors.  Programs whose threads share
# sockets (linger_opts.exe) and that pass sockets between processes
# (duplicate.exe) must pass as with a normal server.

# make runs this with $(SHELL), which may be dash: it needs bash.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi

. "$(dirname "$0")/lib.sh"

CONF=$top_builddir/tests/conformance
t_need_wine
t_need_built "$WS2RUN" "$OUR_DLL" "$WS2SERVER_BIN" "$CONF/linger_opts.exe" "$CONF/duplicate.exe"
unshare --pid --fork true 2>/dev/null || t_skip "cannot make a pid namespace here (unshare --pid)"

t_setup server_pidns
t_prefix "$T_TMP/wineprefix" || exit 99
t_prefix_stop=ws2server
dir=$(t_run 10 "$WS2SERVER_BIN" -S --prefix "$WINEPREFIX")
unshare --pid --fork --kill-child "$WS2SERVER_BIN" -f -p --prefix "$WINEPREFIX" >"$T_TMP/server.log" 2>&1 &
t_track $!
n=0
until [ -S "$dir/socket" ] || [ $n -ge 100 ]; do sleep 0.1; n=$((n + 1)); done
[ -S "$dir/socket" ] || { echo "no server socket in $dir"; cat "$T_TMP/server.log"; exit 99; }

for prog in linger_opts duplicate; do
    t_run 120 "$WS2RUN" "$CONF/$prog.exe" >"$T_TMP/$prog.out" 2>&1 </dev/null
    rc=$?
    grep -E "Test failed|tests executed" "$T_TMP/$prog.out" | head -n 20
    t_check "$prog.exe with a server that sees pid 0 for every client: exit status" 0 "$rc"
done
t_done
