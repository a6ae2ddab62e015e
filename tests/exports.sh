#!/bin/sh
# Check the export table of the built ws2_32.dll against ws2_32.spec.
#
# Run by `make check` (automake test: 0 pass, 1 fail, 77 skip) with
# top_builddir and top_srcdir set to absolute paths.  The spec is the
# source of truth; this test reads the DLL's real table with objdump and
# reports every name that is missing, extra, or at another ordinal, then
# checks the ordinals that Windows fixes and that nothing but our few
# extra names sits at 500 or above.  MINGW_OBJDUMP may name another
# objdump that understands PE files.
#
# Then it checks the argument lists of the spec: it compiles the DLL's
# sources and the generated stubs for i686, where a stdcall function's
# symbol says how many bytes of arguments it pops (_accept@12), and compares
# each with the def that `specgen def --arch i686` writes (which leaves
# out the exports only 64-bit Windows has).  I686_CC (default
# i686-w64-mingw32-gcc) and I686_NM name the tools; without them this part
# is left out with a note.  WS2_DLL_SRCS and WS2_DLL_CFLAGS (set by make)
# give the sources and the flags of the DLL.

: "${top_builddir:=.}"
: "${top_srcdir:=.}"
dll=$top_builddir/dlls/ws2_32/ws2_32.dll
spec=$top_srcdir/dlls/ws2_32/ws2_32.spec
objdump=${MINGW_OBJDUMP:-x86_64-w64-mingw32-objdump}

if ! command -v "$objdump" >/dev/null 2>&1; then
    echo "exports: SKIP: $objdump not found"
    exit 77
fi
if [ ! -r "$spec" ]; then
    echo "exports: FAIL: cannot read $spec"
    exit 1
fi
if [ ! -f "$dll" ]; then
    echo "exports: FAIL: $dll has not been built"
    exit 1
fi

tmpdir=$(mktemp -d "${TMPDIR:-/tmp}/exports.XXXXXX") || exit 1
trap 'rm -rf "$tmpdir"' 0
tmp=$tmpdir/objdump.txt
trap 'exit 1' HUP INT TERM
if ! "$objdump" -p "$dll" > "$tmp"; then
    echo "exports: FAIL: $objdump -p $dll failed"
    exit 1
fi

# The ordinals Windows has always had: these names, at these numbers.
fixed='
1 accept
2 bind
3 closesocket
4 connect
5 getpeername
6 getsockname
7 getsockopt
8 htonl
9 htons
10 ioctlsocket
11 inet_addr
12 inet_ntoa
13 listen
14 ntohl
15 ntohs
16 recv
17 recvfrom
18 select
19 send
20 sendto
21 setsockopt
22 shutdown
23 socket
51 gethostbyaddr
52 gethostbyname
53 getprotobyname
54 getprotobynumber
55 getservbyname
56 getservbyport
57 gethostname
101 WSAAsyncSelect
102 WSAAsyncGetHostByAddr
103 WSAAsyncGetHostByName
104 WSAAsyncGetProtoByNumber
105 WSAAsyncGetProtoByName
106 WSAAsyncGetServByPort
107 WSAAsyncGetServByName
108 WSACancelAsyncRequest
109 WSASetBlockingHook
110 WSAUnhookBlockingHook
111 WSAGetLastError
112 WSASetLastError
113 WSACancelBlockingCall
114 WSAIsBlocking
115 WSAStartup
116 WSACleanup
151 __WSAFDIsSet
500 WEP
'
# The only names allowed at ordinal 500 and above.
high='WEP ProcessSocketNotifications WSCInstallProviderAndChains'

# objdump prints, after "Ordinal Base N", the export address table
# ("[ i] +base[ ord] RVA Export RVA", or "[ i] RVA Export RVA" in older
# binutils, i being ord - N) and the name table ("[ i] name", or
# "[ i] +base[ ord] hint name").  The spec is read first, then the dump.
FIXED_ORDINALS=$fixed awk -v high="$high" -v specpath="$spec" '
function report(msg)
{
    print "exports: " msg
    mismatches++
}

# the ordinal of an objdump table line: from "+base[ ord]" if present,
# else from the index "[ i]" and the ordinal base
function line_ordinal(s,    t)
{
    if (index(s, "+base[")) {
        t = substr(s, index(s, "+base[") + 6)
    } else {
        t = substr(s, index(s, "[") + 1)
    }
    sub(/\].*/, "", t)
    gsub(/ /, "", t)
    return index(s, "+base[") ? t + 0 : t + base
}

BEGIN {
    nfixed = split(ENVIRON["FIXED_ORDINALS"], fl, " ")
    for (i = 1; i < nfixed; i += 2)
        fixed_name[fl[i] + 0] = fl[i + 1]
    split(high, hl, " ")
    for (i in hl)
        high_ok[hl[i]] = 1
    section = ""
    base = ""
}

FILENAME == specpath {
    line = $0
    sub(/#.*/, "", line)
    # ORDINAL stdcall [-arch=win64] NAME(ARGS) ...
    if (split(line, f, " ") < 3)
        next
    name = (f[3] ~ /^-/) ? f[4] : f[3]
    sub(/\(.*/, "", name)
    nspec++
    spec_ord[name] = f[1] + 0
    spec_order[nspec] = name
    next
}

# ---- the objdump output
/^There is an export table/ { have_exports = 1 }
/^Ordinal Base/ && base == "" { base = $NF + 0 }
/^Export Address Table/ { section = "eat"; next }
/^\[Ordinal\/Name Pointer\] Table/ { section = "names"; next }
/^[^ \t]/ { section = "" }
/^[ \t]*$/ { section = ""; next }

section == "eat" && /^[ \t]*\[/ {
    # the RVA is the field before "Export RVA" / "Forwarder RVA"
    if ($(NF - 2) ~ /^0+$/)
        next
    eat_ord[line_ordinal($0)] = 1
    next
}

section == "names" && /^[ \t]*\[/ {
    name = $NF
    o = line_ordinal($0)
    ndll++
    if (name in dll_ord)
        report("name " name " exported twice (ordinals " dll_ord[name] " and " o ")")
    dll_ord[name] = o
    if (o in dll_name)
        report("ordinal " o " carries two names: " dll_name[o] " and " name)
    dll_name[o] = name
    next
}

END {
    if (!have_exports || base == "") {
        print "exports: FAIL: no export table found by objdump"
        exit 1
    }

    # every spec line against the DLL
    for (i = 1; i <= nspec; i++) {
        n = spec_order[i]
        if (!(n in dll_ord))
            report("missing: " n " @" spec_ord[n] " (in the spec, not in the DLL)")
        else if (dll_ord[n] != spec_ord[n])
            report("ordinal: " n " is @" dll_ord[n] " in the DLL, @" spec_ord[n] " in the spec")
    }
    # every DLL name against the spec
    for (n in dll_ord)
        if (!(n in spec_ord))
            report("extra: " n " @" dll_ord[n] " (in the DLL, not in the spec)")
    # exports by ordinal only
    for (o in eat_ord)
        if (!(o in dll_name))
            report("extra: ordinal " o " is exported without a name")

    # the ordinals Windows fixes
    for (o in fixed_name) {
        if (!(o in dll_name))
            report("fixed: ordinal " o " should be " fixed_name[o] ", the DLL has nothing there")
        else if (dll_name[o] != fixed_name[o])
            report("fixed: ordinal " o " should be " fixed_name[o] ", the DLL has " dll_name[o])
    }
    # nothing else at 500 and above
    for (n in dll_ord)
        if (dll_ord[n] >= 500 && !(n in high_ok))
            report("high: " n " @" dll_ord[n] " (only " high " may be at 500 or above)")

    printf "exports: %d names compared, %d mismatches\n", nspec, mismatches
    if (mismatches)
        exit 1
    exit 0
}
' "$spec" "$tmp" || exit 1

# ---- the argument lists, against an i686 build
i686_cc=${I686_CC:-i686-w64-mingw32-gcc}
i686_nm=${I686_NM:-i686-w64-mingw32-nm}
if ! command -v "$i686_cc" >/dev/null 2>&1 || ! command -v "$i686_nm" >/dev/null 2>&1; then
    echo "exports: argument lists not checked: $i686_cc or $i686_nm not found"
    exit 0
fi
if [ -z "${WS2_DLL_SRCS:-}" ]; then
    WS2_DLL_SRCS=$(cd "$top_srcdir" && echo dlls/ws2_32/*.c)
fi
: "${WS2_DLL_CFLAGS:=-std=gnu11 -D_WIN32_WINNT=0x0A00 -DWINSOCK_API_LINKAGE= -DWIN32_LEAN_AND_MEAN}"
specgen=$top_srcdir/tools/specgen
sh "$specgen" def --arch i686 "$spec" > "$tmpdir/i686.def" || exit 1
sh "$specgen" stubs "$spec" > "$tmpdir/stubs.c" || exit 1
sources="$tmpdir/stubs.c"
for src in $WS2_DLL_SRCS; do
    case $src in
    # the x86-64 Linux syscall shim: no exports, and a 32-bit build needs its own
    */linux.c) ;;
    # a stubs.c built in the source tree: the one generated above replaces it
    */stubs.c) ;;
    *) sources="$sources $top_srcdir/$src" ;;
    esac
done
n=0
for src in $sources; do
    n=$((n + 1))
    # -O0 and no warnings: only the symbols matter here, and quickly
    if ! $i686_cc $WS2_DLL_CFLAGS -O0 -w -I"$top_srcdir/include" -I"$top_srcdir/dlls/ws2_32" \
            -c -o "$tmpdir/$n.o" "$src" 2>"$tmpdir/cc.err"; then
        echo "exports: FAIL: $src does not compile for i686:"
        sed 's/^/exports:   /' "$tmpdir/cc.err" | head -n 10
        exit 1
    fi
done
"$i686_nm" -g --defined-only "$tmpdir"/*.o > "$tmpdir/nm.txt" || exit 1

# def lines are "NAME@N @ORD" or "NAME=ws2_stub_NAME@N @ORD"; the objects
# must define _NAME@N or _ws2_stub_NAME@N with the same N
awk -v defpath="$tmpdir/i686.def" '
FILENAME == defpath {
    if ($1 !~ /@[0-9]+$/)
        next
    sym = $1
    sub(/^[^=]*=/, "", sym)
    export = $1
    sub(/[=@].*/, "", export)
    base = sym
    sub(/@[0-9]+$/, "", base)
    n++
    want_export[n] = export
    want_base[n] = "_" base
    want_bytes[n] = substr(sym, length(base) + 2) + 0
    next
}
$2 ~ /^[TtDd]$/ && $3 ~ /@[0-9]+$/ {
    b = $3
    sub(/@[0-9]+$/, "", b)
    have[b] = substr($3, length(b) + 2) + 0
}
END {
    for (i = 1; i <= n; i++) {
        if (!(want_base[i] in have)) {
            print "exports: arguments: " want_export[i] ": no stdcall " substr(want_base[i], 2) " in the i686 build"
            bad++
        } else if (have[want_base[i]] != want_bytes[i]) {
            print "exports: arguments: " want_export[i] " takes " have[want_base[i]] " bytes in the i686 build, " \
                want_bytes[i] " by the spec"
            bad++
        }
    }
    printf "exports: %d argument lists compared with an i686 build, %d mismatches\n", n, bad
    exit bad ? 1 : 0
}
' "$tmpdir/i686.def" "$tmpdir/nm.txt"
