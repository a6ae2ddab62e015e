#!/bin/bash
# make check's share of the node.exe acceptance test (tests/node/run-node):
# unmodified node.exe 20 runs tests/node/acceptance.js under Wine with our
# ws2_32.dll.  Every case must pass, except those Wine's built-in DLL fails
# too (NODE_BUILTIN_FAILS, measured with `make node-check`; none on Wine
# 8.0).  Short time limits keep a hanging DLL from holding make check for
# more than about two minutes.  SKIP (77) when npm cannot fetch node.exe.

# make runs this with $(SHELL), which may be dash: it needs bash.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi

NODE_BUILTIN_FAILS=""

here=$(cd "$(dirname "$0")" && pwd)
exec bash "$here/../node/run-node" --node 20 --ours --case-timeout 6 --deadline 100 --fetch-timeout 300 \
    --skip "$NODE_BUILTIN_FAILS"
