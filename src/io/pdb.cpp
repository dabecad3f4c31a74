// PDB: topology and coordinate frames, read as MDAnalysis 2.4's PDBParser / PDBReader do.
//
// Topology: ATOM/HETATM records up to the first line starting with END (so the first MODEL);
// residues change where (resid, resname, insertion code, segid) changes; segids from columns
// 67-76, else chain ids, else "SYSTEM"; masses from the element column when any atom has one
// (unknown -> 0), otherwise from types guessed from the atom names; bonds from CONECT records
// (all of them, mapped through the atom serials).
#include <fmt/format.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <unordered_map>

#include "core/error.hpp"
#include "io/element_guess.hpp"
#include "io/formats.hpp"
#include "io/gro_pdb.hpp"
#include "io/text_util.hpp"

namespace mcc {

namespace {

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// Hybrid-36 decoding of a 5-character serial ("A0000" follows 99999), as MDAnalysis' hy36decode.
std::optional<long> hybrid36_serial(std::string_view s) {
    s = trim(s);
    if (s.size() != 5) return std::nullopt;
    const bool upper = s[0] >= 'A' && s[0] <= 'Z';
    const bool lower = s[0] >= 'a' && s[0] <= 'z';
    if (!upper && !lower) return std::nullopt;
    long value = 0;
    for (char c : s) {
        int d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (upper && c >= 'A' && c <= 'Z')
            d = c - 'A' + 10;
        else if (lower && c >= 'a' && c <= 'z')
            d = c - 'a' + 10;
        else
            return std::nullopt;
        value = value * 36 + d;
    }
    const long p = 36L * 36 * 36 * 36;
    return upper ? value - 10 * p + 100000 : value + 16 * p + 100000;
}

std::string capitalize(std::string_view s) {
    std::string out(s);
    for (std::size_t i = 0; i < out.size(); ++i)
        out[i] = static_cast<char>(i == 0 ? std::toupper(static_cast<unsigned char>(out[i]))
                                          : std::tolower(static_cast<unsigned char>(out[i])));
    return out;
}

}  // namespace

Topology read_pdb_topology(const std::string& path) {
    const auto lines = read_lines(path);
    Topology top;
    top.source = path;
    struct Raw {
        long serial;
        std::string name, resname, chain, element, icode, segid;
        long resid;
    };
    std::vector<Raw> raw;
    bool wrapped_serials = false;
    long next_wrapped_serial = 100000;
    long resid_prev = 0;
    for (const std::string& full : lines) {
        const std::string_view line = trim(full);
        if (line.empty()) continue;
        if (starts_with(line, "END")) break;
        if (!starts_with(line, "ATOM") && !starts_with(line, "HETATM")) continue;
        Raw r;
        if (auto s = parse_int(slice(line, 6, 11))) {
            r.serial = *s;
        } else if (auto h = hybrid36_serial(slice(line, 6, 11))) {
            r.serial = *h;
        } else {
            wrapped_serials = true;  // "*****": serials ran past the field
            r.serial = next_wrapped_serial++;
        }
        r.name = std::string(trim(slice(line, 12, 16)));
        r.resname = std::string(trim(slice(line, 17, 21)));
        r.chain = std::string(trim(slice(line, 21, 22)));
        r.element = std::string(trim(slice(line, 76, 78)));
        if (auto id = parse_int(slice(line, 22, 26))) {
            long resid = *id;
            while (resid - resid_prev < -5000) resid += 10000;  // 4-digit resids wrapped
            resid_prev = resid;
            r.resid = resid;
        } else {
            r.resid = 1;  // MDAnalysis' default when the resid is missing
        }
        r.icode = std::string(trim(slice(line, 26, 27)));
        r.segid = std::string(trim(slice(line, 66, 76)));
        raw.push_back(std::move(r));
    }
    if (raw.empty()) throw_data("{}: no ATOM or HETATM records", path);

    bool any_segid = false, any_element = false;
    for (const auto& r : raw) {
        any_segid = any_segid || !r.segid.empty();
        any_element = any_element || !r.element.empty();
    }
    if (!any_segid)
        for (auto& r : raw) r.segid = r.chain;
    bool any_final_segid = false;
    for (const auto& r : raw) any_final_segid = any_final_segid || !r.segid.empty();

    top.atoms.resize(raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
        const Raw& r = raw[i];
        Atom& a = top.atoms[i];
        a.name = r.name;
        if (any_element) {
            a.type = r.element;
            a.element = element_symbol(capitalize(r.element));
            a.atomic_number = atomic_number_of(a.element);
        } else {
            a.type = guess_atom_type(r.name);  // no element column: MDAnalysis leaves elements unset
        }
        a.mass = guess_mass_from_type(a.type);
        if (i == 0 || r.resid != raw[i - 1].resid || r.resname != raw[i - 1].resname ||
            r.icode != raw[i - 1].icode || r.segid != raw[i - 1].segid) {
            Residue res;
            res.name = r.resname;
            res.resid = static_cast<int>(r.resid);
            res.resnum = res.resid;
            res.segid = any_final_segid ? r.segid : "SYSTEM";
            top.residues.push_back(std::move(res));
        }
        a.residue = static_cast<int>(top.residues.size() - 1);
    }

    // CONECT records anywhere in the file. A misaligned record drops all bonds (MDAnalysis
    // warns and parses none); bonds to serials that are not atoms (TER) are skipped.
    if (!wrapped_serials) {
        std::unordered_map<long, int> index_of;
        for (std::size_t i = 0; i < raw.size(); ++i) index_of[raw[i].serial] = static_cast<int>(i);
        std::vector<std::array<int, 2>> bonds;
        bool corrupt = false;
        for (std::size_t ln = 0; ln < lines.size() && !corrupt; ++ln) {
            if (!starts_with(lines[ln], "CONECT")) continue;
            const std::string_view rec = trim(lines[ln]);
            const auto atom = parse_int(slice(rec, 6, 11));
            if (!atom) throw_data("{}: line {}: cannot read the CONECT record '{}'", path, ln + 1, rec);
            const std::size_t rest = rec.size() > 11 ? rec.size() - 11 : 0;
            const std::size_t n_partners = rest / 5;
            if (n_partners == 0) continue;
            if (rest % n_partners != 0) {
                corrupt = true;
                break;
            }
            for (std::size_t k = 0; k < n_partners; ++k) {
                const auto other = parse_int(slice(rec, 11 + 5 * k, 16 + 5 * k));
                if (!other) throw_data("{}: line {}: cannot read the CONECT record '{}'", path, ln + 1, rec);
                const auto a = index_of.find(*atom), b = index_of.find(*other);
                if (a != index_of.end() && b != index_of.end()) bonds.push_back({a->second, b->second});
            }
        }
        if (!corrupt) top.bonds = std::move(bonds);
    }
    top.finalize();
    return top;
}

PdbLayout scan_pdb_layout(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw_data("{}: cannot open ({})", path, std::strerror(errno));
    std::vector<std::uint64_t> models, crysts;
    std::uint64_t offset = 0;
    std::string line;
    while (std::getline(in, line)) {
        const std::uint64_t next = offset + line.size() + (in.eof() ? 0 : 1);
        if (starts_with(line, "MODEL"))
            models.push_back(next);
        else if (starts_with(line, "CRYST"))
            crysts.push_back(offset);
        offset = next;
    }
    if (models.empty()) models.push_back(0);
    PdbLayout layout;
    layout.starts = models;
    if (crysts.size() == models.size())
        for (std::size_t i = 0; i < models.size(); ++i) layout.starts[i] = std::min(models[i], crysts[i]);
    for (std::size_t i = 0; i < layout.starts.size(); ++i)
        layout.stops.push_back(i + 1 < layout.starts.size() ? layout.starts[i + 1] : offset);
    return layout;
}

void read_pdb_frame(const std::string& path, const PdbLayout& layout, std::size_t frame, std::size_t n_atoms,
                    Frame& out) {
    const std::uint64_t start = layout.starts[frame], stop = layout.stops[frame];
    std::string chunk(stop > start ? stop - start : 0, '\0');
    std::ifstream in(path, std::ios::binary);
    if (!in) throw_data("{}: cannot open ({})", path, std::strerror(errno));
    in.seekg(static_cast<std::streamoff>(start));
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    if (static_cast<std::size_t>(in.gcount()) != chunk.size())
        throw_data("{}: frame {}: file changed or truncated while reading", path, frame);

    out.positions.clear();
    out.positions.reserve(3 * n_atoms);
    out.forces.clear();
    out.velocities.clear();
    out.has_box = false;
    out.dimensions = {};
    out.box_vectors = {};
    std::size_t pos = 0;
    while (pos < chunk.size()) {
        std::size_t end = chunk.find_first_of("\r\n", pos);
        if (end == std::string::npos) end = chunk.size();
        const std::string_view line(chunk.data() + pos, end - pos);
        pos = end + 1;
        if (end < chunk.size() && chunk[end] == '\r' && pos < chunk.size() && chunk[pos] == '\n') ++pos;
        const std::string_view rec = line.substr(0, 6);
        if (rec == "ATOM  " || rec == "HETATM") {
            for (std::size_t k = 0; k < 3; ++k) {
                const auto v = parse_double(slice(line, 30 + 8 * k, 38 + 8 * k));
                if (!v)
                    throw_data("{}: frame {}: cannot read the coordinates of '{}'", path, frame, line);
                out.positions.push_back(static_cast<float>(*v));
            }
        } else if (rec == "CRYST1") {
            static constexpr std::size_t cols[7] = {6, 15, 24, 33, 40, 47, 54};
            std::array<float, 6> cell{};
            bool ok = true;
            for (std::size_t k = 0; k < 6 && ok; ++k) {
                const auto v = parse_double(slice(line, cols[k], cols[k + 1]));
                ok = v.has_value();
                if (ok) cell[k] = static_cast<float>(*v);
            }
            if (!ok) {
                out.has_box = false;
                out.dimensions = {};
                continue;
            }
            // A 1 A cube with right angles is a placeholder: no box (MDAnalysis np.allclose).
            static constexpr double placeholder[6] = {1, 1, 1, 90, 90, 90};
            bool dummy = true;
            for (std::size_t k = 0; k < 6; ++k)
                dummy = dummy && std::abs(cell[k] - placeholder[k]) <= 1e-8 + 1e-5 * placeholder[k];
            out.has_box = !dummy && (cell[0] != 0.0f || cell[1] != 0.0f || cell[2] != 0.0f);
            out.dimensions = out.has_box ? cell : std::array<float, 6>{};
        }
    }
    if (out.positions.size() != 3 * n_atoms)
        throw_data("{}: frame {} has {} atoms but the topology (first model) has {}", path, frame,
                   out.positions.size() / 3, n_atoms);
    if (out.has_box) out.box_vectors = box_vectors_from_dimensions(out.dimensions);
    out.time = static_cast<double>(frame);
    out.step = static_cast<long>(frame);
}

}  // namespace mcc
