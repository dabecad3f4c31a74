// End-to-end checks of the mcc-entropy binary: exit codes, messages, --help/--version, --info,
// no job folder litter on failure.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/config.hpp"
#include "shared_data.hpp"

namespace fs = std::filesystem;

namespace {

struct Outcome {
    int status = -1;
    std::string out, err;
};

std::string slurp(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// Runs the binary with `args` (shell words) in directory `cwd`.
Outcome run(const std::string& args, const fs::path& cwd) {
    const fs::path out = cwd / ".stdout", err = cwd / ".stderr";
    const std::string command = "cd '" + cwd.string() + "' && '" MCC_BINARY "' " + args + " >'" + out.string() +
                                "' 2>'" + err.string() + "'";
    const int raw = std::system(command.c_str());
    Outcome o;
    o.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    o.out = slurp(out);
    o.err = slurp(err);
    fs::remove(out);
    fs::remove(err);
    return o;
}

class Cli : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("mcc_test_cli_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + "_" +
                std::to_string(::getpid()));
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }
    bool has_job_folder() const {
        for (const auto& e : fs::directory_iterator(dir_))
            if (e.path().filename().string().rfind("job", 0) == 0) return true;
        return false;
    }
    fs::path dir_;
};

}  // namespace

TEST_F(Cli, VersionAndHelp) {
    const Outcome v = run("--version", dir_);
    EXPECT_EQ(v.status, 0);
    EXPECT_EQ(v.out, std::string("mcc-entropy ") + MCC_VERSION + "\n");
    const Outcome h = run("--help", dir_);
    EXPECT_EQ(h.status, 0);
    for (const auto& spec : mcc::option_specs())
        EXPECT_NE(h.out.find("--" + std::string(spec.name)), std::string::npos) << spec.name;
    EXPECT_EQ(run("-h --bogus", dir_).status, 0);  // help wins over other trouble
}

TEST_F(Cli, UsageErrorsExitTwo) {
    const Outcome unknown = run("--combinded_forcetorque true", dir_);
    EXPECT_EQ(unknown.status, 2);
    EXPECT_EQ(unknown.err,
              "mcc-entropy: error: unknown option '--combinded_forcetorque' (did you mean '--combined_forcetorque'?)\n");
    EXPECT_EQ(run("", dir_).status, 2);  // no top_traj_file anywhere
    EXPECT_EQ(run("--top_traj_file a.tpr --temperature -5", dir_).status, 2);
    EXPECT_EQ(run("--top_traj_file a.tpr --bin_width 400", dir_).status, 2);
    EXPECT_EQ(run("--top_traj_file a.tpr --water_entropy maybe", dir_).status, 2);
    EXPECT_EQ(run("--top_traj_file a.tpr --step", dir_).status, 2);

    std::ofstream(dir_ / "config.yaml") << "run1:\n  top_traj_file: [a.tpr]\n  combinded_forcetorque: true\n";
    const Outcome yaml = run("", dir_);  // ./config.yaml is read by default
    EXPECT_EQ(yaml.status, 2);
    EXPECT_EQ(yaml.err, "mcc-entropy: error: config.yaml run1: unknown key 'combinded_forcetorque' (did you mean "
                        "'combined_forcetorque'?)\n");
    EXPECT_FALSE(has_job_folder());
}

TEST_F(Cli, DataErrorsExitOne) {
    const Outcome missing = run("--top_traj_file missing.tpr missing.trr", dir_);
    EXPECT_EQ(missing.status, 1);
    EXPECT_EQ(missing.err, "mcc-entropy: error: top_traj_file: " + (dir_ / "missing.tpr").string() + ": no such file\n");
    EXPECT_EQ(run("--config nope.yaml", dir_).status, 1);

    // A config in another directory: its relative paths resolve there, not in the cwd.
    fs::create_directories(dir_ / "cfg");
    std::ofstream(dir_ / "cfg" / "run.yaml") << "run1:\n  top_traj_file: [sys.tpr]\n";
    std::ofstream(dir_ / "sys.tpr") << "";  // in the cwd only
    const Outcome rel = run("--config cfg/run.yaml", dir_);
    EXPECT_EQ(rel.status, 1);
    EXPECT_NE(rel.err.find((dir_ / "cfg" / "sys.tpr").string() + ": no such file"), std::string::npos) << rel.err;

    // A run that fails on its data leaves no job folder behind.
    std::ofstream(dir_ / "bad.gro") << "not a gro file\n";
    const Outcome bad = run("--top_traj_file bad.gro bad.gro --quiet", dir_);
    EXPECT_EQ(bad.status, 1) << bad.err;
    EXPECT_EQ(bad.out, "");  // --quiet: nothing but the error
    EXPECT_FALSE(has_job_folder());
}

TEST_F(Cli, InfoOnDna) {
    MCC_REQUIRE_SHARED_DATA(data);
    const Outcome info = run("--info --config '" + data + "/reference/dna/default.yaml'", dir_);
    if (info.err.find("not supported yet") != std::string::npos)
        GTEST_SKIP() << "the GROMACS readers are not merged yet: " << info.err;
    ASSERT_EQ(info.status, 0) << info.err;
    EXPECT_NE(info.out.find("Atoms           254"), std::string::npos) << info.out;
    EXPECT_NE(info.out.find("Molecules       2"), std::string::npos) << info.out;
    EXPECT_NE(info.out.find("Frames          101 in the file, 101 selected"), std::string::npos) << info.out;
    EXPECT_NE(info.out.find("Forces          present"), std::string::npos) << info.out;
    EXPECT_FALSE(has_job_folder());
}
