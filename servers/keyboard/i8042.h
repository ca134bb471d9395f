// The 8042 PS/2 controller and the keyboard behind its first port: bringing both into a known
// state, reading what the keyboard sends, and setting its LEDs. All hardware access goes
// through Ps2Bus, so the same code runs on ports 0x60/0x64 in the server and on a fake in host
// tests. Commands and bits: OSDev "8042 PS/2 Controller" and "PS/2 Keyboard" (they follow the
// IBM PS/2 Technical Reference, keyboard/auxiliary device controller chapter).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/core/pc_layout.h"
#include "lib/core/result.h"

namespace bm::keyboard {

inline constexpr uint16_t kDataPort = pc::k8042DataPort;        // read: output buffer; write: to the device
inline constexpr uint16_t kCommandPort = pc::k8042CommandPort;  // read: status; write: controller command

// Status register bits.
inline constexpr uint8_t kStatusOutputFull = 1u << 0;  // a byte waits in 0x60
inline constexpr uint8_t kStatusInputFull = 1u << 1;   // the controller has not taken our byte
inline constexpr uint8_t kStatusAuxData = 1u << 5;     // the waiting byte is from port 2
inline constexpr uint8_t kStatusTimeout = 1u << 6;
inline constexpr uint8_t kStatusParity = 1u << 7;

// Controller commands (written to 0x64).
inline constexpr uint8_t kCmdReadConfig = 0x20;
inline constexpr uint8_t kCmdWriteConfig = 0x60;
inline constexpr uint8_t kCmdDisablePort2 = 0xa7;
inline constexpr uint8_t kCmdSelfTest = 0xaa;   // answers 0x55
inline constexpr uint8_t kCmdTestPort1 = 0xab;  // answers 0x00
inline constexpr uint8_t kCmdDisablePort1 = 0xad;
inline constexpr uint8_t kCmdEnablePort1 = 0xae;
inline constexpr uint8_t kSelfTestPassed = 0x55;
inline constexpr uint8_t kPortTestPassed = 0x00;

// Configuration byte bits.
inline constexpr uint8_t kConfigPort1Interrupt = 1u << 0;
inline constexpr uint8_t kConfigPort2Interrupt = 1u << 1;
inline constexpr uint8_t kConfigPort1ClockOff = 1u << 4;
inline constexpr uint8_t kConfigPort2ClockOff = 1u << 5;
inline constexpr uint8_t kConfigTranslation = 1u << 6;  // set 2 from the keyboard -> set 1

// Keyboard commands (written to 0x60) and its answers.
inline constexpr uint8_t kKbdSetLeds = 0xed;
inline constexpr uint8_t kKbdScanCodeSet = 0xf0;
inline constexpr uint8_t kKbdTypematic = 0xf3;
inline constexpr uint8_t kKbdEnableScanning = 0xf4;
inline constexpr uint8_t kKbdDisableScanning = 0xf5;
inline constexpr uint8_t kKbdReset = 0xff;
inline constexpr uint8_t kKbdAck = 0xfa;
inline constexpr uint8_t kKbdResend = 0xfe;
inline constexpr uint8_t kKbdSelfTestPassed = 0xaa;

// The keyboard runs scan code set 2 and the controller translates it to set 1, which is what
// every PC keyboard and controller support; Decoder reads set 1.
inline constexpr uint8_t kScanCodeSet2 = 0x02;
// Typematic byte: 500 ms before repeating (bits 5-6 = 01), then 30 characters/s (bits 0-4 = 0).
inline constexpr uint8_t kTypematic500ms30cps = 0x20;

class Ps2Bus {
 public:
  virtual uint8_t read(uint16_t port) = 0;
  virtual void write(uint16_t port, uint8_t value) = 0;
  // Lets some time pass (the server sleeps a tick) while the hardware is slow to answer,
  // such as a keyboard's reset self-test, which may take hundreds of milliseconds.
  virtual void pause() = 0;

 protected:
  ~Ps2Bus() = default;
};

// What init() found, for the server's log line.
struct ControllerReport {
  uint8_t config_before = 0;   // configuration byte as the firmware left it
  uint8_t config_after = 0;    // as init() left it
  uint32_t flushed_bytes = 0;  // stale bytes read out before starting
};

class Controller {
 public:
  // Status polls between two pauses, and pauses before a wait gives up. Each poll is a port
  // read (about a microsecond on real hardware), so a wait lasts at least kPauseLimit ticks.
  static constexpr uint32_t kPollsPerPause = 1000;
  static constexpr uint32_t kPauseLimit = 100;
  static constexpr uint32_t kMaxFlush = 64;       // stale bytes drained before giving up
  static constexpr uint32_t kCommandRetries = 3;  // keyboard answered "resend"
  static constexpr uint32_t kMaxBytesPerInterrupt = 16;

  explicit Controller(Ps2Bus* bus) : bus_(bus) {}

  // Brings controller and keyboard into a known state, whatever the firmware did: both ports
  // off, stale bytes flushed, interrupts and translation off while testing, controller
  // self-test, port 1 test, port 1 on, keyboard reset, scan code set 2, typematic rate, LEDs
  // off, scanning on, then the port 1 interrupt and translation on and port 2 left off.
  // kNoDevice names no step; the report says how far it got in failed_step().
  Result<ControllerReport> init();
  // The step init() failed at ("self-test", "keyboard reset", ...), or null.
  const char* failed_step() const { return failed_step_; }

  // The interrupt handler's body: moves up to kMaxBytesPerInterrupt bytes from port 1 into
  // `out` (bytes from port 2 are read and dropped). Returns the count. The keyboard's answers
  // to a set_leds in progress are taken out of the stream here and drive that exchange on.
  size_t read_pending(uint8_t* out, size_t capacity);

  // Starts setting the LEDs: sends 0xED. The LED byte follows when the keyboard acknowledges
  // (read_pending sees the ACK), since the keyboard may not take it earlier. A call while an
  // exchange is running only updates the bits it will send. False if the controller is stuck.
  bool set_leds(uint8_t leds);
  bool leds_in_progress() const { return led_state_ != LedState::kIdle; }

 private:
  bool wait_until_writable();
  bool wait_for_byte(uint8_t* out);
  bool controller_command(uint8_t command);
  bool controller_query(uint8_t command, uint8_t* answer);
  bool write_config(uint8_t config);
  bool keyboard_command(uint8_t byte);  // sends and waits for ACK, retrying on RESEND
  Result<ControllerReport> fail(const char* step);

  enum class LedState : uint8_t { kIdle, kAwaitCommandAck, kAwaitDataAck };
  // True if `byte` was the keyboard's answer in a running LED exchange (and is consumed).
  bool led_exchange(uint8_t byte);
  bool send_to_keyboard(uint8_t byte);

  Ps2Bus* bus_;
  const char* failed_step_ = nullptr;
  LedState led_state_ = LedState::kIdle;
  uint8_t led_bits_ = 0;  // the LEDs wanted
  uint8_t led_sent_ = 0;  // the LED byte of the running exchange
  uint32_t led_resends_ = 0;
};

}  // namespace bm::keyboard
