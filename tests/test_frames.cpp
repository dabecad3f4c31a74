// Frame selection with CodeEntropy's start/end/step meaning, and the reference's virtual
// conformational chunks (spec-conformational-orientational-io.md §2.6, §5.5, §7.5).
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "pass/frames.hpp"

using namespace mcc;

namespace {

using Frames = std::vector<std::size_t>;
using Chunks = std::vector<std::pair<std::size_t, std::size_t>>;

std::string frame_error(std::size_t n, long start, long end, long step) {
    try {
        const auto f = select_frames(n, start, end, step);
        return "no error, " + std::to_string(f.size()) + " frames";
    } catch (const UsageError& e) {
        return e.what();
    }
}

}  // namespace

TEST(SelectFrames, PythonRangeWithExclusiveEnd) {
    EXPECT_EQ(select_frames(10, 0, -1, 1), (Frames{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
    EXPECT_EQ(select_frames(10, 0, 1, 1), (Frames{0}));        // spec §7.5
    EXPECT_EQ(select_frames(10, 0, 5, 2), (Frames{0, 2, 4}));  // spec §7.5
    EXPECT_EQ(select_frames(101, 0, -1, 25), (Frames{0, 25, 50, 75, 100}));
    EXPECT_EQ(select_frames(101, 3, 20, 4), (Frames{3, 7, 11, 15, 19}));
    EXPECT_EQ(select_frames(10, 9, -1, 1), (Frames{9}));
    EXPECT_EQ(select_frames(10, 9, 10, 100), (Frames{9}));
    EXPECT_EQ(select_frames(10, 2, 10, 3), (Frames{2, 5, 8}));  // end == n_total allowed
    EXPECT_EQ(select_frames(1, 0, -1, 1), (Frames{0}));
    EXPECT_EQ(select_frames(10, 0, -1, 10), (Frames{0}));
}

TEST(SelectFrames, ErrorsNameTheOption) {
    EXPECT_EQ(frame_error(10, 11, -1, 1), "start (11) exceeds the trajectory length of 10 frames");
    EXPECT_EQ(frame_error(10, 0, 11, 1), "end (11) exceeds the trajectory length of 10 frames");
    EXPECT_EQ(frame_error(10, 0, -2, 1),
              "end (-2) is invalid: use a frame index (exclusive) or -1 for the last frame");
    EXPECT_EQ(frame_error(10, 0, -1, 0), "step (0) must be positive");
    EXPECT_EQ(frame_error(10, 0, -1, -1), "step (-1) must be positive");
    EXPECT_EQ(
        frame_error(10, -3, -1, 1),
        "start (-3) is negative: frame indices count from 0 (negative values are not supported)");
    // start == n_total passes the range check but selects nothing (as in CodeEntropy).
    EXPECT_EQ(frame_error(10, 10, -1, 1), "start (10) >= end (10): no frames selected");
    EXPECT_EQ(frame_error(10, 5, 5, 1), "start (5) >= end (5): no frames selected");
    EXPECT_EQ(frame_error(10, 6, 5, 1), "start (6) >= end (5): no frames selected");
    EXPECT_EQ(frame_error(0, 0, -1, 1), "start (0) >= end (0): no frames selected");
}

TEST(ReferenceFrameChunks, SizeRuleAndExamplesOfTheSpec) {
    // Spec §2.6: N_f = 1 -> one chunk of 1; N_f = 3 -> c = 2: (0,2) and (2,3);
    // N_f = 100 -> 32, 32, 32, 4 (one worker).
    EXPECT_EQ(reference_frame_chunks(1, 1), (Chunks{{0, 1}}));
    EXPECT_EQ(reference_frame_chunks(3, 1), (Chunks{{0, 2}, {2, 3}}));
    EXPECT_EQ(reference_frame_chunks(100, 1), (Chunks{{0, 32}, {32, 64}, {64, 96}, {96, 100}}));
    EXPECT_EQ(reference_frame_chunks(2, 1), (Chunks{{0, 1}, {1, 2}}));
    EXPECT_EQ(reference_frame_chunks(5, 1), (Chunks{{0, 3}, {3, 5}}));
    EXPECT_EQ(reference_frame_chunks(64, 1), (Chunks{{0, 32}, {32, 64}}));
    EXPECT_EQ(reference_frame_chunks(65, 1), (Chunks{{0, 32}, {32, 64}, {64, 65}}));
    EXPECT_TRUE(reference_frame_chunks(0, 1).empty());
}

TEST(ReferenceFrameChunks, WorkersShrinkTheChunks) {
    // c = ceil(10 / 4) = 3 with 2 workers; ceil(10 / 8) = 2 with 4; 1 with 5 or more.
    EXPECT_EQ(reference_frame_chunks(10, 2), (Chunks{{0, 3}, {3, 6}, {6, 9}, {9, 10}}));
    EXPECT_EQ(reference_frame_chunks(10, 4), (Chunks{{0, 2}, {2, 4}, {4, 6}, {6, 8}, {8, 10}}));
    EXPECT_EQ(reference_frame_chunks(3, 8), (Chunks{{0, 1}, {1, 2}, {2, 3}}));
    // 101 frames, 2 workers: c = ceil(101/4) = 26.
    EXPECT_EQ(reference_frame_chunks(101, 2), (Chunks{{0, 26}, {26, 52}, {52, 78}, {78, 101}}));
    // CodeEntropy clamps the worker count to at least 1.
    EXPECT_EQ(reference_frame_chunks(3, 0), reference_frame_chunks(3, 1));
    EXPECT_EQ(reference_frame_chunks(3, -2), reference_frame_chunks(3, 1));
}
