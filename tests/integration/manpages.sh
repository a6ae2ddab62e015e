#!/bin/bash
# The man pages and --help say the same: for ws2server, ws2-run and
# ws2-setup, the man page's SYNOPSIS (as man renders it) is the Usage line
# of --help; the options of its OPTIONS section are those of the option
# lines of --help (an option line starts with a dash; its options end at the
# first two spaces); the variables of its ENVIRONMENT section are those of
# the "Environment:" lines of --help.  And each page renders without a
# warning.  No Wine needed.
#
#   manpages.sh [BINDIR MAN1DIR]
#
# Without arguments the build tree's tools and doc/man/ are checked; with
# them, installed copies (tests/integration/setup.sh --installed).

# make runs this with $(SHELL), which may be dash: it needs bash.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi

. "$(dirname "$0")/lib.sh"

# The options of --help, one a line, sorted.
help_options()
{
    "$@" --help 2>/dev/null | sed -n -E 's/^ +(-)/\1/p' | sed -E 's/  .*//' |
        grep -oE -- '(^|[ ,])--?[A-Za-z][A-Za-z-]*' | tr -d ' ,' | sort -u
}

# The options of a man page's OPTIONS section, one a line, sorted.
man_options()
{
    sed -n '/^\.SH OPTIONS/,/^\.SH [^O]/p' "$1" | grep -v '^\.SH' |
        sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' | grep -E '^(\.B )?-' | sed -e 's/^\.B //' |
        grep -oE -- '(^|[ ,])--?[A-Za-z][A-Za-z-]*' | tr -d ' ,' | sort -u
}

# The variables of the "Environment:" lines of --help, sorted.
help_environment()
{
    "$@" --help 2>/dev/null | sed -n '/^Environment:/,/^$/p' | sed -n -E 's/^  ([A-Z_][A-Z0-9_]*)( .*)?$/\1/p' |
        sort -u
}

# The variables of a man page's ENVIRONMENT section, sorted.
man_environment()
{
    sed -n '/^\.SH ENVIRONMENT/,/^\.SH [^E]/p' "$1" | grep -A1 '^\.TP' | sed -n -E 's/^\.B ([A-Z_][A-Z0-9_]*)$/\1/p' |
        sort -u
}

# The text of a rendered man page's SYNOPSIS, on one line.
man_synopsis()
{
    LC_ALL=C MANWIDTH=200 man -l "$1" 2>/dev/null </dev/null | sed -n '/^SYNOPSIS/,/^[A-Z]/p' | sed -e '1d' -e '$d' |
        tr -s ' \n' '  ' | sed -e 's/^ //' -e 's/ $//'
}

bindir=${1:-}
man1dir=${2:-$top_srcdir/doc/man}
if [ -z "$bindir" ]; then
    t_need_built "$WS2SERVER_BIN" "$WS2RUN" "$top_builddir/tools/ws2-setup"
else
    t_need_built "$bindir/ws2server" "$bindir/ws2-run" "$bindir/ws2-setup"
fi
t_setup manpages
have_man=0
command -v man >/dev/null 2>&1 && have_man=1
[ $have_man = 1 ] || echo "skip  rendering and SYNOPSIS: no man command"
for tool in ws2server ws2-run ws2-setup; do
    if [ -n "$bindir" ]; then
        cmd=$bindir/$tool
    elif [ $tool = ws2server ]; then
        cmd=$WS2SERVER_BIN
    else
        cmd=$top_builddir/tools/$tool
    fi
    page=$man1dir/$tool.1
    t_check "$tool.1 exists" yes "$([ -f "$page" ] && echo yes || echo no)"
    [ -f "$page" ] || continue
    h=$(help_options "$cmd" | tr '\n' ' ')
    m=$(man_options "$page" | tr '\n' ' ')
    t_check_ne "$tool --help lists options" "" "$h"
    t_check "$tool: man page options = --help options" "$h" "$m"
    h=$(help_environment "$cmd" | tr '\n' ' ')
    m=$(man_environment "$page" | tr '\n' ' ')
    t_check_ne "$tool --help lists its environment" "" "$h"
    t_check "$tool: man page ENVIRONMENT = --help's" "$h" "$m"
    if [ $have_man = 1 ]; then
        t_check "$tool: man page SYNOPSIS = --help's Usage" "$("$cmd" --help 2>/dev/null | sed -n 's/^Usage: //p')" \
            "$(man_synopsis "$page")"
        LC_ALL=C man -l "$page" >/dev/null 2>"$T_TMP/man.err" </dev/null
        t_check "$tool.1 renders without warnings" "" "$(grep -v '^$' "$T_TMP/man.err" | head -n 3)"
    fi
done
t_done
