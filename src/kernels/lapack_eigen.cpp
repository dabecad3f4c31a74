#include "kernels/lapack_eigen.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>

#include "core/error.hpp"
#include "kernels/dgeev3.hpp"

extern "C" void dgeev_(const char* jobvl, const char* jobvr, const int* n, double* a,
                       const int* lda, double* wr, double* wi, double* vl, const int* ldvl,
                       double* vr, const int* ldvr, double* work, const int* lwork, int* info);

namespace mcc::lapack {

namespace {

// Runs dgeev on a column-major copy; returns wr, wi and (when wanted) VR.
void run_dgeev(std::vector<double>& a_colmajor, int n, bool vectors, std::vector<double>& wr,
               std::vector<double>& wi, std::vector<double>& vr) {
    const char jobvl = 'N';
    const char jobvr = vectors ? 'V' : 'N';
    wr.assign(static_cast<std::size_t>(n), 0.0);
    wi.assign(static_cast<std::size_t>(n), 0.0);
    vr.assign(vectors ? static_cast<std::size_t>(n) * static_cast<std::size_t>(n) : 1, 0.0);
    double vl_dummy = 0.0;
    const int ldvl = 1;
    const int ldvr = vectors ? n : 1;
    int info = 0;
    int lwork = -1;
    double query = 0.0;
    dgeev_(&jobvl, &jobvr, &n, a_colmajor.data(), &n, wr.data(), wi.data(), &vl_dummy, &ldvl,
           vr.data(), &ldvr, &query, &lwork, &info);
    if (info != 0) throw_data("LAPACK dgeev workspace query failed (info {})", info);
    lwork = static_cast<int>(query);
    if (lwork < 1) lwork = 1;
    std::vector<double> work(static_cast<std::size_t>(lwork));
    dgeev_(&jobvl, &jobvr, &n, a_colmajor.data(), &n, wr.data(), wi.data(), &vl_dummy, &ldvl,
           vr.data(), &ldvr, work.data(), &lwork, &info);
    if (info != 0)
        throw_data("eigenvalues did not converge (LAPACK dgeev info {}) for a {}x{} matrix", info,
                   n, n);
}

}  // namespace

namespace {

// The last few decompositions of this thread. The frame kernel often diagonalises the very
// same tensor twice in a row (e.g. a water's principal axes for the translation and again
// for its united atom); dgeev is deterministic, so the same input bits give the same output
// bits and the second call can be skipped. Inputs are compared bit for bit (so -0.0 and 0.0
// are different inputs, as they may be for dgeev).
struct Eig3Memo {
    static constexpr int capacity = 4;
    std::array<geom::Mat3, capacity> input{};
    std::array<Eigen3, capacity> output{};
    int size = 0, next = 0;

    const Eigen3* find(const geom::Mat3& m) const {
        for (int k = 0; k < size; ++k)
            if (std::memcmp(&input[static_cast<std::size_t>(k)], &m, sizeof m) == 0)
                return &output[static_cast<std::size_t>(k)];
        return nullptr;
    }
    void add(const geom::Mat3& m, const Eigen3& e) {
        input[static_cast<std::size_t>(next)] = m;
        output[static_cast<std::size_t>(next)] = e;
        next = (next + 1) % capacity;
        size = std::min(size + 1, capacity);
    }
};

Eigen3 dgeev3(const geom::Mat3& m);

}  // namespace

Eigen3 eig3(const geom::Mat3& m) {
    for (const auto& row : m)
        for (double v : row)
            if (!std::isfinite(v)) throw_data("non-finite value in an inertia tensor");
    thread_local Eig3Memo memo;
    if (const Eigen3* known = memo.find(m)) return *known;
    Eigen3 e = dgeev3(m);
    memo.add(m, e);
    return e;
}

namespace {

Eigen3 dgeev3(const geom::Mat3& m) {
    double a[9], wr[3], wi[3], vr[9];
    for (std::size_t r = 0; r < 3; ++r)
        for (std::size_t c = 0; c < 3; ++c) a[c * 3 + r] = m[r][c];
    // The transcription of dgeev's path gives the library's bits; the library itself handles
    // the branches it does not cover.
    if (!detail::dgeev3_port(a, wr, wi, vr)) detail::dgeev3_library(a, wr, wi, vr);
    Eigen3 e;
    for (std::size_t j = 0; j < 3; ++j) {
        e.values[j] = {wr[j], wi[j]};
        if (wi[j] != 0.0) e.is_complex = true;
    }
    for (std::size_t j = 0; j < 3; ++j) {
        if (wi[j] == 0.0) {
            for (std::size_t k = 0; k < 3; ++k) e.vectors[j][k] = {vr[j * 3 + k], 0.0};
        } else if (wi[j] > 0.0 && j + 1 < 3) {  // LAPACK stores a pair as Re, Im columns
            for (std::size_t k = 0; k < 3; ++k) {
                e.vectors[j][k] = {vr[j * 3 + k], vr[(j + 1) * 3 + k]};
                e.vectors[j + 1][k] = {vr[j * 3 + k], -vr[(j + 1) * 3 + k]};
            }
            ++j;
        }
    }
    return e;
}

}  // namespace

std::vector<std::complex<double>> eigvals(const std::vector<double>& row_major, std::size_t n) {
    std::vector<std::complex<double>> out;
    if (n == 0) return out;
    std::vector<double> a(n * n), wr, wi, vr;
    for (std::size_t r = 0; r < n; ++r)
        for (std::size_t c = 0; c < n; ++c) {
            const double v = row_major[r * n + c];
            if (!std::isfinite(v)) throw_data("non-finite value in a covariance matrix");
            a[c * n + r] = v;
        }
    run_dgeev(a, static_cast<int>(n), false, wr, wi, vr);
    out.resize(n);
    for (std::size_t j = 0; j < n; ++j) out[j] = {wr[j], wi[j]};
    return out;
}

}  // namespace mcc::lapack
