// Geometry primitives of the vibrational term, reproducing the reference's arithmetic:
// CodeEntropy's own minimum image (box lengths only, round half to even) and MDAnalysis'
// make-whole / centre of mass / inertia tensor (float32 storage, double arithmetic).
#pragma once
#include "core/numpy_sum.hpp"
#include <array>
#include <cstddef>
#include <vector>

namespace mcc::geom {

using Vec3 = std::array<double, 3>;
using Mat3 = std::array<std::array<double, 3>, 3>;  // row-major, m[row][col]

inline Vec3 sub(const Vec3& a, const Vec3& b) { return {a[0] - b[0], a[1] - b[1], a[2] - b[2]}; }
inline double dot(const Vec3& a, const Vec3& b) { return (a[0] * b[0] + a[1] * b[1]) + a[2] * b[2]; }
// NumPy's cross product: (a1 b2 - a2 b1, a2 b0 - a0 b2, a0 b1 - a1 b0).
inline Vec3 cross(const Vec3& a, const Vec3& b) {
    return {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
}

using ::mcc::numpy_sum;  // NumPy's pairwise np.sum (core/numpy_sum.hpp)

// CodeEntropy get_vector on doubles: d - L * rint(d / L) per component (half to even).
Vec3 min_image(const Vec3& d, const Vec3& box);
// CodeEntropy get_vector when both points are float32 arrays: NumPy then subtracts in float32
// and stores the wrapped result back into float32.
Vec3 min_image_f32(const float* from, const float* to, const Vec3& box);

// Position of atom `i` (float32 triple) promoted to double.
inline Vec3 position(const float* xyz, int i) {
    const float* p = xyz + 3 * static_cast<std::ptrdiff_t>(i);
    return {p[0], p[1], p[2]};
}

// An ordered atom group with its intra-group bonds (local indices, ascending neighbours),
// prepared once, as MDAnalysis make_whole sees it.
struct WholeGroup {
    std::vector<int> atoms;      // indices into the positions passed (3 floats each), in the order given
    std::vector<int> first;      // local adjacency: the neighbours of local atom i are
    std::vector<int> adjacency;  // adjacency[first[i] .. first[i + 1]), ascending
    bool operator==(const WholeGroup&) const = default;
};
WholeGroup make_whole_group(const std::vector<int>& atoms,
                            const std::vector<std::vector<int>>& global_neighbours);

// MDAnalysis make_whole (lib/_cutil.pyx, v2.4): reference = first atom; if every atom is
// within half a box length of it (orthorhombic) nothing changes; otherwise BFS over the
// bonds in sorted-set order, minimum image with float32 inverse box + round half away
// (orthorhombic) or the 27-image search (triclinic), positions stored as float32.
// Writes the group's whole positions (3 per atom, local order) into `out`; returns whether
// they differ from the stored ones (false: copied unchanged).
// Throws DataError when the group is not connected or the box has a zero length.
bool whole_positions(const WholeGroup& g, const float* xyz,
                     const std::array<float, 6>& dimensions, std::vector<float>& out);
// Same, writing back into the frame positions (MDAnalysis inplace=True). Returns whether
// anything was written (false when the group was already whole or has one atom).
bool make_whole_inplace(const WholeGroup& g, float* xyz,
                        const std::array<float, 6>& dimensions, std::vector<float>& scratch);

// Mass-weighted centre of the given float32 positions (3 per atom) as MDAnalysis computes it.
Vec3 center_of_mass(const float* xyz, const double* masses, std::size_t n);
// MDAnalysis moment_of_inertia about `com` (no minimum image).
Mat3 mda_inertia_tensor(const float* xyz, const double* masses, std::size_t n, const Vec3& com);
// CodeEntropy's custom tensor: r_j = min_image(p_j - c); I = 1 * sum w|r|^2 - sum w r r^T.
Mat3 custom_inertia_tensor(const Vec3& center, const std::vector<Vec3>& points,
                           const std::vector<double>& weights, const Vec3& box);

// MDAnalysis apply_PBC of one float32 point for an orthorhombic box (_ortho_pbc).
void mda_wrap_ortho(float* point, const float* box);

// MDAnalysis apply_PBC of one float32 point for a triclinic box given as the float32 box
// rows of box_vectors_from_dimensions (io/frame.hpp; _triclinic_pbc: single-box shifts along c, b, a; if one
// shift is not enough, a floor-based multi-box shift followed by one checking pass).
void mda_wrap_triclinic(float* point, const std::array<float, 9>& box);

// MDAnalysis moment_of_inertia(unwrap=True) of a group whose made-whole positions are `xyz`:
// the positions are shifted so that their float32 COM lies in the primary box (unwrap's
// default reference='com'; orthorhombic or triclinic apply_PBC), but the centre subtracted
// is the unshifted COM `com`. For a group whose COM lies outside the box this is not the
// inertia tensor about the COM; the reference's "vanilla" moments come from it all the same.
Mat3 mda_unwrapped_inertia_tensor(const float* xyz, const double* masses, std::size_t n,
                                  const Vec3& com, const std::array<float, 6>& dimensions);


}  // namespace mcc::geom
