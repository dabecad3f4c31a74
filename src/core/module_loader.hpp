// Run-time loading of optional parts of mcc-entropy that are built as separate shared
// modules, so that their (large) dependencies are not loaded by every run: the dynamic
// loader spends ~30 ms on RDKit's 32 shared objects alone, and most of that can overlap
// with the frame pass when the module is loaded in the background.
#pragma once
#include <string>

namespace mcc {

// dlopen()s the module file `file_name` (e.g. "mcc-entropy-symmetry.so") and returns the
// address of `entry_point`. Looks in $MCC_MODULE_DIR, next to the running executable, in
// ../lib/mcc-entropy relative to it (installed layout), and in the build directory the
// program was built in. Throws DataError naming every place tried and dlerror()'s reason.
// `global_symbols`: RTLD_GLOBAL, for modules whose libraries load plugins of their own that
// expect the library's symbols to be global (MPI implementations do).
void* load_module_entry(const std::string& file_name, const char* entry_point, bool global_symbols = false);

}  // namespace mcc
