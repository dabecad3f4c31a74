// Placeholder until this format's reader lands.
#include "core/error.hpp"
#include "io/formats.hpp"

namespace mcc {

Topology read_prmtop(const std::string& path) { throw_data("{}: this topology format is not supported yet", path); }

}  // namespace mcc
