#!/usr/bin/env bash
# Side-by-side timing of devolve and the NumPy reference implementation of
# model R (shared/bench), whole process, 1,000,000 trials, alternating the
# two commands (machines here are noisy: compare by ratio, not absolute time).
# Needs Debian's python3-numpy: apt-get install -y python3-numpy
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-1000000}
RUNS=${RUNS:-5}
BENCH=${BENCH:-../shared/bench}
make -s build
t() { local s e; s=$(date +%s.%N); "$@" >/dev/null; e=$(date +%s.%N); echo "$e - $s" | bc; }
dv=(); np=()
for i in $(seq "$RUNS"); do
  dv+=("$(t ./bin/devolve run scenarios/reference-r.yaml --iterations "$N" --sampling mc --format json --quiet)")
  np+=("$(t /usr/bin/python3 "$BENCH/numpy_ref.py" --iterations "$N" --seed 1)")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
md=$(median "${dv[@]}"); mn=$(median "${np[@]}")
echo "trials: $N, runs: $RUNS (medians, whole process)"
printf "devolve: %ss   numpy: %ss   ratio numpy/devolve: %s\n" "$md" "$mn" "$(echo "scale=2; $mn / $md" | bc)"
/usr/bin/time -f "devolve peak memory: %M KB" ./bin/devolve run scenarios/reference-r.yaml --iterations "$N" --sampling mc --format json --quiet >/dev/null
