#!/usr/bin/env bash
# Regenerates the bundled example: the capped peptide Ace-Ala-Ser-Ala-NMe in TIP3P water
# (AMBER99SB-ILDN), 50 frames with forces, molecules made whole. Needs Debian's gromacs and
# python3-rdkit. Writes example.tpr and example.trr next to this script's parent folder.
#   bash examples/generate/make_example.sh [WORKDIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$(cd "$here/.." && pwd)
work=${1:-$(mktemp -d /tmp/mcc-example.XXXXXX)}
export GMX_MAXBACKUP=-1
. "$here/gmx-rdtscp-workaround.sh"
gmx="gmx -quiet"
mkdir -p "$work"; cd "$work"
cp "$here"/*.mdp .

/usr/bin/python3 "$here/build_peptide.py" peptide_in.pdb
$gmx pdb2gmx -f peptide_in.pdb -o pep.gro -p topol.top -ff amber99sb-ildn -water tip3p -ignh
$gmx editconf -f pep.gro -o box.gro -bt cubic -box 2.4 -c
$gmx solvate -cp box.gro -cs spc216.gro -p topol.top -o solv.gro
$gmx grompp -f em.mdp -c solv.gro -p topol.top -o em.tpr
$gmx mdrun -ntmpi 1 -ntomp 1 -pin off -reprod -deffnm em
$gmx grompp -f eq.mdp -c em.gro -p topol.top -o eq.tpr
$gmx mdrun -ntmpi 1 -ntomp 1 -pin off -reprod -deffnm eq
$gmx grompp -f md.mdp -c eq.gro -t eq.cpt -p topol.top -o md.tpr
$gmx mdrun -ntmpi 1 -ntomp 1 -pin off -reprod -deffnm md
echo System | $gmx trjconv -f md.trr -s md.tpr -pbc mol -force -novel -o whole.trr
cp md.tpr "$out/example.tpr"
cp whole.trr "$out/example.trr"
echo "example written to $out (work dir $work)"
