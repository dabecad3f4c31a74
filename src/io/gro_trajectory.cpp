// Placeholder until this format's reader lands.
#include "core/error.hpp"
#include "io/formats.hpp"

namespace mcc {

std::unique_ptr<TrajectoryReader> open_gro_trajectory(const std::string& path) {
    throw_data("{}: this trajectory format is not supported yet", path);
}

}  // namespace mcc
