#!/bin/sh
# ws2-setup with 32-bit programs: install into a fresh prefix (one with
# syswow64, as the 64-bit loader makes it) puts our 32-bit DLL and a server
# copy into syswow64 beside the 64-bit ones in system32; then a 32-bit and
# a 64-bit program run with no variable of ours (env -i) are each served by
# our DLL (not Wine's); uninstall puts Wine's DLLs back in both places,
# removes the server copies, and the same two programs run on Wine's
# built-in DLLs.  tests/integration/setup.sh checks the rest of ws2-setup
# (refusals, status, the registry) with the 64-bit side alone.
#
# Where 32-bit Wine does not start, this SKIPs (exit 77) with one line that
# says why (tests/wine32.sh); tools/vm32 runs it in a VM where it does.
: "${top_builddir:=.}"
: "${top_srcdir:=.}"
test=setup32
. "$top_srcdir/tests/wine32.sh"

setup=$top_builddir/tools/ws2-setup
dll64=$top_builddir/dlls/ws2_32/ws2_32.dll
dll32=$top_builddir/dlls/ws2_32/i386/ws2_32.dll
probe64=$top_builddir/tests/integration/setup_probe.exe
probe32=$top_builddir/tests/integration/i386/setup_probe.exe
server=$top_builddir/server/ws2server
for f in "$setup" "$dll64" "$dll32" "$probe64" "$probe32" "$server"; do
    [ -f "$f" ] || { echo "$test: FAIL: $f has not been built"; exit 1; }
done

prefix=$tmp/setup
bash "$top_srcdir/tools/wineprefix" clone "$template" "$prefix" || exit 1
export WINEPREFIX=$prefix
sys32=$prefix/drive_c/windows/system32
wow64=$prefix/drive_c/windows/syswow64
[ -d "$wow64" ] || { echo "$test: FAIL: the prefix has no syswow64"; exit 1; }

failures=0
check()
{
    if [ "$2" = "$3" ]; then
        echo "$test:   ok: $1"
    else
        echo "$test:   not ok: $1: expected '$2', got '$3'"
        failures=$((failures + 1))
    fi
}

same() { cmp -s "$1" "$2" && echo same || echo differs; }
present() { [ -e "$1" ] && echo present || echo absent; }
# Wine marks its own DLLs in the DOS stub, at offset 0x40.
wine_dll() { dd if="$1" bs=1 skip=64 count=16 2>/dev/null | tr -d '\0'; }

snapshot()
{
    echo "$test: $1: system32/ws2_32.dll $(md5sum <"$sys32/ws2_32.dll" | cut -c1-12)," \
        "syswow64/ws2_32.dll $(md5sum <"$wow64/ws2_32.dll" | cut -c1-12)," \
        "system32/ws2server $(present "$sys32/ws2server"), syswow64/ws2server $(present "$wow64/ws2server")"
}

# One probe with nothing of ours in the environment: "probe ok=1 builtin=0|1 dll=...".
probe()
{
    env -i HOME="$HOME" PATH="$PATH" WINEPREFIX="$prefix" WINEDEBUG=-all timeout 300 "$1" "$2" 2>&1 |
        grep -m1 '^probe ' | tr -d '\r'
}

field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }

# The 32- and the 64-bit probe, WHEN: each must exchange its message, with
# Wine's DLL (BUILTIN 1) or not (0), said as WHAT.
both_probes()
{
    for way in "32 $WINE32 $probe32" "64 $WINE $probe64"; do
        set -- "$1" "$2" "$3" $way
        line=$(probe "$5" "$6")
        echo "$test:   $4-bit program $1: $line"
        check "$4-bit program $1: the exchange" 1 "$(field "$line" ok)"
        check "$4-bit program $1: $3" "$2" "$(field "$line" builtin)"
    done
}

stop_servers()
{
    "$server" -k --prefix "$prefix" >/dev/null 2>&1
    "${WINESERVER:-/usr/lib/wine/wineserver}" -k >/dev/null 2>&1
    "${WINESERVER:-/usr/lib/wine/wineserver}" -w >/dev/null 2>&1
}

# The wineserver of this test's prefix too, however it ends.
trap 'stop_servers; WINEPREFIX=$tmp/prefix "${WINESERVER:-wineserver}" -k >/dev/null 2>&1; rm -rf "$tmp"' 0

snapshot "before install"
if ! "$setup" install --prefix "$prefix" >"$tmp/install.out" 2>&1; then
    sed "s/^/$test:   /" "$tmp/install.out"
    echo "$test: FAIL: ws2-setup install failed"
    exit 1
fi
sed "s/^/$test:   install: /" "$tmp/install.out"
snapshot "after install"
check "system32/ws2_32.dll is our 64-bit DLL" same "$(same "$dll64" "$sys32/ws2_32.dll")"
check "syswow64/ws2_32.dll is our 32-bit DLL" same "$(same "$dll32" "$wow64/ws2_32.dll")"
check "syswow64/ws2server is a copy of the server" same "$(same "$server" "$wow64/ws2server")"

both_probes "with ours" 0 "not Wine's DLL"
stop_servers

if ! "$setup" uninstall --prefix "$prefix" >"$tmp/uninstall.out" 2>&1; then
    sed "s/^/$test:   /" "$tmp/uninstall.out"
    echo "$test: FAIL: ws2-setup uninstall failed"
    exit 1
fi
sed "s/^/$test:   uninstall: /" "$tmp/uninstall.out"
snapshot "after uninstall"
check "system32/ws2_32.dll is Wine's" "Wine builtin DLL" "$(wine_dll "$sys32/ws2_32.dll")"
check "syswow64/ws2_32.dll is Wine's" "Wine builtin DLL" "$(wine_dll "$wow64/ws2_32.dll")"
check "system32/ws2server is gone" absent "$(present "$sys32/ws2server")"
check "syswow64/ws2server is gone" absent "$(present "$wow64/ws2server")"

both_probes "after uninstall" 1 "Wine's DLL"
stop_servers

if [ $failures = 0 ]; then
    echo "$test: PASS: install, 32- and 64-bit programs on ours, uninstall, both on Wine's"
    exit 0
fi
echo "$test: FAIL: $failures checks failed"
exit 1
