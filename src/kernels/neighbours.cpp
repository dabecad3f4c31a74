#include "kernels/neighbours.hpp"

#include "core/numpy_sum.hpp"

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

// Q-N5: single shift per axis, orthorhombic.
inline double shift_once(double d, double length, double half) {
    d = d > half ? d - length : d;
    return d < -half ? d + length : d;
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
    [[nodiscard]] double squared_distance(std::size_t from, std::size_t to) const {
        const auto d = delta(from, to);
        return (d[0] * d[0] + d[1] * d[1]) + d[2] * d[2];
    }
    [[nodiscard]] double distance(std::size_t from, std::size_t to) const {
        return std::sqrt(squared_distance(from, to));
    }
};

// Scratch buffers of the RAD search, reused for every centre of a frame.
struct RadScratch {
    std::vector<std::pair<double, int>> found;  // (distance, id) candidates
    std::vector<double> inv_r2;
    std::vector<int> shell;
};

// The blocking loop over the sorted candidates (spec §3.2 step 6); the shell goes to s.shell.
void rad_shell(const RadGeometry& g, const std::vector<std::pair<double, int>>& sorted, std::size_t limit,
               RadScratch& s) {
    const std::size_t m = std::min(limit, sorted.size());
    s.inv_r2.resize(m);
    for (std::size_t y = 0; y < m; ++y) s.inv_r2[y] = 1.0 / (sorted[y].first * sorted[y].first);
    s.shell.clear();
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
            if (s.inv_r2[y] < s.inv_r2[z] * cos_theta) {
                blocked = true;
                break;
            }
        }
        if (!blocked) s.shell.push_back(sorted[y].second);
    }
}

constexpr auto by_distance_then_id = [](const std::pair<double, int>& a, const std::pair<double, int>& b) {
    return a.first < b.first || (a.first == b.first && a.second < b.second);
};

// The first `want` entries in (distance, id) order - what a stable sort by distance of the
// id-ordered list puts first - sorted; the rest dropped.
void order_nearest(std::vector<std::pair<double, int>>& v, std::size_t want) {
    if (want < v.size()) {
        std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(want), v.end(),
                         by_distance_then_id);
        v.resize(want);
    }
    std::sort(v.begin(), v.end(), by_distance_then_id);
}

// Periodic cell list over the centres, used to find the `want` nearest centres (by the
// reference's single-shift distance) without looking at all of them. A query gathers the
// cells overlapping the cube of half-edge R around its centre; when at least `want` of the
// gathered centres lie at a distance below R, every centre that can be among the `want`
// nearest was gathered (the single-shift distance is never below the minimum-image one),
// else R grows and the query repeats.
class CentreCells {
public:
    CentreCells(const std::vector<std::array<double, 3>>& c, const RadGeometry& g, std::size_t want) : g_(g) {
        const auto& length = g.length;
        const double volume = length[0] * length[1] * length[2];
        const double n = static_cast<double>(std::max<std::size_t>(c.size(), 1));
        // radius of a sphere holding `want` centres at the mean density, with some slack
        constexpr double pi = 3.14159265358979323846;
        start_radius_ = 1.1 * std::cbrt(3.0 * static_cast<double>(want) * volume / (4.0 * pi * n));
        for (int a = 0; a < 3; ++a) {
            n_[a] = std::clamp(static_cast<int>(length[a] / (0.5 * start_radius_)), 1, 128);
            width_[a] = length[a] / n_[a];
        }
        std::vector<int> cell_of(c.size());
        wrapped_.resize(c.size());
        std::vector<int> count(static_cast<std::size_t>(n_[0] * n_[1] * n_[2]) + 1, 0);
        for (std::size_t i = 0; i < c.size(); ++i) {
            std::array<int, 3> idx{};
            for (int a = 0; a < 3; ++a) {
                const double w = c[i][a] - std::floor(c[i][a] / length[a]) * length[a];
                wrapped_[i][a] = w;
                idx[a] = std::clamp(static_cast<int>(w / width_[a]), 0, n_[a] - 1);
            }
            cell_of[i] = flat(idx);
            ++count[static_cast<std::size_t>(cell_of[i]) + 1];
        }
        std::partial_sum(count.begin(), count.end(), count.begin());
        start_ = count;
        // members in cell order, with their (raw) coordinates alongside for contiguous scans
        id_.resize(c.size());
        for (int a = 0; a < 3; ++a) xyz_[a].resize(c.size());
        for (std::size_t i = 0; i < c.size(); ++i) {
            const auto slot = static_cast<std::size_t>(count[static_cast<std::size_t>(cell_of[i])]++);
            id_[slot] = static_cast<int>(i);
            for (int a = 0; a < 3; ++a) xyz_[a][slot] = c[i][a];
        }
    }

    // The `want` nearest centres of `query` in (distance, id) order, into `found`.
    void nearest(int query, std::size_t want, std::vector<std::pair<double, int>>& found) const {
        const auto q = static_cast<std::size_t>(query);
        double radius = start_radius_;
        for (;;) {
            std::array<int, 3> lo{}, span{};
            bool everything = true;
            for (int a = 0; a < 3; ++a) {
                // margin: binning of a centre within rounding of a cell face
                const double reach = radius * (1.0 + 1e-9) + 1e-7 * width_[a];
                lo[a] = static_cast<int>(std::floor((wrapped_[q][a] - reach) / width_[a]));
                const int hi = static_cast<int>(std::floor((wrapped_[q][a] + reach) / width_[a]));
                span[a] = hi - lo[a] + 1;
                if (span[a] >= n_[a]) {
                    lo[a] = 0;
                    span[a] = n_[a];
                } else {
                    everything = false;
                    lo[a] = wrap(lo[a], n_[a]);
                }
            }
            // Squared distances first (the square-root test below decides; this bound only
            // skips square roots and has ample room for rounding).
            const double squared_bound = radius * radius * (1.0 + 1e-12);
            found.clear();
            for (int dz = 0; dz < span[2]; ++dz) {
                const int z = wrap(lo[2] + dz, n_[2]);
                for (int dy = 0; dy < span[1]; ++dy) {
                    const int y = wrap(lo[1] + dy, n_[1]);
                    // the x cells of this row: one or two contiguous runs of members
                    const int x_end = lo[0] + span[0];
                    scan(q, flat({lo[0], y, z}), flat({std::min(x_end, n_[0]) - 1, y, z}), squared_bound, found);
                    if (x_end > n_[0]) scan(q, flat({0, y, z}), flat({x_end - n_[0] - 1, y, z}), squared_bound, found);
                }
            }
            std::size_t inside = 0;
            for (const auto& f : found) {
                const double d = std::sqrt(f.first);
                if (d < radius) found[inside++] = {d, f.second};
            }
            if (inside >= want) {
                found.resize(inside);
                break;
            }
            if (everything) {  // fewer than `want` within reach (e.g. non-finite centres): take all
                all_candidates(q, found);
                break;
            }
            radius *= 1.5;
        }
        order_nearest(found, want);
    }

private:
    static int wrap(int i, int n) { return i < 0 ? i + n : (i >= n ? i - n : i); }
    [[nodiscard]] int flat(const std::array<int, 3>& idx) const {
        return idx[0] + n_[0] * (idx[1] + n_[1] * idx[2]);
    }
    // Appends (squared distance, id) of the members of cells first..last (flat indices of one
    // row) within the bound; the query itself is skipped.
    void scan(std::size_t q, int first, int last, double squared_bound,
              std::vector<std::pair<double, int>>& found) const {
        const auto begin = static_cast<std::size_t>(start_[static_cast<std::size_t>(first)]);
        const auto end = static_cast<std::size_t>(start_[static_cast<std::size_t>(last) + 1]);
        const std::size_t base = found.size();
        found.resize(base + (end - begin));
        std::size_t k = base;
        const double qx = g_.c[q][0], qy = g_.c[q][1], qz = g_.c[q][2];
        for (std::size_t p = begin; p < end; ++p) {
            const double dx = shift_once(xyz_[0][p] - qx, g_.length[0], g_.half[0]);
            const double dy = shift_once(xyz_[1][p] - qy, g_.length[1], g_.half[1]);
            const double dz = shift_once(xyz_[2][p] - qz, g_.length[2], g_.half[2]);
            const double d2 = (dx * dx + dy * dy) + dz * dz;
            const int j = id_[p];
            found[k] = {d2, j};
            k += static_cast<std::size_t>(d2 <= squared_bound && j != static_cast<int>(q));
        }
        found.resize(k);
    }
    void all_candidates(std::size_t q, std::vector<std::pair<double, int>>& found) const {
        found.clear();
        for (std::size_t j = 0; j < g_.c.size(); ++j)
            if (j != q) found.emplace_back(g_.distance(q, j), static_cast<int>(j));
    }

    const RadGeometry& g_;
    double start_radius_ = 0.0;
    std::array<int, 3> n_{};
    std::array<double, 3> width_{};
    std::vector<std::array<double, 3>> wrapped_;
    std::vector<int> start_, id_;
    std::array<std::vector<double>, 3> xyz_;
};

// Calls sink(i, shell) for every centre i with its RAD shell (neighbour ids in sorted-distance
// order), reusing one set of buffers.
template <typename Sink>
void for_each_rad_shell(const std::vector<std::array<double, 3>>& centres, const std::array<double, 3>& box,
                        int limit, Sink&& sink) {
    const std::size_t n = centres.size();
    if (n < 2) {
        const std::vector<int> none;
        for (std::size_t i = 0; i < n; ++i) sink(i, none);
        return;
    }
    RadGeometry g{centres, box, {0.5 * box[0], 0.5 * box[1], 0.5 * box[2]}};
    const std::size_t want = limit > 0 ? std::min<std::size_t>(static_cast<std::size_t>(limit), n - 1) : n - 1;
    RadScratch s;
    const bool use_cells = limit > 0 && n > 4 * want && box[0] > 0 && box[1] > 0 && box[2] > 0;
    if (use_cells) {
        const CentreCells cells(centres, g, want);
        for (std::size_t i = 0; i < n; ++i) {
            cells.nearest(static_cast<int>(i), want, s.found);
            rad_shell(g, s.found, want, s);
            sink(i, s.shell);
        }
        return;
    }
    for (std::size_t i = 0; i < n; ++i) {
        s.found.clear();
        for (std::size_t j = 0; j < n; ++j)
            if (j != i) s.found.emplace_back(g.distance(i, j), static_cast<int>(j));
        order_nearest(s.found, want);
        rad_shell(g, s.found, want, s);
        sink(i, s.shell);
    }
}

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
    std::vector<std::vector<int>> out(centres.size());
    for_each_rad_shell(centres, box, limit, [&out](std::size_t i, const std::vector<int>& shell) { out[i] = shell; });
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
        for_each_rad_shell(centres, box, plan.quirks.rad_candidate_limit,
                           [&per_molecule](std::size_t m, const std::vector<int>& shell) {
                               per_molecule[m] = static_cast<long long>(shell.size());
                           });
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
