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
    mcc::Topology done() {
        t.source = "hand-made";
        t.finalize();
        return t;
    }
};
