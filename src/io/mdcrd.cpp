// AMBER ASCII trajectory (MDCRD / TRJ) reader, following MDAnalysis' TRJReader:
//  * one title line, then per frame 3*n_atoms values in fixed-width 8-character fields, ten
//    per line (10F8.3), the last line of a frame holding the remainder;
//  * a periodic box line (3F8.3: three lengths) after every frame exists when the line after
//    the first frame holds exactly three parseable fields (never assumed for one atom); box
//    angles are then 90 degrees;
//  * values are parsed as doubles and stored as float32; time = frame index * 1 ps.
// AMBER ASCII force files (.frc, kcal/(mol*Å)) have the same layout and are read through this
// reader as "positions"; the force-file merge (and the kcal conversion when asked) happens in
// io/derived. Differences from MDAnalysis, on purpose: a trailing incomplete frame is an error
// (MDAnalysis drops it silently) and so is any field that is not a number.
#include <algorithm>
#include <array>
#include <fstream>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "io/formats.hpp"
#include "io/frame.hpp"
#include "io/text_parse.hpp"

namespace mcc {

namespace {

constexpr std::size_t kFieldWidth = 8;
constexpr std::size_t kFieldsPerLine = 10;

// Number of the first `max_fields` 8-character fields of `line` that parse as numbers
// (MDAnalysis' number_of_matches rule).
std::size_t count_numeric_fields(std::string_view line, std::size_t max_fields) {
    std::size_t n = 0;
    for (std::size_t f = 0; f < max_fields; ++f) {
        const std::size_t start = f * kFieldWidth;
        if (start >= line.size()) break;
        if (textio::parse_double(line.substr(start, kFieldWidth))) ++n;
    }
    return n;
}

std::string_view strip_cr(std::string_view s) {
    if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
    return s;
}

class MdcrdReader final : public TrajectoryReader {
public:
    MdcrdReader(std::string path, std::size_t n_atoms) : path_(std::move(path)), n_atoms_(n_atoms) {
        if (n_atoms_ == 0) throw_data("{}: MDCRD needs the atom count from the topology (got 0)", path_);
        const std::size_t n_values = 3 * n_atoms_;
        lines_per_frame_ = (n_values + kFieldsPerLine - 1) / kFieldsPerLine;
        last_line_fields_ = n_values % kFieldsPerLine == 0 ? kFieldsPerLine : n_values % kFieldsPerLine;
        file_.open(path_, std::ios::binary);
        if (!file_) throw_data("{}: cannot open file", path_);
        detect_box();
        index_frames();
    }

    [[nodiscard]] std::size_t n_frames() const override { return offsets_.size(); }
    [[nodiscard]] std::size_t n_atoms() const override { return n_atoms_; }
    [[nodiscard]] bool has_forces() const override { return false; }
    [[nodiscard]] std::unique_ptr<TrajectoryReader> clone() const override {
        auto copy = std::unique_ptr<MdcrdReader>(new MdcrdReader(*this, Reopen{}));
        return copy;
    }
    [[nodiscard]] std::string description() const override { return path_; }

    void read(std::size_t index, Frame& out) override {
        if (index >= offsets_.size())
            throw_data("{}: frame {} requested, the file has {} frames", path_, index, offsets_.size());
        file_.clear();
        file_.seekg(static_cast<std::streamoff>(offsets_[index]));
        out.positions.resize(3 * n_atoms_);
        out.forces.clear();
        out.velocities.clear();
        std::size_t k = 0;
        for (std::size_t l = 0; l < lines_per_frame_; ++l) {
            const std::string_view line = next_line(index);
            const std::size_t fields = l + 1 == lines_per_frame_ ? last_line_fields_ : kFieldsPerLine;
            for (std::size_t f = 0; f < fields; ++f) out.positions[k++] = field(line, f, index);
        }
        out.time = static_cast<double>(index);
        out.step = static_cast<long>(index);
        out.has_box = periodic_;
        out.dimensions = {};
        out.box_vectors = {};
        if (periodic_) {
            const std::string_view line = next_line(index);
            out.dimensions = {field(line, 0, index), field(line, 1, index), field(line, 2, index), 90.0f, 90.0f,
                              90.0f};
            out.box_vectors = box_vectors_from_dimensions(out.dimensions);
        }
    }

private:
    struct Reopen {};
    MdcrdReader(const MdcrdReader& other, Reopen)
        : path_(other.path_),
          n_atoms_(other.n_atoms_),
          lines_per_frame_(other.lines_per_frame_),
          last_line_fields_(other.last_line_fields_),
          periodic_(other.periodic_),
          offsets_(other.offsets_) {
        file_.open(path_, std::ios::binary);
        if (!file_) throw_data("{}: cannot open file", path_);
    }

    std::string_view next_line(std::size_t frame) {
        if (!std::getline(file_, line_))
            throw_data("{}: frame {} is truncated (file changed since it was opened?)", path_, frame);
        return strip_cr(line_);
    }

    float field(std::string_view line, std::size_t f, std::size_t frame) const {
        const std::size_t start = f * kFieldWidth;
        // A short field means a cut line: AMBER always writes the full 8 characters.
        const auto v = start + kFieldWidth <= line.size() ? textio::parse_double(line.substr(start, kFieldWidth))
                                                          : std::nullopt;
        if (!v)
            throw_data("{}: frame {}: field {} of line '{}' is not a number (10F8.3 expected; truncated or corrupt?)",
                       path_, frame, f + 1, line.substr(0, 80));
        return static_cast<float>(*v);
    }

    void detect_box() {
        std::string line;
        if (!std::getline(file_, line)) throw_data("{}: empty file (no title line)", path_);
        periodic_ = false;
        if (n_atoms_ == 1) return;  // a box line cannot be told from a one-atom frame
        for (std::size_t l = 0; l < lines_per_frame_; ++l)
            if (!std::getline(file_, line)) return;  // fewer than one frame: reported by index_frames
        if (std::getline(file_, line))
            periodic_ = count_numeric_fields(strip_cr(line), kFieldsPerLine) == 3;
    }

    // Offsets of complete frames; anything after the last complete frame must be blank.
    void index_frames() {
        file_.clear();
        file_.seekg(0);
        const std::size_t lines_per_record = lines_per_frame_ + (periodic_ ? 1 : 0);
        std::string line;
        std::getline(file_, line);  // title
        std::uint64_t offset = static_cast<std::uint64_t>(file_.tellg());
        std::size_t line_in_record = 0;
        std::uint64_t record_start = offset;
        bool record_blank = true;
        bool unterminated = false;
        while (std::getline(file_, line)) {
            unterminated = file_.eof() && !textio::trim(line).empty();
            if (line_in_record == 0) {
                record_start = offset;
                record_blank = true;
            }
            record_blank = record_blank && textio::trim(line).empty();
            offset += line.size() + (file_.eof() ? 0 : 1);
            if (++line_in_record == lines_per_record) {
                offsets_.push_back(record_start);
                line_in_record = 0;
            }
        }
        if (unterminated)
            throw_data("{}: truncated: the last line has no line break (AMBER ends every line)", path_);
        if (line_in_record != 0 && !record_blank)
            throw_data("{}: truncated: the last frame has {} of {} lines ({} atoms{})", path_, line_in_record,
                       lines_per_record, n_atoms_, periodic_ ? ", with box line" : "");
        if (offsets_.empty()) throw_data("{}: no complete frame of {} atoms", path_, n_atoms_);
        file_.clear();
        check_layout(0);
        check_layout(offsets_.size() - 1);
    }

    // The frame's lines hold exactly the expected number of fields: catches a wrong atom count
    // (topology of another system) early, with a clear message.
    void check_layout(std::size_t index) {
        file_.clear();
        file_.seekg(static_cast<std::streamoff>(offsets_[index]));
        const std::size_t lines = lines_per_frame_ + (periodic_ ? 1 : 0);
        for (std::size_t l = 0; l < lines; ++l) {
            const std::string_view line = next_line(index);
            const std::size_t want = l + 1 < lines_per_frame_ ? kFieldsPerLine
                                     : l + 1 == lines_per_frame_ ? last_line_fields_
                                                                 : 3;
            const bool rest_blank = line.size() <= want * kFieldWidth || textio::trim(line.substr(want * kFieldWidth)).empty();
            if (count_numeric_fields(line, want) != want || !rest_blank)
                throw_data("{}: frame {}, line {} does not hold {} values in 8-character fields: the file does "
                           "not match {} atoms{} (wrong topology or corrupt file)",
                           path_, index, l + 1, want, n_atoms_, periodic_ ? " with a box line" : "");
        }
        file_.clear();
    }

    std::string path_;
    std::size_t n_atoms_ = 0;
    std::size_t lines_per_frame_ = 0;
    std::size_t last_line_fields_ = 0;
    bool periodic_ = false;
    std::vector<std::uint64_t> offsets_;
    std::ifstream file_;
    std::string line_;
};

}  // namespace

std::unique_ptr<TrajectoryReader> open_mdcrd(const std::string& path, std::size_t n_atoms) {
    return std::make_unique<MdcrdReader>(path, n_atoms);
}

}  // namespace mcc
