#!/bin/bash
# One big run split into shards on a Slurm cluster: an array job of N shards, then the merge job, which waits
# for every shard to succeed (sbatch --dependency=afterok:<array job>).
#   ./submit-sharded.sh [N]        (default 3; options of the run in run.env)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
shards=${1:-3}
source "$here/run.env"
mkdir -p "$IW_WORK/parts"
# sbatch runs a copy of each script; IW_SCRIPTS tells it where run.env is.
export IW_SCRIPTS=$here
array=$(sbatch --parsable --array="1-$shards" "$here/shards.sbatch")
array=${array%%;*}
merge=$(sbatch --parsable --dependency="afterok:$array" --kill-on-invalid-dep=yes "$here/merge.sbatch")
merge=${merge%%;*}
echo "shards: array job $array (1-$shards); merge: job $merge, after all shards succeed; report: $IW_WORK/report"
