// LAMMPS readers: data-file topology and text dumps. The dipeptide files come from
// scripts/make_amber_lammps_testdata.sh (same system and frames as the AMBER files);
// expected values were measured with MDAnalysis 2.4.2 (DATAParser, DumpReader) with
// CodeEntropy's float32 "forces *= 4.184" applied.
#include <gtest/gtest.h>

#include <cmath>

#include "format_test_util.hpp"
#include "io/formats.hpp"

using namespace mcc;
using mcc::test::test_data;

TEST(LammpsData, SameTopologyAsPrmtop) {
    const Topology d = read_topology(test_data("dipeptide.data"));
    const Topology p = read_topology(test_data("dipeptide.prmtop"));
    ASSERT_EQ(d.n_atoms(), 22u);
    ASSERT_EQ(d.n_residues(), 3u);
    EXPECT_EQ(d.bonds, p.bonds);
    EXPECT_EQ(d.dihedrals, p.dihedrals);  // Impropers section not included
    EXPECT_EQ(d.dihedrals.size(), 41u);
    for (std::size_t i = 0; i < d.n_atoms(); ++i) {
        EXPECT_NEAR(d.atoms[i].mass, p.atoms[i].mass, 1e-6);
        EXPECT_NEAR(d.atoms[i].charge, p.atoms[i].charge, 1e-6);
        EXPECT_EQ(d.residues[d.atoms[i].residue].resid, p.residues[p.atoms[i].residue].resid);
        EXPECT_TRUE(d.atoms[i].name.empty());  // data files have no names (as in MDAnalysis)
    }
    EXPECT_EQ(d.atoms[0].mass, 12.01);
    EXPECT_EQ(d.atoms[0].charge, static_cast<double>(-0.366200f));  // float32, as MDAnalysis keeps it
    EXPECT_EQ(d.residues[2].resid, 3);
}

TEST(LammpsData, DamagedFiles) {
    const std::string path = test_data("dipeptide.data");
    const std::string bytes = test::file_bytes(path);
    const Topology intact = read_lammps_data(path);
    int rejected = 0, tried = 0;
    for (std::size_t cut = 0; cut < bytes.size(); cut += 23) {
        test::ScratchFile f(bytes.substr(0, cut), path);
        ++tried;
        try {
            const Topology t = read_lammps_data(f.path());
            EXPECT_EQ(t.bonds, intact.bonds);
            EXPECT_EQ(t.dihedrals, intact.dihedrals);
        } catch (const DataError& e) {
            ++rejected;
            EXPECT_NE(std::string(e.what()).find(f.path()), std::string::npos) << e.what();
        }
    }
    EXPECT_GT(rejected, tried * 3 / 4);
    std::string bad = bytes;
    bad.replace(bad.find("\nBonds\n\n1 1 ") + 12, 1, "999");  // bond to an unknown atom id
    test::ScratchFile unknown_atom(bad, path);
    EXPECT_THROW(read_lammps_data(unknown_atom.path()), DataError);
    test::ScratchFile no_atoms("title\n\n3 atoms\n", path);
    EXPECT_THROW(read_lammps_data(no_atoms.path()), DataError);
}

TEST(LammpsDump, SameFramesAsNetcdf) {
    auto nc = open_amber_netcdf(test_data("dipeptide.nc"));
    auto dump = open_trajectory({test_data("dipeptide.dump")}, std::string("LAMMPSDUMP"), 22);
    auto scaled = open_lammps_dump(test_data("dipeptide_scaled.dump"));
    auto raw = open_lammps_dump(test_data("dipeptide.dump"), false);
    ASSERT_EQ(dump->n_frames(), 5u);
    ASSERT_EQ(dump->n_atoms(), 22u);
    ASSERT_TRUE(dump->has_forces());
    const std::array<float, 3> origin{-1.5f, 2.25f, 0.5f};
    Frame a, b, c, r;
    for (std::size_t i = 0; i < 5; ++i) {
        nc->read(i, a);
        dump->read(i, b);
        scaled->read(i, c);
        raw->read(i, r);
        EXPECT_EQ(b.step, static_cast<long>(10 * i));
        ASSERT_TRUE(b.has_box);
        for (int k = 0; k < 6; ++k) EXPECT_NEAR(b.dimensions[k], a.dimensions[k], 1e-5);
        for (std::size_t k = 0; k < 66; ++k) {
            // Atoms were written shuffled with the box origin at (-1.5, 2.25, 0.5): ids and the
            // origin shift restore the NetCDF order and positions.
            EXPECT_NEAR(b.positions[k], a.positions[k], 2e-5);
            // Scaled columns (written as position / box length): MDAnalysis multiplies by the
            // box and then still subtracts the origin, so it reports position - lo. Reproduced.
            EXPECT_NEAR(c.positions[k], a.positions[k] - origin[k % 3], 2e-5);
            // Both in kJ/(mol*A): dump kcal * 4.184 vs NetCDF kcal * 4.184 (7 significant digits).
            EXPECT_NEAR(b.forces[k], a.forces[k], 1e-6 * std::fabs(a.forces[k]) + 1e-5);
            EXPECT_EQ(b.forces[k], r.forces[k] * static_cast<float>(4.184));
        }
    }
    // MDAnalysis + CodeEntropy, bit for bit (frame 0, atom 0 = id 1, written as 16.78 with xlo = -1.5).
    dump->read(0, b);
    EXPECT_EQ(b.positions[0], 18.280000686645508f);
    EXPECT_EQ(b.forces[0], -159.3984375f);  // float32(-38.09714) * float32(4.184)
}

TEST(LammpsDump, DamagedFiles) {
    const std::string path = test_data("dipeptide.dump");
    const std::string bytes = test::file_bytes(path);
    auto intact = open_lammps_dump(path);
    auto open = [](const std::string& p) { return open_lammps_dump(p); };
    int accepted = 0;
    for (std::size_t cut = 0; cut < bytes.size(); cut += 11) {
        test::ScratchFile f(bytes.substr(0, cut), path);
        accepted += !test::damaged_trajectory_rejected_or_exact(open, f.path(), *intact);
    }
    EXPECT_LE(accepted, 5);
    std::string bad = bytes;
    bad.replace(bad.find("ITEM: NUMBER OF ATOMS\n22", 200) + 22, 2, "23");  // frame 1 changes the count
    test::ScratchFile count(bad, path);
    EXPECT_TRUE(test::damaged_trajectory_rejected_or_exact(open, count.path(), *intact));
    bad = bytes;
    bad[bytes.size() - 5] = 'x';
    test::ScratchFile corrupt(bad, path);
    EXPECT_TRUE(test::damaged_trajectory_rejected_or_exact(open, corrupt.path(), *intact));
    EXPECT_THROW(open_trajectory({test_data("missing.dump")}, std::string("LAMMPSDUMP"), 22), DataError);
}

TEST(LammpsDump, TriclinicBoxAsMDAnalysis) {
    const std::string text =
        "ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n2\nITEM: BOX BOUNDS xy xz yz pp pp pp\n"
        "-1.0 21.0 2.0\n0.0 18.0 -1.0\n0.5 15.5 0.0\nITEM: ATOMS id type xu yu zu fx fy fz\n"
        "2 1 1.5 2.5 3.5 1.0 -2.0 0.5\n1 1 4.0 5.0 6.0 0.25 0.125 -3.0\n";
    test::ScratchFile f(text, "x.dump");
    auto r = open_lammps_dump(f.path());
    Frame fr;
    r->read(0, fr);
    // MDAnalysis 2.4.2 DumpReader (bounding box -> box -> triclinic_box), forces *= 4.184.
    EXPECT_EQ(fr.dimensions, (std::array<float, 6>{19.0f, 18.11077117919922f, 15.033296585083008f,
                                                   90.42088317871094f, 93.81407165527344f, 83.65980529785156f}));
    EXPECT_EQ(fr.positions, (std::vector<float>{4.0f, 5.0f, 5.5f, 1.5f, 2.5f, 3.0f}));
    EXPECT_EQ(fr.forces, (std::vector<float>{1.0460000038146973f, 0.5230000019073486f, -12.552000045776367f,
                                             4.184000015258789f, -8.368000030517578f, 2.0920000076293945f}));
    EXPECT_FLOAT_EQ(fr.box_vectors[0], 19.0f);  // a along x
    EXPECT_EQ(fr.box_vectors[1], 0.0f);
}

TEST(LammpsFuzz, RandomByteDamageIsDataErrorOrData) {
    test::fuzz_bytes(test_data("dipeptide.data"), 300, [](const std::string& p) { (void)read_lammps_data(p); });
    test::fuzz_bytes(test_data("dipeptide.dump"), 300, [](const std::string& p) { test::read_all(*open_lammps_dump(p)); });
}
