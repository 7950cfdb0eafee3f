#include "agent_client/content/sha256_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

#include "common/crypto.h"

namespace parc::agent {

Expected<std::string> Sha256OfFile(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return NotFound(fmt::format("{} does not exist", path.string()));
    return Fail(ErrorCode::kInternal,
                fmt::format("cannot open {}: {}", path.string(), std::strerror(errno)));
  }
  Sha256Stream hash;
  std::array<char, 64 * 1024> buffer;
  for (;;) {
    ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      auto error = Fail(ErrorCode::kInternal,
                        fmt::format("cannot read {}: {}", path.string(), std::strerror(errno)));
      ::close(fd);
      return error;
    }
    if (n == 0) break;
    hash.Update(std::string_view(buffer.data(), static_cast<size_t>(n)));
  }
  ::close(fd);
  return hash.FinishHex();
}

}  // namespace parc::agent
