#!/bin/bash
# The shards, then the merge once every shard has succeeded (Kubernetes Jobs have no dependencies of their own).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
kubectl apply -f "$here/shards-job.yaml"
kubectl wait --for=condition=complete --timeout=24h job/iw-shards
kubectl apply -f "$here/merge-job.yaml"
kubectl wait --for=condition=complete --timeout=2h job/iw-merge
