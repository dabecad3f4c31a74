// Runs a frame-chunk job on the workers available — serial, threads, MPI ranks, or MPI ranks
// with threads — and merges the chunk partials strictly in chunk order, so the result is
// bit-identical whatever the number of workers.
//
// Threads: each worker owns a clone of the trajectory reader and takes the next chunk from a
// shared counter; the calling thread merges finished chunks in order (buffering early ones).
// Workers stay at most max_chunks_ahead() chunks ahead of the merging, so that the partials
// alive at once are bounded by the worker count, not by the frame count.
// MPI: rank 0 hands out chunks on demand (to its own worker threads and to the other ranks,
// which ship each finished partial back) and merges all chunks in order. On every rank the
// calling thread coordinates (it alone calls MPI) and worker threads compute. Only rank 0
// gets the merged partial.
#pragma once
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <cstddef>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <numeric>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "core/serialize.hpp"
#include "io/trajectory.hpp"
#include "pass/chunks.hpp"
#include "pass/mpi_session.hpp"

namespace mcc {

template <class Partial>
struct ChunkJob {
    std::function<Partial()> make;
    // Processes the frames of one chunk with the worker's own reader.
    std::function<void(TrajectoryReader&, const FrameChunk&, Partial&)> work;
    // Folds `later` (the next chunk in order) into `into`.
    std::function<void(Partial& into, const Partial& later)> merge;
    // Optional: takes back a partial that has been merged (or, under MPI, sent), so that `make`
    // can hand out its storage again instead of allocating it anew for every chunk.
    std::function<void(Partial&& spent)> recycle;
    // Byte encoding for MPI (needed only when running under MPI).
    std::function<void(const Partial&, ByteWriter&)> pack;
    std::function<Partial(ByteReader&)> unpack;
    // Called on rank 0 after each merged chunk (frames merged so far), e.g. for progress.
    std::function<void(std::size_t frames_done)> on_progress;
    // Called once on the calling thread when this process's workers are running: work meant
    // to overlap with the pass starts here. (A dlopen() in progress blocks the creation of new
    // threads for its whole duration, so background loading must not start before the pool.)
    std::function<void()> on_workers_started;
};

// How many chunks threads may have taken beyond the last one handed over in order (merged,
// or sent under MPI). Without a bound, workers that outpace the merging thread (which shares
// the cores with them) leave a growing backlog of partials, each allocated anew: with small
// chunks that is most of the chunks, and first-touch page faults on their storage then cost
// more than the merging saved (a DNA duplex, 2 threads: 1,900 page faults against 660).
inline std::size_t max_chunks_ahead(std::size_t n_workers) { return 2 * n_workers; }

namespace detail {

// Runs the chunks with the given indices on `threads` workers and hands each finished partial
// to `deliver` on the calling thread, in the order of `indices`.
template <class Partial>
void run_local_chunks(const TrajectoryReader& prototype, const std::vector<FrameChunk>& chunks,
                      const std::vector<std::size_t>& indices, int threads, const ChunkJob<Partial>& job,
                      const std::function<void(std::size_t, Partial&&)>& deliver) {
    auto workers_started = [&job] {
        if (job.on_workers_started) job.on_workers_started();
    };
    if (indices.empty()) return workers_started();
    const std::size_t n_workers = std::min<std::size_t>(std::max(threads, 1), indices.size());
    if (n_workers == 1) {
        workers_started();
        auto reader = prototype.clone();
        for (std::size_t i : indices) {
            Partial p = job.make();
            job.work(*reader, chunks[i], p);
            deliver(i, std::move(p));
        }
        return;
    }
    std::mutex mutex;
    std::condition_variable ready;
    std::map<std::size_t, Partial> finished;  // slot in `indices` -> partial
    std::size_t next_slot = 0;
    std::size_t handed_over = 0;  // slots delivered, in order
    const std::size_t max_ahead = max_chunks_ahead(n_workers);
    std::exception_ptr failure;
    // One condition for "a chunk finished" (the calling thread waits) and "a chunk was handed
    // over" (workers wait for room); every change notifies all.
    auto worker = [&](std::unique_ptr<TrajectoryReader> reader) {
        for (;;) {
            std::size_t slot;
            {
                std::unique_lock lock(mutex);
                ready.wait(lock, [&] {
                    return failure || next_slot >= indices.size() || next_slot < handed_over + max_ahead;
                });
                if (failure || next_slot >= indices.size()) return;
                slot = next_slot++;
            }
            try {
                Partial p = job.make();
                job.work(*reader, chunks[indices[slot]], p);
                std::lock_guard lock(mutex);
                finished.emplace(slot, std::move(p));
            } catch (...) {
                std::lock_guard lock(mutex);
                if (!failure) failure = std::current_exception();
            }
            ready.notify_all();
        }
    };
    std::vector<std::thread> pool;
    pool.reserve(n_workers);
    for (std::size_t w = 0; w < n_workers; ++w) pool.emplace_back(worker, prototype.clone());
    workers_started();
    for (std::size_t slot = 0; slot < indices.size(); ++slot) {
        Partial p;
        {
            std::unique_lock lock(mutex);
            ready.wait(lock, [&] { return failure || finished.count(slot) > 0; });
            if (failure) break;
            p = std::move(finished.at(slot));
            finished.erase(slot);
        }
        // An error while merging (or sending) stops the workers, which are joined below
        // before it leaves this function.
        std::exception_ptr deliver_error;
        try {
            deliver(indices[slot], std::move(p));
        } catch (...) {
            deliver_error = std::current_exception();
        }
        bool stop = false;
        {
            std::lock_guard lock(mutex);
            ++handed_over;
            if (deliver_error && !failure) failure = deliver_error;
            stop = failure != nullptr;
        }
        ready.notify_all();
        if (stop) break;
    }
    for (auto& t : pool) t.join();
    if (failure) std::rethrow_exception(failure);
}

}  // namespace detail

// How many chunks rank 0 hands out beyond the oldest one not yet merged. Wider than for
// threads: ranks may differ in speed (a node shared with other jobs), and the oldest chunk
// may sit on a slow one while the fast ones go on; with 2 workers' worth of room, a rank
// sharing its core with another process held the other to its pace (4.0 s against 3.2 s).
inline std::size_t mpi_chunks_ahead(std::size_t n_workers) { return 4 * n_workers + 8; }

namespace detail {

// The worker threads of one MPI rank. The calling thread (the only one that calls MPI) pushes
// chunk indices; each worker takes one, computes it with its own reader and hands the partial
// back through finished().
template <class Partial>
class ChunkWorkers {
public:
    ChunkWorkers(const TrajectoryReader& prototype, const std::vector<FrameChunk>& chunks, std::size_t n,
                 const ChunkJob<Partial>& job)
        : chunks_(chunks), job_(job) {
        threads_.reserve(n);
        for (std::size_t w = 0; w < n; ++w) threads_.emplace_back([this, r = prototype.clone()]() mutable { run(*r); });
    }
    ~ChunkWorkers() {
        {
            std::lock_guard lock(mutex_);
            closed_ = stop_ = true;
        }
        changed_.notify_all();
        for (auto& t : threads_) t.join();
    }
    ChunkWorkers(const ChunkWorkers&) = delete;
    ChunkWorkers& operator=(const ChunkWorkers&) = delete;

    void push(std::size_t chunk) {
        {
            std::lock_guard lock(mutex_);
            queue_.push_back(chunk);
        }
        changed_.notify_all();
    }
    // No more chunks will be pushed: workers end when the queue is empty.
    void close() {
        {
            std::lock_guard lock(mutex_);
            closed_ = true;
        }
        changed_.notify_all();
    }
    // Mean wall time of the chunks computed so far (1 ms before the first).
    double seconds_per_chunk() {
        std::lock_guard lock(mutex_);
        return computed_ > 0 ? busy_seconds_ / static_cast<double>(computed_) : 1e-3;
    }
    // Finished partials, waiting up to `timeout` for the first; rethrows a worker's error.
    std::vector<std::pair<std::size_t, Partial>> finished(std::chrono::microseconds timeout) {
        std::unique_lock lock(mutex_);
        changed_.wait_for(lock, timeout, [&] { return failure_ || !done_.empty(); });
        if (failure_) std::rethrow_exception(failure_);
        return std::exchange(done_, {});
    }

private:
    void run(TrajectoryReader& reader) {
        for (;;) {
            std::size_t chunk;
            {
                std::unique_lock lock(mutex_);
                changed_.wait(lock, [&] { return stop_ || failure_ || !queue_.empty() || closed_; });
                if (stop_ || failure_ || queue_.empty()) return;
                chunk = queue_.front();
                queue_.pop_front();
            }
            try {
                const auto start = std::chrono::steady_clock::now();
                Partial p = job_.make();
                job_.work(reader, chunks_[chunk], p);
                const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
                std::lock_guard lock(mutex_);
                busy_seconds_ += took.count();
                ++computed_;
                done_.emplace_back(chunk, std::move(p));
            } catch (...) {
                std::lock_guard lock(mutex_);
                if (!failure_) failure_ = std::current_exception();
            }
            changed_.notify_all();
        }
    }

    const std::vector<FrameChunk>& chunks_;
    const ChunkJob<Partial>& job_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<std::size_t> queue_;
    std::vector<std::pair<std::size_t, Partial>> done_;
    bool closed_ = false, stop_ = false;
    double busy_seconds_ = 0.0;
    std::size_t computed_ = 0;
    std::exception_ptr failure_;
    std::vector<std::thread> threads_;  // last: started once the state above exists
};

// Messages of the MPI chunk scheduler (rank 0 <-> rank r).
enum class ChunkMessage : std::uint64_t {
    Hello = 0,    // r -> 0: r's worker count, the chunks it takes at a time
    Partial = 1,  // r -> 0: chunk index, then the chunk's partial
};
inline constexpr std::uint64_t kNoMoreChunks = ~std::uint64_t{0};  // 0 -> r: the end
// How often a coordinating thread looks for messages from other ranks (events of its own
// workers wake it at once): an eighth of the time its workers take per chunk, within
// [0.2, 10] ms. Rarely enough that its wake-ups cost little to the worker sharing its core
// (at every 0.3 ms, a 2-rank run was 10% slower here), often enough against the round trip
// of a chunk (a rank has its next chunk queued while it computes one).
inline std::chrono::microseconds mpi_poll_interval(double seconds_per_chunk) {
    const double us = std::clamp(seconds_per_chunk * 1e6 / 8.0, 200.0, 10'000.0);
    return std::chrono::microseconds(static_cast<long>(us));
}

inline void send_chunk_index(int rank, std::uint64_t chunk) {
    ByteWriter w;
    w.put(chunk);
    MpiSession::send_bytes(rank, w.bytes());
}

// A rank other than 0: says how many chunks it takes at a time, then computes the chunks rank
// 0 assigns and sends each partial back (which asks for the next), until rank 0 says there
// are no more.
template <class Partial>
void run_mpi_worker_rank(const TrajectoryReader& prototype, const std::vector<FrameChunk>& chunks, int threads,
                         const ChunkJob<Partial>& job) {
    const auto n_workers = static_cast<std::uint64_t>(std::max(threads, 1));
    {
        ByteWriter w;
        w.put(ChunkMessage::Hello);
        w.put(n_workers);
        MpiSession::send_bytes(0, w.bytes());
    }
    ChunkWorkers<Partial> workers(prototype, chunks, n_workers, job);
    if (job.on_workers_started) job.on_workers_started();
    std::size_t assigned = 0;  // pushed, not yet sent back
    bool no_more = false;
    while (!no_more || assigned > 0) {
        while (MpiSession::message_waiting(0)) {
            const auto bytes = MpiSession::receive_bytes(0);
            ByteReader r(bytes.data(), bytes.size());
            std::uint64_t chunk = 0;
            r.get(chunk);
            if (chunk == kNoMoreChunks) {
                no_more = true;
                workers.close();
            } else {
                workers.push(static_cast<std::size_t>(chunk));
                ++assigned;
            }
        }
        for (auto& [chunk, p] : workers.finished(mpi_poll_interval(workers.seconds_per_chunk()))) {
            ByteWriter w;
            w.put(ChunkMessage::Partial);
            w.put(static_cast<std::uint64_t>(chunk));
            job.pack(p, w);
            MpiSession::send_bytes(0, w.bytes());
            if (job.recycle) job.recycle(std::move(p));
            --assigned;
        }
    }
    MpiSession::flush_sends();
}

// Rank 0: hands out chunk indices on demand, to its own workers and to the other ranks, so
// that a faster rank (or one with less else to do: rank 0 also merges, and computes the
// symmetry numbers) computes more chunks; merges every partial in chunk order, so the answer
// does not depend on who computed what.
// - Another rank gets one chunk more than it has workers while many chunks remain: its next
//   chunk is then already there when a worker finishes, instead of a message round trip later
//   (a few ms when the coordinating threads share their cores with the workers). Near the end
//   it gets no more than its workers, so that no rank is left with a queue while others idle.
// - Chunks are handed out at most mpi_chunks_ahead() ahead of the merging, which bounds the
//   partials waiting for a slow one.
template <class Partial>
void run_mpi_root_rank(const TrajectoryReader& prototype, const std::vector<FrameChunk>& chunks, int threads,
                       const ChunkJob<Partial>& job, const std::function<void(std::size_t, Partial&&)>& fold) {
    const auto n_ranks = static_cast<std::size_t>(MpiSession::size());
    std::vector<std::size_t> workers_of(n_ranks, 0);  // 0 until the rank's hello arrived
    std::vector<std::size_t> outstanding(n_ranks, 0);  // handed out, not yet back
    std::vector<bool> ended(n_ranks, false);           // told that there are no more chunks
    workers_of[0] = static_cast<std::size_t>(std::max(threads, 1));
    ended[0] = true;
    std::size_t all_workers = workers_of[0];
    std::size_t next_chunk = 0, next_merge = 0;
    std::map<std::size_t, Partial> waiting;  // finished, not yet merged
    ChunkWorkers<Partial> own(prototype, chunks, workers_of[0], job);
    if (job.on_workers_started) job.on_workers_started();
    auto hand_out = [&] {
        const std::size_t window_end = next_merge + mpi_chunks_ahead(all_workers);
        const bool plenty = chunks.size() - next_chunk > all_workers;
        for (std::size_t r = 0; r < n_ranks; ++r) {
            const std::size_t cap = workers_of[r] + (r > 0 && plenty ? 1 : 0);
            for (; outstanding[r] < cap && next_chunk < chunks.size() && next_chunk < window_end; ++next_chunk) {
                if (r == 0) {
                    own.push(next_chunk);
                } else {
                    send_chunk_index(static_cast<int>(r), next_chunk);
                }
                ++outstanding[r];
            }
            if (next_chunk == chunks.size() && workers_of[r] > 0 && !ended[r]) {
                send_chunk_index(static_cast<int>(r), kNoMoreChunks);
                ended[r] = true;
            }
        }
        if (next_chunk == chunks.size()) own.close();
    };
    auto everyone_ended = [&] { return std::all_of(ended.begin(), ended.end(), [](bool e) { return e; }); };
    while (next_merge < chunks.size() || !everyone_ended()) {
        hand_out();
        for (auto& [chunk, p] : own.finished(mpi_poll_interval(own.seconds_per_chunk()))) {
            waiting.emplace(chunk, std::move(p));
            --outstanding[0];
        }
        for (int source; (source = MpiSession::waiting_source()) >= 0;) {
            const auto bytes = MpiSession::receive_bytes(source);
            ByteReader r(bytes.data(), bytes.size());
            ChunkMessage kind{};
            r.get(kind);
            const auto from = static_cast<std::size_t>(source);
            if (kind == ChunkMessage::Hello) {
                std::uint64_t n = 0;
                r.get(n);
                workers_of[from] = std::max<std::size_t>(static_cast<std::size_t>(n), 1);
                all_workers += workers_of[from];
            } else {
                std::uint64_t chunk = 0;
                r.get(chunk);
                waiting.emplace(static_cast<std::size_t>(chunk), job.unpack(r));
                --outstanding[from];
            }
            hand_out();  // before merging: the rank waits for its next chunk
        }
        for (auto it = waiting.find(next_merge); it != waiting.end(); it = waiting.find(next_merge)) {
            Partial p = std::move(it->second);
            waiting.erase(it);
            fold(next_merge++, std::move(p));
        }
    }
}

}  // namespace detail

// Returns the merged partial on rank 0 (or the only process), nothing on other ranks.
template <class Partial>
std::optional<Partial> run_chunk_job(const TrajectoryReader& prototype, const std::vector<FrameChunk>& chunks,
                                     int threads, const ChunkJob<Partial>& job) {
    const int n_ranks = MpiSession::active() ? MpiSession::size() : 1;
    std::optional<Partial> total;
    std::size_t frames_done = 0;
    auto fold = [&](std::size_t k, Partial&& p) {
        if (!total) {
            total = std::move(p);
        } else {
            job.merge(*total, p);
            if (job.recycle) job.recycle(std::move(p));
        }
        frames_done += chunks[k].size();
        if (job.on_progress) job.on_progress(frames_done);
    };
    if (n_ranks == 1) {
        std::vector<std::size_t> all(chunks.size());
        std::iota(all.begin(), all.end(), std::size_t{0});
        detail::run_local_chunks<Partial>(prototype, chunks, all, threads, job, fold);
    } else if (MpiSession::rank() != 0) {
        detail::run_mpi_worker_rank<Partial>(prototype, chunks, threads, job);
        return std::nullopt;
    } else {
        detail::run_mpi_root_rank<Partial>(prototype, chunks, threads, job, fold);
    }
    if (!total) total = job.make();
    return total;
}

}  // namespace mcc
