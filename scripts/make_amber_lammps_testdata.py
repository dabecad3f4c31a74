#!/usr/bin/python3
"""Helper of make_amber_lammps_testdata.sh (Debian python3-rdkit, -parmed, -mdanalysis).

  build-pdb OUT.pdb
      Ace-Ala-NMe heavy atoms from RDKit (fixed random seed), named as the GROMACS
      amber99sb-ildn residue templates expect (pdb2gmx adds the hydrogens).
  convert TOPOL.top CONF.gro RUN.tpr RUN.trr OUTDIR
      Writes the same system and frames in AMBER and LAMMPS formats:
        dipeptide.prmtop   ParmEd
        dipeptide.nc       MDAnalysis NCDFWriter: coordinates (A), forces (kcal/mol/A), box
        dipeptide.mdcrd    ASCII 10F8.3 coordinates + box line per frame
        dipeptide.frc      ASCII 10F8.3 forces in kcal/(mol*A), no box line
        dipeptide.data     LAMMPS data file, atom_style full (units real)
        dipeptide.dump     LAMMPS dump: id type x y z fx fy fz (kcal/(mol*A)),
                           atoms in shuffled order, box origin not at 0
        dipeptide_scaled.dump  the same frames with scaled coordinates xs ys zs
"""
import os
import sys
import warnings

warnings.filterwarnings("ignore")
import numpy as np

KCAL = 4.184


def build_pdb(out):
    from rdkit import Chem
    from rdkit.Chem import AllChem
    mol = Chem.AddHs(Chem.MolFromSmiles("CC(=O)N[C@@H](C)C(=O)NC"))
    AllChem.EmbedMolecule(mol, randomSeed=20261125)
    AllChem.MMFFOptimizeMolecule(mol)
    names = [("ACE", 1, "CH3"), ("ACE", 1, "C"), ("ACE", 1, "O"), ("ALA", 2, "N"),
             ("ALA", 2, "CA"), ("ALA", 2, "CB"), ("ALA", 2, "C"), ("ALA", 2, "O"),
             ("NME", 3, "N"), ("NME", 3, "CH3")]
    pos = mol.GetConformer().GetPositions()
    with open(out, "w") as f:
        for i, (res, resid, name) in enumerate(names):
            x, y, z = pos[i] + 15.0
            elem = name[0]
            f.write("ATOM  %5d %-4s %3s A%4d    %8.3f%8.3f%8.3f  1.00  0.00          %2s\n"
                    % (i + 1, " " + name if len(name) < 4 else name, res, resid, x, y, z, elem))
        f.write("END\n")


def ten_per_line(values, f):
    for k in range(0, len(values), 10):
        f.write("".join("%8.3f" % v for v in values[k:k + 10]) + "\n")


def convert(top, gro, tpr, trr, out):
    import parmed as pmd
    from parmed import gromacs
    import MDAnalysis as mda
    from MDAnalysis.coordinates.TRJ import NCDFWriter

    gromacs.GROMACS_TOPDIR = "/usr/share/gromacs/top"
    s = gromacs.GromacsTopologyFile(top, xyz=gro)
    amb = pmd.amber.AmberParm.from_structure(s)
    prmtop = os.path.join(out, "dipeptide.prmtop")
    amb.write_parm(prmtop)

    u = mda.Universe(tpr, trr)
    n = u.atoms.n_atoms
    frames = [(ts.positions.copy(), ts.forces.copy(), ts.dimensions.copy()) for ts in u.trajectory]

    with NCDFWriter(os.path.join(out, "dipeptide.nc"), n, forces=True, velocities=False,
                    remarks="mcc-entropy test data: Ace-Ala-NMe") as w:
        for ts in u.trajectory:
            w.write(u.atoms)

    with open(os.path.join(out, "dipeptide.mdcrd"), "w") as f:
        f.write("mcc-entropy test data: Ace-Ala-NMe coordinates (A)\n")
        for pos, _, dims in frames:
            ten_per_line(pos.ravel(), f)
            f.write("".join("%8.3f" % v for v in dims[:3]) + "\n")
    with open(os.path.join(out, "dipeptide.frc"), "w") as f:
        f.write("mcc-entropy test data: Ace-Ala-NMe forces (kcal/mol/A)\n")
        for _, frc, _ in frames:
            kcal = frc.ravel().astype(np.float64) / KCAL
            assert np.abs(kcal).max() < 9999.0
            ten_per_line(kcal, f)

    # LAMMPS data file from the prmtop as MDAnalysis reads it (same atoms, bonds, dihedrals).
    p = mda.Universe(prmtop)
    types = sorted(set(p.atoms.types))
    type_id = {t: k + 1 for k, t in enumerate(types)}
    mass_of = {t: p.atoms[p.atoms.types == t][0].mass for t in types}
    origin = np.array([-1.5, 2.25, 0.5])
    box = frames[0][2][:3]
    with open(os.path.join(out, "dipeptide.data"), "w") as f:
        f.write("mcc-entropy test data: Ace-Ala-NMe (atom_style full, units real)\n\n")
        f.write("%d atoms\n%d bonds\n%d angles\n%d dihedrals\n%d impropers\n\n"
                % (n, len(p.bonds), len(p.angles), len(p.dihedrals), len(p.impropers)))
        f.write("%d atom types\n1 bond types\n1 angle types\n1 dihedral types\n1 improper types\n\n"
                % len(types))
        for k, axis in enumerate("xyz"):
            f.write("%.6f %.6f %slo %shi\n" % (origin[k], origin[k] + box[k], axis, axis))
        f.write("\nMasses\n\n")
        for t in types:
            f.write("%d %.6f  # %s\n" % (type_id[t], mass_of[t], t))
        f.write("\nAtoms  # full\n\n")
        pos0 = frames[0][0] + origin
        for i in reversed(range(n)):  # any order: ids decide
            a = p.atoms[i]
            f.write("%d %d %d %.6f %.6f %.6f %.6f\n" % (i + 1, a.resid, type_id[a.type], a.charge,
                                                       *pos0[i]))
        for title, group in (("Bonds", p.bonds), ("Angles", p.angles),
                             ("Dihedrals", p.dihedrals), ("Impropers", p.impropers)):
            f.write("\n%s\n\n" % title)
            for k, item in enumerate(group.indices):
                f.write("%d 1 %s\n" % (k + 1, " ".join(str(int(x) + 1) for x in item)))

    rng = np.random.default_rng(7)
    for name, scaled in (("dipeptide.dump", False), ("dipeptide_scaled.dump", True)):
        with open(os.path.join(out, name), "w") as f:
            for k, (pos, frc, dims) in enumerate(frames):
                f.write("ITEM: TIMESTEP\n%d\nITEM: NUMBER OF ATOMS\n%d\n" % (10 * k, n))
                f.write("ITEM: BOX BOUNDS pp pp pp\n")
                for a in range(3):
                    f.write("%.6f %.6f\n" % (origin[a], origin[a] + dims[a]))
                cols = "xs ys zs" if scaled else "x y z"
                f.write("ITEM: ATOMS id type %s fx fy fz\n" % cols)
                for i in rng.permutation(n):
                    x = pos[i] / dims[:3] if scaled else pos[i] + origin
                    fk = frc[i].astype(np.float64) / KCAL
                    f.write("%d %d %.7g %.7g %.7g %.7g %.7g %.7g\n"
                            % (i + 1, type_id[p.atoms[i].type], *x, *fk))
    print("wrote %d atoms, %d frames, %d bonds, %d dihedrals (MDAnalysis count)"
          % (n, len(frames), len(p.bonds), len(p.dihedrals)))


if __name__ == "__main__":
    if sys.argv[1] == "build-pdb":
        build_pdb(sys.argv[2])
    elif sys.argv[1] == "convert":
        convert(*sys.argv[2:7])
    else:
        sys.exit(__doc__)
