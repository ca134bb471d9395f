// init's program dispatch (servers/init/program_service.cpp) driven with encoded messages, as
// its loop receives them, against fake kernel actions: the control right, run and its
// refusals, waits answered at once or kept, kill, list, who may ask, and a program's own
// bootstrap requests.
#include <gtest/gtest.h>

#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "ipc/bootstrap.h"
#include "ipc/programs.h"
#include "servers/init/program_service.h"
#include "test/host/protocols/wire_test_support.h"

namespace init {
namespace {

using bm::abi::Handle;
using bm::ipc::ProgramEnd;
using bm::ipc::ProtocolStatus;
using bm::ipc::WireMessage;
using bm::ipc::testing::encoded;
using bm::ipc::testing::make_message;
using bm::ipc::testing::poisoned;

constexpr Handle kImage = 0x4242;
constexpr uint64_t kShellBadge = 1;
constexpr uint64_t kOtherBadge = 2;
constexpr uint64_t kDriverBadge = 3;

class FakeActions final : public ProgramActions {
 public:
  ProtocolStatus load(const Program& program, Handle image, uint64_t image_bytes,
                      LoadedTask* out) override {
    loads.push_back({program.name, std::string(program.arguments, program.arguments_length),
                     image, image_bytes, program.badge});
    if (load_answer != ProtocolStatus::kOk) return load_answer;
    *out = {next_id, 0x7000 + next_id};
    ++next_id;
    return ProtocolStatus::kOk;
  }
  Handle keep_call() override {
    if (kept_calls_left == 0) return 0;
    --kept_calls_left;
    return ++last_reply_object;
  }
  void kill(Program& program) override {
    killed.push_back(program.id);
    program.killed = true;
    table->ended(program, outcome_of(program, -1));
  }
  uint32_t server_task_id(uint64_t badge) override { return badge == kShellBadge ? 5 : 0; }
  ProtocolStatus lookup(Program& program, const char* name, Handle* out) override {
    lookups.push_back(std::string(program.name) + ":" + name);
    if (std::strcmp(name, "console") != 0) return ProtocolStatus::kNotFound;
    *out = 0x600;
    return ProtocolStatus::kOk;
  }
  void close(Handle handle) override { closed.push_back(handle); }
  void log(const char* format, ...) override {
    char line[256];
    va_list arguments;
    va_start(arguments, format);
    std::vsnprintf(line, sizeof(line), format, arguments);
    va_end(arguments);
    logged += line;
  }

  struct Load {
    std::string name;
    std::string arguments;
    Handle image;
    uint64_t bytes;
    uint64_t badge;
  };
  ProgramTable* table = nullptr;
  std::vector<Load> loads;
  std::vector<uint32_t> killed;
  std::vector<Handle> closed;
  std::vector<std::string> lookups;
  std::string logged;
  ProtocolStatus load_answer = ProtocolStatus::kOk;
  uint32_t next_id = 100;
  int kept_calls_left = 16;
  Handle last_reply_object = 0x900;
};

class ProgramService : public ::testing::Test {
 protected:
  ProgramService() {
    actions_.table = &table_;
    std::strcpy(entries_[0].module, "shell");
    entries_[0].control = true;
    std::strcpy(entries_[1].module, "shell2");
    entries_[1].control = true;
    std::strcpy(entries_[2].module, "keyboard");
    for (size_t i = 0; i < 3; ++i) servers_[i].entry = &entries_[i];
  }

  ServerState* server(uint64_t badge) { return &servers_[badge - 1]; }

  WireMessage serve(const WireMessage& request, uint64_t badge = kShellBadge,
                    ProgramAnswer expected = ProgramAnswer::kAnswered) {
    WireMessage reply = poisoned();
    reply.has_handle = true;  // stale: the dispatch must clear it
    ProgramAnswer answer = on_program_request(actions_, table_, badge == 0 ? nullptr : server(badge),
                                              badge, request, &reply);
    EXPECT_EQ(answer, expected);
    if (answer == ProgramAnswer::kAnswered) {
      EXPECT_EQ(reply.label, request.label);
      EXPECT_FALSE(reply.has_handle);
    }
    return reply;
  }

  static WireMessage run_request(const char* name, const char* arguments) {
    static std::string kept;
    kept = arguments;
    bm::ipc::RunProgramRequest request;
    request.image_bytes = 23320;
    std::snprintf(request.name, sizeof(request.name), "%s", name);
    request.image = kImage;
    request.arguments = bm::ipc::testing::view_of(kept);
    return encoded(request);
  }

  // run_program from `badge`: the program's id, or 0 (with the status in *status).
  uint64_t run(const char* name, const char* arguments, uint64_t badge = kShellBadge,
               ProtocolStatus* status = nullptr) {
    bm::ipc::RunProgramReply reply;
    EXPECT_EQ(bm::ipc::decode(serve(run_request(name, arguments), badge), &reply),
              ProtocolStatus::kOk);
    if (status != nullptr) *status = reply.status;
    return reply.status == ProtocolStatus::kOk ? reply.program : 0;
  }

  bm::ipc::WaitProgramReply wait(uint64_t id, uint64_t badge = kShellBadge) {
    bm::ipc::WaitProgramReply reply;
    EXPECT_EQ(bm::ipc::decode(serve(encoded(bm::ipc::WaitProgramRequest{id}), badge), &reply),
              ProtocolStatus::kOk);
    return reply;
  }

  ProtocolStatus status_of(const WireMessage& reply) {
    EXPECT_EQ(reply.words, 1u);
    return static_cast<ProtocolStatus>(reply.word[0]);
  }

  FakeActions actions_;
  ProgramTable table_;
  bm::manifest::Server entries_[3] = {};
  ServerState servers_[3];
};

TEST_F(ProgramService, RunLoadsTheImageWithNameAndArguments) {
  uint64_t id = run("hello", "world, twice");
  EXPECT_EQ(id, 100u);
  ASSERT_EQ(actions_.loads.size(), 1u);
  EXPECT_EQ(actions_.loads[0].name, "hello");
  EXPECT_EQ(actions_.loads[0].arguments, "world, twice");
  EXPECT_EQ(actions_.loads[0].image, kImage);
  EXPECT_EQ(actions_.loads[0].bytes, 23320u);
  EXPECT_TRUE(actions_.closed.empty());  // the image went to load
  Program* program = table_.by_id(id);
  ASSERT_NE(program, nullptr);
  EXPECT_EQ(program->state, ProgramSlotState::kRunning);
  EXPECT_EQ(program->starter, kShellBadge);
  EXPECT_EQ(program->task, 0x7000u + 100);
  EXPECT_EQ(program->badge, actions_.loads[0].badge);
}

TEST_F(ProgramService, ARefusedLoadFreesTheSlot) {
  actions_.load_answer = ProtocolStatus::kBadImage;
  ProtocolStatus status = ProtocolStatus::kOk;
  EXPECT_EQ(run("junk", "", kShellBadge, &status), 0u);
  EXPECT_EQ(status, ProtocolStatus::kBadImage);
  EXPECT_EQ(table_.listed(0), nullptr);
  for (const Program& program : table_) EXPECT_EQ(program.state, ProgramSlotState::kFree);
}

TEST_F(ProgramService, OnlyServersWithControlMayAsk) {
  // A driver without control=yes, an unknown badge, a program: kNoRights, the image closed.
  for (uint64_t badge : {kDriverBadge, uint64_t{0}}) {
    WireMessage reply = serve(run_request("hello", ""), badge);
    EXPECT_EQ(status_of(reply), ProtocolStatus::kNoRights);
    EXPECT_EQ(status_of(serve(encoded(bm::ipc::ListProgramsRequest{0}), badge)),
              ProtocolStatus::kNoRights);
  }
  EXPECT_EQ(actions_.closed, (std::vector<Handle>{kImage, kImage}));
  EXPECT_TRUE(actions_.loads.empty());
}

TEST_F(ProgramService, MalformedRequestsAreBadValuesAndTheirHandlesClosed) {
  WireMessage no_handle = run_request("hello", "");
  no_handle.has_handle = false;
  EXPECT_EQ(status_of(serve(no_handle)), ProtocolStatus::kBadValue);
  WireMessage too_long = run_request("hello", "");
  too_long.word[0] = 0;  // image length 0
  EXPECT_EQ(status_of(serve(too_long)), ProtocolStatus::kBadValue);
  WireMessage wait = make_message(bm::ipc::kWaitProgram, {1, 2});
  wait.has_handle = true;
  wait.handle = 0x777;
  EXPECT_EQ(status_of(serve(wait)), ProtocolStatus::kBadValue);
  EXPECT_EQ(actions_.closed, (std::vector<Handle>{kImage, 0x777}));
  EXPECT_TRUE(actions_.loads.empty());
}

TEST_F(ProgramService, AWaitForARunningProgramIsKeptAndASecondIsBusy) {
  uint64_t id = run("sleep", "1000");
  serve(encoded(bm::ipc::WaitProgramRequest{id}), kShellBadge, ProgramAnswer::kKept);
  EXPECT_EQ(table_.by_id(id)->waiter, 0x901u);
  EXPECT_EQ(wait(id).status, ProtocolStatus::kBusy);
  EXPECT_EQ(table_.by_id(id)->waiter, 0x901u);
}

TEST_F(ProgramService, AWaitAfterTheEndIsAnsweredAtOnceAndCollectsTheRecord) {
  uint64_t id = run("hello", "");
  table_.ended(*table_.by_id(id), outcome_of(*table_.by_id(id), 4));
  bm::ipc::WaitProgramReply reply = wait(id);
  EXPECT_EQ(reply.status, ProtocolStatus::kOk);
  EXPECT_EQ(reply.how, ProgramEnd::kExited);
  EXPECT_EQ(reply.exit_code, 4);
  EXPECT_EQ(table_.by_id(id), nullptr);
  EXPECT_EQ(wait(id).status, ProtocolStatus::kNotFound);
}

TEST_F(ProgramService, NoReplyObjectLeftIsNoSlots) {
  actions_.kept_calls_left = 0;
  uint64_t id = run("sleep", "1000");
  EXPECT_EQ(wait(id).status, ProtocolStatus::kNoSlots);
  EXPECT_EQ(table_.by_id(id)->waiter, 0u);
}

TEST_F(ProgramService, OnlyTheStarterMayWaitOrKill) {
  uint64_t id = run("sleep", "1000");
  EXPECT_EQ(wait(id, kOtherBadge).status, ProtocolStatus::kNoRights);
  EXPECT_EQ(status_of(serve(encoded(bm::ipc::KillProgramRequest{id}), kOtherBadge)),
            ProtocolStatus::kNoRights);
  EXPECT_TRUE(actions_.killed.empty());
  // But anyone with control sees it.
  bm::ipc::ListProgramsReply listed;
  ASSERT_EQ(bm::ipc::decode(serve(encoded(bm::ipc::ListProgramsRequest{0}), kOtherBadge), &listed),
            ProtocolStatus::kOk);
  EXPECT_EQ(listed.program, id);
}

TEST_F(ProgramService, KillEndsARunningProgramOnly) {
  uint64_t id = run("sleep", "1000");
  EXPECT_EQ(status_of(serve(encoded(bm::ipc::KillProgramRequest{id}))), ProtocolStatus::kOk);
  EXPECT_EQ(actions_.killed, (std::vector<uint32_t>{static_cast<uint32_t>(id)}));
  // Ended, not collected: not running, so not killable; its outcome says killed.
  EXPECT_EQ(status_of(serve(encoded(bm::ipc::KillProgramRequest{id}))), ProtocolStatus::kNotFound);
  EXPECT_EQ(wait(id).how, ProgramEnd::kKilled);
  EXPECT_EQ(status_of(serve(encoded(bm::ipc::KillProgramRequest{12345}))),
            ProtocolStatus::kNotFound);
}

TEST_F(ProgramService, ListNamesEachProgramWithItsStarter) {
  uint64_t first = run("sleep", "1000");
  uint64_t second = run("hello", "", kOtherBadge);
  table_.ended(*table_.by_id(second), outcome_of(*table_.by_id(second), 0));
  bm::ipc::ListProgramsReply listed;
  ASSERT_EQ(bm::ipc::decode(serve(encoded(bm::ipc::ListProgramsRequest{0})), &listed),
            ProtocolStatus::kOk);
  EXPECT_EQ(listed.program, first);
  EXPECT_STREQ(listed.name, "sleep");
  EXPECT_EQ(listed.state, bm::ipc::ProgramState::kRunning);
  EXPECT_EQ(listed.starter, 5u);
  EXPECT_EQ(listed.client_id, table_.by_id(first)->badge);  // memd's and fs's id for it
  EXPECT_TRUE(ProgramTable::is_program_badge(listed.client_id));
  ASSERT_EQ(bm::ipc::decode(serve(encoded(bm::ipc::ListProgramsRequest{1})), &listed),
            ProtocolStatus::kOk);
  EXPECT_EQ(listed.program, second);
  EXPECT_EQ(listed.state, bm::ipc::ProgramState::kEnded);
  EXPECT_EQ(listed.starter, 0u);  // that server is not running
  EXPECT_EQ(status_of(serve(encoded(bm::ipc::ListProgramsRequest{2}))), ProtocolStatus::kBadValue);
}

TEST_F(ProgramService, AFullTableIsNoSlotsAndTheImageIsClosed) {
  for (size_t i = 0; i < kMaxPrograms; ++i) ASSERT_NE(run("sleep", "1000"), 0u);
  ProtocolStatus status = ProtocolStatus::kOk;
  EXPECT_EQ(run("sleep", "1000", kShellBadge, &status), 0u);
  EXPECT_EQ(status, ProtocolStatus::kNoSlots);
  EXPECT_EQ(actions_.closed, (std::vector<Handle>{kImage}));
  EXPECT_EQ(actions_.loads.size(), kMaxPrograms);
}

TEST_F(ProgramService, ANewProgramMayTakeTheSlotOfAnUncollectedEnd) {
  uint64_t ids[kMaxPrograms];
  for (size_t i = 0; i < kMaxPrograms; ++i) ids[i] = run("sleep", "1000");
  table_.ended(*table_.by_id(ids[3]), outcome_of(*table_.by_id(ids[3]), 0));
  EXPECT_NE(run("hello", ""), 0u);
  EXPECT_NE(actions_.logged.find("dropped how program 103 ended"), std::string::npos)
      << actions_.logged;
  EXPECT_EQ(wait(ids[3]).status, ProtocolStatus::kNotFound);
}

// --- a program's own bootstrap requests -----------------------------------------------------

class ProgramBootstrap : public ProgramService {
 protected:
  ProgramBootstrap() { program_ = table_.by_id(run("hello", "world  \"two words\"")); }

  WireMessage ask(const WireMessage& request) {
    WireMessage reply = poisoned();
    on_program_bootstrap_request(actions_, *program_, request, &reply);
    EXPECT_EQ(reply.label, request.label);
    return reply;
  }

  Program* program_ = nullptr;
};

TEST_F(ProgramBootstrap, GetArgumentsGivesTheTextItWasStartedWith) {
  bm::ipc::GetArgumentsReply reply;
  WireMessage answer = ask(encoded(bm::ipc::GetArgumentsRequest{}));
  ASSERT_EQ(bm::ipc::decode(answer, &reply), ProtocolStatus::kOk);
  EXPECT_EQ(bm::ipc::testing::bytes_string(reply.arguments), "world  \"two words\"");
}

TEST_F(ProgramBootstrap, LookupGoesThroughInit) {
  bm::ipc::LookupRequest request;
  std::strcpy(request.name, "console");
  bm::ipc::LookupReply reply;
  ASSERT_EQ(bm::ipc::decode(ask(encoded(request)), &reply), ProtocolStatus::kOk);
  EXPECT_EQ(reply.status, ProtocolStatus::kOk);
  EXPECT_EQ(reply.endpoint, 0x600u);
  std::strcpy(request.name, "nothing");
  ASSERT_EQ(bm::ipc::decode(ask(encoded(request)), &reply), ProtocolStatus::kOk);
  EXPECT_EQ(reply.status, ProtocolStatus::kNotFound);
  EXPECT_EQ(actions_.lookups, (std::vector<std::string>{"hello:console", "hello:nothing"}));
}

TEST_F(ProgramBootstrap, NoGrantsNoNamesAndStartUpIsOver) {
  EXPECT_EQ(status_of(ask(encoded(bm::ipc::GetGrantRequest{0}))), ProtocolStatus::kBadValue);
  bm::ipc::RegisterRequest add;
  std::strcpy(add.name, "impostor");
  add.endpoint = 0x888;
  EXPECT_EQ(status_of(ask(encoded(add))), ProtocolStatus::kNoRights);
  EXPECT_EQ(actions_.closed, (std::vector<Handle>{0x888}));
  EXPECT_EQ(status_of(ask(encoded(bm::ipc::StartupDoneRequest{}))), ProtocolStatus::kOk);
  EXPECT_EQ(status_of(ask(make_message(0x99, {}))), ProtocolStatus::kBadValue);
  EXPECT_EQ(status_of(ask(make_message(bm::ipc::kGetArguments, {1}))), ProtocolStatus::kBadValue);
}

}  // namespace
}  // namespace init
