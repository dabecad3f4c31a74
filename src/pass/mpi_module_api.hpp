// The C function table between mcc-entropy and its MPI module (mcc-entropy-mpi.so, built from
// src/modules/mpi.cpp). The executable does not link libmpi: loading OpenMPI costs
// ~10 ms per process, so the module is dlopen'ed only when the process was launched by
// mpirun/srun (pass/mpi_session.cpp). Plain C types only, so either side can change its C++.
#pragma once

extern "C" {

// Bumped whenever the table changes; the executable refuses a module of another version.
#define MCC_MPI_API_VERSION 3
// The module's file and its one exported symbol: `const MccMpiApi* mcc_mpi_api(void)`.
#define MCC_MPI_MODULE_FILE "mcc-entropy-mpi.so"
#define MCC_MPI_API_SYMBOL "mcc_mpi_api"

struct MccMpiApi {
    int version;  // MCC_MPI_API_VERSION
    // MPI_Init_thread (funneled) and the process's place in MPI_COMM_WORLD.
    void (*init)(int* argc, char*** argv, int* rank, int* size);
    void (*finalize)(void);
    void (*abort)(int status);
    // Point-to-point byte messages: a size, then the bytes (in pieces below INT_MAX).
    // send_bytes copies the bytes and returns while they are still on their way (a bounded
    // number of sends in flight); flush_sends waits until every send has completed.
    void (*send_bytes)(int dest, const unsigned char* data, unsigned long long size);
    void (*flush_sends)(void);
    // Whether a message from `source` has arrived (receive_size would not wait).
    int (*message_waiting)(int source);
    // A rank whose message has arrived, or -1 when none has.
    int (*waiting_source)(void);
    // Waits (sleeping between probes, not spinning) for the next message from `source` and
    // returns its size; then receive_data takes its bytes.
    unsigned long long (*receive_size)(int source);
    void (*receive_data)(int source, unsigned char* data, unsigned long long size);
    // Sum of one double over all ranks, on every rank.
    double (*sum_double)(double value);
};

typedef const MccMpiApi* (*MccMpiApiEntry)(void);

}  // extern "C"
