// Runs a frame-chunk job on the workers available — serial, threads, MPI ranks, or MPI ranks
// with threads — and merges the chunk partials strictly in chunk order, so the result is
// bit-identical whatever the number of workers.
//
// Threads: each worker owns a clone of the trajectory reader and takes the next chunk from a
// shared counter; the calling thread merges finished chunks in order (buffering early ones).
// Workers stay at most max_chunks_ahead() chunks ahead of the merging, so that the partials
// alive at once are bounded by the worker count, not by the frame count.
// MPI: chunk k belongs to rank k % size; non-root ranks ship each finished chunk partial to
// rank 0, which merges all chunks in order. Only rank 0 gets the merged partial.
#pragma once
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
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

// Returns the merged partial on rank 0 (or the only process), nothing on other ranks.
template <class Partial>
std::optional<Partial> run_chunk_job(const TrajectoryReader& prototype, const std::vector<FrameChunk>& chunks,
                                     int threads, const ChunkJob<Partial>& job) {
    const int n_ranks = MpiSession::active() ? MpiSession::size() : 1;
    const int rank = MpiSession::active() ? MpiSession::rank() : 0;
    std::vector<std::size_t> mine;
    for (std::size_t k = 0; k < chunks.size(); ++k)
        if (static_cast<int>(k % static_cast<std::size_t>(n_ranks)) == rank) mine.push_back(k);

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
        detail::run_local_chunks<Partial>(prototype, chunks, mine, threads, job, fold);
        if (!total) total = job.make();
        return total;
    }
    if (rank != 0) {
        detail::run_local_chunks<Partial>(prototype, chunks, mine, threads, job,
                                          [&](std::size_t, Partial&& p) {
                                              ByteWriter w;
                                              job.pack(p, w);
                                              MpiSession::send_bytes(0, w.bytes());
                                              if (job.recycle) job.recycle(std::move(p));
                                          });
        MpiSession::flush_sends();
        return std::nullopt;
    }
    // Rank 0: merge every chunk in order; its own chunks come from its threads, the others
    // arrive from their ranks (each rank sends its chunks in increasing order). While its own
    // chunks are being computed, rank 0 takes only partials that have already arrived, so it
    // never idles waiting for a slower rank; a bounded number of its own partials waits for
    // their turn (then it does wait, to bound memory).
    constexpr std::size_t kMaxWaitingOwn = 8;
    std::map<std::size_t, Partial> local;
    std::size_t next = 0;
    auto drain = [&](bool wait) {
        while (next < chunks.size()) {
            const int owner = static_cast<int>(next % static_cast<std::size_t>(n_ranks));
            if (owner == 0) {
                auto it = local.find(next);
                if (it == local.end()) return;
                Partial p = std::move(it->second);
                local.erase(it);
                fold(next, std::move(p));
            } else {
                if (!wait && !MpiSession::message_waiting(owner)) return;
                const auto bytes = MpiSession::receive_bytes(owner);
                ByteReader r(bytes.data(), bytes.size());
                fold(next, job.unpack(r));
            }
            ++next;
        }
    };
    detail::run_local_chunks<Partial>(prototype, chunks, mine, threads, job, [&](std::size_t k, Partial&& p) {
        local.emplace(k, std::move(p));
        drain(/*wait=*/local.size() > kMaxWaitingOwn);
    });
    drain(/*wait=*/true);
    if (!total) total = job.make();
    return total;
}

}  // namespace mcc
