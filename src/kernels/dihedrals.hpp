// Frame kernel of the conformational analysis: dihedral angles exactly as MDAnalysis 2.x
// computes them (calc_dihedrals, float32 positions and box), histogram counts per dihedral
// slot, and the per-frame angle store that pass 2 labels against the global peaks.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/serialize.hpp"
#include "io/frame.hpp"
#include "plan/dihedral_plan.hpp"

namespace mcc {

// The periodic box the way MDAnalysis' calc_dihedrals uses it.
struct DihedralBox {
    enum class Kind { None, Orthorhombic, Triclinic };
    Kind kind = Kind::None;
    std::array<float, 3> lengths{};  // orthorhombic edge lengths
    std::array<float, 3> inverse{};  // 1/L, computed in double and stored as float32
    std::array<float, 9> vectors{};  // triclinic: rows a, b, c (lower triangular)
};

// No box when the frame has none or its three lengths are 0 (MDAnalysis `dimensions` None);
// orthorhombic when all three angles are exactly 90; triclinic otherwise.
DihedralBox dihedral_box(const Frame& frame);

// MDAnalysis `_triclinic_pbc` for one position (moves it into the primary cell).
void wrap_into_triclinic_cell(float xyz[3], const std::array<float, 9>& box);

// Dihedral angle (radians, [-pi, pi], NaN when both atan2 arguments are exactly 0) of the
// four positions p1..p4, with minimum-image bond vectors when the box has one. For a
// triclinic box the positions must already be wrapped (wrap_into_triclinic_cell).
double dihedral_radians(const float p1[3], const float p2[3], const float p3[3],
                        const float p4[3], const DihedralBox& box);

// numpy rad2deg (one multiplication by 180/pi), then +360 when negative (CodeEntropy).
double positive_degrees(double radians);

// Histogram bin of an angle (Q-C8): truncation of angle / width, clamped to [0, n_bins-1];
// NaN goes to bin 0.
int dihedral_bin(double angle_degrees, int n_bins, double bin_width);

// Partial result of a chunk of frames: integer histograms per slot and the angles of every
// instance for each frame seen, addressable by frame position.
struct DihedralPartial {
    int n_bins = 0;
    std::size_t n_instances = 0;
    std::vector<std::int64_t> histograms;    // n_slots * n_bins, slot-major
    std::vector<std::size_t> frame_positions;  // positions of the stored rows, in append order
    std::vector<double> angles;              // rows of n_instances angles (degrees, [0, 360])
    std::vector<float> scratch;              // per-worker wrapped positions (never merged)
    // Rows the merged store will end with (the pass's frame count), or 0 when unknown: the
    // first merge that must grow the store makes room for all of them at once, instead of
    // reallocating and copying it again and again while the chunks arrive.
    std::size_t expected_rows = 0;

    // Appends `later` (the next chunk in order): histograms add, angle rows append.
    void merge(const DihedralPartial& later);
    // Back to the state make_dihedral_partial gives (no frames), keeping the storage.
    void clear();

    [[nodiscard]] std::size_t n_frames() const { return frame_positions.size(); }
    // Row of each frame position 0..n_frames-1; DataError unless every position appears once.
    [[nodiscard]] std::vector<std::size_t> rows_by_position(std::size_t n_frames) const;
    [[nodiscard]] const double* row(std::size_t r) const { return angles.data() + r * n_instances; }
    [[nodiscard]] const std::int64_t* histogram(std::size_t slot) const {
        return histograms.data() + slot * static_cast<std::size_t>(n_bins);
    }
};

DihedralPartial make_dihedral_partial(const DihedralPlan& plan, std::size_t expected_rows = 0);

// Byte encoding of a partial for MPI (the scratch buffer is not sent).
void pack_dihedral_partial(const DihedralPartial& p, ByteWriter& out);
DihedralPartial unpack_dihedral_partial(ByteReader& in);

// Measures every planned dihedral in `frame` (raw positions; the frame is not modified), adds
// them to the histograms and stores them as the row of `frame_position`.
void accumulate_dihedrals(const DihedralPlan& plan, Frame& frame, std::size_t frame_position,
                          DihedralPartial& out);

}  // namespace mcc
