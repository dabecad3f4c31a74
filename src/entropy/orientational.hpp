// Orientational entropy from the averaged neighbour counts and the symmetry numbers (spec §3.6).
#pragma once
#include <map>
#include <string>
#include <vector>

#include "kernels/neighbours.hpp"
#include "plan/neighbour_plan.hpp"
#include "plan/symmetry.hpp"
#include "report/results.hpp"

namespace mcc {

// Gas constant of the reference (CodeEntropy/entropy/orientational.py), J/(mol K).
inline constexpr double kOrientationalGasConstant = 8.3144598484848;

// Omega = sqrt(N^3 pi)/sigma (non-linear) or N/sigma (linear); 1 for sigma = 0; clipped to
// >= 1 under Q-N7. Throws DataError for a negative N.
double orientation_count(double mean_neighbours, int sigma, bool linear,
                         const OrientationalQuirks& q = OrientationalQuirks::codeentropy());
// R ln(Omega).
double orientational_entropy(double mean_neighbours, int sigma, bool linear,
                             const OrientationalQuirks& q = OrientationalQuirks::codeentropy());

// Mean neighbour count per group (plan order): total / samples, 0 without samples.
std::vector<double> mean_neighbour_counts(const NeighbourPartial& merged);

// One row per non-empty group, ascending id: (id, representative's highest level,
// "Orientational", S). `symmetry` is group_symmetry(...) (key = group id).
std::vector<GroupRow> finish_orientational(const NeighbourPlan& plan, const NeighbourPartial& merged,
                                           const std::map<int, SymmetryInfo>& symmetry,
                                           std::vector<std::string>& warnings);

}  // namespace mcc
