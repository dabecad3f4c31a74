#!/usr/bin/python3
"""Development cross-check of src/topology/selection.cpp against MDAnalysis (not a test dependency).

1. Builds the small hand-made system of tests/test_selection.cpp in MDAnalysis and prints the
   atom indices of each selection there (the tests hard-code these lists).
2. Prints atom counts of the same kind of selections on the shared .tpr files.

Run with Debian's python (MDAnalysis installed there):  /usr/bin/python3 scripts/dev/selection_crosscheck.py
"""
import sys
import warnings

warnings.filterwarnings("ignore")
import MDAnalysis as mda  # noqa: E402
import numpy as np  # noqa: E402

# (resname, resid, resnum, segid, [(name, type, element, mass, charge)])
RESIDUES = [
    ("ALA", 1, 1, "PRO", [("N", "N", "N", 14.007, -0.4), ("H", "H", "H", 1.008, 0.3),
                          ("CA", "CT", "C", 12.011, 0.1), ("HA", "H1", "H", 1.008, 0.1),
                          ("CB", "CT", "C", 12.011, -0.2), ("C", "C", "C", 12.011, 0.6),
                          ("O", "O", "O", 15.999, -0.5)]),
    ("GLY", 2, 2, "PRO", [("N", "N", "N", 14.007, -0.4), ("H", "H", "H", 1.008, 0.3),
                          ("CA", "CT", "C", 12.011, 0.0), ("HA1", "H1", "H", 1.008, 0.1),
                          ("HA2", "H1", "H", 1.008, 0.1), ("C", "C", "C", 12.011, 0.6),
                          ("O", "O", "O", 15.999, -0.5)]),
    ("LYS", 3, 3, "PRO", [("N", "N", "N", 14.007, -0.4), ("CA", "CT", "C", 12.011, 0.0),
                          ("C", "C", "C", 12.011, 0.7), ("O", "O2", "O", 15.999, -0.8),
                          ("NZ", "N3", "N", 14.007, -0.3), ("HZ1", "H", "H", 1.008, 0.33)]),
    ("SOL", 4, 4, "SOL", [("OW", "OW", "O", 15.9994, -0.834), ("HW1", "HW", "H", 1.008, 0.417),
                          ("HW2", "HW", "H", 1.008, 0.417)]),
    ("SOL", 5, 5, "SOL", [("OW", "OW", "O", 15.9994, -0.834), ("HW1", "HW", "H", 1.008, 0.417),
                          ("HW2", "HW", "H", 1.008, 0.417)]),
    ("NA", 6, 6, "ION", [("NA", "Na", "Na", 22.99, 1.0)]),
    ("DA", 7, 107, "DNA", [("P", "P", "P", 30.974, 1.1), ("O5'", "OS", "O", 15.999, -0.5),
                           ("C5'", "CI", "C", 12.011, 0.0), ("C3'", "CT", "C", 12.011, 0.1),
                           ("O3'", "OS", "O", 15.999, -0.5), ("N9", "N*", "N", 14.007, 0.0),
                           ("C1'", "CT", "C", 12.011, 0.0)]),
    ("DT", 8, 108, "DNA", [("P", "P", "P", 30.974, 1.1), ("C4'", "CT", "C", 12.011, 0.1),
                           ("O4'", "OS", "O", 15.999, -0.4), ("N3", "NA", "N", 14.007, -0.4)]),
]
BONDS = [(0, 1), (0, 2), (2, 3), (2, 4), (2, 5), (5, 6), (5, 7), (7, 8), (7, 9), (9, 10),
         (9, 11), (9, 12), (12, 13), (12, 14), (14, 15), (15, 16), (16, 17), (15, 18), (18, 19),
         (20, 21), (20, 22), (23, 24), (23, 25), (27, 28), (28, 29), (29, 30), (30, 31),
         (31, 34), (34, 35), (35, 36), (33, 32)]

SELECTIONS = [
    "all", "protein", "backbone", "nucleic", "nucleicbackbone", "nucleicbase", "nucleicsugar",
    "name CA", "name CA C N", "name H*", "name C?", "name [CN]A", "name [!C]*", "name O?'",
    "resname SOL NA", "resname L*", "type CT", "type H?", "element Na", "element C N",
    "segid DNA", "resid 2", "resid 1:2", "resid 1-2", "resid 2 to 3", "resid 1 3 5",
    "resid 3 : 4", "resid 7:100", "resnum 107", "resnum 100-200", "index 0", "index 5:7",
    "index 5-7 27", "bynum 1:3", "resindex 3", "mass 1.008", "mass 1.0:2.0", "mass 2 to 999",
    "mass 1 to 1.1", "mass 15.999", "charge -0.5", "charge 0.5:1.0", "prop mass > 1.1",
    "prop mass < 1.5", "prop mass>=15.999", "prop mass <=12.011", "prop mass== 1.008",
    "prop mass != 12.011", "prop charge < 0", "prop abs charge > 0.45", "prop 12 < mass",
    "not protein", "not name H* and protein", "protein and not name H*",
    "resid 1 or resid 2 and name CA", "(resid 1 or resid 2) and name CA",
    "resid 1 or (resid 2 and name CA)", "name CA and resid 1 or resid 3",
    "not resid 1 or resid 2", "not (resid 1 or resid 2)", "byres name NZ",
    "byres name CA and resid 2", "(byres name HZ1) or name NA", "bonded name CA",
    "bonded index 7", "bonded name C and name O", "(bonded name C) and name O",
    "same residue as name HZ1", "same resname as index 20", "same segid as name P",
    "same mass as index 1", "same fragment as index 20", "same resid as name NA or name P",
    "global name CA", "atom PRO 2 CA", "protein or nucleic", "name N CA and resname GLY LYS",
    "index 0:5 and not name H*", "not not name CA", "resid -1:2", "mass 1.0-2.0",
    "index 1 :5", "index 1: 5", "resid 1 - 3", "resid 1 -3", "index +3", "mass +1.008",
    "charge -0.5:-0.4", "name none", "name [CA",
]


def build_toy():
    n_atoms = sum(len(r[4]) for r in RESIDUES)
    n_res = len(RESIDUES)
    segids = []
    for r in RESIDUES:
        if r[3] not in segids:
            segids.append(r[3])
    atom_resindex = np.concatenate([[i] * len(r[4]) for i, r in enumerate(RESIDUES)])
    res_segindex = np.array([segids.index(r[3]) for r in RESIDUES])
    u = mda.Universe.empty(n_atoms, n_residues=n_res, n_segments=len(segids),
                           atom_resindex=atom_resindex, residue_segindex=res_segindex,
                           trajectory=False)
    atoms = [a for r in RESIDUES for a in r[4]]
    u.add_TopologyAttr("name", [a[0] for a in atoms])
    u.add_TopologyAttr("type", [a[1] for a in atoms])
    u.add_TopologyAttr("element", [a[2] for a in atoms])
    u.add_TopologyAttr("mass", [a[3] for a in atoms])
    u.add_TopologyAttr("charge", [a[4] for a in atoms])
    u.add_TopologyAttr("resname", [r[0] for r in RESIDUES])
    u.add_TopologyAttr("resid", [r[1] for r in RESIDUES])
    u.add_TopologyAttr("resnum", [r[2] for r in RESIDUES])
    u.add_TopologyAttr("segid", segids)
    u.add_TopologyAttr("bonds", BONDS)
    return u


def main():
    u = build_toy()
    print("# hand-made system (tests/test_selection.cpp)")
    for s in SELECTIONS:
        try:
            print(f'{{"{s}", {{{", ".join(str(i) for i in u.select_atoms(s).indices)}}}}},')
        except Exception as e:  # noqa: BLE001
            print(f"# {s!r}: ERROR {type(e).__name__}: {e}")
    shared = [
        "/work/shared/data/peptide/peptide.tpr", "/work/shared/data/dna/md_A4_dna.tpr",
        "/work/shared/data/water/water.tpr", "/work/shared/data/methanol/methanol.tpr",
    ]
    tpr_sels = ["all", "protein", "backbone", "nucleic", "nucleicbackbone", "resname SOL",
                "not resname SOL", "name CA", "name H*", "resid 1:3", "resid 2-4 and name C*",
                "index 0:99", "bynum 1:10", "mass 2 to 999", "mass 1 to 1.1", "prop mass > 1.1",
                "prop mass < 0.1", "byres name CA", "bonded name CA", "same residue as index 50",
                "protein and not name H*", "resname SOL and name OW", "element O"]
    for path in shared + sys.argv[1:]:
        try:
            tu = mda.Universe(path)
        except Exception as e:  # noqa: BLE001
            print(f"# {path}: cannot read: {e}")
            continue
        print(f"# {path}: {tu.atoms.n_atoms} atoms, {tu.residues.n_residues} residues, "
              f"{len(tu.bonds)} bonds")
        for s in tpr_sels:
            try:
                print(f'    {{"{s}", {len(tu.select_atoms(s))}}},')
            except Exception as e:  # noqa: BLE001
                print(f"    # {s!r}: ERROR {e}")


if __name__ == "__main__":
    main()
