#!/usr/bin/env bash
# Sets up (like start_worker.sh) and runs every test project; the last line is `N passed, N failed, N skipped`.
# Extra arguments go to `dotnet test` (for example --filter "FullyQualifiedName~Store").
set -uo pipefail
cd "$(dirname "$0")"
source scripts/setup.sh
mw_ensure_system_packages || exit 1
mw_build_publish || { echo "0 passed, 1 failed"; exit 1; }

results="$PWD/TestResults"
rm -rf "$results"
mkdir -p "$results"
# --blame-hang keeps a stuck test from eating the CI budget; each project's tests run in its own process.
dotnet test MediaWorker.sln --nologo -v q \
  --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results" \
  --blame-hang-timeout 10m "$@" 2>&1 | grep -Ev '^\s*(Passed|Skipped) ' 
status=${PIPESTATUS[0]}

passed=0 failed=0 skipped=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  e=$(sed -n 's/.* error="\([0-9]*\)".*/\1/p' <<<"$counters")
  t=$(sed -n 's/.* timeout="\([0-9]*\)".*/\1/p' <<<"$counters")
  total=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters")
  executed=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0} + ${e:-0} + ${t:-0}))
  skipped=$((skipped + ${total:-0} - ${executed:-0}))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1 # the build or a test host failed before any result was written
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
