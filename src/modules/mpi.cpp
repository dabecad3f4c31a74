// mcc-entropy's MPI module: every call into MPI, behind the C table of pass/mpi_module_api.hpp.
// Built as a separate shared module, mcc-entropy-mpi.so (not part of mcc_core), so that only
// runs under mpirun/srun load libmpi.
#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <deque>
#include <thread>
#include <vector>

#include "pass/mpi_module_api.hpp"

namespace {

// Large partials go in pieces below INT_MAX bytes.
constexpr unsigned long long kPiece = 1ull << 30;

void init(int* argc, char*** argv, int* rank, int* size) {
    int provided = 0;
    MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided);
    MPI_Comm_rank(MPI_COMM_WORLD, rank);
    MPI_Comm_size(MPI_COMM_WORLD, size);
}

void flush_sends();

void finalize() {
    flush_sends();
    MPI_Finalize();
}

void abort_all(int status) { MPI_Abort(MPI_COMM_WORLD, status); }

// Sends are asynchronous: a rank copies its partial, starts the send and goes on computing
// its next chunk. With blocking sends (rendezvous for large messages) every non-root rank
// waited for rank 0 to reach each receive, so the ranks ran in lockstep and any imbalance
// (rank 0 also merges, and computes the symmetry numbers) was paid at every chunk.
struct PendingSend {
    unsigned long long size = 0;
    std::vector<unsigned char> data;
    std::vector<MPI_Request> requests;
};
std::deque<PendingSend> g_pending;  // oldest first
unsigned long long g_pending_bytes = 0;
constexpr std::size_t kMaxPendingSends = 16;
constexpr unsigned long long kMaxPendingBytes = 256ull << 20;

bool completed(PendingSend& s) {
    int done = 0;
    MPI_Testall(static_cast<int>(s.requests.size()), s.requests.data(), &done, MPI_STATUSES_IGNORE);
    return done != 0;
}

void drop_oldest_send() {
    g_pending_bytes -= g_pending.front().size;
    g_pending.pop_front();
}

// Waits for the oldest send, sleeping between tests (the rank's worker threads may need the core).
void finish_oldest_send() {
    while (!completed(g_pending.front())) std::this_thread::sleep_for(std::chrono::microseconds(50));
    drop_oldest_send();
}

void send_bytes(int dest, const unsigned char* data, unsigned long long size) {
    while (!g_pending.empty() && completed(g_pending.front())) drop_oldest_send();
    while (!g_pending.empty() &&
           (g_pending.size() >= kMaxPendingSends || g_pending_bytes + size > kMaxPendingBytes))
        finish_oldest_send();
    PendingSend& s = g_pending.emplace_back();  // deque: earlier entries stay where they are
    s.size = size;
    s.data.assign(data, data + size);
    g_pending_bytes += size;
    s.requests.emplace_back();
    MPI_Isend(&s.size, 1, MPI_UNSIGNED_LONG_LONG, dest, 0, MPI_COMM_WORLD, &s.requests.back());
    for (unsigned long long off = 0; off < size; off += kPiece) {
        const unsigned long long len = std::min(kPiece, size - off);
        s.requests.emplace_back();
        MPI_Isend(s.data.data() + off, static_cast<int>(len), MPI_UNSIGNED_CHAR, dest, 1, MPI_COMM_WORLD,
                  &s.requests.back());
    }
}

void flush_sends() {
    while (!g_pending.empty()) finish_oldest_send();
}

int message_waiting(int source) {
    int ready = 0;
    MPI_Iprobe(source, 0, MPI_COMM_WORLD, &ready, MPI_STATUS_IGNORE);
    return ready;
}

int waiting_source() {
    int ready = 0;
    MPI_Status status;
    MPI_Iprobe(MPI_ANY_SOURCE, 0, MPI_COMM_WORLD, &ready, &status);
    return ready ? status.MPI_SOURCE : -1;
}

unsigned long long receive_size(int source) {
    // Poll politely instead of MPI_Recv's busy wait: rank 0 may share its cores with worker
    // threads that are still computing.
    for (int ready = 0;;) {
        MPI_Iprobe(source, 0, MPI_COMM_WORLD, &ready, MPI_STATUS_IGNORE);
        if (ready) break;
        std::this_thread::sleep_for(std::chrono::microseconds(50));
    }
    unsigned long long size = 0;
    MPI_Recv(&size, 1, MPI_UNSIGNED_LONG_LONG, source, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    return size;
}

void receive_data(int source, unsigned char* data, unsigned long long size) {
    for (unsigned long long off = 0; off < size; off += kPiece) {
        const unsigned long long len = std::min(kPiece, size - off);
        MPI_Recv(data + off, static_cast<int>(len), MPI_UNSIGNED_CHAR, source, 1, MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE);
    }
}

double sum_double(double value) {
    double out = 0;
    MPI_Allreduce(&value, &out, 1, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
    return out;
}

constexpr MccMpiApi kApi{MCC_MPI_API_VERSION, init,           finalize,       abort_all,
                         send_bytes,          flush_sends,    message_waiting, waiting_source,
                         receive_size,        receive_data,   sum_double};

}  // namespace

extern "C" __attribute__((visibility("default"))) const MccMpiApi* mcc_mpi_api(void) { return &kApi; }
