// FakeUart: the 16550A behaviour UartDriver relies on, modelled from the PC16550D datasheet.
#include "test/host/serial/fake_uart.h"

namespace bm::serial {

uint8_t FakeUart::trigger_level() const {
  switch (fcr_trigger_) {
    case kFcrTrigger4:
      return 4;
    case kFcrTrigger8:
      return 8;
    case kFcrTrigger14:
      return 14;
    default:
      return 1;
  }
}

void FakeUart::push_rx(uint8_t byte, uint8_t errors) {
  if (rx_.size() >= fifo_depth()) {
    // FIFO mode: the character in the shift register is lost, the FIFO is kept. Without a
    // FIFO, the new character overwrites RBR. Either way LSR.OE reports it.
    overrun_ = true;
    if (fifo_depth() == 1) rx_.back() = RxChar{byte, errors};
    return;
  }
  rx_.push_back(RxChar{byte, errors});
}

void FakeUart::receive(uint8_t byte, uint8_t line_status) {
  if (!present) return;
  if ((mcr_ & kMcrLoopback) != 0) return;  // the serial input is disconnected in loopback
  push_rx(byte, line_status & (kLsrParityError | kLsrFramingError | kLsrBreak));
}

void FakeUart::receive(const std::vector<uint8_t>& bytes) {
  for (uint8_t byte : bytes) receive(byte);
}

void FakeUart::shift_out() {
  if (transmitter_stalled || tx_.empty()) return;
  if (polls_until_sent_ > 0) {
    --polls_until_sent_;
    return;
  }
  while (!tx_.empty()) {
    transmitted.push_back(tx_.front());
    tx_.pop_front();
  }
  thre_interrupt_ = true;
}

uint8_t FakeUart::line_status() {
  if (stuck_interrupt) return kLsrDataReady | kLsrTransmitHoldingEmpty | kLsrTransmitterEmpty;
  shift_out();
  uint8_t lsr = 0;
  if (!rx_.empty()) {
    lsr |= kLsrDataReady;
    lsr |= rx_.front().errors;  // errors belong to the character at the top of the FIFO
    rx_.front().errors = 0;     // ... and are cleared by this read
    for (const RxChar& c : rx_) {
      if (c.errors != 0) lsr |= kLsrFifoError;
    }
  }
  if (overrun_) lsr |= kLsrOverrun;
  overrun_ = false;
  if (tx_.empty()) lsr |= kLsrTransmitHoldingEmpty | kLsrTransmitterEmpty;
  return lsr;
}

uint8_t FakeUart::interrupt_ident() {
  const uint8_t fifo_bits = fifo_enabled_ && has_fifo ? kIirFifosEnabled : 0;
  if (stuck_interrupt) return fifo_bits | kIirReceivedData;
  bool line_error = overrun_ || (!rx_.empty() && rx_.front().errors != 0);
  if ((ier_ & kIerLineStatus) != 0 && line_error) return fifo_bits | kIirLineStatus;
  if ((ier_ & kIerReceivedData) != 0 && !rx_.empty()) {
    // The fake treats the line as idle whenever the driver looks, so data below the trigger
    // level reports the character timeout.
    if (rx_.size() >= trigger_level()) return fifo_bits | kIirReceivedData;
    return fifo_bits | kIirCharacterTimeout;
  }
  if ((ier_ & kIerTransmitEmpty) != 0 && thre_interrupt_) {
    thre_interrupt_ = false;  // reading IIR with THRE as the source clears it
    return fifo_bits | kIirTransmitEmpty;
  }
  return fifo_bits | kIirNoInterruptPending;
}

uint8_t FakeUart::read(uint8_t offset) {
  uint8_t value = 0xFF;
  if (present) {
    switch (offset) {
      case kRegReceiveBuffer:
        if (dlab()) {
          value = dll_;
        } else {
          ++receive_buffer_reads;
          if (stuck_interrupt) {
            value = 0x55;
          } else if (rx_.empty()) {
            value = 0;
          } else {
            value = rx_.front().byte;
            rx_.pop_front();
          }
        }
        break;
      case kRegInterruptEnable:
        value = dlab() ? dlm_ : ier_;
        break;
      case kRegInterruptIdent:
        value = interrupt_ident();
        break;
      case kRegLineControl:
        value = lcr_;
        break;
      case kRegModemControl:
        value = mcr_;
        break;
      case kRegLineStatus:
        value = line_status();
        break;
      case kRegModemStatus:
        // Loopback wires the outputs back to the inputs: CTS=RTS, DSR=DTR, RI=OUT1, DCD=OUT2.
        value = (mcr_ & kMcrLoopback) != 0 ? static_cast<uint8_t>((mcr_ & 0x0F) << 4) : 0;
        break;
      case kRegScratch:
        value = scr_;
        break;
      default:
        break;
    }
  }
  log.push_back(Access{false, offset, value, dlab()});
  return value;
}

void FakeUart::write(uint8_t offset, uint8_t value) {
  log.push_back(Access{true, offset, value, dlab()});
  if (!present) return;
  switch (offset) {
    case kRegTransmitHolding:
      if (dlab()) {
        dll_ = value;
      } else if ((mcr_ & kMcrLoopback) != 0) {
        push_rx(broken_loopback ? static_cast<uint8_t>(value ^ 0x01) : value, 0);
      } else {
        thre_interrupt_ = false;
        if (tx_.empty()) polls_until_sent_ = slow_polls;
        if (tx_.size() < fifo_depth()) {
          tx_.push_back(value);
        } else {
          ++transmit_overruns;  // lost, as on hardware: the driver wrote without THRE
        }
      }
      break;
    case kRegInterruptEnable:
      if (dlab()) {
        dlm_ = value;
      } else {
        // Enabling ETBEI while THR is empty raises the THRE interrupt at once (datasheet,
        // IIR: the THRE source is set whenever THRE and ETBEI are both 1).
        if ((value & kIerTransmitEmpty) != 0 && (ier_ & kIerTransmitEmpty) == 0 && tx_.empty()) {
          thre_interrupt_ = true;
        }
        ier_ = value & 0x0F;
      }
      break;
    case kRegFifoControl: {
      const bool enable = has_fifo && (value & kFcrEnable) != 0;
      // Changing FCR0 resets both FIFOs (datasheet, FIFO Control Register bit 0).
      if (enable != fifo_enabled_) {
        rx_.clear();
        tx_.clear();
      }
      fifo_enabled_ = enable;
      if ((value & kFcrClearReceive) != 0) rx_.clear();
      if ((value & kFcrClearTransmit) != 0) tx_.clear();
      fcr_trigger_ = value & 0xC0;
      break;
    }
    case kRegLineControl:
      lcr_ = value;
      break;
    case kRegModemControl:
      mcr_ = value & 0x1F;
      break;
    case kRegScratch:
      scr_ = value;
      break;
    default:
      break;  // LSR and MSR writes: factory test only, ignored
  }
}

}  // namespace bm::serial
