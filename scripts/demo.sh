#!/usr/bin/env bash
# Installs what is missing, builds the release `httpstate`, and shows what it does.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release >/dev/null
hs=build/release/httpstate
echo "\$ httpstate --help"
"$hs" --help
