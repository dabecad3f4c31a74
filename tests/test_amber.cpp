// AMBER readers: prmtop topology, NetCDF and ASCII (MDCRD / .frc) trajectories.
// Expected values were measured with MDAnalysis 2.4.2 (Debian) on the same files; the
// dipeptide files come from scripts/make_amber_lammps_testdata.sh.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <thread>
#include <cmath>

#include "format_test_util.hpp"
#include "io/formats.hpp"
#include "shared_data.hpp"

using namespace mcc;
using mcc::test::test_data;

namespace {

bool has_dihedral(const Topology& t, std::array<int, 4> d) {
    return std::binary_search(t.dihedrals.begin(), t.dihedrals.end(), d);
}

std::unique_ptr<TrajectoryReader> open_nc(const std::string& p) { return open_amber_netcdf(p); }

}  // namespace

TEST(AmberPrmtop, DipeptideAsMDAnalysis) {
    const Topology t = read_topology(test_data("dipeptide.prmtop"));
    ASSERT_EQ(t.n_atoms(), 22u);
    ASSERT_EQ(t.n_residues(), 3u);
    EXPECT_EQ(t.residues[0].name, "ACE");
    EXPECT_EQ(t.residues[1].name, "ALA");
    EXPECT_EQ(t.residues[2].name, "NME");
    EXPECT_EQ(t.residues[2].resid, 3);
    EXPECT_EQ(t.residues[2].segid, "SYSTEM");
    EXPECT_EQ(t.atoms[0].name, "CH3");
    EXPECT_EQ(t.atoms[0].type, "CT");
    EXPECT_EQ(t.atoms[0].element, "C");
    EXPECT_EQ(t.atoms[0].atomic_number, 6);
    EXPECT_EQ(t.atoms[0].mass, 12.01);
    // float32(float32(q) / float32(18.2223)), exactly as MDAnalysis stores it.
    EXPECT_EQ(t.atoms[0].charge, -0.3662000000476837);
    EXPECT_EQ(t.atoms[1].charge, 0.11230000108480453);
    EXPECT_EQ(t.atoms[1].element, "H");
    EXPECT_EQ(t.bonds.size(), 21u);
    // 41 proper dihedrals (MDAnalysis len(u.dihedrals)); both sections merged.
    ASSERT_EQ(t.dihedrals.size(), 41u);
    EXPECT_EQ(t.dihedrals.front(), (std::array<int, 4>{0, 4, 6, 7}));
    EXPECT_EQ(t.dihedrals.back(), (std::array<int, 4>{17, 16, 18, 21}));
    EXPECT_TRUE(has_dihedral(t, {4, 6, 8, 10}));   // stored with a negative 3rd index (multi-term)
    EXPECT_TRUE(has_dihedral(t, {11, 10, 8, 14})); // from the with-hydrogen section
    // Impropers (negative 4th index) are not dihedrals: MDAnalysis impropers of this file.
    for (auto imp : {std::array<int, 4>{0, 6, 4, 5}, {4, 8, 6, 7}, {8, 16, 14, 15}, {14, 18, 16, 17}}) {
        EXPECT_FALSE(has_dihedral(t, imp));
        std::reverse(imp.begin(), imp.end());
        EXPECT_FALSE(has_dihedral(t, imp));
    }
}

TEST(AmberPrmtop, DamagedFilesAreDataErrors) {
    const std::string path = test_data("dipeptide.prmtop");
    const std::string bytes = test::file_bytes(path);
    const Topology intact = read_prmtop(path);
    int rejected = 0, tried = 0;
    for (std::size_t cut = 0; cut < bytes.size(); cut += 97) {
        test::ScratchFile f(bytes.substr(0, cut), path);
        ++tried;
        try {
            const Topology t = read_prmtop(f.path());
            // Only a cut inside sections we do not read can leave a usable file.
            EXPECT_EQ(t.n_atoms(), intact.n_atoms());
            EXPECT_EQ(t.bonds, intact.bonds);
            EXPECT_EQ(t.dihedrals, intact.dihedrals);
        } catch (const DataError& e) {
            ++rejected;
            EXPECT_NE(std::string(e.what()).find(f.path()), std::string::npos) << e.what();
        }
    }
    EXPECT_GT(rejected, tried / 2);
    // A corrupt integer in the bond section and an atom index out of range.
    std::string bad = bytes;
    const auto at = bad.find("%FLAG BONDS_INC_HYDROGEN");
    ASSERT_NE(at, std::string::npos);
    const auto digits = bad.find_first_of("0123456789", bad.find('\n', bad.find('\n', at) + 1));
    bad[digits] = 'x';
    test::ScratchFile corrupt(bad, path);
    EXPECT_THROW(read_prmtop(corrupt.path()), DataError);
    test::ScratchFile not_prmtop("hello\nworld\n", path);
    EXPECT_THROW(read_prmtop(not_prmtop.path()), DataError);
    EXPECT_THROW(read_topology(test_data("no-such-file.prmtop")), DataError);
}

TEST(AmberNetcdf, DipeptideAsMDAnalysis) {
    auto r = open_trajectory({test_data("dipeptide.nc")}, std::nullopt, 22);
    ASSERT_EQ(r->n_frames(), 5u);
    ASSERT_EQ(r->n_atoms(), 22u);
    ASSERT_TRUE(r->has_forces());
    Frame f;
    r->read(0, f);
    EXPECT_EQ(f.positions[0], 18.279998779296875f);
    EXPECT_EQ(f.positions[2], 15.510000228881836f);
    // kcal/(mol*A) in the file; MDAnalysis: float32 f * float32(4.184).
    EXPECT_EQ(f.forces[0], -159.39842224121094f);
    EXPECT_EQ(f.forces[1], -100.27285766601562f);
    EXPECT_EQ(f.forces[2], -139.6023406982422f);
    EXPECT_TRUE(f.has_box);
    EXPECT_EQ(f.dimensions, (std::array<float, 6>{30, 30, 30, 90, 90, 90}));
    EXPECT_EQ(f.box_vectors[0], 30.0f);
    EXPECT_EQ(f.box_vectors[4], 30.0f);
    r->read(4, f);
    EXPECT_EQ(f.positions[63], 12.380632400512695f);
    EXPECT_EQ(f.positions[65], 12.802996635437012f);
    EXPECT_EQ(f.forces[63], -84.94290924072266f);
    EXPECT_EQ(f.forces[65], 224.91014099121094f);
    EXPECT_THROW(r->read(5, f), DataError);
}

TEST(AmberNetcdf, TruncatedAndCorruptFiles) {
    const std::string path = test_data("dipeptide.nc");
    const std::string bytes = test::file_bytes(path);
    auto intact = open_amber_netcdf(path);
    int rejected = 0;
    for (std::size_t cut = 0; cut < bytes.size(); cut += 37) {
        test::ScratchFile f(bytes.substr(0, cut), path);
        rejected += test::damaged_trajectory_rejected_or_exact(open_nc, f.path(), *intact);
    }
    EXPECT_EQ(rejected, static_cast<int>((bytes.size() + 36) / 37));  // every cut is detected
    std::string bad = bytes;
    bad[1] = 'X';  // magic number
    test::ScratchFile corrupt(bad, path);
    EXPECT_THROW(open_amber_netcdf(corrupt.path()), DataError);
    test::ScratchFile text("not a netcdf file\n", path);
    EXPECT_THROW(open_amber_netcdf(text.path()), DataError);
}

TEST(AmberNetcdf, CloneReadsTheSameFrames) {
    auto r = open_amber_netcdf(test_data("dipeptide.nc"));
    auto c = r->clone();
    Frame a, b;
    r->read(3, a);
    c->read(3, b);
    EXPECT_EQ(a.positions, b.positions);
    EXPECT_EQ(a.forces, b.forces);
}

TEST(AmberMdcrd, SameFramesAsNetcdfWithinTextRounding) {
    auto nc = open_amber_netcdf(test_data("dipeptide.nc"));
    auto crd = open_trajectory({test_data("dipeptide.mdcrd")}, std::string("MDCRD"), 22);
    auto frc = open_mdcrd(test_data("dipeptide.frc"), 22);
    ASSERT_EQ(crd->n_frames(), 5u);
    ASSERT_EQ(frc->n_frames(), 5u);
    EXPECT_FALSE(crd->has_forces());
    Frame a, b, c;
    for (std::size_t i = 0; i < 5; ++i) {
        nc->read(i, a);
        crd->read(i, b);
        frc->read(i, c);
        ASSERT_TRUE(b.has_box);  // box line detected after each coordinate frame
        EXPECT_FALSE(c.has_box);
        EXPECT_EQ(b.dimensions, a.dimensions);
        EXPECT_EQ(b.time, static_cast<double>(i));
        for (std::size_t k = 0; k < 66; ++k) {
            EXPECT_NEAR(b.positions[k], a.positions[k], 5.01e-4);
            // .frc holds kcal/(mol*A) with 3 decimals, read as "positions".
            EXPECT_NEAR(c.positions[k] * 4.184, a.forces[k], 4.184 * 5.01e-4 + 1e-4 * std::fabs(a.forces[k]));
        }
    }
    // Exact text values: "  18.280" -> float32(18.28).
    crd->read(0, b);
    EXPECT_EQ(b.positions[0], 18.28f);
}

TEST(AmberMdcrd, WrongAtomCountTruncationAndCorruption) {
    const std::string path = test_data("dipeptide.mdcrd");
    for (std::size_t n : {1, 11, 20, 21, 23, 44})
        EXPECT_THROW(open_mdcrd(path, n), DataError) << n << " atoms";
    EXPECT_THROW(open_mdcrd(path, 0), DataError);
    EXPECT_THROW(open_mdcrd(test_data("no-such-file.mdcrd"), 22), DataError);

    for (const char* name : {"dipeptide.mdcrd", "dipeptide.frc"}) {
        const std::string p = test_data(name);
        const std::string bytes = test::file_bytes(p);
        auto intact = open_mdcrd(p, 22);
        auto open22 = [](const std::string& q) { return open_mdcrd(q, 22); };
        int accepted = 0;
        for (std::size_t cut = 0; cut < bytes.size(); cut += 13) {
            test::ScratchFile f(bytes.substr(0, cut), p);
            accepted += !test::damaged_trajectory_rejected_or_exact(open22, f.path(), *intact);
        }
        EXPECT_LE(accepted, 5) << name;  // only cuts exactly at a frame end can pass
        std::string bad = bytes;
        bad[bytes.size() - 20] = 'x';
        test::ScratchFile corrupt(bad, p);
        EXPECT_TRUE(test::damaged_trajectory_rejected_or_exact(open22, corrupt.path(), *intact)) << name;
    }
}

TEST(AmberShared, PeptidePrmtopAndNetcdf) {
    MCC_REQUIRE_SHARED_DATA(data);
    const std::string dir = data + "/peptide-amber/";
    const Topology t = read_topology(dir + "peptide.prmtop");
    EXPECT_EQ(t.n_atoms(), 3291u);
    EXPECT_EQ(t.n_residues(), 1070u);
    EXPECT_EQ(t.bonds.size(), 2229u);
    // MDAnalysis 2.4.2: len(u.dihedrals) == 270; 74 of them are heavy-atom dihedrals of the
    // peptide (the tpr has 61, see shared/data/reference/README.md).
    EXPECT_EQ(t.dihedrals.size(), 270u);
    const auto heavy = [&](int a) { return t.atoms[a].mass > 1.1; };
    EXPECT_EQ(std::count_if(t.dihedrals.begin(), t.dihedrals.end(),
                            [&](const auto& d) { return std::all_of(d.begin(), d.end(), heavy); }),
              74);
    EXPECT_EQ(t.atoms[3290].name, "CL");
    EXPECT_EQ(t.atoms[3290].charge, -1.0);
    EXPECT_EQ(t.atoms[3290].mass, 35.45);

    auto r = open_trajectory({dir + "peptide.nc"}, std::nullopt, t.n_atoms());
    ASSERT_EQ(r->n_frames(), 101u);
    ASSERT_EQ(r->n_atoms(), 3291u);
    ASSERT_TRUE(r->has_forces());
    Frame f;
    r->read(0, f);
    EXPECT_EQ(f.positions[0], 19.437992095947266f);
    EXPECT_EQ(f.forces[0], 96.09468841552734f);
    EXPECT_EQ(f.forces[2], 111.00981903076172f);
    EXPECT_EQ(f.dimensions, (std::array<float, 6>{36.153175354003906f, 36.153175354003906f, 36.15311813354492f,
                                                  60.00004196166992f, 60.00004196166992f, 90.0f}));
    r->read(57, f);
    EXPECT_EQ(f.positions[3 * 1234 + 2], 25.33346176147461f);
    EXPECT_EQ(f.forces[3 * 1234], -20.5824031829834f);
    EXPECT_EQ(f.forces[3 * 1234 + 2], 56.18484115600586f);
    r->read(100, f);
    EXPECT_EQ(f.time, 100.0);
    EXPECT_EQ(f.positions[3 * 3290 + 1], 29.00778579711914f);
    EXPECT_EQ(f.forces[3 * 3290], -16.494823455810547f);
    EXPECT_EQ(f.forces[3 * 3290 + 1], 4.312976360321045f);
}

TEST(AmberNetcdf, ClonesReadConcurrently) {
    auto r = open_amber_netcdf(test_data("dipeptide.nc"));
    std::vector<Frame> expected(r->n_frames());
    for (std::size_t i = 0; i < expected.size(); ++i) r->read(i, expected[i]);
    std::vector<std::thread> workers;
    std::atomic<int> mismatches{0};
    for (int w = 0; w < 4; ++w)
        workers.emplace_back([&, reader = r->clone()]() mutable {
            Frame f;
            for (int pass = 0; pass < 50; ++pass)
                for (std::size_t i = 0; i < expected.size(); ++i) {
                    reader->read(i, f);
                    mismatches += f.positions != expected[i].positions || f.forces != expected[i].forces;
                }
        });
    for (auto& t : workers) t.join();
    EXPECT_EQ(mismatches.load(), 0);
}

TEST(AmberNetcdf, AtomCountMustMatchTheTopology) {
    try {
        (void)open_trajectory({test_data("dipeptide.nc")}, std::nullopt, 23);
        FAIL() << "no error for 23 atoms";
    } catch (const DataError& e) {
        EXPECT_NE(std::string(e.what()).find("dipeptide.nc"), std::string::npos) << e.what();
    }
    EXPECT_THROW((void)open_trajectory({test_data("dipeptide.dump")}, std::string("LAMMPSDUMP"), 21), DataError);
}

TEST(AmberFuzz, RandomByteDamageIsDataErrorOrData) {
    test::fuzz_bytes(test_data("dipeptide.prmtop"), 300, [](const std::string& p) { (void)read_prmtop(p); });
    test::fuzz_bytes(test_data("dipeptide.nc"), 300, [](const std::string& p) { test::read_all(*open_amber_netcdf(p)); });
    test::fuzz_bytes(test_data("dipeptide.mdcrd"), 300, [](const std::string& p) { test::read_all(*open_mdcrd(p, 22)); });
}
