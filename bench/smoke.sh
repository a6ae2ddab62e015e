#!/bin/bash
# make check: a quick smoke run of every benchmark (bench/run-bench --smoke),
# a few iterations of each workload three ways (our DLL, Wine's built-in
# ws2_32, native), so that the benchmarks cannot rot.  It only checks that
# each produced a sane number; `make bench` makes the real measurements.
# Exit 0 when they all did, 1 otherwise (77 without Wine, 99 when a
# program is not built).

# make runs this with $(SHELL), which may be dash: it needs bash.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi

here=$(cd "$(dirname "$0")" && pwd)
exec bash "$here/run-bench" --smoke
