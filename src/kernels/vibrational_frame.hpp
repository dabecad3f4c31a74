// Frame kernel of the vibrational term: per bead generalised force and torque vectors,
// per-molecule outer products, mean over a group's molecules within the frame, running mean
// over frames (spec-vibrational §8-§11).
#pragma once
#include <cstddef>
#include <vector>

#include "io/frame.hpp"
#include "kernels/geometry.hpp"
#include "plan/vibrational_plan.hpp"

namespace mcc {

// Running mean of one matrix slot over the frames in which it occurred. Every matrix is a
// mean of outer products v v^T, hence symmetric bit for bit (v_i v_j == v_j v_i, and the
// means are taken element by element): only its upper triangle is kept, which halves the
// arithmetic and the memory of the large united-atom matrices.
struct MatrixMean {
    // Upper triangle of the dim x dim matrix, row by row: (0,0) (0,1) .. (0,dim-1) (1,1) ..;
    // empty until the first frame. Meaningful only while count > 0: a cleared partial keeps
    // the values of its previous chunk as storage for the next.
    std::vector<double> mean;
    long count = 0;  // frames that contributed
};

// Entries of the upper triangle of an n x n matrix.
constexpr std::size_t packed_size(std::size_t n) { return n * (n + 1) / 2; }
// The full n x n row-major matrix of an upper triangle stored as in MatrixMean.
std::vector<double> unpack_symmetric(const std::vector<double>& packed, std::size_t n);

struct VibrationalPartial {
    std::vector<MatrixMean> slots;  // indexed like VibrationalPlan::slot_dims
    // Scratch of accumulate_vibrational, not part of the result (never merged or sent): the
    // means over a group's molecules within one frame, kept from frame to frame so that their
    // matrices are not allocated and zeroed again for every frame.
    std::vector<MatrixMean> frame_means;
    // Combines a later chunk into this one as the reference's chunk reducer does:
    // C <- C + (P - C) * n_P / (n_C + n_P). Associative up to rounding.
    void merge(const VibrationalPartial& later);
    // Back to the state make_vibrational_partial gives (no frames), keeping the matrices'
    // storage for reuse by another chunk.
    void clear();
};

VibrationalPartial make_vibrational_partial(const VibrationalPlan& plan);

// Adds one frame. May make molecules whole in place in `frame.positions` (as the reference
// does, float32 write-back). Throws DataError when forces or the box are missing.
void accumulate_vibrational(const VibrationalPlan& plan, Frame& frame, std::size_t frame_position,
                            VibrationalPartial& out);

// Building blocks, exposed for tests.
namespace vib {
// (sum_a A f_a) * (highest ? phi : 1) / sqrt(M)
// `forces` (and `positions` below): 3 floats per atom, indexed by `atoms`.
geom::Vec3 weighted_force(const geom::Mat3& axes, const float* forces, const std::vector<int>& atoms,
                          double mass, double scale);
// sum_a (A d_a) x (phi A f_a), d_a = minimum image of x_a - centre; component k divided by
// sqrt(I_k), zero when |tau_k| <= 1e-8 or I_k <= 0.
geom::Vec3 weighted_torque(const geom::Mat3& axes, const geom::Vec3& center,
                           const geom::Vec3& moments, const float* positions, const float* forces,
                           const std::vector<int>& atoms, double phi, const geom::Vec3& box);
}  // namespace vib

}  // namespace mcc
