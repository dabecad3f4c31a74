#include "pass/stage_timer.hpp"

#include <algorithm>

#include "core/timing.hpp"

namespace mcc {

void pack_pass_times(const PassTimes& t, ByteWriter& w) {
    for (const auto* s : {&t.io, &t.dihedrals, &t.covariance, &t.neighbours}) {
        w.put(s->wall);
        w.put(s->cpu);
    }
}

PassTimes unpack_pass_times(ByteReader& r) {
    PassTimes t;
    for (auto* s : {&t.io, &t.dihedrals, &t.covariance, &t.neighbours}) {
        r.get(s->wall);
        r.get(s->cpu);
    }
    return t;
}

void StageRecorder::start(std::string stage) {
    current_ = std::move(stage);
    wall0_ = wall_seconds();
    cpu0_ = process_cpu_seconds();
}

void StageRecorder::stop() {
    timings_.push_back({current_, wall_seconds() - wall0_, process_cpu_seconds() - cpu0_});
}

void StageRecorder::add_pass(const PassTimes& t, double wall, double cpu, double merge_wall) {
    const double worker_wall = t.io.wall + t.dihedrals.wall + t.covariance.wall + t.neighbours.wall;
    const double worker_cpu = t.io.cpu + t.dihedrals.cpu + t.covariance.cpu + t.neighbours.cpu;
    // Workers run side by side, so their summed time exceeds the wall time: share the wall
    // time of the pass (less the merging) out in proportion to each part's worker time.
    const double work_wall = std::max(0.0, wall - merge_wall);
    const double share = worker_wall > 0 ? std::min(1.0, work_wall / worker_wall) : 0.0;
    double accounted = 0.0;
    for (auto [name, s] : {std::pair{"io", &t.io}, {"dihedrals", &t.dihedrals}, {"covariance", &t.covariance},
                           {"neighbours", &t.neighbours}}) {
        const double w = s->wall * share;
        accounted += w;
        timings_.push_back({name, w, s->cpu});
    }
    timings_.push_back({"reduction", std::max(0.0, wall - accounted), std::max(0.0, cpu - worker_cpu)});
}

}  // namespace mcc
