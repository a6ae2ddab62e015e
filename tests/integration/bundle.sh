#!/bin/bash
# The release folder: tools/mkbundle packs it, the tarball is unpacked on
# its own, and its ws2-setup installs into a fresh prefix (tests/integration/setup.sh --bundle).
exec bash "$(dirname "$0")/setup.sh" --bundle
