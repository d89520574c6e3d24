#!/usr/bin/env bash
# Runs the whole test suite on a fresh Debian 12 machine with the .NET 10 SDK: installs what the tests need
# (Debian's chromium for the Playwright journeys) when it is missing, builds, tests, and prints one summary line.
set -uo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
    echo "Installing Debian's chromium for the browser tests..."
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null \
        || { echo "Could not install chromium: the browser tests will fail."; }
fi

dotnet build AutoMLStudio.sln -c Release -nologo -v q || { echo "0 passed, 1 failed (build failed)"; exit 1; }

log=$(mktemp)
# One test assembly at a time: the machine has two cores and several suites train real networks.
dotnet test AutoMLStudio.sln -c Release --no-build -m:1 --logger "console;verbosity=normal" \
    --results-directory TestResults -- RunConfiguration.TreatNoTestsAsError=true 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

sum() { grep -oE "$1: +[0-9]+" "$log" | grep -oE '[0-9]+' | awk '{s+=$1} END {print s+0}'; }
passed=$(sum Passed); failed=$(sum Failed); skipped=$(sum Skipped)
rm -f "$log"
echo
echo "Tests: ${passed} passed, ${failed} failed, ${skipped} skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
