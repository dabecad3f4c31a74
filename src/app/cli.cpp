// The program: parse flags and config, then either describe the input (--info) or run every
// configured run in file order, printing its tables and writing its JSON.
#include "app/cli.hpp"

#include <cstdio>
#include <filesystem>
#include <optional>

#include <fmt/core.h>

#include "app/config.hpp"
#include "app/info.hpp"
#include "app/output_path.hpp"
#include "core/error.hpp"
#include "core/timing.hpp"
#include "pass/mpi_session.hpp"
#include "pass/analysis.hpp"
#include "report/console.hpp"
#include "report/json_output.hpp"

namespace mcc {

namespace fs = std::filesystem;

namespace {

void print_warnings(const std::vector<std::string>& warnings, bool quiet) {
    if (quiet) return;
    for (const auto& w : warnings) fmt::print(stderr, "mcc-entropy: warning: {}\n", w);
}

bool g_inside_analysis = false;

std::string git_sha() {
#ifdef MCC_GIT_SHA
    return MCC_GIT_SHA;
#else
    return {};
#endif
}

}  // namespace

bool failed_inside_analysis() { return g_inside_analysis; }

int run_cli(int argc, char** argv) { return run_program(argc, argv, run_analysis); }

int run_program(int argc, const char* const* argv, const AnalysisFunction& analyse) {
    const std::optional<CommandLine> cl = parse_command_line(argc, argv);
    if (!cl) return 0;  // --help / --version
    std::vector<RunConfig> runs = load_runs(*cl);

    // Every run's options are checked before any work starts.
    std::vector<std::vector<std::string>> warnings;
    for (const auto& run : runs) warnings.push_back(validate_options(run.options, runs.size() > 1 ? run.name : ""));

    // Under MPI every rank takes part in the analysis; only rank 0 prints and writes.
    const bool root = MpiSession::is_root();
    if (cl->info) {
        if (!root) return 0;
        for (std::size_t i = 0; i < runs.size(); ++i) {
            print_warnings(warnings[i], runs[i].options.quiet);
            check_input_files(runs[i].options);
            if (runs.size() > 1) fmt::print("== run {}\n", runs[i].name);
            fmt::print("{}", describe_system(runs[i].options));
            std::fflush(stdout);
        }
        return 0;
    }

    for (const auto& run : runs) check_input_files(run.options);

    // A bare output name goes into a job folder, created when the first result is written so
    // that a failed run leaves nothing behind.
    const bool several = runs.size() > 1;
    const fs::path cwd = fs::current_path();
    std::optional<fs::path> job_folder;
    for (std::size_t i = 0; i < runs.size(); ++i) {
        RunConfig& run = runs[i];
        Options& options = run.options;
        const bool quiet = options.quiet || !root;
        const std::string file_name = run_file_name(options.output_file, run.name, several);
        const bool into_job_folder = is_bare_file_name(options.output_file);
        if (into_job_folder) {
            const fs::path folder = job_folder ? *job_folder : cwd / next_job_folder_name(cwd);
            options.output_file = (folder / file_name).string();
        } else {
            fs::path p = file_name;
            if (p.is_relative()) p = run.output_base / p;
            options.output_file = p.lexically_normal().string();
        }

        print_warnings(warnings[i], quiet);
        if (!quiet) {
            if (several) fmt::print("== run {}\n", run.name);
            fmt::print("{}\n", run_configuration_table(options_json(options)));
            std::fflush(stdout);
        }

        const double wall_start = wall_seconds();
        g_inside_analysis = true;
        RunResults results = analyse(options);
        g_inside_analysis = false;
        if (!results.reporting_rank) continue;

        // The output stage: console tables, the JSON document and its file. Its time goes into
        // the timings the JSON carries, so it is measured up to the serialisation; the console
        // table, printed last, includes the file write as well.
        const double output_start = wall_seconds();
        const double output_cpu_start = process_cpu_seconds();
        if (into_job_folder) {
            if (!job_folder) job_folder = create_job_folder(cwd);
            options.output_file = (*job_folder / file_name).string();
        }
        print_warnings(results.warnings, quiet);
        if (!quiet) {
            fmt::print("Analysing {} frames\n\n", results.n_frames);
            fmt::print("{}", group_tables(results.group_rows));
            fmt::print("{}", residue_tables(results.residue_rows));
        }
        results.timings.push_back(
            {"output", wall_seconds() - output_start, process_cpu_seconds() - output_cpu_start});
        const OrderedJson document =
            result_document(options, results, wall_seconds() - wall_start, {cl->arguments, git_sha()});
        write_file_atomically(options.output_file, json_text(document));
        results.timings.back() = {"output", wall_seconds() - output_start, process_cpu_seconds() - output_cpu_start};
        if (!quiet) {
            fmt::print("{}\n", timings_table(results, wall_seconds() - wall_start));
            if (options.verbose)
                fmt::print("CodeEntropy worker count (flexible-dihedral chunking): {}\n"
                           "Dihedral angle store: {} bytes per frame\n\n",
                           options.reference_worker_count(), results.angle_store_bytes_per_frame);
        }
        if (!quiet) fmt::print("Results written to {}\n", options.output_file);
        std::fflush(stdout);
    }
    return 0;
}

}  // namespace mcc
