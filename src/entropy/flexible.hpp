// Flexible-dihedral counts: produced by the conformational analysis, consumed by the
// vibrational term (each flexible dihedral quarters one of the largest force eigenvalues).
#pragma once
#include <map>
#include <utility>

namespace mcc {

struct FlexibleCounts {
    // (group id, molecule-local residue position) -> count, for united-atom force matrices.
    std::map<std::pair<int, int>, int> united_atom;
    // group id -> count for residue-level force matrices, with the reference's lookup rule
    // (conventions) already applied; a missing entry means 0.
    std::map<int, int> residue;

    [[nodiscard]] int ua(int group, int residue_position) const {
        auto it = united_atom.find({group, residue_position});
        return it == united_atom.end() ? 0 : it->second;
    }
    [[nodiscard]] int res(int group) const {
        auto it = residue.find(group);
        return it == residue.end() ? 0 : it->second;
    }
};

}  // namespace mcc
