# wine32.sh: sourced by the tests that run 32-bit programs
# (conformance32.sh, crossarch32.sh).  Finds the 32-bit Wine loader and
# checks that it runs a 32-bit program here, or SKIPs (exit 77) with one
# line that says why: no 32-bit Wine loader, a kernel that cannot run i386
# programs (32-bit emulation disabled: ENOEXEC), or a loader that starts
# but does not run a 32-bit program.  Never a pass without a run.
#
# Expects $test (the name in the messages), top_builddir and top_srcdir.
# Sets WINE32 (default: Debian's /usr/lib/wine/wine of the wine32 package,
# or `wine` on PATH), WINE (the 64-bit loader, which makes the prefixes)
# and tmp, a temporary directory removed at exit with the wineserver of
# the probe's prefix.

runner=$top_srcdir/tests/conformance/run-conformance
dir32=$top_builddir/tests/conformance/i386
template=$top_builddir/tests/wineprefix-template

skip()
{
    echo "$test: SKIP: $*"
    exit 77
}

if [ -z "${WINE32:-}" ]; then
    for w in /usr/lib/wine/wine /usr/lib/i386-linux-gnu/wine/wine "$(command -v wine 2>/dev/null)"; do
        if [ -n "$w" ] && [ -x "$w" ]; then WINE32=$w; break; fi
    done
fi
[ -n "${WINE32:-}" ] || skip "no 32-bit Wine loader (Debian: dpkg --add-architecture i386, apt-get install wine32)"
: "${WINE:=/usr/lib/wine/wine64}"
export WINE WINE32

# Can the kernel start it at all?  (Debian's loader is an i386 program.)
if ! out=$("$WINE32" --version 2>&1); then
    case $out in
    *"Exec format error"* | *"cannot execute binary"*)
        skip "$WINE32 cannot be executed here (ENOEXEC: the kernel runs no 32-bit programs; dmesg says why)" ;;
    *) skip "$WINE32 --version failed: $(echo "$out" | tail -n 1)" ;;
    esac
fi

# Does it run a 32-bit program?  One of ours with Wine's built-in DLL, in
# a clone of the tests' prefix (made by the 64-bit loader: a prefix with
# syswow64, which is where tools/ws2-run puts the 32-bit DLL).
probe=$dir32/startup.exe
[ -f "$probe" ] || { echo "$test: FAIL: $probe has not been built"; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/$test.XXXXXX") || exit 1
trap 'WINEPREFIX=$tmp/prefix "${WINESERVER:-wineserver}" -k >/dev/null 2>&1; rm -rf "$tmp"' 0
trap 'exit 1' HUP INT TERM
bash "$top_srcdir/tools/wineprefix" template "$template" >"$tmp/template.log" 2>&1 ||
    skip "no Wine prefix could be made: $(tail -n 1 "$tmp/template.log")"
bash "$top_srcdir/tools/wineprefix" clone "$template" "$tmp/prefix" || exit 1
if ! WINEPREFIX=$tmp/prefix WINEDEBUG=-all timeout 600 "$WINE32" "$probe" >"$tmp/probe.log" 2>&1 &&
    ! grep -q 'tests executed' "$tmp/probe.log"; then
    skip "32-bit Wine ($WINE32) does not run a 32-bit program here: $(tail -n 1 "$tmp/probe.log")"
fi
