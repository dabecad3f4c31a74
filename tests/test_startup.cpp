// Start-up cost: libnetcdf and libmpi are not linked into mcc-entropy but loaded when needed
// (io/netcdf_api.cpp on the first NetCDF file, the MPI module under mpirun/srun), and a
// NetCDF loading failure is one clear error line (module loading: test_module_loader.cpp).
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include <fmt/format.h>
#include <netcdf.h>

#include "core/error.hpp"
#include "core/module_loader.hpp"
#include "io/netcdf_api.hpp"
#include "pass/mpi_module_api.hpp"

namespace {

struct CommandResult {
    int status = -1;
    std::string output;
};

CommandResult run_command(const std::string& cmd) {
    CommandResult r;
    FILE* p = popen((cmd + " 2>&1").c_str(), "r");
    if (!p) return r;
    char buf[512];
    while (fgets(buf, sizeof buf, p)) r.output += buf;
    const int status = pclose(p);
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

}  // namespace

TEST(Startup, ExecutableLinksNeitherNetcdfNorMpi) {
    const CommandResult r = run_command(fmt::format("ldd '{}'", MCC_BINARY));
    ASSERT_EQ(r.status, 0) << r.output;
    EXPECT_NE(r.output.find("libc.so"), std::string::npos) << r.output;
    EXPECT_EQ(r.output.find("libnetcdf"), std::string::npos) << r.output;
    EXPECT_EQ(r.output.find("libhdf5"), std::string::npos) << r.output;
    EXPECT_EQ(r.output.find("libmpi"), std::string::npos) << r.output;
}

TEST(Startup, NetcdfLoadsOnDemandWithEveryFunction) {
    const mcc::NetcdfApi& nc = mcc::netcdf_api("test.nc");
    ASSERT_NE(nc.strerror, nullptr);
    EXPECT_EQ(std::string(nc.strerror(NC_ENOTVAR)), "NetCDF: Variable not found");
    for (const void* fn : {reinterpret_cast<const void*>(nc.open), reinterpret_cast<const void*>(nc.close),
                           reinterpret_cast<const void*>(nc.get_vara_double)})
        EXPECT_NE(fn, nullptr);
    // Loaded once: the same table on every call.
    EXPECT_EQ(&mcc::netcdf_api("other.nc"), &nc);
}

TEST(Startup, NetcdfLoadFailuresNameTheLibrary) {
    const auto missing = mcc::load_netcdf_library("libmcc-no-such-netcdf.so.0");
    EXPECT_NE(missing.error.find("cannot load the NetCDF library libmcc-no-such-netcdf.so.0"), std::string::npos)
        << missing.error;
    EXPECT_EQ(missing.api.open, nullptr);
    const auto wrong = mcc::load_netcdf_library("libm.so.6");  // loads, but is not NetCDF
    EXPECT_EQ(wrong.error, "the NetCDF library libm.so.6 has no nc_open");
    EXPECT_EQ(wrong.error.find('\n'), std::string::npos);
}

#if defined(MCC_HAVE_MPI) && !defined(MCC_SANITIZED)  // OpenMPI is not sanitizer-clean
TEST(Startup, MpiModuleOfThisBuildHasTheCurrentTable) {
    // What MpiSession loads under mpirun/srun (loading is all; MPI is not initialised here).
    auto entry = reinterpret_cast<MccMpiApiEntry>(
        mcc::load_module_entry(MCC_MPI_MODULE_FILE, MCC_MPI_API_SYMBOL, /*global_symbols=*/true));
    ASSERT_NE(entry, nullptr);
    const MccMpiApi* api = entry();
    ASSERT_NE(api, nullptr);
    EXPECT_EQ(api->version, MCC_MPI_API_VERSION);
    for (const void* fn : {reinterpret_cast<const void*>(api->init), reinterpret_cast<const void*>(api->finalize),
                           reinterpret_cast<const void*>(api->abort), reinterpret_cast<const void*>(api->send_bytes),
                           reinterpret_cast<const void*>(api->flush_sends), reinterpret_cast<const void*>(api->message_waiting),
                           reinterpret_cast<const void*>(api->receive_size),
                           reinterpret_cast<const void*>(api->receive_data),
                           reinterpret_cast<const void*>(api->sum_double)})
        EXPECT_NE(fn, nullptr);
}
#endif
