#include "kernels/dihedrals.hpp"

#include <algorithm>

#include <cfloat>
#include <cmath>
#include <numbers>

#include "core/error.hpp"

// The arithmetic below follows MDAnalysis' calc_distances.h operation by operation (float32
// where it uses float, double where it uses double) so that angles agree to the last bit.
// It relies on no FMA contraction (the build targets baseline x86-64).

namespace mcc {

DihedralBox dihedral_box(const Frame& frame) {
    DihedralBox box;
    const auto& d = frame.dimensions;
    if (!frame.has_box || (d[0] == 0.0f && d[1] == 0.0f && d[2] == 0.0f)) return box;
    if (d[3] == 90.0f && d[4] == 90.0f && d[5] == 90.0f) {
        box.kind = DihedralBox::Kind::Orthorhombic;
        for (int i = 0; i < 3; ++i) {
            box.lengths[i] = d[i];
            box.inverse[i] = static_cast<float>(1.0 / static_cast<double>(d[i]));
        }
    } else {
        box.kind = DihedralBox::Kind::Triclinic;
        box.vectors = box_vectors_from_dimensions(d);  // MDAnalysis triclinic_vectors
    }
    return box;
}

void wrap_into_triclinic_cell(float xyz[3], const std::array<float, 9>& b) {
    if (!b[0] && !b[4] && !b[8]) return;
    const double bi0 = 1.0 / static_cast<double>(b[0]);
    const double bi4 = 1.0 / static_cast<double>(b[4]);
    const double bi8 = 1.0 / static_cast<double>(b[8]);
    const double bi3 = -b[3] * bi0 * bi4;
    const double bi6 = (-bi3 * b[7] - b[6] * bi0) * bi8;
    const double bi7 = -b[7] * bi4 * bi8;
    const double a_ax_yfactor = static_cast<double>(b[3]) * bi4;
    const double a_ax_zfactor = static_cast<double>(b[6]) * bi8;
    const double b_ax_zfactor = static_cast<double>(b[7]) * bi8;

    bool msr = false;
    float crd[3] = {xyz[0], xyz[1], xyz[2]};
    double lbound, ubound;
    // Lower bound first, then always the upper bound (a value just below 0 can land on L).
    if (crd[2] < 0.0f) {
        crd[0] += b[6]; crd[1] += b[7]; crd[2] += b[8];
        if (crd[2] < 0.0f) msr = true;
    }
    if (crd[2] >= b[8]) {
        crd[0] -= b[6]; crd[1] -= b[7]; crd[2] -= b[8];
        if (crd[2] >= b[8]) msr = true;
    }
    if (!msr) {
        lbound = crd[2] * b_ax_zfactor;
        ubound = lbound + b[4];
        if (crd[1] < lbound) {
            crd[0] += b[3]; crd[1] += b[4];
            if (crd[1] < lbound) msr = true;
        }
        if (crd[1] >= ubound) {
            crd[0] -= b[3]; crd[1] -= b[4];
            if (crd[1] >= ubound) msr = true;
        }
        if (!msr) {
            lbound = crd[1] * a_ax_yfactor + crd[2] * a_ax_zfactor;
            ubound = lbound + b[0];
            if (crd[0] < lbound) {
                crd[0] += b[0];
                if (crd[0] < lbound) msr = true;
            }
            if (crd[0] >= ubound) {
                crd[0] -= b[0];
                if (crd[0] >= ubound) msr = true;
            }
        }
    }
    if (msr) {
        // Multi-box shifts, then one more single-shift pass (they may be inexact).
        int s = static_cast<int>(std::floor(xyz[2] * bi8));
        xyz[2] -= static_cast<float>(s) * b[8];
        xyz[1] -= static_cast<float>(s) * b[7];
        xyz[0] -= static_cast<float>(s) * b[6];
        s = static_cast<int>(std::floor(xyz[1] * bi4 + xyz[2] * bi7));
        xyz[1] -= static_cast<float>(s) * b[4];
        xyz[0] -= static_cast<float>(s) * b[3];
        s = static_cast<int>(std::floor(xyz[0] * bi0 + xyz[1] * bi3 + xyz[2] * bi6));
        xyz[0] -= static_cast<float>(s) * b[0];
        crd[0] = xyz[0]; crd[1] = xyz[1]; crd[2] = xyz[2];
        if (crd[2] < 0.0f) { crd[0] += b[6]; crd[1] += b[7]; crd[2] += b[8]; }
        if (crd[2] >= b[8]) { crd[0] -= b[6]; crd[1] -= b[7]; crd[2] -= b[8]; }
        lbound = crd[2] * b_ax_zfactor;
        ubound = lbound + b[4];
        if (crd[1] < lbound) { crd[0] += b[3]; crd[1] += b[4]; }
        if (crd[1] >= ubound) { crd[0] -= b[3]; crd[1] -= b[4]; }
        lbound = crd[1] * a_ax_yfactor + crd[2] * a_ax_zfactor;
        ubound = lbound + b[0];
        if (crd[0] < lbound) crd[0] += b[0];
        if (crd[0] >= ubound) crd[0] -= b[0];
    }
    xyz[0] = crd[0]; xyz[1] = crd[1]; xyz[2] = crd[2];
}

namespace {

void minimum_image_orthorhombic(double x[3], const DihedralBox& box) {
    for (int i = 0; i < 3; ++i)
        if (box.lengths[i] > FLT_EPSILON) {
            const double s = box.inverse[i] * x[i];
            x[i] = box.lengths[i] * (s - std::round(s));  // round half away from zero
        }
}

// LAMMPS-style search over the 27 neighbouring images (positions already in the cell).
void minimum_image_triclinic(double dx[3], const std::array<float, 9>& b) {
    double best[3] = {0.0, 0.0, 0.0};
    double best_sq = FLT_MAX;
    for (int ix = -1; ix < 2; ++ix) {
        const double rx = dx[0] + b[0] * static_cast<float>(ix);
        for (int iy = -1; iy < 2; ++iy) {
            const double ry0 = rx + b[3] * static_cast<float>(iy);
            const double ry1 = dx[1] + b[4] * static_cast<float>(iy);
            for (int iz = -1; iz < 2; ++iz) {
                const double rz0 = ry0 + b[6] * static_cast<float>(iz);
                const double rz1 = ry1 + b[7] * static_cast<float>(iz);
                const double rz2 = dx[2] + b[8] * static_cast<float>(iz);
                const double dsq = rz0 * rz0 + rz1 * rz1 + rz2 * rz2;
                if (dsq < best_sq) {
                    best_sq = dsq;
                    best[0] = rz0; best[1] = rz1; best[2] = rz2;
                }
            }
        }
    }
    dx[0] = best[0]; dx[1] = best[1]; dx[2] = best[2];
}

// MDAnalysis `_calc_dihedral_angle` (normals of -va x vb and -vb x vc).
double dihedral_from_vectors(const double va[3], const double vb[3], const double vc[3]) {
    double n1[3], n2[3], xp[3];
    n1[0] = -va[1] * vb[2] + va[2] * vb[1];
    n1[1] = va[0] * vb[2] - va[2] * vb[0];
    n1[2] = -va[0] * vb[1] + va[1] * vb[0];
    n2[0] = -vb[1] * vc[2] + vb[2] * vc[1];
    n2[1] = vb[0] * vc[2] - vb[2] * vc[0];
    n2[2] = -vb[0] * vc[1] + vb[1] * vc[0];
    const double x = n1[0] * n2[0] + n1[1] * n2[1] + n1[2] * n2[2];
    xp[0] = n1[1] * n2[2] - n1[2] * n2[1];
    xp[1] = -n1[0] * n2[2] + n1[2] * n2[0];
    xp[2] = n1[0] * n2[1] - n1[1] * n2[0];
    const double vb_norm = std::sqrt(vb[0] * vb[0] + vb[1] * vb[1] + vb[2] * vb[2]);
    const double y = (xp[0] * vb[0] + xp[1] * vb[1] + xp[2] * vb[2]) / vb_norm;
    if (std::fabs(x) == 0.0 && std::fabs(y) == 0.0) return std::nan("");
    return std::atan2(y, x);
}

}  // namespace

double dihedral_radians(const float p1[3], const float p2[3], const float p3[3],
                        const float p4[3], const DihedralBox& box) {
    double va[3], vb[3], vc[3];
    for (int i = 0; i < 3; ++i) {
        // float32 subtraction, then widened (as the C kernel does)
        va[i] = static_cast<float>(p2[i] - p1[i]);
        vb[i] = static_cast<float>(p3[i] - p2[i]);
        vc[i] = static_cast<float>(p4[i] - p3[i]);
    }
    if (box.kind == DihedralBox::Kind::Orthorhombic) {
        minimum_image_orthorhombic(va, box);
        minimum_image_orthorhombic(vb, box);
        minimum_image_orthorhombic(vc, box);
    } else if (box.kind == DihedralBox::Kind::Triclinic) {
        minimum_image_triclinic(va, box.vectors);
        minimum_image_triclinic(vb, box.vectors);
        minimum_image_triclinic(vc, box.vectors);
    }
    return dihedral_from_vectors(va, vb, vc);
}

double positive_degrees(double radians) {
    double deg = radians * (180.0 / std::numbers::pi);
    if (deg < 0.0) deg += 360.0;
    return deg;
}

int dihedral_bin(double angle_degrees, int n_bins, double bin_width) {
    if (std::isnan(angle_degrees)) return 0;
    const double q = angle_degrees / bin_width;
    if (q < 0.0) return 0;
    if (q >= static_cast<double>(n_bins)) return n_bins - 1;
    const int i = static_cast<int>(q);  // truncation
    return i >= n_bins ? n_bins - 1 : i;
}

void DihedralPartial::merge(const DihedralPartial& later) {
    if (later.n_bins != n_bins || later.histograms.size() != histograms.size() ||
        later.n_instances != n_instances)
        throw InternalError("merging dihedral partials of different plans");
    for (std::size_t i = 0; i < histograms.size(); ++i) histograms[i] += later.histograms[i];
    const std::size_t rows = frame_positions.size() + later.frame_positions.size();
    if (frame_positions.capacity() < rows) {
        const std::size_t room = std::max(rows, expected_rows);
        frame_positions.reserve(room);
        angles.reserve(room * n_instances);
    }
    frame_positions.insert(frame_positions.end(), later.frame_positions.begin(),
                           later.frame_positions.end());
    angles.insert(angles.end(), later.angles.begin(), later.angles.end());
}

std::vector<std::size_t> DihedralPartial::rows_by_position(std::size_t n_frames) const {
    constexpr std::size_t missing = static_cast<std::size_t>(-1);
    if (frame_positions.size() != n_frames)
        throw DataError("dihedral angle store holds " + std::to_string(frame_positions.size()) +
                        " frames, expected " + std::to_string(n_frames));
    std::vector<std::size_t> rows(n_frames, missing);
    for (std::size_t r = 0; r < frame_positions.size(); ++r) {
        const std::size_t p = frame_positions[r];
        if (p >= n_frames || rows[p] != missing)
            throw DataError("dihedral angle store: frame position " + std::to_string(p) +
                            " out of range or stored twice");
        rows[p] = r;
    }
    return rows;
}

void DihedralPartial::clear() {
    std::fill(histograms.begin(), histograms.end(), 0);
    frame_positions.clear();
    angles.clear();
}

DihedralPartial make_dihedral_partial(const DihedralPlan& plan, std::size_t expected_rows) {
    DihedralPartial p;
    p.expected_rows = expected_rows;
    p.n_bins = plan.n_bins;
    p.n_instances = plan.n_instances();
    p.histograms.assign(plan.n_slots * static_cast<std::size_t>(plan.n_bins), 0);
    return p;
}

void pack_dihedral_partial(const DihedralPartial& p, ByteWriter& out) {
    out.put(static_cast<std::int64_t>(p.n_bins));
    out.put(static_cast<std::uint64_t>(p.n_instances));
    out.put(p.histograms);
    out.put(p.frame_positions);
    out.put(p.angles);
}

DihedralPartial unpack_dihedral_partial(ByteReader& in) {
    DihedralPartial p;
    std::int64_t n_bins = 0;
    std::uint64_t n_instances = 0;
    in.get(n_bins);
    in.get(n_instances);
    p.n_bins = static_cast<int>(n_bins);
    p.n_instances = static_cast<std::size_t>(n_instances);
    in.get(p.histograms);
    in.get(p.frame_positions);
    in.get(p.angles);
    return p;
}

void accumulate_dihedrals(const DihedralPlan& plan, Frame& frame, std::size_t frame_position,
                          DihedralPartial& out) {
    const std::size_t n = plan.n_instances();
    out.frame_positions.push_back(frame_position);
    const std::size_t base = out.angles.size();
    out.angles.resize(base + n);
    if (n == 0) return;
    if (frame.positions.size() < 3 * static_cast<std::size_t>(plan.atoms_used.back() + 1))
        throw DataError("frame has " + std::to_string(frame.n_atoms()) +
                        " atoms, fewer than the dihedrals need");
    const DihedralBox box = dihedral_box(frame);
    const float* xyz = frame.positions.data();
    if (box.kind == DihedralBox::Kind::Triclinic) {
        // MDAnalysis wraps each dihedral atom into the primary cell first; wrapping is per
        // atom, so doing it once per used atom gives the same coordinates.
        out.scratch.resize(frame.positions.size());
        for (int a : plan.atoms_used) {
            float* p = out.scratch.data() + 3 * static_cast<std::size_t>(a);
            const float* src = frame.positions.data() + 3 * static_cast<std::size_t>(a);
            p[0] = src[0]; p[1] = src[1]; p[2] = src[2];
            wrap_into_triclinic_cell(p, box.vectors);
        }
        xyz = out.scratch.data();
    }
    double* row = out.angles.data() + base;
    const auto nb = static_cast<std::size_t>(plan.n_bins);
    for (std::size_t i = 0; i < n; ++i) {
        const auto& q = plan.instances[i];
        auto at = [&](int a) { return xyz + 3 * static_cast<std::size_t>(a); };
        const double angle = positive_degrees(dihedral_radians(at(q[0]), at(q[1]), at(q[2]), at(q[3]), box));
        row[i] = angle;
        const int bin = dihedral_bin(angle, plan.n_bins, plan.bin_width);
        out.histograms[plan.instance_slot[i] * nb + static_cast<std::size_t>(bin)] += 1;
    }
}

}  // namespace mcc
