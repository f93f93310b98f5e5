#!/usr/bin/env bash
# The clone stands alone: `git clone` the committed HEAD into an empty temporary folder (no
# ../shared beside it), build there what the conformance suites need, run them, then install
# into a temporary prefix and build and run examples/ against it (examples/test.sh). Anything
# that reaches outside the clone fails here. No sanitizers and no ccache: this is CI's cost.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git clone -q "$root" "$work/httpstate"
src=$work/httpstate
[ ! -e "$work/shared" ] || { echo "standalone: $work/shared exists" >&2; exit 1; }
# The Node peers are not needed by these suites; the vendored data is all they read.
cmake -S "$src" -B "$src/build/standalone" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_CXX_COMPILER=g++-12 -DCMAKE_C_COMPILER=gcc-12 >"$work/configure.log" 2>&1 ||
  { cat "$work/configure.log" >&2; exit 1; }
cmake --build "$src/build/standalone" -j2 \
  --target conformance_parser_test conformance_wpt_test cookie_date_test httpstate_cookie \
  httpstate_url httpstate_jar httpstate_persist httpstate_codec httpstate
for t in tests/conformance/conformance_parser_test tests/conformance/conformance_wpt_test tests/cookie/cookie_date_test; do
  "$src/build/standalone/$t" --gtest_brief=1
done
# Install only what was built: the install step would otherwise want every target.
cmake --install "$src/build/standalone" --prefix "$work/prefix" >/dev/null
"$work/prefix/bin/httpstate" --version
bash "$src/examples/test.sh" "$work/prefix"
