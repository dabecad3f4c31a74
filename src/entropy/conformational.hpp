// Conformational entropy (CodeEntropy 2.3, spec §2): global peaks from the merged dihedral
// histograms, then pass 2 over the stored angles: nearest-peak labels, conformational states
// per residue position (united atom) and per molecule (residue level), entropies, and the
// flexible-dihedral counts handed to the vibrational term.
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "entropy/flexible.hpp"
#include "kernels/dihedrals.hpp"
#include "plan/dihedral_plan.hpp"
#include "report/results.hpp"

namespace mcc {

inline constexpr double kGasConstant = 8.3144598484848;  // J/(mol K), CodeEntropy's literal

// Peaks of one histogram (Q-C7): bin i is a peak when h_i != 0, h_i >= h_{i-1} and
// h_i > h_{i+1}, neighbours circular; the peak value is the bin centre. Ascending.
std::vector<double> find_histogram_peaks(const std::int64_t* counts, int n_bins,
                                         const std::vector<double>& bin_centres);

// Label of an angle (Q-C3): index of the nearest peak, ties to the lower index; 0 without
// peaks or for NaN. `circular` measures the distance around the circle instead.
int nearest_peak_label(double angle, const std::vector<double>& peaks, bool circular = false);

// The reference's frame-chunk size (Q-C4): min(32, max(1, ceil(N_f / (2W)))).
std::size_t reference_chunk_size(std::size_t n_frames, int workers);

// S = -R sum p ln p over the state counts, summed in the order given (numpy's pairwise
// summation); exactly 0 for fewer than two states.
double entropy_from_counts(const std::vector<std::int64_t>& counts);

// State string of one frame from its labels (Q-C6 digits without separator, or ','-separated).
std::string state_string(const int* labels, std::size_t n, bool digit_concatenation = true);

struct ConformationalResult {
    std::vector<GroupRow> group_rows;      // united_atom (+ residue) Conformational per group
    std::vector<ResidueRow> residue_rows;  // per residue of each representative (UA)
    FlexibleCounts flexible;               // UA per (group, position); residue with Q-C2 applied
    std::vector<std::string> warnings;

    // Diagnostics (tests, reports): global peaks per slot, UA entropy per (group, position),
    // residue-level entropy of each group's own states (before Q-C1), residue-level flexible
    // counts per group in group order (before Q-C2).
    std::vector<std::vector<double>> peaks;
    std::map<std::pair<int, int>, double> ua_entropy;
    std::map<int, double> residue_entropy_own;
    std::vector<int> residue_flexible_in_group_order;
};

// Pass 2 and the entropy arithmetic on the merged partial of all `n_frames` selected frames.
ConformationalResult finish_conformational(const DihedralPlan& plan, const DihedralPartial& merged,
                                           std::size_t n_frames);

}  // namespace mcc
