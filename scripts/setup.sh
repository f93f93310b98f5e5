#!/usr/bin/env bash
# Installs every build, test and interop dependency from Debian's packages and npm.
# Idempotent: quiet when nothing is missing.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

apt_packages=(
  build-essential cmake ninja-build pkg-config git clang libclang-rt-14-dev
  libcurl4-openssl-dev curl wget libpsl-dev publicsuffix libidn2-dev
  libssl-dev zlib1g-dev nlohmann-json3-dev libsqlite3-dev sqlite3
  redis-server libhiredis-dev libboost-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  python3 python3-requests python3-aiohttp python3-flask python3-itsdangerous
  python3-tornado python3-httpbin python3-cryptography
)
# Some images ship a nodesource nodejs that bundles npm and conflicts with Debian's npm.
command -v node >/dev/null || apt_packages+=(nodejs)
command -v npm >/dev/null || apt_packages+=(npm)

missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Node peers for interop tests and benchmarks: the project's package.json and package-lock.json,
# installed with `npm ci` (exactly the locked versions) into build/node, never committed. Reinstalled
# when the lock file changes.
node_dir="$root/build/node"
if ! cmp -s "$root/package-lock.json" "$node_dir/package-lock.json" || [ ! -d "$node_dir/node_modules" ]; then
  echo "setup: installing node peers into build/node (npm ci)"
  mkdir -p "$node_dir"
  cp "$root/package.json" "$root/package-lock.json" "$node_dir/"
  npm ci --prefix "$node_dir" --no-audit --no-fund --silent >/dev/null
fi
