// LAMMPS data-file topology reader, building what MDAnalysis' DATAParser builds (units
// 'real': masses in amu, charges in e):
//  * Atoms section: columns id, molecule-id, type, [charge when a line has 7 or 10 columns]
//    (atom_style full / molecular ordering), atoms sorted by id; atoms have a type, no name
//    and no element;
//  * residues = distinct molecule ids in ascending order (resid = resnum = molecule id),
//    without names; segid "SYSTEM";
//  * masses from the Masses section by type (required here: MDAnalysis would guess 0 amu);
//  * bonds and proper dihedrals from the Bonds and Dihedrals sections (atom ids mapped to
//    indices); Impropers are not dihedrals.
// '#' starts a comment; header counts ("N atoms", "N bonds", "N dihedrals") are checked
// against the sections, which catches truncated files.
#include <algorithm>
#include <map>
#include <numeric>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/error.hpp"
#include "io/formats.hpp"
#include "io/text_parse.hpp"

namespace mcc {

namespace {

const std::set<std::string, std::less<>>& section_keywords() {
    static const std::set<std::string, std::less<>> k = {
        "Atoms",         "Velocities",          "Masses",           "Ellipsoids",        "Lines",
        "Triangles",     "Bodies",              "Bonds",            "Angles",            "Dihedrals",
        "Impropers",     "Pair",                "PairIJ",           "Bond",              "Angle",
        "Dihedral",      "Improper",            "BondBond",         "BondAngle",         "MiddleBondTorsion",
        "EndBondTorsion", "AngleTorsion",       "AngleAngleTorsion", "BondBond13",       "AngleAngle"};
    return k;
}

}  // namespace

Topology read_lammps_data(const std::string& path) {
    const std::string text = textio::read_whole_file(path);
    // Comment-free, non-blank lines (MDAnalysis iterdata); the first line is the title.
    std::vector<std::string_view> lines;
    bool first = true;
    for (auto line : textio::split_lines(text)) {
        if (first) {  // title line: free text, never a section
            first = false;
            continue;
        }
        const auto hash = line.find('#');
        if (hash != std::string_view::npos) line = line.substr(0, hash);
        line = textio::trim(line);
        if (!line.empty()) lines.push_back(line);
    }
    std::map<std::string, long long, std::less<>> header;
    std::map<std::string, std::vector<std::string_view>, std::less<>> sections;
    std::string current;
    for (auto line : lines) {
        const auto words = textio::split_words(line);
        if (section_keywords().count(words[0])) {
            current = std::string(line);
            if (sections.count(current)) throw_data("{}: section '{}' appears twice", path, current);
            sections[current];
            continue;
        }
        if (current.empty()) {
            for (const char* key : {"atoms", "bonds", "dihedrals"})
                if (words.size() == 2 && words[1] == key) {
                    const auto v = textio::parse_int(words[0]);
                    if (!v || *v < 0) throw_data("{}: bad header line '{}'", path, line);
                    header[key] = *v;
                }
            continue;
        }
        sections[current].push_back(line);
    }
    const auto atoms_it = sections.find("Atoms");
    if (atoms_it == sections.end()) throw_data("{}: no Atoms section (not a LAMMPS data file?)", path);
    const auto& atom_lines = atoms_it->second;
    if (header.count("atoms") && static_cast<std::size_t>(header["atoms"]) != atom_lines.size())
        throw_data("{}: header announces {} atoms, the Atoms section has {} (truncated?)", path, header["atoms"],
                   atom_lines.size());
    if (atom_lines.empty()) throw_data("{}: empty Atoms section", path);

    std::unordered_map<std::string, double> masses;
    const auto masses_it = sections.find("Masses");
    if (masses_it == sections.end()) throw_data("{}: no Masses section (atom masses are needed)", path);
    for (auto line : masses_it->second) {
        const auto w = textio::split_words(line);
        const auto m = w.size() >= 2 ? textio::parse_double(w[1]) : std::nullopt;
        if (!m) throw_data("{}: bad Masses line '{}'", path, line);
        masses[std::string(w[0])] = *m;
    }

    const std::size_t columns = textio::split_words(atom_lines[0]).size();
    const bool has_charge = columns == 7 || columns == 10;
    struct Row {
        long long id, mol;
        std::string type;
        double charge;
    };
    std::vector<Row> rows;
    rows.reserve(atom_lines.size());
    for (auto line : atom_lines) {
        const auto w = textio::split_words(line);
        if (w.size() < (has_charge ? 4u : 3u) || w.size() != columns)
            throw_data("{}: Atoms line '{}' has {} columns, {} expected", path, line, w.size(), columns);
        const auto id = textio::parse_int(w[0]);
        const auto mol = textio::parse_int(w[1]);
        const auto q = has_charge ? textio::parse_double(w[3]) : std::optional<double>(0.0);
        if (!id || !mol || !q) throw_data("{}: bad Atoms line '{}'", path, line);
        rows.push_back({*id, *mol, std::string(w[2]), *q});
    }
    std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.id < b.id; });
    std::unordered_map<long long, int> index_of;
    for (std::size_t i = 0; i < rows.size(); ++i)
        if (!index_of.emplace(rows[i].id, static_cast<int>(i)).second)
            throw_data("{}: atom id {} appears twice", path, rows[i].id);

    std::vector<long long> mol_ids;
    for (const auto& r : rows) mol_ids.push_back(r.mol);
    std::sort(mol_ids.begin(), mol_ids.end());
    mol_ids.erase(std::unique(mol_ids.begin(), mol_ids.end()), mol_ids.end());

    Topology top;
    top.source = path;
    for (long long m : mol_ids) {
        Residue res;
        res.resid = static_cast<int>(m);
        res.resnum = res.resid;
        res.segid = "SYSTEM";
        top.residues.push_back(std::move(res));
    }
    for (const auto& r : rows) {
        Atom a;
        a.type = r.type;
        const auto m = masses.find(r.type);
        if (m == masses.end()) throw_data("{}: atom type '{}' has no entry in Masses", path, r.type);
        a.mass = m->second;
        a.charge = static_cast<double>(static_cast<float>(r.charge));  // MDAnalysis keeps float32 charges
        a.residue = static_cast<int>(std::lower_bound(mol_ids.begin(), mol_ids.end(), r.mol) - mol_ids.begin());
        top.atoms.push_back(std::move(a));
    }

    auto connections = [&](const char* name, std::size_t n_atoms_per_entry, auto&& add) {
        const auto it = sections.find(name);
        const std::string key = [&] {
            std::string k(name);
            std::transform(k.begin(), k.end(), k.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
            return k;
        }();
        const std::size_t found = it == sections.end() ? 0 : it->second.size();
        if (header.count(key) && static_cast<std::size_t>(header[key]) != found)
            throw_data("{}: header announces {} {}, the {} section has {} (truncated?)", path, header[key], key, name,
                       found);
        if (it == sections.end()) return;
        for (auto line : it->second) {
            const auto w = textio::split_words(line);
            if (w.size() < 2 + n_atoms_per_entry) throw_data("{}: short {} line '{}'", path, name, line);
            std::array<int, 4> idx{};
            for (std::size_t k = 0; k < n_atoms_per_entry; ++k) {
                const auto id = textio::parse_int(w[2 + k]);
                const auto found_atom = id ? index_of.find(*id) : index_of.end();
                if (found_atom == index_of.end())
                    throw_data("{}: {} line '{}' refers to an unknown atom id", path, name, line);
                idx[k] = found_atom->second;
            }
            add(idx);
        }
    };
    connections("Bonds", 2, [&](const std::array<int, 4>& i) { top.bonds.push_back({i[0], i[1]}); });
    connections("Dihedrals", 4, [&](const std::array<int, 4>& i) { top.dihedrals.push_back(i); });
    top.finalize();
    return top;
}

}  // namespace mcc
