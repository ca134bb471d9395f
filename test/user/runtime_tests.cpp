// The user/ runtime's own services: the manifest arguments init hands out
// (bootstrap kGetArguments) and start_thread.
#include "ipc/bootstrap.h"
#include "lib/fmt/string.h"
#include "test/user/suite.h"
#include "test/user/user_test.h"
#include "user/services.h"
#include "user/thread.h"

namespace user_tests {
namespace {

// The suite's manifest line says args=first,second-2,,x (test/user/meson.build).
constexpr const char* kManifestArguments = "first,second-2,,x";

USER_TEST(runtime_get_arguments_returns_the_manifest_args_value) {
  char arguments[bm::ipc::kMaxArgumentsLength + 1];
  ASSERT_EQ(user::get_arguments(environment().bootstrap, arguments, sizeof(arguments)),
            bm::ipc::ProtocolStatus::kOk);
  EXPECT_TRUE(bm::string_equal(arguments, kManifestArguments));
}

USER_TEST(runtime_get_arguments_refuses_a_buffer_too_small) {
  char arguments[17];  // the text is 17 bytes: no room for the NUL
  EXPECT_EQ(user::get_arguments(environment().bootstrap, arguments, sizeof(arguments)),
            bm::ipc::ProtocolStatus::kTooLong);
  char exact[18];
  EXPECT_EQ(user::get_arguments(environment().bootstrap, exact, sizeof(exact)),
            bm::ipc::ProtocolStatus::kOk);
}

USER_TEST(runtime_for_each_argument_skips_empty_words) {
  const char* seen[4] = {};
  size_t lengths[4] = {};
  size_t count = 0;
  user::for_each_argument(kManifestArguments, [&](const char* word, size_t length) {
    if (count < 4) {
      seen[count] = word;
      lengths[count] = length;
    }
    ++count;
  });
  ASSERT_TRUE(count == 3);
  EXPECT_EQ(lengths[0], 5u);
  EXPECT_TRUE(seen[0][0] == 'f');
  EXPECT_EQ(lengths[1], 8u);
  EXPECT_TRUE(seen[1][7] == '2');
  EXPECT_EQ(lengths[2], 1u);
  EXPECT_TRUE(seen[2][0] == 'x');
}

USER_TEST(runtime_get_arguments_with_extra_words_is_refused) {
  user::Message request;
  request.label = bm::ipc::kGetArguments;
  request.words = 1;
  request.word[0] = 0;
  user::Message reply;
  ASSERT_OK(user::call(environment().bootstrap, request, &reply));
  EXPECT_EQ(reply.words, 1u);
  EXPECT_EQ(reply.word[0], static_cast<uint64_t>(bm::ipc::ProtocolStatus::kBadValue));
}

volatile uint64_t thread_saw = 0;

void record_argument(uint64_t argument) { thread_saw = argument; }

USER_TEST(runtime_start_thread_runs_the_body_with_its_argument) {
  thread_saw = 0;
  ASSERT_OK(user::start_thread(record_argument, 0x5eed, kPeerPriority));
  for (int i = 0; i < 100 && thread_saw == 0; ++i) (void)user::sleep(1);
  EXPECT_EQ(thread_saw, 0x5eedu);
  EXPECT_EQ(user::current_priority(), kSuitePriority);
  EXPECT_STATUS(user::start_thread(nullptr, 0, kPeerPriority), Status::kInvalidArgument);
  EXPECT_STATUS(user::start_thread(record_argument, 0, kSuitePriority + 1), Status::kNoRights);
}

}  // namespace
}  // namespace user_tests
