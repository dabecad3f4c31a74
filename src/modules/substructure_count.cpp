#include "modules/substructure_count.hpp"

#include <algorithm>
#include <array>
#include <vector>

#include <GraphMol/ROMol.h>
#include <GraphMol/RingInfo.h>

namespace mcc {
namespace {

using RDKit::Atom;
using RDKit::Bond;

constexpr int kMaxDegree = 16;  // larger degrees: leave the molecule to RDKit

// The atom and bond facts RDKit's matcher reads, in flat arrays. Neighbour lists keep RDKit's
// own bond order (getAtomBonds), which the chirality parities are taken against.
struct MatchGraph {
    struct AtomFacts {
        int atomic_number = 0, formal_charge = 0, isotope = 0, radicals = 0;
        int rings = 0;  // RingInfo::numAtomRings, when ring info is initialised
        Atom::ChiralType tag = Atom::CHI_UNSPECIFIED;
        int degree = 0;
    };
    std::vector<AtomFacts> atoms;
    std::vector<int> first;      // atom i's entries: [first[i], first[i+1])
    std::vector<int> neighbour;  // the atom at the other end of each entry's bond
    std::vector<int> bond;       // the bond index of each entry
    std::vector<Bond::BondType> bond_type;
    bool rings_known = false;

    int degree(int a) const { return atoms[a].degree; }
    // Index of the bond between a and b, -1 when there is none.
    int bond_between(int a, int b) const {
        for (int e = first[a]; e < first[a + 1]; ++e)
            if (neighbour[e] == b) return bond[e];
        return -1;
    }
};

bool has_chiral_label(Atom::ChiralType t) {
    return t == Atom::CHI_TETRAHEDRAL_CW || t == Atom::CHI_TETRAHEDRAL_CCW;
}

// False when the molecule holds something the counter does not reproduce.
bool read_graph(const RDKit::ROMol& mol, bool is_query, MatchGraph& g) {
    const unsigned n = mol.getNumAtoms();
    g.atoms.resize(n);
    g.first.assign(n + 1, 0);
    g.rings_known = mol.getRingInfo()->isInitialized();
    for (const Atom* a : mol.atoms()) {
        if (a->hasQuery()) return false;
        auto& f = g.atoms[a->getIdx()];
        f.atomic_number = a->getAtomicNum();
        f.formal_charge = a->getFormalCharge();
        f.isotope = static_cast<int>(a->getIsotope());
        f.radicals = static_cast<int>(a->getNumRadicalElectrons());
        f.rings = g.rings_known ? static_cast<int>(mol.getRingInfo()->numAtomRings(a->getIdx())) : 0;
        f.tag = a->getChiralTag();
        f.degree = static_cast<int>(a->getDegree());
        if (f.degree > kMaxDegree) return false;
        for (const Bond* b : mol.atomBonds(a)) {
            g.neighbour.push_back(static_cast<int>(b->getOtherAtomIdx(a->getIdx())));
            g.bond.push_back(static_cast<int>(b->getIdx()));
        }
        g.first[a->getIdx() + 1] = static_cast<int>(g.neighbour.size());
    }
    g.bond_type.resize(mol.getNumBonds());
    for (const Bond* b : mol.bonds()) {
        if (b->hasQuery() || b->getBondType() == Bond::DATIVE) return false;
        // Double-bond stereo in the query adds a bond-label rule and a final check we do not port.
        if (is_query && b->getBondType() == Bond::DOUBLE && b->getStereo() > Bond::STEREOANY)
            return false;
        g.bond_type[b->getIdx()] = b->getBondType();
    }
    return true;
}

// RDKit's countSwapsToInterconvert(ref, probe): selection swaps turning probe into ref.
template <std::size_t N>
int count_swaps(const std::array<int, N>& ref, std::array<int, N> probe, int size) {
    int swaps = 0;
    for (int i = 0; i < size; ++i) {
        if (probe[i] == ref[i]) continue;
        int k = i;
        while (k < size && probe[k] != ref[i]) ++k;
        if (k == size) return -1;  // not a permutation (cannot happen for a monomorphism)
        std::swap(probe[i], probe[k]);
        ++swaps;
    }
    return swaps;
}

class Counter {
public:
    Counter(const MatchGraph& mol, const MatchGraph& query, unsigned cap)
        : m_(mol), q_(query), cap_(cap) {}

    unsigned run() {
        const int nq = static_cast<int>(q_.atoms.size());
        const int nm = static_cast<int>(m_.atoms.size());
        if (nq == 0 || nm == 0 || nq > nm) return 0;
        plan_order();
        image_.assign(nq, -1);
        used_.assign(nm, 0);
        search();
        return count_;
    }

private:
    // Atom::Match(query atom, mol atom) plus the label functor's chirality-presence rule.
    bool atoms_compatible(int qa, int ma) const {
        const auto& q = q_.atoms[qa];
        const auto& m = m_.atoms[ma];
        if (has_chiral_label(q.tag) && !has_chiral_label(m.tag)) return false;
        if (q.atomic_number != m.atomic_number) return false;
        if (q_.rings_known && m_.rings_known && q.rings > m.rings) return false;
        if (q.atomic_number == 0) return !(q.isotope && m.isotope && q.isotope != m.isotope);
        if (q.formal_charge && q.formal_charge != m.formal_charge) return false;
        if (q.isotope && q.isotope != m.isotope) return false;
        if (q.radicals && q.radicals != m.radicals) return false;
        return true;
    }

    // Bond::Match: equal types, or either unspecified.
    bool bonds_compatible(int qb, int mb) const {
        const auto qt = q_.bond_type[qb], mt = m_.bond_type[mb];
        return qt == Bond::UNSPECIFIED || mt == Bond::UNSPECIFIED || qt == mt;
    }

    // Breadth-first order per connected component; each atom after a component's first is
    // placed next to the image of its BFS parent. A chiral centre (degree >= 3, CW/CCW) is
    // checked at the position where the last of it and its neighbours is placed.
    void plan_order() {
        const int nq = static_cast<int>(q_.atoms.size());
        std::vector<int> position(nq, -1);
        for (int root = 0; root < nq; ++root) {
            if (position[root] >= 0) continue;
            position[root] = static_cast<int>(order_.size());
            order_.push_back(root);
            parent_.push_back(-1);
            for (std::size_t head = order_.size() - 1; head < order_.size(); ++head) {
                const int a = order_[head];
                for (int e = q_.first[a]; e < q_.first[a + 1]; ++e) {
                    const int b = q_.neighbour[e];
                    if (position[b] >= 0) continue;
                    position[b] = static_cast<int>(order_.size());
                    order_.push_back(b);
                    parent_.push_back(a);
                }
            }
        }
        centres_at_.assign(nq, {});
        for (int a = 0; a < nq; ++a) {
            if (q_.degree(a) < 3 || !has_chiral_label(q_.atoms[a].tag)) continue;
            int ready = position[a];
            for (int e = q_.first[a]; e < q_.first[a + 1]; ++e)
                ready = std::max(ready, position[q_.neighbour[e]]);
            centres_at_[ready].push_back(a);
        }
    }

    // MolMatchFinalCheckFunctor's test for one centre, with the query neighbours taken in
    // ascending index (the order RDKit's core set lists them in).
    bool centre_consistent(int qa) const {
        const int ma = image_[qa];
        const int dq = q_.degree(qa), dm = m_.degree(ma);
        if (dq > dm) return false;
        std::array<int, kMaxDegree> q_order{}, q_own{}, m_order{}, m_own{};
        std::array<int, kMaxDegree> nbrs{};
        for (int e = q_.first[qa], k = 0; e < q_.first[qa + 1]; ++e, ++k) {
            nbrs[k] = q_.neighbour[e];
            q_own[k] = q_.bond[e];
        }
        std::sort(nbrs.begin(), nbrs.begin() + dq);
        for (int k = 0; k < dq; ++k) {
            q_order[k] = q_.bond_between(qa, nbrs[k]);
            m_order[k] = m_.bond_between(ma, image_[nbrs[k]]);
        }
        for (int k = dq; k < dm; ++k) m_order[k] = -1;
        for (int e = m_.first[ma], k = 0; e < m_.first[ma + 1]; ++e, ++k) {
            const int b = m_.bond[e];
            m_own[k] = std::find(m_order.begin(), m_order.begin() + dq, b) != m_order.begin() + dq ? b : -1;
        }
        const int q_swaps = count_swaps(q_order, q_own, dq);
        const int m_swaps = count_swaps(m_own, m_order, dm);
        if (q_swaps < 0 || m_swaps < 0) return false;
        const bool same_parity = q_swaps % 2 == m_swaps % 2;
        const bool same_label = q_.atoms[qa].tag == m_.atoms[ma].tag;
        return same_parity == same_label;
    }

    // Can query atom qa go onto mol atom ma, given everything placed before it?
    bool feasible(int qa, int ma) const {
        if (used_[ma]) return false;
        if (q_.degree(qa) > m_.degree(ma)) return false;
        if (!atoms_compatible(qa, ma)) return false;
        for (int e = q_.first[qa]; e < q_.first[qa + 1]; ++e) {
            const int other = image_[q_.neighbour[e]];
            if (other < 0) continue;
            const int mb = m_.bond_between(ma, other);
            if (mb < 0 || !bonds_compatible(q_.bond[e], mb)) return false;
        }
        return true;
    }

    // Candidates of position pos: the neighbours of the parent's image, or every mol atom.
    int candidate_count(int pos) const {
        const int parent = parent_[pos];
        if (parent < 0) return static_cast<int>(m_.atoms.size());
        const int pm = image_[parent];
        return m_.first[pm + 1] - m_.first[pm];
    }
    int candidate(int pos, int k) const {
        const int parent = parent_[pos];
        if (parent < 0) return k;
        return m_.neighbour[m_.first[image_[parent]] + k];
    }

    void place(int qa, int ma) {
        image_[qa] = ma;
        used_[ma] = 1;
    }
    void unplace(int qa) {
        used_[image_[qa]] = 0;
        image_[qa] = -1;
    }

    void search() {
        const int n = static_cast<int>(order_.size());
        std::vector<int> next(n, 0);  // next candidate to try per position
        int pos = 0;
        while (pos >= 0) {
            const int qa = order_[pos];
            if (image_[qa] >= 0) unplace(qa);  // coming back: try the next candidate
            bool advanced = false;
            const int total = candidate_count(pos);
            while (next[pos] < total) {
                const int ma = candidate(pos, next[pos]++);
                if (!feasible(qa, ma)) continue;
                place(qa, ma);
                bool ok = true;
                for (int c : centres_at_[pos])
                    if (!centre_consistent(c)) {
                        ok = false;
                        break;
                    }
                if (!ok) {
                    unplace(qa);
                    continue;
                }
                advanced = true;
                break;
            }
            if (!advanced) {
                next[pos] = 0;
                --pos;
                continue;
            }
            if (pos + 1 == n) {
                if (++count_ == cap_) return;  // cap 0: no limit, as in RDKit
                continue;  // stay: the next loop turn tries this position's next candidate
            }
            ++pos;
        }
    }

    const MatchGraph& m_;
    const MatchGraph& q_;
    unsigned cap_;
    unsigned count_ = 0;
    std::vector<int> order_, parent_;
    std::vector<std::vector<int>> centres_at_;
    std::vector<int> image_;
    std::vector<char> used_;
};

}  // namespace

std::optional<unsigned> count_chiral_substructure_matches(const RDKit::ROMol& mol,
                                                          const RDKit::ROMol& query,
                                                          unsigned cap) {
    MatchGraph m, q;
    if (!read_graph(mol, false, m) || !read_graph(query, true, q)) return std::nullopt;
    return Counter(m, q, cap).run();
}

}  // namespace mcc
