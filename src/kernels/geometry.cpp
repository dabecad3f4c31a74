#include "kernels/geometry.hpp"

#include <cfloat>
#include <cmath>
#include <numbers>
#include <algorithm>

#include "core/error.hpp"
#include "io/frame.hpp"

namespace mcc::geom {

namespace {

bool orthorhombic(const std::array<float, 6>& dims) {
    return dims[3] == 90.0f && dims[4] == 90.0f && dims[5] == 90.0f;
}

// MDAnalysis minimum_image (calc_distances.h): float32 box and inverse box, C round.
void mda_min_image_ortho(double* x, const float* box, const float* inverse_box) {
    for (int i = 0; i < 3; ++i)
        if (box[i] > FLT_EPSILON) {
            const double s = static_cast<double>(inverse_box[i]) * x[i];
            x[i] = static_cast<double>(box[i]) * (s - std::round(s));
        }
}

// MDAnalysis minimum_image_triclinic: the shortest of the 27 neighbouring images.
void mda_min_image_triclinic(double* dx, const float* box) {
    double dx_min[3] = {0.0, 0.0, 0.0};
    double dsq_min = FLT_MAX;
    for (int ix = -1; ix < 2; ++ix) {
        const double rx = dx[0] + static_cast<double>(box[0]) * ix;
        for (int iy = -1; iy < 2; ++iy) {
            const double ry0 = rx + static_cast<double>(box[3]) * iy;
            const double ry1 = dx[1] + static_cast<double>(box[4]) * iy;
            for (int iz = -1; iz < 2; ++iz) {
                const double rz0 = ry0 + static_cast<double>(box[6]) * iz;
                const double rz1 = ry1 + static_cast<double>(box[7]) * iz;
                const double rz2 = dx[2] + static_cast<double>(box[8]) * iz;
                const double dsq = rz0 * rz0 + rz1 * rz1 + rz2 * rz2;
                if (dsq < dsq_min) {
                    dsq_min = dsq;
                    dx_min[0] = rz0;
                    dx_min[1] = rz1;
                    dx_min[2] = rz2;
                }
            }
        }
    }
    dx[0] = dx_min[0];
    dx[1] = dx_min[1];
    dx[2] = dx_min[2];
}

}  // namespace

Vec3 min_image(const Vec3& d, const Vec3& box) {
    Vec3 r;
    for (int i = 0; i < 3; ++i) r[i] = d[i] - box[i] * std::nearbyint(d[i] / box[i]);
    return r;
}

Vec3 min_image_f32(const float* from, const float* to, const Vec3& box) {
    Vec3 r;
    for (int i = 0; i < 3; ++i) {
        const float d = to[i] - from[i];
        const double dd = d;
        r[i] = static_cast<float>(dd - box[i] * std::nearbyint(dd / box[i]));
    }
    return r;
}

WholeGroup make_whole_group(const std::vector<int>& atoms,
                            const std::vector<std::vector<int>>& global_neighbours) {
    // Plans hold one group per molecule, residue and bead: three flat arrays each, and a
    // linear scan for the (few) atoms of small groups instead of a lookup table.
    WholeGroup g;
    g.atoms = atoms;
    g.first.reserve(atoms.size() + 1);
    g.first.push_back(0);
    std::size_t bonds = 0;
    for (int atom : atoms) bonds += global_neighbours[static_cast<std::size_t>(atom)].size();
    g.adjacency.reserve(bonds);
    std::vector<std::pair<int, int>> sorted;  // (global, local) for large groups
    if (atoms.size() > 16) {
        sorted.resize(atoms.size());
        for (std::size_t i = 0; i < atoms.size(); ++i) sorted[i] = {atoms[i], static_cast<int>(i)};
        std::sort(sorted.begin(), sorted.end());
    }
    auto local_of = [&](int global) -> int {
        if (sorted.empty()) {
            for (std::size_t i = 0; i < atoms.size(); ++i)
                if (atoms[i] == global) return static_cast<int>(i);
            return -1;
        }
        const auto it = std::lower_bound(sorted.begin(), sorted.end(), std::pair<int, int>{global, -1});
        return it != sorted.end() && it->first == global ? it->second : -1;
    };
    for (int atom : atoms) {
        const auto begin = static_cast<std::ptrdiff_t>(g.adjacency.size());
        for (int other : global_neighbours[static_cast<std::size_t>(atom)])
            if (const int l = local_of(other); l >= 0) g.adjacency.push_back(l);
        std::sort(g.adjacency.begin() + begin, g.adjacency.end());
        g.adjacency.erase(std::unique(g.adjacency.begin() + begin, g.adjacency.end()), g.adjacency.end());
        g.first.push_back(static_cast<int>(g.adjacency.size()));
    }
    return g;
}

bool whole_positions(const WholeGroup& g, const float* xyz,
                     const std::array<float, 6>& dims, std::vector<float>& out) {
    const std::size_t n = g.atoms.size();
    out.resize(3 * n);
    for (std::size_t i = 0; i < n; ++i)
        for (int k = 0; k < 3; ++k)
            out[3 * i + static_cast<std::size_t>(k)] =
                xyz[3 * static_cast<std::ptrdiff_t>(g.atoms[i]) + k];
    if (n < 2) return false;
    if (dims[0] == 0.0f || dims[1] == 0.0f || dims[2] == 0.0f)
        throw_data("make-whole needs a periodic box, but a frame has a zero box length");
    const bool ortho = orthorhombic(dims);
    float box[3], half_box[3], inverse_box[3];
    for (int i = 0; i < 3; ++i) half_box[i] = static_cast<float>(0.5 * static_cast<double>(dims[i]));
    std::array<float, 9> tri{};
    if (ortho) {
        bool whole = true;
        for (std::size_t i = 1; i < n && whole; ++i)
            for (std::size_t k = 0; k < 3; ++k)
                if (std::fabs(out[3 * i + k] - out[k]) >= half_box[k]) {
                    whole = false;
                    break;
                }
        if (whole) return false;
        for (int i = 0; i < 3; ++i) {
            box[i] = dims[static_cast<std::size_t>(i)];
            inverse_box[i] = static_cast<float>(1.0 / static_cast<double>(box[i]));
        }
    } else {
        tri = box_vectors_from_dimensions(dims);
    }
    // Breadth-first in sorted-set order: each round expands, in ascending order, the atoms
    // placed but not yet expanded, which are exactly those the previous round placed (the
    // reference recomputes that set by a set difference; keeping the frontier avoids an O(n)
    // scan per round, quadratic for long chains).
    std::vector<float> placed_pos(3 * n, 0.0f);
    std::vector<char> placed(n, 0);
    for (int k = 0; k < 3; ++k) placed_pos[static_cast<std::size_t>(k)] = out[static_cast<std::size_t>(k)];
    placed[0] = 1;
    std::size_t n_placed = 1;
    std::vector<std::size_t> frontier{0}, next;
    while (n_placed < n && !frontier.empty()) {
        next.clear();
        for (std::size_t atom : frontier) {
            for (int e = g.first[atom]; e < g.first[atom + 1]; ++e) {
                const auto other = static_cast<std::size_t>(g.adjacency[static_cast<std::size_t>(e)]);
                if (placed[other]) continue;
                // MDAnalysis subtracts the two float32 positions in float32, then widens.
                double vec[3];
                for (std::size_t k = 0; k < 3; ++k)
                    vec[k] = static_cast<double>(out[3 * other + k] - placed_pos[3 * atom + k]);
                if (ortho)
                    mda_min_image_ortho(vec, box, inverse_box);
                else
                    mda_min_image_triclinic(vec, tri.data());
                for (std::size_t k = 0; k < 3; ++k)
                    placed_pos[3 * other + k] =
                        static_cast<float>(static_cast<double>(placed_pos[3 * atom + k]) + vec[k]);
                placed[other] = 1;
                ++n_placed;
                next.push_back(other);
            }
        }
        std::sort(next.begin(), next.end());
        frontier.swap(next);
    }
    if (n_placed < n)
        throw_data("make-whole failed: an atom group is not connected by bonds");
    out.swap(placed_pos);
    return true;
}

bool make_whole_inplace(const WholeGroup& g, float* xyz,
                        const std::array<float, 6>& dims, std::vector<float>& scratch) {
    if (!whole_positions(g, xyz, dims, scratch)) return false;
    for (std::size_t i = 0; i < g.atoms.size(); ++i)
        for (std::size_t k = 0; k < 3; ++k)
            xyz[3 * static_cast<std::ptrdiff_t>(g.atoms[i]) + static_cast<std::ptrdiff_t>(k)] = scratch[3 * i + k];
    return true;
}

Vec3 center_of_mass(const float* xyz, const double* masses, std::size_t n) {
    Vec3 sum{0.0, 0.0, 0.0};
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t k = 0; k < 3; ++k) sum[k] += static_cast<double>(xyz[3 * i + k]) * masses[i];
    const double total = numpy_sum(masses, n);
    return {sum[0] / total, sum[1] / total, sum[2] / total};
}

Mat3 mda_inertia_tensor(const float* xyz, const double* masses, std::size_t n, const Vec3& com) {
    // Six per-atom term arrays (summed pairwise like NumPy); on the stack for the usual
    // molecule or residue sizes, as this runs for every group of every frame.
    constexpr std::size_t stack_atoms = 128;
    double stack_terms[6 * stack_atoms];
    std::vector<double> heap_terms;
    double* terms = stack_terms;
    if (n > stack_atoms) {
        heap_terms.resize(6 * n);
        terms = heap_terms.data();
    }
    double* xx = terms;
    double* yy = terms + n;
    double* zz = terms + 2 * n;
    double* xy = terms + 3 * n;
    double* xz = terms + 4 * n;
    double* yz = terms + 5 * n;
    for (std::size_t i = 0; i < n; ++i) {
        const double x = static_cast<double>(xyz[3 * i]) - com[0];
        const double y = static_cast<double>(xyz[3 * i + 1]) - com[1];
        const double z = static_cast<double>(xyz[3 * i + 2]) - com[2];
        const double m = masses[i];
        xx[i] = m * (y * y + z * z);
        yy[i] = m * (x * x + z * z);
        zz[i] = m * (x * x + y * y);
        xy[i] = m * x * y;
        xz[i] = m * x * z;
        yz[i] = m * y * z;
    }
    Mat3 t{};
    t[0][0] = numpy_sum(xx, n);
    t[0][1] = t[1][0] = -numpy_sum(xy, n);
    t[0][2] = t[2][0] = -numpy_sum(xz, n);
    t[1][1] = numpy_sum(yy, n);
    t[1][2] = t[2][1] = -numpy_sum(yz, n);
    t[2][2] = numpy_sum(zz, n);
    return t;
}

Mat3 custom_inertia_tensor(const Vec3& center, const std::vector<Vec3>& points,
                           const std::vector<double>& weights, const Vec3& box) {
    const std::size_t n = points.size();
    if (weights.size() != n)
        throw_data("custom inertia tensor: {} points but {} united-atom masses (unusual atom "
                   "masses between 1.1 and 2 or above 999?)", n, weights.size());
    // Per-point scratch on the stack for the usual sizes (this runs for every bead of a frame).
    constexpr std::size_t stack_points = 64;
    Vec3 stack_r[stack_points];
    double stack_mr2[stack_points] = {};  // (zeroed: silences a false -Wmaybe-uninitialized)
    std::vector<Vec3> heap_r;
    std::vector<double> heap_mr2;
    Vec3* r = stack_r;
    double* mr2 = stack_mr2;
    if (n > stack_points) {
        heap_r.resize(n);
        heap_mr2.resize(n);
        r = heap_r.data();
        mr2 = heap_mr2.data();
    }
    for (std::size_t j = 0; j < n; ++j) {
        r[j] = min_image(sub(points[j], center), box);
        const double r2 = (r[j][0] * r[j][0] + r[j][1] * r[j][1]) + r[j][2] * r[j][2];
        mr2[j] = weights[j] * r2;
    }
    const double trace = numpy_sum(mr2, n);
    Mat3 t{};
    for (std::size_t a = 0; a < 3; ++a)
        for (std::size_t b = 0; b < 3; ++b) {
            double s = 0.0;
            for (std::size_t j = 0; j < n; ++j) s += weights[j] * r[j][a] * r[j][b];
            t[a][b] = (a == b ? trace : 0.0) - s;
        }
    return t;
}

void mda_wrap_ortho(float* c, const float* box) {
    if (!box[0] && !box[1] && !box[2]) return;
    const double inverse_box[3] = {1.0 / static_cast<double>(box[0]), 1.0 / static_cast<double>(box[1]),
                                   1.0 / static_cast<double>(box[2])};
    for (int j = 0; j < 3; ++j) {
        float crd = c[j];
        if (crd < 0.0f) {
            crd += box[j];
            if (crd < 0.0f) {
                const int s = static_cast<int>(std::floor(static_cast<double>(c[j]) * inverse_box[j]));
                c[j] -= static_cast<float>(s) * box[j];
                if (c[j] < 0.0f) c[j] += box[j];
            } else {
                c[j] = crd;
            }
        }
        if (crd >= box[j]) {
            crd -= box[j];
            if (crd >= box[j]) {
                const int s = static_cast<int>(std::floor(static_cast<double>(c[j]) * inverse_box[j]));
                c[j] -= static_cast<float>(s) * box[j];
                if (c[j] >= box[j]) c[j] -= box[j];
            } else {
                c[j] = crd;
            }
        }
    }
}

void mda_wrap_triclinic(float* c, const std::array<float, 9>& box) {
    if (!box[0] && !box[4] && !box[8]) return;
    // Inverse box terms for the multi-box shift and slopes for the single shift, in double
    // from the float32 box, as calc_distances.h declares them.
    const double bi0 = 1.0 / static_cast<double>(box[0]);
    const double bi4 = 1.0 / static_cast<double>(box[4]);
    const double bi8 = 1.0 / static_cast<double>(box[8]);
    const double bi3 = static_cast<double>(-box[3]) * bi0 * bi4;
    const double bi6 = (-bi3 * static_cast<double>(box[7]) - static_cast<double>(box[6]) * bi0) * bi8;
    const double bi7 = static_cast<double>(-box[7]) * bi4 * bi8;
    const double a_ax_yfactor = static_cast<double>(box[3]) * bi4;
    const double a_ax_zfactor = static_cast<double>(box[6]) * bi8;
    const double b_ax_zfactor = static_cast<double>(box[7]) * bi8;
    // One pass of single-box shifts along c, b, a (lower bound first, then always the upper
    // bound). With `detect` it stops at the first axis where one shift is not enough and
    // returns true (the caller then does the multi-box shift); the final pass never stops.
    auto single_shifts = [&](float* crd, bool detect) {
        if (crd[2] < 0.0f) {
            crd[0] += box[6];
            crd[1] += box[7];
            crd[2] += box[8];
            if (detect && crd[2] < 0.0f) return true;
        }
        if (crd[2] >= box[8]) {
            crd[0] -= box[6];
            crd[1] -= box[7];
            crd[2] -= box[8];
            if (detect && crd[2] >= box[8]) return true;
        }
        double lbound = static_cast<double>(crd[2]) * b_ax_zfactor;
        double ubound = lbound + static_cast<double>(box[4]);
        if (static_cast<double>(crd[1]) < lbound) {
            crd[0] += box[3];
            crd[1] += box[4];
            if (detect && static_cast<double>(crd[1]) < lbound) return true;
        }
        if (static_cast<double>(crd[1]) >= ubound) {
            crd[0] -= box[3];
            crd[1] -= box[4];
            if (detect && static_cast<double>(crd[1]) >= ubound) return true;
        }
        lbound = static_cast<double>(crd[1]) * a_ax_yfactor + static_cast<double>(crd[2]) * a_ax_zfactor;
        ubound = lbound + static_cast<double>(box[0]);
        if (static_cast<double>(crd[0]) < lbound) {
            crd[0] += box[0];
            if (detect && static_cast<double>(crd[0]) < lbound) return true;
        }
        if (static_cast<double>(crd[0]) >= ubound) {
            crd[0] -= box[0];
            if (detect && static_cast<double>(crd[0]) >= ubound) return true;
        }
        return false;
    };
    float crd[3] = {c[0], c[1], c[2]};
    if (!single_shifts(crd, true)) {
        for (int k = 0; k < 3; ++k) c[k] = crd[k];
        return;
    }
    // Multi-box shift: whole numbers of box vectors from the inverse box, float32 updates.
    int s = static_cast<int>(std::floor(static_cast<double>(c[2]) * bi8));
    c[2] -= static_cast<float>(s) * box[8];
    c[1] -= static_cast<float>(s) * box[7];
    c[0] -= static_cast<float>(s) * box[6];
    s = static_cast<int>(std::floor(static_cast<double>(c[1]) * bi4 + static_cast<double>(c[2]) * bi7));
    c[1] -= static_cast<float>(s) * box[4];
    c[0] -= static_cast<float>(s) * box[3];
    s = static_cast<int>(std::floor(static_cast<double>(c[0]) * bi0 + static_cast<double>(c[1]) * bi3 +
                                    static_cast<double>(c[2]) * bi6));
    c[0] -= static_cast<float>(s) * box[0];
    // The multi-box estimate may be off by one box at a boundary: one checking pass.
    for (int k = 0; k < 3; ++k) crd[k] = c[k];
    single_shifts(crd, false);
    for (int k = 0; k < 3; ++k) c[k] = crd[k];
}

Mat3 mda_unwrapped_inertia_tensor(const float* xyz, const double* masses, std::size_t n,
                                  const Vec3& com, const std::array<float, 6>& dims) {
    const Vec3 ref = center_of_mass(xyz, masses, n);  // same arithmetic as MDAnalysis' refpos
    float refpos[3] = {static_cast<float>(ref[0]), static_cast<float>(ref[1]), static_cast<float>(ref[2])};
    float target[3] = {refpos[0], refpos[1], refpos[2]};
    if (dims[3] == 90.0f && dims[4] == 90.0f && dims[5] == 90.0f)
        mda_wrap_ortho(target, dims.data());
    else
        mda_wrap_triclinic(target, box_vectors_from_dimensions(dims));
    float shift[3];
    for (int k = 0; k < 3; ++k) shift[k] = target[k] - refpos[k];
    if (shift[0] == 0.0f && shift[1] == 0.0f && shift[2] == 0.0f)
        return mda_inertia_tensor(xyz, masses, n, com);
    std::vector<float> moved(xyz, xyz + 3 * n);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t k = 0; k < 3; ++k) moved[3 * i + k] += shift[k];
    return mda_inertia_tensor(moved.data(), masses, n, com);
}


}  // namespace mcc::geom
