#!/bin/bash
# ws2-setup in a fresh prefix: it refuses a missing prefix, a directory that
# is no prefix, and a call that names none (leaving ~/.wine alone); install
# puts our DLL and a server copy into system32 and sets ws2_32=native, after
# which a plain 64-bit program run with no variable of ours (env -i) is
# served by our DLL (it is not Wine's, and the prefix's ws2server runs);
# uninstall puts Wine's DLL back and removes the override, and the same
# program runs on Wine's built-in DLL with no server.
#
# With --bundle (tests/integration/bundle.sh) the same is done with the
# ws2-setup of a release folder that tools/mkbundle made and that was
# unpacked from its tarball into a directory of its own.  With --installed
# (tests/integration/installed.sh) with the copies that make install
# DESTDIR=... put into a directory of their own: their file list, their
# man pages against their --help (manpages.sh), their ws2-setup, and at the
# end their ws2-run.

# make runs this with $(SHELL), which may be dash: it needs bash.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi

. "$(dirname "$0")/lib.sh"

mode=build
case ${1:-} in
--bundle) mode=bundle ;;
--installed) mode=installed ;;
esac
PROBE=$top_builddir/tests/integration/setup_probe.exe
SETUP=$top_builddir/tools/ws2-setup
SERVER=$WS2SERVER_BIN

t_need_wine
t_need_built "$SETUP" "$OUR_DLL" "$WS2SERVER_BIN" "$PROBE"
t_setup setup
t_prefix "$T_TMP/prefix" || exit 99
sys32=$WINEPREFIX/drive_c/windows/system32

if [ $mode = bundle ]; then
    # The release folder, made and packed, then unpacked elsewhere on its own.
    t_run 120 bash "$top_srcdir/tools/mkbundle" --output "$T_TMP/made" >"$T_TMP/mkbundle.out" 2>&1
    t_check "tools/mkbundle exit status" 0 "$?"
    tarball=$(ls "$T_TMP"/made/ws2server-*.tar.gz 2>/dev/null | head -n 1)
    t_check_match "a tarball was made" '\.tar\.gz$' "$tarball"
    [ -n "$tarball" ] || { cat "$T_TMP/mkbundle.out"; t_done; }
    mkdir -p "$T_TMP/unpacked" && tar -xzf "$tarball" -C "$T_TMP/unpacked" || exit 99
    rm -rf "$T_TMP/made"
    folder=$(ls -d "$T_TMP"/unpacked/ws2server-* | head -n 1)
    echo "--- the bundle's files:"
    (cd "$folder/.." && find "${folder##*/}" -type f | sort)
    for f in ws2-setup ws2server x64/ws2_32.dll README.md man/ws2server.1 man/ws2-run.1 man/ws2-setup.1; do
        t_check "bundle has $f" yes "$([ -f "$folder/$f" ] && echo yes || echo no)"
    done
    if [ -f "$top_builddir/${DLL32:-dlls/ws2_32/i386/ws2_32.dll}" ]; then
        t_check "bundle has x32/ws2_32.dll" yes "$([ -f "$folder/x32/ws2_32.dll" ] && echo yes || echo no)"
    fi
    SETUP=$folder/ws2-setup
    OUR_DLL=$folder/x64/ws2_32.dll
    SERVER=$folder/ws2server
fi

if [ $mode = installed ]; then
    # make check passes the installation directories (Makefile.am).
    [ -n "${WS2_BINDIR:-}" ] && [ -n "${WS2_PKGLIBDIR:-}" ] && [ -n "${WS2_MAN1DIR:-}" ] ||
        { echo "WS2_BINDIR, WS2_PKGLIBDIR and WS2_MAN1DIR are not set (run it from make check)"; exit 99; }
    dest=$T_TMP/dest
    # Not the jobserver of the make check that may be running this.
    t_run 300 env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$top_builddir" install DESTDIR="$dest" \
        >"$T_TMP/install.log" 2>&1
    rc=$?
    t_check "make install DESTDIR=... exit status" 0 "$rc"
    [ $rc = 0 ] || { tail -n 20 "$T_TMP/install.log"; t_done; }
    echo "--- installed files:"
    (cd "$dest" && find . -type f | sort)
    bin=$dest$WS2_BINDIR
    for f in "$bin/ws2server" "$bin/ws2-run" "$bin/ws2-setup"; do
        t_check "installed ${f#"$dest"}, executable" yes "$([ -x "$f" ] && echo yes || echo no)"
    done
    for f in "$dest$WS2_PKGLIBDIR/ws2_32.dll" "$dest$WS2_MAN1DIR/ws2server.1" "$dest$WS2_MAN1DIR/ws2-run.1" \
             "$dest$WS2_MAN1DIR/ws2-setup.1"; do
        t_check "installed ${f#"$dest"}" yes "$([ -f "$f" ] && echo yes || echo no)"
    done
    if [ -f "$top_builddir/${DLL32:-dlls/ws2_32/i386/ws2_32.dll}" ]; then
        t_check "installed $WS2_PKGLIBDIR/x32/ws2_32.dll" same \
            "$(cmp -s "$top_builddir/${DLL32:-dlls/ws2_32/i386/ws2_32.dll}" "$dest$WS2_PKGLIBDIR/x32/ws2_32.dll" &&
                echo same || echo differs)"
    fi
    t_run 60 bash "$top_srcdir/tests/integration/manpages.sh" "$bin" "$dest$WS2_MAN1DIR" >"$T_TMP/manpages.out" 2>&1
    t_check "the installed man pages match the installed tools' --help (manpages.sh)" 0 "$?"
    grep -v '^ok ' "$T_TMP/manpages.out"
    SETUP=$bin/ws2-setup
    OUR_DLL=$dest$WS2_PKGLIBDIR/ws2_32.dll
    SERVER=$bin/ws2server
fi

# The prefix's files and the override, for the log.
snapshot()
{
    echo "--- $1: system32/ws2_32.dll $(md5sum <"$sys32/ws2_32.dll" | cut -c1-12)," \
        "system32/ws2server $([ -e "$sys32/ws2server" ] && echo present || echo absent)"
}

# Run the probe with nothing of ours in the environment.
probe()
{
    t_run_to "$1" 60 env -i HOME="$HOME" PATH="$PATH" WINEPREFIX="$WINEPREFIX" WINEDEBUG=-all "$WINE" "$PROBE"
    local rc=$?
    t_show "$1" "$1" "$rc"
    PROBE_LINE=$(grep -m1 '^probe ' "$T_TMP/$1.txt")
}

server_pid()
{
    local dir pid
    dir=$("$WS2SERVER_BIN" -S --prefix "$WINEPREFIX" 2>/dev/null) || return 1
    pid=$(cat "$dir/pid" 2>/dev/null) || return 1
    kill -0 "$pid" 2>/dev/null && echo "$pid"
}

# ------------------------------------------------------------- refusals
t_run 30 env -u WINEPREFIX HOME="$T_TMP/home" "$SETUP" install >/dev/null 2>"$T_TMP/noprefix.err"
t_check "no prefix named: refused" 2 "$?"
mkdir -p "$T_TMP/home/.wine/drive_c/windows/system32" && touch "$T_TMP/home/.wine/system.reg"
t_run 30 env -u WINEPREFIX HOME="$T_TMP/home" "$SETUP" install >/dev/null 2>&1
t_check "~/.wine is not a default" 2 "$?"
t_check "~/.wine untouched" no "$([ -e "$T_TMP/home/.wine/drive_c/windows/system32/ws2_32.dll" ] && echo yes || echo no)"
t_run 30 "$SETUP" install --prefix "$T_TMP/none" >/dev/null 2>"$T_TMP/none.err"
t_check "missing prefix: refused" 2 "$?"
t_check_match "missing prefix: says so" "does not exist" "$(cat "$T_TMP/none.err")"
mkdir -p "$T_TMP/plain"
t_run 30 "$SETUP" install --prefix "$T_TMP/plain" >/dev/null 2>"$T_TMP/plain.err"
t_check "not a prefix: refused" 2 "$?"
t_check_match "not a prefix: says so" "not a Wine prefix" "$(cat "$T_TMP/plain.err")"

# --------------------------------------------------------------- install
snapshot "before install"
t_run 120 env -u WS2SERVER "$SETUP" install --prefix "$WINEPREFIX" >"$T_TMP/install.out" 2>&1
t_check "install exit status" 0 "$?"
cat "$T_TMP/install.out"
snapshot "after install"
t_check "system32/ws2_32.dll is ours" same "$(cmp -s "$OUR_DLL" "$sys32/ws2_32.dll" && echo same || echo differs)"
t_check "system32/ws2server is there" yes "$([ -x "$sys32/ws2server" ] && echo yes || echo no)"
t_check "system32/ws2server is a copy of ${SERVER#"$T_TMP"/}" same \
    "$(cmp -s "$SERVER" "$sys32/ws2server" && echo same || echo differs)"

probe ours
t_check "probe with ours: exchange" 1 "$(t_kv "$PROBE_LINE" ok)"
t_check "probe with ours: not Wine's DLL" 0 "$(t_kv "$PROBE_LINE" builtin)"
pid=$(server_pid)
t_check_match "probe with ours: the prefix's ws2server runs" '^[0-9]+$' "$pid"
# Started by the DLL from the copy beside it: nothing outside the prefix named it.
t_check "the server runs from the prefix's copy" "$(readlink -f "$sys32/ws2server")" \
    "$(readlink -f "/proc/${pid:-0}/exe" 2>/dev/null)"

# status reads the registry through Wine, which may take longer than the
# idle server lives: it is asked while a persistent server runs, from the copy.
t_run 15 "$WS2SERVER_BIN" -k --prefix "$WINEPREFIX" >/dev/null 2>&1
t_run 15 "$sys32/ws2server" -p --prefix "$WINEPREFIX" >/dev/null 2>&1
t_check "a persistent server from the prefix's copy starts" 0 "$?"
pid=$(server_pid)
t_run 60 "$SETUP" status --prefix "$WINEPREFIX" >"$T_TMP/status.out" 2>&1
t_check "status exit status" 0 "$?"
cat "$T_TMP/status.out"
t_check_match "status: ours in system32" "ws2server's" "$(grep '^system32/ws2_32.dll' "$T_TMP/status.out")"
t_check "status: override" "override: ws2_32=native" "$(grep '^override' "$T_TMP/status.out")"
t_check_match "status: server" "^server: running \\(pid ${pid:-none}," "$(grep '^server' "$T_TMP/status.out")"

# The override is in the registry file once the wineserver saved it.
WINEPREFIX=$WINEPREFIX t_run 30 "$WINESERVER" -k >/dev/null 2>&1
WINEPREFIX=$WINEPREFIX t_run 30 "$WINESERVER" -w >/dev/null 2>&1
t_check "user.reg has the override" 1 "$(grep -c '^"ws2_32"="native"' "$WINEPREFIX/user.reg")"

# ------------------------------------------------------------- uninstall
t_run 120 "$SETUP" uninstall --prefix "$WINEPREFIX" >"$T_TMP/uninstall.out" 2>&1
t_check "uninstall exit status" 0 "$?"
cat "$T_TMP/uninstall.out"
snapshot "after uninstall"
t_check "system32/ws2_32.dll is Wine's" "Wine builtin DLL" \
    "$(dd if="$sys32/ws2_32.dll" bs=1 skip=64 count=16 2>/dev/null | tr -d '\0')"
t_check "system32/ws2server is gone" no "$([ -e "$sys32/ws2server" ] && echo yes || echo no)"
t_run 15 "$WS2SERVER_BIN" -k --prefix "$WINEPREFIX" >/dev/null 2>&1
WINEPREFIX=$WINEPREFIX t_run 30 "$WINESERVER" -k >/dev/null 2>&1
WINEPREFIX=$WINEPREFIX t_run 30 "$WINESERVER" -w >/dev/null 2>&1
t_check "user.reg has no override" 0 "$(grep -c '^"ws2_32"=' "$WINEPREFIX/user.reg")"

probe builtin
t_check "probe after uninstall: exchange" 1 "$(t_kv "$PROBE_LINE" ok)"
t_check "probe after uninstall: Wine's DLL" 1 "$(t_kv "$PROBE_LINE" builtin)"
t_check "probe after uninstall: no ws2server" "" "$(server_pid)"

if [ $mode = installed ]; then
    # The installed ws2-run finds the installed DLL and server by itself.
    t_run_to ws2run 60 env -i HOME="$HOME" PATH="$PATH" WINEPREFIX="$WINEPREFIX" WINEDEBUG=-all \
        "$bin/ws2-run" "$PROBE"
    rc=$?
    t_show ws2run ws2run "$rc"
    PROBE_LINE=$(grep -m1 '^probe ' "$T_TMP/ws2run.txt")
    t_check "installed ws2-run: exchange" 1 "$(t_kv "$PROBE_LINE" ok)"
    t_check "installed ws2-run: not Wine's DLL" 0 "$(t_kv "$PROBE_LINE" builtin)"
    t_check "installed ws2-run: system32/ws2_32.dll is the installed one" same \
        "$(cmp -s "$OUR_DLL" "$sys32/ws2_32.dll" && echo same || echo differs)"
    pid=$(server_pid)
    t_check "installed ws2-run: the server runs from the installed copy" "$(readlink -f "$SERVER")" \
        "$(readlink -f "/proc/${pid:-0}/exe" 2>/dev/null)"
fi

if [ -f "$WINEPREFIX/drive_c/windows/syswow64/kernel32.dll" ]; then
    echo "skip  the 32-bit program: no 32-bit probe is run yet"
else
    echo "skip  the 32-bit program: this Wine has no 32-bit side (syswow64 has no kernel32.dll)"
fi
t_done
