// Byte encodings of the vibrational and neighbour partials for MPI (the dihedral partial has
// its own next to its type).
#pragma once
#include "core/serialize.hpp"
#include "kernels/neighbours.hpp"
#include "kernels/vibrational_frame.hpp"

namespace mcc {

void pack_vibrational_partial(const VibrationalPartial& p, ByteWriter& w);
VibrationalPartial unpack_vibrational_partial(ByteReader& r);
void pack_neighbour_partial(const NeighbourPartial& p, ByteWriter& w);
NeighbourPartial unpack_neighbour_partial(ByteReader& r);

}  // namespace mcc
