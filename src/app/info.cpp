#include "app/info.hpp"

#include <fmt/format.h>

#include "app/selection_bridge.hpp"
#include "core/error.hpp"
#include "core/option_names.hpp"
#include "io/formats.hpp"
#include "plan/structure.hpp"

namespace mcc {

namespace {

constexpr std::size_t kGroupsListed = 20;
constexpr std::size_t kResidueNamesListed = 5;

std::string residue_names(const Topology& top, const Molecule& m) {
    std::string out;
    for (std::size_t i = 0; i < m.residues.size() && i < kResidueNamesListed; ++i)
        out += (out.empty() ? "" : " ") + top.residues[static_cast<std::size_t>(m.residues[i])].name;
    if (m.residues.size() > kResidueNamesListed) out += fmt::format(" ... ({} residues)", m.residues.size());
    return out;
}

std::string level_names(const Molecule& m) {
    std::string out;
    for (const Level l : m.levels) out += (out.empty() ? "" : ", ") + std::string(level_name(l));
    return out;
}

// Number of frames the run would analyse; errors as CodeEntropy's checks.
std::size_t selected_frames(const Options& o, std::size_t n_frames) {
    const auto n = static_cast<long>(n_frames);
    if (o.start > n) throw_usage("start {} exceeds the trajectory length of {} frames", o.start, n);
    if (o.end > n) throw_usage("end {} exceeds the trajectory length of {} frames", o.end, n);
    const long end = o.end == -1 ? n : o.end;
    if (o.start >= end) return 0;
    return static_cast<std::size_t>((end - o.start + o.step - 1) / o.step);
}

std::string box_text(const Frame& f) {
    if (!f.has_box) return "none";
    const auto& d = f.dimensions;
    return fmt::format("{} {} {} A, angles {} {} {} deg", d[0], d[1], d[2], d[3], d[4], d[5]);
}

}  // namespace

std::string describe_system(const Options& o) {
    if (o.top_traj_file.empty()) throw_usage("top_traj_file is required");
    std::string out;
    const Topology full = read_topology(o.top_traj_file.front());
    out += fmt::format("Topology        {}\n", o.top_traj_file.front());
    out += fmt::format("Atoms           {} ({} residues) in the file\n", full.n_atoms(), full.n_residues());

    const std::vector<int> atoms = apply_selection(full, o.selection_string);
    const Topology top = o.selection_string == "all" ? full : subset(full, atoms);
    out += fmt::format("Selection       '{}': {} atoms, {} residues\n", o.selection_string, top.n_atoms(),
                       top.n_residues());

    const Structure s = build_structure(top, o.grouping);
    out += fmt::format("Molecules       {}\n", s.molecules.size());
    out += fmt::format("Groups          {} (grouping: {})\n", s.groups.size(), name_of(o.grouping));
    for (std::size_t g = 0; g < s.groups.size() && g < kGroupsListed; ++g) {
        const Group& group = s.groups[g];
        const Molecule& rep = s.molecules[static_cast<std::size_t>(group.molecules.front())];
        out += fmt::format("  group {:<6} {:>6} x {:>6} atoms  residues: {}  levels: {}\n", group.id,
                           group.molecules.size(), rep.atoms.size(), residue_names(top, rep), level_names(rep));
    }
    if (s.groups.size() > kGroupsListed) out += fmt::format("  ... {} more groups\n", s.groups.size() - kGroupsListed);

    const std::vector<std::string> trajectories(o.top_traj_file.begin() + 1, o.top_traj_file.end());
    if (trajectories.empty()) {
        out += "Trajectory      none given (topology only)\n";
        return out;
    }
    auto reader = open_trajectory(trajectories, o.file_format, full.n_atoms());
    if (reader->n_atoms() != full.n_atoms())
        throw_data("{}: {} atoms, but the topology {} has {}", reader->description(), reader->n_atoms(),
                   o.top_traj_file.front(), full.n_atoms());
    out += fmt::format("Trajectory      {}\n", reader->description());
    out += fmt::format("Frames          {} in the file, {} selected (start {}, end {}, step {})\n", reader->n_frames(),
                       selected_frames(o, reader->n_frames()), o.start, o.end, o.step);
    if (reader->n_frames() > 0) {
        Frame frame;
        reader->read(0, frame);
        out += fmt::format("Box (frame 0)   {}\n", box_text(frame));
    }
    if (o.force_file) {
        auto forces = open_trajectory({*o.force_file}, o.file_format, full.n_atoms());
        out += fmt::format("Force file      {}: {} frames, {}\n", *o.force_file, forces->n_frames(),
                           forces->has_forces() ? "forces" : "no force records (positions are used as forces)");
        if (forces->n_frames() != reader->n_frames())
            out += fmt::format("Warning         the force file has {} frames, the trajectory {}\n", forces->n_frames(),
                               reader->n_frames());
    } else {
        out += fmt::format("Forces          {}\n", reader->has_forces() ? "present" : "absent (a run needs forces)");
    }
    return out;
}

}  // namespace mcc
