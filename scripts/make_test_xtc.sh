#!/bin/sh
# Regenerates the small XTC test files in tests/data/ from the shared TRR data (GROMACS needed).
# Usage: scripts/make_test_xtc.sh [path/to/shared/data]
set -eu
DATA=${1:-$(dirname "$0")/../../shared/data}
OUT=$(dirname "$0")/../tests/data
mkdir -p "$OUT"
# DNA, 254 atoms, first 10 frames (compressed coordinates).
echo 0 | gmx trjconv -f "$DATA/dna/md_A4_dna_xf.trr" -s "$DATA/dna/md_A4_dna.tpr" -e 900 -o "$OUT/dna_10.xtc"
# Water, 1176 atoms, first 5 frames (many short runs: exercises the water swap).
echo 0 | gmx trjconv -f "$DATA/water/water.trr" -s "$DATA/water/water.tpr" -e 4 -o "$OUT/water_5.xtc"
# Five DNA atoms (<= 9 atoms: stored as plain floats), first 10 frames.
printf '[ five ]\n1 2 3 4 5\n' > /tmp/mcc_five.ndx
echo 0 | gmx trjconv -f "$DATA/dna/md_A4_dna_xf.trr" -s "$DATA/dna/md_A4_dna.tpr" -n /tmp/mcc_five.ndx \
    -e 900 -o "$OUT/dna_5atoms.xtc"
rm -f /tmp/mcc_five.ndx "$OUT"/\#*
# DNA with 7 decimals (precision 1e7): the integer box exceeds 2^24, the "large sizes" code path.
echo 0 | gmx trjconv -f "$DATA/dna/md_A4_dna_xf.trr" -s "$DATA/dna/md_A4_dna.tpr" -ndec 7 -e 100 \
    -o "$OUT/dna_ndec7.xtc"
rm -f "$OUT"/\#*
