// ipc/echo.h: the reversal echo applies to kReverseLabel, which ping's
// long-message check relies on to tell a copied reply from its own request.
#include "ipc/echo.h"

#include <gtest/gtest.h>

#include <memory>

namespace {

namespace echo = bm::ipc::echo;
using bm::abi::IpcBuffer;
using bm::abi::kMaxMessageWords;
using bm::abi::kRegisterWords;

// Every count from 0 to the maximum, across the register/buffer boundary.
TEST(EchoProtocol, ReverseWordsReversesExactlyTheFirstCountWords) {
  auto buffer = std::make_unique<IpcBuffer>();
  for (uint32_t count = 0; count <= kMaxMessageWords; ++count) {
    uint64_t registers[kRegisterWords];
    for (uint32_t i = 0; i < kMaxMessageWords; ++i) {
      bm::ipc::set_message_word(registers, buffer.get(), i, 1000 + i);
    }
    echo::reverse_words(registers, buffer.get(), count);
    for (uint32_t i = 0; i < kMaxMessageWords; ++i) {
      uint64_t expected = i < count ? 1000 + (count - 1 - i) : 1000 + i;
      ASSERT_EQ(bm::ipc::message_word(registers, buffer.get(), i), expected)
          << "count " << count << " word " << i;
    }
  }
}

TEST(EchoProtocol, ReverseLabelIsAProtocolLabel) {
  EXPECT_LT(echo::kReverseLabel, bm::abi::kKernelLabelBase);
}

}  // namespace
