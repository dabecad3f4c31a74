#include "modules/standard_reactions.hpp"

#include <memory>
#include <string>

#include <GraphMol/MolOps.h>
#include <GraphMol/RWMol.h>
#include <GraphMol/SmilesParse/SmilesParse.h>
#include <GraphMol/Substruct/SubstructMatch.h>

namespace mcc {
namespace {

// RxnSmartsToChemicalReaction builds each reactant template with SmartsToMol on the text left
// of ">>" (no CXSMILES, no name, cleaned up after parsing): the same query as here.
std::array<std::unique_ptr<RDKit::ROMol>, kStandardReactionSmarts.size()> parse_templates() {
    std::array<std::unique_ptr<RDKit::ROMol>, kStandardReactionSmarts.size()> templates;
    for (std::size_t i = 0; i < templates.size(); ++i) {
        const std::string smarts = kStandardReactionSmarts[i];
        templates[i].reset(RDKit::SmartsToMol(smarts.substr(0, smarts.find(">>"))));
    }
    return templates;
}

}  // namespace

void prepare_reactant(RDKit::RWMol& reactant) {
    reactant.updatePropertyCache(false);
    RDKit::MolOps::Kekulize(reactant, false);
}

bool standard_reaction_applies(std::size_t index, const RDKit::ROMol& reactant) {
    static const auto templates = parse_templates();
    // runReactants matches with uniquify off and drops matches on atoms marked _protected
    // (never set here): products exist exactly when one match does.
    RDKit::SubstructMatchParameters params;
    params.uniquify = false;
    params.maxMatches = 1;
    return !RDKit::SubstructMatch(reactant, *templates.at(index), params).empty();
}

}  // namespace mcc
