#include "app/output_path.hpp"

#include <algorithm>
#include <cctype>
#include <limits>
#include <optional>

#include <fmt/format.h>

#include "core/error.hpp"

namespace mcc {

namespace fs = std::filesystem;

bool is_bare_file_name(const std::string& output_file) {
    const fs::path p(output_file);
    return !p.has_parent_path() && !p.is_absolute() && output_file != "." && output_file != "..";
}

namespace {

// The integer after "job" as Python's int() reads it (sign and digits); nullopt otherwise.
std::optional<long long> job_number(const std::string& name) {
    if (name.rfind("job", 0) != 0) return std::nullopt;
    std::string rest = name.substr(3);
    const auto first = rest.find_first_not_of(" \t");
    const auto last = rest.find_last_not_of(" \t");
    if (first == std::string::npos) return std::nullopt;
    rest = rest.substr(first, last - first + 1);
    std::size_t i = (rest[0] == '+' || rest[0] == '-') ? 1 : 0;
    if (i == rest.size() || rest.size() > 18) return std::nullopt;
    for (std::size_t k = i; k < rest.size(); ++k)
        if (!std::isdigit(static_cast<unsigned char>(rest[k]))) return std::nullopt;
    return std::stoll(rest);
}

long long next_job_number(const fs::path& dir) {
    long long largest = 0;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        if (const auto n = job_number(entry.path().filename().string())) largest = std::max(largest, *n);
    }
    if (ec) throw_data("{}: cannot list the directory: {}", dir.string(), ec.message());
    return largest + 1;
}

}  // namespace

std::string next_job_folder_name(const fs::path& dir) { return fmt::format("job{:03d}", next_job_number(dir)); }

fs::path create_job_folder(const fs::path& dir) {
    long long n = next_job_number(dir);
    for (int attempt = 0; attempt < 1000; ++attempt, ++n) {
        const fs::path folder = dir / fmt::format("job{:03d}", n);
        std::error_code ec;
        if (fs::exists(folder, ec)) continue;
        if (fs::create_directory(folder, ec)) return folder;
        if (ec) throw_data("{}: cannot create the job folder: {}", folder.string(), ec.message());
    }
    throw_data("{}: could not create a new job folder", dir.string());
}

std::string run_file_name(const std::string& name, const std::string& run_name, bool several_runs) {
    if (!several_runs) return name;
    const fs::path p(name);
    const std::string file = run_name + "_" + p.filename().string();
    return p.has_parent_path() ? (p.parent_path() / file).string() : file;
}

}  // namespace mcc
