// MDAnalysis 2.4's _standardize_patterns reactions (converters/RDKit.py), shared by the
// symmetry module (mcc-entropy-symmetry.so), which checks whether a reaction can apply, and
// the reactions module (mcc-entropy-reactions.so), which runs it. RDKit's reaction library
// and the ~20 shared objects it pulls in cost ~9 ms to load, and proteins, nucleic acids and
// most ligands match none of these patterns: only a molecule that matches one loads them.
#pragma once
#include <array>
#include <cstddef>

namespace RDKit {
class ROMol;
class RWMol;
}  // namespace RDKit

namespace mcc {

// The reactions, in the order MDAnalysis applies them to every fragment.
inline constexpr std::array<const char*, 7> kStandardReactionSmarts = {
    "[C-;X2;H0:1]=[O:2]>>[C+0:1]=[O:2]",
    "[N-;X2;H1;$(N-[*^3]):1]>>[N+0:1]",
    "[#6-:1]-[#6:2]=[O:3]>>[#6+0:1]=[#6:2]-[O-:3]",
    "[C-;v3:1]-[#7+0;v3;H2:2]>>[#6+0:1]=[#7+:2]",
    "[#6+0;H0:1]=[#6+0:2]-[#7;X3:3]-[#6-;X3:4]>>[#6:1]=[#6:2]-[#7+:3]=[#6+0:4]",
    "[S;D4;!v6:1]-[*-:2]>>[S;v6:1]=[*+0:2]",
    "[#7+0;X3:1]-[*-:2]>>[#7+:1]=[*+0:2]",
};

// Atom property holding the atom's index in the MDAnalysis atom group (the topology order).
inline constexpr const char* kMdaIndexProp = "_MDAnalysis_index";

// What MDAnalysis' _run_reaction does to the reactant before each attempt and after the last:
// update the property cache (without strictness) and kekulize (keeping aromatic flags).
void prepare_reactant(RDKit::RWMol& reactant);

// Would RDKit's runReactants give products for reaction `index` on `reactant` (as prepared by
// prepare_reactant)? Exactly when the reaction's
// reactant template (the SMARTS left of ">>") has a substructure match in it.
bool standard_reaction_applies(std::size_t index, const RDKit::ROMol& reactant);

// The reactions module's entry: MDAnalysis' _run_reaction(reaction `index`, reactant). Takes
// ownership of `reactant` and returns the (new) product molecule.
inline constexpr const char* kReactionsModuleFile = "mcc-entropy-reactions.so";
inline constexpr const char* kReactionsModuleEntry = "mcc_run_standard_reaction";
using RunStandardReaction = RDKit::RWMol* (*)(std::size_t index, RDKit::RWMol* reactant);

}  // namespace mcc
