// mcc-entropy's reactions module (mcc-entropy-reactions.so): MDAnalysis 2.4's _run_reaction
// for the standardisation reactions of modules/standard_reactions.hpp, with RDKit's reaction
// library. Loaded by the symmetry module only for a molecule that one of them applies to.
#include <memory>
#include <vector>

#include <GraphMol/ChemReactions/Reaction.h>
#include <GraphMol/ChemReactions/ReactionParser.h>
#include <GraphMol/RWMol.h>

#include "modules/standard_reactions.hpp"

namespace mcc {
namespace {

using RDKit::Atom;
using RDKit::ROMol;
using RDKit::RWMol;

RDKit::ChemicalReaction& reaction(std::size_t index) {
    static const auto reactions = [] {
        std::vector<std::unique_ptr<RDKit::ChemicalReaction>> all;
        for (const char* s : kStandardReactionSmarts) {
            all.emplace_back(RDKit::RxnSmartsToChemicalReaction(s));
            all.back()->initReactantMatchers();
        }
        return all;
    }();
    return *reactions.at(index);
}

// _run_reaction: apply the reaction to its own product until it no longer applies (at most
// once per atom), mapping the MDAnalysis index back from the reactant atom each product atom
// came from.
std::unique_ptr<RWMol> run_reaction(RDKit::ChemicalReaction& rxn, std::unique_ptr<RWMol> reactant) {
    const unsigned n_atoms = reactant->getNumAtoms();
    for (unsigned n = 0; n < n_atoms; ++n) {
        prepare_reactant(*reactant);
        RDKit::MOL_SPTR_VECT input{RDKit::ROMOL_SPTR(new ROMol(*reactant))};
        const auto products = rxn.runReactants(input);
        if (products.empty()) break;
        auto product = std::make_unique<RWMol>(*products[0][0]);
        if (reactant->getAtomWithIdx(0)->hasProp(kMdaIndexProp)) {
            for (Atom* a : product->atoms()) {
                const auto src = a->getProp<unsigned int>(RDKit::common_properties::reactantAtomIdx);
                a->setProp<int>(kMdaIndexProp, reactant->getAtomWithIdx(src)->getProp<int>(kMdaIndexProp));
            }
        }
        reactant = std::move(product);
    }
    prepare_reactant(*reactant);
    return reactant;
}

}  // namespace
}  // namespace mcc

extern "C" RDKit::RWMol* mcc_run_standard_reaction(std::size_t index, RDKit::RWMol* reactant) {
    std::unique_ptr<RDKit::RWMol> owned(reactant);
    return mcc::run_reaction(mcc::reaction(index), std::move(owned)).release();
}
