// Where a run's JSON goes: an output_file with a directory part is used as given; a bare name
// goes into a fresh job folder (job001, job002, ...) in the working directory, as CodeEntropy
// does. With several runs each file name gets the run name as prefix (<run>_<name>).
#pragma once
#include <filesystem>
#include <string>

namespace mcc {

// True when `output_file` is a plain file name without any directory part.
bool is_bare_file_name(const std::string& output_file);

// The name CodeEntropy would give the next job folder in `dir`: "job" + (largest integer N of
// an existing entry named job<N>, or 0) + 1, written with at least three digits.
std::string next_job_folder_name(const std::filesystem::path& dir);

// Creates the next job folder in `dir` and returns its path. Never reuses an existing entry
// (if another process takes the name first, the following number is tried).
std::filesystem::path create_job_folder(const std::filesystem::path& dir);

// The file name a run writes: `name` for a single run, "<run>_<name>" when there are several.
std::string run_file_name(const std::string& name, const std::string& run_name, bool several_runs);

}  // namespace mcc
