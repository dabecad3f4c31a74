#include "app/selection_bridge.hpp"

#include <numeric>

#include "core/error.hpp"

#if __has_include("topology/selection.hpp")
#include "topology/selection.hpp"
#define MCC_HAVE_SELECTION 1
#endif

namespace mcc {

std::vector<int> apply_selection(const Topology& top, std::string_view selection) {
    std::vector<int> atoms;
#ifdef MCC_HAVE_SELECTION
    atoms = select_atoms(top, selection);
#else
    if (selection != "all")
        throw_usage("selection_string '{}': only 'all' is supported in this build", selection);
    atoms.resize(top.n_atoms());
    std::iota(atoms.begin(), atoms.end(), 0);
#endif
    if (atoms.empty()) throw_usage("selection_string '{}' selects no atoms", selection);
    return atoms;
}

}  // namespace mcc
