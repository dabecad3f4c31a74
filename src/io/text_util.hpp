// Small helpers for fixed-column text formats (GRO, PDB): Python-like slicing that tolerates
// short lines, trimming, and strict number parsing.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mcc {

// line[begin:end] with Python semantics for out-of-range bounds.
std::string_view slice(std::string_view line, std::size_t begin, std::size_t end);
std::string_view trim(std::string_view s);
// Whole (trimmed) field as an integer / a double; nullopt when empty or not a number.
std::optional<long> parse_long(std::string_view s);
std::optional<double> parse_double(std::string_view s);
// Reads a whole text file into lines (without '\n' or '\r'); DataError when unreadable.
std::vector<std::string> read_lines(const std::string& path);

}  // namespace mcc
