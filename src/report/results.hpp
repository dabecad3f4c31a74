// What one analysis run produces, in the reference's row model: group rows (reach the JSON),
// residue rows (console only), stage timings and warnings.
#pragma once
#include <string>
#include <vector>

namespace mcc {

// One (group, level, type, value) row, appended in the reference's order: vibrational rows
// per group and level, then conformational, then orientational. Group totals are derived.
struct GroupRow {
    int group = 0;
    std::string level;  // "united_atom", "residue", "polymer"
    std::string type;   // "Transvibrational", "FTmat-Rovibrational", "Conformational", ...
    double value = 0.0;
};

// Per-residue row (UA vibrational and conformational terms per residue of a group).
struct ResidueRow {
    int group = 0;
    std::string residue_name;
    std::string level;
    std::string type;
    long count = 0;  // frames that contributed
    double value = 0.0;
};

struct StageTiming {
    std::string stage;  // "setup", "io", "covariance", "dihedrals", "neighbours", ...
    double wall_seconds = 0.0;
    double cpu_seconds = 0.0;
};

struct RunResults {
    std::vector<GroupRow> group_rows;
    std::vector<ResidueRow> residue_rows;
    std::vector<StageTiming> timings;
    std::vector<std::string> warnings;
    std::size_t n_frames = 0;       // frames analysed
    double frames_per_second = 0.0; // of the frame pass
    std::size_t angle_store_bytes_per_frame = 0;  // the only per-frame memory of the pass
    // False on MPI ranks other than 0: they took part in the pass but report nothing.
    bool reporting_rank = true;
};

}  // namespace mcc
