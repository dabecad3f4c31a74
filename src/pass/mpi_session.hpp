// The process's place in an MPI job (rank 0 of 1 without MPI). Created once in main().
// MPI itself lives in a module loaded only under mpirun/srun (pass/mpi_module_api.hpp).
#pragma once
#include <cstddef>
#include <functional>
#include <vector>

namespace mcc {

class MpiSession {
public:
    // MPI_Init_thread when built with MPI and launched by mpirun/srun; throws DataError when
    // the MPI module cannot be loaded then.
    MpiSession(int* argc, char*** argv);
    ~MpiSession();
    MpiSession(const MpiSession&) = delete;
    MpiSession& operator=(const MpiSession&) = delete;

    [[nodiscard]] static int rank();
    [[nodiscard]] static int size();
    [[nodiscard]] static bool active();  // true when MPI was initialised
    [[nodiscard]] static bool is_root() { return rank() == 0; }
    // Aborts every rank (after an error on one of them).
    [[noreturn]] static void abort(int status);

    // Point-to-point messages of bytes between ranks (only valid when active()).
    static void send_bytes(int dest, const std::vector<unsigned char>& bytes);  // returns before delivery
    static void flush_sends();  // waits until every send has been delivered
    static bool message_waiting(int source);  // receive_bytes(source) would not wait
    static int waiting_source();  // a rank whose message has arrived, or -1
    static std::vector<unsigned char> receive_bytes(int source);
    // Sum of a double over all ranks, returned on every rank.
    static double sum_all(double value);
};

// The Open MPI point-to-point layer to ask for before MPI_Init, or nullptr for Open MPI's own
// choice. `env` looks up an environment variable (nullptr when unset). Open MPI's default
// first tries UCX, which probes network devices (MPI_Init ~0.27 s against ~0.06 s here); for a
// job whose ranks all share one node the ob1 layer's shared memory is what is used anyway.
// A layer the user chose (OMPI_MCA_pml) is kept, and multi-node jobs keep the default.
const char* one_node_pml(const std::function<const char*(const char*)>& env);

}  // namespace mcc
