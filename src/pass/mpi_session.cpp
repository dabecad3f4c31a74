#include "pass/mpi_session.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <thread>

#include "core/error.hpp"

#ifdef MCC_HAVE_MPI
#include <mpi.h>
#endif

namespace mcc {

namespace {
int g_rank = 0;
int g_size = 1;
bool g_active = false;

// Launched by mpirun/srun? Without a launcher we stay a plain process, so the same binary runs
// on a laptop with no MPI runtime set up.
bool launched_by_mpi() {
    for (const char* var : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK", "SLURM_STEP_ID", "MPI_LOCALNRANKS"})
        if (std::getenv(var)) return true;
    return false;
}
}  // namespace

MpiSession::MpiSession([[maybe_unused]] int* argc, [[maybe_unused]] char*** argv) {
#ifdef MCC_HAVE_MPI
    if (!launched_by_mpi()) return;
    int provided = 0;
    MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided);
    MPI_Comm_rank(MPI_COMM_WORLD, &g_rank);
    MPI_Comm_size(MPI_COMM_WORLD, &g_size);
    g_active = true;
#endif
}

MpiSession::~MpiSession() {
#ifdef MCC_HAVE_MPI
    if (g_active) MPI_Finalize();
#endif
}

int MpiSession::rank() { return g_rank; }
int MpiSession::size() { return g_size; }
bool MpiSession::active() { return g_active; }

void MpiSession::abort(int status) {
#ifdef MCC_HAVE_MPI
    if (g_active) MPI_Abort(MPI_COMM_WORLD, status);
#endif
    std::exit(status);
}

void MpiSession::send_bytes([[maybe_unused]] int dest, [[maybe_unused]] const std::vector<unsigned char>& bytes) {
#ifdef MCC_HAVE_MPI
    const unsigned long long n = bytes.size();
    MPI_Send(&n, 1, MPI_UNSIGNED_LONG_LONG, dest, 0, MPI_COMM_WORLD);
    // Large partials go in pieces below INT_MAX bytes.
    constexpr std::size_t piece = 1u << 30;
    for (std::size_t off = 0; off < bytes.size(); off += piece) {
        const std::size_t len = std::min(piece, bytes.size() - off);
        MPI_Send(bytes.data() + off, static_cast<int>(len), MPI_UNSIGNED_CHAR, dest, 1, MPI_COMM_WORLD);
    }
#else
    throw InternalError("MPI send without MPI support");
#endif
}

std::vector<unsigned char> MpiSession::receive_bytes([[maybe_unused]] int source) {
#ifdef MCC_HAVE_MPI
    // Poll politely instead of MPI_Recv's busy wait: rank 0 may share its cores with worker
    // threads that are still computing.
    for (int ready = 0;;) {
        MPI_Iprobe(source, 0, MPI_COMM_WORLD, &ready, MPI_STATUS_IGNORE);
        if (ready) break;
        std::this_thread::sleep_for(std::chrono::microseconds(50));
    }
    unsigned long long n = 0;
    MPI_Recv(&n, 1, MPI_UNSIGNED_LONG_LONG, source, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    std::vector<unsigned char> bytes(n);
    constexpr std::size_t piece = 1u << 30;
    for (std::size_t off = 0; off < bytes.size(); off += piece) {
        const std::size_t len = std::min(piece, bytes.size() - off);
        MPI_Recv(bytes.data() + off, static_cast<int>(len), MPI_UNSIGNED_CHAR, source, 1, MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE);
    }
    return bytes;
#else
    throw InternalError("MPI receive without MPI support");
#endif
}

double MpiSession::sum_all(double value) {
#ifdef MCC_HAVE_MPI
    if (!g_active) return value;
    double out = 0;
    MPI_Allreduce(&value, &out, 1, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
    return out;
#else
    return value;
#endif
}

}  // namespace mcc
