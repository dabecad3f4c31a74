#!/bin/bash
# Makes the small AMBER/LAMMPS test data set under tests/data/ (Ace-Ala-NMe in vacuum, a few
# MD frames with forces) from scratch: RDKit builds the molecule, GROMACS (Debian package)
# parametrises it (amber99sb-ildn) and runs 40 steps writing positions and forces every 10,
# then ParmEd / MDAnalysis / our own writers convert it to prmtop, NetCDF, MDCRD, .frc,
# LAMMPS data and dump files (scripts/make_amber_lammps_testdata.py).
# Usage: scripts/make_amber_lammps_testdata.sh [OUTDIR]   (default tests/data)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$(realpath -m "${1:-$here/../tests/data}")
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

# Debian's libgromacs is built with GMX_USE_RDTSCP; on VMs whose CPUID hides rdtscp, mdrun
# refuses to start. Make a private copy of the library with that start-up check jumped over
# (only when the bytes are exactly the expected ones of Debian's 2022.5-2 build).
if ! grep -qw rdtscp /proc/cpuinfo; then
    /usr/bin/python3 - /usr/lib/x86_64-linux-gnu/libgromacs.so.7.0.0 "$work/libgromacs.so.7" <<'PY'
import sys
data = bytearray(open(sys.argv[1], "rb").read())
at, expect = 0xC5A3F8, bytes.fromhex("4989c0ba6c00000031ff31c0488d0d1d173600")
if data[at:at + len(expect)] != expect:
    sys.exit("unexpected libgromacs build: cannot skip the rdtscp check; use a GROMACS built "
             "with -DGMX_USE_RDTSCP=OFF")
data[at:at + 5] = bytes.fromhex("e993000000")
open(sys.argv[2], "wb").write(bytes(data))
PY
    export LD_LIBRARY_PATH="$work${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi

/usr/bin/python3 "$here/make_amber_lammps_testdata.py" build-pdb dip.pdb
gmx -quiet pdb2gmx -f dip.pdb -o dip.gro -p topol.top -ff amber99sb-ildn -water none -ignh >/dev/null 2>&1
gmx -quiet editconf -f dip.gro -o box.gro -box 3.0 -c >/dev/null 2>&1
cat > md.mdp <<'MDP'
integrator      = md
dt              = 0.001
nsteps          = 40
nstxout         = 10
nstvout         = 0
nstfout         = 10
nstenergy       = 0
nstlog          = 0
cutoff-scheme   = Verlet
pbc             = xyz
rlist           = 1.2
coulombtype     = Cut-off
rcoulomb        = 1.2
rvdw            = 1.2
tcoupl          = no
constraints     = none
gen_vel         = yes
gen_temp        = 300
gen_seed        = 4242
MDP
gmx -quiet grompp -f md.mdp -c box.gro -p topol.top -o run.tpr -maxwarn 2 >/dev/null 2>&1
gmx -quiet mdrun -s run.tpr -o run.trr -nt 1 -deffnm run >/dev/null 2>&1
/usr/bin/python3 "$here/make_amber_lammps_testdata.py" convert topol.top box.gro run.tpr run.trr "$out"
# The GROMACS originals too: the twin the other formats are compared with end to end.
cp run.tpr "$out/dipeptide.tpr"
cp run.trr "$out/dipeptide.trr"
ls -l "$out"/dipeptide*
