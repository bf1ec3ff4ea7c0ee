#!/usr/bin/env bash
# The README's test command: install everything (idempotent), then run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
# Every core (pytest-xdist), tests sharing a costly preparation on one worker (--dist loadgroup), and
# the 25 slowest printed so that a test growing slow is seen.
exec python3 -m pytest -q -n auto --dist loadgroup --durations=25 "$@"
