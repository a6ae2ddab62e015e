#!/bin/bash
# The man pages and --help say the same: for ws2server, ws2-run and
# ws2-setup, the options of the man page's OPTIONS section are those of the
# option lines of --help (an option line starts with a dash; its options
# end at the first two spaces).  No Wine needed.

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

t_need_built "$WS2SERVER_BIN" "$WS2RUN" "$top_builddir/tools/ws2-setup"
t_setup manpages
for tool in ws2server ws2-run ws2-setup; do
    case $tool in
    ws2server) cmd=$WS2SERVER_BIN ;;
    *) cmd=$top_builddir/tools/$tool ;;
    esac
    page=$top_srcdir/doc/man/$tool.1
    t_check "$tool.1 exists" yes "$([ -f "$page" ] && echo yes || echo no)"
    [ -f "$page" ] || continue
    h=$(help_options "$cmd" | tr '\n' ' ')
    m=$(man_options "$page" | tr '\n' ' ')
    t_check_ne "$tool --help lists options" "" "$h"
    t_check "$tool: man page options = --help options" "$h" "$m"
    if command -v man >/dev/null 2>&1; then
        man -l "$page" >/dev/null 2>"$T_TMP/man.err" </dev/null
        t_check "$tool.1 renders without warnings" "" "$(grep -v '^$' "$T_TMP/man.err" | head -n 3)"
    fi
done
t_done
