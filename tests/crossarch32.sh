#!/bin/sh
# A 32-bit and a 64-bit process share one connection through
# WSADuplicateSocket, both ways: tests/conformance/dupshare.c run as the
# x86-64 program with its i686 build as the child (64 -> 32), then the
# other way round (32 -> 64).  Each closes its descriptor in turn: the
# peer sees nothing at the first close, the data sent after it, and FIN at
# the last close, or RST when linger {1,0} (set through one process, read
# through the other) is in force then.  Both DLLs talk to one ws2server,
# which the first of them starts.
#
# Where 32-bit Wine does not start, this SKIPs (exit 77) with one line that
# says why (tests/wine32.sh); tools/vm32 runs it in a VM where it does.
: "${top_builddir:=.}"
: "${top_srcdir:=.}"
test=crossarch32
. "$top_srcdir/tests/wine32.sh"

exe64=$top_builddir/tests/conformance/dupshare.exe
exe32=$dir32/dupshare.exe
for f in "$exe64" "$exe32"; do
    [ -f "$f" ] || { echo "$test: FAIL: $f has not been built"; exit 1; }
done

# The child's path as the parent's CreateProcess takes it (Wine's Z: drive).
winpath()
{
    echo "Z:$(cd "$(dirname "$1")" && pwd)/$(basename "$1")" | tr / '\\'
}

# CROSSARCH32=64 or 32 runs only the way with that parent.
status=0
for way in "64 $WINE $exe64 $exe32" "32 $WINE32 $exe32 $exe64"; do
    set -- $way
    bits=$1 loader=$2 parent=$3 child=$4
    case ${CROSSARCH32:-$bits} in "$bits") ;; *) continue ;; esac
    other=$((96 - bits))
    if WINE=$loader bash "$runner" "$parent" --child "$(winpath "$child")" >"$tmp/$bits.log" 2>&1; then
        echo "$test: PASS: $bits-bit parent, $other-bit child"
    else
        status=1
        echo "$test: FAIL: $bits-bit parent, $other-bit child"
    fi
    # All of it but the passed checks and a crash report's module list.
    grep -v -e 'Test succeeded' -e '^	' "$tmp/$bits.log" | sed "s/^/$test:   /"
done
exit $status
