// The NetCDF C functions the AMBER NetCDF reader uses, loaded at run time with dlopen.
// libnetcdf pulls in ~45 shared objects (HDF5, curl, gnutls, krb5, ...) whose loading costs
// ~35 ms per process; only runs that open a NetCDF trajectory pay it. netcdf.h still
// provides the types and constants.
#pragma once
#include <netcdf.h>

#include <string>

namespace mcc {

// Each member has the exact type of the netcdf.h declaration (decltype does not link it).
struct NetcdfApi {
    decltype(&::nc_open) open;
    decltype(&::nc_close) close;
    decltype(&::nc_strerror) strerror;
    decltype(&::nc_inq_att) inq_att;
    decltype(&::nc_get_att_text) get_att_text;
    decltype(&::nc_get_att_double) get_att_double;
    decltype(&::nc_inq_dimid) inq_dimid;
    decltype(&::nc_inq_dimlen) inq_dimlen;
    decltype(&::nc_inq_varid) inq_varid;
    decltype(&::nc_inq_varndims) inq_varndims;
    decltype(&::nc_inq_vartype) inq_vartype;
    decltype(&::nc_inq_vardimid) inq_vardimid;
    decltype(&::nc_get_vara_double) get_vara_double;
};

// Loads libnetcdf (the SONAME found at configure time) once per process (thread-safe) and
// returns its function table. Throws DataError naming `path` (the file that needed it) and the
// library when it cannot be loaded or lacks a function.
const NetcdfApi& netcdf_api(const std::string& path);

// The loading step itself, for a given library name (dlopen's search rules): the table, or
// the reason it failed, one line naming the library.
struct NetcdfLoad {
    NetcdfApi api{};
    std::string error;  // empty when loaded
};
NetcdfLoad load_netcdf_library(const char* library);

}  // namespace mcc
