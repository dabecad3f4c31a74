#include "pass/mpi_session.hpp"

#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>

#include "core/error.hpp"
#include "pass/mpi_module_api.hpp"

#ifdef MCC_HAVE_MPI
#include <dlfcn.h>
#endif

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

// The module sits next to the executable (build tree), or where `cmake --install` puts it
// relative to the installed executable (MCC_MPI_MODULE_INSTALL_DIR, relative to bin/).
const MccMpiApi* load_mpi_module() {
    std::error_code ec;
    const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    const std::filesystem::path dir = ec ? std::filesystem::path(".") : exe.parent_path();
    const std::filesystem::path candidates[] = {dir / MCC_MPI_MODULE_FILE,
                                                dir / MCC_MPI_MODULE_INSTALL_DIR / MCC_MPI_MODULE_FILE};
    for (const auto& path : candidates) {
        if (!std::filesystem::exists(path, ec)) continue;
        // RTLD_GLOBAL: OpenMPI's own plugins resolve symbols of libmpi loaded through the module.
        void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_GLOBAL);
        if (!handle) {
            const char* why = dlerror();
            throw_data("launched by mpirun/srun, but the MPI module {} cannot be loaded ({})", path.string(),
                       why ? why : "unknown reason");
        }
        const auto entry = reinterpret_cast<MccMpiApiEntry>(dlsym(handle, MCC_MPI_API_SYMBOL));
        const MccMpiApi* api = entry ? entry() : nullptr;
        if (!api || api->version != MCC_MPI_API_VERSION)
            throw_data("launched by mpirun/srun, but {} is not this version's MPI module", path.string());
        return api;  // stays loaded until the process ends
    }
    throw_data("launched by mpirun/srun, but the MPI module {} is missing (looked in {} and {})",
               MCC_MPI_MODULE_FILE, candidates[0].parent_path().string(), candidates[1].parent_path().string());
}
#endif
}  // namespace

MpiSession::MpiSession([[maybe_unused]] int* argc, [[maybe_unused]] char*** argv) {
#ifdef MCC_HAVE_MPI
    if (!launched_by_mpi()) return;
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

std::vector<unsigned char> MpiSession::receive_bytes(int source) {
    if (!g_mpi) throw InternalError("MPI receive without MPI");
    std::vector<unsigned char> bytes(g_mpi->receive_size(source));
    g_mpi->receive_data(source, bytes.data(), bytes.size());
    return bytes;
}

double MpiSession::sum_all(double value) { return g_mpi ? g_mpi->sum_double(value) : value; }

}  // namespace mcc
