#!/usr/bin/env bash
# Runs mcc-entropy on the bundled example (building first if needed) and shows the result.
set -euo pipefail
cd "$(dirname "$0")"
./setup.sh >/dev/null
cd examples
../build/mcc-entropy --config config.yaml --output_file example_output.json
