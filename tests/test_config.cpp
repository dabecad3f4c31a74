// Config: YAML keys and types, command line over YAML, error texts, path resolution, validation,
// job-folder numbering.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "app/config.hpp"
#include "app/output_path.hpp"
#include "core/error.hpp"

namespace fs = std::filesystem;
using namespace mcc;

namespace {

const fs::path kConfigDir = "/data/project/configs";
const fs::path kCwd = "/home/user/work";

std::vector<RunConfig> runs_from(const std::string& yaml, const CliValues& cli = {}) {
    return build_runs(yaml, "config.yaml", kConfigDir, cli, kCwd);
}

std::string usage_error(const std::string& yaml, const CliValues& cli = {}) {
    try {
        runs_from(yaml, cli);
    } catch (const UsageError& e) {
        return e.what();
    }
    return "(no error)";
}

// A fresh empty directory under the system temp dir.
fs::path temp_dir(const std::string& tag) {
    const fs::path dir = fs::temp_directory_path() / ("mcc_test_config_" + tag + "_" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

}  // namespace

TEST(Config, EveryKeyAndType) {
    const std::string yaml = R"(---
run1:
  top_traj_file: ["top.tpr", "a.trr", "b.trr"]
  force_file: "forces.frc"
  file_format: "MDCRD"
  kcal_force_units: true
  selection_string: "resid 1:10"
  start: 2
  end: 50
  step: 3
  bin_width: 15
  temperature: 310.5
  verbose: yes
  output_file: "res.json"
  force_partitioning: 0.25
  water_entropy: false
  grouping: each
  combined_forcetorque: False
  customised_axes: "no"
  search_type: grid
  parallel_frames: 1
  use_dask: true
  dask_workers: 4
  dask_threads_per_worker: 2
  hpc: true
  hpc_account: acc
  hpc_qos: q
  hpc_constraint: c
  hpc_queue: part
  hpc_cores: 8
  hpc_processes: 3
  hpc_memory: 16GB
  hpc_walltime: "02:00:00"
  hpc_nodes: 5
  submit: false
  conda_path: /opt/conda
  conda_exec: mamba
  conda_env: ce
  conventions: codeentropy
  threads: 6
  quiet: true
)";
    const auto runs = runs_from(yaml);
    ASSERT_EQ(runs.size(), 1u);
    EXPECT_EQ(runs[0].name, "run1");
    const Options& o = runs[0].options;
    EXPECT_EQ(o.top_traj_file, (std::vector<std::string>{"/data/project/configs/top.tpr",
                                                        "/data/project/configs/a.trr",
                                                        "/data/project/configs/b.trr"}));
    EXPECT_EQ(o.force_file, "/data/project/configs/forces.frc");
    EXPECT_EQ(o.file_format, "MDCRD");
    EXPECT_TRUE(o.kcal_force_units);
    EXPECT_EQ(o.selection_string, "resid 1:10");
    EXPECT_EQ(o.start, 2);
    EXPECT_EQ(o.end, 50);
    EXPECT_EQ(o.step, 3);
    EXPECT_EQ(o.bin_width, 15);
    EXPECT_EQ(o.temperature, 310.5);
    EXPECT_TRUE(o.verbose);
    EXPECT_EQ(o.output_file, "res.json");
    EXPECT_EQ(o.force_partitioning, 0.25);
    EXPECT_FALSE(o.water_entropy);
    EXPECT_EQ(o.grouping, Grouping::Each);
    EXPECT_FALSE(o.combined_forcetorque);
    EXPECT_FALSE(o.customised_axes);
    EXPECT_EQ(o.search_type, SearchType::Grid);
    EXPECT_TRUE(o.parallel_frames);
    EXPECT_TRUE(o.use_dask);
    EXPECT_EQ(o.dask_workers, 4);
    EXPECT_EQ(o.dask_threads_per_worker, 2);
    EXPECT_TRUE(o.hpc);
    EXPECT_EQ(o.hpc_account, "acc");
    EXPECT_EQ(o.hpc_qos, "q");
    EXPECT_EQ(o.hpc_constraint, "c");
    EXPECT_EQ(o.hpc_queue, "part");
    EXPECT_EQ(o.hpc_cores, 8);
    EXPECT_EQ(o.hpc_processes, 3);
    EXPECT_EQ(o.hpc_memory, "16GB");
    EXPECT_EQ(o.hpc_walltime, "02:00:00");
    EXPECT_EQ(o.hpc_nodes, 5);
    EXPECT_FALSE(o.submit);
    EXPECT_EQ(o.conda_path, "/opt/conda");
    EXPECT_EQ(o.conda_exec, "mamba");
    EXPECT_EQ(o.conda_env, "ce");
    EXPECT_EQ(o.conventions, Conventions::CodeEntropy);
    EXPECT_EQ(o.threads, 6);
    EXPECT_TRUE(o.quiet);
    EXPECT_EQ(o.reference_worker_count(), 4);  // dask_workers wins over hpc
    // A YAML output_file with a directory part resolves against the config's directory.
    EXPECT_EQ(runs[0].output_base, kConfigDir);
}

TEST(Config, DefaultsWhenNothingGiven) {
    const auto runs = build_runs(std::nullopt, "", kCwd, {}, kCwd);
    ASSERT_EQ(runs.size(), 1u);
    EXPECT_EQ(runs[0].name, "run1");
    const Options& o = runs[0].options;
    EXPECT_TRUE(o.top_traj_file.empty());
    EXPECT_EQ(o.selection_string, "all");
    EXPECT_EQ(o.end, -1);
    EXPECT_EQ(o.bin_width, 30);
    EXPECT_EQ(o.temperature, 298.0);
    EXPECT_EQ(o.output_file, "output_file.json");
    EXPECT_TRUE(o.water_entropy);
    EXPECT_TRUE(o.combined_forcetorque);
    EXPECT_FALSE(o.dask_workers.has_value());
    EXPECT_EQ(o.hpc_memory, "4GB");
    EXPECT_EQ(runs[0].output_base, kCwd);
}

TEST(Config, SingleStringTopTrajFileAndNulls) {
    const auto runs = runs_from("run1:\n  top_traj_file: sys.tpr\n  force_file: null\n  dask_workers: ~\n");
    EXPECT_EQ(runs[0].options.top_traj_file, std::vector<std::string>{"/data/project/configs/sys.tpr"});
    EXPECT_FALSE(runs[0].options.force_file.has_value());
    EXPECT_FALSE(runs[0].options.dask_workers.has_value());
}

TEST(Config, PathResolution) {
    const auto runs = runs_from("run1:\n  top_traj_file: [x.tpr, ../y.trr, /abs/z.trr, ./sub/w.trr]\n");
    EXPECT_EQ(runs[0].options.top_traj_file,
              (std::vector<std::string>{"/data/project/configs/x.tpr", "/data/project/y.trr", "/abs/z.trr",
                                        "/data/project/configs/sub/w.trr"}));
    // Command-line paths resolve against the working directory.
    const auto cli = runs_from("run1:\n  top_traj_file: [x.tpr]\n",
                               {{"top_traj_file", {"in/a.tpr", "b.trr"}}, {"force_file", {"../f.trr"}}});
    EXPECT_EQ(cli[0].options.top_traj_file,
              (std::vector<std::string>{"/home/user/work/in/a.tpr", "/home/user/work/b.trr"}));
    EXPECT_EQ(cli[0].options.force_file, "/home/user/f.trr");
}

TEST(Config, CommandLineAlwaysOverridesYaml) {
    const std::string yaml = "run1:\n  temperature: 300\n  water_entropy: false\n  bin_width: 10\n"
                             "run2:\n  temperature: 310\n";
    // The CLI value equals the default, yet it wins (CodeEntropy would let the YAML win).
    const auto runs = runs_from(yaml, {{"temperature", {"298.0"}}, {"water_entropy", {"true"}}});
    ASSERT_EQ(runs.size(), 2u);
    EXPECT_EQ(runs[0].options.temperature, 298.0);
    EXPECT_TRUE(runs[0].options.water_entropy);
    EXPECT_EQ(runs[0].options.bin_width, 10);
    EXPECT_EQ(runs[1].options.temperature, 298.0);
    // Runs are independent: run1's bin_width does not leak into run2.
    EXPECT_EQ(runs[1].options.bin_width, 30);
    // A CLI output_file resolves against the working directory.
    const auto out = runs_from("run1:\n  output_file: a/b.json\n", {{"output_file", {"c/d.json"}}});
    EXPECT_EQ(out[0].options.output_file, "c/d.json");
    EXPECT_EQ(out[0].output_base, kCwd);
    // An ill-typed YAML value is reported even when the command line overrides it.
    EXPECT_EQ(usage_error("run1:\n  start: x\n", {{"start", {"1"}}}), "config.yaml run1: key 'start': 'x' is not an integer");
}

TEST(Config, RunsInFileOrderAndEmptyRun) {
    const auto runs = runs_from("zeta:\n  step: 2\nalpha:\nmid:\n  step: 5\n");
    ASSERT_EQ(runs.size(), 3u);
    EXPECT_EQ(runs[0].name, "zeta");
    EXPECT_EQ(runs[0].options.step, 2);
    EXPECT_EQ(runs[1].name, "alpha");
    EXPECT_EQ(runs[1].options.step, 1);
    EXPECT_EQ(runs[2].name, "mid");
    EXPECT_EQ(runs[2].options.step, 5);
    // An empty file is one run from the command line alone.
    EXPECT_EQ(runs_from("").size(), 1u);
    EXPECT_EQ(runs_from("---\n").size(), 1u);
}

TEST(Config, UnknownKeyNamesKeyAndSuggests) {
    EXPECT_EQ(usage_error("run1:\n  combinded_forcetorque: true\n"),
              "config.yaml run1: unknown key 'combinded_forcetorque' (did you mean 'combined_forcetorque'?)");
    EXPECT_EQ(usage_error("run1:\n  Temperature: 300\n"),
              "config.yaml run1: unknown key 'Temperature' (did you mean 'temperature'?)");
    const std::string far = usage_error("run1:\n  banana: 1\n");
    EXPECT_NE(far.find("unknown key 'banana' (valid keys: top_traj_file, force_file,"), std::string::npos) << far;
    EXPECT_NE(far.find("conda_env, conventions, threads, quiet)"), std::string::npos) << far;
}

TEST(Config, IllTypedValues) {
    EXPECT_EQ(usage_error("run1:\n  start: abc\n"), "config.yaml run1: key 'start': 'abc' is not an integer");
    EXPECT_EQ(usage_error("run1:\n  step: 1.5\n"), "config.yaml run1: key 'step': '1.5' is not an integer");
    EXPECT_EQ(usage_error("run1:\n  temperature: hot\n"),
              "config.yaml run1: key 'temperature': 'hot' is not a finite number");
    EXPECT_EQ(usage_error("run1:\n  water_entropy: maybe\n"),
              "config.yaml run1: key 'water_entropy': 'maybe' is not a boolean (use true/false, yes/no, 1/0)");
    EXPECT_EQ(usage_error("run1:\n  grouping: moleculez\n"),
              "config.yaml run1: key 'grouping': 'moleculez' is not valid (valid: molecules, each)");
    EXPECT_EQ(usage_error("run1:\n  search_type: rad\n"),
              "config.yaml run1: key 'search_type': 'rad' is not valid (valid: RAD, grid)");
    EXPECT_EQ(usage_error("run1:\n  temperature: [1, 2]\n"),
              "config.yaml run1: key 'temperature': expected a single value, got a list of 2");
    EXPECT_EQ(usage_error("run1:\n  bin_width: 99999999999\n"),
              "config.yaml run1: key 'bin_width': 99999999999 is out of range");
    EXPECT_EQ(usage_error("run1: 5\n"), "config.yaml run1: expected a mapping of options under the run name");
    EXPECT_NE(usage_error("- a\n- b\n").find("top level must be a mapping"), std::string::npos);
    EXPECT_NE(usage_error("run1:\n  start: [1\n").find("config.yaml: invalid YAML"), std::string::npos);
    // Command-line values get the same checks, naming the option.
    EXPECT_EQ(usage_error("", {{"end", {"x"}}}), "option --end: 'x' is not an integer");
    // Integral floats are accepted for integers (bin_width: 30.0).
    EXPECT_EQ(runs_from("run1:\n  bin_width: 30.0\n")[0].options.bin_width, 30);
}

TEST(Config, ScalarParsers) {
    for (const char* t : {"true", "True", "TRUE", "t", "yes", "Y", "1", "on"}) EXPECT_TRUE(parse_bool(t, "x")) << t;
    for (const char* t : {"false", "False", "f", "no", "N", "0", "off"}) EXPECT_FALSE(parse_bool(t, "x")) << t;
    EXPECT_THROW(parse_bool("2", "x"), UsageError);
    EXPECT_EQ(parse_int("-1", "x"), -1);
    EXPECT_EQ(parse_int("+7", "x"), 7);
    EXPECT_THROW(parse_int("7a", "x"), UsageError);
    EXPECT_EQ(parse_float("298", "x"), 298.0);
    EXPECT_EQ(parse_float("2.5e2", "x"), 250.0);
    EXPECT_THROW(parse_float("nan", "x"), UsageError);
    EXPECT_THROW(parse_float("inf", "x"), UsageError);
    EXPECT_THROW(parse_float("", "x"), UsageError);
}

TEST(Config, CommandLineParsing) {
    const char* argv[] = {"mcc-entropy", "--top_traj_file", "a.tpr", "b.trr", "--end", "-1", "--start=3",
                          "--verbose", "--water_entropy", "no", "--config", "c.yaml", "--info",
                          "--temperature", "300", "--temperature", "310"};
    const auto cl = parse_command_line(static_cast<int>(std::size(argv)), argv);
    ASSERT_TRUE(cl.has_value());
    EXPECT_TRUE(cl->info);
    EXPECT_EQ(cl->config_file, "c.yaml");
    EXPECT_EQ(cl->values.at("top_traj_file"), (std::vector<std::string>{"a.tpr", "b.trr"}));
    EXPECT_EQ(cl->values.at("end"), std::vector<std::string>{"-1"});
    EXPECT_EQ(cl->values.at("start"), std::vector<std::string>{"3"});
    EXPECT_EQ(cl->values.at("verbose"), std::vector<std::string>{"true"});
    EXPECT_EQ(cl->values.at("water_entropy"), std::vector<std::string>{"no"});
    EXPECT_FALSE(cl->values.contains("step"));  // not given = not set
    const auto runs = build_runs(std::nullopt, "", kCwd, cl->values, kCwd);
    EXPECT_EQ(runs[0].options.temperature, 310.0);  // a repeated flag: the last one
    EXPECT_FALSE(runs[0].options.water_entropy);
    EXPECT_TRUE(runs[0].options.verbose);
}

TEST(Config, CommandLineErrors) {
    auto error_of = [](std::vector<const char*> argv) -> std::string {
        argv.insert(argv.begin(), "mcc-entropy");
        try {
            parse_command_line(static_cast<int>(argv.size()), argv.data());
        } catch (const UsageError& e) {
            return e.what();
        }
        return "(no error)";
    };
    EXPECT_EQ(error_of({"--combinded_forcetorque", "true"}),
              "unknown option '--combinded_forcetorque' (did you mean '--combined_forcetorque'?)");
    EXPECT_EQ(error_of({"--banana"}), "unknown option '--banana'; see --help for the valid options");
    EXPECT_NE(error_of({"--start"}).find("--start"), std::string::npos);
    EXPECT_NE(error_of({"stray"}).find("unexpected argument 'stray'"), std::string::npos);
    EXPECT_NE(error_of({"--quiet", "yes"}).find("unexpected argument 'yes'"), std::string::npos);  // bare flag
    EXPECT_NE(error_of({"-"}).find("'-'"), std::string::npos);
}

TEST(Config, HelpListsEveryOptionWithDefault) {
    const std::string help = help_text();
    for (const auto& spec : option_specs()) {
        EXPECT_NE(help.find("--" + std::string(spec.name)), std::string::npos) << spec.name;
        EXPECT_NE(help.find("[" + std::string(spec.default_text) + "]"), std::string::npos) << spec.name;
    }
    EXPECT_EQ(option_specs().size(), 39u);  // CodeEntropy's 36 keys + conventions, threads, quiet
}

TEST(Config, Validation) {
    auto error_of = [](auto change) -> std::string {
        Options o;
        o.top_traj_file = {"/x.tpr"};
        change(o);
        try {
            validate_options(o, "");
        } catch (const UsageError& e) {
            return e.what();
        }
        return "(no error)";
    };
    EXPECT_EQ(error_of([](Options&) {}), "(no error)");
    EXPECT_NE(error_of([](Options& o) { o.top_traj_file.clear(); }).find("top_traj_file is required"),
              std::string::npos);
    EXPECT_EQ(error_of([](Options& o) { o.temperature = 0.0; }),
              "temperature 0 is invalid: it must be > 0 K");
    EXPECT_EQ(error_of([](Options& o) { o.bin_width = 0; }),
              "bin_width 0 is invalid: it must be between 1 and 360 degrees");
    EXPECT_EQ(error_of([](Options& o) { o.bin_width = 360; }), "(no error)");
    EXPECT_EQ(error_of([](Options& o) { o.bin_width = 361; }),
              "bin_width 361 is invalid: it must be between 1 and 360 degrees");
    EXPECT_EQ(error_of([](Options& o) { o.step = 0; }), "step 0 is invalid: it must be > 0");
    EXPECT_EQ(error_of([](Options& o) { o.start = -1; }), "start -1 is invalid: it must be >= 0");
    EXPECT_EQ(error_of([](Options& o) { o.end = -2; }), "end -2 is invalid: it must be -1 (all frames) or >= 0");
    EXPECT_EQ(error_of([](Options& o) { o.start = 5; o.end = 5; }),
              "the frame selection is empty: start 5 >= end 5 (end is exclusive)");
    EXPECT_EQ(error_of([](Options& o) { o.dask_workers = 0; }), "dask_workers 0 is invalid: it must be >= 1");
    EXPECT_EQ(error_of([](Options& o) { o.threads = -1; }),
              "threads -1 is invalid: it must be >= 0 (0 = automatic)");
    EXPECT_NE(error_of([](Options& o) { o.submit = true; }).find("submit:"), std::string::npos);
    Options o;
    o.top_traj_file = {"/x.tpr"};
    o.force_partitioning = 0.4;
    EXPECT_EQ(validate_options(o, "run2"),
              std::vector<std::string>{"run run2: force_partitioning is 0.4, not the usual 0.5"});
}

TEST(Config, LoadRunsFromFileAndMissingFiles) {
    const fs::path dir = temp_dir("load");
    fs::create_directories(dir / "cfg");
    std::ofstream(dir / "cfg" / "my.yaml") << "run1:\n  top_traj_file: [sys.tpr, sys.trr]\n  output_file: out/r.json\n";
    CommandLine cl;
    cl.config_file = (dir / "cfg" / "my.yaml").string();
    const auto runs = load_runs(cl);
    EXPECT_EQ(runs[0].options.top_traj_file,
              (std::vector<std::string>{(dir / "cfg" / "sys.tpr").string(), (dir / "cfg" / "sys.trr").string()}));
    EXPECT_EQ(runs[0].output_base, dir / "cfg");
    try {
        check_input_files(runs[0].options);
        FAIL() << "missing input accepted";
    } catch (const DataError& e) {
        EXPECT_EQ(std::string(e.what()), "top_traj_file: " + (dir / "cfg" / "sys.tpr").string() + ": no such file");
    }
    std::ofstream(dir / "cfg" / "sys.tpr") << "x";
    std::ofstream(dir / "cfg" / "sys.trr") << "x";
    EXPECT_NO_THROW(check_input_files(runs[0].options));
    cl.config_file = (dir / "nope.yaml").string();
    EXPECT_THROW(load_runs(cl), DataError);
    fs::remove_all(dir);
}

TEST(OutputPath, JobFolderNumbering) {
    const fs::path dir = temp_dir("jobs");
    EXPECT_EQ(next_job_folder_name(dir), "job001");
    EXPECT_EQ(create_job_folder(dir), dir / "job001");
    EXPECT_EQ(create_job_folder(dir), dir / "job002");
    fs::create_directory(dir / "job7");
    fs::create_directory(dir / "jobABC");
    std::ofstream(dir / "job12x") << "";   // not an integer: ignored
    std::ofstream(dir / "job010") << "";   // a file counts too, as in CodeEntropy
    EXPECT_EQ(next_job_folder_name(dir), "job011");
    EXPECT_EQ(create_job_folder(dir), dir / "job011");
    fs::create_directory(dir / "job999");
    EXPECT_EQ(create_job_folder(dir), dir / "job1000");
    EXPECT_TRUE(fs::is_directory(dir / "job1000"));
    fs::remove_all(dir);
}

TEST(OutputPath, NamesAndRunPrefix) {
    EXPECT_TRUE(is_bare_file_name("output_file.json"));
    EXPECT_FALSE(is_bare_file_name("./out.json"));
    EXPECT_FALSE(is_bare_file_name("res/out.json"));
    EXPECT_FALSE(is_bare_file_name("/tmp/out.json"));
    EXPECT_EQ(run_file_name("output_file.json", "run2", false), "output_file.json");
    EXPECT_EQ(run_file_name("output_file.json", "run2", true), "run2_output_file.json");
    EXPECT_EQ(run_file_name("res/out.json", "b", true), "res/b_out.json");
}
