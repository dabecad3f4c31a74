// Symmetry number and linearity of a molecule, as the orientational term uses them.
//
// The reference converts the molecule to an RDKit molecule with MDAnalysis' RDKit converter
// (bond orders and formal charges inferred from valences, stereo tags from 3-D positions) and
// counts substructure self-matches (spec §3.5). We build the same RDKit molecule with the
// same RDKit calls (src/plan/symmetry.cpp ports MDAnalysis' inference) and count the same way.
#pragma once
#include <map>
#include <optional>
#include <vector>

#include "plan/structure.hpp"
#include "topology/topology.hpp"

namespace mcc {

struct SymmetryInfo {
    int sigma = 0;        // symmetry number; 0 for a single atom (no orientational entropy)
    bool linear = false;  // Q-N3: exactly two heavy atoms count as linear
    int n_heavy = 0;      // RDKit heavy-atom count (for messages and tests)
};

// Both answer molecules with at most two heavy atoms (water, methanol, ions, ...) themselves
// when the answer provably does not depend on RDKit (small_molecule_symmetry); any other
// molecule loads the RDKit module (src/plan/symmetry_module.hpp), once per process.

// One molecule: `atoms` are ascending indices into `top` (the fragment itself, not its index
// range); `positions` holds 3*top.n_atoms() float32 coordinates (Angstrom) of any frame (only
// the handedness of stereo centres is taken from it).
SymmetryInfo molecule_symmetry(const Topology& top, const std::vector<int>& atoms,
                               const std::vector<float>& positions);

// The RDKit module's answer, always (for tests comparing it with small_molecule_symmetry).
SymmetryInfo module_molecule_symmetry(const Topology& top, const std::vector<int>& atoms,
                                     const std::vector<float>& positions);

// The answer for small molecules whose self-match count needs no RDKit: a single atom; one
// heavy atom with up to four hydrogens (sigma = k!); two different heavy atoms bonded to each
// other with hydrogens on them (sigma = 1, "linear"). Every atom's element must be known without
// RDKit's tables, elements and bond counts ordinary (no charge or bond-order guess can split
// the hydrogens, no double-bond stereo). Anything else: nullopt (ask RDKit).
std::optional<SymmetryInfo> small_molecule_symmetry(const Topology& top, const std::vector<int>& atoms);

// Every group's representative molecule (groups[g].molecules[0]); key = group id.
std::map<int, SymmetryInfo> group_symmetry(const Topology& top, const Structure& s,
                                           const std::vector<float>& positions);

}  // namespace mcc
