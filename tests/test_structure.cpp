#include <gtest/gtest.h>

#include "plan/structure.hpp"

using namespace mcc;

namespace {

// Two waters (O, H, H) and a methanol-like C-O pair with hydrogens, in three residues.
Topology small_system() {
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
    for (int w = 0; w < 2; ++w) {
        int r = add_res("SOL", w + 1);
        int o = add_atom("OW", 15.999, r);
        int h1 = add_atom("HW1", 1.008, r);
        int h2 = add_atom("HW2", 1.008, r);
        t.bonds.push_back({o, h1});
        t.bonds.push_back({o, h2});
    }
    int r = add_res("MOH", 3);
    int c = add_atom("C", 12.011, r);
    int h1 = add_atom("H1", 1.008, r);
    int o = add_atom("O", 15.999, r);
    int ho = add_atom("HO", 1.008, r);
    t.bonds.push_back({c, h1});
    t.bonds.push_back({c, o});
    t.bonds.push_back({o, ho});
    t.finalize();
    return t;
}

}  // namespace

TEST(Structure, FragmentsGroupsLevelsAndBeads) {
    const Topology t = small_system();
    const Structure s = build_structure(t, Grouping::Molecules);
    ASSERT_EQ(s.molecules.size(), 3u);
    EXPECT_EQ(s.molecules[1].atoms, (std::vector<int>{3, 4, 5}));
    ASSERT_EQ(s.groups.size(), 2u);
    EXPECT_EQ(s.groups[0].id, 0);
    EXPECT_EQ(s.groups[0].molecules, (std::vector<int>{0, 1}));
    EXPECT_EQ(s.groups[1].id, 2);
    EXPECT_EQ(s.molecules[0].levels, (std::vector<Level>{Level::UnitedAtom}));
    EXPECT_EQ(s.molecules[2].levels, (std::vector<Level>{Level::UnitedAtom, Level::Residue}));
    ASSERT_EQ(s.molecules[2].ua_beads.size(), 1u);
    EXPECT_EQ(s.molecules[2].ua_beads[0],
              (std::vector<std::vector<int>>{{6, 7}, {8, 9}}));
    EXPECT_EQ(s.molecules[0].ua_beads[0], (std::vector<std::vector<int>>{{0, 1, 2}}));
}

TEST(Structure, GroupingEachGivesOneGroupPerMolecule) {
    const Structure s = build_structure(small_system(), Grouping::Each);
    ASSERT_EQ(s.groups.size(), 3u);
    EXPECT_EQ(s.groups[2].id, 2);
    EXPECT_EQ(s.groups[2].molecules, (std::vector<int>{2}));
}

TEST(Topology, SubsetKeepsInternalBondsAndRenumbers) {
    const Topology t = small_system();
    const Topology sub = subset(t, {3, 4, 6, 7, 8});
    ASSERT_EQ(sub.atoms.size(), 5u);
    EXPECT_EQ(sub.residues.size(), 2u);
    EXPECT_EQ(sub.residues[1].resid, 3);
    EXPECT_EQ(sub.bonds, (std::vector<std::array<int, 2>>{{0, 1}, {2, 3}, {2, 4}}));
    EXPECT_EQ(fragments(sub).size(), 2u);
}
