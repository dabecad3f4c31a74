#include "plan/vibrational_plan.hpp"

#include <algorithm>
#include <string>

#include "core/error.hpp"

namespace mcc {

namespace {

bool axes_heavy(double m) { return m >= 2.0 && m <= 999.0; }  // "mass 2 to 999"
bool axes_light(double m) { return m >= 1.0 && m <= 1.1; }    // "mass 1 to 1.1"

std::vector<double> masses_of(const Topology& top, const std::vector<int>& atoms) {
    std::vector<double> m;
    m.reserve(atoms.size());
    for (int a : atoms) m.push_back(top.atoms[static_cast<std::size_t>(a)].mass);
    return m;
}

std::string clean_residue_name(std::string name) {
    for (const std::string dash : {"-", "\u2013", "\u2014"}) {
        std::size_t pos;
        while ((pos = name.find(dash)) != std::string::npos) name.erase(pos, dash.size());
    }
    return name;
}

// §8.4, literally: exists a, b in M bonded, resindex(a) in {i-1, i+1}, resid(b) == i.
bool neighbour_bond_flag(const Topology& top, const std::vector<std::vector<int>>& nbrs,
                         const std::vector<int>& mol_atoms, int i) {
    for (int a : mol_atoms) {
        const int ri = top.atoms[static_cast<std::size_t>(a)].residue;
        if (ri != i - 1 && ri != i + 1) continue;
        for (int b : nbrs[static_cast<std::size_t>(a)]) {
            if (!std::binary_search(mol_atoms.begin(), mol_atoms.end(), b)) continue;
            const auto& res = top.residues[static_cast<std::size_t>(top.atoms[static_cast<std::size_t>(b)].residue)];
            if (res.resid == i) return true;
        }
    }
    return false;
}

// Heavy atom mass plus the masses of its bonded light (1 <= m <= 1.1) partners (§7.7).
double ua_mass(const Topology& top, const std::vector<std::vector<int>>& nbrs, int x) {
    double m = top.atoms[static_cast<std::size_t>(x)].mass;
    for (int h : nbrs[static_cast<std::size_t>(x)])
        if (axes_light(top.atoms[static_cast<std::size_t>(h)].mass))
            m += top.atoms[static_cast<std::size_t>(h)].mass;
    return m;
}

// Rewrites the plan's atom indices relative to `first` (MoleculeInstance::first_atom).
void localise(MoleculePlan& mp, int first) {
    auto shift = [first](std::vector<int>& atoms) {
        for (int& a : atoms) a -= first;
    };
    shift(mp.atoms);
    shift(mp.whole.atoms);
    for (ResiduePlan& rp : mp.residues) {
        shift(rp.atoms);
        shift(rp.whole.atoms);
        shift(rp.heavy_ua_level);
        shift(rp.heavy_residue_level);
        for (UABeadPlan& bp : rp.ua_beads) {
            shift(bp.atoms);
            if (bp.heavy >= 0) bp.heavy -= first;
            shift(bp.bonded_heavy);
            shift(bp.bonded_light);
            shift(bp.ua);
            shift(bp.ua_all.atoms);
            shift(bp.bead_whole.atoms);
        }
    }
}

// Index of a shared plan equal to `mp`, else -1. Identical molecules come in runs (a solvent
// block), so the previous molecule's plan and the latest few are enough to look at.
int find_shared(const VibrationalPlan& plan, const MoleculePlan& mp) {
    constexpr std::size_t kLatest = 8;
    if (!plan.molecules.empty()) {
        const int previous = plan.molecules.back().plan;
        if (plan.shared[static_cast<std::size_t>(previous)] == mp) return previous;
    }
    const std::size_t n = plan.shared.size();
    for (std::size_t k = n; k > 0 && k + kLatest > n; --k)
        if (plan.shared[k - 1] == mp) return static_cast<int>(k - 1);
    return -1;
}

// Whether molecule `cur` (first atom cur_first) would get exactly the plan of `prev` (first
// atom prev_first), `prev_plan`, judged from everything the plan is built from: atom offsets,
// masses, bonds (adjacency lists), residue atom lists, levels, united-atom beads and the
// neighbour-bond flags. Plan fields derive only from these; a new input to the builder must
// be compared here too (test_vibrational_plan compares this shortcut with full builds).
bool same_plan_inputs(const Topology& top, const std::vector<std::vector<int>>& nbrs, const Molecule& prev,
                      int prev_first, const Molecule& cur, int cur_first, const MoleculePlan& prev_plan) {
    const int shift = cur_first - prev_first;
    auto same_atom = [&](int p, int c) {
        if (c - p != shift) return false;
        const auto pi = static_cast<std::size_t>(p), ci = static_cast<std::size_t>(c);
        if (!(top.atoms[pi].mass == top.atoms[ci].mass)) return false;
        const auto& pn = nbrs[pi];
        const auto& cn = nbrs[ci];
        if (pn.size() != cn.size()) return false;
        for (std::size_t k = 0; k < pn.size(); ++k)
            if (cn[k] - pn[k] != shift) return false;
        return true;
    };
    auto same_list = [&](const std::vector<int>& p, const std::vector<int>& c) {
        if (p.size() != c.size()) return false;
        for (std::size_t i = 0; i < p.size(); ++i)
            if (!same_atom(p[i], c[i])) return false;
        return true;
    };
    if (cur.levels != prev.levels || !same_list(prev.atoms, cur.atoms)) return false;
    if (cur.residues.size() != prev.residues.size() || cur.ua_beads.size() != prev.ua_beads.size()) return false;
    for (std::size_t r = 0; r < cur.residues.size(); ++r) {
        const auto& c_atoms = top.residues[static_cast<std::size_t>(cur.residues[r])].atoms;
        // a residue reaching outside its molecule: its outside atoms' bonds are not compared
        for (int a : c_atoms)
            if (!std::binary_search(cur.atoms.begin(), cur.atoms.end(), a)) return false;
        if (!same_list(top.residues[static_cast<std::size_t>(prev.residues[r])].atoms, c_atoms)) return false;
    }
    for (std::size_t r = 0; r < cur.ua_beads.size(); ++r) {
        if (cur.ua_beads[r].size() != prev.ua_beads[r].size()) return false;
        for (std::size_t b = 0; b < cur.ua_beads[r].size(); ++b)
            if (!same_list(prev.ua_beads[r][b], cur.ua_beads[r][b])) return false;
    }
    if (cur.has(Level::Residue))
        for (std::size_t r = 0; r < cur.residues.size(); ++r)
            if (neighbour_bond_flag(top, nbrs, cur.atoms, static_cast<int>(r)) != prev_plan.residues[r].neighbour_bonds)
                return false;
    return true;
}

}  // namespace

VibrationalPlan build_vibrational_plan(const Topology& top, const Structure& s, const Options& o) {
    return build_vibrational_plan(top, s, o, VibrationalPlanBuild{});
}

VibrationalPlan build_vibrational_plan(const Topology& top, const Structure& s, const Options& o,
                                       const VibrationalPlanBuild& how) {
    VibrationalPlan plan;
    plan.force_partitioning = o.force_partitioning;
    plan.temperature = o.temperature;
    plan.customised_axes = o.customised_axes;
    plan.combined_forcetorque = o.combined_forcetorque;
    plan.quirks = VibrationalQuirks::codeentropy();
    const auto& nbrs = s.bonded;

    for (std::size_t mi = 0; mi < s.molecules.size(); ++mi) {
        const Molecule& mol = s.molecules[mi];
        const int first = mol.atoms.empty() ? 0 : *std::min_element(mol.atoms.begin(), mol.atoms.end());
        // A run of identical molecules (a solvent block): reuse the previous plan unbuilt.
        if (how.reuse_previous_unbuilt && mi > 0 && !mol.atoms.empty()) {
            const MoleculeInstance& previous = plan.molecules.back();
            if (same_plan_inputs(top, nbrs, s.molecules[mi - 1], previous.first_atom, mol, first,
                                 plan.shared[static_cast<std::size_t>(previous.plan)])) {
                plan.molecules.push_back({previous.plan, first});
                continue;
            }
        }
        MoleculePlan mp;
        mp.atoms = mol.atoms;
        mp.masses = masses_of(top, mol.atoms);
        mp.mass = geom::numpy_sum(mp.masses);
        mp.whole = geom::make_whole_group(mol.atoms, nbrs);
        mp.levels = mol.levels;
        for (std::size_t r = 0; r < mol.residues.size(); ++r) {
            const Residue& res = top.residues[static_cast<std::size_t>(mol.residues[r])];
            ResiduePlan rp;
            rp.atoms = res.atoms;
            rp.masses = masses_of(top, rp.atoms);
            rp.mass = geom::numpy_sum(rp.masses);
            rp.whole = geom::make_whole_group(rp.atoms, nbrs);
            for (int a : rp.atoms) {
                const double m = top.atoms[static_cast<std::size_t>(a)].mass;
                if (m > kHeavyAtomMass) {
                    rp.heavy_ua_level.push_back(a);
                    rp.ua_masses.push_back(ua_mass(top, nbrs, a));
                }
                if (axes_heavy(m)) rp.heavy_residue_level.push_back(a);
            }
            if (mol.has(Level::Residue))
                rp.neighbour_bonds = neighbour_bond_flag(top, nbrs, mol.atoms, static_cast<int>(r));
            if (r < mol.ua_beads.size()) {
                for (const auto& bead : mol.ua_beads[r]) {
                    UABeadPlan bp;
                    bp.atoms = bead;
                    bp.masses = masses_of(top, bead);
                    bp.mass = geom::numpy_sum(bp.masses);
                    if (!(bp.mass > 0.0))
                        throw_data("{}: a united-atom bead (atom {}) has total mass {} (must be positive)",
                                   top.source, bead.front(), bp.mass);
                    bp.bead_whole = geom::make_whole_group(bead, nbrs);
                    for (int a : bead)
                        if (top.atoms[static_cast<std::size_t>(a)].mass > kHeavyAtomMass) {
                            bp.heavy = a;
                            break;
                        }
                    if (bp.heavy >= 0) {
                        for (int p : nbrs[static_cast<std::size_t>(bp.heavy)]) {
                            const double m = top.atoms[static_cast<std::size_t>(p)].mass;
                            if (axes_heavy(m)) bp.bonded_heavy.push_back(p);
                            if (axes_light(m)) bp.bonded_light.push_back(p);
                        }
                        bp.ua.push_back(bp.heavy);
                        bp.ua.insert(bp.ua.end(), bp.bonded_light.begin(), bp.bonded_light.end());
                        bp.ua_masses = masses_of(top, bp.ua);
                        std::vector<int> all{bp.heavy};
                        all.insert(all.end(), bp.bonded_heavy.begin(), bp.bonded_heavy.end());
                        all.insert(all.end(), bp.bonded_light.begin(), bp.bonded_light.end());
                        bp.ua_all = geom::make_whole_group(all, nbrs);
                        bp.ua_all_masses = masses_of(top, all);
                    } else if (o.customised_axes) {
                        throw_data("{}: molecule {} has no heavy atom; customised united-atom axes "
                                   "need one (CodeEntropy fails here too); use customised_axes: false",
                                   top.source, mi);
                    }
                    rp.ua_beads.push_back(std::move(bp));
                }
            }
            mp.residues.push_back(std::move(rp));
        }
        localise(mp, first);
        int shared = find_shared(plan, mp);
        if (shared < 0) {
            shared = static_cast<int>(plan.shared.size());
            plan.shared.push_back(std::move(mp));
        }
        plan.molecules.push_back({shared, first});
    }

    auto new_slot = [&](std::size_t dim) {
        plan.slot_dims.push_back(dim);
        return static_cast<int>(plan.slot_dims.size() - 1);
    };
    for (const Group& g : s.groups) {
        VibrationalGroupPlan gp;
        gp.id = g.id;
        gp.molecules = g.molecules;
        const auto rep_index = static_cast<std::size_t>(g.molecules.front());
        const MoleculePlan& rep = plan.plan_of(rep_index);
        for (int m : g.molecules) {
            const MoleculePlan& other = plan.plan_of(static_cast<std::size_t>(m));
            bool same = other.levels == rep.levels && other.residues.size() == rep.residues.size();
            for (std::size_t r = 0; same && r < rep.residues.size(); ++r)
                same = other.residues[r].ua_beads.size() == rep.residues[r].ua_beads.size();
            if (!same)
                throw_data("{}: molecules {} and {} are grouped together but have different bead "
                           "structures", top.source, rep_index, m);
        }
        for (const ResiduePlan& rp : rep.residues) {
            const auto first_atom = static_cast<std::size_t>(plan.molecules[rep_index].first_atom + rp.atoms.front());
            gp.residue_names.push_back(
                clean_residue_name(top.residues[static_cast<std::size_t>(top.atoms[first_atom].residue)].name));
            const std::size_t dim = 3 * rp.ua_beads.size();
            gp.slots.ua_dim.push_back(dim);
            if (dim == 0) {
                gp.slots.ua_force.push_back(-1);
                gp.slots.ua_torque.push_back(-1);
            } else {
                gp.slots.ua_force.push_back(new_slot(dim));
                gp.slots.ua_torque.push_back(new_slot(dim));
            }
        }
        const Level top_level = rep.levels.back();
        const bool combined = o.combined_forcetorque;
        if (std::find(rep.levels.begin(), rep.levels.end(), Level::Residue) != rep.levels.end()) {
            const std::size_t dim = 3 * rep.residues.size();
            if (combined && top_level == Level::Residue) {
                gp.slots.ft_res = new_slot(2 * dim);
            } else {
                gp.slots.res_force = new_slot(dim);
                gp.slots.res_torque = new_slot(dim);
            }
        }
        if (top_level == Level::Polymer) {
            if (combined) {
                gp.slots.ft_poly = new_slot(6);
            } else {
                gp.slots.poly_force = new_slot(3);
                gp.slots.poly_torque = new_slot(3);
            }
        }
        plan.groups.push_back(std::move(gp));
    }
    return plan;
}

}  // namespace mcc
