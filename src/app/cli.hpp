#pragma once

namespace mcc {

// Parses the command line (and the YAML config it names), runs every run section, returns the
// exit status. Throws UsageError / DataError for the caller to report.
int run_cli(int argc, char** argv);

}  // namespace mcc
