// LAMMPS text dump reader ("dump custom"/"dump atom"), following MDAnalysis' DumpReader with
// CodeEntropy's LAMMPSDUMP handling (units 'real': Å, kcal/(mol*Å)):
//  * frames: ITEM: TIMESTEP / NUMBER OF ATOMS / BOX BOUNDS (orthogonal, or triclinic with
//    xy xz yz) / ATOMS <columns>; the atom count must not change;
//  * coordinates: the first complete set among x y z, xs ys zs, xu yu zu, xsu ysu zsu (that
//    order, fixed by the first frame); values parsed as float32; scaled ones are multiplied by
//    the box vectors (float32); then the box origin (xlo, ylo, zlo) is subtracted in float64
//    and the result rounded to float32 -- for scaled coordinates too, so these come out
//    shifted by -lo compared with x y z columns (MDAnalysis quirk, copied for parity);
//    atoms are ordered by the `id` column when present;
//  * dimensions: hi - lo (orthogonal) or MDAnalysis' triclinic_box of the LAMMPS box;
//  * forces (fx fy fz): CodeEntropy multiplies them by 4.184 (kcal -> kJ) in float32,
//    f * float32(4.184), whatever kcal_force_units says; `convert_kcal_forces = false` leaves
//    them as written (the generic force-file path of CodeEntropy does that).
#include <algorithm>
#include <array>
#include <cmath>
#include <fstream>
#include <numeric>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "io/formats.hpp"
#include "io/frame.hpp"
#include "io/text_parse.hpp"

namespace mcc {

namespace {

std::string_view strip_cr(std::string_view s) {
    if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
    return s;
}

// MDAnalysis mdamath.triclinic_box for box vectors in float64, rounded to float32.
std::array<float, 6> triclinic_box(const std::array<double, 9>& m) {
    auto dot = [&](int a, int b) { return m[3 * a] * m[3 * b] + m[3 * a + 1] * m[3 * b + 1] + m[3 * a + 2] * m[3 * b + 2]; };
    const double lx = std::sqrt(dot(0, 0)), ly = std::sqrt(dot(1, 1)), lz = std::sqrt(dot(2, 2));
    if (lx == 0 || ly == 0 || lz == 0) return {};
    constexpr double rad = 180.0 / 3.14159265358979323846;
    const double alpha = std::acos(dot(1, 2) / (ly * lz)) * rad;
    const double beta = std::acos(dot(0, 2) / (lx * lz)) * rad;
    const double gamma = std::acos(dot(0, 1) / (lx * ly)) * rad;
    const std::array<float, 6> box{static_cast<float>(lx),    static_cast<float>(ly),   static_cast<float>(lz),
                                   static_cast<float>(alpha), static_cast<float>(beta), static_cast<float>(gamma)};
    for (int k = 3; k < 6; ++k)
        if (!(box[k] > 0.0f && box[k] < 180.0f)) return {};
    return box;
}

class LammpsDumpReader final : public TrajectoryReader {
public:
    LammpsDumpReader(std::string path, bool convert_kcal_forces)
        : path_(std::move(path)), convert_(convert_kcal_forces) {
        file_.open(path_, std::ios::binary);
        if (!file_) throw_data("{}: cannot open file", path_);
        index_frames();
        Frame first;
        read(0, first);  // fixes the coordinate convention and validates the layout
        if (offsets_.size() > 1) read(offsets_.size() - 1, first);
    }

    [[nodiscard]] std::size_t n_frames() const override { return offsets_.size(); }
    [[nodiscard]] std::size_t n_atoms() const override { return n_atoms_; }
    [[nodiscard]] bool has_forces() const override { return has_forces_; }
    [[nodiscard]] std::unique_ptr<TrajectoryReader> clone() const override {
        return std::unique_ptr<LammpsDumpReader>(new LammpsDumpReader(*this, Reopen{}));
    }
    [[nodiscard]] std::string description() const override { return path_; }

    void read(std::size_t index, Frame& out) override {
        if (index >= offsets_.size())
            throw_data("{}: frame {} requested, the file has {} frames", path_, index, offsets_.size());
        file_.clear();
        file_.seekg(static_cast<std::streamoff>(offsets_[index]));
        expect_item(index, "ITEM: TIMESTEP");
        const auto step = textio::parse_int(next_line(index));
        if (!step) fail(index, "bad TIMESTEP value");
        expect_item(index, "ITEM: NUMBER OF ATOMS");
        const auto n = textio::parse_int(next_line(index));
        if (!n || static_cast<std::size_t>(*n) != n_atoms_) fail(index, "the number of atoms changed");

        const auto bounds_header = textio::split_words(next_line(index));
        if (bounds_header.size() < 3 || bounds_header[1] != "BOX") fail(index, "ITEM: BOX BOUNDS expected");
        const bool triclinic = bounds_header.size() == 9;
        std::array<std::array<double, 3>, 3> b{};
        for (auto& row : b) {
            const auto w = textio::split_words(next_line(index));
            if (w.size() < (triclinic ? 3u : 2u)) fail(index, "short BOX BOUNDS line");
            for (std::size_t k = 0; k < (triclinic ? 3u : 2u); ++k) {
                const auto v = textio::parse_double(w[k]);
                if (!v) fail(index, "bad BOX BOUNDS value");
                row[k] = *v;
            }
        }
        double xlo = b[0][0], xhi = b[0][1], ylo = b[1][0], yhi = b[1][1];
        const double zlo = b[2][0], zhi = b[2][1];
        if (triclinic) {
            // LAMMPS writes the bounding box; recover the box as MDAnalysis does.
            const double xy = b[0][2], xz = b[1][2], yz = b[2][2];
            xlo -= std::min({0.0, xy, xz, xy + xz});
            xhi -= std::max({0.0, xy, xz, xy + xz});
            ylo -= std::min(0.0, yz);
            yhi -= std::max(0.0, yz);
            out.dimensions = triclinic_box({xhi - xlo, 0.0, 0.0, xy, yhi - ylo, 0.0, xz, yz, zhi - zlo});
        } else {
            out.dimensions = {static_cast<float>(xhi - xlo), static_cast<float>(yhi - ylo),
                              static_cast<float>(zhi - zlo), 90.0f, 90.0f, 90.0f};
        }
        out.has_box = true;
        out.box_vectors = box_vectors_from_dimensions(out.dimensions);

        const auto atoms_header = textio::split_words(next_line(index));
        if (atoms_header.size() < 2 || atoms_header[0] != "ITEM:" || atoms_header[1] != "ATOMS")
            fail(index, "ITEM: ATOMS expected");
        const Columns cols = columns(atoms_header, index);
        const std::size_t n3 = 3 * n_atoms_;
        pos_.resize(n3);
        frc_.resize(has_forces_ ? n3 : 0);
        ids_.assign(n_atoms_, 0);
        for (std::size_t i = 0; i < n_atoms_; ++i) {
            words_ = textio::split_words(next_line(index));
            if (words_.size() < cols.n_columns) fail(index, "an ATOMS line has too few columns");
            if (cols.id >= 0) {
                const auto id = textio::parse_int(words_[static_cast<std::size_t>(cols.id)]);
                if (!id) fail(index, "bad atom id");
                ids_[i] = *id;
            }
            for (std::size_t k = 0; k < 3; ++k) {
                pos_[3 * i + k] = value(cols.coord[k], index);
                if (has_forces_) frc_[3 * i + k] = value(cols.force[k], index);
            }
        }
        order_.resize(n_atoms_);
        std::iota(order_.begin(), order_.end(), std::size_t{0});
        if (cols.id >= 0) {
            std::sort(order_.begin(), order_.end(), [&](std::size_t a, std::size_t c) { return ids_[a] < ids_[c]; });
            for (std::size_t i = 1; i < n_atoms_; ++i)
                if (ids_[order_[i]] == ids_[order_[i - 1]]) fail(index, "an atom id appears twice");
        }
        out.positions.resize(n3);
        out.velocities.clear();
        out.forces.resize(has_forces_ ? n3 : 0);
        const float kcal_to_kj = static_cast<float>(4.184);
        const std::array<double, 3> origin{xlo, ylo, zlo};
        const auto& box = out.box_vectors;
        for (std::size_t i = 0; i < n_atoms_; ++i) {
            const std::size_t src = order_[i];
            std::array<float, 3> p{pos_[3 * src], pos_[3 * src + 1], pos_[3 * src + 2]};
            if (scaled_) {
                // MDAnalysis transform_StoR: fractional coordinates times the float32 box vectors.
                std::array<float, 3> r{};
                for (int k = 0; k < 3; ++k) r[k] = p[0] * box[k] + p[1] * box[3 + k] + p[2] * box[6 + k];
                p = r;
            }
            for (std::size_t k = 0; k < 3; ++k) {
                out.positions[3 * i + k] = static_cast<float>(static_cast<double>(p[k]) - origin[k]);
                if (has_forces_) {
                    const float f = frc_[3 * src + k];
                    out.forces[3 * i + k] = convert_ ? f * kcal_to_kj : f;
                }
            }
        }
        out.step = static_cast<long>(*step);
        out.time = static_cast<double>(index);
    }

private:
    struct Reopen {};
    struct Columns {
        int id = -1;
        std::array<std::size_t, 3> coord{};
        std::array<std::size_t, 3> force{};
        std::size_t n_columns = 0;
    };

    LammpsDumpReader(const LammpsDumpReader& o, Reopen)
        : path_(o.path_), convert_(o.convert_), n_atoms_(o.n_atoms_), offsets_(o.offsets_),
          convention_(o.convention_), scaled_(o.scaled_), has_forces_(o.has_forces_) {
        file_.open(path_, std::ios::binary);
        if (!file_) throw_data("{}: cannot open file", path_);
    }

    [[noreturn]] void fail(std::size_t frame, std::string_view what) const {
        throw_data("{}: frame {}: {} (truncated or corrupt LAMMPS dump?)", path_, frame, what);
    }

    std::string_view next_line(std::size_t frame) {
        if (!std::getline(file_, line_)) fail(frame, "unexpected end of file");
        return strip_cr(line_);
    }

    void expect_item(std::size_t frame, std::string_view item) {
        if (textio::trim(next_line(frame)) != item) fail(frame, fmt::format("'{}' expected", item));
    }

    float value(std::size_t column, std::size_t frame) const {
        const auto v = textio::parse_double(words_[column]);
        if (!v) fail(frame, fmt::format("'{}' is not a number", words_[column]));
        return static_cast<float>(*v);
    }

    Columns columns(const std::vector<std::string_view>& header, std::size_t frame) {
        Columns c;
        c.n_columns = header.size() - 2;
        auto find = [&](std::string_view name) -> int {
            for (std::size_t k = 2; k < header.size(); ++k)
                if (header[k] == name) return static_cast<int>(k - 2);
            return -1;
        };
        static constexpr std::array<std::array<const char*, 3>, 4> conventions = {
            {{"x", "y", "z"}, {"xs", "ys", "zs"}, {"xu", "yu", "zu"}, {"xsu", "ysu", "zsu"}}};
        auto complete = [&](std::size_t conv) {
            for (const char* name : conventions[conv])
                if (find(name) < 0) return false;
            return true;
        };
        if (convention_ < 0) {
            for (std::size_t conv = 0; conv < conventions.size() && convention_ < 0; ++conv)
                if (complete(conv)) convention_ = static_cast<int>(conv);
            if (convention_ < 0) fail(frame, "no coordinate columns (x y z, xs ys zs, xu yu zu or xsu ysu zsu)");
            scaled_ = convention_ == 1 || convention_ == 3;
            has_forces_ = find("fx") >= 0 && find("fy") >= 0 && find("fz") >= 0;
        }
        const auto conv = static_cast<std::size_t>(convention_);
        if (!complete(conv)) fail(frame, "the coordinate columns changed");
        for (std::size_t k = 0; k < 3; ++k) c.coord[k] = static_cast<std::size_t>(find(conventions[conv][k]));
        if (has_forces_) {
            const std::array<const char*, 3> f{"fx", "fy", "fz"};
            for (std::size_t k = 0; k < 3; ++k) {
                const int col = find(f[k]);
                if (col < 0) fail(frame, "the force columns disappeared");
                c.force[k] = static_cast<std::size_t>(col);
            }
        }
        c.id = find("id");
        return c;
    }

    // Frame offsets: every frame is 9 + n_atoms lines starting with ITEM: TIMESTEP.
    void index_frames() {
        std::string line;
        std::uint64_t offset = 0;
        std::vector<std::string> head;
        while (true) {
            const std::uint64_t frame_start = offset;
            if (!std::getline(file_, line)) break;
            offset += line.size() + (file_.eof() ? 0 : 1);
            if (textio::trim(line).empty()) {  // blank lines only allowed at the very end
                while (std::getline(file_, line))
                    if (!textio::trim(line).empty())
                        throw_data("{}: unexpected text after a blank line (corrupt dump?)", path_);
                break;
            }
            if (textio::trim(line) != "ITEM: TIMESTEP")
                throw_data("{}: frame {} does not start with 'ITEM: TIMESTEP' (corrupt or truncated dump?)", path_,
                           offsets_.size());
            std::size_t n = 0;
            for (int k = 0; k < 3; ++k) {
                if (!std::getline(file_, line))
                    throw_data("{}: frame {} is truncated", path_, offsets_.size());
                offset += line.size() + (file_.eof() ? 0 : 1);
                if (k == 2) {
                    const auto v = textio::parse_int(line);
                    if (!v || *v <= 0) throw_data("{}: frame {}: bad NUMBER OF ATOMS", path_, offsets_.size());
                    n = static_cast<std::size_t>(*v);
                }
            }
            if (offsets_.empty()) n_atoms_ = n;
            else if (n != n_atoms_)
                throw_data("{}: frame {} has {} atoms, frame 0 has {} (not supported)", path_, offsets_.size(), n,
                           n_atoms_);
            for (std::size_t k = 0; k < 5 + n; ++k) {
                if (!std::getline(file_, line))
                    throw_data("{}: truncated: frame {} is incomplete", path_, offsets_.size());
                offset += line.size() + (file_.eof() ? 0 : 1);
            }
            if (file_.eof() && !textio::trim(line).empty())
                throw_data("{}: truncated: the last line has no line break (LAMMPS ends every line)", path_);
            offsets_.push_back(frame_start);
        }
        if (offsets_.empty()) throw_data("{}: no frame in the LAMMPS dump", path_);
        file_.clear();
    }

    std::string path_;
    bool convert_ = true;
    std::size_t n_atoms_ = 0;
    std::vector<std::uint64_t> offsets_;
    int convention_ = -1;
    bool scaled_ = false;
    bool has_forces_ = false;
    std::ifstream file_;
    std::string line_;
    std::vector<std::string_view> words_;
    std::vector<float> pos_, frc_;
    std::vector<long long> ids_;
    std::vector<std::size_t> order_;
};

}  // namespace

std::unique_ptr<TrajectoryReader> open_lammps_dump(const std::string& path, bool convert_kcal_forces) {
    return std::make_unique<LammpsDumpReader>(path, convert_kcal_forces);
}

}  // namespace mcc
