// Locates ../shared/data for tests that compare with real trajectories and reference numbers.
// Order: $MCC_SHARED_DATA, <source>/../shared/data, /work/shared/data. Empty when absent, and
// such tests skip with a clear message.
#pragma once
#include <cstdlib>
#include <filesystem>
#include <string>

namespace mcc::test {

inline std::string shared_data_dir() {
    namespace fs = std::filesystem;
    if (const char* env = std::getenv("MCC_SHARED_DATA"); env && fs::is_directory(env)) return env;
    for (const fs::path p : {fs::path(MCC_SOURCE_DIR) / ".." / "shared" / "data",
                             fs::path("/work/shared/data")})
        if (fs::is_directory(p)) return fs::canonical(p).string();
    return {};
}

}  // namespace mcc::test

// Use at the top of a test that needs ../shared/data; defines `data` (the directory).
#define MCC_REQUIRE_SHARED_DATA(data)                                                   \
    const std::string data = ::mcc::test::shared_data_dir();                           \
    if (data.empty()) GTEST_SKIP() << "needs ../shared/data (absent): skipped"
