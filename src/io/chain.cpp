// Several trajectory files read as one, frame indices running across them in order.
#include <numeric>

#include "core/error.hpp"
#include "io/formats.hpp"

namespace mcc {

namespace {

class ChainReader final : public TrajectoryReader {
public:
    explicit ChainReader(std::vector<std::unique_ptr<TrajectoryReader>> parts) : parts_(std::move(parts)) {
        for (const auto& p : parts_) {
            if (p->n_atoms() != parts_.front()->n_atoms())
                throw_data("{}: {} atoms, but {} has {}", p->description(), p->n_atoms(),
                           parts_.front()->description(), parts_.front()->n_atoms());
            first_.push_back(total_);
            total_ += p->n_frames();
        }
    }
    std::size_t n_frames() const override { return total_; }
    std::size_t n_atoms() const override { return parts_.front()->n_atoms(); }
    bool has_forces() const override {
        for (const auto& p : parts_)
            if (!p->has_forces()) return false;
        return true;
    }
    void read(std::size_t index, Frame& out) override {
        if (index >= total_) throw InternalError("chained trajectory: frame index out of range");
        std::size_t k = parts_.size() - 1;
        while (first_[k] > index) --k;
        parts_[k]->read(index - first_[k], out);
    }
    std::unique_ptr<TrajectoryReader> clone() const override {
        std::vector<std::unique_ptr<TrajectoryReader>> copies;
        for (const auto& p : parts_) copies.push_back(p->clone());
        return std::make_unique<ChainReader>(std::move(copies));
    }
    std::string description() const override {
        std::string d;
        for (const auto& p : parts_) d += (d.empty() ? "" : " + ") + p->description();
        return d;
    }

private:
    std::vector<std::unique_ptr<TrajectoryReader>> parts_;
    std::vector<std::size_t> first_;
    std::size_t total_ = 0;
};

}  // namespace

std::unique_ptr<TrajectoryReader> chain_trajectories(std::vector<std::unique_ptr<TrajectoryReader>> parts) {
    if (parts.empty()) throw InternalError("chain_trajectories: no parts");
    return std::make_unique<ChainReader>(std::move(parts));
}

}  // namespace mcc
