// The analysis driver: static setup (topology, selection, frames, plans), the single
// frame-chunk pass (dihedrals -> covariance -> neighbours per frame), the reduction, pass 2 of
// the conformational analysis and the entropy arithmetic, with per-stage timings.
#include "pass/analysis.hpp"

#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "core/error.hpp"
#include "core/keep_until_exit.hpp"
#include "core/timing.hpp"
#include "entropy/conformational.hpp"
#include "entropy/orientational.hpp"
#include "entropy/vibrational.hpp"
#include "io/derived.hpp"
#include "io/formats.hpp"
#include "kernels/dihedrals.hpp"
#include "kernels/neighbours.hpp"
#include "kernels/vibrational_frame.hpp"
#include "pass/executor.hpp"
#include "pass/frames.hpp"
#include "pass/partial_codec.hpp"
#include "pass/progress.hpp"
#include "pass/stage_timer.hpp"
#include "plan/dihedral_plan.hpp"
#include "plan/neighbour_plan.hpp"
#include "plan/structure.hpp"
#include "plan/symmetry.hpp"
#include "plan/vibrational_plan.hpp"
#include "topology/selection.hpp"

namespace mcc {

namespace {

// Wall and CPU time of consecutive stages on the calling thread: each lap ends one stage and
// starts the next, so one pair of clock readings serves both (the thread CPU clock is a
// system call, ~1.3 us here, read ~4 times per frame).
class StageLaps {
public:
    StageLaps() : wall_(wall_seconds()), cpu_(thread_cpu_seconds()) {}
    // Adds the time since the previous lap (or the start) to `s`.
    void lap_into(PassTimes::Stage& s) {
        const double wall = wall_seconds(), cpu = thread_cpu_seconds();
        s.wall += wall - wall_;
        s.cpu += cpu - cpu_;
        wall_ = wall;
        cpu_ = cpu;
    }

private:
    double wall_, cpu_;
};

struct Input {
    Topology topology;  // the analysis universe (selection applied)
    std::unique_ptr<TrajectoryReader> reader;
    // True when the reference would hold the frames in memory (a selection or a force file):
    // then its in-place make-whole edits are still there when the neighbour search runs.
    bool reference_in_memory = false;
};

Input open_input(const Options& o) {
    if (o.top_traj_file.empty()) throw_usage("top_traj_file: give a topology file and at least one trajectory");
    if (o.top_traj_file.size() < 2)
        throw_usage("top_traj_file: only a topology ({}) was given; add the trajectory file(s) after it",
                    o.top_traj_file.front());
    Input in;
    Topology full = read_topology(o.top_traj_file.front());
    const std::vector<std::string> trajectories(o.top_traj_file.begin() + 1, o.top_traj_file.end());
    // open_trajectory checks every file's atom count against the topology.
    in.reader = open_trajectory(trajectories, o.file_format, full.n_atoms());
    if (o.force_file) {
        auto forces = open_trajectory({*o.force_file}, o.file_format, full.n_atoms());
        in.reader = merge_forces(std::move(in.reader), std::move(forces), o.kcal_force_units);
        in.reference_in_memory = true;
    }
    if (o.selection_string == "all") {
        in.topology = std::move(full);
    } else {
        std::vector<int> atoms = select_atoms(full, o.selection_string);
        if (atoms.empty()) throw_usage("selection_string '{}' selects no atoms", o.selection_string);
        in.topology = subset(full, atoms);
        in.reader = select_atoms(std::move(in.reader), std::move(atoms));
        in.reference_in_memory = true;
    }
    if (!in.reader->has_forces())
        throw_data("{} has no forces; the vibrational entropy needs them (write forces with the "
                   "trajectory, or give a force_file)",
                   in.reader->description());
    return in;
}

struct Plans {
    Structure structure;
    DihedralPlan dihedrals;
    VibrationalPlan vibrational;
    NeighbourPlan neighbours;
};

// Everything one chunk of frames contributes.
struct FramePartial {
    DihedralPartial dihedrals;
    VibrationalPartial vibrational;
    NeighbourPartial neighbours;
    PassTimes times;
};

// Spent chunk partials, cleared, for the next chunks: their matrices, histograms and angle
// rows keep their storage. Workers take them, the merging (or sending) thread gives them back,
// so a chunk no longer allocates its partial anew (many small matrices with grouping `each`)
// and no thread frees what another allocated.
struct PartialPool {
    std::mutex mutex;
    std::vector<FramePartial> spare;
};

ChunkJob<FramePartial> frame_pass_job(const Plans& plans, const std::vector<std::size_t>& frames,
                                      bool neighbours_after_make_whole, Progress& progress,
                                      double& merge_seconds, PartialPool& pool) {
    ChunkJob<FramePartial> job;
    job.make = [&plans, &frames, &pool] {
        {
            std::lock_guard lock(pool.mutex);
            if (!pool.spare.empty()) {
                FramePartial p = std::move(pool.spare.back());
                pool.spare.pop_back();
                return p;
            }
        }
        return FramePartial{make_dihedral_partial(plans.dihedrals, frames.size()),
                            make_vibrational_partial(plans.vibrational),
                            make_neighbour_partial(plans.neighbours), {}};
    };
    job.recycle = [&pool](FramePartial&& spent) {
        spent.dihedrals.clear();
        spent.vibrational.clear();
        spent.neighbours.clear();
        spent.times = {};
        std::lock_guard lock(pool.mutex);
        pool.spare.push_back(std::move(spent));
    };
    job.work = [&plans, &frames, neighbours_after_make_whole](TrajectoryReader& reader, const FrameChunk& chunk,
                                                               FramePartial& p) {
        Frame frame;
        std::vector<float> raw_positions;
        // The vibrational kernel's per-frame matrices, kept by each worker thread from chunk
        // to chunk (chunks are a few frames; reallocating them is what it would cost). Not left
        // to the partial pool: workers that run ahead of the merging get fresh partials, and
        // relying on recycling alone measured 2-3% slower (peptide/nowater, 2 threads).
        thread_local std::vector<MatrixMean> frame_means;
        p.vibrational.frame_means = std::move(frame_means);
        StageLaps laps;
        for (std::size_t pos = chunk.begin; pos < chunk.end; ++pos) {
            reader.read(frames[pos], frame);
            laps.lap_into(p.times.io);
            accumulate_dihedrals(plans.dihedrals, frame, pos, p.dihedrals);
            laps.lap_into(p.times.dihedrals);
            if (!neighbours_after_make_whole) raw_positions = frame.positions;
            accumulate_vibrational(plans.vibrational, frame, pos, p.vibrational);
            laps.lap_into(p.times.covariance);
            if (!neighbours_after_make_whole) frame.positions.swap(raw_positions);
            accumulate_neighbours(plans.neighbours, frame, pos, p.neighbours);
            laps.lap_into(p.times.neighbours);
        }
        frame_means = std::move(p.vibrational.frame_means);
    };
    job.merge = [&merge_seconds](FramePartial& into, const FramePartial& later) {
        const double start = wall_seconds();
        into.dihedrals.merge(later.dihedrals);
        into.vibrational.merge(later.vibrational);
        into.neighbours.merge(later.neighbours);
        into.times.merge(later.times);
        merge_seconds += wall_seconds() - start;
    };
    job.pack = [](const FramePartial& p, ByteWriter& w) {
        pack_dihedral_partial(p.dihedrals, w);
        pack_vibrational_partial(p.vibrational, w);
        pack_neighbour_partial(p.neighbours, w);
        pack_pass_times(p.times, w);
    };
    job.unpack = [](ByteReader& r) {
        FramePartial p;
        p.dihedrals = unpack_dihedral_partial(r);
        p.vibrational = unpack_vibrational_partial(r);
        p.neighbours = unpack_neighbour_partial(r);
        p.times = unpack_pass_times(r);
        return p;
    };
    job.on_progress = [&progress](std::size_t done) { progress.update(done); };
    return job;
}

// CodeEntropy runs its water-entropy module when water_entropy is on and the system has both
// water and non-water groups (a group is water when one of its residues has the resid number
// of a residue the `water` keyword matches). Its results reach only the console, never the
// JSON groups; mcc-entropy does not compute them yet, and says so.
std::optional<std::string> water_entropy_notice(const Options& o, const Topology& top, const Structure& s) {
    if (!o.water_entropy) return std::nullopt;
    std::set<int> water_resids;
    for (int a : select_atoms(top, "water")) water_resids.insert(top.residues[top.atoms[a].residue].resid);
    if (water_resids.empty()) return std::nullopt;
    bool water = false, other = false;
    for (const Group& g : s.groups) {
        bool is_water = false;
        for (int m : g.molecules)
            for (int r : s.molecules[m].residues) is_water = is_water || water_resids.count(top.residues[r].resid) > 0;
        (is_water ? water : other) = true;
    }
    if (!(water && other)) return std::nullopt;
    return std::string(
        "water_entropy: the interfacial water entropy (waterEntropy) is not computed yet; as in CodeEntropy 2.3 "
        "it would only add console rows, the JSON groups (waters included, treated by MCC) are unaffected");
}

// The threads a stage may use: --threads, or (automatic) the cores this process may use.
int thread_budget(const Options& o) { return o.threads > 0 ? o.threads : static_cast<int>(available_cores()); }

// The frame pass's workers: the budget, but an automatic budget is cut for a small pass.
int worker_threads(const Options& o, std::size_t n_frames, std::size_t n_atoms) {
    if (o.threads > 0) return o.threads;
    return default_worker_count(static_cast<unsigned>(thread_budget(o)), n_frames, n_atoms);
}

}  // namespace

RunResults run_analysis(const Options& o) {
    RunResults results;
    StageRecorder stages;

    // --- static setup: no frame is read except one for stereo perception
    stages.start("setup");
    Input in = open_input(o);
    const std::vector<std::size_t> frames = select_frames(in.reader->n_frames(), o.start, o.end, o.step);
    Plans plans;
    plans.structure = build_structure(in.topology, o.grouping);
    plans.dihedrals = build_dihedral_plan(in.topology, plans.structure, o);
    plans.vibrational = build_vibrational_plan(in.topology, plans.structure, o);
    plans.neighbours = build_neighbour_plan(in.topology, plans.structure, o);
    if (auto notice = water_entropy_notice(o, in.topology, plans.structure)) results.warnings.push_back(*notice);
    // Symmetry numbers depend on the topology and the first frame only (stereo tags from 3-D):
    // on the reporting rank a background thread loads RDKit and computes them during the pass.
    std::vector<float> first_positions;
    if (MpiSession::is_root()) {
        Frame first;
        in.reader->read(frames.front(), first);
        first_positions = std::move(first.positions);
    }
    std::future<std::map<int, SymmetryInfo>> symmetry_task;
    // Run by the executor once per pass (on_workers_started), on every rank.
    auto start_symmetry = [&] {
        if (!MpiSession::is_root()) return;
        symmetry_task = std::async(std::launch::async, [&in, &plans, &first_positions] {
            return group_symmetry(in.topology, plans.structure, first_positions);
        });
    };
    stages.stop();

    // --- pass 1: every frame-dependent computation, chunk partials merged in chunk order
    const double pass_wall_start = wall_seconds();
    const double pass_cpu_start = process_cpu_seconds();
    Progress progress(frames.size(), o.quiet || !MpiSession::is_root());
    const auto chunks = make_frame_chunks(frames.size());
    double merge_seconds = 0.0;
    PartialPool pool;
    auto job = frame_pass_job(plans, frames, in.reference_in_memory, progress, merge_seconds, pool);
    job.on_workers_started = start_symmetry;
    const auto merged = run_chunk_job<FramePartial>(*in.reader, chunks,
                                                   worker_threads(o, frames.size(), in.topology.n_atoms()), job);
    progress.finish();
    const double pass_wall = wall_seconds() - pass_wall_start;
    const double pass_cpu = MpiSession::sum_all(process_cpu_seconds() - pass_cpu_start);
    if (!merged) {
        results.reporting_rank = false;
        return results;
    }
    stages.add_pass(merged->times, pass_wall, pass_cpu, merge_seconds);

    // --- pass 2 and the entropy arithmetic
    stages.start("pass2");
    ConformationalResult conformational = finish_conformational(plans.dihedrals, merged->dihedrals, frames.size());
    stages.stop();

    stages.start("entropy");
    VibrationalResult vibrational =
        finish_vibrational(plans.vibrational, merged->vibrational, conformational.flexible, thread_budget(o));
    const auto symmetry = symmetry_task.get();
    std::vector<std::string> orientational_warnings;
    const auto orientational =
        finish_orientational(plans.neighbours, merged->neighbours, symmetry, orientational_warnings);
    stages.stop();

    // Rows in the reference's order: vibrational, conformational, orientational.
    auto append = [](auto& to, const auto& from) { to.insert(to.end(), from.begin(), from.end()); };
    append(results.group_rows, vibrational.rows);
    append(results.group_rows, conformational.group_rows);
    append(results.group_rows, orientational);
    append(results.residue_rows, vibrational.residue_rows);
    append(results.residue_rows, conformational.residue_rows);
    append(results.warnings, vibrational.warnings);
    append(results.warnings, conformational.warnings);
    append(results.warnings, orientational_warnings);
    results.timings = stages.timings();
    results.n_frames = frames.size();
    results.frames_per_second = pass_wall > 0 ? static_cast<double>(frames.size()) / pass_wall : 0.0;
    results.angle_store_bytes_per_frame = plans.dihedrals.angle_bytes_per_frame();
    keep_until_exit(std::move(plans));
    keep_until_exit(std::move(in.topology));
    return results;
}

}  // namespace mcc
