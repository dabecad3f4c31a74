// Hand-made topologies for unit tests: residues, atoms (name doubles as type), bonds, dihedrals.
#pragma once
#include "topology/topology.hpp"

struct TopologyBuilder {
    mcc::Topology t;
    // A residue (resid and resnum = `resid`); returns its index.
    int residue(const char* name, int resid) {
        t.residues.push_back(mcc::Residue{name, resid, resid, "", {}});
        return static_cast<int>(t.residues.size()) - 1;
    }
    // resid = the residue's position + 1
    int residue(const char* name) { return residue(name, static_cast<int>(t.residues.size()) + 1); }
    int atom(const char* name, double mass, int res) {
        t.atoms.push_back(mcc::Atom{name, name, "", 0, mass, 0.0, res});
        return static_cast<int>(t.atoms.size()) - 1;
    }
    void bond(int a, int b) { t.bonds.push_back({a, b}); }
    void dihedral(int a, int b, int c, int d) { t.dihedrals.push_back({a, b, c, d}); }
    // A water SOL: OW bonded to HW1 and HW2 (HW2 of mass `h2_mass`); returns its residue.
    int water(int resid, double h2_mass = 1.008) {
        const int r = residue("SOL", resid);
        const int o = atom("OW", 15.999, r);
        bond(o, atom("HW1", 1.008, r));
        bond(o, atom("HW2", h2_mass, r));
        return r;
    }
    // A methanol-like MOH: C-H1, C-O, O-HO (two heavy atoms, each with one hydrogen); returns
    // its residue.
    int methanol(int resid) {
        const int r = residue("MOH", resid);
        const int c = atom("C", 12.011, r);
        bond(c, atom("H1", 1.008, r));
        const int o = atom("O", 15.999, r);
        bond(c, o);
        bond(o, atom("HO", 1.008, r));
        return r;
    }
    mcc::Topology done() {
        t.source = "hand-made";
        t.finalize();
        return t;
    }
};
