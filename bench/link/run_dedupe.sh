#!/bin/sh
# Whole-process benchmark of `izde dedupe` on the cross-script generator's data.
#   bench/link/run_dedupe.sh BUILD_DIR PEOPLE [RUNS] [THREADS]
# Generates PEOPLE people (seed 11; about 2.2 records each) unless the file is there,
# then runs `izde dedupe` RUNS times under /usr/bin/time -v and prints each run's wall
# time, CPU time and peak memory, and the medians. Baseline in the same run: reading
# the same CSV with Python's csv module (the cost of merely parsing the input).
# The machine is shared: wall times vary with its load; CPU time less so.
set -eu
build=${1:?build dir}
people=${2:?number of people}
runs=${3:-3}
threads=${4:-2}
here=$(dirname "$0")
data=${TMPDIR:-/tmp}/izde-people-$people.csv
[ -s "$data" ] || python3 "$here/../../data/link/make_people.py" "$people" 11 > "$data"
records=$(($(wc -l < "$data") - 1))
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "records $records, threads $threads, load $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/time -f "%e %U %S %M" -o "$out/base" python3 -c "
import csv, sys
csv.field_size_limit(1 << 20)
n = sum(1 for _ in csv.reader(open(sys.argv[1], encoding='utf-8')))
" "$data"
read -r bw bu bs bm < "$out/base"
echo "baseline (Python csv read): wall $bw s, cpu $(echo "$bu + $bs" | bc) s"
i=0
while [ "$i" -lt "$runs" ]; do
  /usr/bin/time -f "%e %U %S %M" -o "$out/t$i" "$build/izde" dedupe "$data" \
    --out "$out/clusters.csv" --threads "$threads" > "$out/log" 2> "$out/err"
  read -r w u s m < "$out/t$i"
  echo "run $i: wall $w s, cpu $(echo "$u + $s" | bc) s, peak $((m / 1024)) MiB; $(cat "$out/log")"
  i=$((i + 1))
done
echo "median wall $(cat "$out"/t* | cut -d' ' -f1 | median) s," \
  "median cpu $(cat "$out"/t* | awk '{print $2 + $3}' | median) s," \
  "median peak $(($(cat "$out"/t* | cut -d' ' -f4 | median) / 1024)) MiB," \
  "wall / baseline $(echo "scale=1; $(cat "$out"/t* | cut -d' ' -f1 | median) / $bw" | bc)"
