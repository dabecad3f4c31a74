// The one place the application applies selection_string to a topology.
#pragma once
#include <string_view>
#include <vector>

#include "topology/topology.hpp"

namespace mcc {

// Ascending indices of the selected atoms. Uses mcc::select_atoms (topology/selection.hpp)
// when that is part of the build; until then only "all" is accepted. Throws UsageError when
// the selection is invalid or selects nothing.
std::vector<int> apply_selection(const Topology& top, std::string_view selection);

}  // namespace mcc
