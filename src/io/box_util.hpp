// Box helpers for readers that get MDAnalysis-style dimensions (lengths + angles) from the
// file: the box vectors are computed as MDAnalysis' triclinic_vectors does (float64 maths,
// rounded to float32; invalid boxes give a zero matrix).
#pragma once
#include <array>
#include <cmath>
#include <numbers>

namespace mcc::boxutil {

inline std::array<float, 9> triclinic_vectors(const std::array<float, 6>& dims) {
    std::array<float, 9> m{};
    const double lx = dims[0], ly = dims[1], lz = dims[2];
    const double alpha = dims[3], beta = dims[4], gamma = dims[5];
    const bool positive = lx > 0 && ly > 0 && lz > 0 && alpha > 0 && beta > 0 && gamma > 0;
    if (!positive || !(alpha < 180.0 && beta < 180.0 && gamma < 180.0)) return m;
    if (alpha == 90.0 && beta == 90.0 && gamma == 90.0) {
        m[0] = dims[0];
        m[4] = dims[1];
        m[8] = dims[2];
        return m;
    }
    constexpr double deg = std::numbers::pi / 180.0;
    const double cos_alpha = alpha == 90.0 ? 0.0 : std::cos(alpha * deg);
    const double cos_beta = beta == 90.0 ? 0.0 : std::cos(beta * deg);
    const double cos_gamma = gamma == 90.0 ? 0.0 : std::cos(gamma * deg);
    const double sin_gamma = gamma == 90.0 ? 1.0 : std::sin(gamma * deg);
    const double bx = ly * cos_gamma, by = ly * sin_gamma;
    const double cx = lz * cos_beta;
    const double cy = lz * (cos_alpha - cos_beta * cos_gamma) / sin_gamma;
    const double cz = std::sqrt(lz * lz - cx * cx - cy * cy);
    if (!(cz > 0.0)) return m;
    m = {static_cast<float>(lx), 0.0f, 0.0f, static_cast<float>(bx), static_cast<float>(by), 0.0f,
         static_cast<float>(cx), static_cast<float>(cy), static_cast<float>(cz)};
    return m;
}

}  // namespace mcc::boxutil
