#include "report/console.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

namespace mcc {

std::string float_text(double value) {
    std::string s = fmt::format("{}", value);
    if (s.find_first_of(".eEn") == std::string::npos) s += ".0";  // Python writes 0.0, 12.0
    return s;
}

std::string text_table(const std::string& title, const std::vector<std::string>& header,
                       const std::vector<std::vector<std::string>>& rows) {
    std::vector<std::size_t> width(header.size());
    for (std::size_t c = 0; c < header.size(); ++c) width[c] = header[c].size();
    for (const auto& row : rows)
        for (std::size_t c = 0; c < row.size() && c < width.size(); ++c)
            width[c] = std::max(width[c], row[c].size());
    auto line = [&](const std::vector<std::string>& cells) {
        std::string out = " ";
        for (std::size_t c = 0; c < width.size(); ++c) {
            const std::string& cell = c < cells.size() ? cells[c] : std::string();
            out += fmt::format(" {:<{}} ", cell, width[c]);
        }
        while (!out.empty() && out.back() == ' ') out.pop_back();
        return out + "\n";
    };
    std::string out = title + "\n" + line(header);
    std::vector<std::string> rule;
    for (const std::size_t w : width) rule.emplace_back(w, '-');
    out += line(rule);
    for (const auto& row : rows) out += line(row);
    return out;
}

std::string run_configuration_table(const OrderedJson& args) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& [key, value] : args.items()) {
        std::string text;
        if (value.is_string()) {
            text = value.get<std::string>();
        } else if (value.is_array()) {
            for (const auto& v : value) {
                if (!text.empty()) text += ' ';
                text += v.is_string() ? v.get<std::string>() : v.dump();
            }
        } else if (value.is_number_float()) {
            text = float_text(value.get<double>());
        } else {
            text = value.dump();
        }
        rows.push_back({key, text});
    }
    return text_table("Run configuration", {"Option", "Value"}, rows);
}

std::string group_tables(const std::vector<GroupRow>& rows) {
    const OrderedJson groups = groups_json(rows);  // same merge and total as the JSON
    std::string out;
    for (const auto& [id, group] : groups.items()) {
        std::vector<std::vector<std::string>> components;
        for (const auto& [key, value] : group["components"].items()) {
            const auto colon = key.find(':');
            components.push_back({key.substr(0, colon), key.substr(colon + 1), float_text(value.get<double>())});
        }
        std::sort(components.begin(), components.end(), [](const auto& a, const auto& b) {
            return std::tie(a[0], a[1]) < std::tie(b[0], b[1]);
        });
        components.push_back({"Group Total", "Group Total Entropy", float_text(group["total"].get<double>())});
        out += text_table(fmt::format("Entropy results - group {}", id), {"Level", "Type", "Result (J/mol/K)"},
                          components);
        out += "\n";
    }
    return out;
}

std::string residue_tables(const std::vector<ResidueRow>& rows) {
    std::vector<int> order;
    std::map<int, std::vector<std::vector<std::string>>> tables;
    for (const auto& r : rows) {
        auto [it, inserted] = tables.try_emplace(r.group);
        if (inserted) order.push_back(r.group);
        it->second.push_back({r.residue_name, r.level, r.type, std::to_string(r.count), float_text(r.value)});
    }
    std::sort(order.begin(), order.end());
    std::string out;
    for (const int id : order) {
        out += text_table(fmt::format("Residue entropy - group {}", id),
                          {"Residue name", "Level", "Type", "Count", "Result (J/mol/K)"}, tables.at(id));
        out += "\n";
    }
    return out;
}

std::string timings_table(const RunResults& results, double total_wall_seconds) {
    const OrderedJson timings = timings_json(results, total_wall_seconds);
    std::vector<std::vector<std::string>> rows;
    for (const auto& [stage, t] : timings["stages"].items()) {
        const double wall = t["wall_s"].get<double>();
        const double share = total_wall_seconds > 0.0 ? 100.0 * wall / total_wall_seconds : 0.0;
        rows.push_back({stage, fmt::format("{:.3f}", wall), fmt::format("{:.3f}", t["cpu_s"].get<double>()),
                        fmt::format("{:.1f}", share)});
    }
    rows.push_back({"total", fmt::format("{:.3f}", total_wall_seconds), "", "100.0"});
    std::string out = text_table("Stage timings", {"Stage", "Wall (s)", "CPU (s)", "% of wall"}, rows);
    out += fmt::format("{} frames, {:.1f} frames/s\n", results.n_frames, results.frames_per_second);
    return out;
}

}  // namespace mcc
