#!/bin/sh
# The conformance programs built for i686 (tests/conformance/i386/), each
# run under 32-bit Wine with the 32-bit DLL by tests/conformance/run-conformance
# (tools/ws2-run puts that DLL into the prefix's syswow64), against the same
# server as the 64-bit programs.
#
# Where 32-bit Wine does not start, this SKIPs (exit 77) with one line that
# says why (tests/wine32.sh checks).  Never a pass without having run the
# programs.  tools/vm32 runs it in a VM whose kernel runs i386 programs.
#
# WINE32 names the loader that runs 32-bit programs (see tests/wine32.sh);
# CONFORMANCE32 limits the programs (names without .exe).
: "${top_builddir:=.}"
: "${top_srcdir:=.}"
test=conformance32
. "$top_srcdir/tests/wine32.sh"

# Every program, as the 64-bit ones run: a failure of any fails this test.
status=0 pass=0 fail=0
for exe in "$dir32"/*.exe; do
    name=$(basename "$exe" .exe)
    if [ -n "${CONFORMANCE32:-}" ]; then
        case " $CONFORMANCE32 " in *" $name "*) ;; *) continue ;; esac
    fi
    if WINE=$WINE32 bash "$runner" "$exe" >"$tmp/$name.log" 2>&1; then
        pass=$((pass + 1))
        echo "conformance32: PASS: $name ($(grep -h "tests executed" "$tmp/$name.log" | tail -n 1))"
    else
        fail=$((fail + 1))
        status=1
        echo "conformance32: FAIL: $name"
        # All of it but the passed checks and a crash report's module list.
        grep -v -e 'Test succeeded' -e '^	' "$tmp/$name.log" | sed 's/^/conformance32:   /'
    fi
done
echo "conformance32: $pass passed, $fail failed under $WINE32"
exit $status
