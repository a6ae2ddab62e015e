#!/bin/bash
# Wine's WinHTTP and WinINet on our DLL against a native HTTP peer: python3
# serves /hello.txt on 127.0.0.1 (a port of its choosing), and
# tests/conformance/httpclients.exe fetches it with both (WS2TEST_HTTP_PORT)
# under tools/ws2-run; the peer must have seen one GET from each, and the
# program's checks must all pass.  Skipped when python3 is missing.

# make runs this with $(SHELL), which may be dash: it needs bash.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi

. "$(dirname "$0")/lib.sh"

EXE=$top_builddir/tests/conformance/httpclients.exe
t_need_wine
command -v python3 >/dev/null 2>&1 || t_skip "python3 is not installed"
t_need_built "$WS2RUN" "$OUR_DLL" "$WS2SERVER_BIN" "$EXE"
t_setup httpclients
t_prefix "$T_TMP/prefix" || exit 99

mkdir -p "$T_TMP/www" && printf 'ws2server http page\n' >"$T_TMP/www/hello.txt"
python3 - "$T_TMP/www" "$T_TMP/port" >"$T_TMP/peer.out" 2>"$T_TMP/peer.err" <<'PY' &
import functools, http.server, os, sys
handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[1])
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
with open(sys.argv[2] + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(sys.argv[2] + ".tmp", sys.argv[2])
server.timeout = 60
server.serve_forever()
PY
t_track $!
n=0
while [ ! -s "$T_TMP/port" ] && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
port=$(cat "$T_TMP/port" 2>/dev/null)
[ -n "$port" ] || { t_log "the python3 peer did not start:"; cat "$T_TMP/peer.err" >&2; exit 99; }

WS2TEST_HTTP_PORT=$port t_run_to prog 90 "$WS2RUN" "$EXE"
rc=$?
t_show prog httpclients "$rc"
echo "--- the peer's log:"
cat "$T_TMP/peer.err"
t_check "httpclients exit status" 0 "$rc"
t_check_match "it used the native peer" "native peer on port $port" "$(cat "$T_TMP/prog.txt")"
t_check_match "the process's ws2_32 is ours" "ws2_32 provider: ws2server" "$(cat "$T_TMP/prog.txt")"
t_check_match "summary line" "^httpclients: [0-9]+ tests executed \(0 marked as todo, 0 failures\)" \
    "$(grep '^httpclients:' "$T_TMP/prog.txt")"
t_check "GETs of /hello.txt the peer answered with 200" 2 "$(grep -c '"GET /hello.txt HTTP/1.1" 200' "$T_TMP/peer.err")"
t_done
