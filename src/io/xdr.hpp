// XDR (RFC 4506) primitives over a file: big-endian 32-bit ints and floats, 64-bit doubles,
// opaque data padded to 4 bytes, and GROMACS strings. Every read is checked against the file
// size first, so a truncated or corrupt file gives a DataError naming the file and the byte
// offset instead of a crash or a huge allocation.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace mcc {

class XdrFile {
public:
    explicit XdrFile(std::string path);  // throws DataError when the file cannot be opened
    ~XdrFile();
    XdrFile(const XdrFile&) = delete;
    XdrFile& operator=(const XdrFile&) = delete;
    XdrFile(XdrFile&& other) noexcept;
    XdrFile& operator=(XdrFile&& other) noexcept;

    [[nodiscard]] const std::string& path() const { return path_; }
    [[nodiscard]] std::uint64_t size() const { return size_; }
    [[nodiscard]] std::uint64_t tell() const { return pos_; }
    [[nodiscard]] std::uint64_t remaining() const { return size_ - pos_; }
    [[nodiscard]] bool at_end() const { return pos_ >= size_; }

    void seek(std::uint64_t offset);  // offset must be <= size()
    void skip(std::uint64_t n_bytes);

    // `what` names the item for the error message ("TRR frame 3 header").
    std::int32_t read_int(const char* what);
    std::uint32_t read_uint(const char* what);
    float read_float(const char* what);
    double read_double(const char* what);
    void read_floats(float* out, std::size_t n, const char* what);
    void read_doubles(double* out, std::size_t n, const char* what);
    // Raw bytes (no padding): the caller decodes them.
    void read_bytes(void* out, std::size_t n, const char* what);
    // XDR opaque: n bytes followed by padding to a multiple of 4.
    void read_opaque(void* out, std::size_t n, const char* what);
    // XDR string: uint length, bytes, padding. Lengths above `max_length` are an error.
    std::string read_xdr_string(std::size_t max_length, const char* what);
    // GROMACS string (gmx_fio_do_string): int (length + 1) then an XDR string.
    std::string read_gmx_string(std::size_t max_length, const char* what);

    // Throws the standard truncation error for `what` needing `n_bytes` at the current offset.
    [[noreturn]] void throw_truncated(std::uint64_t n_bytes, const char* what) const;

private:
    void require(std::uint64_t n_bytes, const char* what) const;

    std::string path_;
    std::FILE* file_ = nullptr;
    std::uint64_t size_ = 0;
    std::uint64_t pos_ = 0;
};

// Big-endian decoding of a buffer already in memory.
std::int32_t xdr_decode_int(const unsigned char* p);
float xdr_decode_float(const unsigned char* p);
double xdr_decode_double(const unsigned char* p);
void xdr_decode_floats(const unsigned char* p, std::size_t n, float* out);
void xdr_decode_doubles_to_floats(const unsigned char* p, std::size_t n, float* out);

}  // namespace mcc
