#include "pass/chunks.hpp"

#include <algorithm>

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

}  // namespace mcc
