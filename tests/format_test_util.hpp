// Helpers for the file-format tests: test data paths, scratch copies of damaged files, and a
// "damaged file never gives wrong data" check.
#pragma once
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <cstdint>
#include <functional>
#include <sstream>
#include <string>
#include <unistd.h>

#include "core/error.hpp"
#include "io/formats.hpp"

namespace mcc::test {

inline std::string test_data(const std::string& name) {
    return (std::filesystem::path(MCC_SOURCE_DIR) / "tests" / "data" / name).string();
}

inline std::string file_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// A scratch file (removed at destruction) holding `content`, with the extension of `like`.
class ScratchFile {
public:
    ScratchFile(const std::string& content, const std::string& like) {
        static int counter = 0;
        path_ = (std::filesystem::temp_directory_path() /
                 ("mcc_fmt_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) +
                  std::filesystem::path(like).extension().string()))
                    .string();
        std::ofstream(path_, std::ios::binary) << content;
    }
    ~ScratchFile() {
        std::error_code ec;
        std::filesystem::remove(path_, ec);
    }
    ScratchFile(const ScratchFile&) = delete;
    ScratchFile& operator=(const ScratchFile&) = delete;
    [[nodiscard]] const std::string& path() const { return path_; }

private:
    std::string path_;
};

// Opens a damaged copy of a trajectory and reads every frame. Returns true when a DataError
// was thrown; otherwise every frame it gives must equal the same frame of the intact file
// (a damaged file may only ever look like a shorter valid file).
inline bool damaged_trajectory_rejected_or_exact(
    const std::function<std::unique_ptr<TrajectoryReader>(const std::string&)>& open, const std::string& damaged,
    TrajectoryReader& intact) {
    try {
        auto r = open(damaged);
        EXPECT_LE(r->n_frames(), intact.n_frames());
        EXPECT_EQ(r->n_atoms(), intact.n_atoms());
        Frame a, b;
        for (std::size_t i = 0; i < r->n_frames(); ++i) {
            r->read(i, a);
            intact.read(i, b);
            EXPECT_EQ(a.positions, b.positions) << "frame " << i;
            EXPECT_EQ(a.forces, b.forces) << "frame " << i;
            EXPECT_EQ(a.dimensions, b.dimensions) << "frame " << i;
        }
        return false;
    } catch (const DataError& e) {
        EXPECT_NE(std::string(e.what()).find(damaged), std::string::npos) << "message must name the file: " << e.what();
        return true;
    }
}

}  // namespace mcc::test

namespace mcc::test {

// Copies of `path` with a few random bytes changed (fixed seed). `use` must either succeed or
// throw DataError; any other exception (or a crash) fails the test.
inline void fuzz_bytes(const std::string& path, int copies, const std::function<void(const std::string&)>& use) {
    const std::string bytes = file_bytes(path);
    std::uint32_t state = 12345;
    auto next = [&] {
        state = state * 1664525u + 1013904223u;
        return state >> 8;
    };
    for (int c = 0; c < copies; ++c) {
        std::string damaged = bytes;
        const int flips = 1 + static_cast<int>(next() % 4);
        for (int k = 0; k < flips; ++k) {
            const std::size_t at = next() % damaged.size();
            const char choices[] = {'x', '-', '9', ' ', '\n', '.', '\0', static_cast<char>(next() & 0xff)};
            damaged[at] = choices[next() % sizeof(choices)];
        }
        ScratchFile f(damaged, path);
        try {
            use(f.path());
        } catch (const DataError&) {
        } catch (const std::exception& e) {
            ADD_FAILURE() << "copy " << c << " of " << path << ": unexpected exception: " << e.what();
        }
    }
}

// Opens a trajectory and reads all its frames.
inline void read_all(TrajectoryReader& r) {
    Frame f;
    for (std::size_t i = 0; i < r.n_frames(); ++i) r.read(i, f);
}

}  // namespace mcc::test
