// The C++ transcription of dgeev's 3x3 path (kernels/dgeev3.cpp) must give the library's
// results bit for bit: the reference's axes depend on dgeev's eigenvector signs and roundings.
// Every case compares wr, wi and VR of the port with a direct dgeev_ call by memcmp.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstring>
#include <random>
#include <string>

#include "core/error.hpp"
#include "kernels/dgeev3.hpp"
#include "kernels/lapack_eigen.hpp"

namespace {

using mcc::lapack::detail::dgeev3_library;
using mcc::lapack::detail::dgeev3_port;
using Col3 = std::array<double, 9>;  // column-major 3x3

struct Tally {
    long compared = 0, fallbacks = 0, mismatches = 0, complex_pairs = 0;
};

std::string show(const Col3& a) {
    std::string s;
    for (double v : a) s += std::to_string(v) + " ";
    return s;
}

// Compares the port with the library on `a`. A fallback (port declines) is counted, never
// a mismatch; `must_port` marks inputs the port has to handle itself.
void compare(const Col3& a, Tally& t, bool must_port = true) {
    double wr_lib[3], wi_lib[3], vr_lib[9], wr[3], wi[3], vr[9];
    dgeev3_library(a.data(), wr_lib, wi_lib, vr_lib);
    if (wi_lib[0] != 0.0 || wi_lib[1] != 0.0 || wi_lib[2] != 0.0) ++t.complex_pairs;
    if (!dgeev3_port(a.data(), wr, wi, vr)) {
        ++t.fallbacks;
        EXPECT_FALSE(must_port) << "port declined " << show(a);
        return;
    }
    ++t.compared;
    const bool same = std::memcmp(wr, wr_lib, sizeof wr) == 0 &&
                      std::memcmp(wi, wi_lib, sizeof wi) == 0 &&
                      std::memcmp(vr, vr_lib, sizeof vr) == 0;
    if (!same && ++t.mismatches <= 5) ADD_FAILURE() << "port differs from dgeev for " << show(a);
}

Col3 symmetric_from(const double q[9], const double d[3]) {
    Col3 s{};
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j <= i; ++j) {
            double v = 0.0;
            for (int k = 0; k < 3; ++k) v += q[i + 3 * k] * d[k] * q[j + 3 * k];
            s[static_cast<std::size_t>(i + 3 * j)] = v;
            s[static_cast<std::size_t>(j + 3 * i)] = v;
        }
    return s;
}

// A random orthogonal matrix (Gram-Schmidt of a random one), column-major.
void random_rotation(std::mt19937_64& rng, double q[9]) {
    std::uniform_real_distribution<double> u(-1.0, 1.0);
    for (int i = 0; i < 9; ++i) q[i] = u(rng);
    for (int c = 0; c < 3; ++c) {
        for (int p = 0; p < c; ++p) {
            double dot = 0.0;
            for (int r = 0; r < 3; ++r) dot += q[r + 3 * c] * q[r + 3 * p];
            for (int r = 0; r < 3; ++r) q[r + 3 * c] -= dot * q[r + 3 * p];
        }
        double norm = 0.0;
        for (int r = 0; r < 3; ++r) norm += q[r + 3 * c] * q[r + 3 * c];
        norm = std::sqrt(norm);
        for (int r = 0; r < 3; ++r) q[r + 3 * c] /= norm;
    }
}

// Inertia tensor of 2..8 random point masses (optionally collinear: a linear molecule).
Col3 inertia_tensor(std::mt19937_64& rng, bool linear, double extent) {
    std::uniform_real_distribution<double> u(-1.0, 1.0), mass(1.0, 32.0);
    Col3 t{};
    const int n = 2 + static_cast<int>(rng() % 7);
    const double dir[3] = {u(rng), u(rng), u(rng)};
    for (int p = 0; p < n; ++p) {
        const double m = mass(rng), s = extent * u(rng);
        double x[3];
        for (int k = 0; k < 3; ++k) x[k] = linear ? s * dir[k] : extent * u(rng);
        const double r2 = x[0] * x[0] + x[1] * x[1] + x[2] * x[2];
        for (int i = 0; i < 3; ++i)
            for (int j = 0; j < 3; ++j)
                t[static_cast<std::size_t>(i + 3 * j)] += m * ((i == j ? r2 : 0.0) - x[i] * x[j]);
    }
    return t;
}

TEST(LapackEig3, SymmetricInertiaTensorsMatchDgeevBitForBit) {
    std::mt19937_64 rng(20240611);
    std::uniform_real_distribution<double> u(-1.0, 1.0), decade(-2.0, 6.0);
    Tally t;
    for (int it = 0; it < 200000; ++it) {
        switch (it % 6) {
            case 0:
            case 1: {  // R diag(d) R^T, eigenvalues spread over up to 6 decades
                double q[9], d[3];
                random_rotation(rng, q);
                const double top = std::pow(10.0, decade(rng));
                for (double& v : d) v = top * std::pow(10.0, -3.0 * std::fabs(u(rng)));
                if (it % 12 == 1) d[1] = d[0] * (1.0 + 1e-13 * u(rng));  // near-degenerate
                if (it % 18 == 0) d[2] = d[1];                            // exactly degenerate
                if (it % 24 == 0) d[2] = 0.0;                             // rank deficient
                compare(symmetric_from(q, d), t);
                break;
            }
            case 2:  // molecule-like inertia tensors
                compare(inertia_tensor(rng, false, 0.5 + 3.0 * std::fabs(u(rng))), t);
                break;
            case 3:  // linear molecules: one zero (or rounding-level) moment
                compare(inertia_tensor(rng, true, 0.5 + 3.0 * std::fabs(u(rng))), t);
                break;
            case 4: {  // exactly diagonal, some zero diagonal entries, maybe one off-diagonal pair
                Col3 a{};
                for (int i = 0; i < 3; ++i)
                    a[static_cast<std::size_t>(4 * i)] = rng() % 4 == 0 ? 0.0 : std::pow(10.0, decade(rng));
                if (rng() % 2) {
                    const int i = static_cast<int>(rng() % 3), j = static_cast<int>((i + 1 + rng() % 2) % 3);
                    const double v = std::pow(10.0, decade(rng)) * u(rng);
                    a[static_cast<std::size_t>(i + 3 * j)] = v;
                    a[static_cast<std::size_t>(j + 3 * i)] = v;
                }
                compare(a, t);
                break;
            }
            default: {  // few-bit symmetric entries: exact ties and cancellations
                Col3 a{};
                const double scale = std::ldexp(1.0, static_cast<int>(rng() % 24) - 6);
                for (int i = 0; i < 3; ++i)
                    for (int j = 0; j <= i; ++j) {
                        const double v = scale * static_cast<double>(static_cast<int>(rng() % 17) - 8) / 4.0;
                        a[static_cast<std::size_t>(i + 3 * j)] = v;
                        a[static_cast<std::size_t>(j + 3 * i)] = v;
                    }
                compare(a, t);
                break;
            }
        }
    }
    EXPECT_EQ(t.mismatches, 0);
    EXPECT_EQ(t.fallbacks, 0);
    EXPECT_EQ(t.compared, 200000);
}

TEST(LapackEig3, NonSymmetricMatricesMatchDgeevBitForBit) {
    std::mt19937_64 rng(77);
    std::uniform_real_distribution<double> u(-1.0, 1.0), decade(-2.0, 6.0);
    Tally t;
    for (int it = 0; it < 60000; ++it) {
        Col3 a{};
        switch (it % 4) {
            case 0: {  // dense random
                const double m = std::pow(10.0, decade(rng));
                for (double& v : a) v = m * u(rng);
                break;
            }
            case 1: {  // perturbed rotations: complex eigenvalue pairs
                const double th = 3.0 * u(rng), c = std::cos(th), s = std::sin(th);
                const double m = std::pow(10.0, decade(rng));
                const double r[9] = {c, s, 0.0, -s, c, 0.0, 0.0, 0.0, 1.0};
                for (int i = 0; i < 9; ++i)
                    a[static_cast<std::size_t>(i)] = m * (r[i] + (rng() % 2 ? 0.3 * u(rng) : 0.0));
                break;
            }
            case 2:  // zeros (permutations) and entries over 24 decades (balancing scales)
                for (double& v : a) v = rng() % 3 == 0 ? 0.0 : std::pow(10.0, 12.0 * u(rng)) * u(rng);
                break;
            default:  // small integers: defective and exactly repeated eigenvalues
                for (double& v : a)
                    v = rng() % 3 == 0 ? 0.0 : static_cast<double>(static_cast<int>(rng() % 7) - 3);
                break;
        }
        compare(a, t);
    }
    EXPECT_EQ(t.mismatches, 0);
    EXPECT_EQ(t.fallbacks, 0);
    EXPECT_GT(t.complex_pairs, 10000);  // the complex-pair branches are exercised
}

TEST(LapackEig3, SpecialMatricesMatchDgeevBitForBit) {
    Tally t;
    compare(Col3{}, t);                                                      // zero
    compare(Col3{1, 0, 0, 0, 1, 0, 0, 0, 1}, t);                             // identity
    compare(Col3{-0.0, 0, 0, 0, -0.0, 0, 0, 0, -0.0}, t);                    // negative zeros
    compare(Col3{0, 0, 0, 0, 0, 0, 0, 0, 5}, t);                             // rank one
    compare(Col3{2, 0, 0, 0, 2, 0, 0, 0, 2}, t);                             // scalar
    compare(Col3{1, 1, 0, 0, 1, 1, 0, 0, 1}, t);                             // Jordan block
    compare(Col3{0, 1, 0, -1, 0, 0, 0, 0, 0}, t);                            // pure rotation
    const int perms[6][3] = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
    for (const auto& p : perms) {  // (scaled) permutation matrices, zero off-diagonals
        Col3 a{}, b{};
        for (int i = 0; i < 3; ++i) {
            a[static_cast<std::size_t>(i + 3 * p[i])] = 1.0;
            b[static_cast<std::size_t>(i + 3 * p[i])] = 1.5 + i;
        }
        compare(a, t);
        compare(b, t);
    }
    // Triangular and block-triangular: balancing isolates eigenvalues by permutation.
    compare(Col3{3, 0, 0, 1, 2, 0, 4, 5, 1}, t);
    compare(Col3{3, 1, 0, 1, 2, 0, 4, 5, 1}, t);
    compare(Col3{3, 0, 0, 0, 2, 7, 0, 1, 1}, t);
    // dgeev scales tiny or huge matrices first: the port declines, the library decides.
    compare(Col3{1e-300, 0, 0, 0, 2e-300, 0, 0, 0, 3e-300}, t, false);
    compare(Col3{1e300, 1, 0, 1, 2e300, 0, 0, 0, 3e200}, t, false);
    EXPECT_EQ(t.mismatches, 0);
    EXPECT_EQ(t.fallbacks, 2);
}

// Entries over the whole range the port accepts: tiny and subnormal entries next to normal
// ones (dnrm2's small-value branch and the boundaries of its middle range, 2^-511 and 2^486),
// matrices near dgeev's scaling thresholds (2^-459, 2^459; outside them the port declines),
// exact ties, zeros, symmetric and not.
TEST(LapackEig3, ExtremeScalesAndTiesMatchDgeevBitForBit) {
    std::mt19937_64 rng(991);
    std::uniform_real_distribution<double> u(-1.0, 1.0);
    const double tsml = std::ldexp(1.0, -511);
    const double special[] = {0.0, -0.0, 1.0, -1.0, 0.5, 3.0, tsml, -tsml,
                              std::nextafter(tsml, 0.0), std::nextafter(tsml, 1.0),
                              std::ldexp(1.0, -459), std::ldexp(1.0, 459), std::ldexp(1.0, 458),
                              std::ldexp(1.0, -600), std::ldexp(1.0, -1000), 4.9e-324, -4.9e-324,
                              std::ldexp(1.0, -1022), 1e-200, 1e150};
    constexpr int n_special = sizeof special / sizeof special[0];
    Tally t;
    long no_convergence = 0;
    for (int it = 0; it < 60000; ++it) {
        Col3 a{};
        const bool symmetric = it % 2 == 0;
        for (int j = 0; j < 3; ++j)
            for (int i = 0; i < 3; ++i) {
                if (symmetric && i < j) continue;
                double v;
                switch (rng() % 4) {
                    case 0: v = special[rng() % n_special]; break;
                    case 1: v = std::ldexp(u(rng), static_cast<int>(rng() % 920) - 460); break;
                    case 2: v = std::ldexp(u(rng), static_cast<int>(rng() % 100) - 560); break;
                    default: v = u(rng); break;
                }
                a[static_cast<std::size_t>(i + 3 * j)] = v;
                if (symmetric) a[static_cast<std::size_t>(j + 3 * i)] = v;
            }
        if (it % 8 == 1) {  // a tiny first Hessenberg reflector: (a21, a31) deep in the subnormals
            for (int i = 1; i < 3; ++i) {
                const double v = std::ldexp(u(rng), static_cast<int>(rng() % 80) - 1074);
                a[static_cast<std::size_t>(i)] = v;
                if (symmetric) a[static_cast<std::size_t>(3 * i)] = v;
            }
        }
        // Some of these defeat dgeev's QR iteration; the port must then decline as well.
        double wr[3], wi[3], vr[9];
        bool library_fails = false;
        try {
            dgeev3_library(a.data(), wr, wi, vr);
        } catch (const mcc::DataError&) {
            library_fails = true;
        }
        if (library_fails) {
            ++no_convergence;
            EXPECT_FALSE(dgeev3_port(a.data(), wr, wi, vr)) << "port converged: " << show(a);
            continue;
        }
        compare(a, t, false);
    }
    EXPECT_EQ(t.mismatches, 0);
    EXPECT_LT(no_convergence, 100);
    EXPECT_GT(t.compared, 40000);  // most are inside the ported range
}

// The public eig3 (port + fallback + memo) gives exactly the library's values and vectors.
TEST(LapackEig3, Eig3FieldsAreTheLibrarys) {
    std::mt19937_64 rng(5);
    std::uniform_real_distribution<double> u(-1.0, 1.0);
    for (int it = 0; it < 2000; ++it) {
        mcc::geom::Mat3 m{};
        for (auto& row : m)
            for (double& v : row) v = 10.0 * u(rng);
        if (it % 2 == 0)
            for (std::size_t i = 0; i < 3; ++i)
                for (std::size_t j = 0; j < i; ++j) m[i][j] = m[j][i];
        double a[9], wr[3], wi[3], vr[9];
        for (std::size_t r = 0; r < 3; ++r)
            for (std::size_t c = 0; c < 3; ++c) a[c * 3 + r] = m[r][c];
        dgeev3_library(a, wr, wi, vr);
        for (int twice = 0; twice < 2; ++twice) {  // the second call is served by the memo
            const auto e = mcc::lapack::eig3(m);
            for (std::size_t j = 0; j < 3; ++j) {
                EXPECT_EQ(std::memcmp(&wr[j], &reinterpret_cast<const double*>(&e.values[j])[0], 8), 0);
                EXPECT_EQ(std::memcmp(&wi[j], &reinterpret_cast<const double*>(&e.values[j])[1], 8), 0);
            }
            EXPECT_EQ(e.is_complex, wi[0] != 0.0 || wi[1] != 0.0 || wi[2] != 0.0);
            for (std::size_t j = 0; j < 3; ++j) {
                const bool pair_first = wi[j] > 0.0, pair_second = j > 0 && wi[j] < 0.0;
                for (std::size_t k = 0; k < 3; ++k) {
                    double re = vr[j * 3 + k], im = 0.0;
                    if (pair_first) im = vr[(j + 1) * 3 + k];
                    if (pair_second) {
                        re = vr[(j - 1) * 3 + k];
                        im = -vr[j * 3 + k];
                    }
                    EXPECT_EQ(std::memcmp(&re, &reinterpret_cast<const double*>(&e.vectors[j][k])[0], 8), 0);
                    EXPECT_EQ(std::memcmp(&im, &reinterpret_cast<const double*>(&e.vectors[j][k])[1], 8), 0);
                }
            }
        }
    }
}

}  // namespace
