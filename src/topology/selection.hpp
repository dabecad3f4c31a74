// The atom selection language of CodeEntropy's `selection_string`, which is MDAnalysis' syntax.
//
// Supported, with MDAnalysis' meaning:
//   all, none (our addition), protein, nucleic, backbone, nucleicbackbone, nucleicbase,
//   nucleicsugar, water (the residue-name lists of MDAnalysis >= 2.9),
//   name / type / element / resname / segid <pattern>...   shell wildcards * ? [seq] [!seq],
//                                                           case-sensitive
//   resid / resnum / resindex / index (0-based) / bynum (1-based) <n | a:b | a-b | a to b>...
//   mass / charge <x | a:b | a-b | a to b>...   single values compare with np.isclose
//   prop [abs] <mass|charge|index|resindex|resid|resnum> <op> <value>   op: < <= > >= == !=
//   atom <segid> <resid> <name>
//   not, and, or, ( ), global, byres <sel>, bonded <sel>, same <property> as <sel>
// Several values after one keyword are or-ed. Keywords are lower-case.
//
// Precedence exactly as MDAnalysis' parser: `not` binds tightest; `and` and `or` have EQUAL
// precedence and group left to right ("a or b and c" is "(a or b) and c"); byres, bonded and
// `same .. as` take everything to their right up to a closing parenthesis ("bonded name C and
// name H" is "bonded (name C and name H)").
//
// Geometric keywords (around, point, sphzone, ...), `prop x/y/z` and attributes our topology
// model does not hold (id, bfactor, moltype, ...) are rejected with a UsageError saying so.
#pragma once
#include <string_view>
#include <vector>

#include "topology/topology.hpp"

namespace mcc {

// Indices (ascending, unique) of the atoms of `top` matched by `expression`. An empty result is
// returned as such (the caller decides whether that is an error). Syntax errors and unsupported
// keywords throw UsageError naming the offending token and its 1-based column, e.g.
//   selection 'resid 1:x': unexpected token 'x' at column 9
std::vector<int> select_atoms(const Topology& top, std::string_view expression);

}  // namespace mcc
