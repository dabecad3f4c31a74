// Facts about the GROMACS .tpr format that the TPR reader needs: the supported tpx versions,
// the interaction function types as numbered by current GROMACS, and how the numbering of
// older files maps onto them. Private to io/tpr.cpp and its tests.
#pragma once
#include <array>
#include <cstddef>
#include <string>

#include "topology/topology.hpp"

namespace mcc::tpr {

// tpx file versions (GROMACS tpxio "tpxv" enum) that change what the topology reader reads.
inline constexpr int kOldestVersion = 100;  // GROMACS 5.0
inline constexpr int kNewestVersion = 139;  // GROMACS 2026 development (tpxv_OutputControlInKeyValueTree)
inline constexpr int kNewestGeneration = 29;  // TpxGeneration::AddNNPotIFuncType

inline constexpr int kVersionRemoveImplicitSolvation = 113;
inline constexpr int kVersionAddSizeField = 119;  // body written by the in-memory serializer
inline constexpr int kGenerationAddSizeField = 27;
inline constexpr int kVersionRemoveTholeRfac = 127;
inline constexpr int kVersionMartiniBStateParameters = 134;

// Interaction function types in the order of current GROMACS (ifunc.cpp). Older files number
// them differently; remap_function_type() converts.
enum Ftype : int {
    F_BONDS, F_G96BONDS, F_MORSE, F_CUBICBONDS, F_CONNBONDS, F_HARMONIC, F_FENEBONDS,
    F_TABBONDS, F_TABBONDSNC, F_RESTRBONDS, F_ANGLES, F_G96ANGLES, F_RESTRANGLES,
    F_LINEAR_ANGLES, F_CROSS_BOND_BONDS, F_CROSS_BOND_ANGLES, F_UREY_BRADLEY,
    F_QUARTIC_ANGLES, F_TABANGLES, F_PDIHS, F_RBDIHS, F_RESTRDIHS, F_CBTDIHS, F_FOURDIHS,
    F_IDIHS, F_PIDIHS, F_TABDIHS, F_CMAP, F_GB12, F_GB13, F_GB14, F_GBPOL, F_NPSOLVATION,
    F_LJ14, F_COUL14, F_LJC14_Q, F_LJC_PAIRS_NB, F_LJ, F_BHAM, F_LJ_LR, F_BHAM_LR,
    F_DISPCORR, F_COUL_SR, F_COUL_LR, F_RF_EXCL, F_COUL_RECIP, F_LJ_RECIP, F_DPD,
    F_POLARIZATION, F_WATER_POL, F_THOLE_POL, F_ANHARM_POL, F_POSRES, F_FBPOSRES, F_DISRES,
    F_DISRESVIOL, F_ORIRES, F_ORIRESDEV, F_ANGRES, F_ANGRESZ, F_DIHRES, F_DIHRESVIOL,
    F_CONSTR, F_CONSTRNC, F_SETTLE, F_VSITE1, F_VSITE2, F_VSITE2FD, F_VSITE3, F_VSITE3FD,
    F_VSITE3FAD, F_VSITE3OUT, F_VSITE4FD, F_VSITE4FDN, F_VSITEN, F_COM_PULL,
    F_DENSITYFITTING, F_EQM, F_ENNPOT, F_EPOT, F_EKIN, F_ETOT, F_ECONSERVED, F_TEMP,
    F_VTEMP, F_PDISPCORR, F_PRES, F_DVDL_CONSTR, F_DVDL, F_DKDL, F_DVDL_COUL, F_DVDL_VDW,
    F_DVDL_BONDED, F_DVDL_RESTRAINT, F_DVDL_TEMPERATURE,
    F_NRE  // number of function types
};

// A function type that first appeared in tpx version `version`: files older than that do not
// store its interaction list, and number every later type one lower. Ordered by ascending
// function type, as in GROMACS' table (which drops the types introduced before version 58).
struct FunctionTypeIntroduction {
    int version;
    int ftype;
};
inline constexpr std::array<FunctionTypeIntroduction, 25> kFunctionTypeIntroductions{{
    {70, F_RESTRBONDS},     {98, F_RESTRANGLES},   {76, F_LINEAR_ANGLES}, {98, F_RESTRDIHS},
    {98, F_CBTDIHS},        {65, F_CMAP},          {60, F_GB12},          {61, F_GB13},
    {61, F_GB14},           {72, F_GBPOL},         {72, F_NPSOLVATION},   {93, F_LJ_RECIP},
    {76, F_ANHARM_POL},     {90, F_FBPOSRES},      {121, F_VSITE1},       {118, F_VSITE2FD},
    {117, F_DENSITYFITTING}, {137, F_ENNPOT},      {69, F_VTEMP},         {66, F_PDISPCORR},
    {79, F_DVDL_COUL},      {79, F_DVDL_VDW},      {79, F_DVDL_BONDED},   {79, F_DVDL_RESTRAINT},
    {79, F_DVDL_TEMPERATURE},
}};

// The function type number stored in a file of version `version`, in current numbering
// (GROMACS applies the shifts in table order, each on the running value).
constexpr int remap_function_type(int stored, int version) {
    int f = stored;
    for (const auto& t : kFunctionTypeIntroductions)
        if (version < t.version && f >= t.ftype) ++f;
    return f;
}

// Whether files of version `version` store an interaction list for function type `ftype`.
constexpr bool has_interaction_list(int ftype, int version) {
    for (const auto& t : kFunctionTypeIntroductions)
        if (version < t.version && ftype == t.ftype) return false;
    return true;
}

// Decodes a whole .tpr file held in memory; `source` names it in error messages. When
// `bytes_read` is given it receives the offset just past the last byte read (the end of the
// molecule blocks; the rest of the file is not needed for the topology).
Topology parse_tpr(const unsigned char* data, std::size_t size, const std::string& source,
                   std::size_t* bytes_read = nullptr);

}  // namespace mcc::tpr
