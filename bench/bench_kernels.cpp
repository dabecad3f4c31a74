// Micro-benchmarks of the hot frame kernels: RAD neighbour search, the 3x3 dgeev behind every
// axes choice, the covariance frame kernel and TRR frame decoding. The last two read the DNA
// set from the shared data (skipped with a message when it is absent).
//   build/bench/bench_kernels [--benchmark_filter=REGEX]
#include <benchmark/benchmark.h>

#include <array>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "core/options.hpp"
#include "io/formats.hpp"
#include "kernels/dgeev3.hpp"
#include "kernels/lapack_eigen.hpp"
#include "kernels/neighbours.hpp"
#include "kernels/vibrational_frame.hpp"
#include "plan/structure.hpp"
#include "plan/vibrational_plan.hpp"

namespace {

std::string shared_data_dir() {
    namespace fs = std::filesystem;
    if (const char* env = std::getenv("MCC_SHARED_DATA"); env && fs::is_directory(env)) return env;
    for (const fs::path p : {fs::path(MCC_SOURCE_DIR) / ".." / "shared" / "data", fs::path("/work/shared/data")})
        if (fs::is_directory(p)) return fs::canonical(p).string();
    return {};
}

// Uniform random centres at liquid-water molecular density (0.0334 per cubic Angstrom), a
// tenth of them unwrapped by up to half a box (raw trajectory centres are not wrapped).
std::vector<std::array<double, 3>> random_centres(std::size_t n, std::array<double, 3>& box) {
    const double edge = std::cbrt(static_cast<double>(n) / 0.0334);
    box = {edge, edge, edge};
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> u(0.0, edge), shift(-0.5 * edge, 0.5 * edge);
    std::vector<std::array<double, 3>> c(n);
    for (std::size_t i = 0; i < n; ++i) {
        c[i] = {u(rng), u(rng), u(rng)};
        if (i % 10 == 0) c[i][0] += shift(rng);
    }
    return c;
}

void BM_RadNeighbours(benchmark::State& state) {
    std::array<double, 3> box{};
    const auto centres = random_centres(static_cast<std::size_t>(state.range(0)), box);
    for (auto _ : state) benchmark::DoNotOptimize(mcc::rad_neighbour_lists(centres, box, 30));
    state.SetItemsProcessed(state.iterations() * state.range(0));  // centres per second
}
BENCHMARK(BM_RadNeighbours)->Arg(392)->Arg(1063)->Arg(11000)->Unit(benchmark::kMillisecond);

// The same with the four-lane kernels only (what a CPU without AVX-512 runs).
void BM_RadNeighboursFourLanes(benchmark::State& state) {
    std::array<double, 3> box{};
    const auto centres = random_centres(static_cast<std::size_t>(state.range(0)), box);
    for (auto _ : state) benchmark::DoNotOptimize(mcc::rad_neighbour_lists(centres, box, 30, false));
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_RadNeighboursFourLanes)->Arg(392)->Arg(1063)->Arg(11000)->Unit(benchmark::kMillisecond);

void BM_Eig3(benchmark::State& state) {
    // An inertia tensor of a water-like molecule.
    const mcc::geom::Mat3 t{{{1.7650, -0.1124, 0.0431}, {-0.1124, 0.6158, 0.2210}, {0.0431, 0.2210, 1.1488}}};
    for (auto _ : state) benchmark::DoNotOptimize(mcc::lapack::eig3(t));
}
BENCHMARK(BM_Eig3);

// The 3x3 dgeev without the memo: the C++ transcription against the library call, cycling
// through 64 random inertia-like symmetric tensors.
std::vector<std::array<double, 9>> random_symmetric_tensors() {
    std::mt19937_64 rng(11);
    std::uniform_real_distribution<double> u(-1.0, 1.0);
    std::vector<std::array<double, 9>> out(64);
    for (auto& a : out) {
        for (int i = 0; i < 3; ++i)
            for (int j = 0; j <= i; ++j) {
                const double v = i == j ? 2.0 + u(rng) : 0.3 * u(rng);
                a[static_cast<std::size_t>(i + 3 * j)] = a[static_cast<std::size_t>(j + 3 * i)] = v;
            }
    }
    return out;
}

template <bool Port>
void BM_Dgeev3(benchmark::State& state) {
    const auto tensors = random_symmetric_tensors();
    double wr[3], wi[3], vr[9];
    std::size_t k = 0;
    for (auto _ : state) {
        const double* a = tensors[k++ % tensors.size()].data();
        if constexpr (Port)
            benchmark::DoNotOptimize(mcc::lapack::detail::dgeev3_port(a, wr, wi, vr));
        else
            mcc::lapack::detail::dgeev3_library(a, wr, wi, vr);
        benchmark::DoNotOptimize(vr);
    }
}
BENCHMARK(BM_Dgeev3<true>)->Name("BM_Dgeev3Port");
BENCHMARK(BM_Dgeev3<false>)->Name("BM_Dgeev3Library");

struct DnaCase {
    mcc::Topology topology;
    mcc::VibrationalPlan plan;
    std::unique_ptr<mcc::TrajectoryReader> reader;
};

std::unique_ptr<DnaCase> open_dna(benchmark::State& state) {
    const std::string data = shared_data_dir();
    if (data.empty()) {
        state.SkipWithError("needs the shared data (../shared/data): skipped");
        return nullptr;
    }
    auto c = std::make_unique<DnaCase>();
    c->topology = mcc::read_topology(data + "/dna/md_A4_dna.tpr");
    c->reader = mcc::open_trajectory({data + "/dna/md_A4_dna_xf.trr"}, std::nullopt, c->topology.n_atoms());
    const mcc::Options options;
    const auto structure = mcc::build_structure(c->topology, options.grouping);
    c->plan = mcc::build_vibrational_plan(c->topology, structure, options);
    return c;
}

void BM_CovarianceDnaFrame(benchmark::State& state) {
    auto dna = open_dna(state);
    if (!dna) return;
    mcc::Frame original, frame;
    dna->reader->read(0, original);
    auto partial = mcc::make_vibrational_partial(dna->plan);
    for (auto _ : state) {
        frame = original;  // the kernel makes molecules whole in place
        mcc::accumulate_vibrational(dna->plan, frame, 0, partial);
    }
    state.SetItemsProcessed(state.iterations());  // frames per second
}
BENCHMARK(BM_CovarianceDnaFrame)->Unit(benchmark::kMicrosecond);

void BM_TrrDecodeDnaFrame(benchmark::State& state) {
    auto dna = open_dna(state);
    if (!dna) return;
    mcc::Frame frame;
    const std::size_t n = dna->reader->n_frames();
    std::size_t i = 0;
    for (auto _ : state) {
        dna->reader->read(i, frame);
        i = (i + 1) % n;
    }
    state.SetItemsProcessed(state.iterations());
    state.SetBytesProcessed(state.iterations() * static_cast<long>(6 * sizeof(float) * frame.n_atoms()));
}
BENCHMARK(BM_TrrDecodeDnaFrame)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
