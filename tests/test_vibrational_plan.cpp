// The vibrational plan shares one MoleculePlan among identical molecules (local atom indices,
// one first-atom offset per molecule) and keeps different ones apart.
#include <gtest/gtest.h>

#include "plan/vibrational_plan.hpp"

using namespace mcc;

namespace {

// Waters 0, 1 and 3 are identical; water 2 has another hydrogen mass (still light: same beads, same group); then a methanol-like
// C-O pair with hydrogens; then water 5 again, after the methanol.
Topology waters_and_methanol() {
    Topology t;
    t.source = "hand-made";
    auto add_res = [&](const char* name, int resid) {
        t.residues.push_back(Residue{name, resid, resid, "", {}});
        return static_cast<int>(t.residues.size()) - 1;
    };
    auto add_atom = [&](const char* name, double mass, int res) {
        t.atoms.push_back(Atom{name, name, "", 0, mass, 0.0, res});
        return static_cast<int>(t.atoms.size()) - 1;
    };
    auto add_water = [&](int resid, double h2_mass) {
        const int r = add_res("SOL", resid);
        const int o = add_atom("OW", 15.999, r);
        const int h1 = add_atom("HW1", 1.008, r);
        const int h2 = add_atom("HW2", h2_mass, r);
        t.bonds.push_back({o, h1});
        t.bonds.push_back({o, h2});
    };
    for (int w = 0; w < 2; ++w) add_water(w + 1, 1.008);
    add_water(3, 1.05);
    add_water(4, 1.008);
    const int r = add_res("MOH", 5);
    const int c = add_atom("C", 12.011, r);
    const int h1 = add_atom("H1", 1.008, r);
    const int o = add_atom("O", 15.999, r);
    const int ho = add_atom("HO", 1.008, r);
    t.bonds.push_back({c, h1});
    t.bonds.push_back({c, o});
    t.bonds.push_back({o, ho});
    add_water(6, 1.008);
    t.finalize();
    return t;
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
