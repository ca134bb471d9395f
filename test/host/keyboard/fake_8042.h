// A fake 8042 controller with a keyboard on port 1, for host tests of Controller: it keeps a
// configuration byte, answers controller and keyboard commands as the real pair does, and can
// be told to fail a step. Everything written to the keyboard is recorded.
#pragma once

#include <cstdint>
#include <deque>
#include <vector>

#include "servers/keyboard/i8042.h"

namespace bm::keyboard::testing {

class Fake8042 : public Ps2Bus {
 public:
  // Behaviour switches.
  bool self_test_passes = true;
  bool keyboard_present = true;
  bool input_buffer_stuck = false;  // the controller never takes a byte
  int resends_before_ack = 0;       // the keyboard answers RESEND this many times first

  // State a test inspects.
  uint8_t config = 0x47;  // what a BIOS typically leaves: IRQ 1, system flag, translation
  bool port1_enabled = true;
  bool port2_enabled = true;
  bool scanning = true;
  uint8_t scan_code_set = 2;
  uint8_t typematic = 0;
  uint8_t leds = 0xff;
  std::vector<uint8_t> keyboard_bytes;  // every byte written to the keyboard
  int pauses = 0;
  std::vector<uint8_t> configs_written;

  // Bytes waiting in the output buffer; `aux` marks bytes from port 2.
  struct Byte {
    uint8_t value;
    bool aux;
  };
  std::deque<Byte> output;

  void device_sends(uint8_t value) { output.push_back({value, false}); }
  void mouse_sends(uint8_t value) { output.push_back({value, true}); }

  uint8_t read(uint16_t port) override {
    if (port == kCommandPort) {
      uint8_t status = input_buffer_stuck ? kStatusInputFull : 0;
      if (!output.empty()) {
        status |= kStatusOutputFull;
        if (output.front().aux) status |= kStatusAuxData;
      }
      return status;
    }
    if (output.empty()) return 0;
    uint8_t value = output.front().value;
    output.pop_front();
    return value;
  }

  void write(uint16_t port, uint8_t value) override {
    if (input_buffer_stuck) return;
    if (port == kCommandPort) {
      controller_command(value);
    } else if (expect_config_) {
      expect_config_ = false;
      config = value;
      configs_written.push_back(value);
    } else {
      keyboard_byte(value);
    }
  }

  void pause() override { ++pauses; }

 private:
  void controller_command(uint8_t command) {
    switch (command) {
      case kCmdReadConfig: device_sends(config); break;
      case kCmdWriteConfig: expect_config_ = true; break;
      case kCmdDisablePort1: port1_enabled = false; break;
      case kCmdDisablePort2: port2_enabled = false; break;
      case kCmdEnablePort1: port1_enabled = true; break;
      case kCmdSelfTest:
        device_sends(self_test_passes ? kSelfTestPassed : 0xfc);
        config = 0x47;  // some controllers reset on self-test
        break;
      case kCmdTestPort1: device_sends(kPortTestPassed); break;
      default: break;
    }
  }

  void keyboard_byte(uint8_t value) {
    keyboard_bytes.push_back(value);
    if (!keyboard_present || !port1_enabled) return;
    if (resends_left_ > 0 || (resends_before_ack > 0 && !resent_)) {
      if (!resent_) {
        resent_ = true;
        resends_left_ = resends_before_ack;
      }
      --resends_left_;
      device_sends(kKbdResend);
      return;
    }
    resent_ = false;
    if (pending_argument_ != 0) {
      uint8_t command = pending_argument_;
      pending_argument_ = 0;
      if (command == kKbdScanCodeSet) scan_code_set = value;
      if (command == kKbdTypematic) typematic = value;
      if (command == kKbdSetLeds) leds = value;
      device_sends(kKbdAck);
      return;
    }
    switch (value) {
      case kKbdReset:
        device_sends(kKbdAck);
        device_sends(kKbdSelfTestPassed);
        scanning = true;
        break;
      case kKbdEnableScanning: scanning = true; device_sends(kKbdAck); break;
      case kKbdDisableScanning: scanning = false; device_sends(kKbdAck); break;
      case kKbdScanCodeSet:
      case kKbdTypematic:
      case kKbdSetLeds:
        pending_argument_ = value;
        device_sends(kKbdAck);
        break;
      default: device_sends(kKbdResend); break;
    }
  }

  bool expect_config_ = false;
  uint8_t pending_argument_ = 0;
  bool resent_ = false;
  int resends_left_ = 0;
};

}  // namespace bm::keyboard::testing
