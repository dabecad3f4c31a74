#include "kernels/axes.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <complex>

#include "core/error.hpp"

namespace mcc::axes {

namespace {

using cplx = std::complex<double>;
using lapack::CVec3;

// NumPy's ordering of complex numbers (real part first, then imaginary part).
bool less(const cplx& a, const cplx& b) {
    return a.real() < b.real() || (a.real() == b.real() && a.imag() < b.imag());
}

// np.argsort(keys)[::-1] for three keys (NumPy's small-array sort is a stable insertion sort).
template <typename Less>
std::array<int, 3> descending_order(Less lt) {
    std::array<int, 3> idx{0, 1, 2};
    for (int i = 1; i < 3; ++i) {
        const int v = idx[static_cast<std::size_t>(i)];
        int j = i;
        while (j > 0 && lt(v, idx[static_cast<std::size_t>(j - 1)])) {
            idx[static_cast<std::size_t>(j)] = idx[static_cast<std::size_t>(j - 1)];
            --j;
        }
        idx[static_cast<std::size_t>(j)] = v;
    }
    std::reverse(idx.begin(), idx.end());
    return idx;
}

CVec3 ccross(const CVec3& a, const CVec3& b) {
    return {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
}
cplx cdot(const CVec3& a, const CVec3& b) { return (a[0] * b[0] + a[1] * b[1]) + a[2] * b[2]; }

Mat3 real_rows(const std::array<CVec3, 3>& rows) {
    Mat3 m{};
    for (std::size_t r = 0; r < 3; ++r)
        for (std::size_t c = 0; c < 3; ++c) m[r][c] = rows[r][c].real();
    return m;
}

std::array<CVec3, 3> pick(const lapack::Eigen3& e, const std::array<int, 3>& order) {
    return {e.vectors[order[0]], e.vectors[order[1]], e.vectors[order[2]]};
}

std::array<int, 3> abs_descending(const lapack::Eigen3& e) {
    const double a[3] = {std::abs(e.values[0]), std::abs(e.values[1]), std::abs(e.values[2])};
    return descending_order([&](int x, int y) { return a[x] < a[y]; });
}

}  // namespace

Mat3 mda_principal_axes(const lapack::Eigen3& e) {
    const auto order = descending_order([&](int x, int y) { return less(e.values[x], e.values[y]); });
    auto rows = pick(e, order);
    if (less(cdot(ccross(rows[0], rows[1]), rows[2]), cplx(0.0, 0.0)))
        for (auto& row : rows)
            for (auto& v : row) v = -v;
    return real_rows(rows);
}

AxesMoments vanilla_axes(const Mat3& tensor) {
    const auto e = lapack::eig3(tensor);
    AxesMoments out;
    out.axes = mda_principal_axes(e);
    const auto order = abs_descending(e);
    for (std::size_t k = 0; k < 3; ++k) out.moments[k] = e.values[order[k]].real();
    return out;
}

AxesMoments custom_principal_axes(const Mat3& tensor) {
    const auto e = lapack::eig3(tensor);
    const auto order = abs_descending(e);
    auto rows = pick(e, order);
    if (less(cdot(ccross(rows[0], rows[1]), rows[2]), cplx(0.0, 0.0)))
        for (auto& v : rows[2]) v = -v;
    AxesMoments out;
    out.axes = real_rows(rows);
    for (std::size_t k = 0; k < 3; ++k) out.moments[k] = e.values[order[k]].real();
    return out;
}

AxesMoments bonded_axes(const float* heavy, const std::vector<const float*>& bonded_heavy,
                        const float* third, const std::vector<const float*>& ua_positions,
                        const std::vector<double>& ua_masses, const Vec3& box) {
    // axis 1: plain sum of the (float32, minimum-imaged) bond vectors to the heavy partners.
    Vec3 a1{0.0, 0.0, 0.0};
    for (const float* b : bonded_heavy) {
        const Vec3 ab = geom::min_image_f32(heavy, b, box);
        for (std::size_t k = 0; k < 3; ++k) a1[k] += ab[k];
    }
    if (std::fabs(a1[0]) <= 1e-8 && std::fabs(a1[1]) <= 1e-8 && std::fabs(a1[2]) <= 1e-8)
        throw_data("degenerate united-atom axes: bonded vectors sum to zero");
    Vec3 u;
    if (bonded_heavy.size() >= 2)
        u = geom::min_image_f32(bonded_heavy[1], bonded_heavy[0], box);  // h0 - h1
    else if (third == nullptr)
        u = geom::min_image({heavy[0], heavy[1], heavy[2]}, box);  // heavy atom - origin
    else
        u = geom::min_image_f32(third, heavy, box);  // heavy - light
    const Vec3 a2 = geom::cross(u, a1);
    const Vec3 a3 = geom::cross(a2, a1);
    std::array<Vec3, 3> rows{a1, a2, a3};
    auto normalise = [](std::array<Vec3, 3>& r, bool check) {
        for (auto& row : r) {
            const double sq[3] = {row[0] * row[0], row[1] * row[1], row[2] * row[2]};
            const double mod = std::sqrt(geom::numpy_sum(sq, 3));
            if (check && mod <= 1e-8)
                throw_data("degenerate united-atom axes: collinear bonded atoms");
            for (auto& v : row) v /= mod;
        }
    };
    normalise(rows, true);
    // Moments about the heavy atom from the heavy atom and its light partners.
    Vec3 moi{0.0, 0.0, 0.0};
    for (std::size_t j = 0; j < ua_positions.size(); ++j) {
        const Vec3 r = geom::min_image_f32(heavy, ua_positions[j], box);
        for (std::size_t k = 0; k < 3; ++k) {
            const Vec3 c = geom::cross(rows[k], r);
            const double terms[3] = {c[0] * c[0] * ua_masses[j], c[1] * c[1] * ua_masses[j],
                                     c[2] * c[2] * ua_masses[j]};
            moi[k] += geom::numpy_sum(terms, 3);
        }
    }
    if (ua_positions.size() == 2) {  // one hydrogen: drop the smallest moment
        std::size_t smallest = 0;
        for (std::size_t k = 1; k < 3; ++k)
            if (moi[k] < moi[smallest]) smallest = k;
        moi[smallest] = 0.0;
    }
    // The reference's "flip" never flips (its reference vector is zero); it re-normalises.
    normalise(rows, false);
    AxesMoments out;
    for (std::size_t k = 0; k < 3; ++k) out.axes[k] = rows[k];
    out.moments = moi;
    return out;
}

}  // namespace mcc::axes
