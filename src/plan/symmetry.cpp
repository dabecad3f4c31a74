// Symmetry numbers through the RDKit module, loaded once per process on first use (the
// analysis calls them from a background thread during the frame pass).
#include "plan/symmetry.hpp"

#include <cstring>
#include <exception>
#include <mutex>

#include "core/error.hpp"
#include "core/module_loader.hpp"
#include "plan/symmetry_module.hpp"

namespace mcc {
namespace {

struct ModuleSlot {
    std::once_flag once;
    const SymmetryModule* module = nullptr;
    std::exception_ptr error;
};

ModuleSlot& slot() {
    static ModuleSlot s;
    return s;
}

void load_once() {
    ModuleSlot& s = slot();
    std::call_once(s.once, [&s] {
        try {
            auto* entry = reinterpret_cast<const SymmetryModule* (*)()>(
                load_module_entry(kSymmetryModuleFile, kSymmetryModuleEntry));
            const SymmetryModule* m = entry();
            if (m->abi != kSymmetryModuleAbi || std::strcmp(m->version, MCC_VERSION) != 0)
                throw_data("the module {} is from another build (version {}, ABI {}; expected {}, ABI {})",
                           kSymmetryModuleFile, m->version, m->abi, MCC_VERSION, kSymmetryModuleAbi);
            s.module = m;
        } catch (...) {
            s.error = std::current_exception();
        }
    });
}

const SymmetryModule& symmetry_module() {
    load_once();
    if (slot().error) std::rethrow_exception(slot().error);
    return *slot().module;
}

}  // namespace

SymmetryInfo molecule_symmetry(const Topology& top, const std::vector<int>& atoms,
                               const std::vector<float>& positions) {
    return symmetry_module().molecule_symmetry(top, atoms, positions);
}

std::map<int, SymmetryInfo> group_symmetry(const Topology& top, const Structure& s,
                                           const std::vector<float>& positions) {
    std::map<int, SymmetryInfo> out;
    for (const auto& g : s.groups) {
        if (g.molecules.empty()) {
            out[g.id] = {};
            continue;
        }
        out[g.id] = molecule_symmetry(top, s.molecules[g.molecules.front()].atoms, positions);
    }
    return out;
}

}  // namespace mcc
