#include "report/json_output.hpp"

#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <map>
#include <type_traits>
#include <variant>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/option_names.hpp"
#include "core/option_table.hpp"

namespace mcc {

namespace fs = std::filesystem;

namespace {

double finite(double value, std::string_view what) {
    if (!std::isfinite(value))
        throw InternalError(fmt::format("non-finite value ({}) for {}; refusing to write it", value, what));
    return value;
}

bool starts_with_group_total(const std::string& s) {
    static constexpr std::string_view prefix = "group total";
    if (s.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
    return true;
}

std::string platform_text() {
    utsname u{};
    if (uname(&u) != 0) return {};
    return fmt::format("{}-{}-{}", u.sysname, u.release, u.machine);
}

std::string utc_now() {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

}  // namespace

bool is_group_total(const std::string& level, const std::string& type) {
    return starts_with_group_total(level) || starts_with_group_total(type);
}

OrderedJson options_json(const Options& o) {
    OrderedJson a = OrderedJson::object();
    for (const OptionSpec& spec : option_specs()) {
        const std::string key(spec.name);
        std::visit(
            [&](auto member) {
                const auto& value = o.*member;
                using T = std::remove_cvref_t<decltype(value)>;
                if constexpr (std::is_same_v<T, double>) {
                    a[key] = finite(value, key);
                } else if constexpr (std::is_same_v<T, std::optional<std::string>> ||
                                     std::is_same_v<T, std::optional<int>>) {
                    a[key] = value ? OrderedJson(*value) : OrderedJson();
                } else if constexpr (std::is_enum_v<T>) {
                    a[key] = name_of(value);
                } else {
                    a[key] = value;
                }
            },
            spec.member);
    }
    return a;
}

OrderedJson groups_json(const std::vector<GroupRow>& rows) {
    struct Accumulated {
        OrderedJson components = OrderedJson::object();
        double sum = 0.0;
        bool has_total_row = false;
        double total_row = 0.0;
    };
    std::vector<int> order;
    std::map<int, Accumulated> groups;
    for (const auto& r : rows) {
        const std::string key = fmt::format("{}:{}", r.level, r.type);
        finite(r.value, fmt::format("group {} {}", r.group, key));
        auto [it, inserted] = groups.try_emplace(r.group);
        if (inserted) order.push_back(r.group);
        Accumulated& g = it->second;
        if (is_group_total(r.level, r.type)) {
            g.has_total_row = true;
            g.total_row = r.value;
            continue;
        }
        g.components[key] = r.value;  // a repeated key keeps its first position
        g.sum += r.value;             // every row counts, in insertion order
    }
    OrderedJson out = OrderedJson::object();
    for (const int id : order) {
        Accumulated& g = groups.at(id);
        const double total = g.has_total_row ? g.total_row : g.sum;
        out[std::to_string(id)] = OrderedJson{{"components", std::move(g.components)},
                                              {"total", finite(total, fmt::format("group {} total", id))}};
    }
    return out;
}

OrderedJson timings_json(const RunResults& results, double total_wall_seconds) {
    OrderedJson stages = OrderedJson::object();
    for (const auto& t : results.timings) {
        const double wall = finite(t.wall_seconds, "timing " + t.stage);
        const double cpu = finite(t.cpu_seconds, "timing " + t.stage);
        if (stages.contains(t.stage)) {
            stages[t.stage]["wall_s"] = stages[t.stage]["wall_s"].get<double>() + wall;
            stages[t.stage]["cpu_s"] = stages[t.stage]["cpu_s"].get<double>() + cpu;
        } else {
            stages[t.stage] = OrderedJson{{"wall_s", wall}, {"cpu_s", cpu}};
        }
    }
    return OrderedJson{{"stages", std::move(stages)},
                       {"total_wall_s", finite(total_wall_seconds, "total wall time")},
                       {"frames", results.n_frames},
                       {"frames_per_second", finite(results.frames_per_second, "frames per second")},
                       {"angle_store_bytes_per_frame", results.angle_store_bytes_per_frame}};
}

OrderedJson residues_json(const std::vector<ResidueRow>& rows) {
    OrderedJson out = OrderedJson::array();
    for (const auto& r : rows)
        out.push_back(OrderedJson{{"group", r.group},
                                  {"residue", r.residue_name},
                                  {"level", r.level},
                                  {"type", r.type},
                                  {"count", r.count},
                                  {"value", finite(r.value, fmt::format("residue {} {}:{}", r.residue_name,
                                                                        r.level, r.type))}});
    return out;
}

OrderedJson result_document(const Options& options, const RunResults& results,
                            double total_wall_seconds, const Provenance& provenance) {
    std::string command;
    for (const auto& a : provenance.command_line) command += (command.empty() ? "" : " ") + a;
    OrderedJson doc = OrderedJson::object();
    doc["args"] = options_json(options);
    doc["provenance"] = OrderedJson{
        {"program", "mcc-entropy"},
        {"version", MCC_VERSION},
        {"conventions", name_of(options.conventions)},
        {"git_sha", provenance.git_sha.empty() ? OrderedJson() : OrderedJson(provenance.git_sha)},
        {"platform", platform_text()},
        {"command_line", command},
        {"created_utc", utc_now()},
    };
    doc["groups"] = groups_json(results.group_rows);
    doc["timings"] = timings_json(results, total_wall_seconds);
    doc["warnings"] = results.warnings;
    if (!results.residue_rows.empty()) doc["residues"] = residues_json(results.residue_rows);
    return doc;
}

std::string json_text(const OrderedJson& document) { return document.dump(2) + "\n"; }

void write_file_atomically(const fs::path& path, std::string_view text) {
    const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw_data("{}: cannot create the directory: {}", dir.string(), ec.message());
    const fs::path tmp = dir / fmt::format(".{}.tmp{}", path.filename().string(), static_cast<long>(getpid()));
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) throw_data("{}: cannot write: {}", tmp.string(), std::strerror(errno));
        out.write(text.data(), static_cast<std::streamsize>(text.size()));
        out.flush();
        if (!out) {
            fs::remove(tmp, ec);
            throw_data("{}: write failed (disk full?)", tmp.string());
        }
    }
    fs::rename(tmp, path, ec);
    if (ec) {
        std::error_code ignored;
        fs::remove(tmp, ignored);
        throw_data("{}: cannot write: {}", path.string(), ec.message());
    }
}

}  // namespace mcc
