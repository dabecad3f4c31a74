// Static plan of the vibrational term: per molecule, level and bead the atom lists, masses,
// axes recipes, neighbour-bond flags and make-whole groups, plus the accumulator slots of the
// group-averaged force / torque / force-torque matrices. Built once, no frames touched.
// Identical molecules (a solvent's thousands of copies) share one MoleculePlan: its atom
// indices count from the molecule's first atom, and each molecule only says which plan it
// uses and where its atoms start. Memory stays small and the frame kernel walks a few
// kilobytes of plan instead of kilobytes per molecule.
#pragma once
#include <cstddef>
#include <vector>

#include "core/options.hpp"
#include "kernels/geometry.hpp"
#include "plan/structure.hpp"
#include "topology/topology.hpp"

namespace mcc {

// CodeEntropy 2.3 behaviours kept on purpose (spec-vibrational §15). One switch per quirk.
struct VibrationalQuirks {
    // force_partitioning scales torques at every level (forces only at the highest).
    bool torque_partitioned_at_every_level = true;
    // FT-trans = the 3 lowest-frequency modes of the combined matrix, FT-rot = the rest.
    bool ft_split_by_frequency_rank = true;
    // force matrices below the highest level drop their 6 lowest-frequency modes;
    // torque matrices never drop modes.
    bool drop_six_lowest_force_modes_below_top = true;
    // residue "neighbour bond" flag evaluated literally (resindex/resid/local mixing).
    bool literal_neighbour_bond_flag = true;
    // Vanilla moments (spec §7.4) from MDAnalysis moment_of_inertia(unwrap=True): the
    // made-whole group is shifted so that its COM lies in the primary cell (orthorhombic or
    // triclinic apply_PBC) but the unshifted COM is subtracted, so for a group whose COM is
    // outside the cell the moments come from a distorted tensor (the axes do not). Off: the
    // moments are the principal moments about the COM.
    bool moments_from_unwrap_shifted_tensor = true;
    // kT = 4.11e-21 T/298 J and the reference's constants and cut-offs.
    bool approximate_kT = true;
    static VibrationalQuirks codeentropy() { return {}; }
};

// One united-atom bead with its bonded-axes recipe (spec §8.3).
// Atom indices in UABeadPlan, ResiduePlan and MoleculePlan are local: atom index minus the
// molecule's first atom (MoleculeInstance::first_atom).
struct UABeadPlan {
    std::vector<int> atoms;       // ascending
    std::vector<double> masses;   // of `atoms`
    double mass = 0.0;            // NumPy sum of `masses`
    int heavy = -1;               // the bead's heavy atom X (-1: bead without heavy atom)
    std::vector<int> bonded_heavy;  // partners of X with 2 <= m <= 999, ascending
    std::vector<int> bonded_light;  // partners of X with 1 <= m <= 1.1, ascending
    std::vector<int> ua;            // [X] + bonded_light
    std::vector<double> ua_masses;
    geom::WholeGroup ua_all;        // [X] + bonded_heavy + bonded_light (case 1 make-whole)
    std::vector<double> ua_all_masses;
    geom::WholeGroup bead_whole;    // the bead (non-customised axes)
    bool operator==(const UABeadPlan&) const = default;
};

struct ResiduePlan {
    std::vector<int> atoms;  // all atoms of the residue, ascending
    std::vector<double> masses;
    double mass = 0.0;
    geom::WholeGroup whole;
    std::vector<int> heavy_ua_level;       // m > 1.1 (UA translation axes)
    std::vector<int> heavy_residue_level;  // 2 <= m <= 999 (residue CPA)
    std::vector<double> ua_masses;         // one per atom with m > 1.1 (§7.7)
    bool neighbour_bonds = false;          // §8.4 NB flag
    std::vector<UABeadPlan> ua_beads;      // this residue's UA bucket
    bool operator==(const ResiduePlan&) const = default;
};

struct MoleculePlan {
    std::vector<int> atoms;
    std::vector<double> masses;
    double mass = 0.0;
    geom::WholeGroup whole;
    std::vector<Level> levels;
    std::vector<ResiduePlan> residues;  // molecule-local order
    bool operator==(const MoleculePlan&) const = default;
};

// One molecule of the system: the shared plan it follows and where its atoms start.
struct MoleculeInstance {
    int plan = 0;        // index into VibrationalPlan::shared
    int first_atom = 0;  // global index of the plan's local atom 0
};

// Where one kind of matrix of one group is accumulated: index into VibrationalPartial::slots.
struct GroupSlots {
    std::vector<int> ua_force, ua_torque;  // per local residue of the representative; -1 = none
    std::vector<std::size_t> ua_dim;
    // -1 also where the matrix is not used: at the top level the combined force-torque matrix
    // (when on) replaces the separate force and torque matrices, which are then not built.
    int res_force = -1, res_torque = -1, poly_force = -1, poly_torque = -1;
    int ft_res = -1, ft_poly = -1;
};

struct VibrationalGroupPlan {
    int id = 0;
    std::vector<int> molecules;  // indices into VibrationalPlan::molecules
    GroupSlots slots;
    std::vector<std::string> residue_names;  // of the representative, dashes removed
};

struct VibrationalPlan {
    std::vector<MoleculePlan> shared;        // distinct molecule plans (local atom indices)
    std::vector<MoleculeInstance> molecules;  // one per Structure molecule, same order
    [[nodiscard]] const MoleculePlan& plan_of(std::size_t molecule) const {
        return shared[static_cast<std::size_t>(molecules[molecule].plan)];
    }
    std::vector<VibrationalGroupPlan> groups;  // ascending id
    std::vector<std::size_t> slot_dims;        // matrix dimension of every slot
    double force_partitioning = 0.5;
    double temperature = 298.0;
    bool customised_axes = true;
    bool combined_forcetorque = true;
    VibrationalQuirks quirks = VibrationalQuirks::codeentropy();
};

VibrationalPlan build_vibrational_plan(const Topology& top, const Structure& s, const Options& o);

// How the plan is built; the defaults are what the program uses.
struct VibrationalPlanBuild {
    // A molecule whose plan inputs equal the previous molecule's (offsets, masses, bonds,
    // residues, beads, levels, neighbour-bond flags) takes its plan without building one.
    // Off: every molecule's plan is built and compared (tests check both agree).
    bool reuse_previous_unbuilt = true;
};
VibrationalPlan build_vibrational_plan(const Topology& top, const Structure& s, const Options& o,
                                       const VibrationalPlanBuild& how);

}  // namespace mcc
