// mcc-entropy: entry point. Turns every error into one line on stderr and an exit status
// (2 = usage error, 1 = data error). Under mpirun/srun every rank runs this; an error on any
// rank inside the analysis aborts the whole job (the others may be waiting in a collective);
// an error before it (options, missing files) is the same on every rank: rank 0 reports it.
#include <malloc.h>

#include <cstdio>
#include <exception>
#include <optional>
#include <string>

#include <fmt/core.h>

#include "app/cli.hpp"
#include "core/error.hpp"
#include "pass/mpi_session.hpp"

namespace {

void report(const char* kind, const char* what) {
    if (!mcc::failed_inside_analysis() && !mcc::MpiSession::is_root()) return;
    const std::string rank =
        mcc::MpiSession::size() > 1 && mcc::failed_inside_analysis()
            ? fmt::format(" (rank {})", mcc::MpiSession::rank())
            : std::string();
    fmt::print(stderr, "mcc-entropy{}: {}: {}\n", rank, kind, what);
}

// The frame pass allocates and frees covariance matrices (tens of kB to MB) per frame and per
// chunk. With glibc's defaults the freed top of the heap is returned to the kernel and large
// blocks are mmapped afresh, so every frame pays page faults again (half of a DNA run's pass
// time on a VM). Keeping freed memory in the heap for reuse costs nothing in peak memory.
void keep_freed_memory_for_reuse() {
    mallopt(M_MMAP_THRESHOLD, 256 << 20);
    mallopt(M_TRIM_THRESHOLD, 512 << 20);
}

}  // namespace

int main(int argc, char** argv) {
    keep_freed_memory_for_reuse();
    std::optional<mcc::MpiSession> mpi;  // lives until the end of main (MPI_Finalize)
    int status = 0;
    try {
        mpi.emplace(&argc, &argv);
        status = mcc::run_cli(argc, argv);
    } catch (const mcc::UsageError& e) {
        report("error", e.what());
        status = 2;
    } catch (const mcc::DataError& e) {
        report("error", e.what());
        status = 1;
    } catch (const std::exception& e) {
        report("internal error", e.what());
        status = 1;
    }
    if (status != 0 && mcc::MpiSession::size() > 1 && mcc::failed_inside_analysis()) {
        std::fflush(stderr);
        mcc::MpiSession::abort(status);
    }
    return status;
}
