// 8042 controller and keyboard bring-up, run-time reads and LED updates (see i8042.h).
#include "servers/keyboard/i8042.h"

namespace bm::keyboard {

bool Controller::wait_until_writable() {
  for (uint32_t pause = 0; pause <= kPauseLimit; ++pause) {
    for (uint32_t poll = 0; poll < kPollsPerPause; ++poll) {
      if ((bus_->read(kCommandPort) & kStatusInputFull) == 0) return true;
    }
    bus_->pause();
  }
  return false;
}

bool Controller::wait_for_byte(uint8_t* out) {
  for (uint32_t pause = 0; pause <= kPauseLimit; ++pause) {
    for (uint32_t poll = 0; poll < kPollsPerPause; ++poll) {
      if ((bus_->read(kCommandPort) & kStatusOutputFull) != 0) {
        *out = bus_->read(kDataPort);
        return true;
      }
    }
    bus_->pause();
  }
  return false;
}

bool Controller::controller_command(uint8_t command) {
  if (!wait_until_writable()) return false;
  bus_->write(kCommandPort, command);
  return true;
}

bool Controller::controller_query(uint8_t command, uint8_t* answer) {
  return controller_command(command) && wait_for_byte(answer);
}

bool Controller::write_config(uint8_t config) {
  if (!controller_command(kCmdWriteConfig) || !wait_until_writable()) return false;
  bus_->write(kDataPort, config);
  return true;
}

bool Controller::keyboard_command(uint8_t byte) {
  for (uint32_t attempt = 0; attempt < kCommandRetries; ++attempt) {
    if (!wait_until_writable()) return false;
    bus_->write(kDataPort, byte);
    uint8_t answer = 0;
    // Anything but ACK or RESEND (a key pressed during bring-up) is skipped.
    for (uint32_t skipped = 0; skipped < kMaxFlush; ++skipped) {
      if (!wait_for_byte(&answer)) return false;
      if (answer == kKbdAck) return true;
      if (answer == kKbdResend) break;
    }
    if (answer != kKbdResend) return false;
  }
  return false;
}

Result<ControllerReport> Controller::fail(const char* step) {
  failed_step_ = step;
  return Error::kNoDevice;
}

Result<ControllerReport> Controller::init() {
  ControllerReport report;
  failed_step_ = nullptr;
  // Both ports off first, so no device writes into the output buffer while we set up.
  if (!controller_command(kCmdDisablePort1) || !controller_command(kCmdDisablePort2)) {
    return fail("disable ports");
  }
  while (report.flushed_bytes < kMaxFlush && (bus_->read(kCommandPort) & kStatusOutputFull)) {
    (void)bus_->read(kDataPort);
    ++report.flushed_bytes;
  }
  if (bus_->read(kCommandPort) & kStatusOutputFull) return fail("flush output buffer");

  uint8_t config = 0;
  if (!controller_query(kCmdReadConfig, &config)) return fail("read configuration");
  report.config_before = config;
  uint8_t quiet = static_cast<uint8_t>(
      config & ~(kConfigPort1Interrupt | kConfigPort2Interrupt | kConfigTranslation));
  if (!write_config(quiet)) return fail("write configuration");

  uint8_t answer = 0;
  if (!controller_query(kCmdSelfTest, &answer) || answer != kSelfTestPassed) {
    return fail("controller self-test");
  }
  // The self-test may reset the controller on some chipsets: program the byte again.
  if (!write_config(quiet)) return fail("write configuration");
  if (!controller_query(kCmdTestPort1, &answer) || answer != kPortTestPassed) {
    return fail("port 1 test");
  }
  if (!controller_command(kCmdEnablePort1)) return fail("enable port 1");

  if (!keyboard_command(kKbdReset)) return fail("keyboard reset");
  if (!wait_for_byte(&answer) || answer != kKbdSelfTestPassed) {
    return fail("keyboard self-test");
  }
  // Scanning stays off until everything else is set, so no key lands mid-command.
  if (!keyboard_command(kKbdDisableScanning)) return fail("disable scanning");
  if (!keyboard_command(kKbdScanCodeSet) || !keyboard_command(kScanCodeSet2)) {
    return fail("scan code set");
  }
  if (!keyboard_command(kKbdTypematic) || !keyboard_command(kTypematic500ms30cps)) {
    return fail("typematic rate");
  }
  if (!keyboard_command(kKbdSetLeds) || !keyboard_command(0)) return fail("LEDs");
  if (!keyboard_command(kKbdEnableScanning)) return fail("enable scanning");

  uint8_t running = static_cast<uint8_t>((quiet & ~kConfigPort1ClockOff) | kConfigPort2ClockOff |
                                         kConfigPort1Interrupt | kConfigTranslation);
  if (!write_config(running)) return fail("write configuration");
  report.config_after = running;
  return report;
}

size_t Controller::read_pending(uint8_t* out, size_t capacity) {
  size_t count = 0;
  for (uint32_t round = 0; round < kMaxBytesPerInterrupt && count < capacity; ++round) {
    uint8_t status = bus_->read(kCommandPort);
    if ((status & kStatusOutputFull) == 0) break;
    uint8_t byte = bus_->read(kDataPort);
    if ((status & kStatusAuxData) != 0) continue;  // port 2 is off; drop anything from it
    if (led_exchange(byte)) continue;
    out[count++] = byte;
  }
  return count;
}

bool Controller::send_to_keyboard(uint8_t byte) {
  if (!wait_until_writable()) return false;
  bus_->write(kDataPort, byte);
  return true;
}

bool Controller::set_leds(uint8_t leds) {
  led_bits_ = leds;
  if (led_state_ != LedState::kIdle) return true;  // the running exchange sends the new bits
  led_resends_ = 0;
  led_state_ = LedState::kAwaitCommandAck;
  if (send_to_keyboard(kKbdSetLeds)) return true;
  led_state_ = LedState::kIdle;
  return false;
}

bool Controller::led_exchange(uint8_t byte) {
  if (led_state_ == LedState::kIdle || (byte != kKbdAck && byte != kKbdResend)) return false;
  if (byte == kKbdResend) {
    // Give up after a few resends rather than loop with a keyboard that never accepts.
    if (++led_resends_ > kCommandRetries) {
      led_state_ = LedState::kIdle;
      return true;
    }
    uint8_t again = led_state_ == LedState::kAwaitCommandAck ? kKbdSetLeds : led_sent_;
    if (!send_to_keyboard(again)) led_state_ = LedState::kIdle;
    return true;
  }
  if (led_state_ == LedState::kAwaitCommandAck) {
    led_sent_ = led_bits_;
    led_state_ = send_to_keyboard(led_sent_) ? LedState::kAwaitDataAck : LedState::kIdle;
  } else {
    led_state_ = LedState::kIdle;
    // A lock key changed while the old bits were on their way: send the new ones.
    if (led_bits_ != led_sent_) (void)set_leds(led_bits_);
  }
  return true;
}

}  // namespace bm::keyboard
