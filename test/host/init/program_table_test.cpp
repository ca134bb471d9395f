// init's program table (servers/init/program_table.h): claiming slots with fresh badges, the
// states a record goes through, who may wait or kill, the list order, giving up the oldest
// ended record for a new program, and how an end is told from what init saw.
#include <gtest/gtest.h>

#include <set>

#include "servers/init/program_table.h"

namespace init {
namespace {

using bm::ipc::ProgramEnd;
using bm::ipc::ProtocolStatus;

constexpr uint64_t kShell = 1;  // a server's badge
constexpr uint64_t kOther = 2;

Program* start(ProgramTable& table, uint64_t starter, uint32_t id) {
  uint32_t dropped = 0;
  Program* program = table.claim(starter, &dropped);
  EXPECT_EQ(dropped, 0u);
  if (program != nullptr) table.started(*program, id, 0x100 + id);
  return program;
}

bm::ipc::WaitProgramReply exited(int64_t code) {
  return {ProtocolStatus::kOk, ProgramEnd::kExited, code, {}};
}

TEST(ProgramTable, ClaimGivesEachProgramItsOwnBadgeAboveEveryServers) {
  ProgramTable table;
  std::set<uint64_t> badges;
  for (size_t i = 0; i < kMaxPrograms; ++i) {
    uint32_t dropped = 0;
    Program* program = table.claim(kShell, &dropped);
    ASSERT_NE(program, nullptr);
    EXPECT_EQ(program->state, ProgramSlotState::kStarting);
    EXPECT_EQ(program->starter, kShell);
    EXPECT_TRUE(ProgramTable::is_program_badge(program->badge));
    EXPECT_TRUE(badges.insert(program->badge).second);
    EXPECT_EQ(table.by_badge(program->badge), program);
  }
  EXPECT_FALSE(ProgramTable::is_program_badge(16));       // a server's
  EXPECT_FALSE(ProgramTable::is_program_badge(0x10000));  // init's own threads'
  EXPECT_FALSE(ProgramTable::is_program_badge(0x10001));
}

TEST(ProgramTable, AReusedSlotGetsANewBadge) {
  ProgramTable table;
  Program* first = start(table, kShell, 10);
  const uint64_t old_badge = first->badge;
  table.release(*first);
  EXPECT_EQ(table.by_badge(old_badge), nullptr);
  Program* second = start(table, kShell, 11);
  EXPECT_EQ(second, first);  // the same slot
  EXPECT_NE(second->badge, old_badge);
  EXPECT_EQ(table.by_badge(old_badge), nullptr);  // a late message of the old one finds nobody
  EXPECT_EQ(table.by_badge(second->badge), second);
}

TEST(ProgramTable, ByBadgeRefusesForgedBadges) {
  ProgramTable table;
  Program* program = start(table, kShell, 10);
  EXPECT_EQ(table.by_badge(0), nullptr);
  EXPECT_EQ(table.by_badge(kShell), nullptr);
  EXPECT_EQ(table.by_badge(program->badge + 1), nullptr);  // a free slot
  EXPECT_EQ(table.by_badge((program->badge & ~0xffull) | 0x10), nullptr);  // slot 16
  EXPECT_EQ(table.by_badge(program->badge | (1ull << 40)), nullptr);
}

TEST(ProgramTable, OnlyTheStarterFindsItsProgram) {
  ProgramTable table;
  Program* program = start(table, kShell, 10);
  Program* found = nullptr;
  EXPECT_EQ(table.find_for_starter(kShell, 10, &found), ProtocolStatus::kOk);
  EXPECT_EQ(found, program);
  EXPECT_EQ(table.find_for_starter(kOther, 10, &found), ProtocolStatus::kNoRights);
  EXPECT_EQ(table.find_for_starter(kShell, 11, &found), ProtocolStatus::kNotFound);
  EXPECT_EQ(table.find_for_starter(kShell, 0, &found), ProtocolStatus::kNotFound);
  // A program being loaded has no id yet.
  uint32_t dropped = 0;
  ASSERT_NE(table.claim(kShell, &dropped), nullptr);
  EXPECT_EQ(table.find_for_starter(kShell, 0, &found), ProtocolStatus::kNotFound);
}

TEST(ProgramTable, EndedKeepsTheOutcomeUntilReleased) {
  ProgramTable table;
  Program* program = start(table, kShell, 10);
  program->client_handles[0] = 0x55;
  program->client_handles[1] = 0x56;
  program->waiter = 0x66;
  table.ended(*program, exited(3));
  EXPECT_EQ(program->state, ProgramSlotState::kEnded);
  EXPECT_EQ(program->task, 0u);
  for (bm::abi::Handle handle : program->client_handles) EXPECT_EQ(handle, 0u);
  EXPECT_EQ(program->waiter, 0u);
  EXPECT_EQ(program->outcome.exit_code, 3);
  EXPECT_EQ(table.by_id(10), program);
  table.release(*program);
  EXPECT_EQ(table.by_id(10), nullptr);
  EXPECT_EQ(program->state, ProgramSlotState::kFree);
}

TEST(ProgramTable, ListShowsRunningAndEndedInTableOrder) {
  ProgramTable table;
  start(table, kShell, 10);
  Program* second = start(table, kOther, 11);
  start(table, kShell, 12);
  uint32_t dropped = 0;
  ASSERT_NE(table.claim(kShell, &dropped), nullptr);  // starting: not listed
  table.ended(*second, exited(0));
  ASSERT_NE(table.listed(0), nullptr);
  EXPECT_EQ(table.listed(0)->id, 10u);
  EXPECT_EQ(table.listed(1)->id, 11u);
  EXPECT_EQ(table.listed(2)->id, 12u);
  EXPECT_EQ(table.listed(3), nullptr);
}

TEST(ProgramTable, AFullTableGivesUpTheOldestEndedRecordButNeverARunningProgram) {
  ProgramTable table;
  Program* programs[kMaxPrograms];
  for (size_t i = 0; i < kMaxPrograms; ++i) {
    programs[i] = start(table, kShell, static_cast<uint32_t>(10 + i));
  }
  uint32_t dropped = 0;
  EXPECT_EQ(table.claim(kShell, &dropped), nullptr);  // all running
  table.ended(*programs[5], exited(0));
  table.ended(*programs[2], exited(0));  // ended later
  Program* claimed = table.claim(kOther, &dropped);
  ASSERT_EQ(claimed, programs[5]);
  EXPECT_EQ(dropped, 15u);
  EXPECT_EQ(claimed->starter, kOther);
  EXPECT_EQ(claimed->state, ProgramSlotState::kStarting);
  EXPECT_EQ(table.by_id(15), nullptr);
  claimed = table.claim(kOther, &dropped);
  EXPECT_EQ(claimed, programs[2]);
  EXPECT_EQ(dropped, 12u);
  EXPECT_EQ(table.claim(kOther, &dropped), nullptr);
}

TEST(ProgramTable, OutcomeOfTellsExitKillAndFaultApart) {
  Program program;
  bm::ipc::WaitProgramReply outcome = outcome_of(program, 7);
  EXPECT_EQ(outcome.status, ProtocolStatus::kOk);
  EXPECT_EQ(outcome.how, ProgramEnd::kExited);
  EXPECT_EQ(outcome.exit_code, 7);
  program.killed = true;
  outcome = outcome_of(program, -1);
  EXPECT_EQ(outcome.how, ProgramEnd::kKilled);
  EXPECT_EQ(outcome.fault.vector, 0u);
  // init kills a faulting program: the fault is what it ended of.
  program.faulted = true;
  program.fault = {14, 6, 0x4001e9, 0x1000};
  outcome = outcome_of(program, -1);
  EXPECT_EQ(outcome.how, ProgramEnd::kFaulted);
  EXPECT_EQ(outcome.fault.cr2, 0x1000u);
  // A program that calls task_exit(-1) itself exited: only init's own kill is a kill.
  EXPECT_EQ(outcome_of(Program{}, -1).how, ProgramEnd::kExited);
}

}  // namespace
}  // namespace init
