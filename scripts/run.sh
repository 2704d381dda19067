#!/usr/bin/env bash
# The main job: set up .venv, build the demo store on the embedded default (SQLite) with the
# reference and demo data and an account per role, print its report, then serve the API and
# print its URL and the demo accounts. Options go to `armsgate demo` (e.g. --port 8001).
set -euo pipefail
. "$(dirname "$0")/setup-venv.sh" ""  # no extras (not this script's own arguments)
exec .venv/bin/armsgate demo --serve "$@"
