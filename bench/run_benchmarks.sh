#!/usr/bin/env bash
# Whole-program benchmarks, measured side by side in one run; prints markdown tables.
#
#   bench/run_benchmarks.sh [--repeats N] [--cases REGEX] [--skip-cases] [--skip-large]
#                           [--baseline OTHER_BINARY] [--codeentropy RUNNER] [--contended]
#
# (a) every shared reference case (../shared/data/reference/<set>/<case>.yaml with a .json):
#     process wall time of build/mcc-entropy, best of N (default 3), with --threads 1 and 2,
#     against the reference CodeEntropy wall time in reference/README.md (ratio = ref / ours).
# (b) the large system $BENCH_DIR/bench.tpr + bench.trr (default /tmp/bench-data, made by
#     ../shared/data/bench/make.sh): full analysis with 1 and 2 threads, 1 and 2 MPI ranks
#     (one thread each), and the I/O floor (build/bench/bench_io_floor: open the trajectory and
#     decode every frame, same start-up libraries), with the full/floor ratio.
# --baseline: also times another build (e.g. an older commit's build/mcc-entropy) on every
#     case, right before ours (same minute), and on the large system, alternating with ours
#     repeat by repeat; adds the ratio baseline / ours.
# --codeentropy: also runs CodeEntropy itself on the cases matching --cases (RUNNER CONFIG.yaml
#     WORKDIR must run it on that case config inside WORKDIR and print the output JSON's path
#     on its last line), once per case, with ours timed right before and right after it; checks
#     that its JSON `groups` equal the shared reference's and prints the side-by-side ratios.
# --contended: also times the large system with 2 threads and 2 ranks while a busy loop
#     occupies the last core (a node shared with another job).
# Needs: cmake --build build --target mcc-entropy bench_io_floor. Env: MCC_BIN, SHARED_DATA,
# BENCH_DIR override the paths. The machine's load is printed with the tables (noisy
# machines: raise --repeats).
set -uo pipefail
export LC_NUMERIC=C  # EPOCHREALTIME with a decimal point
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${MCC_BIN:-$root/build/mcc-entropy}
floor_bin=${FLOOR_BIN:-$root/build/bench/bench_io_floor}
data=${SHARED_DATA:-$root/../shared/data}
[ -d "$data" ] || data=/work/shared/data
bench_dir=${BENCH_DIR:-/tmp/bench-data}
repeats=3; cases_re='.'; do_cases=1; do_large=1; baseline=""; codeentropy=""; contended=0
while [ $# -gt 0 ]; do
  case "$1" in
    --repeats) repeats=$2; shift 2;;
    --cases) cases_re=$2; shift 2;;
    --skip-cases) do_cases=0; shift;;
    --skip-large) do_large=0; shift;;
    --baseline) baseline=$2; shift 2;;
    --codeentropy) codeentropy=$2; shift 2;;
    --contended) contended=1; shift;;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
done
[ -x "$bin" ] || { echo "no $bin: build mcc-entropy first" >&2; exit 2; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# best_wall N CMD...: smallest process wall time (s) of N runs; empty when a run fails.
# Timed with bash's EPOCHREALTIME (no `date` processes inside the interval, which added
# ~2-4 ms to every run).
best_wall() {
  local n=$1; shift; local best=""
  for _ in $(seq "$n"); do
    local s e
    s=$EPOCHREALTIME
    "$@" </dev/null >"$tmp/out" 2>"$tmp/err" || { echo ""; return; }
    e=$EPOCHREALTIME
    best=$(awk -v a="$best" -v s="$s" -v e="$e" 'BEGIN{t=e-s; if (a=="" || t<a) a=t; printf "%.4f", a}')
  done
  echo "$best"
}
# The shared reference cases that have a JSON and match --cases, one per line:
# YAML JSON SET CASE.
reference_cases() {
  local yaml json set_name case_name
  for yaml in $(find "$data/reference" -name '*.yaml' | sort); do
    json=${yaml%.yaml}.json; [ -f "$json" ] || continue
    set_name=$(basename "$(dirname "$yaml")"); case_name=$(basename "$yaml" .yaml)
    echo "$set_name/$case_name" | grep -Eq "$cases_re" && echo "$yaml $json $set_name $case_name"
  done
}
# a / b: two decimals below 10 (speed-ups of threads and ranks), whole numbers above.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (a=="" || b=="" || b+0==0) print "-"; else if (a/b < 10) printf "%.2f", a/b; else printf "%.0f", a/b }'; }

echo "# mcc-entropy benchmarks"
echo
echo "- date: $(date -u +%Y-%m-%dT%H:%MZ); host: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "- load average before: $(cut -d' ' -f1-3 /proc/loadavg); best of $repeats runs"
echo "- binary: $bin ($(git -C "$root" rev-parse --short HEAD 2>/dev/null))"
echo

if [ $do_cases = 1 ]; then
  readme=$data/reference/README.md
  echo "## Reference cases (process wall time, seconds)"
  echo
  if [ -n "$baseline" ]; then
    echo "Baseline: $baseline"
    echo
    echo "| case | frames | CodeEntropy | baseline, 1 thr | baseline, 2 thr | ours, 1 thread | ours, 2 threads | speed-up (1 thr) | speed-up (2 thr) | 2 thr vs 1 | ours vs baseline (1 thr / 2 thr) |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|"
  else
    echo "| case | frames | CodeEntropy | ours, 1 thread | ours, 2 threads | speed-up (1 thr) | speed-up (2 thr) | 2 thr vs 1 |"
    echo "|---|---|---|---|---|---|---|---|"
  fi
  while read -r yaml json set_name case_name; do
    row=$(awk -F'|' -v d="$set_name" -v c="$case_name" '{gsub(/ /,"",$2); gsub(/ /,"",$3)} $2==d && $3==c {gsub(/ /,"",$6); gsub(/ /,"",$5); print $6, $5; exit}' "$readme")
    ref=${row%% *}; frames=${row##* }
    if [ -n "$baseline" ]; then
      b1=$(best_wall "$repeats" "$baseline" --config "$yaml" --output_file "$tmp/o.json" --quiet --threads 1)
      b2=$(best_wall "$repeats" "$baseline" --config "$yaml" --output_file "$tmp/o.json" --quiet --threads 2)
    fi
    t1=$(best_wall "$repeats" "$bin" --config "$yaml" --output_file "$tmp/o.json" --quiet --threads 1)
    t2=$(best_wall "$repeats" "$bin" --config "$yaml" --output_file "$tmp/o.json" --quiet --threads 2)
    if [ -n "$baseline" ]; then
      echo "| $set_name/$case_name | ${frames:--} | ${ref:--} | ${b1:-FAIL} | ${b2:-FAIL} | ${t1:-FAIL} | ${t2:-FAIL} | $(ratio "$ref" "$t1") | $(ratio "$ref" "$t2") | $(ratio "$t1" "$t2") | $(ratio "$b1" "$t1") / $(ratio "$b2" "$t2") |"
    else
      echo "| $set_name/$case_name | ${frames:--} | ${ref:--} | ${t1:-FAIL} | ${t2:-FAIL} | $(ratio "$ref" "$t1") | $(ratio "$ref" "$t2") | $(ratio "$t1" "$t2") |"
    fi
  done < <(reference_cases)
  echo
fi

if [ -n "$codeentropy" ]; then
  echo "## Side by side with CodeEntropy run here (process wall time, seconds)"
  echo
  echo "CodeEntropy: one run per case ($codeentropy); ours: best of $repeats runs right before"
  echo "and $repeats right after it, with --threads 1 and 2. \"same groups\": CodeEntropy's JSON"
  echo "\`groups\` equal (bit for bit) the shared reference's."
  echo
  echo "| case | CodeEntropy here | same groups | ours, 1 thread | ours, 2 threads | speed-up (best) |"
  echo "|---|---|---|---|---|---|"
  while read -r yaml json set_name case_name; do
    ours() { best_wall "$repeats" "$bin" --config "$yaml" --output_file "$tmp/o.json" --quiet --threads "$1"; }
    a1=$(ours 1); a2=$(ours 2)
    work="$tmp/codeentropy-$set_name-$case_name"
    s=$EPOCHREALTIME
    if out=$("$codeentropy" "$yaml" "$work" </dev/null 2>"$tmp/ce-err" | tail -n 1); then
      e=$EPOCHREALTIME
      ce=$(awk -v s="$s" -v e="$e" 'BEGIN{printf "%.2f", e-s}')
      same=$(python3 -c 'import json,sys; a=json.load(open(sys.argv[1]))["groups"]; b=json.load(open(sys.argv[2]))["groups"]; print("yes" if a==b else "NO")' "$out" "$json" 2>/dev/null || echo "?")
    else
      ce=""; same="-"
    fi
    b1=$(ours 1); b2=$(ours 2)
    t1=$(printf '%s\n%s\n' "$a1" "$b1" | grep . | sort -g | head -n 1)
    t2=$(printf '%s\n%s\n' "$a2" "$b2" | grep . | sort -g | head -n 1)
    best=$(printf '%s\n%s\n' "$t1" "$t2" | grep . | sort -g | head -n 1)
    echo "| $set_name/$case_name | ${ce:-FAIL} | $same | ${t1:-FAIL} | ${t2:-FAIL} | $(ratio "$ce" "$best") |"
  done < <(reference_cases)
  echo
fi

if [ $do_large = 1 ]; then
  echo "## Large system ($bench_dir)"
  echo
  if [ ! -f "$bench_dir/bench.tpr" ] || [ ! -f "$bench_dir/bench.trr" ]; then
    echo "not available: $bench_dir/bench.tpr + bench.trr are missing (make them with ../shared/data/bench/make.sh)"
  else
    args=(--top_traj_file "$bench_dir/bench.tpr" "$bench_dir/bench.trr" --quiet)
    mpi=(env OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 mpirun --oversubscribe)
    info=$("$floor_bin" "$bench_dir/bench.tpr" "$bench_dir/bench.trr")
    echo "- $info"
    echo
    f1=$(best_wall "$repeats" "$floor_bin" "$bench_dir/bench.tpr" "$bench_dir/bench.trr" --threads 1)
    f2=$(best_wall "$repeats" "$floor_bin" "$bench_dir/bench.tpr" "$bench_dir/bench.trr" --threads 2)
    # One timing of each run of binary $1 ("1 thread, 2 threads, -np 1, -np 2"); the 1-thread
    # run's JSON goes to $2.
    large_walls() {
      echo "$(best_wall 1 "$1" "${args[@]}" --output_file "$2" --threads 1)" \
           "$(best_wall 1 "$1" "${args[@]}" --output_file "$tmp/big.json" --threads 2)" \
           "$(best_wall 1 "${mpi[@]}" -np 1 "$1" "${args[@]}" --output_file "$tmp/big.json" --threads 1)" \
           "$(best_wall 1 "${mpi[@]}" -np 2 "$1" "${args[@]}" --output_file "$tmp/big.json" --threads 1)"
    }
    # Element-wise minimum of two such lines (an empty field = a failed run).
    min_walls() { awk -v a="$1" -v b="$2" 'BEGIN{n=split(a,x," "); m=split(b,y," "); k=(n>m?n:m);
      for(i=1;i<=k;i++){v=(x[i]==""?y[i]:(y[i]==""?x[i]:(x[i]<y[i]?x[i]:y[i]))); printf "%s%s", v, (i<k?" ":"\n")}}'; }
    ours=""; base=""
    for _ in $(seq "$repeats"); do  # the two builds alternate, so both see the same minutes
      ours=$(min_walls "$ours" "$(large_walls "$bin" "$tmp/big1.json")")
      [ -n "$baseline" ] && base=$(min_walls "$base" "$(large_walls "$baseline" "$tmp/big_base.json")")
    done
    read -r t1 t2 m1 m2 <<<"$ours"
    if [ -n "$baseline" ]; then
      read -r b1 b2 bm1 bm2 <<<"$base"
      echo "| run | baseline (s) | ours (s) | ours vs I/O floor (same workers) | speed-up vs 1 worker (baseline / ours) | ours vs baseline |"
      echo "|---|---|---|---|---|---|"
      echo "| I/O floor, 1 thread | | $f1 | 1.0 | | |"
      echo "| I/O floor, 2 threads | | $f2 | 1.0 | | |"
      echo "| full analysis, 1 thread | ${b1:-FAIL} | ${t1:-FAIL} | $(ratio "$t1" "$f1") | 1.0 / 1.0 | $(ratio "$b1" "$t1") |"
      echo "| full analysis, 2 threads | ${b2:-FAIL} | ${t2:-FAIL} | $(ratio "$t2" "$f2") | $(ratio "$b1" "$b2") / $(ratio "$t1" "$t2") | $(ratio "$b2" "$t2") |"
      echo "| full analysis, mpirun -np 1 | ${bm1:-FAIL} | ${m1:-FAIL} | $(ratio "$m1" "$f1") | 1.0 / 1.0 | $(ratio "$bm1" "$m1") |"
      echo "| full analysis, mpirun -np 2 | ${bm2:-FAIL} | ${m2:-FAIL} | $(ratio "$m2" "$f2") | $(ratio "$bm1" "$bm2") / $(ratio "$m1" "$m2") | $(ratio "$bm2" "$m2") |"
    else
      echo "| run | wall (s) | vs I/O floor (same workers) | speed-up vs 1 worker |"
      echo "|---|---|---|---|"
      echo "| I/O floor, 1 thread | $f1 | 1.0 | 1.0 |"
      echo "| I/O floor, 2 threads | $f2 | 1.0 | $(ratio "$f1" "$f2") |"
      echo "| full analysis, 1 thread | ${t1:-FAIL} | $(ratio "$t1" "$f1") | 1.0 |"
      echo "| full analysis, 2 threads | ${t2:-FAIL} | $(ratio "$t2" "$f2") | $(ratio "$t1" "$t2") |"
      echo "| full analysis, mpirun -np 1 | ${m1:-FAIL} | $(ratio "$m1" "$f1") | 1.0 |"
      echo "| full analysis, mpirun -np 2 | ${m2:-FAIL} | $(ratio "$m2" "$f2") | $(ratio "$m1" "$m2") |"
    fi
    echo
    if [ $contended = 1 ]; then
      # A busy loop pinned to the last core stands for another job on a shared node: the rank
      # bound to that core (or whichever thread runs there) gets about half of it.
      last=$(( $(nproc) - 1 ))
      taskset -c "$last" sh -c 'while :; do :; done' & hog=$!
      sleep 0.5
      c_ours=""; c_base=""
      for _ in $(seq "$repeats"); do
        c_ours=$(min_walls "$c_ours" "$(best_wall 1 "$bin" "${args[@]}" --output_file "$tmp/big.json" --threads 2) $(best_wall 1 "${mpi[@]}" -np 2 "$bin" "${args[@]}" --output_file "$tmp/big.json" --threads 1)")
        [ -n "$baseline" ] && c_base=$(min_walls "$c_base" "$(best_wall 1 "$baseline" "${args[@]}" --output_file "$tmp/big.json" --threads 2) $(best_wall 1 "${mpi[@]}" -np 2 "$baseline" "${args[@]}" --output_file "$tmp/big.json" --threads 1)")
      done
      kill "$hog"; wait "$hog" 2>/dev/null
      read -r ct2 cm2 <<<"$c_ours"; read -r cbt2 cbm2 <<<"$c_base"
      echo
      echo "With core $last shared with a busy loop (another job on the node):"
      echo
      echo "| run | baseline (s) | ours (s) | ours vs baseline |"
      echo "|---|---|---|---|"
      echo "| full analysis, 2 threads | ${cbt2:--} | ${ct2:-FAIL} | $(ratio "$cbt2" "$ct2") |"
      echo "| full analysis, mpirun -np 2 | ${cbm2:--} | ${cm2:-FAIL} | $(ratio "$cbm2" "$cm2") |"
      echo
    fi
    if [ -f "$tmp/big1.json" ]; then
      echo "Stage timings of the 1-thread run (JSON \`timings\`, seconds):"
      echo
      python3 - "$tmp/big1.json" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))["timings"]
print("| stage | wall | cpu |\n|---|---|---|")
for k, v in t["stages"].items():
    print(f"| {k} | {v['wall_s']:.3f} | {v['cpu_s']:.3f} |")
print(f"| total | {t['total_wall_s']:.3f} | |")
PY
    fi
  fi
  echo
fi
echo "- load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
