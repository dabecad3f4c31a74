#!/usr/bin/env bash
# Installs the Debian packages mcc-entropy needs (only those missing), then configures and
# builds a Release build in build/. Idempotent; fast when everything is present.
#   ./setup.sh            build dependencies + Release build
#   ./setup.sh --test     also the packages the test suite uses (GROMACS for `gmx dump`)
set -euo pipefail
cd "$(dirname "$0")"

build_pkgs=(cmake ninja-build g++ pkg-config libeigen3-dev libyaml-cpp-dev nlohmann-json3-dev
  libcli11-dev libfmt-dev liblapack-dev libopenmpi-dev openmpi-bin libnetcdf-dev
  libgtest-dev libgmock-dev libbenchmark-dev librdkit-dev)
test_pkgs=(gromacs)

want=("${build_pkgs[@]}")
[ "${1:-}" = "--test" ] && want+=("${test_pkgs[@]}")

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -f build/build.ninja ]; then
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build build --target mcc-entropy
