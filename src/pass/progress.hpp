// A progress line on stderr (frames done, frames/s, ETA) when stderr is a terminal.
#pragma once
#include <cstddef>

namespace mcc {

class Progress {
public:
    Progress(std::size_t total_frames, bool quiet);
    void update(std::size_t frames_done);  // called from one thread
    void finish();

private:
    std::size_t total_;
    bool enabled_;
    double start_;
    double last_draw_ = -1.0;
};

}  // namespace mcc
