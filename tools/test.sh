#!/usr/bin/env bash
# The README's test command: install everything (idempotent), then run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
exec python3 -m pytest -q "$@"
