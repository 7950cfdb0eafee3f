#include "cli/qr.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <png.h>
#include <qrencode.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "common/i18n.h"

namespace parc::cli {
namespace {

struct QrFree {
  void operator()(QRcode* code) const { QRcode_free(code); }
};

struct FileClose {
  void operator()(FILE* file) const { std::fclose(file); }
};

// The glyph for a pair of vertically stacked cells, drawn in the foreground
// colour when the cell is "inked".
std::string_view HalfBlock(bool top, bool bottom) {
  if (top && bottom) return "\u2588";  // █
  if (top) return "\u2580";            // ▀
  if (bottom) return "\u2584";         // ▄
  return " ";
}

}  // namespace

Expected<QrCode> QrCode::Encode(std::string_view text) {
  if (text.empty()) return InvalidArgument("qr", Tr("nothing to encode"));
  std::string copy(text);  // libqrencode wants a NUL-terminated string
  errno = 0;
  std::unique_ptr<QRcode, QrFree> code(
      QRcode_encodeString(copy.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1));
  if (!code) {
    if (errno == ERANGE) {
      return InvalidArgument("qr", TrF("{} bytes do not fit in a QR code", text.size()));
    }
    return Fail(ErrorCode::kInternal, TrF("cannot encode the QR code: {}", std::strerror(errno)));
  }
  const int width = code->width;
  std::vector<bool> dark(static_cast<size_t>(width) * width);
  for (size_t i = 0; i < dark.size(); ++i) dark[i] = (code->data[i] & 1) != 0;
  return QrCode(code->version, width, std::move(dark));
}

bool QrCode::Dark(int x, int y) const {
  if (x < 0 || y < 0 || x >= width_ || y >= width_) return false;
  return dark_[static_cast<size_t>(y) * width_ + x];
}

std::string RenderTerminal(const QrCode& code, TerminalStyle style) {
  // With forced colours, ink is black on a white background: dark modules are
  // inked. Without, ink is the terminal's (light) text colour: light modules.
  const bool ink_dark = style.ansi_colours;
  const int lo = -kQuietZone, hi = code.width() + kQuietZone;  // [lo, hi)
  auto inked = [&](int x, int y) {
    // Rows past the bottom of the quiet zone are the terminal's background.
    if (y >= hi) return false;
    return code.Dark(x, y) == ink_dark;
  };
  std::string out;
  for (int y = lo; y < hi; y += 2) {
    if (style.ansi_colours) out += "\x1b[30;107m";
    for (int x = lo; x < hi; ++x) out += HalfBlock(inked(x, y), inked(x, y + 1));
    if (style.ansi_colours) out += "\x1b[0m";
    out += '\n';
  }
  return out;
}

Status WritePng(const QrCode& code, const std::filesystem::path& path, int scale) {
  if (scale < 1 || scale > 64) return InvalidArgument("scale", Tr("must be between 1 and 64"));
  const int modules = code.width() + 2 * kQuietZone;
  const int side = modules * scale;
  std::vector<png_byte> pixels(static_cast<size_t>(side) * side);
  for (int y = 0; y < side; ++y) {
    for (int x = 0; x < side; ++x) {
      bool dark = code.Dark(x / scale - kQuietZone, y / scale - kQuietZone);
      pixels[static_cast<size_t>(y) * side + x] = dark ? 0 : 255;
    }
  }

  auto unavailable = [&](std::string_view why) {
    return Fail(ErrorCode::kUnavailable,
                TrF("{0}: {1}", TrF("cannot write {}", path.string()), why));
  };
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return unavailable(std::strerror(errno));
  std::unique_ptr<FILE, FileClose> file(::fdopen(fd, "wb"));
  if (!file) {
    ::close(fd);
    return unavailable(std::strerror(errno));
  }
  png_image image;
  std::memset(&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  image.width = static_cast<png_uint_32>(side);
  image.height = static_cast<png_uint_32>(side);
  image.format = PNG_FORMAT_GRAY;
  if (png_image_write_to_stdio(&image, file.get(), 0, pixels.data(), 0, nullptr) == 0) {
    std::string why = image.message;
    png_image_free(&image);
    return unavailable(why);
  }
  if (std::fclose(file.release()) != 0) return unavailable(std::strerror(errno));
  return Ok();
}

}  // namespace parc::cli
