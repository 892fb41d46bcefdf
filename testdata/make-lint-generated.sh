#!/usr/bin/env bash
# Regenerates the lint cases that no real stack here produces on demand
# (tests/tools/gen_lint.py says what each one shows).
set -eu
cd "$(dirname "$0")/.."
python3 tests/tools/gen_lint.py testdata
