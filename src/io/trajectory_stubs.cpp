// Placeholders until these formats' readers land; each moves to its own file.
#include "core/error.hpp"
#include "io/formats.hpp"

namespace mcc {

#define MCC_TRAJ_STUB(fn)                                                                   \
    std::unique_ptr<TrajectoryReader> fn(const std::string& path) {                         \
        throw_data("{}: this trajectory format is not supported yet", path);                \
    }
MCC_TRAJ_STUB(open_trr)
MCC_TRAJ_STUB(open_xtc)
MCC_TRAJ_STUB(open_gro_trajectory)
MCC_TRAJ_STUB(open_pdb_trajectory)
MCC_TRAJ_STUB(open_amber_netcdf)
MCC_TRAJ_STUB(open_lammps_dump)
#undef MCC_TRAJ_STUB
std::unique_ptr<TrajectoryReader> open_mdcrd(const std::string& path, std::size_t) {
    throw_data("{}: this trajectory format is not supported yet", path);
}

}  // namespace mcc
