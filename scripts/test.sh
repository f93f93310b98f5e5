#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test: the unit, conformance and interop
# suites under ASan+UBSan, then a bounded smoke run of every fuzz target, then the clone alone
# (conformance in a fresh clone with nothing beside it, the installed package and examples/).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset dev >/dev/null
cmake --build --preset dev
# Many tests wait on subprocesses (curl, Python, node, servers): more jobs than cores pays.
ctest --preset dev -j4
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
ctest --preset fuzz -j2
# A fresh clone of HEAD in an empty folder: conformance there, install, build and run examples/.
bash tests/standalone.sh
