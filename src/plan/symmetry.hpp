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

// Both answer molecules with at most two heavy atoms (water, methanol, ions, ...) and
// molecules without self-symmetry themselves when the answer provably does not depend on
// RDKit (small_molecule_symmetry, asymmetric_molecule_symmetry); any other molecule loads the
// RDKit module (src/plan/symmetry_module.hpp), once per process.

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

// The answer for a molecule with at least three heavy atoms and no self-symmetry, without
// RDKit (plan/asymmetric_molecule.cpp): sigma = 1, not linear, when MDAnalysis' bond-order
// and charge inference (ported) leaves every heavy atom distinguishable by colour refinement
// of elements, charges and chain-bond orders, and nothing later in the RDKit pipeline can
// change those. DNA and RNA strands, most ligands. Anything else: nullopt (ask RDKit).
std::optional<SymmetryInfo> asymmetric_molecule_symmetry(const Topology& top, const std::vector<int>& atoms);

// The atomic number the RDKit module gives the atom (element, else atomic number, else the
// name's first two or one letters), when our element table can tell; 0 when only RDKit's
// atomic weights could tell.
int atomic_number_as_module(const Atom& atom);

// Every group's representative molecule (groups[g].molecules[0]); key = group id.
std::map<int, SymmetryInfo> group_symmetry(const Topology& top, const Structure& s,
                                           const std::vector<float>& positions);

}  // namespace mcc
