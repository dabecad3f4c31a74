// Temporary minimal driver; the config/CLI work replaces it.
#include "app/cli.hpp"

#include <fmt/core.h>

#include "core/error.hpp"

namespace mcc {

int run_cli(int argc, char** argv) {
    if (argc < 2) throw_usage("no arguments; try --help");
    fmt::print("mcc-entropy {}\n", MCC_VERSION);
    (void)argv;
    return 0;
}

}  // namespace mcc
