#include "io/xdr.hpp"

#include <bit>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>

#include "core/error.hpp"

namespace mcc {

namespace {

std::uint32_t load_be32(const unsigned char* p) {
    std::uint32_t v;
    std::memcpy(&v, p, 4);
    if constexpr (std::endian::native == std::endian::little) v = __builtin_bswap32(v);
    return v;
}

std::uint64_t load_be64(const unsigned char* p) {
    std::uint64_t v;
    std::memcpy(&v, p, 8);
    if constexpr (std::endian::native == std::endian::little) v = __builtin_bswap64(v);
    return v;
}

}  // namespace

std::int32_t xdr_decode_int(const unsigned char* p) { return std::bit_cast<std::int32_t>(load_be32(p)); }
float xdr_decode_float(const unsigned char* p) { return std::bit_cast<float>(load_be32(p)); }
double xdr_decode_double(const unsigned char* p) { return std::bit_cast<double>(load_be64(p)); }

void xdr_decode_floats(const unsigned char* p, std::size_t n, float* out) {
    for (std::size_t i = 0; i < n; ++i) out[i] = std::bit_cast<float>(load_be32(p + 4 * i));
}

void xdr_decode_doubles_to_floats(const unsigned char* p, std::size_t n, float* out) {
    for (std::size_t i = 0; i < n; ++i)
        out[i] = static_cast<float>(std::bit_cast<double>(load_be64(p + 8 * i)));
}

XdrFile::XdrFile(std::string path) : path_(std::move(path)) {
    std::error_code ec;
    const auto sz = std::filesystem::file_size(path_, ec);
    if (ec) throw_data("{}: cannot open ({})", path_, ec.message());
    file_ = std::fopen(path_.c_str(), "rb");
    if (!file_) throw_data("{}: cannot open ({})", path_, std::strerror(errno));
    size_ = sz;
}

XdrFile::~XdrFile() {
    if (file_) std::fclose(file_);
}

XdrFile::XdrFile(XdrFile&& other) noexcept
    : path_(std::move(other.path_)), file_(std::exchange(other.file_, nullptr)), size_(other.size_),
      pos_(other.pos_) {}

XdrFile& XdrFile::operator=(XdrFile&& other) noexcept {
    if (this != &other) {
        if (file_) std::fclose(file_);
        path_ = std::move(other.path_);
        file_ = std::exchange(other.file_, nullptr);
        size_ = other.size_;
        pos_ = other.pos_;
    }
    return *this;
}

void XdrFile::throw_truncated(std::uint64_t n_bytes, const char* what) const {
    throw_data("{}: file ends while reading {} (needs {} bytes at byte offset {}, file has {} bytes): "
               "truncated or corrupt",
               path_, what, n_bytes, pos_, size_);
}

void XdrFile::require(std::uint64_t n_bytes, const char* what) const {
    if (pos_ > size_ || n_bytes > size_ - pos_) throw_truncated(n_bytes, what);
}

void XdrFile::seek(std::uint64_t offset) {
    if (offset > size_) throw_data("{}: seek to byte {} beyond the end ({} bytes)", path_, offset, size_);
    if (fseeko(file_, static_cast<off_t>(offset), SEEK_SET) != 0)
        throw_data("{}: cannot seek to byte {} ({})", path_, offset, std::strerror(errno));
    pos_ = offset;
}

void XdrFile::skip(std::uint64_t n_bytes) {
    if (n_bytes > remaining()) throw_truncated(n_bytes, "skipped data");
    seek(pos_ + n_bytes);
}

void XdrFile::read_bytes(void* out, std::size_t n, const char* what) {
    require(n, what);
    if (n == 0) return;
    if (std::fread(out, 1, n, file_) != n)
        throw_data("{}: read error at byte offset {} while reading {} (file changed or I/O error)", path_,
                   pos_, what);
    pos_ += n;
}

void XdrFile::read_opaque(void* out, std::size_t n, const char* what) {
    const std::uint64_t padded = (static_cast<std::uint64_t>(n) + 3) / 4 * 4;
    require(padded, what);
    read_bytes(out, n, what);
    if (padded > n) skip(padded - n);
}

std::int32_t XdrFile::read_int(const char* what) {
    unsigned char b[4];
    read_bytes(b, 4, what);
    return xdr_decode_int(b);
}

std::uint32_t XdrFile::read_uint(const char* what) {
    unsigned char b[4];
    read_bytes(b, 4, what);
    return load_be32(b);
}

float XdrFile::read_float(const char* what) {
    unsigned char b[4];
    read_bytes(b, 4, what);
    return xdr_decode_float(b);
}

double XdrFile::read_double(const char* what) {
    unsigned char b[8];
    read_bytes(b, 8, what);
    return xdr_decode_double(b);
}

void XdrFile::read_floats(float* out, std::size_t n, const char* what) {
    require(static_cast<std::uint64_t>(n) * 4, what);
    read_bytes(out, n * 4, what);
    // Decode in place: each element is replaced by its own big-endian interpretation.
    auto* bytes = reinterpret_cast<unsigned char*>(out);
    for (std::size_t i = 0; i < n; ++i) out[i] = xdr_decode_float(bytes + 4 * i);
}

void XdrFile::read_doubles(double* out, std::size_t n, const char* what) {
    require(static_cast<std::uint64_t>(n) * 8, what);
    read_bytes(out, n * 8, what);
    auto* bytes = reinterpret_cast<unsigned char*>(out);
    for (std::size_t i = 0; i < n; ++i) out[i] = xdr_decode_double(bytes + 8 * i);
}

std::string XdrFile::read_xdr_string(std::size_t max_length, const char* what) {
    const std::uint32_t len = read_uint(what);
    if (len > max_length)
        throw_data("{}: {} at byte offset {} claims a string of {} bytes (at most {} expected): corrupt file",
                   path_, what, pos_ - 4, len, max_length);
    std::string s(len, '\0');
    read_opaque(s.data(), len, what);
    return s;
}

std::string XdrFile::read_gmx_string(std::size_t max_length, const char* what) {
    const std::int32_t with_nul = read_int(what);
    if (with_nul < 0 || static_cast<std::size_t>(with_nul) > max_length + 1)
        throw_data("{}: {} at byte offset {} claims a string of {} bytes (at most {} expected): corrupt file",
                   path_, what, pos_ - 4, with_nul, max_length + 1);
    return read_xdr_string(max_length, what);
}

}  // namespace mcc
