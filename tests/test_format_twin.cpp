// One system in every input format gives the same entropy: the bundled example's peptide
// (Ace-Ala-Ser-Ala-NMe, 43 atoms, 51 frames whose forces include the solvent's, so the net
// forces are not ~0) written by scripts/make_format_twin.sh as
//   (a) tpr + trr                                  GROMACS originals (float32)
//   (b) prmtop + mdcrd + frc (MDCRD, kcal forces)  AMBER ASCII, values rounded to 1e-3
//   (c) prmtop + nc                                AMBER NetCDF, float32, forces kcal
//   (d) LAMMPS data + dump                         %.7g text, forces kcal, no names/elements
// all run with search_type grid, as CodeEntropy's regression configs do.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "io/formats.hpp"
#include "topology/topology.hpp"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string twin(const std::string& name) { return fmt::format("{}/tests/data/twin/{}", MCC_SOURCE_DIR, name); }

// Group "0" (the peptide) of a run's JSON; runs are cached, each takes a fraction of a second.
const json& run(const std::string& inputs, const std::string& window = "") {
    static std::map<std::string, json> cache;
    const std::string key = inputs + "|" + window;
    if (auto it = cache.find(key); it != cache.end()) return it->second;
    const fs::path out = fs::temp_directory_path() / fmt::format("mcc-twin-{}-{}.json", ::getpid(), cache.size());
    const std::string cmd = fmt::format("'{}' --top_traj_file {} --search_type grid {} --output_file '{}' --quiet 2>&1",
                                        MCC_BINARY, inputs, window, out.string());
    std::string log;
    FILE* p = popen(cmd.c_str(), "r");
    char buf[512];
    while (p && fgets(buf, sizeof buf, p)) log += buf;
    const int status = p ? pclose(p) : -1;
    EXPECT_EQ(status, 0) << cmd << "\n" << log;
    json group;
    if (std::ifstream in(out); in) {
        group = json::parse(in)["groups"]["0"];
        fs::remove(out);
    } else {
        ADD_FAILURE() << "no output: " << cmd << "\n" << log;
    }
    return cache[key] = group;
}

const std::string kTprTrr = twin("peptide.tpr") + " " + twin("peptide.trr");
const std::string kMdcrdKcal = twin("peptide.prmtop") + " " + twin("peptide.mdcrd") + " --force_file " +
                               twin("peptide.frc") + " --file_format MDCRD --kcal_force_units true";
const std::string kMdcrdKj = twin("peptide.prmtop") + " " + twin("peptide.mdcrd") + " --force_file " +
                             twin("peptide.frc") + " --file_format MDCRD --kcal_force_units false";
const std::string kNetcdf = twin("peptide.prmtop") + " " + twin("peptide.nc");
const std::string kLammps = twin("peptide.data") + " " + twin("peptide.dump") + " --file_format LAMMPSDUMP";

// Frames 9..40: the frames in which no residue's principal axes change sign between the
// formats (see ResidueAxesSignFlipsAreDiscrete).
const std::string kNoFlipWindow = "--start 9 --end 41";

const std::array<const char*, 9> kComponents = {
    "united_atom:Transvibrational", "united_atom:Rovibrational",   "residue:Transvibrational",
    "residue:Rovibrational",        "polymer:FTmat-Transvibrational", "polymer:FTmat-Rovibrational",
    "united_atom:Conformational",   "residue:Conformational",      "polymer:Orientational"};

double rel_diff(double x, double y) { return x == y ? 0.0 : std::abs(x - y) / std::max(std::abs(x), std::abs(y)); }

// Every component (but `skip`) of x and y within `tol` relative; returns the largest difference.
double expect_components_near(const json& x, const json& y, double tol, const std::set<std::string>& skip = {}) {
    double worst = 0.0;
    for (const char* c : kComponents) {
        if (skip.count(c)) continue;
        const double a = x["components"][c].get<double>(), b = y["components"][c].get<double>();
        EXPECT_LE(rel_diff(a, b), tol) << c << ": " << a << " vs " << b;
        worst = std::max(worst, rel_diff(a, b));
    }
    return worst;
}

// Text rounding. mdcrd and .frc store every value as F8.3: positions to 1e-3 A, forces to
// 1e-3 kcal/(mol A) (4.2e-3 kJ), an error of at most 5e-4 (rms 2.9e-4) in values of order
// 1-10 (bond-length lever arms of the torques ~1 A; median |force component| 7 kcal, 10th
// percentile 1.2), i.e. 5e-5..5e-4 relative per input value. Entropies are sums of logs of
// covariance eigenvalues built from thousands of such values, so their relative change is of
// the same order or smaller: measured at most 1.2e-4 (polymer FT-trans, frames 9..40; 7.7e-5
// for united-atom rovibrational over all frames). 3e-4 allows for that, and is still far
// below what a real fault moves: shifting the window by one frame changes the united-atom
// transvibrational entropy by 2.4e-2, wrong force units by a factor of ~9.
constexpr double kF8p3Tolerance = 3e-4;
// Same float32 data, only the route differs: tpr masses are float32 (12.01000023), prmtop ones
// float64, and NetCDF forces go kJ -> kcal (float32) -> x float32(4.184). Measured <= 4.1e-8;
// 1e-6 is the project's reproduction tolerance.
constexpr double kFloat32Tolerance = 1e-6;
// The LAMMPS dump's %.7g text is a little coarser than float32 (~7.2 digits): measured 6.2e-7.
constexpr double kSevenDigitTolerance = 5e-6;

}  // namespace

TEST(FormatTwin, GromacsTwinIsTheExamplesPeptide) {
    // The peptide's own terms do not depend on its water when neighbours come from the grid
    // search, so they are the values tests/test_example.cpp validates for group 0 of the
    // solvated example (all but the orientational term, which counts the waters).
    const json& a = run(kTprTrr);
    ASSERT_TRUE(a.contains("components"));
    const auto& c = a["components"];
    auto near = [](double got, double want) { return std::abs(got - want) <= 1e-9 * std::abs(want); };
    EXPECT_TRUE(near(c["united_atom:Transvibrational"], 29.511571628770078)) << c;
    EXPECT_TRUE(near(c["united_atom:Rovibrational"], 141.94995884471743)) << c;
    EXPECT_TRUE(near(c["residue:Transvibrational"], 35.58547725199864)) << c;
    EXPECT_TRUE(near(c["residue:Rovibrational"], 146.23481448072326)) << c;
    EXPECT_TRUE(near(c["polymer:FTmat-Transvibrational"], 66.67120257256914)) << c;
    EXPECT_TRUE(near(c["polymer:FTmat-Rovibrational"], 57.05121526899105)) << c;
    EXPECT_EQ(c["polymer:Orientational"].get<double>(), 0.0);  // alone in its box: no neighbours
}

TEST(FormatTwin, TopologiesAgreeButForTheDihedralList) {
    const mcc::Topology tpr = mcc::read_tpr(twin("peptide.tpr"));
    const mcc::Topology prmtop = mcc::read_prmtop(twin("peptide.prmtop"));
    const mcc::Topology data = mcc::read_lammps_data(twin("peptide.data"));
    ASSERT_EQ(tpr.n_atoms(), 43u);
    ASSERT_EQ(prmtop.n_atoms(), 43u);
    ASSERT_EQ(data.n_atoms(), 43u);
    for (std::size_t i = 0; i < tpr.n_atoms(); ++i) {
        EXPECT_EQ(tpr.atoms[i].name, prmtop.atoms[i].name) << i;
        EXPECT_NEAR(tpr.atoms[i].mass, prmtop.atoms[i].mass, 1e-6) << i;  // float32 vs float64
        EXPECT_EQ(prmtop.atoms[i].mass, data.atoms[i].mass) << i;
        EXPECT_EQ(prmtop.atoms[i].residue, data.atoms[i].residue) << i;
    }
    EXPECT_EQ(tpr.bonds, prmtop.bonds);
    EXPECT_EQ(prmtop.bonds, data.bonds);
    EXPECT_EQ(prmtop.dihedrals, data.dihedrals);
    // grompp keeps only the torsions with a barrier; ParmEd's prmtop also lists the
    // zero-barrier ones: 30 more, all of the tpr's among them.
    EXPECT_EQ(tpr.dihedrals.size(), 64u);
    EXPECT_EQ(prmtop.dihedrals.size(), 94u);
    const std::set<std::array<int, 4>> in_prmtop(prmtop.dihedrals.begin(), prmtop.dihedrals.end());
    for (const auto& d : tpr.dihedrals) EXPECT_TRUE(in_prmtop.count(d)) << d[0] << "-" << d[1] << "-" << d[2] << "-" << d[3];
    // Heavy-atom torsions inside one residue (what the united-atom conformational term uses):
    // tpr Ser N-CA-CB-OG, C-CA-CB-OG; the prmtop adds N-CA-C-O and CB-CA-C-O of Ala, Ser, Ala.
    auto intra_heavy = [](const mcc::Topology& t) {
        int n = 0;
        for (const auto& d : t.dihedrals) {
            bool ok = true;
            for (int k : d) ok = ok && t.atoms[k].mass > 1.1 && t.atoms[k].residue == t.atoms[d[0]].residue;
            n += ok;
        }
        return n;
    };
    EXPECT_EQ(intra_heavy(tpr), 2);
    EXPECT_EQ(intra_heavy(prmtop), 8);
}

TEST(FormatTwin, ConformationalTermsAgreeDespiteTheLongerPrmtopList) {
    // The lists differ (above), so the conformational terms could differ; for this peptide
    // they do not: over these 50 ps every one of the 8 heavy-atom torsions has a single
    // histogram peak (the one straddling 0/360 degrees is one circular peak), so each residue
    // has one state and S_conf = 0 from either list. The flexible counts are 0 as well,
    // which is why the united-atom force terms agree too (checked below).
    for (const std::string* in : {&kTprTrr, &kMdcrdKcal, &kNetcdf, &kLammps}) {
        const json& g = run(*in);
        EXPECT_EQ(g["components"]["united_atom:Conformational"].get<double>(), 0.0) << *in;
        EXPECT_EQ(g["components"]["residue:Conformational"].get<double>(), 0.0) << *in;
    }
}

TEST(FormatTwin, EveryFormatAgreesWithinItsRounding) {
    for (const std::string& window : {std::string(), kNoFlipWindow}) {
        SCOPED_TRACE(window.empty() ? "all 51 frames" : window);
        const json &a = run(kTprTrr, window), &b = run(kMdcrdKcal, window), &c = run(kNetcdf, window),
                   &d = run(kLammps, window);
        ASSERT_TRUE(a.contains("components") && b.contains("components") && c.contains("components") &&
                    d.contains("components"));
        // Over all frames the residue rovibrational term differs by a discrete jump (next test).
        const std::set<std::string> skip =
            window.empty() ? std::set<std::string>{"residue:Rovibrational"} : std::set<std::string>{};
        // (b) vs (c): same prmtop, F8.3 text vs float32 binary.
        const double b_c = expect_components_near(b, c, kF8p3Tolerance, skip);
        EXPECT_GT(b_c, 1e-6);  // the text rounding is visible, so this compares what it should
        // (a) vs (c), (a) vs (b): the vibrational and orientational terms agree as well.
        expect_components_near(a, c, kFloat32Tolerance, skip);
        expect_components_near(a, b, kF8p3Tolerance, skip);
        // (d) vs (c): LAMMPS data file made from the prmtop (elements from the masses).
        expect_components_near(d, c, kSevenDigitTolerance, skip);
        if (!window.empty()) {
            EXPECT_LE(rel_diff(a["total"], c["total"]), kFloat32Tolerance);
            EXPECT_LE(rel_diff(b["total"], c["total"]), kF8p3Tolerance);
        }
    }
    // Sensitivity: one frame later moves the terms far beyond these tolerances.
    const json& shifted = run(kNetcdf, "--start 10 --end 42");
    const json& c = run(kNetcdf, kNoFlipWindow);
    EXPECT_GT(rel_diff(shifted["components"]["united_atom:Transvibrational"],
                       c["components"]["united_atom:Transvibrational"]),
              50 * kF8p3Tolerance);
}

TEST(FormatTwin, ResidueAxesSignFlipsAreDiscrete) {
    // The residue rotational axes are principal axes whose signs come from LAPACK dgeev (the
    // reference's convention, reproduced): a last-bit change of the input can flip one
    // eigenvector in one frame, which flips the torque components about it. In frame 8 the
    // NME residue's axes come out with opposite signs from float32 tpr masses (12.01000023)
    // and float64 prmtop masses (12.01), so (a) and (c) differ there by 0.26 %, far outside
    // any rounding; (d) keeps the tpr's signs. Frames 9..40 have no such flip in any format.
    const double a = run(kTprTrr)["components"]["residue:Rovibrational"].get<double>();
    const double c = run(kNetcdf)["components"]["residue:Rovibrational"].get<double>();
    const double d = run(kLammps)["components"]["residue:Rovibrational"].get<double>();
    EXPECT_NEAR(a, 146.23481448072326, 1e-9);
    EXPECT_NEAR(c, 146.61407, 1e-4);
    EXPECT_GT(rel_diff(a, c), 2e-3);
    EXPECT_LE(rel_diff(a, d), kSevenDigitTolerance);
}

TEST(FormatTwin, KcalForceUnitsFlagActs) {
    // The same .frc read as kJ: forces 4.184 times too small, so force covariances are
    // 17.5 times too small, frequencies lower and every vibrational entropy larger.
    const json& kcal = run(kMdcrdKcal);
    const json& kj = run(kMdcrdKj);
    ASSERT_TRUE(kcal.contains("components") && kj.contains("components"));
    for (const char* c : kComponents) {
        const double right = kcal["components"][c].get<double>(), wrong = kj["components"][c].get<double>();
        if (std::string(c).find("vibrational") != std::string::npos)
            EXPECT_GT(wrong, 1.3 * right) << c;
        else
            EXPECT_EQ(wrong, right) << c;  // conformational / orientational: no forces
    }
    EXPECT_NEAR(kj["components"]["united_atom:Transvibrational"].get<double>(), 275.600211, 1e-4);
}
