// Frame chunks: consecutive ranges of positions in the selected-frame list. Fixed by the
// frame count alone (never by the worker count), so every executor merges the same partials
// in the same order and the answer does not depend on how many workers ran it.
#pragma once
#include <cstddef>
#include <vector>

namespace mcc {

struct FrameChunk {
    std::size_t begin = 0;  // first position (inclusive)
    std::size_t end = 0;    // last position (exclusive)
    [[nodiscard]] std::size_t size() const { return end - begin; }
};

// Chunks of ceil(n/64) frames, at least 1 and at most 32, so that there are enough chunks to
// balance a few dozen workers without making per-chunk overhead visible.
std::vector<FrameChunk> make_frame_chunks(std::size_t n_selected);

// Worker threads when the user did not choose (--threads 0): one per core, but no more than
// one per kAtomFramesPerWorker atom-frames of work. A pass of a small system (a DNA duplex:
// 101 frames x 254 atoms, ~25 ms) is slower with a second worker, which then competes with
// the background RDKit load for the cores. The answer does not depend on the choice.
inline constexpr std::size_t kAtomFramesPerWorker = 100'000;
int default_worker_count(unsigned cores, std::size_t n_frames, std::size_t n_atoms);

// The cores one process may use: those of its CPU affinity mask (what a batch system or an
// MPI launcher that binds ranks grants it), shared among the ranks on the node when the
// launcher did not bind them (the mask is then the whole node). `local_ranks`: the MPI ranks
// on this node (1 without MPI).
unsigned cores_per_process(unsigned cores_in_mask, unsigned online_cores, unsigned local_ranks);
// The same for this process: its affinity mask, the online cores, and the launcher's
// OMPI_COMM_WORLD_LOCAL_SIZE or MPI_LOCALNRANKS.
unsigned available_cores();

}  // namespace mcc
