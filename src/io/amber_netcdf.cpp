// AMBER NetCDF trajectory reader (classic / 64-bit-offset NetCDF, AMBER conventions), giving
// the float32 values MDAnalysis' NCDFReader gives:
//  * coordinates (Å), velocities (Å/ps), cell_lengths (Å), cell_angles (degrees) and time (ps)
//    are used as stored; a `scale_factor` attribute that is not 1 (within 1e-9) multiplies the
//    values, in float32 when data and factor are float32 and in float64 otherwise (NumPy 2
//    type promotion), before rounding to float32;
//  * UNITS: AMBER stores forces in kcal/(mol*Å). MDAnalysis converts them to kJ/(mol*Å) on
//    reading by multiplying the float32 array in place by the Python float 4.184, i.e. a
//    float32 product f * float32(4.184) rounded to float32. We do the same, so Frame::forces
//    are kJ/(mol*Å) bit-identical to MDAnalysis. Unit attributes other than the AMBER ones
//    ("angstrom", "kilocalorie/mole/angstrom", ...) are rejected as MDAnalysis rejects them.
// The NetCDF C library (loaded on first use, io/netcdf_api.hpp) is not thread-safe, so every
// call into it is serialised by one mutex; the header is also parsed here to check that the
// file is long enough for every record (the library silently zero-fills reads past the end of
// a truncated file).
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "io/formats.hpp"
#include "io/frame.hpp"
#include "io/netcdf_api.hpp"

namespace mcc {

namespace {

std::mutex& netcdf_mutex() {
    static std::mutex m;  // libnetcdf keeps global state and has no locking of its own
    return m;
}

// --- minimal classic-format header walk, only to find where each variable's data ends ---

class HeaderWalker {
public:
    HeaderWalker(const std::string& path, std::vector<unsigned char> bytes) : path_(path), b_(std::move(bytes)) {}

    // Largest byte offset any variable's data needs (end of its last record).
    std::uint64_t required_size() {
        if (b_.size() < 8 || b_[0] != 'C' || b_[1] != 'D' || b_[2] != 'F')
            throw_data("{}: not a NetCDF classic/64-bit-offset file (AMBER NetCDF expected)", path_);
        const int version = b_[3];
        if (version != 1 && version != 2)
            throw_data("{}: NetCDF format variant {} is not an AMBER NetCDF trajectory (64-bit offset expected)",
                       path_, version);
        pos_ = 4;
        std::uint64_t numrecs = u32();
        std::vector<std::uint64_t> dim_len;
        std::uint64_t tag = u32(), n = u32();
        for (std::uint64_t i = 0; i < n && tag; ++i) {
            skip_name();
            dim_len.push_back(u32());
        }
        skip_attributes();
        tag = u32();
        n = u32();
        struct Var {
            bool record = false;
            std::uint64_t bytes = 0;   // unpadded data size of one record (or of the variable)
            std::uint64_t vsize = 0;   // padded size as stored in the header
            std::uint64_t begin = 0;
        };
        std::vector<Var> vars;
        for (std::uint64_t i = 0; i < n && tag; ++i) {
            skip_name();
            const std::uint64_t ndims = u32();
            Var v;
            std::uint64_t count = 1;
            for (std::uint64_t d = 0; d < ndims; ++d) {
                const std::uint64_t id = u32();
                if (id >= dim_len.size()) fail();
                if (dim_len[id] == 0) {
                    if (d != 0) fail();
                    v.record = true;
                } else {
                    count *= dim_len[id];
                }
            }
            skip_attributes();
            const std::uint64_t type = u32();
            v.bytes = count * type_size(type);
            v.vsize = u32();
            v.begin = version == 2 ? u64() : u32();
            vars.push_back(v);
        }
        if (numrecs == 0xFFFFFFFFu) numrecs = 0;  // streaming: record count unknown, checked by the library
        std::uint64_t recsize = 0;
        std::size_t n_record_vars = 0;
        for (const auto& v : vars)
            if (v.record) {
                recsize += v.vsize;
                ++n_record_vars;
            }
        if (n_record_vars == 1)  // a single record variable is not padded between records
            for (const auto& v : vars)
                if (v.record) recsize = v.bytes;
        std::uint64_t need = pos_;
        for (const auto& v : vars) {
            std::uint64_t end = v.begin;
            if (v.record) {
                if (numrecs == 0) continue;
                end += (numrecs - 1) * recsize + v.bytes;
            } else {
                end += v.bytes;
            }
            need = std::max(need, end);
        }
        return need;
    }

private:
    [[noreturn]] void fail() const { throw_data("{}: corrupt or truncated NetCDF header", path_); }
    std::uint64_t u32() {
        if (pos_ + 4 > b_.size()) fail();
        std::uint64_t v = 0;
        for (int k = 0; k < 4; ++k) v = (v << 8) | b_[pos_++];
        return v;
    }
    std::uint64_t u64() { return (u32() << 32) | u32(); }
    void skip(std::uint64_t bytes) {
        const std::uint64_t padded = (bytes + 3) / 4 * 4;
        if (padded > b_.size() - pos_) fail();
        pos_ += static_cast<std::size_t>(padded);
    }
    void skip_name() { skip(u32()); }
    static std::uint64_t type_size(std::uint64_t type) {
        switch (type) {
            case NC_BYTE: case NC_CHAR: return 1;
            case NC_SHORT: return 2;
            case NC_INT: case NC_FLOAT: return 4;
            case NC_DOUBLE: return 8;
            default: return 0;
        }
    }
    void skip_attributes() {
        const std::uint64_t tag = u32(), n = u32();
        for (std::uint64_t i = 0; i < n && tag; ++i) {
            skip_name();
            const std::uint64_t type = type_size(u32());
            if (type == 0) fail();
            const std::uint64_t count = u32();
            if (count > (1ull << 40)) fail();
            skip(count * type);
        }
    }

    const std::string& path_;
    std::vector<unsigned char> b_;
    std::size_t pos_ = 0;
};

void check_file_complete(const std::string& path) {
    std::error_code ec;
    const std::uint64_t size = std::filesystem::file_size(path, ec);
    if (ec) throw_data("{}: cannot read file size ({})", path, ec.message());
    std::ifstream in(path, std::ios::binary);
    if (!in) throw_data("{}: cannot open file", path);
    // Headers of AMBER trajectories are a few kB; 1 MiB is plenty.
    std::vector<unsigned char> head(static_cast<std::size_t>(std::min<std::uint64_t>(size, 1u << 20)));
    in.read(reinterpret_cast<char*>(head.data()), static_cast<std::streamsize>(head.size()));
    const std::uint64_t need = HeaderWalker(path, std::move(head)).required_size();
    if (size < need)
        throw_data("{}: truncated NetCDF file ({} bytes, the header describes {} bytes)", path, size, need);
}

// --- reader ---

struct Variable {
    int id = -1;
    nc_type type = NC_NAT;
    int ndims = 0;
    std::optional<double> scale;  // only when not 1 within 1e-9
    bool scale_is_float = false;
};

class AmberNetcdfReader final : public TrajectoryReader {
public:
    explicit AmberNetcdfReader(std::string path) : path_(std::move(path)) {
        check_file_complete(path_);
        api_ = &netcdf_api(path_);
        std::lock_guard lock(netcdf_mutex());
        check(api_->open(path_.c_str(), NC_NOWRITE, &ncid_), "cannot open");
        try {
            inspect();
        } catch (...) {
            api_->close(ncid_);
            throw;
        }
    }
    ~AmberNetcdfReader() override {
        std::lock_guard lock(netcdf_mutex());
        api_->close(ncid_);
    }
    AmberNetcdfReader(const AmberNetcdfReader&) = delete;
    AmberNetcdfReader& operator=(const AmberNetcdfReader&) = delete;

    [[nodiscard]] std::size_t n_frames() const override { return n_frames_; }
    [[nodiscard]] std::size_t n_atoms() const override { return n_atoms_; }
    [[nodiscard]] bool has_forces() const override { return forces_.id >= 0; }
    [[nodiscard]] std::unique_ptr<TrajectoryReader> clone() const override {
        return std::make_unique<AmberNetcdfReader>(path_);
    }
    [[nodiscard]] std::string description() const override { return path_; }

    void read(std::size_t index, Frame& out) override {
        if (index >= n_frames_)
            throw_data("{}: frame {} requested, the file has {} frames", path_, index, n_frames_);
        std::lock_guard lock(netcdf_mutex());
        const std::size_t n3 = 3 * n_atoms_;
        read_values(coordinates_, index, n3, out.positions);
        if (velocities_.id >= 0) read_values(velocities_, index, n3, out.velocities);
        else out.velocities.clear();
        if (forces_.id >= 0) {
            read_values(forces_, index, n3, out.forces);
            const float kcal_to_kj = static_cast<float>(4.184);  // MDAnalysis: float32 array *= 4.184
            for (float& f : out.forces) f *= kcal_to_kj;
        } else {
            out.forces.clear();
        }
        out.time = static_cast<double>(index);  // MDAnalysis without a time variable: the index
        if (time_.id >= 0) {
            std::vector<double> t;
            read_raw(time_, index, 1, t);
            out.time = scaled_double(time_, t[0]);
        }
        out.step = static_cast<long>(index);
        out.has_box = cell_lengths_.id >= 0;
        out.dimensions = {};
        out.box_vectors = {};
        if (out.has_box) {
            std::vector<float> l, a;
            read_values(cell_lengths_, index, 3, l);
            read_values(cell_angles_, index, 3, a);
            out.dimensions = {l[0], l[1], l[2], a[0], a[1], a[2]};
            out.box_vectors = box_vectors_from_dimensions(out.dimensions);
        }
    }

private:
    void check(int status, const char* what) const {
        if (status != NC_NOERR) throw_data("{}: {}: {}", path_, what, api_->strerror(status));
    }

    std::optional<std::string> text_attribute(int var, const char* name) const {
        nc_type type{};
        std::size_t len = 0;
        if (api_->inq_att(ncid_, var, name, &type, &len) != NC_NOERR || type != NC_CHAR) return std::nullopt;
        std::string s(len, '\0');
        check(api_->get_att_text(ncid_, var, name, s.data()), "cannot read an attribute");
        while (!s.empty() && s.back() == '\0') s.pop_back();
        return s;
    }

    std::size_t dimension(const char* name, bool required) const {
        int dim = -1;
        if (api_->inq_dimid(ncid_, name, &dim) != NC_NOERR) {
            if (required) throw_data("{}: AMBER NetCDF without the '{}' dimension", path_, name);
            return 0;
        }
        std::size_t len = 0;
        check(api_->inq_dimlen(ncid_, dim, &len), "cannot read a dimension");
        return len;
    }

    // Finds a variable, checks its shape (frame, then the given fixed dimensions) and units.
    Variable variable(const char* name, std::vector<std::size_t> inner, const char* units) const {
        Variable v;
        if (api_->inq_varid(ncid_, name, &v.id) != NC_NOERR) {
            v.id = -1;
            return v;
        }
        int ndims = 0;
        check(api_->inq_varndims(ncid_, v.id, &ndims), "cannot inspect a variable");
        check(api_->inq_vartype(ncid_, v.id, &v.type), "cannot inspect a variable");
        if (v.type != NC_FLOAT && v.type != NC_DOUBLE)
            throw_data("{}: variable '{}' is not float or double", path_, name);
        std::vector<int> dims(static_cast<std::size_t>(ndims));
        check(api_->inq_vardimid(ncid_, v.id, dims.data()), "cannot inspect a variable");
        v.ndims = ndims;
        bool ok = static_cast<std::size_t>(ndims) == inner.size() + 1 && dims[0] == frame_dim_;
        for (std::size_t k = 0; ok && k < inner.size(); ++k) {
            std::size_t len = 0;
            check(api_->inq_dimlen(ncid_, dims[k + 1], &len), "cannot inspect a variable");
            ok = len == inner[k];
        }
        if (!ok) throw_data("{}: variable '{}' does not have the AMBER shape", path_, name);
        const auto u = text_attribute(v.id, "units");
        if (!u || *u != units)
            throw_data("{}: variable '{}' has units '{}', only '{}' is supported (as in MDAnalysis)", path_, name,
                       u.value_or("(none)"), units);
        nc_type st{};
        std::size_t sl = 0;
        if (api_->inq_att(ncid_, v.id, "scale_factor", &st, &sl) == NC_NOERR) {
            if ((st != NC_FLOAT && st != NC_DOUBLE) || sl != 1)
                throw_data("{}: scale_factor of '{}' is not one float", path_, name);
            double s = 0.0;
            check(api_->get_att_double(ncid_, v.id, "scale_factor", &s), "cannot read scale_factor");
            if (std::fabs(s - 1.0) > 1e-9 * std::max(std::fabs(s), 1.0)) {  // Python math.isclose
                v.scale = s;
                v.scale_is_float = st == NC_FLOAT;
            }
        }
        return v;
    }

    void inspect() {
        const auto conventions = text_attribute(NC_GLOBAL, "Conventions");
        if (!conventions) throw_data("{}: NetCDF file without 'Conventions' (not an AMBER trajectory)", path_);
        std::string tokens = *conventions;
        std::replace(tokens.begin(), tokens.end(), ',', ' ');
        std::istringstream words(tokens);
        bool amber = false;
        for (std::string w; words >> w;) amber = amber || w == "AMBER";
        if (!amber) throw_data("{}: NetCDF Conventions '{}' do not include AMBER", path_, *conventions);
        if (dimension("spatial", true) != 3) throw_data("{}: 'spatial' dimension is not 3", path_);
        n_atoms_ = dimension("atom", true);
        if (n_atoms_ == 0) throw_data("{}: no atoms", path_);
        check(api_->inq_dimid(ncid_, "frame", &frame_dim_), "no 'frame' dimension");
        n_frames_ = dimension("frame", true);

        coordinates_ = variable("coordinates", {n_atoms_, 3}, "angstrom");
        if (coordinates_.id < 0) throw_data("{}: AMBER NetCDF without 'coordinates'", path_);
        velocities_ = variable("velocities", {n_atoms_, 3}, "angstrom/picosecond");
        forces_ = variable("forces", {n_atoms_, 3}, "kilocalorie/mole/angstrom");
        time_ = variable("time", {}, "picosecond");
        cell_lengths_ = variable("cell_lengths", {3}, "angstrom");
        if (cell_lengths_.id >= 0) {
            cell_angles_ = variable("cell_angles", {3}, "degree");
            if (cell_angles_.id < 0) throw_data("{}: 'cell_lengths' without 'cell_angles'", path_);
        }
    }

    void read_raw(const Variable& v, std::size_t frame, std::size_t count, std::vector<double>& out) const {
        out.resize(count);
        // Shapes: (frame), (frame, 3) or (frame, atom, 3); the unused trailing extents are ignored.
        const std::array<std::size_t, 3> start{frame, 0, 0};
        std::array<std::size_t, 3> extent{1, 1, 1};
        if (v.ndims == 2) extent = {1, count, 1};
        else if (v.ndims == 3) extent = {1, count / 3, 3};
        check(api_->get_vara_double(ncid_, v.id, start.data(), extent.data(), out.data()),
              "cannot read frame data (truncated or corrupt file?)");
    }

    // value -> float32 as MDAnalysis stores it, scaled as NumPy 2 would compute it.
    static float scaled_float(const Variable& v, double x) {
        if (!v.scale) return static_cast<float>(x);
        if (v.type == NC_FLOAT && v.scale_is_float) return static_cast<float>(x) * static_cast<float>(*v.scale);
        return static_cast<float>(x * *v.scale);
    }
    static double scaled_double(const Variable& v, double x) {
        if (!v.scale) return x;
        if (v.type == NC_FLOAT && v.scale_is_float)
            return static_cast<double>(static_cast<float>(x) * static_cast<float>(*v.scale));
        return x * *v.scale;
    }

    void read_values(const Variable& v, std::size_t frame, std::size_t count, std::vector<float>& out) {
        read_raw(v, frame, count, scratch_);
        out.resize(count);
        for (std::size_t k = 0; k < count; ++k) out[k] = scaled_float(v, scratch_[k]);
        for (std::size_t k = 0; k < count; ++k)
            if (!std::isfinite(out[k])) throw_data("{}: frame {} holds a non-finite value", path_, frame);
    }

    std::string path_;
    const NetcdfApi* api_ = nullptr;
    int ncid_ = -1;
    int frame_dim_ = -1;
    std::size_t n_atoms_ = 0, n_frames_ = 0;
    Variable coordinates_, velocities_, forces_, time_, cell_lengths_, cell_angles_;
    std::vector<double> scratch_;
};

}  // namespace

std::unique_ptr<TrajectoryReader> open_amber_netcdf(const std::string& path) {
    return std::make_unique<AmberNetcdfReader>(path);
}

}  // namespace mcc
