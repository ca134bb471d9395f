// How a server answers one request with the codecs of ipc/: the handler whose parameter is the
// request type of the message's label is called with the decoded request, and what it returns
// is encoded as the reply. Every server's protocol handling is a dispatch(...) call.
#pragma once

#include "ipc/wire_codec.h"

namespace bm::ipc {

// The request type a handler takes: the parameter of its call operator (a lambda's).
template <typename>
struct HandlerParameter;
template <typename Handler, typename Result, typename Request>
struct HandlerParameter<Result (Handler::*)(const Request&) const> {
  using Type = Request;
};
template <typename Handler, typename Result, typename Request>
struct HandlerParameter<Result (Handler::*)(const Request&)> {
  using Type = Request;
};
template <typename Handler>
using HandledRequest = typename HandlerParameter<decltype(&Handler::operator())>::Type;

// Decodes `request` as a Request and answers it with handler(decoded): a ProtocolStatus
// becomes the status word alone, a reply struct goes through its encoder (a reply the encoder
// refuses, a bug in the handler, becomes kBadValue). A request that does not decode is
// answered with the decoder's status, which is returned: kOk when the handler ran.
template <typename Request, typename Handler>
constexpr ProtocolStatus answer(const WireMessage& request, WireMessage* reply, Handler& handler) {
  Request decoded;
  ProtocolStatus status = decode(request, &decoded);
  if (status != ProtocolStatus::kOk) {
    encode_status_reply(request.label, status, reply);
    return status;
  }
  auto answer = handler(static_cast<const Request&>(decoded));
  if constexpr (WireDescribed<decltype(answer)>) {
    if (!encode(answer, reply)) {
      encode_status_reply(request.label, ProtocolStatus::kBadValue, reply);
    }
  } else {
    encode_status_reply(request.label, answer, reply);
  }
  return ProtocolStatus::kOk;
}

// Answers `request` (always fills `reply`) with the handler for its label, each handler a
// callable taking one request struct: `[&](const console::ClearRequest&) { ... }`. Returns
// what answer() returns, or kUnknownLabel (also the reply) when no handler takes the label.
template <typename... Handlers>
constexpr ProtocolStatus dispatch(const WireMessage& request, WireMessage* reply,
                                  Handlers... handlers) {
  ProtocolStatus status = ProtocolStatus::kUnknownLabel;
  bool handled = ((request.label == HandledRequest<Handlers>::Wire::kSpec.label &&
                   (status = answer<HandledRequest<Handlers>>(request, reply, handlers), true)) ||
                  ...);
  if (!handled) encode_status_reply(request.label, ProtocolStatus::kUnknownLabel, reply);
  return status;
}

}  // namespace bm::ipc
