#!/bin/bash
# A Go program under our DLL: tests/go/echo/echo.go, built with GOOS=windows
# (TCP echo with deadlines, 1 MiB bulk, a UDP exchange, a read ended by its
# deadline, a blocked read cancelled from another goroutine), run first with
# Wine's built-in ws2_32 (it must pass there, else the program itself is
# wrong: hard error) and then with ours, where every step must pass.
#
# Skipped (77) when `go` is not installed.  The program limits each step to
# 6 s and reports a step whose I/O never completes as hung, so a run with a
# DLL that never posts completions ends in about 30 s; the run is killed
# after $GO_ECHO_LIMIT s (default 55) in any case.

# make runs this with $(SHELL), which may be dash: it needs bash.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi

. "$(dirname "$0")/lib.sh"

GO=${GO:-go}
LIMIT=${GO_ECHO_LIMIT:-55}
ECHO_SRC=$top_srcdir/tests/go/echo/echo.go
ECHO_EXE=$top_builddir/tests/go/echo.exe

t_need_wine
command -v "$GO" >/dev/null 2>&1 || t_skip "go is not installed (Debian: golang-go)"
t_need_built "$WS2RUN" "$OUR_DLL" "$WS2SERVER_BIN" "$ECHO_SRC"

t_setup go_echo

# Build (again) when the source is newer than the program.
if [ ! -f "$ECHO_EXE" ] || [ "$ECHO_SRC" -nt "$ECHO_EXE" ]; then
    mkdir -p "$(dirname "$ECHO_EXE")" || exit 99
    echo "building $ECHO_EXE with $("$GO" version)"
    if ! (cd "$T_TMP" && export GOOS=windows GOARCH=amd64 CGO_ENABLED=0 GOFLAGS='' &&
          t_run 300 "$GO" build -o "$T_TMP/echo.exe" "$ECHO_SRC"); then
        echo "go build failed"
        exit 99
    fi
    mv -f "$T_TMP/echo.exe" "$ECHO_EXE" || exit 99
fi

t_prefix "$T_TMP/prefix" || exit 99
echo "prefix $WINEPREFIX"

# run LABEL [--builtin]: run the program, show its output, T_RC its status.
run()
{
    local label=$1 start
    shift
    start=$(date +%s)
    t_run_to "$label" "$LIMIT" "$WS2RUN" "$@" "$ECHO_EXE"
    T_RC=$?
    t_show "$label" "echo.exe with $label ws2_32, $(($(date +%s) - start)) s" "$T_RC"
}

run builtin --builtin
if [ "$T_RC" -ne 0 ]; then
    echo "echo.exe fails with Wine's built-in ws2_32: the test program itself is wrong"
    exit 99
fi

run ours
if [ "$T_RC" -eq 124 ]; then
    t_fail "echo.exe with our ws2_32 was killed after $LIMIT s"
fi
for step in tcp_echo tcp_bulk udp_exchange read_deadline read_cancel; do
    line=$(grep -m1 -E "^(ok|FAIL) ${step}[ :]" "$T_TMP/ours.txt")
    t_check "$step" ok "${line%% *}"
done
t_check "echo.exe exit status" 0 "$T_RC"
t_done
