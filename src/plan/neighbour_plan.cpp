#include "plan/neighbour_plan.hpp"

namespace mcc {

NeighbourPlan build_neighbour_plan(const Topology& top, const Structure& s, const Options& o) {
    NeighbourPlan p;
    p.search = o.search_type;
    switch (o.conventions) {
        case Conventions::CodeEntropy: p.quirks = OrientationalQuirks::codeentropy(); break;
    }
    p.n_atoms = top.n_atoms();
    p.masses.reserve(top.n_atoms());
    p.atom_residue.reserve(top.n_atoms());
    for (const auto& a : top.atoms) {
        p.masses.push_back(a.mass);
        p.atom_residue.push_back(a.residue);
    }
    p.atom_molecule.assign(top.n_atoms(), -1);
    for (std::size_t m = 0; m < s.molecules.size(); ++m) {
        const auto& mol = s.molecules[m];
        p.molecule_atoms.push_back(mol.atoms);
        p.molecule_residues.push_back(mol.residues);
        p.query_range.push_back({mol.atoms.front(), mol.atoms.back()});
        for (int a : mol.atoms) p.atom_molecule[static_cast<std::size_t>(a)] = static_cast<int>(m);
    }
    for (const auto& r : top.residues) p.residue_atom_count.push_back(static_cast<int>(r.atoms.size()));
    for (const auto& g : s.groups) {
        p.group_ids.push_back(g.id);
        p.group_molecules.push_back(g.molecules);
        p.group_level.push_back(g.molecules.empty() ? Level::UnitedAtom
                                                    : s.molecules[g.molecules.front()].highest());
    }
    return p;
}

}  // namespace mcc
