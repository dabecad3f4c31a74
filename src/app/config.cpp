#include "app/config.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>
#include <variant>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "core/error.hpp"
#include "core/option_names.hpp"

namespace mcc {

namespace fs = std::filesystem;

namespace {

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

std::string trimmed(std::string_view s) {
    const auto first = s.find_first_not_of(" \t");
    if (first == std::string_view::npos) return {};
    const auto last = s.find_last_not_of(" \t");
    return std::string(s.substr(first, last - first + 1));
}

std::string valid_names() {
    std::string out;
    for (const auto& s : option_specs()) {
        if (!out.empty()) out += ", ";
        out += s.name;
    }
    return out;
}

}  // namespace

std::string suggest_option(std::string_view name) {
    const std::string key = lower(name);
    std::string_view best;
    std::size_t best_distance = std::numeric_limits<std::size_t>::max();
    for (const auto& s : option_specs()) {
        const std::size_t d = edit_distance(key, s.name);
        if (d < best_distance) {
            best_distance = d;
            best = s.name;
        }
    }
    const std::size_t limit = std::max<std::size_t>(2, key.size() / 4);
    return best_distance <= limit ? std::string(best) : std::string();
}

// --- scalar parsers ----------------------------------------------------------------------------

bool parse_bool(std::string_view text, std::string_view where) {
    const std::string t = lower(trimmed(text));
    if (t == "true" || t == "t" || t == "yes" || t == "y" || t == "1" || t == "on") return true;
    if (t == "false" || t == "f" || t == "no" || t == "n" || t == "0" || t == "off") return false;
    throw_usage("{}: '{}' is not a boolean (use true/false, yes/no, 1/0)", where, text);
}

double parse_float(std::string_view text, std::string_view where) {
    const std::string t = trimmed(text);
    double value = 0.0;
    const char* begin = t.data();
    const char* end = t.data() + t.size();
    if (!t.empty() && *begin == '+') ++begin;
    const auto [ptr, ec] = std::from_chars(begin, end, value);
    if (t.empty() || ec != std::errc() || ptr != end || !std::isfinite(value))
        throw_usage("{}: '{}' is not a finite number", where, text);
    return value;
}

long parse_int(std::string_view text, std::string_view where) {
    const std::string t = trimmed(text);
    long value = 0;
    const char* begin = t.data();
    const char* end = t.data() + t.size();
    if (!t.empty() && *begin == '+') ++begin;
    const auto [ptr, ec] = std::from_chars(begin, end, value);
    if (!t.empty() && ec == std::errc() && ptr == end) return value;
    // An integral float such as 30.0 is accepted (YAML writers produce them).
    double as_float = 0.0;
    const auto [fptr, fec] = std::from_chars(begin, end, as_float);
    if (!t.empty() && fec == std::errc() && fptr == end && std::isfinite(as_float) &&
        as_float == std::trunc(as_float) && std::fabs(as_float) < 1e15)
        return static_cast<long>(as_float);
    throw_usage("{}: '{}' is not an integer", where, text);
}

namespace {

// --- assigning one option ----------------------------------------------------------------------

bool is_path_option(std::string_view name) { return name == "top_traj_file" || name == "force_file"; }

std::string resolve_path(const std::string& path, const fs::path& base) {
    fs::path p(path);
    if (p.is_relative()) p = base / p;
    return p.lexically_normal().string();
}

// A value as given: one or more texts, and whether it came as a list.
struct GivenValue {
    std::vector<std::string> texts;
    bool is_list = false;
};

const std::string& single_text(const GivenValue& v, std::string_view where) {
    if (v.is_list || v.texts.size() != 1)
        throw_usage("{}: expected a single value, got a list of {}", where, v.texts.size());
    return v.texts.front();
}

int to_int(long value, std::string_view where) {
    if (value < std::numeric_limits<int>::min() || value > std::numeric_limits<int>::max())
        throw_usage("{}: {} is out of range", where, value);
    return static_cast<int>(value);
}

template <typename Enum>
Enum parse_choice(const OptionSpec& spec, const std::string& text, std::string_view where) {
    for (std::size_t i = 0; i < spec.choices.size(); ++i)
        if (spec.choices[i] == text) return static_cast<Enum>(i);
    std::string valid;
    for (const auto c : spec.choices) valid += (valid.empty() ? "" : ", ") + std::string(c);
    throw_usage("{}: '{}' is not valid (valid: {})", where, text, valid);
}

void assign(Options& options, const OptionSpec& spec, const GivenValue& given, std::string_view where,
            const fs::path& path_base) {
    std::visit(
        [&](auto member) {
            using T = std::remove_reference_t<decltype(options.*member)>;
            if constexpr (std::is_same_v<T, bool>) {
                options.*member = parse_bool(single_text(given, where), where);
            } else if constexpr (std::is_same_v<T, long>) {
                options.*member = parse_int(single_text(given, where), where);
            } else if constexpr (std::is_same_v<T, int>) {
                options.*member = to_int(parse_int(single_text(given, where), where), where);
            } else if constexpr (std::is_same_v<T, std::optional<int>>) {
                options.*member = to_int(parse_int(single_text(given, where), where), where);
            } else if constexpr (std::is_same_v<T, double>) {
                options.*member = parse_float(single_text(given, where), where);
            } else if constexpr (std::is_same_v<T, std::string> || std::is_same_v<T, std::optional<std::string>>) {
                std::string text = single_text(given, where);
                if (is_path_option(spec.name)) {
                    if (text.empty()) throw_usage("{}: empty path", where);
                    text = resolve_path(text, path_base);
                }
                options.*member = std::move(text);
            } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
                if (given.texts.empty()) throw_usage("{}: expected at least one file", where);
                std::vector<std::string> paths;
                for (const auto& t : given.texts) {
                    if (t.empty()) throw_usage("{}: empty path", where);
                    paths.push_back(resolve_path(t, path_base));
                }
                options.*member = std::move(paths);
            } else {
                options.*member = parse_choice<T>(spec, single_text(given, where), where);
            }
        },
        spec.member);
}

// --- YAML --------------------------------------------------------------------------------------

GivenValue given_from_yaml(const YAML::Node& node, std::string_view where) {
    GivenValue v;
    if (node.IsScalar()) {
        v.texts.push_back(node.Scalar());
    } else if (node.IsSequence()) {
        v.is_list = true;
        for (const auto& item : node) {
            if (!item.IsScalar()) throw_usage("{}: list items must be plain values", where);
            v.texts.push_back(item.Scalar());
        }
    } else {
        throw_usage("{}: expected a value or a list, got a mapping", where);
    }
    return v;
}

}  // namespace

std::vector<RunConfig> build_runs(const std::optional<std::string>& yaml_text,
                                  const std::string& config_label, const fs::path& config_dir,
                                  const CliValues& cli, const fs::path& cwd) {
    struct YamlRun {
        std::string name;
        std::vector<std::pair<std::string, YAML::Node>> entries;
    };
    std::vector<YamlRun> yaml_runs;

    if (yaml_text) {
        YAML::Node root;
        try {
            root = YAML::Load(*yaml_text);
        } catch (const YAML::Exception& e) {
            throw_usage("{}: invalid YAML: {}", config_label, e.what());
        }
        if (root.IsDefined() && !root.IsNull()) {
            if (!root.IsMap())
                throw_usage("{}: the top level must be a mapping of run name -> options (e.g. 'run1:')",
                            config_label);
            for (const auto& run : root) {
                if (!run.first.IsScalar()) throw_usage("{}: run names must be plain text", config_label);
                YamlRun r{run.first.Scalar(), {}};
                const YAML::Node& body = run.second;
                if (body.IsMap()) {
                    for (const auto& kv : body) {
                        if (!kv.first.IsScalar())
                            throw_usage("{} {}: option names must be plain text", config_label, r.name);
                        r.entries.emplace_back(kv.first.Scalar(), kv.second);
                    }
                } else if (!body.IsNull()) {
                    throw_usage("{} {}: expected a mapping of options under the run name", config_label,
                                r.name);
                }
                yaml_runs.push_back(std::move(r));
            }
        }
    }
    if (yaml_runs.empty()) yaml_runs.push_back({"run1", {}});

    std::vector<RunConfig> runs;
    for (const auto& yr : yaml_runs) {
        RunConfig run;
        run.name = yr.name;
        run.output_base = cwd;
        for (const auto& [key, node] : yr.entries) {
            const std::string where = fmt::format("{} {}: key '{}'", config_label, yr.name, key);
            const OptionSpec* spec = find_option(key);
            if (!spec) {
                const std::string guess = suggest_option(key);
                if (!guess.empty())
                    throw_usage("{} {}: unknown key '{}' (did you mean '{}'?)", config_label, yr.name, key,
                                guess);
                throw_usage("{} {}: unknown key '{}' (valid keys: {})", config_label, yr.name, key,
                            valid_names());
            }
            if (node.IsNull()) continue;  // as CodeEntropy: null keeps the current value
            // Checked even when the command line overrides it: a bad config is reported.
            assign(run.options, *spec, given_from_yaml(node, where), where, config_dir);
            if (key == "output_file" && !cli.contains(key)) {
                run.output_base = config_dir;
                run.output_from_cli_or_default = false;
            }
        }
        for (const auto& [key, texts] : cli) {  // the command line wins
            const OptionSpec* spec = find_option(key);
            if (!spec) throw InternalError(fmt::format("command-line option '{}' has no spec", key));
            const std::string where = fmt::format("option --{}", key);
            GivenValue given{texts, spec->kind == OptionKind::StringList};
            if (spec->kind != OptionKind::StringList && texts.size() > 1)
                given.texts = {texts.back()};  // a repeated flag: the last one counts
            assign(run.options, *spec, given, where, cwd);
        }
        runs.push_back(std::move(run));
    }
    return runs;
}

std::vector<RunConfig> load_runs(const CommandLine& cl) {
    const fs::path cwd = fs::current_path();
    std::optional<fs::path> config_path;
    if (cl.config_file) {
        config_path = fs::path(*cl.config_file);
        if (config_path->is_relative()) config_path = cwd / *config_path;
        std::error_code ec;
        if (!fs::exists(*config_path, ec)) throw_data("--config: {}: no such file", cl.config_file->c_str());
        if (fs::is_directory(*config_path, ec)) throw_data("--config: {}: is a directory", cl.config_file->c_str());
    } else if (std::error_code ec; fs::is_regular_file(cwd / "config.yaml", ec)) {
        config_path = cwd / "config.yaml";
    }
    if (!config_path) return build_runs(std::nullopt, "", cwd, cl.values, cwd);

    std::ifstream in(*config_path, std::ios::binary);
    if (!in) throw_data("{}: cannot read the config file", config_path->string());
    std::stringstream text;
    text << in.rdbuf();
    const std::string label = cl.config_file ? *cl.config_file : std::string("config.yaml");
    return build_runs(text.str(), label, config_path->lexically_normal().parent_path(), cl.values, cwd);
}

// --- validation --------------------------------------------------------------------------------

std::vector<std::string> validate_options(const Options& o, std::string_view run_name) {
    const std::string run = run_name.empty() ? std::string() : fmt::format("run {}: ", run_name);
    if (o.top_traj_file.empty())
        throw_usage("{}top_traj_file is required (topology first, then trajectories): give "
                    "--top_traj_file or set it in the config file",
                    run);
    if (o.selection_string.empty()) throw_usage("{}selection_string must not be empty", run);
    if (!(o.temperature > 0.0)) throw_usage("{}temperature {} is invalid: it must be > 0 K", run, o.temperature);
    if (o.bin_width < 1 || o.bin_width > 360)
        throw_usage("{}bin_width {} is invalid: it must be between 1 and 360 degrees", run, o.bin_width);
    if (o.step <= 0) throw_usage("{}step {} is invalid: it must be > 0", run, o.step);
    if (o.start < 0) throw_usage("{}start {} is invalid: it must be >= 0", run, o.start);
    if (o.end < -1) throw_usage("{}end {} is invalid: it must be -1 (all frames) or >= 0", run, o.end);
    if (o.end != -1 && o.start >= o.end)
        throw_usage("{}the frame selection is empty: start {} >= end {} (end is exclusive)", run, o.start, o.end);
    if (o.dask_workers && *o.dask_workers < 1)
        throw_usage("{}dask_workers {} is invalid: it must be >= 1", run, *o.dask_workers);
    if (o.dask_threads_per_worker < 1)
        throw_usage("{}dask_threads_per_worker {} is invalid: it must be >= 1", run, o.dask_threads_per_worker);
    if (o.hpc_nodes < 1) throw_usage("{}hpc_nodes {} is invalid: it must be >= 1", run, o.hpc_nodes);
    if (o.hpc_cores < 1) throw_usage("{}hpc_cores {} is invalid: it must be >= 1", run, o.hpc_cores);
    if (o.hpc_processes < 1) throw_usage("{}hpc_processes {} is invalid: it must be >= 1", run, o.hpc_processes);
    if (o.threads < 0) throw_usage("{}threads {} is invalid: it must be >= 0 (0 = automatic)", run, o.threads);
    if (o.submit)
        throw_usage("{}submit: mcc-entropy does not submit SLURM jobs; run it inside your own job script "
                    "(with mpirun/srun for several nodes)",
                    run);
    if (o.output_file.empty()) throw_usage("{}output_file must not be empty", run);

    std::vector<std::string> warnings;
    if (o.force_partitioning != 0.5)
        warnings.push_back(fmt::format("{}force_partitioning is {}, not the usual 0.5", run, o.force_partitioning));
    return warnings;
}

void check_input_files(const Options& o) {
    auto check = [](const std::string& option, const std::string& path) {
        std::error_code ec;
        if (!fs::exists(path, ec)) throw_data("{}: {}: no such file", option, path);
        if (fs::is_directory(path, ec)) throw_data("{}: {}: is a directory, not a file", option, path);
    };
    for (const auto& p : o.top_traj_file) check("top_traj_file", p);
    if (o.force_file) check("force_file", *o.force_file);
}

// --- command line ------------------------------------------------------------------------------

std::string help_text() {
    std::string out = fmt::format(
        "mcc-entropy {} - Multiscale Cell Correlation entropy from MD trajectories with forces\n\n"
        "Usage: mcc-entropy [--config FILE] [--OPTION VALUE ...]\n"
        "       mcc-entropy --info [--config FILE] [--OPTION VALUE ...]\n\n"
        "Options are read from the YAML config (CodeEntropy format: run name -> options; default\n"
        "./config.yaml when present); a flag given on the command line overrides the YAML.\n"
        "Booleans take a value: true/false, yes/no, 1/0 (verbose and quiet are bare flags).\n\n"
        "General:\n"
        "  --config FILE          YAML config file (default: ./config.yaml when present)\n"
        "  --info                 describe the system (atoms, molecules, groups, frames) and exit\n"
        "  --help, -h             this text\n"
        "  --version              program version\n\n"
        "Run options (default in brackets):\n",
        MCC_VERSION);
    for (const auto& s : option_specs()) {
        std::string arg;
        switch (s.kind) {
            case OptionKind::Flag: break;
            case OptionKind::Bool: arg = " BOOL"; break;
            case OptionKind::Int:
            case OptionKind::OptionalInt: arg = " INT"; break;
            case OptionKind::Float: arg = " FLOAT"; break;
            case OptionKind::StringList: arg = " FILE..."; break;
            case OptionKind::Choice: {
                std::string c;
                for (const auto v : s.choices) c += (c.empty() ? "" : "|") + std::string(v);
                arg = " " + c;
                break;
            }
            default: arg = (s.name == "force_file" || s.name == "output_file") ? " FILE" : " TEXT"; break;
        }
        out += fmt::format("  --{}{}\n      {} [{}]\n", s.name, arg, s.help, s.default_text);
    }
    out += "\nExit status: 0 success, 1 data error (missing/bad input file), 2 usage error.\n";
    return out;
}

std::optional<CommandLine> parse_command_line(int argc, const char* const* argv) {
    CommandLine cl;
    for (int i = 0; i < argc; ++i) cl.arguments.emplace_back(argv[i]);
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        if (a == "--help" || a == "-h") {
            fmt::print("{}", help_text());
            return std::nullopt;
        }
        if (a == "--version") {
            fmt::print("mcc-entropy {}\n", MCC_VERSION);
            return std::nullopt;
        }
    }

    CLI::App app{"mcc-entropy"};
    app.set_help_flag();
    std::string config;
    CLI::Option* config_option =
        app.add_option("--config", config)->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    app.add_flag("--info", cl.info);
    // Every option is captured as text and converted later, by the same code as YAML values.
    std::map<std::string, std::vector<std::string>> storage;
    std::vector<std::pair<std::string, CLI::Option*>> registered;
    std::map<std::string, bool> flags;
    for (const auto& s : option_specs()) {
        const std::string name(s.name);
        CLI::Option* opt = nullptr;
        if (s.kind == OptionKind::Flag) {
            opt = app.add_flag("--" + name, flags[name]);
        } else if (s.kind == OptionKind::StringList) {
            opt = app.add_option("--" + name, storage[name]);
        } else {
            opt = app.add_option("--" + name, storage[name])
                      ->expected(1)
                      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
        }
        registered.emplace_back(name, opt);
    }

    std::vector<std::string> args;
    for (int i = argc - 1; i >= 1; --i) args.emplace_back(argv[i]);  // CLI11 wants them reversed
    try {
        app.parse(args);
    } catch (const CLI::ExtrasError&) {
        for (const auto& extra : app.remaining()) {
            if (extra.rfind("-", 0) == 0) {
                const std::size_t start = std::min(extra.find_first_not_of('-'), extra.size());
                const std::string bare = extra.substr(start);
                const std::string guess = bare.empty() ? std::string() : suggest_option(bare.substr(0, bare.find('=')));
                if (!guess.empty()) throw_usage("unknown option '{}' (did you mean '--{}'?)", extra, guess);
                throw_usage("unknown option '{}'; see --help for the valid options", extra);
            }
        }
        throw_usage("unexpected argument '{}'; options are --name value (see --help)",
                    app.remaining().empty() ? std::string() : app.remaining().front());
    } catch (const CLI::ParseError& e) {
        throw_usage("{}", e.what());
    }

    if (config_option->count() > 0) cl.config_file = config;
    for (const auto& [name, opt] : registered) {
        if (opt->count() == 0) continue;
        if (find_option(name)->kind == OptionKind::Flag)
            cl.values[name] = {flags[name] ? "true" : "false"};
        else
            cl.values[name] = storage[name];
    }
    return cl;
}

}  // namespace mcc
