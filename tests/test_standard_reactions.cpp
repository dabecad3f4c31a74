// standard_reaction_applies (modules/standard_reactions.cpp) decides whether the symmetry
// module needs RDKit's reaction library for a molecule; it must say "applies" exactly when
// RDKit's runReactants gives products, as MDAnalysis' _run_reaction would call it.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include <GraphMol/ChemReactions/Reaction.h>
#include <GraphMol/ChemReactions/ReactionParser.h>
#include <GraphMol/MolOps.h>
#include <GraphMol/RWMol.h>
#include <GraphMol/SmilesParse/SmilesParse.h>

#include "modules/standard_reactions.hpp"

namespace {

// One molecule made for each reaction, in kStandardReactionSmarts order, then molecules none
// of them should touch.
const std::vector<std::string> kMatching = {
    "C[C-]=O", "C[NH-]", "[CH2-]C=O", "C[CH-]N", "CC(C)=CN(C)[C-](C)C", "CS(C)(C)[O-]", "CN(C)[O-]",
};
const std::vector<std::string> kOthers = {
    "CCO", "c1ccccc1", "CC(=O)[O-]", "C[NH3+]", "OP(=O)([O-])O", "NC(=[NH2+])N",
    "CC(C)[C@H]([NH3+])C(=O)[O-]", "Cc1cn([C@H]2C[C@H](O)[C@@H](COP(=O)([O-])O)O2)c(=O)[nH]c1=O",
};

std::unique_ptr<RDKit::RWMol> prepared(const std::string& smiles) {
    std::unique_ptr<RDKit::RWMol> mol(RDKit::SmilesToMol(smiles));
    if (!mol) return nullptr;
    mcc::prepare_reactant(*mol);
    return mol;
}

bool rdkit_gives_products(std::size_t index, const RDKit::ROMol& mol) {
    std::unique_ptr<RDKit::ChemicalReaction> rxn(RDKit::RxnSmartsToChemicalReaction(mcc::kStandardReactionSmarts[index]));
    rxn->initReactantMatchers();
    RDKit::MOL_SPTR_VECT input{RDKit::ROMOL_SPTR(new RDKit::ROMol(mol))};
    return !rxn->runReactants(input).empty();
}

TEST(StandardReactions, AppliesExactlyWhenRdkitGivesProducts) {
    std::vector<std::string> all = kMatching;
    all.insert(all.end(), kOthers.begin(), kOthers.end());
    for (const auto& smiles : all) {
        const auto mol = prepared(smiles);
        ASSERT_NE(mol, nullptr) << smiles;
        for (std::size_t i = 0; i < mcc::kStandardReactionSmarts.size(); ++i) {
            SCOPED_TRACE(smiles + " with " + mcc::kStandardReactionSmarts[i]);
            EXPECT_EQ(mcc::standard_reaction_applies(i, *mol), rdkit_gives_products(i, *mol));
        }
    }
}

TEST(StandardReactions, EachReactionHasAMoleculeItAppliesTo) {
    ASSERT_EQ(kMatching.size(), mcc::kStandardReactionSmarts.size());
    for (std::size_t i = 0; i < kMatching.size(); ++i) {
        const auto mol = prepared(kMatching[i]);
        ASSERT_NE(mol, nullptr) << kMatching[i];
        EXPECT_TRUE(mcc::standard_reaction_applies(i, *mol)) << kMatching[i];
    }
    for (const auto& smiles : kOthers) {
        const auto mol = prepared(smiles);
        for (std::size_t i = 0; i < mcc::kStandardReactionSmarts.size(); ++i)
            EXPECT_FALSE(mcc::standard_reaction_applies(i, *mol)) << smiles << " reaction " << i;
    }
}

}  // namespace
