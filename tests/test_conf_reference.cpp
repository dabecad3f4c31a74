// End to end, serial: real topologies and trajectories -> dihedral plan -> frame kernel over the
// selected frames -> conformational rows, compared with CodeEntropy 2.3's JSON output
// (united_atom:Conformational, residue:Conformational) and with the flexible-dihedral counts
// its own code path gives (obtained by running CodeEntropy's ConformationStateBuilder).
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <optional>

#include <nlohmann/json.hpp>

#include "entropy/conformational.hpp"
#include "io/derived.hpp"
#include "io/formats.hpp"
#include "shared_data.hpp"

using namespace mcc;

namespace {

struct Case {
    const char* dataset;
    const char* name;  // reference/<dataset>/<name>.json
    const char* topology;
    const char* trajectory;
    long start = 0, end = -1, step = 1;
    int bin_width = 30;
    Grouping grouping = Grouping::Molecules;
    std::optional<std::pair<int, int>> resids;  // selection "resid a:b"
};

struct CaseRun {
    DihedralPlan plan;
    ConformationalResult result;
};

CaseRun run_case(const std::string& data, const Case& c) {
    const std::string dir = data + "/" + c.dataset + "/";
    Topology top = read_topology(dir + c.topology);
    auto reader = open_trajectory({dir + c.trajectory}, std::nullopt, top.n_atoms());
    if (c.resids) {
        std::vector<int> atoms;
        for (std::size_t i = 0; i < top.n_atoms(); ++i) {
            const int resid = top.residues[top.atoms[i].residue].resid;
            if (resid >= c.resids->first && resid <= c.resids->second) atoms.push_back(static_cast<int>(i));
        }
        top = subset(top, atoms);
        reader = select_atoms(std::move(reader), atoms);
    }
    Options o;
    o.bin_width = c.bin_width;
    o.grouping = c.grouping;
    const Structure s = build_structure(top, c.grouping);
    CaseRun run{build_dihedral_plan(top, s, o), {}};
    const long n = static_cast<long>(reader->n_frames());
    const long end = c.end < 0 ? n : std::min(c.end, n);
    DihedralPartial partial = make_dihedral_partial(run.plan);
    Frame frame;
    std::size_t position = 0;
    for (long f = c.start; f < end; f += c.step) {
        reader->read(static_cast<std::size_t>(f), frame);
        accumulate_dihedrals(run.plan, frame, position++, partial);
    }
    run.result = finish_conformational(run.plan, partial, position);
    return run;
}

void expect_matches_reference(const std::string& data, const Case& c, const CaseRun& run) {
    std::ifstream in(data + "/reference/" + c.dataset + "/" + c.name + ".json");
    ASSERT_TRUE(in) << c.dataset << "/" << c.name << ".json";
    const nlohmann::json ref = nlohmann::json::parse(in);
    std::size_t compared = 0;
    for (const auto& [gid, group] : ref.at("groups").items()) {
        const auto& comp = group.at("components");
        for (const char* level : {"united_atom", "residue"}) {
            const std::string key = std::string(level) + ":Conformational";
            const GroupRow* mine = nullptr;
            for (const auto& r : run.result.group_rows)
                if (std::to_string(r.group) == gid && r.level == level) mine = &r;
            if (!comp.contains(key)) {
                EXPECT_EQ(mine, nullptr) << c.name << " group " << gid << " " << key;
                continue;
            }
            ASSERT_NE(mine, nullptr) << c.name << " group " << gid << " " << key;
            const double expected = comp.at(key).get<double>();
            EXPECT_NEAR(mine->value, expected, 1e-9 + 1e-12 * std::abs(expected))
                << c.dataset << "/" << c.name << " group " << gid << " " << key;
            ++compared;
        }
    }
    EXPECT_GT(compared, 0u);
}

std::vector<int> ua_flexible(const ConformationalResult& r, int group) {
    std::vector<int> out;
    for (const auto& [key, v] : r.flexible.united_atom)
        if (key.first == group) out.push_back(v);
    return out;
}

constexpr const char* kDnaTop = "md_A4_dna.tpr";
constexpr const char* kDnaTrr = "md_A4_dna_xf.trr";

}  // namespace

TEST(ConfReference, DnaAllCases) {
    MCC_REQUIRE_SHARED_DATA(data);
    const Case base{"dna", "default", kDnaTop, kDnaTrr};
    const CaseRun def = run_case(data, base);
    // These cases differ from default only in keys the conformational term does not read.
    for (const char* name : {"default", "grid", "axes_off", "ft_off"}) {
        Case c = base;
        c.name = name;
        expect_matches_reference(data, c, def);
    }
    EXPECT_EQ(ua_flexible(def.result, 0), (std::vector<int>{3, 0, 4, 0}));
    EXPECT_EQ(ua_flexible(def.result, 1), (std::vector<int>{2, 0, 0, 0}));
    EXPECT_EQ(def.result.flexible.res(0), 0);
    EXPECT_EQ(def.result.flexible.res(1), 1);
    EXPECT_EQ(def.plan.angle_bytes_per_frame(), 296u * sizeof(double));

    Case each = base;
    each.name = "each";
    each.grouping = Grouping::Each;
    expect_matches_reference(data, each, run_case(data, each));

    Case window = base;
    window.name = "window";
    window.start = 5;
    window.end = 60;
    window.step = 3;
    const CaseRun win = run_case(data, window);
    expect_matches_reference(data, window, win);
    EXPECT_EQ(ua_flexible(win.result, 0), (std::vector<int>{3, 0, 2, 0}));
    EXPECT_EQ(ua_flexible(win.result, 1), (std::vector<int>{2, 0, 0, 0}));
    EXPECT_EQ(win.result.flexible.res(0), 0);
    EXPECT_EQ(win.result.flexible.res(1), 0);

    Case params = base;
    params.name = "params";
    params.bin_width = 15;
    const CaseRun par = run_case(data, params);
    expect_matches_reference(data, params, par);
    EXPECT_EQ(ua_flexible(par.result, 0), (std::vector<int>{8, 3, 10, 5}));
    EXPECT_EQ(ua_flexible(par.result, 1), (std::vector<int>{2, 1, 2, 3}));
    EXPECT_EQ(par.result.flexible.res(0), 1);
    EXPECT_EQ(par.result.flexible.res(1), 1);

    Case sub = base;
    sub.name = "subset";
    sub.resids = {{1, 4}};
    expect_matches_reference(data, sub, run_case(data, sub));
}

TEST(ConfReference, DnaFrameWindowCheckValue) {
    // Spec §2.12: frames 0,2,4, bin width 30 -> (2,1) state counts in residues 2 and 3 of
    // strand 0; the change in residue 3 falls between virtual chunks (0,2) and (4).
    MCC_REQUIRE_SHARED_DATA(data);
    Case c{"dna", "frame_window", kDnaTop, kDnaTrr, 0, 5, 2};
    c.resids = {{1, 10}};
    const CaseRun run = run_case(data, c);
    ASSERT_EQ(run.result.group_rows.size(), 4u);
    EXPECT_EQ(run.result.group_rows[0].value, 10.584542990557836);
    EXPECT_EQ(run.result.group_rows[2].value, 5.292271495278918);
    EXPECT_EQ(run.plan.groups[0].ua_count, (std::vector<int>{38, 41, 41, 41}));
    EXPECT_EQ(ua_flexible(run.result, 0), (std::vector<int>{0, 0, 0, 0}));
    EXPECT_EQ(run.result.flexible.res(0), 1);
}

TEST(ConfReference, LiquidsHaveNoDihedrals) {
    MCC_REQUIRE_SHARED_DATA(data);
    for (const Case& c : {Case{"water", "default", "water.tpr", "water.trr"},
                          Case{"methanol", "default", "methanol.tpr", "methanol.trr"}}) {
        const CaseRun run = run_case(data, c);
        EXPECT_EQ(run.plan.n_instances(), 0u);
        expect_matches_reference(data, c, run);
    }
}

TEST(ConfReference, PeptideVacuumCases) {
    // Dodecahedral box: the triclinic minimum-image path.
    MCC_REQUIRE_SHARED_DATA(data);
    const Case base{"peptide-vacuum", "default", "peptide_only.tpr", "peptide_only.trr"};
    const CaseRun def = run_case(data, base);
    expect_matches_reference(data, base, def);
    EXPECT_EQ(ua_flexible(def.result, 0), (std::vector<int>{0, 0, 0, 1, 2, 0, 0, 0}));
    EXPECT_EQ(def.result.flexible.res(0), 3);

    Case window = base;
    window.name = "window";
    window.start = 5;
    window.end = 60;
    window.step = 3;
    expect_matches_reference(data, window, run_case(data, window));

    Case params = base;
    params.name = "params";
    params.bin_width = 15;
    expect_matches_reference(data, params, run_case(data, params));

    Case sub = base;
    sub.name = "subset";
    sub.resids = {{2, 7}};
    expect_matches_reference(data, sub, run_case(data, sub));

    const Case vac{"peptide-vacuum", "vacuum_default", "vacuum.tpr", "vacuum.trr"};
    expect_matches_reference(data, vac, run_case(data, vac));
}

TEST(ConfReference, SolvatedPeptideGroups) {
    // Groups 0 (peptide), 1 (1061 waters), 1062 (Cl-): non-contiguous ids, G = 3.
    MCC_REQUIRE_SHARED_DATA(data);
    Case c{"peptide", "nowater", "peptide.tpr", "peptide.trr"};
    const CaseRun run = run_case(data, c);
    expect_matches_reference(data, c, run);
    ASSERT_EQ(run.plan.groups.size(), 3u);
    EXPECT_EQ(run.plan.groups[2].group_id, 1062);
    EXPECT_TRUE(run.result.warnings.empty());  // only the peptide has a residue level
    c.name = "window";
    c.start = 5;
    c.end = 60;
    c.step = 3;
    expect_matches_reference(data, c, run_case(data, c));
}
