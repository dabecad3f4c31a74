#include "kernels/vibrational_frame.hpp"

#include <cmath>
#include <string>
#include <utility>

#include "core/error.hpp"
#include "kernels/axes.hpp"
#include "kernels/lapack_eigen.hpp"

namespace mcc {

using geom::Mat3;
using geom::Vec3;

namespace {

Vec3 mat_vec(const Mat3& a, const Vec3& v) {
    Vec3 r;
    for (std::size_t k = 0; k < 3; ++k) r[k] = (a[k][0] * v[0] + a[k][1] * v[1]) + a[k][2] * v[2];
    return r;
}

void gather(const float* xyz, const std::vector<int>& atoms, std::vector<float>& out) {
    out.resize(3 * atoms.size());
    for (std::size_t i = 0; i < atoms.size(); ++i)
        for (std::size_t k = 0; k < 3; ++k) out[3 * i + k] = xyz[3 * static_cast<std::ptrdiff_t>(atoms[i]) + static_cast<std::ptrdiff_t>(k)];
}

// Per-frame scratch: buffers reused across beads.
struct Work {
    std::vector<float> a, b;
    std::vector<Vec3> points;
    std::vector<const float*> bonded_heavy, united;
};

// MDAnalysis center_of_mass(unwrap=True): COM of the group made whole (copy only).
Vec3 com_unwrap(const geom::WholeGroup& g, const std::vector<double>& masses,
                const float* xyz, const std::array<float, 6>& dims, Work& w) {
    geom::whole_positions(g, xyz, dims, w.a);
    return geom::center_of_mass(w.a.data(), masses.data(), masses.size());
}

// MDAnalysis principal_axes() of the group at its stored positions.
Mat3 mda_axes_of(const std::vector<int>& atoms, const std::vector<double>& masses,
                 const float* xyz, Work& w) {
    gather(xyz, atoms, w.b);
    const Vec3 com = geom::center_of_mass(w.b.data(), masses.data(), masses.size());
    return axes::mda_principal_axes(lapack::eig3(geom::mda_inertia_tensor(w.b.data(), masses.data(), masses.size(), com)));
}

// get_vanilla_axes: moments from MDAnalysis' moment_of_inertia(unwrap=True) (ordered by
// |lambda| descending), then make whole in place, axes = MDA principal axes of the whole
// group about its COM. `wrote` tells whether the in-place make-whole changed positions.
// `shifted_moments`: VibrationalQuirks::moments_from_unwrap_shifted_tensor.
axes::AxesMoments vanilla_of(const geom::WholeGroup& g, const std::vector<double>& masses,
                             float* xyz, const std::array<float, 6>& dims,
                             bool shifted_moments, Work& w, bool* wrote = nullptr) {
    geom::whole_positions(g, xyz, dims, w.a);
    const Vec3 com = geom::center_of_mass(w.a.data(), masses.data(), masses.size());
    const Mat3 plain = geom::mda_inertia_tensor(w.a.data(), masses.data(), masses.size(), com);
    const Mat3 unwrapped =
        shifted_moments
            ? geom::mda_unwrapped_inertia_tensor(w.a.data(), masses.data(), masses.size(), com, dims)
            : plain;
    const bool changed = geom::make_whole_inplace(g, xyz, dims, w.b);
    if (wrote) *wrote = changed;
    axes::AxesMoments am = axes::vanilla_axes(plain);
    if (unwrapped != plain) am.moments = axes::vanilla_axes(unwrapped).moments;
    return am;
}

struct BeadVectors {
    Vec3 force{}, torque{};
};

struct GroupFrameMeans {
    std::vector<MatrixMean> slots;  // mean over the group's molecules within this frame
    // Set while a one-molecule group is processed: its frame mean is its only outer product,
    // so that goes straight into the running mean over frames (same operations, no copy).
    VibrationalPartial* direct = nullptr;
};

// acc[i] <- acc[i] + (x[i] - acc[i]) / n: the reference's running-mean step, element by
// element. The division is kept (it is what gives the reference's bits); it dominates for
// large matrices, so an AVX2 clone (same IEEE operations, four lanes) is picked at run time
// where the CPU has it (AVX2 without FMA: no contraction, the same roundings).
__attribute__((target_clones("avx2", "default"))) void running_mean_step(double* acc, const double* x,
                                                                          std::size_t size, double n) {
    for (std::size_t i = 0; i < size; ++i) acc[i] = acc[i] + (x[i] - acc[i]) / n;
}

// acc[i] <- acc[i] + (x[i] - acc[i]) * w: the chunk reducer's step (AVX2 clone as above).
__attribute__((target_clones("avx2", "default"))) void weighted_mean_step(double* acc, const double* x,
                                                                           std::size_t size, double w) {
    for (std::size_t i = 0; i < size; ++i) acc[i] = acc[i] + (x[i] - acc[i]) * w;
}

// m <- m + (v v^T - m) / k, element by element over the upper triangle (running mean over a
// group's molecules). AVX2 has no FMA, so the clone computes exactly the same products,
// differences and quotients.
__attribute__((target_clones("avx2", "default"))) void outer_mean_step(double* m, const double* v,
                                                                        std::size_t n, double k) {
    for (std::size_t i = 0; i < n; ++i) {
        const double vi = v[i];
        for (std::size_t j = i; j < n; ++j, ++m) {
            const double x = vi * v[j];
            *m = *m + (x - *m) / k;
        }
    }
}

void add_outer(GroupFrameMeans& gm, int slot, const std::vector<double>& flat) {
    const std::size_t n = flat.size();
    MatrixMean& mean = (gm.direct ? gm.direct->slots : gm.slots)[static_cast<std::size_t>(slot)];
    auto& m = mean.mean;
    long& c = mean.count;
    ++c;
    if (c == 1) {
        m.resize(packed_size(n));  // (a no-op for recycled storage: every entry is written below)
        double* out = m.data();
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t j = i; j < n; ++j) *out++ = flat[i] * flat[j];
        return;
    }
    outer_mean_step(m.data(), flat.data(), n, static_cast<double>(c));
}

// Flattened force, torque and force-torque vectors of a level's beads (reused buffers).
struct FlatVectors {
    std::vector<double> f, t, ft;
};

void outer_pair(GroupFrameMeans& gm, int force_slot, int torque_slot, int ft_slot,
                const std::vector<BeadVectors>& beads, FlatVectors& flat) {
    // Only the vectors of the slots this level has (the top level usually has only the
    // combined one, the levels below only the separate ones).
    auto& [f, t, ft] = flat;
    if (force_slot >= 0) {
        f.clear();
        for (const auto& b : beads) f.insert(f.end(), b.force.begin(), b.force.end());
        add_outer(gm, force_slot, f);
    }
    if (torque_slot >= 0) {
        t.clear();
        for (const auto& b : beads) t.insert(t.end(), b.torque.begin(), b.torque.end());
        add_outer(gm, torque_slot, t);
    }
    if (ft_slot >= 0) {
        ft.clear();
        for (const auto& b : beads) {
            ft.insert(ft.end(), b.force.begin(), b.force.end());
            ft.insert(ft.end(), b.torque.begin(), b.torque.end());
        }
        add_outer(gm, ft_slot, ft);
    }
}

class FrameKernel {
public:
    FrameKernel(const VibrationalPlan& plan, Frame& frame)
        : plan_(plan), frame_(frame), dims_(frame.dimensions),
          box_{frame.dimensions[0], frame.dimensions[1], frame.dimensions[2]} {
        torque_phi_ = plan.force_partitioning;
        shifted_moments_ = plan.quirks.moments_from_unwrap_shifted_tensor;
    }

    // One molecule: `mol` with its local atom indices counted from global atom `first_atom`.
    void molecule(const MoleculePlan& mol, int first_atom, const GroupSlots& slots, GroupFrameMeans& gm) {
        xyz_ = frame_.positions.data() + 3 * static_cast<std::ptrdiff_t>(first_atom);
        forces_ = frame_.forces.data() + 3 * static_cast<std::ptrdiff_t>(first_atom);
        const Level top = mol.levels.back();
        for (Level level : mol.levels) {
            const bool highest = level == top;
            const double torque_phi =
                plan_.quirks.torque_partitioned_at_every_level || highest ? torque_phi_ : 1.0;
            if (level == Level::UnitedAtom) {
                for (std::size_t r = 0; r < mol.residues.size(); ++r) {
                    const ResiduePlan& rp = mol.residues[r];
                    if (rp.ua_beads.empty()) continue;
                    united_atoms(rp, highest, torque_phi, beads_);
                    outer_pair(gm, slots.ua_force[r], slots.ua_torque[r], -1, beads_, flat_);
                }
            } else if (level == Level::Residue) {
                beads_.clear();
                for (const ResiduePlan& rp : mol.residues) beads_.push_back(residue(mol, rp, highest, torque_phi));
                outer_pair(gm, slots.res_force, slots.res_torque,
                           highest && plan_.combined_forcetorque ? slots.ft_res : -1, beads_, flat_);
            } else {
                beads_.assign(1, polymer(mol, highest, torque_phi));
                outer_pair(gm, slots.poly_force, slots.poly_torque,
                           highest && plan_.combined_forcetorque ? slots.ft_poly : -1, beads_, flat_);
            }
        }
    }

private:
    BeadVectors vectors(const std::vector<int>& atoms, double mass, const Mat3& trans,
                        const Mat3& rot, const Vec3& center, const Vec3& moments, bool highest,
                        double torque_phi) {
        BeadVectors v;
        v.force = vib::weighted_force(trans, forces_, atoms, mass, highest ? plan_.force_partitioning : 1.0);
        v.torque = vib::weighted_torque(rot, center, moments, xyz_, forces_, atoms, torque_phi, box_);
        return v;
    }

    void united_atoms(const ResiduePlan& rp, bool highest, double torque_phi, std::vector<BeadVectors>& out) {
        out.clear();
        float* xyz = xyz_;
        bool trans_valid = false;
        Mat3 trans{};
        for (const UABeadPlan& bp : rp.ua_beads) {
            Mat3 rot{};
            Vec3 center{}, moments{};
            if (plan_.customised_axes) {
                // Translation axes are the same for every bead of the residue unless an
                // in-place make-whole moved atoms since they were computed.
                if (!trans_valid) {
                    if (rp.heavy_ua_level.size() > 1) {
                        const Vec3 c = com_unwrap(rp.whole, rp.masses, xyz, dims_, work_);
                        auto& pts = work_.points;
                        pts.clear();
                        for (int a : rp.heavy_ua_level) pts.push_back(geom::position(xyz, a));
                        trans = axes::custom_principal_axes(
                                    geom::custom_inertia_tensor(c, pts, rp.ua_masses, box_))
                                    .axes;
                    } else {
                        geom::make_whole_inplace(rp.whole, xyz, dims_, work_.b);
                        trans = mda_axes_of(rp.atoms, rp.masses, xyz, work_);
                    }
                    trans_valid = true;
                }
                center = geom::position(xyz, bp.heavy);
                axes::AxesMoments am;
                if (bp.bonded_heavy.empty()) {  // case 1: vanilla axes of X + light partners
                    bool wrote = false;
                    am = vanilla_of(bp.ua_all, bp.ua_all_masses, xyz, dims_, shifted_moments_, work_, &wrote);
                    if (wrote) trans_valid = false;
                } else {
                    const float* heavy = xyz + 3 * static_cast<std::ptrdiff_t>(bp.heavy);
                    auto& hb = work_.bonded_heavy;
                    auto& ua = work_.united;
                    hb.clear();
                    ua.clear();
                    for (int a : bp.bonded_heavy) hb.push_back(xyz + 3 * static_cast<std::ptrdiff_t>(a));
                    for (int a : bp.ua) ua.push_back(xyz + 3 * static_cast<std::ptrdiff_t>(a));
                    const float* third = nullptr;
                    if (bp.bonded_heavy.size() == 1 && !bp.bonded_light.empty())
                        third = xyz + 3 * static_cast<std::ptrdiff_t>(bp.bonded_light.front());
                    am = axes::bonded_axes(heavy, hb, third, ua, bp.ua_masses, box_);
                }
                rot = am.axes;
                moments = am.moments;
            } else {
                geom::make_whole_inplace(rp.whole, xyz, dims_, work_.b);
                geom::make_whole_inplace(bp.bead_whole, xyz, dims_, work_.b);
                trans = mda_axes_of(rp.atoms, rp.masses, xyz, work_);
                const auto am = vanilla_of(bp.bead_whole, bp.masses, xyz, dims_, shifted_moments_, work_);
                rot = am.axes;
                moments = am.moments;
                center = com_unwrap(bp.bead_whole, bp.masses, xyz, dims_, work_);
            }
            out.push_back(vectors(bp.atoms, bp.mass, trans, rot, center, moments, highest, torque_phi));
        }
    }

    BeadVectors residue(const MoleculePlan& mol, const ResiduePlan& rp, bool highest,
                        double torque_phi) {
        float* xyz = xyz_;
        Mat3 trans{}, rot{};
        Vec3 center{}, moments{};
        if (plan_.customised_axes && !rp.neighbour_bonds) {
            center = com_unwrap(rp.whole, rp.masses, xyz, dims_, work_);
            auto& pts = work_.points;
            pts.clear();
            for (int a : rp.heavy_residue_level) pts.push_back(geom::position(xyz, a));
            const auto am = axes::custom_principal_axes(
                geom::custom_inertia_tensor(center, pts, rp.ua_masses, box_));
            trans = rot = am.axes;
            moments = am.moments;
        } else {
            geom::make_whole_inplace(mol.whole, xyz, dims_, work_.b);
            if (!plan_.customised_axes) geom::make_whole_inplace(rp.whole, xyz, dims_, work_.b);
            trans = mda_axes_of(mol.atoms, mol.masses, xyz, work_);
            const auto am = vanilla_of(rp.whole, rp.masses, xyz, dims_, shifted_moments_, work_);
            rot = am.axes;
            moments = am.moments;
            center = com_unwrap(rp.whole, rp.masses, xyz, dims_, work_);
        }
        return vectors(rp.atoms, rp.mass, trans, rot, center, moments, highest, torque_phi);
    }

    BeadVectors polymer(const MoleculePlan& mol, bool highest, double torque_phi) {
        float* xyz = xyz_;
        geom::make_whole_inplace(mol.whole, xyz, dims_, work_.b);
        const auto am = vanilla_of(mol.whole, mol.masses, xyz, dims_, shifted_moments_, work_);
        const Vec3 center = com_unwrap(mol.whole, mol.masses, xyz, dims_, work_);
        return vectors(mol.atoms, mol.mass, am.axes, am.axes, center, am.moments, highest, torque_phi);
    }

    const VibrationalPlan& plan_;
    Frame& frame_;
    float* xyz_ = nullptr;            // positions of the current molecule's local atom 0
    const float* forces_ = nullptr;   // forces, likewise
    std::array<float, 6> dims_;
    Vec3 box_;
    double torque_phi_ = 0.5;
    bool shifted_moments_ = true;
    Work work_;
    std::vector<BeadVectors> beads_;  // of the level being processed
    FlatVectors flat_;
};

}  // namespace

namespace vib {

Vec3 weighted_force(const Mat3& axes, const float* forces, const std::vector<int>& atoms, double mass,
                    double scale) {
    Vec3 sum{0.0, 0.0, 0.0};
    for (int a : atoms) {
        const Vec3 f = geom::position(forces, a);
        const Vec3 af = mat_vec(axes, f);
        for (std::size_t k = 0; k < 3; ++k) sum[k] += af[k];
    }
    if (scale != 1.0)
        for (auto& v : sum) v *= scale;
    const double root = std::sqrt(mass);
    return {sum[0] / root, sum[1] / root, sum[2] / root};
}

Vec3 weighted_torque(const Mat3& axes, const Vec3& center, const Vec3& moments,
                     const float* positions, const float* forces, const std::vector<int>& atoms, double phi,
                     const Vec3& box) {
    Vec3 tau{0.0, 0.0, 0.0};
    for (int a : atoms) {
        const Vec3 d = geom::min_image(geom::sub(geom::position(positions, a), center), box);
        const Vec3 rc = mat_vec(axes, d);
        Vec3 rf = mat_vec(axes, geom::position(forces, a));
        for (auto& v : rf) v *= phi;
        const Vec3 c = geom::cross(rc, rf);
        for (std::size_t k = 0; k < 3; ++k) tau[k] += c[k];
    }
    Vec3 out{0.0, 0.0, 0.0};
    for (std::size_t k = 0; k < 3; ++k) {
        if (std::fabs(tau[k]) <= 1e-8) continue;
        if (moments[k] <= 0.0) continue;
        out[k] = tau[k] / std::sqrt(moments[k]);
    }
    return out;
}

}  // namespace vib

std::vector<double> unpack_symmetric(const std::vector<double>& packed, std::size_t n) {
    if (packed.size() != packed_size(n))
        throw InternalError("a packed symmetric matrix of " + std::to_string(packed.size()) +
                            " entries is not " + std::to_string(n) + " x " + std::to_string(n));
    std::vector<double> full(n * n);
    const double* p = packed.data();
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = i; j < n; ++j, ++p) full[i * n + j] = full[j * n + i] = *p;
    return full;
}

void VibrationalPartial::merge(const VibrationalPartial& later) {
    if (slots.size() < later.slots.size()) slots.resize(later.slots.size());
    for (std::size_t s = 0; s < later.slots.size(); ++s) {
        const MatrixMean& p = later.slots[s];
        MatrixMean& c = slots[s];
        if (p.count == 0) continue;
        if (c.count == 0) {
            c = p;
            continue;
        }
        const long total = c.count + p.count;
        if (p.count == 1) {
            // A one-frame chunk: the serial reducer's own step, so single-frame chunks give
            // bit-for-bit the reference's running mean (matters for rank-deficient matrices).
            running_mean_step(c.mean.data(), p.mean.data(), c.mean.size(), static_cast<double>(total));
        } else {
            weighted_mean_step(c.mean.data(), p.mean.data(), c.mean.size(),
                               static_cast<double>(p.count) / static_cast<double>(total));
        }
        c.count = total;
    }
}

void VibrationalPartial::clear() {
    // The means keep their size: the next chunk's first frame overwrites every entry, where
    // emptying them would make it zero-fill them first.
    for (MatrixMean& m : slots) m.count = 0;
}

VibrationalPartial make_vibrational_partial(const VibrationalPlan& plan) {
    VibrationalPartial p;
    p.slots.resize(plan.slot_dims.size());
    return p;
}

void accumulate_vibrational(const VibrationalPlan& plan, Frame& frame, std::size_t /*frame_position*/,
                            VibrationalPartial& out) {
    if (!frame.has_forces())
        throw_data("the vibrational entropy needs forces, but a trajectory frame has none");
    if (frame.dimensions[0] == 0.0f || frame.dimensions[1] == 0.0f || frame.dimensions[2] == 0.0f)
        throw_data("the vibrational entropy needs a periodic box, but a frame has a zero box length");
    if (out.slots.size() != plan.slot_dims.size()) out.slots.resize(plan.slot_dims.size());
    FrameKernel kernel(plan, frame);
    GroupFrameMeans gm{std::move(out.frame_means), nullptr};
    gm.slots.resize(plan.slot_dims.size());
    for (MatrixMean& m : gm.slots) m.count = 0;  // (their storage is reused)
    for (const VibrationalGroupPlan& g : plan.groups) {
        gm.direct = g.molecules.size() == 1 ? &out : nullptr;
        for (int m : g.molecules) {
            const MoleculeInstance& mi = plan.molecules[static_cast<std::size_t>(m)];
            try {
                kernel.molecule(plan.shared[static_cast<std::size_t>(mi.plan)], mi.first_atom, g.slots, gm);
            } catch (const DataError& e) {
                throw_data("molecule {} (atoms from index {}): {}", m, mi.first_atom, e.what());
            }
        }
    }
    // Running mean over frames of the per-frame group means (reference serial reducer).
    for (std::size_t s = 0; s < gm.slots.size(); ++s) {
        if (gm.slots[s].count == 0) continue;
        MatrixMean& acc = out.slots[s];
        ++acc.count;
        if (acc.count == 1) {
            acc.mean = gm.slots[s].mean;
            continue;
        }
        running_mean_step(acc.mean.data(), gm.slots[s].mean.data(), acc.mean.size(), static_cast<double>(acc.count));
    }
    out.frame_means = std::move(gm.slots);
}

}  // namespace mcc
