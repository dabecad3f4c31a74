// Conformational analysis on hand-made systems: plan discovery rules, peaks (Q-C7), labels
// (Q-C3), states (Q-C6), entropy (Q-C11), flexible counts with virtual chunks (Q-C4), and the
// residue-level lookup quirks (Q-C1, Q-C2).
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "core/error.hpp"
#include "entropy/conformational.hpp"
#include "kernels/dihedrals.hpp"
#include "plan/dihedral_plan.hpp"
#include "topology_builder.hpp"

using namespace mcc;

namespace {

constexpr double kTwoToOne = 5.292271495278918;  // -R(1/3 ln 1/3 + 2/3 ln 2/3)

using Builder = TopologyBuilder;

// A "butane": four heavy atoms C1-C2-C3-C4 in one residue, plus H on C1; dihedrals C1-C2-C3-C4
// (heavy) and H-C1-C2-C3 (has a hydrogen: never a UA dihedral).
void add_butane(Builder& b) {
    const int r = b.residue("BUT");
    const int c1 = b.atom("C1", 12.011, r), c2 = b.atom("C2", 12.011, r);
    const int c3 = b.atom("C3", 12.011, r), c4 = b.atom("C4", 12.011, r);
    const int h = b.atom("H1", 1.008, r);
    b.bond(c1, c2); b.bond(c2, c3); b.bond(c3, c4); b.bond(c1, h);
    b.dihedral(c1, c2, c3, c4);
    b.dihedral(h, c1, c2, c3);
}

// A polymer of n residues (P, C1, C2, O each; bond O(k) - P(k+1)); UA dihedral P-C1-C2-O in
// every residue, plus the cross-residue C2-O-P'-C1' (never a UA dihedral).
void add_polymer(Builder& b, int n, const char* resname = "NUC") {
    int prev_o = -1, prev_c2 = -1;
    for (int k = 0; k < n; ++k) {
        const int r = b.residue(resname);
        const int p = b.atom("P", 30.97, r), c1 = b.atom("C1", 12.011, r);
        const int c2 = b.atom("C2", 12.011, r), o = b.atom("O", 15.999, r);
        b.bond(p, c1); b.bond(c1, c2); b.bond(c2, o);
        b.dihedral(p, c1, c2, o);
        if (prev_o >= 0) {
            b.bond(prev_o, p);
            b.dihedral(prev_c2, prev_o, p, c1);
        }
        prev_o = o;
        prev_c2 = c2;
    }
}

// Butane positions with dihedral `phi` degrees, shifted by `offset` along x.
void place_butane(Frame& f, int first_atom, double phi, float offset) {
    const double rad = phi * std::acos(-1.0) / 180.0;
    const float xyz[5][3] = {{1, 0, 0}, {0, 0, 0}, {0, 0, 1.5f},
                             {static_cast<float>(std::cos(rad)), static_cast<float>(std::sin(rad)), 1.5f},
                             {1.5f, 0.5f, 0}};
    for (int a = 0; a < 5; ++a)
        for (int i = 0; i < 3; ++i)
            f.positions[3 * static_cast<std::size_t>(first_atom + a) + i] = xyz[a][i] + (i == 0 ? offset : 0.0f);
}

struct TwoButanes {
    Topology top;
    Structure s;
    DihedralPlan plan;
    std::vector<Frame> frames;

    TwoButanes(const std::vector<double>& a, const std::vector<double>& b,
               ConformationalQuirks q = ConformationalQuirks::codeentropy()) {
        Builder bl;
        add_butane(bl);
        add_butane(bl);
        top = bl.done();
        s = build_structure(top, Grouping::Molecules);
        plan = build_dihedral_plan(top, s, Options{}, q);
        for (std::size_t i = 0; i < a.size(); ++i) {
            Frame f;
            f.positions.assign(3 * top.n_atoms(), 0.0f);
            place_butane(f, 0, a[i], 0.0f);
            place_butane(f, 5, b[i], 10.0f);
            frames.push_back(std::move(f));
        }
    }

    // Runs the pass with real chunks of `chunk` frames, merged in order.
    ConformationalResult run(std::size_t chunk) {
        DihedralPartial total = make_dihedral_partial(plan);
        for (std::size_t f0 = 0; f0 < frames.size(); f0 += chunk) {
            DihedralPartial part = make_dihedral_partial(plan);
            for (std::size_t f = f0; f < std::min(frames.size(), f0 + chunk); ++f)
                accumulate_dihedrals(plan, frames[f], f, part);
            total.merge(part);
        }
        return finish_conformational(plan, total, frames.size());
    }
};

}  // namespace

TEST(ConfPeaks, PlateauFlatCircularAndZeroBins) {
    const std::vector<double> c12 = {15, 45, 75, 105, 135, 165, 195, 225, 255, 285, 315, 345};
    // plateau 3,3,3 over bins 2..4: one peak at its last bin (135)
    const std::int64_t plateau[12] = {0, 1, 3, 3, 3, 1, 0, 0, 0, 0, 0, 0};
    EXPECT_EQ(find_histogram_peaks(plateau, 12, c12), (std::vector<double>{135}));
    // flat non-zero histogram, and a single bin: no peaks
    const std::int64_t flat[12] = {2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2};
    EXPECT_TRUE(find_histogram_peaks(flat, 12, c12).empty());
    const std::int64_t one[1] = {7};
    EXPECT_TRUE(find_histogram_peaks(one, 1, std::vector<double>{180}).empty());
    // circular neighbours: bin 0 vs bin 11
    const std::int64_t wrap_first[12] = {5, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5};
    EXPECT_EQ(find_histogram_peaks(wrap_first, 12, c12), (std::vector<double>{15}));
    const std::int64_t wrap_last[12] = {4, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5};
    EXPECT_EQ(find_histogram_peaks(wrap_last, 12, c12), (std::vector<double>{345}));
    // two separate maxima, ascending
    const std::int64_t two[12] = {0, 0, 4, 1, 0, 0, 6, 2, 0, 0, 0, 0};
    EXPECT_EQ(find_histogram_peaks(two, 12, c12), (std::vector<double>{75, 195}));
}

TEST(ConfPeaks, BinCentresFollowTruncatedBinWidth) {
    Builder b;
    add_butane(b);
    const Topology top = b.done();
    const Structure s = build_structure(top, Grouping::Molecules);
    Options o;
    o.bin_width = 7;  // 360/7 = 51.43 -> 51 bins of 7.0588 degrees
    const DihedralPlan p = build_dihedral_plan(top, s, o);
    EXPECT_EQ(p.n_bins, 51);
    EXPECT_DOUBLE_EQ(p.bin_width, 360.0 / 51);
    EXPECT_DOUBLE_EQ(p.bin_centres.front(), 180.0 / 51);
    EXPECT_DOUBLE_EQ(p.bin_centres.back(), 360.0 - 180.0 / 51);
    o.bin_width = 15;
    EXPECT_EQ(build_dihedral_plan(top, s, o).bin_centres[1], 22.5);
    o.bin_width = 0;
    EXPECT_THROW(build_dihedral_plan(top, s, o), UsageError);
}

TEST(ConfLabels, NearestPeakWithoutWrapTiesToLower) {
    const std::vector<double> peaks = {15, 195};
    EXPECT_EQ(nearest_peak_label(355, peaks), 1);        // Q-C3: 160 < 340
    EXPECT_EQ(nearest_peak_label(355, peaks, true), 0);  // circular distance 20
    EXPECT_EQ(nearest_peak_label(105, peaks), 0);        // tie (90, 90) -> lower index
    EXPECT_EQ(nearest_peak_label(105.0000001, peaks), 1);
    EXPECT_EQ(nearest_peak_label(200, {}), 0);
    EXPECT_EQ(nearest_peak_label(std::nan(""), peaks), 0);
}

TEST(ConfStates, DigitConcatenationCollides) {
    const int a[3] = {0, 2, 1};
    EXPECT_EQ(state_string(a, 3), "021");
    const int x[2] = {1, 10}, y[2] = {11, 0};
    EXPECT_EQ(state_string(x, 2), state_string(y, 2));  // Q-C6: both "110"
    EXPECT_NE(state_string(x, 2, false), state_string(y, 2, false));
}

TEST(ConfEntropy, FormulaAndDegenerateCases) {
    EXPECT_EQ(entropy_from_counts({2, 1}), kTwoToOne);
    EXPECT_EQ(entropy_from_counts({1, 2}), kTwoToOne);
    EXPECT_EQ(entropy_from_counts({}), 0.0);
    EXPECT_EQ(entropy_from_counts({101}), 0.0);
    EXPECT_NEAR(entropy_from_counts({1, 1, 1, 1}), kGasConstant * std::log(4.0), 1e-12);
    // more than 8 states: numpy's pairwise order, still -R sum p ln p
    std::vector<std::int64_t> many(20, 3);
    EXPECT_NEAR(entropy_from_counts(many), kGasConstant * std::log(20.0), 1e-12);
}

TEST(ConfChunks, ReferenceChunkSize) {
    EXPECT_EQ(reference_chunk_size(1, 1), 1u);
    EXPECT_EQ(reference_chunk_size(3, 1), 2u);   // frames 0,2,4 -> chunks (0,2), (4)
    EXPECT_EQ(reference_chunk_size(19, 1), 10u);
    EXPECT_EQ(reference_chunk_size(100, 1), 32u);
    EXPECT_EQ(reference_chunk_size(100, 4), 13u);
    EXPECT_EQ(reference_chunk_size(0, 1), 1u);
}

TEST(ConfPlan, UnitedAtomAndResidueDihedrals) {
    Builder b;
    add_polymer(b, 5);
    add_butane(b);
    const Topology top = b.done();
    const Structure s = build_structure(top, Grouping::Molecules);
    const DihedralPlan p = build_dihedral_plan(top, s, Options{});
    ASSERT_EQ(p.groups.size(), 2u);
    const DihedralGroupLayout& poly = p.groups[0];
    EXPECT_TRUE(poly.has_residue_level);
    EXPECT_EQ(poly.n_positions, 5);
    EXPECT_EQ(poly.ua_count, (std::vector<int>{1, 1, 1, 1, 1}));  // no H, no cross-residue
    EXPECT_EQ(poly.n_residue_dihedrals, 2);                        // windows 0-3 and 1-4
    // residue dihedral O(0) - P(1) - O(2) - P(3), atoms per residue: P, C1, C2, O
    EXPECT_EQ(p.instances[poly.instance(0, 5)], (std::array<int, 4>{3, 4, 11, 12}));
    EXPECT_EQ(p.instances[poly.instance(0, 6)], (std::array<int, 4>{7, 8, 15, 16}));
    EXPECT_EQ(p.instances[poly.instance(0, 0)], (std::array<int, 4>{0, 1, 2, 3}));
    const DihedralGroupLayout& but = p.groups[1];
    EXPECT_EQ(but.group_id, 1);
    EXPECT_EQ(but.ua_count, (std::vector<int>{1}));
    EXPECT_EQ(but.n_residue_dihedrals, 0);  // one residue
    EXPECT_EQ(p.n_instances(), 8u);
    EXPECT_EQ(p.angle_bytes_per_frame(), 64u);
}

TEST(ConfPlan, IndexRangesPullInInterleavedAtoms) {
    // Molecule X: residue A (atoms 0-3) and residue C (atom 6, bonded to 3); molecule Y:
    // residue B (atoms 4, 5) numbered inside X's range.
    Builder b;
    const int ra = b.residue("AAA"), rb = b.residue("BBB"), rc = b.residue("CCC");
    for (int i = 0; i < 4; ++i) b.atom("C", 12.0, ra);
    b.atom("N", 14.0, rb);
    b.atom("O", 16.0, rb);
    b.atom("S", 32.0, rc);
    b.bond(0, 1); b.bond(1, 2); b.bond(2, 3); b.bond(3, 6); b.bond(4, 5);
    b.dihedral(0, 1, 2, 3);
    b.dihedral(1, 2, 3, 6);
    const Topology top = b.done();
    const Structure s = build_structure(top, Grouping::Each);
    ASSERT_EQ(s.molecules[0].residues.size(), 2u);
    const DihedralPlan ranged = build_dihedral_plan(top, s, Options{});
    EXPECT_EQ(ranged.groups[0].n_positions, 3);  // Q-C5: residue B counted in molecule X
    EXPECT_EQ(ranged.groups[0].ua_count, (std::vector<int>{1, 0, 0}));
    EXPECT_EQ(ranged.groups[0].residue_names.size(), 2u);  // rows: the fragment's residues
    ConformationalQuirks q;
    q.index_range_atom_sets = false;
    const DihedralPlan own = build_dihedral_plan(top, s, Options{}, q);
    EXPECT_EQ(own.groups[0].n_positions, 2);
}

TEST(ConfPipeline, TwoStateDihedralEntropyAndVirtualChunks) {
    // Molecule A changes state between frame positions 1 and 2 only; B stays trans.
    TwoButanes sys({65, 65, 185}, {185, 185, 185});
    const ConformationalResult r = sys.run(3);
    ASSERT_EQ(sys.plan.n_slots, 1u);
    EXPECT_EQ(r.peaks[0], (std::vector<double>{75, 195}));
    EXPECT_EQ(r.ua_entropy.at({0, 0}), kTwoToOne);  // states "0" x2, "1" x4
    ASSERT_EQ(r.group_rows.size(), 2u);              // united_atom + residue (4 heavy atoms)
    EXPECT_EQ(r.group_rows[0].level, "united_atom");
    EXPECT_EQ(r.group_rows[0].type, "Conformational");
    EXPECT_EQ(r.group_rows[0].value, kTwoToOne);
    EXPECT_EQ(r.group_rows[1].level, "residue");
    EXPECT_EQ(r.group_rows[1].value, 0.0);
    ASSERT_EQ(r.residue_rows.size(), 1u);
    EXPECT_EQ(r.residue_rows[0].residue_name, "BUT");
    EXPECT_EQ(r.residue_rows[0].count, 3);
    EXPECT_EQ(r.residue_rows[0].value, kTwoToOne);
    // Q-C4: N_f = 3 -> virtual chunks (0,1), (2): the change is never seen.
    EXPECT_EQ(r.flexible.ua(0, 0), 0);
    EXPECT_EQ(r.flexible.res(0), 0);
    // Whatever the real chunking, the same answer.
    for (std::size_t chunk : {1u, 2u}) {
        const ConformationalResult rc = sys.run(chunk);
        EXPECT_EQ(rc.ua_entropy.at({0, 0}), kTwoToOne);
        EXPECT_EQ(rc.flexible.ua(0, 0), 0);
    }
    // Without the quirk (one chunk of all frames) the change counts.
    ConformationalQuirks q;
    q.flexible_in_reference_chunks = false;
    TwoButanes one_chunk({65, 65, 185}, {185, 185, 185}, q);
    EXPECT_EQ(one_chunk.run(1).flexible.ua(0, 0), 1);
}

TEST(ConfPipeline, ChangeInsideAVirtualChunkIsFlexible) {
    TwoButanes sys({65, 185, 185}, {185, 185, 185});
    const ConformationalResult r = sys.run(2);
    EXPECT_EQ(r.flexible.ua(0, 0), 1);
    EXPECT_EQ(r.ua_entropy.at({0, 0}), entropy_from_counts({1, 5}));
}

TEST(ConfPipeline, AngleStoreIsAddressedByFramePosition) {
    TwoButanes sys({65, 65, 185}, {185, 185, 185});
    // Chunks merged out of order still give the same answer: the store is keyed by position.
    DihedralPartial late = make_dihedral_partial(sys.plan), early = make_dihedral_partial(sys.plan);
    accumulate_dihedrals(sys.plan, sys.frames[2], 2, late);
    accumulate_dihedrals(sys.plan, sys.frames[0], 0, early);
    accumulate_dihedrals(sys.plan, sys.frames[1], 1, early);
    late.merge(early);
    const auto rows = late.rows_by_position(3);
    EXPECT_EQ(rows, (std::vector<std::size_t>{1, 2, 0}));
    EXPECT_NEAR(late.row(rows[2])[0], 185.0, 1e-5);
    EXPECT_EQ(finish_conformational(sys.plan, late, 3).ua_entropy.at({0, 0}), kTwoToOne);
    EXPECT_THROW(finish_conformational(sys.plan, early, 3), DataError);  // frame 2 missing
    // MPI byte round trip keeps everything.
    ByteWriter w;
    pack_dihedral_partial(late, w);
    ByteReader rd(w.bytes().data(), w.bytes().size());
    const DihedralPartial back = unpack_dihedral_partial(rd);
    EXPECT_TRUE(rd.done());
    EXPECT_EQ(back.histograms, late.histograms);
    EXPECT_EQ(back.frame_positions, late.frame_positions);
    EXPECT_EQ(back.angles, late.angles);
}

// The merged store grows once to the expected rows, then chunks append without reallocating;
// the result is the same as without the hint.
TEST(ConfPipeline, MergedAngleStoreGrowsOnce) {
    const std::vector<double> a = {65, 185, 65, 305, 185, 65, 65}, b = {185, 185, 65, 65, 305, 305, 185};
    TwoButanes sys(a, b);
    DihedralPartial total = make_dihedral_partial(sys.plan, a.size());
    accumulate_dihedrals(sys.plan, sys.frames[0], 0, total);
    const double* store = nullptr;
    for (std::size_t f = 1; f < a.size(); ++f) {
        DihedralPartial part = make_dihedral_partial(sys.plan, a.size());
        accumulate_dihedrals(sys.plan, sys.frames[f], f, part);
        total.merge(part);
        if (f == 1) {
            EXPECT_EQ(total.angles.capacity(), a.size() * total.n_instances);
            store = total.angles.data();
        }
        EXPECT_EQ(total.angles.data(), store) << "reallocated at frame " << f;
    }
    EXPECT_EQ(total.n_frames(), a.size());
    const auto with_hint = finish_conformational(sys.plan, total, a.size());
    const auto without = sys.run(1);
    EXPECT_EQ(with_hint.ua_entropy, without.ua_entropy);
    EXPECT_EQ(with_hint.flexible.ua(0, 0), without.flexible.ua(0, 0));
}

TEST(ConfPipeline, ResidueLevelListQuirks) {
    // Groups {0: [P0, P1]} and {2: [Q]}: G = 2, so group 2 reads group 0's residue states (Q-C1)
    // and its flexible count lies beyond the reference's list (Q-C2: the reference fails).
    Builder b;
    add_polymer(b, 5, "NUC");
    add_polymer(b, 5, "NUC");
    add_polymer(b, 6, "DNA");
    const Topology top = b.done();
    const Structure s = build_structure(top, Grouping::Molecules);
    ASSERT_EQ(s.groups.size(), 2u);
    ASSERT_EQ(s.groups[1].id, 2);
    const DihedralPlan plan = build_dihedral_plan(top, s, Options{});
    std::mt19937 rng(11);
    std::uniform_real_distribution<float> u(-6.0f, 6.0f);
    DihedralPartial part = make_dihedral_partial(plan);
    const std::size_t n_frames = 40;
    for (std::size_t f = 0; f < n_frames; ++f) {
        Frame fr;
        for (std::size_t i = 0; i < 3 * top.n_atoms(); ++i) fr.positions.push_back(u(rng));
        accumulate_dihedrals(plan, fr, f, part);
    }
    const ConformationalResult r = finish_conformational(plan, part, n_frames);
    const double own0 = r.residue_entropy_own.at(0), own2 = r.residue_entropy_own.at(2);
    ASSERT_GT(own0, 0.0);
    ASSERT_GT(own2, 0.0);
    ASSERT_NE(own0, own2);
    auto row = [&](int g, const char* level) {
        for (const auto& x : r.group_rows)
            if (x.group == g && x.level == level) return x.value;
        ADD_FAILURE() << "no row " << g << " " << level;
        return -1.0;
    };
    EXPECT_EQ(row(0, "residue"), 0.0);   // id 0 < G: padded empty entry
    EXPECT_EQ(row(2, "residue"), own0);  // id 2 in [G, 2G): group 0's states
    EXPECT_EQ(r.flexible.res(0), r.residue_flexible_in_group_order[0]);
    EXPECT_EQ(r.flexible.res(2), r.residue_flexible_in_group_order[1]);
    ASSERT_EQ(r.warnings.size(), 1u);
    // UA rows: 5 and 6 residues, each with one P-C1-C2-O dihedral.
    EXPECT_EQ(r.residue_rows.size(), 11u);
    EXPECT_EQ(r.flexible.united_atom.size(), 11u);

    ConformationalQuirks q;
    q.residue_entropy_from_padded_list = false;
    q.residue_flexible_by_list_position = false;
    DihedralPlan fixed_plan = plan;
    fixed_plan.quirks = q;
    const ConformationalResult rf = finish_conformational(fixed_plan, part, n_frames);
    EXPECT_TRUE(rf.warnings.empty());
    for (const auto& x : rf.group_rows)
        if (x.level == "residue") EXPECT_EQ(x.value, rf.residue_entropy_own.at(x.group));
}
