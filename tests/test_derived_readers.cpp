// Derived readers: atom subsets and CodeEntropy's force_file merge (with the kcal -> kJ
// float32 rule and the positions-as-forces fallback).
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>

#include "core/error.hpp"
#include "io/derived.hpp"
#include "io/formats.hpp"
#include "shared_data.hpp"
#include "trr_test_util.hpp"

namespace {

using mcc::Frame;
namespace fs = std::filesystem;

std::string temp_path(const std::string& name) {
    const fs::path dir = fs::temp_directory_path() / ("mcc_test_derived_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    return (dir / name).string();
}

std::string error_text(const std::function<void()>& f) {
    try {
        f();
    } catch (const std::exception& e) {
        return e.what();
    }
    return "(no error)";
}

TEST(SelectAtoms, GathersTheSelectedAtoms) {
    MCC_REQUIRE_SHARED_DATA(data);
    const std::string path = data + "/dna/md_A4_dna_xf.trr";
    const std::vector<int> atoms{0, 5, 100, 253};
    auto sub = mcc::select_atoms(mcc::open_trr(path), atoms);
    EXPECT_EQ(sub->n_atoms(), 4u);
    EXPECT_EQ(sub->n_frames(), 101u);
    EXPECT_TRUE(sub->has_forces());
    Frame full, part;
    auto base = mcc::open_trr(path);
    for (std::size_t k : {0u, 57u, 100u}) {
        base->read(k, full);
        sub->read(k, part);
        ASSERT_EQ(part.n_atoms(), 4u);
        for (std::size_t i = 0; i < atoms.size(); ++i)
            for (std::size_t d = 0; d < 3; ++d) {
                const std::size_t a = 3 * static_cast<std::size_t>(atoms[i]) + d;
                EXPECT_EQ(part.positions[3 * i + d], full.positions[a]);
                EXPECT_EQ(part.forces[3 * i + d], full.forces[a]);
                EXPECT_EQ(part.velocities[3 * i + d], full.velocities[a]);
            }
        EXPECT_EQ(part.dimensions, full.dimensions);
        EXPECT_EQ(part.box_vectors, full.box_vectors);
        EXPECT_EQ(part.has_box, full.has_box);
        EXPECT_EQ(part.time, full.time);
    }
    auto copy = sub->clone();
    Frame again;
    copy->read(100, again);
    EXPECT_EQ(again.positions, part.positions);

    EXPECT_THROW(mcc::select_atoms(mcc::open_trr(path), {0, 254}), mcc::UsageError);
    EXPECT_THROW(mcc::select_atoms(mcc::open_trr(path), {5, 5}), mcc::UsageError);
    EXPECT_THROW(mcc::select_atoms(mcc::open_trr(path), {6, 5}), mcc::UsageError);
    EXPECT_THROW(mcc::select_atoms(mcc::open_trr(path), {-1}), mcc::UsageError);
}

TEST(MergeForces, ForcesFromTheForceFileAndKcalRule) {
    MCC_REQUIRE_SHARED_DATA(data);
    const std::string path = data + "/dna/md_A4_dna_xf.trr";
    auto plain = mcc::merge_forces(mcc::open_trr(path), mcc::open_trr(path), false);
    auto kcal = mcc::merge_forces(mcc::open_trr(path), mcc::open_trr(path), true);
    EXPECT_TRUE(kcal->has_forces());
    EXPECT_EQ(kcal->n_frames(), 101u);
    auto kcal_copy = kcal->clone();
    Frame ref, merged, scaled;
    auto base = mcc::open_trr(path);
    std::size_t differs_from_double_rounding = 0;
    for (std::size_t k : {0u, 42u, 100u}) {
        base->read(k, ref);
        plain->read(k, merged);
        EXPECT_EQ(merged.positions, ref.positions);
        EXPECT_EQ(merged.forces, ref.forces);
        EXPECT_EQ(merged.dimensions, ref.dimensions);
        kcal_copy->read(k, scaled);
        ASSERT_EQ(scaled.forces.size(), ref.forces.size());
        for (std::size_t i = 0; i < ref.forces.size(); ++i) {
            // CodeEntropy: `forces *= 4.184` on a float32 array -> float32 multiply by fl32(4.184)
            EXPECT_EQ(scaled.forces[i], ref.forces[i] * 4.184f);
            differs_from_double_rounding +=
                scaled.forces[i] != static_cast<float>(static_cast<double>(ref.forces[i]) * 4.184);
        }
        EXPECT_EQ(scaled.positions, ref.positions);
    }
    EXPECT_GT(differs_from_double_rounding, 0u);
}

TEST(MergeForces, PositionsOfAForcelessFileAreUsedAsForces) {
    const int natoms = 2;
    mcc::test::TrrFrameSpec coords{{3, 0, 0, 0, 3, 0, 0, 0, 3}, {0.1, 0.2, 0.3, 0.4, 0.5, 0.6}, {}, {9, 9, 9, 9, 9, 9}, 0, 0};
    mcc::test::TrrFrameSpec frc{{}, {1.5, -2.5, 3.5, 0.25, 0, -1}, {}, {}, 0, 0};
    mcc::test::XdrOut a, b;
    mcc::test::append_trr_frame(a, coords, natoms, false);
    mcc::test::append_trr_frame(b, frc, natoms, false);
    const std::string pa = temp_path("coords.trr"), pb = temp_path("frc.trr");
    mcc::test::write_file(pa, a.bytes);
    mcc::test::write_file(pb, b.bytes);
    auto m = mcc::merge_forces(mcc::open_trr(pa), mcc::open_trr(pb), true);
    Frame f;
    m->read(0, f);
    for (std::size_t i = 0; i < 6; ++i) {
        EXPECT_EQ(f.positions[i], static_cast<float>(coords.x[i]) * 10.0f);
        // the force file's positions (in Angstrom, as read) times fl32(4.184)
        EXPECT_EQ(f.forces[i], static_cast<float>(frc.x[i]) * 10.0f * 4.184f);
    }
    EXPECT_TRUE(f.has_box);
    fs::remove(pa);
    fs::remove(pb);
}

TEST(MergeForces, CountMismatchNamesBothFiles) {
    MCC_REQUIRE_SHARED_DATA(data);
    const std::string dna = data + "/dna/md_A4_dna_xf.trr";
    const std::string water = data + "/water/water.trr";
    const std::string atoms_msg = error_text([&] { mcc::merge_forces(mcc::open_trr(dna), mcc::open_trr(water), false); });
    EXPECT_NE(atoms_msg.find(dna), std::string::npos) << atoms_msg;
    EXPECT_NE(atoms_msg.find(water), std::string::npos) << atoms_msg;
    EXPECT_NE(atoms_msg.find("254"), std::string::npos) << atoms_msg;
    EXPECT_NE(atoms_msg.find("1176"), std::string::npos) << atoms_msg;
    EXPECT_THROW(mcc::merge_forces(mcc::open_trr(dna), mcc::open_trr(water), false), mcc::DataError);

    // Same atoms, fewer frames: the first 40 frames of the DNA file.
    const auto bytes = mcc::test::read_file_bytes(dna);
    const std::string short_path = temp_path("dna40.trr");
    mcc::test::write_file(short_path, {bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(bytes.size() / 101 * 40)});
    const std::string frames_msg =
        error_text([&] { mcc::merge_forces(mcc::open_trr(dna), mcc::open_trr(short_path), false); });
    EXPECT_NE(frames_msg.find("101"), std::string::npos) << frames_msg;
    EXPECT_NE(frames_msg.find("40 frames"), std::string::npos) << frames_msg;
    EXPECT_NE(frames_msg.find(short_path), std::string::npos) << frames_msg;
    fs::remove(short_path);
}

}  // namespace
