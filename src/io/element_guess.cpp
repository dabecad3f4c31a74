#include "io/element_guess.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>
#include <unordered_map>

namespace mcc {

namespace {

std::string upper(std::string s) {
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

// MDAnalysis topology/tables.py: masses (keys are case-sensitive there).
const std::unordered_map<std::string, double>& mass_table() {
    static const std::unordered_map<std::string, double> table{
        {"Ac", 227.028}, {"Al", 26.981539}, {"Am", 243.0}, {"Sb", 121.757}, {"Ar", 39.948}, {"As", 74.92159},
        {"At", 210.0}, {"Ba", 137.327}, {"Bk", 247.0}, {"Be", 9.012182}, {"Bi", 208.98037}, {"Bh", 262.0},
        {"B", 10.811}, {"BR", 79.904}, {"Cd", 112.411}, {"CA", 40.08}, {"Cf", 251.0}, {"C", 12.011},
        {"Ce", 140.116}, {"CS", 132.9}, {"CL", 35.45}, {"Cr", 51.9961}, {"Co", 58.9332}, {"CU", 63.546},
        {"Cm", 247.0}, {"Db", 262.0}, {"Dy", 162.5}, {"Es", 252.0}, {"Er", 167.26}, {"Eu", 151.965},
        {"Fm", 257.0}, {"F", 18.998}, {"Fr", 223.0}, {"Gd", 157.25}, {"Ga", 69.723}, {"Ge", 72.61},
        {"Au", 196.96654}, {"Hf", 178.49}, {"Hs", 265.0}, {"HE", 4.0026}, {"Ho", 164.93032}, {"H", 1.008},
        {"In", 114.82}, {"I", 126.9045}, {"Ir", 192.22}, {"FE", 55.847}, {"Kr", 83.8}, {"La", 138.9055},
        {"Lr", 262.0}, {"Pb", 207.2}, {"Li", 6.941}, {"Lu", 174.967}, {"MG", 24.305}, {"Mn", 54.93805},
        {"Mt", 266.0}, {"Md", 258.0}, {"Hg", 200.59}, {"Mo", 95.94}, {"N", 14.007}, {"NA", 22.98977},
        {"Nd", 144.24}, {"NE", 20.1797}, {"Np", 237.048}, {"Ni", 58.6934}, {"Nb", 92.90638}, {"No", 259.0},
        {"Os", 190.2}, {"O", 15.999}, {"Pd", 106.42}, {"P", 30.974}, {"Pt", 195.08}, {"Pu", 244.0},
        {"Po", 209.0}, {"K", 39.102}, {"Pr", 140.90765}, {"Pm", 145.0}, {"Pa", 231.0359}, {"Ra", 226.025},
        {"Rn", 222.0}, {"Re", 186.207}, {"Rh", 102.9055}, {"RB", 85.4678}, {"Ru", 101.07}, {"Rf", 261.0},
        {"Sm", 150.36}, {"Sc", 44.95591}, {"Sg", 263.0}, {"Se", 78.96}, {"Si", 28.0855}, {"Ag", 107.8682},
        {"Na", 22.989768}, {"Sr", 87.62}, {"S", 32.06}, {"Ta", 180.9479}, {"Tc", 98.0}, {"Te", 127.6},
        {"Tb", 158.92534}, {"Tl", 204.3833}, {"Th", 232.0381}, {"Tm", 168.93421}, {"Sn", 118.71}, {"Ti", 47.88},
        {"W", 183.85}, {"U", 238.0289}, {"V", 50.9415}, {"Xe", 131.29}, {"Yb", 173.04}, {"Y", 88.90585},
        {"ZN", 65.37}, {"Zr", 91.224}, {"DUMMY", 0.0}};
    return table;
}

// MDAnalysis tables.atomelements: names whose element the first letters would get wrong.
const std::unordered_map<std::string, std::string>& alias_table() {
    static const std::unordered_map<std::string, std::string> table{
        {"BR", "BR"}, {"CAL", "CA"}, {"C0", "CA"}, {"CA2+", "CA"}, {"CES", "CS"}, {"CLA", "CL"}, {"CLAL", "CL"}, {"CL", "CL"},
        {"CL-", "CL"}, {"IOD", "I"}, {"FE", "FE"}, {"FE2", "FE"}, {"LIT", "LI"}, {"LI", "LI"}, {"LI+", "LI"}, {"QL", "LI"},
        {"MG", "MG"}, {"MG2+", "MG"}, {"K", "K"}, {"POT", "K"}, {"K+", "K"}, {"QK", "K"}, {"SOD", "NA"}, {"NA", "NA"},
        {"NA+", "NA"}, {"QN", "NA"}, {"ZN", "ZN"}, {"CU", "CU"}, {"CS", "CS"}, {"CS+", "CS"}, {"QC", "CE"}, {"RB", "RB"},
        {"QR", "RB"}, {"BC", "C"}, {"AC", "C"}, {"MW", "DUMMY"}};
    return table;
}

// MDAnalysis tables.elements: the elements the name-trimming heuristic may return.
bool is_heuristic_element(const std::string& s) {
    static constexpr std::array<std::string_view, 16> kElements{"H", "LI", "BE", "B", "C", "N", "O", "F",
                                                                 "NA", "MG", "AL", "SI", "P", "S", "CL", "K"};
    return std::find(kElements.begin(), kElements.end(), s) != kElements.end();
}

constexpr std::string_view kSymbols =
    "H He Li Be B C N O F Ne Na Mg Al Si P S Cl Ar K Ca Sc Ti V Cr Mn Fe Co Ni Cu Zn "
    "Ga Ge As Se Br Kr Rb Sr Y Zr Nb Mo Tc Ru Rh Pd Ag Cd In Sn Sb Te I Xe Cs Ba La Ce Pr Nd "
    "Pm Sm Eu Gd Tb Dy Ho Er Tm Yb Lu Hf Ta W Re Os Ir Pt Au Hg Tl Pb Bi Po At Rn Fr Ra Ac Th "
    "Pa U Np Pu Am Cm Bk Cf Es Fm Md No Lr Rf Db Sg Bh Hs Mt Ds Rg Cn Nh Fl Mc Lv Ts Og";

}  // namespace

std::string guess_atom_type(const std::string& name) {
    if (name.empty()) return {};
    const auto& aliases = alias_table();
    if (auto it = aliases.find(upper(name)); it != aliases.end()) return it->second;
    std::string no_symbols;
    for (char c : name)
        if (c != '*' && c != '+' && c != '-') no_symbols += c;
    std::string trimmed;
    for (char c : no_symbols)
        if (!std::isdigit(static_cast<unsigned char>(c))) trimmed += c;
    trimmed = upper(trimmed);
    if (auto it = aliases.find(trimmed); it != aliases.end()) return it->second;
    while (!trimmed.empty()) {
        if (is_heuristic_element(trimmed)) return trimmed;
        if (is_heuristic_element(trimmed.substr(0, trimmed.size() - 1))) return trimmed.substr(0, trimmed.size() - 1);
        if (is_heuristic_element(trimmed.substr(1))) return trimmed.substr(1);
        if (trimmed.size() <= 2) return trimmed.substr(0, 1);
        trimmed.pop_back();  // the element is more likely on the left
    }
    return no_symbols;  // only digits/symbols: MDAnalysis returns the name without symbols
}

double guess_mass_from_type(const std::string& type) {
    const auto& table = mass_table();
    if (auto it = table.find(type); it != table.end()) return it->second;
    if (auto it = table.find(upper(type)); it != table.end()) return it->second;
    return 0.0;
}

std::string element_symbol(const std::string& s) {
    if (s.empty() || s.size() > 2) return {};
    std::string canon = upper(s.substr(0, 1));
    if (s.size() == 2) canon += static_cast<char>(std::tolower(static_cast<unsigned char>(s[1])));
    return atomic_number_of(canon) > 0 ? canon : std::string();
}

int atomic_number_of(const std::string& symbol) {
    std::size_t pos = 0;
    int z = 1;
    while (pos < kSymbols.size()) {
        std::size_t end = kSymbols.find(' ', pos);
        if (end == std::string_view::npos) end = kSymbols.size();
        if (kSymbols.substr(pos, end - pos) == symbol) return z;
        pos = end + 1;
        ++z;
    }
    return 0;
}

}  // namespace mcc
