#include "entropy/orientational.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "core/error.hpp"

namespace mcc {

double orientation_count(double n, int sigma, bool linear, const OrientationalQuirks& q) {
    if (n < 0) throw_data("neighbour count must be >= 0, got {}", n);
    double omega = 1.0;
    if (sigma != 0) {
        // Same operations as the reference: (N**3 * pi) ** 0.5 / sigma, or N / sigma.
        omega = linear ? n / sigma : std::sqrt(std::pow(n, 3.0) * std::numbers::pi) / sigma;
    }
    if (q.clip_omega_at_one) omega = std::max(omega, 1.0);
    return omega;
}

double orientational_entropy(double n, int sigma, bool linear, const OrientationalQuirks& q) {
    return kOrientationalGasConstant * std::log(orientation_count(n, sigma, linear, q));
}

std::vector<double> mean_neighbour_counts(const NeighbourPartial& merged) {
    std::vector<double> out(merged.totals.size(), 0.0);
    for (std::size_t g = 0; g < out.size(); ++g)
        if (merged.samples[g] != 0)
            out[g] = static_cast<double>(merged.totals[g]) / static_cast<double>(merged.samples[g]);
    return out;
}

std::vector<GroupRow> finish_orientational(const NeighbourPlan& plan, const NeighbourPartial& merged,
                                           const std::map<int, SymmetryInfo>& symmetry,
                                           std::vector<std::string>& /*warnings*/) {
    const auto mean = mean_neighbour_counts(merged);
    std::vector<GroupRow> rows;
    for (std::size_t g = 0; g < plan.group_ids.size(); ++g) {
        if (plan.group_molecules[g].empty()) continue;
        const int id = plan.group_ids[g];
        auto it = symmetry.find(id);
        const SymmetryInfo sym = it == symmetry.end() ? SymmetryInfo{} : it->second;
        rows.push_back({id, std::string(level_name(plan.group_level[g])), "Orientational",
                        orientational_entropy(mean[g], sym.sigma, sym.linear, plan.quirks)});
    }
    return rows;
}

}  // namespace mcc
