#!/usr/bin/env python3
"""Writes heavy-atom 3D coordinates of the capped peptide Ace-Ala-Ser-Ala-NMe as a PDB with
AMBER residue/atom names (gmx pdb2gmx adds the hydrogens). Deterministic (fixed seed).
Usage: /usr/bin/python3 build_peptide.py OUT.pdb"""
import sys

from rdkit import Chem
from rdkit.Chem import AllChem

# (residue, SMILES piece, heavy-atom names in SMILES order); L-amino acids.
PIECES = [
    ("ACE", "CC(=O)", ["CH3", "C", "O"]),
    ("ALA", "N[C@@H](C)C(=O)", ["N", "CA", "CB", "C", "O"]),
    ("SER", "N[C@@H](CO)C(=O)", ["N", "CA", "CB", "OG", "C", "O"]),
    ("ALA", "N[C@@H](C)C(=O)", ["N", "CA", "CB", "C", "O"]),
    ("NME", "NC", ["N", "CH3"]),
]

smiles = "".join(p[1] for p in PIECES)
mol = Chem.AddHs(Chem.MolFromSmiles(smiles))
AllChem.EmbedMolecule(mol, randomSeed=7)
AllChem.MMFFOptimizeMolecule(mol)
pos = mol.GetConformer().GetPositions()

labels = [(i + 1, res, name) for i, (res, _, names) in enumerate(PIECES) for name in names]
heavy = [a.GetIdx() for a in mol.GetAtoms() if a.GetAtomicNum() > 1]
assert len(heavy) == len(labels), (len(heavy), len(labels))
with open(sys.argv[1], "w") as out:
    for serial, (idx, (resnum, res, name)) in enumerate(zip(heavy, labels), start=1):
        x, y, z = pos[idx]
        out.write(f"ATOM  {serial:5d} {name:<4s} {res:3s} A{resnum:4d}    "
                  f"{x:8.3f}{y:8.3f}{z:8.3f}  1.00  0.00\n")
    out.write("END\n")
