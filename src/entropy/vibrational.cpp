#include "entropy/vibrational.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <mutex>
#include <numbers>
#include <thread>

#include <fmt/format.h>

#include "kernels/geometry.hpp"
#include "kernels/lapack_eigen.hpp"

namespace mcc {

namespace {

using cplx = std::complex<double>;

bool all_zero(const double* v, std::size_t n, std::size_t stride, double tol) {
    for (std::size_t i = 0; i < n; ++i)
        if (!(std::fabs(v[i * stride]) <= tol)) return false;
    return true;
}

// NumPy orders complex numbers by real part, then imaginary part.
bool complex_less(const cplx& a, const cplx& b) {
    return a.real() < b.real() || (a.real() == b.real() && a.imag() < b.imag());
}

}  // namespace

std::size_t filter_zero_rows_columns(std::vector<double>& m, std::size_t n, double tol) {
    std::vector<std::size_t> rows, cols;
    for (std::size_t i = 0; i < n; ++i)
        if (!all_zero(&m[i * n], n, 1, tol)) rows.push_back(i);
    for (std::size_t j = 0; j < n; ++j) {
        bool zero = true;
        for (std::size_t i : rows)
            if (!(std::fabs(m[i * n + j]) <= tol)) {
                zero = false;
                break;
            }
        if (!zero) cols.push_back(j);
    }
    // The reference's inputs are symmetric, so rows and columns agree; keep it general.
    std::vector<double> out(rows.size() * cols.size());
    for (std::size_t a = 0; a < rows.size(); ++a)
        for (std::size_t b = 0; b < cols.size(); ++b) out[a * cols.size() + b] = m[rows[a] * n + cols[b]];
    m.swap(out);
    if (rows.size() != cols.size()) return 0;  // not square: nothing usable
    return rows.size();
}

std::vector<double> mode_entropies(std::vector<double> lambdas, double temperature) {
    const double kT = vib_constants::kT(temperature);
    const double pi = std::numbers::pi;
    std::vector<double> freqs;
    freqs.reserve(lambdas.size());
    for (double l : lambdas) freqs.push_back((1.0 / (2.0 * pi)) * std::sqrt(l / kT));
    std::sort(freqs.begin(), freqs.end());
    std::vector<double> s;
    s.reserve(freqs.size());
    for (double f : freqs) {
        const double x = (vib_constants::planck * f) / kT;
        const double c = x / (std::exp(x) - 1.0) - std::log(1.0 - std::exp(-x));
        s.push_back(c * vib_constants::gas);
    }
    return s;
}

double vibrational_entropy(const std::vector<double>& matrix, std::size_t n, VibMatrixKind kind,
                           double temperature, bool highest, int flexible, int& invalid,
                           const VibrationalQuirks& quirks) {
    if (n == 0) {
        invalid = 0;
        return 0.0;
    }
    return entropy_of_eigenvalues(lapack::eigvals(matrix, n), kind, temperature, highest, flexible, invalid,
                                  quirks);
}

double entropy_of_eigenvalues(std::vector<std::complex<double>> lambdas, VibMatrixKind kind, double temperature,
                              bool highest, int flexible, int& invalid, const VibrationalQuirks& quirks) {
    invalid = 0;
    if (lambdas.empty()) return 0.0;
    for (auto& l : lambdas)
        l = cplx(l.real() * 1e29 / vib_constants::avogadro, l.imag() * 1e29 / vib_constants::avogadro);
    if (kind == VibMatrixKind::Force && flexible > 0) {
        // Python sorted(..., reverse=True) is stable: equal values keep their order.
        std::stable_sort(lambdas.begin(), lambdas.end(),
                         [](const cplx& a, const cplx& b) { return complex_less(b, a); });
        const auto k = std::min<std::size_t>(static_cast<std::size_t>(flexible), lambdas.size());
        for (std::size_t i = 0; i < k; ++i) lambdas[i] *= vib_constants::flexible_factor;
    }
    // np.real_if_close(tol=1000): all imaginary parts tiny -> real; else only exact reals pass.
    bool all_close = true;
    for (const auto& l : lambdas)
        if (!(std::fabs(l.imag()) < 1000.0 * 2.220446049250313e-16)) all_close = false;
    std::vector<double> valid;
    for (const auto& l : lambdas) {
        const bool real = all_close || l.imag() == 0.0;
        const double re = l.real();
        if (real && re > 0.0 && !(std::fabs(re) <= vib_constants::eigenvalue_tolerance))
            valid.push_back(re);
        else
            ++invalid;
    }
    if (valid.empty()) return 0.0;
    const std::vector<double> s = mode_entropies(valid, temperature);
    std::size_t first = 0, last = s.size();
    switch (kind) {
        case VibMatrixKind::Force:
            if (!highest && quirks.drop_six_lowest_force_modes_below_top) first = std::min<std::size_t>(6, s.size());
            break;
        case VibMatrixKind::Torque: break;
        case VibMatrixKind::ForceTorqueTrans: last = std::min<std::size_t>(3, s.size()); break;
        case VibMatrixKind::ForceTorqueRot: first = std::min<std::size_t>(3, s.size()); break;
    }
    if (first >= last) return 0.0;
    return geom::numpy_sum(s.data() + first, last - first);
}

namespace {

struct Pair {
    double trans = 0.0, rot = 0.0;
};

// The eigenvalues of one merged matrix after the zero filter.
struct SlotSpectrum {
    bool present = false;       // the slot has frames
    std::size_t n = 0;          // dimension after the zero filter (0: nothing left)
    std::vector<cplx> lambdas;  // np.linalg.eigvals of the filtered matrix
};

SlotSpectrum spectrum_of(const MatrixMean& mm, std::size_t dim) {
    SlotSpectrum s;
    if (mm.count == 0 || mm.mean.empty()) return s;
    s.present = true;
    std::vector<double> m = unpack_symmetric(mm.mean, dim);
    s.n = filter_zero_rows_columns(m, dim, vib_constants::zero_row_tolerance);
    if (s.n > 0) s.lambdas = lapack::eigvals(m, s.n);
    return s;
}

// Every slot's spectrum, each computed once (the combined matrix's two entropies share one),
// the slots shared out among up to `threads` threads, largest first. Each spectrum depends on
// its own matrix only, so the result is the same for any thread count. A second thread pays
// off only for about a millisecond of work or more: cost ~ n^3, plus a fixed cost per call
// (~8 us here, about the cost of n^3 for n = 18).
std::vector<SlotSpectrum> slot_spectra(const VibrationalPlan& plan, const VibrationalPartial& merged,
                                       int threads) {
    std::vector<SlotSpectrum> spectra(merged.slots.size());
    std::vector<std::size_t> order;
    double work = 0.0;
    auto cost = [&](std::size_t s) {
        const auto n = static_cast<double>(plan.slot_dims[s]);
        return n * n * n + 6000.0;
    };
    for (std::size_t s = 0; s < merged.slots.size(); ++s)
        if (merged.slots[s].count > 0) {
            order.push_back(s);
            work += cost(s);
        }
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return plan.slot_dims[a] > plan.slot_dims[b]; });
    constexpr double kWorkPerThread = 400'000.0;  // ~0.5 ms of dgeev
    const auto n_threads = static_cast<std::size_t>(std::clamp<double>(
        std::min<double>(threads, std::floor(work / kWorkPerThread)), 1.0, static_cast<double>(order.size())));
    std::atomic<std::size_t> next{0};
    std::mutex failure_mutex;
    std::exception_ptr failure;
    auto compute = [&] {
        try {
            for (std::size_t k; (k = next.fetch_add(1)) < order.size();) {
                const std::size_t s = order[k];
                spectra[s] = spectrum_of(merged.slots[s], plan.slot_dims[s]);
            }
        } catch (...) {
            std::lock_guard lock(failure_mutex);
            if (!failure) failure = std::current_exception();
            next = order.size();
        }
    };
    std::vector<std::thread> helpers;
    for (std::size_t t = 1; t < n_threads; ++t) helpers.emplace_back(compute);
    compute();
    for (auto& h : helpers) h.join();
    if (failure) std::rethrow_exception(failure);
    return spectra;
}

struct Finisher {
    const VibrationalPlan& plan;
    const std::vector<SlotSpectrum>& spectra;
    long invalid_total = 0;
    int invalid_matrices = 0;
    std::vector<std::string> warnings;

    // The spectrum of a slot's merged matrix; nullptr when the slot is absent or has no frames.
    const SlotSpectrum* fetch(int slot) const {
        if (slot < 0) return nullptr;
        const SlotSpectrum& s = spectra[static_cast<std::size_t>(slot)];
        return s.present ? &s : nullptr;
    }

    double entropy(const SlotSpectrum* s, VibMatrixKind kind, bool highest, int flexible) {
        const std::size_t n = s ? s->n : 0;
        if (n == 0) return 0.0;
        int invalid = 0;
        if (kind == VibMatrixKind::Force && flexible > static_cast<int>(n))
            warnings.push_back(fmt::format(
                "{} flexible dihedrals but only {} force modes: all of them quartered (the "
                "reference fails here)", flexible, n));
        const double e = entropy_of_eigenvalues(s->lambdas, kind, plan.temperature, highest, flexible, invalid,
                                                plan.quirks);
        if (invalid > 0) {
            invalid_total += invalid;
            ++invalid_matrices;
        }
        return e;
    }

    Pair force_torque(int fslot, int tslot, int flexible, bool highest) {
        const SlotSpectrum* f = fetch(fslot);
        const SlotSpectrum* t = fetch(tslot);
        if (!f && !t) return {};
        return {entropy(f, VibMatrixKind::Force, highest, flexible),
                entropy(t, VibMatrixKind::Torque, highest, flexible)};
    }

    Pair combined(int slot) {
        const SlotSpectrum* m = fetch(slot);
        return {entropy(m, VibMatrixKind::ForceTorqueTrans, true, 0),
                entropy(m, VibMatrixKind::ForceTorqueRot, true, 0)};
    }
};

}  // namespace

VibrationalResult finish_vibrational(const VibrationalPlan& plan, const VibrationalPartial& merged,
                                     const FlexibleCounts& flexible, int threads) {
    VibrationalResult out;
    const std::vector<SlotSpectrum> spectra = slot_spectra(plan, merged, threads);
    Finisher fin{plan, spectra, 0, 0, {}};
    long n_frames = 0;
    for (const auto& s : merged.slots) n_frames = std::max(n_frames, s.count);
    for (const VibrationalGroupPlan& g : plan.groups) {
        const MoleculePlan& rep = plan.plan_of(static_cast<std::size_t>(g.molecules.front()));
        const Level top = rep.levels.back();
        for (Level level : rep.levels) {
            const bool highest = level == top;
            const std::string lname(level_name(level));
            Pair p;
            bool ft_labels = false;
            if (level == Level::UnitedAtom) {
                for (std::size_t r = 0; r < rep.residues.size(); ++r) {
                    const Pair pr = fin.force_torque(g.slots.ua_force[r], g.slots.ua_torque[r],
                                                     flexible.ua(g.id, static_cast<int>(r)), highest);
                    p.trans += pr.trans;
                    p.rot += pr.rot;
                    long count = n_frames;
                    if (g.slots.ua_force[r] >= 0)
                        count = merged.slots[static_cast<std::size_t>(g.slots.ua_force[r])].count;
                    out.residue_rows.push_back({g.id, g.residue_names[r], lname, "Transvibrational", count, pr.trans});
                    out.residue_rows.push_back({g.id, g.residue_names[r], lname, "Rovibrational", count, pr.rot});
                }
            } else {
                const bool is_res = level == Level::Residue;
                const int ft_slot = is_res ? g.slots.ft_res : g.slots.ft_poly;
                if (plan.combined_forcetorque && highest) {
                    p = fin.combined(ft_slot);
                    ft_labels = true;
                } else {
                    // Q-9 is applied by the conformational side (FlexibleCounts::residue).
                    const int flex = is_res ? flexible.res(g.id) : 0;
                    p = is_res ? fin.force_torque(g.slots.res_force, g.slots.res_torque, flex, highest)
                               : fin.force_torque(g.slots.poly_force, g.slots.poly_torque, flex, highest);
                }
            }
            const std::string prefix = ft_labels ? "FTmat-" : "";
            out.rows.push_back({g.id, lname, prefix + "Transvibrational", p.trans});
            out.rows.push_back({g.id, lname, prefix + "Rovibrational", p.rot});
        }
    }
    out.warnings = std::move(fin.warnings);
    if (fin.invalid_total > 0)
        out.warnings.push_back(fmt::format(
            "vibrational: {} invalid eigenvalues excluded (complex, non-positive, or near-zero) "
            "in {} matrices", fin.invalid_total, fin.invalid_matrices));
    return out;
}

}  // namespace mcc
