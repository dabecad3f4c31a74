// Run under mpirun by test_executor: a synthetic chunk job in which the ranks compute at
// different speeds (rank 1 sleeps 4 ms per chunk, the others 1 ms). Rank 0 prints one line:
//   frames_in_order sum_as_hex chunks_of_rank_0 chunks_of_rank_1 ...
// so the test can check that the merge is in chunk order, bit-identical to a serial sum, and
// that the faster ranks computed more chunks (rank 0 hands them out on demand).
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "../counting_reader.hpp"
#include "pass/executor.hpp"

using namespace mcc;
using mcc::testing::CountingReader;

namespace {

struct Partial {
    double sum = 0;
    std::vector<int> frames;
    std::vector<int> ranks;  // the rank that computed each frame
};

}  // namespace

int main(int argc, char** argv) {
    MpiSession mpi(&argc, &argv);
    const int threads = argc > 1 ? std::atoi(argv[1]) : 1;
    const std::size_t n_frames = 600;
    CountingReader reader(n_frames);
    const auto chunks = make_frame_chunks(n_frames);
    ChunkJob<Partial> job;
    job.make = [] { return Partial{}; };
    job.work = [](TrajectoryReader& r, const FrameChunk& c, Partial& p) {
        Frame f;
        for (std::size_t i = c.begin; i < c.end; ++i) {
            r.read(i, f);
            p.sum += 1.0 / (1.0 + f.positions[1] * f.positions[1] + f.positions[0]);
            p.frames.push_back(static_cast<int>(i));
            p.ranks.push_back(MpiSession::rank());
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(MpiSession::rank() == 1 ? 4 : 1));
    };
    job.merge = [](Partial& a, const Partial& b) {
        a.sum += b.sum;
        a.frames.insert(a.frames.end(), b.frames.begin(), b.frames.end());
        a.ranks.insert(a.ranks.end(), b.ranks.begin(), b.ranks.end());
    };
    job.pack = [](const Partial& p, ByteWriter& w) {
        w.put(p.sum);
        w.put(p.frames);
        w.put(p.ranks);
    };
    job.unpack = [](ByteReader& r) {
        Partial p;
        r.get(p.sum);
        r.get(p.frames);
        r.get(p.ranks);
        return p;
    };
    const auto total = run_chunk_job<Partial>(reader, chunks, threads, job);
    if (!total) return 0;
    bool in_order = total->frames.size() == n_frames;
    for (std::size_t i = 0; in_order && i < n_frames; ++i) in_order = total->frames[i] == static_cast<int>(i);
    std::vector<int> chunks_of(static_cast<std::size_t>(MpiSession::size()), 0);
    for (const FrameChunk& c : chunks) ++chunks_of[static_cast<std::size_t>(total->ranks[c.begin])];
    std::uint64_t bits = 0;
    std::memcpy(&bits, &total->sum, sizeof bits);
    std::printf("%d %016llx", in_order ? 1 : 0, static_cast<unsigned long long>(bits));
    for (int n : chunks_of) std::printf(" %d", n);
    std::printf("\n");
    return 0;
}
