// Serial end-to-end check of the vibrational term against the CodeEntropy reference JSONs.
// Terms that need flexible-dihedral counts (UA / residue Transvibrational of the DNA) are
// compared only where the counts are known (DNA default: counts that reproduce the reference
// to 1e-15, recorded below until the conformational side provides them).
#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include <nlohmann/json.hpp>

#include "entropy/vibrational.hpp"
#include "io/formats.hpp"
#include "plan/structure.hpp"
#include "shared_data.hpp"

using namespace mcc;

namespace {

struct Case {
    std::string set, top, traj, name;
    long start = 0, end = -1, step = 1;
    void (*tweak)(Options&) = nullptr;
};

VibrationalResult run_case(const std::string& data, const Case& c, const FlexibleCounts& flex,
                           int entropy_threads = 1) {
    const Topology top = read_tpr(data + "/" + c.set + "/" + c.top);
    auto reader = open_trr(data + "/" + c.set + "/" + c.traj);
    Options o;
    if (c.tweak) c.tweak(o);
    const Structure s = build_structure(top, o.grouping);
    const VibrationalPlan plan = build_vibrational_plan(top, s, o);
    VibrationalPartial part = make_vibrational_partial(plan);
    const long end = c.end < 0 ? static_cast<long>(reader->n_frames()) : c.end;
    Frame frame;
    std::size_t position = 0;
    for (long i = c.start; i < end; i += c.step) {
        reader->read(static_cast<std::size_t>(i), frame);
        accumulate_vibrational(plan, frame, position++, part);
    }
    return finish_vibrational(plan, part, flex, entropy_threads);
}

void compare(const std::string& data, const Case& c, const VibrationalResult& r,
             const std::set<std::string>& skip = {}) {
    nlohmann::json ref;
    std::ifstream(data + "/reference/" + c.set + "/" + c.name + ".json") >> ref;
    int compared = 0;
    for (const auto& row : r.rows) {
        const std::string key = row.level + ":" + row.type;
        if (skip.count(key)) continue;
        const double want = ref["groups"][std::to_string(row.group)]["components"][key].get<double>();
        EXPECT_TRUE(std::isfinite(row.value));
        EXPECT_NEAR(row.value, want, 1e-6 * std::abs(want) + 1e-9)
            << c.set << "/" << c.name << " group " << row.group << " " << key;
        ++compared;
    }
    EXPECT_GT(compared, 0);
}

const std::set<std::string> kFlexDependent{"united_atom:Transvibrational", "residue:Transvibrational"};

}  // namespace

TEST(VibReference, Water) {
    MCC_REQUIRE_SHARED_DATA(data);
    const Case cases[] = {
        {"water", "water.tpr", "water.trr", "default"},
        {"water", "water.tpr", "water.trr", "axes_off", 0, -1, 1, [](Options& o) { o.customised_axes = false; }},
        {"water", "water.tpr", "water.trr", "params", 0, -1, 1,
         [](Options& o) { o.temperature = 310; o.force_partitioning = 0.6; o.bin_width = 15; }},
        {"water", "water.tpr", "water.trr", "window", 5, 60, 3},
    };
    for (const auto& c : cases) compare(data, c, run_case(data, c, {}));
}

TEST(VibReference, Methanol) {
    MCC_REQUIRE_SHARED_DATA(data);
    const Case cases[] = {
        {"methanol", "methanol.tpr", "methanol.trr", "default"},
        {"methanol", "methanol.tpr", "methanol.trr", "axes_off", 0, -1, 1, [](Options& o) { o.customised_axes = false; }},
        {"methanol", "methanol.tpr", "methanol.trr", "ft_off", 0, -1, 1, [](Options& o) { o.combined_forcetorque = false; }},
        {"methanol", "methanol.tpr", "methanol.trr", "params", 0, -1, 1,
         [](Options& o) { o.temperature = 310; o.force_partitioning = 0.6; o.bin_width = 15; }},
        {"methanol", "methanol.tpr", "methanol.trr", "window", 5, 60, 3},
    };
    // Methanol has no dihedral among heavy atoms of one residue: flexible counts are 0.
    for (const auto& c : cases) compare(data, c, run_case(data, c, {}));
}

TEST(VibReference, Dna) {
    MCC_REQUIRE_SHARED_DATA(data);
    const Case def{"dna", "md_A4_dna.tpr", "md_A4_dna_xf.trr", "default"};
    FlexibleCounts flex;  // reproduce dna/default exactly (to be produced by the conformational side)
    flex.united_atom = {{{0, 0}, 3}, {{0, 2}, 4}, {{1, 0}, 2}};
    flex.residue = {{1, 1}};
    compare(data, def, run_case(data, def, flex));
    const Case others[] = {
        {"dna", "md_A4_dna.tpr", "md_A4_dna_xf.trr", "axes_off", 0, -1, 1, [](Options& o) { o.customised_axes = false; }},
        {"dna", "md_A4_dna.tpr", "md_A4_dna_xf.trr", "ft_off", 0, -1, 1, [](Options& o) { o.combined_forcetorque = false; }},
        {"dna", "md_A4_dna.tpr", "md_A4_dna_xf.trr", "params", 0, -1, 1,
         [](Options& o) { o.temperature = 310; o.force_partitioning = 0.6; o.bin_width = 15; }},
        {"dna", "md_A4_dna.tpr", "md_A4_dna_xf.trr", "window", 5, 60, 3},
    };
    for (const auto& c : others) compare(data, c, run_case(data, c, {}), kFlexDependent);
}

// The merged matrices' eigenvalues may be computed on several threads (the DNA's 16 large
// united-atom matrices are enough work for it): every row and warning comes out the same.
TEST(VibReference, EntropyThreadsGiveTheSameBits) {
    MCC_REQUIRE_SHARED_DATA(data);
    const Case c{"dna", "md_A4_dna.tpr", "md_A4_dna_xf.trr", "default"};
    FlexibleCounts flex;
    flex.united_atom = {{{0, 0}, 3}, {{0, 2}, 4}, {{1, 0}, 2}};
    flex.residue = {{1, 1}};
    const VibrationalResult one = run_case(data, c, flex, 1);
    for (int threads : {2, 4}) {
        const VibrationalResult many = run_case(data, c, flex, threads);
        ASSERT_EQ(many.rows.size(), one.rows.size());
        for (std::size_t i = 0; i < one.rows.size(); ++i) {
            EXPECT_EQ(many.rows[i].type, one.rows[i].type);
            EXPECT_EQ(many.rows[i].value, one.rows[i].value) << threads << " threads, row " << i;
        }
        ASSERT_EQ(many.residue_rows.size(), one.residue_rows.size());
        for (std::size_t i = 0; i < one.residue_rows.size(); ++i)
            EXPECT_EQ(many.residue_rows[i].value, one.residue_rows[i].value) << threads << " threads";
        EXPECT_EQ(many.warnings, one.warnings);
    }
}
