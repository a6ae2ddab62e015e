#!/bin/bash
# The ws2server command line: --help, --version, bad options, -S, -f, -p, -k,
# and the idle exit, on a prefix directory of its own (no Wine needed); then,
# when Wine is there, the request lines of -d.

# make runs this with $(SHELL), which may be dash: it needs bash.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi

. "$(dirname "$0")/lib.sh"

[ -x "$WS2SERVER_BIN" ] || { echo "missing $WS2SERVER_BIN (not built?)"; exit 99; }
srv=$WS2SERVER_BIN

t_setup server_cli
prefix=$T_TMP/prefix
mkdir -p "$prefix"
# At exit, stop whatever server still runs for this prefix.
export WINEPREFIX=$prefix
t_prefix_stop=ws2server

# t_wait_for SECS COMMAND...: poll until COMMAND succeeds, at most SECS.
t_wait_for()
{
    local n=0 limit=$(($1 * 10))
    shift
    until "$@"; do
        [ $n -lt $limit ] || return 1
        sleep 0.1
        n=$((n + 1))
    done
}

has_socket() { [ -n "$(find "$1" -maxdepth 1 -type s 2>/dev/null)" ]; }
no_socket() { ! has_socket "$1"; }

# --help and --version: exit 0 and say something on stdout.
out=$(t_run 10 "$srv" --help 2>/dev/null)
t_check "--help exit status" 0 "$?"
t_check_match "--help prints a usage" "[Uu]sage" "$(printf '%s' "$out" | head -n 1)"
out=$(t_run 10 "$srv" --version 2>/dev/null)
t_check "--version exit status" 0 "$?"
t_check_match "--version prints a version" "[0-9]+\.[0-9]+" "$(printf '%s' "$out" | head -n 1)"

# An unknown option is a usage error.
t_run 10 "$srv" --no-such-option >/dev/null 2>"$T_TMP/err"
t_check "unknown option exit status" 2 "$?"
t_check_match "unknown option says why on stderr" "." "$(head -n 1 "$T_TMP/err")"
t_run 10 "$srv" -f --prefix "$prefix" stray-argument >/dev/null 2>&1
t_check "stray argument exit status" 2 "$?"

# -S prints the server's directory for the prefix.
dir=$(t_run 10 "$srv" -S --prefix "$prefix")
t_check "-S exit status" 0 "$?"
t_check_match "-S prints an absolute directory" "^/" "$dir"
[ -n "$dir" ] || t_done
t_forget_server_dir "$prefix"

# -f -p: a server in the foreground that does not exit when idle.
"$srv" -f -p --prefix "$prefix" >"$T_TMP/persistent.log" 2>&1 &
pid=$!
t_track "$pid"
if t_wait_for 10 has_socket "$dir"; then t_pass "-f -p: a socket appeared in $dir"
else t_fail "-f -p: no socket in $dir after 10 s"; fi
t_check "mode of $dir" 700 "$(stat -c %a "$dir" 2>/dev/null)"
t_check "owner of $dir" "$(id -u)" "$(stat -c %u "$dir" 2>/dev/null)"

# A second server for the same prefix leaves the first alone.
t_run 10 "$srv" -f --prefix "$prefix" >/dev/null 2>&1
t_check "a second server for the prefix exits with" 0 "$?"
sleep 4.5   # longer than the idle timeout
if kill -0 "$pid" 2>/dev/null; then t_pass "-p: still running after 4.5 s without clients"
else t_fail "-p: the persistent server exited by itself"; fi
if has_socket "$dir"; then t_pass "-p: its socket is still there"
else t_fail "-p: its socket is gone"; fi

# -k stops it.
t_run 15 "$srv" -k --prefix "$prefix" >/dev/null 2>&1
t_check "-k exit status" 0 "$?"
t_wait_pid "$pid" 10
t_check "the server stopped by -k exited with" 0 "$T_RC"
if no_socket "$dir"; then t_pass "its socket was removed"
else t_fail "its socket is still in $dir"; fi

if [ ! -e "$dir/pid" ]; then t_pass "its pid file was removed"
else t_fail "its pid file is still in $dir"; fi

# -k signals only the process that holds the prefix's lock: a server that
# was killed leaves its pid file, and when that pid names another process
# (a recycled pid), -k must leave that process alone.
"$srv" -f -p --prefix "$prefix" >/dev/null 2>&1 &
pid=$!
t_track "$pid"
t_wait_for 10 has_socket "$dir" || t_fail "-f -p: no socket in $dir after 10 s"
kill -KILL "$pid"
t_wait_pid "$pid" 10
sleep 600 &
victim=$!
t_track "$victim"
echo "$victim" >"$dir/pid"
t_run 15 "$srv" -k --prefix "$prefix" >/dev/null 2>"$T_TMP/kill-stale.err"
t_check "-k with a stale pid file and no server: exit status" 1 "$?"
if kill -0 "$victim" 2>/dev/null; then t_pass "-k left the process named by the stale pid file alone"
else t_fail "-k killed the unrelated process $victim"; fi
t_check_match "-k says no server runs" "no server runs" "$(cat "$T_TMP/kill-stale.err")"
if [ ! -e "$dir/pid" ]; then t_pass "-k removed the stale pid file"
else t_fail "-k left the stale pid file"; fi
kill "$victim" 2>/dev/null

# Without -p the server exits by itself when no client comes.
start=$(date +%s)
"$srv" -f --prefix "$prefix" >"$T_TMP/idle.log" 2>&1 &
pid=$!
t_track "$pid"
if t_wait_for 10 has_socket "$dir"; then t_pass "-f: a socket appeared"
else t_fail "-f: no socket in $dir after 10 s"; fi
t_wait_pid "$pid" 15
t_check "-f without -p: exits by itself within 15 s, with status" 0 "$T_RC"
echo "info  it ran for about $(($(date +%s) - start)) s"

# Without -f it detaches, returns once clients can connect, and still
# exits by itself when idle.
t_run 15 "$srv" --prefix "$prefix" >/dev/null 2>&1
t_check "detached start exit status" 0 "$?"
if has_socket "$dir"; then t_pass "detached: the socket is there when the command returns"
else t_fail "detached: no socket in $dir when the command returned"; fi
if t_wait_for 15 no_socket "$dir"; then t_pass "detached: it exited by itself within 15 s"
else t_fail "detached: still running after 15 s without clients"; fi

# A server directory that another user made first cannot be used: the
# server says whose it is (needs root to make one for another user).
other_prefix=$T_TMP/other-prefix
mkdir -p "$other_prefix"
odir=$(t_run 10 "$srv" -S --prefix "$other_prefix")
if mkdir -p "$odir" && chown 65534 "$odir" 2>/dev/null; then
    t_run 15 "$srv" -f --prefix "$other_prefix" >/dev/null 2>"$T_TMP/other.err"
    t_check_ne "a server directory of another user: exit status" 0 "$?"
    t_check_match "the error names the directory's owner" "belongs to user .*\(uid 65534\)" "$(cat "$T_TMP/other.err")"
    rmdir "$odir"
else
    echo "info  cannot make a directory for another user here: not checked"
fi

# -d logs each request in one line with its fields and the reply's status.
# A Windows program binds 0.0.0.0:PORT and 127.0.0.1:PORT (after setting
# SO_REUSEADDR and SO_EXCLUSIVEADDRUSE) through a server started with -d.
probe=$top_builddir/tests/integration/optprobe.exe
if [ -z "$WINE" ] || [ ! -x "$WINE" ] || [ ! -e "$probe" ] || [ ! -e "$OUR_DLL" ]; then
    echo "info  no Wine or no optprobe.exe: the -d lines are not checked"
    t_done
fi
t_prefix "$T_TMP/wineprefix" || exit 99
ddir=$(t_run 10 "$srv" -S --prefix "$WINEPREFIX")
"$srv" -f -p -d --prefix "$WINEPREFIX" 2>"$T_TMP/debug.log" &
pid=$!
t_track "$pid"
t_wait_for 10 has_socket "$ddir" || t_fail "-d: no socket in $ddir after 10 s"
port=$((20000 + RANDOM % 20000))
t_run 60 "$WS2RUN" "$probe" try "$port" >"$T_TMP/probe.out" 2>&1 </dev/null
t_check "optprobe try exit status" 0 "$?"
t_run 15 "$srv" -k --prefix "$WINEPREFIX" >/dev/null 2>&1
t_wait_pid "$pid" 10
line=$(grep -m1 -E ": bind handle [0-9]+ addr 127\.0\.0\.1:$port " "$T_TMP/debug.log")
t_check_match "-d: a bind line shows the address" \
    "^ws2server: [0-9]+: bind handle [0-9]+ addr 127\.0\.0\.1:$port -> [0-9]+\$" "$line"
# Options are set in the calling process, on the socket's slot of the shared
# region (doc/design-notes.md): no request, and bind read them there.
line=$(grep -m1 -E ": setsockopt " "$T_TMP/debug.log")
t_check "-d: setsockopt(SO_REUSEADDR) made no request" "" "$line"
line=$(grep -m1 -E ": socket " "$T_TMP/debug.log")
t_check_match "-d: a socket line shows the new handle" \
    "^ws2server: [0-9]+: socket family AF_INET type SOCK_STREAM protocol 6 flags 0x1 -> 0 handle [0-9]+ socket [0-9]+\$" \
    "$line"

t_done
