// Host tests for a server's dispatch (ipc/dispatch.h): the handler of the request's label runs
// with the decoded request and its answer becomes the reply; a malformed request, an unknown
// label or a reply its encoder refuses is answered without it.
#include "ipc/dispatch.h"

#include "ipc/console.h"
#include "ipc/memd.h"
#include "test/host/protocols/wire_test_support.h"

namespace bm::ipc::testing {
namespace {

// A tiny server: clear answers with a status, query_size with a reply struct.
struct FakeConsole {
  int clears = 0;
  int queries = 0;
  uint32_t rows = 25;
  ProtocolStatus clear_answer = ProtocolStatus::kOk;

  ProtocolStatus serve(const WireMessage& request, WireMessage* reply) {
    return dispatch(
        request, reply,
        [&](const console::ClearRequest&) {
          ++clears;
          return clear_answer;
        },
        [&](const console::QuerySizeRequest&) {
          ++queries;
          return console::QuerySizeReply{ProtocolStatus::kOk, rows, 80};
        });
  }
};

TEST(Dispatch, AStatusAnswerIsTheStatusWordAlone) {
  FakeConsole server;
  server.clear_answer = ProtocolStatus::kNoDevice;
  WireMessage reply = poisoned();
  reply.has_handle = true;
  EXPECT_EQ(server.serve(encoded(console::ClearRequest{}), &reply), ProtocolStatus::kOk);
  EXPECT_EQ(server.clears, 1);
  EXPECT_EQ(reply.label, console::kClear);
  EXPECT_EQ(reply.words, 1u);
  EXPECT_EQ(reply.word[0], static_cast<uint64_t>(ProtocolStatus::kNoDevice));
  EXPECT_FALSE(reply.has_handle);
}

TEST(Dispatch, AReplyStructGoesThroughItsEncoder) {
  FakeConsole server;
  WireMessage reply = poisoned();
  EXPECT_EQ(server.serve(encoded(console::QuerySizeRequest{}), &reply), ProtocolStatus::kOk);
  EXPECT_EQ(server.queries, 1);
  console::QuerySizeReply size;
  ASSERT_EQ(decode(reply, &size), ProtocolStatus::kOk);
  EXPECT_EQ(size.rows, 25u);
  EXPECT_EQ(size.columns, 80u);
}

TEST(Dispatch, AReplyTheEncoderRefusesIsABadValue) {
  FakeConsole server;
  server.rows = 0;  // no screen has no rows
  WireMessage reply = poisoned();
  EXPECT_EQ(server.serve(encoded(console::QuerySizeRequest{}), &reply), ProtocolStatus::kOk);
  EXPECT_EQ(reply.words, 1u);
  EXPECT_EQ(reply.word[0], static_cast<uint64_t>(ProtocolStatus::kBadValue));
}

TEST(Dispatch, AMalformedRequestGetsTheDecodersAnswerWithoutTheHandler) {
  FakeConsole server;
  WireMessage reply = poisoned();
  EXPECT_EQ(server.serve(make_message(console::kClear, {1}), &reply), ProtocolStatus::kTooLong);
  EXPECT_EQ(reply.label, console::kClear);
  EXPECT_EQ(reply.words, 1u);
  EXPECT_EQ(reply.word[0], static_cast<uint64_t>(ProtocolStatus::kTooLong));
  EXPECT_EQ(server.clears, 0);
}

TEST(Dispatch, ALabelWithoutAHandlerIsUnknown) {
  FakeConsole server;
  for (uint32_t label : {uint32_t{console::kWrite}, uint32_t{memd::kAlloc}, 0u, ~0u}) {
    WireMessage reply = poisoned();
    EXPECT_EQ(server.serve(make_message(label, {}), &reply), ProtocolStatus::kUnknownLabel);
    EXPECT_EQ(reply.label, label);
    EXPECT_EQ(reply.words, 1u);
    EXPECT_EQ(reply.word[0], static_cast<uint64_t>(ProtocolStatus::kUnknownLabel));
  }
  EXPECT_EQ(server.clears + server.queries, 0);
}

}  // namespace
}  // namespace bm::ipc::testing
