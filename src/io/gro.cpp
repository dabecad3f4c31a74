// GROMACS .gro: topology (names, residues; types and masses guessed from the names as
// MDAnalysis' GROParser does; no bonds) and its single coordinate frame.
//
// Layout: title line, atom count, one fixed-column line per atom (resid 0-5, resname 5-10,
// name 10-15, index 15-20, then x y z [vx vy vz] with a field width given by the position of
// the decimal point), and the box line (3 or 9 numbers, nm).
#include <fmt/format.h>

#include <array>
#include <cmath>

#include "core/error.hpp"
#include "io/element_guess.hpp"
#include "io/formats.hpp"
#include "io/gro_pdb.hpp"
#include "io/text_util.hpp"

namespace mcc {

namespace {

constexpr float kNmToAngstrom = 10.0f;

std::size_t atom_count(const std::string& path, const std::vector<std::string>& lines) {
    if (lines.size() < 2) throw_data("{}: too short for a GRO file (no atom count line)", path);
    const auto n = parse_int(lines[1]);
    if (!n || *n < 0) throw_data("{}: line 2: '{}' is not an atom count", path, lines[1]);
    const auto count = static_cast<std::size_t>(*n);
    if (lines.size() < count + 3)
        throw_data("{}: {} atoms announced but the file ends after {} lines (truncated?)", path, count, lines.size());
    return count;
}

}  // namespace

Topology read_gro_topology(const std::string& path) {
    const auto lines = read_lines(path);
    const std::size_t n = atom_count(path, lines);
    Topology top;
    top.source = path;
    top.atoms.resize(n);
    std::vector<long> resids(n);
    std::vector<std::string> resnames(n);
    for (std::size_t i = 0; i < n; ++i) {
        const std::string_view line = lines[i + 2];
        const auto resid = parse_int(slice(line, 0, 5));
        const auto index = parse_int(slice(line, 15, 20));
        if (!resid || !index) throw_data("{}: line {}: cannot read this atom line: '{}'", path, i + 3, line);
        resids[i] = *resid;
        resnames[i] = std::string(trim(slice(line, 5, 10)));
        top.atoms[i].name = std::string(trim(slice(line, 10, 15)));
        if (top.atoms[i].name.empty()) throw_data("{}: line {}: missing atom name", path, i + 3);
    }
    // Residue numbers wrap to 0 after 99999: every later block starting at 0 adds 100000
    // (a leading 0 is a real resid).
    {
        const std::vector<long> written = resids;
        long bump = 0;
        for (std::size_t i = 0; i < n; ++i) {
            if (written[i] == 0 && i > 0 && written[i - 1] != 0) bump += 100000;
            resids[i] += bump;
        }
    }
    for (std::size_t i = 0; i < n; ++i) {
        Atom& a = top.atoms[i];
        a.type = guess_atom_type(a.name);
        a.mass = guess_mass_from_type(a.type);
        // Like MDAnalysis, no element is assigned for GRO files (only the guessed type).
        if (i == 0 || resids[i] != resids[i - 1] || resnames[i] != resnames[i - 1]) {
            Residue r;
            r.name = resnames[i];
            r.resid = static_cast<int>(resids[i]);
            r.resnum = r.resid;
            r.segid = "SYSTEM";
            top.residues.push_back(std::move(r));
        }
        a.residue = static_cast<int>(top.residues.size() - 1);
    }
    top.finalize();
    return top;
}

Frame read_gro_frame(const std::string& path) {
    const auto lines = read_lines(path);
    const std::size_t n = atom_count(path, lines);
    Frame f;
    f.positions.resize(3 * n);
    std::vector<float> velocities(3 * n, 0.0f);
    bool any_velocity = false;
    std::size_t width = 0;
    if (n > 0) {
        // The field width: the decimal point of the second coordinate, counted from column 25.
        const std::string& first = lines[2];
        const auto dot = first.size() > 25 ? first.find('.', 25) : std::string::npos;
        width = dot == std::string::npos ? 0 : dot - 25 + 1;
        if (width == 0) throw_data("{}: line 3: cannot find the coordinate columns", path);
    }
    for (std::size_t i = 0; i < n; ++i) {
        const std::string_view line = lines[i + 2];
        for (std::size_t k = 0; k < 3; ++k) {
            const auto v = parse_double(slice(line, 20 + width * k, 20 + width * (k + 1)));
            if (!v) throw_data("{}: line {}: cannot read the coordinates of '{}'", path, i + 3, line);
            f.positions[3 * i + k] = static_cast<float>(*v) * kNmToAngstrom;
        }
        std::array<float, 3> vel{};
        bool ok = true;
        for (std::size_t k = 0; k < 3 && ok; ++k) {
            const auto v = parse_double(slice(line, 20 + width * (k + 3), 20 + width * (k + 4)));
            if (v)
                vel[k] = static_cast<float>(*v);
            else
                ok = false;
        }
        if (ok) {
            for (std::size_t k = 0; k < 3; ++k) {
                velocities[3 * i + k] = vel[k];
                any_velocity = any_velocity || vel[k] != 0.0f;
            }
        }
    }
    if (any_velocity) {
        for (float& v : velocities) v *= kNmToAngstrom;
        f.velocities = std::move(velocities);
    }
    // Box line: 3 numbers (rectangular) or 9 (v1x v2y v3z v1y v1z v2x v2z v3x v3y).
    const std::string& box_line = lines[n + 2];
    std::vector<float> cell;
    std::size_t pos = 0;
    while (true) {
        const auto b = box_line.find_first_not_of(" \t", pos);
        if (b == std::string::npos) break;
        auto e = box_line.find_first_of(" \t", b);
        if (e == std::string::npos) e = box_line.size();
        const auto v = parse_double(std::string_view(box_line).substr(b, e - b));
        if (!v) throw_data("{}: line {}: cannot read the box '{}'", path, n + 3, box_line);
        cell.push_back(static_cast<float>(*v));
        pos = e;
    }
    std::array<float, 9> box_nm{};
    if (cell.size() == 3) {
        box_nm = {cell[0], 0, 0, 0, cell[1], 0, 0, 0, cell[2]};
        const bool empty = std::abs(cell[0]) <= 1e-8f && std::abs(cell[1]) <= 1e-8f && std::abs(cell[2]) <= 1e-8f;
        if (!empty) f.dimensions = {cell[0], cell[1], cell[2], 90.0f, 90.0f, 90.0f};
    } else if (cell.size() == 9) {
        box_nm = {cell[0], cell[3], cell[4], cell[5], cell[1], cell[6], cell[7], cell[8], cell[2]};
        f.dimensions = box_dimensions_from_vectors(box_nm);
    } else {
        throw_data("{}: line {}: the box has {} numbers (3 or 9 expected)", path, n + 3, cell.size());
    }
    for (std::size_t i = 0; i < 3; ++i) f.dimensions[i] *= kNmToAngstrom;
    f.has_box = f.dimensions[0] != 0.0f || f.dimensions[1] != 0.0f || f.dimensions[2] != 0.0f;
    if (f.has_box)
        for (std::size_t i = 0; i < 9; ++i) f.box_vectors[i] = box_nm[i] * kNmToAngstrom;
    else
        f.dimensions = {};
    return f;
}

}  // namespace mcc
