#include "io/formats.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "core/error.hpp"

namespace mcc {

namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

std::string upper(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::toupper(c); });
    return s;
}

void require_readable(const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) throw_data("{}: no such file", path);
    if (std::filesystem::is_directory(path, ec)) throw_data("{}: is a directory, not a file", path);
}

}  // namespace

Topology read_topology(const std::string& path) {
    require_readable(path);
    const std::string ext = lower(std::filesystem::path(path).extension().string());
    if (ext == ".tpr") return read_tpr(path);
    if (ext == ".prmtop" || ext == ".parm7" || ext == ".top") return read_prmtop(path);
    if (ext == ".gro") return read_gro_topology(path);
    if (ext == ".pdb") return read_pdb_topology(path);
    if (ext == ".data" || ext == ".lammps") return read_lammps_data(path);
    throw_data("{}: unknown topology format '{}' (known: .tpr, .prmtop, .parm7, .top, .gro, .pdb, .data)",
               path, ext);
}

namespace {

std::unique_ptr<TrajectoryReader> open_format(const std::string& path, const std::string& format,
                                              std::size_t n_atoms);

// Opens one file and checks its atom count against the topology's (0 = not known).
std::unique_ptr<TrajectoryReader> open_one(const std::string& path, const std::string& format,
                                           std::size_t n_atoms) {
    auto reader = open_format(path, format, n_atoms);
    if (n_atoms != 0 && reader->n_atoms() != n_atoms)
        throw_data("{}: the trajectory has {} atoms, the topology {}", path, reader->n_atoms(), n_atoms);
    return reader;
}

std::unique_ptr<TrajectoryReader> open_format(const std::string& path, const std::string& format,
                                              std::size_t n_atoms) {
    require_readable(path);
    if (format == "TRR") return open_trr(path);
    if (format == "XTC") return open_xtc(path);
    if (format == "GRO") return open_gro_trajectory(path);
    if (format == "PDB") return open_pdb_trajectory(path);
    if (format == "NCDF" || format == "NC") return open_amber_netcdf(path);
    if (format == "MDCRD" || format == "CRD" || format == "TRJ") return open_mdcrd(path, n_atoms);
    if (format == "LAMMPSDUMP" || format == "LAMMPSTRJ") return open_lammps_dump(path);
    throw_usage("file_format '{}' is not supported (known: TRR, XTC, GRO, PDB, NCDF, MDCRD, LAMMPSDUMP)",
                format);
}

std::string format_from_extension(const std::string& path) {
    std::string ext = upper(std::filesystem::path(path).extension().string());
    if (!ext.empty()) ext.erase(0, 1);
    if (ext == "NC" || ext == "NETCDF") return "NCDF";
    if (ext == "CRD" || ext == "MDCRD" || ext == "TRJ") return "MDCRD";
    if (ext == "LAMMPSTRJ" || ext == "DUMP") return "LAMMPSDUMP";
    if (ext.empty()) throw_data("{}: cannot tell the trajectory format (no extension); set file_format", path);
    return ext;
}

}  // namespace

std::unique_ptr<TrajectoryReader> open_trajectory(const std::vector<std::string>& paths,
                                                  const std::optional<std::string>& file_format,
                                                  std::size_t n_atoms) {
    if (paths.empty()) throw_usage("top_traj_file: no trajectory file given after the topology");
    std::vector<std::unique_ptr<TrajectoryReader>> parts;
    for (const auto& p : paths) {
        const std::string fmt = file_format ? upper(*file_format) : format_from_extension(p);
        parts.push_back(open_one(p, fmt, n_atoms));
    }
    if (parts.size() == 1) return std::move(parts.front());
    return chain_trajectories(std::move(parts));
}

}  // namespace mcc
