// One interface for every trajectory format: random access by frame index through an
// offset index built once when the file is opened.
#pragma once
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "io/frame.hpp"

namespace mcc {

class TrajectoryReader {
public:
    virtual ~TrajectoryReader() = default;
    [[nodiscard]] virtual std::size_t n_frames() const = 0;
    [[nodiscard]] virtual std::size_t n_atoms() const = 0;
    // True when frames carry forces (checked from the file's headers/variables).
    [[nodiscard]] virtual bool has_forces() const = 0;
    // Reads frame `index` (0-based) into `out`, reusing its buffers. Throws DataError naming
    // the file when the frame is unreadable.
    virtual void read(std::size_t index, Frame& out) = 0;
    // An independent reader of the same data (own file handle), for another worker.
    [[nodiscard]] virtual std::unique_ptr<TrajectoryReader> clone() const = 0;
    [[nodiscard]] virtual std::string description() const = 0;  // file name(s) for messages
};

}  // namespace mcc
