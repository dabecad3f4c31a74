#include "io/derived.hpp"

#include <fmt/format.h>

#include "core/error.hpp"

namespace mcc {

namespace {

constexpr float kKcalToKj = 4.184f;  // fl32(4.184): NumPy casts the Python scalar to float32

void gather(const std::vector<float>& from, const std::vector<int>& atoms, std::vector<float>& to) {
    if (from.empty()) {
        to.clear();
        return;
    }
    to.resize(3 * atoms.size());
    for (std::size_t i = 0; i < atoms.size(); ++i) {
        const std::size_t a = 3 * static_cast<std::size_t>(atoms[i]);
        to[3 * i] = from[a];
        to[3 * i + 1] = from[a + 1];
        to[3 * i + 2] = from[a + 2];
    }
}

class SubsetReader final : public TrajectoryReader {
public:
    SubsetReader(std::unique_ptr<TrajectoryReader> base, std::shared_ptr<const std::vector<int>> atoms)
        : base_(std::move(base)), atoms_(std::move(atoms)) {}

    std::size_t n_frames() const override { return base_->n_frames(); }
    std::size_t n_atoms() const override { return atoms_->size(); }
    bool has_forces() const override { return base_->has_forces(); }
    std::string description() const override { return base_->description(); }
    std::unique_ptr<TrajectoryReader> clone() const override {
        return std::make_unique<SubsetReader>(base_->clone(), atoms_);
    }
    void read(std::size_t index, Frame& out) override {
        base_->read(index, full_);
        gather(full_.positions, *atoms_, out.positions);
        gather(full_.velocities, *atoms_, out.velocities);
        gather(full_.forces, *atoms_, out.forces);
        out.has_box = full_.has_box;
        out.box_vectors = full_.box_vectors;
        out.dimensions = full_.dimensions;
        out.time = full_.time;
        out.step = full_.step;
    }

private:
    std::unique_ptr<TrajectoryReader> base_;
    std::shared_ptr<const std::vector<int>> atoms_;
    Frame full_;
};

class MergedForcesReader final : public TrajectoryReader {
public:
    MergedForcesReader(std::unique_ptr<TrajectoryReader> coords, std::unique_ptr<TrajectoryReader> forces,
                       bool kcal)
        : coords_(std::move(coords)), forces_(std::move(forces)), kcal_(kcal),
          use_positions_(!forces_->has_forces()) {
        if (coords_->n_atoms() != forces_->n_atoms())
            throw_data("force_file {} has {} atoms but the trajectory {} has {}", forces_->description(),
                       forces_->n_atoms(), coords_->description(), coords_->n_atoms());
        if (coords_->n_frames() != forces_->n_frames())
            throw_data("force_file {} has {} frames but the trajectory {} has {}", forces_->description(),
                       forces_->n_frames(), coords_->description(), coords_->n_frames());
    }

    std::size_t n_frames() const override { return coords_->n_frames(); }
    std::size_t n_atoms() const override { return coords_->n_atoms(); }
    bool has_forces() const override { return true; }
    std::string description() const override {
        return fmt::format("{} (forces from {})", coords_->description(), forces_->description());
    }
    std::unique_ptr<TrajectoryReader> clone() const override {
        return std::make_unique<MergedForcesReader>(coords_->clone(), forces_->clone(), kcal_);
    }
    void read(std::size_t index, Frame& out) override {
        coords_->read(index, out);
        forces_->read(index, scratch_);
        std::vector<float>& source = use_positions_ ? scratch_.positions : scratch_.forces;
        if (source.size() != 3 * n_atoms())
            throw_data("{}: frame {} has no {} to use as forces", forces_->description(), index,
                       use_positions_ ? "positions" : "forces");
        if (kcal_)
            for (float& f : source) f *= kKcalToKj;
        out.forces.swap(source);
    }

private:
    std::unique_ptr<TrajectoryReader> coords_;
    std::unique_ptr<TrajectoryReader> forces_;
    bool kcal_;
    bool use_positions_;
    Frame scratch_;
};

}  // namespace

std::unique_ptr<TrajectoryReader> select_atoms(std::unique_ptr<TrajectoryReader> base, std::vector<int> atoms) {
    const std::size_t n = base->n_atoms();
    for (std::size_t i = 0; i < atoms.size(); ++i) {
        if (atoms[i] < 0 || static_cast<std::size_t>(atoms[i]) >= n)
            throw_usage("atom selection: index {} is outside 0..{} ({})", atoms[i], n - 1, base->description());
        if (i > 0 && atoms[i] <= atoms[i - 1])
            throw_usage("atom selection: indices must be ascending and unique ({} after {})", atoms[i],
                        atoms[i - 1]);
    }
    return std::make_unique<SubsetReader>(std::move(base), std::make_shared<const std::vector<int>>(std::move(atoms)));
}

std::unique_ptr<TrajectoryReader> merge_forces(std::unique_ptr<TrajectoryReader> coords,
                                               std::unique_ptr<TrajectoryReader> force_source,
                                               bool kcal_force_units) {
    return std::make_unique<MergedForcesReader>(std::move(coords), std::move(force_source), kcal_force_units);
}

}  // namespace mcc
