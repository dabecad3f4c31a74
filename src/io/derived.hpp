// Readers built on other readers: an atom subset (the analysis universe of a selection) and
// CodeEntropy's force_file merge (coordinates from one trajectory, forces from another).
#pragma once
#include <memory>
#include <vector>

#include "io/trajectory.hpp"

namespace mcc {

// Frames of `base` restricted to `atoms` (ascending, unique, in range; else UsageError).
// Positions, velocities and forces are gathered; box, time and step are copied.
std::unique_ptr<TrajectoryReader> select_atoms(std::unique_ptr<TrajectoryReader> base, std::vector<int> atoms);

// CodeEntropy's force_file path: positions, velocities and box from `coords`; forces from
// `force_source` -- its forces when it has them, otherwise its positions (the legacy fallback
// that lets AMBER .frc files read as coordinates act as forces). With `kcal_force_units` the
// forces become fl32(f * fl32(4.184)), as NumPy's in-place float32 multiply does.
// Atom and frame counts must agree, else DataError naming both files and both counts.
std::unique_ptr<TrajectoryReader> merge_forces(std::unique_ptr<TrajectoryReader> coords,
                                               std::unique_ptr<TrajectoryReader> force_source,
                                               bool kcal_force_units);

}  // namespace mcc
