// Internals shared between the GRO/PDB topology parsers and their trajectory readers.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "io/frame.hpp"

namespace mcc {

// The (single) coordinate frame of a GRO file, converted as MDAnalysis' GROReader does:
// fl32(value) * 10 for positions and velocities (nm -> Angstrom), box from the last line.
Frame read_gro_frame(const std::string& path);

// Where the frames of a PDB file are, found as MDAnalysis' PDBReader does: a frame starts
// after each MODEL line (or at 0 without MODEL lines); when there are as many CRYST records as
// frames, each frame starts at the earlier of its MODEL and CRYST records.
struct PdbLayout {
    std::vector<std::uint64_t> starts, stops;  // byte ranges [start, stop)
};
PdbLayout scan_pdb_layout(const std::string& path);

// Parses the ATOM/HETATM and CRYST1 lines of one frame's byte range; `n_atoms` from the
// topology (DataError when the frame has another count).
void read_pdb_frame(const std::string& path, const PdbLayout& layout, std::size_t frame, std::size_t n_atoms,
                    Frame& out);

}  // namespace mcc
