// One trajectory frame in internal units: positions in Angstrom, forces in kJ/(mol*Angstrom).
// Values are stored as float32, as the reference (MDAnalysis) stores them; kernels promote to
// double when they use them.
#pragma once
#include <array>
#include <cstddef>
#include <vector>

namespace mcc {

struct Frame {
    std::vector<float> positions;   // 3*n_atoms, Angstrom
    std::vector<float> forces;      // 3*n_atoms, kJ/(mol*Angstrom); empty when absent
    std::vector<float> velocities;  // 3*n_atoms, Angstrom/ps; empty when absent
    bool has_box = false;
    // Box vectors a, b, c as rows (Angstrom), as GROMACS stores them.
    std::array<float, 9> box_vectors{};
    // MDAnalysis `dimensions`: lx, ly, lz (Angstrom), alpha, beta, gamma (degrees), float32.
    std::array<float, 6> dimensions{};
    double time = 0.0;  // ps
    long step = 0;

    [[nodiscard]] std::size_t n_atoms() const { return positions.size() / 3; }
    [[nodiscard]] bool has_forces() const { return !forces.empty(); }
};

// Box vectors (rows, Angstrom) -> MDAnalysis dimensions (lengths and angles), computed as
// MDAnalysis' triclinic_box does. A zero matrix gives all zeros.
std::array<float, 6> box_dimensions_from_vectors(const std::array<float, 9>& vectors);
// Dimensions -> box vectors (MDAnalysis triclinic_vectors).
std::array<float, 9> box_vectors_from_dimensions(const std::array<float, 6>& dimensions);

}  // namespace mcc
