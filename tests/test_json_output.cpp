// Result JSON: shape and key order, group totals (exact float sums), number formatting,
// atomic writing, console tables.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "app/config.hpp"
#include "core/error.hpp"
#include "report/console.hpp"
#include "report/json_output.hpp"

namespace fs = std::filesystem;
using namespace mcc;

namespace {

// The octonol frame_window baseline of spec §6.2, in the reference's insertion order.
std::vector<GroupRow> octonol_rows() {
    return {
        {0, "united_atom", "Transvibrational", 65.86600728016141},
        {0, "united_atom", "Rovibrational", 162.26463085986236},
        {0, "residue", "FTmat-Transvibrational", 74.84326467422125},
        {0, "residue", "FTmat-Rovibrational", 60.95710412746361},
        {0, "united_atom", "Conformational", 16.651144380045313},
        {0, "residue", "Conformational", 0.0},
        {0, "residue", "Orientational", 25.79114991860739},
    };
}

std::string read_text(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

fs::path temp_dir(const std::string& tag) {
    const fs::path dir = fs::temp_directory_path() / ("mcc_test_json_" + tag + "_" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

}  // namespace

TEST(JsonOutput, OctonolGroupMatchesReferenceText) {
    const OrderedJson groups = groups_json(octonol_rows());
    // The exact text CodeEntropy wrote (json.dump, indent 2) for this group.
    const std::string expected = R"({
  "0": {
    "components": {
      "united_atom:Transvibrational": 65.86600728016141,
      "united_atom:Rovibrational": 162.26463085986236,
      "residue:FTmat-Transvibrational": 74.84326467422125,
      "residue:FTmat-Rovibrational": 60.95710412746361,
      "united_atom:Conformational": 16.651144380045313,
      "residue:Conformational": 0.0,
      "residue:Orientational": 25.79114991860739
    },
    "total": 406.37330124036134
  }
})";
    EXPECT_EQ(groups.dump(2), expected);
    EXPECT_EQ(groups["0"]["total"].get<double>(), 406.37330124036134);
}

TEST(JsonOutput, TotalIsInsertionOrderSumOfAllRows) {
    // Float addition is not associative: the order decides the last bit (here everything).
    const std::vector<GroupRow> rows = {{3, "united_atom", "A", 1e16},
                                        {3, "united_atom", "B", 1.0},
                                        {3, "united_atom", "C", -1e16},
                                        {3, "united_atom", "D", 1.0}};
    EXPECT_EQ(groups_json(rows)["3"]["total"].get<double>(), 1.0);  // sorted order would give 0.0

    // A repeated key overwrites the value, keeps the first position, and both rows count in
    // the total (as CodeEntropy's shared results table does).
    const std::vector<GroupRow> dup = {{5, "residue", "X", 1.5},  {1, "united_atom", "Y", 10.0},
                                       {5, "united_atom", "Z", 2.0}, {5, "residue", "X", 4.0}};
    const OrderedJson g = groups_json(dup);
    std::vector<std::string> ids;
    for (const auto& [id, v] : g.items()) ids.push_back(id);
    EXPECT_EQ(ids, (std::vector<std::string>{"5", "1"}));  // first-appearance order
    std::vector<std::string> keys;
    for (const auto& [k, v] : g["5"]["components"].items()) keys.push_back(k);
    EXPECT_EQ(keys, (std::vector<std::string>{"residue:X", "united_atom:Z"}));
    EXPECT_EQ(g["5"]["components"]["residue:X"].get<double>(), 4.0);
    EXPECT_EQ(g["5"]["total"].get<double>(), 7.5);
    EXPECT_EQ(g["1"]["total"].get<double>(), 10.0);

    // An explicit "Group Total" row is the total and not a component.
    const std::vector<GroupRow> with_total = {{0, "residue", "X", 1.0}, {0, "Group Total", "Group Total Entropy", 9.0}};
    const OrderedJson t = groups_json(with_total);
    EXPECT_EQ(t["0"]["total"].get<double>(), 9.0);
    EXPECT_EQ(t["0"]["components"].size(), 1u);
}

TEST(JsonOutput, NumbersRoundTripAndMatchPython) {
    const std::vector<double> values = {0.1, 1.0 / 3.0, 5e-324, 1.7976931348623157e308, 1e16, 1e-7,
                                        123456789012345680.0, -0.0, 2.5e-5};
    OrderedJson array = values;
    // Python: json.dumps([0.1, 1/3, 5e-324, 1.7976931348623157e308, 1e16, 1e-7, ...])
    EXPECT_EQ(array.dump(), "[0.1,0.3333333333333333,5e-324,1.7976931348623157e+308,1e+16,1e-07,"
                            "1.2345678901234568e+17,-0.0,2.5e-05]");
    const OrderedJson back = OrderedJson::parse(array.dump());
    for (std::size_t i = 0; i < values.size(); ++i) EXPECT_EQ(back[i].get<double>(), values[i]);
}

TEST(JsonOutput, NonFiniteIsAnInternalError) {
    auto rows = octonol_rows();
    rows[2].value = std::numeric_limits<double>::quiet_NaN();
    EXPECT_THROW(groups_json(rows), InternalError);
    rows[2].value = std::numeric_limits<double>::infinity();
    EXPECT_THROW(groups_json(rows), InternalError);
    RunResults r;
    r.timings = {{"io", std::nan(""), 0.0}};
    EXPECT_THROW(timings_json(r, 1.0), InternalError);
    EXPECT_THROW(residues_json({{0, "ALA", "united_atom", "Conformational", 10, -INFINITY}}), InternalError);
}

TEST(JsonOutput, DocumentShape) {
    Options o;
    o.top_traj_file = {"/d/a.tpr", "/d/a.trr"};
    o.dask_workers = 4;
    o.output_file = "/d/job001/output_file.json";
    RunResults r;
    r.group_rows = octonol_rows();
    r.residue_rows = {{0, "OCT", "united_atom", "Transvibrational", 101, 1.25}};
    r.timings = {{"setup", 0.5, 0.25}, {"pass", 2.0, 3.5}, {"setup", 0.25, 0.25}};
    r.n_frames = 101;
    r.frames_per_second = 50.5;
    r.warnings = {"something odd"};
    const OrderedJson doc = result_document(o, r, 3.0, {{"mcc-entropy", "--config", "c.yaml"}, ""});

    std::vector<std::string> top;
    for (const auto& [k, v] : doc.items()) top.push_back(k);
    EXPECT_EQ(top, (std::vector<std::string>{"args", "provenance", "groups", "timings", "warnings", "residues"}));

    // args: every option, in option_specs() order (CodeEntropy's, then ours).
    std::vector<std::string> arg_keys, spec_keys;
    for (const auto& [k, v] : doc["args"].items()) arg_keys.push_back(k);
    for (const auto& s : option_specs()) spec_keys.emplace_back(s.name);
    EXPECT_EQ(arg_keys, spec_keys);
    EXPECT_EQ(doc["args"]["top_traj_file"], OrderedJson({"/d/a.tpr", "/d/a.trr"}));
    EXPECT_TRUE(doc["args"]["force_file"].is_null());
    EXPECT_EQ(doc["args"]["dask_workers"], 4);
    EXPECT_EQ(doc["args"]["temperature"].dump(), "298.0");
    EXPECT_EQ(doc["args"]["search_type"], "RAD");
    EXPECT_EQ(doc["args"]["grouping"], "molecules");
    EXPECT_EQ(doc["args"]["conventions"], "codeentropy");
    EXPECT_EQ(doc["args"]["output_file"], "/d/job001/output_file.json");

    EXPECT_EQ(doc["provenance"]["program"], "mcc-entropy");
    EXPECT_EQ(doc["provenance"]["version"], MCC_VERSION);
    EXPECT_EQ(doc["provenance"]["conventions"], "codeentropy");
    EXPECT_EQ(doc["provenance"]["command_line"], "mcc-entropy --config c.yaml");
    EXPECT_TRUE(doc["provenance"]["git_sha"].is_null());

    EXPECT_EQ(doc["groups"]["0"]["total"].get<double>(), 406.37330124036134);

    const auto& t = doc["timings"];
    EXPECT_EQ(t["stages"].size(), 2u);  // repeated stage names are summed
    EXPECT_EQ(t["stages"]["setup"]["wall_s"].get<double>(), 0.75);
    EXPECT_EQ(t["stages"]["setup"]["cpu_s"].get<double>(), 0.5);
    EXPECT_EQ(t["stages"]["pass"]["cpu_s"].get<double>(), 3.5);
    EXPECT_EQ(t["total_wall_s"].get<double>(), 3.0);
    EXPECT_EQ(t["frames"], 101);
    EXPECT_EQ(t["frames_per_second"].get<double>(), 50.5);

    EXPECT_EQ(doc["warnings"], OrderedJson({"something odd"}));
    EXPECT_EQ(doc["residues"][0]["residue"], "OCT");
    EXPECT_EQ(doc["residues"][0]["count"], 101);
    EXPECT_EQ(doc["residues"][0]["value"].get<double>(), 1.25);

    // Without residue rows there is no "residues" key.
    r.residue_rows.clear();
    EXPECT_FALSE(result_document(o, r, 3.0, {}).contains("residues"));
}

TEST(JsonOutput, AtomicWrite) {
    const fs::path dir = temp_dir("write");
    const fs::path target = dir / "new" / "sub" / "out.json";  // parents are created
    write_file_atomically(target, "first\n");
    EXPECT_EQ(read_text(target), "first\n");
    write_file_atomically(target, "second, longer text\n");  // replaces the whole file
    EXPECT_EQ(read_text(target), "second, longer text\n");
    std::size_t entries = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(target.parent_path())) ++entries;
    EXPECT_EQ(entries, 1u);  // no temporary file left behind

    std::ofstream(dir / "afile") << "x";
    EXPECT_THROW(write_file_atomically(dir / "afile" / "out.json", "x"), DataError);  // parent is a file
    fs::create_directories(dir / "isdir");
    EXPECT_THROW(write_file_atomically(dir / "isdir", "x"), DataError);  // target is a directory
    EXPECT_TRUE(fs::is_directory(dir / "isdir"));
    fs::remove_all(dir);
}

TEST(Console, FloatTextIsPythonStr) {
    EXPECT_EQ(float_text(0.0), "0.0");
    EXPECT_EQ(float_text(12.0), "12.0");
    EXPECT_EQ(float_text(16.651144380045313), "16.651144380045313");
    EXPECT_EQ(float_text(1e-7), "1e-07");
    EXPECT_EQ(float_text(0.1), "0.1");
}

TEST(Console, GroupTableSortedThenTotal) {
    const std::string text = group_tables(octonol_rows());
    const char* expected_order[] = {"residue      Conformational",     "residue      FTmat-Rovibrational",
                                    "residue      FTmat-Transvibrational", "residue      Orientational",
                                    "united_atom  Conformational",     "united_atom  Rovibrational",
                                    "united_atom  Transvibrational",   "Group Total  Group Total Entropy     406.37330124036134"};
    std::size_t pos = 0;
    for (const char* row : expected_order) {
        const std::size_t found = text.find(row, pos);
        ASSERT_NE(found, std::string::npos) << "missing or out of order: " << row << "\n" << text;
        pos = found;
    }
    EXPECT_EQ(text.rfind("Entropy results - group 0", 0), 0u);
}

TEST(Console, ResidueAndTimingTables) {
    const std::string res = residue_tables({{1, "ALA", "united_atom", "Transvibrational", 101, 2.5},
                                            {0, "OCT", "united_atom", "Conformational", 7, 0.0}});
    EXPECT_LT(res.find("Residue entropy - group 0"), res.find("Residue entropy - group 1"));
    EXPECT_NE(res.find("OCT           united_atom  Conformational  7      0.0"), std::string::npos) << res;

    RunResults r;
    r.timings = {{"setup", 1.0, 0.5}, {"pass", 3.0, 6.0}};
    r.n_frames = 100;
    r.frames_per_second = 33.3;
    const std::string t = timings_table(r, 4.0);
    EXPECT_NE(t.find("setup  1.000     0.500    25.0"), std::string::npos) << t;
    EXPECT_NE(t.find("pass   3.000     6.000    75.0"), std::string::npos) << t;
    EXPECT_NE(t.find("100 frames, 33.3 frames/s"), std::string::npos) << t;
}
