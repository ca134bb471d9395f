// Every decoder of every protocol against the same abuse: a valid message cut short at each
// length, stretched by a word and to 512 and 513 words, put under every other label, and
// (replies) given an unknown status word. The words past the cut keep their valid contents,
// so a decoder that read beyond `words` would accept.
#include <set>

#include "ipc/fs.h"
#include "ipc/memd.h"
#include "test/host/protocols/wire_test_support.h"

namespace bm::ipc::testing {
namespace {

void expect_rejects_every_short_length(const Sample& sample) {
  SCOPED_TRACE(sample.name);
  ASSERT_EQ(sample.decode(sample.message), ProtocolStatus::kOk);
  for (uint32_t words = 0; words < sample.message.words; ++words) {
    WireMessage cut = sample.message;
    cut.words = words;
    EXPECT_EQ(sample.decode(cut), ProtocolStatus::kTooShort) << words << " words";
  }
}

void expect_rejects_oversized(const Sample& sample) {
  SCOPED_TRACE(sample.name);
  const uint32_t extra_lengths[] = {sample.message.words + 1, abi::kMaxMessageWords,
                                    abi::kMaxMessageWords + 1, 0xffffffffu};
  for (uint32_t words : extra_lengths) {
    WireMessage stretched = sample.message;
    stretched.words = words;
    // The added words are zero, which is what padding looks like: still too long.
    for (uint32_t i = sample.message.words; i < abi::kMaxMessageWords; ++i) stretched.word[i] = 0;
    EXPECT_EQ(sample.decode(stretched), ProtocolStatus::kTooLong) << words << " words";
  }
}

void expect_rejects_other_labels(const Sample& sample) {
  SCOPED_TRACE(sample.name);
  int checked = 0;
  for (uint32_t label : all_labels()) {
    if (label == sample.message.label) continue;
    WireMessage relabelled = sample.message;
    relabelled.label = label;
    EXPECT_EQ(sample.decode(relabelled), ProtocolStatus::kUnknownLabel) << std::hex << label;
    ++checked;
  }
  EXPECT_GE(checked, 20);
}

TEST(ProtocolRejection, EveryRequestCutShortIsTooShort) {
  int messages = 0;
  for (const Sample& sample : request_samples()) {
    expect_rejects_every_short_length(sample);
    ++messages;
  }
  EXPECT_EQ(messages, 80);
}

TEST(ProtocolRejection, EveryRequestStretchedIsTooLong) {
  for (const Sample& sample : request_samples()) expect_rejects_oversized(sample);
}

TEST(ProtocolRejection, EveryRequestUnderAnotherLabelIsUnknown) {
  for (const Sample& sample : request_samples()) expect_rejects_other_labels(sample);
}

TEST(ProtocolRejection, EveryReplyCutShortIsTooShort) {
  for (const Sample& sample : reply_samples()) expect_rejects_every_short_length(sample);
}

TEST(ProtocolRejection, EveryReplyStretchedIsTooLong) {
  for (const Sample& sample : reply_samples()) expect_rejects_oversized(sample);
}

TEST(ProtocolRejection, EveryReplyUnderAnotherLabelIsUnknown) {
  for (const Sample& sample : reply_samples()) expect_rejects_other_labels(sample);
}

TEST(ProtocolRejection, EveryReplyWithAnUnknownStatusIsBadValue) {
  for (const Sample& sample : reply_samples()) {
    SCOPED_TRACE(sample.name);
    for (uint64_t status :
         {kProtocolStatusCount, uint64_t{0x100}, uint64_t{1} << 32, ~uint64_t{0}}) {
      WireMessage changed = sample.message;
      changed.word[0] = status;
      changed.words = 1;  // an error reply is the status word alone
      EXPECT_EQ(sample.decode(changed), ProtocolStatus::kBadValue) << status;
    }
  }
}

// The samples' tails are poison; decoding with zero tails must give the same answer.
TEST(ProtocolRejection, DecodersIgnoreWordsPastTheCount) {
  std::vector<Sample> samples = request_samples();
  for (Sample& sample : reply_samples()) samples.push_back(std::move(sample));
  for (const Sample& sample : samples) {
    SCOPED_TRACE(sample.name);
    WireMessage zero_tail = sample.message;
    for (uint32_t i = sample.message.words; i < abi::kMaxMessageWords; ++i) zero_tail.word[i] = 0;
    EXPECT_EQ(sample.decode(sample.message), ProtocolStatus::kOk);
    EXPECT_EQ(sample.decode(zero_tail), ProtocolStatus::kOk);
  }
}

TEST(ProtocolRejection, EachProtocolOwnsItsLabelRangeFromOne) {
  struct Protocol {
    const char* name;
    uint32_t base;
    const MessageSpec* first;
    size_t count;
  };
  const Protocol protocols[] = {
      {"console", kConsoleLabelBase, console::kMessages, std::size(console::kMessages)},
      {"keyboard", kKeyboardLabelBase, keyboard::kMessages, std::size(keyboard::kMessages)},
      {"serial", kSerialLabelBase, serial::kMessages, std::size(serial::kMessages)},
      {"memd", kMemdLabelBase, memd::kMessages, std::size(memd::kMessages)},
      {"fs", kFsLabelBase, fs::kMessages, std::size(fs::kMessages)},
  };
  std::set<uint32_t> seen;
  for (const Protocol& protocol : protocols) {
    SCOPED_TRACE(protocol.name);
    for (size_t i = 0; i < protocol.count; ++i) {
      const MessageSpec& spec = protocol.first[i];
      EXPECT_EQ(spec.label, protocol.base + 1 + i) << spec.name;
      EXPECT_TRUE(seen.insert(spec.label).second) << spec.name;
      EXPECT_LE(spec.min_request_words, spec.max_request_words);
      EXPECT_LE(spec.max_request_words, abi::kMaxMessageWords);
      EXPECT_GE(spec.min_reply_words, 1u);  // the status word
      EXPECT_LE(spec.min_reply_words, spec.max_reply_words);
      EXPECT_LE(spec.max_reply_words, abi::kMaxMessageWords);
    }
  }
  EXPECT_EQ(seen.size(), 27u);
}

}  // namespace
}  // namespace bm::ipc::testing
