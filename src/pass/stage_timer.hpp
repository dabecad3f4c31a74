// Per-stage wall and CPU times. Stages outside the frame pass are timed directly; inside the
// pass the workers add up their own time per part (I/O, dihedrals, covariance, neighbours),
// and the pass's wall time is shared out in proportion, so the stages add up to the run.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "core/serialize.hpp"
#include "report/results.hpp"

namespace mcc {

struct PassTimes {
    struct Stage {
        double wall = 0.0;  // summed over workers
        double cpu = 0.0;
    };
    Stage io, dihedrals, covariance, neighbours;
    void merge(const PassTimes& o) {
        for (auto [a, b] : {std::pair{&io, &o.io}, {&dihedrals, &o.dihedrals}, {&covariance, &o.covariance},
                            {&neighbours, &o.neighbours}}) {
            a->wall += b->wall;
            a->cpu += b->cpu;
        }
    }
};

void pack_pass_times(const PassTimes& t, ByteWriter& w);
PassTimes unpack_pass_times(ByteReader& r);

class StageRecorder {
public:
    void start(std::string stage);
    void stop();
    // The frame pass: `wall` and `cpu` (all workers) measured around it and `merge_wall` spent
    // merging partials. The rest of the wall time is shared out among the workers' parts.
    void add_pass(const PassTimes& t, double wall, double cpu, double merge_wall);
    [[nodiscard]] const std::vector<StageTiming>& timings() const { return timings_; }

private:
    std::vector<StageTiming> timings_;
    std::string current_;
    double wall0_ = 0.0, cpu0_ = 0.0;
};

}  // namespace mcc
