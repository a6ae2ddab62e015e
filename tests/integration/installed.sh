#!/bin/bash
# The installed copies: make install DESTDIR=... into a directory of its
# own, then the installed man pages against the installed tools' --help, and
# the installed ws2-setup and ws2-run with a fresh prefix (tests/integration/setup.sh --installed).
exec bash "$(dirname "$0")/setup.sh" --installed
