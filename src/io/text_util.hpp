// Small helpers for fixed-column text formats (GRO, PDB): Python-like slicing that tolerates
// short lines and line reading; trimming and number parsing are the shared ones of
// io/text_parse.hpp.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "io/text_parse.hpp"

namespace mcc {

// line[begin:end] with Python semantics for out-of-range bounds.
std::string_view slice(std::string_view line, std::size_t begin, std::size_t end);
using textio::parse_double;  // whole (trimmed) field; nullopt when empty or not a number
using textio::parse_int;
using textio::trim;
// Reads a whole text file into lines (without '\n' or '\r'); DataError when unreadable.
std::vector<std::string> read_lines(const std::string& path);

}  // namespace mcc
