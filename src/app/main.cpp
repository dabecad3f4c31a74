// mcc-entropy: entry point. Turns every error into one line on stderr and an exit status
// (2 = usage error, 1 = data error).
#include <cstdio>
#include <exception>

#include <fmt/core.h>

#include "app/cli.hpp"
#include "core/error.hpp"

int main(int argc, char** argv) {
    try {
        return mcc::run_cli(argc, argv);
    } catch (const mcc::UsageError& e) {
        fmt::print(stderr, "mcc-entropy: error: {}\n", e.what());
        return 2;
    } catch (const mcc::DataError& e) {
        fmt::print(stderr, "mcc-entropy: error: {}\n", e.what());
        return 1;
    } catch (const std::exception& e) {
        fmt::print(stderr, "mcc-entropy: internal error: {}\n", e.what());
        return 1;
    }
}
