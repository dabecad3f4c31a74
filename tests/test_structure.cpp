#include <gtest/gtest.h>

#include "plan/structure.hpp"
#include "topology_builder.hpp"

using namespace mcc;

namespace {

// Two waters (O, H, H) and a methanol-like C-O pair with hydrogens, in three residues.
Topology small_system() {
    TopologyBuilder b;
    b.water(1);
    b.water(2);
    b.methanol(3);
    return b.done();
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
