// Transcription of LAPACK 3.11's dgeev path for n = 3 (see dgeev3.hpp). Indices are 1-based
// like the Fortran (M(i, j) is row i, column j of a column-major 3x3), so every loop can be
// checked against the reference source line by line. Expressions keep the Fortran's
// evaluation order; the file must not be compiled with floating-point contraction or
// -ffast-math (GCC's default for ISO C++ is -ffp-contract=off; the pragma makes it explicit).
#include "kernels/dgeev3.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/error.hpp"

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("fp-contract=off")
#endif
#if defined(__clang__)
#pragma clang fp contract(off)
#endif

extern "C" void dgeev_(const char* jobvl, const char* jobvr, const int* n, double* a,
                       const int* lda, double* wr, double* wi, double* vl, const int* ldvl,
                       double* vr, const int* ldvr, double* work, const int* lwork, int* info);

namespace mcc::lapack::detail {

namespace {

constexpr int n3 = 3;

// The helpers are small and mostly called with constant sizes: inlined, their loops unroll and
// their index arithmetic folds (the operations and their order stay those of the Fortran).
#if defined(__GNUC__)
#define MCC_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define MCC_ALWAYS_INLINE inline
#endif

// dlamch constants of IEEE double as LAPACK 3.11 defines them.
constexpr double safe_min = 0x1p-1022;   // dlamch('S')
constexpr double precision = 0x1p-52;    // dlamch('P') = eps * radix
constexpr double epsilon = 0x1p-53;      // dlamch('E')
constexpr double overflow = 1.7976931348623157e308;  // dlamch('O')

// A column-major matrix with leading dimension 3, addressed 1-based. `p` may point inside a
// larger 3x3 (a trailing sub-block, as Fortran passes A(i, j)).
struct Mat {
    double* p;
    double& operator()(int i, int j) const { return p[(i - 1) + n3 * (j - 1)]; }
    double* at(int i, int j) const { return &p[(i - 1) + n3 * (j - 1)]; }
};

// ---- reference BLAS (only the strides used here) --------------------------------------------

// dnrm2.f90 (Blue's scaled sum of squares).
MCC_ALWAYS_INLINE double dnrm2(int n, const double* x, int incx) {
    constexpr double tsml = 0x1p-511, tbig = 0x1p486, ssml = 0x1p537, sbig = 0x1p-538;
    constexpr double max_n = overflow;
    if (n <= 0) return 0.0;
    if (n == 1) {
        // One entry in the middle range: the result is sqrt(x * x), which is |x| exactly in
        // binary floating point when x * x neither overflows nor underflows (true for
        // tsml <= |x| <= tbig). dlarfg of a 2-vector takes this path; it saves a sqrt.
        const double ax = std::fabs(x[0]);
        if (ax >= tsml && ax <= tbig) return ax;
    }
    double scl = 1.0, sumsq = 0.0, asml = 0.0, amed = 0.0, abig = 0.0;
    bool notbig = true;
    for (int i = 0; i < n; ++i) {
        const double ax = std::fabs(x[i * incx]);
        if (ax > tbig) {
            const double t = ax * sbig;
            abig = abig + t * t;
            notbig = false;
        } else if (ax < tsml) {
            if (notbig) {
                const double t = ax * ssml;
                asml = asml + t * t;
            }
        } else {
            amed = amed + ax * ax;
        }
    }
    if (abig > 0.0) {
        if (amed > 0.0 || amed > max_n || amed != amed) abig = abig + (amed * sbig) * sbig;
        scl = 1.0 / sbig;
        sumsq = abig;
    } else if (asml > 0.0) {
        if (amed > 0.0 || amed > max_n || amed != amed) {
            amed = std::sqrt(amed);
            asml = std::sqrt(asml) / ssml;
            double ymin, ymax;
            if (asml > amed) {
                ymin = amed;
                ymax = asml;
            } else {
                ymin = asml;
                ymax = amed;
            }
            scl = 1.0;
            const double q = ymin / ymax;
            sumsq = (ymax * ymax) * (1.0 + q * q);
        } else {
            scl = 1.0 / ssml;
            sumsq = asml;
        }
    } else {
        scl = 1.0;
        sumsq = amed;
    }
    return scl * std::sqrt(sumsq);
}

MCC_ALWAYS_INLINE void dscal(int n, double da, double* x, int incx) {
    if (n <= 0 || da == 1.0) return;
    for (int i = 0; i < n; ++i) x[i * incx] = da * x[i * incx];
}

// 1-based index of the first largest |x|.
MCC_ALWAYS_INLINE int idamax(int n, const double* x, int incx) {
    if (n < 1) return 0;
    int best = 1;
    double dmax = std::fabs(x[0]);
    for (int i = 2; i <= n; ++i) {
        const double v = std::fabs(x[(i - 1) * incx]);
        // Selects rather than a branch: which entry is largest is data-dependent.
        best = v > dmax ? i : best;
        dmax = v > dmax ? v : dmax;
    }
    return best;
}

MCC_ALWAYS_INLINE void daxpy(int n, double da, const double* x, double* y) {
    if (n <= 0 || da == 0.0) return;
    for (int i = 0; i < n; ++i) y[i] = y[i] + da * x[i];
}

MCC_ALWAYS_INLINE void drot(int n, double* x, int incx, double* y, int incy, double c, double s) {
    for (int i = 0; i < n; ++i) {
        double& xi = x[i * incx];
        double& yi = y[i * incy];
        const double t = c * xi + s * yi;
        yi = c * yi - s * xi;
        xi = t;
    }
}

MCC_ALWAYS_INLINE void dswap(int n, double* x, int incx, double* y, int incy) {
    for (int i = 0; i < n; ++i) std::swap(x[i * incx], y[i * incy]);
}

// y := A x (dgemv 'N', alpha 1, beta 0, unit strides), A is m x n.
MCC_ALWAYS_INLINE void dgemv_n(int m, int n, Mat a, const double* x, double* y) {
    if (m == 0 || n == 0) return;
    for (int i = 0; i < m; ++i) y[i] = 0.0;
    for (int j = 1; j <= n; ++j) {
        const double temp = x[j - 1];
        for (int i = 1; i <= m; ++i) y[i - 1] = y[i - 1] + temp * a(i, j);
    }
}

// y := A^T x (dgemv 'T', alpha 1, beta 0, unit strides), A is m x n.
MCC_ALWAYS_INLINE void dgemv_t(int m, int n, Mat a, const double* x, double* y) {
    if (m == 0 || n == 0) return;
    for (int j = 0; j < n; ++j) y[j] = 0.0;
    for (int j = 1; j <= n; ++j) {
        double temp = 0.0;
        for (int i = 1; i <= m; ++i) temp = temp + a(i, j) * x[i - 1];
        y[j - 1] = y[j - 1] + temp;
    }
}

// A := A + alpha x y^T (dger, unit strides), A is m x n.
MCC_ALWAYS_INLINE void dger(int m, int n, double alpha, const double* x, const double* y, Mat a) {
    if (m == 0 || n == 0 || alpha == 0.0) return;
    for (int j = 1; j <= n; ++j) {
        if (y[j - 1] != 0.0) {
            const double temp = alpha * y[j - 1];
            for (int i = 1; i <= m; ++i) a(i, j) = a(i, j) + x[i - 1] * temp;
        }
    }
}

// ---- LAPACK auxiliaries ---------------------------------------------------------------------

MCC_ALWAYS_INLINE double dlapy2(double x, double y) {
    // x, y are finite here (inputs are checked); the NaN branches of dlapy2 are not needed.
    const double xabs = std::fabs(x), yabs = std::fabs(y);
    const double w = std::max(xabs, yabs), z = std::min(xabs, yabs);
    if (z == 0.0 || w > overflow) return w;
    const double q = z / w;
    return w * std::sqrt(1.0 + q * q);
}

// Last non-zero column of the m x n matrix a (0 when none).
MCC_ALWAYS_INLINE int iladlc(int m, int n, Mat a) {
    if (n == 0) return 0;
    if (a(1, n) != 0.0 || a(m, n) != 0.0) return n;
    for (int c = n; c >= 1; --c)
        for (int i = 1; i <= m; ++i)
            if (a(i, c) != 0.0) return c;
    return 0;
}

// Last non-zero row of the m x n matrix a (0 when none).
MCC_ALWAYS_INLINE int iladlr(int m, int n, Mat a) {
    if (m == 0) return 0;
    if (a(m, 1) != 0.0 || a(m, n) != 0.0) return m;
    int last = 0;
    for (int j = 1; j <= n; ++j) {
        int i = m;
        while (i >= 1 && a(std::max(i, 1), j) == 0.0) --i;
        last = std::max(last, i);
    }
    return last;
}

// Elementary reflector H with H (alpha; x) = (beta; 0); alpha becomes beta.
MCC_ALWAYS_INLINE void dlarfg(int n, double& alpha, double* x, int incx, double& tau) {
    if (n <= 1) {
        tau = 0.0;
        return;
    }
    double xnorm = dnrm2(n - 1, x, incx);
    if (xnorm == 0.0) {
        tau = 0.0;
        return;
    }
    double beta = -std::copysign(dlapy2(alpha, xnorm), alpha);
    const double safmin = safe_min / epsilon;
    int knt = 0;
    if (std::fabs(beta) < safmin) {
        const double rsafmn = 1.0 / safmin;
        do {
            ++knt;
            dscal(n - 1, rsafmn, x, incx);
            beta = beta * rsafmn;
            alpha = alpha * rsafmn;
        } while (std::fabs(beta) < safmin && knt < 20);
        xnorm = dnrm2(n - 1, x, incx);
        beta = -std::copysign(dlapy2(alpha, xnorm), alpha);
    }
    tau = (beta - alpha) / beta;
    dscal(n - 1, 1.0 / (alpha - beta), x, incx);
    for (int j = 1; j <= knt; ++j) beta = beta * safmin;
    alpha = beta;
}

// C := H C (left) or C H (right), H = I - tau v v^T, v with unit stride; C is m x n.
MCC_ALWAYS_INLINE void dlarf(bool left, int m, int n, const double* v, double tau, Mat c, double* work) {
    int lastv = 0, lastc = 0;
    if (tau != 0.0) {
        lastv = left ? m : n;
        while (lastv > 0 && v[lastv - 1] == 0.0) --lastv;
        lastc = left ? iladlc(lastv, n, c) : iladlr(m, lastv, c);
    }
    if (lastv <= 0) return;
    if (lastv == (left ? m : n) && lastc == (left ? n : m)) {
        // The usual case, spelled with the (constant) full sizes so the loops unroll.
        if (left) {
            dgemv_t(m, n, c, v, work);
            dger(m, n, -tau, v, work, c);
        } else {
            dgemv_n(m, n, c, v, work);
            dger(m, n, -tau, work, v, c);
        }
        return;
    }
    if (left) {
        dgemv_t(lastv, lastc, c, v, work);
        dger(lastv, lastc, -tau, v, work, c);
    } else {
        dgemv_n(lastc, lastv, c, v, work);
        dger(lastc, lastv, -tau, work, v, c);
    }
}

// Robust complex division (a + ib) / (c + id) = p + iq.
double dladiv2(double a, double b, double c, double d, double r, double t) {
    if (r != 0.0) {
        const double br = b * r;
        if (br != 0.0) return (a + br) * t;
        return a * t + (b * t) * r;
    }
    return (a + d * (b / c)) * t;
}

void dladiv1(double a, double b, double c, double d, double& p, double& q) {
    const double r = d / c;
    const double t = 1.0 / (c + d * r);
    p = dladiv2(a, b, c, d, r, t);
    a = -a;
    q = dladiv2(b, a, c, d, r, t);
}

void dladiv(double a, double b, double c, double d, double& p, double& q) {
    constexpr double bs = 2.0;
    double aa = a, bb = b, cc = c, dd = d;
    const double ab = std::max(std::fabs(a), std::fabs(b));
    const double cd = std::max(std::fabs(c), std::fabs(d));
    double s = 1.0;
    const double ov = overflow, un = safe_min, eps = epsilon;
    const double be = bs / (eps * eps);
    if (ab >= 0.5 * ov) {
        aa = 0.5 * aa;
        bb = 0.5 * bb;
        s = 2.0 * s;
    }
    if (cd >= 0.5 * ov) {
        cc = 0.5 * cc;
        dd = 0.5 * dd;
        s = 0.5 * s;
    }
    if (ab <= un * bs / eps) {
        aa = aa * be;
        bb = bb * be;
        s = s / be;
    }
    if (cd <= un * bs / eps) {
        cc = cc * be;
        dd = dd * be;
        s = s * be;
    }
    if (std::fabs(d) <= std::fabs(c)) {
        dladiv1(aa, bb, cc, dd, p, q);
    } else {
        dladiv1(bb, aa, dd, cc, p, q);
        q = -q;
    }
    p = p * s;
    q = q * s;
}

// dlanv2's power-of-two scaling threshold, computed as the Fortran does (runtime logs).
double dlanv2_safmn2() {
    static const double v = [] {
        const double e = std::log(safe_min / precision) / std::log(2.0) / 2.0;
        return std::pow(2.0, static_cast<int>(e));
    }();
    return v;
}

// Schur factorisation of a real 2x2 nonsymmetric matrix in standardised form.
MCC_ALWAYS_INLINE void dlanv2(double& a, double& b, double& c, double& d, double& rt1r, double& rt1i, double& rt2r,
            double& rt2i, double& cs, double& sn) {
    constexpr double multpl = 4.0;
    const double eps = precision;
    const double safmn2 = dlanv2_safmn2();
    const double safmx2 = 1.0 / safmn2;
    if (c == 0.0) {
        cs = 1.0;
        sn = 0.0;
    } else if (b == 0.0) {
        cs = 0.0;
        sn = 1.0;
        const double temp = d;
        d = a;
        a = temp;
        b = -c;
        c = 0.0;
    } else if ((a - d) == 0.0 && std::copysign(1.0, b) != std::copysign(1.0, c)) {
        cs = 1.0;
        sn = 0.0;
    } else {
        double temp = a - d;
        double p = 0.5 * temp;
        const double bcmax = std::max(std::fabs(b), std::fabs(c));
        const double bcmis =
            std::min(std::fabs(b), std::fabs(c)) * std::copysign(1.0, b) * std::copysign(1.0, c);
        double scale = std::max(std::fabs(p), bcmax);
        double z = (p / scale) * p + (bcmax / scale) * bcmis;
        if (z >= multpl * eps) {
            // Real eigenvalues.
            z = p + std::copysign(std::sqrt(scale) * std::sqrt(z), p);
            a = d + z;
            d = d - (bcmax / z) * bcmis;
            const double tau = dlapy2(c, z);
            cs = z / tau;
            sn = c / tau;
            b = b - c;
            c = 0.0;
        } else {
            // Complex or almost equal real eigenvalues: make the diagonal equal.
            int count = 0;
            double sigma = b + c;
            for (;;) {
                ++count;
                scale = std::max(std::fabs(temp), std::fabs(sigma));
                if (scale >= safmx2) {
                    sigma = sigma * safmn2;
                    temp = temp * safmn2;
                    if (count <= 20) continue;
                }
                if (scale <= safmn2) {
                    sigma = sigma * safmx2;
                    temp = temp * safmx2;
                    if (count <= 20) continue;
                }
                break;
            }
            p = 0.5 * temp;
            double tau = dlapy2(sigma, temp);
            cs = std::sqrt(0.5 * (1.0 + std::fabs(sigma) / tau));
            sn = -(p / (tau * cs)) * std::copysign(1.0, sigma);
            // [aa bb; cc dd] := [a b; c d] [cs -sn; sn cs]
            const double aa = a * cs + b * sn;
            const double bb = -a * sn + b * cs;
            const double cc = c * cs + d * sn;
            const double dd = -c * sn + d * cs;
            // [a b; c d] := [cs sn; -sn cs] [aa bb; cc dd]
            a = aa * cs + cc * sn;
            b = bb * cs + dd * sn;
            c = -aa * sn + cc * cs;
            d = -bb * sn + dd * cs;
            temp = 0.5 * (a + d);
            a = temp;
            d = temp;
            if (c != 0.0) {
                if (b != 0.0) {
                    if (std::copysign(1.0, b) == std::copysign(1.0, c)) {
                        // Real eigenvalues: reduce to upper triangular form.
                        const double sab = std::sqrt(std::fabs(b));
                        const double sac = std::sqrt(std::fabs(c));
                        p = std::copysign(sab * sac, c);
                        tau = 1.0 / std::sqrt(std::fabs(b + c));
                        a = temp + p;
                        d = temp - p;
                        b = b - c;
                        c = 0.0;
                        const double cs1 = sab * tau;
                        const double sn1 = sac * tau;
                        temp = cs * cs1 - sn * sn1;
                        sn = cs * sn1 + sn * cs1;
                        cs = temp;
                    }
                } else {
                    b = -c;
                    c = 0.0;
                    temp = cs;
                    cs = -sn;
                    sn = temp;
                }
            }
        }
    }
    rt1r = a;
    rt2r = d;
    if (c == 0.0) {
        rt1i = 0.0;
        rt2i = 0.0;
    } else {
        rt1i = std::sqrt(std::fabs(b)) * std::sqrt(std::fabs(c));
        rt2i = -rt1i;
    }
}

// dlartg.f90 (LAPACK 3.10+): plane rotation with c f + s g = r, -s f + c g = 0.
void dlartg(double f, double g, double& c, double& s, double& r) {
    constexpr double safmin = 0x1p-1022, safmax = 0x1p1022;
    static const double rtmin = std::sqrt(safmin);
    static const double rtmax = std::sqrt(safmax / 2.0);
    const double f1 = std::fabs(f), g1 = std::fabs(g);
    if (g == 0.0) {
        c = 1.0;
        s = 0.0;
        r = f;
    } else if (f == 0.0) {
        c = 0.0;
        s = std::copysign(1.0, g);
        r = g1;
    } else if (f1 > rtmin && f1 < rtmax && g1 > rtmin && g1 < rtmax) {
        const double d = std::sqrt(f * f + g * g);
        c = f1 / d;
        r = std::copysign(d, f);
        s = g / r;
    } else {
        const double u = std::min(safmax, std::max(safmin, std::max(f1, g1)));
        const double fs = f / u, gs = g / u;
        const double d = std::sqrt(fs * fs + gs * gs);
        c = std::fabs(fs) / d;
        r = std::copysign(d, f);
        s = gs / r;
        r = r * u;
    }
}

// Solves (T - w) x = s b for a 1x1 or 2x2 block T (dlaln2 with ltrans false, ca = d1 = d2 = 1),
// real (nw = 1) or complex (nw = 2, only with na = 1) shifts. x and b are 2x2 column-major.
void dlaln2(int na, int nw, double smin, const double* t_block, double b[4], double wr,
            double wi, double x[4], double& scale, double& xnorm) {
    constexpr double smlnum = 2.0 * safe_min;
    constexpr double bignum = 1.0 / smlnum;
    const double smini = std::max(smin, smlnum);
    scale = 1.0;
    auto T = [&](int i, int j) { return t_block[(i - 1) + n3 * (j - 1)]; };
    auto B = [&](int i, int j) { return b[(i - 1) + 2 * (j - 1)]; };
    auto X = [&](int i, int j) -> double& { return x[(i - 1) + 2 * (j - 1)]; };
    if (na == 1) {
        if (nw == 1) {
            double csr = 1.0 * T(1, 1) - wr * 1.0;
            double cnorm = std::fabs(csr);
            if (cnorm < smini) {
                csr = smini;
                cnorm = smini;
            }
            const double bnorm = std::fabs(B(1, 1));
            if ((cnorm < 1.0) & (bnorm > 1.0) & (bnorm > bignum * cnorm)) scale = 1.0 / bnorm;
            X(1, 1) = (B(1, 1) * scale) / csr;
            xnorm = std::fabs(X(1, 1));
        } else {
            double csr = 1.0 * T(1, 1) - wr * 1.0;
            double csi = -wi * 1.0;
            double cnorm = std::fabs(csr) + std::fabs(csi);
            if (cnorm < smini) {
                csr = smini;
                csi = 0.0;
                cnorm = smini;
            }
            const double bnorm = std::fabs(B(1, 1)) + std::fabs(B(1, 2));
            if ((cnorm < 1.0) & (bnorm > 1.0) & (bnorm > bignum * cnorm)) scale = 1.0 / bnorm;
            dladiv(scale * B(1, 1), scale * B(1, 2), csr, csi, X(1, 1), X(1, 2));
            xnorm = std::fabs(X(1, 1)) + std::fabs(X(1, 2));
        }
        return;
    }
    // na == 2, nw == 1 (the 2x2 complex system cannot occur for n = 3).
    static constexpr bool zswap[4] = {false, false, true, true};
    static constexpr bool rswap[4] = {false, true, false, true};
    static constexpr int ipivot[4][4] = {{1, 2, 3, 4}, {2, 1, 4, 3}, {3, 4, 1, 2}, {4, 3, 2, 1}};
    double crv[4];  // CR(1,1), CR(2,1), CR(1,2), CR(2,2)
    crv[0] = 1.0 * T(1, 1) - wr * 1.0;
    crv[3] = 1.0 * T(2, 2) - wr * 1.0;
    crv[1] = 1.0 * T(2, 1);
    crv[2] = 1.0 * T(1, 2);
    double cmax = 0.0;
    int icmax = 0;
    for (int j = 1; j <= 4; ++j) {
        if (std::fabs(crv[j - 1]) > cmax) {
            cmax = std::fabs(crv[j - 1]);
            icmax = j;
        }
    }
    if (cmax < smini) {
        const double bnorm = std::max(std::fabs(B(1, 1)), std::fabs(B(2, 1)));
        if (smini < 1.0 && bnorm > 1.0) {
            if (bnorm > bignum * smini) scale = 1.0 / bnorm;
        }
        const double temp = scale / smini;
        X(1, 1) = temp * B(1, 1);
        X(2, 1) = temp * B(2, 1);
        xnorm = temp * bnorm;
        return;
    }
    const int* piv = ipivot[icmax - 1];  // IPIVOT(:, ICMAX)
    const double ur11 = crv[icmax - 1];
    const double cr21 = crv[piv[1] - 1];
    const double ur12 = crv[piv[2] - 1];
    const double cr22 = crv[piv[3] - 1];
    const double ur11r = 1.0 / ur11;
    const double lr21 = ur11r * cr21;
    double ur22 = cr22 - ur12 * lr21;
    if (std::fabs(ur22) < smini) ur22 = smini;
    double br1, br2;
    if (rswap[icmax - 1]) {
        br1 = B(2, 1);
        br2 = B(1, 1);
    } else {
        br1 = B(1, 1);
        br2 = B(2, 1);
    }
    br2 = br2 - lr21 * br1;
    const double bbnd = std::max(std::fabs(br1 * (ur22 * ur11r)), std::fabs(br2));
    if (bbnd > 1.0 && std::fabs(ur22) < 1.0) {
        if (bbnd >= bignum * std::fabs(ur22)) scale = 1.0 / bbnd;
    }
    const double xr2 = (br2 * scale) / ur22;
    const double xr1 = (scale * br1) * ur11r - xr2 * (ur11r * ur12);
    if (zswap[icmax - 1]) {
        X(1, 1) = xr2;
        X(2, 1) = xr1;
    } else {
        X(1, 1) = xr1;
        X(2, 1) = xr2;
    }
    xnorm = std::max(std::fabs(xr1), std::fabs(xr2));
    if (xnorm > 1.0 && cmax > 1.0) {
        if (xnorm > bignum / cmax) {
            const double temp = cmax / bignum;
            X(1, 1) = temp * X(1, 1);
            X(2, 1) = temp * X(2, 1);
            xnorm = temp * xnorm;
            scale = temp * scale;
        }
    }
}

// ---- the dgeev stages -----------------------------------------------------------------------

// dgebal('B'): permutations isolating eigenvalues, then power-of-two scaling. Returns false on
// dgebal's NaN error exit (cannot happen for finite input; kept as a fallback).
MCC_ALWAYS_INLINE bool dgebal(Mat a, int& ilo, int& ihi, double scale[3]) {
    const int n = n3;
    int k = 1, l = n;
    // Search for rows isolating an eigenvalue and push them down.
    bool restart = true;
    while (restart) {
        restart = false;
        for (int j = l; j >= 1; --j) {
            bool has_nonzero = false;
            for (int i = 1; i <= l; ++i) {
                if (i == j) continue;
                if (a(j, i) != 0.0) {
                    has_nonzero = true;
                    break;
                }
            }
            if (has_nonzero) continue;
            const int m = l;
            scale[m - 1] = j;
            if (j != m) {
                dswap(l, a.at(1, j), 1, a.at(1, m), 1);
                dswap(n - k + 1, a.at(j, k), n3, a.at(m, k), n3);
            }
            if (l == 1) {
                ilo = k;
                ihi = l;
                return true;
            }
            --l;
            restart = true;
            break;
        }
    }
    // Search for columns isolating an eigenvalue and push them left.
    restart = true;
    while (restart) {
        restart = false;
        for (int j = k; j <= l; ++j) {
            bool has_nonzero = false;
            for (int i = k; i <= l; ++i) {
                if (i == j) continue;
                if (a(i, j) != 0.0) {
                    has_nonzero = true;
                    break;
                }
            }
            if (has_nonzero) continue;
            const int m = k;
            scale[m - 1] = j;
            if (j != m) {
                dswap(l, a.at(1, j), 1, a.at(1, m), 1);
                dswap(n - k + 1, a.at(j, k), n3, a.at(m, k), n3);
            }
            ++k;
            restart = true;
            break;
        }
    }
    for (int i = k; i <= l; ++i) scale[i - 1] = 1.0;

    // Balance the submatrix in rows k to l. When that block is symmetric every row norm equals
    // its column norm (the same values summed in the same order), so dgebal's test
    // c + r >= 0.95 (c + r) leaves every row unscaled: the loop below would change nothing.
    bool symmetric = true;
    for (int i = k; i <= l && symmetric; ++i)
        for (int j = k; j < i; ++j)
            if (a(i, j) != a(j, i)) {
                symmetric = false;
                break;
            }
    if (symmetric) {
        ilo = k;
        ihi = l;
        return true;
    }
    constexpr double sclfac = 2.0, factor = 0.95;
    const double sfmin1 = safe_min / precision;
    const double sfmax1 = 1.0 / sfmin1;
    const double sfmin2 = sfmin1 * sclfac;
    const double sfmax2 = 1.0 / sfmin2;
    bool noconv = true;
    while (noconv) {
        noconv = false;
        for (int i = k; i <= l; ++i) {
            double c = dnrm2(l - k + 1, a.at(k, i), 1);
            double r = dnrm2(l - k + 1, a.at(i, k), n3);
            const int ica = idamax(l, a.at(1, i), 1);
            double ca = std::fabs(a(ica, i));
            const int ira = idamax(n - k + 1, a.at(i, k), n3);
            double ra = std::fabs(a(i, ira + k - 1));
            if (c == 0.0 || r == 0.0) continue;
            double g = r / sclfac;
            double f = 1.0;
            const double s = c + r;
            while (!(c >= g || std::max(std::max(f, c), ca) >= sfmax2 ||
                     std::min(std::min(r, g), ra) <= sfmin2)) {
                const double sum = c + f + ca + r + g + ra;
                if (std::isnan(sum)) return false;
                f = f * sclfac;
                c = c * sclfac;
                ca = ca * sclfac;
                r = r / sclfac;
                g = g / sclfac;
                ra = ra / sclfac;
            }
            g = c / sclfac;
            while (!(g < r || std::max(r, ra) >= sfmax2 ||
                     std::min(std::min(std::min(f, c), g), ca) <= sfmin2)) {
                f = f / sclfac;
                c = c / sclfac;
                g = g / sclfac;
                ca = ca / sclfac;
                r = r * sclfac;
                ra = ra * sclfac;
            }
            if ((c + r) >= factor * s) continue;
            if (f < 1.0 && scale[i - 1] < 1.0) {
                if (f * scale[i - 1] <= sfmin1) continue;
            }
            if (f > 1.0 && scale[i - 1] > 1.0) {
                if (scale[i - 1] >= sfmax1 / f) continue;
            }
            g = 1.0 / f;
            scale[i - 1] = scale[i - 1] * f;
            noconv = true;
            dscal(n - k + 1, g, a.at(i, k), n3);
            dscal(l, f, a.at(1, i), 1);
        }
    }
    ilo = k;
    ihi = l;
    return true;
}

// dgehrd for n = 3 (always the unblocked dgehd2): Hessenberg form, reflectors below.
MCC_ALWAYS_INLINE void dgehrd(Mat a, int ilo, int ihi, double tau[2]) {
    const int n = n3;
    for (int i = 1; i <= ilo - 1; ++i) tau[i - 1] = 0.0;
    for (int i = std::max(1, ihi); i <= n - 1; ++i) tau[i - 1] = 0.0;
    if (ihi - ilo + 1 <= 1) return;
    double work[n3];
    for (int i = ilo; i <= ihi - 1; ++i) {
        dlarfg(ihi - i, a(i + 1, i), a.at(std::min(i + 2, n), i), 1, tau[i - 1]);
        const double aii = a(i + 1, i);
        a(i + 1, i) = 1.0;
        dlarf(false, ihi, ihi - i, a.at(i + 1, i), tau[i - 1], Mat{a.at(1, i + 1)}, work);
        dlarf(true, ihi - i, n - i, a.at(i + 1, i), tau[i - 1], Mat{a.at(i + 1, i + 1)}, work);
        a(i + 1, i) = aii;
    }
}

// dorg2r: the m x n matrix Q with orthonormal columns from k reflectors stored in a.
MCC_ALWAYS_INLINE void dorg2r(int m, int n, int k, Mat a, const double* tau) {
    if (n <= 0) return;
    double work[n3];
    for (int j = k + 1; j <= n; ++j) {
        for (int l = 1; l <= m; ++l) a(l, j) = 0.0;
        a(j, j) = 1.0;
    }
    for (int i = k; i >= 1; --i) {
        if (i < n) {
            a(i, i) = 1.0;
            dlarf(true, m - i + 1, n - i, a.at(i, i), tau[i - 1], Mat{a.at(i, i + 1)}, work);
        }
        if (i < m) dscal(m - i, -tau[i - 1], a.at(i + 1, i), 1);
        a(i, i) = 1.0 - tau[i - 1];
        for (int l = 1; l <= i - 1; ++l) a(l, i) = 0.0;
    }
}

// dorghr: the orthogonal Q of the Hessenberg reduction (a holds the reflectors on entry).
MCC_ALWAYS_INLINE void dorghr(Mat a, int ilo, int ihi, const double tau[2]) {
    const int n = n3;
    const int nh = ihi - ilo;
    // Shift the reflector vectors one column right; unit rows/columns outside ilo..ihi.
    for (int j = ihi; j >= ilo + 1; --j) {
        for (int i = 1; i <= j - 1; ++i) a(i, j) = 0.0;
        for (int i = j + 1; i <= ihi; ++i) a(i, j) = a(i, j - 1);
        for (int i = ihi + 1; i <= n; ++i) a(i, j) = 0.0;
    }
    for (int j = 1; j <= ilo; ++j) {
        for (int i = 1; i <= n; ++i) a(i, j) = 0.0;
        a(j, j) = 1.0;
    }
    for (int j = ihi + 1; j <= n; ++j) {
        for (int i = 1; i <= n; ++i) a(i, j) = 0.0;
        a(j, j) = 1.0;
    }
    if (nh > 0) dorg2r(nh, nh, nh, Mat{a.at(ilo + 1, ilo + 1)}, &tau[ilo - 1]);
}

// dlahqr with wantt = wantz = true, iloz = ilo, ihiz = ihi. Returns false when an eigenvalue
// does not converge (dlahqr's info > 0; the library would go on with dlaqr0).
// The active block ilo..ihi is a template parameter, so its bounds fold into the loops.
template <int ilo, int ihi>
MCC_ALWAYS_INLINE bool dlahqr_block(Mat h, double wr[3], double wi[3], Mat z) {
    const int n = n3;
    if (ilo == ihi) {
        wr[ilo - 1] = h(ilo, ilo);
        wi[ilo - 1] = 0.0;
        return true;
    }
    for (int j = ilo; j <= ihi - 3; ++j) {
        h(j + 2, j) = 0.0;
        h(j + 3, j) = 0.0;
    }
    if (ilo <= ihi - 2) h(ihi, ihi - 2) = 0.0;
    const int nh = ihi - ilo + 1;
    const int iloz = ilo, ihiz = ihi;
    const int nz = ihiz - iloz + 1;
    const double safmin = safe_min;
    const double ulp = precision;
    const double smlnum = safmin * (static_cast<double>(nh) / ulp);
    const int i1 = 1, i2 = n;
    const int itmax = 30 * std::max(10, nh);
    constexpr int kexsh = 10;
    constexpr double dat1 = 3.0 / 4.0, dat2 = -0.4375;
    int kdefl = 0;
    int i = ihi;
    while (i >= ilo) {
        int l = ilo;
        bool converged = false;
        for (int its = 0; its <= itmax; ++its) {
            // Look for a single small subdiagonal element.
            int k;
            for (k = i; k >= l + 1; --k) {
                if (std::fabs(h(k, k - 1)) <= smlnum) break;
                double tst = std::fabs(h(k - 1, k - 1)) + std::fabs(h(k, k));
                if (tst == 0.0) {
                    if (k - 2 >= ilo) tst = tst + std::fabs(h(k - 1, k - 2));
                    if (k + 1 <= ihi) tst = tst + std::fabs(h(k + 1, k));
                }
                if (std::fabs(h(k, k - 1)) <= ulp * tst) {
                    const double ab = std::max(std::fabs(h(k, k - 1)), std::fabs(h(k - 1, k)));
                    const double ba = std::min(std::fabs(h(k, k - 1)), std::fabs(h(k - 1, k)));
                    const double aa =
                        std::max(std::fabs(h(k, k)), std::fabs(h(k - 1, k - 1) - h(k, k)));
                    const double bb =
                        std::min(std::fabs(h(k, k)), std::fabs(h(k - 1, k - 1) - h(k, k)));
                    const double s = aa + ab;
                    if (ba * (ab / s) <= std::max(smlnum, ulp * (bb * (aa / s)))) break;
                }
            }
            l = k;
            if (l > ilo) h(l, l - 1) = 0.0;
            if (l >= i - 1) {
                converged = true;
                break;
            }
            ++kdefl;

            // Shifts.
            double h11, h12, h21, h22;
            if (kdefl % (2 * kexsh) == 0) {
                const double s = std::fabs(h(i, i - 1)) + std::fabs(h(i - 1, i - 2));
                h11 = dat1 * s + h(i, i);
                h12 = dat2 * s;
                h21 = s;
                h22 = h11;
            } else if (kdefl % kexsh == 0) {
                const double s = std::fabs(h(l + 1, l)) + std::fabs(h(l + 2, l + 1));
                h11 = dat1 * s + h(l, l);
                h12 = dat2 * s;
                h21 = s;
                h22 = h11;
            } else {
                h11 = h(i - 1, i - 1);
                h21 = h(i, i - 1);
                h12 = h(i - 1, i);
                h22 = h(i, i);
            }
            double rt1r, rt1i, rt2r, rt2i;
            {
                const double s = std::fabs(h11) + std::fabs(h12) + std::fabs(h21) + std::fabs(h22);
                if (s == 0.0) {
                    rt1r = rt1i = rt2r = rt2i = 0.0;
                } else {
                    h11 = h11 / s;
                    h21 = h21 / s;
                    h12 = h12 / s;
                    h22 = h22 / s;
                    const double tr = (h11 + h22) / 2.0;
                    const double det = (h11 - tr) * (h22 - tr) - h12 * h21;
                    const double rtdisc = std::sqrt(std::fabs(det));
                    if (det >= 0.0) {
                        rt1r = tr * s;
                        rt2r = rt1r;
                        rt1i = rtdisc * s;
                        rt2i = -rt1i;
                    } else {
                        rt1r = tr + rtdisc;
                        rt2r = tr - rtdisc;
                        // The root closer to h22, as a select: the comparison is a coin toss.
                        const double nearer =
                            std::fabs(rt1r - h22) <= std::fabs(rt2r - h22) ? rt1r : rt2r;
                        rt1r = nearer * s;
                        rt2r = rt1r;
                        rt1i = rt2i = 0.0;
                    }
                }
            }

            // For n = 3 a sweep only runs on the whole matrix: with nh = 3 (ilo = 1, ihi = 3)
            // any l > 1 or i < 3 means l >= i - 1 (converged above), and with nh <= 2 never.
            // So i = 3, l = 1, and the search for two small subdiagonals stops at m = l = 1;
            // the indices below are those constants (i1 = iloz = 1, i2 = ihiz = 3).
            if (i != 3 || l != 1) return false;  // unreachable; the library would decide
            double v[3];
            {
                // m = 1: the first column of the double-shift polynomial.
                double h21s = h(2, 1);
                double s = std::fabs(h(1, 1) - rt2r) + std::fabs(rt2i) + std::fabs(h21s);
                h21s = h(2, 1) / s;
                v[0] = h21s * h(1, 2) + (h(1, 1) - rt1r) * ((h(1, 1) - rt2r) / s) -
                       rt1i * (rt2i / s);
                v[1] = h21s * (h(1, 1) + h(2, 2) - rt1r - rt2r);
                v[2] = h21s * h(3, 2);
                s = std::fabs(v[0]) + std::fabs(v[1]) + std::fabs(v[2]);
                v[0] = v[0] / s;
                v[1] = v[1] / s;
                v[2] = v[2] / s;
            }
            {
                // k = m = l = 1: a 3-reflector from v, applied to rows 1..3 / columns 1..3 and Z.
                double t1;
                dlarfg(3, v[0], &v[1], 1, t1);
                const double v2 = v[1], v3 = v[2];
                const double t2 = t1 * v2, t3 = t1 * v3;
                for (int j = 1; j <= 3; ++j) {
                    const double sum = h(1, j) + v2 * h(2, j) + v3 * h(3, j);
                    h(1, j) = h(1, j) - sum * t1;
                    h(2, j) = h(2, j) - sum * t2;
                    h(3, j) = h(3, j) - sum * t3;
                }
                for (int j = 1; j <= 3; ++j) {
                    const double sum = h(j, 1) + v2 * h(j, 2) + v3 * h(j, 3);
                    h(j, 1) = h(j, 1) - sum * t1;
                    h(j, 2) = h(j, 2) - sum * t2;
                    h(j, 3) = h(j, 3) - sum * t3;
                }
                for (int j = 1; j <= 3; ++j) {
                    const double sum = z(j, 1) + v2 * z(j, 2) + v3 * z(j, 3);
                    z(j, 1) = z(j, 1) - sum * t1;
                    z(j, 2) = z(j, 2) - sum * t2;
                    z(j, 3) = z(j, 3) - sum * t3;
                }
            }
            {
                // k = 2 = i - 1: a 2-reflector restoring the Hessenberg form in column 1.
                v[0] = h(2, 1);
                v[1] = h(3, 1);
                double t1;
                dlarfg(2, v[0], &v[1], 1, t1);
                h(2, 1) = v[0];
                h(3, 1) = 0.0;
                const double v2 = v[1];
                const double t2 = t1 * v2;
                for (int j = 2; j <= 3; ++j) {
                    const double sum = h(2, j) + v2 * h(3, j);
                    h(2, j) = h(2, j) - sum * t1;
                    h(3, j) = h(3, j) - sum * t2;
                }
                for (int j = 1; j <= 3; ++j) {
                    const double sum = h(j, 2) + v2 * h(j, 3);
                    h(j, 2) = h(j, 2) - sum * t1;
                    h(j, 3) = h(j, 3) - sum * t2;
                }
                for (int j = 1; j <= 3; ++j) {
                    const double sum = z(j, 2) + v2 * z(j, 3);
                    z(j, 2) = z(j, 2) - sum * t1;
                    z(j, 3) = z(j, 3) - sum * t2;
                }
            }
        }
        if (!converged) return false;

        if (l == i) {
            // H(i, i-1) is negligible: one eigenvalue has converged.
            wr[i - 1] = h(i, i);
            wi[i - 1] = 0.0;
        } else if (l == i - 1) {
            // A pair has converged: standardise the 2x2 block.
            double cs, sn;
            dlanv2(h(i - 1, i - 1), h(i - 1, i), h(i, i - 1), h(i, i), wr[i - 2], wi[i - 2],
                   wr[i - 1], wi[i - 1], cs, sn);
            if (i2 > i) drot(i2 - i, h.at(i - 1, i + 1), n3, h.at(i, i + 1), n3, cs, sn);
            drot(i - i1 - 1, h.at(i1, i - 1), 1, h.at(i1, i), 1, cs, sn);
            drot(nz, z.at(iloz, i - 1), 1, z.at(iloz, i), 1, cs, sn);
        }
        kdefl = 0;
        i = l - 1;
    }
    return true;
}


// dtrevc3('R', 'B') with the workspace dgeev passes (nb = 64: the blocked back-transform, one
// dgemm for all three vectors). T is the quasi-triangular Schur form; vr holds the Schur
// vectors on entry and the (max-norm scaled) eigenvectors on exit.
MCC_ALWAYS_INLINE bool dtrevc3_right(Mat t, Mat vr) {
    const int n = n3;
    const double unfl = safe_min;
    const double ulp = precision;
    const double smlnum = unfl * (n / ulp);
    const double bignum = (1.0 - ulp) / smlnum;

    // 1-norms of the strictly upper triangular columns of T.
    double cnorm[3];
    cnorm[0] = 0.0;
    for (int j = 2; j <= n; ++j) {
        cnorm[j - 1] = 0.0;
        for (int i = 1; i <= j - 1; ++i) cnorm[j - 1] = cnorm[j - 1] + std::fabs(t(i, j));
    }

    double wbuf[9] = {};  // column k: the triangular eigenvector for eigenvalue k
    Mat w{wbuf};
    int iscomplex[3] = {0, 0, 0};
    double x[4], b[4];
    auto X = [&](int i, int j) -> double& { return x[(i - 1) + 2 * (j - 1)]; };
    int ip = 0;
    for (int ki = n; ki >= 1; --ki) {
        if (ip == -1) {
            ip = 1;  // second of a pair, already done
            continue;
        } else if (ki == 1) {
            ip = 0;
        } else if (t(ki, ki - 1) == 0.0) {
            ip = 0;
        } else {
            ip = -1;
        }
        const double wr = t(ki, ki);
        double wi = 0.0;
        if (ip != 0) wi = std::sqrt(std::fabs(t(ki, ki - 1))) * std::sqrt(std::fabs(t(ki - 1, ki)));
        const double smin = std::max(ulp * (std::fabs(wr) + std::fabs(wi)), smlnum);

        if (ip == 0) {
            // Real right eigenvector.
            double* xv = w.at(1, ki);
            xv[ki - 1] = 1.0;
            for (int k = 1; k <= ki - 1; ++k) xv[k - 1] = -t(k, ki);
            int jnxt = ki - 1;
            for (int j = ki - 1; j >= 1; --j) {
                if (j > jnxt) continue;
                int j1 = j;
                const int j2 = j;
                jnxt = j - 1;
                if (j > 1 && t(j, j - 1) != 0.0) {
                    j1 = j - 1;
                    jnxt = j - 2;
                }
                double scale, xnorm;
                if (j1 == j2) {
                    b[0] = xv[j - 1];
                    dlaln2(1, 1, smin, t.at(j, j), b, wr, 0.0, x, scale, xnorm);
                    if ((xnorm > 1.0) & (cnorm[j - 1] > bignum / xnorm)) {
                        X(1, 1) = X(1, 1) / xnorm;
                        scale = scale / xnorm;
                    }
                    if (scale != 1.0) dscal(ki, scale, xv, 1);
                    xv[j - 1] = X(1, 1);
                    daxpy(j - 1, -X(1, 1), t.at(1, j), xv);
                } else {
                    b[0] = xv[j - 2];
                    b[1] = xv[j - 1];
                    dlaln2(2, 1, smin, t.at(j - 1, j - 1), b, wr, 0.0, x, scale, xnorm);
                    const double beta = std::max(cnorm[j - 2], cnorm[j - 1]);
                    if ((xnorm > 1.0) & (beta > bignum / xnorm)) {
                        X(1, 1) = X(1, 1) / xnorm;
                        X(2, 1) = X(2, 1) / xnorm;
                        scale = scale / xnorm;
                    }
                    if (scale != 1.0) dscal(ki, scale, xv, 1);
                    xv[j - 2] = X(1, 1);
                    xv[j - 1] = X(2, 1);
                    daxpy(j - 2, -X(1, 1), t.at(1, j - 1), xv);
                    daxpy(j - 2, -X(2, 1), t.at(1, j), xv);
                }
            }
            for (int k = ki + 1; k <= n; ++k) xv[k - 1] = 0.0;
            iscomplex[ki - 1] = 0;
        } else {
            // Complex right eigenvector: real part in column ki-1, imaginary part in ki.
            double* xr = w.at(1, ki - 1);
            double* xi = w.at(1, ki);
            if (std::fabs(t(ki - 1, ki)) >= std::fabs(t(ki, ki - 1))) {
                xr[ki - 2] = 1.0;
                xi[ki - 1] = wi / t(ki - 1, ki);
            } else {
                xr[ki - 2] = -wi / t(ki, ki - 1);
                xi[ki - 1] = 1.0;
            }
            xr[ki - 1] = 0.0;
            xi[ki - 2] = 0.0;
            for (int k = 1; k <= ki - 2; ++k) {
                xr[k - 1] = -xr[ki - 2] * t(k, ki - 1);
                xi[k - 1] = -xi[ki - 1] * t(k, ki);
            }
            int jnxt = ki - 2;
            for (int j = ki - 2; j >= 1; --j) {
                if (j > jnxt) continue;
                int j1 = j;
                const int j2 = j;
                jnxt = j - 1;
                if (j > 1 && t(j, j - 1) != 0.0) {
                    j1 = j - 1;
                    jnxt = j - 2;
                }
                if (j1 != j2) return false;  // a 2x2 block above a pair: needs n >= 4
                double scale, xnorm;
                b[0] = xr[j - 1];
                b[2] = xi[j - 1];
                dlaln2(1, 2, smin, t.at(j, j), b, wr, wi, x, scale, xnorm);
                if ((xnorm > 1.0) & (cnorm[j - 1] > bignum / xnorm)) {
                    X(1, 1) = X(1, 1) / xnorm;
                    X(1, 2) = X(1, 2) / xnorm;
                    scale = scale / xnorm;
                }
                if (scale != 1.0) {
                    dscal(ki, scale, xr, 1);
                    dscal(ki, scale, xi, 1);
                }
                xr[j - 1] = X(1, 1);
                xi[j - 1] = X(1, 2);
                daxpy(j - 1, -X(1, 1), t.at(1, j), xr);
                daxpy(j - 1, -X(1, 2), t.at(1, j), xi);
            }
            for (int k = ki + 1; k <= n; ++k) {
                xr[k - 1] = 0.0;
                xi[k - 1] = 0.0;
            }
            iscomplex[ki - 2] = 1;
            iscomplex[ki - 1] = -1;
        }
    }

    // Back-transform: C := VR W (reference dgemm 'N','N', alpha 1, beta 0), then scale each
    // vector (pair) to unit max-norm.
    double cbuf[9];
    Mat c{cbuf};
    for (int j = 1; j <= n; ++j) {
        for (int i = 1; i <= n; ++i) c(i, j) = 0.0;
        for (int l = 1; l <= n; ++l) {
            const double temp = w(l, j);
            for (int i = 1; i <= n; ++i) c(i, j) = c(i, j) + temp * vr(i, l);
        }
    }
    double remax = 1.0;
    for (int k = 1; k <= n; ++k) {
        if (iscomplex[k - 1] == 0) {
            const int ii = idamax(n, c.at(1, k), 1);
            remax = 1.0 / std::fabs(c(ii, k));
        } else if (iscomplex[k - 1] == 1) {
            double emax = 0.0;
            for (int ii = 1; ii <= n; ++ii)
                emax = std::max(emax, std::fabs(c(ii, k)) + std::fabs(c(ii, k + 1)));
            remax = 1.0 / emax;
        }
        dscal(n, remax, c.at(1, k), 1);
    }
    for (int q = 0; q < 9; ++q) vr.p[q] = cbuf[q];
    return true;
}

// dgebak('B', 'R'): undo the balancing on the eigenvectors.
MCC_ALWAYS_INLINE void dgebak(int ilo, int ihi, const double scale[3], Mat v) {
    const int n = n3, m = n3;
    if (ilo != ihi)
        for (int i = ilo; i <= ihi; ++i) dscal(m, scale[i - 1], v.at(i, 1), n3);
    for (int ii = 1; ii <= n; ++ii) {
        int i = ii;
        if (i >= ilo && i <= ihi) continue;
        if (i < ilo) i = ilo - ii;
        const int k = static_cast<int>(scale[i - 1]);
        if (k == i) continue;
        dswap(m, v.at(i, 1), n3, v.at(k, 1), n3);
    }
}

}  // namespace

namespace {

// The stages after dgebal, with its active block ilo..ihi as template parameters: every
// routine below is inlined here, so their loop bounds are constants and the working arrays
// are locals the compiler knows to be distinct.
template <int ilo, int ihi>
bool dgeev3_balanced(const double a_in[9], const double scale[3], double wr[3], double wi[3],
                     double vr_out[9]) {
    const int n = n3;
    double abuf[9];
    for (int q = 0; q < 9; ++q) abuf[q] = a_in[q];
    Mat a{abuf};
    double tau[2];
    dgehrd(a, ilo, ihi, tau);

    // dlacpy('L') then dorghr: the Schur vectors start as the Hessenberg reduction's Q.
    double vbuf[9] = {};
    Mat vr{vbuf};
    for (int j = 1; j <= n; ++j)
        for (int i = j; i <= n; ++i) vr(i, j) = a(i, j);
    dorghr(vr, ilo, ihi, tau);

    // dhseqr('S', 'V'): n = 3 is below its crossover, so dlahqr.
    for (int i = 1; i <= ilo - 1; ++i) {
        wr[i - 1] = a(i, i);
        wi[i - 1] = 0.0;
    }
    for (int i = ihi + 1; i <= n; ++i) {
        wr[i - 1] = a(i, i);
        wi[i - 1] = 0.0;
    }
    if (ilo == ihi) {
        wr[ilo - 1] = a(ilo, ilo);
        wi[ilo - 1] = 0.0;
    } else {
        if (!dlahqr_block<ilo, ihi>(a, wr, wi, vr)) return false;
        a(3, 1) = 0.0;  // dlaset('L') below the subdiagonal
    }

    if (!dtrevc3_right(a, vr)) return false;
    dgebak(ilo, ihi, scale, vr);

    // Normalise to unit Euclidean norm, largest component of a complex vector real.
    for (int i = 1; i <= n; ++i) {
        if (wi[i - 1] == 0.0) {
            const double scl = 1.0 / dnrm2(n, vr.at(1, i), 1);
            dscal(n, scl, vr.at(1, i), 1);
        } else if (wi[i - 1] > 0.0) {
            const double scl = 1.0 / dlapy2(dnrm2(n, vr.at(1, i), 1), dnrm2(n, vr.at(1, i + 1), 1));
            dscal(n, scl, vr.at(1, i), 1);
            dscal(n, scl, vr.at(1, i + 1), 1);
            double work[n3];
            for (int k = 1; k <= n; ++k)
                work[k - 1] = vr(k, i) * vr(k, i) + vr(k, i + 1) * vr(k, i + 1);
            const int k = idamax(n, work, 1);
            double cs, sn, r;
            dlartg(vr(k, i), vr(k, i + 1), cs, sn, r);
            drot(n, vr.at(1, i), 1, vr.at(1, i + 1), 1, cs, sn);
            vr(k, i + 1) = 0.0;
        }
    }
    for (int q = 0; q < 9; ++q) vr_out[q] = vbuf[q];
    return true;
}

}  // namespace

bool dgeev3_port(const double a_in[9], double wr[3], double wi[3], double vr_out[9]) {
    const int n = n3;
    double abuf[9];
    for (int q = 0; q < 9; ++q) abuf[q] = a_in[q];
    Mat a{abuf};

    // dgeev scales the matrix when its max-abs entry is outside [smlnum, bignum]; not ported.
    const double smlnum = std::sqrt(safe_min) / precision;
    const double bignum = 1.0 / smlnum;
    double anrm = 0.0;
    for (int q = 0; q < 9; ++q) {
        const double v = std::fabs(abuf[q]);
        if (!(v <= overflow)) return false;  // inf / NaN
        anrm = std::max(anrm, v);
    }
    if ((anrm > 0.0 && anrm < smlnum) || anrm > bignum) return false;

    int ilo = 1, ihi = n;
    double scale[3];
    if (!dgebal(a, ilo, ihi, scale)) return false;
    switch (3 * (ilo - 1) + (ihi - 1)) {
        case 0: return dgeev3_balanced<1, 1>(abuf, scale, wr, wi, vr_out);
        case 1: return dgeev3_balanced<1, 2>(abuf, scale, wr, wi, vr_out);
        case 2: return dgeev3_balanced<1, 3>(abuf, scale, wr, wi, vr_out);
        case 4: return dgeev3_balanced<2, 2>(abuf, scale, wr, wi, vr_out);
        case 5: return dgeev3_balanced<2, 3>(abuf, scale, wr, wi, vr_out);
        case 8: return dgeev3_balanced<3, 3>(abuf, scale, wr, wi, vr_out);
        default: return false;
    }
}

namespace {

// dgeev's optimal workspace for n = 3 with right vectors; it depends only on ilaenv's block
// sizes, so it is queried once per process.
int dgeev3_workspace() {
    static const int lwork = [] {
        const char jobvl = 'N', jobvr = 'V';
        const int n = 3, ldvl = 1, ldvr = 3, query_size = -1;
        double a[9] = {}, wr[3], wi[3], vr[9], vl = 0.0, query = 0.0;
        int info = 0;
        dgeev_(&jobvl, &jobvr, &n, a, &n, wr, wi, &vl, &ldvl, vr, &ldvr, &query, &query_size, &info);
        if (info != 0) throw_data("LAPACK dgeev workspace query failed (info {})", info);
        return std::max(1, static_cast<int>(query));
    }();
    return lwork;
}

}  // namespace

void dgeev3_library(const double a_in[9], double wr[3], double wi[3], double vr[9]) {
    double a[9];
    for (int q = 0; q < 9; ++q) a[q] = a_in[q];
    const int lwork = dgeev3_workspace();
    constexpr int stack_work = 512;  // the queried size is 390 with reference LAPACK 3.11
    double stack_buffer[stack_work];
    std::vector<double> heap_buffer;
    double* work = stack_buffer;
    if (lwork > stack_work) {
        heap_buffer.resize(static_cast<std::size_t>(lwork));
        work = heap_buffer.data();
    }
    const char jobvl = 'N', jobvr = 'V';
    const int n = 3, ldvl = 1, ldvr = 3;
    double vl = 0.0;
    int info = 0;
    dgeev_(&jobvl, &jobvr, &n, a, &n, wr, wi, &vl, &ldvl, vr, &ldvr, work, &lwork, &info);
    if (info != 0)
        throw_data("eigenvalues did not converge (LAPACK dgeev info {}) for a 3x3 matrix", info);
}

}  // namespace mcc::lapack::detail
