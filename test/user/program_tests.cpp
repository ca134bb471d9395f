// init's program protocol (ipc/programs.h) from a control=yes server: the suite hands init the
// ELF images of programs/hello, sleep and fault (boot modules granted to it) and checks how
// each run ends: an exit code, a fault init reports, a kill; waits that init keeps while it
// serves others, refused images, and a full program table.
#include "ipc/programs.h"
#include "lib/fmt/string.h"
#include "test/user/helper_thread.h"
#include "test/user/suite.h"
#include "test/user/user_test.h"
#include "user/print.h"
#include "user/program_client.h"
#include "user/supervisor_client.h"
#include "user/syscalls.h"

namespace {

using namespace user_tests;
using bm::ipc::ProgramEnd;
using bm::ipc::ProtocolStatus;

constexpr size_t kProgramTableSize = 16;  // servers/init/program_table.h, kMaxPrograms

uint64_t own_task() { return user::system_value(bm::abi::SystemInfo::kCurrentTask); }

// A copy of `memory` for run_program, or 0: it moves to init, so it needs grant.
Handle image_copy(Handle memory) {
  auto copy = user::handle_duplicate(
      memory, bm::abi::kRightRead | bm::abi::kRightMap | bm::abi::kRightGrant);
  return copy.ok() ? copy->release() : 0;
}

// Asks init to run program module `which` as `name` with `arguments`.
ProtocolStatus run(ProgramModule which, const char* name, const char* arguments,
                   uint64_t* program) {
  const ProgramImage& image = environment().programs[which];
  if (image.image == 0) return ProtocolStatus::kNotFound;
  Handle copy = image_copy(image.image);
  if (copy == 0) return ProtocolStatus::kNoSlots;
  size_t length = 0;
  while (arguments[length] != '\0') ++length;
  return user::run_program(environment().bootstrap, copy, image.bytes, name, arguments, length,
                           program);
}

ProtocolStatus wait(uint64_t program, bm::ipc::WaitProgramReply* out) {
  return user::wait_program(environment().bootstrap, program, out);
}

// The program `id` in init's list, or false.
bool listed(uint64_t id, bm::ipc::ListProgramsReply* out) {
  for (uint64_t index = 0;; ++index) {
    if (user::list_program(environment().bootstrap, index, out) != ProtocolStatus::kOk) {
      return false;
    }
    if (out->program == id) return true;
  }
}

}  // namespace

USER_TEST(programs_hello_runs_and_exits_zero) {
  uint64_t program = 0;
  ASSERT_EQ(run(kHelloProgram, "hello", "world, from the suite", &program), ProtocolStatus::kOk);
  EXPECT_NE(program, 0);
  bm::ipc::WaitProgramReply ended;
  ASSERT_EQ(wait(program, &ended), ProtocolStatus::kOk);
  EXPECT_EQ(static_cast<uint64_t>(ended.how), static_cast<uint64_t>(ProgramEnd::kExited));
  EXPECT_EQ(ended.exit_code, 0);
  // Collected: init forgot it.
  EXPECT_EQ(wait(program, &ended), ProtocolStatus::kNotFound);
  EXPECT_EQ(user::kill_program(environment().bootstrap, program), ProtocolStatus::kNotFound);
}

// The argument text reaches the program (get_arguments): sleep exits 0 on a number, 2 on
// anything else.
USER_TEST(programs_get_their_arguments_and_report_exit_codes) {
  uint64_t program = 0;
  bm::ipc::WaitProgramReply ended;
  ASSERT_EQ(run(kSleepProgram, "sleep", "1", &program), ProtocolStatus::kOk);
  ASSERT_EQ(wait(program, &ended), ProtocolStatus::kOk);
  EXPECT_EQ(static_cast<uint64_t>(ended.how), static_cast<uint64_t>(ProgramEnd::kExited));
  EXPECT_EQ(ended.exit_code, 0);
  ASSERT_EQ(run(kSleepProgram, "sleep", "\"not a number\"", &program), ProtocolStatus::kOk);
  ASSERT_EQ(wait(program, &ended), ProtocolStatus::kOk);
  EXPECT_EQ(static_cast<uint64_t>(ended.how), static_cast<uint64_t>(ProgramEnd::kExited));
  EXPECT_EQ(ended.exit_code, 2);
}

// A wait that comes after the end is answered at once from the record init kept.
USER_TEST(programs_wait_after_the_end_gets_the_kept_outcome) {
  uint64_t program = 0;
  ASSERT_EQ(run(kSleepProgram, "sleep", "0", &program), ProtocolStatus::kOk);
  bm::ipc::ListProgramsReply entry;
  for (int tries = 0; tries < 100; ++tries) {
    ASSERT_TRUE(listed(program, &entry));
    if (entry.state == bm::ipc::ProgramState::kEnded) break;
    (void)user::sleep(1);
  }
  EXPECT_EQ(static_cast<uint64_t>(entry.state),
            static_cast<uint64_t>(bm::ipc::ProgramState::kEnded));
  bm::ipc::WaitProgramReply ended;
  ASSERT_EQ(wait(program, &ended), ProtocolStatus::kOk);
  EXPECT_EQ(static_cast<uint64_t>(ended.how), static_cast<uint64_t>(ProgramEnd::kExited));
  EXPECT_EQ(ended.exit_code, 0);
  EXPECT_TRUE(!(listed(program, &entry)));
}

USER_TEST(programs_a_fault_is_reported_with_its_details) {
  uint64_t program = 0;
  bm::ipc::WaitProgramReply ended;
  ASSERT_EQ(run(kFaultProgram, "fault", "", &program), ProtocolStatus::kOk);
  ASSERT_EQ(wait(program, &ended), ProtocolStatus::kOk);
  EXPECT_EQ(static_cast<uint64_t>(ended.how), static_cast<uint64_t>(ProgramEnd::kFaulted));
  EXPECT_EQ(ended.exit_code, -1);
  EXPECT_EQ(ended.fault.vector, 14);           // #PF
  EXPECT_EQ(ended.fault.error_code & 0x6, 0x6);  // a write from user mode
  EXPECT_EQ(ended.fault.cr2, 0x1000);
  EXPECT_GE(ended.fault.rip, bm::abi::kUserSpaceBase);

  ASSERT_EQ(run(kFaultProgram, "fault", "ud", &program), ProtocolStatus::kOk);
  ASSERT_EQ(wait(program, &ended), ProtocolStatus::kOk);
  EXPECT_EQ(static_cast<uint64_t>(ended.how), static_cast<uint64_t>(ProgramEnd::kFaulted));
  EXPECT_EQ(ended.fault.vector, 6);  // #UD
  EXPECT_EQ(ended.fault.cr2, 0);

  // And the caller, and init, carry on: the next program runs.
  ASSERT_EQ(run(kHelloProgram, "hello", "after a fault", &program), ProtocolStatus::kOk);
  ASSERT_EQ(wait(program, &ended), ProtocolStatus::kOk);
  EXPECT_EQ(ended.exit_code, 0);
}

USER_TEST(programs_kill_ends_a_running_program) {
  uint64_t program = 0;
  ASSERT_EQ(run(kSleepProgram, "sleep", "100000", &program), ProtocolStatus::kOk);
  bm::ipc::ListProgramsReply entry;
  ASSERT_TRUE(listed(program, &entry));
  EXPECT_TRUE(bm::string_equal(entry.name, "sleep"));
  EXPECT_EQ(static_cast<uint64_t>(entry.state),
            static_cast<uint64_t>(bm::ipc::ProgramState::kRunning));
  EXPECT_EQ(entry.starter, own_task());
  EXPECT_EQ(user::kill_program(environment().bootstrap, program), ProtocolStatus::kOk);
  bm::ipc::WaitProgramReply ended;
  ASSERT_EQ(wait(program, &ended), ProtocolStatus::kOk);
  EXPECT_EQ(static_cast<uint64_t>(ended.how), static_cast<uint64_t>(ProgramEnd::kKilled));
  EXPECT_EQ(ended.exit_code, -1);
  EXPECT_EQ(user::kill_program(environment().bootstrap, program), ProtocolStatus::kNotFound);
}

namespace {
// The helper's wait, shared through globals (helper_thread.h).
volatile uint64_t waited_program;
volatile ProtocolStatus waited_status;
volatile uint64_t waited_how;
void wait_in_helper(uint64_t program) {
  bm::ipc::WaitProgramReply ended;
  waited_status = wait(program, &ended);
  waited_how = static_cast<uint64_t>(ended.how);
}
}  // namespace

// A pending wait does not hold init up: while a helper thread waits, init answers the suite,
// refuses a second wait for the same program, and kill answers the first.
USER_TEST(programs_init_serves_others_while_a_wait_is_pending) {
  uint64_t program = 0;
  ASSERT_EQ(run(kSleepProgram, "sleep", "100000", &program), ProtocolStatus::kOk);
  waited_program = program;
  waited_status = ProtocolStatus::kTimedOut;
  HelperThread helper;
  ASSERT_OK(helper.start(wait_in_helper, program, kSuitePriority));
  (void)user::sleep(5);  // the helper's call reaches init and is kept
  EXPECT_TRUE(!(helper.finished()));
  bm::ipc::ListProgramsReply entry;
  EXPECT_TRUE(listed(program, &entry));  // init answers meanwhile
  bm::ipc::ServerEntry server{};
  EXPECT_EQ(user::list_server(environment().bootstrap, 0, &server), ProtocolStatus::kOk);
  bm::ipc::WaitProgramReply ended;
  EXPECT_EQ(wait(program, &ended), ProtocolStatus::kBusy);
  EXPECT_EQ(user::kill_program(environment().bootstrap, program), ProtocolStatus::kOk);
  EXPECT_TRUE(helper.join(ticks_for_ms(2000)));
  EXPECT_EQ(waited_status, ProtocolStatus::kOk);
  EXPECT_EQ(waited_how, static_cast<uint64_t>(ProgramEnd::kKilled));
  EXPECT_EQ(wait(program, &ended), ProtocolStatus::kNotFound);  // the helper collected it
}

USER_TEST(programs_refuse_bad_images_and_requests) {
  const Environment& env = environment();
  uint64_t program = 0;
  // A page of junk: not an ELF file.
  OwnedHandle junk;
  ASSERT_OK(take(user::memory_create(1), &junk));
  constexpr uint64_t kJunkArea = 0x30000000;
  ASSERT_OK(user::memory_map(bm::abi::kOwnAddressSpace, junk.get(), kJunkArea,
                             bm::abi::kMapWritable));
  for (uint64_t i = 0; i < 512; ++i) reinterpret_cast<uint64_t*>(kJunkArea)[i] = i * 0x9e37;
  ASSERT_OK(user::memory_unmap(bm::abi::kOwnAddressSpace, kJunkArea));
  Handle copy = image_copy(junk.get());
  ASSERT_TRUE(copy != 0);
  EXPECT_EQ(user::run_program(env.bootstrap, copy, 4096, "junk", "", 0, &program),
            ProtocolStatus::kBadImage);
  // A length past the object's end: refused before anything is read.
  copy = image_copy(env.programs[kHelloProgram].image);
  ASSERT_TRUE(copy != 0);
  EXPECT_EQ(user::run_program(env.bootstrap, copy, 64ull << 20, "hello", "", 0, &program),
            ProtocolStatus::kBadValue);
  // Not a memory object.
  OwnedHandle notification;
  ASSERT_OK(take(user::notification_create(), &notification));
  auto not_memory =
      user::handle_duplicate(notification.get(), bm::abi::kRightRead | bm::abi::kRightGrant);
  ASSERT_TRUE(not_memory.ok());
  EXPECT_EQ(user::run_program(env.bootstrap, not_memory->release(), 4096, "hello", "", 0,
                              &program),
            ProtocolStatus::kWrongType);
  // A task name longer than a task's (23): the client refuses to send it.
  copy = image_copy(env.programs[kHelloProgram].image);
  ASSERT_TRUE(copy != 0);
  EXPECT_EQ(user::run_program(env.bootstrap, copy, env.programs[kHelloProgram].bytes,
                              "a-name-of-twenty-four-ch", "", 0, &program),
            ProtocolStatus::kBadValue);
  // Unknown programs.
  bm::ipc::WaitProgramReply ended;
  EXPECT_EQ(wait(0, &ended), ProtocolStatus::kNotFound);
  EXPECT_EQ(wait(own_task(), &ended), ProtocolStatus::kNotFound);
  EXPECT_EQ(user::kill_program(env.bootstrap, 0xdeadbeef), ProtocolStatus::kNotFound);
  // Malformed requests: a raw run_program without its image handle.
  user::Message request;
  request.label = bm::ipc::kRunProgram;
  request.words = bm::ipc::kRunProgramFixedWords;
  user::Message reply;
  ASSERT_OK(user::call(env.bootstrap, request, &reply));
  EXPECT_EQ(reply.word[0], static_cast<uint64_t>(ProtocolStatus::kBadValue));
  // Every refusal left the table as it was.
  bm::ipc::ListProgramsReply entry;
  EXPECT_EQ(user::list_program(env.bootstrap, 0, &entry), ProtocolStatus::kBadValue);
}

USER_TEST(programs_table_holds_sixteen) {
  uint64_t programs[kProgramTableSize] = {};
  size_t started = 0;
  for (; started < kProgramTableSize; ++started) {
    if (run(kSleepProgram, "sleep", "100000", &programs[started]) != ProtocolStatus::kOk) break;
  }
  EXPECT_EQ(started, kProgramTableSize);
  uint64_t extra = 0;
  EXPECT_EQ(run(kSleepProgram, "sleep", "100000", &extra), ProtocolStatus::kNoSlots);
  for (size_t i = 0; i < started; ++i) {
    EXPECT_EQ(user::kill_program(environment().bootstrap, programs[i]), ProtocolStatus::kOk);
    bm::ipc::WaitProgramReply ended;
    EXPECT_EQ(wait(programs[i], &ended), ProtocolStatus::kOk);
    EXPECT_EQ(static_cast<uint64_t>(ended.how), static_cast<uint64_t>(ProgramEnd::kKilled));
  }
  bm::ipc::ListProgramsReply entry;
  EXPECT_EQ(user::list_program(environment().bootstrap, 0, &entry), ProtocolStatus::kBadValue);
}
