// Local axes of beads as the reference builds them (spec-vibrational §7.3-§8.3): MDAnalysis
// principal axes, CodeEntropy's custom principal axes, "vanilla" axes + moments and the
// bonded united-atom axes. Rows of a Mat3 are the unit axes.
#pragma once
#include <vector>

#include "kernels/geometry.hpp"
#include "kernels/lapack_eigen.hpp"

namespace mcc::axes {

using geom::Mat3;
using geom::Vec3;

struct AxesMoments {
    Mat3 axes{};
    Vec3 moments{};  // real parts, aligned with the rows of `axes`
};

// MDAnalysis principal_axes of a tensor: eigenvalue-descending rows, all rows negated when
// the frame is left-handed.
Mat3 mda_principal_axes(const lapack::Eigen3& e);
// Vanilla axes: MDA principal axes + eigenvalues ordered by |lambda| descending.
AxesMoments vanilla_axes(const Mat3& tensor);
// CodeEntropy get_custom_principal_axes: |lambda|-descending rows, only the third row
// negated for a left-handed frame.
AxesMoments custom_principal_axes(const Mat3& tensor);

// Bonded united-atom axes, cases 2/3/5 of spec §8.3 (left-handed frame, Q-5).
// `heavy` is the UA heavy atom, `bonded_heavy` its partners with 2 <= m <= 999 (>= 1),
// `third` the third point: nullptr = coordinate origin (case 2), else a float32 position.
// `ua_atoms` = heavy atom + bonded light partners (positions and masses) for the moments.
// Throws DataError on degenerate geometry (as the reference raises).
AxesMoments bonded_axes(const float* heavy, const std::vector<const float*>& bonded_heavy,
                        const float* third, const std::vector<const float*>& ua_positions,
                        const std::vector<double>& ua_masses, const Vec3& box);

}  // namespace mcc::axes
