// Atom type, element and mass guessing from atom names, as MDAnalysis 2.4 does for formats
// without masses (GRO, PDB): guessers.guess_atom_element / get_atom_mass with MDAnalysis'
// tables (including its quirks: a type like "CL" maps to 35.45, unknown types to mass 0).
#pragma once
#include <string>

namespace mcc {

// MDAnalysis guess_atom_element(name): an upper-case type such as "C", "CL", "NA", "DUMMY".
std::string guess_atom_type(const std::string& name);

// MDAnalysis get_atom_mass(type): the table entry for `type`, else for its upper-case form,
// else 0.0 (unknown).
double guess_mass_from_type(const std::string& type);

// Canonical element symbol ("CL" -> "Cl") when `s` names an element (case-insensitive), else "".
std::string element_symbol(const std::string& s);

// Atomic number of a canonical element symbol, 0 when unknown.
int atomic_number_of(const std::string& symbol);

}  // namespace mcc
