// QR codes of enrollment tokens: structure of the symbol, the terminal
// drawing read back module by module, and the PNG (read back by zbarimg when
// it is installed: `deploy/install-deps.sh --test`).
#include "cli/qr.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "cli/table.h"

namespace parc::cli {
namespace {

constexpr char kToken[] = "parc_enr_Zq8k2VwR5tYb0nXc4LmP7hJd9sGf3aE1";

// A finder pattern: 7x7, dark ring, light ring, dark 3x3 centre.
bool IsFinder(const QrCode& code, int x0, int y0) {
  for (int y = 0; y < 7; ++y) {
    for (int x = 0; x < 7; ++x) {
      int ring = std::min(std::min(x, y), std::min(6 - x, 6 - y));
      bool want_dark = ring != 1;
      if (code.Dark(x0 + x, y0 + y) != want_dark) return false;
    }
  }
  return true;
}

// Splits UTF-8 text into code points (each glyph of the drawing is one).
std::vector<std::string> Glyphs(const std::string& line) {
  std::vector<std::string> glyphs;
  for (size_t i = 0; i < line.size();) {
    size_t n = 1;
    auto c = static_cast<unsigned char>(line[i]);
    if (c >= 0xF0)
      n = 4;
    else if (c >= 0xE0)
      n = 3;
    else if (c >= 0xC0)
      n = 2;
    glyphs.push_back(line.substr(i, n));
    i += n;
  }
  return glyphs;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::filesystem::path TempDir() {
  auto dir =
      std::filesystem::temp_directory_path() / ("parc-qr-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir;
}

TEST(QrTest, EncodesATokenAsAWellFormedSymbol) {
  auto code = QrCode::Encode(kToken);
  ASSERT_TRUE(code) << code.error().message;
  EXPECT_GE(code->version(), 1);
  EXPECT_LE(code->version(), 5);  // ~40 characters: a small, easily scanned code
  EXPECT_EQ(code->width(), 17 + 4 * code->version());
  const int w = code->width();
  EXPECT_TRUE(IsFinder(*code, 0, 0));
  EXPECT_TRUE(IsFinder(*code, w - 7, 0));
  EXPECT_TRUE(IsFinder(*code, 0, w - 7));
  EXPECT_FALSE(IsFinder(*code, w - 7, w - 7));
  for (int i = 8; i < w - 8; ++i) {  // timing patterns alternate, dark on even
    EXPECT_EQ(code->Dark(i, 6), i % 2 == 0) << "row 6, column " << i;
    EXPECT_EQ(code->Dark(6, i), i % 2 == 0) << "column 6, row " << i;
  }
  EXPECT_FALSE(code->Dark(-1, 0));
  EXPECT_FALSE(code->Dark(0, w));
}

TEST(QrTest, RefusesEmptyAndOversizedText) {
  EXPECT_EQ(QrCode::Encode("").error().code, ErrorCode::kInvalidArgument);
  auto huge = QrCode::Encode(std::string(4000, 'x'));
  ASSERT_FALSE(huge);
  EXPECT_EQ(huge.error().code, ErrorCode::kInvalidArgument);
}

// Plain drawing: glyphs mark light modules (light text on a dark terminal).
TEST(QrTest, TerminalDrawingHasTheQuietZoneAndEveryModule) {
  auto code = QrCode::Encode(kToken);
  ASSERT_TRUE(code);
  const int side = code->width() + 2 * kQuietZone;
  std::string drawing = RenderTerminal(*code);
  EXPECT_EQ(drawing.find('\x1b'), std::string::npos);
  auto lines = Lines(drawing);
  ASSERT_EQ(static_cast<int>(lines.size()), (side + 1) / 2);
  std::string full;
  for (int i = 0; i < side; ++i) full += "\u2588";
  EXPECT_EQ(lines[0], full);  // quiet zone rows 0 and 1
  EXPECT_EQ(lines[1], full);  // rows 2 and 3
  for (int row = 0; row < static_cast<int>(lines.size()); ++row) {
    auto glyphs = Glyphs(lines[row]);
    ASSERT_EQ(static_cast<int>(glyphs.size()), side) << "line " << row;
    EXPECT_EQ(DisplayWidth(lines[row]), static_cast<size_t>(side));
    for (int col = 0; col < side; ++col) {
      const std::string& g = glyphs[col];
      bool top_light = g == "\u2588" || g == "\u2580";
      bool bottom_light = g == "\u2588" || g == "\u2584";
      ASSERT_TRUE(top_light || bottom_light || g == " ") << "glyph '" << g << "'";
      int x = col - kQuietZone, y = 2 * row - kQuietZone;
      EXPECT_EQ(top_light, !code->Dark(x, y)) << x << "," << y;
      if (y + 1 < code->width() + kQuietZone) {
        EXPECT_EQ(bottom_light, !code->Dark(x, y + 1)) << x << "," << y + 1;
      } else {
        EXPECT_FALSE(bottom_light);  // below the symbol: terminal background
      }
    }
  }
}

// Forced colours: black ink (dark modules) on a bright white background.
TEST(QrTest, ColouredDrawingInksDarkModules) {
  auto code = QrCode::Encode(kToken);
  ASSERT_TRUE(code);
  auto lines = Lines(RenderTerminal(*code, TerminalStyle{.ansi_colours = true}));
  ASSERT_FALSE(lines.empty());
  const std::string start = "\x1b[30;107m", end = "\x1b[0m";
  for (const auto& line : lines) {
    ASSERT_EQ(line.rfind(start, 0), 0u) << line;
    ASSERT_EQ(line.substr(line.size() - end.size()), end) << line;
  }
  const int side = code->width() + 2 * kQuietZone;
  std::string first = lines[0].substr(start.size(), lines[0].size() - start.size() - end.size());
  EXPECT_EQ(first, std::string(side, ' '));  // quiet zone: no ink
  // Row kQuietZone (line 2, top half) starts with the finder's dark edge.
  auto glyphs = Glyphs(lines[2].substr(start.size()));
  EXPECT_EQ(glyphs[kQuietZone], "\u2588");  // rows 4 and 5, column 0: dark, dark
}

TEST(QrTest, WritesAPngOnlyItsOwnerCanRead) {
  auto code = QrCode::Encode(kToken);
  ASSERT_TRUE(code);
  auto path = TempDir() / "token.png";
  std::filesystem::remove(path);
  ASSERT_TRUE(WritePng(*code, path, 10));
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_GE(bytes.size(), 33u);
  EXPECT_EQ(bytes.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_EQ(bytes.substr(12, 4), "IHDR");
  auto be32 = [&](size_t at) {
    uint32_t v = 0;
    for (size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(bytes[at + i]);
    return v;
  };
  const uint32_t side = static_cast<uint32_t>((code->width() + 2 * kQuietZone) * 10);
  EXPECT_EQ(be32(16), side);  // width
  EXPECT_EQ(be32(20), side);  // height
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::filesystem::remove_all(path.parent_path());
}

TEST(QrTest, PngFailsClearlyWhenTheFileCannotBeWritten) {
  auto code = QrCode::Encode(kToken);
  ASSERT_TRUE(code);
  auto written = WritePng(*code, "/nonexistent-dir/token.png");
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(written.error().message.find("/nonexistent-dir/token.png"), std::string::npos);
  EXPECT_EQ(WritePng(*code, "/tmp/x.png", 0).error().code, ErrorCode::kInvalidArgument);
}

// What a scanner reads is exactly the token.
TEST(QrTest, ZbarimgReadsTheTokenBackFromThePng) {
  if (std::system("command -v zbarimg >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "zbarimg not installed (deploy/install-deps.sh --test)";
  }
  auto code = QrCode::Encode(kToken);
  ASSERT_TRUE(code);
  auto path = TempDir() / "scan.png";
  ASSERT_TRUE(WritePng(*code, path, 4));
  // stderr dropped: zbarimg complains there about D-Bus in containers.
  std::string command = "zbarimg --quiet --raw '" + path.string() + "' 2>/dev/null";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(command.c_str(), "r"), ::pclose);
  ASSERT_TRUE(pipe);
  std::string output;
  char buffer[256];
  while (size_t n = std::fread(buffer, 1, sizeof buffer, pipe.get())) output.append(buffer, n);
  EXPECT_EQ(output, std::string(kToken) + "\n");
  std::filesystem::remove_all(path.parent_path());
}

}  // namespace
}  // namespace parc::cli
