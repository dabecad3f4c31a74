// A synthetic trajectory for executor tests: frame i has one atom at (i, sin i, 0), no box
// and no forces.
#pragma once
#include <cmath>
#include <memory>
#include <string>

#include "io/trajectory.hpp"

namespace mcc::testing {

class CountingReader final : public TrajectoryReader {
public:
    explicit CountingReader(std::size_t n) : n_(n) {}
    std::size_t n_frames() const override { return n_; }
    std::size_t n_atoms() const override { return 1; }
    bool has_forces() const override { return false; }
    void read(std::size_t index, Frame& out) override {
        out.positions = {static_cast<float>(index), static_cast<float>(std::sin(static_cast<double>(index))), 0.f};
    }
    std::unique_ptr<TrajectoryReader> clone() const override { return std::make_unique<CountingReader>(n_); }
    std::string description() const override { return "counting"; }

private:
    std::size_t n_;
};

}  // namespace mcc::testing
