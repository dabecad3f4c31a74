#include "io/netcdf_api.hpp"

#include <dlfcn.h>

#include <string_view>

#include "core/error.hpp"

// Set by CMake from the library found at configure time: its SONAME, and the same name in the
// directory it was found in (for a libnetcdf outside the loader's search path).
#ifndef MCC_NETCDF_SONAME
#define MCC_NETCDF_SONAME "libnetcdf.so"
#endif
#ifndef MCC_NETCDF_PATH
#define MCC_NETCDF_PATH MCC_NETCDF_SONAME
#endif

namespace mcc {

namespace {

template <class Fn>
bool resolve(void* handle, const char* name, Fn*& fn, std::string& error) {
    void* symbol = dlsym(handle, name);
    if (!symbol) {
        error = std::string(" has no ") + name;
        return false;
    }
    fn = reinterpret_cast<Fn*>(symbol);
    return true;
}

}  // namespace

NetcdfLoad load_netcdf_library(const char* library) {
    NetcdfLoad out;
    void* handle = dlopen(library, RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        const char* why = dlerror();
        out.error = std::string("cannot load the NetCDF library ") + library + " (" + (why ? why : "not found") + ")";
        return out;
    }
    // The library stays loaded until the process ends.
    NetcdfApi& a = out.api;
    std::string& e = out.error;
    const bool ok = resolve(handle, "nc_open", a.open, e) && resolve(handle, "nc_close", a.close, e) &&
                    resolve(handle, "nc_strerror", a.strerror, e) && resolve(handle, "nc_inq_att", a.inq_att, e) &&
                    resolve(handle, "nc_get_att_text", a.get_att_text, e) &&
                    resolve(handle, "nc_get_att_double", a.get_att_double, e) &&
                    resolve(handle, "nc_inq_dimid", a.inq_dimid, e) && resolve(handle, "nc_inq_dimlen", a.inq_dimlen, e) &&
                    resolve(handle, "nc_inq_varid", a.inq_varid, e) &&
                    resolve(handle, "nc_inq_varndims", a.inq_varndims, e) &&
                    resolve(handle, "nc_inq_vartype", a.inq_vartype, e) &&
                    resolve(handle, "nc_inq_vardimid", a.inq_vardimid, e) &&
                    resolve(handle, "nc_get_vara_double", a.get_vara_double, e);
    if (!ok) {
        out.error = std::string("the NetCDF library ") + library + out.error;
        out.api = {};
        dlclose(handle);
    }
    return out;
}

const NetcdfApi& netcdf_api(const std::string& path) {
    static const NetcdfLoad loaded = [] {  // thread-safe, once per process
        NetcdfLoad first = load_netcdf_library(MCC_NETCDF_SONAME);
        // The directory libnetcdf was found in at build time, when the loader's path lacks it.
        if (!first.error.empty() && std::string_view(MCC_NETCDF_PATH) != MCC_NETCDF_SONAME) {
            NetcdfLoad second = load_netcdf_library(MCC_NETCDF_PATH);
            if (second.error.empty()) return second;
        }
        return first;
    }();
    if (!loaded.error.empty()) throw_data("{}: {}", path, loaded.error);
    return loaded.api;
}

}  // namespace mcc
