// Static molecular structure used by every entropy term: molecules (bond-graph fragments),
// groups of identical molecules, levels, and beads. Built from the topology only.
#pragma once
#include <string_view>
#include <vector>

#include "core/options.hpp"
#include "topology/topology.hpp"

namespace mcc {

enum class Level { UnitedAtom = 0, Residue = 1, Polymer = 2 };
std::string_view level_name(Level level);  // "united_atom", "residue", "polymer"

// Bead membership and levels use m > 1.1 for heavy atoms (CodeEntropy's `prop mass > 1.1`).
inline constexpr double kHeavyAtomMass = 1.1;
inline bool is_heavy(const Atom& a) { return a.mass > kHeavyAtomMass; }

struct Molecule {
    std::vector<int> atoms;     // ascending atom indices of the fragment
    std::vector<int> residues;  // global residue indices touched by the fragment, ascending
    std::vector<Level> levels;  // prefix of [UnitedAtom, Residue, Polymer]
    // United-atom beads bucketed by molecule-local residue position r (one bucket per entry
    // of `residues`, possibly empty); each bead is an ascending atom list.
    std::vector<std::vector<std::vector<int>>> ua_beads;

    [[nodiscard]] Level highest() const { return levels.back(); }
    [[nodiscard]] bool has(Level l) const;
};

struct Group {
    int id = 0;                  // molecule id of the first member (CodeEntropy's group id)
    std::vector<int> molecules;  // ascending molecule ids; molecules[0] is the representative
};

struct Structure {
    std::vector<Molecule> molecules;
    std::vector<Group> groups;  // ascending id
    std::vector<std::vector<int>> bonded;  // bonded_neighbours(top), for the plans built on this
};

Structure build_structure(const Topology& top, Grouping grouping);

}  // namespace mcc
