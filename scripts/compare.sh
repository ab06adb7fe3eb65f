#!/usr/bin/env bash
# Side by side with the NumPy reference implementation of model R
# (shared/bench/numpy_ref.py), whole process, alternating the commands
# (machines here are noisy: compare by ratio, never by one absolute time).
# Needs Debian's python3-numpy: apt-get install -y python3-numpy
#
# 1. Per trial: devolve --sampling mc and the default (sobol) against NumPy,
#    all at N trials (default 1,000,000).
# 2. Time to precision: wall time until the 95% interval's half-width of the
#    mean NPV is within 0.1% of it and that of P5 within 1% of it.
#    devolve runs its default sampling with --precision (one run per target;
#    the later stop is the time to both). Plain Monte Carlo needs the same
#    trials in any implementation, so NumPy's trials are those devolve
#    --sampling mc stops at for the same targets; NumPy is then timed at them
#    (or at TTP_CAP trials and scaled linearly, said so, when more).
#    For the embedded Suffolk scenario there is no NumPy implementation: its
#    line compares devolve's default with devolve's own plain Monte Carlo.
# Environment: N, RUNS (alternations, default 5), TTP=0 to skip part 2,
# TTP_CAP (default 5,000,000), BENCH (default ../shared/bench, else /work/shared/bench).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-1000000}
RUNS=${RUNS:-5}
BENCH=${BENCH:-$( [ -d ../shared/bench ] && echo ../shared/bench || echo /work/shared/bench )}
TTP=${TTP:-1}
TTP_CAP=${TTP_CAP:-5000000}
PY=${PY:-/usr/bin/python3}
make -s build
DV=./bin/devolve
# t CMD...: wall seconds of one run (output discarded).
t() { local s e; s=$(date +%s.%N); "$@" >/dev/null || { echo "compare.sh: failed: $*" >&2; exit 1; }; e=$(date +%s.%N); echo "$e - $s" | bc; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
ratio() { echo "scale=2; $1 / $2" | bc; }

echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
mc=(); sob=(); np=()
for i in $(seq "$RUNS"); do
  mc+=("$(t $DV run scenarios/reference-r.yaml --iterations "$N" --sampling mc --format json --quiet)")
  sob+=("$(t $DV run scenarios/reference-r.yaml --iterations "$N" --format json --quiet)")
  np+=("$(t "$PY" "$BENCH/numpy_ref.py" --iterations "$N" --seed 1)")
done
mmc=$(median "${mc[@]}"); msob=$(median "${sob[@]}"); mnp=$(median "${np[@]}")
echo "per trial: R, $N trials, $RUNS alternating runs, medians of whole-process wall time"
printf "  devolve mc: %ss   devolve sobol (default): %ss   numpy: %ss\n" "$mmc" "$msob" "$mnp"
printf "  numpy/devolve: mc %sx, sobol %sx\n" "$(ratio "$mnp" "$mmc")" "$(ratio "$mnp" "$msob")"
/usr/bin/time -f "  devolve peak memory: %M KB" $DV run scenarios/reference-r.yaml --iterations "$N" --sampling mc --format json --quiet >/dev/null

[ "$TTP" = 0 ] && exit 0

# stopat ARGS...: trials at which a precision run stops (its JSON's iterations).
stopat() { $DV run "$@" --format json --quiet | "$PY" -c 'import json,sys; d=json.load(sys.stdin); print(d["iterations"])'; }
targets=("--precision 0.1%" "--precision 1% --precision-stat p5")
echo "time to precision: mean NPV to ±0.1% and P5 of NPV to ±1% (95% half-widths), seed 1"
for sc in reference-r suffolk; do
  n_dv=(); n_mc=()
  for tg in "${targets[@]}"; do
    # shellcheck disable=SC2086
    n_dv+=("$(stopat "$sc" $tg --max-iterations 20000000)")
    # shellcheck disable=SC2086
    n_mc+=("$(stopat "$sc" $tg --sampling mc --max-iterations 20000000)")
  done
  printf "  %s: trials needed, mean / P5: devolve default %s / %s, plain Monte Carlo %s / %s\n" "$sc" "${n_dv[0]}" "${n_dv[1]}" "${n_mc[0]}" "${n_mc[1]}"
  for k in 0 1 2; do # 0: mean, 1: P5, 2: both
    case $k in
      0) label="mean"; a=(${targets[0]}); nd=${n_dv[0]}; nm=${n_mc[0]} ;;
      1) label="P5"; a=(${targets[1]}); nd=${n_dv[1]}; nm=${n_mc[1]} ;;
      2) label="both"; nd=$(( n_dv[0] > n_dv[1] ? n_dv[0] : n_dv[1] )); nm=$(( n_mc[0] > n_mc[1] ? n_mc[0] : n_mc[1] )) ;;
    esac
    dv=(); other=()
    scale=1; nrun=$nm
    if [ "$nm" -gt "$TTP_CAP" ]; then nrun=$TTP_CAP; scale=$(echo "scale=6; $nm / $TTP_CAP" | bc); fi
    for i in $(seq "$RUNS"); do
      if [ $k -lt 2 ]; then
        dv+=("$(t $DV run "$sc" "${a[@]}" --max-iterations 20000000 --format json --quiet)")
      else # the later stop: a run of that many trials
        dv+=("$(t $DV run "$sc" --iterations "$nd" --format json --quiet)")
      fi
      if [ "$sc" = reference-r ]; then
        other+=("$(echo "$(t "$PY" "$BENCH/numpy_ref.py" --iterations "$nrun" --seed 1) * $scale" | bc)")
      else
        other+=("$(echo "$(t $DV run "$sc" --iterations "$nrun" --sampling mc --format json --quiet) * $scale" | bc)")
      fi
    done
    md=$(median "${dv[@]}"); mo=$(median "${other[@]}")
    who=numpy; [ "$sc" = reference-r ] || who="devolve mc"
    note=""; [ "$nrun" != "$nm" ] && note=" ($who timed at $nrun trials and scaled x$scale)"
    printf "  %s %-4s: devolve default %ss (%s trials), %s %ss (%s trials): %sx%s\n" "$sc" "$label" "$md" "$nd" "$who" "$mo" "$nm" "$(ratio "$mo" "$md")" "$note"
  done
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
