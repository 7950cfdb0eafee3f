// QR codes for enrollment tokens (libqrencode): drawn in a terminal with
// Unicode half blocks, or written as a PNG (libpng) that a tablet's camera
// reads. The payload is whatever text the caller gives; parcctl gives the bare
// token, which `parc-agent enroll --token` takes as is.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace parc::cli {

// A square of modules, without its quiet zone. Immutable once encoded.
class QrCode {
 public:
  // Error correction level M (15%), byte mode. INVALID_ARGUMENT for empty text,
  // or text too long for the largest QR code (version 40).
  static Expected<QrCode> Encode(std::string_view text);

  int width() const { return width_; }  // modules per side: 21, 25, ... 177
  int version() const { return version_; }
  // True for a dark module; x and y outside [0, width) are light (quiet zone).
  bool Dark(int x, int y) const;

 private:
  QrCode(int version, int width, std::vector<bool> dark)
      : version_(version), width_(width), dark_(std::move(dark)) {}

  int version_;
  int width_;
  std::vector<bool> dark_;  // row-major, width_ * width_
};

// Light modules of the quiet zone around the code, on every side (the QR
// specification asks for 4).
inline constexpr int kQuietZone = 4;

struct TerminalStyle {
  // Force black-on-white with ANSI colours, whatever the terminal's theme.
  // Without it the glyphs stand for light modules, which reads right on the
  // usual light-text-on-dark-background terminal.
  bool ansi_colours = false;
};

// The code with its quiet zone, two module rows per text line ("▀", "▄", "█",
// " "), so that modules come out about square. Every line ends with '\n'.
std::string RenderTerminal(const QrCode& code, TerminalStyle style = {});

// Writes an 8-bit greyscale PNG, `scale` pixels per module, with the quiet
// zone, readable only by its owner (0600: it carries a secret). Overwrites
// `path`. INVALID_ARGUMENT for a scale outside 1..64; UNAVAILABLE when the
// file cannot be written.
Status WritePng(const QrCode& code, const std::filesystem::path& path, int scale = 10);

}  // namespace parc::cli
