// The optimised RAD search (cell list, vectorised blocking test, rank selection) against a
// literal brute-force evaluation of the reference's rule (spec §3.2): random periodic boxes,
// ties in distance, coincident centres, blocking comparisons that are equal or one ulp apart,
// systems with fewer than 30 other centres, unequal box lengths and unwrapped centres.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>
#include <random>
#include <vector>

#include "kernels/neighbours.hpp"

using Centres = std::vector<std::array<double, 3>>;

namespace {

// Step 3 of §3.2 as the reference's NumPy code does it: two sequential whole-array tests.
std::array<double, 3> numpy_delta(const std::array<double, 3>& from, const std::array<double, 3>& to,
                                  const std::array<double, 3>& box) {
    std::array<double, 3> d{};
    for (int a = 0; a < 3; ++a) {
        const double half = 0.5 * box[a];
        d[a] = to[a] - from[a];
        d[a] = d[a] > half ? d[a] - box[a] : d[a];
        d[a] = d[a] < -half ? d[a] + box[a] : d[a];
    }
    return d;
}

// The blocking loop's minimum image (if / elif).
std::array<double, 3> loop_delta(const std::array<double, 3>& from, const std::array<double, 3>& to,
                                 const std::array<double, 3>& box) {
    std::array<double, 3> d{};
    for (int a = 0; a < 3; ++a) {
        const double half = 0.5 * box[a];
        d[a] = to[a] - from[a];
        if (d[a] > half)
            d[a] -= box[a];
        else if (d[a] < -half)
            d[a] += box[a];
    }
    return d;
}

double sum_of_squares(const std::array<double, 3>& d) {
    double s = 0.0;
    for (double x : d) s += x * x;
    return s;
}

// Both sides of the blocking comparison for candidate j (distance r_ij) and closer k (r_ik).
struct Sides {
    double lhs, rhs;
    bool skipped;
};
Sides blocking_sides(const std::array<double, 3>& cj, const std::array<double, 3>& ck, double r_ij, double r_ik,
                     const std::array<double, 3>& box) {
    const double inv_r2_y = 1.0 / (r_ij * r_ij), inv_r2_z = 1.0 / (r_ik * r_ik);
    const double dist_ac2 = sum_of_squares(loop_delta(cj, ck, box));
    const double denom = -2.0 * r_ik * r_ij;
    if (denom == 0.0) return {0, 0, true};
    const double costheta = (dist_ac2 - r_ik * r_ik - r_ij * r_ij) / denom;
    return {inv_r2_y, inv_r2_z * costheta, false};
}

// The reference, literally: all distances, mergesort of the others by distance, the first
// min(n, limit) examined, every closer one may block.
std::vector<std::vector<int>> brute_force_rad(const Centres& c, const std::array<double, 3>& box, int limit) {
    std::vector<std::vector<int>> out(c.size());
    for (std::size_t i = 0; i < c.size(); ++i) {
        std::vector<double> dist(c.size());
        for (std::size_t j = 0; j < c.size(); ++j) dist[j] = std::sqrt(sum_of_squares(numpy_delta(c[i], c[j], box)));
        std::vector<int> order;
        for (std::size_t j = 0; j < c.size(); ++j)
            if (j != i) order.push_back(static_cast<int>(j));
        std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return dist[a] < dist[b]; });
        const std::size_t n = order.size();
        const std::size_t examined = limit > 0 ? std::min<std::size_t>(n, static_cast<std::size_t>(limit)) : n;
        for (std::size_t y = 0; y < examined; ++y) {
            const auto j = static_cast<std::size_t>(order[y]);
            bool blocked = false;
            for (std::size_t z = 0; z < y; ++z) {
                const auto k = static_cast<std::size_t>(order[z]);
                if (dist[k] > dist[j]) continue;
                const Sides s = blocking_sides(c[j], c[k], dist[j], dist[k], box);
                if (s.skipped) continue;
                if (s.lhs < s.rhs) {
                    blocked = true;
                    break;
                }
            }
            if (!blocked) out[i].push_back(order[y]);
        }
    }
    return out;
}

// Both kernel widths: the AVX-512 forms (where the CPU has them) and the four-lane ones.
void expect_same_lists(const Centres& c, const std::array<double, 3>& box, int limit, const char* what) {
    const auto slow = brute_force_rad(c, box, limit);
    for (const bool avx512 : {true, false}) {
        const auto fast = mcc::rad_neighbour_lists(c, box, limit, avx512);
        ASSERT_EQ(fast.size(), slow.size()) << what;
        for (std::size_t i = 0; i < c.size(); ++i)
            ASSERT_EQ(fast[i], slow[i]) << what << ": centre " << i << (avx512 ? "" : " (four lanes)");
    }
}

// A triple (i, j, k) with k closer to i than j and j on the edge of being blocked by k:
// 1/r_ij^2 == cos(theta_jik)/r_ik^2 in exact arithmetic (cos theta = r_ik^2 / r_ij^2), so the
// reference's floating-point comparison is decided by rounding.
std::array<std::array<double, 3>, 3> edge_triple(std::mt19937_64& rng, const std::array<double, 3>& at) {
    std::uniform_real_distribution<double> u(-1.0, 1.0), rj(2.5, 5.0), frac(0.45, 0.9);
    std::array<double, 3> a{}, b{};
    double na = 0, nb = 0;
    do {
        a = {u(rng), u(rng), u(rng)};
        na = std::sqrt(sum_of_squares(a));
    } while (na < 0.2 || na > 1.0);
    for (double& x : a) x /= na;
    do {  // a unit vector perpendicular to a
        b = {u(rng), u(rng), u(rng)};
        const double p = b[0] * a[0] + b[1] * a[1] + b[2] * a[2];
        for (int t = 0; t < 3; ++t) b[t] -= p * a[t];
        nb = std::sqrt(sum_of_squares(b));
    } while (nb < 0.2);
    for (double& x : b) x /= nb;
    const double r = rj(rng), s = r * frac(rng), cos_t = (s * s) / (r * r), sin_t = std::sqrt(1 - cos_t * cos_t);
    std::array<double, 3> j{}, k{};
    for (int t = 0; t < 3; ++t) {
        j[t] = at[t] + r * a[t];
        k[t] = at[t] + s * (cos_t * a[t] + sin_t * b[t]);
    }
    return {at, j, k};
}

// An edge triple's distances i-j and i-k, and the blocking comparison of j by k.
struct TripleComparison {
    double r_ij, r_ik;
    Sides sides;
};
TripleComparison compare_triple(const std::array<std::array<double, 3>, 3>& t, const std::array<double, 3>& box) {
    const double r_ij = std::sqrt(sum_of_squares(numpy_delta(t[0], t[1], box)));
    const double r_ik = std::sqrt(sum_of_squares(numpy_delta(t[0], t[2], box)));
    return {r_ij, r_ik, blocking_sides(t[1], t[2], r_ij, r_ik, box)};
}

// How many ulps apart two positive doubles are (0 = equal).
long long ulps_apart(double x, double y) {
    if (x == y) return 0;
    long long n = 0;
    for (double t = std::min(x, y); t < std::max(x, y) && n < 100; ++n) t = std::nextafter(t, INFINITY);
    return n;
}

}  // namespace

TEST(RadSearch, RandomPeriodicBoxesWithUnwrappedCentres) {
    std::mt19937_64 rng(2024);
    // Liquid-like density, unequal box lengths, a tenth of the centres unwrapped by up to
    // 1.5 box lengths (raw trajectory centres; Q-N4).
    for (const std::size_t n : {150u, 400u, 1500u}) {
        const double edge = std::cbrt(static_cast<double>(n) / 0.0334);
        const std::array<double, 3> box{edge, 0.9 * edge, 1.15 * edge};
        std::uniform_real_distribution<double> u(0.0, 1.0), shift(-1.5, 1.5);
        Centres c(n);
        for (std::size_t i = 0; i < n; ++i) {
            for (int a = 0; a < 3; ++a) c[i][a] = u(rng) * box[static_cast<std::size_t>(a)];
            if (i % 10 == 0) c[i][i % 3] += shift(rng) * box[i % 3];
        }
        expect_same_lists(c, box, 30, "random");
    }
}

TEST(RadSearch, TiesCoincidentCentresAndLattices) {
    // A simple cubic lattice (many exactly equal distances and exactly collinear blockers),
    // a few coincident centres (distance 0: the reference skips k with r_ik * r_ij == 0),
    // and the lattice shifted by a non-representable offset.
    for (const double offset : {0.0, 0.1}) {
        Centres c;
        for (int x = 0; x < 7; ++x)
            for (int y = 0; y < 6; ++y)
                for (int z = 0; z < 5; ++z) c.push_back({offset + 3.0 * x, offset + 3.0 * y, offset + 3.0 * z});
        c.push_back(c[17]);
        c.push_back(c[17]);
        c.push_back(c[100]);
        expect_same_lists(c, {21.0, 18.0, 15.0}, 30, "lattice");
    }
    // Centres mirrored through a centre at integer coordinates: equal distances on both sides.
    std::mt19937_64 rng(11);
    std::uniform_int_distribution<int> q(-8, 8);
    Centres m = {{20, 20, 20}};
    for (int k = 0; k < 80; ++k) {
        const std::array<double, 3> d{0.5 * q(rng), 0.5 * q(rng), 0.5 * q(rng)};
        m.push_back({20 + d[0], 20 + d[1], 20 + d[2]});
        m.push_back({20 - d[0], 20 - d[1], 20 - d[2]});
    }
    expect_same_lists(m, {40.0, 40.0, 40.0}, 30, "mirrored");
}

TEST(RadSearch, BlockingComparisonsDecidedByRounding) {
    // Triples on the blocking edge; only those whose reference comparison ends equal or one
    // ulp apart are kept. They go into a small box (plain path, n < 120) and, spread over a
    // large box far from each other, into a system big enough for the cell-list path.
    std::mt19937_64 rng(99);
    std::vector<std::array<std::array<double, 3>, 3>> triples;
    const std::array<double, 3> big{200.0, 200.0, 200.0};
    int equal = 0, one_ulp = 0, blocked = 0;
    for (int trial = 0; trial < 200000 && triples.size() < 60; ++trial) {
        const int slot = static_cast<int>(triples.size());
        const std::array<double, 3> at{10.0 + 25.0 * (slot % 7), 10.0 + 25.0 * ((slot / 7) % 7),
                                       10.0 + 25.0 * (slot / 49)};
        const auto t = edge_triple(rng, at);
        const auto [r_ij, r_ik, s] = compare_triple(t, big);
        if (!(r_ik < r_ij)) continue;
        const long long apart = ulps_apart(s.lhs, s.rhs);
        if (apart > 1) continue;
        (apart == 0 ? equal : one_ulp) += 1;
        blocked += s.lhs < s.rhs;
        triples.push_back(t);
    }
    // Both outcomes and both kinds of closeness occur, so the test decides something.
    ASSERT_EQ(triples.size(), 60u);
    EXPECT_GT(equal, 5);
    EXPECT_GT(one_ulp, 5);
    EXPECT_GT(blocked, 5);
    EXPECT_LT(blocked, 55);

    // Each triple alone (3 centres: fewer than 30 candidates).
    for (const auto& t : triples) {
        const Centres c(t.begin(), t.end());
        expect_same_lists(c, big, 30, "triple");
        // j (index 1) is in i's shell iff the comparison does not block it.
        const Sides s = compare_triple(t, big).sides;
        const auto shell = mcc::rad_neighbour_lists(c, big, 30)[0];
        EXPECT_EQ(std::find(shell.begin(), shell.end(), 1) != shell.end(), !(s.lhs < s.rhs));
    }
    // All of them in one box (180 centres > 4 x 30: cell-list path).
    Centres all;
    for (const auto& t : triples) all.insert(all.end(), t.begin(), t.end());
    expect_same_lists(all, big, 30, "triples together");
}

TEST(RadSearch, BlockingDecidedByRoundingBehindCloserCentres) {
    // The search tries every candidate against the two nearest without branches, then the
    // still unblocked ones against the farther candidates: the edge triples again, now with
    // 0 to 6 extra centres closer to i than k, on the side away from j (they block neither j
    // nor k), so the deciding blocker k sits at every sorted position 0..6 and the rounding
    // decides in both parts of the search.
    std::mt19937_64 rng(4242);
    const std::array<double, 3> big{200.0, 200.0, 200.0};
    Centres all;
    int checked = 0, blocked = 0;
    for (int trial = 0; trial < 400000 && checked < 70; ++trial) {
        const int extra = checked % 7;
        const std::array<double, 3> at{12.0 + 25.0 * (checked % 7), 12.0 + 25.0 * ((checked / 7) % 7),
                                       12.0 + 25.0 * (checked / 49)};
        const auto t = edge_triple(rng, at);
        const auto [r_ij, r_ik, s] = compare_triple(t, big);
        if (!(r_ik < r_ij)) continue;
        if (ulps_apart(s.lhs, s.rhs) > 1) continue;
        Centres c(t.begin(), t.end());
        for (int e = 0; e < extra; ++e) {  // along -(j - i), at 0.3 to 0.9 of r_ik, slightly off the line
            const double f = (0.3 + 0.1 * e) * r_ik / r_ij;
            c.push_back({at[0] - f * (t[1][0] - at[0]), at[1] - f * (t[1][1] - at[1]) + 0.01 * e,
                         at[2] - f * (t[1][2] - at[2])});
        }
        const auto fast = mcc::rad_neighbour_lists(c, big, 30);
        ASSERT_EQ(fast, brute_force_rad(c, big, 30)) << "triple " << checked << " with " << extra << " closer";
        ASSERT_EQ(mcc::rad_neighbour_lists(c, big, 30, false), fast) << "four lanes";
        // j (index 1) is in i's shell iff k's comparison does not block it (nothing else can).
        const auto& shell = fast[0];
        EXPECT_EQ(std::find(shell.begin(), shell.end(), 1) != shell.end(), !(s.lhs < s.rhs));
        // k is the (extra)-th nearest of i
        std::vector<std::pair<double, int>> by_distance;
        for (std::size_t q = 1; q < c.size(); ++q)
            by_distance.emplace_back(std::sqrt(sum_of_squares(numpy_delta(c[0], c[q], big))), static_cast<int>(q));
        std::sort(by_distance.begin(), by_distance.end());
        EXPECT_EQ(by_distance[static_cast<std::size_t>(extra)].second, 2);
        blocked += s.lhs < s.rhs;
        ++checked;
        all.insert(all.end(), c.begin(), c.end());
    }
    ASSERT_EQ(checked, 70);
    EXPECT_GT(blocked, 5);
    EXPECT_LT(blocked, 65);
    expect_same_lists(all, big, 30, "all together (cell-list path)");
}

TEST(RadSearch, FewerThanThirtyOthersAndNoLimit) {
    std::mt19937_64 rng(3);
    for (const std::size_t n : {2u, 3u, 7u, 29u, 30u, 31u, 45u}) {
        std::uniform_real_distribution<double> u(0.0, 9.0);
        Centres c(n);
        for (auto& p : c) p = {u(rng), u(rng), 0.8 * u(rng)};
        expect_same_lists(c, {9.0, 9.0, 7.2}, 30, "small box");
        expect_same_lists(c, {9.0, 9.0, 7.2}, 0, "small box, all candidates");
    }
}

TEST(RadSearch, DenseClusterInSparseBox) {
    // Search radius growth: a dense cluster plus sparse centres, some far outside the box.
    std::mt19937_64 rng(8);
    std::normal_distribution<double> cluster(12.0, 1.2);
    std::uniform_real_distribution<double> u(0.0, 50.0), far(-120.0, 170.0);
    Centres c;
    for (int i = 0; i < 300; ++i) c.push_back({cluster(rng), cluster(rng), cluster(rng)});
    for (int i = 0; i < 40; ++i) c.push_back({u(rng), u(rng), u(rng)});
    for (int i = 0; i < 10; ++i) c.push_back({far(rng), u(rng), far(rng)});
    expect_same_lists(c, {50.0, 55.0, 45.0}, 30, "cluster");
}
