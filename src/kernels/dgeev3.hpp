// A C++ transcription of the code path reference LAPACK 3.11 (with reference BLAS 3.11) takes in
// dgeev(jobvl = 'N', jobvr = 'V') for a 3x3 matrix and the queried workspace: dgebal('B'),
// dgehd2, dorghr/dorg2r, dlahqr (through dhseqr), dtrevc3 with the blocked back-transform,
// dgebak and dgeev's normalisation. Every floating-point operation is done in the Fortran order,
// so the results are bit-identical to the library's (checked by tests/test_lapack_eig3.cpp);
// it only saves the call overhead and the generality of the library.
#pragma once

namespace mcc::lapack::detail {

// Column-major 3x3 input `a` (not modified). Returns false, leaving the outputs unspecified,
// when the matrix needs a branch that is not transcribed (dgeev's global scaling of tiny or
// huge matrices, dlahqr not converging); the caller then calls the library.
bool dgeev3_port(const double a[9], double wr[3], double wi[3], double vr[9]);

// The library itself: dgeev_ with the queried workspace, as NumPy calls it. Throws
// mcc::DataError when dgeev reports failure.
void dgeev3_library(const double a[9], double wr[3], double wi[3], double vr[9]);

}  // namespace mcc::lapack::detail
