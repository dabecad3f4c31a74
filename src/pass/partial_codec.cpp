#include "pass/partial_codec.hpp"

#include <cstdint>

namespace mcc {

void pack_vibrational_partial(const VibrationalPartial& p, ByteWriter& w) {
    w.put(static_cast<std::uint64_t>(p.slots.size()));
    static const std::vector<double> no_frames;
    for (const MatrixMean& m : p.slots) {
        w.put(m.count);
        w.put(m.count > 0 ? m.mean : no_frames);  // a cleared slot's storage is not data
    }
}

VibrationalPartial unpack_vibrational_partial(ByteReader& r) {
    VibrationalPartial p;
    std::uint64_t n = 0;
    r.get(n);
    p.slots.resize(n);
    for (MatrixMean& m : p.slots) {
        r.get(m.count);
        r.get(m.mean);
    }
    return p;
}

void pack_neighbour_partial(const NeighbourPartial& p, ByteWriter& w) {
    w.put(p.totals);
    w.put(p.samples);
}

NeighbourPartial unpack_neighbour_partial(ByteReader& r) {
    NeighbourPartial p;
    r.get(p.totals);
    r.get(p.samples);
    return p;
}

}  // namespace mcc
