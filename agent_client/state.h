// The agent's state directory (default /var/lib/parc-agent): what enrollment
// gave us, the result of the last check-in, who is logged in, and the queue.
//
//   config        server=HOST:PORT, device_id=N, ca=PATH (key=value lines)
//   credential    the device secret, mode 0600, never logged
//   last_checkin  at_ms=..., ok=0|1, message=...
//   current_user  employee number from `parc-agent login` (absent: nobody)
//   queue/        the offline queue (queue/report_queue.h)
//   content/      the content cache (content/content_store.h)
//   progress/     progress events waiting for the server
//                 (progress/progress_queue.h)
//
// Every file is replaced with WriteFileDurably. Not thread-safe; the running
// agent and a `parc-agent login` touch different files, except queue/, which
// has its own lock.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "common/error.h"

namespace parc::agent {

inline constexpr std::string_view kDefaultStateDir = "/var/lib/parc-agent";

struct Enrollment {
  std::string server;      // host:port of parcd
  int64_t device_id = 0;   // 0: not enrolled
  std::string ca_path;     // empty: plaintext channel
  std::string credential;  // the bearer secret
};

struct LastCheckIn {
  int64_t at_ms = 0;  // 0: never tried
  bool ok = false;
  std::string message;  // the error of a failed check-in, empty on success
};

class StateDir {
 public:
  explicit StateDir(std::filesystem::path dir) : dir_(std::move(dir)) {}

  const std::filesystem::path& path() const { return dir_; }
  std::filesystem::path queue_dir() const { return dir_ / "queue"; }
  std::filesystem::path content_dir() const { return dir_ / "content"; }
  std::filesystem::path progress_dir() const { return dir_ / "progress"; }

  // Creates the directory (mode 0700) when missing.
  Status Create() const;

  // kNotFound (with a hint to run `parc-agent enroll`) when not enrolled.
  Expected<Enrollment> LoadEnrollment() const;
  Status SaveEnrollment(const Enrollment& enrollment) const;

  // A default LastCheckIn (at_ms 0) when no check-in was ever tried.
  LastCheckIn LoadLastCheckIn() const;
  Status SaveLastCheckIn(const LastCheckIn& last) const;

  // nullopt when nobody is logged in.
  std::optional<std::string> LoadCurrentUser() const;
  Status SaveCurrentUser(const std::optional<std::string>& employee_number) const;

 private:
  std::filesystem::path dir_;
};

}  // namespace parc::agent
