#!/usr/bin/env bash
# Runs the whole test suite on a fresh Debian 12 machine with the .NET 10 SDK: installs what the tests need
# (Debian's chromium for the Playwright journeys) when it is missing, builds, tests, and prints one summary line.
set -uo pipefail
cd "$(dirname "$0")/.."

SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
apt_updated=""
install() {
    [ -z "$apt_updated" ] && { $SUDO apt-get update -qq; apt_updated=1; }
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
}

if ! command -v chromium >/dev/null 2>&1; then
    echo "Installing Debian's chromium for the browser tests..."
    install chromium || echo "Could not install chromium: the browser tests will fail."
fi

# LightGBM's native library (the tree learners) needs GNU OpenMP; Debian has it only as other packages' dependency.
if ! ldconfig -p 2>/dev/null | grep -q libgomp.so.1; then
    echo "Installing libgomp1 for the LightGBM learner..."
    install libgomp1 || echo "Could not install libgomp1: the LightGBM tests will fail."
fi

# PostgreSQL for the storage-mode tests: Debian's server on 127.0.0.1:5432, started without systemd, with the role
# the tests connect as. Where it truly cannot be installed, those tests print why and skip.
if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    echo "Installing Debian's postgresql for the PostgreSQL storage tests..."
    install postgresql || echo "Could not install postgresql."
fi
if command -v pg_ctlcluster >/dev/null 2>&1; then
    as_postgres() { if [ -z "$SUDO" ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }
    pg_version=$(ls /etc/postgresql | sort -V | tail -1)
    $SUDO pg_ctlcluster "$pg_version" main start 2>/dev/null || true
    as_postgres psql -tAc "SELECT 1 FROM pg_roles WHERE rolname = 'amls'" 2>/dev/null | grep -q 1 \
        || as_postgres psql -qc "CREATE ROLE amls LOGIN PASSWORD 'amls' CREATEDB" \
        || export AMLS_NO_POSTGRES="the role amls could not be created on the local PostgreSQL server"
else
    export AMLS_NO_POSTGRES="apt-get install postgresql failed on this machine"
fi

[ -n "${AMLS_NO_POSTGRES:-}" ] && echo "The PostgreSQL storage tests will skip: $AMLS_NO_POSTGRES."

dotnet build AutoMLStudio.sln -c Release -nologo -v q || { echo "0 passed, 1 failed (build failed)"; exit 1; }

log=$(mktemp)
# One test assembly at a time: the machine has two cores and several suites train real networks.
dotnet test AutoMLStudio.sln -c Release --no-build -m:1 --logger "console;verbosity=normal" \
    --results-directory TestResults -- RunConfiguration.TreatNoTestsAsError=true 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

sum() { grep -oE "$1: +[0-9]+" "$log" | grep -oE '[0-9]+' | awk '{s+=$1} END {print s+0}'; }
passed=$(sum Passed); failed=$(sum Failed); skipped=$(sum Skipped)
# CI shows only the end of the output: repeat each failed test's name and message just above the summary.
if [ "$failed" -gt 0 ]; then
    echo
    echo "Failed tests:"
    awk '/^  Failed [A-Za-z]/ {print; grab=1; n=0; next}
         grab && /^  Stack Trace:/ {grab=0}
         grab && n < 8 {print substr($0, 1, 600); n++}' "$log"
fi
rm -f "$log"
echo
echo "Tests: ${passed} passed, ${failed} failed, ${skipped} skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
