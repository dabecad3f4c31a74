// The table of run options: for every option its name (CodeEntropy's config.yaml key and
// command-line flag), the Options member it sets, its kind, default text, help and choices.
// Parsing (app/config), --help and the JSON "args" (report/json_output) all read this one
// list, so an option is added in one place.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/options.hpp"

namespace mcc {

enum class OptionKind {
    Bool,            // true/false, yes/no, t/f, y/n, 1/0, on/off (any case)
    Flag,            // bool; bare flag on the command line (verbose)
    Int,
    OptionalInt,     // int or null
    Float,
    String,
    OptionalString,  // string or null
    StringList,      // one or more strings (a single YAML string is a one-element list)
    Choice,          // one of OptionSpec::choices
};

// The Options member an option sets.
using OptionMember = std::variant<bool Options::*, long Options::*, int Options::*, double Options::*,
                                  std::string Options::*, std::optional<std::string> Options::*,
                                  std::optional<int> Options::*, std::vector<std::string> Options::*,
                                  Grouping Options::*, SearchType Options::*, Conventions Options::*>;

struct OptionSpec {
    std::string_view name;
    OptionMember member;
    OptionKind kind;
    std::string_view default_text;  // as shown by --help and docs/usage.md
    std::string_view help;
    std::vector<std::string_view> choices;  // Choice only
};

// Every option: CodeEntropy 2.3's in its order, then mcc-entropy's own (conventions, threads,
// quiet). This order is also the order of the JSON "args" and the run-configuration table.
const std::vector<OptionSpec>& option_specs();
const OptionSpec* find_option(std::string_view name);

}  // namespace mcc
