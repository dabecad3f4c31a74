#!/usr/bin/python3
"""Helper of make_format_twin.sh (Debian python3-parmed, python3-mdanalysis).

  TOPOL.top FRAME0.gro PEPTIDE.tpr PEPTIDE.trr EXAMPLE.tpr OUTDIR

Writes the peptide's frames (read from PEPTIDE.tpr/.trr with MDAnalysis: positions in A,
forces in kJ/(mol*A)) as
  peptide.prmtop   ParmEd from TOPOL.top (water-free), atom order of the tpr
  peptide.nc       MDAnalysis NCDFWriter: coordinates (A), forces (kcal/(mol*A)), box
  peptide.mdcrd    title, then per frame 3N values 10F8.3 + a box line (3 lengths, 3F8.3)
  peptide.frc      title, then per frame 3N forces in kcal/(mol*A), 10F8.3, no box line
                   (the layout sander writes for an ASCII mdfrc)
  peptide.data     LAMMPS data file, atom_style full, units real (from the prmtop as
                   MDAnalysis reads it: same atoms, residues, bonds, dihedrals)
  peptide.dump     LAMMPS dump "id type x y z fx fy fz", forces in kcal/(mol*A)
"""
import os
import sys
import warnings

warnings.filterwarnings("ignore")
import numpy as np

KCAL = 4.184
# AMBER ASCII titles are at most 80 characters (MDAnalysis refuses longer ones).
TITLE = "mcc-entropy format twin: the example's Ace-Ala-Ser-Ala-NMe"


def title_line(f, text):
    assert len(text) <= 80, text
    f.write(text + "\n")


def ten_per_line(values, f):
    assert np.abs(values).max() < 9999.0, "value does not fit F8.3"
    for k in range(0, len(values), 10):
        f.write("".join("%8.3f" % v for v in values[k:k + 10]) + "\n")


def main(top, gro, tpr, trr, example_tpr, out):
    import parmed as pmd
    from parmed import gromacs
    import MDAnalysis as mda
    from MDAnalysis.coordinates.TRJ import NCDFWriter

    u = mda.Universe(tpr, trr)
    n = u.atoms.n_atoms
    # The group must be exactly the example's peptide molecule (its first fragment).
    ex = mda.Universe(example_tpr)
    assert list(ex.atoms.fragments[0].names) == list(u.atoms.names)
    assert len(u.atoms.fragments) == 1

    gromacs.GROMACS_TOPDIR = "/usr/share/gromacs/top"
    s = gromacs.GromacsTopologyFile(top, xyz=gro)
    assert [a.name for a in s.atoms] == list(u.atoms.names)
    amb = pmd.amber.AmberParm.from_structure(s)
    prmtop = os.path.join(out, "peptide.prmtop")
    amb.write_parm(prmtop)

    frames = [(ts.positions.copy(), ts.forces.copy(), ts.dimensions.copy()) for ts in u.trajectory]
    with NCDFWriter(os.path.join(out, "peptide.nc"), n, forces=True, velocities=False,
                    remarks=TITLE) as w:
        for ts in u.trajectory:
            w.write(u.atoms)

    with open(os.path.join(out, "peptide.mdcrd"), "w") as f:
        title_line(f, TITLE + ", positions (A)")
        for pos, _, dims in frames:
            ten_per_line(pos.ravel(), f)
            f.write("".join("%8.3f" % v for v in dims[:3]) + "\n")
    with open(os.path.join(out, "peptide.frc"), "w") as f:
        title_line(f, TITLE + ", forces (kcal/mol/A)")
        for _, frc, _ in frames:
            ten_per_line(frc.ravel().astype(np.float64) / KCAL, f)

    p = mda.Universe(prmtop)
    assert list(p.atoms.names) == list(u.atoms.names)
    types = sorted(set(p.atoms.types))
    type_id = {t: k + 1 for k, t in enumerate(types)}
    mass_of = {t: p.atoms[p.atoms.types == t][0].mass for t in types}
    box = frames[0][2][:3]
    with open(os.path.join(out, "peptide.data"), "w") as f:
        f.write(TITLE + " (atom_style full, units real)\n\n")
        f.write("%d atoms\n%d bonds\n%d dihedrals\n\n" % (n, len(p.bonds), len(p.dihedrals)))
        f.write("%d atom types\n1 bond types\n1 dihedral types\n\n" % len(types))
        for k, axis in enumerate("xyz"):
            f.write("0.0 %.6f %slo %shi\n" % (box[k], axis, axis))
        f.write("\nMasses\n\n")
        for t in types:
            f.write("%d %.6f  # %s\n" % (type_id[t], mass_of[t], t))
        f.write("\nAtoms  # full\n\n")
        for i, a in enumerate(p.atoms):
            f.write("%d %d %d %.6f %.6f %.6f %.6f\n" % (i + 1, a.resid, type_id[a.type], a.charge,
                                                       *frames[0][0][i]))
        for title, group in (("Bonds", p.bonds), ("Dihedrals", p.dihedrals)):
            f.write("\n%s\n\n" % title)
            for k, item in enumerate(group.indices):
                f.write("%d 1 %s\n" % (k + 1, " ".join(str(int(x) + 1) for x in item)))
    with open(os.path.join(out, "peptide.dump"), "w") as f:
        for k, (pos, frc, dims) in enumerate(frames):
            f.write("ITEM: TIMESTEP\n%d\nITEM: NUMBER OF ATOMS\n%d\n" % (500 * k, n))
            f.write("ITEM: BOX BOUNDS pp pp pp\n")
            for a in range(3):
                f.write("0.0 %.6f\n" % dims[a])
            f.write("ITEM: ATOMS id type x y z fx fy fz\n")
            for i in range(n):
                f.write("%d %d %.7g %.7g %.7g %.7g %.7g %.7g\n"
                        % (i + 1, type_id[p.atoms[i].type], *pos[i],
                           *(frc[i].astype(np.float64) / KCAL)))
    print("wrote %d atoms, %d frames; prmtop: %d bonds, %d dihedrals (MDAnalysis count)"
          % (n, len(frames), len(p.bonds), len(p.dihedrals)))


if __name__ == "__main__":
    if len(sys.argv) != 7:
        sys.exit(__doc__)
    main(*sys.argv[1:7])
