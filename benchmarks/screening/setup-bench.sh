#!/usr/bin/env bash
# The benchmark-only environment of the screening scorecard: nomenklatura (OpenSanctions'
# matcher, logic-v2) and followthemoney beside armsgate, apart from the runtime venv.
#
#   bash benchmarks/screening/setup-bench.sh [VENV]      (VENV defaults to .venv-bench)
#
# PyICU (needed by rigour, nomenklatura's name library) is compiled against Debian's ICU:
# `apt-get install libicu-dev pkg-config g++` first where they are missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
VENV="${1:-.venv-bench}"
PYTHON="${PYTHON:-python3}"
if ! pkg-config --exists icu-uc 2>/dev/null; then
    echo "setup-bench: ICU development files not found (apt-get install libicu-dev pkg-config)" >&2
    exit 1
fi
"$PYTHON" -m venv "$VENV"
printf '*\n' > "$VENV/.gitignore"  # never committed, whatever the project's .gitignore says
"$VENV/bin/pip" install --quiet --upgrade pip
"$VENV/bin/pip" install --quiet "nomenklatura==4.17.4" "followthemoney==4.11.2"
"$VENV/bin/pip" install --quiet -e .
"$VENV/bin/python" - <<'PY'
from importlib.metadata import version
print("setup-bench: nomenklatura", version("nomenklatura"), "followthemoney",
      version("followthemoney"), "rigour", version("rigour"), "PyICU", version("PyICU"))
PY
