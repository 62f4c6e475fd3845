#!/bin/bash
# CPU time and process count of one command with everything it starts (conmon, the runtime, conmon's
# exit command), for a loaded host where wall times are noise:
#   bench/cpu-cost.sh [-n RUNS] [-s] COMMAND [ARGS...]
# Each run goes into a fresh cpuacct cgroup (cgroup v1: /sys/fs/cgroup/cpuacct; podman's conmon moves
# itself to libpod_parent/conmon, whose usage is added), waits until the cgroup is empty (double-forked
# conmon and its exit command included), and prints the CPU ms. -s also counts execve()s with strace.
set -euo pipefail
runs=5 count=0
while getopts "n:s" o; do case $o in n) runs=$OPTARG ;; s) count=1 ;; *) exit 2 ;; esac; done
shift $((OPTIND - 1))
[ $# -gt 0 ] || { echo "usage: $0 [-n RUNS] [-s] COMMAND [ARGS...]" >&2; exit 2; }
base=/sys/fs/cgroup/cpuacct
[ -f $base/cpuacct.usage ] || { echo "no cgroup v1 cpuacct hierarchy at $base" >&2; exit 1; }
cg=$base/selkie-cpu-cost-$$
podman_cg=$base/libpod_parent/conmon
mkdir $cg
trap 'rmdir $cg 2>/dev/null || true' EXIT
usage_of() { cat "$1/cpuacct.usage" 2>/dev/null || echo 0; }
total=0
for i in $(seq "$runs"); do
  p0=$(usage_of $podman_cg)
  c0=$(usage_of $cg)
  bash -c 'echo $$ > "$0/cgroup.procs"; exec "$@"' $cg "$@" >/dev/null
  for _ in $(seq 400); do [ -z "$(cat $cg/cgroup.procs)" ] && break; sleep 0.05; done
  sleep 0.2
  ns=$(( $(usage_of $cg) - c0 + $(usage_of $podman_cg) - p0 ))
  echo "run $i: $((ns / 1000000)) ms CPU"
  total=$((total + ns))
done
echo "mean: $((total / runs / 1000000)) ms CPU over $runs runs"
if [ $count = 1 ]; then
  out=$(mktemp)
  strace -f -qq -e trace=execve -e signal=none -o "$out" "$@" >/dev/null
  # strace -f follows the double-forked conmon and its exit command and returns when all have ended
  echo "processes exec'd: $(grep -c 'execve(.*= 0$' "$out" || true)"
  # program and its first arguments that are no paths or flag values under a root
  grep 'execve(.*= 0$' "$out" | sed -E 's/^[0-9]+ +execve\("([^"]+)", \[([^]]*)\].*/\1 \2/' |
    awk '{ line = $1; n = 0; for (i = 3; i <= NF && n < 2; i++) { a = $i; gsub(/[",]/, "", a); if (a !~ /^\// && a !~ /^-/ && length(a) < 20) { line = line " " a; n++ } } print "  " line }' |
    sort | uniq -c | sort -rn
  rm -f "$out"
fi
