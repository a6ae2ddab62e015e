#!/bin/bash
# make check: bench/count-syscalls on a few calls, our DLL and native, so
# that the counting cannot rot.  Native Linux makes exactly one system call
# per control call, which checks the phase markers and the counting (plus
# the pause at a phase's end: 1/50 here); ours must have counted something
# in every phase.  Exit 77 without strace.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
here=$(cd "$(dirname "$0")" && pwd)
command -v strace >/dev/null 2>&1 || { echo "SKIP: no strace"; exit 77; }
out=$(bash "$here/count-syscalls" --count 50 --ways ours,native 2>&1)
rc=$?
echo "$out"
[ $rc -eq 0 ] || { echo "FAIL: count-syscalls exited with $rc"; exit 1; }
status=0
for phase in getsockopt_linger setsockopt_linger getsockopt_nodelay setsockopt_nodelay socket closesocket; do
    native=$(echo "$out" | sed -n "s/^SYSCALLS way=native phase=$phase program=\([0-9.]*\) .*/\1/p")
    ours=$(echo "$out" | sed -n "s/^SYSCALLS way=ours phase=$phase .* total=\([0-9.]*\) .*/\1/p")
    if [ -z "$native" ] || ! awk -v v="$native" 'BEGIN { exit !(v + 0 >= 1 && v + 0 <= 1.05) }'; then
        echo "FAIL: native $phase: ${native:-no count} system calls per call, not 1"
        status=1
    fi
    if [ -z "$ours" ] || ! awk -v v="$ours" 'BEGIN { exit !(v + 0 >= 1) }'; then
        echo "FAIL: ours $phase: ${ours:-no count}"
        status=1
    fi
done
[ $status -eq 0 ] && echo "PASS: every phase counted, native at one system call per call (and the pause)"
exit $status
