// The whole analysis of one run: static setup, the frame-chunk pass, reduction, entropy.
#pragma once
#include "core/options.hpp"
#include "report/results.hpp"

namespace mcc {

// Runs one analysis with resolved options (paths absolute). Throws UsageError/DataError.
RunResults run_analysis(const Options& options);

}  // namespace mcc
