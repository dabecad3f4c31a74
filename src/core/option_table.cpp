#include "core/option_table.hpp"

#include "core/option_names.hpp"

namespace mcc {

namespace {

std::vector<std::string_view> names_of(auto const& array) { return {array.begin(), array.end()}; }

}  // namespace

const std::vector<OptionSpec>& option_specs() {
    using K = OptionKind;
    static const std::vector<OptionSpec> specs = {
        {"top_traj_file", &Options::top_traj_file, K::StringList, "(required)",
         "topology file first, then zero or more trajectory files (chained in order)", {}},
        {"force_file", &Options::force_file, K::OptionalString, "null", "separate trajectory holding the forces", {}},
        {"file_format", &Options::file_format, K::OptionalString, "null",
         "trajectory (and force file) format: TRR, XTC, GRO, PDB, NCDF, MDCRD, LAMMPSDUMP; "
         "default: from the extension",
         {}},
        {"kcal_force_units", &Options::kcal_force_units, K::Bool, "false", "forces of force_file are in kcal; multiply by 4.184", {}},
        {"selection_string", &Options::selection_string, K::String, "all", "atom selection (MDAnalysis syntax)", {}},
        {"start", &Options::start, K::Int, "0", "first frame index", {}},
        {"end", &Options::end, K::Int, "-1", "stop frame index, exclusive; -1 = through the last frame", {}},
        {"step", &Options::step, K::Int, "1", "frame stride (> 0)", {}},
        {"bin_width", &Options::bin_width, K::Int, "30", "dihedral histogram bin width in degrees (1..360)", {}},
        {"temperature", &Options::temperature, K::Float, "298.0", "temperature in K (> 0)", {}},
        {"verbose", &Options::verbose, K::Flag, "false", "extra diagnostics after the tables (worker count, angle-store memory)", {}},
        {"output_file", &Options::output_file, K::String, "output_file.json",
         "JSON result file; a bare name goes into a new job folder jobNNN/", {}},
        {"force_partitioning", &Options::force_partitioning, K::Float, "0.5", "force partitioning factor of the vibrational term", {}},
        {"water_entropy", &Options::water_entropy, K::Bool, "true", "compute the water entropy terms", {}},
        {"grouping", &Options::grouping, K::Choice, "molecules", "how molecules are grouped for averaging",
         names_of(kGroupingNames)},
        {"combined_forcetorque", &Options::combined_forcetorque, K::Bool, "true",
         "combined force-torque matrix for the highest level's vibrational entropy", {}},
        {"customised_axes", &Options::customised_axes, K::Bool, "true", "bonded axes for united-atom forces and torques", {}},
        {"search_type", &Options::search_type, K::Choice, "RAD", "neighbour search for the orientational term",
         names_of(kSearchTypeNames)},
        {"parallel_frames", &Options::parallel_frames, K::Bool, "false", "CodeEntropy: Dask frame parallelism (no effect here)", {}},
        {"use_dask", &Options::use_dask, K::Bool, "false", "CodeEntropy: local Dask (no effect here)", {}},
        {"dask_workers", &Options::dask_workers, K::OptionalInt, "null",
         "CodeEntropy's Dask worker count; sets its frame-chunk size, which changes the "
         "flexible-dihedral count (reproduced)",
         {}},
        {"dask_threads_per_worker", &Options::dask_threads_per_worker, K::Int, "1", "CodeEntropy: threads per Dask worker (no effect here)", {}},
        {"hpc", &Options::hpc, K::Bool, "false",
         "CodeEntropy: SLURM Dask cluster; here only its effect on the chunk size "
         "(hpc_nodes * hpc_processes workers)",
         {}},
        {"hpc_account", &Options::hpc_account, K::OptionalString, "null", "CodeEntropy: SLURM account (no effect here)", {}},
        {"hpc_qos", &Options::hpc_qos, K::OptionalString, "null", "CodeEntropy: SLURM QoS (no effect here)", {}},
        {"hpc_constraint", &Options::hpc_constraint, K::OptionalString, "null", "CodeEntropy: SLURM constraint (no effect here)", {}},
        {"hpc_queue", &Options::hpc_queue, K::OptionalString, "null", "CodeEntropy: SLURM partition (no effect here)", {}},
        {"hpc_cores", &Options::hpc_cores, K::Int, "1", "CodeEntropy: cores per worker job (no effect here)", {}},
        {"hpc_processes", &Options::hpc_processes, K::Int, "1", "CodeEntropy: processes per worker job (worker count with hpc)", {}},
        {"hpc_memory", &Options::hpc_memory, K::String, "4GB", "CodeEntropy: memory per worker job (no effect here)", {}},
        {"hpc_walltime", &Options::hpc_walltime, K::String, "01:00:00", "CodeEntropy: worker walltime (no effect here)", {}},
        {"hpc_nodes", &Options::hpc_nodes, K::Int, "1", "CodeEntropy: worker jobs (worker count with hpc)", {}},
        {"submit", &Options::submit, K::Bool, "false", "CodeEntropy: submit a SLURM master job (not supported)", {}},
        {"conda_path", &Options::conda_path, K::OptionalString, "null", "CodeEntropy: conda path (no effect here)", {}},
        {"conda_exec", &Options::conda_exec, K::OptionalString, "null", "CodeEntropy: conda executable (no effect here)", {}},
        {"conda_env", &Options::conda_env, K::OptionalString, "null", "CodeEntropy: conda environment (no effect here)", {}},
        {"conventions", &Options::conventions, K::Choice, "codeentropy", "numerical conventions to follow",
         names_of(kConventionsNames)},
        {"threads", &Options::threads, K::Int, "0", "worker threads; 0 = automatic (one per core of the affinity mask, shared among unbound MPI ranks on a node; one for a small pass)", {}},
        {"quiet", &Options::quiet, K::Flag, "false", "print nothing but errors", {}},
    };
    return specs;
}

const OptionSpec* find_option(std::string_view name) {
    for (const auto& s : option_specs())
        if (s.name == name) return &s;
    return nullptr;
}

}  // namespace mcc
