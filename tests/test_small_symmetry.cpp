// The RDKit-free symmetry numbers of small molecules (plan/symmetry.cpp,
// small_molecule_symmetry) must be exactly what the RDKit module answers, and must decline
// whatever they cannot answer for certain.
#include <gtest/gtest.h>

#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "orient_test_molecules.hpp"
#include "plan/symmetry.hpp"
#include "symmetry_test_util.hpp"
#include "topology/topology.hpp"

namespace {

using symmetry_test::all_atoms;
using symmetry_test::topology_of;

struct SmallMolecule {
    std::string name;
    std::vector<std::string> elements;
    std::vector<std::array<int, 2>> bonds;
    std::optional<int> expected_sigma;  // nullopt: the small path must decline
};

// Distinct, well separated positions (no stereo centres in these molecules; the handedness
// of any tag would not change the answers compared here).
std::vector<float> positions_for(std::size_t n) {
    std::vector<float> xyz;
    for (std::size_t i = 0; i < n; ++i) {
        const double t = static_cast<double>(i);
        xyz.push_back(static_cast<float>(1.1 * std::cos(1.7 * t) + 0.3 * t));
        xyz.push_back(static_cast<float>(1.1 * std::sin(1.7 * t)));
        xyz.push_back(static_cast<float>(0.9 * std::cos(2.9 * t)));
    }
    return xyz;
}

std::vector<std::array<int, 2>> star(int centre, std::vector<int> leaves) {
    std::vector<std::array<int, 2>> b;
    for (int l : leaves) b.push_back({centre, l});
    return b;
}

std::vector<std::array<int, 2>> two_centres(int n_first_h, int n_second_h) {
    std::vector<std::array<int, 2>> b{{0, 1}};
    int next = 2;
    for (int i = 0; i < n_first_h; ++i) b.push_back({0, next++});
    for (int i = 0; i < n_second_h; ++i) b.push_back({1, next++});
    return b;
}

const std::vector<SmallMolecule>& small_molecules() {
    static const std::vector<SmallMolecule> m = {
        {"water", {"O", "H", "H"}, star(0, {1, 2}), 2},
        {"tip4p", {"O", "H", "H", "MW"}, star(0, {1, 2, 3}), 2},
        {"hydronium", {"O", "H", "H", "H"}, star(0, {1, 2, 3}), 6},
        {"hydroxide", {"O", "H"}, star(0, {1}), 1},
        {"ammonia", {"N", "H", "H", "H"}, star(0, {1, 2, 3}), 6},
        {"ammonium", {"N", "H", "H", "H", "H"}, star(0, {1, 2, 3, 4}), 24},
        {"methane", {"C", "H", "H", "H", "H"}, star(0, {1, 2, 3, 4}), 24},
        {"hydrogen_sulfide", {"S", "H", "H"}, star(0, {1, 2}), 2},
        {"phosphine", {"P", "H", "H", "H"}, star(0, {1, 2, 3}), 6},
        {"hydrogen_chloride", {"Cl", "H"}, star(0, {1}), 1},
        {"hydrogen_fluoride", {"F", "H"}, star(0, {1}), 1},
        {"sodium", {"Na"}, {}, 0},
        {"chloride", {"Cl"}, {}, 0},
        {"methanol", {"C", "O", "H", "H", "H", "H"}, two_centres(3, 1), 1},
        {"methylamine", {"C", "N", "H", "H", "H", "H", "H"}, two_centres(3, 2), 1},
        {"methylammonium", {"C", "N", "H", "H", "H", "H", "H", "H"}, two_centres(3, 3), 1},
        {"methanethiol", {"C", "S", "H", "H", "H", "H"}, two_centres(3, 1), 1},
        {"chloromethane", {"C", "Cl", "H", "H", "H"}, two_centres(3, 0), 1},
        {"formaldehyde", {"C", "O", "H", "H"}, two_centres(2, 0), 1},
        {"methanimine", {"C", "N", "H", "H", "H"}, two_centres(2, 1), 1},
        {"carbon_monoxide", {"C", "O"}, two_centres(0, 0), 1},
        // declined: same elements, possible E/Z hydrogens, three heavy atoms, no heavy atom,
        // unusual elements or valences, hydrogens on hydrogens
        {"ethane", {"C", "C", "H", "H", "H", "H", "H", "H"}, two_centres(3, 3), std::nullopt},
        {"hydrogen_peroxide", {"O", "O", "H", "H"}, two_centres(1, 1), std::nullopt},
        {"nitroxyl_imine", {"N", "P", "H", "H"}, two_centres(1, 1), std::nullopt},
        {"hydrogen_cyanide", {"C", "N", "H"}, {{0, 1}, {0, 2}}, 1},
        {"acetonitrile", {"C", "C", "N", "H", "H", "H"}, {{0, 1}, {1, 2}, {0, 3}, {0, 4}, {0, 5}}, std::nullopt},
        {"dihydrogen", {"H", "H"}, {{0, 1}}, std::nullopt},
        {"silane", {"Si", "H", "H", "H", "H"}, star(0, {1, 2, 3, 4}), std::nullopt},
        {"pentavalent_carbon", {"C", "H", "H", "H", "H", "H"}, star(0, {1, 2, 3, 4, 5}), std::nullopt},
        {"water_with_hh_bond", {"O", "H", "H"}, {{0, 1}, {0, 2}, {1, 2}}, std::nullopt},
    };
    return m;
}

}  // namespace

TEST(SmallMoleculeSymmetry, AgreesWithRdkitOrDeclines) {
    for (const auto& mol : small_molecules()) {
        SCOPED_TRACE(mol.name);
        const auto top = topology_of(mol.elements, mol.bonds);
        const auto atoms = all_atoms(top);
        const auto small = mcc::small_molecule_symmetry(top, atoms);
        ASSERT_EQ(small.has_value(), mol.expected_sigma.has_value());
        if (!small) continue;
        const auto rdkit = mcc::module_molecule_symmetry(top, atoms, positions_for(atoms.size()));
        EXPECT_EQ(small->sigma, *mol.expected_sigma);
        EXPECT_EQ(small->sigma, rdkit.sigma);
        EXPECT_EQ(small->linear, rdkit.linear);
        EXPECT_EQ(small->n_heavy, rdkit.n_heavy);
    }
}

TEST(SmallMoleculeSymmetry, ReferenceTableMoleculesAgreeWithRdkit) {
    int answered = 0;
    for (const auto& t : test_molecules()) {
        SCOPED_TRACE(t.name);
        std::vector<std::string> elements(t.elements.begin(), t.elements.end());
        const auto top = topology_of(elements, t.bonds);
        const auto small = mcc::small_molecule_symmetry(top, all_atoms(top));
        if (!small) continue;
        ++answered;
        EXPECT_EQ(small->sigma, t.sigma);
        EXPECT_EQ(small->linear, t.linear);
    }
    EXPECT_EQ(answered, 4);  // methane, water, methanol, ammonia
}

TEST(SmallMoleculeSymmetry, ElementsFromNamesAsTheModuleReadsThem) {
    // Without elements: "OW"/"HW1" read as O and H; "CA" would be calcium (declined).
    auto top = topology_of({"O", "H", "H"}, star(0, {1, 2}));
    for (auto& a : top.atoms) a.element.clear();
    top.atoms[0].name = "OW";
    top.atoms[1].name = "HW1";
    top.atoms[2].name = "HW2";
    auto small = mcc::small_molecule_symmetry(top, all_atoms(top));
    ASSERT_TRUE(small.has_value());
    EXPECT_EQ(small->sigma, 2);
    top.atoms[0].name = "CA";
    EXPECT_FALSE(mcc::small_molecule_symmetry(top, all_atoms(top)).has_value());
    // No element, name or atomic number: only the module's mass lookup can tell.
    top.atoms[0].name.clear();
    EXPECT_FALSE(mcc::small_molecule_symmetry(top, all_atoms(top)).has_value());
    top.atoms[0].atomic_number = 8;
    EXPECT_TRUE(mcc::small_molecule_symmetry(top, all_atoms(top)).has_value());
}
