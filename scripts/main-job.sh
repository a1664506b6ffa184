#!/usr/bin/env bash
# The main job: bring the lab up, show a healthy etcd cluster, lose quorum
# (every master but master-1 powered off), bring the two lost machines back
# repaired but without their etcd data, and restore quorum with
# playbooks/restore-quorum.yml; then show the healthy 3-member cluster and
# read every known key back.
# Needs root on Debian 12 (the lab is systemd-nspawn containers).
set -uo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
tsplay() { node dist/bin/tsplay.js "$@"; }

[ -f dist/bin/tsplay.js ] || npm run build

# The lab is one per machine: wait while the test suite (or another main job) uses it.
lock=/run/tsplay-lab-tests.lock
exec 9>"$lock"
if ! flock -n 9; then
  echo "The lab is in use (the test suite holds $lock); waiting for it..."
  flock 9
fi

step "Bringing the lab up: 3 masters with etcd (TLS) and a load balancer"
npm run --silent lab -- up || exit 1

# The restore edits the [etcd] group of the inventory it runs with (and keeps
# a backup beside it): give it a working copy, so the committed one stays as is.
inv_dir=inventories/lab/.lab/main-job
mkdir -p "$inv_dir"
sed "s#{{ inventory_dir }}/.lab#$PWD/inventories/lab/.lab#" inventories/lab/hosts >"$inv_dir/hosts"
inv=$inv_dir/hosts

step "tsplay run playbooks/cluster-status.yml -i $inv"
tsplay run playbooks/cluster-status.yml -i "$inv"
echo "exit code: $?"

step "Breaking quorum: powering off every master but master-1"
npm run --silent lab -- break-quorum --keep master-1 || exit 1

step "tsplay run playbooks/cluster-status.yml -i $inv   (quorum lost: expect UNREACHABLE masters and a failed quorum check)"
tsplay run playbooks/cluster-status.yml -i "$inv"
echo "exit code: $? (4: some hosts unreachable, as ansible-playbook reports it)"

step "master-0 and master-2 come back repaired, without their etcd data"
for h in master-0 master-2; do
  npm run --silent lab -- wipe-etcd "$h" || exit 1
  npm run --silent lab -- start "$h" || exit 1
done
npm run --silent lab -- status

step "tsplay run playbooks/restore-quorum.yml -i $inv"
t0=$(date +%s)
tsplay run playbooks/restore-quorum.yml -i "$inv"
code=$?
echo "exit code: $code (restore took $(( $(date +%s) - t0 )) s)"
[ "$code" -eq 0 ] || exit "$code"

step "tsplay run playbooks/cluster-status.yml -i $inv   (healthy again: 3 members)"
tsplay run playbooks/cluster-status.yml -i "$inv"
code=$?
echo "exit code: $code"
npm run --silent lab -- status
echo "[etcd] group of $inv: $(sed -n '/^\[etcd\]/,/^$/p' "$inv" | sed 1d | tr '\n' ' ')"

step "Every known key, read back through the cluster"
npm run --silent lab -- verify-data || exit 1
exit $code
