// Neighbour counts per frame (spec §3.1-3.4): RAD or grid search, summed per group.
#pragma once
#include <array>
#include <cstddef>
#include <vector>

#include "io/frame.hpp"
#include "plan/neighbour_plan.hpp"

namespace mcc {

// Per group (plan order = ascending group id): sum over frames and member molecules of the
// neighbour counts, and the number of (molecule, frame) samples. Integers, so merging in any
// order gives the same result.
struct NeighbourPartial {
    std::vector<long long> totals;
    std::vector<long long> samples;
    void merge(const NeighbourPartial& later);
    void clear();  // back to make_neighbour_partial's zeros, keeping the storage
};

NeighbourPartial make_neighbour_partial(const NeighbourPlan& plan);

// One frame. Uses frame.positions as they are (see the report on make-whole ordering) and, for
// RAD, frame.dimensions[0..2]. Throws DataError for RAD without a box.
void accumulate_neighbours(const NeighbourPlan& plan, const Frame& frame,
                           std::size_t frame_position, NeighbourPartial& out);

// --- building blocks, exposed for tests ---

// Centre of mass of every molecule from the float32 positions, in the reference's arithmetic.
std::vector<std::array<double, 3>> molecule_centres(const NeighbourPlan& plan,
                                                    const std::vector<float>& positions);

// RAD shell of every centre: neighbour ids in sorted-distance order. `box` = the orthorhombic
// box lengths; `limit` = candidates examined (Q-N6; 0 = all). allow_avx512 = false keeps to the
// four-lane kernels even on a CPU with AVX-512 (same results; lets tests check both).
std::vector<std::vector<int>> rad_neighbour_lists(const std::vector<std::array<double, 3>>& centres,
                                                  const std::array<double, 3>& box, int limit,
                                                  bool allow_avx512 = true);

// The largest double x with sqrt(x) <= r: IEEE sqrt is correctly rounded, hence monotone,
// so `sqrt(d2) <= r` (the reference's brute-force distance test) is exactly `d2 <= x`.
double largest_square_within(double r);

// Grid-search neighbour count of every molecule (0 for molecules outside every group).
// `scan_small_molecules_once`: a molecule of a few close atoms scans the cells around it once,
// testing an atom against its atoms only when it is near their centre; off, every query atom
// scans its own cells (the tests compare both).
std::vector<long long> grid_neighbour_counts(const NeighbourPlan& plan,
                                             const std::vector<float>& positions,
                                             bool scan_small_molecules_once = true);

}  // namespace mcc
