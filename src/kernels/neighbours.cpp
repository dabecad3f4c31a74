#include "kernels/neighbours.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "core/error.hpp"

namespace mcc {

void NeighbourPartial::merge(const NeighbourPartial& later) {
    if (totals.empty()) {
        *this = later;
        return;
    }
    for (std::size_t g = 0; g < totals.size() && g < later.totals.size(); ++g) {
        totals[g] += later.totals[g];
        samples[g] += later.samples[g];
    }
}

NeighbourPartial make_neighbour_partial(const NeighbourPlan& plan) {
    NeighbourPartial p;
    p.totals.assign(plan.group_ids.size(), 0);
    p.samples.assign(plan.group_ids.size(), 0);
    return p;
}

namespace {

// numpy's pairwise summation of a contiguous float64 array (add.reduce, numpy 1.24).
double numpy_pairwise(const double* a, std::size_t n) {
    if (n < 8) {
        double res = 0.0;
        for (std::size_t i = 0; i < n; ++i) res += a[i];
        return res;
    }
    if (n <= 128) {
        double r[8];
        for (int j = 0; j < 8; ++j) r[j] = a[j];
        std::size_t i = 8;
        for (; i < n - (n % 8); i += 8)
            for (std::size_t j = 0; j < 8; ++j) r[j] += a[i + j];
        double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for (; i < n; ++i) res += a[i];
        return res;
    }
    std::size_t n2 = n / 2;
    n2 -= n2 % 8;
    return numpy_pairwise(a, n2) + numpy_pairwise(a + n2, n - n2);
}

double numpy_sum(const std::vector<double>& v) {
    return numpy_pairwise(v.data(), v.size());
}

// Q-N5: single shift per axis, orthorhombic.
inline double shift_once(double d, double length, double half) {
    if (d > half) d -= length;
    if (d < -half) d += length;
    return d;
}

struct RadGeometry {
    const std::vector<std::array<double, 3>>& c;
    std::array<double, 3> length;
    std::array<double, 3> half;

    [[nodiscard]] std::array<double, 3> delta(std::size_t from, std::size_t to) const {
        std::array<double, 3> d{};
        for (int a = 0; a < 3; ++a) d[a] = shift_once(c[to][a] - c[from][a], length[a], half[a]);
        return d;
    }
    [[nodiscard]] double distance(std::size_t from, std::size_t to) const {
        const auto d = delta(from, to);
        return std::sqrt((d[0] * d[0] + d[1] * d[1]) + d[2] * d[2]);
    }
};

// The blocking loop over the sorted candidates (spec §3.2 step 6).
std::vector<int> rad_shell(const RadGeometry& g, const std::vector<std::pair<double, int>>& sorted,
                           std::size_t limit) {
    const std::size_t m = std::min(limit, sorted.size());
    std::vector<double> inv_r2(m);
    for (std::size_t y = 0; y < m; ++y) inv_r2[y] = 1.0 / (sorted[y].first * sorted[y].first);
    std::vector<int> shell;
    for (std::size_t y = 0; y < m; ++y) {
        const auto j = static_cast<std::size_t>(sorted[y].second);
        const double r_ij = sorted[y].first;
        bool blocked = false;
        for (std::size_t z = 0; z < y; ++z) {
            const double r_ik = sorted[z].first;
            if (r_ik > r_ij) continue;
            const auto ac = g.delta(j, static_cast<std::size_t>(sorted[z].second));
            const double d2 = (ac[0] * ac[0] + ac[1] * ac[1]) + ac[2] * ac[2];
            const double denom = -2.0 * r_ik * r_ij;
            if (denom == 0.0) continue;
            const double cos_theta = ((d2 - r_ik * r_ik) - r_ij * r_ij) / denom;
            if (inv_r2[y] < inv_r2[z] * cos_theta) {
                blocked = true;
                break;
            }
        }
        if (!blocked) shell.push_back(sorted[y].second);
    }
    return shell;
}

bool by_distance_then_id(const std::pair<double, int>& a, const std::pair<double, int>& b) {
    return a.first < b.first || (a.first == b.first && a.second < b.second);
}

// The first `want` entries in (distance, id) order - what a stable sort by distance of the
// id-ordered list puts first - sorted; the rest unordered.
void order_nearest(std::vector<std::pair<double, int>>& v, std::size_t want) {
    if (want < v.size()) {
        std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(want), v.end(),
                         by_distance_then_id);
        v.resize(want);
    }
    std::sort(v.begin(), v.end(), by_distance_then_id);
}

// Periodic cell list over the centres, used to find the `want` nearest centres (by the
// reference's distance) without looking at all of them.
class CentreCells {
public:
    CentreCells(const std::vector<std::array<double, 3>>& c, const std::array<double, 3>& length,
                std::size_t per_cell) {
        const double volume = length[0] * length[1] * length[2];
        const double target = std::cbrt(volume * static_cast<double>(per_cell) /
                                        static_cast<double>(std::max<std::size_t>(c.size(), 1)));
        for (int a = 0; a < 3; ++a) {
            n_[a] = std::clamp(static_cast<int>(length[a] / target), 1, 128);
            width_[a] = length[a] / n_[a];
        }
        cell_of_.resize(c.size());
        std::vector<int> count(static_cast<std::size_t>(n_[0] * n_[1] * n_[2]) + 1, 0);
        for (std::size_t i = 0; i < c.size(); ++i) {
            std::array<int, 3> idx{};
            for (int a = 0; a < 3; ++a) {
                double w = c[i][a] - std::floor(c[i][a] / length[a]) * length[a];
                idx[a] = std::clamp(static_cast<int>(w / width_[a]), 0, n_[a] - 1);
            }
            cell_of_[i] = idx;
            ++count[static_cast<std::size_t>(flat(idx)) + 1];
        }
        std::partial_sum(count.begin(), count.end(), count.begin());
        start_ = count;
        members_.resize(c.size());
        auto fill = count;
        for (std::size_t i = 0; i < c.size(); ++i)
            members_[static_cast<std::size_t>(fill[static_cast<std::size_t>(flat(cell_of_[i]))]++)] =
                static_cast<int>(i);
        stamp_.assign(static_cast<std::size_t>(n_[0] * n_[1] * n_[2]), -1);
    }

    // Candidates sorted by (distance, id); at least the `want` nearest are exact.
    std::vector<std::pair<double, int>> nearest(const RadGeometry& g, int i, std::size_t want) {
        std::vector<std::pair<double, int>> found;
        const auto home = cell_of_[static_cast<std::size_t>(i)];
        for (int k = 0;; ++k) {
            bool all_covered = true;
            double reach = std::numeric_limits<double>::infinity();
            for (int a = 0; a < 3; ++a)
                if (2 * k + 1 < n_[a]) {
                    all_covered = false;
                    // binning can misplace a centre lying within rounding of a cell face
                    reach = std::min(reach, k * width_[a] * (1.0 - 1e-9) - 1e-9);
                }
            visit_ring(home, k, i, g, found);
            if (all_covered) break;
            if (reach <= 0) continue;
            std::size_t inside = 0;
            for (const auto& f : found)
                if (f.first < reach) ++inside;
            if (inside >= want) break;
        }
        order_nearest(found, want);
        return found;
    }

private:
    [[nodiscard]] int flat(const std::array<int, 3>& idx) const {
        return idx[0] + n_[0] * (idx[1] + n_[1] * idx[2]);
    }
    void visit_ring(const std::array<int, 3>& home, int k, int query, const RadGeometry& g,
                    std::vector<std::pair<double, int>>& found) {
        for (int dz = -k; dz <= k; ++dz)
            for (int dy = -k; dy <= k; ++dy)
                for (int dx = -k; dx <= k; ++dx) {
                    if (std::max({std::abs(dx), std::abs(dy), std::abs(dz)}) != k) continue;
                    std::array<int, 3> idx{home[0] + dx, home[1] + dy, home[2] + dz};
                    for (int a = 0; a < 3; ++a) idx[a] = ((idx[a] % n_[a]) + n_[a]) % n_[a];
                    const auto cell = static_cast<std::size_t>(flat(idx));
                    if (stamp_[cell] == query) continue;
                    stamp_[cell] = query;
                    for (int p = start_[cell]; p < start_[cell + 1]; ++p) {
                        const int j = members_[static_cast<std::size_t>(p)];
                        if (j == query) continue;
                        found.emplace_back(g.distance(static_cast<std::size_t>(query),
                                                      static_cast<std::size_t>(j)),
                                           j);
                    }
                }
    }

    std::array<int, 3> n_{};
    std::array<double, 3> width_{};
    std::vector<std::array<int, 3>> cell_of_;
    std::vector<int> start_, members_, stamp_;
};

}  // namespace

std::vector<std::array<double, 3>> molecule_centres(const NeighbourPlan& plan,
                                                    const std::vector<float>& positions) {
    std::vector<std::array<double, 3>> out(plan.molecule_atoms.size());
    std::vector<double> w;
    for (std::size_t m = 0; m < plan.molecule_atoms.size(); ++m) {
        const auto& atoms = plan.molecule_atoms[m];
        w.clear();
        std::array<double, 3> s{0.0, 0.0, 0.0};
        for (int a : atoms) {
            const auto ia = static_cast<std::size_t>(a);
            const double mass = plan.masses[ia];
            w.push_back(mass);
            // (coords * weights[:, None]).sum(axis=0): row by row, sequentially.
            for (int k = 0; k < 3; ++k) s[k] += static_cast<double>(positions[3 * ia + k]) * mass;
        }
        const double total = numpy_sum(w);
        for (int k = 0; k < 3; ++k) out[m][k] = s[k] / total;
    }
    return out;
}

std::vector<std::vector<int>> rad_neighbour_lists(const std::vector<std::array<double, 3>>& centres,
                                                  const std::array<double, 3>& box, int limit) {
    const std::size_t n = centres.size();
    std::vector<std::vector<int>> out(n);
    if (n < 2) return out;
    RadGeometry g{centres, box, {0.5 * box[0], 0.5 * box[1], 0.5 * box[2]}};
    const std::size_t want = limit > 0 ? std::min<std::size_t>(static_cast<std::size_t>(limit), n - 1)
                                       : n - 1;
    const bool use_cells = limit > 0 && n > 256 && box[0] > 0 && box[1] > 0 && box[2] > 0;
    if (use_cells) {
        CentreCells cells(centres, box, 2);
        for (std::size_t i = 0; i < n; ++i)
            out[i] = rad_shell(g, cells.nearest(g, static_cast<int>(i), want), want);
        return out;
    }
    std::vector<std::pair<double, int>> sorted;
    for (std::size_t i = 0; i < n; ++i) {
        sorted.clear();
        for (std::size_t j = 0; j < n; ++j)
            if (j != i) sorted.emplace_back(g.distance(i, j), static_cast<int>(j));
        order_nearest(sorted, want);
        out[i] = rad_shell(g, sorted, want);
    }
    return out;
}

namespace {

// Non-periodic cell grid over all atoms, to list the atoms that may lie within `reach` of a point.
class AtomCells {
public:
    AtomCells(const std::vector<float>& pos, std::size_t n, double reach) : pos_(pos) {
        for (int a = 0; a < 3; ++a) {
            lo_[a] = hi_[a] = n ? pos[a] : 0.0f;
        }
        for (std::size_t i = 0; i < n; ++i)
            for (int a = 0; a < 3; ++a) {
                lo_[a] = std::min(lo_[a], pos[3 * i + a]);
                hi_[a] = std::max(hi_[a], pos[3 * i + a]);
            }
        for (int a = 0; a < 3; ++a) {
            const double range = static_cast<double>(hi_[a]) - lo_[a];
            n_[a] = std::clamp(static_cast<int>(range / reach) + 1, 1, 200);
            width_[a] = std::max(reach, range / n_[a] + 1e-9);
        }
        std::vector<int> count(static_cast<std::size_t>(n_[0] * n_[1] * n_[2]) + 1, 0);
        cell_.resize(n);
        for (std::size_t i = 0; i < n; ++i) {
            cell_[i] = flat(index_of(&pos[3 * i]));
            ++count[static_cast<std::size_t>(cell_[i]) + 1];
        }
        std::partial_sum(count.begin(), count.end(), count.begin());
        start_ = count;
        members_.resize(n);
        for (std::size_t i = 0; i < n; ++i)
            members_[static_cast<std::size_t>(count[static_cast<std::size_t>(cell_[i])]++)] =
                static_cast<int>(i);
    }
    [[nodiscard]] const std::array<float, 3>& lo() const { return lo_; }
    [[nodiscard]] const std::array<float, 3>& hi() const { return hi_; }

    template <typename F>
    void for_each_near(const float* p, F&& f) const {
        const auto c = index_of(p);
        for (int z = std::max(0, c[2] - 1); z <= std::min(n_[2] - 1, c[2] + 1); ++z)
            for (int y = std::max(0, c[1] - 1); y <= std::min(n_[1] - 1, c[1] + 1); ++y)
                for (int x = std::max(0, c[0] - 1); x <= std::min(n_[0] - 1, c[0] + 1); ++x) {
                    const auto cell = static_cast<std::size_t>(flat({x, y, z}));
                    for (int q = start_[cell]; q < start_[cell + 1]; ++q)
                        f(members_[static_cast<std::size_t>(q)]);
                }
    }

private:
    [[nodiscard]] std::array<int, 3> index_of(const float* p) const {
        std::array<int, 3> idx{};
        for (int a = 0; a < 3; ++a)
            idx[a] = std::clamp(static_cast<int>((static_cast<double>(p[a]) - lo_[a]) / width_[a]), 0,
                                n_[a] - 1);
        return idx;
    }
    [[nodiscard]] int flat(const std::array<int, 3>& idx) const {
        return idx[0] + n_[0] * (idx[1] + n_[1] * idx[2]);
    }
    const std::vector<float>& pos_;
    std::array<float, 3> lo_{}, hi_{};
    std::array<int, 3> n_{};
    std::array<double, 3> width_{};
    std::vector<int> cell_, start_, members_;
};

}  // namespace

std::vector<long long> grid_neighbour_counts(const NeighbourPlan& plan,
                                             const std::vector<float>& pos) {
    const std::size_t n = plan.n_atoms;
    const auto& q = plan.quirks;
    std::vector<long long> counts(plan.molecule_atoms.size(), 0);
    if (n == 0) return counts;
    const double max_radius = std::max(q.grid_radius_united_atom, q.grid_radius_residue);
    // The margin covers the float32 rounding of the shifted coordinates used by MDAnalysis'
    // grid method (its distances can differ from the raw ones in the last bits).
    const AtomCells cells(pos, n, max_radius + 0.01);
    std::array<float, 3> size{};
    for (int a = 0; a < 3; ++a) size[a] = cells.hi()[a] - cells.lo()[a];

    std::vector<int> atom_stamp(n, -1);
    std::vector<int> residue_stamp(plan.residue_atom_count.size(), -1);
    std::vector<int> molecule_stamp(plan.molecule_atoms.size(), -1);
    std::vector<float> shifted;  // MDAnalysis' nsgrid coordinates for the current radius
    double shifted_for = -1.0;
    std::vector<int> found;

    for (std::size_t gi = 0; gi < plan.group_ids.size(); ++gi) {
        const bool ua_rule = plan.group_level[gi] == Level::UnitedAtom;
        const double r = ua_rule ? q.grid_radius_united_atom : q.grid_radius_residue;
        for (int m : plan.group_molecules[gi]) {
            const auto mu = static_cast<std::size_t>(m);
            int first = plan.query_range[mu][0], last = plan.query_range[mu][1];
            std::vector<int> query;
            if (q.grid_query_index_range) {
                for (int a = first; a <= last; ++a) query.push_back(a);
            } else {
                query = plan.molecule_atoms[mu];
            }
            // MDAnalysis' capped_distance method choice (lib/distances.py _determine_method).
            const auto n_ref = query.size();
            bool brute = n_ref < 10 || n < 10;
            if (!brute && static_cast<double>(n_ref) * static_cast<double>(n) < 1e8) {
                for (int a = 0; a < 3; ++a)
                    if (static_cast<float>(r) > 0.3f * size[a]) brute = true;
            }
            if (!brute && shifted_for != r) {
                // shift = lmin - 0.1*cutoff, all in float32 (numpy scalar casting)
                shifted.resize(3 * n);
                for (int a = 0; a < 3; ++a) {
                    const float off = cells.lo()[a] - static_cast<float>(0.1 * r);
                    for (std::size_t i = 0; i < n; ++i) shifted[3 * i + a] = pos[3 * i + a] - off;
                }
                shifted_for = r;
            }
            const double r2 = r * r;
            found.clear();
            for (int qa : query) {
                const auto qi = static_cast<std::size_t>(qa);
                cells.for_each_near(&pos[3 * qi], [&](int t) {
                    const auto ti = static_cast<std::size_t>(t);
                    if (atom_stamp[ti] == m) return;
                    bool within;
                    if (brute) {
                        const double dx = static_cast<float>(pos[3 * ti] - pos[3 * qi]);
                        const double dy = static_cast<float>(pos[3 * ti + 1] - pos[3 * qi + 1]);
                        const double dz = static_cast<float>(pos[3 * ti + 2] - pos[3 * qi + 2]);
                        within = std::sqrt((dx * dx) + (dy * dy) + (dz * dz)) <= r;
                    } else {
                        const double dx = static_cast<float>(shifted[3 * qi] - shifted[3 * ti]);
                        const double dy = static_cast<float>(shifted[3 * qi + 1] - shifted[3 * ti + 1]);
                        const double dz = static_cast<float>(shifted[3 * qi + 2] - shifted[3 * ti + 2]);
                        within = dx * dx + dy * dy + dz * dz <= r2;
                    }
                    if (within) {
                        atom_stamp[ti] = m;
                        found.push_back(t);
                    }
                });
            }
            long long count = 0;
            if (ua_rule) {
                for (int t : found) {
                    if (t >= first && t <= last) continue;
                    if (q.grid_counts_atoms) {
                        ++count;
                    } else {
                        const auto mol = static_cast<std::size_t>(plan.atom_molecule[static_cast<std::size_t>(t)]);
                        if (molecule_stamp[mol] != m) {
                            molecule_stamp[mol] = m;
                            ++count;
                        }
                    }
                }
            } else {
                const auto& own = plan.molecule_residues[mu];
                for (int t : found) {
                    const int res = plan.atom_residue[static_cast<std::size_t>(t)];
                    const auto ru = static_cast<std::size_t>(res);
                    if (residue_stamp[ru] == m) continue;
                    residue_stamp[ru] = m;
                    if (std::binary_search(own.begin(), own.end(), res)) continue;
                    if (q.grid_counts_atoms) {
                        count += plan.residue_atom_count[ru];
                    } else {
                        const auto mol = static_cast<std::size_t>(plan.atom_molecule[static_cast<std::size_t>(t)]);
                        if (molecule_stamp[mol] != m) {
                            molecule_stamp[mol] = m;
                            ++count;
                        }
                    }
                }
            }
            counts[mu] = count;
        }
    }
    return counts;
}

void accumulate_neighbours(const NeighbourPlan& plan, const Frame& frame,
                           std::size_t /*frame_position*/, NeighbourPartial& out) {
    if (frame.positions.size() != 3 * plan.n_atoms)
        throw_data("frame has {} atoms, the analysis expects {}", frame.n_atoms(), plan.n_atoms);
    std::vector<long long> per_molecule(plan.molecule_atoms.size(), 0);
    if (plan.search == SearchType::RAD) {
        if (!frame.has_box)
            throw_data("search_type RAD needs a periodic box, but the frame (step {}) has none",
                       frame.step);
        const std::array<double, 3> box{frame.dimensions[0], frame.dimensions[1],
                                        frame.dimensions[2]};
        const auto centres = molecule_centres(plan, frame.positions);
        const auto lists = rad_neighbour_lists(centres, box, plan.quirks.rad_candidate_limit);
        for (std::size_t m = 0; m < lists.size(); ++m)
            per_molecule[m] = static_cast<long long>(lists[m].size());
    } else {
        per_molecule = grid_neighbour_counts(plan, frame.positions);
    }
    for (std::size_t g = 0; g < plan.group_ids.size(); ++g) {
        for (int m : plan.group_molecules[g]) {
            out.totals[g] += per_molecule[static_cast<std::size_t>(m)];
            out.samples[g] += 1;
        }
    }
}

}  // namespace mcc
