// Vibrational entropy from the merged covariance (second-moment) matrices
// (spec-vibrational §12, §14): zero-row filter, dgeev eigenvalues, unit conversion,
// flexible-dihedral quartering, validity filter, harmonic-oscillator entropy per mode and
// the reference's mode selection. Rows come out in the reference's order.
#pragma once
#include <complex>
#include <cstddef>
#include <string>
#include <vector>

#include "entropy/flexible.hpp"
#include "kernels/vibrational_frame.hpp"
#include "plan/vibrational_plan.hpp"
#include "report/results.hpp"

namespace mcc {

// The reference's constants (§12.1, Q-14).
namespace vib_constants {
inline constexpr double planck = 6.62607004081818e-34;   // J s
inline constexpr double gas = 8.3144598484848;           // J / (mol K)
inline constexpr double avogadro = 6.0221415e23;         // 1 / mol
inline constexpr double zero_row_tolerance = 1e-8;       // raw units
inline constexpr double eigenvalue_tolerance = 1e-7;     // SI units
inline constexpr double flexible_factor = 0.25;
// "kT" in J: 4.11e-21 * T / 298 (not k_B T).
inline double kT(double temperature) { return 4.11e-21 * temperature / 298.0; }
}  // namespace vib_constants

enum class VibMatrixKind { Force, Torque, ForceTorqueTrans, ForceTorqueRot };

// Rows / columns whose entries are all within `tol` of zero removed (rows first, then
// columns of the reduced matrix). Returns the new dimension; `matrix` is rewritten.
std::size_t filter_zero_rows_columns(std::vector<double>& matrix, std::size_t n, double tol);

// Entropy (J/mol/K) of one already filtered n x n matrix. `invalid` receives the number of
// eigenvalues excluded as complex, non-positive or near zero.
double vibrational_entropy(const std::vector<double>& matrix, std::size_t n, VibMatrixKind kind,
                           double temperature, bool highest, int flexible, int& invalid,
                           const VibrationalQuirks& quirks = VibrationalQuirks::codeentropy());

// The same, from the matrix's eigenvalues (np.linalg.eigvals order); an empty list gives 0.
double entropy_of_eigenvalues(std::vector<std::complex<double>> lambdas, VibMatrixKind kind, double temperature,
                              bool highest, int flexible, int& invalid,
                              const VibrationalQuirks& quirks = VibrationalQuirks::codeentropy());

// Per-mode entropy R [x/(e^x-1) - ln(1-e^-x)], x = h nu / kT, of converted eigenvalues that
// passed the validity filter; ascending frequency order.
std::vector<double> mode_entropies(std::vector<double> lambdas_si, double temperature);

struct VibrationalResult {
    std::vector<GroupRow> rows;            // §14.1 order
    std::vector<ResidueRow> residue_rows;  // UA per residue (console table)
    std::vector<std::string> warnings;
};

// `threads`: the most threads the eigenvalues of the merged matrices may use (the result does
// not depend on it).
VibrationalResult finish_vibrational(const VibrationalPlan& plan, const VibrationalPartial& merged,
                                     const FlexibleCounts& flexible, int threads = 1);

}  // namespace mcc
