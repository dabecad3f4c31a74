#include "plan/dihedral_plan.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace mcc {

namespace {

// The dihedral layout of one molecule: quadruples per residue position, then the residue-level
// pseudo-dihedrals.
struct MoleculeDihedrals {
    std::vector<std::vector<std::array<int, 4>>> ua;  // per residue position
    std::vector<std::array<int, 4>> residue;
};

class Discovery {
public:
    Discovery(const Topology& top, const Structure& s, const ConformationalQuirks& q)
        : top_(top), s_(s), q_(q), neighbours_(s.bonded) {
        if (!q_.index_range_atom_sets) {
            molecule_of_.assign(top.n_atoms(), -1);
            for (std::size_t m = 0; m < s.molecules.size(); ++m)
                for (int a : s.molecules[m].atoms) molecule_of_[a] = static_cast<int>(m);
        }
    }

    MoleculeDihedrals discover(int molecule, bool with_residue_level) const {
        const Molecule& mol = s_.molecules[molecule];
        MoleculeDihedrals out;
        if (mol.atoms.empty()) return out;
        const int first = mol.atoms.front();
        const int last = mol.atoms.back();
        const std::vector<int> positions = residue_positions(molecule, first, last);
        out.ua.resize(positions.size());
        for (std::size_t r = 0; r < positions.size(); ++r)
            out.ua[r] = ua_dihedrals(molecule, positions[r], first, last);
        if (with_residue_level && positions.size() >= 4) {
            for (std::size_t k = 3; k < positions.size(); ++k) {
                std::vector<int> atoms;
                append_bonded(atoms, molecule, positions[k - 3], positions[k - 2]);
                append_bonded(atoms, molecule, positions[k - 2], positions[k - 3]);
                append_bonded(atoms, molecule, positions[k - 1], positions[k]);
                append_bonded(atoms, molecule, positions[k], positions[k - 1]);
                if (atoms.size() == 4) out.residue.push_back({atoms[0], atoms[1], atoms[2], atoms[3]});
            }
        }
        return out;
    }

private:
    bool in_molecule(int atom, int molecule, int first, int last) const {
        if (q_.index_range_atom_sets) return atom >= first && atom <= last;  // Q-C5
        return molecule_of_[atom] == molecule;
    }

    // Residue positions of the molecule: distinct residues of its atom set, ascending index.
    std::vector<int> residue_positions(int molecule, int first, int last) const {
        if (!q_.index_range_atom_sets) return s_.molecules[molecule].residues;
        std::vector<int> res;
        for (int a = first; a <= last; ++a) res.push_back(top_.atoms[a].residue);
        std::sort(res.begin(), res.end());
        res.erase(std::unique(res.begin(), res.end()), res.end());
        return res;
    }

    // Topology dihedrals whose four atoms are heavy, in the molecule's atom set and in the
    // residue's candidate set: its index range [first atom, last atom] (Q-C5) or its own atoms.
    std::vector<std::array<int, 4>> ua_dihedrals(int molecule, int residue, int first,
                                                 int last) const {
        const Residue& res = top_.residues[residue];
        std::vector<std::array<int, 4>> out;
        if (res.atoms.empty()) return out;
        const int lo = std::max(first, res.atoms.front());
        const int hi = std::min(last, res.atoms.back());
        auto candidate = [&](int a) {
            if (a < lo || a > hi || !is_heavy(top_.atoms[a])) return false;
            if (q_.index_range_atom_sets) return true;
            return molecule_of_[a] == molecule && top_.atoms[a].residue == residue;
        };
        const auto& dih = top_.dihedrals;
        // Sorted lexicographically, so every candidate starts at or after the first a >= lo.
        auto it = std::lower_bound(dih.begin(), dih.end(), std::array<int, 4>{lo, -1, -1, -1});
        for (; it != dih.end() && (*it)[0] <= hi; ++it) {
            const auto& q = *it;
            if (candidate(q[0]) && candidate(q[1]) && candidate(q[2]) && candidate(q[3]))
                out.push_back(q);
        }
        return out;
    }

    // Atoms of residue `source` bonded to at least one atom of residue `target`, ascending.
    void append_bonded(std::vector<int>& out, int molecule, int source, int target) const {
        const Molecule& mol = s_.molecules[molecule];
        for (int a : top_.residues[source].atoms) {
            if (!q_.index_range_atom_sets &&
                !in_molecule(a, molecule, mol.atoms.front(), mol.atoms.back()))
                continue;
            for (int b : neighbours_[a])
                if (top_.atoms[b].residue == target) {
                    out.push_back(a);
                    break;
                }
        }
    }

    const Topology& top_;
    const Structure& s_;
    const ConformationalQuirks& q_;
    const std::vector<std::vector<int>>& neighbours_;
    std::vector<int> molecule_of_;
};

bool same_layout(const MoleculeDihedrals& a, const MoleculeDihedrals& b) {
    if (a.ua.size() != b.ua.size() || a.residue.size() != b.residue.size()) return false;
    for (std::size_t r = 0; r < a.ua.size(); ++r)
        if (a.ua[r].size() != b.ua[r].size()) return false;
    return true;
}

}  // namespace

DihedralPlan build_dihedral_plan(const Topology& top, const Structure& s, const Options& o) {
    return build_dihedral_plan(top, s, o, ConformationalQuirks::codeentropy());
}

DihedralPlan build_dihedral_plan(const Topology& top, const Structure& s, const Options& o,
                                 const ConformationalQuirks& quirks) {
    if (o.bin_width < 1 || o.bin_width > 360)
        throw_usage("bin_width must be between 1 and 360 degrees (got {})", o.bin_width);
    DihedralPlan plan;
    plan.quirks = quirks;
    // Q-C8: n_b = int(360 / w); effective width 360 / n_b; centres from linspace(0, 360, n_b+1).
    plan.n_bins = static_cast<int>(360.0 / static_cast<double>(o.bin_width));
    plan.bin_width = 360.0 / static_cast<double>(plan.n_bins);
    const double step = 360.0 / static_cast<double>(plan.n_bins);
    auto edge = [&](int k) { return k == plan.n_bins ? 360.0 : static_cast<double>(k) * step + 0.0; };
    for (int i = 0; i < plan.n_bins; ++i) plan.bin_centres.push_back(0.5 * (edge(i) + edge(i + 1)));
    plan.reference_workers = std::max(1, o.reference_worker_count());

    const Discovery discovery(top, s, quirks);
    for (const Group& g : s.groups) {
        if (g.molecules.empty()) continue;
        DihedralGroupLayout layout;
        layout.group_id = g.id;
        layout.molecules = g.molecules;
        const Molecule& rep = s.molecules[g.molecules.front()];
        layout.has_residue_level = rep.has(Level::Residue);
        for (int r : rep.residues) layout.residue_names.push_back(top.residues[r].name);

        std::vector<MoleculeDihedrals> per_molecule;
        per_molecule.reserve(g.molecules.size());
        for (int m : g.molecules) {
            per_molecule.push_back(discovery.discover(m, layout.has_residue_level));
            if (!same_layout(per_molecule.front(), per_molecule.back()))
                throw_data("{}: molecules {} and {} of group {} have different dihedral lists "
                           "(same atom names, different topology); cannot pool their dihedrals",
                           top.source, g.molecules.front(), m, g.id);
        }
        const MoleculeDihedrals& first = per_molecule.front();
        layout.n_positions = static_cast<int>(first.ua.size());
        int slot = 0;
        for (const auto& r : first.ua) {
            layout.ua_first.push_back(slot);
            layout.ua_count.push_back(static_cast<int>(r.size()));
            slot += static_cast<int>(r.size());
        }
        layout.n_residue_dihedrals = static_cast<int>(first.residue.size());
        layout.slots_per_molecule = slot + layout.n_residue_dihedrals;
        layout.first_slot = plan.n_slots;
        layout.first_instance = plan.instances.size();
        for (const MoleculeDihedrals& md : per_molecule) {
            std::uint32_t local = 0;
            auto add = [&](const std::array<int, 4>& q) {
                plan.instances.push_back(q);
                plan.instance_slot.push_back(static_cast<std::uint32_t>(layout.first_slot) + local++);
            };
            for (const auto& r : md.ua)
                for (const auto& q : r) add(q);
            for (const auto& q : md.residue) add(q);
        }
        plan.n_slots += static_cast<std::size_t>(layout.slots_per_molecule);
        plan.groups.push_back(std::move(layout));
    }
    for (const auto& q : plan.instances) plan.atoms_used.insert(plan.atoms_used.end(), q.begin(), q.end());
    std::sort(plan.atoms_used.begin(), plan.atoms_used.end());
    plan.atoms_used.erase(std::unique(plan.atoms_used.begin(), plan.atoms_used.end()),
                          plan.atoms_used.end());
    return plan;
}

}  // namespace mcc
