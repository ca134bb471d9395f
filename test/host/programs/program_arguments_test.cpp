// Programs' argument words (user/program_arguments.h): the limits run_program's text sets on
// the shared splitter (its rules are tested in test/host/text), and that a program reads its
// arguments by those rules.
#include "user/program_arguments.h"

#include <gtest/gtest.h>

#include <string>

namespace {

using user::ProgramArguments;

TEST(ProgramArguments, SplitsByTheSharedRules) {
  ProgramArguments arguments;
  auto count = user::split_program_arguments("say \"two words\" \\\"hi\\\"", 64, &arguments);
  ASSERT_TRUE(count.ok());
  ASSERT_EQ(*count, 3u);
  EXPECT_STREQ(arguments.word[0], "say");
  EXPECT_STREQ(arguments.word[1], "two words");
  EXPECT_STREQ(arguments.word[2], "\"hi\"");
}

TEST(ProgramArguments, Limits) {
  ProgramArguments arguments;
  std::string sixteen;
  for (int i = 0; i < 16; ++i) sixteen += "w ";
  EXPECT_EQ(*user::split_program_arguments(sixteen.data(), sixteen.size(), &arguments),
            user::kMaxProgramWords);
  std::string seventeen = sixteen + "w";
  EXPECT_EQ(user::split_program_arguments(seventeen.data(), seventeen.size(), &arguments).error(),
            bm::Error::kOutOfRange);
  // The longest text run_program carries, and one byte more.
  std::string longest(bm::ipc::kMaxProgramArgumentsLength, 'x');
  EXPECT_EQ(*user::split_program_arguments(longest.data(), longest.size(), &arguments), 1u);
  longest += 'x';
  EXPECT_EQ(user::split_program_arguments(longest.data(), longest.size(), &arguments).error(),
            bm::Error::kInvalidArgument);
  EXPECT_EQ(user::split_program_arguments("\"open", 5, &arguments).error(), bm::Error::kMalformed);
  EXPECT_FALSE(user::split_program_arguments(nullptr, 0, &arguments).ok());
  EXPECT_FALSE(user::split_program_arguments("a", 1, nullptr).ok());
}

}  // namespace
