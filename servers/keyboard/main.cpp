// keyboard: the PS/2 keyboard server. It owns only ports 0x60 and 0x64 and IRQ 1 (its manifest
// grants), brings the 8042 and the keyboard into a known state, decodes scan codes on an
// interrupt thread and answers the keyboard protocol (ipc/keyboard.h) on its service thread.
// A blocking read with no key queued is kept in a reply object (user::ReplyPool), and the
// interrupt thread answers it with the next key itself: the key goes from the IRQ straight
// to the reader, and a waiting reader holds no thread of this server.
//
// Manifest args (comma-separated): `layout=us` or `layout=de` picks the layout; every other
// word is a name to register the endpoint under (default: "keyboard").
#include "ipc/keyboard.h"
#include "lib/containers/ring_buffer.h"
#include "servers/keyboard/decoder.h"
#include "servers/keyboard/i8042.h"
#include "servers/keyboard/keyboard_service.h"
#include "servers/keyboard/layout.h"
#include "servers/keyboard/wire_event.h"
#include "user/port_io.h"
#include "user/print.h"
#include "user/protocol_server.h"
#include "user/reply_pool.h"
#include "user/services.h"
#include "user/thread.h"
#include "user/yield_lock.h"

namespace {

using bm::ipc::WireMessage;
namespace protocol = bm::ipc::keyboard;

constexpr uint8_t kKeyboardIrq = 1;
constexpr uint64_t kIrqBit = 0;
constexpr size_t kMaxNames = 4;
// Readers waiting at once (one per keyboard reader of each client is the usual load); one
// more gets kBusy and asks again a little later.
constexpr size_t kMaxWaitingReads = 16;

// Ports through in/out; while the hardware is slow, sleep a tick instead of spinning.
class PortBus final : public bm::keyboard::Ps2Bus {
 public:
  uint8_t read(uint16_t port) override { return user::in8(port); }
  void write(uint16_t port, uint8_t value) override { user::out8(port, value); }
  void pause() override { (void)user::sleep(1); }
};

PortBus bus;
bm::keyboard::Controller controller(&bus);
bm::keyboard::Decoder* decoder = nullptr;  // made in main, with the layout from the args

// A blocking read kept for the next key: its reply object and what it waits for.
struct KeptRead {
  user::Handle reply = 0;
  bm::keyboard::WaitingRead read;
};

// Shared by the two threads, under `lock`: the events no reader has taken yet, the reads
// waiting for one (at most one of the two is non-empty) and the reply objects they wait in.
// 256 events is over eight seconds of typing at the fastest repeat rate; when it cannot take
// a whole read's worth, the interrupt thread stops reading the 8042 (see wait_for_room)
// instead of dropping events.
user::YieldLock lock;
bm::RingBuffer<protocol::KeyEvent, 256> events;
bm::RingBuffer<KeptRead, kMaxWaitingReads> waiting_reads;
user::ReplyPool<kMaxWaitingReads> replies;
// Layout changes go the other way: the service thread stores, the interrupt thread applies
// before decoding the next byte, so only the interrupt thread ever touches the decoder.
const bm::keyboard::Layout* requested_layout = nullptr;

user::Handle irq_handle = 0;
user::Handle irq_notification = 0;
user::Handle room_notification = 0;  // signalled when the service thread took an event
bool waiting_for_room = false;       // the interrupt thread waits on room_notification

constexpr size_t kRoomNeeded = bm::keyboard::Controller::kMaxBytesPerInterrupt;
constexpr uint64_t kRoomWaitTicks = 10;  // bounded, so a missed signal costs 10 ms at most

size_t free_room() {
  user::LockGuard guard(lock);
  return events.capacity() - events.size();
}

// Back-pressure: while the queue could not take one read's worth of events, the bytes stay in
// the 8042. Its full output buffer holds the keyboard back (the keyboard keeps keys in its own
// buffer meanwhile) and no IRQ is acknowledged, so a slow reader costs latency, never a key.
void wait_for_room() {
  while (free_room() < kRoomNeeded) {
    __atomic_store_n(&waiting_for_room, true, __ATOMIC_SEQ_CST);
    if (free_room() >= kRoomNeeded) break;  // taken meanwhile
    (void)user::notification_wait(room_notification, kRoomWaitTicks);
  }
  __atomic_store_n(&waiting_for_room, false, __ATOMIC_SEQ_CST);
}

// Hands queued events to waiting reads, oldest first, under `lock`. A reader that died while
// it waited (kPeerGone) is passed over and the event goes to the next one.
void answer_waiting_reads() {
  WireMessage reply;
  protocol::KeyEvent event;
  while (!waiting_reads.empty() && events.peek(&event)) {
    KeptRead kept;
    (void)waiting_reads.peek(&kept);
    if (!bm::keyboard::answer_waiting_read(kept.read, event, &reply)) {
      (void)events.pop(&event);  // a read_char lets it go by
      continue;
    }
    (void)waiting_reads.pop(&kept);
    user::Status answered = user::answer_later(kept.reply, reply);
    replies.give_back(kept.reply, answered);
    if (answered == user::Status::kOk) (void)events.pop(&event);
  }
}

void interrupt_thread(uint64_t /*argument*/) {
  for (;;) {
    const bm::keyboard::Layout* layout =
        __atomic_exchange_n(&requested_layout, nullptr, __ATOMIC_ACQUIRE);
    if (layout != nullptr) decoder->set_layout(*layout);
    wait_for_room();
    uint8_t bytes[bm::keyboard::Controller::kMaxBytesPerInterrupt];
    size_t count = controller.read_pending(bytes, sizeof(bytes));
    {
      user::LockGuard guard(lock);
      for (size_t i = 0; i < count; ++i) {
        bm::keyboard::KeyEvent event;
        if (decoder->feed(bytes[i], &event)) (void)events.push(bm::keyboard::wire_event(event));
      }
      answer_waiting_reads();
    }
    if (decoder->leds_changed_and_clear()) (void)controller.set_leds(decoder->leds());
    (void)user::irq_ack(irq_handle);
    (void)user::notification_wait(irq_notification, bm::abi::kWaitForever);
  }
}

// The service thread's view of the interrupt thread: its queue (the caller holds `lock`) and
// its decoder.
class QueuedKeys final : public bm::keyboard::KeySource {
 public:
  bool next_event(protocol::KeyEvent* out) override {
    if (!events.pop(out)) return false;
    if (__atomic_load_n(&waiting_for_room, __ATOMIC_SEQ_CST)) {
      (void)user::notification_signal(room_notification, 1);
    }
    return true;
  }
  void request_layout(const bm::keyboard::Layout& layout) override {
    __atomic_store_n(&requested_layout, &layout, __ATOMIC_RELEASE);
  }
};

// Answers a request, or keeps a blocking read that found no key for the interrupt thread.
user::Handled serve_one(const WireMessage& request, uint64_t /*badge*/, WireMessage* reply) {
  QueuedKeys keys;
  bm::keyboard::WaitingRead wait;
  user::LockGuard guard(lock);
  if (bm::keyboard::serve_keyboard_request(keys, request, reply, &wait) ==
      bm::keyboard::Outcome::kAnswered) {
    return user::Handled::kAnswered;
  }
  user::Handle kept = replies.keep_call();
  if (kept == 0) {  // every reply object holds a read already
    bm::ipc::encode_status_reply(request.label, bm::ipc::ProtocolStatus::kBusy, reply);
    return user::Handled::kAnswered;
  }
  (void)waiting_reads.push({kept, wait});
  return user::Handled::kDeferred;
}

// Fetches this server's grants: both ports and the IRQ line.
bool take_grants(user::Handle bootstrap) {
  bool data_port = false;
  bool command_port = false;
  for (uint64_t index = 0;; ++index) {
    user::Grant grant;
    if (user::get_grant(bootstrap, index, &grant) != user::ProtocolStatus::kOk) break;
    if (grant.kind == bm::ipc::GrantKind::kIoPorts) {
      uint64_t end = grant.detail + grant.count;
      data_port |= grant.detail <= bm::keyboard::kDataPort && bm::keyboard::kDataPort < end;
      command_port |=
          grant.detail <= bm::keyboard::kCommandPort && bm::keyboard::kCommandPort < end;
    } else if (grant.kind == bm::ipc::GrantKind::kIrq && grant.detail == kKeyboardIrq) {
      irq_handle = grant.handle;
    }
  }
  return data_port && command_port && irq_handle != 0;
}

// The names point into the argument text, which main keeps for good.
struct Arguments {
  const bm::keyboard::Layout* layout = &bm::keyboard::layout_us();
  struct Name {
    const char* text;
    size_t length;
  } names[kMaxNames] = {};
  size_t name_count = 0;
  bool valid = true;
};

Arguments parse_arguments(const char* text) {
  Arguments out;
  user::for_each_argument(text, [&out](const char* word, size_t length) {
    size_t value_length = 0;
    if (const char* value = user::argument_value(word, length, "layout=", &value_length)) {
      char name[8];
      out.layout = user::copy_argument(value, value_length, name, sizeof(name))
                       ? bm::keyboard::find_layout(name)
                       : nullptr;
      if (out.layout == nullptr) out.valid = false;
    } else if (out.name_count < kMaxNames) {
      out.names[out.name_count++] = {word, length};
    } else {
      out.valid = false;
    }
  });
  if (out.name_count == 0) out.names[out.name_count++] = {"keyboard", 8};
  return out;
}

// The handle a creation call made, kept for the life of the server; 0 if it failed.
user::Handle keep(user::SysResult<user::OwnedHandle> created) {
  return created.ok() ? created->release() : 0;
}

}  // namespace

int main(uint64_t bootstrap_argument) {
  auto bootstrap = static_cast<user::Handle>(bootstrap_argument);
  char argument_text[bm::ipc::kMaxArgumentsLength + 1] = {};
  (void)user::get_arguments(bootstrap, argument_text, sizeof(argument_text));
  Arguments arguments = parse_arguments(argument_text);
  if (!arguments.valid) {
    user::printf("keyboard: bad args \"%s\" (want layout=us|de and up to %zu names)\n",
                 argument_text, kMaxNames);
    return 1;
  }
  if (!take_grants(bootstrap)) {
    user::printf("keyboard: missing grants (ports 0x60 and 0x64, irq 1)\n");
    return 1;
  }
  static bm::keyboard::Decoder the_decoder(*arguments.layout);
  decoder = &the_decoder;

  auto report = controller.init();
  if (!report.ok()) {
    user::printf("keyboard: 8042 or keyboard not working (step: %s)\n", controller.failed_step());
    return 1;
  }
  irq_notification = keep(user::notification_create());
  room_notification = keep(user::notification_create());
  user::Handle service = keep(user::endpoint_create());
  if (!replies.create()) {
    user::printf("keyboard: cannot make its reply objects\n");
    return 1;
  }
  if (irq_notification == 0 || room_notification == 0 || service == 0 ||
      !user::irq_bind(irq_handle, irq_notification, kIrqBit).ok()) {
    user::printf("keyboard: cannot set up IRQ 1\n");
    return 1;
  }
  // Same priority for both threads: the kernel lets no thread create one above its own.
  uint32_t priority = user::current_priority();
  if (user::start_thread(interrupt_thread, 0, priority) != user::Status::kOk) {
    user::printf("keyboard: cannot start the interrupt thread\n");
    return 1;
  }
  for (size_t i = 0; i < arguments.name_count; ++i) {
    const Arguments::Name& name = arguments.names[i];
    if (user::register_service(bootstrap, name.text, name.length, service) !=
        user::ProtocolStatus::kOk) {
      user::printf("keyboard: cannot register \"%.*s\"\n", static_cast<int>(name.length),
                   name.text);
      return 1;
    }
  }
  user::printf("keyboard: 8042 ready (config %#x -> %#x), layout %s\n", report->config_before,
               report->config_after, arguments.layout->name);
  user::serve_protocol(service, serve_one);
}
