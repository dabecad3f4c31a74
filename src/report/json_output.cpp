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

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/option_names.hpp"

namespace mcc {

namespace fs = std::filesystem;

namespace {

double finite(double value, std::string_view what) {
    if (!std::isfinite(value))
        throw InternalError(fmt::format("non-finite value ({}) for {}; refusing to write it", value, what));
    return value;
}

OrderedJson optional_json(const std::optional<std::string>& v) { return v ? OrderedJson(*v) : OrderedJson(); }

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
    a["top_traj_file"] = o.top_traj_file;
    a["force_file"] = optional_json(o.force_file);
    a["file_format"] = optional_json(o.file_format);
    a["kcal_force_units"] = o.kcal_force_units;
    a["selection_string"] = o.selection_string;
    a["start"] = o.start;
    a["end"] = o.end;
    a["step"] = o.step;
    a["bin_width"] = o.bin_width;
    a["temperature"] = finite(o.temperature, "temperature");
    a["verbose"] = o.verbose;
    a["output_file"] = o.output_file;
    a["force_partitioning"] = finite(o.force_partitioning, "force_partitioning");
    a["water_entropy"] = o.water_entropy;
    a["grouping"] = name_of(o.grouping);
    a["combined_forcetorque"] = o.combined_forcetorque;
    a["customised_axes"] = o.customised_axes;
    a["search_type"] = name_of(o.search_type);
    a["parallel_frames"] = o.parallel_frames;
    a["use_dask"] = o.use_dask;
    a["dask_workers"] = o.dask_workers ? OrderedJson(*o.dask_workers) : OrderedJson();
    a["dask_threads_per_worker"] = o.dask_threads_per_worker;
    a["hpc"] = o.hpc;
    a["hpc_account"] = optional_json(o.hpc_account);
    a["hpc_qos"] = optional_json(o.hpc_qos);
    a["hpc_constraint"] = optional_json(o.hpc_constraint);
    a["hpc_queue"] = optional_json(o.hpc_queue);
    a["hpc_cores"] = o.hpc_cores;
    a["hpc_processes"] = o.hpc_processes;
    a["hpc_memory"] = o.hpc_memory;
    a["hpc_walltime"] = o.hpc_walltime;
    a["hpc_nodes"] = o.hpc_nodes;
    a["submit"] = o.submit;
    a["conda_path"] = optional_json(o.conda_path);
    a["conda_exec"] = optional_json(o.conda_exec);
    a["conda_env"] = optional_json(o.conda_env);
    a["conventions"] = name_of(o.conventions);
    a["threads"] = o.threads;
    a["quiet"] = o.quiet;
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
                       {"frames_per_second", finite(results.frames_per_second, "frames per second")}};
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
