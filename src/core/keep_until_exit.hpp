// Large setup structures (plans, topology: tens of thousands of small heap blocks for a big
// system) are released by the operating system when the process ends; freeing them block by
// block first costs milliseconds for nothing. What is handed here lives until the process
// ends, and stays reachable, so leak checkers do not report it.
#pragma once
#include <memory>
#include <type_traits>
#include <utility>

namespace mcc {

void keep_until_exit_erased(std::shared_ptr<void> object);

template <typename T>
void keep_until_exit(T&& object) {
    keep_until_exit_erased(std::make_shared<std::decay_t<T>>(std::forward<T>(object)));
}

}  // namespace mcc
