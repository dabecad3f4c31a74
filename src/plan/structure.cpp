#include "plan/structure.hpp"

#include <algorithm>
#include <map>
#include <string>

namespace mcc {

std::string_view level_name(Level level) {
    switch (level) {
        case Level::UnitedAtom: return "united_atom";
        case Level::Residue: return "residue";
        case Level::Polymer: return "polymer";
    }
    return "?";
}

bool Molecule::has(Level l) const {
    return std::find(levels.begin(), levels.end(), l) != levels.end();
}

namespace {

std::vector<Level> detect_levels(const Topology& top, const std::vector<int>& atoms) {
    std::vector<Level> levels{Level::UnitedAtom};
    std::vector<int> heavy_residues;
    int n_heavy = 0;
    for (int a : atoms)
        if (is_heavy(top.atoms[a])) {
            ++n_heavy;
            heavy_residues.push_back(top.atoms[a].residue);
        }
    if (n_heavy > 1) {
        levels.push_back(Level::Residue);
        std::sort(heavy_residues.begin(), heavy_residues.end());
        heavy_residues.erase(std::unique(heavy_residues.begin(), heavy_residues.end()),
                             heavy_residues.end());
        if (heavy_residues.size() > 1) levels.push_back(Level::Polymer);
    }
    return levels;
}

// One bead per heavy atom X: X plus the light atoms (m <= 1.1) of the molecule bonded to X.
// Without heavy atoms the whole molecule is one bead. Beads go to the bucket of their heavy
// atom's residue.
std::vector<std::vector<std::vector<int>>> build_ua_beads(
    const Topology& top, const std::vector<std::vector<int>>& neighbours, const Molecule& mol) {
    std::vector<std::vector<std::vector<int>>> buckets(mol.residues.size());
    auto bucket_of = [&](int atom) -> std::size_t {
        auto it = std::lower_bound(mol.residues.begin(), mol.residues.end(), top.atoms[atom].residue);
        return it == mol.residues.end() || *it != top.atoms[atom].residue
                   ? 0
                   : static_cast<std::size_t>(it - mol.residues.begin());
    };
    bool any_heavy = false;
    for (int x : mol.atoms) {
        if (!is_heavy(top.atoms[x])) continue;
        any_heavy = true;
        std::vector<int> bead{x};
        for (int nb : neighbours[x])
            if (!is_heavy(top.atoms[nb]) &&
                std::binary_search(mol.atoms.begin(), mol.atoms.end(), nb))
                bead.push_back(nb);
        std::sort(bead.begin(), bead.end());
        buckets[bucket_of(x)].push_back(std::move(bead));
    }
    if (!any_heavy && !mol.atoms.empty()) buckets[bucket_of(mol.atoms.front())].push_back(mol.atoms);
    return buckets;
}

}  // namespace

Structure build_structure(const Topology& top, Grouping grouping) {
    Structure s;
    s.bonded = bonded_neighbours(top);
    const auto& neighbours = s.bonded;
    for (auto& atoms : fragments(top)) {
        Molecule m;
        m.atoms = std::move(atoms);
        for (int a : m.atoms) m.residues.push_back(top.atoms[a].residue);
        std::sort(m.residues.begin(), m.residues.end());
        m.residues.erase(std::unique(m.residues.begin(), m.residues.end()), m.residues.end());
        m.levels = detect_levels(top, m.atoms);
        m.ua_beads = build_ua_beads(top, neighbours, m);
        s.molecules.push_back(std::move(m));
    }
    const int n = static_cast<int>(s.molecules.size());
    if (grouping == Grouping::Each) {
        for (int i = 0; i < n; ++i) s.groups.push_back(Group{i, {i}});
        return s;
    }
    // Signature = (atom count, ordered atom names); group id = first molecule with it.
    std::map<std::vector<std::string>, std::size_t> slot_of;
    for (int i = 0; i < n; ++i) {
        std::vector<std::string> names;
        names.reserve(s.molecules[i].atoms.size());
        for (int a : s.molecules[i].atoms) names.push_back(top.atoms[a].name);
        auto [it, inserted] = slot_of.try_emplace(std::move(names), s.groups.size());
        if (inserted) s.groups.push_back(Group{i, {}});
        s.groups[it->second].molecules.push_back(i);
    }
    return s;
}

}  // namespace mcc
