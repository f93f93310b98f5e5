#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test: the unit, conformance and interop
# suites under ASan+UBSan, then a bounded smoke run of every fuzz target.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset dev >/dev/null
cmake --build --preset dev
ctest --preset dev
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
ctest --preset fuzz
