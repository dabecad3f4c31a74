// Helpers shared by the two ports of MDAnalysis' bond-order and charge inference
// (_infer_bo_and_charges): the RDKit module's (modules/symmetry_rdkit.cpp) and the plain-graph
// one (plan/asymmetric_molecule.cpp).
#pragma once
#include <algorithm>
#include <utility>
#include <vector>

namespace mcc {

// min([i for i in nue if i >= 0], default=0)
inline int smallest_non_negative(const std::vector<int>& v) {
    int best = 0;
    bool found = false;
    for (int x : v)
        if (x >= 0 && (!found || x < best)) {
            best = x;
            found = true;
        }
    return found ? best : 0;
}

// 0 in nue (the atom can be left as it is)
inline bool any_zero(const std::vector<int>& v) {
    return std::any_of(v.begin(), v.end(), [](int x) { return x == 0; });
}

// Python's sorted(items, reverse=True, key=k): stable, descending.
template <typename T, typename Key>
void stable_sort_descending(std::vector<T>& items, Key key) {
    std::vector<std::pair<int, T>> keyed;
    keyed.reserve(items.size());
    for (const T& it : items) keyed.emplace_back(key(it), it);
    std::stable_sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    for (std::size_t i = 0; i < items.size(); ++i) items[i] = keyed[i].second;
}

}  // namespace mcc
