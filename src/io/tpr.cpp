// GROMACS run-input (.tpr) topology reader.
//
// Reads the file header, skips the box and temperature-coupling state, then the topology
// (symbol table, force-field parameters, molecule types, molecule blocks) and expands the
// molecule blocks into atoms, residues, bonds and proper dihedrals with the semantics of
// MDAnalysis' TPRParser (which CodeEntropy uses):
//  - resid = running residue index over all molecule copies + 1 (the residue numbers stored
//    in the file are not used), resnum = resid, segid "seg_<block>_<molecule type>";
//  - bonds from the bond-like interactions, constraints and SETTLE (O-H1, O-H2);
//  - dihedrals from the proper-dihedral interactions (not the impropers);
//  - element from the atomic number (full periodic table, empty when unknown).
// Intermolecular interactions (tpx >= 103) are ignored, like MDAnalysis does.
// Layout reference: GROMACS src/gromacs/fileio/tpxio.cpp (do_tpxheader, do_mtop, ...).
#include <algorithm>
#include <array>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "io/formats.hpp"
#include "io/tpr_cursor.hpp"
#include "io/tpr_format.hpp"

namespace mcc {
namespace {

using tpr::Cursor;

constexpr std::array<const char*, 119> kElementSymbols{
    "",   "H",  "He", "Li", "Be", "B",  "C",  "N",  "O",  "F",  "Ne", "Na", "Mg", "Al", "Si",
    "P",  "S",  "Cl", "Ar", "K",  "Ca", "Sc", "Ti", "V",  "Cr", "Mn", "Fe", "Co", "Ni", "Cu",
    "Zn", "Ga", "Ge", "As", "Se", "Br", "Kr", "Rb", "Sr", "Y",  "Zr", "Nb", "Mo", "Tc", "Ru",
    "Rh", "Pd", "Ag", "Cd", "In", "Sn", "Sb", "Te", "I",  "Xe", "Cs", "Ba", "La", "Ce", "Pr",
    "Nd", "Pm", "Sm", "Eu", "Gd", "Tb", "Dy", "Ho", "Er", "Tm", "Yb", "Lu", "Hf", "Ta", "W",
    "Re", "Os", "Ir", "Pt", "Au", "Hg", "Tl", "Pb", "Bi", "Po", "At", "Rn", "Fr", "Ra", "Ac",
    "Th", "Pa", "U",  "Np", "Pu", "Am", "Cm", "Bk", "Cf", "Es", "Fm", "Md", "No", "Lr", "Rf",
    "Db", "Sg", "Bh", "Hs", "Mt", "Ds", "Rg", "Cn", "Nh", "Fl", "Mc", "Lv", "Ts", "Og"};

struct Header {
    int version = 0;
    int generation = 0;
    bool double_precision = false;
    std::int32_t natoms = 0;
    std::int32_t ngtc = 0;
    bool has_top = false, has_x = false, has_box = false;
    std::int64_t body_size = -1;  // only for version >= 119 files
};

struct MolAtom {
    double mass = 0.0, charge = 0.0;
    int resind = 0;
    int atomic_number = 0;
    std::string name, type;
};

struct MolType {
    std::string name;
    std::vector<MolAtom> atoms;
    std::vector<std::string> resnames;
    int distinct_residues = 0;  // residues that own atoms (MDAnalysis counts these)
    std::vector<std::array<int, 2>> bonds;
    std::vector<std::array<int, 4>> dihedrals;
};

struct MolBlock {
    int type = 0;
    std::int32_t count = 0;
};

Header read_header(Cursor& in) {
    Header h;
    const std::string version_string = in.str("version string");
    if (version_string.rfind("VERSION", 0) != 0)
        throw_data("{}: not a GROMACS run-input (.tpr) file (no 'VERSION' header)", in.source());
    const std::int32_t precision = in.i32("precision");
    if (precision != 4 && precision != 8)
        throw_data("{}: corrupt TPR header: real size {} (expected 4 or 8)", in.source(), precision);
    h.double_precision = precision == 8;
    in.set_double_precision(h.double_precision);
    h.version = in.i32("tpx version");
    if (h.version > tpr::kNewestVersion)
        throw_data("{}: tpx version {} ({}) is newer than the newest supported tpx version {}",
                   in.source(), h.version, version_string, tpr::kNewestVersion);
    if (h.version < tpr::kOldestVersion)
        throw_data("{}: tpx version {} ({}) is older than the oldest supported tpx version {}",
                   in.source(), h.version, version_string, tpr::kOldestVersion);
    h.generation = in.i32("tpx generation");
    if (h.generation < 26 || h.generation > tpr::kNewestGeneration)
        throw_data("{}: tpx generation {} is not supported (26..{})", in.source(), h.generation,
                   tpr::kNewestGeneration);
    (void)in.str("file tag");
    h.natoms = in.i32("number of atoms");
    h.ngtc = in.i32("number of T-coupling groups");
    if (h.natoms < 0 || h.ngtc < 0)
        throw_data("{}: corrupt TPR header: {} atoms, {} T-coupling groups", in.source(), h.natoms,
                   h.ngtc);
    (void)in.i32("fep state");
    (void)in.real("lambda");
    (void)in.i32("has inputrec");
    h.has_top = in.i32("has topology") != 0;
    h.has_x = in.i32("has coordinates") != 0;
    (void)in.i32("has velocities");
    (void)in.i32("has forces");
    h.has_box = in.i32("has box") != 0;
    if (h.version >= tpr::kVersionAddSizeField && h.generation >= tpr::kGenerationAddSizeField)
        h.body_size = in.i64("body size");
    return h;
}

const std::string& symbol(Cursor& in, const std::vector<std::string>& symtab, const char* what) {
    const std::int32_t i = in.i32(what);
    if (i < 0 || static_cast<std::size_t>(i) >= symtab.size())
        in.fail(fmt::format("{} refers to symbol {} of {}", what, i, symtab.size()));
    return symtab[static_cast<std::size_t>(i)];
}

// Skips the parameters of one interaction type (GROMACS do_iparams).
void skip_iparams(Cursor& in, int ftype, int version) {
    using namespace tpr;
    const char* what = "interaction parameters";
    auto reals = [&](std::size_t n) { in.skip_reals(n, what); };
    auto ints = [&](std::size_t n) { in.skip_ints(n, what); };
    const bool martini_b = version >= kVersionMartiniBStateParameters;
    switch (ftype) {
        case F_ANGLES: case F_G96ANGLES: case F_BONDS: case F_G96BONDS: case F_HARMONIC:
        case F_IDIHS: case F_LINEAR_ANGLES: case F_CROSS_BOND_ANGLES: case F_LJ14:
        case F_LJC_PAIRS_NB:
            reals(4); break;
        case F_RESTRANGLES: case F_RESTRDIHS: reals(martini_b ? 4 : 2); break;
        case F_FENEBONDS: case F_LJ: case F_CONSTR: case F_CONSTRNC: case F_SETTLE: reals(2); break;
        case F_RESTRBONDS: reals(8); break;
        case F_TABBONDS: case F_TABBONDSNC: case F_TABANGLES: case F_TABDIHS:
            reals(1); ints(1); reals(1); break;
        case F_CROSS_BOND_BONDS: case F_BHAM: case F_CUBICBONDS: case F_ANHARM_POL:
        case F_VSITE3OUT: case F_VSITE4FD: case F_VSITE4FDN:
            reals(3); break;
        case F_UREY_BRADLEY: reals(8); break;  // A and B state (version >= 79)
        case F_MORSE: reals(6); break;         // A and B state (version >= 79)
        case F_QUARTIC_ANGLES: reals(6); break;
        case F_CONNBONDS: case F_VSITE1: break;
        case F_POLARIZATION: case F_VSITE2: case F_VSITE2FD: reals(1); break;
        case F_WATER_POL: reals(6); break;
        case F_THOLE_POL: reals(version < kVersionRemoveTholeRfac ? 4 : 3); break;
        case F_LJC14_Q: reals(5); break;
        case F_PDIHS: case F_PIDIHS: case F_ANGRES: case F_ANGRESZ: reals(4); ints(1); break;
        case F_DISRES: ints(2); reals(4); break;
        case F_ORIRES: ints(3); reals(3); break;
        case F_DIHRES: reals(6); break;  // A and B state (version >= 82)
        case F_POSRES: reals(12); break;
        case F_FBPOSRES: ints(1); reals(5); break;
        case F_CBTDIHS: reals(martini_b ? 12 : 6); break;
        case F_RBDIHS: case F_FOURDIHS: reals(12); break;
        case F_VSITE3: case F_VSITE3FD: case F_VSITE3FAD: reals(2); break;
        case F_VSITEN: ints(1); reals(1); break;
        case F_GB12: case F_GB13: case F_GB14:
            if (version < kVersionRemoveImplicitSolvation) reals(5);
            break;
        case F_CMAP: ints(2); break;
        default: in.fail(fmt::format("parameters of interaction function type {} cannot be stored", ftype));
    }
}

// Reads the force-field parameters (GROMACS do_ffparams); returns the function type (current
// numbering) of every parameter set.
std::vector<int> read_ffparams(Cursor& in, int version) {
    (void)in.i32("number of atom types");
    const std::int32_t ntypes = in.count("number of interaction parameter sets", 4);
    std::vector<int> functypes(static_cast<std::size_t>(ntypes));
    for (auto& f : functypes) f = in.i32("interaction function type");
    (void)in.f64("repulsion power");  // always a double
    (void)in.real("fudgeQQ");
    for (auto& f : functypes) {
        if (f < 0 || f >= tpr::F_NRE) in.fail(fmt::format("interaction function type {} is unknown", f));
        f = tpr::remap_function_type(f, version);
        if (f >= tpr::F_NRE) in.fail(fmt::format("interaction function type {} is unknown", f));
        skip_iparams(in, f, version);
    }
    return functypes;
}

bool is_bond_type(int f) {
    using namespace tpr;
    switch (f) {
        case F_BONDS: case F_G96BONDS: case F_MORSE: case F_CUBICBONDS: case F_CONNBONDS:
        case F_HARMONIC: case F_FENEBONDS: case F_RESTRBONDS: case F_CONSTR: case F_CONSTRNC:
        case F_TABBONDS: case F_TABBONDSNC:
            return true;
        default: return false;
    }
}

bool is_proper_dihedral_type(int f) {
    using namespace tpr;
    switch (f) {
        case F_PDIHS: case F_RBDIHS: case F_RESTRDIHS: case F_CBTDIHS: case F_FOURDIHS:
        case F_TABDIHS:
            return true;
        default: return false;
    }
}

// Reads the interaction lists of a molecule type (GROMACS do_ilists), keeping bonds
// (incl. constraints and SETTLE O-H pairs) and proper dihedrals.
void read_ilists(Cursor& in, int version, std::size_t ntypes, MolType& mt) {
    const auto natoms = static_cast<std::int32_t>(mt.atoms.size());
    std::vector<std::int32_t> iatoms;
    for (int f = 0; f < tpr::F_NRE; ++f) {
        if (!tpr::has_interaction_list(f, version)) continue;
        const std::int32_t nr = in.count("interaction list length", 4);
        const bool bond = is_bond_type(f), dihedral = is_proper_dihedral_type(f);
        const bool settle = f == tpr::F_SETTLE;
        if (!bond && !dihedral && !settle) {
            in.skip_ints(static_cast<std::size_t>(nr), "interaction list");
            continue;
        }
        iatoms.resize(static_cast<std::size_t>(nr));
        for (auto& a : iatoms) a = in.i32("interaction list");
        const int stride = bond ? 3 : (settle ? 4 : 5);  // parameter index + atoms
        if (nr % stride != 0)
            in.fail(fmt::format("interaction list of function type {} has {} entries, not a "
                                "multiple of {}", f, nr, stride));
        for (std::size_t k = 0; k < iatoms.size(); k += static_cast<std::size_t>(stride)) {
            if (iatoms[k] < 0 || static_cast<std::size_t>(iatoms[k]) >= ntypes)
                in.fail(fmt::format("interaction refers to parameter set {} of {}", iatoms[k], ntypes));
            for (int j = 1; j < stride; ++j)
                if (iatoms[k + static_cast<std::size_t>(j)] < 0 ||
                    iatoms[k + static_cast<std::size_t>(j)] >= natoms)
                    in.fail(fmt::format("interaction refers to atom {} of a molecule type with {} atoms",
                                        iatoms[k + static_cast<std::size_t>(j)], natoms));
            const int* a = &iatoms[k + 1];
            if (bond) {
                mt.bonds.push_back({a[0], a[1]});
            } else if (settle) {
                mt.bonds.push_back({a[0], a[1]});
                mt.bonds.push_back({a[0], a[2]});
            } else {
                mt.dihedrals.push_back({a[0], a[1], a[2], a[3]});
            }
        }
    }
}

MolType read_moltype(Cursor& in, const std::vector<std::string>& symtab, int version,
                     std::size_t ntypes) {
    MolType mt;
    mt.name = symbol(in, symtab, "molecule type name");
    // An atom takes at least 4 reals, 2 ushorts, 3 ints and 3 symbol indices.
    const std::int32_t nr = in.count("number of atoms in a molecule type", 4 * in.real_size() + 28);
    const std::int32_t nres = in.count("number of residues in a molecule type", 9);
    mt.atoms.resize(static_cast<std::size_t>(nr));
    for (auto& a : mt.atoms) {
        a.mass = in.real("atom mass");
        a.charge = in.real("atom charge");
        (void)in.real("atom mass B");
        (void)in.real("atom charge B");
        (void)in.ushort("atom type");
        (void)in.ushort("atom type B");
        (void)in.i32("particle type");
        a.resind = in.i32("atom residue index");
        if (a.resind < 0 || a.resind >= nres)
            in.fail(fmt::format("atom refers to residue {} of {}", a.resind, nres));
        const std::int32_t z = in.i32("atomic number");
        a.atomic_number = (z >= 1 && z < static_cast<std::int32_t>(kElementSymbols.size())) ? z : 0;
    }
    for (auto& a : mt.atoms) a.name = symbol(in, symtab, "atom name");
    for (auto& a : mt.atoms) a.type = symbol(in, symtab, "atom type name");
    for (std::int32_t i = 0; i < nr; ++i) (void)symbol(in, symtab, "atom type B name");
    mt.resnames.resize(static_cast<std::size_t>(nres));
    for (auto& r : mt.resnames) {
        r = symbol(in, symtab, "residue name");
        (void)in.i32("residue number");
        (void)in.uchar("residue insertion code");
    }
    std::vector<char> used(static_cast<std::size_t>(nres), 0);
    for (const auto& a : mt.atoms) used[static_cast<std::size_t>(a.resind)] = 1;
    mt.distinct_residues = static_cast<int>(std::count(used.begin(), used.end(), 1));

    read_ilists(in, version, ntypes, mt);

    // Obsolete charge-group block, then the exclusions (list of lists).
    const std::int32_t ncg = in.count("number of charge groups", 4);
    in.skip_ints(static_cast<std::size_t>(ncg) + 1, "charge groups");
    const std::int32_t nlists = in.count("number of exclusion lists", 4);
    const std::int32_t nelements = in.count("number of exclusions", 4);
    in.skip_ints(static_cast<std::size_t>(nlists) + 1, "exclusion list ranges");
    in.skip_ints(static_cast<std::size_t>(nelements), "exclusions");
    return mt;
}

Topology expand(const Header& h, const std::vector<MolType>& moltypes,
                const std::vector<MolBlock>& blocks, const std::string& path) {
    Topology top;
    top.source = path;
    const auto natoms = static_cast<std::size_t>(h.natoms);
    top.atoms.reserve(natoms);
    std::vector<std::int64_t> resid_of_atom;
    resid_of_atom.reserve(natoms);
    std::vector<const std::string*> resname_of_atom;
    resname_of_atom.reserve(natoms);
    std::vector<int> block_of_atom;
    block_of_atom.reserve(natoms);
    std::vector<std::string> segids;  // MDAnalysis names one segment per molecule block
    std::int64_t res_start = 0;
    for (const auto& b : blocks) {
        const MolType& mt = moltypes[static_cast<std::size_t>(b.type)];
        segids.push_back(fmt::format("seg_{}_{}", top.molecule_blocks.size(), mt.name));
        top.molecule_blocks.push_back({mt.name, b.count, static_cast<int>(mt.atoms.size())});
        if (mt.atoms.empty()) continue;
        for (std::int32_t copy = 0; copy < b.count; ++copy) {
            const int first = static_cast<int>(top.atoms.size());
            for (const auto& a : mt.atoms) {
                Atom atom;
                atom.name = a.name;
                atom.type = a.type;
                atom.mass = a.mass;
                atom.charge = a.charge;
                atom.atomic_number = a.atomic_number;
                atom.element = kElementSymbols[static_cast<std::size_t>(a.atomic_number)];
                top.atoms.push_back(std::move(atom));
                resid_of_atom.push_back(res_start + a.resind + 1);
                resname_of_atom.push_back(&mt.resnames[static_cast<std::size_t>(a.resind)]);
                block_of_atom.push_back(static_cast<int>(segids.size()) - 1);
            }
            for (const auto& bond : mt.bonds) top.bonds.push_back({first + bond[0], first + bond[1]});
            for (const auto& d : mt.dihedrals)
                top.dihedrals.push_back({first + d[0], first + d[1], first + d[2], first + d[3]});
            res_start += mt.distinct_residues;
        }
    }
    // Residues as MDAnalysis forms them: one per distinct resid, in ascending resid order,
    // named after its first atom.
    std::vector<std::int64_t> resids = resid_of_atom;
    if (!std::is_sorted(resids.begin(), resids.end())) std::sort(resids.begin(), resids.end());
    resids.erase(std::unique(resids.begin(), resids.end()), resids.end());
    if (!resids.empty() && resids.back() > INT32_MAX)
        throw_data("{}: corrupt TPR file: residue number {} out of range", path, resids.back());
    top.residues.resize(resids.size());
    std::vector<char> named(resids.size(), 0);
    for (std::size_t i = 0; i < top.atoms.size(); ++i) {
        const auto r = static_cast<std::size_t>(
            std::lower_bound(resids.begin(), resids.end(), resid_of_atom[i]) - resids.begin());
        top.atoms[i].residue = static_cast<int>(r);
        if (!named[r]) {
            named[r] = 1;
            top.residues[r].name = *resname_of_atom[i];
            top.residues[r].resid = static_cast<int>(resids[r]);
            top.residues[r].resnum = top.residues[r].resid;
            top.residues[r].segid = segids[static_cast<std::size_t>(block_of_atom[i])];
        }
    }
    top.finalize();
    return top;
}

}  // namespace

Topology tpr::parse_tpr(const unsigned char* data, std::size_t size, const std::string& path,
                        std::size_t* bytes_read) {
    Cursor in(data, size, path);
    const Header h = read_header(in);
    if (h.body_size >= 0) {
        if (static_cast<std::uint64_t>(h.body_size) * 4 == in.remaining() && h.body_size > 0)
            throw_data("{}: TPR files written by beta versions of GROMACS 2020 are not supported", path);
        if (static_cast<std::uint64_t>(h.body_size) > in.remaining())
            throw_data("{}: truncated TPR file: body of {} bytes expected, {} present", path,
                       h.body_size, in.remaining());
        in.limit_to(static_cast<std::size_t>(h.body_size));
        in.set_encoding(tpr::Encoding::InMemory);
    }
    if (h.has_x && static_cast<std::uint64_t>(h.natoms) * 3 * in.real_size() > in.remaining())
        throw_data("{}: truncated or corrupt TPR file: {} atoms' coordinates cannot fit in the "
                   "{} bytes left", path, h.natoms, in.remaining());
    if (h.has_box) in.skip_reals(27, "box");
    if (h.ngtc > 0) {
        if (static_cast<std::uint64_t>(h.ngtc) > in.remaining() / in.real_size())
            throw_data("{}: corrupt TPR header: {} T-coupling groups", path, h.ngtc);
        in.skip_reals(static_cast<std::size_t>(h.ngtc), "T-coupling state");
    }
    if (!h.has_top) throw_data("{}: the TPR file holds no topology", path);

    const std::size_t min_string = 8;
    const std::int32_t nsym = in.count("number of symbols", min_string);
    std::vector<std::string> symtab(static_cast<std::size_t>(nsym));
    for (auto& s : symtab) s = in.str("symbol");
    (void)symbol(in, symtab, "system name");
    const std::vector<int> functypes = read_ffparams(in, h.version);

    const std::int32_t nmoltype = in.count("number of molecule types", 16);
    std::vector<MolType> moltypes;
    moltypes.reserve(static_cast<std::size_t>(nmoltype));
    for (std::int32_t i = 0; i < nmoltype; ++i)
        moltypes.push_back(read_moltype(in, symtab, h.version, functypes.size()));

    const std::int32_t nblock = in.count("number of molecule blocks", 20);
    std::vector<MolBlock> blocks(static_cast<std::size_t>(nblock));
    std::int64_t total_atoms = 0;
    for (auto& b : blocks) {
        b.type = in.i32("molecule block type");
        if (b.type < 0 || b.type >= nmoltype)
            in.fail(fmt::format("molecule block refers to molecule type {} of {}", b.type, nmoltype));
        b.count = in.i32("number of molecules");
        const std::int32_t per_molecule = in.i32("atoms per molecule");
        const auto& mt = moltypes[static_cast<std::size_t>(b.type)];
        if (b.count < 0 || per_molecule != static_cast<std::int32_t>(mt.atoms.size()))
            in.fail(fmt::format("molecule block of {} molecules with {} atoms each, but molecule "
                                "type '{}' has {} atoms",
                                b.count, per_molecule, mt.name, mt.atoms.size()));
        total_atoms += std::int64_t{b.count} * per_molecule;
        if (total_atoms > h.natoms)
            in.fail(fmt::format("molecule blocks hold more atoms than the {} of the header", h.natoms));
        for (const char* what : {"position restraint coordinates A", "position restraint coordinates B"}) {
            const std::int32_t n = in.count(what, 3 * in.real_size());
            in.skip_reals(3 * static_cast<std::size_t>(n), what);
        }
    }
    const std::int32_t mtop_natoms = in.i32("number of atoms in the topology");
    if (total_atoms != h.natoms || mtop_natoms != h.natoms)
        throw_data("{}: corrupt TPR file: header says {} atoms, topology {}, molecule blocks hold {}",
                   path, h.natoms, mtop_natoms, total_atoms);
    if (bytes_read) *bytes_read = in.position();
    return expand(h, moltypes, blocks, path);
}

Topology read_tpr(const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        throw_data("{}: cannot read the file (missing or not a regular file)", path);
    const std::uintmax_t size = std::filesystem::file_size(path, ec);
    if (ec) throw_data("{}: cannot determine the file size: {}", path, ec.message());
    std::ifstream f(path, std::ios::binary);
    if (!f) throw_data("{}: cannot open the file", path);
    std::vector<unsigned char> bytes(static_cast<std::size_t>(size));
    if (!f.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(size)))
        throw_data("{}: error while reading the file", path);
    return tpr::parse_tpr(bytes.data(), bytes.size(), path);
}

}  // namespace mcc
