// A PDB file as a trajectory: one frame per MODEL (or one frame without MODEL records).
#include <memory>

#include "core/error.hpp"
#include "io/formats.hpp"
#include "io/gro_pdb.hpp"

namespace mcc {

namespace {

struct PdbShared {
    std::string path;
    PdbLayout layout;
    std::size_t n_atoms = 0;
};

class PdbReader final : public TrajectoryReader {
public:
    explicit PdbReader(std::shared_ptr<const PdbShared> shared) : shared_(std::move(shared)) {}
    std::size_t n_frames() const override { return shared_->layout.starts.size(); }
    std::size_t n_atoms() const override { return shared_->n_atoms; }
    bool has_forces() const override { return false; }
    std::string description() const override { return shared_->path; }
    std::unique_ptr<TrajectoryReader> clone() const override { return std::make_unique<PdbReader>(shared_); }
    void read(std::size_t index, Frame& out) override {
        if (index >= n_frames()) throw InternalError(shared_->path + ": PDB frame index out of range");
        read_pdb_frame(shared_->path, shared_->layout, index, shared_->n_atoms, out);
    }

private:
    std::shared_ptr<const PdbShared> shared_;
};

}  // namespace

std::unique_ptr<TrajectoryReader> open_pdb_trajectory(const std::string& path) {
    auto shared = std::make_shared<PdbShared>();
    shared->path = path;
    shared->n_atoms = read_pdb_topology(path).n_atoms();  // the frame size, as MDAnalysis takes it
    shared->layout = scan_pdb_layout(path);
    return std::make_unique<PdbReader>(std::move(shared));
}

}  // namespace mcc
