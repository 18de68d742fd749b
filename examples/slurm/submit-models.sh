#!/bin/bash
# One array task per model or checkpoint (models.txt, one per line), then iw compare over their reports.
#   ./submit-models.sh [models.txt]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export IW_MODELS=$(realpath "${1:-$here/models.txt}")
source "$here/run.env"
count=$(grep -c . "$IW_MODELS")
mkdir -p "$IW_WORK/reports"
export IW_SCRIPTS=$here
array=$(sbatch --parsable --array="1-$count" "$here/models.sbatch")
array=${array%%;*}
compare=$(sbatch --parsable --dependency="afterok:$array" --kill-on-invalid-dep=yes "$here/compare.sbatch")
compare=${compare%%;*}
echo "models: array job $array (1-$count); compare: job $compare, after all succeed; output: $IW_WORK/compare"
