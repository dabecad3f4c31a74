#include "core/keep_until_exit.hpp"

#include <mutex>
#include <vector>

namespace mcc {

void keep_until_exit_erased(std::shared_ptr<void> object) {
    static std::mutex mutex;
    static auto* kept = new std::vector<std::shared_ptr<void>>;  // never freed, on purpose
    std::lock_guard lock(mutex);
    kept->push_back(std::move(object));
}

}  // namespace mcc
