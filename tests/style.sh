#!/bin/sh
# Run by `make check`: the C sources must match .clang-format (see
# tools/format-check; SKIP without clang-format).
: "${top_srcdir:=.}"
exec sh "$top_srcdir/tools/format-check"
