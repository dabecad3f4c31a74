#include "pass/mpi_session.hpp"

#include <cstdlib>
#include <string_view>

#include "core/error.hpp"
#include "core/module_loader.hpp"
#include "pass/mpi_module_api.hpp"

namespace mcc {

namespace {
int g_rank = 0;
int g_size = 1;
const MccMpiApi* g_mpi = nullptr;  // set when MPI was initialised

#ifdef MCC_HAVE_MPI
// Launched by mpirun/srun? Without a launcher we stay a plain process, so the same binary runs
// on a laptop with no MPI runtime set up.
bool launched_by_mpi() {
    for (const char* var : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK", "SLURM_STEP_ID", "MPI_LOCALNRANKS"})
        if (std::getenv(var)) return true;
    return false;
}

const MccMpiApi* load_mpi_module() {
    void* entry = nullptr;
    try {
        // RTLD_GLOBAL: the MPI library's own plugins resolve its symbols.
        entry = load_module_entry(MCC_MPI_MODULE_FILE, MCC_MPI_API_SYMBOL, /*global_symbols=*/true);
    } catch (const DataError& e) {
        throw_data("launched by mpirun/srun, but {}", e.what());
    }
    const MccMpiApi* api = reinterpret_cast<MccMpiApiEntry>(entry)();
    if (!api || api->version != MCC_MPI_API_VERSION)
        throw_data("launched by mpirun/srun, but {} is not this version's MPI module", MCC_MPI_MODULE_FILE);
    return api;  // stays loaded until the process ends
}
#endif
}  // namespace

const char* one_node_pml(const std::function<const char*(const char*)>& env) {
    if (env("OMPI_MCA_pml")) return nullptr;
    const char* world = env("OMPI_COMM_WORLD_SIZE");
    const char* local = env("OMPI_COMM_WORLD_LOCAL_SIZE");
    bool one_node = false;
    if (world && local) {
        one_node = std::string_view(world) == local;  // Open MPI's mpirun
    } else if (const char* nodes = env("SLURM_STEP_NUM_NODES")) {
        one_node = std::string_view(nodes) == "1";  // srun
    }
    return one_node ? "ob1" : nullptr;
}

MpiSession::MpiSession([[maybe_unused]] int* argc, [[maybe_unused]] char*** argv) {
#ifdef MCC_HAVE_MPI
    if (!launched_by_mpi()) return;
    if (const char* pml = one_node_pml([](const char* var) { return std::getenv(var); }))
        setenv("OMPI_MCA_pml", pml, /*overwrite=*/0);
    const MccMpiApi* api = load_mpi_module();
    api->init(argc, argv, &g_rank, &g_size);
    g_mpi = api;
#endif
}

MpiSession::~MpiSession() {
    if (g_mpi) g_mpi->finalize();
}

int MpiSession::rank() { return g_rank; }
int MpiSession::size() { return g_size; }
bool MpiSession::active() { return g_mpi != nullptr; }

void MpiSession::abort(int status) {
    if (g_mpi) g_mpi->abort(status);
    std::exit(status);
}

void MpiSession::send_bytes(int dest, const std::vector<unsigned char>& bytes) {
    if (!g_mpi) throw InternalError("MPI send without MPI");
    g_mpi->send_bytes(dest, bytes.data(), bytes.size());
}

void MpiSession::flush_sends() {
    if (g_mpi) g_mpi->flush_sends();
}

bool MpiSession::message_waiting(int source) {
    if (!g_mpi) throw InternalError("MPI probe without MPI");
    return g_mpi->message_waiting(source) != 0;
}

int MpiSession::waiting_source() {
    if (!g_mpi) throw InternalError("MPI probe without MPI");
    return g_mpi->waiting_source();
}

std::vector<unsigned char> MpiSession::receive_bytes(int source) {
    if (!g_mpi) throw InternalError("MPI receive without MPI");
    std::vector<unsigned char> bytes(g_mpi->receive_size(source));
    g_mpi->receive_data(source, bytes.data(), bytes.size());
    return bytes;
}

double MpiSession::sum_all(double value) { return g_mpi ? g_mpi->sum_double(value) : value; }

}  // namespace mcc
