// Text names of the enum-valued options, as written in config.yaml, on the command line and in
// the JSON "args". The index of a name in its list is the enum's value.
#pragma once
#include <array>
#include <string_view>

#include "core/options.hpp"

namespace mcc {

inline constexpr std::array<std::string_view, 2> kGroupingNames{"molecules", "each"};
inline constexpr std::array<std::string_view, 2> kSearchTypeNames{"RAD", "grid"};
inline constexpr std::array<std::string_view, 1> kConventionsNames{"codeentropy"};

inline std::string_view name_of(Grouping g) { return kGroupingNames[static_cast<std::size_t>(g)]; }
inline std::string_view name_of(SearchType s) { return kSearchTypeNames[static_cast<std::size_t>(s)]; }
inline std::string_view name_of(Conventions c) { return kConventionsNames[static_cast<std::size_t>(c)]; }

}  // namespace mcc
