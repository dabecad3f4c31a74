#include "io/text_util.hpp"

#include <cerrno>
#include <algorithm>
#include <cstring>
#include <fstream>

#include "core/error.hpp"

namespace mcc {

std::string_view slice(std::string_view line, std::size_t begin, std::size_t end) {
    if (begin >= line.size() || end <= begin) return {};
    return line.substr(begin, std::min(end, line.size()) - begin);
}

std::vector<std::string> read_lines(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw_data("{}: cannot open ({})", path, std::strerror(errno));
    std::vector<std::string> lines;
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        lines.push_back(std::move(line));
    }
    if (in.bad()) throw_data("{}: read error", path);
    return lines;
}

}  // namespace mcc
