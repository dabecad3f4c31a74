// GRO and PDB topologies and frames. Expected values were printed by MDAnalysis 2.4.2 for the
// same files (types, masses, resids, segids, bonds, dimensions).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/error.hpp"
#include "io/element_guess.hpp"
#include "io/formats.hpp"
#include "shared_data.hpp"

namespace {

using mcc::Frame;
namespace fs = std::filesystem;

std::string write_temp(const std::string& name, const std::string& text) {
    const fs::path dir = fs::temp_directory_path() / ("mcc_test_gro_pdb_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const std::string path = (dir / name).string();
    std::ofstream(path) << text;
    return path;
}

const char* kTwoModels =
    "REMARK   synthetic test file\n"
    "CRYST1   20.000   30.000   40.000  90.00 100.00  90.00 P 1           1\n"
    "MODEL        1\n"
    "ATOM      1  N   ALA A   1       1.000   2.000   3.000  1.00  0.00           N\n"
    "ATOM      2  CA  ALA A   1       2.125   2.000   3.000  1.00  0.00           C\n"
    "ATOM      3 CL   CLA A   2       3.000   2.000  -3.333  1.00  0.00          CL\n"
    "HETATM    4  O   HOH B   2       4.000   2.000   3.000  1.00  0.00           O\n"
    "ATOM      5  XX  UNK B   2       5.000   2.000   3.000  1.00  0.00          XX\n"
    "TER       6\n"
    "ENDMDL\n"
    "CRYST1   21.000   31.000   41.000  90.00  90.00 120.00 P 1           1\n"
    "MODEL        2\n"
    "ATOM      1  N   ALA A   1       1.500   2.000   3.000  1.00  0.00           N\n"
    "ATOM      2  CA  ALA A   1       2.500   2.000   3.000  1.00  0.00           C\n"
    "ATOM      3 CL   CLA A   2       3.500   2.000   3.000  1.00  0.00          CL\n"
    "HETATM    4  O   HOH B   2       4.500   2.000   3.000  1.00  0.00           O\n"
    "ATOM      5  XX  UNK B   2       5.500   2.000   3.000  1.00  0.00          XX\n"
    "TER       6\n"
    "ENDMDL\n"
    "CONECT    1    2\n"
    "CONECT    2    1    6\n"
    "END\n";

TEST(Pdb, ModelsElementsConectAndBoxes) {
    const std::string path = write_temp("two_models.pdb", kTwoModels);
    const auto top = mcc::read_topology(path);
    ASSERT_EQ(top.n_atoms(), 5u);
    ASSERT_EQ(top.n_residues(), 4u);  // (1 ALA A) (2 CLA A) (2 HOH B) (2 UNK B)
    const std::vector<std::string> types{"N", "C", "CL", "O", "XX"};
    const std::vector<std::string> elements{"N", "C", "Cl", "O", ""};
    const std::vector<double> masses{14.007, 12.011, 35.45, 15.999, 0.0};
    for (std::size_t i = 0; i < 5; ++i) {
        EXPECT_EQ(top.atoms[i].type, types[i]);
        EXPECT_EQ(top.atoms[i].element, elements[i]);
        EXPECT_EQ(top.atoms[i].mass, masses[i]);
    }
    EXPECT_EQ(top.atoms[1].name, "CA");
    EXPECT_EQ(top.atoms[2].atomic_number, 17);
    EXPECT_EQ(top.residues[0].resid, 1);
    EXPECT_EQ(top.residues[3].resid, 2);
    EXPECT_EQ(top.residues[1].name, "CLA");
    EXPECT_EQ(top.residues[1].segid, "A");  // chain ids stand in for missing segids
    EXPECT_EQ(top.residues[2].segid, "B");
    ASSERT_EQ(top.bonds.size(), 1u);  // the bond to the TER serial 6 is dropped
    EXPECT_EQ(top.bonds[0], (std::array<int, 2>{0, 1}));

    auto r = mcc::open_trajectory({path}, std::nullopt, 5);
    ASSERT_EQ(r->n_frames(), 2u);
    EXPECT_EQ(r->n_atoms(), 5u);
    EXPECT_FALSE(r->has_forces());
    Frame f;
    r->read(1, f);
    EXPECT_EQ(f.positions[6], 3.5f);
    EXPECT_EQ(f.dimensions, (std::array<float, 6>{21, 31, 41, 90, 90, 120}));
    EXPECT_EQ(f.box_vectors, mcc::box_vectors_from_dimensions(f.dimensions));
    r->clone()->read(0, f);
    EXPECT_EQ(f.positions[8], -3.333f);
    EXPECT_EQ(f.positions[3], 2.125f);
    EXPECT_EQ(f.dimensions, (std::array<float, 6>{20, 30, 40, 90, 100, 90}));
    EXPECT_TRUE(f.has_box);
}

TEST(Pdb, NameGuessingResidWrapAndPlaceholderBox) {
    const std::string path = write_temp(
        "guess.pdb",
        "CRYST1    1.000    1.000    1.000  90.00  90.00  90.00 P 1           1\n"
        "ATOM      1  OW  SOL  9998       1.000   2.000   3.000  1.00  0.00      WAT\n"
        "ATOM      2  HW1 SOL  9998       1.000   2.000   3.000  1.00  0.00      WAT\n"
        "ATOM      3  CA  LYS  9999       1.000   2.000   3.000  1.00  0.00      PROT\n"
        "ATOM      4 1HB  LYS     0       1.000   2.000   3.000  1.00  0.00      PROT\n"
        "ATOM      5  NA+ ION     1       1.000   2.000   3.000  1.00  0.00      ION\n"
        "ATOM      6  MW  TIP     2       1.000   2.000   3.000  1.00  0.00      ION\n"
        "END\n");
    const auto top = mcc::read_topology(path);
    const std::vector<std::string> types{"O", "H", "C", "H", "NA", "DUMMY"};
    const std::vector<double> masses{15.999, 1.008, 12.011, 1.008, 22.98977, 0.0};
    const std::vector<int> resids{9998, 9998, 9999, 10000, 10001, 10002};
    for (std::size_t i = 0; i < 6; ++i) {
        EXPECT_EQ(top.atoms[i].type, types[i]);
        EXPECT_EQ(top.atoms[i].mass, masses[i]);
        EXPECT_EQ(top.atoms[i].element, "");  // no element column: none assigned (as MDAnalysis)
        EXPECT_EQ(top.residues[static_cast<std::size_t>(top.atoms[i].residue)].resid, resids[i]);
    }
    EXPECT_EQ(top.n_residues(), 5u);
    EXPECT_EQ(top.residues[0].segid, "WAT");
    EXPECT_EQ(top.residues[4].segid, "ION");
    Frame f;
    mcc::open_pdb_trajectory(path)->read(0, f);
    EXPECT_FALSE(f.has_box);  // the 1 A placeholder cell means "no box"
    EXPECT_EQ(f.dimensions, (std::array<float, 6>{}));
}

TEST(Gro, ResidWrapVelocitiesAndBox) {
    const std::string path = write_temp(
        "wrap.gro",
        "synthetic gro, t= 0.0\n"
        "    6\n"
        "99999SOL     OW    1   1.000   2.000   3.000  0.1000  0.2000 -0.3000\n"
        "99999SOL    HW1    2   1.100   2.000   3.000  0.0000  0.0000  0.0000\n"
        "    0SOL    HW2    3   1.200   2.000   3.000  0.0000  0.0000  0.0000\n"
        "    0NA      NA    4   1.300   2.000   3.000  0.0000  0.0000  0.0000\n"
        "    1CL      CL    5   1.400   2.000   3.333  0.0000  0.0000  0.0000\n"
        "    2MOH     C1    6   1.500   2.000   3.000  0.0000  0.0000  0.0000\n"
        "   2.50000   2.60000   2.70000\n");
    const auto top = mcc::read_topology(path);
    ASSERT_EQ(top.n_atoms(), 6u);
    const std::vector<std::string> types{"O", "H", "H", "NA", "CL", "C"};
    const std::vector<double> masses{15.999, 1.008, 1.008, 22.98977, 35.45, 12.011};
    const std::vector<int> resids{99999, 99999, 100000, 100000, 100001, 100002};
    for (std::size_t i = 0; i < 6; ++i) {
        EXPECT_EQ(top.atoms[i].type, types[i]);
        EXPECT_EQ(top.atoms[i].mass, masses[i]);
        EXPECT_EQ(top.residues[static_cast<std::size_t>(top.atoms[i].residue)].resid, resids[i]);
    }
    EXPECT_EQ(top.n_residues(), 5u);
    EXPECT_EQ(top.residues[0].segid, "SYSTEM");
    EXPECT_TRUE(top.bonds.empty());
    auto r = mcc::open_trajectory({path}, std::nullopt, 6);
    ASSERT_EQ(r->n_frames(), 1u);
    Frame f;
    r->read(0, f);
    EXPECT_EQ(f.positions[3 * 4 + 2], 3.333f * 10.0f);
    EXPECT_EQ(f.positions[3 * 5], 15.0f);
    ASSERT_EQ(f.velocities.size(), 18u);
    EXPECT_EQ(f.velocities[0], 1.0f);
    EXPECT_EQ(f.velocities[2], -3.0f);
    EXPECT_EQ(f.dimensions, (std::array<float, 6>{25, 26, 27, 90, 90, 90}));
    EXPECT_EQ(f.box_vectors, (std::array<float, 9>{25, 0, 0, 0, 26, 0, 0, 0, 27}));
}

TEST(Gro, SharedFiles) {
    MCC_REQUIRE_SHARED_DATA(data);
    const auto water = mcc::read_topology(data + "/water/water.gro");
    EXPECT_EQ(water.n_atoms(), 1176u);
    EXPECT_EQ(water.n_residues(), 392u);
    EXPECT_EQ(water.atoms[0].mass, 15.999);
    EXPECT_EQ(water.atoms[1].mass, 1.008);
    // Rhombic dodecahedron: 9 box numbers in GROMACS order.
    Frame f;
    mcc::open_gro_trajectory(data + "/peptide/peptide.gro")->read(0, f);
    EXPECT_EQ(f.n_atoms(), 3291u);
    EXPECT_NEAR(f.dimensions[0], 36.1532, 1e-4);
    EXPECT_NEAR(f.dimensions[2], 36.1532, 1e-3);
    EXPECT_NEAR(f.dimensions[3], 60.0, 1e-3);
    EXPECT_NEAR(f.dimensions[5], 90.0, 1e-3);
    EXPECT_NEAR(f.box_vectors[7], 18.0765, 1e-4);  // c_y
    const auto pep = mcc::read_topology(data + "/peptide-vacuum/peptide_only.pdb");
    EXPECT_EQ(pep.n_atoms(), 107u);
    EXPECT_EQ(pep.n_residues(), 8u);
}

TEST(GroPdb, DamagedFilesGiveDataError) {
    EXPECT_THROW(mcc::read_topology(write_temp("short.gro", "title\n    3\n    1SOL     OW    1   1.000   2.000   3.000\n")),
                 mcc::DataError);
    EXPECT_THROW(mcc::read_topology(write_temp("count.gro", "title\nabc\n")), mcc::DataError);
    EXPECT_THROW(mcc::open_gro_trajectory(write_temp("box.gro", "t\n    1\n    1SOL     OW    1   1.000   2.000   3.000\n 1 2\n")),
                 mcc::DataError);
    EXPECT_THROW(mcc::read_topology(write_temp("empty.pdb", "REMARK nothing\nEND\n")), mcc::DataError);
    // Second model cut short: its atom count differs from the first model's.
    std::string cut(kTwoModels);
    cut = cut.substr(0, cut.find("HETATM    4  O   HOH B   2       4.500"));
    const std::string path = write_temp("cut.pdb", cut);
    auto r = mcc::open_pdb_trajectory(path);
    Frame f;
    r->read(0, f);
    try {
        r->read(1, f);
        ADD_FAILURE() << "expected a DataError";
    } catch (const mcc::DataError& e) {
        EXPECT_NE(std::string(e.what()).find(path), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("frame 1"), std::string::npos);
    }
}

TEST(ElementGuess, LikeMDAnalysis) {
    EXPECT_EQ(mcc::guess_atom_type("OW"), "O");
    EXPECT_EQ(mcc::guess_atom_type("HW2"), "H");
    EXPECT_EQ(mcc::guess_atom_type("CA"), "C");
    EXPECT_EQ(mcc::guess_atom_type("CLA"), "CL");
    EXPECT_EQ(mcc::guess_atom_type("SOD"), "NA");
    EXPECT_EQ(mcc::guess_atom_type("Cl-"), "CL");
    EXPECT_EQ(mcc::guess_atom_type("1HB"), "H");
    EXPECT_EQ(mcc::guess_atom_type("123"), "123");
    EXPECT_EQ(mcc::guess_atom_type("ZZZ"), "Z");
    EXPECT_EQ(mcc::guess_mass_from_type("Cl"), 35.45);
    EXPECT_EQ(mcc::guess_mass_from_type("Na"), 22.989768);  // MDAnalysis has both spellings
    EXPECT_EQ(mcc::guess_mass_from_type("NA"), 22.98977);
    EXPECT_EQ(mcc::guess_mass_from_type("Z"), 0.0);
    EXPECT_EQ(mcc::element_symbol("CL"), "Cl");
    EXPECT_EQ(mcc::element_symbol("XX"), "");
    EXPECT_EQ(mcc::atomic_number_of("Og"), 118);
}

}  // namespace
