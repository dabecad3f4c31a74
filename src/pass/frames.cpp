#include "pass/frames.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace mcc {

std::vector<std::size_t> select_frames(std::size_t n_total, long start, long end, long step) {
    const auto total = static_cast<long>(n_total);
    if (start < 0)
        throw_usage(
            "start ({}) is negative: frame indices count from 0 (negative values are not "
            "supported)",
            start);
    if (start > total)
        throw_usage("start ({}) exceeds the trajectory length of {} frames", start, total);
    if (end < -1)
        throw_usage("end ({}) is invalid: use a frame index (exclusive) or -1 for the last frame",
                    end);
    if (end > total) throw_usage("end ({}) exceeds the trajectory length of {} frames", end, total);
    if (step <= 0) throw_usage("step ({}) must be positive", step);
    const long stop = end == -1 ? total : end;
    if (start >= stop) throw_usage("start ({}) >= end ({}): no frames selected", start, stop);
    std::vector<std::size_t> frames;
    frames.reserve(static_cast<std::size_t>((stop - start + step - 1) / step));
    for (long f = start; f < stop; f += step) frames.push_back(static_cast<std::size_t>(f));
    return frames;
}

std::vector<std::pair<std::size_t, std::size_t>> reference_frame_chunks(std::size_t n_selected,
                                                                        int workers) {
    // CodeEntropy clamps the worker count to at least 1 (levels/execution/policy.py).
    const std::size_t twice_w = 2 * static_cast<std::size_t>(std::max(1, workers));
    const std::size_t size =
        std::min<std::size_t>(32, std::max<std::size_t>(1, (n_selected + twice_w - 1) / twice_w));
    std::vector<std::pair<std::size_t, std::size_t>> chunks;
    for (std::size_t b = 0; b < n_selected; b += size)
        chunks.emplace_back(b, std::min(n_selected, b + size));
    return chunks;
}

}  // namespace mcc
