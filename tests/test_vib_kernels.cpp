// Vibrational kernels on hand-made data with known answers.
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <numeric>
#include <set>
#include <numbers>
#include <random>

#include "core/error.hpp"
#include "entropy/vibrational.hpp"
#include "io/frame.hpp"
#include "kernels/axes.hpp"
#include "kernels/geometry.hpp"
#include "kernels/lapack_eigen.hpp"
#include "kernels/vibrational_frame.hpp"
#include "pass/partial_codec.hpp"

using namespace mcc;
using geom::Mat3;
using geom::Vec3;

TEST(VibGeometry, MinimumImageRoundsHalfToEven) {
    const Vec3 box{10.0, 10.0, 10.0};
    const Vec3 r = geom::min_image({5.0, 15.0, -4.0}, box);
    EXPECT_DOUBLE_EQ(r[0], 5.0);   // 0.5 -> 0 (half to even)
    EXPECT_DOUBLE_EQ(r[1], -5.0);  // 1.5 -> 2
    EXPECT_DOUBLE_EQ(r[2], -4.0);
    const Vec3 s = geom::min_image({7.0, -7.0, 26.0}, box);
    EXPECT_DOUBLE_EQ(s[0], -3.0);
    EXPECT_DOUBLE_EQ(s[1], 3.0);
    EXPECT_DOUBLE_EQ(s[2], -4.0);
}

TEST(VibGeometry, MakeWholeAcrossTheBoxAndBailOut) {
    // Chain 0-1-2 split across x = 0 / x = 20 in a 20 A cube.
    const std::vector<std::vector<int>> nb{{1}, {0, 2}, {1}};
    const auto g = geom::make_whole_group({0, 1, 2}, nb);
    const std::array<float, 6> dims{20.f, 20.f, 20.f, 90.f, 90.f, 90.f};
    std::vector<float> xyz{19.5f, 1.f, 1.f, 0.5f, 1.f, 1.f, 1.5f, 1.f, 1.f};
    std::vector<float> scratch;
    EXPECT_TRUE(geom::make_whole_inplace(g, xyz.data(), dims, scratch));
    EXPECT_FLOAT_EQ(xyz[0], 19.5f);
    EXPECT_NEAR(xyz[3], 20.5f, 1e-5);
    EXPECT_NEAR(xyz[6], 21.5f, 1e-5);
    // Now whole: MDAnalysis bails out and leaves the positions untouched.
    EXPECT_FALSE(geom::make_whole_inplace(g, xyz.data(), dims, scratch));
    // Disconnected group -> error.
    const auto broken = geom::make_whole_group({0, 2}, nb);
    std::vector<float> far{1.f, 1.f, 1.f, 5.f, 1.f, 1.f, 15.f, 1.f, 1.f};
    EXPECT_THROW(geom::whole_positions(broken, far.data(), dims, scratch), DataError);
}

// MDAnalysis make_whole (lib/_cutil.pyx) as written there, for an orthorhombic box: each round
// recomputes the set of placed but unexpanded atoms (a sorted set difference) and expands them
// in ascending order. whole_positions keeps that frontier instead; the parent that places an
// atom decides its rounding, so the two must agree bit for bit.
std::vector<float> reference_make_whole(const std::vector<std::vector<int>>& nb, const std::vector<float>& pos,
                                        const std::array<float, 6>& dims) {
    const std::size_t n = nb.size();
    std::vector<float> out = pos;
    float box[3], inverse_box[3];
    for (int i = 0; i < 3; ++i) {
        box[i] = dims[static_cast<std::size_t>(i)];
        inverse_box[i] = static_cast<float>(1.0 / static_cast<double>(box[i]));
    }
    std::set<std::size_t> refpoints{0}, done;
    std::size_t loops = 0;
    while (refpoints.size() < n && loops < n) {
        ++loops;
        std::vector<std::size_t> todo;
        std::set_difference(refpoints.begin(), refpoints.end(), done.begin(), done.end(), std::back_inserter(todo));
        for (std::size_t atom : todo) {
            for (int other_int : nb[atom]) {
                const auto other = static_cast<std::size_t>(other_int);
                if (refpoints.count(other)) continue;
                double vec[3];
                for (std::size_t k = 0; k < 3; ++k) {
                    vec[k] = static_cast<double>(pos[3 * other + k] - out[3 * atom + k]);
                    const double s = static_cast<double>(inverse_box[k]) * vec[k];
                    vec[k] = static_cast<double>(box[k]) * (s - std::round(s));
                    out[3 * other + k] = static_cast<float>(static_cast<double>(out[3 * atom + k]) + vec[k]);
                }
                refpoints.insert(other);
            }
            done.insert(atom);
        }
    }
    return out;
}

TEST(VibGeometry, MakeWholeExpandsInTheReferenceRoundOrder) {
    // Random connected graphs with rings (a random tree plus extra bonds), atoms scattered over
    // periodic images of a chain-like walk: an atom reachable from two parents in one round
    // gets different float32 roundings from each, so any change of expansion order shows.
    std::mt19937 rng(20261125);
    const std::array<float, 6> dims{23.7f, 19.1f, 31.3f, 90.f, 90.f, 90.f};
    int checked = 0;
    for (int trial = 0; trial < 200; ++trial) {
        const std::size_t n = 2 + rng() % 300;
        std::vector<std::vector<int>> nb(n);
        auto bond = [&](std::size_t a, std::size_t b) {
            if (a == b || std::find(nb[a].begin(), nb[a].end(), static_cast<int>(b)) != nb[a].end()) return;
            nb[a].push_back(static_cast<int>(b));
            nb[b].push_back(static_cast<int>(a));
        };
        std::vector<float> pos(3 * n);
        std::uniform_real_distribution<float> step(-1.5f, 1.5f);
        std::uniform_int_distribution<int> image(-1, 1);
        std::vector<float> walk(3 * n);
        for (std::size_t i = 1; i < n; ++i) {
            const std::size_t parent = rng() % i;
            bond(parent, i);
            for (std::size_t k = 0; k < 3; ++k) walk[3 * i + k] = walk[3 * parent + k] + step(rng);
        }
        for (std::size_t extra = 0; extra < n / 5; ++extra) bond(rng() % n, rng() % n);
        for (auto& list : nb) std::sort(list.begin(), list.end());
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t k = 0; k < 3; ++k)
                pos[3 * i + k] = walk[3 * i + k] + static_cast<float>(image(rng)) * dims[k] + 0.1234567f;
        std::vector<int> atoms(n);
        std::iota(atoms.begin(), atoms.end(), 0);
        const auto g = geom::make_whole_group(atoms, nb);
        std::vector<float> out;
        if (!geom::whole_positions(g, pos.data(), dims, out)) continue;
        const auto expected = reference_make_whole(nb, pos, dims);
        ASSERT_EQ(out.size(), expected.size());
        for (std::size_t i = 0; i < out.size(); ++i)
            ASSERT_EQ(std::bit_cast<std::uint32_t>(out[i]), std::bit_cast<std::uint32_t>(expected[i]))
                << "trial " << trial << " value " << i;
        ++checked;
    }
    EXPECT_GT(checked, 150);
}

TEST(VibGeometry, MakeWholeTriclinicBox) {
    const std::vector<std::vector<int>> nb{{1}, {0}};
    const auto g = geom::make_whole_group({0, 1}, nb);
    const std::array<float, 6> dims{20.f, 20.f, 20.f, 60.f, 60.f, 90.f};
    std::vector<float> xyz{0.5f, 0.5f, 0.5f, 19.5f, 0.5f, 0.5f}, out;
    geom::whole_positions(g, xyz.data(), dims, out);
    EXPECT_NEAR(out[3], -0.5f, 1e-5);  // nearest image through the x face
}

// The peptide's rhombic-dodecahedron box (alpha = beta = 60). Expected values below were
// produced with MDAnalysis 2.4.2 (apply_PBC, make_whole, moment_of_inertia(unwrap=True)).
const std::array<float, 6> kDodecahedron{36.153175f, 36.153175f, 36.15312f, 60.000042f, 60.000042f, 90.f};

TEST(VibGeometry, TriclinicWrapMatchesMDAnalysisApplyPBC) {
    const auto tri = box_vectors_from_dimensions(kDodecahedron);
    EXPECT_EQ(tri[6], 18.0765362f);
    EXPECT_EQ(tri[8], 25.5641479f);
    struct Case {
        std::array<float, 3> in, out;
    };
    const Case cases[] = {
        {{-1.25f, 3.5f, 27.f}, {16.8266392f, 21.5766392f, 1.43585205f}},     // one c shift
        {{40.f, -20.f, -30.f}, {39.9999008f, 16.1530724f, 21.1282959f}},     // multi-box shift
        {{-100.f, 80.f, 60.f}, {8.45962524f, 7.69375229f, 8.8717041f}},      // multi-box shift
        {{10.f, 10.f, 10.f}, {10.f, 10.f, 10.f}},                            // inside
    };
    for (const Case& c : cases) {
        float p[3] = {c.in[0], c.in[1], c.in[2]};
        geom::mda_wrap_triclinic(p, tri);
        for (int k = 0; k < 3; ++k) EXPECT_EQ(p[k], c.out[static_cast<std::size_t>(k)]) << c.in[0] << " axis " << k;
    }
}

// A TIP3P-like water whose O sits above the top c face (COM outside the primary cell), with
// H2 stored one c vector lower (split across the boundary).
TEST(VibGeometry, TriclinicUnwrapShiftedMomentsOfAWaterOutsideTheCell) {
    const std::vector<std::vector<int>> nb{{1, 2}, {0}, {0}};
    const auto g = geom::make_whole_group({0, 1, 2}, nb);
    const std::vector<double> masses{15.9994, 1.008, 1.008};
    const std::vector<float> stored{-1.10000002f, 2.29999995f, 26.f, -0.142800033f, 2.29999995f, 26.f,
                                    -19.4165363f, -14.8495359f, 0.435852051f};
    std::vector<float> whole;
    ASSERT_TRUE(geom::whole_positions(g, stored.data(), kDodecahedron, whole));
    // MDAnalysis subtracts float32 positions in float32: a double subtraction would give
    // (-1.3400002, 3.2270002) here.
    const float expected_whole[9] = {-1.10000002f, 2.29999995f, 26.f, -0.142800033f, 2.29999995f, 26.f,
                                     -1.33999979f, 3.227f, 26.f};
    for (int i = 0; i < 9; ++i) EXPECT_EQ(whole[static_cast<std::size_t>(i)], expected_whole[i]) << i;

    const Vec3 com = geom::center_of_mass(whole.data(), masses.data(), 3);
    EXPECT_DOUBLE_EQ(com[0], -1.0598711440285733);
    EXPECT_DOUBLE_EQ(com[1], 2.35186757924339);
    EXPECT_DOUBLE_EQ(com[2], 26.0);

    // Without the shift: the rigid water's tensor about its COM.
    const Mat3 plain = geom::mda_inertia_tensor(whole.data(), masses.data(), 3, com);
    const double plain_ref[9] = {0.8177377746723176, 0.26175670641461857, 0.0, 0.26175670641461857,
                                 0.9526116811797966, 0.0, 0.0, 0.0, 1.7703494558521142};
    // With the shift (MDAnalysis moment_of_inertia(unwrap=True)): the whole water is moved by
    // -c so that its COM is in the cell, but the unshifted COM is subtracted.
    const Mat3 shifted = geom::mda_unwrapped_inertia_tensor(whole.data(), masses.data(), 3, com, kDodecahedron);
    const double shifted_ref[9] = {17661.14354275726,  -5886.538001329235, 8325.16622462098,
                                   -5886.538001329235, 17661.278688392224, 8325.166033805212,
                                   8325.16622462098,   8325.166033805212,  11775.369867506475};
    for (std::size_t r = 0; r < 3; ++r)
        for (std::size_t c = 0; c < 3; ++c) {
            EXPECT_NEAR(plain[r][c], plain_ref[3 * r + c], 1e-12);
            EXPECT_NEAR(shifted[r][c], shifted_ref[3 * r + c], 1e-12 * 17661.0);
        }
    // Moments as the vanilla axes report them (|lambda| descending).
    const auto plain_am = axes::vanilla_axes(plain);
    const auto shifted_am = axes::vanilla_axes(shifted);
    const double plain_moments[3] = {1.7703494558521142, 1.1554788455735243, 0.6148706102785897};
    const double shifted_moments[3] = {23548.58705860663, 23547.746403367135, 1.4586366821719956};
    for (std::size_t k = 0; k < 3; ++k) {
        EXPECT_NEAR(plain_am.moments[k], plain_moments[k], 1e-12);
        EXPECT_NEAR(shifted_am.moments[k], shifted_moments[k], 1e-9);
    }
    // Inside the cell nothing is shifted: both tensors agree bit for bit.
    std::vector<float> inside = whole;
    for (std::size_t i = 0; i < 3; ++i) {  // COM near (8.9, 12.4, 6): inside the cell
        inside[3 * i] += 10.f;
        inside[3 * i + 1] += 10.f;
        inside[3 * i + 2] -= 20.f;
    }
    const Vec3 com_in = geom::center_of_mass(inside.data(), masses.data(), 3);
    EXPECT_EQ(geom::mda_unwrapped_inertia_tensor(inside.data(), masses.data(), 3, com_in, kDodecahedron),
              geom::mda_inertia_tensor(inside.data(), masses.data(), 3, com_in));
}

TEST(VibGeometry, NumpySumIsPairwise) {
    std::vector<double> v(300);
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = 1.0 / static_cast<double>(i + 1);
    double exact = 0.0;
    for (double x : v) exact += x;
    EXPECT_NEAR(geom::numpy_sum(v), exact, 1e-12);
    EXPECT_EQ(geom::numpy_sum(v.data(), 0), 0.0);
}

TEST(VibLapack, EigenpairsOfKnownMatrices) {
    const Mat3 d{{{2.0, 0.0, 0.0}, {0.0, 5.0, 0.0}, {0.0, 0.0, 3.0}}};
    const auto e = lapack::eig3(d);
    EXPECT_FALSE(e.is_complex);
    EXPECT_DOUBLE_EQ(e.values[0].real(), 2.0);
    EXPECT_DOUBLE_EQ(e.values[1].real(), 5.0);
    EXPECT_DOUBLE_EQ(e.values[2].real(), 3.0);
    EXPECT_DOUBLE_EQ(std::abs(e.vectors[1][1].real()), 1.0);
    // A rotation by 90 degrees about z has eigenvalues 1, +-i.
    const Mat3 rot{{{0.0, -1.0, 0.0}, {1.0, 0.0, 0.0}, {0.0, 0.0, 1.0}}};
    const auto c = lapack::eig3(rot);
    EXPECT_TRUE(c.is_complex);
    int n_complex = 0;
    for (const auto& v : c.values)
        if (v.imag() != 0.0) {
            ++n_complex;
            EXPECT_NEAR(std::abs(v.imag()), 1.0, 1e-14);
        }
    EXPECT_EQ(n_complex, 2);
    const std::vector<double> m{4.0, 1.0, 1.0, 3.0};  // eigenvalues (7 +- sqrt 5) / 2
    auto ev = lapack::eigvals(m, 2);
    std::sort(ev.begin(), ev.end(), [](auto a, auto b) { return a.real() < b.real(); });
    EXPECT_NEAR(ev[0].real(), (7.0 - std::sqrt(5.0)) / 2.0, 1e-14);
    EXPECT_NEAR(ev[1].real(), (7.0 + std::sqrt(5.0)) / 2.0, 1e-14);
}

TEST(VibAxes, RigidRotorPrincipalAxesAndMoments) {
    // Masses on the axes: m=1 at +-1 x, m=2 at +-1 y, m=3 at +-1 z (COM at origin).
    const std::vector<float> p{1, 0, 0, -1, 0, 0, 0, 1, 0, 0, -1, 0, 0, 0, 1, 0, 0, -1};
    const std::vector<double> m{1, 1, 2, 2, 3, 3};
    const Vec3 com = geom::center_of_mass(p.data(), m.data(), 6);
    EXPECT_NEAR(std::abs(com[0]) + std::abs(com[1]) + std::abs(com[2]), 0.0, 1e-15);
    const Mat3 t = geom::mda_inertia_tensor(p.data(), m.data(), 6, com);
    // Ixx = 2*2 + 2*3 = 10, Iyy = 2 + 6 = 8, Izz = 2 + 4 = 6.
    EXPECT_DOUBLE_EQ(t[0][0], 10.0);
    EXPECT_DOUBLE_EQ(t[1][1], 8.0);
    EXPECT_DOUBLE_EQ(t[2][2], 6.0);
    const auto v = axes::vanilla_axes(t);
    EXPECT_DOUBLE_EQ(v.moments[0], 10.0);
    EXPECT_DOUBLE_EQ(v.moments[1], 8.0);
    EXPECT_DOUBLE_EQ(v.moments[2], 6.0);
    for (int k = 0; k < 3; ++k) EXPECT_DOUBLE_EQ(std::abs(v.axes[k][k]), 1.0);
    // MDA principal axes form a right-handed frame.
    EXPECT_GT(geom::dot(geom::cross(v.axes[0], v.axes[1]), v.axes[2]), 0.0);
    const auto c = axes::custom_principal_axes(t);
    EXPECT_GT(geom::dot(geom::cross(c.axes[0], c.axes[1]), c.axes[2]), 0.0);
}

TEST(VibAxes, BondedAxesAreLeftHandedWithOneHydrogenMomentDropped) {
    const float x[3] = {0, 0, 0}, h0[3] = {1.5f, 0, 0}, l0[3] = {-0.3f, 1.0f, 0};
    const Vec3 box{50, 50, 50};
    const auto a = axes::bonded_axes(x, {h0}, l0, {x, l0}, {12.0, 1.0}, box);
    EXPECT_NEAR(a.axes[0][0], 1.0, 1e-15);  // axis 1 along the heavy bond
    EXPECT_LT(geom::dot(geom::cross(a.axes[0], a.axes[1]), a.axes[2]), 0.0);
    // Axes x, z, y; H at (-0.3, 1, 0): moments 1, 1.09, 0.09 -> the smallest is dropped.
    EXPECT_NEAR(a.moments[0], 1.0, 1e-6);
    EXPECT_NEAR(a.moments[1], 1.09, 1e-6);
    EXPECT_EQ(a.moments[2], 0.0);
}

TEST(VibFrame, TorqueOfARigidRotorUnderAKnownForce) {
    // Two unit masses at +-1 x, force +1 y on the first: torque about z = 1 * phi.
    const std::vector<float> pos{1, 0, 0, -1, 0, 0}, f{0, 1, 0, 0, 0, 0};
    const Mat3 eye{{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}};
    const Vec3 t = vib::weighted_torque(eye, {0, 0, 0}, {2, 2, 4}, pos.data(), f.data(), {0, 1}, 0.5, {100, 100, 100});
    EXPECT_DOUBLE_EQ(t[0], 0.0);
    EXPECT_DOUBLE_EQ(t[1], 0.0);
    EXPECT_DOUBLE_EQ(t[2], 0.5 / 2.0);
    const Vec3 F = vib::weighted_force(eye, f.data(), {0, 1}, 4.0, 0.5);
    EXPECT_DOUBLE_EQ(F[1], 0.25);
}

TEST(VibEntropy, IsotropicRandomForcesGiveKnownEigenvalues) {
    // Covariance of isotropic unit-variance 3-vectors -> all eigenvalues ~1.
    std::mt19937 rng(7);
    std::normal_distribution<double> n01;
    std::vector<double> c(9, 0.0);
    const int n = 20000;
    for (int s = 0; s < n; ++s) {
        const double v[3] = {n01(rng), n01(rng), n01(rng)};
        for (int i = 0; i < 3; ++i)
            for (int j = 0; j < 3; ++j) c[static_cast<std::size_t>(3 * i + j)] += v[i] * v[j] / n;
    }
    for (const auto& ev : lapack::eigvals(c, 3)) EXPECT_NEAR(ev.real(), 1.0, 0.05);
}

TEST(VibEntropy, KnownEigenvaluesAgainstTheFormula) {
    const double T = 298.0;
    const std::vector<double> lambdas{0.5, 2.0, 40.0};  // raw (kJ/mol)^2 / (A^2 amu)
    std::vector<double> diag(9, 0.0);
    for (int i = 0; i < 3; ++i) diag[static_cast<std::size_t>(4 * i)] = lambdas[static_cast<std::size_t>(i)];
    // Independent evaluation of the harmonic-oscillator entropy.
    const double kT = 4.11e-21 * T / 298.0, h = 6.62607004081818e-34, R = 8.3144598484848;
    std::vector<double> s;
    for (double l : lambdas) {
        const double si = l * 1e29 / 6.0221415e23;
        const double nu = std::sqrt(si / kT) / (2.0 * std::numbers::pi);
        const double x = h * nu / kT;
        s.push_back(R * (x / std::expm1(x) - std::log(-std::expm1(-x))));
    }
    int invalid = -1;
    const double all = vibrational_entropy(diag, 3, VibMatrixKind::Torque, T, false, 0, invalid);
    EXPECT_EQ(invalid, 0);
    EXPECT_NEAR(all, s[0] + s[1] + s[2], 1e-10 * all);
    // Highest-level force: all modes; below the top: the 6 lowest dropped (only 3 -> 0).
    EXPECT_NEAR(vibrational_entropy(diag, 3, VibMatrixKind::Force, T, true, 0, invalid), all, 1e-10 * all);
    EXPECT_EQ(vibrational_entropy(diag, 3, VibMatrixKind::Force, T, false, 0, invalid), 0.0);
    // FT split by frequency rank: lowest frequency (smallest eigenvalue) = largest entropy.
    std::vector<double> six(36, 0.0);
    for (int i = 0; i < 3; ++i) six[static_cast<std::size_t>(7 * i)] = lambdas[static_cast<std::size_t>(i)];
    for (int i = 3; i < 6; ++i) six[static_cast<std::size_t>(7 * i)] = 100.0;
    const double tr = vibrational_entropy(six, 6, VibMatrixKind::ForceTorqueTrans, T, true, 0, invalid);
    EXPECT_NEAR(tr, all, 1e-10 * all);
    // Flexible dihedrals quarter the largest eigenvalue(s).
    std::vector<double> quartered = diag;
    quartered[8] = 10.0;
    const double expected = vibrational_entropy(quartered, 3, VibMatrixKind::Force, T, true, 0, invalid);
    EXPECT_NEAR(vibrational_entropy(diag, 3, VibMatrixKind::Force, T, true, 1, invalid), expected, 1e-12);
    // Invalid eigenvalues (negative, ~0) are excluded and counted.
    std::vector<double> bad{-1.0, 0, 0, 0, 1e-20, 0, 0, 0, 2.0};
    EXPECT_NEAR(vibrational_entropy(bad, 3, VibMatrixKind::Torque, T, true, 0, invalid), s[1], 1e-10 * s[1]);
    EXPECT_EQ(invalid, 2);
}

TEST(VibEntropy, ZeroRowsAndColumnsAreFiltered) {
    std::vector<double> m{1.0, 0.0, 0.5, 0.0, 1e-9, 0.0, 0.5, 0.0, 2.0};
    EXPECT_EQ(filter_zero_rows_columns(m, 3, 1e-8), 2u);
    EXPECT_EQ(m, (std::vector<double>{1.0, 0.5, 0.5, 2.0}));
}

TEST(VibPartial, ClearedPartialMergesLikeAFreshOne) {
    VibrationalPartial later;
    later.slots = {{{1.0, 2.0, 3.0, 4.0}, 2}, {{}, 0}};
    VibrationalPartial used;
    used.slots = {{{9.0, 9.0, 9.0, 9.0}, 5}, {{7.0}, 1}};
    used.clear();
    ASSERT_EQ(used.slots.size(), 2u);
    for (const auto& s : used.slots) EXPECT_EQ(s.count, 0);  // (the matrices keep their storage)
    // What it would send under MPI is what a fresh partial sends: no stale matrix entries.
    VibrationalPartial fresh;
    fresh.slots.resize(2);
    ByteWriter sent_used, sent_fresh;
    pack_vibrational_partial(used, sent_used);
    pack_vibrational_partial(fresh, sent_fresh);
    EXPECT_EQ(sent_used.bytes(), sent_fresh.bytes());
    used.merge(later);
    EXPECT_EQ(used.slots[0].mean, later.slots[0].mean);
    EXPECT_EQ(used.slots[0].count, 2);
    EXPECT_EQ(used.slots[1].count, 0);
}

// The merged matrices keep their upper triangle, row by row; the finish step restores the
// full symmetric matrix.
TEST(VibPartial, UpperTriangleUnpacksToTheSymmetricMatrix) {
    EXPECT_EQ(packed_size(3), 6u);
    EXPECT_EQ(packed_size(60), 1830u);
    EXPECT_EQ(unpack_symmetric({1, 2, 3, 4, 5, 6}, 3), (std::vector<double>{1, 2, 3, 2, 4, 5, 3, 5, 6}));
    EXPECT_EQ(unpack_symmetric({7}, 1), (std::vector<double>{7}));
    EXPECT_THROW(unpack_symmetric({1, 2, 3, 4}, 2), InternalError);
}
