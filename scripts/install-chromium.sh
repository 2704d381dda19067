# Sourced by test.sh: make sure Debian's Chromium is installed for the browser tests.
# Sets ARMSGATE_CHROMIUM to its path, or leaves it empty (browser tests then skip, saying
# so; with CI=true a missing browser fails the run).
ARMSGATE_CHROMIUM="$(command -v chromium || true)"
if [ -z "$ARMSGATE_CHROMIUM" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian's chromium for the browser tests"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo -n"; fi
  if $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null 2>&1 \
     || { $sudo apt-get update -qq >/dev/null 2>&1 && \
          $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }; then
    ARMSGATE_CHROMIUM="$(command -v chromium || true)"
  fi
fi
if [ -n "$ARMSGATE_CHROMIUM" ]; then
  echo "Chromium: $("$ARMSGATE_CHROMIUM" --version 2>/dev/null || echo "$ARMSGATE_CHROMIUM")"
elif [ "${CI:-}" = "true" ]; then
  echo "Chromium could not be installed and CI=true: failing" >&2
  exit 1
else
  echo "Chromium is NOT installed: the browser tests will be SKIPPED"
fi
export ARMSGATE_CHROMIUM
