// Run-time modules: the RDKit symmetry module is found and checked; a missing module or
// entry point is one clear DataError naming what was looked for.
#include <gtest/gtest.h>

#include <string>

#include "core/error.hpp"
#include "core/module_loader.hpp"
#include "plan/symmetry_module.hpp"

namespace {

TEST(ModuleLoader, FindsTheSymmetryModuleOfThisBuild) {
    auto* entry = reinterpret_cast<const mcc::SymmetryModule* (*)()>(
        mcc::load_module_entry(mcc::kSymmetryModuleFile, mcc::kSymmetryModuleEntry));
    ASSERT_NE(entry, nullptr);
    const mcc::SymmetryModule* m = entry();
    EXPECT_EQ(m->abi, mcc::kSymmetryModuleAbi);
    EXPECT_STREQ(m->version, MCC_VERSION);
    EXPECT_NE(m->molecule_symmetry, nullptr);
}

TEST(ModuleLoader, MissingModuleNamesTheFileAndWhereItLooked) {
    try {
        mcc::load_module_entry("no-such-module.so", "entry");
        FAIL() << "expected a DataError";
    } catch (const mcc::DataError& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("cannot load the module no-such-module.so"), std::string::npos) << what;
        EXPECT_NE(what.find("tried"), std::string::npos) << what;
    }
}

TEST(ModuleLoader, MissingEntryPointIsNamed) {
    try {
        mcc::load_module_entry(mcc::kSymmetryModuleFile, "no_such_entry_point");
        FAIL() << "expected a DataError";
    } catch (const mcc::DataError& e) {
        EXPECT_NE(std::string(e.what()).find("has no entry point no_such_entry_point"), std::string::npos)
            << e.what();
    }
}

}  // namespace
