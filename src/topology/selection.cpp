#include "topology/selection.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "core/error.hpp"

namespace mcc {
namespace {

// Name lists of MDAnalysis' core/selection.py (unchanged from 2.4 to 2.8; `water` is 2.9's),
// sorted for binary search.
constexpr auto kProteinResidues = std::to_array<std::string_view>(
    {"ACE",  "ALA",  "ALAD", "ARG",  "ARGN", "ASF",  "ASH",  "ASN",  "ASN1", "ASP",  "ASPH", "CALA",
     "CARG", "CASF", "CASN", "CASP", "CCYS", "CCYX", "CGLN", "CGLU", "CGLY", "CHID", "CHIE", "CHIP",
     "CILE", "CLEU", "CLYS", "CME",  "CMET", "CPHE", "CPRO", "CSER", "CTHR", "CTRP", "CTYR", "CVAL",
     "CYM",  "CYS",  "CYS1", "CYS2", "CYSH", "CYX",  "DAB",  "GLH",  "GLN",  "GLU",  "GLUH", "GLY",
     "HID",  "HIE",  "HIP",  "HIS",  "HIS1", "HIS2", "HISA", "HISB", "HISD", "HISE", "HISH", "HSD",
     "HSE",  "HSP",  "HYP",  "ILE",  "LEU",  "LYN",  "LYS",  "LYSH", "MET",  "MSE",  "NALA", "NARG",
     "NASN", "NASP", "NCYS", "NCYX", "NGLN", "NGLU", "NGLY", "NHID", "NHIE", "NHIP", "NILE", "NLEU",
     "NLYS", "NME",  "NMET", "NPHE", "NPRO", "NSER", "NTHR", "NTRP", "NTYR", "NVAL", "ORN",  "PGLU",
     "PHE",  "PRO",  "QLN",  "SER",  "THR",  "TRP",  "TYR",  "VAL"});
constexpr auto kNucleicResidues = std::to_array<std::string_view>(
    {"A",   "ADE", "C",   "CYT", "DA",  "DA3", "DA5", "DC",  "DC3", "DC5", "DG",  "DG3",
     "DG5", "DT",  "DT3", "DT5", "G",   "GUA", "RA",  "RA3", "RA5", "RC",  "RC3", "RC5",
     "RG",  "RG3", "RG5", "RU",  "RU3", "RU5", "T",   "THY", "U",   "URA"});
constexpr auto kWaterResidues =
    std::to_array<std::string_view>({"H2O", "HHO", "HOH", "OH2", "OHH", "SOL", "T3P", "T4P", "T5P",
                                     "TIP", "TIP2", "TIP3", "TIP4", "WAT"});
constexpr auto kBackboneNames = std::to_array<std::string_view>({"C", "CA", "N", "O"});
constexpr auto kNucleicBackboneNames =
    std::to_array<std::string_view>({"C3'", "C5'", "O3'", "O5'", "P"});
constexpr auto kNucleicBaseNames =
    std::to_array<std::string_view>({"C2", "C4", "C5", "C5M", "C6", "C8", "N1", "N2", "N3", "N4",
                                     "N6", "N7", "N9", "O2", "O4", "O6"});
constexpr auto kNucleicSugarNames =
    std::to_array<std::string_view>({"C1'", "C2'", "C3'", "C4'", "O4'"});

// Every selection keyword MDAnalysis knows (2.4 list plus 2.9's `water`). A value list after
// `name`, `resid`, ... ends at the first of these, supported or not, exactly as in MDAnalysis.
constexpr auto kKeywords = std::to_array<std::string_view>({"all",
                                                            "altLoc",
                                                            "altloc",
                                                            "and",
                                                            "aromatic",
                                                            "aromaticity",
                                                            "around",
                                                            "atom",
                                                            "backbone",
                                                            "bfactor",
                                                            "bonded",
                                                            "bynum",
                                                            "byres",
                                                            "chainID",
                                                            "chainid",
                                                            "charge",
                                                            "chirality",
                                                            "cylayer",
                                                            "cyzone",
                                                            "element",
                                                            "epsilon",
                                                            "epsilon14",
                                                            "formalcharge",
                                                            "gbscreen",
                                                            "global",
                                                            "group",
                                                            "icode",
                                                            "id",
                                                            "index",
                                                            "isolayer",
                                                            "mass",
                                                            "model",
                                                            "molnum",
                                                            "moltype",
                                                            "name",
                                                            "nbindex",
                                                            "not",
                                                            "nucleic",
                                                            "nucleicbackbone",
                                                            "nucleicbase",
                                                            "nucleicsugar",
                                                            "occupancy",
                                                            "or",
                                                            "point",
                                                            "prop",
                                                            "protein",
                                                            "radius",
                                                            "record_type",
                                                            "resid",
                                                            "resindex",
                                                            "resname",
                                                            "resnum",
                                                            "rmin",
                                                            "rmin14",
                                                            "same",
                                                            "segid",
                                                            "segindex",
                                                            "smarts",
                                                            "solventradius",
                                                            "sphlayer",
                                                            "sphzone",
                                                            "tempfactor",
                                                            "type",
                                                            "water",
                                                            "("});

// Names `prop` accepts on either side of the operator (MDAnalysis' PropertySelection.props);
// only used to decide whether "prop 1.1 < mass" must be flipped.
constexpr auto kPropNames = std::to_array<std::string_view>({"altLoc",
                                                             "angles",
                                                             "aromaticity",
                                                             "atomattr",
                                                             "atomiccharge",
                                                             "atomnum",
                                                             "bonds",
                                                             "chainID",
                                                             "charge",
                                                             "chargegroup",
                                                             "chirality",
                                                             "cmaps",
                                                             "dihedrals",
                                                             "element",
                                                             "epsilon",
                                                             "epsilon14",
                                                             "formalcharge",
                                                             "gbscreen",
                                                             "icode",
                                                             "id",
                                                             "impropers",
                                                             "index",
                                                             "mass",
                                                             "model",
                                                             "molnum",
                                                             "moltype",
                                                             "name",
                                                             "nbindex",
                                                             "occupancy",
                                                             "radius",
                                                             "record_type",
                                                             "resid",
                                                             "residueattr",
                                                             "resindex",
                                                             "resname",
                                                             "resnum",
                                                             "rmin",
                                                             "rmin14",
                                                             "segid",
                                                             "segindex",
                                                             "segmentattr",
                                                             "solventradius",
                                                             "tempfactor",
                                                             "topologyattr",
                                                             "type",
                                                             "type_index",
                                                             "ureybradleys",
                                                             "x",
                                                             "y",
                                                             "z"});

template <std::size_t N>
bool sorted_contains(const std::array<std::string_view, N>& list, std::string_view s) {
    return std::binary_search(list.begin(), list.end(), s);
}

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& list, std::string_view s) {
    return std::find(list.begin(), list.end(), s) != list.end();
}

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}
bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
bool is_word(char c) {
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

// Shell-style match with Python's fnmatch.fnmatchcase rules: * ? [seq] [!seq] and ranges a-z;
// a '[' without a closing ']' is literal.
bool glob_match(std::string_view pattern, std::string_view text) {
    // Matches one bracket expression starting at pattern[p] == '['; returns the position after
    // it, or npos when the bracket is unterminated (then '[' is literal).
    auto bracket_end = [&](std::size_t p) -> std::size_t {
        std::size_t j = p + 1;
        if (j < pattern.size() && pattern[j] == '!') ++j;
        if (j < pattern.size() && pattern[j] == ']') ++j;
        while (j < pattern.size() && pattern[j] != ']') ++j;
        return j < pattern.size() ? j + 1 : std::string_view::npos;
    };
    auto bracket_matches = [&](std::size_t p, std::size_t end, char c) {
        std::size_t j = p + 1;
        bool negate = false;
        if (pattern[j] == '!') {
            negate = true;
            ++j;
        }
        const std::size_t last = end - 1;  // the closing ']'
        bool hit = false;
        while (j < last) {
            const char lo = pattern[j];
            if (j + 2 < last && pattern[j + 1] == '-') {  // a range a-z
                if (lo <= c && c <= pattern[j + 2]) hit = true;
                j += 3;
            } else {
                if (lo == c) hit = true;
                ++j;
            }
        }
        return hit != negate;
    };
    // Iterative matcher with single-star backtracking.
    std::size_t p = 0, t = 0;
    std::size_t star_p = std::string_view::npos, star_t = 0;
    while (t < text.size()) {
        if (p < pattern.size()) {
            const char pc = pattern[p];
            if (pc == '*') {
                star_p = p++;
                star_t = t;
                continue;
            }
            if (pc == '?') {
                ++p;
                ++t;
                continue;
            }
            if (pc == '[') {
                const std::size_t end = bracket_end(p);
                if (end != std::string_view::npos) {
                    if (bracket_matches(p, end, text[t])) {
                        p = end;
                        ++t;
                        continue;
                    }
                } else if (text[t] == '[') {
                    ++p;
                    ++t;
                    continue;
                }
            } else if (pc == text[t]) {
                ++p;
                ++t;
                continue;
            }
        }
        if (star_p == std::string_view::npos) return false;
        p = star_p + 1;
        t = ++star_t;
    }
    while (p < pattern.size() && pattern[p] == '*') ++p;
    return p == pattern.size();
}

struct Token {
    std::string text;
    int column = 0;  // 1-based column of the first character
};

// Whitespace separates tokens; parentheses are tokens of their own (MDAnalysis pads them with
// spaces before splitting).
std::vector<Token> tokenize(std::string_view s) {
    std::vector<Token> out;
    std::size_t i = 0;
    while (i < s.size()) {
        if (is_space(s[i])) {
            ++i;
            continue;
        }
        if (s[i] == '(' || s[i] == ')') {
            out.push_back({std::string(1, s[i]), static_cast<int>(i) + 1});
            ++i;
            continue;
        }
        const std::size_t start = i;
        while (i < s.size() && !is_space(s[i]) && s[i] != '(' && s[i] != ')') ++i;
        out.push_back({std::string(s.substr(start, i - start)), static_cast<int>(start) + 1});
    }
    return out;
}

// One value of a numeric keyword, possibly joined from several tokens ("1 to 10", "1 :10"),
// with the column of every character for error messages.
struct Value {
    std::string text;
    std::vector<int> columns;

    void append(const Token& t) {
        if (!text.empty()) {
            text.push_back(' ');
            columns.push_back(t.column);
        }
        text += t.text;
        for (std::size_t i = 0; i < t.text.size(); ++i)
            columns.push_back(t.column + static_cast<int>(i));
    }
};

struct Range {
    double low = 0.0;
    std::optional<double> high;  // absent: a single value
};

class Parser {
public:
    Parser(const Topology& top, std::string_view expression)
        : top_(top), expression_(expression), tokens_(tokenize(expression)) {}

    std::vector<int> run() {
        if (tokens_.empty()) fail("the selection is empty");
        const Mask result = parse_expression(0);
        if (pos_ < tokens_.size()) unexpected(tokens_[pos_]);
        std::vector<int> out;
        for (std::size_t i = 0; i < result.size(); ++i)
            if (result[i]) out.push_back(static_cast<int>(i));
        return out;
    }

private:
    using Mask = std::vector<char>;

    const Topology& top_;
    std::string_view expression_;
    std::vector<Token> tokens_;
    std::size_t pos_ = 0;

    // ---- errors -------------------------------------------------------------------------

    template <typename... Args>
    [[noreturn]] void fail(fmt::format_string<Args...> f, Args&&... args) const {
        throw UsageError(fmt::format("selection '{}': {}", expression_,
                                     fmt::format(f, std::forward<Args>(args)...)));
    }
    [[noreturn]] void unexpected(const Token& t) const {
        fail("unexpected token '{}' at column {}", t.text, t.column);
    }
    [[noreturn]] void unexpected_at(const Value& v, std::size_t k) const {
        if (k >= v.text.size())
            fail("incomplete value '{}' at column {}", v.text, v.columns.front());
        std::size_t e = k;
        while (e < v.text.size() && !is_space(v.text[e])) ++e;
        fail("unexpected token '{}' at column {}", v.text.substr(k, e - k), v.columns[k]);
    }
    [[noreturn]] void unexpected_end(const Token& after) const {
        fail("unexpected end of selection after '{}' at column {}", after.text, after.column);
    }

    // ---- token stream -------------------------------------------------------------------

    [[nodiscard]] const Token* peek() const {
        return pos_ < tokens_.size() ? &tokens_[pos_] : nullptr;
    }
    // Takes the next token whatever it is (MDAnalysis' popleft); `after` names the token whose
    // argument is missing when the selection ends.
    const Token& take(const Token& after) {
        if (pos_ >= tokens_.size()) unexpected_end(after);
        return tokens_[pos_++];
    }
    static bool is_keyword(std::string_view s) { return contains(kKeywords, s) || s == ")"; }

    // The non-keyword tokens after `key` (MDAnalysis' grab_not_keywords); at least one.
    std::vector<Token> take_values(const Token& key) {
        std::vector<Token> out;
        while (pos_ < tokens_.size() && !is_keyword(tokens_[pos_].text))
            out.push_back(tokens_[pos_++]);
        if (out.empty()) {
            if (pos_ >= tokens_.size()) unexpected_end(key);
            unexpected(tokens_[pos_]);
        }
        return out;
    }

    // MDAnalysis' join_separated_values: "1 to 10", "1 - 10", "1: 10", "1 :10" form one value.
    std::vector<Value> join_values(const std::vector<Token>& tokens) const {
        std::vector<Value> out;
        auto ends_with_delimiter = [](const std::string& s) {
            return s.ends_with("to") || s.ends_with(":") || s.ends_with("-");
        };
        for (std::size_t i = 0; i < tokens.size(); ++i) {
            const Token& t = tokens[i];
            if (t.text == "to" || t.text == ":" || t.text == "-") {
                if (out.empty()) unexpected(t);
                if (i + 1 >= tokens.size()) unexpected(t);
                out.back().append(t);
                out.back().append(tokens[++i]);
            } else if (!out.empty() &&
                       (t.text.starts_with("--") || t.text.starts_with("to") ||
                        t.text.front() == ':' || ends_with_delimiter(out.back().text))) {
                out.back().append(t);
            } else {
                out.emplace_back();
                out.back().append(t);
            }
        }
        return out;
    }

    // ---- number parsing (the regular expressions of MDAnalysis, but anchored at both ends) --

    // `-?\d+` at v.text[k]; advances k. Empty optional if no digits.
    std::optional<long long> scan_int(const Value& v, std::size_t& k, bool allow_plus) const {
        const std::string& s = v.text;
        std::size_t j = k;
        if (j < s.size() && (s[j] == '-' || (allow_plus && s[j] == '+'))) ++j;
        const std::size_t digits = j;
        while (j < s.size() && is_digit(s[j])) ++j;
        if (j == digits) return std::nullopt;
        long long x = 0;
        const std::size_t from = s[k] == '+' ? k + 1 : k;
        const auto r = std::from_chars(s.data() + from, s.data() + j, x);
        if (r.ec != std::errc())
            fail("number '{}' at column {} is out of range", s.substr(k, j - k), v.columns[k]);
        k = j;
        return x;
    }

    // FLOAT_PATTERN of MDAnalysis: -?\d*\.?\d*(?:e[-+]?\d+)? ; advances k.
    std::optional<double> scan_float(const Value& v, std::size_t& k) const {
        const std::string& s = v.text;
        std::size_t j = k;
        if (j < s.size() && s[j] == '-') ++j;
        std::size_t n_digits = 0;
        while (j < s.size() && is_digit(s[j])) ++j, ++n_digits;
        if (j < s.size() && s[j] == '.') ++j;
        while (j < s.size() && is_digit(s[j])) ++j, ++n_digits;
        if (n_digits == 0) return std::nullopt;
        if (j < s.size() && s[j] == 'e') {
            std::size_t e = j + 1;
            if (e < s.size() && (s[e] == '-' || s[e] == '+')) ++e;
            const std::size_t exp_digits = e;
            while (e < s.size() && is_digit(s[e])) ++e;
            if (e > exp_digits) j = e;
        }
        double x = 0.0;
        const auto r = std::from_chars(s.data() + k, s.data() + j, x);
        if (r.ec != std::errc() || r.ptr != s.data() + j) return std::nullopt;
        k = j;
        return x;
    }

    // Whitespace, then ':' or '-', or " to " (whitespace before and after).
    bool scan_separator(const Value& v, std::size_t& k) const {
        const std::string& s = v.text;
        std::size_t j = k;
        while (j < s.size() && is_space(s[j])) ++j;
        const bool spaced = j > k;
        if (j < s.size() && (s[j] == ':' || s[j] == '-')) {
            ++j;
        } else if (spaced && s.compare(j, 2, "to") == 0 && j + 2 < s.size() && is_space(s[j + 2])) {
            j += 2;
        } else {
            return false;
        }
        while (j < s.size() && is_space(s[j])) ++j;
        k = j;
        return true;
    }

    // A whole single value as Python's int() or float() would read it.
    static bool parse_whole_int(const std::string& s, long long& x) {
        const std::size_t from = !s.empty() && s[0] == '+' ? 1 : 0;
        if (from == 1 && s.size() > 1 && s[1] == '-') return false;
        const auto r = std::from_chars(s.data() + from, s.data() + s.size(), x);
        return r.ec == std::errc() && r.ptr == s.data() + s.size() && s.size() > from;
    }
    static bool parse_whole_float(const std::string& s, double& x) {
        const std::size_t from = !s.empty() && s[0] == '+' ? 1 : 0;
        if (from == 1 && s.size() > 1 && s[1] == '-') return false;
        const auto r = std::from_chars(s.data() + from, s.data() + s.size(), x);
        return r.ec == std::errc() && r.ptr == s.data() + s.size() && s.size() > from;
    }

    std::vector<Range> int_ranges(const Token& key) {
        std::vector<Range> out;
        for (const Value& v : join_values(take_values(key))) {
            long long single = 0;
            if (parse_whole_int(v.text, single)) {
                out.push_back({static_cast<double>(single), std::nullopt});
                continue;
            }
            std::size_t k = 0;
            const auto low = scan_int(v, k, false);
            if (!low) unexpected_at(v, k);
            if (!scan_separator(v, k)) unexpected_at(v, k);
            const auto high = scan_int(v, k, false);
            if (!high) unexpected_at(v, k);
            if (k != v.text.size()) unexpected_at(v, k);
            out.push_back({static_cast<double>(*low), static_cast<double>(*high)});
        }
        return out;
    }

    std::vector<Range> float_ranges(const Token& key) {
        std::vector<Range> out;
        for (const Value& v : join_values(take_values(key))) {
            double single = 0.0;
            if (parse_whole_float(v.text, single)) {
                out.push_back({single, std::nullopt});
                continue;
            }
            std::size_t k = 0;
            const auto low = scan_float(v, k);
            if (!low) unexpected_at(v, k);
            if (!scan_separator(v, k)) unexpected_at(v, k);
            const auto high = scan_float(v, k);
            if (!high) unexpected_at(v, k);
            if (k != v.text.size()) unexpected_at(v, k);
            out.push_back({*low, *high});
        }
        return out;
    }

    // resid values: like int_ranges, but a letter right after a number is an insertion code,
    // which MDAnalysis rejects for topologies without icodes (ours have none).
    std::vector<Range> resid_ranges(const Token& key) {
        std::vector<Range> out;
        for (const Value& v : join_values(take_values(key))) {
            std::size_t k = 0;
            auto number = [&]() {
                const std::size_t at = k;
                const auto x = scan_int(v, k, false);
                if (!x) unexpected_at(v, k);
                if (k < v.text.size() && is_word(v.text[k]))
                    fail("resid '{}' at column {} has an insertion code, but the topology has none",
                         v.text, v.columns[at]);
                return static_cast<double>(*x);
            };
            const double low = number();
            if (k == v.text.size()) {
                out.push_back({low, std::nullopt});
                continue;
            }
            if (!scan_separator(v, k)) unexpected_at(v, k);
            const double high = number();
            if (k != v.text.size()) unexpected_at(v, k);
            out.push_back({low, high});
        }
        return out;
    }

    // ---- evaluation helpers -------------------------------------------------------------

    [[nodiscard]] std::size_t n_atoms() const { return top_.atoms.size(); }
    [[nodiscard]] Mask empty_mask() const { return Mask(n_atoms(), 0); }
    [[nodiscard]] const Residue& residue_of(std::size_t atom) const {
        return top_.residues[static_cast<std::size_t>(top_.atoms[atom].residue)];
    }

    template <typename Pred>
    Mask atoms_where(Pred pred) const {
        Mask m(n_atoms(), 0);
        for (std::size_t i = 0; i < n_atoms(); ++i) m[i] = pred(i) ? 1 : 0;
        return m;
    }
    template <typename Pred>
    Mask residues_where(Pred pred) const {
        Mask m(n_atoms(), 0);
        for (const Residue& r : top_.residues)
            if (pred(r))
                for (int a : r.atoms) m[static_cast<std::size_t>(a)] = 1;
        return m;
    }

    static bool any_pattern(const std::vector<Token>& patterns, std::string_view s) {
        return std::any_of(patterns.begin(), patterns.end(),
                           [&](const Token& p) { return glob_match(p.text, s); });
    }

    // Single values compare as MDAnalysis does: integers exactly, floats with np.isclose.
    static bool in_ranges(const std::vector<Range>& ranges, double x, bool is_float) {
        for (const Range& r : ranges) {
            if (r.high) {
                if (x >= r.low && x <= *r.high) return true;
            } else if (is_float) {
                if (std::abs(x - r.low) <= 1e-8 + 1e-5 * std::abs(r.low)) return true;
            } else if (x == r.low) {
                return true;
            }
        }
        return false;
    }

    // Numeric attributes usable by `prop`; nullopt for names we do not hold.
    static std::optional<std::function<double(const Parser&, std::size_t)>> numeric_attribute(
        std::string_view name) {
        using F = std::function<double(const Parser&, std::size_t)>;
        if (name == "mass")
            return F([](const Parser& p, std::size_t i) { return p.top_.atoms[i].mass; });
        if (name == "charge")
            return F([](const Parser& p, std::size_t i) { return p.top_.atoms[i].charge; });
        if (name == "index")
            return F([](const Parser&, std::size_t i) { return static_cast<double>(i); });
        if (name == "resindex")
            return F([](const Parser& p, std::size_t i) {
                return static_cast<double>(p.top_.atoms[i].residue);
            });
        if (name == "resid")
            return F([](const Parser& p, std::size_t i) {
                return static_cast<double>(p.residue_of(i).resid);
            });
        if (name == "resnum")
            return F([](const Parser& p, std::size_t i) {
                return static_cast<double>(p.residue_of(i).resnum);
            });
        return std::nullopt;
    }

    // ---- grammar (MDAnalysis' precedence climbing: and = or = 3, not = 5, byres etc. = 1) --

    static int binary_precedence(std::string_view op) {
        return (op == "and" || op == "or") ? 3 : -1;
    }

    Mask parse_expression(int min_precedence) {
        Mask left = parse_term();
        while (const Token* t = peek()) {
            const int p = binary_precedence(t->text);
            if (p < 0 || p < min_precedence) break;
            const std::string op = t->text;
            ++pos_;
            const Mask right = parse_expression(p + 1);
            for (std::size_t i = 0; i < left.size(); ++i)
                left[i] = op == "and" ? (left[i] && right[i]) : (left[i] || right[i]);
        }
        return left;
    }

    Mask parse_term() {
        if (pos_ >= tokens_.size()) {
            if (pos_ == 0) fail("the selection is empty");
            unexpected_end(tokens_[pos_ - 1]);
        }
        const Token& key = tokens_[pos_++];
        const std::string& k = key.text;

        if (k == "(") {
            Mask inner = parse_expression(0);
            if (pos_ >= tokens_.size()) fail("missing ')' for '(' at column {}", key.column);
            if (tokens_[pos_].text != ")") unexpected(tokens_[pos_]);
            ++pos_;
            return inner;
        }
        if (k == "all") return Mask(n_atoms(), 1);
        if (k == "none") return empty_mask();
        if (k == "not") {
            Mask m = parse_expression(5);
            for (char& c : m) c = c ? 0 : 1;
            return m;
        }
        if (k == "global") return parse_expression(5);  // we always select from the whole system
        if (k == "protein")
            return residues_where(
                [](const Residue& r) { return sorted_contains(kProteinResidues, r.name); });
        if (k == "nucleic")
            return residues_where(
                [](const Residue& r) { return sorted_contains(kNucleicResidues, r.name); });
        if (k == "water")
            return residues_where(
                [](const Residue& r) { return sorted_contains(kWaterResidues, r.name); });
        if (k == "backbone") return named_atoms_in(kProteinResidues, kBackboneNames);
        if (k == "nucleicbackbone") return named_atoms_in(kNucleicResidues, kNucleicBackboneNames);
        if (k == "nucleicbase") return named_atoms_in(kNucleicResidues, kNucleicBaseNames);
        if (k == "nucleicsugar") return named_atoms_in(kNucleicResidues, kNucleicSugarNames);

        if (k == "name" || k == "type" || k == "element") {
            const std::vector<Token> patterns = take_values(key);
            if (k == "name")
                return atoms_where(
                    [&](std::size_t i) { return any_pattern(patterns, top_.atoms[i].name); });
            if (k == "type")
                return atoms_where(
                    [&](std::size_t i) { return any_pattern(patterns, top_.atoms[i].type); });
            return atoms_where(
                [&](std::size_t i) { return any_pattern(patterns, top_.atoms[i].element); });
        }
        if (k == "resname" || k == "segid") {
            const std::vector<Token> patterns = take_values(key);
            if (k == "resname")
                return residues_where(
                    [&](const Residue& r) { return any_pattern(patterns, r.name); });
            return residues_where([&](const Residue& r) { return any_pattern(patterns, r.segid); });
        }
        if (k == "resid") {
            const auto ranges = resid_ranges(key);
            return residues_where(
                [&](const Residue& r) { return in_ranges(ranges, r.resid, false); });
        }
        if (k == "resnum") {
            const auto ranges = int_ranges(key);
            return residues_where(
                [&](const Residue& r) { return in_ranges(ranges, r.resnum, false); });
        }
        if (k == "resindex") {
            const auto ranges = int_ranges(key);
            return atoms_where(
                [&](std::size_t i) { return in_ranges(ranges, top_.atoms[i].residue, false); });
        }
        if (k == "index" || k == "bynum") {
            const auto ranges = int_ranges(key);
            const double offset = k == "bynum" ? 1.0 : 0.0;  // bynum counts from 1
            return atoms_where([&](std::size_t i) {
                return in_ranges(ranges, static_cast<double>(i) + offset, false);
            });
        }
        if (k == "mass" || k == "charge") {
            const auto ranges = float_ranges(key);
            if (k == "mass")
                return atoms_where(
                    [&](std::size_t i) { return in_ranges(ranges, top_.atoms[i].mass, true); });
            return atoms_where(
                [&](std::size_t i) { return in_ranges(ranges, top_.atoms[i].charge, true); });
        }
        if (k == "prop") return parse_prop(key);
        if (k == "atom") return parse_atom(key);
        if (k == "byres") {
            const Mask inner = parse_expression(1);
            std::vector<char> hit(top_.residues.size(), 0);
            for (std::size_t i = 0; i < n_atoms(); ++i)
                if (inner[i]) hit[static_cast<std::size_t>(top_.atoms[i].residue)] = 1;
            return atoms_where([&](std::size_t i) {
                return hit[static_cast<std::size_t>(top_.atoms[i].residue)] != 0;
            });
        }
        if (k == "bonded") {
            // Atoms bonded to any selected atom (selected atoms only if bonded to another one).
            const Mask inner = parse_expression(1);
            Mask out = empty_mask();
            for (const auto& b : top_.bonds) {
                const auto i = static_cast<std::size_t>(b[0]), j = static_cast<std::size_t>(b[1]);
                if (inner[i]) out[j] = 1;
                if (inner[j]) out[i] = 1;
            }
            return out;
        }
        if (k == "same") return parse_same(key);

        if (k == "around" || k == "point" || k == "sphzone" || k == "sphlayer" || k == "isolayer" ||
            k == "cyzone" || k == "cylayer")
            fail("keyword '{}' at column {} is not supported (it needs coordinates)", k,
                 key.column);
        if (k == "id")
            fail(
                "keyword 'id' at column {} is not supported (use 'index' for 0-based or 'bynum' "
                "for 1-based atom numbers)",
                key.column);
        if (k == "group" || k == "smarts" || k == "aromatic")
            fail("keyword '{}' at column {} is not supported", k, key.column);
        if (is_keyword(k) && k != "and" && k != "or" && k != ")")
            fail("keyword '{}' at column {} is not supported (the topology has no such attribute)",
                 k, key.column);
        unexpected(key);
    }

    template <std::size_t R, std::size_t A>
    Mask named_atoms_in(const std::array<std::string_view, R>& residues,
                        const std::array<std::string_view, A>& names) const {
        return atoms_where([&](std::size_t i) {
            return sorted_contains(names, top_.atoms[i].name) &&
                   sorted_contains(residues, residue_of(i).name);
        });
    }

    // prop [abs] <attr> <op> <value>, with MDAnalysis' tolerance of missing spaces
    // ("mass>1.1", "mass >1.1", "mass> 1.1") and of a flipped order ("1.1 < mass").
    Mask parse_prop(const Token& key) {
        static constexpr auto kOps =
            std::to_array<std::string_view>({"<=", ">=", "==", "!=", "<", ">"});
        // Python's str.split(sep) into exactly two parts, else nullopt.
        auto split2 =
            [](const std::string& s,
               std::string_view sep) -> std::optional<std::pair<std::string, std::string>> {
            const std::size_t at = s.find(sep);
            if (at == std::string::npos) return std::nullopt;
            if (s.find(sep, at + sep.size()) != std::string::npos) return std::nullopt;
            return std::pair{s.substr(0, at), s.substr(at + sep.size())};
        };
        Token prop = take(key);
        bool absolute = false;
        if (prop.text == "abs") {
            absolute = true;
            prop = take(prop);
        }
        Token oper;
        bool have_oper = false;
        for (std::string_view sym : kOps)
            if (auto parts = split2(prop.text, sym)) {
                oper = {std::string(sym) + parts->second,
                        prop.column + static_cast<int>(parts->first.size())};
                prop.text = parts->first;
                have_oper = true;
                break;
            }
        if (!have_oper) oper = take(prop);
        Token value;
        bool have_value = false;
        for (std::string_view sym : kOps)
            if (oper.text.find(sym) != std::string::npos) {
                const auto parts = split2(oper.text, sym);
                if (!parts) unexpected(oper);
                if (!parts->second.empty()) {
                    value = {parts->second,
                             oper.column + static_cast<int>(parts->first.size() + sym.size())};
                    oper.text = std::string(sym);
                    have_value = true;
                }
                break;
            }
        if (!have_value) value = take(oper);
        if (contains(kPropNames, value.text)) {
            // MDAnalysis flips "1.1 < mass" into "mass >= 1.1" (its table maps < to >=, > to <=;
            // copied as is: it only differs at equality).
            std::swap(prop, value);
            if (oper.text == "<")
                oper.text = ">=";
            else if (oper.text == ">=")
                oper.text = "<";
            else if (oper.text == ">")
                oper.text = "<=";
            else if (oper.text == "<=")
                oper.text = ">";
            else if (oper.text != "==" && oper.text != "!=")
                unexpected(oper);
        }
        if (std::find(kOps.begin(), kOps.end(), oper.text) == kOps.end())
            fail("invalid operator '{}' at column {} (use one of < <= > >= == !=)", oper.text,
                 oper.column);
        double x = 0.0;
        if (!parse_whole_float(value.text, x)) unexpected(value);
        if (prop.text == "x" || prop.text == "y" || prop.text == "z")
            fail("'prop {}' at column {} is not supported (it needs coordinates)", prop.text,
                 prop.column);
        const auto attribute = numeric_attribute(prop.text);
        if (!attribute) {
            if (contains(kPropNames, prop.text))
                fail(
                    "'prop {}' at column {} is not supported (use mass, charge, index, resindex, "
                    "resid or resnum)",
                    prop.text, prop.column);
            unexpected(prop);
        }
        const std::string op = oper.text;
        return atoms_where([&](std::size_t i) {
            double v = (*attribute)(*this, i);
            if (absolute) v = std::abs(v);
            if (op == "<") return v < x;
            if (op == "<=") return v <= x;
            if (op == ">") return v > x;
            if (op == ">=") return v >= x;
            if (op == "==") return std::abs(v - x) <= 1e-8 + 1e-5 * std::abs(x);  // np.isclose
            return v != x;
        });
    }

    // atom <segid> <resid> <name>: exact matches, no wildcards.
    Mask parse_atom(const Token& key) {
        const Token segid = take(key);
        const Token resid = take(segid);
        const Token name = take(resid);
        long long number = 0;
        if (!parse_whole_int(resid.text, number)) unexpected(resid);
        return atoms_where([&](std::size_t i) {
            const Residue& r = residue_of(i);
            return top_.atoms[i].name == name.text && r.resid == number && r.segid == segid.text;
        });
    }

    // same <property> as <selection>: every atom sharing the property value with a selected one.
    Mask parse_same(const Token& key) {
        static constexpr auto kSameProps = std::to_array<std::string_view>(
            {"fragment", "x", "y", "z", "residue", "segment", "name", "type", "resname", "resid",
             "segid", "mass", "charge", "radius", "bfactor"});
        const Token prop = take(key);
        if (!contains(kSameProps, prop.text) && prop.text != "resnum")
            fail("unknown property '{}' for 'same' at column {}", prop.text, prop.column);
        const Token as = take(prop);
        if (as.text != "as") unexpected(as);
        const Mask inner = parse_expression(1);
        const std::string& p = prop.text;
        if (p == "x" || p == "y" || p == "z" || p == "radius" || p == "bfactor")
            fail("'same {}' at column {} is not supported", p, prop.column);

        if (p == "fragment") {
            Mask out = empty_mask();
            for (const auto& frag : fragments(top_))
                if (std::any_of(frag.begin(), frag.end(),
                                [&](int a) { return inner[static_cast<std::size_t>(a)] != 0; }))
                    for (int a : frag) out[static_cast<std::size_t>(a)] = 1;
            return out;
        }
        // Group by a key; any key shared with a selected atom selects the atom.
        auto same_by = [&](auto key_of) {
            using K = decltype(key_of(std::size_t{0}));
            std::vector<K> keys;
            for (std::size_t i = 0; i < n_atoms(); ++i)
                if (inner[i]) keys.push_back(key_of(i));
            std::sort(keys.begin(), keys.end());
            return atoms_where([&](std::size_t i) {
                return std::binary_search(keys.begin(), keys.end(), key_of(i));
            });
        };
        if (p == "residue") return same_by([&](std::size_t i) { return top_.atoms[i].residue; });
        if (p == "segment" || p == "segid")
            return same_by([&](std::size_t i) { return residue_of(i).segid; });
        if (p == "name") return same_by([&](std::size_t i) { return top_.atoms[i].name; });
        if (p == "type") return same_by([&](std::size_t i) { return top_.atoms[i].type; });
        if (p == "resname") return same_by([&](std::size_t i) { return residue_of(i).name; });
        if (p == "resid") return same_by([&](std::size_t i) { return residue_of(i).resid; });
        if (p == "resnum") return same_by([&](std::size_t i) { return residue_of(i).resnum; });
        if (p == "mass") return same_by([&](std::size_t i) { return top_.atoms[i].mass; });
        return same_by([&](std::size_t i) { return top_.atoms[i].charge; });
    }
};

}  // namespace

std::vector<int> select_atoms(const Topology& top, std::string_view expression) {
    return Parser(top, expression).run();
}

}  // namespace mcc
