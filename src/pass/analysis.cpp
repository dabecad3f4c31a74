// Placeholder until the engine lands.
#include "pass/analysis.hpp"

#include "core/error.hpp"

namespace mcc {

RunResults run_analysis(const Options&) { throw DataError("the entropy engine is not built yet"); }

}  // namespace mcc
