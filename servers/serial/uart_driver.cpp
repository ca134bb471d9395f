// 16550 UART programming against UartPort (register meanings: see uart.h and the PC16550D
// datasheet). The driver never waits for the line: a full receive buffer pauses the receiver and
// a busy transmitter takes nothing (the caller sleeps on the THR-empty interrupt); the few
// polls it does make (loopback test, idle line before set_line) are bounded.
#include "servers/serial/uart_driver.h"

#include "lib/core/utility.h"

namespace bm::serial {
namespace {

// Two complementary patterns: a floating bus (0xFF) or a stuck data line cannot echo both.
constexpr uint8_t kLoopbackPatterns[] = {0xAE, 0x51};

constexpr uint8_t kLineErrorBits = kLsrOverrun | kLsrParityError | kLsrFramingError | kLsrBreak;

// What LSR reads when nothing answers at the port: an ISA bus with no device floats to all
// ones. A real 16550 never reports every status bit at once (DR with TEMT and a FIFO error).
constexpr uint8_t kFloatingBus = 0xFF;

}  // namespace

Result<void> UartDriver::init() {
  present_ = false;
  fifo_enabled_ = false;
  if (port_ == nullptr) return Error::kInvalidArgument;

  // DLAB off first: with DLAB set, offset 1 is the divisor latch, not IER.
  port_->write(kRegLineControl, 0);
  port_->write(kRegInterruptEnable, 0);
  line_ = LineSettings{};
  program_line(line_);
  port_->write(kRegFifoControl, kFcrEnable | kFcrClearReceive | kFcrClearTransmit | kFcrTrigger14);

  // Loopback: TX is wired to RX inside the chip and the modem outputs are held inactive, so
  // the test sends nothing on the real line.
  port_->write(kRegModemControl, kMcrLoopback | kMcrRts | kMcrOut1 | kMcrOut2);
  if (!loopback_test()) {
    port_->write(kRegModemControl, 0);
    return Error::kNoDevice;
  }
  // IIR bits 6-7 read 11 only on a 16550A-class chip whose FIFOs really work; older parts
  // (8250/16450, early 16550) get one byte per THR-empty instead of a FIFO load.
  fifo_enabled_ = (port_->read(kRegInterruptIdent) & kIirFifosEnabled) == kIirFifosEnabled;

  port_->write(kRegModemControl, kMcrDtr | kMcrRts | kMcrOut2);
  // Start from a clean slate: no stale byte, error or modem-status change left pending.
  port_->write(kRegFifoControl, kFcrEnable | kFcrClearReceive | kFcrClearTransmit | kFcrTrigger14);
  for (uint32_t i = 0; i < kFifoDepth + 1; ++i) {
    if ((port_->read(kRegLineStatus) & kLsrDataReady) == 0) break;
    (void)port_->read(kRegReceiveBuffer);
  }
  (void)port_->read(kRegModemStatus);
  (void)port_->read(kRegInterruptIdent);
  stats_ = UartStats{};
  receive_paused_ = false;
  transmit_waiting_ = false;
  transmit_ready_ = false;

  present_ = true;
  write_interrupt_enable();
  return {};
}

bool UartDriver::loopback_test() {
  for (uint8_t pattern : kLoopbackPatterns) {
    port_->write(kRegTransmitHolding, pattern);
    if (!wait_for_line_status(kLsrDataReady)) return false;
    if (port_->read(kRegReceiveBuffer) != pattern) return false;
  }
  return true;
}

void UartDriver::on_interrupt() {
  ++stats_.interrupts;
  if (!present_) {
    ++stats_.spurious_interrupts;
    return;
  }
  bool handled = false;
  for (uint32_t round = 0; round < kMaxInterruptRounds; ++round) {
    uint8_t iir = port_->read(kRegInterruptIdent);
    if ((iir & kIirNoInterruptPending) != 0) break;
    handled = true;
    switch (iir & kIirIdMask) {
      case kIirLineStatus:  // cleared by reading LSR
        account_line_status(port_->read(kRegLineStatus));
        break;
      case kIirReceivedData:
      case kIirCharacterTimeout:  // both cleared by emptying the FIFO below the trigger
        drain_receiver();
        break;
      case kIirTransmitEmpty:  // cleared by the IIR read itself
        transmit_ready_ = true;
        break;
      case kIirModemStatus:  // cleared by reading MSR
      default:
        (void)port_->read(kRegModemStatus);
        break;
    }
  }
  if (!handled) ++stats_.spurious_interrupts;
}

void UartDriver::drain_receiver() {
  for (uint32_t i = 0; i < kMaxDrainPerRound; ++i) {
    if (receive_.full()) {
      // Leave the rest in the chip: its FIFO fills, and a far end that honours it (QEMU's
      // chardev stops reading its socket) waits instead of losing bytes. The interrupt goes
      // off until read() makes room, or it would fire again at once with nothing taken.
      if (!receive_paused_) ++stats_.receive_pauses;
      receive_paused_ = true;
      write_interrupt_enable();
      return;
    }
    uint8_t lsr = port_->read(kRegLineStatus);
    account_line_status(lsr);
    if ((lsr & kLsrDataReady) == 0) return;
    uint8_t byte = port_->read(kRegReceiveBuffer);
    ++stats_.received;
    (void)receive_.push(byte);  // not full: checked above
  }
}

void UartDriver::write_interrupt_enable() {
  uint8_t ier = 0;
  if (!receive_paused_) ier |= kIerReceivedData;
  if (transmit_waiting_) ier |= kIerTransmitEmpty;
  port_->write(kRegInterruptEnable, ier);
}

// Reading LSR clears OE/PE/FE/BI, so every read of it goes through here or the error is lost.
void UartDriver::account_line_status(uint8_t lsr) {
  if ((lsr & kLineErrorBits) == 0) return;
  if ((lsr & kLsrOverrun) != 0) ++stats_.hardware_overruns;
  if ((lsr & kLsrParityError) != 0) ++stats_.parity_errors;
  if ((lsr & kLsrFramingError) != 0) ++stats_.framing_errors;
  if ((lsr & kLsrBreak) != 0) ++stats_.breaks;
}

bool UartDriver::wait_for_line_status(uint8_t mask) {
  for (uint32_t i = 0; i < kSpinLimit; ++i) {
    uint8_t lsr = port_->read(kRegLineStatus);
    account_line_status(lsr);
    if ((lsr & mask) != 0) return true;
  }
  return false;
}

size_t UartDriver::read(uint8_t* out, size_t capacity) {
  if (out == nullptr) return 0;
  size_t count = 0;
  while (count < capacity && receive_.pop(&out[count])) ++count;
  if (receive_paused_ && present_ && receive_.capacity() - receive_.size() >= kResumeRoom) {
    // With bytes still waiting in the FIFO the chip interrupts again as soon as this lands.
    receive_paused_ = false;
    write_interrupt_enable();
  }
  return count;
}

Result<size_t> UartDriver::write_some(const uint8_t* data, size_t length) {
  if (!present_) return Error::kNoDevice;
  if (data == nullptr && length != 0) return Error::kInvalidArgument;
  if (length == 0) return size_t{0};
  uint8_t lsr = port_->read(kRegLineStatus);
  if (lsr == kFloatingBus) return Error::kNoDevice;
  account_line_status(lsr);
  if ((lsr & kLsrTransmitHoldingEmpty) == 0) return size_t{0};
  // THRE means the whole transmit FIFO is empty in FIFO mode, so a full load fits.
  const size_t load = bm::min(fifo_enabled_ ? size_t{kFifoDepth} : size_t{1}, length);
  for (size_t i = 0; i < load; ++i) port_->write(kRegTransmitHolding, data[i]);
  return load;
}

void UartDriver::set_transmit_interrupt(bool on) {
  if (!present_ || on == transmit_waiting_) return;
  transmit_waiting_ = on;
  write_interrupt_enable();
}

bool UartDriver::take_transmit_ready() {
  bool ready = transmit_ready_;
  transmit_ready_ = false;
  return ready;
}

Result<void> UartDriver::validate(const LineSettings& settings) {
  if (settings.baud == 0 || settings.baud > kMaxBaud || kMaxBaud % settings.baud != 0) {
    return Error::kInvalidArgument;
  }
  if (settings.data_bits < 5 || settings.data_bits > 8) return Error::kInvalidArgument;
  if (settings.stop_bits != 1 && settings.stop_bits != 2) return Error::kInvalidArgument;
  switch (settings.parity) {
    case Parity::kNone:
    case Parity::kOdd:
    case Parity::kEven:
    case Parity::kMark:
    case Parity::kSpace:
      return {};
  }
  return Error::kInvalidArgument;  // a value cast from outside the enum
}

Result<void> UartDriver::set_line(const LineSettings& settings) {
  BM_TRY(validate(settings));
  if (!present_) return Error::kNoDevice;
  // Changing the divisor mid-character garbles it; a stalled transmitter is no reason to refuse.
  (void)wait_for_line_status(kLsrTransmitterEmpty);
  program_line(settings);
  line_ = settings;
  return {};
}

uint8_t UartDriver::line_control_bits(const LineSettings& settings) {
  uint8_t bits = static_cast<uint8_t>((settings.data_bits - 5) & kLcrWordLengthMask);
  if (settings.stop_bits == 2) bits |= kLcrTwoStopBits;
  switch (settings.parity) {
    case Parity::kNone:
      break;
    case Parity::kOdd:
      bits |= kLcrParityEnable;
      break;
    case Parity::kEven:
      bits |= kLcrParityEnable | kLcrEvenParity;
      break;
    // Stick parity: the parity bit is the inverse of EPS (datasheet, LCR bit 5).
    case Parity::kMark:
      bits |= kLcrParityEnable | kLcrStickParity;
      break;
    case Parity::kSpace:
      bits |= kLcrParityEnable | kLcrEvenParity | kLcrStickParity;
      break;
  }
  return bits;
}

// Callers have validated `settings`, so the divisor is 1..2304 and fits the 16-bit latch.
void UartDriver::program_line(const LineSettings& settings) {
  const uint32_t divisor = kMaxBaud / settings.baud;
  const uint8_t bits = line_control_bits(settings);
  port_->write(kRegLineControl, kLcrDivisorLatch | bits);
  port_->write(kRegDivisorLow, static_cast<uint8_t>(divisor & 0xFF));
  port_->write(kRegDivisorHigh, static_cast<uint8_t>(divisor >> 8));
  port_->write(kRegLineControl, bits);
}

}  // namespace bm::serial
