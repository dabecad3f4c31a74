// Test helpers shared by the trajectory-reader tests: a minimal TRR writer (to make
// double-precision, force-less and box-less files) and a `gmx dump -f` parser.
#pragma once
#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

namespace mcc::test {

// Big-endian XDR output into a byte vector.
struct XdrOut {
    std::vector<unsigned char> bytes;
    void u32(std::uint32_t v) {
        for (int s = 24; s >= 0; s -= 8) bytes.push_back(static_cast<unsigned char>(v >> s));
    }
    void i32(std::int32_t v) { u32(static_cast<std::uint32_t>(v)); }
    void f32(float v) { u32(std::bit_cast<std::uint32_t>(v)); }
    void f64(double v) {
        const auto b = std::bit_cast<std::uint64_t>(v);
        u32(static_cast<std::uint32_t>(b >> 32));
        u32(static_cast<std::uint32_t>(b));
    }
    void real(double v, bool dbl) {
        if (dbl)
            f64(v);
        else
            f32(static_cast<float>(v));
    }
};

struct TrrFrameSpec {
    std::vector<double> box;  // 9 values (nm) or empty
    std::vector<double> x;    // 3n (nm) or empty
    std::vector<double> v;
    std::vector<double> f;
    int step = 0;
    double time = 0.0;
};

inline void append_trr_frame(XdrOut& o, const TrrFrameSpec& fr, int natoms, bool dbl) {
    const int rs = dbl ? 8 : 4;
    o.i32(1993);
    o.i32(13);
    o.i32(12);
    for (char c : std::string("GMX_trn_file")) o.bytes.push_back(static_cast<unsigned char>(c));
    const int coord = natoms * 3 * rs;
    const int sizes[11] = {0, 0, fr.box.empty() ? 0 : 9 * rs, 0, 0, 0, 0,
                           fr.x.empty() ? 0 : coord, fr.v.empty() ? 0 : coord, fr.f.empty() ? 0 : coord, natoms};
    for (int s : sizes) o.i32(s);
    o.i32(fr.step);
    o.i32(0);
    o.real(fr.time, dbl);
    o.real(0.0, dbl);
    for (const auto* block : {&fr.box, &fr.x, &fr.v, &fr.f})
        for (double d : *block) o.real(d, dbl);
}

inline void write_file(const std::string& path, const std::vector<unsigned char>& bytes) {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

inline std::vector<unsigned char> read_file_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline bool have_gmx() { return std::system("gmx --version >/dev/null 2>&1") == 0; }

// Captures a command's standard output.
inline std::string run_capture(const std::string& command) {
    std::string out;
    std::FILE* p = popen(command.c_str(), "r");
    if (!p) return out;
    char buf[1 << 16];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    pclose(p);
    return out;
}

// One frame as printed by `gmx dump -f` (values in the file's units, ~6 significant digits).
struct DumpFrame {
    std::vector<double> box, x, v, f;
};

// Parses `gmx dump -f` output: "frame N:" starts a frame, "box (3x3):", "x (Nx3):", "v (...)",
// "f (...)" start blocks whose rows look like "x[    0]={ 1.69281e+00,  1.78988e+00, ...}".
inline std::vector<DumpFrame> parse_gmx_dump(const std::string& text) {
    std::vector<DumpFrame> frames;
    std::vector<double>* block = nullptr;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string::npos) end = text.size();
        const char* line = text.data() + pos;
        const char* line_end = text.data() + end;
        pos = end + 1;
        const char* p = line;
        while (p < line_end && *p == ' ') ++p;
        if (p == line_end) continue;
        const char* brace = static_cast<const char*>(std::memchr(p, '{', static_cast<std::size_t>(line_end - p)));
        if (brace && block) {
            const char* q = brace + 1;
            for (int k = 0; k < 3; ++k) {
                while (q < line_end && (*q == ',' || *q == ' ')) ++q;
                double value = 0.0;
                q = std::from_chars(q, line_end, value).ptr;
                block->push_back(value);
            }
            continue;
        }
        const std::string head(p, static_cast<std::size_t>(std::min<std::ptrdiff_t>(line_end - p, 8)));
        if (p == line && line_end[-1] == ':') {  // "<file> frame N:" (the only unindented header)
            frames.emplace_back();
            block = nullptr;
        } else if (frames.empty()) {
            continue;
        } else if (head.rfind("box (", 0) == 0) {
            block = &frames.back().box;
        } else if (head.rfind("x (", 0) == 0) {
            block = &frames.back().x;
        } else if (head.rfind("v (", 0) == 0) {
            block = &frames.back().v;
        } else if (head.rfind("f (", 0) == 0) {
            block = &frames.back().f;
        } else {
            block = nullptr;
        }
    }
    return frames;
}

}  // namespace mcc::test
