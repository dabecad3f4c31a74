// Symmetry numbers of molecules without self-symmetry, answered without RDKit.
//
// The reference counts the matches of the heavy-atom molecule in the whole molecule. A match
// maps heavy atoms to heavy atoms of the same element along bonds: an automorphism of the
// heavy-atom graph, which must also keep every formal charge (Atom::Match: a charged query
// atom needs the same charge; as a permutation, charged atoms then map onto themselves) and
// the type of every bond. Chain (acyclic) bonds keep the orders MDAnalysis' inference gives
// them (aromaticity only retypes ring bonds); ring bonds are left free here. When colour
// refinement with these labels separates every heavy atom, only the identity remains: the
// count is 1 whatever the stereo tags. Otherwise, or when anything the RDKit pipeline could
// change is present, this declines and the RDKit module answers.
#include <algorithm>
#include <array>
#include <map>
#include <numeric>
#include <optional>
#include <vector>

#include "plan/inference_helpers.hpp"
#include "plan/symmetry.hpp"

namespace mcc {
namespace {

// v[i] for the int indices used throughout (atoms, bonds).
template <typename V>
decltype(auto) at(V& v, int i) {
    return v[static_cast<std::size_t>(i)];
}

// RDKit 2022.09's periodic table (valence list, outer electrons) for the elements handled.
struct ElementData {
    std::vector<int> valences;
    int outer_electrons = 0;
};
const ElementData* element_data(int z) {
    static const std::map<int, ElementData> table = {
        {1, {{1}, 1}}, {6, {{4}, 4}}, {7, {{3}, 5}}, {8, {{2}, 6}}, {15, {{3, 5, 7}, 5}}, {16, {{2, 4, 6}, 6}}};
    const auto it = table.find(z);
    return it == table.end() ? nullptr : &it->second;
}

// The molecule as RDKit holds it after atomgroup_to_mol: atoms in topology order, bonds in
// the order of the topology's bond list (which fixes every atom's neighbour order).
struct MolGraph {
    std::vector<int> z, charge;
    std::vector<int> order;                                // per bond: its order
    std::vector<std::vector<std::array<int, 2>>> adjacent;  // per atom: (neighbour, bond)

    [[nodiscard]] int valence(int a) const {
        int v = 0;
        for (const auto& [n, b] : at(adjacent, a)) v += at(order, b);
        return v;
    }
    // MDAnalysis _get_nb_unpaired_electrons: one entry per listed valence.
    [[nodiscard]] std::vector<int> unpaired(int a) const {
        const int current = valence(a) - at(charge, a);
        std::vector<int> nue;
        for (int v : element_data(at(z, a))->valences) nue.push_back(v - current);
        return nue;
    }
    [[nodiscard]] int degree(int a) const { return static_cast<int>(at(adjacent, a).size()); }
    [[nodiscard]] int hydrogens(int a) const {
        int h = 0;
        for (const auto& [n, b] : at(adjacent, a)) h += at(z, n) == 1;
        return h;
    }
};

// MDAnalysis' _infer_bo_and_charges, as the RDKit module runs it (modules/symmetry_rdkit.cpp),
// on the plain graph. False where that would raise (a bond order above 3) or meet an atom
// without neighbours.
bool infer_bond_orders_and_charges(MolGraph& g) {
    std::vector<int> heavy;
    for (std::size_t a = 0; a < g.z.size(); ++a)
        if (g.z[a] > 1) heavy.push_back(static_cast<int>(a));
    stable_sort_descending(heavy, [&](int a) { return g.unpaired(a)[0]; });
    for (int atom : heavy) {
        if (g.degree(atom) == 0) return false;
        auto nue = g.unpaired(atom);
        if (nue.size() == 1 && nue[0] < 0) at(g.charge, atom) = -nue[0];
        if (nue.size() == 1 && nue[0] <= 0) continue;
        std::vector<int> neighbours;
        for (const auto& [n, b] : at(g.adjacent, atom)) neighbours.push_back(n);
        stable_sort_descending(neighbours, [&](int a) { return g.unpaired(a)[0]; });
        for (int na : neighbours) {
            const int common = std::min(smallest_non_negative(nue), smallest_non_negative(g.unpaired(na)));
            if (common == 0) continue;
            if (common + 1 > 3) return false;
            for (const auto& [n, b] : at(g.adjacent, atom))
                if (n == na) at(g.order, b) = common + 1;
            nue = g.unpaired(atom);
            if (any_zero(nue)) break;
        }
        nue = g.unpaired(atom);
        if (!any_zero(nue)) at(g.charge, atom) = -nue[0];
    }
    return true;
}

// (valence, charge) states RDKit's sanitisation accepts as they are: anything else (a
// five-bonded carbon, say) could fail it, and the module's answer would then differ.
bool ordinary_state(int z, int valence, int charge) {
    static const std::map<int, std::vector<std::array<int, 2>>> states = {
        {1, {{1, 0}}},
        {6, {{4, 0}, {3, -1}, {3, 1}}},
        {7, {{3, 0}, {4, 1}, {2, -1}}},
        {8, {{2, 0}, {1, -1}, {3, 1}}},
        {15, {{3, 0}, {5, 0}, {4, 1}}},
        {16, {{2, 0}, {4, 0}, {6, 0}, {3, 1}, {1, -1}}},
    };
    const auto it = states.find(z);
    if (it == states.end()) return false;
    return std::find(it->second.begin(), it->second.end(), std::array<int, 2>{valence, charge}) != it->second.end();
}

// A terminal oxygen without hydrogens (bonded to one atom only).
bool is_terminal_oxygen(const MolGraph& g, int a) { return at(g.z, a) == 8 && g.degree(a) == 1; }

// True when what MDAnalysis does after the inference and what RDKit's sanitisation does
// provably leave charges and chain-bond orders as inferred, up to swapping terminal oxygens
// of one atom (which relabels an isomorphic molecule and so keeps the count):
// - every anion is a terminal O(-1) on a C or P. Then no standardisation reaction applies
//   (each needs a C or N anion, or an anion on N(X3) or S(D4)); _rebuild_conjugated_bonds
//   only matches O(-)-X=Y with Y another terminal oxygen on X (required here), and then moves
//   the double bond between X's terminal oxygens; its end patterns need a fourth atom on Y;
// - no neutral N of valence 5, no neutral three-coordinate P of valence 5, no Cl/Br/I
//   (what RDKit's cleanUp changes);
// - no hydrogen on P (removing hydrogens can make P(V) three-coordinate, and the query's own
//   cleanUp would then charge it differently from the molecule);
// - every hydrogen on exactly one heavy atom (RemoveHs keeps other hydrogens);
// - every atom in an ordinary (valence, charge) state.
bool inference_is_final(const MolGraph& g) {
    const int n = static_cast<int>(g.z.size());
    for (int a = 0; a < n; ++a) {
        const int z = at(g.z, a);
        const int q = at(g.charge, a);
        if (!ordinary_state(z, g.valence(a), q)) return false;
        if (z == 1) {
            if (g.degree(a) != 1 || at(g.z, at(g.adjacent, a)[0][0]) == 1 ||
                q != 0)
                return false;
            continue;
        }
        if (q == 0 && g.valence(a) == 5 && (z == 7 || (z == 15 && g.degree(a) == 3))) return false;
        if (z == 15 && g.hydrogens(a) > 0) return false;
        if (q >= 0) continue;
        if (q != -1 || !is_terminal_oxygen(g, a)) return false;
        const auto [x, ax] = at(g.adjacent, a)[0];
        const int zx = at(g.z, x);
        if (zx != 6 && zx != 15) return false;
        if (at(g.order, ax) != 1) return false;
        if (at(g.charge, x) != 0) continue;  // the rebuild pattern needs X neutral
        for (const auto& [y, xy] : at(g.adjacent, x)) {
            if (y == a || at(g.order, xy) < 2 || at(g.charge, y) != 0) continue;
            if (!is_terminal_oxygen(g, y) || at(g.order, xy) != 2) return false;
        }
    }
    return true;
}

// Bonds of the heavy-atom graph that lie on a cycle (not bridges).
std::vector<char> ring_bonds(const MolGraph& g, const std::vector<char>& heavy) {
    const int n = static_cast<int>(g.z.size());
    std::vector<char> in_ring(g.order.size(), 1);
    std::vector<int> entry(n, -1), low(n, 0);
    int time = 0;
    for (int root = 0; root < n; ++root) {
        if (!at(heavy, root) || at(entry, root) >= 0) continue;
        // iterative DFS: (atom, bond it was entered by, next adjacency position)
        std::vector<std::array<int, 3>> stack{{root, -1, 0}};
        at(entry, root) = at(low, root) = time++;
        while (!stack.empty()) {
            auto& [a, via, next] = stack.back();
            const auto& adj = at(g.adjacent, a);
            if (next < static_cast<int>(adj.size())) {
                const auto [b, bond] = at(adj, next++);
                if (!at(heavy, b) || bond == via) continue;
                if (at(entry, b) < 0) {
                    at(entry, b) = at(low, b) = time++;
                    stack.push_back({b, bond, 0});
                } else {
                    at(low, a) = std::min(at(low, a), at(entry, b));
                }
                continue;
            }
            const int done = a, done_via = via;
            stack.pop_back();
            if (stack.empty()) break;
            const int parent = stack.back()[0];
            at(low, parent) = std::min(at(low, parent), at(low, done));
            if (at(low, done) > at(entry, parent))
                at(in_ring, done_via) = 0;  // a bridge
        }
    }
    return in_ring;
}

// Colour refinement of the heavy atoms: start from (element, charge), then repeatedly split
// by the multiset of (bond label, neighbour colour), bond label = order for chain bonds, 0
// for ring bonds. True when every heavy atom ends with its own colour.
bool refinement_separates_every_atom(const MolGraph& g, const std::vector<char>& heavy,
                                     const std::vector<char>& in_ring) {
    const int n = static_cast<int>(g.z.size());
    std::vector<int> atoms;
    for (int a = 0; a < n; ++a)
        if (at(heavy, a)) atoms.push_back(a);
    std::vector<int> colour(n, 0);
    using Signature = std::vector<int>;
    // New colours: the ranks of the distinct signatures. Returns how many there are.
    auto recolour = [&](auto&& signature_of) {
        std::vector<Signature> signatures;
        for (int a : atoms) signatures.push_back(signature_of(a));
        std::vector<std::size_t> by_signature(atoms.size());
        std::iota(by_signature.begin(), by_signature.end(), std::size_t{0});
        std::sort(by_signature.begin(), by_signature.end(),
                  [&](std::size_t x, std::size_t y) { return signatures[x] < signatures[y]; });
        int classes = 0;
        for (std::size_t k = 0; k < by_signature.size(); ++k) {
            const std::size_t i = by_signature[k];
            if (k > 0 && signatures[by_signature[k - 1]] != signatures[i]) ++classes;
            at(colour, atoms[i]) = classes;
        }
        return atoms.empty() ? 0 : classes + 1;
    };
    int classes = recolour([&](int a) {
        return Signature{at(g.z, a), at(g.charge, a)};
    });
    for (;;) {
        if (classes == static_cast<int>(atoms.size())) return true;
        const int before = classes;
        classes = recolour([&](int a) {
            std::vector<std::array<int, 2>> around;
            for (const auto& [b, bond] : at(g.adjacent, a))
                if (at(heavy, b))
                    around.push_back({at(in_ring, bond) ? 0 : at(g.order, bond),
                                      at(colour, b)});
            std::sort(around.begin(), around.end());
            Signature s{at(colour, a)};
            for (const auto& [label, c] : around) {
                s.push_back(label);
                s.push_back(c);
            }
            return s;
        });
        if (classes == before) return false;
    }
}

}  // namespace

std::optional<SymmetryInfo> asymmetric_molecule_symmetry(const Topology& top, const std::vector<int>& atoms) {
    if (atoms.size() < 3 || !std::is_sorted(atoms.begin(), atoms.end())) return std::nullopt;
    MolGraph g;
    int n_heavy = 0;
    for (int a : atoms) {
        const Atom& atom = at(top.atoms, a);
        if (atom.mass < 0.1) return std::nullopt;  // virtual sites: the module converts without inference
        const int z = atomic_number_as_module(atom);
        if (!element_data(z)) return std::nullopt;
        g.z.push_back(z);
        n_heavy += z > 1;
    }
    if (n_heavy < 3) return std::nullopt;
    const std::size_t n = atoms.size();
    g.charge.assign(n, 0);
    g.adjacent.resize(n);
    auto local = [&](int atom) -> int {
        const auto it = std::lower_bound(atoms.begin(), atoms.end(), atom);
        return it != atoms.end() && *it == atom ? static_cast<int>(it - atoms.begin()) : -1;
    };
    for (const auto& b : top.bonds) {
        const int i = local(b[0]), j = local(b[1]);
        if (i < 0 || j < 0) continue;
        if (i == j) return std::nullopt;
        for (const auto& [k, bond] : at(g.adjacent, i))
            if (k == j) return std::nullopt;  // a repeated bond: RDKit refuses it
        const int bond = static_cast<int>(g.order.size());
        g.order.push_back(1);
        at(g.adjacent, i).push_back({j, bond});
        at(g.adjacent, j).push_back({i, bond});
    }
    if (!infer_bond_orders_and_charges(g) || !inference_is_final(g)) return std::nullopt;

    std::vector<char> heavy(n);
    for (std::size_t a = 0; a < n; ++a) heavy[a] = g.z[a] > 1;
    if (!refinement_separates_every_atom(g, heavy, ring_bonds(g, heavy))) return std::nullopt;

    // Linearity: at least n_heavy - 2 SP atoms. RDKit's SP needs two orbitals, bonds (to
    // hydrogens too) plus lone pairs; an atom with three or more neighbours and no more
    // valence plus charge than outer electrons has no negative lone-pair count, so it cannot be SP.
    int could_be_sp = 0;
    for (std::size_t a = 0; a < n; ++a) {
        if (!heavy[a]) continue;
        const int i = static_cast<int>(a);
        const bool crowded = g.degree(i) >= 3 &&
                             g.valence(i) + g.charge[a] <= element_data(g.z[a])->outer_electrons;
        could_be_sp += !crowded;
    }
    if (could_be_sp >= n_heavy - 2) return std::nullopt;
    return SymmetryInfo{1, false, n_heavy};
}

}  // namespace mcc
