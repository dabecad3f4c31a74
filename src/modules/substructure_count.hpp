// How many matches RDKit's SubstructMatch(mol, query, {uniquify=false, useChirality=true,
// maxMatches=cap}) returns, counted without storing them. RDKit 2022.09's VF2 enumerates every
// query->mol monomorphism whose atoms and bonds are compatible and which passes its final
// chirality check, and stops at `cap`: the count is min(valid monomorphisms, cap), whatever
// the enumeration order. Counting them here, with the chirality test applied as soon as a
// centre's neighbours are placed, avoids RDKit's per-match lists and O(atoms) bond lookups
// (a 42-residue peptide: 1,000 matches, ~0.25 s CPU in RDKit).
#pragma once
#include <optional>

namespace RDKit {
class ROMol;
}

namespace mcc {

// std::nullopt when the molecules use something this counter does not reproduce (query
// atoms or bonds, dative bonds, double-bond stereo in the query): then ask RDKit.
std::optional<unsigned> count_chiral_substructure_matches(const RDKit::ROMol& mol,
                                                          const RDKit::ROMol& query,
                                                          unsigned cap);

}  // namespace mcc
