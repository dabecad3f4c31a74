// Plain-text tables for the terminal: run configuration, per-group entropy, per-residue
// entropy, stage timings. Each function returns the text so tests can check it.
#pragma once
#include <string>
#include <vector>

#include "report/json_output.hpp"
#include "report/results.hpp"

namespace mcc {

// A double as Python's str() writes it: shortest round-trip digits, "0.0" for zero.
std::string float_text(double value);

// A simple aligned table: title line, header, rule, rows.
std::string text_table(const std::string& title, const std::vector<std::string>& header,
                       const std::vector<std::vector<std::string>>& rows);

// "Run configuration": one row per option of `args` (options_json), strings unquoted.
std::string run_configuration_table(const OrderedJson& args);

// Per group (ascending id): Level, Type, Result (J/mol/K); component rows sorted by (level,
// type), then the group total (as in the JSON).
std::string group_tables(const std::vector<GroupRow>& rows);

// Per group: Residue name, Level, Type, Count, Result, rows in insertion order.
std::string residue_tables(const std::vector<ResidueRow>& rows);

// Stage, wall s, CPU s, % of wall; then total wall and frames/s.
std::string timings_table(const RunResults& results, double total_wall_seconds);

}  // namespace mcc
