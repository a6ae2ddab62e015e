#!/bin/bash
# Raw sockets follow the host's privilege: tests/conformance/rawicmp.exe
# (an ICMP echo to 127.0.0.1 on a raw socket, or WSAEACCES and a skip) is
# run once as this script runs, and once with CAP_NET_RAW dropped from the
# process and everything it starts (ws2server included: the DLL starts it
# for a fresh prefix), where socket() must fail with WSAEACCES.  A process
# with CAP_NET_RAW must get the echo reply.

# make runs this with $(SHELL), which may be dash: it needs bash.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi

. "$(dirname "$0")/lib.sh"

PROG=$top_builddir/tests/conformance/rawicmp.exe
t_need_wine
t_need_built "$WS2RUN" "$OUR_DLL" "$WS2SERVER_BIN" "$PROG"

# has_net_raw: whether this process has CAP_NET_RAW (bit 13) in effect.
has_net_raw()
{
    local eff
    eff=$(awk '/^CapEff:/ { print $2 }' /proc/self/status)
    [ -n "$eff" ] && (((0x$eff >> 13) & 1))
}

# run NAME CMD...: run rawicmp.exe in a fresh prefix (and so a fresh server)
# under CMD (a command prefix, or nothing); its output goes to $OUT.
run()
{
    local name=$1
    shift
    t_prefix "$T_TMP/$name-prefix" || exit 99
    t_run 120 "$@" "$WS2RUN" "$PROG" >"$T_TMP/$name.out" 2>&1 </dev/null
    RC=$?
    OUT=$(tr -d '\r' <"$T_TMP/$name.out")
    echo "$OUT" | grep -E "Test failed|tests executed|skipped:|allowed" | head -n 20
    WINEPREFIX=$WINEPREFIX "$WINESERVER" -k 2>/dev/null
}

t_setup raw_privilege

run privileged
t_check "rawicmp.exe as is: exit status" 0 "$RC"
if has_net_raw; then
    t_check_match "with CAP_NET_RAW: the raw socket is made" "raw ICMP sockets are allowed" "$OUT"
    t_check_match "with CAP_NET_RAW: no check skipped" "0 failures\), 0 skipped" "$OUT"
fi

if has_net_raw; then
    command -v setpriv >/dev/null 2>&1 || t_skip "no setpriv to drop CAP_NET_RAW"
    setpriv --inh-caps=-net_raw --bounding-set=-net_raw true 2>/dev/null ||
        t_skip "setpriv cannot drop CAP_NET_RAW here"
    run unprivileged setpriv --inh-caps=-net_raw --bounding-set=-net_raw
else
    run unprivileged
fi
t_check "rawicmp.exe without CAP_NET_RAW: exit status" 0 "$RC"
t_check_match "without CAP_NET_RAW: WSAEACCES" "not allowed here \(WSAEACCES\)" "$OUT"
t_done
