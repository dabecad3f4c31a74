// Symmetry numbers and linearity (spec §3.5) against the values CodeEntropy's rules give through
// MDAnalysis 2.4.2 + RDKit 2022.09 for the same atoms, bonds and coordinates.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "core/error.hpp"
#include "orient_test_molecules.hpp"
#include "plan/symmetry.hpp"
#include "topology/topology.hpp"

namespace {

double mass_of(const std::string& element) {
    static const std::map<std::string, double> m = {
        {"H", 1.008}, {"C", 12.011}, {"N", 14.007}, {"O", 15.999}, {"P", 30.974}, {"Cl", 35.45}};
    return m.at(element);
}

mcc::Topology topology_of(const TestMolecule& t) {
    mcc::Topology top;
    top.residues.push_back({"MOL", 1, 1, "", {}});
    for (std::size_t i = 0; i < t.elements.size(); ++i) {
        mcc::Atom a;
        a.element = t.elements[i];
        a.name = a.element + std::to_string(i);
        a.mass = mass_of(a.element);
        top.atoms.push_back(a);
    }
    for (auto b : t.bonds) top.bonds.push_back({std::min(b[0], b[1]), std::max(b[0], b[1])});
    top.finalize();
    return top;
}

std::vector<int> all_atoms(const mcc::Topology& top) {
    std::vector<int> v(top.n_atoms());
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<int>(i);
    return v;
}

}  // namespace

TEST(OrientSymmetry, MatchesReferenceTable) {
    for (const auto& t : test_molecules()) {
        SCOPED_TRACE(t.name);
        const auto top = topology_of(t);
        const auto info = mcc::molecule_symmetry(top, all_atoms(top), t.xyz);
        EXPECT_EQ(info.sigma, t.sigma);
        EXPECT_EQ(info.linear, t.linear);
    }
}

TEST(OrientSymmetry, SpecTableValues) {
    // The spec's table (§3.5), independent of the generated expectations.
    const std::map<std::string, std::pair<int, bool>> expected = {
        {"methane", {24, false}},   {"water", {2, false}},        {"methanol", {1, true}},
        {"benzene", {12, false}},   {"cyclohexane", {12, false}}, {"benzaldehyde", {2, false}},
        {"ethyl_acetate", {1, false}}, {"octanol", {1, false}},   {"co2", {2, true}},
        {"ethane", {2, true}},      {"propane", {2, false}},      {"neopentane", {24, false}},
        {"ammonia", {6, false}},
        // inferred charges: the two phosphate oxygens are not equivalent; the acetate O's neither
        {"dimethylphosphate", {2, false}}, {"acetate", {1, false}},
        // stereo tags from 3-D: R,R diol keeps its C2 swap, the meso one loses it
        {"butanediol_rr", {2, false}}, {"butanediol_meso", {1, false}}};
    for (const auto& t : test_molecules()) {
        auto it = expected.find(t.name);
        if (it == expected.end()) continue;
        SCOPED_TRACE(t.name);
        const auto top = topology_of(t);
        const auto info = mcc::molecule_symmetry(top, all_atoms(top), t.xyz);
        EXPECT_EQ(info.sigma, it->second.first);
        EXPECT_EQ(info.linear, it->second.second);
    }
}

TEST(OrientSymmetry, SingleAtomIonHasSigmaZero) {
    mcc::Topology top;
    top.residues.push_back({"CL", 1, 1, "", {}});
    mcc::Atom a;
    a.element = "Cl";
    a.name = "CL";
    a.mass = 35.45;
    top.atoms.push_back(a);
    top.finalize();
    const auto info = mcc::molecule_symmetry(top, {0}, {0.f, 0.f, 0.f});
    EXPECT_EQ(info.sigma, 0);
    EXPECT_FALSE(info.linear);
}

namespace {

// As a LAMMPS data file gives them: no names, no elements, numeric types, force-field masses
// (AMBER's 12.01 / 14.01 / 16.00 / 30.97 rather than the standard weights).
mcc::Topology nameless_topology_of(const TestMolecule& t) {
    static const std::map<std::string, double> ff_mass = {
        {"H", 1.008}, {"C", 12.01}, {"N", 14.01}, {"O", 16.00}, {"P", 30.97}, {"Cl", 35.45}};
    mcc::Topology top = topology_of(t);
    for (auto& a : top.atoms) {
        a.mass = ff_mass.at(a.element);
        a.type = std::to_string(a.name.size());
        a.element.clear();
        a.name.clear();
    }
    return top;
}

}  // namespace

TEST(OrientSymmetry, ElementsOfNamelessAtomsFromTheirMasses) {
    for (const auto& t : test_molecules()) {
        SCOPED_TRACE(t.name);
        const auto top = nameless_topology_of(t);
        const auto info = mcc::molecule_symmetry(top, all_atoms(top), t.xyz);
        EXPECT_EQ(info.sigma, t.sigma);
        EXPECT_EQ(info.linear, t.linear);
    }
}

TEST(OrientSymmetry, MassFarFromEveryElementIsAnError) {
    const TestMolecule& water = test_molecules()[1];
    ASSERT_STREQ(water.name, "water");
    auto top = nameless_topology_of(water);
    top.atoms[1].mass = 3.024;  // hydrogen mass repartitioning: not a standard atomic weight
    EXPECT_THROW(mcc::molecule_symmetry(top, all_atoms(top), water.xyz), mcc::DataError);
    top.atoms[1].mass = 1.008 + 0.09;  // within 0.1 amu of hydrogen
    EXPECT_EQ(mcc::molecule_symmetry(top, all_atoms(top), water.xyz).sigma, 2);
}
