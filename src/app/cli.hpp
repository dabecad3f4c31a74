#pragma once
#include <functional>

#include "core/options.hpp"
#include "report/results.hpp"

namespace mcc {

// Parses the command line (and the YAML config it names), runs every run section, returns the
// exit status. Throws UsageError / DataError for the caller to report.
int run_cli(int argc, char** argv);

// The same with the analysis supplied by the caller (run_cli passes mcc::run_analysis; tests
// pass a stand-in). Uses the process's working directory for config.yaml and job folders.
using AnalysisFunction = std::function<RunResults(const Options&)>;
int run_program(int argc, const char* const* argv, const AnalysisFunction& analyse);

}  // namespace mcc
