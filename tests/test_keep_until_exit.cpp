// keep_until_exit: what is handed over is not destroyed before the process ends.
#include <gtest/gtest.h>

#include <vector>

#include "core/keep_until_exit.hpp"

namespace {

int live_destroyed = 0;

struct Tracked {
    std::vector<int> data;
    bool live = true;
    Tracked() : data(1000, 7) {}
    Tracked(Tracked&& o) noexcept : data(std::move(o.data)) { o.live = false; }
    ~Tracked() {
        if (live) ++live_destroyed;
    }
};

}  // namespace

TEST(KeepUntilExit, HandedObjectIsNotDestroyed) {
    {
        Tracked t;
        mcc::keep_until_exit(std::move(t));
        EXPECT_FALSE(t.live);
    }
    mcc::keep_until_exit(Tracked{});
    EXPECT_EQ(live_destroyed, 0);
}
