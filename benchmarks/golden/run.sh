#!/usr/bin/env bash
# The CLI's outputs on the bundled demo, the example plan, the example case file, the case
# package and the search update, as MD5 checksums: the record that a refactor changed no byte.
#
# usage, from the repository root:  benchmarks/golden/run.sh OUTDIR [SARKIT]
#   OUTDIR  a new folder for the outputs (removed first)
#   SARKIT  the command to run (default .venv/bin/sarkit)
# It prints "md5  path" for every output, sorted. Two things that vary by design are made
# constant first: the time a case package was imported (import.out) and the date-time group of
# the SITREP (the time of writing, in UTC and in local time). The package's manifest (which records the time of export)
# and the zip itself are left out; their members are unpacked and checked one by one.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=$1
sarkit=${2:-$root/.venv/bin/sarkit}
examples=$root/sarkit/data
rm -rf "$out"; mkdir -p "$out"; cd "$out"
cp "$here/period2.toml" .
$sarkit demo --out demo > demo.out 2>&1
$sarkit plan "$examples/example_plan.toml" --out plan1 > plan.out 2>&1
$sarkit mass "$examples/example_cases.toml" --out event1 > mass.out 2>&1
$sarkit case export "$examples/example_plan.toml" --out case.sarkit.zip --from "JRCC Jakarta" \
    --to "MRCC Port Blair" --persons 120 > case.out 2>&1
$sarkit update period2.toml --searched plan1 --out plan2 --pod "HTMS T.991=0.5" > update.out 2>&1
mkdir imp; $sarkit case import case.sarkit.zip --out imp/case > import.out 2>&1
mkdir zip; (cd zip && python3 -m zipfile -e ../case.sarkit.zip .)
sed -i 's/20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9:]*Z) into/TIME) into/' import.out
sed -i -e "s/DTG: [0-9]\{6\}Z [A-Z]\{3\} [0-9]\{2\}/DTG: (time of writing)/" \
    -e "s/^\(DTG: (time of writing) (\)[0-9][0-9]:[0-9][0-9] local/\1HH:MM local/" \
    case.out zip/sitrep.txt imp/case/sitrep.txt
find . -type f ! -name case.sarkit.zip ! -path './zip/manifest.json' \
    ! -path './imp/case/manifest.json' | LC_ALL=C sort | xargs md5sum
