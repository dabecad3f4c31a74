#include "topology/topology.hpp"

#include <algorithm>
#include <numeric>

#include "core/error.hpp"

namespace mcc {

void Topology::finalize() {
    for (auto& r : residues) r.atoms.clear();
    for (std::size_t i = 0; i < atoms.size(); ++i) {
        const int r = atoms[i].residue;
        if (r < 0 || static_cast<std::size_t>(r) >= residues.size())
            throw_data("{}: atom {} refers to residue {} of {}", source, i, r, residues.size());
        residues[r].atoms.push_back(static_cast<int>(i));
    }
    const int n = static_cast<int>(atoms.size());
    for (auto& b : bonds) {
        if (b[0] > b[1]) std::swap(b[0], b[1]);
        if (b[0] < 0 || b[1] >= n)
            throw_data("{}: bond ({}, {}) refers to an atom outside 0..{}", source, b[0], b[1], n - 1);
    }
    std::erase_if(bonds, [](const auto& b) { return b[0] == b[1]; });
    std::sort(bonds.begin(), bonds.end());
    bonds.erase(std::unique(bonds.begin(), bonds.end()), bonds.end());
    for (auto& d : dihedrals) {
        for (int a : d)
            if (a < 0 || a >= n)
                throw_data("{}: dihedral refers to atom {} outside 0..{}", source, a, n - 1);
        if (d[0] > d[3]) std::reverse(d.begin(), d.end());
    }
    std::sort(dihedrals.begin(), dihedrals.end());
    dihedrals.erase(std::unique(dihedrals.begin(), dihedrals.end()), dihedrals.end());
}

std::vector<std::vector<int>> bonded_neighbours(const Topology& top) {
    std::vector<std::vector<int>> adj(top.atoms.size());
    std::vector<std::size_t> degree(top.atoms.size(), 0);  // one allocation per atom, not per growth
    for (const auto& b : top.bonds) {
        ++degree[static_cast<std::size_t>(b[0])];
        ++degree[static_cast<std::size_t>(b[1])];
    }
    for (std::size_t a = 0; a < adj.size(); ++a) adj[a].reserve(degree[a]);
    for (const auto& b : top.bonds) {
        adj[b[0]].push_back(b[1]);
        adj[b[1]].push_back(b[0]);
    }
    for (auto& a : adj) std::sort(a.begin(), a.end());
    return adj;
}

std::vector<std::vector<int>> fragments(const Topology& top) {
    // Union-find over bonds; components come out ordered by their lowest atom because we
    // scan atoms in ascending order.
    const std::size_t n = top.atoms.size();
    std::vector<int> parent(n);
    std::iota(parent.begin(), parent.end(), 0);
    auto find = [&](int x) {
        while (parent[x] != x) {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        return x;
    };
    for (const auto& b : top.bonds) {
        int a = find(b[0]), c = find(b[1]);
        if (a != c) parent[std::max(a, c)] = std::min(a, c);
    }
    std::vector<int> slot(n, -1);
    std::vector<std::vector<int>> out;
    for (std::size_t i = 0; i < n; ++i) {
        const int root = find(static_cast<int>(i));
        if (slot[root] < 0) {
            slot[root] = static_cast<int>(out.size());
            out.emplace_back();
        }
        out[slot[root]].push_back(static_cast<int>(i));
    }
    return out;
}

Topology subset(const Topology& top, const std::vector<int>& atoms) {
    Topology out;
    out.source = top.source;
    std::vector<int> new_index(top.atoms.size(), -1);
    std::vector<int> new_residue(top.residues.size(), -1);
    for (int old : atoms) {
        if (old < 0 || static_cast<std::size_t>(old) >= top.atoms.size())
            throw InternalError("subset: atom index out of range");
        Atom a = top.atoms[old];
        if (new_residue[a.residue] < 0) {
            new_residue[a.residue] = static_cast<int>(out.residues.size());
            Residue r = top.residues[a.residue];
            r.atoms.clear();
            out.residues.push_back(std::move(r));
        }
        a.residue = new_residue[a.residue];
        new_index[old] = static_cast<int>(out.atoms.size());
        out.atoms.push_back(std::move(a));
    }
    for (const auto& b : top.bonds)
        if (new_index[b[0]] >= 0 && new_index[b[1]] >= 0)
            out.bonds.push_back({new_index[b[0]], new_index[b[1]]});
    for (const auto& d : top.dihedrals) {
        std::array<int, 4> nd{};
        bool all = true;
        for (int k = 0; k < 4; ++k) {
            nd[k] = new_index[d[k]];
            all = all && nd[k] >= 0;
        }
        if (all) out.dihedrals.push_back(nd);
    }
    out.finalize();
    return out;
}

}  // namespace mcc
