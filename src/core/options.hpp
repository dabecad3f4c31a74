// Every run option, with CodeEntropy 2.3's names and defaults, plus mcc-entropy's own.
// Parsing (YAML + CLI) lives in app/config; this struct is what the rest of the program sees.
#pragma once
#include <optional>
#include <string>
#include <vector>

namespace mcc {

// Which numerical conventions to follow. `codeentropy` reproduces CodeEntropy 2.3 including
// its quirks (each quirk is switched in one named place, see entropy/conventions.hpp).
enum class Conventions { CodeEntropy };

enum class Grouping { Molecules, Each };
enum class SearchType { RAD, Grid };

struct Options {
    // --- CodeEntropy 2.3 keys (same names, same defaults) ---
    std::vector<std::string> top_traj_file;  // topology first, then trajectories
    std::optional<std::string> force_file;
    std::optional<std::string> file_format;
    bool kcal_force_units = false;
    std::string selection_string = "all";
    long start = 0;
    long end = -1;  // exclusive; -1 = through the last frame
    long step = 1;
    int bin_width = 30;
    double temperature = 298.0;
    bool verbose = false;
    std::string output_file = "output_file.json";
    double force_partitioning = 0.5;
    bool water_entropy = true;
    Grouping grouping = Grouping::Molecules;
    bool combined_forcetorque = true;
    bool customised_axes = true;
    SearchType search_type = SearchType::RAD;
    bool parallel_frames = false;
    bool use_dask = false;
    std::optional<int> dask_workers;
    int dask_threads_per_worker = 1;
    bool hpc = false;
    std::optional<std::string> hpc_account, hpc_qos, hpc_constraint, hpc_queue;
    int hpc_cores = 1;
    int hpc_processes = 1;
    std::string hpc_memory = "4GB";
    std::string hpc_walltime = "01:00:00";
    int hpc_nodes = 1;
    bool submit = false;
    std::optional<std::string> conda_path, conda_exec, conda_env;

    // --- mcc-entropy's own ---
    Conventions conventions = Conventions::CodeEntropy;
    int threads = 0;  // 0 = automatic (pass/chunks.hpp default_worker_count)
    bool quiet = false;

    // The reference's "worker count" W, which sets its frame-chunk size (and through it the
    // flexible-dihedral count): dask_workers if set, else hpc_nodes*hpc_processes with hpc, else 1.
    [[nodiscard]] int reference_worker_count() const {
        if (dask_workers) return *dask_workers;
        if (hpc) return hpc_nodes * hpc_processes;
        return 1;
    }
};

}  // namespace mcc
