// The boundary between the program and the RDKit-based symmetry module
// (src/modules/symmetry_rdkit.cpp, built as the shared module mcc-entropy-symmetry.so and
// loaded at run time by src/plan/symmetry.cpp). Both sides are compiled from the same tree;
// the version check catches a module left over from another build.
#pragma once
#include <vector>

#include "plan/symmetry.hpp"

namespace mcc {

inline constexpr int kSymmetryModuleAbi = 1;
inline constexpr const char* kSymmetryModuleFile = "mcc-entropy-symmetry.so";
inline constexpr const char* kSymmetryModuleEntry = "mcc_symmetry_module";

struct SymmetryModule {
    int abi;
    const char* version;  // MCC_VERSION of the build
    SymmetryInfo (*molecule_symmetry)(const Topology& top, const std::vector<int>& atoms,
                                      const std::vector<float>& positions);
};

}  // namespace mcc

// The module's only exported symbol.
extern "C" const mcc::SymmetryModule* mcc_symmetry_module();
