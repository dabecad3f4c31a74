// The result JSON in CodeEntropy's shape: {"args", "provenance", "groups"}, plus mcc-entropy's
// own "timings", "warnings" and (when there are any) "residues". Object keys keep insertion
// order; doubles are written in shortest round-trip form, as Python's json module writes them.
#pragma once
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/options.hpp"
#include "report/results.hpp"

namespace mcc {

using OrderedJson = nlohmann::ordered_json;

// Every option with its resolved value, CodeEntropy's keys in its order, then ours.
OrderedJson options_json(const Options& options);

// {"<group id>": {"components": {"<level>:<type>": value}, "total": value}}: groups and
// components in first-insertion order; a repeated component key overwrites the value and keeps
// its position; total = the group's "Group Total" row when there is one, else the float sum of
// all the group's rows in insertion order. Throws InternalError on a non-finite value.
OrderedJson groups_json(const std::vector<GroupRow>& rows);

// {"stages": {"<stage>": {"wall_s", "cpu_s"}}, "total_wall_s", "frames", "frames_per_second"}.
// Repeated stage names are summed.
OrderedJson timings_json(const RunResults& results, double total_wall_seconds);

// [{"group", "residue", "level", "type", "count", "value"}] in insertion order.
OrderedJson residues_json(const std::vector<ResidueRow>& rows);

struct Provenance {
    std::vector<std::string> command_line;
    std::string git_sha;  // empty = unknown (null)
};

// The whole document.
OrderedJson result_document(const Options& options, const RunResults& results,
                            double total_wall_seconds, const Provenance& provenance);

// Indented text (2 spaces) with a final newline.
std::string json_text(const OrderedJson& document);

// Writes `text` to a temporary file in the target's directory, then renames it over `path`,
// so readers never see a half-written file. Creates missing parent directories. Throws
// DataError naming the path on failure.
void write_file_atomically(const std::filesystem::path& path, std::string_view text);

// True when the level/type pair marks a group-total row (CodeEntropy's "Group Total").
bool is_group_total(const std::string& level, const std::string& type);

}  // namespace mcc
