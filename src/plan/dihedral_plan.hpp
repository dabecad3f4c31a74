// Static plan of the conformational analysis: which dihedrals are measured in every frame, how
// they map to histograms, and the quirks of CodeEntropy 2.3 that the result depends on.
// Built once from topology + structure + options; touches no frames.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/options.hpp"
#include "plan/structure.hpp"
#include "topology/topology.hpp"

namespace mcc {

// Switches for CodeEntropy 2.3 behaviour that looks unintended (spec §9). `codeentropy()` keeps
// every quirk; turning one off gives the evidently intended behaviour instead.
struct ConformationalQuirks {
    // Q-C1: residue-level entropy is read from a list padded with one empty entry per group and
    // indexed by group id (0 for ids < G, group (id-G)'s value for G <= id < 2G, 0 beyond).
    // Off: each group gets the entropy of its own residue-level states.
    bool residue_entropy_from_padded_list = true;
    // Q-C2: residue-level flexible counts are a list in group order, read with the group id as
    // position. Off: each group gets its own count.
    bool residue_flexible_by_list_position = true;
    // Q-C3: nearest peak by plain |angle - peak| on [0, 360) (no circular distance); ties go
    // to the lower peak either way. Off: circular distance.
    bool nearest_peak_without_wrap = true;
    // Q-C4: flexible dihedrals are counted inside the reference's frame chunks of size
    // min(32, max(1, ceil(N_f / 2W))) only. Off: one chunk holding every frame.
    bool flexible_in_reference_chunks = true;
    // Q-C5: molecule and residue atom sets are atom-index ranges [first, last] (foreign atoms
    // numbered inside the range are included). Off: the fragment's / residue's own atoms.
    bool index_range_atom_sets = true;
    // Q-C6: a state is the decimal labels concatenated without separator, so labels >= 10 can
    // collide ("1"+"10" == "11"+"0"). Off: labels separated by ','.
    bool states_as_digit_strings = true;

    // Fixed (not switchable, they define the method as the reference computes it):
    // Q-C7 peak rule (non-zero, >= left, > right, circular neighbours); Q-C8 bin_width
    // truncated to int, n_b = floor(360 / w), width 360 / n_b, clamp into the last bin;
    // Q-C9 dihedrals only from the topology, UA ones all-heavy inside one residue's range;
    // Q-C10 residue pseudo-dihedral R1->R2 | R2->R1 | R3->R4 | R4->R3 of exactly 4 atoms;
    // Q-C11 entropy of the pooled molecule x frame samples.

    static ConformationalQuirks codeentropy() { return {}; }
};

// One group's dihedral layout. Every molecule of the group has the same layout (checked).
// Histogram "slots" of the group: the UA dihedrals residue by residue, then the residue-level
// dihedrals; "instances" are slots times molecules (one angle each per frame).
struct DihedralGroupLayout {
    int group_id = 0;
    std::vector<int> molecules;           // molecule ids, group order
    bool has_residue_level = false;       // representative has the residue level
    int n_positions = 0;                  // residue positions of the (index-range) molecule
    std::vector<int> ua_count;            // UA dihedrals per residue position
    std::vector<int> ua_first;            // first slot (group-local) of each position
    int n_residue_dihedrals = 0;          // residue-level pseudo-dihedrals per molecule
    int slots_per_molecule = 0;           // sum(ua_count) + n_residue_dihedrals
    std::size_t first_slot = 0;           // global slot of local slot 0
    std::size_t first_instance = 0;       // global instance of molecule 0, local slot 0
    // Residue names of the representative fragment's residues (per-residue rows).
    std::vector<std::string> residue_names;

    [[nodiscard]] std::size_t instance(std::size_t molecule_order, std::size_t local_slot) const {
        return first_instance + molecule_order * static_cast<std::size_t>(slots_per_molecule) +
               local_slot;
    }
};

struct DihedralPlan {
    ConformationalQuirks quirks;
    int n_bins = 12;                      // Q-C8
    double bin_width = 30.0;              // effective width 360 / n_bins
    std::vector<double> bin_centres;      // as numpy.linspace edges give them
    int reference_workers = 1;            // W of the reference's chunk size (Q-C4)

    // Dihedral instances in per-frame store order (group, molecule, slot), atoms in the
    // topology's (normalised) order, and the global histogram slot of each.
    std::vector<std::array<int, 4>> instances;
    std::vector<std::uint32_t> instance_slot;
    std::size_t n_slots = 0;
    std::vector<DihedralGroupLayout> groups;  // ascending group id, same order as Structure
    std::vector<int> atoms_used;              // ascending unique atoms of all instances

    [[nodiscard]] std::size_t n_instances() const { return instances.size(); }
    // Bytes of the angle store per frame (one double per instance).
    [[nodiscard]] std::size_t angle_bytes_per_frame() const { return instances.size() * sizeof(double); }
};

// Builds the plan; UsageError for a bin_width outside 1..360; DataError when the molecules of
// a group do not share one dihedral layout.
DihedralPlan build_dihedral_plan(const Topology& top, const Structure& s, const Options& o);

// Same, with explicit quirks (tests and a future "corrected" convention).
DihedralPlan build_dihedral_plan(const Topology& top, const Structure& s, const Options& o,
                                 const ConformationalQuirks& quirks);

}  // namespace mcc
