// Format dispatch: one entry point for topologies and one for trajectories. Each format lives
// in its own file (io/<format>.cpp) behind the functions declared here.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "io/trajectory.hpp"
#include "topology/topology.hpp"

namespace mcc {

// Reads a topology; the format comes from the extension (.tpr, .prmtop/.parm7/.top, .gro,
// .pdb, .data/.lammps). Throws DataError naming the file on any problem.
Topology read_topology(const std::string& path);

// Opens one or more trajectory files as one chained trajectory. `file_format` is
// CodeEntropy's `file_format` (MDAnalysis format names such as TRR, XTC, NCDF, MDCRD,
// LAMMPSDUMP); when absent the extension decides. `n_atoms` (from the topology) is needed by
// formats that do not store it (MDCRD).
std::unique_ptr<TrajectoryReader> open_trajectory(const std::vector<std::string>& paths,
                                                  const std::optional<std::string>& file_format,
                                                  std::size_t n_atoms);

// --- per-format entry points (one file each) ---
Topology read_tpr(const std::string& path);
Topology read_gro_topology(const std::string& path);
Topology read_pdb_topology(const std::string& path);
Topology read_prmtop(const std::string& path);
Topology read_lammps_data(const std::string& path);

std::unique_ptr<TrajectoryReader> open_trr(const std::string& path);
std::unique_ptr<TrajectoryReader> open_xtc(const std::string& path);
std::unique_ptr<TrajectoryReader> open_gro_trajectory(const std::string& path);
std::unique_ptr<TrajectoryReader> open_pdb_trajectory(const std::string& path);
std::unique_ptr<TrajectoryReader> open_amber_netcdf(const std::string& path);
std::unique_ptr<TrajectoryReader> open_mdcrd(const std::string& path, std::size_t n_atoms);
// LAMMPS dump forces are multiplied by float32(4.184) (kcal -> kJ, as CodeEntropy does for
// LAMMPSDUMP without a force file); pass false to keep them as written (force-file path).
std::unique_ptr<TrajectoryReader> open_lammps_dump(const std::string& path, bool convert_kcal_forces = true);

// Chains readers end to end (atom counts must agree).
std::unique_ptr<TrajectoryReader> chain_trajectories(
    std::vector<std::unique_ptr<TrajectoryReader>> parts);

}  // namespace mcc
