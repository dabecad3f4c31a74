// Static plan for the neighbour counts of the orientational term (spec §3): which molecules
// are centres, how they are grouped, what the grid search queries and counts.
#pragma once
#include <array>
#include <vector>

#include "core/options.hpp"
#include "plan/structure.hpp"
#include "topology/topology.hpp"

namespace mcc {

// CodeEntropy 2.3's neighbour/orientational conventions. Behaviour without a switch here is
// fixed to the reference's: RAD centres of mass from raw coordinates (Q-N4), orthorhombic
// single-shift minimum image from the first three box lengths (Q-N5), strict blocking test
// (Q-N6), symmetry numbers from RDKit self-matches (Q-N3, plan/symmetry.hpp).
struct OrientationalQuirks {
    // Q-N6: RAD examines only this many nearest molecules (0 = all of them).
    int rad_candidate_limit = 30;
    // Q-N1: grid counts atoms (UA rule) / all atoms of neighbouring residues (residue rule);
    // false counts distinct neighbouring molecules instead.
    bool grid_counts_atoms = true;
    // Q-N2: grid radii (Angstrom); the grid search never applies periodic boundaries.
    double grid_radius_united_atom = 3.0;
    double grid_radius_residue = 3.5;
    // Q-C5: the grid query is every atom in the molecule's inclusive index range [first, last].
    bool grid_query_index_range = true;
    // Q-N7: Omega is clipped to >= 1 (no negative orientational entropy).
    bool clip_omega_at_one = true;

    static OrientationalQuirks codeentropy() { return {}; }
};

struct NeighbourPlan {
    SearchType search = SearchType::RAD;
    OrientationalQuirks quirks;
    std::size_t n_atoms = 0;

    // Molecules (bond-graph fragments) of the analysis universe, by molecule id.
    std::vector<std::vector<int>> molecule_atoms;  // ascending atom indices
    std::vector<double> masses;                    // per atom (amu)

    // Groups ascending by id; the representative's highest level labels the group.
    std::vector<int> group_ids;
    std::vector<std::vector<int>> group_molecules;
    std::vector<Level> group_level;

    // Grid search data.
    std::vector<std::array<int, 2>> query_range;     // per molecule: inclusive [first, last]
    std::vector<int> atom_residue;                    // per atom: residue index
    std::vector<int> atom_molecule;                   // per atom: molecule id
    std::vector<int> residue_atom_count;              // per residue
    std::vector<std::vector<int>> molecule_residues;  // per molecule: fragment residues, asc.
};

NeighbourPlan build_neighbour_plan(const Topology& top, const Structure& s, const Options& o);

}  // namespace mcc
