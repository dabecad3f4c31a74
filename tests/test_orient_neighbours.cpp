// Neighbour counts (spec §3.2-3.4) on hand-made configurations, and the orientational formula
// (§3.6) against CodeEntropy's own regression baselines (§8.4).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "core/error.hpp"
#include "entropy/orientational.hpp"
#include "kernels/neighbours.hpp"
#include "plan/neighbour_plan.hpp"
#include "plan/structure.hpp"

using mcc::Frame;
using Centres = std::vector<std::array<double, 3>>;

namespace {

// A topology of single-atom or bonded molecules: `molecule_of[i]` gives atom i's molecule;
// consecutive atoms of one molecule are bonded in a chain; each molecule is one residue.
mcc::Topology make_topology(const std::vector<int>& molecule_of, double mass = 12.0) {
    mcc::Topology top;
    const int n_mol = *std::max_element(molecule_of.begin(), molecule_of.end()) + 1;
    for (int m = 0; m < n_mol; ++m) top.residues.push_back({"MOL", m + 1, m + 1, "", {}});
    std::vector<int> last(static_cast<std::size_t>(n_mol), -1);
    for (std::size_t i = 0; i < molecule_of.size(); ++i) {
        mcc::Atom a;
        a.name = "C";
        a.element = "C";
        a.mass = mass;
        a.residue = molecule_of[i];
        top.atoms.push_back(a);
        auto& l = last[static_cast<std::size_t>(molecule_of[i])];
        if (l >= 0) top.bonds.push_back({l, static_cast<int>(i)});
        l = static_cast<int>(i);
    }
    top.finalize();
    return top;
}

// Independent straightforward RAD: all distances, stable sort, first `limit`, blocking.
std::vector<std::vector<int>> rad_reference(const Centres& c, std::array<double, 3> box, int limit) {
    auto delta = [&](std::size_t from, std::size_t to) {
        std::array<double, 3> d{};
        for (int a = 0; a < 3; ++a) {
            d[a] = c[to][a] - c[from][a];
            if (d[a] > 0.5 * box[a]) d[a] -= box[a];
            if (d[a] < -0.5 * box[a]) d[a] += box[a];
        }
        return d;
    };
    auto norm2 = [](std::array<double, 3> d) { return (d[0] * d[0] + d[1] * d[1]) + d[2] * d[2]; };
    std::vector<std::vector<int>> out(c.size());
    for (std::size_t i = 0; i < c.size(); ++i) {
        std::vector<int> ids;
        std::vector<double> dist(c.size());
        for (std::size_t j = 0; j < c.size(); ++j) {
            dist[j] = std::sqrt(norm2(delta(i, j)));
            if (j != i) ids.push_back(static_cast<int>(j));
        }
        std::stable_sort(ids.begin(), ids.end(), [&](int a, int b) { return dist[a] < dist[b]; });
        const std::size_t m = std::min<std::size_t>(static_cast<std::size_t>(limit), ids.size());
        for (std::size_t y = 0; y < m; ++y) {
            const double rij = dist[ids[y]];
            bool blocked = false;
            for (std::size_t z = 0; z < y && !blocked; ++z) {
                const double rik = dist[ids[z]];
                const double d2 = norm2(delta(ids[y], ids[z]));
                const double denom = -2.0 * rik * rij;
                if (denom == 0.0) continue;
                const double cosine = ((d2 - rik * rik) - rij * rij) / denom;
                blocked = 1.0 / (rij * rij) < 1.0 / (rik * rik) * cosine;
            }
            if (!blocked) out[i].push_back(ids[y]);
        }
    }
    return out;
}

}  // namespace

TEST(OrientRad, ShellAndBlockedParticle) {
    // Centre 0 in a large box, a shell of six at 3 A, and particle 7 behind particle 5 (+z).
    const Centres c = {{20, 20, 20}, {23, 20, 20}, {17, 20, 20}, {20, 23, 20},
                       {20, 17, 20}, {20, 20, 23}, {20, 20, 17}, {20, 20, 26}};
    const auto lists = mcc::rad_neighbour_lists(c, {40, 40, 40}, 30);
    EXPECT_EQ(lists[0], (std::vector<int>{1, 2, 3, 4, 5, 6}));  // equal distances: id order
    // Particle 7 sees only particle 5 (everything else is behind it).
    EXPECT_EQ(lists[7], (std::vector<int>{5}));
    // Particle 5: 0 and 7 at 3 A (opposite sides), the other four shell members at 4.24 A are
    // blocked by 0 (cos = 1/sqrt2 > 9/18 test: 1/18 < cos45/9)
    EXPECT_EQ(lists[5], (std::vector<int>{0, 7}));
}

TEST(OrientRad, EqualDistancesNeverBlockAndOnlyThirtyAreExamined) {
    // 40 centres on a sphere around centre 0 (Fibonacci points): Q-N6 caps the shell at 30.
    Centres c = {{50, 50, 50}};
    for (int k = 0; k < 40; ++k) {
        const double z = 1.0 - 2.0 * (k + 0.5) / 40.0, r = std::sqrt(1 - z * z);
        const double phi = k * 2.399963229728653;
        c.push_back({50 + 6 * r * std::cos(phi), 50 + 6 * r * std::sin(phi), 50 + 6 * z});
    }
    EXPECT_EQ(mcc::rad_neighbour_lists(c, {100, 100, 100}, 30)[0].size(), 30u);
    EXPECT_EQ(mcc::rad_neighbour_lists(c, {100, 100, 100}, 0)[0].size(), 40u);
}

TEST(OrientRad, SingleShiftMinimumImage) {
    // Box 10. Centre 2 at x = +16 from 0: one shift gives +6 (the true minimum image would be
    // -4, nearer than centre 1 at 4.5 on the y axis). So 1 sorts first and, being at a right
    // angle, does not block 2.
    const Centres c = {{0, 0, 0}, {0, 4.5, 0}, {16, 0, 0}};
    EXPECT_EQ(mcc::rad_neighbour_lists(c, {10, 10, 10}, 30)[0], (std::vector<int>{1, 2}));
    // Same with 2 at x = +6 (true minimum image -4): 2 sorts first.
    const Centres d = {{0, 0, 0}, {0, 4.5, 0}, {6, 0, 0}};
    EXPECT_EQ(mcc::rad_neighbour_lists(d, {10, 10, 10}, 30)[0], (std::vector<int>{2, 1}));
}

TEST(OrientRad, CellListEqualsStraightforwardSearch) {
    // 3000 random centres, some outside the box (raw, not wrapped, Q-N4), and a few exact
    // duplicates of distances through lattice points.
    std::mt19937_64 rng(42);
    std::uniform_real_distribution<double> u(-3.0, 33.0);
    Centres c;
    for (int i = 0; i < 2990; ++i) c.push_back({u(rng), u(rng), u(rng)});
    for (int i = 0; i < 10; ++i) c.push_back({1.0 * i, 2.0, 3.0});
    const std::array<double, 3> box{30.0, 31.0, 29.0};
    const auto fast = mcc::rad_neighbour_lists(c, box, 30);
    const auto slow = rad_reference(c, box, 30);
    ASSERT_EQ(fast.size(), slow.size());
    for (std::size_t i = 0; i < c.size(); ++i) ASSERT_EQ(fast[i], slow[i]) << "centre " << i;
}

TEST(OrientRad, CellListHandlesClustersSparseRegionsAndTies) {
    // A dense cluster in a mostly empty box (the search radius must grow for the sparse
    // centres), lattice points with many equal distances, and a water-sized system where
    // the search window covers most of the box.
    std::mt19937_64 rng(5);
    std::normal_distribution<double> cluster(10.0, 1.5);
    std::uniform_real_distribution<double> u(0.0, 60.0);
    Centres c;
    for (int i = 0; i < 400; ++i) c.push_back({cluster(rng), cluster(rng), cluster(rng)});
    for (int i = 0; i < 60; ++i) c.push_back({u(rng), u(rng), u(rng)});
    for (int x = 0; x < 5; ++x)
        for (int y = 0; y < 5; ++y)
            for (int z = 0; z < 5; ++z) c.push_back({40.0 + 2 * x, 40.0 + 2 * y, 40.0 + 2 * z});
    const std::array<double, 3> box{60.0, 60.0, 60.0};
    const auto fast = mcc::rad_neighbour_lists(c, box, 30);
    const auto slow = rad_reference(c, box, 30);
    for (std::size_t i = 0; i < c.size(); ++i) ASSERT_EQ(fast[i], slow[i]) << "centre " << i;

    std::uniform_real_distribution<double> w(-2.0, 24.7);
    Centres water;
    for (int i = 0; i < 392; ++i) water.push_back({w(rng), w(rng), w(rng)});
    const std::array<double, 3> wbox{22.7, 22.7, 22.7};
    const auto wfast = mcc::rad_neighbour_lists(water, wbox, 30);
    const auto wslow = rad_reference(water, wbox, 30);
    for (std::size_t i = 0; i < water.size(); ++i) ASSERT_EQ(wfast[i], wslow[i]) << "water " << i;
}

TEST(OrientGrid, InclusiveRadiusAtomsAndIndexRange) {
    // Single-atom molecules (united-atom level, radius 3.0): atom 1 at exactly 3.0 A from
    // atom 0 counts, atom 2 at 3.0001 A from atom 0 does not (but is 0.0001 A from atom 1).
    const auto top = make_topology({0, 1, 2});
    const auto s = mcc::build_structure(top, mcc::Grouping::Each);
    mcc::Options o;
    o.search_type = mcc::SearchType::Grid;
    const auto plan = mcc::build_neighbour_plan(top, s, o);
    const std::vector<float> pos = {0, 0, 0, 3.0f, 0, 0, 3.0001f, 0, 0};
    EXPECT_EQ(mcc::grid_neighbour_counts(plan, pos), (std::vector<long long>{1, 2, 1}));

    // Q-C5: molecule 0 = atoms {0, 2} (bonded), molecule 1 = atom 1 lies inside its index
    // range and is therefore part of molecule 0's query and never its neighbour.
    mcc::Topology t2 = make_topology({0, 1, 2});
    t2.bonds = {{0, 2}};
    t2.atoms[2].residue = 0;
    t2.finalize();
    const auto s2 = mcc::build_structure(t2, mcc::Grouping::Each);
    const auto p2 = mcc::build_neighbour_plan(t2, s2, o);
    ASSERT_EQ(s2.molecules.size(), 2u);
    // molecule 0 (atoms 0,2) has 2 heavy atoms -> residue rule, radius 3.5; molecule 1 UA.
    const std::vector<float> pos2 = {0, 0, 0, 1.0f, 0, 0, 2.0f, 0, 0};
    const auto counts = mcc::grid_neighbour_counts(p2, pos2);
    EXPECT_EQ(counts[0], 1);  // residue of atom 1 is not the fragment's: its 1 atom counts
    EXPECT_EQ(counts[1], 2);  // both atoms of molecule 0 within 3.0 A
}

TEST(OrientGrid, ResidueRuleCountsAllAtomsOfNeighbourResidues) {
    // Two 4-atom chains (residue level): one atom of chain B within 3.5 A of chain A
    // -> all 4 atoms of B count (Q-N1); 3.5 exactly is inside, no periodic images (Q-N2).
    const auto top = make_topology({0, 0, 0, 0, 1, 1, 1, 1});
    const auto s = mcc::build_structure(top, mcc::Grouping::Molecules);
    mcc::Options o;
    o.search_type = mcc::SearchType::Grid;
    const auto plan = mcc::build_neighbour_plan(top, s, o);
    ASSERT_EQ(plan.group_ids.size(), 1u);
    std::vector<float> pos = {0, 0, 0, 1.5f, 0, 0, 3.0f, 0, 0, 4.5f, 0, 0,
                              8.0f, 0, 0, 9.5f, 0, 0, 11.0f, 0, 0, 12.5f, 0, 0};
    EXPECT_EQ(mcc::grid_neighbour_counts(plan, pos), (std::vector<long long>{4, 4}));
    pos[12] = 8.0001f;
    EXPECT_EQ(mcc::grid_neighbour_counts(plan, pos), (std::vector<long long>{0, 0}));

    // The frame kernel sums per group and counts samples; merging partials adds them.
    Frame f;
    f.positions = pos;
    pos[12] = 8.0f;
    Frame g;
    g.positions = pos;
    auto a = mcc::make_neighbour_partial(plan), b = mcc::make_neighbour_partial(plan);
    mcc::accumulate_neighbours(plan, f, 0, a);
    mcc::accumulate_neighbours(plan, g, 1, b);
    a.merge(b);
    EXPECT_EQ(a.totals, (std::vector<long long>{8}));
    EXPECT_EQ(a.samples, (std::vector<long long>{4}));
    EXPECT_DOUBLE_EQ(mcc::mean_neighbour_counts(a)[0], 2.0);
}

TEST(OrientRad, FrameKernelUsesCentresOfMassAndNeedsABox) {
    // Two diatomic molecules (residue level) whose centres are 4 A apart; a third far away.
    const auto top = make_topology({0, 0, 1, 1, 2, 2});
    const auto s = mcc::build_structure(top, mcc::Grouping::Molecules);
    const auto plan = mcc::build_neighbour_plan(top, s, mcc::Options{});
    Frame f;
    f.positions = {0, 0, 0, 1, 0, 0, 4, 0, 0, 5, 0, 0, 9, 9, 9, 10, 9, 9};
    const auto centres = mcc::molecule_centres(plan, f.positions);
    EXPECT_DOUBLE_EQ(centres[1][0], 4.5);
    auto p = mcc::make_neighbour_partial(plan);
    EXPECT_THROW(mcc::accumulate_neighbours(plan, f, 0, p), mcc::DataError);
    f.has_box = true;
    f.dimensions = {30, 30, 30, 90, 90, 90};
    mcc::accumulate_neighbours(plan, f, 0, p);
    EXPECT_EQ(p.samples, (std::vector<long long>{3}));
    // 0 and 2 each see only 1 (the other is behind it); 1 sees both (opposite sides)
    EXPECT_EQ(p.totals, (std::vector<long long>{4}));
}

TEST(OrientEntropy, OmegaFormulaAndClipping) {
    const double R = mcc::kOrientationalGasConstant;
    EXPECT_DOUBLE_EQ(mcc::orientational_entropy(5.0, 2, true), R * std::log(2.5));
    EXPECT_DOUBLE_EQ(mcc::orientational_entropy(1.0, 1, false), 4.758905336627712);  // R ln sqrt(pi)
    EXPECT_EQ(mcc::orientational_entropy(0.5, 1, false), 0.0);   // Omega < 1 clipped
    EXPECT_EQ(mcc::orientational_entropy(1.9, 2, true), 0.0);    // linear: N <= sigma
    EXPECT_EQ(mcc::orientational_entropy(100.0, 0, false), 0.0);  // sigma 0: ion
    EXPECT_THROW(mcc::orientational_entropy(-1.0, 1, false), mcc::DataError);
    mcc::OrientationalQuirks unclipped;
    unclipped.clip_omega_at_one = false;
    EXPECT_LT(mcc::orientational_entropy(0.5, 1, false, unclipped), 0.0);
}

TEST(OrientEntropy, ReproducesCodeEntropyBaselines) {
    // (spec §8.4: implied mean neighbour counts with the §3.5 symmetry numbers)
    struct Case { double n; int sigma; bool linear; double expected; };
    const Case cases[] = {
        {12.0, 12, false, 15.08923362},       // benzene grouping_each
        {7.58, 24, false, 3.596676625},       // methane default
        {27.0, 1, false, 45.86356027},        // octonol grouping_each
        {45.072, 1, true, 31.66363493},       // methanol default (linear)
        {28.0 / 30.0, 1, false, 3.898447647}, // ethyl acetate frame_window
        {14.0, 2, false, 31.90926524},        // benzaldehyde grouping_each
        {9.696, 24, false, 6.667209511},      // methane rad
    };
    for (const auto& c : cases)
        EXPECT_NEAR(mcc::orientational_entropy(c.n, c.sigma, c.linear), c.expected, 5e-9) << c.n;
}

TEST(GridSearch, SquareThresholdEqualsTheSquareRootTest) {
    // d2 <= largest_square_within(r) must decide exactly like sqrt(d2) <= r, in particular
    // for squared distances within a few ulps of r*r.
    for (double r : {3.0, 3.5, 2.9999999999999996, 1.0 / 3.0, 7.25, 12.345678901234567}) {
        const double t = mcc::largest_square_within(r);
        EXPECT_LE(std::sqrt(t), r);
        EXPECT_GT(std::sqrt(std::nextafter(t, 1e300)), r);
        double d2 = r * r;
        for (int k = 0; k < 64; ++k) d2 = std::nextafter(d2, 0.0);
        for (int k = 0; k < 128; ++k, d2 = std::nextafter(d2, 1e300))
            EXPECT_EQ(d2 <= t, std::sqrt(d2) <= r) << "r " << r << " d2 " << d2;
    }
}

namespace {

// Molecules of `sizes[k]` atoms, chained with bonds of `bond` A in a random direction, placed
// at random in a 22 A cube; the first atom of each is heavy (16 amu), the others hydrogens.
struct RandomLiquid {
    mcc::Topology top;
    std::vector<float> pos;
};
RandomLiquid random_liquid(const std::vector<int>& sizes, double bond, std::mt19937& rng) {
    std::vector<int> molecule_of;
    for (std::size_t m = 0; m < sizes.size(); ++m)
        for (int i = 0; i < sizes[m]; ++i) molecule_of.push_back(static_cast<int>(m));
    RandomLiquid out{make_topology(molecule_of), {}};
    std::uniform_real_distribution<double> place(0.0, 22.0), dir(-1.0, 1.0);
    std::size_t atom = 0;
    for (int size : sizes) {
        std::array<double, 3> p{place(rng), place(rng), place(rng)};
        for (int i = 0; i < size; ++i, ++atom) {
            out.top.atoms[atom].mass = i == 0 ? 16.0 : 1.008;
            out.top.atoms[atom].element = i == 0 ? "O" : "H";
            for (int a = 0; a < 3; ++a) out.pos.push_back(static_cast<float>(p[a]));
            std::array<double, 3> d{dir(rng), dir(rng), dir(rng)};
            const double len = std::sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
            for (int a = 0; a < 3; ++a) p[a] += bond * d[a] / len;
        }
    }
    out.top.finalize();
    return out;
}

}  // namespace

TEST(OrientGrid, SmallMoleculesScannedOnceCountTheSame) {
    // The one-scan path for small molecules must find exactly the atoms the per-atom scans
    // find: water-like triatomics, single atoms, pairs, molecules too large (9 atoms) or too
    // spread (2 A bonds) for it, at both grouping modes; then atoms put exactly 3.0 / 3.5 A
    // from a molecule's atoms (the inclusive edge of both rules).
    std::mt19937 rng(4242);
    std::vector<int> sizes;
    for (int i = 0; i < 300; ++i) sizes.push_back(3);
    for (int s : {1, 1, 2, 2, 5, 9, 9, 4}) sizes.push_back(s);
    for (double bond : {0.96, 2.0}) {
        auto liquid = random_liquid(sizes, bond, rng);
        for (auto grouping : {mcc::Grouping::Each, mcc::Grouping::Molecules}) {
            const auto s = mcc::build_structure(liquid.top, grouping);
            mcc::Options o;
            o.search_type = mcc::SearchType::Grid;
            o.grouping = grouping;
            const auto plan = mcc::build_neighbour_plan(liquid.top, s, o);
            auto pos = liquid.pos;
            const auto once = mcc::grid_neighbour_counts(plan, pos, true);
            const auto per_atom = mcc::grid_neighbour_counts(plan, pos, false);
            ASSERT_EQ(once, per_atom) << "bond " << bond;
            EXPECT_GT(std::accumulate(once.begin(), once.end(), 0LL), 1000);
            // Edge: the first atom of molecule 1 exactly 3.5 A (then 3.0 A) along x from atom 0.
            for (float gap : {3.5f, 3.0f}) {
                pos[3 * 3] = pos[0] + gap;
                pos[3 * 3 + 1] = pos[1];
                pos[3 * 3 + 2] = pos[2];
                EXPECT_EQ(mcc::grid_neighbour_counts(plan, pos, true), mcc::grid_neighbour_counts(plan, pos, false))
                    << "gap " << gap;
            }
        }
    }
}
