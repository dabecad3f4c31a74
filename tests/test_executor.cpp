// The executor merges chunk partials in chunk order whatever the worker count.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <mutex>
#include <thread>

#include "counting_reader.hpp"
#include "pass/executor.hpp"

using namespace mcc;
using mcc::testing::CountingReader;

namespace {

struct SumPartial {
    double sum = 0;           // order-sensitive floating-point sum
    std::vector<int> frames;  // frames seen, in merge order
};

ChunkJob<SumPartial> summing_job() {
    ChunkJob<SumPartial> job;
    job.make = [] { return SumPartial{}; };
    job.work = [](TrajectoryReader& r, const FrameChunk& c, SumPartial& p) {
        Frame f;
        for (std::size_t i = c.begin; i < c.end; ++i) {
            r.read(i, f);
            p.sum += 1.0 / (1.0 + f.positions[1] * f.positions[1] + f.positions[0]);
            p.frames.push_back(static_cast<int>(i));
        }
    };
    job.merge = [](SumPartial& a, const SumPartial& b) {
        a.sum += b.sum;
        a.frames.insert(a.frames.end(), b.frames.begin(), b.frames.end());
    };
    return job;
}

}  // namespace

// The summing job with recycling: spent partials are cleared and handed out again by make.
struct RecyclingCounts {
    std::mutex mutex;
    std::vector<SumPartial> spare;
    int fresh = 0, reused = 0, recycled = 0;
};

ChunkJob<SumPartial> recycling_summing_job(RecyclingCounts& counts) {
    ChunkJob<SumPartial> job = summing_job();
    job.make = [&counts] {
        std::lock_guard lock(counts.mutex);
        if (counts.spare.empty()) {
            ++counts.fresh;
            return SumPartial{};
        }
        SumPartial p = std::move(counts.spare.back());
        counts.spare.pop_back();
        ++counts.reused;
        return p;
    };
    job.recycle = [&counts](SumPartial&& spent) {
        spent.sum = 0;
        spent.frames.clear();
        std::lock_guard lock(counts.mutex);
        ++counts.recycled;
        counts.spare.push_back(std::move(spent));
    };
    return job;
}

TEST(Chunks, FixedByFrameCountOnly) {
    const auto c = make_frame_chunks(101);
    ASSERT_EQ(c.size(), 51u);  // chunks of 2 frames
    EXPECT_EQ(c.front().size(), 2u);
    EXPECT_EQ(c.back().begin, 100u);
    EXPECT_EQ(c.back().end, 101u);
    EXPECT_EQ(make_frame_chunks(5000).front().size(), 32u);
    EXPECT_TRUE(make_frame_chunks(0).empty());
}

TEST(Executor, SameBitsForAnyThreadCount) {
    CountingReader reader(997);
    const auto chunks = make_frame_chunks(reader.n_frames());
    const auto job = summing_job();
    const auto one = run_chunk_job<SumPartial>(reader, chunks, 1, job);
    ASSERT_TRUE(one.has_value());
    ASSERT_EQ(one->frames.size(), 997u);
    for (int i = 0; i < 997; ++i) ASSERT_EQ(one->frames[i], i);
    for (int threads : {2, 3, 8}) {
        const auto many = run_chunk_job<SumPartial>(reader, chunks, threads, job);
        ASSERT_TRUE(many.has_value());
        EXPECT_EQ(many->frames, one->frames);
        EXPECT_EQ(many->sum, one->sum);  // bit-identical, not merely close
    }
}

TEST(Executor, WorkerErrorPropagates) {
    CountingReader reader(100);
    auto job = summing_job();
    job.work = [](TrajectoryReader&, const FrameChunk& c, SumPartial&) {
        if (c.begin >= 50) throw DataError("frame broken");
    };
    EXPECT_THROW(run_chunk_job<SumPartial>(reader, make_frame_chunks(100), 2, job), DataError);
}

// The hook for background work runs once, on the calling thread, whatever the worker count,
// also when there is nothing to do (the analysis waits for what it started there).
TEST(Executor, WorkersStartedHookRunsOnceOnTheCallingThread) {
    CountingReader reader(40);
    for (std::size_t n_frames : {std::size_t{0}, std::size_t{1}, std::size_t{40}}) {
        for (int threads : {1, 2, 3}) {
            auto job = summing_job();
            int calls = 0;
            std::thread::id caller;
            job.on_workers_started = [&] {
                ++calls;
                caller = std::this_thread::get_id();
            };
            const auto total = run_chunk_job<SumPartial>(reader, make_frame_chunks(n_frames), threads, job);
            ASSERT_TRUE(total.has_value());
            EXPECT_EQ(total->frames.size(), n_frames);
            EXPECT_EQ(calls, 1) << n_frames << " frames, " << threads << " threads";
            EXPECT_EQ(caller, std::this_thread::get_id());
        }
    }
}

// Without --threads: one worker per core, but tiny passes stay on one worker.
TEST(Chunks, DefaultWorkerCountFollowsTheWork) {
    EXPECT_EQ(default_worker_count(2, 101, 254), 1);      // DNA duplex: ~25k atom-frames
    EXPECT_EQ(default_worker_count(2, 201, 1176), 2);     // 392 waters
    EXPECT_EQ(default_worker_count(8, 201, 1176), 3);     // 236k atom-frames: 3 workers' worth
    EXPECT_EQ(default_worker_count(64, 200, 33679), 64);  // large system: every core
    EXPECT_EQ(default_worker_count(0, 200, 33679), 1);    // unknown core count
    EXPECT_EQ(default_worker_count(8, 0, 1000), 1);       // nothing to do
}

// Without --threads a process uses the cores of its affinity mask; ranks that the launcher
// left unbound (mask = the whole node) share the node's cores.
TEST(Chunks, CoresPerProcessFollowTheMaskAndTheRanksOnTheNode) {
    EXPECT_EQ(cores_per_process(8, 8, 1), 8u);   // no MPI, whole machine
    EXPECT_EQ(cores_per_process(4, 64, 1), 4u);  // a batch system's allocation
    EXPECT_EQ(cores_per_process(1, 2, 2), 1u);   // mpirun bound each rank to one core
    EXPECT_EQ(cores_per_process(16, 64, 4), 16u);  // bound to 16 cores each
    EXPECT_EQ(cores_per_process(8, 8, 2), 4u);   // unbound: 2 ranks share 8 cores
    EXPECT_EQ(cores_per_process(2, 2, 4), 1u);   // more ranks than cores
    EXPECT_EQ(cores_per_process(0, 0, 1), 1u);
    EXPECT_GE(available_cores(), 1u);
}

TEST(Executor, RecycledPartialsGiveTheSameBits) {
    CountingReader reader(301);
    const auto chunks = make_frame_chunks(reader.n_frames());
    const auto plain = run_chunk_job<SumPartial>(reader, chunks, 1, summing_job());
    ASSERT_TRUE(plain.has_value());
    for (int threads : {1, 2, 3}) {
        RecyclingCounts counts;
        const auto recycled = run_chunk_job<SumPartial>(reader, chunks, threads, recycling_summing_job(counts));
        ASSERT_TRUE(recycled.has_value());
        EXPECT_EQ(recycled->frames, plain->frames) << threads;
        EXPECT_EQ(recycled->sum, plain->sum) << threads;
        // every chunk but the first (which becomes the total) is merged and then recycled
        EXPECT_EQ(counts.recycled, static_cast<int>(chunks.size()) - 1) << threads;
        EXPECT_EQ(counts.fresh + counts.reused, static_cast<int>(chunks.size())) << threads;
        // One worker takes the next partial only after the previous one was merged: from the
        // third chunk on, each reuses a spent one. More workers run ahead of the merging by at
        // most max_chunks_ahead chunks, and the total is one more partial.
        if (threads == 1) EXPECT_EQ(counts.fresh, 2);
        EXPECT_LE(counts.fresh, static_cast<int>(max_chunks_ahead(threads)) + 1) << threads;
    }
}

// Workers that outpace the merging wait for it: the partials alive at once stay bounded by the
// worker count (here the merge is slow and the chunks are many), and the result is unchanged.
TEST(Executor, WorkersStayBoundedAheadOfASlowMerge) {
    CountingReader reader(2000);
    const auto chunks = make_frame_chunks(reader.n_frames());
    ASSERT_GE(chunks.size(), 60u);
    const auto plain = run_chunk_job<SumPartial>(reader, chunks, 1, summing_job());
    for (int threads : {2, 3}) {
        std::mutex mutex;
        int alive = 0, most_alive = 0;
        auto job = summing_job();
        job.make = [&] {
            std::lock_guard lock(mutex);
            most_alive = std::max(most_alive, ++alive);
            return SumPartial{};
        };
        auto merge = job.merge;
        job.merge = [&, merge](SumPartial& into, const SumPartial& later) {
            std::this_thread::sleep_for(std::chrono::microseconds(300));
            merge(into, later);
        };
        job.recycle = [&](SumPartial&&) {
            std::lock_guard lock(mutex);
            --alive;
        };
        const auto total = run_chunk_job<SumPartial>(reader, chunks, threads, job);
        ASSERT_TRUE(total.has_value());
        EXPECT_EQ(total->sum, plain->sum) << threads;
        // the total, the partial being merged, and the 2 per worker taken ahead of it
        EXPECT_EQ(max_chunks_ahead(threads), 2u * threads);
        EXPECT_LE(most_alive, 2 * threads + 2) << threads;
        EXPECT_GE(most_alive, 2) << threads;
    }
}

// An error while merging stops the workers and reaches the caller (no thread is left running).
TEST(Executor, MergeErrorPropagates) {
    CountingReader reader(300);
    for (int threads : {1, 2, 3}) {
        auto job = summing_job();
        int merges = 0;
        job.merge = [&merges](SumPartial&, const SumPartial&) {
            if (++merges == 5) throw DataError("merge failed");
        };
        EXPECT_THROW(run_chunk_job<SumPartial>(reader, make_frame_chunks(300), threads, job), DataError) << threads;
        EXPECT_EQ(merges, 5) << threads;
    }
}

#ifdef MCC_MPI_EXECUTOR_DRIVER
// Under MPI, rank 0 hands chunks out on demand: a rank four times slower than the others
// computes fewer chunks, and the merged result is still bit-identical to the serial one.
TEST(ExecutorMpi, SlowerRanksComputeFewerChunksSameBits) {
#ifdef MCC_SANITIZED
    GTEST_SKIP() << "OpenMPI's runtime is not sanitizer-clean";
#endif
    if (std::system("command -v mpirun >/dev/null 2>&1") != 0) GTEST_SKIP() << "mpirun not installed";
    CountingReader reader(600);
    const auto serial = run_chunk_job<SumPartial>(reader, make_frame_chunks(600), 1, summing_job());
    ASSERT_TRUE(serial.has_value());
    std::uint64_t bits = 0;
    std::memcpy(&bits, &serial->sum, sizeof bits);
    char expected_bits[32];
    std::snprintf(expected_bits, sizeof expected_bits, "%016llx", static_cast<unsigned long long>(bits));
    for (const auto& [ranks, threads] : {std::pair{2, 1}, {3, 1}, {2, 2}}) {
        const std::string cmd = "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 mpirun --oversubscribe -np " +
                                std::to_string(ranks) + " '" MCC_MPI_EXECUTOR_DRIVER "' " + std::to_string(threads);
        FILE* pipe = popen(cmd.c_str(), "r");
        ASSERT_NE(pipe, nullptr);
        char line[256] = {};
        const bool got = std::fgets(line, sizeof line, pipe) != nullptr;
        const int status = pclose(pipe);
        ASSERT_TRUE(got) << cmd;
        EXPECT_EQ(status, 0) << cmd;
        int in_order = 0;
        char sum_bits[32] = {};
        int chunks_of[3] = {0, 0, 0};
        const int fields = std::sscanf(line, "%d %31s %d %d %d", &in_order, sum_bits, &chunks_of[0], &chunks_of[1],
                                       &chunks_of[2]);
        ASSERT_EQ(fields, 2 + ranks) << line;
        EXPECT_EQ(in_order, 1) << line;
        EXPECT_STREQ(sum_bits, expected_bits) << line;
        EXPECT_EQ(chunks_of[0] + chunks_of[1] + chunks_of[2], 60) << line;
        EXPECT_LT(chunks_of[1], chunks_of[0]) << ranks << " ranks x " << threads << " threads: " << line;
        if (ranks == 3) EXPECT_LT(chunks_of[1], chunks_of[2]) << line;
    }
}
#endif
