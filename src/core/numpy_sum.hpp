// NumPy's np.sum of a contiguous float64 array: pairwise summation in blocks of up to 128
// with an 8-way unrolled inner loop (numpy/core/src/umath/loops_utils.h). The reference's
// sums go through it, and the last bits matter where dgeev's eigenvector signs or exact
// entropy values depend on them, so every such sum here uses this one function.
#pragma once
#include <cstddef>
#include <vector>

namespace mcc {

namespace detail {

inline double numpy_pairwise(const double* a, std::size_t n) {
    if (n < 8) {
        double res = -0.0;  // NumPy starts from -0.0 so that a sum of -0.0 stays -0.0
        for (std::size_t i = 0; i < n; ++i) res += a[i];
        return res;
    }
    if (n <= 128) {
        double r[8];
        for (std::size_t j = 0; j < 8; ++j) r[j] = a[j];
        std::size_t i = 8;
        for (; i < n - (n % 8); i += 8)
            for (std::size_t j = 0; j < 8; ++j) r[j] += a[i + j];
        double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for (; i < n; ++i) res += a[i];
        return res;
    }
    std::size_t half = n / 2;
    half -= half % 8;
    return numpy_pairwise(a, half) + numpy_pairwise(a + half, n - half);
}

}  // namespace detail

inline double numpy_sum(const double* a, std::size_t n) { return n == 0 ? 0.0 : detail::numpy_pairwise(a, n); }

inline double numpy_sum(const std::vector<double>& v) { return numpy_sum(v.data(), v.size()); }

}  // namespace mcc
