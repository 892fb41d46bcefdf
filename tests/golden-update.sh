#!/usr/bin/env bash
# Regenerates tests/golden/*.out from tests/TESTLIST. Review `git diff
# tests/golden` before committing: a golden file is a claim about the output.
exec "$(dirname "$0")/golden.sh" update
