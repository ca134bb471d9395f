// An in-process IPC transport for protocol tests: a call travels as it does through the
// kernel (words 0-3 in registers, the rest from the caller's IPC buffer into the receiver's)
// to a server function, and the reply comes back the same way.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>

#include "ipc/protocol.h"
#include "test/host/protocols/wire_test_support.h"

namespace bm::ipc::testing {

class InProcessEndpoint {
 public:
  using Server = std::function<void(const WireMessage& request, WireMessage* reply)>;

  explicit InProcessEndpoint(Server server)
      : server_(std::move(server)),
        client_buffer_(std::make_unique<abi::IpcBuffer>()),
        server_buffer_(std::make_unique<abi::IpcBuffer>()),
        request_(std::make_unique<WireMessage>()),
        reply_(std::make_unique<WireMessage>()) {}

  // False, and the server not run, for a message the kernel would refuse (over 512 words).
  bool call(const WireMessage& request, WireMessage* reply) {
    if (!transfer(request, client_buffer_.get(), server_buffer_.get(), request_.get())) {
      return false;
    }
    poison(reply_.get());
    server_(*request_, reply_.get());
    ++calls_;
    return transfer(*reply_, server_buffer_.get(), client_buffer_.get(), reply);
  }

  int calls() const { return calls_; }

 private:
  // The sender's store, the kernel's copy of the buffer words the tag counts, the
  // receiver's load. The receiving buffer is poisoned first: nothing else gets through.
  static bool transfer(const WireMessage& message, abi::IpcBuffer* from, abi::IpcBuffer* to,
                       WireMessage* out) {
    uint64_t registers[abi::kRegisterWords];
    if (!store_wire(message, registers, from)) return false;
    for (uint64_t& word : to->words) word = kPoison;
    for (uint32_t i = abi::kRegisterWords; i < message.words; ++i) {
      to->words[i - abi::kRegisterWords] = from->words[i - abi::kRegisterWords];
    }
    poison(out);
    return load_wire(message.label, message.words, registers, to, out);
  }

  Server server_;
  std::unique_ptr<abi::IpcBuffer> client_buffer_;
  std::unique_ptr<abi::IpcBuffer> server_buffer_;
  std::unique_ptr<WireMessage> request_;
  std::unique_ptr<WireMessage> reply_;
  int calls_ = 0;
};

// The client side: typed calls, and raw ones for malformed requests. The last reply is
// kept, since a decoded reply may point into it (serial read bytes).
class Client {
 public:
  explicit Client(InProcessEndpoint* endpoint)
      : endpoint_(endpoint), reply_(std::make_unique<WireMessage>()) {}

  // The server's status; a reply that does not decode fails the test.
  template <typename Request, typename Reply>
  ProtocolStatus call(const Request& request, Reply* reply) {
    WireMessage message = poisoned();
    if (!encode(request, &message)) {
      ADD_FAILURE() << "request refused by its encoder";
      return ProtocolStatus::kBadValue;
    }
    if (!endpoint_->call(message, reply_.get())) {
      ADD_FAILURE() << "transport refused the request";
      return ProtocolStatus::kTooLong;
    }
    Reply decoded{};
    ProtocolStatus shape = decode(*reply_, &decoded);
    EXPECT_EQ(shape, ProtocolStatus::kOk) << "malformed reply to label " << message.label;
    if (shape != ProtocolStatus::kOk) return shape;
    *reply = decoded;
    return decoded.status;
  }

  // Sends a message the server must refuse: the answer has to be the status word alone,
  // under the same label.
  ProtocolStatus call_raw(const WireMessage& request) {
    EXPECT_TRUE(endpoint_->call(request, reply_.get()));
    EXPECT_EQ(reply_->label, request.label);
    EXPECT_EQ(reply_->words, 1u);
    EXPECT_TRUE(is_protocol_status(reply_->word[0]));
    return static_cast<ProtocolStatus>(reply_->word[0]);
  }

 private:
  InProcessEndpoint* endpoint_;
  std::unique_ptr<WireMessage> reply_;
};

}  // namespace bm::ipc::testing
