// The bundled example end to end, from the repository alone (no ../shared): the result does
// not depend on the number of threads or MPI ranks, the stage timings add up, and the values
// stay those validated when the pipeline first matched every CodeEntropy reference case.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

json run_example(const std::string& launcher, const std::string& flags) {
    const fs::path out = fs::temp_directory_path() / fmt::format("mcc-example-{}-{}.json", ::getpid(), std::rand());
    const std::string cmd =
        fmt::format("cd '{}/examples' && {} '{}' --config config.yaml --output_file '{}' --quiet {} 2>&1",
                    MCC_SOURCE_DIR, launcher, MCC_BINARY, out.string(), flags);
    std::string log;
    FILE* p = popen(cmd.c_str(), "r");
    if (!p) return {};
    char buf[512];
    while (fgets(buf, sizeof buf, p)) log += buf;
    const int status = pclose(p);
    EXPECT_EQ(status, 0) << cmd << "\n" << log;
    std::ifstream in(out);
    if (!in) {
        ADD_FAILURE() << "no output: " << cmd << "\n" << log;
        return {};
    }
    json j = json::parse(in);
    fs::remove(out);
    return j;
}

bool have_mpirun() {
#ifdef MCC_SANITIZED
    return false;  // OpenMPI's runtime is not sanitizer-clean
#else
    return std::system("command -v mpirun >/dev/null 2>&1") == 0;
#endif
}
const char* kMpirun = "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 mpirun --oversubscribe -np 2";

}  // namespace

TEST(Example, ValuesStayValidated) {
    const json r = run_example("", "--threads 1");
    ASSERT_TRUE(r.contains("groups"));
    const auto& peptide = r["groups"]["0"]["components"];
    const auto& water = r["groups"]["1"]["components"];
    auto near = [](double got, double want) { return std::abs(got - want) <= 1e-9 * std::abs(want) + 1e-12; };
    EXPECT_TRUE(near(peptide["united_atom:Transvibrational"], 29.511571628770078)) << peptide;
    EXPECT_TRUE(near(peptide["united_atom:Rovibrational"], 141.94995884471743)) << peptide;
    EXPECT_TRUE(near(peptide["residue:Transvibrational"], 35.58547725199864)) << peptide;
    EXPECT_TRUE(near(peptide["residue:Rovibrational"], 146.23481448072326)) << peptide;
    EXPECT_TRUE(near(peptide["polymer:FTmat-Transvibrational"], 66.67120257256914)) << peptide;
    EXPECT_TRUE(near(peptide["polymer:FTmat-Rovibrational"], 57.05121526899105)) << peptide;
    EXPECT_EQ(peptide["residue:Conformational"].get<double>(), 0.0);
    EXPECT_TRUE(near(peptide["polymer:Orientational"], 28.419197249765343)) << peptide;
    EXPECT_TRUE(near(r["groups"]["0"]["total"], 505.4234372975349));
    EXPECT_TRUE(near(water["united_atom:Transvibrational"], 46.89344705229481)) << water;
    EXPECT_TRUE(near(water["united_atom:Rovibrational"], 20.807154868041994)) << water;
    EXPECT_TRUE(near(water["united_atom:Orientational"], 23.36744550758272)) << water;
    EXPECT_TRUE(near(r["groups"]["1"]["total"], 91.06804742791952));
    EXPECT_EQ(r["timings"]["frames"].get<int>(), 51);
}

TEST(Example, SameBitsForOneAndTwoThreadsAndRanks) {
    const json one = run_example("", "--threads 1");
    const json two = run_example("", "--threads 2");
    EXPECT_EQ(one["groups"], two["groups"]);  // merged in chunk order: bit-identical
    if (!have_mpirun()) GTEST_SKIP() << "mpirun not installed (or sanitizer build)";
    const json ranks = run_example(kMpirun, "--threads 1");
    EXPECT_EQ(one["groups"], ranks["groups"]);
    const json ranks_threads = run_example(kMpirun, "--threads 2");
    EXPECT_EQ(one["groups"], ranks_threads["groups"]);
}

TEST(Example, StageTimingsAddUpToTheWallTime) {
    const json r = run_example("", "--threads 2");
    double sum = 0.0;
    for (const auto& [stage, t] : r["timings"]["stages"].items()) {
        EXPECT_GE(t["wall_s"].get<double>(), 0.0) << stage;
        sum += t["wall_s"].get<double>();
    }
    for (const char* stage : {"setup", "io", "covariance", "dihedrals", "neighbours", "reduction", "pass2", "entropy"})
        EXPECT_TRUE(r["timings"]["stages"].contains(stage)) << stage;
    const double total = r["timings"]["total_wall_s"].get<double>();
    EXPECT_NEAR(sum, total, 0.05 * total);
    EXPECT_GT(r["timings"]["frames_per_second"].get<double>(), 0.0);
}

TEST(Example, MpiErrorOnEveryRankEndsTheJobWithStatus1) {
    if (!have_mpirun()) GTEST_SKIP() << "mpirun not installed (or sanitizer build)";
    const std::string cmd = fmt::format("{} '{}' --top_traj_file /nonexistent.tpr x.trr --quiet >/dev/null 2>&1",
                                        kMpirun, MCC_BINARY);
    const int status = std::system(cmd.c_str());
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_NE(WEXITSTATUS(status), 0);
}
