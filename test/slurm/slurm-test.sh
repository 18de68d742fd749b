#!/bin/bash
# A real single-node Slurm: starts munged, slurmctld and slurmd with a minimal slurm.conf in a temp folder, submits
# the documented sharded run (examples/slurm/submit-sharded.sh: an array job of 3 shards and the merge job that
# waits for them with --dependency=afterok), waits, and compares the merged report with the same run on one
# machine. Exit 0: passed; 1: failed; 77: skipped (Slurm cannot start here; the reason is printed).
# Needs root and Debian's slurm-wlm and munge (.ci/run installs them). Run from anywhere:
#   bash test/slurm/slurm-test.sh
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
skip() { echo "slurm-test: SKIPPED: $*"; exit 77; }
fail() { echo "slurm-test: FAILED: $*"; for log in "$tmp"/*.log "$tmp"/work/*.log; do [ -f "$log" ] && { echo "--- $log"; tail -n 25 "$log"; }; done; exit 1; }

[ "$(id -u)" = 0 ] || skip "needs root to run slurmctld and slurmd"
for command in munged slurmctld slurmd sbatch squeue sacct; do
  command -v "$command" >/dev/null 2>&1 || skip "$command is not installed (apt-get install slurm-wlm munge)"
done
[ -f "$repo/dist/bin/iw.js" ] || skip "dist/bin/iw.js is not built (npm run build)"

tmp=$(mktemp -d /tmp/iw-slurm-XXXXXX)
pids=()
cleanup() {
  for pidfile in "$tmp/slurmd.pid" "$tmp/slurmctld.pid" "$tmp/munged.pid"; do
    [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null
  done
  sleep 1
  rm -rf "$tmp"
}
trap cleanup EXIT
mkdir -p "$tmp/state" "$tmp/spool" "$tmp/work"
chmod 755 "$tmp"

# munge: a key of our own and a socket in the temp folder (no system service touched).
dd if=/dev/urandom bs=1024 count=1 of="$tmp/munge.key" 2>/dev/null
chmod 400 "$tmp/munge.key"
munged --force --key-file="$tmp/munge.key" --socket="$tmp/munge.socket" --pid-file="$tmp/munged.pid" \
  --log-file="$tmp/munged.log" --seed-file="$tmp/munged.seed" >/dev/null 2>&1 || skip "munged does not start: $(tail -n 3 "$tmp/munged.log" 2>/dev/null)"

host=$(hostname -s)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo $((20000 + RANDOM % 20000)); }
node_line=$(slurmd -C 2>/dev/null | head -n 1 | sed 's/RealMemory=[0-9]*/RealMemory=1024/')
[ -n "$node_line" ] || skip "slurmd -C cannot describe this node"
cat > "$tmp/slurm.conf" <<CONF
ClusterName=iwtest
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$(free_port)
SlurmdPort=$(free_port)
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$tmp/munge.socket
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/slurmctld.log
SlurmdLogFile=$tmp/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
SlurmdTimeout=300
$node_line NodeAddr=127.0.0.1
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$tmp/slurm.conf
slurmctld -f "$SLURM_CONF" >/dev/null 2>&1 || skip "slurmctld does not start: $(tail -n 3 "$tmp/slurmctld.log" 2>/dev/null)"
slurmd -f "$SLURM_CONF" >/dev/null 2>&1 || skip "slurmd does not start: $(tail -n 3 "$tmp/slurmd.log" 2>/dev/null)"
for _ in $(seq 1 30); do
  state=$(sinfo -h -N -o '%t' 2>/dev/null | head -n 1)
  case "$state" in idle*|mix*|alloc*) break ;; esac
  sleep 1
done
case "$state" in idle*|mix*|alloc*) ;; *) skip "the Slurm node did not come up (state '${state:-none}'): $(tail -n 3 "$tmp/slurmd.log" 2>/dev/null)" ;; esac
echo "slurm-test: single-node Slurm up ($(sinfo -V), node $host: $state)"

# The run: as the scripts document it, with IW pointing at this checkout.
export IW="node $repo/dist/bin/iw.js"
export IW_ARGS="--model $repo/fixtures/models/stories260K --sequences 24 --words 16 --max-lag 5 --bootstrap 4"
export IW_WORK=$tmp/work
cd "$tmp/work"
$IW estimate $IW_ARGS --quiet --no-plots --out "$tmp/single" >/dev/null || fail "the one-machine run failed"

"$repo/examples/slurm/submit-sharded.sh" 3 | tee "$tmp/submit.txt" || fail "submit-sharded.sh failed"
merge=$(sed -n 's/.*merge: job \([0-9]*\).*/\1/p' "$tmp/submit.txt")
[ -n "$merge" ] || fail "submit-sharded.sh did not say the merge job"
for _ in $(seq 1 600); do
  [ -z "$(squeue -h -o %i 2>/dev/null)" ] && break
  sleep 1
done
[ -z "$(squeue -h -o %i)" ] || fail "jobs still queued after 10 minutes: $(squeue)"
[ -f "$tmp/work/report/report.json" ] || fail "the merge job wrote no report (merge job $merge)"

node - "$tmp/single/report.json" "$tmp/work/report/report.json" <<'JS' || fail "the merged report differs from the one-machine run"
const fs = require('fs');
const [single, merged] = process.argv.slice(2).map((path) => JSON.parse(fs.readFileSync(path, 'utf8')));
const shards = merged.provenance.shards;
for (const report of [single, merged]) for (const key of ['startedAt', 'durationSeconds', 'stageSeconds', 'shards']) delete report.provenance[key];
if (JSON.stringify(single) !== JSON.stringify(merged)) process.exit(1);
if (!shards || shards.length !== 3) { console.error('provenance.shards should list 3 shards'); process.exit(1); }
console.log(`slurm-test: merged report of shards ${shards.map((s) => s.shard).join(', ')} equals the one-machine run`);
JS
cmp -s "$tmp/single/windows.csv" "$tmp/work/report/windows.csv" || fail "windows.csv differs"

# The other documented shape: one array task per model, then iw compare over their reports.
printf '%s\n' "$repo/fixtures/models/stories260K" "$repo/fixtures/models/gutenberg-gpt2-tiny" > "$tmp/models.txt"
"$repo/examples/slurm/submit-models.sh" "$tmp/models.txt" | tee "$tmp/submit-models.txt" || fail "submit-models.sh failed"
for _ in $(seq 1 600); do
  [ -z "$(squeue -h -o %i 2>/dev/null)" ] && break
  sleep 1
done
for name in stories260K gutenberg-gpt2-tiny; do
  [ -f "$tmp/work/reports/$name/report.json" ] || fail "the per-model array wrote no report for $name"
done
[ -f "$tmp/work/compare/compare.csv" ] || fail "the compare job wrote no compare.csv"
echo "slurm-test: per-model array and iw compare: $(grep -c . "$tmp/work/compare.txt") lines of comparison, compare.csv written"
echo "slurm-test: PASSED"
