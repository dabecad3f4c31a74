// TRR reader: acceptance numbers, every frame of every shared .trr against `gmx dump`, the
// float32 unit-conversion rules MDAnalysis applies (pinned bit patterns taken from MDAnalysis
// 2.4.2), double-precision and force-less files, and robustness against damaged files.
#include <gtest/gtest.h>
#include <fmt/format.h>

#include <bit>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <random>

#include "core/error.hpp"
#include "io/formats.hpp"
#include "io/xdr.hpp"
#include "shared_data.hpp"
#include "trr_test_util.hpp"

namespace {

using mcc::Frame;
namespace fs = std::filesystem;

std::string temp_path(const std::string& name) {
    const fs::path dir = fs::temp_directory_path() / ("mcc_test_trr_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    return (dir / name).string();
}

float bits(std::uint32_t u) { return std::bit_cast<float>(u); }

TEST(Trr, DnaAcceptanceNumbers) {
    MCC_REQUIRE_SHARED_DATA(data);
    auto r = mcc::open_trr(data + "/dna/md_A4_dna_xf.trr");
    EXPECT_EQ(r->n_frames(), 101u);
    EXPECT_EQ(r->n_atoms(), 254u);
    EXPECT_TRUE(r->has_forces());
    Frame f;
    r->read(0, f);
    EXPECT_EQ(f.n_atoms(), 254u);
    EXPECT_TRUE(f.has_forces());
    EXPECT_EQ(f.velocities.size(), 3 * 254u);  // this file also stores velocities
    EXPECT_TRUE(f.has_box);
    // gmx dump: x[0] = {1.69281e+00, ...} nm, box 4.09296 nm cube.
    EXPECT_NEAR(f.positions[0], 16.9281, 1e-4);
    EXPECT_NEAR(f.dimensions[0], 40.9296, 1e-4);
    EXPECT_EQ(f.dimensions[3], 90.0f);
    r->read(100, f);
    EXPECT_DOUBLE_EQ(f.time, 10000.0);

    auto w = mcc::open_trr(data + "/water/water.trr");
    EXPECT_EQ(w->n_frames(), 201u);
    EXPECT_EQ(w->n_atoms(), 1176u);
    EXPECT_TRUE(w->has_forces());
}

// Every frame of every shared TRR equals `gmx dump -f` after unit conversion, within the
// printed precision (%12.5e: relative 5e-6).
TEST(Trr, EveryFrameMatchesGmxDump) {
    MCC_REQUIRE_SHARED_DATA(data);
    if (!mcc::test::have_gmx()) GTEST_SKIP() << "gmx not found: gmx dump comparison skipped";
    const auto t0 = std::chrono::steady_clock::now();
    const char* files[] = {"dna/md_A4_dna_xf.trr",          "water/water.trr",
                           "water/water_raw10.trr",         "methanol/methanol.trr",
                           "methanol/methanol_raw10.trr",   "peptide/peptide.trr",
                           "peptide/peptide_raw10.trr",     "peptide-vacuum/peptide_only.trr",
                           "peptide-vacuum/vacuum.trr"};
    auto close = [](double ours, double ref) { return std::abs(ours - ref) <= 6e-6 * std::abs(ref) + 1e-30; };
    double parse_secs = 0.0;
    for (const char* name : files) {
        SCOPED_TRACE(name);
        const std::string path = data + "/" + name;
        const std::string text = mcc::test::run_capture("gmx dump -f " + path + " 2>/dev/null");
        const auto tp = std::chrono::steady_clock::now();
        const auto dump = mcc::test::parse_gmx_dump(text);
        parse_secs += std::chrono::duration<double>(std::chrono::steady_clock::now() - tp).count();
        auto r = mcc::open_trr(path);
        ASSERT_EQ(dump.size(), r->n_frames());
        Frame f;
        std::size_t bad = 0;
        for (std::size_t k = 0; k < dump.size(); ++k) {
            r->read(k, f);
            const auto& d = dump[k];
            ASSERT_EQ(d.x.size(), f.positions.size()) << "frame " << k;
            ASSERT_EQ(d.f.size(), f.forces.size()) << "frame " << k;
            ASSERT_EQ(d.v.size(), f.velocities.size()) << "frame " << k;
            ASSERT_EQ(d.box.size(), 9u);
            for (std::size_t i = 0; i < d.x.size(); ++i) bad += !close(f.positions[i], d.x[i] * 10.0);
            for (std::size_t i = 0; i < d.f.size(); ++i) bad += !close(f.forces[i], d.f[i] * 0.1);
            for (std::size_t i = 0; i < d.v.size(); ++i) bad += !close(f.velocities[i], d.v[i] * 10.0);
            for (std::size_t i = 0; i < 9; ++i) bad += !close(f.box_vectors[i], d.box[i] * 10.0);
            for (int a = 0; a < 3; ++a) {
                const double* v = &d.box[3 * static_cast<std::size_t>(a)];
                const double len = 10.0 * std::sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
                bad += std::abs(f.dimensions[static_cast<std::size_t>(a)] - len) > 2e-5 * len;
            }
        }
        EXPECT_EQ(bad, 0u);
    }
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("gmx dump comparison of 9 files: %.1f s (parsing %.1f s)\n", secs, parse_secs);
}

// MDAnalysis converts in place in float32: x *= 10.0 and f *= 0.1 run as float32 multiplies by
// fl32(factor). For forces this differs from rounding the double product, so check the rule on
// the raw file values.
TEST(Trr, ForceConversionIsFloat32MultiplyByFloat32Tenth) {
    MCC_REQUIRE_SHARED_DATA(data);
    const std::string path = data + "/dna/md_A4_dna_xf.trr";
    mcc::XdrFile raw(path);
    const std::size_t n = 3 * 254;
    raw.seek(84);  // single-precision header: 4+4+4+12 + 11*4 + 2*4 + 2*4 bytes
    std::vector<float> box(9), x(n), v(n), f(n);
    raw.read_floats(box.data(), 9, "box");
    raw.read_floats(x.data(), n, "x");
    raw.read_floats(v.data(), n, "v");
    raw.read_floats(f.data(), n, "f");
    Frame fr;
    mcc::open_trr(path)->read(0, fr);
    std::size_t differs_from_double_rounding = 0;
    for (std::size_t i = 0; i < n; ++i) {
        EXPECT_EQ(fr.positions[i], x[i] * 10.0f);
        EXPECT_EQ(fr.velocities[i], v[i] * 10.0f);
        EXPECT_EQ(fr.forces[i], f[i] * 0.1f);
        differs_from_double_rounding += fr.forces[i] != static_cast<float>(static_cast<double>(f[i]) * 0.1);
    }
    EXPECT_GT(differs_from_double_rounding, 0u);  // the rule is observable on this file
    for (std::size_t i = 0; i < 9; ++i) EXPECT_EQ(fr.box_vectors[i], box[i] * 10.0f);
}

// Bit patterns printed by MDAnalysis 2.4.2 (TRRReader) for these frames.
TEST(Trr, MatchesMDAnalysisBitPatterns) {
    MCC_REQUIRE_SHARED_DATA(data);
    Frame f;
    mcc::open_trr(data + "/peptide/peptide.trr")->read(7, f);  // rhombic dodecahedron
    const std::array<float, 6> dims{bits(0x42109cda), bits(0x42109cda), bits(0x42109ccb),
                                    bits(0x4270000b), bits(0x4270000b), bits(0x42b40000)};
    EXPECT_EQ(f.dimensions, dims);
    EXPECT_EQ(f.forces[300], bits(0xc10e7cc0));
    EXPECT_EQ(f.forces[301], bits(0xc23348e4));
    EXPECT_EQ(f.forces[302], bits(0x42249485));
    EXPECT_EQ(f.positions[300], bits(0x420d9854));
    EXPECT_EQ(f.positions[301], bits(0x41c941ba));
    EXPECT_EQ(f.positions[302], bits(0x41431a32));
    // MDAnalysis triclinic_vectors of those dimensions.
    const std::array<float, 9> vecs{bits(0x42109cda), 0, 0, 0, bits(0x42109cda), 0,
                                    bits(0x41909cbf), bits(0x41909cbf), bits(0x41cc8360)};
    EXPECT_EQ(mcc::box_vectors_from_dimensions(dims), vecs);

    mcc::open_trr(data + "/methanol/methanol.trr")->read(150, f);  // NPT: box changes
    EXPECT_EQ(f.dimensions[0], bits(0x41dc3957));
    EXPECT_EQ(f.dimensions[2], bits(0x41dc3957));
    EXPECT_EQ(f.dimensions[5], 90.0f);
    EXPECT_DOUBLE_EQ(f.time, 150.0);
}

TEST(Box, TriclinicLikeMDAnalysis) {
    const std::array<float, 6> d{30, 40, 50, 60, 70, 80};
    const std::array<float, 9> v{30, 0, 0, bits(0x40de4509), bits(0x421d91ba), 0,
                                 bits(0x4188cedd), bits(0x41b2f65e), bits(0x422544fe)};
    EXPECT_EQ(mcc::box_vectors_from_dimensions(d), v);
    EXPECT_EQ(mcc::box_dimensions_from_vectors(v), d);  // MDAnalysis gives exactly 30..80 back
    const std::array<float, 9> ortho{10, 0, 0, 0, 20, 0, 0, 0, 30};
    EXPECT_EQ(mcc::box_vectors_from_dimensions({10, 20, 30, 90, 90, 90}), ortho);
    EXPECT_EQ(mcc::box_dimensions_from_vectors(ortho), (std::array<float, 6>{10, 20, 30, 90, 90, 90}));
    EXPECT_EQ(mcc::box_dimensions_from_vectors({}), (std::array<float, 6>{}));
    EXPECT_EQ(mcc::box_vectors_from_dimensions({10, 10, 10, 30, 30, 90}), (std::array<float, 9>{}));  // impossible
    EXPECT_EQ(mcc::box_vectors_from_dimensions({0, 10, 10, 90, 90, 90}), (std::array<float, 9>{}));
}

TEST(Trr, RandomAccessAndClonesAreIndependent) {
    MCC_REQUIRE_SHARED_DATA(data);
    auto r = mcc::open_trr(data + "/water/water.trr");
    auto c = r->clone();
    Frame a, b, a2;
    r->read(150, a);
    c->read(3, b);
    r->read(3, a2);
    EXPECT_EQ(a2.positions, b.positions);
    c->read(150, b);
    EXPECT_EQ(a.positions, b.positions);
    EXPECT_EQ(a.forces, b.forces);
    EXPECT_NE(a.positions, a2.positions);
    EXPECT_EQ(c->n_frames(), 201u);
}

TEST(Trr, DoublePrecisionForcelessAndBoxlessFiles) {
    const int natoms = 2;
    mcc::test::TrrFrameSpec f0{{2.5, 0, 0, 0, 2.5, 0, 0, 0, 2.5},
                               {0.1234567890123, 1, 2, 3, 4, 5.5}, {}, {1.1, -2.2, 3.3, 4.4, 5.5, -6.6}, 10, 0.02};
    mcc::test::TrrFrameSpec f1 = f0;
    f1.x[0] = 1.0000000001;
    f1.v = {1, 2, 3, 4, 5, 6};
    f1.step = 20;
    mcc::test::XdrOut dbl;
    mcc::test::append_trr_frame(dbl, f0, natoms, true);
    mcc::test::append_trr_frame(dbl, f1, natoms, true);
    const std::string path = temp_path("double.trr");
    mcc::test::write_file(path, dbl.bytes);
    auto r = mcc::open_trr(path);
    ASSERT_EQ(r->n_frames(), 2u);
    EXPECT_TRUE(r->has_forces());
    Frame fr;
    r->read(1, fr);
    for (std::size_t i = 0; i < 6; ++i) {
        // doubles are rounded to float32 first, then converted like single-precision data
        EXPECT_EQ(fr.positions[i], static_cast<float>(f1.x[i]) * 10.0f);
        EXPECT_EQ(fr.forces[i], static_cast<float>(f1.f[i]) * 0.1f);
        EXPECT_EQ(fr.velocities[i], static_cast<float>(f1.v[i]) * 10.0f);
    }
    EXPECT_EQ(fr.step, 20);
    EXPECT_EQ(fr.dimensions, (std::array<float, 6>{25, 25, 25, 90, 90, 90}));
    r->read(0, fr);
    EXPECT_TRUE(fr.velocities.empty());
    EXPECT_DOUBLE_EQ(fr.time, static_cast<double>(0.02f));

    // No forces in one frame -> the file has no forces; no box -> has_box false.
    mcc::test::TrrFrameSpec g0 = f0, g1 = f0;
    g1.f.clear();
    g1.box.clear();
    mcc::test::XdrOut single;
    mcc::test::append_trr_frame(single, g0, natoms, false);
    mcc::test::append_trr_frame(single, g1, natoms, false);
    mcc::test::write_file(path, single.bytes);
    auto s = mcc::open_trr(path);
    EXPECT_FALSE(s->has_forces());
    s->read(1, fr);
    EXPECT_FALSE(fr.has_box);
    EXPECT_FALSE(fr.has_forces());
    EXPECT_EQ(fr.n_atoms(), 2u);
    s->read(0, fr);
    EXPECT_TRUE(fr.has_box);
    EXPECT_TRUE(fr.has_forces());

    // An all-zero box is "no box", as MDAnalysis' dimensions None.
    g1 = f0;
    g1.box.assign(9, 0.0);
    mcc::test::XdrOut zero;
    mcc::test::append_trr_frame(zero, g1, natoms, false);
    mcc::test::write_file(path, zero.bytes);
    mcc::open_trr(path)->read(0, fr);
    EXPECT_FALSE(fr.has_box);
    fs::remove(path);
}

void expect_data_error(const std::string& path, const std::string& what) {
    try {
        auto r = mcc::open_trr(path);
        Frame f;
        for (std::size_t k = 0; k < r->n_frames(); ++k) r->read(k, f);
        ADD_FAILURE() << what << ": expected a DataError";
    } catch (const mcc::DataError& e) {
        EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    }
}

// Outcome of opening + reading every frame: number of frames, or -1 on DataError (anything
// else propagates and fails the test).
long open_and_read_all(const std::string& path) {
    try {
        auto r = mcc::open_trr(path);
        Frame f;
        for (std::size_t k = 0; k < r->n_frames(); ++k) r->read(k, f);
        return static_cast<long>(r->n_frames());
    } catch (const mcc::DataError& e) {
        EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
        return -1;
    }
}

// Cuts a TRR at ~40 offsets and flips bytes at ~40 positions (x3 masks): opening and reading
// every frame either succeeds or throws a DataError naming the file. A cut inside a frame is an
// error naming that frame; a cut on a frame boundary leaves a valid shorter file.
void damage_trr(const std::string& src, std::size_t n_frames, unsigned seed) {
    SCOPED_TRACE(src);
    const auto bytes = mcc::test::read_file_bytes(src);
    const std::size_t frame_bytes = bytes.size() / n_frames;  // every frame has the same size
    ASSERT_EQ(frame_bytes * n_frames, bytes.size());
    const std::string path = temp_path("damaged.trr");
    std::mt19937 rng(seed);
    std::vector<std::size_t> cuts{0, 1, 3, 4, 20, 50, 83, 84, 85, 119, 120, frame_bytes - 1, frame_bytes,
                                  frame_bytes + 1, n_frames / 2 * frame_bytes, bytes.size() - 1, bytes.size() - 4};
    while (cuts.size() < 40) cuts.push_back(std::uniform_int_distribution<std::size_t>(0, bytes.size())(rng));
    for (std::size_t cut : cuts) {
        mcc::test::write_file(path, {bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(cut)});
        const long n = open_and_read_all(path);
        if (cut % frame_bytes == 0 && cut > 0) {
            EXPECT_EQ(n, static_cast<long>(cut / frame_bytes)) << "cut at " << cut;
        } else {
            EXPECT_EQ(n, -1) << "cut at " << cut;
            try {
                (void)mcc::open_trr(path);
            } catch (const mcc::DataError& e) {
                if (cut > 0)
                    EXPECT_NE(std::string(e.what()).find(fmt::format("frame {}", cut / frame_bytes)),
                              std::string::npos)
                        << e.what();
            }
        }
    }
    // Corruption: header bytes of frame 0 and of a later frame, and random bytes.
    std::vector<std::size_t> flips;
    for (std::size_t i = 0; i < 84; i += 4) flips.push_back(i + 3);
    for (std::size_t k = 0; k < 6; ++k) flips.push_back(n_frames / 3 * frame_bytes + 4 * k + 1);
    while (flips.size() < 40) flips.push_back(std::uniform_int_distribution<std::size_t>(0, bytes.size() - 1)(rng));
    for (std::size_t at : flips) {
        for (unsigned char mask : {0x01, 0x80, 0xff}) {
            auto damaged = bytes;
            damaged[at] ^= mask;
            mcc::test::write_file(path, damaged);
            (void)open_and_read_all(path);  // succeeds or throws DataError, nothing else
        }
    }
    fs::remove(path);
}

TEST(Trr, TruncatedAndCorruptFilesGiveDataError) {
    MCC_REQUIRE_SHARED_DATA(data);
    damage_trr(data + "/dna/md_A4_dna_xf.trr", 101, 12345);
    damage_trr(data + "/peptide-vacuum/vacuum.trr", 201, 54321);
    const std::string src = data + "/dna/md_A4_dna_xf.trr";
    const auto bytes = mcc::test::read_file_bytes(src);
    const std::size_t frame_bytes = bytes.size() / 101;
    const std::string path = temp_path("damaged.trr");
    // Specific damage: magic number, atom count huge, negative size.
    auto damaged = bytes;
    damaged[3] = 0;
    mcc::test::write_file(path, damaged);
    expect_data_error(path, "bad magic");
    damaged = bytes;
    damaged[64] = 0x7f;  // natoms -> ~2e9
    mcc::test::write_file(path, damaged);
    expect_data_error(path, "huge atom count");
    damaged = bytes;
    damaged[frame_bytes * 3 + 60] = 0x80;  // f_size of frame 3 negative
    mcc::test::write_file(path, damaged);
    expect_data_error(path, "negative size");
    fs::remove(path);
    EXPECT_THROW(mcc::open_trr(temp_path("does_not_exist.trr")), mcc::DataError);
}

}  // namespace
