// The vibrational plan shares one MoleculePlan among identical molecules (local atom indices,
// one first-atom offset per molecule) and keeps different ones apart.
#include <gtest/gtest.h>

#include <filesystem>

#include "io/formats.hpp"
#include "plan/vibrational_plan.hpp"
#include "shared_data.hpp"
#include "topology_builder.hpp"

using namespace mcc;

namespace {

// Waters 0, 1 and 3 are identical; water 2 has another hydrogen mass (still light: same beads,
// same group); then a methanol-like C-O pair with hydrogens; then water 5 again.
Topology waters_and_methanol() {
    TopologyBuilder b;
    b.water(1);
    b.water(2);
    b.water(3, 1.05);
    b.water(4);
    b.methanol(5);
    b.water(6);
    return b.done();
}

}  // namespace

TEST(VibrationalPlan, IdenticalMoleculesShareOnePlan) {
    const Topology t = waters_and_methanol();
    const Structure s = build_structure(t, Grouping::Molecules);
    const VibrationalPlan plan = build_vibrational_plan(t, s, Options{});
    ASSERT_EQ(plan.molecules.size(), 6u);
    // water, the other-mass water, methanol
    ASSERT_EQ(plan.shared.size(), 3u);
    const std::vector<int> plan_of{0, 0, 1, 0, 2, 0};
    const std::vector<int> first_atom{0, 3, 6, 9, 12, 16};
    for (std::size_t m = 0; m < 6; ++m) {
        EXPECT_EQ(plan.molecules[m].plan, plan_of[m]) << m;
        EXPECT_EQ(plan.molecules[m].first_atom, first_atom[m]) << m;
    }
    // Local indices: every water plan reads atoms 0..2 from its own first atom.
    const MoleculePlan& water = plan.plan_of(5);
    EXPECT_EQ(water.atoms, (std::vector<int>{0, 1, 2}));
    EXPECT_EQ(water.whole.atoms, (std::vector<int>{0, 1, 2}));
    ASSERT_EQ(water.residues.size(), 1u);
    ASSERT_EQ(water.residues[0].ua_beads.size(), 1u);
    EXPECT_EQ(water.residues[0].ua_beads[0].heavy, 0);
    EXPECT_EQ(water.residues[0].ua_beads[0].bonded_light, (std::vector<int>{1, 2}));
    EXPECT_NE(plan.plan_of(2).masses, water.masses);
    const MoleculePlan& methanol = plan.plan_of(4);
    ASSERT_EQ(methanol.residues.size(), 1u);
    ASSERT_EQ(methanol.residues[0].ua_beads.size(), 2u);
    EXPECT_EQ(methanol.residues[0].ua_beads[1].atoms, (std::vector<int>{2, 3}));
    EXPECT_EQ(methanol.residues[0].ua_beads[1].bonded_heavy, (std::vector<int>{0}));
}

TEST(VibrationalPlan, GroupsNameResiduesFromTheirOwnAtoms) {
    const Topology t = waters_and_methanol();
    const Structure s = build_structure(t, Grouping::Each);
    const VibrationalPlan plan = build_vibrational_plan(t, s, Options{});
    ASSERT_EQ(plan.groups.size(), 6u);
    EXPECT_EQ(plan.groups[3].residue_names, (std::vector<std::string>{"SOL"}));
    EXPECT_EQ(plan.groups[4].residue_names, (std::vector<std::string>{"MOH"}));
    EXPECT_EQ(plan.groups[5].residue_names, (std::vector<std::string>{"SOL"}));
}

namespace {

// Builds the plan with and without reusing the previous molecule's plan unbuilt and checks
// both give the same shared plans and molecule placements.
void expect_reuse_matches_full_build(const Topology& t, Grouping grouping, const std::string& what) {
    const Structure s = build_structure(t, grouping);
    for (const bool customised : {true, false}) {
        Options o;
        o.customised_axes = customised;
        const VibrationalPlan reused = build_vibrational_plan(t, s, o);
        const VibrationalPlan full = build_vibrational_plan(t, s, o, VibrationalPlanBuild{false});
        ASSERT_EQ(reused.shared.size(), full.shared.size()) << what;
        for (std::size_t k = 0; k < full.shared.size(); ++k) EXPECT_TRUE(reused.shared[k] == full.shared[k]) << what << " plan " << k;
        ASSERT_EQ(reused.molecules.size(), full.molecules.size()) << what;
        for (std::size_t m = 0; m < full.molecules.size(); ++m) {
            EXPECT_EQ(reused.molecules[m].plan, full.molecules[m].plan) << what << " molecule " << m;
            EXPECT_EQ(reused.molecules[m].first_atom, full.molecules[m].first_atom) << what << " molecule " << m;
        }
    }
}

// Two methanols alike in every atom, bond and resid, at residue indices 1 and 2: the literal
// neighbour-bond flag (Q-8, which compares residue indices with molecule-local positions and
// resids) is set for the first only, so they must not share a plan. Then waters that differ
// only in a bond (the third has an H-H bond) or in a mass.
Topology flag_and_bond_variants() {
    TopologyBuilder b;
    b.water(1);
    b.methanol(0);
    b.methanol(0);
    for (int k = 0; k < 4; ++k) {
        const int r = b.residue("SOL", 10 + k);
        const int o = b.atom("OW", 15.999, r);
        const int h1 = b.atom("HW1", k == 3 ? 1.05 : 1.008, r);
        const int h2 = b.atom("HW2", 1.008, r);
        b.bond(o, h1);
        b.bond(o, h2);
        if (k == 2) b.bond(h1, h2);
    }
    return b.done();
}

}  // namespace

TEST(VibrationalPlan, ReusingThePreviousPlanMatchesBuildingEveryPlan) {
    const Topology variants = flag_and_bond_variants();
    const Structure s = build_structure(variants, Grouping::Each);
    const VibrationalPlan plan = build_vibrational_plan(variants, s, Options{});
    ASSERT_EQ(plan.molecules.size(), 7u);
    EXPECT_TRUE(plan.plan_of(1).residues[0].neighbour_bonds);
    EXPECT_FALSE(plan.plan_of(2).residues[0].neighbour_bonds);
    EXPECT_NE(plan.molecules[1].plan, plan.molecules[2].plan);
    EXPECT_EQ(plan.molecules[3].plan, plan.molecules[0].plan);
    EXPECT_EQ(plan.molecules[4].plan, plan.molecules[0].plan);
    EXPECT_NE(plan.molecules[5].plan, plan.molecules[0].plan);  // H-H bond
    EXPECT_NE(plan.molecules[6].plan, plan.molecules[0].plan);  // other mass
    EXPECT_NE(plan.molecules[6].plan, plan.molecules[5].plan);

    for (const Grouping g : {Grouping::Molecules, Grouping::Each}) {
        expect_reuse_matches_full_build(variants, g, "variants");
        expect_reuse_matches_full_build(waters_and_methanol(), g, "waters and methanol");
    }
    const std::string example = std::string(MCC_SOURCE_DIR) + "/examples/example.tpr";
    expect_reuse_matches_full_build(read_topology(example), Grouping::Molecules, example);
}

TEST(VibrationalPlan, ReusingThePreviousPlanMatchesOnTheSharedSystems) {
    MCC_REQUIRE_SHARED_DATA(data);
    for (const char* top : {"water/water.tpr", "methanol/methanol.tpr", "peptide/peptide.tpr", "dna/md_A4_dna.tpr",
                            "peptide-amber/peptide.prmtop", "peptide-vacuum/vacuum.tpr"}) {
        const std::string path = data + "/" + top;
        ASSERT_TRUE(std::filesystem::exists(path)) << path;
        expect_reuse_matches_full_build(read_topology(path), Grouping::Molecules, path);
    }
}

// The top level's separate force and torque matrices exist only when the combined
// force-torque matrix does not replace them; lower levels always have both.
TEST(VibrationalPlan, TopLevelMatricesFollowCombinedForceTorque) {
    TopologyBuilder b;
    b.methanol(1);  // two heavy atoms, one residue: united atom, residue
    int previous = -1;
    for (int r = 0; r < 2; ++r) {  // a two-residue chain: united atom, residue, polymer
        const int res = b.residue("ALA", 2 + r);
        const int n = b.atom("N", 14.007, res);
        const int ca = b.atom("CA", 12.011, res);
        const int c = b.atom("C", 12.011, res);
        b.bond(n, ca);
        b.bond(ca, c);
        if (previous >= 0) b.bond(previous, n);
        previous = c;
    }
    const Topology t = b.done();
    const Structure s = build_structure(t, Grouping::Molecules);
    for (bool combined : {true, false}) {
        Options o;
        o.combined_forcetorque = combined;
        const VibrationalPlan plan = build_vibrational_plan(t, s, o);
        ASSERT_EQ(plan.groups.size(), 2u);
        const GroupSlots& methanol = plan.groups[0].slots;
        const GroupSlots& chain = plan.groups[1].slots;
        EXPECT_EQ(methanol.ua_force.size(), 1u);
        EXPECT_EQ(methanol.ft_res >= 0, combined);
        EXPECT_EQ(methanol.res_force >= 0, !combined);
        EXPECT_EQ(methanol.res_torque >= 0, !combined);
        EXPECT_EQ(methanol.poly_force, -1);
        EXPECT_EQ(methanol.ft_poly, -1);
        EXPECT_EQ(chain.ua_force.size(), 2u);
        EXPECT_GE(chain.res_force, 0);  // below the top: always separate
        EXPECT_GE(chain.res_torque, 0);
        EXPECT_EQ(chain.ft_res, -1);
        EXPECT_EQ(chain.ft_poly >= 0, combined);
        EXPECT_EQ(chain.poly_force >= 0, !combined);
        EXPECT_EQ(chain.poly_torque >= 0, !combined);
        if (combined) {
            EXPECT_EQ(plan.slot_dims[static_cast<std::size_t>(methanol.ft_res)], 6u);
            EXPECT_EQ(plan.slot_dims[static_cast<std::size_t>(chain.ft_poly)], 6u);
        }
        // ua (1 + 2 residues) x 2, plus residue 2 (chain), plus the top: 1 + 1 or 2 + 2
        EXPECT_EQ(plan.slot_dims.size(), combined ? 10u : 12u);
    }
}
