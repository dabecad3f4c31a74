// GROMACS .tpr reader: low-level decoding, acceptance numbers, comparison with `gmx dump`,
// version handling and robustness against truncated / corrupted files.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "io/formats.hpp"
#include "io/tpr_cursor.hpp"
#include "io/tpr_format.hpp"
#include "shared_data.hpp"

using namespace mcc;
namespace fs = std::filesystem;

namespace {

std::vector<unsigned char> bytes_of(std::initializer_list<int> v) {
    std::vector<unsigned char> out;
    for (int b : v) out.push_back(static_cast<unsigned char>(b));
    return out;
}

std::vector<unsigned char> read_bytes(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

// Every .tpr in shared/data (one level of sub-folders), sorted.
std::vector<std::string> shared_tprs(const std::string& data) {
    std::vector<std::string> out;
    for (const auto& dir : fs::directory_iterator(data)) {
        if (!dir.is_directory()) continue;
        for (const auto& f : fs::directory_iterator(dir.path()))
            if (f.path().extension() == ".tpr") out.push_back(f.path().string());
    }
    std::sort(out.begin(), out.end());
    return out;
}

// Byte offset of the tpx version in the (XDR) header: after the version string and precision.
std::size_t version_offset(const std::vector<unsigned char>& b) {
    const std::size_t len = (std::size_t{b[4]} << 24) | (std::size_t{b[5]} << 16) |
                            (std::size_t{b[6]} << 8) | b[7];
    return 8 + (len + 3) / 4 * 4 + 4;
}

void put_i32(std::vector<unsigned char>& b, std::size_t at, std::int32_t v) {
    const auto u = static_cast<std::uint32_t>(v);
    for (int i = 0; i < 4; ++i) b[at + static_cast<std::size_t>(i)] = static_cast<unsigned char>(u >> (24 - 8 * i));
}

}  // namespace

// ---------------------------------------------------------------- low-level decoding

TEST(TprCursor, XdrScalarsAndStrings) {
    // int -5, "VERSION 1" as gmx_fio_do_string (length+1, XDR length, bytes, pad), float 1.5,
    // double -2.25, ushort 7 and uchar 9 padded to 4 bytes.
    const auto b = bytes_of({0xff, 0xff, 0xff, 0xfb, 0, 0, 0, 10, 0, 0, 0, 9, 'V', 'E', 'R', 'S',
                             'I', 'O', 'N', ' ', '1', 0, 0, 0, 0x3f, 0xc0, 0, 0, 0xc0, 0x02, 0, 0,
                             0, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0, 9});
    tpr::Cursor c(b.data(), b.size(), "mem");
    EXPECT_EQ(c.i32("i"), -5);
    EXPECT_EQ(c.str("s"), "VERSION 1");
    EXPECT_EQ(c.position(), 24u);
    EXPECT_EQ(c.real("r"), 1.5);
    EXPECT_EQ(c.f64("d"), -2.25);
    EXPECT_EQ(c.ushort("us"), 7u);
    EXPECT_EQ(c.uchar("uc"), 9u);
    EXPECT_EQ(c.remaining(), 0u);
    EXPECT_THROW(c.i32("past the end"), DataError);
}

TEST(TprCursor, InMemoryBodyEncoding) {
    // 8-byte string length, no padding; ushort 2 bytes, uchar 1 byte; double reals.
    const auto b = bytes_of({0, 0, 0, 0, 0, 0, 0, 3, 'S', 'O', 'L', 0x01, 0x02, 0x05,
                             0x3f, 0xf0, 0, 0, 0, 0, 0, 0});
    tpr::Cursor c(b.data(), b.size(), "mem");
    c.set_encoding(tpr::Encoding::InMemory);
    c.set_double_precision(true);
    EXPECT_EQ(c.str("s"), "SOL");
    EXPECT_EQ(c.ushort("us"), 0x0102u);
    EXPECT_EQ(c.uchar("uc"), 5u);
    EXPECT_EQ(c.real("r"), 1.0);
    EXPECT_EQ(c.remaining(), 0u);
}

TEST(TprCursor, RejectsAbsurdCountsAndLengths) {
    {  // negative count
        const auto b = bytes_of({0xff, 0xff, 0xff, 0xff});
        tpr::Cursor c(b.data(), b.size(), "mem");
        EXPECT_THROW(c.count("n", 4), DataError);
    }
    {  // count of 1000 four-byte items with 8 bytes left
        const auto b = bytes_of({0, 0, 0x03, 0xe8, 0, 0, 0, 0, 0, 0, 0, 0});
        tpr::Cursor c(b.data(), b.size(), "mem");
        try {
            c.count("number of things", 4);
            FAIL() << "accepted";
        } catch (const DataError& e) {
            EXPECT_NE(std::string(e.what()).find("number of things"), std::string::npos) << e.what();
            EXPECT_NE(std::string(e.what()).find("mem"), std::string::npos) << e.what();
        }
    }
    {  // in-memory string claiming 2^63 bytes
        const auto b = bytes_of({0x80, 0, 0, 0, 0, 0, 0, 0, 'x'});
        tpr::Cursor c(b.data(), b.size(), "mem");
        c.set_encoding(tpr::Encoding::InMemory);
        EXPECT_THROW(c.str("s"), DataError);
    }
    {  // skip beyond the end, including a size that would overflow n * item size
        const auto b = bytes_of({1, 2, 3, 4});
        tpr::Cursor c(b.data(), b.size(), "mem");
        EXPECT_THROW(c.skip_ints(2, "x"), DataError);
        EXPECT_THROW(c.skip_reals(SIZE_MAX / 2, "x"), DataError);
        EXPECT_EQ(c.remaining(), 4u);
    }
}

TEST(TprFormat, FunctionTypeNumberingOfOlderFiles) {
    using namespace tpr;
    // Current files store current numbers.
    EXPECT_EQ(remap_function_type(F_SETTLE, kNewestVersion), F_SETTLE);
    EXPECT_EQ(remap_function_type(F_EQM, 137), F_EQM);
    // tpx 116 (GROMACS 2019) has no VSITE1 (121), VSITE2FD (118), DENSITYFITTING (117) or
    // ENNPOT (137): types after them are stored 1..3 lower.
    EXPECT_EQ(remap_function_type(F_SETTLE, 116), F_SETTLE);
    EXPECT_EQ(remap_function_type(65, 116), F_VSITE2);
    EXPECT_EQ(remap_function_type(F_EQM - 3, 116), F_EQM);
    // tpx 127 (2022) lacks only ENNPOT.
    EXPECT_EQ(remap_function_type(F_EQM, 127), F_EQM);
    EXPECT_EQ(remap_function_type(F_ENNPOT, 127), F_EPOT);
    EXPECT_FALSE(has_interaction_list(F_VSITE1, 120));
    EXPECT_TRUE(has_interaction_list(F_VSITE1, 121));
    EXPECT_FALSE(has_interaction_list(F_ENNPOT, 136));
    EXPECT_TRUE(has_interaction_list(F_BONDS, kOldestVersion));
    EXPECT_EQ(F_NRE, 95);
}

// ---------------------------------------------------------------- synthetic files

namespace {

// Writes a small .tpr of a given tpx version (>= 119, in-memory body) from GROMACS' layout,
// to exercise the version-dependent paths no sample file covers (134: B-state parameters of
// restricted angles/dihedrals and CBT dihedrals; 137: the neural-network potential type).
// One molecule type, two copies: a SETTLE water (SOL) and a 4-carbon chain (BUT).
class SyntheticTpr {
public:
    SyntheticTpr(int version, bool double_precision) : version_(version), double_(double_precision) {}

    std::vector<unsigned char> build() {
        using namespace tpr;
        body_.clear();
        const std::vector<std::string> symbols{"system", "MOL", "OW", "HW1", "HW2", "C1", "C2",
                                               "C3", "C4", "OT", "HT", "CT", "SOL", "BUT"};
        i32(static_cast<int>(symbols.size()));
        for (const auto& sym : symbols) {
            u64(sym.size());
            body_.insert(body_.end(), sym.begin(), sym.end());
        }
        i32(0);  // system name
        // Force-field parameters: one set per function type used below.
        const std::vector<int> types{F_BONDS, F_RESTRANGLES, F_RESTRDIHS, F_CBTDIHS, F_PDIHS,
                                     F_CONSTR, F_SETTLE, F_IDIHS};
        i32(1);
        i32(static_cast<int>(types.size()));
        for (int f : types) i32(stored_number(f));
        f64(12.0);
        real(0.8333);
        const bool b_state = version_ >= kVersionMartiniBStateParameters;
        for (int f : types) {
            switch (f) {
                case F_BONDS: case F_IDIHS: reals(4); break;
                case F_RESTRANGLES: case F_RESTRDIHS: reals(b_state ? 4 : 2); break;
                case F_CBTDIHS: reals(b_state ? 12 : 6); break;
                case F_PDIHS: reals(4); i32(3); break;
                case F_CONSTR: case F_SETTLE: reals(2); break;
                default: break;
            }
        }
        auto type_index = [&](int f) {
            return static_cast<int>(std::find(types.begin(), types.end(), f) - types.begin());
        };
        i32(1);  // one molecule type
        i32(1);  // its name
        i32(7);  // atoms
        i32(2);  // residues
        const int atomic_numbers[7] = {8, 1, 1, 6, 6, 6, 6};
        for (int a = 0; a < 7; ++a) {
            real(atomic_numbers[a] == 1 ? 1.008 : (atomic_numbers[a] == 8 ? 15.9994 : 12.011));
            real(a == 0 ? -0.8476 : (a < 3 ? 0.4238 : 0.0));
            reals(2);
            u16(0);
            u16(0);
            i32(0);
            i32(a < 3 ? 0 : 1);
            i32(atomic_numbers[a]);
        }
        for (int a = 0; a < 7; ++a) i32(2 + a);               // names
        for (int a = 0; a < 7; ++a) i32(a == 0 ? 9 : (a < 3 ? 10 : 11));  // types
        for (int a = 0; a < 7; ++a) i32(a == 0 ? 9 : (a < 3 ? 10 : 11));  // types B
        for (int r = 0; r < 2; ++r) {
            i32(12 + r);
            i32(r + 1);
            body_.push_back(' ');
        }
        std::map<int, std::vector<int>> lists{
            {F_SETTLE, {type_index(F_SETTLE), 0, 1, 2}},
            {F_BONDS, {type_index(F_BONDS), 3, 4}},
            {F_CONSTR, {type_index(F_CONSTR), 5, 4}},
            {F_RESTRANGLES, {type_index(F_RESTRANGLES), 3, 4, 5}},
            {F_RESTRDIHS, {type_index(F_RESTRDIHS), 3, 4, 5, 6}},
            {F_CBTDIHS, {type_index(F_CBTDIHS), 6, 5, 4, 3}},
            {F_PDIHS, {type_index(F_PDIHS), 3, 4, 5, 6}},
            {F_IDIHS, {type_index(F_IDIHS), 4, 3, 5, 6}},
        };
        for (int f = 0; f < F_NRE; ++f) {
            if (!has_interaction_list(f, version_)) continue;
            const auto& l = lists[f];
            i32(static_cast<int>(l.size()));
            for (int x : l) i32(x);
        }
        i32(7);
        for (int i = 0; i <= 7; ++i) i32(i);  // charge groups
        i32(7);
        i32(0);
        for (int i = 0; i <= 7; ++i) i32(0);  // empty exclusion lists
        i32(1);  // molecule blocks
        i32(0);
        i32(2);
        i32(7);
        i32(0);
        i32(0);
        i32(14);  // atoms in the topology

        std::vector<unsigned char> body;
        body.swap(body_);
        xdr_string("VERSION synthetic");
        i32(double_ ? 8 : 4);
        i32(version_);
        i32(version_ >= 137 ? 29 : 28);
        xdr_string("release");
        i32(14);  // atoms
        i32(0);   // T-coupling groups
        i32(0);   // fep state
        real(0.0);
        for (int flag : {0, 1, 0, 0, 0, 0}) i32(flag);  // ir, top, x, v, f, box
        u64(body.size());
        body_.insert(body_.end(), body.begin(), body.end());
        return body_;
    }

private:
    int stored_number(int current) const {
        for (int s = 0; s < tpr::F_NRE; ++s)
            if (tpr::remap_function_type(s, version_) == current) return s;
        return -1;
    }
    void be(std::uint64_t v, int n) {
        for (int i = n - 1; i >= 0; --i) body_.push_back(static_cast<unsigned char>(v >> (8 * i)));
    }
    void i32(int v) { be(static_cast<std::uint32_t>(v), 4); }
    void u16(int v) { be(static_cast<std::uint16_t>(v), 2); }
    void u64(std::uint64_t v) { be(v, 8); }
    void f64(double v) {
        std::uint64_t bits;
        std::memcpy(&bits, &v, 8);
        be(bits, 8);
    }
    void real(double v) {
        if (double_) return f64(v);
        const auto f = static_cast<float>(v);
        std::uint32_t bits;
        std::memcpy(&bits, &f, 4);
        be(bits, 4);
    }
    void reals(int n) {
        for (int i = 0; i < n; ++i) real(0.5);
    }
    void xdr_string(const std::string& s) {
        i32(static_cast<int>(s.size()) + 1);
        i32(static_cast<int>(s.size()));
        body_.insert(body_.end(), s.begin(), s.end());
        while (body_.size() % 4) body_.push_back(0);
    }

    int version_;
    bool double_;
    std::vector<unsigned char> body_;
};

}  // namespace

TEST(TprReader, SyntheticFilesOfEveryBodyLayoutVersion) {
    for (const int version : {119, 122, 127, 128, 129, 133, 134, 136, 137, 138, 139}) {
        for (const bool dbl : {false, true}) {
            SCOPED_TRACE("tpx " + std::to_string(version) + (dbl ? " double" : " single"));
            const auto b = SyntheticTpr(version, dbl).build();
            const Topology t = tpr::parse_tpr(b.data(), b.size(), "synthetic.tpr");
            ASSERT_EQ(t.n_atoms(), 14u);
            ASSERT_EQ(t.n_residues(), 4u);
            const char* resnames[4] = {"SOL", "BUT", "SOL", "BUT"};
            for (int r = 0; r < 4; ++r) {
                EXPECT_EQ(t.residues[static_cast<std::size_t>(r)].name, resnames[r]);
                EXPECT_EQ(t.residues[static_cast<std::size_t>(r)].resid, r + 1);
            }
            EXPECT_EQ(t.atoms[7].name, "OW");
            EXPECT_EQ(t.atoms[7].type, "OT");
            EXPECT_EQ(t.atoms[7].element, "O");
            EXPECT_EQ(t.atoms[13].element, "C");
            EXPECT_EQ(t.atoms[8].mass, dbl ? 1.008 : static_cast<double>(1.008f));
            EXPECT_EQ(t.atoms[0].charge, dbl ? -0.8476 : static_cast<double>(-0.8476f));
            const std::vector<std::array<int, 2>> bonds{{0, 1}, {0, 2}, {3, 4}, {4, 5},
                                                        {7, 8}, {7, 9}, {10, 11}, {11, 12}};
            EXPECT_EQ(t.bonds, bonds);
            // RESTRDIHS, PDIHS and CBTDIHS (written reversed) give one proper dihedral per
            // molecule; the improper is not one.
            const std::vector<std::array<int, 4>> dihedrals{{3, 4, 5, 6}, {10, 11, 12, 13}};
            EXPECT_EQ(t.dihedrals, dihedrals);
            ASSERT_EQ(t.molecule_blocks.size(), 1u);
            EXPECT_EQ(t.molecule_blocks[0].name, "MOL");
            EXPECT_EQ(t.molecule_blocks[0].count, 2);
        }
    }
    // A file laid out as 134 (extra B-state parameters) or 137 (one more interaction list)
    // but claiming the version before must not pass silently.
    for (const auto [written, claimed] : {std::pair{134, 133}, std::pair{137, 136}}) {
        auto b = SyntheticTpr(written, false).build();
        put_i32(b, version_offset(b), claimed);
        EXPECT_THROW(tpr::parse_tpr(b.data(), b.size(), "mislabelled.tpr"), DataError) << written;
    }
}

// ---------------------------------------------------------------- acceptance numbers

TEST(TprReader, DnaAcceptance) {
    MCC_REQUIRE_SHARED_DATA(data);
    const Topology t = read_tpr(data + "/dna/md_A4_dna.tpr");
    EXPECT_EQ(t.n_atoms(), 254u);
    EXPECT_EQ(t.n_residues(), 8u);
    EXPECT_EQ(fragments(t).size(), 2u);
    EXPECT_EQ(t.source, data + "/dna/md_A4_dna.tpr");
    // MDAnalysis numbers residues 1.. over the whole system.
    for (std::size_t r = 0; r < t.n_residues(); ++r) EXPECT_EQ(t.residues[r].resid, static_cast<int>(r) + 1);
    EXPECT_EQ(t.residues[0].name, "DA");
    EXPECT_EQ(t.residues[0].segid, "seg_0_Protein in water");  // as MDAnalysis names segments
    EXPECT_EQ(t.residues[7].name, "DT");
    EXPECT_EQ(t.atoms[0].name, "O5'");
    EXPECT_EQ(t.atoms[0].type, "OH");
    EXPECT_EQ(t.atoms[0].element, "O");
    EXPECT_EQ(t.atoms[0].atomic_number, 8);
    EXPECT_DOUBLE_EQ(t.atoms[0].mass, static_cast<double>(16.0f));
    EXPECT_DOUBLE_EQ(t.atoms[0].charge, static_cast<double>(-0.6318f));
    // Numbers MDAnalysis 2.4.2 reports for this file (unique bonds, proper dihedrals).
    EXPECT_EQ(t.bonds.size(), 272u);
    EXPECT_EQ(t.dihedrals.size(), 664u);
    ASSERT_EQ(t.molecule_blocks.size(), 1u);
    EXPECT_EQ(t.molecule_blocks[0].count, 1);
    EXPECT_EQ(t.molecule_blocks[0].atoms_per_molecule, 254);
}

TEST(TprReader, WaterSettlesGiveOneFragmentPerMolecule) {
    MCC_REQUIRE_SHARED_DATA(data);
    const Topology t = read_tpr(data + "/water/water.tpr");
    EXPECT_EQ(t.n_atoms(), 1176u);
    EXPECT_EQ(t.n_residues(), 392u);
    EXPECT_EQ(fragments(t).size(), 392u);
    EXPECT_EQ(t.bonds.size(), 784u);  // O-H1, O-H2 per SETTLE
    EXPECT_TRUE(t.dihedrals.empty());
    EXPECT_EQ((std::array<int, 2>{0, 1}), t.bonds[0]);
    EXPECT_EQ((std::array<int, 2>{0, 2}), t.bonds[1]);
    EXPECT_EQ(t.residues.back().resid, 392);
    ASSERT_EQ(t.molecule_blocks.size(), 1u);
    EXPECT_EQ(t.molecule_blocks[0].name, "SOL");
    EXPECT_EQ(t.residues.back().segid, "seg_0_SOL");
    EXPECT_EQ(t.molecule_blocks[0].count, 392);
}

TEST(TprReader, SamplesAcrossVersions) {
    MCC_REQUIRE_SHARED_DATA(data);
    struct Case {
        const char* file;
        std::size_t atoms, residues, fragments, bonds, dihedrals;
    };
    // Atom/residue/fragment numbers from tpr-samples/README.md; bonds and dihedrals are what
    // MDAnalysis 2.4.2 reports for the files it can read (the 2023/2024 ones hold the same
    // systems).
    const Case cases[] = {
        {"2lyz_gmx_2016.tpr", 2263, 230, 102, 2186, 4376},
        {"2lyz_gmx_2018.tpr", 2263, 230, 102, 2186, 4376},
        {"2lyz_gmx_2020.tpr", 2263, 230, 102, 2186, 4376},
        {"2lyz_gmx_2020_double.tpr", 2263, 230, 102, 2186, 4376},
        {"2lyz_gmx_2021.tpr", 2263, 230, 102, 2186, 4376},
        {"2lyz_gmx_2022-rc1.tpr", 2263, 230, 102, 2186, 4376},
        {"2lyz_gmx_2023.tpr", 2263, 230, 102, 2186, 4376},
        {"2lyz_gmx_2024.tpr", 2263, 230, 102, 2186, 4376},
        {"all_bonded_dummy_2018.tpr", 14, 1, 2, 12, 8},
        {"all_bonded_dummy_2021_double.tpr", 14, 1, 2, 12, 8},
        {"all_bonded_dummy_2023.tpr", 14, 1, 2, 12, 8},
        {"1AKI_prod_60.tpr", 33876, 10773, 10645, 23256, 4376},
        {"1AKI_ws.tpr", 1960, 129, 1, 1984, 4376},
    };
    for (const auto& c : cases) {
        const std::string path = data + "/tpr-samples/" + c.file;
        if (!fs::exists(path)) {
            ADD_FAILURE() << path << " missing";
            continue;
        }
        const Topology t = read_tpr(path);
        EXPECT_EQ(t.n_atoms(), c.atoms) << c.file;
        EXPECT_EQ(t.n_residues(), c.residues) << c.file;
        EXPECT_EQ(fragments(t).size(), c.fragments) << c.file;
        EXPECT_EQ(t.bonds.size(), c.bonds) << c.file;
        EXPECT_EQ(t.dihedrals.size(), c.dihedrals) << c.file;
    }
    // Same system written by GROMACS 2016..2024: identical topologies.
    const Topology ref = read_tpr(data + "/tpr-samples/2lyz_gmx_2021.tpr");
    for (const char* f : {"2lyz_gmx_2016.tpr", "2lyz_gmx_2020_double.tpr", "2lyz_gmx_2023.tpr",
                          "2lyz_gmx_2024.tpr"}) {
        const Topology t = read_tpr(data + "/tpr-samples/" + f);
        ASSERT_EQ(t.n_atoms(), ref.n_atoms()) << f;
        for (std::size_t i = 0; i < t.n_atoms(); ++i) {
            EXPECT_EQ(t.atoms[i].name, ref.atoms[i].name) << f << " atom " << i;
            EXPECT_EQ(t.atoms[i].type, ref.atoms[i].type) << f << " atom " << i;
            EXPECT_EQ(t.atoms[i].element, ref.atoms[i].element) << f << " atom " << i;
            EXPECT_EQ(t.atoms[i].mass, ref.atoms[i].mass) << f << " atom " << i;
            EXPECT_EQ(t.atoms[i].charge, ref.atoms[i].charge) << f << " atom " << i;
            EXPECT_EQ(t.atoms[i].residue, ref.atoms[i].residue) << f << " atom " << i;
        }
        EXPECT_EQ(t.bonds, ref.bonds) << f;
        EXPECT_EQ(t.dihedrals, ref.dihedrals) << f;
    }
    const Topology dummy18 = read_tpr(data + "/tpr-samples/all_bonded_dummy_2018.tpr");
    const Topology dummy23 = read_tpr(data + "/tpr-samples/all_bonded_dummy_2023.tpr");
    EXPECT_EQ(dummy18.bonds, dummy23.bonds);
    EXPECT_EQ(dummy18.dihedrals, dummy23.dihedrals);
    // The all-bonded file has one of every interaction: exactly these pairs are bonds (bond
    // types, restraint potential, constraints; not the pair/angle/virtual-site ones).
    const std::vector<std::array<int, 2>> expected_bonds{{0, 1}, {1, 2}, {2, 3},  {3, 4},
                                                         {4, 5}, {5, 6}, {6, 7},  {7, 8},
                                                         {8, 9}, {9, 10}, {10, 11}, {11, 12}};
    EXPECT_EQ(dummy18.bonds, expected_bonds);
    // Proper dihedrals: PDIHS (3), RBDIHS, RESTRDIHS, CBTDIHS, FOURDIHS, TABDIHS; no impropers.
    const std::vector<std::array<int, 4>> expected_dihedrals{
        {0, 1, 2, 3}, {1, 2, 3, 4},   {4, 5, 6, 7},   {6, 7, 8, 9},
        {7, 8, 9, 10}, {8, 9, 10, 11}, {9, 10, 11, 12}, {10, 11, 12, 13}};
    EXPECT_EQ(dummy18.dihedrals, expected_dihedrals);
}

// ---------------------------------------------------------------- versions

TEST(TprReader, RejectsUnsupportedVersionsNamingThem) {
    MCC_REQUIRE_SHARED_DATA(data);
    auto b = read_bytes(data + "/dna/md_A4_dna.tpr");
    ASSERT_GT(b.size(), 100u);
    const std::size_t at = version_offset(b);
    auto message_for = [&](int version) {
        auto copy = b;
        put_i32(copy, at, version);
        try {
            (void)tpr::parse_tpr(copy.data(), copy.size(), "x.tpr");
        } catch (const DataError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    const std::string newer = message_for(tpr::kNewestVersion + 1);
    EXPECT_NE(newer.find(std::to_string(tpr::kNewestVersion + 1)), std::string::npos) << newer;
    EXPECT_NE(newer.find(std::to_string(tpr::kNewestVersion)), std::string::npos) << newer;
    EXPECT_NE(newer.find("newer"), std::string::npos) << newer;
    const std::string older = message_for(58);
    EXPECT_NE(older.find("58"), std::string::npos) << older;
    EXPECT_NE(older.find(std::to_string(tpr::kOldestVersion)), std::string::npos) << older;
    EXPECT_NE(older.find("older"), std::string::npos) << older;
    // Not a tpr at all.
    const std::string text = "hello, this is not a run input file at all";
    EXPECT_THROW(tpr::parse_tpr(reinterpret_cast<const unsigned char*>(text.data()), text.size(), "t"),
                 DataError);
    EXPECT_THROW(read_tpr(data + "/no-such-file.tpr"), DataError);
    EXPECT_THROW(read_tpr(data + "/dna"), DataError);  // a directory
}

// ---------------------------------------------------------------- gmx dump comparison

namespace {

struct DumpMolType {
    std::string name;
    std::vector<double> mass, charge;
    std::vector<int> resind, atomnumber;
    std::vector<std::string> names, types, resnames;
    std::map<std::string, std::vector<std::vector<int>>> interactions;  // by function type name
};

struct Dump {
    std::vector<std::pair<int, int>> blocks;  // (moltype, #molecules)
    std::vector<DumpMolType> moltypes;
};

std::string quoted_after(const std::string& line, const std::string& key) {
    const auto p = line.find(key + "=\"");
    if (p == std::string::npos) return {};
    const auto start = p + key.size() + 2;
    return line.substr(start, line.find('"', start) - start);
}

double number_after(const std::string& line, const std::string& key) {
    const auto p = line.find(key);
    return std::strtod(line.c_str() + p + key.size(), nullptr);
}

// Parses the topology part of `gmx dump -s` output; false when gmx could not read the file.
bool run_gmx_dump(const std::string& path, Dump& out) {
    const std::string cmd = "gmx dump -s '" + path + "' 2>/dev/null";
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(cmd.c_str(), "r"), pclose);
    if (!pipe) return false;
    std::string line;
    std::array<char, 4096> buf{};
    bool in_topology = false;
    DumpMolType* mt = nullptr;
    while (fgets(buf.data(), buf.size(), pipe.get())) {
        line = buf.data();
        const auto first = line.find_first_not_of(' ');
        if (first == std::string::npos) continue;
        const std::string t = line.substr(first);
        if (t.rfind("topology:", 0) == 0) in_topology = true;
        if (!in_topology) continue;
        if (t.rfind("groups ", 0) == 0 || t.rfind("grp[", 0) == 0 || t.rfind("box (", 0) == 0) break;
        if (t.rfind("moltype (", 0) == 0) {
            out.moltypes.emplace_back();
            mt = &out.moltypes.back();
        } else if (t.rfind("moltype ", 0) == 0 && t.find('=') != std::string::npos) {
            out.blocks.emplace_back(std::atoi(t.c_str() + t.find('=') + 1), 0);
        } else if (t.rfind("#molecules", 0) == 0) {
            out.blocks.back().second = std::atoi(t.c_str() + t.find('=') + 1);
        } else if (!mt) {
            continue;
        } else if (t.rfind("name=\"", 0) == 0 && mt->name.empty()) {
            mt->name = quoted_after(t, "name");
        } else if (t.rfind("atom[", 0) == 0 && t.find(", m=") != std::string::npos) {
            mt->mass.push_back(number_after(t, ", m="));
            mt->charge.push_back(number_after(t, ", q="));
            mt->resind.push_back(static_cast<int>(number_after(t, "resind=")));
            mt->atomnumber.push_back(static_cast<int>(number_after(t, "atomnumber=")));
        } else if (t.rfind("atom[", 0) == 0 && t.find("{name=") != std::string::npos) {
            mt->names.push_back(quoted_after(t, "name"));
        } else if (t.rfind("type[", 0) == 0) {
            mt->types.push_back(quoted_after(t, "name"));
        } else if (t.rfind("residue[", 0) == 0) {
            mt->resnames.push_back(quoted_after(t, "name"));
        } else if (t[0] >= '0' && t[0] <= '9' && t.find(" type=") != std::string::npos) {
            // "<index> type=<parameter set> (<FUNCTION TYPE>)  <atom> <atom> ..."
            int index = 0, parameters = 0, used = 0;
            std::array<char, 64> kind{};
            if (std::sscanf(t.c_str(), "%d type=%d (%63[A-Z0-9_])%n", &index, &parameters,
                            kind.data(), &used) == 3) {
                std::istringstream atoms(t.substr(static_cast<std::size_t>(used)));
                std::vector<int> a;
                for (int x; atoms >> x;) a.push_back(x);
                mt->interactions[kind.data()].push_back(a);
            }
        }
    }
    return !out.moltypes.empty() && !out.blocks.empty();
}

bool close_to(double ours, double printed) {
    // gmx dump prints 6 significant digits.
    return std::abs(ours - printed) <= 1e-5 * std::abs(printed) + 1e-12;
}

}  // namespace

TEST(TprReader, MatchesGmxDump) {
    MCC_REQUIRE_SHARED_DATA(data);
    if (std::system("command -v gmx >/dev/null 2>&1") != 0)
        GTEST_SKIP() << "gmx not on PATH: comparison with gmx dump skipped";
    const std::set<std::string> bond_kinds{"BONDS", "G96BONDS", "MORSE", "CUBICBONDS", "CONNBONDS",
                                           "HARMONIC", "FENEBONDS", "TABBONDS", "TABBONDSNC",
                                           "RESTRAINTPOT", "CONSTR", "CONSTRNC"};
    const std::set<std::string> dihedral_kinds{"PDIHS", "RBDIHS", "RESTRDIHS", "CBTDIHS", "FOURDIHS",
                                               "TABDIHS"};
    int compared = 0;
    for (const auto& path : shared_tprs(data)) {
        SCOPED_TRACE(path);
        Dump d;
        const Topology t = read_tpr(path);
        if (!run_gmx_dump(path, d)) {
            // Only files newer than the installed GROMACS may be unreadable to it.
            std::printf("gmx dump cannot read %s (newer GROMACS): not compared\n", path.c_str());
            continue;
        }
        ++compared;
        std::vector<std::string> names, types, resnames;
        std::vector<double> masses, charges;
        std::vector<int> atomnumbers;
        std::set<std::array<int, 2>> bonds;
        std::set<std::array<int, 4>> dihedrals;
        std::size_t n_bond_like = 0, n_constraints = 0, n_settles = 0, n_dihedrals = 0;
        ASSERT_EQ(t.molecule_blocks.size(), d.blocks.size());
        for (std::size_t bi = 0; bi < d.blocks.size(); ++bi) {
            const auto [type, count] = d.blocks[bi];
            ASSERT_LT(static_cast<std::size_t>(type), d.moltypes.size());
            const DumpMolType& m = d.moltypes[static_cast<std::size_t>(type)];
            ASSERT_EQ(m.names.size(), m.mass.size());
            ASSERT_EQ(m.types.size(), m.mass.size());
            EXPECT_EQ(t.molecule_blocks[bi].name, m.name);
            EXPECT_EQ(t.molecule_blocks[bi].count, count);
            EXPECT_EQ(static_cast<std::size_t>(t.molecule_blocks[bi].atoms_per_molecule), m.names.size());
            for (int c = 0; c < count; ++c) {
                const int first = static_cast<int>(names.size());
                names.insert(names.end(), m.names.begin(), m.names.end());
                types.insert(types.end(), m.types.begin(), m.types.end());
                masses.insert(masses.end(), m.mass.begin(), m.mass.end());
                charges.insert(charges.end(), m.charge.begin(), m.charge.end());
                atomnumbers.insert(atomnumbers.end(), m.atomnumber.begin(), m.atomnumber.end());
                resnames.insert(resnames.end(), m.resnames.begin(), m.resnames.end());
                for (const auto& [kind, list] : m.interactions) {
                    for (const auto& a : list) {
                        if (bond_kinds.count(kind)) {
                            bonds.insert({std::min(a[0], a[1]) + first, std::max(a[0], a[1]) + first});
                            (kind.rfind("CONSTR", 0) == 0 ? n_constraints : n_bond_like)++;
                        } else if (kind == "SETTLE") {
                            bonds.insert({a[0] + first, a[1] + first});
                            bonds.insert({a[0] + first, a[2] + first});
                            ++n_settles;
                        } else if (dihedral_kinds.count(kind)) {
                            std::array<int, 4> q{a[0] + first, a[1] + first, a[2] + first, a[3] + first};
                            if (q[0] > q[3]) std::reverse(q.begin(), q.end());
                            dihedrals.insert(q);
                            ++n_dihedrals;
                        }
                    }
                }
            }
        }
        ASSERT_EQ(t.n_atoms(), names.size());
        for (std::size_t i = 0; i < names.size(); ++i) {
            const Atom& a = t.atoms[i];
            ASSERT_EQ(a.name, names[i]) << "atom " << i;
            ASSERT_EQ(a.type, types[i]) << "atom " << i;
            ASSERT_TRUE(close_to(a.mass, masses[i])) << "atom " << i << " " << a.mass << " vs " << masses[i];
            ASSERT_TRUE(close_to(a.charge, charges[i])) << "atom " << i << " " << a.charge << " vs " << charges[i];
            ASSERT_EQ(a.atomic_number, atomnumbers[i] >= 1 ? atomnumbers[i] : 0) << "atom " << i;
        }
        ASSERT_EQ(t.n_residues(), resnames.size());
        for (std::size_t r = 0; r < resnames.size(); ++r) {
            EXPECT_EQ(t.residues[r].name, resnames[r]) << "residue " << r;
            EXPECT_EQ(t.residues[r].resid, static_cast<int>(r) + 1) << "residue " << r;
        }
        const std::set<std::array<int, 2>> our_bonds(t.bonds.begin(), t.bonds.end());
        const std::set<std::array<int, 4>> our_dihedrals(t.dihedrals.begin(), t.dihedrals.end());
        EXPECT_EQ(our_bonds, bonds);
        EXPECT_EQ(our_dihedrals, dihedrals);
        std::printf("%s: %zu atoms, %zu residues, %zu blocks; interactions: %zu bond-like, %zu "
                    "constraints, %zu settles, %zu proper dihedrals -> %zu bonds, %zu dihedrals\n",
                    fs::path(path).filename().c_str(), t.n_atoms(), t.n_residues(), d.blocks.size(),
                    n_bond_like, n_constraints, n_settles, n_dihedrals, t.bonds.size(), t.dihedrals.size());
    }
    EXPECT_GE(compared, 5);
}

// ---------------------------------------------------------------- robustness

TEST(TprReader, TruncatedOrCorruptedFilesEndInDataError) {
    MCC_REQUIRE_SHARED_DATA(data);
    std::uint64_t rng = 0x9e3779b97f4a7c15ULL;
    auto next = [&rng] {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        return rng;
    };
    int parsed = 0, rejected = 0;
    for (const auto& path : shared_tprs(data)) {
        const auto whole = read_bytes(path);
        ASSERT_FALSE(whole.empty()) << path;

        const std::size_t n = whole.size();
        auto attempt = [&](const std::vector<unsigned char>& b, const std::string& what) {
            try {
                (void)tpr::parse_tpr(b.data(), b.size(), path);
                ++parsed;
            } catch (const DataError&) {
                ++rejected;
            } catch (const std::exception& e) {
                ADD_FAILURE() << path << " " << what << ": unexpected " << e.what();
            }
        };
        // Where the topology ends: corruption after it cannot matter, so most cuts and flips
        // go before it.
        std::size_t used = 0;
        (void)tpr::parse_tpr(whole.data(), n, path, &used);
        ASSERT_GT(used, 100u) << path;
        // Truncations: inside the header, then spread over the topology, a few after it.
        // Each copy is exactly as long as the truncated file so the sanitizers see any read
        // past its end.
        std::vector<std::size_t> cuts{0, 1, 3, 4, 7, 8, 11, 12, 16, 20, 24, 30, 40, 50, 60, 70, 80, 90, 100};
        for (std::size_t k = 1; k <= 17; ++k) cuts.push_back(used * k / 18);
        for (std::size_t k = 0; k < 4; ++k) cuts.push_back(used + (n - used) * k / 4);
        for (const std::size_t cut : cuts) {
            if (cut >= n) continue;
            attempt(std::vector<unsigned char>(whole.begin(), whole.begin() + static_cast<long>(cut)),
                    "cut at " + std::to_string(cut));
        }
        // Flipped bytes: 10 in the first 4 KiB (header, symbol table), 24 over the topology,
        // 6 anywhere.
        auto b = whole;  // flipped in place and restored, to avoid copying big files
        for (int k = 0; k < 40; ++k) {
            const std::size_t span = k < 10 ? std::min<std::size_t>(used, 4096) : (k < 34 ? used : n);
            const std::size_t at = static_cast<std::size_t>(next() % span);
            b[at] = static_cast<unsigned char>(b[at] ^ (1 + next() % 255));
            attempt(b, "flip at " + std::to_string(at));
            b[at] = whole[at];
        }
    }
    std::printf("robustness: %d parsed, %d rejected with DataError\n", parsed, rejected);
    EXPECT_GT(rejected, 0);
}
