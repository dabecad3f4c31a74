// The I/O floor of an analysis: open the trajectory as mcc-entropy does and read and decode
// every frame (positions, forces, box), nothing else. With --threads N the frames are split
// into N contiguous ranges, each read by its own reader clone (as the thread executor does).
//   bench_io_floor TOPOLOGY TRAJECTORY... [--threads N]
// Prints one line: frames, atoms, seconds of the read loop, and MB/s of decoded float data.
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/timing.hpp"
#include "io/formats.hpp"

int main(int argc, char** argv) {
    try {
        std::vector<std::string> files;
        int threads = 1;
        for (int i = 1; i < argc; ++i) {
            const std::string a = argv[i];
            if (a == "--threads" && i + 1 < argc) threads = std::max(1, std::atoi(argv[++i]));
            else files.push_back(a);
        }
        if (files.size() < 2) {
            std::fprintf(stderr, "usage: bench_io_floor TOPOLOGY TRAJECTORY... [--threads N]\n");
            return 2;
        }
        const mcc::Topology top = mcc::read_topology(files.front());
        const std::vector<std::string> traj(files.begin() + 1, files.end());
        const auto reader = mcc::open_trajectory(traj, std::nullopt, top.n_atoms());
        const std::size_t n = reader->n_frames();
        const double start = mcc::wall_seconds();
        std::vector<double> floats(static_cast<std::size_t>(threads), 0.0);
        auto read_range = [&](int t) {
            auto own = reader->clone();
            mcc::Frame frame;
            const std::size_t lo = n * static_cast<std::size_t>(t) / static_cast<std::size_t>(threads);
            const std::size_t hi = n * static_cast<std::size_t>(t + 1) / static_cast<std::size_t>(threads);
            for (std::size_t f = lo; f < hi; ++f) {
                own->read(f, frame);
                floats[static_cast<std::size_t>(t)] += static_cast<double>(frame.positions.size() + frame.forces.size());
            }
        };
        std::vector<std::thread> pool;
        for (int t = 1; t < threads; ++t) pool.emplace_back(read_range, t);
        read_range(0);
        for (auto& t : pool) t.join();
        const double seconds = mcc::wall_seconds() - start;
        double total = 0;
        for (double f : floats) total += f;
        std::printf("frames %zu atoms %zu threads %d read_s %.4f MB_per_s %.1f\n", n, reader->n_atoms(), threads,
                    seconds, 4.0 * total / 1e6 / std::max(seconds, 1e-9));
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_io_floor: %s\n", e.what());
        return 1;
    }
}
