// mcc-entropy: entry point. Turns every error into one line on stderr and an exit status
// (2 = usage error, 1 = data error). Under MPI an error on any rank ends the whole job.
#include <cstdio>
#include <exception>

#include <fmt/core.h>

#include "app/cli.hpp"
#include "core/error.hpp"
#include "pass/mpi_session.hpp"

namespace {

// Prints the error once and ends the process, or every rank of an MPI job (a rank that
// returned alone would leave the others waiting for its partial results).
int fail(const char* kind, const char* what, int status) {
    if (mcc::MpiSession::is_root() || mcc::MpiSession::size() == 1)
        fmt::print(stderr, "mcc-entropy: {}{}\n", kind, what);
    else
        fmt::print(stderr, "mcc-entropy (rank {}): {}{}\n", mcc::MpiSession::rank(), kind, what);
    std::fflush(stderr);
    if (mcc::MpiSession::active() && mcc::MpiSession::size() > 1) mcc::MpiSession::abort(status);
    return status;
}

}  // namespace

int main(int argc, char** argv) {
    mcc::MpiSession mpi(&argc, &argv);
    try {
        return mcc::run_cli(argc, argv);
    } catch (const mcc::UsageError& e) {
        return fail("error: ", e.what(), 2);
    } catch (const mcc::DataError& e) {
        return fail("error: ", e.what(), 1);
    } catch (const std::exception& e) {
        return fail("internal error: ", e.what(), 1);
    }
}
