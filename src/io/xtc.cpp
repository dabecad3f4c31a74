// GROMACS XTC reader (positions only). Each frame: XDR header (magic 1995, atom count, step,
// time), the box (9 floats, nm), the atom count again, then either 3n plain floats (n <= 9) or
// the compressed block: precision, integer bounding box (minint, maxint), the initial "small"
// bit width index and a byte string of packed integers.
//
// Decompression follows the published xtc algorithm (GROMACS libxdrf / xdrfile xtc3), written
// here from its description: coordinates are integers (nm * precision) relative to minint.
// The first atom of a group is stored with the full mixed-radix width of the bounding box; a
// flag bit then says whether a run of following atoms is stored as small differences from the
// previous atom in a narrower mixed-radix code whose width adapts (+-1 index) from run to run.
// Within a run the first two atoms are swapped (better compression of water). A flag of 0
// repeats the previous run length.
//
// Float conversion as xdrfile/MDAnalysis: x = fl32(int) * fl32(1 / precision), then the
// in-place float32 nm -> Angstrom multiply by 10; dimensions as for TRR.
#include <fmt/format.h>

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/error.hpp"
#include "io/formats.hpp"
#include "io/xdr.hpp"

namespace mcc {

namespace {

constexpr std::int32_t kXtcMagic = 1995;
constexpr float kNmToAngstrom = 10.0f;
constexpr std::size_t kFirstIdx = 9;

// Sizes of the small-difference codes, indexed by their bit width index (~2^(i/3)).
constexpr std::array<std::uint32_t, 73> kMagicInts{
    0,        0,        0,       0,       0,       0,       0,       0,       0,       8,
    10,       12,       16,      20,      25,      32,      40,      50,      64,      80,
    101,      128,      161,     203,     256,     322,     406,     512,     645,     812,
    1024,     1290,     1625,    2048,    2580,    3250,    4096,    5060,    6501,    8192,
    10321,    13003,    16384,   20642,   26007,   32768,   41285,   52015,   65536,   82570,
    104031,   131072,   165140,  208063,  262144,  330280,  416127,  524287,  660561,  832255,
    1048576,  1321122,  1664510, 2097152, 2642245, 3329021, 4194304, 5284491, 6658042, 8388607,
    10568983, 13316085, 16777216};

struct XtcFrameInfo {
    std::uint64_t box_offset = 0;  // first byte of the box
    std::int64_t step = 0;
    double time = 0.0;
};

struct XtcIndex {
    std::string path;
    std::size_t n_atoms = 0;
    std::vector<XtcFrameInfo> frames;
};

// MSB-first bit stream over the compressed bytes, bounds-checked.
class BitReader {
public:
    BitReader(const unsigned char* data, std::size_t size, const std::string& path, std::size_t frame)
        : data_(data), size_bits_(static_cast<std::uint64_t>(size) * 8), path_(path), frame_(frame) {}

    std::uint32_t bits(unsigned n) {  // n <= 32
        if (n > 32 || pos_ + n > size_bits_) corrupt("compressed coordinates end early");
        std::uint64_t v = 0;
        for (unsigned k = 0; k < n;) {
            const std::uint64_t byte = data_[pos_ >> 3];
            const unsigned offset = static_cast<unsigned>(pos_ & 7);
            const unsigned take = std::min(8 - offset, n - k);
            v = (v << take) | ((byte >> (8 - offset - take)) & ((1u << take) - 1));
            pos_ += take;
            k += take;
        }
        return static_cast<std::uint32_t>(v);
    }

    // Three integers packed as one mixed-radix number of `n_bits` bits (least significant
    // byte first): value = (c0 * sizes[1] + c1) * sizes[2] + c2.
    void ints(unsigned n_bits, const std::array<std::uint32_t, 3>& sizes, std::array<std::int64_t, 3>& out) {
        std::array<std::uint32_t, 16> limbs{};  // base-256 digits, least significant first
        std::size_t n = 0;
        while (n_bits > 8) {
            if (n >= limbs.size()) corrupt("integer code too wide");
            limbs[n++] = bits(8);
            n_bits -= 8;
        }
        if (n_bits > 0) {
            if (n >= limbs.size()) corrupt("integer code too wide");
            limbs[n++] = bits(n_bits);
        }
        for (int i = 2; i > 0; --i) {
            const std::uint32_t divisor = sizes[static_cast<std::size_t>(i)];
            if (divisor == 0) corrupt("zero-sized coordinate range");
            std::uint64_t rem = 0;
            for (std::size_t j = n; j-- > 0;) {
                const std::uint64_t cur = (rem << 8) | limbs[j];
                limbs[j] = static_cast<std::uint32_t>(cur / divisor);
                rem = cur % divisor;
            }
            out[static_cast<std::size_t>(i)] = static_cast<std::int64_t>(rem);
        }
        out[0] = static_cast<std::int64_t>(limbs[0] | (limbs[1] << 8) | (limbs[2] << 16) | (limbs[3] << 24));
    }

    [[noreturn]] void corrupt(const char* why) const {
        throw_data("{}: frame {}: {}: corrupt XTC data", path_, frame_, why);
    }

private:
    const unsigned char* data_;
    std::uint64_t size_bits_;
    std::uint64_t pos_ = 0;
    const std::string& path_;
    std::size_t frame_;
};

unsigned bits_for_value(std::uint64_t size) {  // bits needed to store 0..size-1 codes as xtc does
    unsigned bits = 0;
    std::uint64_t num = 1;
    while (size >= num && bits < 32) {
        ++bits;
        num <<= 1;
    }
    return bits;
}

// Bit length of the product of the three sizes (each < 2^24, so the product < 2^72).
unsigned bits_for_product(const std::array<std::uint32_t, 3>& sizes) {
    std::array<std::uint32_t, 12> bytes{};
    bytes[0] = 1;
    std::size_t n = 1;
    for (std::uint32_t s : sizes) {
        std::uint64_t carry = 0;
        for (std::size_t j = 0; j < n; ++j) {
            const std::uint64_t t = static_cast<std::uint64_t>(bytes[j]) * s + carry;
            bytes[j] = static_cast<std::uint32_t>(t & 0xff);
            carry = t >> 8;
        }
        while (carry != 0 && n < bytes.size()) {
            bytes[n++] = static_cast<std::uint32_t>(carry & 0xff);
            carry >>= 8;
        }
    }
    unsigned top_bits = 0;
    while (top_bits < 8 && (bytes[n - 1] >> top_bits) != 0) ++top_bits;
    return top_bits + 8 * static_cast<unsigned>(n - 1);
}

// Reads the frame header at the current offset; leaves the file at the box.
XtcFrameInfo read_header(XdrFile& f, std::size_t frame, std::int32_t& natoms) {
    const std::uint64_t start = f.tell();
    const std::string what = fmt::format("the header of frame {}", frame);
    const std::int32_t magic = f.read_int(what.c_str());
    if (magic != kXtcMagic)
        throw_data("{}: frame {} at byte offset {} does not start with the XTC magic number {} (found {}): "
                   "not an XTC file, or corrupt",
                   f.path(), frame, start, kXtcMagic, magic);
    natoms = f.read_int(what.c_str());
    if (natoms <= 0) throw_data("{}: frame {}: atom count {}: corrupt XTC file", f.path(), frame, natoms);
    XtcFrameInfo info;
    info.step = f.read_int(what.c_str());
    info.time = f.read_float(what.c_str());
    info.box_offset = f.tell();
    return info;
}

// Skips the box and coordinates of a frame (file positioned at the box); checks the sizes.
void skip_coordinates(XdrFile& f, std::size_t frame, std::int32_t natoms) {
    const std::string what = fmt::format("frame {}", frame);
    f.skip(36);
    const std::int32_t again = f.read_int(what.c_str());
    if (again != natoms)
        throw_data("{}: frame {}: atom counts {} and {} in one header: corrupt XTC file", f.path(), frame, natoms,
                   again);
    if (natoms <= 9) {
        f.skip(12 * static_cast<std::uint64_t>(natoms));
        return;
    }
    f.skip(4 + 12 + 12 + 4);  // precision, minint, maxint, smallidx
    const std::uint32_t n_bytes = f.read_uint(what.c_str());
    // Every atom costs at least 2 bits (a lone atom: >= 1 bit of coordinates + the run flag), so
    // a larger atom count is corruption; this also bounds the memory a damaged header can claim.
    if (static_cast<std::uint64_t>(natoms) > 4 * static_cast<std::uint64_t>(n_bytes) + 4)
        throw_data("{}: frame {}: {} atoms cannot fit in {} compressed bytes: corrupt XTC file", f.path(), frame,
                   natoms, n_bytes);
    const std::uint64_t padded = (static_cast<std::uint64_t>(n_bytes) + 3) / 4 * 4;
    if (padded > f.remaining())
        throw_data("{}: frame {} is truncated (its compressed coordinates need {} bytes from byte offset {}, the "
                   "file ends {} bytes later)",
                   f.path(), frame, padded, f.tell(), f.remaining());
    f.skip(padded);
}

std::shared_ptr<const XtcIndex> build_index(const std::string& path) {
    XdrFile f(path);
    auto index = std::make_shared<XtcIndex>();
    index->path = path;
    while (!f.at_end()) {
        const std::size_t k = index->frames.size();
        std::int32_t natoms = 0;
        const XtcFrameInfo info = read_header(f, k, natoms);
        if (k == 0)
            index->n_atoms = static_cast<std::size_t>(natoms);
        else if (static_cast<std::size_t>(natoms) != index->n_atoms)
            throw_data("{}: frame {} has {} atoms but frame 0 has {}: corrupt XTC file", path, k, natoms,
                       index->n_atoms);
        skip_coordinates(f, k, natoms);
        index->frames.push_back(info);
    }
    if (index->frames.empty()) throw_data("{}: empty file, no XTC frames", path);
    return index;
}

class XtcReader final : public TrajectoryReader {
public:
    explicit XtcReader(std::shared_ptr<const XtcIndex> index) : index_(std::move(index)), file_(index_->path) {}

    std::size_t n_frames() const override { return index_->frames.size(); }
    std::size_t n_atoms() const override { return index_->n_atoms; }
    bool has_forces() const override { return false; }
    std::string description() const override { return index_->path; }
    std::unique_ptr<TrajectoryReader> clone() const override { return std::make_unique<XtcReader>(index_); }

    void read(std::size_t index, Frame& out) override {
        if (index >= index_->frames.size())
            throw InternalError(fmt::format("{}: frame {} requested, the file has {}", index_->path, index,
                                            index_->frames.size()));
        const XtcFrameInfo& info = index_->frames[index];
        const std::string what = fmt::format("frame {}", index);
        file_.seek(info.box_offset);
        std::array<float, 9> box_nm{};
        file_.read_floats(box_nm.data(), 9, what.c_str());
        (void)file_.read_int(what.c_str());  // atom count, checked at open
        const std::size_t n = index_->n_atoms;
        out.positions.resize(3 * n);
        if (n <= 9) {
            file_.read_floats(out.positions.data(), 3 * n, what.c_str());
        } else {
            decompress(index, out.positions);
        }
        for (float& x : out.positions) x *= kNmToAngstrom;
        out.forces.clear();
        out.velocities.clear();
        out.dimensions = box_dimensions_from_vectors(box_nm);
        for (std::size_t i = 0; i < 3; ++i) out.dimensions[i] *= kNmToAngstrom;
        for (std::size_t i = 0; i < 9; ++i) out.box_vectors[i] = box_nm[i] * kNmToAngstrom;
        out.has_box = out.dimensions[0] != 0.0f || out.dimensions[1] != 0.0f || out.dimensions[2] != 0.0f;
        out.time = info.time;
        out.step = static_cast<long>(info.step);
    }

private:
    void decompress(std::size_t frame, std::vector<float>& xyz) {
        const std::string what = fmt::format("frame {}", frame);
        const std::string& path = index_->path;
        const float precision = file_.read_float(what.c_str());
        if (!(precision > 0.0f)) throw_data("{}: frame {}: precision {}: corrupt XTC data", path, frame, precision);
        std::array<std::int64_t, 3> minint{}, maxint{};
        for (auto& v : minint) v = file_.read_int(what.c_str());
        for (auto& v : maxint) v = file_.read_int(what.c_str());
        std::array<std::uint32_t, 3> sizeint{};
        for (std::size_t k = 0; k < 3; ++k) {
            const std::int64_t s = maxint[k] - minint[k] + 1;
            if (s <= 0 || s > (std::int64_t{1} << 32) - 1)
                throw_data("{}: frame {}: bad integer bounding box: corrupt XTC data", path, frame);
            sizeint[k] = static_cast<std::uint32_t>(s);
        }
        const bool large = (sizeint[0] | sizeint[1] | sizeint[2]) > 0xffffffu;
        std::array<unsigned, 3> bitsizeint{};
        unsigned bitsize = 0;
        if (large)
            for (std::size_t k = 0; k < 3; ++k) bitsizeint[k] = bits_for_value(sizeint[k]);
        else
            bitsize = bits_for_product(sizeint);
        std::int32_t smallidx_raw = file_.read_int(what.c_str());
        if (smallidx_raw < static_cast<std::int32_t>(kFirstIdx) ||
            smallidx_raw >= static_cast<std::int32_t>(kMagicInts.size()))
            throw_data("{}: frame {}: small-code index {}: corrupt XTC data", path, frame, smallidx_raw);
        std::size_t smallidx = static_cast<std::size_t>(smallidx_raw);
        const std::uint32_t n_bytes = file_.read_uint(what.c_str());
        buffer_.resize(n_bytes);
        file_.read_opaque(buffer_.data(), n_bytes, what.c_str());

        const float inv_precision = 1.0f / precision;
        BitReader in(buffer_.data(), buffer_.size(), path, frame);
        std::int64_t smaller = kMagicInts[std::max(kFirstIdx, smallidx - 1)] / 2;
        std::int64_t smallnum = kMagicInts[smallidx] / 2;
        std::array<std::uint32_t, 3> sizesmall{kMagicInts[smallidx], kMagicInts[smallidx], kMagicInts[smallidx]};
        const std::size_t n = xyz.size() / 3;
        std::size_t atom = 0;
        std::int64_t run = 0;
        auto store = [&](const std::array<std::int64_t, 3>& c) {
            if (atom >= n) in.corrupt("more coordinates than atoms");
            for (std::size_t k = 0; k < 3; ++k)
                xyz[3 * atom + k] = static_cast<float>(static_cast<std::int32_t>(c[k])) * inv_precision;
            ++atom;
        };
        std::array<std::int64_t, 3> cur{}, prev{};
        while (atom < n) {
            if (large) {
                for (std::size_t k = 0; k < 3; ++k) cur[k] = in.bits(bitsizeint[k]);
            } else {
                in.ints(bitsize, sizeint, cur);
            }
            for (std::size_t k = 0; k < 3; ++k) cur[k] += minint[k];
            prev = cur;
            const bool flag = in.bits(1) != 0;
            int is_smaller = 0;
            if (flag) {
                run = in.bits(5);
                is_smaller = static_cast<int>(run % 3);
                run -= is_smaller;
                --is_smaller;
            }
            if (run > 0) {
                for (std::int64_t k = 0; k < run; k += 3) {
                    in.ints(static_cast<unsigned>(smallidx), sizesmall, cur);
                    for (std::size_t m = 0; m < 3; ++m) cur[m] += prev[m] - smallnum;
                    if (k == 0) {
                        std::swap(cur, prev);  // the first two atoms of a run are stored swapped
                        store(prev);
                    } else {
                        prev = cur;
                    }
                    store(cur);
                }
            } else {
                store(cur);
            }
            if (is_smaller != 0) {
                if (is_smaller < 0 && smallidx <= kFirstIdx) in.corrupt("small-code index below range");
                if (is_smaller > 0 && smallidx + 1 >= kMagicInts.size()) in.corrupt("small-code index above range");
                smallidx = is_smaller < 0 ? smallidx - 1 : smallidx + 1;
            }
            if (is_smaller < 0) {
                smallnum = smaller;
                smaller = smallidx > kFirstIdx ? kMagicInts[smallidx - 1] / 2 : 0;
            } else if (is_smaller > 0) {
                smaller = smallnum;
                smallnum = kMagicInts[smallidx] / 2;
            }
            sizesmall = {kMagicInts[smallidx], kMagicInts[smallidx], kMagicInts[smallidx]};
        }
    }

    std::shared_ptr<const XtcIndex> index_;
    XdrFile file_;
    std::vector<unsigned char> buffer_;
};

}  // namespace

std::unique_ptr<TrajectoryReader> open_xtc(const std::string& path) {
    return std::make_unique<XtcReader>(build_index(path));
}

}  // namespace mcc
