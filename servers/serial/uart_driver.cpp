// 16550 UART programming against UartPort (register meanings: see uart.h and the PC16550D
// datasheet). Every wait on the chip is bounded so an absent or wedged UART cannot hang the server.
#include "servers/serial/uart_driver.h"

#include "lib/core/utility.h"

namespace bm::serial {
namespace {

// Two complementary patterns: a floating bus (0xFF) or a stuck data line cannot echo both.
constexpr uint8_t kLoopbackPatterns[] = {0xAE, 0x51};

constexpr uint8_t kLineErrorBits = kLsrOverrun | kLsrParityError | kLsrFramingError | kLsrBreak;

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

  present_ = true;
  port_->write(kRegInterruptEnable, kIerReceivedData);
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
    uint8_t lsr = port_->read(kRegLineStatus);
    account_line_status(lsr);
    if ((lsr & kLsrDataReady) == 0) return;
    uint8_t byte = port_->read(kRegReceiveBuffer);
    ++stats_.received;
    // A full buffer keeps what it has: the reader gets an intact prefix of the stream rather
    // than a mix of old and new bytes.
    if (!receive_.push(byte)) ++stats_.buffer_overflows;
  }
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
  return count;
}

Result<size_t> UartDriver::write(const uint8_t* data, size_t length) {
  if (!present_) return Error::kNoDevice;
  if (data == nullptr && length != 0) return Error::kInvalidArgument;
  // THRE means the whole transmit FIFO is empty in FIFO mode, so a full load fits.
  const size_t burst = fifo_enabled_ ? kFifoDepth : 1;
  size_t sent = 0;
  while (sent < length) {
    if (!wait_for_line_status(kLsrTransmitHoldingEmpty)) {
      if (sent == 0) return Error::kTimedOut;
      return sent;
    }
    size_t load = bm::min(burst, length - sent);
    for (size_t i = 0; i < load; ++i) port_->write(kRegTransmitHolding, data[sent++]);
  }
  return sent;
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
