#!/usr/bin/env bash
# The main job: set up .venv, then build the demo store on the embedded default (SQLite)
# with the reference and demo data, and print the report.
set -euo pipefail
. "$(dirname "$0")/setup-venv.sh"
exec .venv/bin/armsgate demo "$@"
