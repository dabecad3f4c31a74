// A .gro file as a trajectory: one frame (MDAnalysis' GROReader also reads only the first).
#include <memory>

#include "core/error.hpp"
#include "io/formats.hpp"
#include "io/gro_pdb.hpp"

namespace mcc {

namespace {

class GroReader final : public TrajectoryReader {
public:
    GroReader(std::string path, std::shared_ptr<const Frame> frame) : path_(std::move(path)), frame_(std::move(frame)) {}
    std::size_t n_frames() const override { return 1; }
    std::size_t n_atoms() const override { return frame_->n_atoms(); }
    bool has_forces() const override { return false; }
    std::string description() const override { return path_; }
    std::unique_ptr<TrajectoryReader> clone() const override { return std::make_unique<GroReader>(path_, frame_); }
    void read(std::size_t index, Frame& out) override {
        if (index != 0) throw InternalError(path_ + ": a GRO file has one frame");
        out = *frame_;
    }

private:
    std::string path_;
    std::shared_ptr<const Frame> frame_;
};

}  // namespace

std::unique_ptr<TrajectoryReader> open_gro_trajectory(const std::string& path) {
    return std::make_unique<GroReader>(path, std::make_shared<const Frame>(read_gro_frame(path)));
}

}  // namespace mcc
