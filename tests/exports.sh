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
# Then the same for the 32-bit DLL (dlls/ws2_32/i386/ws2_32.dll), without
# the exports only 64-bit Windows has, and no name may keep its stdcall
# decoration (name@N).  Then it checks the argument lists of the spec: in
# the 32-bit DLL's objects a stdcall function's symbol says how many bytes
# of arguments it pops (_accept@12), compared with the def that
# `specgen def --arch i686` writes.  Last, every import of either DLL must
# be exported by Wine's DLL of that name (its PE DLLs of the architecture,
# found in Wine's usual places or WINE_PE_DIR; the 64-bit ones stand in for
# the 32-bit ones where those are not installed, as said in the log).
# MINGW32_OBJDUMP and I686_NM name the i686 tools.

: "${top_builddir:=.}"
: "${top_srcdir:=.}"
dll=$top_builddir/dlls/ws2_32/ws2_32.dll
dll32=$top_builddir/dlls/ws2_32/i386/ws2_32.dll
spec=$top_srcdir/dlls/ws2_32/ws2_32.spec
objdump=${MINGW_OBJDUMP:-x86_64-w64-mingw32-objdump}
objdump32=${MINGW32_OBJDUMP:-i686-w64-mingw32-objdump}

for tool in "$objdump" "$objdump32"; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "exports: SKIP: $tool not found"
        exit 77
    fi
done
if [ ! -r "$spec" ]; then
    echo "exports: FAIL: cannot read $spec"
    exit 1
fi
for d in "$dll" "$dll32"; do
    if [ ! -f "$d" ]; then
        echo "exports: FAIL: $d has not been built"
        exit 1
    fi
done

tmpdir=$(mktemp -d "${TMPDIR:-/tmp}/exports.XXXXXX") || exit 1
trap 'rm -rf "$tmpdir"' 0
trap 'exit 1' HUP INT TERM

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

# check_table LABEL DLL OBJDUMP ARCH: the export table of DLL (built for
# ARCH, x86_64 or i686: the latter has no -arch=win64 export) against the
# spec.  Every name must be plain (an i686 stdcall symbol exported as
# name@N is reported as decorated).
#
# objdump prints, after "Ordinal Base N", the export address table
# ("[ i] +base[ ord] RVA Export RVA", or "[ i] RVA Export RVA" in older
# binutils, i being ord - N) and the name table ("[ i] name", or
# "[ i] +base[ ord] hint name").  The spec is read first, then the dump.
check_table()
{
    label=$1 table=$tmpdir/objdump-$4.txt
    if ! "$3" -p "$2" > "$table"; then
        echo "exports: FAIL: $3 -p $2 failed"
        return 1
    fi
    FIXED_ORDINALS=$fixed awk -v high="$high" -v specpath="$spec" -v arch="$4" -v label="$label" '
function report(msg)
{
    print "exports: " label ": " msg
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
    if (f[3] == "-arch=win64" && arch != "x86_64")
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
    if (name ~ /@/)
        report("decorated: " name " (exported with its stdcall suffix)")
    next
}

END {
    if (!have_exports || base == "") {
        print "exports: " label ": FAIL: no export table found by objdump"
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

    printf "exports: %s: %d names compared, %d mismatches\n", label, nspec, mismatches
    if (mismatches)
        exit 1
    exit 0
}
' "$spec" "$table"
}

# check_imports LABEL DLL OBJDUMP WINEDIR: every function DLL imports is
# exported by the Wine DLL of that name in WINEDIR (Wine's PE DLLs of the
# architecture), so that the loader resolves it in any prefix.
check_imports()
{
    label=$1 table=$tmpdir/imports-$1.txt
    "$3" -p "$2" | awk '
/^[ \t]*DLL Name:/ { dll = tolower($3); next }
/^[ \t]*vma:/ { next }
/^[ \t]*$/ { dll = "" }
dll != "" && NF >= 3 && $1 ~ /^[0-9a-f]+$/ && $2 ~ /^[0-9]+$/ { print dll, $3 }
' > "$table"
    if [ ! -s "$table" ]; then
        echo "exports: $label: FAIL: no import found by $3"
        return 1
    fi
    bad=0 count=0
    for lib in $(cut -d' ' -f1 "$table" | sort -u); do
        wine_dll=$(find "$4" -maxdepth 1 -iname "$lib" | head -n 1)
        if [ -z "$wine_dll" ]; then
            echo "exports: $label: imports from $lib, which Wine does not have in $4"
            bad=$((bad + 1))
            continue
        fi
        "$objdump" -p "$wine_dll" | awk '/^\[Ordinal\/Name Pointer\] Table/ { t = 1; next } t && /^[ \t]*\[/ { print $NF }
            t && /^[ \t]*$/ { t = 0 }' | sort -u > "$tmpdir/wine-exports.txt"
        for fn in $(awk -v lib="$lib" '$1 == lib { print $2 }' "$table"); do
            count=$((count + 1))
            if ! grep -qxF "$fn" "$tmpdir/wine-exports.txt"; then
                echo "exports: $label: imports $lib!$fn, which Wine's $lib does not export"
                bad=$((bad + 1))
            fi
        done
    done
    echo "exports: $label: $count imports resolved against $4, $bad unresolved"
    [ "$bad" -eq 0 ]
}

status=0
check_table x86_64 "$dll" "$objdump" x86_64 || status=1
check_table i686 "$dll32" "$objdump32" i686 || status=1

# Wine's PE DLLs: WINE_PE_DIR, else where Debian and Wine's own builds put them.
winedir64="" winedir32=""
for d in ${WINE_PE_DIR:-} /usr/lib/x86_64-linux-gnu/wine /usr/lib/wine /usr/lib64/wine /usr/local/lib/wine; do
    [ -z "$winedir64" ] && [ -f "$d/x86_64-windows/kernel32.dll" ] && winedir64=$d/x86_64-windows
    [ -z "$winedir32" ] && [ -f "$d/i386-windows/kernel32.dll" ] && winedir32=$d/i386-windows
done
if [ -z "$winedir64" ]; then
    echo "exports: imports not checked: no Wine PE DLLs found (set WINE_PE_DIR)"
else
    check_imports x86_64 "$dll" "$objdump" "$winedir64" || status=1
    # Without 32-bit Wine, its 64-bit DLLs: the same names but for a few
    # that one architecture only has, which would be reported.
    [ -n "$winedir32" ] || echo "exports: i686: no 32-bit Wine installed: its imports are resolved against the 64-bit DLLs"
    check_imports i686 "$dll32" "$objdump32" "${winedir32:-$winedir64}" || status=1
fi
[ "$status" -eq 0 ] || exit 1

# ---- the argument lists, in the i686 build
# The objects of the 32-bit DLL name each stdcall function with the bytes of
# arguments it pops (_accept@12); the def of `specgen def --arch i686` says
# what the spec wants.  (The link refuses a def name no object defines:
# --disable-stdcall-fixup; this says which function is wrong and how.)
i686_nm=${I686_NM:-i686-w64-mingw32-nm}
if ! command -v "$i686_nm" >/dev/null 2>&1; then
    echo "exports: FAIL: $i686_nm not found (Debian package binutils-mingw-w64-i686)"
    exit 1
fi
objs=$(ls "$top_builddir"/dlls/ws2_32/i386/*.pe.o 2>/dev/null)
if [ -z "$objs" ]; then
    echo "exports: FAIL: no objects of the 32-bit DLL in $top_builddir/dlls/ws2_32/i386"
    exit 1
fi
sh "$top_srcdir/tools/specgen" def --arch i686 "$spec" > "$tmpdir/i686.def" || exit 1
# shellcheck disable=SC2086
"$i686_nm" -g --defined-only $objs > "$tmpdir/nm.txt" || exit 1

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
