#include "core/module_loader.hpp"

#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <system_error>
#include <vector>

#include "core/error.hpp"

#ifndef MCC_BUILD_MODULE_DIR
#define MCC_BUILD_MODULE_DIR ""
#endif

namespace mcc {
namespace {

std::vector<std::filesystem::path> module_directories() {
    std::vector<std::filesystem::path> dirs;
    if (const char* env = std::getenv("MCC_MODULE_DIR"); env && *env) dirs.emplace_back(env);
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        dirs.push_back(exe.parent_path());
        dirs.push_back(exe.parent_path().parent_path() / "lib" / "mcc-entropy");
    }
    if (*MCC_BUILD_MODULE_DIR) dirs.emplace_back(MCC_BUILD_MODULE_DIR);
    return dirs;
}

}  // namespace

void* load_module_entry(const std::string& file_name, const char* entry_point, bool global_symbols) {
    std::string tried, reason;
    for (const auto& dir : module_directories()) {
        const auto path = dir / file_name;
        tried += (tried.empty() ? "" : ", ") + path.string();
        std::error_code ec;
        if (!std::filesystem::exists(path, ec)) continue;
        void* handle = dlopen(path.c_str(), RTLD_NOW | (global_symbols ? RTLD_GLOBAL : RTLD_LOCAL));
        if (!handle) {
            const char* why = dlerror();
            reason = why ? why : "dlopen failed";
            continue;
        }
        if (void* entry = dlsym(handle, entry_point)) return entry;
        reason = path.string() + " has no entry point " + entry_point;
    }
    throw_data("cannot load the module {} (tried {}){}{}", file_name, tried, reason.empty() ? "" : ": ", reason);
}

}  // namespace mcc
