// Box matrix <-> MDAnalysis `dimensions`, computed the way MDAnalysis 2.4 does
// (lib/mdamath.py triclinic_box / triclinic_vectors): double-precision arithmetic on the
// float32 inputs, one rounding to float32 at the end, zeros for an invalid box.
#include <cmath>
#include <numbers>

#include "io/frame.hpp"

namespace mcc {

namespace {

double dot3(const double* a, const double* b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }

// numpy.rad2deg / deg2rad multiply by a constant computed once in double.
constexpr double kRadToDeg = 180.0 / std::numbers::pi;
constexpr double kDegToRad = std::numbers::pi / 180.0;

}  // namespace

std::array<float, 6> box_dimensions_from_vectors(const std::array<float, 9>& vectors) {
    double v[9];
    for (int i = 0; i < 9; ++i) v[i] = static_cast<double>(vectors[static_cast<std::size_t>(i)]);
    const double* x = v;
    const double* y = v + 3;
    const double* z = v + 6;
    const double lx = std::sqrt(dot3(x, x));
    const double ly = std::sqrt(dot3(y, y));
    const double lz = std::sqrt(dot3(z, z));
    const double alpha = std::acos(dot3(y, z) / (ly * lz)) * kRadToDeg;
    const double beta = std::acos(dot3(x, z) / (lx * lz)) * kRadToDeg;
    const double gamma = std::acos(dot3(x, y) / (lx * ly)) * kRadToDeg;
    const std::array<float, 6> box{static_cast<float>(lx),    static_cast<float>(ly),
                                   static_cast<float>(lz),    static_cast<float>(alpha),
                                   static_cast<float>(beta),  static_cast<float>(gamma)};
    bool valid = alpha < 180.0 && beta < 180.0 && gamma < 180.0;
    for (float b : box) valid = valid && b > 0.0f;  // also rejects NaN (degenerate vectors)
    if (valid) return box;
    return {};
}

std::array<float, 9> box_vectors_from_dimensions(const std::array<float, 6>& dimensions) {
    double d[6];
    for (int i = 0; i < 6; ++i) d[i] = static_cast<double>(dimensions[static_cast<std::size_t>(i)]);
    const double lx = d[0], ly = d[1], lz = d[2], alpha = d[3], beta = d[4], gamma = d[5];
    bool valid = alpha < 180.0 && beta < 180.0 && gamma < 180.0;
    for (double x : d) valid = valid && x > 0.0;
    std::array<float, 9> m{};
    if (!valid) return m;
    if (alpha == 90.0 && beta == 90.0 && gamma == 90.0) {
        m[0] = dimensions[0];
        m[4] = dimensions[1];
        m[8] = dimensions[2];
        return m;
    }
    // Exact values for right angles, as MDAnalysis does.
    const double cos_alpha = alpha == 90.0 ? 0.0 : std::cos(alpha * kDegToRad);
    const double cos_beta = beta == 90.0 ? 0.0 : std::cos(beta * kDegToRad);
    double cos_gamma = 0.0, sin_gamma = 1.0;
    if (gamma != 90.0) {
        const double g = gamma * kDegToRad;
        cos_gamma = std::cos(g);
        sin_gamma = std::sin(g);
    }
    const double m10 = ly * cos_gamma;
    const double m11 = ly * sin_gamma;
    const double m20 = lz * cos_beta;
    const double m21 = lz * (cos_alpha - cos_beta * cos_gamma) / sin_gamma;
    const double m22 = std::sqrt(lz * lz - m20 * m20 - m21 * m21);
    if (!(m22 > 0.0)) return m;  // impossible angle triplet
    m[0] = static_cast<float>(lx);
    m[3] = static_cast<float>(m10);
    m[4] = static_cast<float>(m11);
    m[6] = static_cast<float>(m20);
    m[7] = static_cast<float>(m21);
    m[8] = static_cast<float>(m22);
    return m;
}

}  // namespace mcc
