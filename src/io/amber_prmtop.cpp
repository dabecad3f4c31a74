// AMBER prmtop (parm7) topology reader, building the same atoms, residues, bonds and proper
// dihedrals as MDAnalysis' TOPParser (the reference reads prmtop files through it):
//  * names, types, masses, atomic numbers (-> element symbol; <= 0 gives no element),
//    charges = stored value / 18.2223, computed in float32 as MDAnalysis does;
//  * residues numbered 1..N in file order (resid = resnum), segid "SYSTEM" unless a
//    RESIDUE_CHAINID section with one entry per residue is present;
//  * bonds: both bond sections; dihedrals: both dihedral sections merged, an entry whose 4th
//    index is negative is an improper and is dropped, a negative 3rd index (1-4 skipped) is
//    kept with its sign removed; indices are coordinate offsets (atom*3), divided by 3 with
//    floor division; duplicates removed (Topology::finalize then orders them).
#include <array>
#include <cctype>
#include <cstdlib>
#include <limits>
#include <optional>
#include <cmath>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "io/formats.hpp"
#include "io/text_parse.hpp"

namespace mcc {

namespace {

constexpr std::array<const char*, 118> kElementSymbols = {
    "H",  "He", "Li", "Be", "B",  "C",  "N",  "O",  "F",  "Ne", "Na", "Mg", "Al", "Si", "P",  "S",
    "Cl", "Ar", "K",  "Ca", "Sc", "Ti", "V",  "Cr", "Mn", "Fe", "Co", "Ni", "Cu", "Zn", "Ga", "Ge",
    "As", "Se", "Br", "Kr", "Rb", "Sr", "Y",  "Zr", "Nb", "Mo", "Tc", "Ru", "Rh", "Pd", "Ag", "Cd",
    "In", "Sn", "Sb", "Te", "I",  "Xe", "Cs", "Ba", "La", "Ce", "Pr", "Nd", "Pm", "Sm", "Eu", "Gd",
    "Tb", "Dy", "Ho", "Er", "Tm", "Yb", "Lu", "Hf", "Ta", "W",  "Re", "Os", "Ir", "Pt", "Au", "Hg",
    "Tl", "Pb", "Bi", "Po", "At", "Rn", "Fr", "Ra", "Ac", "Th", "Pa", "U",  "Np", "Pu", "Am", "Cm",
    "Bk", "Cf", "Es", "Fm", "Md", "No", "Lr", "Rf", "Db", "Sg", "Bh", "Hs", "Mt", "Ds", "Rg", "Cn",
    "Nh", "Fl", "Mc", "Lv", "Ts", "Og"};

// Indices into %FLAG POINTERS.
enum Pointer : std::size_t { NATOM = 0, NBONH = 2, MBONA = 3, NPHIH = 6, MPHIA = 7, NRES = 11 };

struct Section {
    std::size_t field_width = 0;
    std::size_t fields_per_line = 0;
    std::vector<std::string_view> lines;
};

class PrmtopParser {
public:
    explicit PrmtopParser(std::string path) : path_(std::move(path)), text_(textio::read_whole_file(path_)) {
        split_sections();
    }

    Topology build() {
        const auto pointers = ints("POINTERS", std::nullopt);
        if (pointers.size() < NRES + 1)
            throw_data("{}: %FLAG POINTERS has {} values, at least {} expected", path_, pointers.size(), NRES + 1);
        for (std::size_t k : {NATOM, NBONH, MBONA, NPHIH, MPHIA, NRES})
            if (pointers[k] < 0) throw_data("{}: negative count {} in %FLAG POINTERS", path_, pointers[k]);
        const auto n_atoms = static_cast<std::size_t>(pointers[NATOM]);
        const auto n_res = static_cast<std::size_t>(pointers[NRES]);

        Topology top;
        top.source = path_;

        // Per-atom sections we do not use still have to be complete: this catches files cut
        // at the end (the usual place of these sections).
        for (const char* flag : {"ATOM_TYPE_INDEX", "NUMBER_EXCLUDED_ATOMS", "TREE_CHAIN_CLASSIFICATION", "JOIN_ARRAY",
                                 "IROTAT", "RADII", "SCREEN"})
            if (has(flag)) (void)fields(flag, n_atoms);

        const auto names = strings("ATOM_NAME", n_atoms);  // checks NATOM against the file first
        top.atoms.resize(n_atoms);
        for (std::size_t i = 0; i < n_atoms; ++i) top.atoms[i].name = names[i];

        if (has("CHARGE")) {
            const auto q = doubles("CHARGE", n_atoms);
            // MDAnalysis: float32 array divided in place by 18.2223 (float32 arithmetic).
            const float amber_charge_unit = 18.2223f;
            for (std::size_t i = 0; i < n_atoms; ++i)
                top.atoms[i].charge = static_cast<double>(static_cast<float>(q[i]) / amber_charge_unit);
        }
        if (has("MASS")) {
            const auto m = doubles("MASS", n_atoms);
            for (std::size_t i = 0; i < n_atoms; ++i) top.atoms[i].mass = m[i];
        }
        if (has("ATOMIC_NUMBER")) {
            const auto z = ints("ATOMIC_NUMBER", n_atoms);
            for (std::size_t i = 0; i < n_atoms; ++i) {
                if (z[i] > static_cast<long long>(kElementSymbols.size()))
                    throw_data("{}: atom {} has atomic number {} (no such element)", path_, i + 1, z[i]);
                if (z[i] > 0) {
                    top.atoms[i].atomic_number = static_cast<int>(z[i]);
                    top.atoms[i].element = kElementSymbols[static_cast<std::size_t>(z[i] - 1)];
                }
            }
        }
        if (has("AMBER_ATOM_TYPE")) {
            const auto types = strings("AMBER_ATOM_TYPE", n_atoms);
            for (std::size_t i = 0; i < n_atoms; ++i) top.atoms[i].type = types[i];
        }

        const auto res_names = strings("RESIDUE_LABEL", n_res);
        const auto res_pointers = ints("RESIDUE_POINTER", n_res);
        top.residues.resize(n_res);
        std::vector<std::string> chain_ids;
        if (has("RESIDUE_CHAINID")) {
            chain_ids = strings("RESIDUE_CHAINID", std::nullopt);
            if (chain_ids.size() != n_res) chain_ids.clear();  // MDAnalysis skips the section then
        }
        for (std::size_t r = 0; r < n_res; ++r) {
            auto& res = top.residues[r];
            res.name = res_names[r];
            res.resid = static_cast<int>(r + 1);
            res.resnum = res.resid;
            res.segid = chain_ids.empty() ? "SYSTEM" : chain_ids[r];
            const long long first = res_pointers[r];
            const long long last = r + 1 < n_res ? res_pointers[r + 1] : static_cast<long long>(n_atoms) + 1;
            if (first < 1 || first > static_cast<long long>(n_atoms) || last < first)
                throw_data("{}: RESIDUE_POINTER of residue {} is {} (atoms 1..{}, ascending expected)", path_,
                           r + 1, first, n_atoms);
            for (long long a = first; a < last && a <= static_cast<long long>(n_atoms); ++a)
                top.atoms[static_cast<std::size_t>(a - 1)].residue = static_cast<int>(r);
        }
        if (n_res == 0 && n_atoms > 0) throw_data("{}: no residues (NRES = 0)", path_);
        if (n_res > 0 && res_pointers[0] != 1)
            throw_data("{}: first RESIDUE_POINTER is {}, 1 expected", path_, res_pointers[0]);

        for (const char* flag : {"BONDS_WITHOUT_HYDROGEN", "BONDS_INC_HYDROGEN"}) {
            const std::size_t count = static_cast<std::size_t>(
                pointers[std::string_view(flag) == "BONDS_INC_HYDROGEN" ? NBONH : MBONA]);
            if (!has(flag)) {
                if (count > 0) throw_data("{}: %FLAG {} missing ({} bonds announced)", path_, flag, count);
                continue;
            }
            const auto v = ints(flag, 3 * count);
            for (std::size_t k = 0; k < count; ++k)
                top.bonds.push_back({atom_index(v[3 * k], flag), atom_index(v[3 * k + 1], flag)});
        }

        for (const char* flag : {"DIHEDRALS_WITHOUT_HYDROGEN", "DIHEDRALS_INC_HYDROGEN"}) {
            const std::size_t count = static_cast<std::size_t>(
                pointers[std::string_view(flag) == "DIHEDRALS_INC_HYDROGEN" ? NPHIH : MPHIA]);
            if (!has(flag)) {
                if (count > 0) throw_data("{}: %FLAG {} missing ({} dihedrals announced)", path_, flag, count);
                continue;
            }
            const auto v = ints(flag, 5 * count);
            for (std::size_t k = 0; k < count; ++k) {
                const long long* e = &v[5 * k];
                if (floor_div3(e[3]) < 0) continue;  // improper
                // A negative 3rd entry only flags "no 1-4 interaction": keep it, without the sign.
                top.dihedrals.push_back({atom_index(e[0], flag), atom_index(e[1], flag),
                                         checked_index(std::llabs(floor_div3(e[2])), flag), atom_index(e[3], flag)});
            }
        }
        for (const auto& d : top.dihedrals)
            for (int a : d)
                if (a >= static_cast<int>(n_atoms))
                    throw_data("{}: a dihedral refers to atom {} (only {} atoms)", path_, a + 1, n_atoms);
        for (const auto& b : top.bonds)
            if (b[0] >= static_cast<int>(n_atoms) || b[1] >= static_cast<int>(n_atoms))
                throw_data("{}: a bond refers to atom {} (only {} atoms)", path_, std::max(b[0], b[1]) + 1,
                           n_atoms);
        top.finalize();
        return top;
    }

private:
    static long long floor_div3(long long v) { return v >= 0 ? v / 3 : -((-v + 2) / 3); }

    // Bonded sections store coordinate offsets (3 * atom index); Python floor division as in
    // MDAnalysis.
    int atom_index(long long coordinate_offset, std::string_view flag) const {
        return checked_index(floor_div3(coordinate_offset), flag);
    }

    int checked_index(long long idx, std::string_view flag) const {
        if (idx < 0 || idx > std::numeric_limits<int>::max())
            throw_data("{}: %FLAG {} refers to atom index {} (negative or too large)", path_, flag, idx);
        return static_cast<int>(idx);
    }

    bool has(const std::string& flag) const { return sections_.count(flag) > 0; }

    const Section& section(const std::string& flag) const {
        const auto it = sections_.find(flag);
        if (it == sections_.end()) throw_data("{}: %FLAG {} missing", path_, flag);
        return it->second;
    }

    // Non-blank fixed-width fields of a section, trimmed (MDAnalysis keeps only non-empty ones).
    std::vector<std::string_view> fields(const std::string& flag, std::optional<std::size_t> expected) const {
        const Section& s = section(flag);
        std::vector<std::string_view> out;
        for (auto line : s.lines) {
            if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
            for (std::size_t f = 0; f < s.fields_per_line; ++f) {
                const std::size_t start = f * s.field_width;
                if (start >= line.size()) break;
                const auto v = textio::trim(line.substr(start, s.field_width));
                if (!v.empty()) out.push_back(v);
            }
        }
        if (expected && out.size() != *expected)
            throw_data("{}: %FLAG {} has {} values, {} expected (truncated or corrupt file?)", path_, flag,
                       out.size(), *expected);
        return out;
    }

    std::vector<std::string> strings(const std::string& flag, std::optional<std::size_t> n) const {
        std::vector<std::string> out;
        for (auto f : fields(flag, n)) out.emplace_back(f);
        return out;
    }

    std::vector<long long> ints(const std::string& flag, std::optional<std::size_t> n) const {
        std::vector<long long> out;
        for (auto f : fields(flag, n)) {
            const auto v = textio::parse_int(f);
            if (!v) throw_data("{}: %FLAG {}: '{}' is not an integer", path_, flag, f);
            out.push_back(*v);
        }
        return out;
    }

    std::vector<double> doubles(const std::string& flag, std::size_t n) const {
        std::vector<double> out;
        for (auto f : fields(flag, n)) {
            const auto v = textio::parse_double(f);
            if (!v) throw_data("{}: %FLAG {}: '{}' is not a number", path_, flag, f);
            out.push_back(*v);
        }
        return out;
    }

    // "(20a4)", "(5E16.8)", "(10I8)" -> fields per line and field width.
    void parse_format(std::string_view fmt, Section& s, std::string_view flag) const {
        fmt = textio::trim(fmt);
        if (fmt.size() < 2 || fmt.front() != '(' || fmt.back() != ')')
            throw_data("{}: %FLAG {}: bad %FORMAT '{}'", path_, flag, fmt);
        fmt = fmt.substr(1, fmt.size() - 2);
        std::size_t i = 0;
        std::size_t count = 0;
        while (i < fmt.size() && std::isdigit(static_cast<unsigned char>(fmt[i])))
            count = count * 10 + static_cast<std::size_t>(fmt[i++] - '0');
        if (count == 0) count = 1;
        if (i >= fmt.size() || std::string_view("aAiIeEfFdDgG").find(fmt[i]) == std::string_view::npos)
            throw_data("{}: %FLAG {}: bad %FORMAT '({})'", path_, flag, fmt);
        ++i;
        std::size_t width = 0;
        while (i < fmt.size() && std::isdigit(static_cast<unsigned char>(fmt[i])))
            width = width * 10 + static_cast<std::size_t>(fmt[i++] - '0');
        if (width == 0 || width > 1000 || count > 1000)
            throw_data("{}: %FLAG {}: bad %FORMAT '({})'", path_, flag, fmt);
        s.field_width = width;
        s.fields_per_line = count;
    }

    void split_sections() {
        if (!text_.empty() && text_.back() != '\n')
            throw_data("{}: truncated prmtop file (the last line has no line break)", path_);
        const auto lines = textio::split_lines(text_);
        if (lines.empty() || !lines[0].starts_with("%VE"))
            throw_data("{}: not an AMBER prmtop file (first line does not start with %VERSION)", path_);
        if (lines.size() < 2) throw_data("{}: truncated prmtop file (no %FLAG TITLE)", path_);
        const auto title = textio::split_words(lines[1]);
        if (title.size() < 2 || title[1] != "TITLE") {
            if (title.size() >= 2 && title[1] == "CTITLE")
                throw_data("{}: CHAMBER-style prmtop files are not supported (as in MDAnalysis)", path_);
            throw_data("{}: not an AMBER prmtop file ('%FLAG TITLE' missing on line 2)", path_);
        }
        std::string current;
        bool expect_format = false;
        for (std::size_t n = 1; n < lines.size(); ++n) {
            const std::string_view line = lines[n];
            if (line.starts_with("%FLAG")) {
                current = std::string(textio::trim(line.substr(5)));
                if (sections_.count(current)) throw_data("{}: %FLAG {} appears twice", path_, current);
                sections_[current] = Section{};
                expect_format = true;
            } else if (line.starts_with("%COMMENT")) {
                continue;
            } else if (line.starts_with("%FORMAT")) {
                if (!expect_format) throw_data("{}: line {}: %FORMAT without %FLAG", path_, n + 1);
                parse_format(line.substr(7), sections_[current], current);
                expect_format = false;
            } else if (!current.empty()) {
                if (expect_format) throw_data("{}: %FLAG {} has no %FORMAT line", path_, current);
                sections_[current].lines.push_back(line);
            }
        }
        if (expect_format) throw_data("{}: truncated prmtop file (%FLAG {} without %FORMAT)", path_, current);
    }

    std::string path_;
    std::string text_;
    std::map<std::string, Section, std::less<>> sections_;
};

}  // namespace

Topology read_prmtop(const std::string& path) { return PrmtopParser(path).build(); }

}  // namespace mcc
