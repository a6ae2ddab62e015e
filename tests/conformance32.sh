#!/bin/sh
# The conformance programs built for i686 (tests/conformance/i386/), each
# run under 32-bit Wine with the 32-bit DLL by tests/conformance/run-conformance
# (tools/ws2-run puts that DLL into the prefix's syswow64), against the same
# server as the 64-bit programs.
#
# Where 32-bit Wine does not start, this SKIPs (exit 77) with one line that
# says why: no 32-bit Wine loader, a kernel that cannot run i386 programs
# (32-bit emulation disabled: ENOEXEC), or a loader that starts but does not
# run a 32-bit program.  Never a pass without having run the programs.
#
# WINE32 names the loader that runs 32-bit programs (default: Debian's
# /usr/lib/wine/wine of the wine32 package, or `wine` on PATH);
# CONFORMANCE32 limits the programs (names without .exe).
: "${top_builddir:=.}"
: "${top_srcdir:=.}"
runner=$top_srcdir/tests/conformance/run-conformance
dir=$top_builddir/tests/conformance/i386

skip()
{
    echo "conformance32: SKIP: $*"
    exit 77
}

if [ -z "${WINE32:-}" ]; then
    for w in /usr/lib/wine/wine /usr/lib/i386-linux-gnu/wine/wine "$(command -v wine 2>/dev/null)"; do
        if [ -n "$w" ] && [ -x "$w" ]; then WINE32=$w; break; fi
    done
fi
[ -n "${WINE32:-}" ] || skip "no 32-bit Wine loader (Debian: dpkg --add-architecture i386, apt-get install wine32)"

# Can the kernel start it at all?  (Debian's loader is an i386 program.)
if ! out=$("$WINE32" --version 2>&1); then
    case $out in
    *"Exec format error"* | *"cannot execute binary"*)
        skip "$WINE32 cannot be executed here (ENOEXEC: the kernel runs no 32-bit programs; dmesg says why)" ;;
    *) skip "$WINE32 --version failed: $(echo "$out" | tail -n 1)" ;;
    esac
fi

# Does it run a 32-bit program?  Wine's own 32-bit programs of the prefix
# would need one first: a program of ours with Wine's built-in DLL.
probe=$dir/startup.exe
[ -f "$probe" ] || { echo "conformance32: FAIL: $probe has not been built"; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/conformance32.XXXXXX") || exit 1
trap 'WINEPREFIX=$tmp/prefix "${WINESERVER:-wineserver}" -k >/dev/null 2>&1; rm -rf "$tmp"' 0
trap 'exit 1' HUP INT TERM
if ! WINEPREFIX=$tmp/prefix WINEDEBUG=-all timeout 300 "$WINE32" "$probe" >"$tmp/probe.log" 2>&1 &&
    ! grep -q 'tests executed' "$tmp/probe.log"; then
    skip "32-bit Wine ($WINE32) does not run a 32-bit program here: $(tail -n 1 "$tmp/probe.log")"
fi

# Every program, as the 64-bit ones run: a failure of any fails this test.
status=0 pass=0 fail=0
for exe in "$dir"/*.exe; do
    name=$(basename "$exe" .exe)
    if [ -n "${CONFORMANCE32:-}" ]; then
        case " $CONFORMANCE32 " in *" $name "*) ;; *) continue ;; esac
    fi
    if WINE=$WINE32 "${SHELL:-sh}" "$runner" "$exe" >"$tmp/$name.log" 2>&1; then
        pass=$((pass + 1))
        echo "conformance32: PASS: $name"
    else
        fail=$((fail + 1))
        status=1
        echo "conformance32: FAIL: $name"
        sed 's/^/conformance32:   /' "$tmp/$name.log" | tail -n 30
    fi
done
echo "conformance32: $pass passed, $fail failed under $WINE32"
exit $status
