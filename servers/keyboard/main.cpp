// keyboard: the PS/2 keyboard server. It owns only ports 0x60 and 0x64 and IRQ 1 (its manifest
// grants), brings the 8042 and the keyboard into a known state, decodes scan codes on an
// interrupt thread and answers the keyboard protocol (ipc/keyboard.h) on its service thread.
//
// Manifest args (comma-separated): `layout=us` or `layout=de` picks the layout; every other
// word is a name to register the endpoint under (default: "keyboard").
#include "ipc/keyboard.h"
#include "lib/containers/spsc_queue.h"
#include "servers/keyboard/decoder.h"
#include "servers/keyboard/i8042.h"
#include "servers/keyboard/keyboard_service.h"
#include "servers/keyboard/layout.h"
#include "servers/keyboard/wire_event.h"
#include "user/port_io.h"
#include "user/print.h"
#include "user/protocol_server.h"
#include "user/services.h"
#include "user/thread.h"

namespace {

using bm::ipc::WireMessage;
namespace protocol = bm::ipc::keyboard;

constexpr uint8_t kKeyboardIrq = 1;
constexpr uint64_t kIrqBit = 0;
constexpr uint64_t kEventsBit = 0;
constexpr size_t kMaxNames = 4;

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
// Interrupt thread -> service thread. 256 events is over eight seconds of typing at the
// fastest repeat rate. When it cannot take a whole read's worth, the interrupt thread stops
// reading the 8042 (see wait_for_room) instead of dropping events.
bm::SpscQueue<protocol::KeyEvent, 256> events;
// Layout changes go the other way: the service thread stores, the interrupt thread applies
// before decoding the next byte, so only the interrupt thread ever touches the decoder.
const bm::keyboard::Layout* requested_layout = nullptr;

user::Handle irq_handle = 0;
user::Handle irq_notification = 0;
user::Handle events_notification = 0;  // signalled when events were queued
user::Handle room_notification = 0;    // signalled when the service thread took an event
bool waiting_for_room = false;         // the interrupt thread waits on room_notification

constexpr size_t kRoomNeeded = bm::keyboard::Controller::kMaxBytesPerInterrupt;
constexpr uint64_t kRoomWaitTicks = 10;  // bounded, so a missed signal costs 10 ms at most

// Back-pressure: while the queue could not take one read's worth of events, the bytes stay in
// the 8042. Its full output buffer holds the keyboard back (the keyboard keeps keys in its own
// buffer meanwhile) and no IRQ is acknowledged, so a slow reader costs latency, never a key.
void wait_for_room() {
  while (events.capacity() - events.size() < kRoomNeeded) {
    __atomic_store_n(&waiting_for_room, true, __ATOMIC_SEQ_CST);
    if (events.capacity() - events.size() >= kRoomNeeded) break;  // taken meanwhile
    (void)user::notification_wait(room_notification, kRoomWaitTicks);
  }
  __atomic_store_n(&waiting_for_room, false, __ATOMIC_SEQ_CST);
}

void interrupt_thread(uint64_t /*argument*/) {
  for (;;) {
    const bm::keyboard::Layout* layout =
        __atomic_exchange_n(&requested_layout, nullptr, __ATOMIC_ACQUIRE);
    if (layout != nullptr) decoder->set_layout(*layout);
    wait_for_room();
    uint8_t bytes[bm::keyboard::Controller::kMaxBytesPerInterrupt];
    size_t count = controller.read_pending(bytes, sizeof(bytes));
    bool queued = false;
    for (size_t i = 0; i < count; ++i) {
      bm::keyboard::KeyEvent event;
      if (decoder->feed(bytes[i], &event)) queued |= events.push(bm::keyboard::wire_event(event));
    }
    if (decoder->leds_changed_and_clear()) (void)controller.set_leds(decoder->leds());
    if (queued) (void)user::notification_signal(events_notification, 1ull << kEventsBit);
    (void)user::irq_ack(irq_handle);
    (void)user::notification_wait(irq_notification, bm::abi::kWaitForever);
  }
}

// The next event, waiting for one if `blocking`; false (nothing waiting) otherwise.
// A blocking wait is bounded (bm::ipc::kBlockingReadWaitMs) so the loop answers heartbeats.
bool next_event(bool blocking, protocol::KeyEvent* out) {
  uint64_t wait_ticks =
      bm::ipc::kBlockingReadWaitMs * user::system_value(bm::abi::SystemInfo::kTimerHz) / 1000;
  while (!events.pop(out)) {
    if (!blocking) return false;
    auto woken = user::notification_wait(events_notification, wait_ticks == 0 ? 1 : wait_ticks);
    if (woken.error() == user::Status::kTimedOut) blocking = false;  // one last look, then no
  }
  if (__atomic_load_n(&waiting_for_room, __ATOMIC_SEQ_CST)) {
    (void)user::notification_signal(room_notification, 1);
  }
  return true;
}

// The service thread's view of the interrupt thread: its queue and its decoder.
class QueuedKeys final : public bm::keyboard::KeySource {
 public:
  bool next_event(bool blocking, protocol::KeyEvent* out) override {
    return ::next_event(blocking, out);
  }
  void request_layout(const bm::keyboard::Layout& layout) override {
    __atomic_store_n(&requested_layout, &layout, __ATOMIC_RELEASE);
  }
};

void serve_one(const WireMessage& request, uint64_t /*badge*/, WireMessage* reply) {
  QueuedKeys keys;
  bm::keyboard::serve_keyboard_request(keys, request, reply);
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
  events_notification = keep(user::notification_create());
  room_notification = keep(user::notification_create());
  user::Handle service = keep(user::endpoint_create());
  if (irq_notification == 0 || events_notification == 0 || room_notification == 0 || service == 0 ||
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
