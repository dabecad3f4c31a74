// count_chiral_substructure_matches (modules/substructure_count.cpp) must give exactly the
// number of matches RDKit's own SubstructMatch returns with CodeEntropy's parameters
// (uniquify off, chirality on, a cap): on molecules with many symmetric groups, chiral centres,
// rings, charges and isotopes, under random atom renumberings (which change every bond order
// the chirality parities are taken against), and for several caps.
#include <gtest/gtest.h>

#include <memory>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include <GraphMol/MolOps.h>
#include <GraphMol/RWMol.h>
#include <GraphMol/SmilesParse/SmilesParse.h>
#include <GraphMol/Substruct/SubstructMatch.h>

#include "modules/substructure_count.hpp"

namespace {

unsigned rdkit_count(const RDKit::ROMol& mol, const RDKit::ROMol& query, unsigned cap) {
    RDKit::SubstructMatchParameters p;
    p.uniquify = false;
    p.useChirality = true;
    p.maxMatches = cap;
    return static_cast<unsigned>(RDKit::SubstructMatch(mol, query, p).size());
}

std::unique_ptr<RDKit::ROMol> with_hydrogens(const std::string& smiles) {
    std::unique_ptr<RDKit::RWMol> mol(RDKit::SmilesToMol(smiles));
    if (!mol) return nullptr;
    return std::unique_ptr<RDKit::ROMol>(RDKit::MolOps::addHs(static_cast<const RDKit::ROMol&>(*mol)));
}

std::unique_ptr<RDKit::ROMol> renumbered(const RDKit::ROMol& mol, std::mt19937& rng) {
    std::vector<unsigned> order(mol.getNumAtoms());
    std::iota(order.begin(), order.end(), 0u);
    std::shuffle(order.begin(), order.end(), rng);
    return std::unique_ptr<RDKit::ROMol>(RDKit::MolOps::renumberAtoms(mol, order));
}

// The two calls CodeEntropy makes: heavy-atom skeleton into the molecule (more than one heavy
// atom), or the molecule into itself.
void expect_same_counts(const RDKit::ROMol& mol, const std::string& what) {
    std::unique_ptr<RDKit::ROMol> heavy(RDKit::MolOps::removeHs(mol, false, false, true));
    for (unsigned cap : {1000u, 1u, 7u, 0u}) {
        SCOPED_TRACE(what + " cap " + std::to_string(cap));
        if (cap == 0 && rdkit_count(mol, *heavy, 5000) >= 5000) continue;  // too many to list
        const auto ours = mcc::count_chiral_substructure_matches(mol, *heavy, cap);
        ASSERT_TRUE(ours.has_value());
        EXPECT_EQ(*ours, rdkit_count(mol, *heavy, cap)) << "heavy atoms into molecule";
        if (mol.getNumAtoms() <= 12 && cap != 0) {
            const auto self = mcc::count_chiral_substructure_matches(mol, mol, cap);
            ASSERT_TRUE(self.has_value());
            EXPECT_EQ(*self, rdkit_count(mol, mol, cap)) << "molecule into itself";
        }
    }
}

const std::vector<std::string>& test_smiles() {
    static const std::vector<std::string> smiles = {
        // symmetric skeletons, no stereo
        "C", "N", "O", "[NH4+]", "CO", "CC", "C(C)(C)(C)C", "CC(C)(C)C(C)(C)C", "c1ccccc1",
        "c1ccc2ccccc2c1", "OC(=O)c1ccccc1", "C1C2CC3CC1CC(C2)C3", "C12C3C4C1C5C2C3C45",
        "CC(C)(C)C(C(C)(C)C)(C(C)(C)C)C(C)(C)C", "C1CCCCC1", "C1CC2CCC1CC2",
        "OP(=O)(O)OP(=O)(O)O", "CS(=O)(=O)C", "N#CC#N", "C=CC=C", "CC(=O)[O-]",
        "[NH3+]CC(=O)[O-]", "NC(=[NH2+])N", "c1ccncc1", "c1cc[nH]c1",
        // chiral centres
        "CC(C)[C@H](N)C(=O)O", "CC(C)[C@@H](N)C(=O)O", "O[C@@H]([C@H](O)C(=O)O)C(=O)O",
        "O[C@H]([C@@H](O)C(=O)O)C(=O)O", "OC[C@H]1OC(O)[C@H](O)[C@@H](O)[C@@H]1O",
        "O[C@H]1[C@H](O)[C@@H](O)[C@H](O)[C@@H](O)[C@@H]1O",
        "O[C@H]1[C@@H](O)[C@H](O)[C@@H](O)[C@H](O)[C@@H]1O", "C[C@H]1C[C@@H](C)C[C@H](C)C1",
        "C[C@H]1C[C@H](C)C[C@H](C)C1", "F[C@](Cl)(Br)I", "C[C@@]1(O)CCCC[C@]1(C)O",
        "[C@H]1(C)[C@@H](C)[C@H](C)[C@@H](C)[C@H](C)[C@@H]1C",
        "CC(C)C[C@H](NC(=O)[C@H](C)N)C(=O)N[C@@H](Cc1ccccc1)C(=O)O",
        "NC(=[NH2+])NCCC[C@H](NC(=O)[C@@H](N)CC(=O)[O-])C(=O)N[C@@H](CC(C)C)C(=O)[O-]",
        "CC[C@H](C)[C@H](NC(=O)[C@H](CO)N)C(=O)N[C@@H]([C@@H](C)O)C(=O)O",
        "Cc1cn([C@H]2C[C@H](O)[C@@H](COP(=O)([O-])O)O2)c(=O)[nH]c1=O",
        "C[N+](C)(C)C[C@@H](O)CC(=O)[O-]", "C[S@](=O)c1ccccc1",
        // isotopes, radicals, charges
        "[2H]C([2H])([2H])C", "[13CH3]C(C)C", "[CH2]C(C)C", "C[N+](C)(C)C", "C[O-].C[O-]",
    };
    return smiles;
}

TEST(SubstructureCount, SameAsRdkitOnTestMolecules) {
    for (const auto& s : test_smiles()) {
        const auto mol = with_hydrogens(s);
        ASSERT_NE(mol, nullptr) << s;
        expect_same_counts(*mol, s);
    }
}

TEST(SubstructureCount, SameAsRdkitUnderRandomRenumbering) {
    std::mt19937 rng(20261125);
    for (const auto& s : test_smiles()) {
        const auto mol = with_hydrogens(s);
        ASSERT_NE(mol, nullptr) << s;
        for (int round = 0; round < 4; ++round) {
            const auto shuffled = renumbered(*mol, rng);
            expect_same_counts(*shuffled, s + " renumbered " + std::to_string(round));
        }
    }
}

TEST(SubstructureCount, ChiralityChangesTheCount) {
    // Known values, so that a counter ignoring chirality fails: tartaric acid's two ends
    // swap unless the molecule is meso; tetra-tert-butylmethane has 4! x 6^4 matches.
    auto heavy_count = [](const std::string& s) {
        const auto mol = with_hydrogens(s);
        std::unique_ptr<RDKit::ROMol> heavy(RDKit::MolOps::removeHs(*mol, false, false, true));
        return mcc::count_chiral_substructure_matches(*mol, *heavy, 1000).value();
    };
    EXPECT_EQ(heavy_count("OC(C(O)C(=O)O)C(=O)O"), 2u);           // no stereo: ends swap
    EXPECT_EQ(heavy_count("O[C@@H]([C@H](O)C(=O)O)C(=O)O"), 2u);  // (R,R): C2 keeps the swap
    EXPECT_EQ(heavy_count("O[C@H]([C@H](O)C(=O)O)C(=O)O"), 1u);   // meso: the swap turns R to S
    EXPECT_EQ(heavy_count("CC(C)(C)C(C(C)(C)C)(C(C)(C)C)C(C)(C)C"), 1000u);  // capped
}

TEST(SubstructureCount, DeclinesDoubleBondStereo) {
    const auto mol = with_hydrogens("C/C=C/C");
    std::unique_ptr<RDKit::ROMol> heavy(RDKit::MolOps::removeHs(*mol, false, false, true));
    EXPECT_FALSE(mcc::count_chiral_substructure_matches(*mol, *heavy, 1000).has_value());
}

}  // namespace
