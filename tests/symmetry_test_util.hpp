// Hand-made molecules for the symmetry-number tests: a topology from element symbols and bonds.
#pragma once
#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "topology/topology.hpp"

namespace symmetry_test {

inline double mass_of(const std::string& e) {
    if (e == "H") return 1.008;
    if (e == "C") return 12.011;
    if (e == "N") return 14.007;
    if (e == "O") return 15.999;
    if (e == "F") return 18.998;
    if (e == "P") return 30.974;
    if (e == "S") return 32.06;
    if (e == "Cl") return 35.45;
    if (e == "Na") return 22.99;
    if (e == "MW") return 0.0;  // a TIP4P virtual site
    return 50.0;
}

// One residue; atom i named element + i, with the element set (none for "MW").
inline mcc::Topology topology_of(const std::vector<std::string>& elements,
                                 const std::vector<std::array<int, 2>>& bonds) {
    mcc::Topology top;
    top.residues.push_back({"MOL", 1, 1, "", {}});
    for (std::size_t i = 0; i < elements.size(); ++i) {
        mcc::Atom a;
        if (elements[i] != "MW") a.element = elements[i];
        a.name = elements[i] + std::to_string(i);
        a.mass = mass_of(elements[i]);
        top.atoms.push_back(a);
    }
    for (auto b : bonds) top.bonds.push_back({std::min(b[0], b[1]), std::max(b[0], b[1])});
    top.finalize();
    return top;
}

inline std::vector<int> all_atoms(const mcc::Topology& top) {
    std::vector<int> v(top.n_atoms());
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<int>(i);
    return v;
}

}  // namespace symmetry_test
