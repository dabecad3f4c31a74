#!/usr/bin/env bash
# Builds and runs the whole test suite: the Release build (ctest, including the reference
# checks when ../shared is present) and the unit tests under ASan + UBSan.
set -euo pipefail
cd "$(dirname "$0")"
./setup.sh --test
jobs="${MCC_BUILD_JOBS:-$(nproc)}"

cmake --build build -j "$jobs"
ctest --test-dir build --output-on-failure -j "$jobs"

echo "== unit tests under AddressSanitizer + UndefinedBehaviorSanitizer =="
if [ ! -f build-asan/build.ninja ]; then
  cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMCC_SANITIZE=ON >/dev/null
fi
cmake --build build-asan -j "$jobs"
# The end-to-end reference cases (minutes under the sanitizers) run in the Release build only.
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-asan --output-on-failure -j "$jobs" -E 'ReferenceCase[.]'
