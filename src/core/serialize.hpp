// A byte buffer for shipping partial results between MPI ranks. Values are written in native
// layout (all ranks of one job run the same binary on the same architecture).
#pragma once
#include <cstdint>
#include <cstring>
#include <map>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace mcc {

class ByteWriter {
public:
    template <typename T>
        requires std::is_trivially_copyable_v<T>
    void put(const T& v) {
        // (resize + memcpy rather than insert: GCC 12 warns wrongly about inserting into an
        // empty vector once this is inlined into a loop)
        const std::size_t at = bytes_.size();
        bytes_.resize(at + sizeof(T));
        std::memcpy(bytes_.data() + at, &v, sizeof(T));
    }
    template <typename T>
        requires std::is_trivially_copyable_v<T>
    void put(const std::vector<T>& v) {
        put(static_cast<std::uint64_t>(v.size()));
        const auto* p = reinterpret_cast<const unsigned char*>(v.data());
        bytes_.insert(bytes_.end(), p, p + sizeof(T) * v.size());
    }
    void put(const std::string& s) {
        put(static_cast<std::uint64_t>(s.size()));
        bytes_.insert(bytes_.end(), s.begin(), s.end());
    }
    std::vector<unsigned char>& bytes() { return bytes_; }

private:
    std::vector<unsigned char> bytes_;
};

class ByteReader {
public:
    ByteReader(const unsigned char* data, std::size_t size) : data_(data), size_(size) {}
    template <typename T>
        requires std::is_trivially_copyable_v<T>
    void get(T& v) {
        need(sizeof(T));
        std::memcpy(&v, data_ + pos_, sizeof(T));
        pos_ += sizeof(T);
    }
    template <typename T>
        requires std::is_trivially_copyable_v<T>
    void get(std::vector<T>& v) {
        std::uint64_t n = 0;
        get(n);
        need(n * sizeof(T));
        v.resize(n);
        if (n) std::memcpy(v.data(), data_ + pos_, n * sizeof(T));
        pos_ += n * sizeof(T);
    }
    void get(std::string& s) {
        std::uint64_t n = 0;
        get(n);
        need(n);
        s.assign(reinterpret_cast<const char*>(data_ + pos_), n);
        pos_ += n;
    }
    [[nodiscard]] bool done() const { return pos_ == size_; }

private:
    void need(std::size_t n) const {
        if (n > size_ - pos_) throw InternalError("partial result message is shorter than expected");
    }
    const unsigned char* data_;
    std::size_t size_;
    std::size_t pos_ = 0;
};

}  // namespace mcc
