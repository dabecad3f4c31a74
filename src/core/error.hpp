// Error classes sorted by who is at fault. The program's top level turns them into
// one line on stderr and an exit status: UsageError -> 2, DataError -> 1.
#pragma once
#include <stdexcept>
#include <string>

#include <fmt/format.h>

namespace mcc {

// The user asked for something invalid: bad option, bad selection syntax, empty selection.
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// An input file is missing, unreadable, truncated, corrupt or inconsistent with another.
struct DataError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// A bug in mcc-entropy itself (an invariant was broken).
struct InternalError : std::logic_error {
    using std::logic_error::logic_error;
};

template <typename... Args>
[[noreturn]] void throw_usage(fmt::format_string<Args...> f, Args&&... args) {
    throw UsageError(fmt::format(f, std::forward<Args>(args)...));
}

template <typename... Args>
[[noreturn]] void throw_data(fmt::format_string<Args...> f, Args&&... args) {
    throw DataError(fmt::format(f, std::forward<Args>(args)...));
}

}  // namespace mcc
