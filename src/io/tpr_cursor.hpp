// Bounds-checked big-endian reader for GROMACS run-input (.tpr) files. Private to the TPR
// reader (io/tpr.cpp) and its tests.
//
// A .tpr file has two encodings. The header (and, before tpx version 119, the whole body) is
// XDR as written by GROMACS' file layer: every scalar padded to 4 bytes (unsigned char and
// unsigned short too), strings as a 4-byte length-plus-one followed by an XDR string (4-byte
// length, bytes, padding to 4). From version 119 (GROMACS 2020) the body is one opaque block
// written by GROMACS' in-memory serializer: scalars at their natural width (1-byte uchar,
// 2-byte ushort, 1-byte bool), strings as an 8-byte length followed by the bytes, no padding.
// Both are big-endian. Every read checks the remaining length first and throws DataError
// naming the file, the field and the byte offset.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>

#include "core/error.hpp"

namespace mcc::tpr {

enum class Encoding { Xdr, InMemory };

class Cursor {
public:
    Cursor(const unsigned char* data, std::size_t size, std::string source)
        : data_(data), end_(size), source_(std::move(source)) {}

    void set_encoding(Encoding e) { encoding_ = e; }
    void set_double_precision(bool d) { double_ = d; }
    [[nodiscard]] bool double_precision() const { return double_; }
    [[nodiscard]] std::size_t real_size() const { return double_ ? 8 : 4; }
    [[nodiscard]] std::size_t position() const { return pos_; }
    [[nodiscard]] std::size_t remaining() const { return end_ - pos_; }
    [[nodiscard]] const std::string& source() const { return source_; }

    // Restricts reading to the next `n` bytes (the body block of a version >= 119 file).
    void limit_to(std::size_t n) {
        need(n, "body");
        end_ = pos_ + n;
    }

    std::int32_t i32(const char* what) {
        return static_cast<std::int32_t>(static_cast<std::uint32_t>(be(4, what)));
    }
    std::uint32_t u32(const char* what) { return static_cast<std::uint32_t>(be(4, what)); }
    std::int64_t i64(const char* what) { return static_cast<std::int64_t>(be(8, what)); }
    std::uint64_t u64(const char* what) { return be(8, what); }

    float f32(const char* what) {
        const auto bits = static_cast<std::uint32_t>(be(4, what));
        float v;
        std::memcpy(&v, &bits, sizeof v);
        return v;
    }
    double f64(const char* what) {
        const std::uint64_t bits = be(8, what);
        double v;
        std::memcpy(&v, &bits, sizeof v);
        return v;
    }
    // A GROMACS `real`: float or double depending on the file's precision.
    double real(const char* what) { return double_ ? f64(what) : static_cast<double>(f32(what)); }

    // Unsigned char / unsigned short / bool: padded to 4 bytes in XDR, natural width in the
    // in-memory body.
    std::uint32_t uchar(const char* what) {
        return encoding_ == Encoding::Xdr ? u32(what) : static_cast<std::uint32_t>(be(1, what));
    }
    std::uint32_t ushort(const char* what) {
        return encoding_ == Encoding::Xdr ? u32(what) : static_cast<std::uint32_t>(be(2, what));
    }

    std::string str(const char* what) {
        std::uint64_t n = 0;
        if (encoding_ == Encoding::Xdr) {
            (void)i32(what);  // length including the terminating NUL; the XDR length follows
            n = u32(what);
        } else {
            n = u64(what);
        }
        need(n, what);
        std::string s(reinterpret_cast<const char*>(data_ + pos_), static_cast<std::size_t>(n));
        pos_ += static_cast<std::size_t>(n);
        if (encoding_ == Encoding::Xdr) skip((4 - n % 4) % 4, what);
        // GROMACS strings are C strings: anything after an embedded NUL is not part of it.
        if (const auto nul = s.find('\0'); nul != std::string::npos) s.resize(nul);
        return s;
    }

    void skip(std::size_t n, const char* what) {
        need(n, what);
        pos_ += n;
    }
    void skip_reals(std::size_t n, const char* what) { skip_items(n, real_size(), what); }
    void skip_ints(std::size_t n, const char* what) { skip_items(n, 4, what); }

    // Reads a count and rejects it unless 0 <= n and n items of at least `min_item_bytes`
    // each fit in what is left of the file; so a corrupt count never drives an allocation.
    std::int32_t count(const char* what, std::size_t min_item_bytes) {
        const std::size_t at = pos_;
        const std::int32_t n = i32(what);
        if (n < 0)
            throw_data("{}: corrupt TPR file: negative {} ({}) at byte {}", source_, what, n, at);
        if (min_item_bytes > 0 && static_cast<std::uint64_t>(n) > remaining() / min_item_bytes)
            throw_data("{}: corrupt or truncated TPR file: {} = {} at byte {} needs more data "
                       "than the {} bytes left",
                       source_, what, n, at, remaining());
        return n;
    }

    [[noreturn]] void fail(const std::string& message) const {
        throw_data("{}: corrupt TPR file: {} (near byte {})", source_, message, pos_);
    }

private:
    void need(std::uint64_t n, const char* what) const {
        if (n > remaining())
            throw_data("{}: truncated or corrupt TPR file: {} needs {} bytes at byte {}, {} left",
                       source_, what, n, pos_, remaining());
    }
    void skip_items(std::size_t n, std::size_t size, const char* what) {
        if (size != 0 && n > remaining() / size) need(std::uint64_t(remaining()) + 1, what);
        skip(n * size, what);
    }
    std::uint64_t be(std::size_t n, const char* what) {
        need(n, what);
        std::uint64_t v = 0;
        for (std::size_t i = 0; i < n; ++i) v = (v << 8) | data_[pos_ + i];
        pos_ += n;
        return v;
    }

    const unsigned char* data_;
    std::size_t pos_ = 0;
    std::size_t end_;
    std::string source_;
    Encoding encoding_ = Encoding::Xdr;
    bool double_ = false;
};

}  // namespace mcc::tpr
