#include "pass/progress.hpp"

#include <cstdio>
#include <string>
#include <unistd.h>

#include <fmt/core.h>

#include "core/timing.hpp"

namespace mcc {

Progress::Progress(std::size_t total_frames, bool quiet)
    : total_(total_frames), enabled_(!quiet && isatty(STDERR_FILENO) != 0), start_(wall_seconds()) {}

void Progress::update(std::size_t done) {
    if (!enabled_) return;
    const double now = wall_seconds();
    if (done < total_ && now - last_draw_ < 0.2) return;  // redraw at most 5 times a second
    last_draw_ = now;
    const double elapsed = now - start_;
    const double rate = elapsed > 0 ? static_cast<double>(done) / elapsed : 0.0;
    const double eta = rate > 0 ? static_cast<double>(total_ - done) / rate : 0.0;
    constexpr int width = 30;
    const int filled = total_ ? static_cast<int>(width * done / total_) : width;
    fmt::print(stderr, "\r[{:<{}}] {}/{} frames  {:.1f} frames/s  ETA {:.0f} s ", std::string(filled, '#'), width,
               done, total_, rate, eta);
    std::fflush(stderr);
}

void Progress::finish() {
    if (!enabled_) return;
    fmt::print(stderr, "\n");
}

}  // namespace mcc
