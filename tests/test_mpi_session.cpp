// one_node_pml: which Open MPI point-to-point layer a run asks for before MPI_Init.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "pass/mpi_session.hpp"

namespace {

const char* pml_for(const std::map<std::string, std::string>& vars) {
    return mcc::one_node_pml([&](const char* name) -> const char* {
        const auto it = vars.find(name);
        return it == vars.end() ? nullptr : it->second.c_str();
    });
}

TEST(OneNodePml, OpenMpiLauncherOnOneNodeAsksForOb1) {
    const char* pml = pml_for({{"OMPI_COMM_WORLD_SIZE", "2"}, {"OMPI_COMM_WORLD_LOCAL_SIZE", "2"}});
    ASSERT_NE(pml, nullptr);
    EXPECT_STREQ(pml, "ob1");
}

TEST(OneNodePml, RanksOnSeveralNodesKeepTheDefault) {
    EXPECT_EQ(pml_for({{"OMPI_COMM_WORLD_SIZE", "8"}, {"OMPI_COMM_WORLD_LOCAL_SIZE", "4"}}), nullptr);
    EXPECT_EQ(pml_for({{"SLURM_STEP_NUM_NODES", "2"}}), nullptr);
}

TEST(OneNodePml, SrunOnOneNodeAsksForOb1) {
    const char* pml = pml_for({{"SLURM_STEP_NUM_NODES", "1"}});
    ASSERT_NE(pml, nullptr);
    EXPECT_STREQ(pml, "ob1");
}

TEST(OneNodePml, TheUsersChoiceIsKept) {
    EXPECT_EQ(pml_for({{"OMPI_MCA_pml", "ucx"}, {"OMPI_COMM_WORLD_SIZE", "2"},
                       {"OMPI_COMM_WORLD_LOCAL_SIZE", "2"}}),
              nullptr);
}

TEST(OneNodePml, UnknownPlacementKeepsTheDefault) {
    EXPECT_EQ(pml_for({}), nullptr);
    EXPECT_EQ(pml_for({{"OMPI_COMM_WORLD_SIZE", "2"}}), nullptr);
}

}  // namespace
