// Port of the parts of MDAnalysis 2.4's RDKit converter (MDAnalysis/converters/RDKit.py:
// atomgroup_to_mol, _infer_bo_and_charges, _standardize_patterns, _rebuild_conjugated_bonds,
// _run_reaction) that decide bond orders, formal charges and stereo tags, followed by
// CodeEntropy's symmetry-number and linearity rules. The RDKit calls (and their default
// arguments) are the ones the Python code makes, so the RDKit molecule is the same.
// Built as the run-time module mcc-entropy-symmetry.so (see plan/symmetry_module.hpp), so
// that runs load RDKit only when, and while, they need it.
#include "plan/symmetry_module.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <memory>
#include <numeric>
#include <set>
#include <stdexcept>
#include <string>

#include <GraphMol/ChemTransforms/ChemTransforms.h>
#include <GraphMol/Conformer.h>
#include <GraphMol/MolOps.h>
#include <GraphMol/PeriodicTable.h>
#include <GraphMol/RWMol.h>
#include <GraphMol/SmilesParse/SmilesParse.h>
#include <GraphMol/Substruct/SubstructMatch.h>

#include "core/error.hpp"
#include "core/module_loader.hpp"
#include "modules/standard_reactions.hpp"
#include "modules/substructure_count.hpp"
#include "plan/inference_helpers.hpp"

namespace mcc {
namespace {

using RDKit::Atom;
using RDKit::Bond;
using RDKit::ROMol;
using RDKit::RWMol;

// MDAnalysis' RDBONDORDER lookup; a missing order raises (KeyError in Python).
Bond::BondType bond_type_for_order(double order) {
    if (order == 1.0) return Bond::SINGLE;
    if (order == 1.5) return Bond::AROMATIC;
    if (order == 2.0) return Bond::DOUBLE;
    if (order == 3.0) return Bond::TRIPLE;
    throw std::runtime_error("no RDKit bond type for order " + std::to_string(order));
}

// Number of unpaired electrons for each valence the periodic table lists for the atom.
std::vector<int> unpaired_electrons(const Atom* atom) {
    const auto& valences = RDKit::PeriodicTable::getTable()->getValenceList(atom->getAtomicNum());
    const int current = atom->getTotalValence() - atom->getFormalCharge();
    std::vector<int> nue;
    nue.reserve(valences.size());
    for (int v : valences) nue.push_back(v - current);
    return nue;
}

void infer_bond_orders_and_charges(RWMol& mol) {
    static const std::map<int, int> monatomic_cation_charges = {
        {3, 1}, {11, 1}, {19, 1}, {37, 1}, {47, 1}, {55, 1}, {12, 2}, {20, 2},
        {29, 2}, {30, 2}, {38, 2}, {56, 2}, {26, 2}, {13, 3}};
    std::vector<Atom*> atoms;
    for (Atom* a : mol.atoms())
        if (a->getAtomicNum() > 1) atoms.push_back(a);
    stable_sort_descending(atoms, [](const Atom* a) { return unpaired_electrons(a)[0]; });

    for (Atom* atom : atoms) {
        if (atom->getDegree() == 0) {
            auto it = monatomic_cation_charges.find(atom->getAtomicNum());
            atom->setFormalCharge(it != monatomic_cation_charges.end()
                                      ? it->second
                                      : -unpaired_electrons(atom)[0]);
            mol.updatePropertyCache(false);
            continue;
        }
        auto nue = unpaired_electrons(atom);
        if (nue.size() == 1 && nue[0] < 0) {
            atom->setFormalCharge(-nue[0]);
            mol.updatePropertyCache(false);
        }
        if (nue.size() == 1 && nue[0] <= 0) continue;

        std::vector<Atom*> neighbours;
        for (Atom* na : mol.atomNeighbors(atom)) neighbours.push_back(na);
        stable_sort_descending(neighbours, [](const Atom* a) { return unpaired_electrons(a)[0]; });
        for (Atom* na : neighbours) {
            const auto na_nue = unpaired_electrons(na);
            const int common = std::min(smallest_non_negative(nue), smallest_non_negative(na_nue));
            if (common != 0) {
                Bond* bond = mol.getBondBetweenAtoms(atom->getIdx(), na->getIdx());
                bond->setBondType(bond_type_for_order(common + 1));
                mol.updatePropertyCache(false);
                nue = unpaired_electrons(atom);
                if (any_zero(nue)) break;
            }
        }
        nue = unpaired_electrons(atom);
        if (!any_zero(nue)) {
            atom->setFormalCharge(-nue[0]);
            atom->setNumRadicalElectrons(0);
            mol.updatePropertyCache(false);
        }
    }
}

std::vector<int> match_atoms(const RDKit::MatchVectType& m) {
    std::vector<int> out(m.size());
    for (const auto& [q, t] : m) out[static_cast<std::size_t>(q)] = t;
    return out;
}

// GetSubstructMatches(pattern) with Python's defaults (uniquify on, at most 1000).
std::vector<std::vector<int>> all_matches(const ROMol& mol, const ROMol& pattern) {
    RDKit::SubstructMatchParameters p;
    std::vector<std::vector<int>> out;
    for (const auto& m : RDKit::SubstructMatch(mol, pattern, p)) out.push_back(match_atoms(m));
    return out;
}

std::vector<int> first_match(const ROMol& mol, const ROMol& pattern) {
    RDKit::SubstructMatchParameters p;
    p.maxMatches = 1;
    auto ms = RDKit::SubstructMatch(mol, pattern, p);
    return ms.empty() ? std::vector<int>{} : match_atoms(ms.front());
}

void shift_bond_order(RWMol& mol, int a, int b, double delta) {
    Bond* bond = mol.getBondBetweenAtoms(static_cast<unsigned>(a), static_cast<unsigned>(b));
    bond->setBondType(bond_type_for_order(bond->getBondTypeAsDouble() + delta));
}

void add_charge(RWMol& mol, int idx, int delta) {
    Atom* a = mol.getAtomWithIdx(static_cast<unsigned>(idx));
    a->setFormalCharge(a->getFormalCharge() + delta);
}

std::set<int> as_set(const std::vector<int>& v) { return {v.begin(), v.end()}; }

void rebuild_conjugated_bonds(RWMol& mol, int max_iter = 200) {
    mol.updatePropertyCache(false);
    RDKit::MolOps::Kekulize(mol, false);
    const std::unique_ptr<RWMol> pattern(RDKit::SmartsToMol("[*-{1-2}]-,=[*+0]=,#[*+0]"));
    const std::unique_ptr<RWMol> base_end(
        RDKit::SmartsToMol("[*-{1-2}]-,=[*+0]=,#[*+0]-,=[*-{1-2}]"));
    const std::unique_ptr<RWMol> odd_end(RDKit::SmartsToMol(
        "[*-]-[*+0]=[*+0]-[*-,$([#7;X3;v3]),$([#6+0,#7+1]=O),$([S;D4;v4]-[O-])]"));

    auto count_first_atoms = [](const std::vector<std::vector<int>>& ms) {
        std::set<int> firsts;
        for (const auto& m : ms) firsts.insert(m[0]);
        return firsts.size();
    };
    const std::size_t n_matches = count_first_atoms(all_matches(mol, *pattern));
    if (n_matches == 0) return;
    const ROMol* end_pattern = n_matches == 1 ? odd_end.get() : base_end.get();

    std::vector<std::set<int>> backtrack;
    int backtrack_cycles = 0;
    for (int iter = 0; iter < max_iter; ++iter) {
        const auto end_match = first_match(mol, *end_pattern);
        if (!end_match.empty()) {
            const int anion1 = end_match[0], a1 = end_match[1], a2 = end_match[2],
                      anion2 = end_match[3];
            Atom* term = mol.getAtomWithIdx(static_cast<unsigned>(anion2));
            const int z = term->getAtomicNum(), q = term->getFormalCharge();
            if ((z == 6 && q == 0) || (z == 7 && q == 1)) {
                for (Atom* nb : mol.atomNeighbors(term)) {
                    Bond* b = mol.getBondBetweenAtoms(static_cast<unsigned>(anion2), nb->getIdx());
                    if (nb->getAtomicNum() == 8 && b->getBondTypeAsDouble() == 2.0) {
                        b->setBondType(Bond::SINGLE);
                        nb->setFormalCharge(-1);
                        break;
                    }
                }
            } else if (z == 16 && q == 0) {
                for (Atom* nb : mol.atomNeighbors(term)) {
                    Bond* b = mol.getBondBetweenAtoms(static_cast<unsigned>(anion2), nb->getIdx());
                    if (nb->getAtomicNum() == 8 && nb->getFormalCharge() == -1 &&
                        b->getBondTypeAsDouble() == 1.0) {
                        b->setBondType(Bond::DOUBLE);
                        nb->setFormalCharge(0);
                        break;
                    }
                }
            } else {
                term->setFormalCharge(q + 1);
            }
            add_charge(mol, anion1, +1);
            shift_bond_order(mol, anion1, a1, +1);
            shift_bond_order(mol, a1, a2, -1);
            shift_bond_order(mol, a2, anion2, +1);
            mol.updatePropertyCache(false);
            continue;
        }
        const auto matches = all_matches(mol, *pattern);
        if (!matches.empty()) {
            std::vector<int> chosen;
            for (const auto& m : matches) {
                const auto g = as_set(m);
                if (std::find(backtrack.begin(), backtrack.end(), g) != backtrack.end()) continue;
                chosen = m;
                backtrack.push_back(g);
                break;
            }
            if (chosen.empty()) {
                if (backtrack_cycles == 1) {
                    end_pattern = odd_end.get();
                } else if (backtrack_cycles > 1) {
                    mol.updatePropertyCache(false);
                    return;
                }
                chosen = matches[0];
                backtrack = {as_set(chosen)};
                ++backtrack_cycles;
            }
            const int anion = chosen[0], a1 = chosen[1], a2 = chosen[2];
            add_charge(mol, anion, +1);
            add_charge(mol, a2, -1);
            shift_bond_order(mol, anion, a1, +1);
            shift_bond_order(mol, a1, a2, -1);
            mol.updatePropertyCache(false);
            if (count_first_atoms(matches) == 1) end_pattern = odd_end.get();
            continue;
        }
        mol.updatePropertyCache(false);
        return;
    }
}

// The reactions module, loaded on first use.
RunStandardReaction reactions_module() {
    static const auto run = reinterpret_cast<RunStandardReaction>(
        load_module_entry(kReactionsModuleFile, kReactionsModuleEntry));
    return run;
}

// MDAnalysis' _run_reaction. Where the reaction does not apply, its only effect is to update
// the property cache and kekulize (twice: before the attempt and after the loop); only a
// molecule it applies to needs RDKit's reaction library.
std::unique_ptr<RWMol> run_reaction(std::size_t index, std::unique_ptr<RWMol> reactant) {
    bool applies = false;
    {
        RWMol probe(*reactant);
        prepare_reactant(probe);
        applies = probe.getNumAtoms() > 0 && standard_reaction_applies(index, probe);
    }
    if (applies) return std::unique_ptr<RWMol>(reactions_module()(index, reactant.release()));
    prepare_reactant(*reactant);  // before the attempt
    prepare_reactant(*reactant);  // after the loop
    return reactant;
}

std::unique_ptr<RWMol> standardize_patterns(RWMol& mol) {
    rebuild_conjugated_bonds(mol);
    std::unique_ptr<RWMol> combined;
    for (const auto& frag : RDKit::MolOps::getMolFrags(mol, true)) {
        auto reactant = std::make_unique<RWMol>(*frag);
        for (std::size_t i = 0; i < kStandardReactionSmarts.size(); ++i)
            reactant = run_reaction(i, std::move(reactant));
        if (!combined) {
            combined = std::move(reactant);
        } else {
            std::unique_ptr<ROMol> merged(RDKit::combineMols(*combined, *reactant));
            combined = std::make_unique<RWMol>(*merged);
        }
    }
    return combined;
}

// The element whose standard atomic weight is nearest `mass`, when it is within 0.1 amu
// (-1 otherwise): how a user expects elements of name-less atoms (LAMMPS data files) to be
// known. A deliberate difference from the reference, which cannot name them and stops.
int element_by_mass(double mass) {
    constexpr double kTolerance = 0.1;  // amu; isotopes / repartitioned hydrogens stay unknown
    const auto* table = RDKit::PeriodicTable::getTable();
    int best = -1;
    double best_gap = kTolerance;
    for (unsigned z = 1; z <= 118; ++z) {
        double weight = 0.0;
        try {
            weight = table->getAtomicWeight(z);
        } catch (...) {
            break;  // past the end of this RDKit's table
        }
        const double gap = std::abs(weight - mass);
        if (gap <= best_gap) {
            best_gap = gap;
            best = static_cast<int>(z);
        }
    }
    return best;
}

// Chem.Atom(element.capitalize()); without an element, the topology's atomic number, else a
// guess from the atom name's leading letters, else (our addition) the element of that mass.
int atomic_number_of(const mcc::Atom& atom) {
    const auto* table = RDKit::PeriodicTable::getTable();
    auto lookup = [&](std::string sym) -> int {
        if (sym.empty()) return -1;
        sym[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(sym[0])));
        for (std::size_t i = 1; i < sym.size(); ++i)
            sym[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(sym[i])));
        try {
            return table->getAtomicNumber(sym);
        } catch (...) {
            return -1;
        }
    };
    if (!atom.element.empty()) {
        const int z = lookup(atom.element);
        if (z < 0) throw_data("unknown element '{}' for atom {}", atom.element, atom.name);
        return z;
    }
    if (atom.atomic_number > 0) return atom.atomic_number;
    std::string letters;
    for (char c : atom.name) {
        if (!std::isalpha(static_cast<unsigned char>(c))) break;
        letters += c;
    }
    for (std::size_t len = std::min<std::size_t>(2, letters.size()); len > 0; --len) {
        const int z = lookup(letters.substr(0, len));
        if (z > 0) return z;
    }
    if (const int z = element_by_mass(atom.mass); z > 0) return z;
    throw_data("cannot determine the element of atom {} (type {}, mass {}): no element, atomic "
               "number, element-like name or standard atomic mass within 0.1 amu",
               atom.name, atom.type, atom.mass);
}

std::unique_ptr<RWMol> build_molecule(const Topology& top, const std::vector<int>& atoms,
                                      bool infer) {
    auto mol = std::make_unique<RWMol>();
    std::map<int, unsigned> local;
    for (std::size_t i = 0; i < atoms.size(); ++i) {
        Atom a(atomic_number_of(top.atoms[atoms[i]]));
        a.setNoImplicit(true);
        a.setProp<int>(kMdaIndexProp, static_cast<int>(i));
        local[atoms[i]] = mol->addAtom(&a, true, false);
    }
    for (const auto& b : top.bonds) {
        auto i = local.find(b[0]), j = local.find(b[1]);
        if (i == local.end() || j == local.end()) continue;
        mol->addBond(i->second, j->second, Bond::SINGLE);
    }
    mol->updatePropertyCache(false);
    if (infer) {
        infer_bond_orders_and_charges(*mol);
        auto standard = standardize_patterns(*mol);
        // Reactions may reorder atoms: restore the topology order.
        std::vector<int> index(standard->getNumAtoms());
        for (const Atom* a : standard->atoms()) index[a->getIdx()] = a->getProp<int>(kMdaIndexProp);
        std::vector<unsigned> order(index.size());
        std::iota(order.begin(), order.end(), 0u);
        std::stable_sort(order.begin(), order.end(),
                         [&](unsigned x, unsigned y) { return index[x] < index[y]; });
        std::unique_ptr<ROMol> renumbered(RDKit::MolOps::renumberAtoms(*standard, order));
        mol = std::make_unique<RWMol>(*renumbered);
    }
    unsigned failed = 0;
    try {
        RDKit::MolOps::sanitizeMol(*mol, failed);
    } catch (...) {
        // As Chem.SanitizeMol(catchErrors=True): keep what was done, carry on.
    }
    return mol;
}

// len(mol.GetSubstructMatches(query, uniquify=False, useChirality=True)): counted by
// count_chiral_substructure_matches, or by RDKit when that declines the molecules.
int count_matches(const ROMol& mol, const ROMol& query, const RDKit::SubstructMatchParameters& params) {
    const bool counter_applies = !params.uniquify && params.useChirality && !params.useEnhancedStereo &&
                                 !params.aromaticMatchesConjugated && !params.useQueryQueryMatches &&
                                 !params.useGenericMatchers && !params.extraFinalCheck;
    if (counter_applies)
        if (const auto n = count_chiral_substructure_matches(mol, query, params.maxMatches))
            return static_cast<int>(*n);
    return static_cast<int>(RDKit::SubstructMatch(mol, query, params).size());
}

SymmetryInfo rdkit_molecule_symmetry(const Topology& top, const std::vector<int>& atoms_in,
                                     const std::vector<float>& positions) {
    // Virtual sites (mass < 0.1) are dropped and the molecule is converted without inference.
    std::vector<int> atoms;
    for (int a : atoms_in)
        if (!(top.atoms[a].mass < 0.1)) atoms.push_back(a);
    const bool has_dummies = atoms.size() != atoms_in.size();
    if (atoms.empty()) return {};

    std::unique_ptr<RWMol> mol;
    if (has_dummies) {
        mol = build_molecule(top, atoms, false);
    } else {
        try {
            mol = build_molecule(top, atoms, true);
        } catch (const mcc::DataError&) {
            throw;
        } catch (const std::exception&) {
            mol = build_molecule(top, atoms, false);
        }
    }

    auto* conf = new RDKit::Conformer(mol->getNumAtoms());
    for (std::size_t i = 0; i < atoms.size(); ++i) {
        const auto p = static_cast<std::size_t>(atoms[i]) * 3;
        conf->setAtomPos(static_cast<unsigned>(i),
                         RDGeom::Point3D(positions[p], positions[p + 1], positions[p + 2]));
    }
    mol->addConformer(conf, false);
    RDKit::MolOps::assignStereochemistryFrom3D(*mol);
    RDKit::MolOps::setDoubleBondNeighborDirections(*mol);

    SymmetryInfo info;
    const auto n_heavy = static_cast<int>(mol->getNumHeavyAtoms());
    const int n_hydrogen = static_cast<int>(mol->getNumAtoms()) - n_heavy;
    info.n_heavy = n_heavy;

    RDKit::SubstructMatchParameters params;
    params.uniquify = false;
    params.useChirality = true;
    params.maxMatches = 1000;
    std::unique_ptr<RDKit::ROMol> heavy;
    if (n_heavy > 1) {
        heavy.reset(RDKit::MolOps::removeHs(static_cast<const RDKit::ROMol&>(*mol), false, false, true));
        info.sigma = count_matches(*mol, *heavy, params);
    } else if (n_hydrogen > 0) {
        info.sigma = count_matches(*mol, *mol, params);
    }

    if (n_heavy == 1) {
        info.linear = false;
    } else if (n_heavy == 2) {
        info.linear = true;
    } else {
        // (also reached with no heavy atom at all, e.g. H2: then always "linear")
        if (!heavy) heavy.reset(RDKit::MolOps::removeHs(static_cast<const RDKit::ROMol&>(*mol), false, false, true));
        int sp = 0;
        for (const RDKit::Atom* a : heavy->atoms())
            if (a->getHybridization() == RDKit::Atom::SP) ++sp;
        info.linear = sp >= n_heavy - 2;
    }
    return info;
}

}  // namespace
}  // namespace mcc

extern "C" const mcc::SymmetryModule* mcc_symmetry_module() {
    static const mcc::SymmetryModule module{mcc::kSymmetryModuleAbi, MCC_VERSION, &mcc::rdkit_molecule_symmetry};
    return &module;
}
