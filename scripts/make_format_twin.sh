#!/bin/bash
# Makes tests/data/twin/: the peptide of the bundled example (Ace-Ala-Ser-Ala-NMe, 43 atoms,
# AMBER99SB-ILDN, all 51 frames of examples/example.trr with the forces its 448 waters exert)
# written in every input format we read, for the format-twin end-to-end test:
#   peptide.tpr + peptide.trr   GROMACS (convert-tpr / trjconv -force of the peptide group)
#   peptide.prmtop              ParmEd from the same GROMACS topology, atom order kept
#   peptide.mdcrd / .frc        AMBER ASCII 10F8.3: coordinates + box line / forces in kcal
#   peptide.nc                  AMBER NetCDF with forces (kcal, as AMBER writes them)
#   peptide.data / .dump        LAMMPS (units real): data file + dump with kcal forces
# Needs Debian's gromacs, python3-rdkit, python3-parmed and python3-mdanalysis; no MD is run
# (about 10 s). The frames are exactly the example's, so the twin follows the example.
# Usage: scripts/make_format_twin.sh [OUTDIR]   (default tests/data/twin)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
out=$(realpath -m "${1:-$root/tests/data/twin}")
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
export GMX_MAXBACKUP=-1
gmx="gmx -quiet"
tpr="$root/examples/example.tpr"
trr="$root/examples/example.trr"

# The example's GROMACS topology without the waters: the same deterministic pdb2gmx step as
# examples/generate/make_example.sh, just not solvated ([ molecules ] = the peptide alone).
/usr/bin/python3 "$root/examples/generate/build_peptide.py" peptide_in.pdb >/dev/null
$gmx pdb2gmx -f peptide_in.pdb -o pep.gro -p topol.top -ff amber99sb-ildn -water tip3p -ignh \
    >/dev/null 2>&1

# Index group of the peptide: its atoms come first in the example (the .py checks the names).
n_pep=$(awk '/^\[ *atoms *\]/{a=1;next} /^\[/{a=0} a && $1 ~ /^[0-9]+$/ {n=$1} END{print n}' topol.top)
{ echo "[ Peptide ]"; seq -s ' ' 1 "$n_pep"; } > peptide.ndx

echo 0 | $gmx trjconv -f "$trr" -s "$tpr" -n peptide.ndx -force -o peptide.trr >/dev/null 2>&1
echo 0 | $gmx trjconv -f "$trr" -s "$tpr" -n peptide.ndx -dump 0 -o frame0.gro >/dev/null 2>&1
echo 0 | $gmx convert-tpr -s "$tpr" -n peptide.ndx -o peptide.tpr >/dev/null 2>&1

/usr/bin/python3 "$here/make_format_twin.py" topol.top frame0.gro peptide.tpr peptide.trr "$tpr" "$out"
cp peptide.tpr peptide.trr "$out/"
ls -l "$out"
du -sh "$out"
