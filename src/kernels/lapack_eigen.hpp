// Eigen-decompositions through LAPACK dgeev, called exactly as NumPy 1.24 calls it
// (column-major copy of the mathematical matrix, workspace query first). The reference's
// axes depend on dgeev's eigenvector signs, and its near-zero eigenvalues on dgeev's
// arithmetic, so no other solver is used here. eig3 runs a bit-identical C++ transcription of
// dgeev's 3x3 path (kernels/dgeev3.hpp) and calls the library only for inputs it declines.
#pragma once
#include <array>
#include <complex>
#include <cstddef>
#include <vector>

#include "kernels/geometry.hpp"

namespace mcc::lapack {

// np.linalg.eig of a 3x3 matrix. When every imaginary part is zero `is_complex` is false and
// `vectors[j]` is the j-th right eigenvector (column j of VR). Otherwise eigenvalues are
// complex and the vectors are NumPy's complex vectors v_j = VR_j + i VR_j+1, v_j+1 = conj.
using CVec3 = std::array<std::complex<double>, 3>;
struct Eigen3 {
    std::complex<double> values[3];
    CVec3 vectors[3];  // NumPy's eigenvectors (complex only for complex eigenvalue pairs)
    bool is_complex = false;
};
Eigen3 eig3(const geom::Mat3& m);

// np.linalg.eigvals of an n x n row-major matrix (dgeev with jobvr = 'N').
std::vector<std::complex<double>> eigvals(const std::vector<double>& row_major, std::size_t n);

}  // namespace mcc::lapack
