// GROMACS TRR reader. The file is a sequence of frames, each an XDR header (magic 1993, version
// string, block sizes, atom count, step, time, lambda) followed by the box, virial, pressure,
// positions, velocities and forces blocks whose byte sizes the header gives. Opening the file
// walks the headers once and records where every frame's data starts.
//
// Values are converted exactly as MDAnalysis 2.4 does (so downstream float32 arithmetic
// matches CodeEntropy bit for bit): the data are stored as float32 (double-precision files are
// rounded to float32 on reading), then multiplied in float32 by float32 factors:
//   positions, velocities, box vectors:  fl32(x * 10.0f)   (nm -> Angstrom)
//   forces:                              fl32(f * fl32(0.1)) (kJ/mol/nm -> kJ/mol/Angstrom)
//   dimensions: triclinic_box of the box in nm, then lengths fl32(l * 10.0f); angles untouched.
#include <fmt/format.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "core/error.hpp"
#include "io/formats.hpp"
#include "io/xdr.hpp"

namespace mcc {

namespace {

constexpr std::int32_t kTrrMagic = 1993;
constexpr float kNmToAngstrom = 10.0f;
constexpr float kPerNmToPerAngstrom = 0.1f;  // fl32(0.1), what NumPy uses for `forces *= 0.1`

struct TrrFrameInfo {
    std::uint64_t data_offset = 0;  // first byte after the header
    std::int32_t box_size = 0, vir_size = 0, pres_size = 0, x_size = 0, v_size = 0, f_size = 0;
    bool is_double = false;
    std::int64_t step = 0;
    double time = 0.0;

    [[nodiscard]] std::uint64_t data_bytes() const {
        return static_cast<std::uint64_t>(box_size) + static_cast<std::uint64_t>(vir_size) +
               static_cast<std::uint64_t>(pres_size) + static_cast<std::uint64_t>(x_size) +
               static_cast<std::uint64_t>(v_size) + static_cast<std::uint64_t>(f_size);
    }
};

struct TrrIndex {
    std::string path;
    std::size_t n_atoms = 0;
    bool all_have_forces = true;
    std::vector<TrrFrameInfo> frames;
};

// Reads and checks one frame header at the current offset.
TrrFrameInfo read_header(XdrFile& f, std::size_t frame, std::int32_t& natoms_out) {
    const std::uint64_t start = f.tell();
    const std::string what = fmt::format("the header of frame {}", frame);
    const std::int32_t magic = f.read_int(what.c_str());
    if (magic != kTrrMagic)
        throw_data("{}: frame {} at byte offset {} does not start with the TRR magic number {} (found {}): "
                   "not a TRR file, or corrupt",
                   f.path(), frame, start, kTrrMagic, magic);
    (void)f.read_gmx_string(128, what.c_str());  // "GMX_trn_file"
    std::int32_t sizes[11];
    for (auto& s : sizes) s = f.read_int(what.c_str());
    const auto [ir_size, e_size, box_size, vir_size, pres_size, top_size, sym_size, x_size, v_size, f_size,
                natoms] = sizes;
    auto corrupt = [&](const std::string& why) {
        throw_data("{}: frame {} (byte offset {}): {}: corrupt or unsupported TRR file", f.path(), frame,
                   start, why);
    };
    for (std::int32_t s : sizes)
        if (s < 0) corrupt(fmt::format("negative block size {} in the header", s));
    if (ir_size != 0 || e_size != 0 || top_size != 0 || sym_size != 0)
        corrupt("input-record/energy/topology/symmetry blocks are not supported");
    if (natoms <= 0) corrupt(fmt::format("atom count {}", natoms));
    const std::int64_t coords = 3 * static_cast<std::int64_t>(natoms);
    std::int64_t real_size = 0;
    if (box_size != 0)
        real_size = box_size / 9;
    else if (x_size != 0)
        real_size = x_size / coords;
    else if (v_size != 0)
        real_size = v_size / coords;
    else if (f_size != 0)
        real_size = f_size / coords;
    else
        corrupt("the frame holds no box, positions, velocities or forces");
    if (real_size != 4 && real_size != 8)
        corrupt(fmt::format("cannot tell single from double precision (real size {})", real_size));
    for (std::int32_t s : {box_size, vir_size, pres_size})
        if (s != 0 && s != 9 * real_size) corrupt(fmt::format("box/virial/pressure block of {} bytes", s));
    for (std::int32_t s : {x_size, v_size, f_size})
        if (s != 0 && s != coords * real_size)
            corrupt(fmt::format("coordinate block of {} bytes for {} atoms", s, natoms));

    TrrFrameInfo info;
    info.box_size = box_size;
    info.vir_size = vir_size;
    info.pres_size = pres_size;
    info.x_size = x_size;
    info.v_size = v_size;
    info.f_size = f_size;
    info.is_double = real_size == 8;
    info.step = f.read_int(what.c_str());
    (void)f.read_int(what.c_str());  // nre (energy terms; always 0)
    if (info.is_double) {
        info.time = static_cast<float>(f.read_double(what.c_str()));  // MDAnalysis keeps time as float
        (void)f.read_double(what.c_str());                             // lambda
    } else {
        info.time = f.read_float(what.c_str());
        (void)f.read_float(what.c_str());
    }
    info.data_offset = f.tell();
    natoms_out = natoms;
    return info;
}

std::shared_ptr<const TrrIndex> build_index(const std::string& path) {
    XdrFile f(path);
    auto index = std::make_shared<TrrIndex>();
    index->path = path;
    while (!f.at_end()) {
        const std::size_t k = index->frames.size();
        std::int32_t natoms = 0;
        const TrrFrameInfo info = read_header(f, k, natoms);
        if (k == 0)
            index->n_atoms = static_cast<std::size_t>(natoms);
        else if (static_cast<std::size_t>(natoms) != index->n_atoms)
            throw_data("{}: frame {} has {} atoms but frame 0 has {}: corrupt or concatenated TRR file", path, k,
                       natoms, index->n_atoms);
        if (info.data_bytes() > f.remaining())
            throw_data("{}: frame {} is truncated (its data need {} bytes from byte offset {}, the file ends {} "
                       "bytes later)",
                       path, k, info.data_bytes(), info.data_offset, f.remaining());
        if (info.f_size == 0) index->all_have_forces = false;
        index->frames.push_back(info);
        f.seek(info.data_offset + info.data_bytes());
    }
    if (index->frames.empty()) throw_data("{}: empty file, no TRR frames", path);
    return index;
}

void decode_block(const unsigned char* p, std::size_t n, bool is_double, float* out) {
    if (is_double)
        xdr_decode_doubles_to_floats(p, n, out);
    else
        xdr_decode_floats(p, n, out);
}

void scale(std::vector<float>& v, float factor) {
    for (float& x : v) x *= factor;
}

class TrrReader final : public TrajectoryReader {
public:
    explicit TrrReader(std::shared_ptr<const TrrIndex> index) : index_(std::move(index)), file_(index_->path) {}

    std::size_t n_frames() const override { return index_->frames.size(); }
    std::size_t n_atoms() const override { return index_->n_atoms; }
    bool has_forces() const override { return index_->all_have_forces; }
    std::string description() const override { return index_->path; }
    std::unique_ptr<TrajectoryReader> clone() const override { return std::make_unique<TrrReader>(index_); }

    void read(std::size_t index, Frame& out) override {
        if (index >= index_->frames.size())
            throw InternalError(fmt::format("{}: frame {} requested, the file has {}", index_->path, index,
                                            index_->frames.size()));
        const TrrFrameInfo& info = index_->frames[index];
        buffer_.resize(info.data_bytes());
        file_.seek(info.data_offset);
        const std::string what = fmt::format("the data of frame {}", index);
        file_.read_bytes(buffer_.data(), buffer_.size(), what.c_str());

        const std::size_t n = 3 * index_->n_atoms;
        const unsigned char* p = buffer_.data();
        out.has_box = false;
        out.box_vectors = {};
        out.dimensions = {};
        if (info.box_size != 0) {
            std::array<float, 9> box_nm{};
            decode_block(p, 9, info.is_double, box_nm.data());
            out.dimensions = box_dimensions_from_vectors(box_nm);
            for (int i = 0; i < 3; ++i) out.dimensions[static_cast<std::size_t>(i)] *= kNmToAngstrom;
            for (std::size_t i = 0; i < 9; ++i) out.box_vectors[i] = box_nm[i] * kNmToAngstrom;
            // MDAnalysis reports no box (dimensions None) when the lengths are all zero.
            out.has_box = out.dimensions[0] != 0.0f || out.dimensions[1] != 0.0f || out.dimensions[2] != 0.0f;
        }
        p += static_cast<std::size_t>(info.box_size) + static_cast<std::size_t>(info.vir_size) +
             static_cast<std::size_t>(info.pres_size);
        auto take = [&](std::int32_t size, std::vector<float>& dest, float factor) {
            if (size == 0) {
                dest.clear();
                return;
            }
            dest.resize(n);
            decode_block(p, n, info.is_double, dest.data());
            scale(dest, factor);
            p += static_cast<std::size_t>(size);
        };
        take(info.x_size, out.positions, kNmToAngstrom);
        take(info.v_size, out.velocities, kNmToAngstrom);
        take(info.f_size, out.forces, kPerNmToPerAngstrom);
        out.time = info.time;
        out.step = static_cast<long>(info.step);
    }

private:
    std::shared_ptr<const TrrIndex> index_;
    XdrFile file_;
    std::vector<unsigned char> buffer_;
};

}  // namespace

// A frame without positions (a forces-only TRR) leaves Frame::positions empty; the caller
// decides whether it can use such a file (merge_forces only needs its forces).
std::unique_ptr<TrajectoryReader> open_trr(const std::string& path) {
    return std::make_unique<TrrReader>(build_index(path));
}

}  // namespace mcc
