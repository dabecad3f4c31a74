// The static description of a system: atoms, residues, bonds, dihedrals.
// Units: masses in amu, charges in e. Indices are 0-based everywhere.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace mcc {

struct Atom {
    std::string name;
    std::string type;
    std::string element;    // e.g. "C", "Cl"; empty when the format has none and it was not guessed
    int atomic_number = 0;  // 0 when unknown
    double mass = 0.0;
    double charge = 0.0;
    int residue = 0;        // index into Topology::residues
};

struct Residue {
    std::string name;
    int resid = 0;          // residue number as written in the file (MDAnalysis `resid`)
    int resnum = 0;         // second numbering where a format has one (equal to resid otherwise)
    std::string segid;      // segment / chain id where a format has one
    std::vector<int> atoms; // ascending atom indices
};

// A GROMACS-style molecule block: `count` consecutive copies of molecule type `name`.
struct MoleculeBlock {
    std::string name;
    int count = 0;
    int atoms_per_molecule = 0;
};

struct Topology {
    std::vector<Atom> atoms;
    std::vector<Residue> residues;
    // Bonds as unordered pairs (i < j), sorted and unique. Includes constraints and SETTLE
    // bonds where the format has them, as MDAnalysis reports them.
    std::vector<std::array<int, 2>> bonds;
    // Proper dihedrals, normalised as MDAnalysis does: a quadruple (a,b,c,d) with a > d is
    // stored reversed; sorted lexicographically and unique.
    std::vector<std::array<int, 4>> dihedrals;
    std::vector<MoleculeBlock> molecule_blocks;  // empty when the format has none
    std::string source;                          // file it came from, for messages

    [[nodiscard]] std::size_t n_atoms() const { return atoms.size(); }
    [[nodiscard]] std::size_t n_residues() const { return residues.size(); }

    // Rebuilds Residue::atoms from Atom::residue and normalises bonds and dihedrals.
    // Readers call this once at the end.
    void finalize();
};

// Adjacency lists (ascending neighbour indices) from the bond list.
std::vector<std::vector<int>> bonded_neighbours(const Topology& top);

// Connected components of the bond graph, ordered by lowest atom index, atoms ascending
// (MDAnalysis fragments). An atom without bonds is its own fragment.
std::vector<std::vector<int>> fragments(const Topology& top);

// The sub-topology of the given atoms (ascending, unique): atoms renumbered 0..n-1 in
// ascending original order, residues renumbered in order of first appearance, names,
// resids and masses kept; bonds and dihedrals kept only when all their atoms are selected.
Topology subset(const Topology& top, const std::vector<int>& atoms);

}  // namespace mcc
