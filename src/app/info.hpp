// `mcc-entropy --info`: what the program sees in the input files, without computing entropy.
#pragma once
#include <string>

#include "core/options.hpp"

namespace mcc {

// Reads the topology, applies the selection, opens the trajectory (and force file) and
// describes: atoms, residues, molecules, groups of identical molecules (id, size, first
// residue names, levels), frame counts, frame 0's box and whether forces are present.
// Throws DataError/UsageError like a normal run would.
std::string describe_system(const Options& options);

}  // namespace mcc
