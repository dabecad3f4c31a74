// End to end: every reference case under ../shared/data/reference (including the DNA
// regression baselines in reference/dna-baselines) run through build/mcc-entropy must
// reproduce CodeEntropy's group components and totals within 1e-6 relative (1e-9 absolute
// where the reference value is 0), with 1 and 2 threads and with 2 MPI ranks. Skips when
// ../shared is absent.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <ostream>
#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "shared_data.hpp"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct Case {
    std::string name;  // e.g. dna/default
    fs::path yaml;
    fs::path expected;
};

// Test listings show the case name, not the object's bytes.
void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

std::vector<Case> reference_cases() {
    std::vector<Case> cases;
    const std::string data = mcc::test::shared_data_dir();
    if (data.empty()) return cases;
    // reference/dna-baselines holds CodeEntropy's own DNA regression baselines with paths
    // made relative, so one walk covers both.
    const fs::path root = fs::path(data) / "reference";
    if (!fs::is_directory(root)) return cases;
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
        if (entry.path().extension() != ".yaml") continue;
        fs::path expected = entry.path();
        expected.replace_extension(".json");
        if (!fs::exists(expected)) continue;
        cases.push_back({fs::relative(entry.path(), root).replace_extension("").string(), entry.path(), expected});
    }
    std::sort(cases.begin(), cases.end(), [](const Case& a, const Case& b) { return a.name < b.name; });
    return cases;
}

std::string test_name(const testing::TestParamInfo<Case>& info) {
    std::string n = info.param.name;
    for (char& c : n)
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
    return n;
}

// Compares every group component and total; returns a description of the first mismatches.
std::string compare_groups(const json& got, const json& ref) {
    std::string bad;
    int n_bad = 0;
    auto check = [&](const std::string& what, const json* g, double r) {
        if (!g || !g->is_number()) {
            if (n_bad++ < 5) bad += fmt::format("{} missing; ", what);
            return;
        }
        const double v = g->get<double>();
        const double err = std::abs(v - r);
        const bool ok = r != 0 ? err / std::abs(r) <= 1e-6 : err <= 1e-9;
        if (!ok && n_bad++ < 5) bad += fmt::format("{} got {:.10g} ref {:.10g}; ", what, v, r);
    };
    for (const auto& [gid, group] : ref.at("groups").items()) {
        const json* g = got.contains("groups") && got["groups"].contains(gid) ? &got["groups"][gid] : nullptr;
        if (!g) {
            if (n_bad++ < 5) bad += fmt::format("group {} missing; ", gid);
            continue;
        }
        for (const auto& [key, value] : group.at("components").items()) {
            const json* c = (*g).contains("components") && (*g)["components"].contains(key)
                                ? &(*g)["components"][key]
                                : nullptr;
            check(gid + "/" + key, c, value.get<double>());
        }
        check(gid + "/total", (*g).contains("total") ? &(*g)["total"] : nullptr, group.at("total").get<double>());
    }
    return bad;
}

class ReferenceCase : public testing::TestWithParam<Case> {
protected:
    void run_and_compare(const std::string& launcher, const std::string& extra) {
        const Case& c = GetParam();
        const fs::path out = fs::temp_directory_path() /
                             fmt::format("mcc-ref-{}-{}.json", ::getpid(), test_name({c, 0}));
        fs::remove(out);
        const std::string cmd = fmt::format("{} '{}' --config '{}' --output_file '{}' --quiet {} 2>&1", launcher,
                                            MCC_BINARY, c.yaml.string(), out.string(), extra);
        std::string log;
        if (FILE* p = popen(cmd.c_str(), "r")) {
            char buf[512];
            while (fgets(buf, sizeof buf, p)) log += buf;
            const int status = pclose(p);
            ASSERT_EQ(status, 0) << cmd << "\n" << log;
        }
        std::ifstream got_in(out), ref_in(c.expected);
        ASSERT_TRUE(got_in.good()) << "no output from: " << cmd << "\n" << log;
        const json got = json::parse(got_in), ref = json::parse(ref_in);
        const std::string bad = compare_groups(got, ref);
        EXPECT_TRUE(bad.empty()) << c.name << " (" << extra << launcher << "): " << bad;
        fs::remove(out);
    }
};

}  // namespace

TEST_P(ReferenceCase, OneThread) { run_and_compare("", "--threads 1"); }
TEST_P(ReferenceCase, TwoThreads) { run_and_compare("", "--threads 2"); }
TEST_P(ReferenceCase, TwoMpiRanks) {
    if (std::system("command -v mpirun >/dev/null 2>&1") != 0) GTEST_SKIP() << "mpirun not installed";
    run_and_compare("OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 mpirun --oversubscribe -np 2",
                    "--threads 1");
}

INSTANTIATE_TEST_SUITE_P(Shared, ReferenceCase, testing::ValuesIn(reference_cases()), test_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(ReferenceCase);

TEST(ReferenceCases, SharedDataPresentOrSkipped) {
    MCC_REQUIRE_SHARED_DATA(data);
    EXPECT_GE(reference_cases().size(), 40u);
}
