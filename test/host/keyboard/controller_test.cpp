// Host tests for the 8042 bring-up and run-time path (Controller) against Fake8042: the known
// state it leaves whatever the firmware did, each failing step reported and bounded, resend
// handling, run-time reads that drop port-2 bytes, and the LED exchange.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "servers/keyboard/i8042.h"
#include "test/host/keyboard/fake_8042.h"

namespace bm::keyboard {
namespace {

using testing::Fake8042;

TEST(Controller, InitLeavesAKnownStateWhateverTheFirmwareDid) {
  Fake8042 bus;
  bus.config = 0x47;  // IRQ 1 on, translation on: a key arriving now would fire
  bus.device_sends(0x1e);  // a stale scan code
  bus.mouse_sends(0x08);
  bus.scan_code_set = 1;
  Controller controller(&bus);
  Result<ControllerReport> report = controller.init();
  ASSERT_TRUE(report.ok()) << controller.failed_step();
  EXPECT_EQ(controller.failed_step(), nullptr);
  EXPECT_EQ(report->config_before, 0x47);
  EXPECT_EQ(report->flushed_bytes, 2u);
  EXPECT_EQ(bus.config, report->config_after);
  EXPECT_TRUE(bus.config & kConfigPort1Interrupt);
  EXPECT_TRUE(bus.config & kConfigTranslation);
  EXPECT_FALSE(bus.config & kConfigPort2Interrupt);
  EXPECT_TRUE(bus.config & kConfigPort2ClockOff);
  EXPECT_FALSE(bus.config & kConfigPort1ClockOff);
  EXPECT_TRUE(bus.port1_enabled);
  EXPECT_FALSE(bus.port2_enabled);
  EXPECT_EQ(bus.scan_code_set, kScanCodeSet2);
  EXPECT_EQ(bus.typematic, kTypematic500ms30cps);
  EXPECT_EQ(bus.leds, 0);
  EXPECT_TRUE(bus.scanning);
  EXPECT_TRUE(bus.output.empty());  // every answer was consumed
  // Reset first, and scanning enabled only after everything else.
  ASSERT_FALSE(bus.keyboard_bytes.empty());
  EXPECT_EQ(bus.keyboard_bytes.front(), kKbdReset);
  EXPECT_EQ(bus.keyboard_bytes.back(), kKbdEnableScanning);
}

TEST(Controller, InterruptsStayOffWhileTesting) {
  // The configuration written before the self-test has no interrupt and no translation bit.
  Fake8042 bus;
  bus.self_test_passes = false;
  Controller controller(&bus);
  EXPECT_EQ(controller.init().error(), Error::kNoDevice);
  EXPECT_STREQ(controller.failed_step(), "controller self-test");
  ASSERT_EQ(bus.configs_written.size(), 1u);
  EXPECT_FALSE(bus.configs_written[0] &
               (kConfigPort1Interrupt | kConfigPort2Interrupt | kConfigTranslation));
}

TEST(Controller, MissingKeyboardFailsAfterABoundedWait) {
  Fake8042 bus;
  bus.keyboard_present = false;
  Controller controller(&bus);
  EXPECT_EQ(controller.init().error(), Error::kNoDevice);
  EXPECT_STREQ(controller.failed_step(), "keyboard reset");
  EXPECT_GT(bus.pauses, 0);
  EXPECT_LE(bus.pauses, static_cast<int>(Controller::kPauseLimit) + 1);
}

TEST(Controller, StuckControllerFailsAtTheFirstStep) {
  Fake8042 bus;
  bus.input_buffer_stuck = true;
  Controller controller(&bus);
  EXPECT_EQ(controller.init().error(), Error::kNoDevice);
  EXPECT_STREQ(controller.failed_step(), "disable ports");
  EXPECT_LE(bus.pauses, static_cast<int>(Controller::kPauseLimit) + 1);
}

TEST(Controller, ResendIsRetried) {
  Fake8042 bus;
  bus.resends_before_ack = 2;
  Controller controller(&bus);
  ASSERT_TRUE(controller.init().ok()) << controller.failed_step();
  EXPECT_EQ(bus.scan_code_set, kScanCodeSet2);
  EXPECT_EQ(bus.keyboard_bytes.front(), kKbdReset);
  EXPECT_EQ(bus.keyboard_bytes[1], kKbdReset);  // sent again after RESEND
}

TEST(Controller, GivesUpAfterTooManyResends) {
  Fake8042 bus;
  bus.resends_before_ack = static_cast<int>(Controller::kCommandRetries);
  Controller controller(&bus);
  EXPECT_EQ(controller.init().error(), Error::kNoDevice);
  EXPECT_STREQ(controller.failed_step(), "keyboard reset");
}

TEST(Controller, ReadPendingDropsPort2BytesAndIsBounded) {
  Fake8042 bus;
  Controller controller(&bus);
  ASSERT_TRUE(controller.init().ok());
  bus.device_sends(0x1e);
  bus.mouse_sends(0x08);
  bus.device_sends(0x9e);
  uint8_t bytes[64];
  ASSERT_EQ(controller.read_pending(bytes, sizeof(bytes)), 2u);
  EXPECT_EQ(bytes[0], 0x1e);
  EXPECT_EQ(bytes[1], 0x9e);
  for (int i = 0; i < 40; ++i) bus.device_sends(0x20);
  EXPECT_EQ(controller.read_pending(bytes, sizeof(bytes)), Controller::kMaxBytesPerInterrupt);
  EXPECT_EQ(controller.read_pending(bytes, 3), 3u);  // never more than the caller's room
}

TEST(Controller, LedExchangeSendsTheBitsOnlyAfterTheAck) {
  Fake8042 bus;
  Controller controller(&bus);
  ASSERT_TRUE(controller.init().ok());
  bus.keyboard_bytes.clear();
  bus.leds = 0;
  ASSERT_TRUE(controller.set_leds(0x04));
  EXPECT_EQ(bus.keyboard_bytes, std::vector<uint8_t>{kKbdSetLeds});
  EXPECT_TRUE(controller.leds_in_progress());
  bus.device_sends(0x3a);  // a key byte already in flight arrives behind the ACK
  uint8_t bytes[16];
  size_t count = controller.read_pending(bytes, sizeof(bytes));
  EXPECT_EQ(bus.keyboard_bytes, (std::vector<uint8_t>{kKbdSetLeds, 0x04}));
  EXPECT_EQ(bus.leds, 0x04);
  EXPECT_FALSE(controller.leds_in_progress());
  ASSERT_EQ(count, 1u);  // the ACKs were consumed, the key byte delivered
  EXPECT_EQ(bytes[0], 0x3a);
}

TEST(Controller, LedChangeDuringAnExchangeEndsWithTheNewBits) {
  Fake8042 bus;
  Controller controller(&bus);
  ASSERT_TRUE(controller.init().ok());
  bus.keyboard_bytes.clear();
  ASSERT_TRUE(controller.set_leds(0x04));
  ASSERT_TRUE(controller.set_leds(0x06));  // Num Lock toggled before the keyboard answered
  uint8_t bytes[16];
  for (int i = 0; i < 4 && controller.leds_in_progress(); ++i) {
    (void)controller.read_pending(bytes, sizeof(bytes));
  }
  EXPECT_FALSE(controller.leds_in_progress());
  EXPECT_EQ(bus.leds, 0x06);
}

}  // namespace
}  // namespace bm::keyboard
