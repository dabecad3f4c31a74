// Which trajectory frames an analysis visits, with CodeEntropy's start/end/step semantics, and
// the reference's virtual frame chunks (they change only the flexible-dihedral count).
#pragma once
#include <cstddef>
#include <utility>
#include <vector>

namespace mcc {

// Absolute frame indices range(start, end, step) over a trajectory of n_total frames; `end` is
// exclusive and -1 means n_total (CodeEntropy's help text calls `end` inclusive; it is not).
// Throws UsageError naming the option for: start > n_total, end > n_total, end < -1,
// step <= 0, a negative start (CodeEntropy would count it from the end; we reject it), and an
// empty selection (e.g. start >= end).
std::vector<std::size_t> select_frames(std::size_t n_total, long start, long end, long step);

// CodeEntropy's conformational chunks: consecutive [begin, end) ranges of positions
// 0..n_selected-1 in the selected-frame list, of size c = min(32, max(1, ceil(n/(2W)))) (the
// last may be shorter), W = max(1, workers) (spec §2.6 says how W follows from the options).
// Empty for n_selected == 0.
std::vector<std::pair<std::size_t, std::size_t>> reference_frame_chunks(std::size_t n_selected,
                                                                        int workers);

}  // namespace mcc
