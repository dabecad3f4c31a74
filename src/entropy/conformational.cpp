#include "entropy/conformational.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/numpy_sum.hpp"

namespace mcc {

std::vector<double> find_histogram_peaks(const std::int64_t* counts, int n_bins,
                                         const std::vector<double>& bin_centres) {
    std::vector<double> peaks;
    for (int i = 0; i < n_bins; ++i) {
        const std::int64_t h = counts[i];
        if (h == 0) continue;
        const std::int64_t left = counts[i == 0 ? n_bins - 1 : i - 1];
        const std::int64_t right = counts[i == n_bins - 1 ? 0 : i + 1];
        if (h >= left && h > right) peaks.push_back(bin_centres[static_cast<std::size_t>(i)]);
    }
    return peaks;
}

int nearest_peak_label(double angle, const std::vector<double>& peaks, bool circular) {
    if (peaks.empty()) return 0;
    auto distance = [&](double p) {
        const double d = std::abs(angle - p);
        return circular ? std::min(d, 360.0 - d) : d;
    };
    int best = 0;
    double best_distance = distance(peaks[0]);
    for (std::size_t k = 1; k < peaks.size(); ++k) {
        const double d = distance(peaks[k]);
        if (d < best_distance) {  // strict: ties stay with the lower index; NaN never wins
            best_distance = d;
            best = static_cast<int>(k);
        }
    }
    return best;
}

std::size_t reference_chunk_size(std::size_t n_frames, int workers) {
    const std::size_t n = std::max<std::size_t>(1, n_frames);
    const std::size_t target = static_cast<std::size_t>(std::max(1, workers)) * 2;
    const std::size_t c = (n + target - 1) / target;
    return std::clamp<std::size_t>(c, 1, 32);
}

namespace {

}  // namespace

double entropy_from_counts(const std::vector<std::int64_t>& counts) {
    if (counts.size() <= 1) return 0.0;
    std::int64_t total = 0;
    for (auto c : counts) total += c;
    if (total <= 0) return 0.0;
    std::vector<double> terms;
    terms.reserve(counts.size());
    for (auto c : counts) {
        const double p = static_cast<double>(c) / static_cast<double>(total);
        if (p > 0.0) terms.push_back(p * std::log(p));
    }
    return -kGasConstant * (0.0 + numpy_sum(terms));
}

std::string state_string(const int* labels, std::size_t n, bool digit_concatenation) {
    std::string s;
    for (std::size_t i = 0; i < n; ++i) {
        if (!digit_concatenation && i > 0) s += ',';
        s += std::to_string(labels[i]);
    }
    return s;
}

namespace {

using StateCounts = std::map<std::string, std::int64_t>;  // sorted like numpy.unique

double entropy_of(const StateCounts& states) {
    std::vector<std::int64_t> counts;
    counts.reserve(states.size());
    for (const auto& [state, n] : states) counts.push_back(n);
    return entropy_from_counts(counts);
}

// Number of dihedrals among slots [first, first+n) whose label changes inside frames [f0, f1).
int flexible_in_chunk(const std::vector<int>& labels, std::size_t slots_per_molecule,
                      std::size_t first, std::size_t n, std::size_t f0, std::size_t f1,
                      const std::vector<std::vector<double>>& peaks, std::size_t first_slot) {
    int count = 0;
    for (std::size_t k = first; k < first + n; ++k) {
        if (peaks[first_slot + k].empty()) continue;
        const int label0 = labels[f0 * slots_per_molecule + k];
        for (std::size_t f = f0 + 1; f < f1; ++f)
            if (labels[f * slots_per_molecule + k] != label0) {
                ++count;
                break;
            }
    }
    return count;
}

}  // namespace

ConformationalResult finish_conformational(const DihedralPlan& plan, const DihedralPartial& merged,
                                           std::size_t n_frames) {
    const ConformationalQuirks& q = plan.quirks;
    ConformationalResult out;
    const std::vector<std::size_t> rows = merged.rows_by_position(n_frames);
    if (merged.histograms.size() != plan.n_slots * static_cast<std::size_t>(plan.n_bins))
        throw InternalError("dihedral partial does not belong to this plan");

    out.peaks.resize(plan.n_slots);
    for (std::size_t s = 0; s < plan.n_slots; ++s)
        out.peaks[s] = find_histogram_peaks(merged.histogram(s), plan.n_bins, plan.bin_centres);

    const std::size_t chunk = q.flexible_in_reference_chunks
                                  ? reference_chunk_size(n_frames, plan.reference_workers)
                                  : std::max<std::size_t>(1, n_frames);
    const std::size_t n_groups = plan.groups.size();
    std::vector<StateCounts> residue_states(n_groups);

    for (std::size_t gi = 0; gi < n_groups; ++gi) {
        const DihedralGroupLayout& g = plan.groups[gi];
        const auto K = static_cast<std::size_t>(g.slots_per_molecule);
        const auto n_pos = static_cast<std::size_t>(g.n_positions);
        std::vector<StateCounts> ua_states(n_pos);
        std::vector<int> ua_flexible(n_pos, 0);
        int residue_flexible = 0;
        std::vector<int> labels(n_frames * K);
        const auto res_first = static_cast<std::size_t>(g.slots_per_molecule - g.n_residue_dihedrals);
        const auto n_res_dih = static_cast<std::size_t>(g.n_residue_dihedrals);

        for (std::size_t mo = 0; mo < g.molecules.size(); ++mo) {
            for (std::size_t f = 0; f < n_frames; ++f) {
                const double* angles = merged.row(rows[f]);
                for (std::size_t k = 0; k < K; ++k)
                    labels[f * K + k] = nearest_peak_label(angles[g.instance(mo, k)],
                                                           out.peaks[g.first_slot + k],
                                                           !q.nearest_peak_without_wrap);
            }
            for (std::size_t f = 0; f < n_frames; ++f) {
                for (std::size_t r = 0; r < n_pos; ++r)
                    if (g.ua_count[r] > 0)
                        ++ua_states[r][state_string(&labels[f * K + static_cast<std::size_t>(g.ua_first[r])],
                                                    static_cast<std::size_t>(g.ua_count[r]),
                                                    q.states_as_digit_strings)];
                if (n_res_dih > 0)
                    ++residue_states[gi][state_string(&labels[f * K + res_first], n_res_dih,
                                                      q.states_as_digit_strings)];
            }
            for (std::size_t f0 = 0; f0 < n_frames; f0 += chunk) {
                const std::size_t f1 = std::min(n_frames, f0 + chunk);
                for (std::size_t r = 0; r < n_pos; ++r)
                    ua_flexible[r] = std::max(
                        ua_flexible[r],
                        flexible_in_chunk(labels, K, static_cast<std::size_t>(g.ua_first[r]),
                                          static_cast<std::size_t>(g.ua_count[r]), f0, f1, out.peaks,
                                          g.first_slot));
                residue_flexible = std::max(
                    residue_flexible,
                    flexible_in_chunk(labels, K, res_first, n_res_dih, f0, f1, out.peaks, g.first_slot));
            }
        }
        for (std::size_t r = 0; r < n_pos; ++r) {
            out.ua_entropy[{g.group_id, static_cast<int>(r)}] = entropy_of(ua_states[r]);
            out.flexible.united_atom[{g.group_id, static_cast<int>(r)}] = ua_flexible[r];
        }
        out.residue_entropy_own[g.group_id] = entropy_of(residue_states[gi]);
        out.residue_flexible_in_group_order.push_back(residue_flexible);
    }

    const auto G = static_cast<long>(n_groups);
    for (std::size_t gi = 0; gi < n_groups; ++gi) {
        const DihedralGroupLayout& g = plan.groups[gi];
        // United atom: per residue of the representative fragment, then the group sum.
        double total = 0.0;
        for (std::size_t r = 0; r < g.residue_names.size(); ++r) {
            auto it = out.ua_entropy.find({g.group_id, static_cast<int>(r)});
            const double value = it == out.ua_entropy.end() ? 0.0 : it->second;
            total += value;
            out.residue_rows.push_back(ResidueRow{g.group_id, g.residue_names[r], "united_atom",
                                                  "Conformational", static_cast<long>(n_frames), value});
        }
        out.group_rows.push_back(GroupRow{g.group_id, "united_atom", "Conformational", total});
        if (!g.has_residue_level) continue;

        double residue_value = out.residue_entropy_own[g.group_id];
        if (q.residue_entropy_from_padded_list) {  // Q-C1
            const long id = g.group_id;
            residue_value = (id >= G && id < 2 * G)
                                ? out.residue_entropy_own[plan.groups[static_cast<std::size_t>(id - G)].group_id]
                                : 0.0;
        }
        out.group_rows.push_back(GroupRow{g.group_id, "residue", "Conformational", residue_value});

        int flexible = out.residue_flexible_in_group_order[gi];
        if (q.residue_flexible_by_list_position) {  // Q-C2
            if (g.group_id < G) {
                flexible = out.residue_flexible_in_group_order[static_cast<std::size_t>(g.group_id)];
            } else {
                out.warnings.push_back(fmt::format(
                    "group {}: CodeEntropy 2.3 would fail here (residue-level flexible dihedrals "
                    "looked up at list position {} of {}); using the group's own count {}",
                    g.group_id, g.group_id, n_groups, flexible));
            }
        }
        out.flexible.residue[g.group_id] = flexible;
    }
    return out;
}

}  // namespace mcc
