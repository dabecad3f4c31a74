#include "pass/chunks.hpp"

#include <sched.h>

#include <algorithm>
#include <cstdlib>
#include <thread>

namespace mcc {

std::vector<FrameChunk> make_frame_chunks(std::size_t n_selected) {
    const std::size_t size = std::clamp<std::size_t>((n_selected + 63) / 64, 1, 32);
    std::vector<FrameChunk> chunks;
    for (std::size_t b = 0; b < n_selected; b += size) chunks.push_back({b, std::min(n_selected, b + size)});
    return chunks;
}

int default_worker_count(unsigned cores, std::size_t n_frames, std::size_t n_atoms) {
    const std::size_t work = n_frames * n_atoms;
    const std::size_t useful = std::max<std::size_t>(1, (work + kAtomFramesPerWorker - 1) / kAtomFramesPerWorker);
    return static_cast<int>(std::min<std::size_t>(std::max(cores, 1u), useful));
}

unsigned cores_per_process(unsigned cores_in_mask, unsigned online_cores, unsigned local_ranks) {
    cores_in_mask = std::max(cores_in_mask, 1u);
    if (local_ranks > 1 && cores_in_mask >= online_cores) return std::max(cores_in_mask / local_ranks, 1u);
    return cores_in_mask;
}

unsigned available_cores() {
    const unsigned online = std::max(std::thread::hardware_concurrency(), 1u);
    unsigned in_mask = online;
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
        in_mask = static_cast<unsigned>(CPU_COUNT(&set));
    unsigned local_ranks = 1;
    for (const char* name : {"OMPI_COMM_WORLD_LOCAL_SIZE", "MPI_LOCALNRANKS"})
        if (const char* v = std::getenv(name)) {
            const long n = std::strtol(v, nullptr, 10);
            if (n > 0) local_ranks = static_cast<unsigned>(n);
            break;
        }
    return cores_per_process(in_mask, online, local_ranks);
}

}  // namespace mcc
