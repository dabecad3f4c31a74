// XTC reader: committed small files (made by scripts/make_test_xtc.sh from the shared TRRs)
// against the TRR they came from (within the xtc precision), MDAnalysis 2.4.2 bit patterns,
// `gmx dump` of a freshly converted file, and robustness against damaged files.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <filesystem>
#include <random>

#include "core/error.hpp"
#include "io/formats.hpp"
#include "shared_data.hpp"
#include "trr_test_util.hpp"

namespace {

using mcc::Frame;
namespace fs = std::filesystem;

const std::string kData = std::string(MCC_SOURCE_DIR) + "/tests/data/";

float bits(std::uint32_t u) { return std::bit_cast<float>(u); }

std::string temp_path(const std::string& name) {
    const fs::path dir = fs::temp_directory_path() / ("mcc_test_xtc_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    return (dir / name).string();
}

// The XTC frames equal the TRR frames (same atoms, frames 0..n-1) to within half the xtc grid.
void expect_matches_trr(const std::string& xtc, const std::string& trr, double precision,
                        std::size_t n_atoms_kept) {
    auto x = mcc::open_xtc(xtc);
    auto t = mcc::open_trr(trr);
    EXPECT_FALSE(x->has_forces());
    Frame fx, ft;
    const double tol = 0.5 / precision * 10.0;  // Angstrom
    for (std::size_t k = 0; k < x->n_frames(); ++k) {
        x->read(k, fx);
        t->read(k, ft);
        ASSERT_EQ(fx.n_atoms(), n_atoms_kept);
        EXPECT_TRUE(fx.forces.empty());
        double worst = 0.0;
        for (std::size_t i = 0; i < 3 * n_atoms_kept; ++i)
            worst = std::max(worst, std::abs(double(fx.positions[i]) - double(ft.positions[i])) -
                                        4e-7 * std::abs(double(ft.positions[i])));
        EXPECT_LE(worst, tol) << xtc << " frame " << k;
        EXPECT_EQ(fx.dimensions, ft.dimensions);
        EXPECT_EQ(fx.box_vectors, ft.box_vectors);
        EXPECT_EQ(fx.step, ft.step);
        EXPECT_DOUBLE_EQ(fx.time, ft.time);
    }
}

TEST(Xtc, CommittedFilesMatchTheirTrr) {
    MCC_REQUIRE_SHARED_DATA(data);
    auto x = mcc::open_xtc(kData + "dna_10.xtc");
    EXPECT_EQ(x->n_frames(), 10u);
    EXPECT_EQ(x->n_atoms(), 254u);
    expect_matches_trr(kData + "dna_10.xtc", data + "/dna/md_A4_dna_xf.trr", 1000.0, 254);
    expect_matches_trr(kData + "water_5.xtc", data + "/water/water.trr", 1000.0, 1176);
    expect_matches_trr(kData + "dna_5atoms.xtc", data + "/dna/md_A4_dna_xf.trr", 1e30, 5);  // plain floats: exact
    expect_matches_trr(kData + "dna_ndec7.xtc", data + "/dna/md_A4_dna_xf.trr", 1e7, 254);   // large-size path
}

// Bit patterns printed by MDAnalysis 2.4.2 XTCReader.
TEST(Xtc, MatchesMDAnalysisBitPatterns) {
    Frame f;
    auto w = mcc::open_xtc(kData + "water_5.xtc");
    ASSERT_EQ(w->n_frames(), 5u);
    w->read(3, f);
    const std::uint32_t first[9] = {0x40c75c2a, 0x41a8f5c2, 0x41740001, 0x40da8f5d, 0x41a27ae2,
                                    0x41740001, 0x40d8f5c3, 0x41af851f, 0x4176147c};
    for (std::size_t i = 0; i < 9; ++i) EXPECT_EQ(f.positions[i], bits(first[i])) << i;
    EXPECT_EQ(f.positions[3 * 1175], bits(0x41a86666));
    EXPECT_EQ(f.positions[3 * 1175 + 1], bits(0x419a8f5c));
    EXPECT_EQ(f.positions[3 * 1175 + 2], bits(0x409b851f));
    mcc::open_xtc(kData + "dna_ndec7.xtc")->read(1, f);
    EXPECT_EQ(f.positions[3 * 253], bits(0x41f12e35));
    EXPECT_EQ(f.positions[3 * 253 + 1], bits(0x41dd7cab));
    EXPECT_EQ(f.positions[3 * 253 + 2], bits(0x41cc8b18));
    EXPECT_EQ(f.dimensions[0], bits(0x42235b54));
    EXPECT_EQ(f.dimensions[4], 90.0f);
    EXPECT_TRUE(f.has_box);
}

// A full conversion of the DNA trajectory made now, every frame against `gmx dump`.
TEST(Xtc, EveryFrameMatchesGmxDump) {
    MCC_REQUIRE_SHARED_DATA(data);
    if (!mcc::test::have_gmx()) GTEST_SKIP() << "gmx not found: gmx dump comparison skipped";
    const std::string xtc = temp_path("dna.xtc");
    const std::string cmd = "echo 0 | gmx trjconv -f " + data + "/dna/md_A4_dna_xf.trr -s " + data +
                            "/dna/md_A4_dna.tpr -o " + xtc + " >/dev/null 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0);
    const auto dump = mcc::test::parse_gmx_dump(mcc::test::run_capture("gmx dump -f " + xtc + " 2>/dev/null"));
    auto r = mcc::open_xtc(xtc);
    ASSERT_EQ(dump.size(), 101u);
    ASSERT_EQ(r->n_frames(), 101u);
    Frame f;
    std::size_t bad = 0;
    for (std::size_t k = 0; k < dump.size(); ++k) {
        r->read(k, f);
        ASSERT_EQ(dump[k].x.size(), f.positions.size());
        for (std::size_t i = 0; i < f.positions.size(); ++i) {
            const double ref = dump[k].x[i] * 10.0;
            bad += std::abs(f.positions[i] - ref) > 6e-6 * std::abs(ref) + 1e-30;
        }
        for (std::size_t i = 0; i < 9; ++i) {
            const double ref = dump[k].box[i] * 10.0;
            bad += std::abs(f.box_vectors[i] - ref) > 6e-6 * std::abs(ref) + 1e-30;
        }
    }
    EXPECT_EQ(bad, 0u);
    fs::remove(xtc);
}

long open_and_read_all(const std::string& path) {
    try {
        auto r = mcc::open_xtc(path);
        Frame f;
        for (std::size_t k = 0; k < r->n_frames(); ++k) r->read(k, f);
        return static_cast<long>(r->n_frames());
    } catch (const mcc::DataError& e) {
        EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
        return -1;
    }
}

TEST(Xtc, TruncatedAndCorruptFilesGiveDataError) {
    const auto bytes = mcc::test::read_file_bytes(kData + "water_5.xtc");
    const std::string path = temp_path("damaged.xtc");
    std::mt19937 rng(777);
    std::vector<std::size_t> cuts{0, 1, 4, 40, 52, 56, 80, 91, 92, 93, bytes.size() - 1, bytes.size() - 4};
    while (cuts.size() < 40) cuts.push_back(std::uniform_int_distribution<std::size_t>(1, bytes.size() - 1)(rng));
    for (std::size_t cut : cuts) {
        mcc::test::write_file(path, {bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(cut)});
        const long n = open_and_read_all(path);
        EXPECT_LT(n, 5) << "cut at " << cut;  // never the full file
    }
    std::vector<std::size_t> flips;
    for (std::size_t i = 0; i < 92; i += 4) flips.push_back(i + 3);
    while (flips.size() < 60) flips.push_back(std::uniform_int_distribution<std::size_t>(0, bytes.size() - 1)(rng));
    std::size_t errors = 0;
    for (std::size_t at : flips)
        for (unsigned char mask : {0x01, 0x10, 0x80}) {
            auto damaged = bytes;
            damaged[at] ^= mask;
            mcc::test::write_file(path, damaged);
            errors += open_and_read_all(path) < 0;
        }
    EXPECT_GT(errors, 0u);
    fs::remove(path);
}

}  // namespace
