// Run configuration: CodeEntropy's config.yaml (run name -> options, runs in file order) merged
// with command-line flags of the same names. Unlike CodeEntropy, a flag given on the command
// line always wins over the YAML, unknown keys and ill-typed values are errors, and relative
// input paths in the YAML resolve against the YAML file's directory.
#pragma once
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/option_table.hpp"
#include "core/options.hpp"

namespace mcc {

// The known option name closest to `name` when it is a plausible typo, else empty.
std::string suggest_option(std::string_view name);

// Values given on the command line, by option name, as typed (a bare flag gives {"true"}).
using CliValues = std::map<std::string, std::vector<std::string>, std::less<>>;

struct CommandLine {
    std::optional<std::string> config_file;  // --config
    bool info = false;                       // --info
    CliValues values;
    std::vector<std::string> arguments;  // argv, for provenance
};

// Parses argv. Returns nullopt when --help or --version was handled (text already printed).
// Throws UsageError for unknown options and missing/ill-typed values.
std::optional<CommandLine> parse_command_line(int argc, const char* const* argv);

// The text of --help (every option with its default and meaning).
std::string help_text();

// One run: its name (the YAML key, "run1" without a config) and its merged options.
struct RunConfig {
    std::string name;
    Options options;
    // Directory a relative output_file with a directory part is resolved against: the config
    // file's directory when the YAML gave output_file, else the working directory.
    std::filesystem::path output_base;
    bool output_from_cli_or_default = true;
};

// Builds the runs: defaults, then the run's YAML keys (paths relative to the YAML file's
// directory), then every command-line value (paths relative to `cwd`). `yaml_text` empty or
// absent = one run "run1" from the command line alone. `config_label` names the file in
// messages. Input paths come out absolute. Throws UsageError naming key and run.
std::vector<RunConfig> build_runs(const std::optional<std::string>& yaml_text,
                                  const std::string& config_label,
                                  const std::filesystem::path& config_dir, const CliValues& cli,
                                  const std::filesystem::path& cwd);

// Reads --config (or ./config.yaml when present) and builds the runs; throws DataError when
// the named config file cannot be read.
std::vector<RunConfig> load_runs(const CommandLine& cl);

// Checks option values (temperature > 0, bin_width in 1..360, step > 0, ...); throws
// UsageError naming the option and value. Returns warnings (e.g. force_partitioning != 0.5).
std::vector<std::string> validate_options(const Options& options, std::string_view run_name);

// Throws DataError when an input file (top_traj_file entries, force_file) does not exist.
void check_input_files(const Options& options);

// Value parsers shared by the YAML and command-line paths; `where` prefixes error messages.
bool parse_bool(std::string_view text, std::string_view where);
long parse_int(std::string_view text, std::string_view where);
double parse_float(std::string_view text, std::string_view where);

}  // namespace mcc
