// Symmetry numbers: small molecules answered here, the rest through the RDKit module, loaded
// once per process on first use (the analysis calls them from a background thread during the
// frame pass).
#include "plan/symmetry.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <exception>
#include <mutex>

#include "core/error.hpp"
#include "core/module_loader.hpp"
#include "io/element_guess.hpp"
#include "plan/symmetry_module.hpp"

namespace mcc {
namespace {

struct ModuleSlot {
    std::once_flag once;
    const SymmetryModule* module = nullptr;
    std::exception_ptr error;
};

ModuleSlot& slot() {
    static ModuleSlot s;
    return s;
}

void load_once() {
    ModuleSlot& s = slot();
    std::call_once(s.once, [&s] {
        try {
            auto* entry = reinterpret_cast<const SymmetryModule* (*)()>(
                load_module_entry(kSymmetryModuleFile, kSymmetryModuleEntry));
            const SymmetryModule* m = entry();
            if (m->abi != kSymmetryModuleAbi || std::strcmp(m->version, MCC_VERSION) != 0)
                throw_data("the module {} is from another build (version {}, ABI {}; expected {}, ABI {})",
                           kSymmetryModuleFile, m->version, m->abi, MCC_VERSION, kSymmetryModuleAbi);
            s.module = m;
        } catch (...) {
            s.error = std::current_exception();
        }
    });
}

const SymmetryModule& symmetry_module() {
    load_once();
    if (slot().error) std::rethrow_exception(slot().error);
    return *slot().module;
}

}  // namespace

// Our element table lists the same symbols as RDKit's periodic table. (When it returns 0 the
// module matches the mass, or stops with its error.)
int atomic_number_as_module(const Atom& atom) {
    // The module capitalises the symbol and looks it up; every symbol has one or two letters.
    auto lookup = [](const std::string& sym) { return atomic_number_of(element_symbol(sym)); };
    if (!atom.element.empty()) return lookup(atom.element);
    if (atom.atomic_number > 0) return atom.atomic_number;
    std::string letters;
    for (char c : atom.name) {
        if (!std::isalpha(static_cast<unsigned char>(c))) break;
        letters += c;
    }
    for (std::size_t len = std::min<std::size_t>(2, letters.size()); len > 0; --len)
        if (const int z = lookup(letters.substr(0, len)); z > 0) return z;
    return 0;
}

namespace {

// Heavy elements whose bonds to hydrogens MDAnalysis' inference leaves single, up to this
// many neighbours (the usual valence; N and O one more, as ammonium and hydronium ions):
// then no inferred charge or bond order can tell two hydrogens apart.
int ordinary_max_degree(int z) {
    switch (z) {
        case 6: return 4;   // C
        case 7: return 4;   // N
        case 8: return 3;   // O
        case 9: case 17: case 35: case 53: return 1;  // F Cl Br I
        case 15: return 3;  // P
        case 16: return 2;  // S
        default: return 0;
    }
}

}  // namespace

std::optional<SymmetryInfo> small_molecule_symmetry(const Topology& top,
                                                    const std::vector<int>& atoms_in) {
    // As the module: virtual sites (mass < 0.1) are not atoms of the RDKit molecule.
    std::vector<int> atoms;
    for (int a : atoms_in)
        if (!(top.atoms[static_cast<std::size_t>(a)].mass < 0.1)) atoms.push_back(a);
    if (atoms.empty()) return SymmetryInfo{};
    if (atoms.size() > 9) return std::nullopt;  // larger than two heavy atoms can carry

    std::vector<int> z(atoms.size());
    std::vector<std::size_t> heavy, hydrogens;
    for (std::size_t i = 0; i < atoms.size(); ++i) {
        z[i] = atomic_number_as_module(top.atoms[static_cast<std::size_t>(atoms[i])]);
        if (z[i] <= 0) return std::nullopt;
        (z[i] == 1 ? hydrogens : heavy).push_back(i);
    }
    if (heavy.size() == 1 && hydrogens.empty()) return SymmetryInfo{0, false, 1};  // an ion
    if (heavy.empty() || heavy.size() > 2) return std::nullopt;

    // Bonds inside the molecule, as local index pairs.
    if (!std::is_sorted(atoms.begin(), atoms.end())) return std::nullopt;
    auto local = [&](int atom) -> std::ptrdiff_t {
        const auto it = std::lower_bound(atoms.begin(), atoms.end(), atom);
        return it != atoms.end() && *it == atom ? it - atoms.begin() : -1;
    };
    std::vector<std::vector<std::size_t>> neighbours(atoms.size());
    for (const auto& b : top.bonds) {
        const std::ptrdiff_t i = local(b[0]), j = local(b[1]);
        if (i < 0 || j < 0 || i == j) continue;
        auto& ni = neighbours[static_cast<std::size_t>(i)];
        if (std::find(ni.begin(), ni.end(), static_cast<std::size_t>(j)) != ni.end()) return std::nullopt;
        ni.push_back(static_cast<std::size_t>(j));
        neighbours[static_cast<std::size_t>(j)].push_back(static_cast<std::size_t>(i));
    }
    // Every hydrogen on exactly one heavy atom; heavy atoms ordinary.
    for (std::size_t h : hydrogens)
        if (neighbours[h].size() != 1 || z[neighbours[h][0]] == 1) return std::nullopt;
    std::vector<int> n_hydrogens(atoms.size(), 0);
    for (std::size_t h : hydrogens) ++n_hydrogens[neighbours[h][0]];
    for (std::size_t a : heavy)
        if (neighbours[a].size() > static_cast<std::size_t>(ordinary_max_degree(z[a]))) return std::nullopt;

    if (heavy.size() == 1) {
        // Whole-molecule self-matches: the k hydrogens in any order (no stereo centre has
        // four equal neighbours).
        const int k = static_cast<int>(hydrogens.size());
        if (k > 4) return std::nullopt;
        int sigma = 1;
        for (int f = 2; f <= k; ++f) sigma *= f;
        return SymmetryInfo{sigma, false, 1};
    }
    // Two heavy atoms: hydrogens leave the query; two different elements map only to
    // themselves. Both ends with one hydrogen could carry E/Z stereo, whose hydrogens RDKit
    // keeps in the query: not covered.
    const std::size_t a = heavy[0], b = heavy[1];
    if (z[a] == z[b]) return std::nullopt;
    if (std::find(neighbours[a].begin(), neighbours[a].end(), b) == neighbours[a].end()) return std::nullopt;
    if (n_hydrogens[a] == 1 && n_hydrogens[b] == 1) return std::nullopt;
    return SymmetryInfo{1, true, 2};
}

SymmetryInfo module_molecule_symmetry(const Topology& top, const std::vector<int>& atoms,
                                     const std::vector<float>& positions) {
    return symmetry_module().molecule_symmetry(top, atoms, positions);
}

SymmetryInfo molecule_symmetry(const Topology& top, const std::vector<int>& atoms,
                               const std::vector<float>& positions) {
    if (auto small = small_molecule_symmetry(top, atoms)) return *small;
    if (auto asymmetric = asymmetric_molecule_symmetry(top, atoms)) return *asymmetric;
    return module_molecule_symmetry(top, atoms, positions);
}

std::map<int, SymmetryInfo> group_symmetry(const Topology& top, const Structure& s,
                                           const std::vector<float>& positions) {
    std::map<int, SymmetryInfo> out;
    for (const auto& g : s.groups) {
        if (g.molecules.empty()) {
            out[g.id] = {};
            continue;
        }
        out[g.id] = molecule_symmetry(top, s.molecules[g.molecules.front()].atoms, positions);
    }
    return out;
}

}  // namespace mcc
